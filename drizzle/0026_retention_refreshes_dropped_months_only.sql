-- The read models kept beside one market table, rebuilt for a time range:
-- refresh_market_summaries runs it for all three, apply_retention only for
-- the tables and months it dropped.
CREATE OR REPLACE FUNCTION refresh_read_models(source text, from_time timestamptz DEFAULT '-infinity', to_time timestamptz DEFAULT 'infinity')
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  -- Whole hours covering [from_time, to_time).
  from_hour constant timestamptz := date_trunc('hour', from_time, 'UTC');
  to_hour constant timestamptz := CASE WHEN date_trunc('hour', to_time, 'UTC') = to_time THEN to_time
                                       ELSE date_trunc('hour', to_time, 'UTC') + interval '1 hour' END;
  -- The UTC days holding those hours: [from_day, to_day).
  from_day constant date := (from_hour AT TIME ZONE 'UTC')::date;
  to_day constant date := CASE WHEN date_trunc('day', to_hour, 'UTC') = to_hour THEN (to_hour AT TIME ZONE 'UTC')::date
                               ELSE (to_hour AT TIME ZONE 'UTC')::date + 1 END;
BEGIN
  IF from_time IS NULL OR to_time IS NULL THEN
    RAISE EXCEPTION 'refresh_read_models: from_time and to_time must not be NULL (use ''-infinity'' / ''infinity'' for an open end)'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  CASE source
  WHEN 'ohlcv_data' THEN
    -- Writers' triggers wait until this commits; each statement below then
    -- sees every row committed before the lock (a writer still running adds
    -- its own rows after us, as always).
    LOCK TABLE ohlcv_data_latest, ohlcv_data_hourly, ohlcv_data_daily IN EXCLUSIVE MODE;
    -- Hours in the range: summed again from the candles.
    DELETE FROM ohlcv_data_hourly h WHERE h.bucket_start >= from_hour AND h.bucket_start < to_hour;
    INSERT INTO ohlcv_data_hourly (symbol, timeframe, exchange, bucket_start, candle_count, range_pct_sum,
                                   range_pct_square_sum, volume_sum, volume_max, first_candle_time, first_open,
                                   last_candle_time, last_close)
    SELECT o.symbol, o.timeframe, o.exchange, date_trunc('hour', o."timestamp", 'UTC'),
           count(*), sum(r.range_pct), sum(r.range_pct * r.range_pct), sum(o.volume), max(o.volume),
           min(o."timestamp"), (array_agg(o.open ORDER BY o."timestamp"))[1],
           max(o."timestamp"), (array_agg(o.close ORDER BY o."timestamp" DESC))[1]
      FROM ohlcv_data o
     CROSS JOIN LATERAL (SELECT (o.high - o.low) / o.open * 100 AS range_pct) r
     WHERE o."timestamp" >= from_hour AND o."timestamp" < to_hour
     GROUP BY 1, 2, 3, 4;

    -- Days holding those hours: each one's last candle from its last hour.
    DELETE FROM ohlcv_data_daily d WHERE d.day >= from_day AND d.day < to_day;
    INSERT INTO ohlcv_data_daily (symbol, timeframe, exchange, day, last_candle_time, last_close)
    SELECT DISTINCT ON (h.symbol, h.timeframe, h.exchange, (h.bucket_start AT TIME ZONE 'UTC')::date)
           h.symbol, h.timeframe, h.exchange, (h.bucket_start AT TIME ZONE 'UTC')::date, h.last_candle_time, h.last_close
      FROM ohlcv_data_hourly h
     WHERE h.bucket_start >= from_day::timestamp AT TIME ZONE 'UTC' AND h.bucket_start < to_day::timestamp AT TIME ZONE 'UTC'
     ORDER BY h.symbol, h.timeframe, h.exchange, (h.bucket_start AT TIME ZONE 'UTC')::date, h.bucket_start DESC;

    -- Newest rows that lie in the range: looked up again (gone when the series is).
    -- Planning these lookups touches every partition, so they are skipped when
    -- no newest row lies in the range (as after dropping the oldest months).
    IF EXISTS (SELECT FROM ohlcv_data_latest k WHERE k."timestamp" >= from_time AND k."timestamp" < to_time) THEN
      UPDATE ohlcv_data_latest l
         SET "timestamp" = n."timestamp", open = n.open, close = n.close, volume = n.volume
        FROM ohlcv_data_latest k
       CROSS JOIN LATERAL (SELECT o."timestamp", o.open, o.close, o.volume FROM ohlcv_data o
                            WHERE o.symbol = k.symbol AND o.timeframe = k.timeframe AND o.exchange = k.exchange
                            ORDER BY o."timestamp" DESC LIMIT 1) n
       WHERE k."timestamp" >= from_time AND k."timestamp" < to_time
         AND l.symbol = k.symbol AND l.timeframe = k.timeframe AND l.exchange = k.exchange;
      DELETE FROM ohlcv_data_latest l
       WHERE l."timestamp" >= from_time AND l."timestamp" < to_time
         AND NOT EXISTS (SELECT FROM ohlcv_data o WHERE o.symbol = l.symbol AND o.timeframe = l.timeframe AND o.exchange = l.exchange);
    END IF;
    -- Series whose newest candle lies in the range but has no row (a backfill).
    INSERT INTO ohlcv_data_latest AS l (symbol, timeframe, exchange, "timestamp", open, close, volume)
    SELECT DISTINCT ON (o.symbol, o.timeframe, o.exchange) o.symbol, o.timeframe, o.exchange, o."timestamp", o.open, o.close, o.volume
      FROM ohlcv_data o
     WHERE o."timestamp" >= from_time AND o."timestamp" < to_time
     ORDER BY o.symbol, o.timeframe, o.exchange, o."timestamp" DESC
    ON CONFLICT ON CONSTRAINT ohlcv_data_latest_pkey DO UPDATE
       SET "timestamp" = excluded."timestamp", open = excluded.open, close = excluded.close, volume = excluded.volume
     WHERE excluded."timestamp" > l."timestamp";

  WHEN 'ohlcv' THEN
    LOCK TABLE ohlcv_latest IN EXCLUSIVE MODE;
    -- As for ohlcv_data_latest above.
    IF EXISTS (SELECT FROM ohlcv_latest k WHERE k."timestamp" >= from_time AND k."timestamp" < to_time) THEN
      UPDATE ohlcv_latest l
         SET "timestamp" = n."timestamp", close = n.close
        FROM ohlcv_latest k
       CROSS JOIN LATERAL (SELECT o."timestamp", o.close FROM ohlcv o
                            WHERE o.symbol = k.symbol AND o.exchange = k.exchange AND o.timeframe = k.timeframe
                            ORDER BY o."timestamp" DESC LIMIT 1) n
       WHERE k."timestamp" >= from_time AND k."timestamp" < to_time
         AND l.symbol = k.symbol AND l.exchange = k.exchange AND l.timeframe = k.timeframe;
      DELETE FROM ohlcv_latest l
       WHERE l."timestamp" >= from_time AND l."timestamp" < to_time
         AND NOT EXISTS (SELECT FROM ohlcv o WHERE o.symbol = l.symbol AND o.exchange = l.exchange AND o.timeframe = l.timeframe);
    END IF;
    INSERT INTO ohlcv_latest AS l (symbol, exchange, timeframe, "timestamp", close)
    SELECT DISTINCT ON (o.symbol, o.exchange, o.timeframe) o.symbol, o.exchange, o.timeframe, o."timestamp", o.close
      FROM ohlcv o
     WHERE o."timestamp" >= from_time AND o."timestamp" < to_time
     ORDER BY o.symbol, o.exchange, o.timeframe, o."timestamp" DESC
    ON CONFLICT ON CONSTRAINT ohlcv_latest_pkey DO UPDATE
       SET "timestamp" = excluded."timestamp", close = excluded.close
     WHERE excluded."timestamp" > l."timestamp";

  WHEN 'funding_rates' THEN
    LOCK TABLE funding_rates_latest IN EXCLUSIVE MODE;
    -- As for ohlcv_data_latest above.
    IF EXISTS (SELECT FROM funding_rates_latest k WHERE k."timestamp" >= from_time AND k."timestamp" < to_time) THEN
      UPDATE funding_rates_latest l
         SET "timestamp" = n."timestamp", rate = n.rate, rate_bps = n.rate_bps, annualized_rate = n.annualized_rate
        FROM funding_rates_latest k
       CROSS JOIN LATERAL (SELECT f."timestamp", f.rate, f.rate_bps, f.annualized_rate FROM funding_rates f
                            WHERE f.symbol = k.symbol AND f.exchange = k.exchange
                            ORDER BY f."timestamp" DESC LIMIT 1) n
       WHERE k."timestamp" >= from_time AND k."timestamp" < to_time
         AND l.symbol = k.symbol AND l.exchange = k.exchange;
      DELETE FROM funding_rates_latest l
       WHERE l."timestamp" >= from_time AND l."timestamp" < to_time
         AND NOT EXISTS (SELECT FROM funding_rates f WHERE f.symbol = l.symbol AND f.exchange = l.exchange);
    END IF;
    INSERT INTO funding_rates_latest AS l (symbol, exchange, "timestamp", rate, rate_bps, annualized_rate)
    SELECT DISTINCT ON (f.symbol, f.exchange) f.symbol, f.exchange, f."timestamp", f.rate, f.rate_bps, f.annualized_rate
      FROM funding_rates f
     WHERE f."timestamp" >= from_time AND f."timestamp" < to_time
     ORDER BY f.symbol, f.exchange, f."timestamp" DESC
    ON CONFLICT ON CONSTRAINT funding_rates_latest_pkey DO UPDATE
       SET "timestamp" = excluded."timestamp", rate = excluded.rate, rate_bps = excluded.rate_bps,
           annualized_rate = excluded.annualized_rate
     WHERE excluded."timestamp" > l."timestamp";
  ELSE
    RAISE EXCEPTION 'refresh_read_models: "%" has no read models (ohlcv, ohlcv_data or funding_rates)', source
      USING ERRCODE = 'invalid_parameter_value';
  END CASE;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION refresh_read_models(text, timestamptz, timestamptz) IS 'Rebuilds the read models kept beside one market table (source = ohlcv_data: ohlcv_data_hourly, ohlcv_data_daily, ohlcv_data_latest; ohlcv: ohlcv_latest; funding_rates: funding_rates_latest) from its rows whose time lies in [from_time, to_time): the hours of ohlcv_data in the range are summed again, the days holding them take their last candle from their last hour, and every newest-row entry in the range is looked up again or removed. Any other source, or a NULL bound, raises invalid_parameter_value. apply_retention calls it for each market table it dropped months from, with the dropped range; refresh_market_summaries calls it for all three. Locks that table''s read models against writers while it runs. SECURITY DEFINER; owner only.';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION apply_retention(policy jsonb DEFAULT '{}', dry_run boolean DEFAULT false)
