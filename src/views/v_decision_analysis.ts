/** The v_decision_analysis view, typed for the query builder (SQL in ./v_decision_analysis.sql). */
import { boolean, jsonb, pgView, text } from 'drizzle-orm/pg-core';
import { bigintRef, nonNegativeInt, notesOf, oneOf, score, symbol, timestamptz } from '../schema/_columns.ts';
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

export type DecisionAnalysisRow = typeof vDecisionAnalysis.$inferSelect;
