CREATE OR REPLACE FUNCTION ensure_partitions(relation regclass, from_ts timestamptz, to_ts timestamptz)
RETURNS SETOF text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
SET "TimeZone" = 'UTC'
SET "DateStyle" = 'ISO, YMD'
AS $$
DECLARE
  parent text;
  month_start timestamptz;
  last_month timestamptz;
  partition_name text;
  grantee text;
BEGIN
  IF relation IS NULL OR from_ts IS NULL OR to_ts IS NULL THEN
    RAISE EXCEPTION 'ensure_partitions: relation, from_ts and to_ts must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  -- Only the monthly partitioned tables of this library (src/schema/partitions.ts).
  SELECT c.relname INTO parent FROM pg_class c
   WHERE c.oid = relation AND c.relnamespace = 'public'::regnamespace AND c.relkind = 'p'
     AND c.relname IN ('ohlcv', 'ohlcv_data', 'funding_rates', 'llm_analysis_log', 'system_events');
  IF parent IS NULL THEN
    RAISE EXCEPTION 'ensure_partitions: % is not one of the monthly partitioned tables (ohlcv, ohlcv_data, funding_rates, llm_analysis_log, system_events)', relation
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT isfinite(from_ts) OR NOT isfinite(to_ts) OR from_ts > to_ts THEN
    RAISE EXCEPTION 'ensure_partitions: [%, %] is not a finite range with from_ts <= to_ts', from_ts, to_ts
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  month_start := date_trunc('month', from_ts);   -- TimeZone is UTC: calendar months in UTC
  last_month := date_trunc('month', to_ts);
  WHILE month_start <= last_month LOOP
    partition_name := parent || '_p' || to_char(month_start, 'YYYYMM')
      || CASE WHEN month_start < '0001-01-01 00:00:00+00' THEN 'bc' ELSE '' END;
    IF to_regclass(format('public.%I', partition_name)) IS NULL THEN
      -- Created apart and then attached: ATTACH PARTITION takes SHARE UPDATE
      -- EXCLUSIVE on the parent, which lets writers and readers go on (CREATE
      -- TABLE ... PARTITION OF would take ACCESS EXCLUSIVE until commit).
      BEGIN
        EXECUTE format('CREATE TABLE public.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name, parent);
        EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
          parent, partition_name, month_start, month_start + interval '1 month');
      EXCEPTION WHEN duplicate_table OR unique_violation THEN
        -- Another session created it meanwhile (committed before us: we waited for it).
        month_start := month_start + interval '1 month';
        CONTINUE;
      END;
      -- Reached through the parent only: no direct privileges (the default
      -- privileges of the creating role would grant the bot UPDATE on an audit log's month).
      EXECUTE format('REVOKE ALL ON TABLE public.%I FROM PUBLIC', partition_name);
      FOREACH grantee IN ARRAY ARRAY['analyst', 'trading_bot'] LOOP
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = grantee) THEN
          EXECUTE format('REVOKE ALL ON TABLE public.%I FROM %I', partition_name, grantee);
        END IF;
      END LOOP;
      RETURN NEXT partition_name;
    END IF;
    month_start := month_start + interval '1 month';
  END LOOP;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION ensure_partitions(regclass, timestamptz, timestamptz) IS 'Creates the missing monthly partitions (<table>_pYYYYMM, UTC calendar months) of relation, one of ohlcv, ohlcv_data, funding_rates, llm_analysis_log, system_events, covering from_ts .. to_ts inclusive; returns the names it created. Safe to run concurrently: a partition another session created meanwhile is skipped. Partitions get no direct privileges (they are reached through the parent).';
