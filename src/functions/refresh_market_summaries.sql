-- depends: refresh_read_models
CREATE OR REPLACE FUNCTION refresh_market_summaries(from_time timestamptz DEFAULT '-infinity', to_time timestamptz DEFAULT 'infinity')
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
  -- All five locked at once, in the order this function always took them.
  LOCK TABLE ohlcv_latest, ohlcv_data_latest, ohlcv_data_hourly, ohlcv_data_daily, funding_rates_latest IN EXCLUSIVE MODE;
  PERFORM refresh_read_models('ohlcv_data', from_time, to_time);
  PERFORM refresh_read_models('ohlcv', from_time, to_time);
  PERFORM refresh_read_models('funding_rates', from_time, to_time);
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION refresh_market_summaries(timestamptz, timestamptz) IS 'Rebuilds the market read models (ohlcv_latest, ohlcv_data_latest, ohlcv_data_hourly, ohlcv_data_daily, funding_rates_latest) from the raw rows whose time lies in [from_time, to_time) (default: all): the hours of ohlcv_data in the range are summed again, the days holding them take their last candle from their last hour, and every newest-row entry in the range is looked up again or removed. Call it after rows changed without firing the triggers: after dropping or detaching partitions (with to_time = the dropped bound), after writing into a partition directly, or to backfill. Runs refresh_read_models for ohlcv_data, ohlcv and funding_rates. Locks the read models against writers while it runs. SECURITY DEFINER.';
