/** Typed views over market data: candles, fear & greed and funding (SQL in ./sql). */
import { NOTES, UNITS } from '../schema/_notes.ts';
import { date, integer, numeric, pgView, varchar } from 'drizzle-orm/pg-core';
import {
  exchange,
  fundingFraction,
  indexPoints,
  notesOf,
  oneOf,
  price,
  quantity,
  symbol,
  timestamptz,
  withNote,
} from '../schema/_columns.ts';
import { FEAR_GREED_CLASSES, TIMEFRAMES } from '../schema/enums.ts';

/** Series keys as ohlcv_data_series() returns them: varchar without a length. */
const seriesText = (name: string) => varchar(name);

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

export type MarketDataSummaryRow = typeof vMarketDataSummary.$inferSelect;
export type FundingRateAnalysisRow = typeof vFundingRateAnalysis.$inferSelect;
export type VolatilityAnalysisRow = typeof vVolatilityAnalysis.$inferSelect;
export type MarketCorrelationRow = typeof vMarketCorrelation.$inferSelect;
