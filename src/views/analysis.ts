/** Typed views over trading decisions and what came of them (SQL in ./sql). */
import { NOTES, type ColumnNotes } from '../schema/_notes.ts';
import { boolean, jsonb, pgView, text } from 'drizzle-orm/pg-core';
import { amount, bigintRef, count, oneOf, percentPoints, price, score, symbol, ts } from '../schema/_columns.ts';
import type { TradingDecisionReasonsJson } from '../schema/analysis/index.ts';
import { DECISION_ACTIONS, LLM_SENTIMENTS, ML_ACTIONS, SIGNAL_DIRECTIONS } from '../schema/enums.ts';

/** Units of v_decision_analysis's columns (see src/schema/_notes.ts). */
export const vDecisionAnalysisColumnNotes = {
  decisionConfidence: NOTES.score,
  technicalConfidence: NOTES.score,
  bullishCount: NOTES.count,
  bearishCount: NOTES.count,
  llmConfidence: NOTES.score,
  mlConfidence: NOTES.score,
  probLong: NOTES.score,
  probShort: NOTES.score,
} satisfies ColumnNotes;

/** Each decision beside its technical, LLM and ML components (null when not linked), newest first. */
export const vDecisionAnalysis = pgView('v_decision_analysis', {
  decisionId: bigintRef('decision_id').notNull(),
  symbol: symbol().notNull(),
  timestamp: ts('timestamp').notNull(),
  action: oneOf('action', DECISION_ACTIONS, 10).notNull(),
  decisionConfidence: score('decision_confidence').notNull(),
  executed: boolean('executed').notNull(),
  vetoed: boolean('vetoed').notNull(),
  vetoReason: text('veto_reason'),
  technicalSignal: oneOf('technical_signal', SIGNAL_DIRECTIONS, 10),
  technicalConfidence: score('technical_confidence'),
  bullishCount: count('bullish_count'),
  bearishCount: count('bearish_count'),
  llmSentiment: oneOf('llm_sentiment', LLM_SENTIMENTS, 10),
  llmConfidence: score('llm_confidence'),
  llmSummary: text('llm_summary'),
  llmCached: boolean('llm_cached'),
  mlAction: oneOf('ml_action', ML_ACTIONS, 10),
  mlConfidence: score('ml_confidence'),
  probLong: score('prob_long'),
  probShort: score('prob_short'),
  reasonsJson: jsonb('reasons_json').$type<TradingDecisionReasonsJson>().notNull(),
}).existing();

/** Units of v_analysis_performance's columns (see src/schema/_notes.ts). */
export const vAnalysisPerformanceColumnNotes = {
  decisionPrice: NOTES.price,
  realizedPnl: NOTES.amount,
  realizedPnlPct: NOTES.percentPoints,
} satisfies ColumnNotes;

/** Executed decisions whose order led to a trade with realized P&L. */
export const vAnalysisPerformance = pgView('v_analysis_performance', {
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
  decisionTime: ts('decision_time').notNull(),
  entryTime: ts('entry_time').notNull(),
  exitTime: ts('exit_time'),
}).existing();

export type DecisionAnalysisRow = typeof vDecisionAnalysis.$inferSelect;
export type AnalysisPerformanceRow = typeof vAnalysisPerformance.$inferSelect;
