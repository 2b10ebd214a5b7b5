-- depends: ensure_partitions
CREATE OR REPLACE FUNCTION premake_partitions(months_ahead integer DEFAULT 12)
RETURNS SETOF text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
SET "TimeZone" = 'UTC'
AS $$
DECLARE
  parent text;
BEGIN
  IF months_ahead IS NULL OR months_ahead < 0 OR months_ahead > 120 THEN
    RAISE EXCEPTION 'premake_partitions: months_ahead must be 0 to 120, got %', coalesce(months_ahead::text, 'null')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- From the month of a week ago: in a month's first week the last month's
  -- late rows (an exchange's backlog, yesterday's candles) still find theirs.
  FOREACH parent IN ARRAY ARRAY['funding_rates', 'llm_analysis_log', 'ohlcv', 'ohlcv_data', 'system_events'] LOOP
    RETURN QUERY SELECT ensure_partitions(format('public.%I', parent)::regclass, date_trunc('month', now() - interval '7 days'),
      date_trunc('month', now()) + make_interval(months => months_ahead));
  END LOOP;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION premake_partitions(integer) IS 'Creates the monthly partitions of ohlcv, ohlcv_data, funding_rates, llm_analysis_log and system_events for the current UTC month (and, in a month''s first week, the month before) and months_ahead (0 to 120, default 12) months after it; returns the names it created. migrate() runs it; run it monthly (e.g. from pg_cron) so that writes never wait for a partition.';