RETURNS TABLE(table_name text, partition_name text, range_start timestamptz, range_end timestamptz,
              row_count bigint, rows_exact boolean, bytes bigint, action text, cutoff timestamptz)
LANGUAGE plpgsql
VOLATILE
-- Runs as its owner (the migrating role), so a caller needs only EXECUTE:
-- iftb_maintenance has no DELETE or DDL of its own. Everything it touches is
-- named through the catalog (regclass), never from the caller's text.
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
-- Partition bounds are read back as text and horizons are subtracted in UTC,
-- whatever the caller's session uses.
SET "TimeZone" = 'UTC'
SET "DateStyle" = 'ISO, YMD'
-- DETACH takes an exclusive lock on the parent: give up (nothing changed)
-- rather than queue every reader behind a long query.
SET lock_timeout = '30s'
AS $$
DECLARE
  -- The tables retention covers, in the order they are processed, with the
  -- time column a row's age is read from and the default horizon.
  covered constant jsonb := '[
    {"table": "ohlcv",             "column": "timestamp",  "horizon": "90 days"},
    {"table": "ohlcv_data",        "column": "timestamp",  "horizon": "90 days"},
    {"table": "funding_rates",     "column": "timestamp",  "horizon": "365 days"},
    {"table": "llm_analysis_log",  "column": "created_at", "horizon": "30 days"},
    {"table": "system_events",     "column": "created_at", "horizon": "365 days"},
    {"table": "llm_analyses",      "column": "timestamp",  "horizon": "30 days"},
    {"table": "technical_signals", "column": "timestamp",  "horizon": "30 days"},
    {"table": "ml_predictions",    "column": "timestamp",  "horizon": "30 days"},
    {"table": "trades",            "column": "exit_time",  "horizon": "365 days"}
  ]';
  known text := (SELECT string_agg(e ->> 'table', ', ') FROM jsonb_array_elements(covered) e);
  entry jsonb;
  policy_key text;
  horizon_text text;
  horizon interval;
  target regclass;
  time_column text;
  partitioned boolean;
  key_column text;
  part record;
  bound text[];
  lower_bound timestamptz;
  upper_bound timestamptz;
  referenced text;
  locked tid[];
  found_rows bigint;
  first_ts timestamptz;
  last_ts timestamptz;
  dropped_any boolean := false;
  -- The time range of this table's dropped partitions, and per market table
  -- dropped from, that range: its read models are rebuilt for it at the end.
  dropped_from timestamptz;
  dropped_until timestamptz;
  refresh_tables text[] := '{}';
  refresh_from timestamptz[] := '{}';
  refresh_until timestamptz[] := '{}';
  i integer;
