/**
 * Typed wrappers for the SQL functions of SPEC section 5. Arguments travel as
 * bound parameters; numerics come back as decimal strings, timestamps as Date,
 * identically on postgres.js and PGlite.
 */
export { FunctionArgumentError, type Timeframe } from './_arguments.ts';
export { getLatestPrice, type LatestPriceArgs } from './get-latest-price.ts';
export { getLatestOhlcvPrice, type LatestOhlcvPriceArgs } from './get-latest-ohlcv-price.ts';
export { calculatePositionPnl, type PositionPnl, type PositionPnlArgs } from './calculate-position-pnl.ts';
export { isTradingAllowed, type TradingGuard } from './is-trading-allowed.ts';
export { calculateDailyPnl } from './calculate-daily-pnl.ts';
export { getLatestFearGreed, type LatestFearGreed } from './get-latest-fear-greed.ts';
export { getLatestFundingRate, type LatestFundingRate, type LatestFundingRateArgs } from './get-latest-funding-rate.ts';
export { ensurePartitions, premakePartitions, type PartitionedTable } from './partitions.ts';
export {
  applyRetention,
  RETENTION_DEFAULTS,
  type RetentionAction,
  type RetentionPolicy,
  type RetentionTable,
} from './apply-retention.ts';
