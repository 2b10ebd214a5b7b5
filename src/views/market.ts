/** Typed views over market data: candles, fear & greed and funding (SQL in ./sql). */
import { date, integer, numeric, pgView, varchar } from 'drizzle-orm/pg-core';
import {
  exchange,
  fundingFraction,
  indexPoints,
  numericIn,
  oneOf,
  price,
  quantity,
  symbol,
  ts,
  UNITS,
  withUnit,
} from '../schema/_columns.ts';
import { FEAR_GREED_CLASSES, TIMEFRAMES } from '../schema/enums.ts';

/** Series keys as ohlcv_data_series() returns them: varchar without a length. */
const seriesText = (name: string) => varchar(name);

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
  lastCandleChangePct: numericIn('last_candle_change_pct', UNITS.percentPoints).notNull(),
  fearGreedValue: indexPoints('fear_greed_value'),
  fearGreedClassification: oneOf('fear_greed_classification', FEAR_GREED_CLASSES),
  fearGreedTime: ts('fear_greed_time'),
  fundingRate: fundingFraction('funding_rate'),
  fundingRateBps: withUnit(numeric('funding_rate_bps', { precision: 10, scale: 4 }), UNITS.fundingBps),
  /** Annualized, as funding_rates.annualized_rate. */
  fundingRateAnnual: withUnit(numeric('funding_rate_annual', { precision: 10, scale: 6 }), UNITS.fractionPerYear),
  fundingRateTime: ts('funding_rate_time'),
}).existing();

/** Funding statistics per (symbol, exchange) with a reading in the last 30 days; rates are fractions per period. */
export const vFundingRateAnalysis = pgView('v_funding_rate_analysis', {
  symbol: symbol().notNull(),
  exchange: exchange().notNull(),
  currentRate: fundingFraction('current_rate').notNull(),
  avgRate24h: numericIn('avg_rate_24h', UNITS.fundingFraction),
  avgRate7d: numericIn('avg_rate_7d', UNITS.fundingFraction),
  avgRate30d: numericIn('avg_rate_30d', UNITS.fundingFraction).notNull(),
  maxRate24h: numericIn('max_rate_24h', UNITS.fundingFraction),
  minRate24h: numericIn('min_rate_24h', UNITS.fundingFraction),
  /** Readings in the last 7 days with rate > 0.0005. */
  highPositivePeriods7d: integer('high_positive_periods_7d').notNull(),
  /** Readings in the last 7 days with rate < −0.0005. */
  highNegativePeriods7d: integer('high_negative_periods_7d').notNull(),
  lastUpdate: ts('last_update').notNull(),
}).existing();

/**
 * Volatility per series with a candle in the last 30 days. Range = (high − low) / open × 100;
 * volatility = sample standard deviation of the range; all in percentage points.
 */
export const vVolatilityAnalysis = pgView('v_volatility_analysis', {
  symbol: seriesText('symbol').notNull(),
  exchange: seriesText('exchange').notNull(),
  timeframe: varchar('timeframe', { enum: TIMEFRAMES }).notNull(),
  volatility24h: numericIn('volatility_24h', UNITS.percentPoints),
  volatility7d: numericIn('volatility_7d', UNITS.percentPoints),
  avgRange24h: numericIn('avg_range_24h', UNITS.percentPoints),
  avgRange7d: numericIn('avg_range_7d', UNITS.percentPoints),
  avgVolume24h: numericIn('avg_volume_24h', UNITS.quantity),
  maxVolume24h: numericIn('max_volume_24h', UNITS.quantity),
  /** (newest close − open of the first candle in the last 24 h) / that open × 100. */
  priceChange24h: numericIn('price_change_24h', UNITS.percentPoints),
  /** Open time of the newest candle. */
  lastUpdate: ts('last_update').notNull(),
}).existing();

/** Per (symbol, exchange, UTC day) over the last 30 days: funding, fear & greed and the daily price change. */
export const vMarketCorrelation = pgView('v_market_correlation', {
  symbol: seriesText('symbol').notNull(),
  exchange: seriesText('exchange').notNull(),
  /** UTC day, 'YYYY-MM-DD'. */
  date: date('date', { mode: 'string' }).notNull(),
  /** Mean funding rate that day. */
  avgFundingRate: numericIn('avg_funding_rate', UNITS.fundingFraction),
  /** The day's first fear & greed reading. */
  fearGreedValue: indexPoints('fear_greed_value'),
  /** Daily close minus the previous UTC day's close. */
  priceChange: numericIn('price_change', UNITS.price),
}).existing();

export type MarketDataSummaryRow = typeof vMarketDataSummary.$inferSelect;
export type FundingRateAnalysisRow = typeof vFundingRateAnalysis.$inferSelect;
export type VolatilityAnalysisRow = typeof vVolatilityAnalysis.$inferSelect;
export type MarketCorrelationRow = typeof vMarketCorrelation.$inferSelect;
