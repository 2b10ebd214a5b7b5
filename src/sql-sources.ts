/**
 * The hand-written SQL objects, in dependency order, grouped by the custom
 * migration that first created them. Each file holds the whole definition
 * (CREATE OR REPLACE ... and its COMMENT ON), statements separated by
 * `--> statement-breakpoint`. scripts/sql-objects.ts writes migrations from
 * these files and checks that the migrated database matches them.
 */
export const sqlSources = {
  /** Trigger functions and their CREATE TRIGGERs (src/functions/triggers). */
  triggers: [
    'src/functions/triggers/set_updated_at.sql',
    'src/functions/triggers/set_last_updated.sql',
    'src/functions/triggers/set_circuit_breaker_cooldown_expiry.sql',
    'src/functions/triggers/classify_fear_greed.sql',
    'src/functions/triggers/derive_funding_rate_metrics.sql',
    'src/functions/triggers/record_inserted_rows.sql',
    'src/functions/triggers/maintain_ohlcv_latest.sql',
    'src/functions/triggers/maintain_ohlcv_data_summaries.sql',
    'src/functions/triggers/maintain_funding_rates_latest.sql',
  ] as string[],
  /** SQL functions (src/functions). */
  functions: [
    'src/functions/get_latest_price.sql',
    'src/functions/get_latest_ohlcv_price.sql',
    'src/functions/ohlcv_data_series.sql',
    'src/functions/calculate_position_pnl.sql',
    'src/functions/blocking_circuit_breakers.sql',
    'src/functions/is_trading_allowed.sql',
    'src/functions/calculate_daily_pnl.sql',
    'src/functions/get_latest_fear_greed.sql',
    'src/functions/get_latest_funding_rate.sql',
    'src/functions/ensure_partitions.sql',
    'src/functions/premake_partitions.sql',
    'src/functions/refresh_market_summaries.sql',
    'src/functions/apply_retention.sql',
  ] as string[],
  /** Views, dependencies first (src/views). */
  views: [
    // None of the views reads another, so any order is a dependency order.
    'src/views/sql/v_active_positions.sql',
    'src/views/sql/v_recent_trades.sql',
    'src/views/sql/v_decision_analysis.sql',
    'src/views/sql/v_analysis_performance.sql',
    'src/views/sql/v_risk_summary.sql',
    'src/views/sql/v_market_data_summary.sql',
    'src/views/sql/v_funding_rate_analysis.sql',
    'src/views/sql/v_volatility_analysis.sql',
    'src/views/sql/v_market_correlation.sql',
  ] as string[],
  /** Roles and grants (src/roles). */
  roles: ['src/roles/roles.sql'] as string[],
} satisfies Record<string, string[]>;

export type SqlSourceGroup = keyof typeof sqlSources;