BEGIN
  IF dry_run IS NULL THEN
    RAISE EXCEPTION 'apply_retention: dry_run must be true or false, got NULL' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF policy IS NULL OR jsonb_typeof(policy) <> 'object' THEN
    RAISE EXCEPTION 'apply_retention: policy must be a JSON object of table name -> horizon (an interval such as ''90 days'', or null to keep the table whole), got %',
      coalesce(policy::text, 'NULL') USING ERRCODE = 'invalid_parameter_value';
  END IF;

  -- The whole policy is checked before anything changes.
  FOR policy_key IN SELECT jsonb_object_keys(policy) LOOP
    IF NOT EXISTS (SELECT FROM jsonb_array_elements(covered) e WHERE e ->> 'table' = policy_key) THEN
      RAISE EXCEPTION 'apply_retention: policy key "%" is not a table retention covers (%)', policy_key, known
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jsonb_typeof(policy -> policy_key) NOT IN ('string', 'null') THEN
      RAISE EXCEPTION 'apply_retention: policy key "%": the horizon must be an interval text such as ''90 days'' or null, got %',
        policy_key, policy -> policy_key USING ERRCODE = 'invalid_parameter_value';
    END IF;
    horizon_text := policy ->> policy_key;
    CONTINUE WHEN horizon_text IS NULL;
    BEGIN
      horizon := horizon_text::interval;
    EXCEPTION WHEN data_exception THEN
      RAISE EXCEPTION 'apply_retention: policy key "%": "%" is not an interval (%)', policy_key, horizon_text, SQLERRM
        USING ERRCODE = 'invalid_parameter_value';
    END;
    -- A floor of one day also catches a bare number, which PostgreSQL reads as seconds.
    IF horizon < interval '1 day' THEN
      RAISE EXCEPTION 'apply_retention: policy key "%": the horizon % is %, it must be at least 1 day',
        policy_key, horizon_text, CASE WHEN horizon < interval '0' THEN 'negative' ELSE 'shorter than 1 day' END
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END LOOP;

  FOR entry IN SELECT e FROM jsonb_array_elements(covered) e LOOP
    table_name := entry ->> 'table';
    time_column := entry ->> 'column';
    horizon_text := CASE WHEN policy ? table_name THEN policy ->> table_name ELSE entry ->> 'horizon' END;
    CONTINUE WHEN horizon_text IS NULL;
    cutoff := now() - horizon_text::interval;
    target := to_regclass(format('public.%I', table_name));
    IF target IS NULL THEN
      RAISE EXCEPTION 'apply_retention: table "%" is missing: run the migrations', table_name USING ERRCODE = 'undefined_table';
    END IF;
    partitioned := (SELECT c.relkind = 'p' FROM pg_class c WHERE c.oid = target);

    IF partitioned THEN
      -- Whole partitions only: a month is dropped once its upper bound (exclusive)
      -- is at or before the cutoff, so none of its rows is inside the horizon.
      SELECT a.attname INTO key_column
        FROM pg_partitioned_table p JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
       WHERE p.partrelid = target AND p.partstrat = 'r' AND p.partnatts = 1;
      IF key_column IS DISTINCT FROM time_column THEN
        RAISE EXCEPTION 'apply_retention: table "%" is partitioned, but not by a range of "%"', table_name, time_column
          USING ERRCODE = 'feature_not_supported';
      END IF;
      dropped_from := NULL;
      dropped_until := NULL;
      FOR part IN
        SELECT c.oid::regclass AS partition, c.relname, c.reltuples, pg_get_expr(c.relpartbound, c.oid) AS bound_text
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = target
         ORDER BY c.relname
      LOOP
        -- FOR VALUES FROM ('<timestamptz>') TO ('<timestamptz>'), MINVALUE or
        -- MAXVALUE for an open end; a DEFAULT partition is never dropped.
        bound := regexp_match(part.bound_text, '^FOR VALUES FROM \((MINVALUE|''[^'']*'')\) TO \((MAXVALUE|''[^'']*'')\)$');
        IF bound IS NULL THEN
          CONTINUE WHEN part.bound_text = 'DEFAULT';
          RAISE EXCEPTION 'apply_retention: cannot read the bounds of partition "%": %', part.relname, part.bound_text
            USING ERRCODE = 'feature_not_supported';
        END IF;
        CONTINUE WHEN bound[2] = 'MAXVALUE';
        lower_bound := CASE WHEN bound[1] = 'MINVALUE' THEN '-infinity'::timestamptz ELSE btrim(bound[1], '''')::timestamptz END;
        upper_bound := btrim(bound[2], '''')::timestamptz;
        CONTINUE WHEN upper_bound > cutoff;
        partition_name := part.relname;
        range_start := lower_bound;
        range_end := upper_bound;
        bytes := pg_total_relation_size(part.partition);
        -- Counting a month of candles would cost as much as the drop: the
        -- planner's count is reported (rows_exact false) unless the partition
        -- was never analyzed (reltuples -1).
        IF part.reltuples >= 0 THEN
          row_count := part.reltuples::bigint;
          rows_exact := false;
        ELSE
          EXECUTE format('SELECT count(*) FROM %s', part.partition) INTO row_count;
          rows_exact := true;
        END IF;
        action := 'dropped';
        IF NOT dry_run THEN
          EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', target, part.partition);
          EXECUTE format('DROP TABLE %s', part.partition);
          dropped_any := true;
          dropped_from := least(dropped_from, lower_bound);
          dropped_until := greatest(dropped_until, upper_bound);
        END IF;
        RETURN NEXT;
      END LOOP;
      -- Every partition in [dropped_from, dropped_until) was past the cutoff and
      -- is gone: only a DEFAULT partition can still hold rows there.
      IF dropped_until IS NOT NULL AND table_name IN ('ohlcv', 'ohlcv_data', 'funding_rates') THEN
        refresh_tables := refresh_tables || table_name;
        refresh_from := refresh_from || dropped_from;
        refresh_until := refresh_until || dropped_until;
      END IF;
      CONTINUE;
    END IF;

    -- Not partitioned: row by row. A row that any foreign key still points at
    -- (a trading decision's analysis, an order's or a position's trade) is
    -- kept past its horizon and reported as kept.
    SELECT string_agg(format('EXISTS (SELECT FROM %s r WHERE %s)', c.conrelid::regclass,
             (SELECT string_agg(format('r.%I = t.%I', ra.attname, ta.attname), ' AND ')
                FROM unnest(c.conkey, c.confkey) AS k(referencing, referenced_column)
                JOIN pg_attribute ra ON ra.attrelid = c.conrelid AND ra.attnum = k.referencing
                JOIN pg_attribute ta ON ta.attrelid = c.confrelid AND ta.attnum = k.referenced_column)),
             ' OR ' ORDER BY c.conname)
      INTO referenced
      FROM pg_constraint c
     WHERE c.contype = 'f' AND c.confrelid = target;
    referenced := coalesce(referenced, 'false');
    partition_name := NULL;
    bytes := NULL;
    rows_exact := true;

    IF dry_run THEN
      EXECUTE format('SELECT count(*), min(t.%1$I), max(t.%1$I) FROM %2$s t WHERE t.%1$I < $1 AND NOT (%3$s)',
                     time_column, target, referenced)
        INTO found_rows, first_ts, last_ts USING cutoff;
    ELSE
      -- Lock the candidates first, then delete with a fresh snapshot: a
      -- reference committed meanwhile is seen and its row kept, and no new
      -- reference can be made to a locked row until this transaction ends.
      EXECUTE format('WITH candidates AS (SELECT t.ctid FROM %2$s t WHERE t.%1$I < $1 AND NOT (%3$s) FOR UPDATE OF t)
                      SELECT array_agg(ctid) FROM candidates', time_column, target, referenced)
        INTO locked USING cutoff;
      EXECUTE format('WITH gone AS (DELETE FROM %2$s t WHERE t.ctid = ANY ($1) AND NOT (%3$s) RETURNING t.%1$I AS ts)
                      SELECT count(*), min(ts), max(ts) FROM gone', time_column, target, referenced)
        INTO found_rows, first_ts, last_ts USING coalesce(locked, '{}');
    END IF;
    IF found_rows > 0 THEN
      range_start := first_ts;
      range_end := last_ts;
      row_count := found_rows;
      action := 'deleted';
      RETURN NEXT;
    END IF;

    EXECUTE format('SELECT count(*), min(t.%1$I), max(t.%1$I) FROM %2$s t WHERE t.%1$I < $1 AND (%3$s)',
                   time_column, target, referenced)
      INTO found_rows, first_ts, last_ts USING cutoff;
    IF found_rows > 0 THEN
      range_start := first_ts;
      range_end := last_ts;
      row_count := found_rows;
      action := 'kept_referenced';
      RETURN NEXT;
    END IF;
  END LOOP;

  -- DROP fires no trigger: the read models kept beside a market table are
  -- rebuilt for the months dropped from that table, and no others (a whole
  -- rebuild below the cutoff would scan a year of funding rates each run).
  FOR i IN 1 .. coalesce(array_length(refresh_tables, 1), 0) LOOP
    PERFORM public.refresh_read_models(refresh_tables[i], refresh_from[i], refresh_until[i]);
  END LOOP;
  IF dropped_any THEN
    -- The months ahead are made, as after any change to the partition set.
    IF to_regprocedure('public.premake_partitions(integer)') IS NOT NULL THEN
      PERFORM public.premake_partitions();
    END IF;
  END IF;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION apply_retention(jsonb, boolean) IS 'Removes rows older than each table''s horizon: policy = {"<table>": "<interval>" | null} over the defaults ohlcv, ohlcv_data 90 days; funding_rates, system_events, trades (by exit_time; open trades never) 365 days; llm_analyses, technical_signals, ml_predictions, llm_analysis_log 30 days; null keeps a table whole; a horizon must be at least 1 day; another key raises. A partitioned table loses whole partitions whose upper bound <= now() - horizon (DETACH + DROP: space returned at once); other tables are deleted row by row, except rows a foreign key still points at (kept, reported kept_referenced). One row per action: table_name, partition_name (null for rows), range_start/range_end (partition bounds [start, end), or the oldest and newest time of the rows), row_count (rows_exact false = the planner''s count of a dropped partition), bytes (returned at once, dropped partitions only), action dropped | deleted | kept_referenced, cutoff. dry_run = the same report, nothing changed. After dropping partitions of ohlcv, ohlcv_data or funding_rates it rebuilds that table''s read models for the dropped range only (refresh_read_models), then calls premake_partitions(). SECURITY DEFINER: granted to iftb_maintenance only.';
--> statement-breakpoint
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
--> statement-breakpoint
-- Least-privilege group roles (SPEC section 6). Re-runnable: every run
-- converges the privileges of this library's objects in schema public to the
-- intended set, so a later migration may simply re-apply this file.
--
-- 1. The NOLOGIN group roles. Roles are cluster-wide: an existing role is
-- used as it is. Without CREATEROLE a missing role is skipped with a NOTICE
-- (its grants below are skipped too) and the migration still succeeds.
DO $roles$
DECLARE
  may_create_roles boolean := (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user);
  group_role text;
BEGIN
  FOREACH group_role IN ARRAY ARRAY['analyst', 'trading_bot', 'iftb_maintenance'] LOOP
    CONTINUE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = group_role);
    IF NOT may_create_roles THEN
      RAISE NOTICE 'iftb roles: skipping role "%" and its grants: it does not exist and "%" may not create roles (no CREATEROLE)', group_role, current_user;
      CONTINUE;
    END IF;
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
      EXECUTE format('COMMENT ON ROLE %I IS %L', group_role, CASE group_role
        WHEN 'analyst' THEN 'IFTB read-only group: SELECT on tables and views, EXECUTE on read-only functions.'
        WHEN 'iftb_maintenance' THEN 'IFTB maintenance group (retention jobs, pg_cron): EXECUTE on apply_retention only; no table privileges.'
        ELSE 'IFTB trading bot group: SELECT/INSERT/UPDATE, sequences, EXECUTE on functions; no DELETE, TRUNCATE or DDL; audit logs append-only.'
      END);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- created meanwhile by a migration of another database in this cluster
    END;
  END LOOP;
END $roles$;
--> statement-breakpoint
-- 2. Functions created later by the migrating role are not executable by
-- PUBLIC. Global (not IN SCHEMA): per-schema defaults can only add privileges.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
--> statement-breakpoint
-- 3. Privileges. Objects of this library = objects in schema public that are
-- not part of an extension and whose owner the migrating role acts for.
-- Each object first loses every privilege of PUBLIC and both roles, then
-- gets exactly the intended ones (same order every run, so ACLs are stable).
DO $grants$
DECLARE
  audit_logs constant text[] := ARRAY['llm_analysis_log', 'system_events'];
  -- Kept by triggers (SECURITY DEFINER) from the market tables: nobody writes them directly.
  read_models constant text[] := ARRAY['ohlcv_latest', 'ohlcv_data_latest', 'ohlcv_data_hourly', 'ohlcv_data_daily',
    'funding_rates_latest'];
  -- Rebuilds the read models (migrations and apply_retention run it as the owner): nobody else's to run.
  owner_only_functions constant text[] := ARRAY['refresh_market_summaries', 'refresh_read_models'];
  read_only_functions constant text[] := ARRAY['get_latest_price', 'get_latest_ohlcv_price',
    'calculate_position_pnl', 'is_trading_allowed', 'get_latest_fear_greed', 'get_latest_funding_rate',
    'ohlcv_data_series', 'blocking_circuit_breakers'];
  -- SECURITY DEFINER maintenance (they drop and delete as the owner): only
  -- iftb_maintenance may run them, never the bot or the analyst.
  maintenance_functions constant text[] := ARRAY['apply_retention'];
  has_analyst boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'analyst');
  has_bot boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'trading_bot');
  has_maintenance boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'iftb_maintenance');
  -- Who loses everything before the intended grants: PUBLIC and the roles that exist.
  grantees text := concat_ws(', ', 'PUBLIC', CASE WHEN has_analyst THEN 'analyst' END,
    CASE WHEN has_bot THEN 'trading_bot' END, CASE WHEN has_maintenance THEN 'iftb_maintenance' END);
  obj record;
  missing text;
