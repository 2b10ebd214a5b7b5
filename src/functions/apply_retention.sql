-- depends: premake_partitions, refresh_read_models
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
