/** The v_volatility_analysis view, typed for the query builder (SQL in ./v_volatility_analysis.sql). */
import { NOTES } from '../schema/_notes.ts';
import { numeric, pgView, varchar } from 'drizzle-orm/pg-core';
import { notesOf, timestamptz, withNote } from '../schema/_columns.ts';
import { TIMEFRAMES } from '../schema/enums.ts';
import { seriesText } from './series-text.ts';

const vVolatilityAnalysisColumns = {
  symbol: seriesText('symbol').notNull(),
  exchange: seriesText('exchange').notNull(),
  timeframe: varchar('timeframe', { enum: TIMEFRAMES }).notNull(),
  volatility24h: withNote(numeric('volatility_24h'), NOTES.percentPoints),
  volatility7d: withNote(numeric('volatility_7d'), NOTES.percentPoints),
  avgRange24h: withNote(numeric('avg_range_24h'), NOTES.percentPoints),
  avgRange7d: withNote(numeric('avg_range_7d'), NOTES.percentPoints),
  avgVolume24h: withNote(numeric('avg_volume_24h'), NOTES.quantity),
  maxVolume24h: withNote(numeric('max_volume_24h'), NOTES.quantity),
  /** (newest close − open of the first candle in the last 24 h) / that open × 100. */
  priceChange24h: withNote(numeric('price_change_24h'), NOTES.percentPoints),
  /** Open time of the newest candle. */
  lastUpdate: timestamptz('last_update').notNull(),
};

/** Units of v_volatility_analysis's columns, read off its column builders (see notesOf in _columns.ts). */
export const vVolatilityAnalysisColumnNotes = notesOf(vVolatilityAnalysisColumns);

/**
 * Volatility per series with a candle in the last 30 days. Range = (high − low) / open × 100;
 * volatility = sample standard deviation of the range; all in percentage points.
 */
export const vVolatilityAnalysis = pgView('v_volatility_analysis', vVolatilityAnalysisColumns).existing();

export type VolatilityAnalysisRow = typeof vVolatilityAnalysis.$inferSelect;