BEGIN
  -- Schema: nobody but its owner creates objects in public (PostgreSQL 14
  -- still lets PUBLIC create there).
  IF pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'USAGE') THEN
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %s', grantees);
    IF has_analyst THEN GRANT USAGE ON SCHEMA public TO analyst; END IF;
    IF has_bot THEN GRANT USAGE ON SCHEMA public TO trading_bot; END IF;
    IF has_maintenance THEN GRANT USAGE ON SCHEMA public TO iftb_maintenance; END IF;
  ELSE
    RAISE NOTICE 'iftb roles: "%" does not own schema public: left its privileges unchanged', current_user;
  END IF;

  FOR obj IN
    SELECT c.oid::regclass AS name, c.relname, c.relkind, c.relispartition
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
       AND pg_has_role(c.relowner, 'USAGE')
       AND NOT EXISTS (SELECT FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname
  LOOP
    IF obj.relkind = 'S' THEN
      EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM %s', obj.name, grantees);
      IF has_bot THEN EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO trading_bot', obj.name); END IF;
      CONTINUE;
    END IF;
    EXECUTE format('REVOKE ALL ON TABLE %s FROM %s', obj.name, grantees);
    -- A partition is reached through its parent, whose privileges apply:
    -- none of its own (as ensure_partitions creates it).
    CONTINUE WHEN obj.relispartition;
    IF has_analyst THEN EXECUTE format('GRANT SELECT ON TABLE %s TO analyst', obj.name); END IF;
    IF has_bot THEN
      EXECUTE format('GRANT %s ON TABLE %s TO trading_bot', CASE
        WHEN obj.relkind IN ('v', 'm') THEN 'SELECT'              -- views are read-only
        WHEN obj.relname = ANY (read_models) THEN 'SELECT'         -- kept by triggers
        WHEN obj.relname = ANY (audit_logs) THEN 'SELECT, INSERT'   -- append-only
        ELSE 'SELECT, INSERT, UPDATE' END, obj.name);
    END IF;
  END LOOP;

  FOR obj IN
    SELECT p.oid::regprocedure AS name, p.proname AS relname
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND pg_has_role(p.proowner, 'USAGE')
       AND NOT EXISTS (SELECT FROM pg_depend d
                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
     ORDER BY p.oid::regprocedure::text
  LOOP
    EXECUTE format('REVOKE ALL ON ROUTINE %s FROM %s', obj.name, grantees);
    IF has_analyst AND obj.relname = ANY (read_only_functions) THEN
      EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO analyst', obj.name);
    END IF;
    IF obj.relname = ANY (maintenance_functions) THEN
      IF has_maintenance THEN EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO iftb_maintenance', obj.name); END IF;
    ELSIF has_bot AND obj.relname <> ALL (owner_only_functions) THEN
      EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO trading_bot', obj.name);
    END IF;
  END LOOP;

  SELECT string_agg(f, ', ') INTO missing FROM unnest(read_only_functions) f
   WHERE NOT EXISTS (SELECT FROM pg_proc WHERE proname = f AND pronamespace = 'public'::regnamespace);
  IF missing IS NOT NULL THEN
    RAISE NOTICE 'iftb roles: read-only functions not found, analyst cannot execute them: %', missing;
  END IF;

  -- Objects later migrations create (as this role) get the same grants.
  -- Views also get the table grants; re-applying this file narrows them.
  IF has_analyst THEN
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO analyst;
  END IF;
  IF has_bot THEN
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO trading_bot;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO trading_bot;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO trading_bot;
  END IF;
END $grants$;
--> statement-breakpoint
