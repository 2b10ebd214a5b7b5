/** The v_funding_rate_analysis view, typed for the query builder (SQL in ./v_funding_rate_analysis.sql). */
import { NOTES } from '../schema/_notes.ts';
import { integer, numeric, pgView } from 'drizzle-orm/pg-core';
import { exchange, fundingFraction, notesOf, symbol, timestamptz, withNote } from '../schema/_columns.ts';

const vFundingRateAnalysisColumns = {
  symbol: symbol().notNull(),
  exchange: exchange().notNull(),
  currentRate: fundingFraction('current_rate').notNull(),
  avgRate24h: withNote(numeric('avg_rate_24h'), NOTES.fundingFraction),
  avgRate7d: withNote(numeric('avg_rate_7d'), NOTES.fundingFraction),
  avgRate30d: withNote(numeric('avg_rate_30d'), NOTES.fundingFraction).notNull(),
  maxRate24h: withNote(numeric('max_rate_24h'), NOTES.fundingFraction),
  minRate24h: withNote(numeric('min_rate_24h'), NOTES.fundingFraction),
  /** Readings in the last 7 days with rate > 0.0005. */
  highPositivePeriods7d: integer('high_positive_periods_7d').notNull(),
  /** Readings in the last 7 days with rate < −0.0005. */
  highNegativePeriods7d: integer('high_negative_periods_7d').notNull(),
  lastUpdate: timestamptz('last_update').notNull(),
};

/** Units of v_funding_rate_analysis's columns, read off its column builders (see notesOf in _columns.ts). */
export const vFundingRateAnalysisColumnNotes = notesOf(vFundingRateAnalysisColumns);

/** Funding statistics per (symbol, exchange) with a reading in the last 30 days; rates are fractions per period. */
export const vFundingRateAnalysis = pgView('v_funding_rate_analysis', vFundingRateAnalysisColumns).existing();

export type FundingRateAnalysisRow = typeof vFundingRateAnalysis.$inferSelect;
