/**
 * Typed wrappers for the SQL functions of SPEC section 5. Arguments travel as
 * bound parameters; numerics come back as decimal strings, timestamps as Date,
 * identically on postgres.js and PGlite.
 */
export { FunctionArgumentError, type Timeframe } from './_arguments.ts';
export { getLatestPrice, type LatestPriceArgs } from './get_latest_price.ts';
export { getLatestOhlcvPrice, type LatestOhlcvPriceArgs } from './get_latest_ohlcv_price.ts';
export { calculatePositionPnl, type PositionPnl, type PositionPnlArgs } from './calculate_position_pnl.ts';
export { isTradingAllowed, type TradingGuard } from './is_trading_allowed.ts';
export { calculateDailyPnl } from './calculate_daily_pnl.ts';
export { getLatestFearGreed, type LatestFearGreed } from './get_latest_fear_greed.ts';
export { getLatestFundingRate, type LatestFundingRate, type LatestFundingRateArgs } from './get_latest_funding_rate.ts';
export { ensurePartitions, type PartitionedTable } from './ensure_partitions.ts';
export { premakePartitions } from './premake_partitions.ts';
export {
  applyRetention,
  RETENTION_DEFAULTS,
  type RetentionAction,
  type RetentionPolicy,
  type RetentionTable,
} from './apply_retention.ts';
