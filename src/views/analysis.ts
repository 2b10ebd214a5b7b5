/** Typed views over trading decisions and what came of them (SQL in ./sql). */
import { boolean, jsonb, pgView, text } from 'drizzle-orm/pg-core';
import {
  amount,
  bigintRef,
  nonNegativeInt,
  notesOf,
  oneOf,
  percentPoints,
  price,
  score,
  symbol,
  timestamptz,
} from '../schema/_columns.ts';
import type { TradingDecisionReasonsJson } from '../schema/analysis/index.ts';
import { DECISION_ACTIONS, LLM_SENTIMENTS, ML_ACTIONS, SIGNAL_DIRECTIONS } from '../schema/enums.ts';

const vDecisionAnalysisColumns = {
  decisionId: bigintRef('decision_id').notNull(),
  symbol: symbol().notNull(),
  timestamp: timestamptz('timestamp').notNull(),
  action: oneOf('action', DECISION_ACTIONS, 10).notNull(),
  decisionConfidence: score('decision_confidence').notNull(),
  executed: boolean('executed').notNull(),
  vetoed: boolean('vetoed').notNull(),
  vetoReason: text('veto_reason'),
  technicalSignal: oneOf('technical_signal', SIGNAL_DIRECTIONS, 10),
  technicalConfidence: score('technical_confidence'),
  bullishCount: nonNegativeInt('bullish_count'),
  bearishCount: nonNegativeInt('bearish_count'),
  llmSentiment: oneOf('llm_sentiment', LLM_SENTIMENTS, 10),
  llmConfidence: score('llm_confidence'),
  llmSummary: text('llm_summary'),
  llmCached: boolean('llm_cached'),
  mlAction: oneOf('ml_action', ML_ACTIONS, 10),
  mlConfidence: score('ml_confidence'),
  probLong: score('prob_long'),
  probShort: score('prob_short'),
  reasonsJson: jsonb('reasons_json').$type<TradingDecisionReasonsJson>().notNull(),
};

/** Units of v_decision_analysis's columns, read off its column builders (see notesOf in _columns.ts). */
export const vDecisionAnalysisColumnNotes = notesOf(vDecisionAnalysisColumns);

/** Each decision beside its technical, LLM and ML components (null when not linked), newest first. */
export const vDecisionAnalysis = pgView('v_decision_analysis', vDecisionAnalysisColumns).existing();

const vAnalysisPerformanceColumns = {
  symbol: symbol().notNull(),
  decisionAction: oneOf('decision_action', DECISION_ACTIONS, 10).notNull(),
  /** Always true here. */
  executed: boolean('executed').notNull(),
  /** The decision's intended entry price. */
  decisionPrice: price('decision_price'),
  realizedPnl: amount('realized_pnl').notNull(),
  realizedPnlPct: percentPoints('realized_pnl_pct', 10, 4),
  /** realized_pnl > 0; null when exactly 0. */
  wasProfitable: boolean('was_profitable'),
  technicalSignal: oneOf('technical_signal', SIGNAL_DIRECTIONS, 10),
  llmSentiment: oneOf('llm_sentiment', LLM_SENTIMENTS, 10),
  mlAction: oneOf('ml_action', ML_ACTIONS, 10),
  decisionTime: timestamptz('decision_time').notNull(),
  entryTime: timestamptz('entry_time').notNull(),
  exitTime: timestamptz('exit_time'),
};

/** Units of v_analysis_performance's columns, read off its column builders (see notesOf in _columns.ts). */
export const vAnalysisPerformanceColumnNotes = notesOf(vAnalysisPerformanceColumns);

/** Executed decisions whose order led to a trade with realized P&L. */
export const vAnalysisPerformance = pgView('v_analysis_performance', vAnalysisPerformanceColumns).existing();

export type DecisionAnalysisRow = typeof vDecisionAnalysis.$inferSelect;
export type AnalysisPerformanceRow = typeof vAnalysisPerformance.$inferSelect;
