/** The v_analysis_performance view, typed for the query builder (SQL in ./v_analysis_performance.sql). */
import { boolean, pgView } from 'drizzle-orm/pg-core';
import { amount, notesOf, oneOf, percentPoints, price, symbol, timestamptz } from '../schema/_columns.ts';
import { DECISION_ACTIONS, LLM_SENTIMENTS, ML_ACTIONS, SIGNAL_DIRECTIONS } from '../schema/enums.ts';

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

export type AnalysisPerformanceRow = typeof vAnalysisPerformance.$inferSelect;
