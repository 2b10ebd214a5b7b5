/** Typed views over market data: candles, fear & greed and funding (SQL in ./sql). */
import { NOTES, UNITS, type ColumnNotes } from '../schema/_notes.ts';
import { date, integer, numeric, pgView, varchar } from 'drizzle-orm/pg-core';
import { exchange, fundingFraction, indexPoints, oneOf, price, quantity, symbol, ts } from '../schema/_columns.ts';
import { FEAR_GREED_CLASSES, TIMEFRAMES } from '../schema/enums.ts';

/** Series keys as ohlcv_data_series() returns them: varchar without a length. */
const seriesText = (name: string) => varchar(name);

/** Units of v_market_data_summary's columns (see src/schema/_notes.ts). */
export const vMarketDataSummaryColumnNotes = {
  lastPrice: NOTES.price,
  lastVolume: NOTES.quantity,
  lastCandleChangePct: NOTES.percentPoints,
  fearGreedValue: NOTES.indexPoints,
  fundingRate: NOTES.fundingFraction,
  fundingRateBps: { unit: UNITS.fundingBps },
  fundingRateAnnual: { unit: UNITS.fractionPerYear },
} satisfies ColumnNotes;

/** Latest candle per (symbol, exchange, timeframe) series, with the latest fear & greed and funding. */
export const vMarketDataSummary = pgView('v_market_data_summary', {
  symbol: seriesText('symbol').notNull(),
  exchange: seriesText('exchange').notNull(),
  timeframe: varchar('timeframe', { enum: TIMEFRAMES }).notNull(),
  /** Open time of the newest candle. */
  lastCandleTime: ts('last_candle_time').notNull(),
  lastPrice: price('last_price').notNull(),
  lastVolume: quantity('last_volume').notNull(),
  /** (close − open) / open × 100 of the newest candle. */
  lastCandleChangePct: numeric('last_candle_change_pct').notNull(),
  fearGreedValue: indexPoints('fear_greed_value'),
  fearGreedClassification: oneOf('fear_greed_classification', FEAR_GREED_CLASSES),
  fearGreedTime: ts('fear_greed_time'),
  fundingRate: fundingFraction('funding_rate'),
  fundingRateBps: numeric('funding_rate_bps', { precision: 10, scale: 4 }),
  /** Annualized, as funding_rates.annualized_rate. */
  fundingRateAnnual: numeric('funding_rate_annual', { precision: 10, scale: 6 }),
  fundingRateTime: ts('funding_rate_time'),
}).existing();

/** Units of v_funding_rate_analysis's columns (see src/schema/_notes.ts). */
export const vFundingRateAnalysisColumnNotes = {
  currentRate: NOTES.fundingFraction,
  avgRate24h: NOTES.fundingFraction,
  avgRate7d: NOTES.fundingFraction,
  avgRate30d: NOTES.fundingFraction,
  maxRate24h: NOTES.fundingFraction,
  minRate24h: NOTES.fundingFraction,
} satisfies ColumnNotes;

/** Funding statistics per (symbol, exchange) with a reading in the last 30 days; rates are fractions per period. */
export const vFundingRateAnalysis = pgView('v_funding_rate_analysis', {
  symbol: symbol().notNull(),
  exchange: exchange().notNull(),
  currentRate: fundingFraction('current_rate').notNull(),
  avgRate24h: numeric('avg_rate_24h'),
  avgRate7d: numeric('avg_rate_7d'),
  avgRate30d: numeric('avg_rate_30d').notNull(),
  maxRate24h: numeric('max_rate_24h'),
  minRate24h: numeric('min_rate_24h'),
  /** Readings in the last 7 days with rate > 0.0005. */
  highPositivePeriods7d: integer('high_positive_periods_7d').notNull(),
  /** Readings in the last 7 days with rate < −0.0005. */
  highNegativePeriods7d: integer('high_negative_periods_7d').notNull(),
  lastUpdate: ts('last_update').notNull(),
}).existing();

/** Units of v_volatility_analysis's columns (see src/schema/_notes.ts). */
export const vVolatilityAnalysisColumnNotes = {
  volatility24h: NOTES.percentPoints,
  volatility7d: NOTES.percentPoints,
  avgRange24h: NOTES.percentPoints,
  avgRange7d: NOTES.percentPoints,
  avgVolume24h: NOTES.quantity,
  maxVolume24h: NOTES.quantity,
  priceChange24h: NOTES.percentPoints,
} satisfies ColumnNotes;

/**
 * Volatility per series with a candle in the last 30 days. Range = (high − low) / open × 100;
 * volatility = sample standard deviation of the range; all in percentage points.
 */
export const vVolatilityAnalysis = pgView('v_volatility_analysis', {
  symbol: seriesText('symbol').notNull(),
  exchange: seriesText('exchange').notNull(),
  timeframe: varchar('timeframe', { enum: TIMEFRAMES }).notNull(),
  volatility24h: numeric('volatility_24h'),
  volatility7d: numeric('volatility_7d'),
  avgRange24h: numeric('avg_range_24h'),
  avgRange7d: numeric('avg_range_7d'),
  avgVolume24h: numeric('avg_volume_24h'),
  maxVolume24h: numeric('max_volume_24h'),
  /** (newest close − open of the first candle in the last 24 h) / that open × 100. */
  priceChange24h: numeric('price_change_24h'),
  /** Open time of the newest candle. */
  lastUpdate: ts('last_update').notNull(),
}).existing();

/** Units of v_market_correlation's columns (see src/schema/_notes.ts). */
export const vMarketCorrelationColumnNotes = {
  avgFundingRate: NOTES.fundingFraction,
  fearGreedValue: NOTES.indexPoints,
  priceChange: NOTES.price,
} satisfies ColumnNotes;

/** Per (symbol, exchange, UTC day) over the last 30 days: funding, fear & greed and the daily price change. */
export const vMarketCorrelation = pgView('v_market_correlation', {
  symbol: seriesText('symbol').notNull(),
  exchange: seriesText('exchange').notNull(),
  /** UTC day, 'YYYY-MM-DD'. */
  date: date('date', { mode: 'string' }).notNull(),
  /** Mean funding rate that day. */
  avgFundingRate: numeric('avg_funding_rate'),
  /** The day's first fear & greed reading. */
  fearGreedValue: indexPoints('fear_greed_value'),
  /** Daily close minus the previous UTC day's close. */
  priceChange: numeric('price_change'),
}).existing();

export type MarketDataSummaryRow = typeof vMarketDataSummary.$inferSelect;
export type FundingRateAnalysisRow = typeof vFundingRateAnalysis.$inferSelect;
export type VolatilityAnalysisRow = typeof vVolatilityAnalysis.$inferSelect;
export type MarketCorrelationRow = typeof vMarketCorrelation.$inferSelect;
