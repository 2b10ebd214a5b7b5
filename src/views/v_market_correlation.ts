/** The v_market_correlation view, typed for the query builder (SQL in ./v_market_correlation.sql). */
import { NOTES } from '../schema/_notes.ts';
import { date, numeric, pgView } from 'drizzle-orm/pg-core';
import { indexPoints, notesOf, withNote } from '../schema/_columns.ts';
import { seriesText } from './series-text.ts';

const vMarketCorrelationColumns = {
  symbol: seriesText('symbol').notNull(),
  exchange: seriesText('exchange').notNull(),
  /** UTC day, 'YYYY-MM-DD'. */
  date: date('date', { mode: 'string' }).notNull(),
  /** Mean funding rate that day. */
  avgFundingRate: withNote(numeric('avg_funding_rate'), NOTES.fundingFraction),
  /** The day's first fear & greed reading. */
  fearGreedValue: indexPoints('fear_greed_value'),
  /** Daily close minus the previous UTC day's close. */
  priceChange: withNote(numeric('price_change'), NOTES.price),
};

/** Units of v_market_correlation's columns, read off its column builders (see notesOf in _columns.ts). */
export const vMarketCorrelationColumnNotes = notesOf(vMarketCorrelationColumns);

/** Per (symbol, exchange, UTC day) over the last 30 days: funding, fear & greed and the daily price change. */
export const vMarketCorrelation = pgView('v_market_correlation', vMarketCorrelationColumns).existing();

export type MarketCorrelationRow = typeof vMarketCorrelation.$inferSelect;
