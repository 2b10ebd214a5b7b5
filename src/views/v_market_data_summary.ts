/** The v_market_data_summary view, typed for the query builder (SQL in ./v_market_data_summary.sql). */
import { NOTES, UNITS } from '../schema/_notes.ts';
import { numeric, pgView, varchar } from 'drizzle-orm/pg-core';
import {
  fundingFraction,
  indexPoints,
  notesOf,
  oneOf,
  price,
  quantity,
  timestamptz,
  withNote,
} from '../schema/_columns.ts';
import { FEAR_GREED_CLASSES, TIMEFRAMES } from '../schema/enums.ts';
import { seriesText } from './series-text.ts';

const vMarketDataSummaryColumns = {
  symbol: seriesText('symbol').notNull(),
  exchange: seriesText('exchange').notNull(),
  timeframe: varchar('timeframe', { enum: TIMEFRAMES }).notNull(),
  /** Open time of the newest candle. */
  lastCandleTime: timestamptz('last_candle_time').notNull(),
  lastPrice: price('last_price').notNull(),
  lastVolume: quantity('last_volume').notNull(),
  /** (close − open) / open × 100 of the newest candle. */
  lastCandleChangePct: withNote(numeric('last_candle_change_pct'), NOTES.percentPoints).notNull(),
  fearGreedValue: indexPoints('fear_greed_value'),
  fearGreedClassification: oneOf('fear_greed_classification', FEAR_GREED_CLASSES),
  fearGreedTime: timestamptz('fear_greed_time'),
  fundingRate: fundingFraction('funding_rate'),
  fundingRateBps: withNote(numeric('funding_rate_bps', { precision: 10, scale: 4 }), { unit: UNITS.fundingBps }),
  /** Annualized, as funding_rates.annualized_rate. */
  fundingRateAnnual: withNote(numeric('funding_rate_annual', { precision: 10, scale: 6 }), {
    unit: UNITS.fractionPerYear,
  }),
  fundingRateTime: timestamptz('funding_rate_time'),
};

/** Units of v_market_data_summary's columns, read off its column builders (see notesOf in _columns.ts). */
export const vMarketDataSummaryColumnNotes = notesOf(vMarketDataSummaryColumns);

/** Latest candle per (symbol, exchange, timeframe) series, with the latest fear & greed and funding. */
export const vMarketDataSummary = pgView('v_market_data_summary', vMarketDataSummaryColumns).existing();

export type MarketDataSummaryRow = typeof vMarketDataSummary.$inferSelect;
