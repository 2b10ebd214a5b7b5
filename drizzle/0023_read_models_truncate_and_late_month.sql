CREATE OR REPLACE FUNCTION maintain_ohlcv_latest() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  series record;
  newest record;
  removed_symbols varchar[]; removed_exchanges varchar[]; removed_timeframes varchar[]; removed_times timestamptz[];
BEGIN
  -- Same scheme as maintain_ohlcv_data_summaries, for the newest candle only.
  IF TG_OP = 'TRUNCATE' THEN
    -- A TRUNCATE that also names the read model (a script emptying every
    -- table) holds it open, so TRUNCATE refuses: empty it row by row then.
    BEGIN
      TRUNCATE ohlcv_latest;
    EXCEPTION WHEN object_in_use THEN
      DELETE FROM ohlcv_latest;
    END;
    RETURN NULL;
  END IF;

  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    -- Newer newest candles win; on UPDATE also the same candle's new close (>=).
    -- (Sorted bytewise: a sort by the default collation costs more than the rest.)
    INSERT INTO ohlcv_latest AS l (symbol, exchange, timeframe, "timestamp", close)
    SELECT DISTINCT ON (n.symbol COLLATE "C", n.exchange COLLATE "C", n.timeframe COLLATE "C")
           n.symbol, n.exchange, n.timeframe, n."timestamp", n.close
      FROM new_candles n
     ORDER BY n.symbol COLLATE "C", n.exchange COLLATE "C", n.timeframe COLLATE "C", n."timestamp" DESC
    ON CONFLICT ON CONSTRAINT ohlcv_latest_pkey DO UPDATE
       SET "timestamp" = excluded."timestamp", close = excluded.close
     WHERE excluded."timestamp" > l."timestamp" OR (TG_OP = 'UPDATE' AND excluded."timestamp" = l."timestamp");
    IF TG_OP = 'INSERT' THEN
      RETURN NULL;
    END IF;
    SELECT array_agg(o.symbol), array_agg(o.exchange), array_agg(o.timeframe), array_agg(o."timestamp")
      INTO removed_symbols, removed_exchanges, removed_timeframes, removed_times
      FROM old_candles o
     WHERE NOT EXISTS (SELECT FROM new_candles n WHERE n.symbol = o.symbol AND n.exchange = o.exchange
                          AND n.timeframe = o.timeframe AND n."timestamp" = o."timestamp");
  ELSE
    SELECT array_agg(o.symbol), array_agg(o.exchange), array_agg(o.timeframe), array_agg(o."timestamp")
      INTO removed_symbols, removed_exchanges, removed_timeframes, removed_times
      FROM old_candles o;
  END IF;

  -- A series whose newest candle was removed: lock, then look up (fresh snapshot).
  FOR series IN
    SELECT l.symbol, l.exchange, l.timeframe
      FROM ohlcv_latest l
     WHERE (l.symbol, l.exchange, l.timeframe, l."timestamp") IN (
             SELECT * FROM unnest(removed_symbols, removed_exchanges, removed_timeframes, removed_times))
     ORDER BY l.symbol COLLATE "C", l.exchange COLLATE "C", l.timeframe COLLATE "C"
       FOR UPDATE OF l
  LOOP
    SELECT o."timestamp", o.close INTO newest
      FROM ohlcv o
     WHERE o.symbol = series.symbol AND o.exchange = series.exchange AND o.timeframe = series.timeframe
     ORDER BY o."timestamp" DESC
     LIMIT 1;
    IF FOUND THEN
      UPDATE ohlcv_latest l SET "timestamp" = newest."timestamp", close = newest.close
       WHERE l.symbol = series.symbol AND l.exchange = series.exchange AND l.timeframe = series.timeframe;
    ELSE
      DELETE FROM ohlcv_latest l
       WHERE l.symbol = series.symbol AND l.exchange = series.exchange AND l.timeframe = series.timeframe;
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION maintain_ohlcv_latest() IS 'Trigger function (AFTER INSERT, UPDATE, DELETE, TRUNCATE on ohlcv, per statement, with transition tables): keeps ohlcv_latest equal to each series'' newest candle. SECURITY DEFINER: writers need no privilege on ohlcv_latest.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_latest_insert AFTER INSERT ON ohlcv REFERENCING NEW TABLE AS new_candles FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_latest();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_latest_update AFTER UPDATE ON ohlcv REFERENCING OLD TABLE AS old_candles NEW TABLE AS new_candles FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_latest();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_latest_delete AFTER DELETE ON ohlcv REFERENCING OLD TABLE AS old_candles FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_latest();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_latest_truncate AFTER TRUNCATE ON ohlcv FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_latest();
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_latest_insert ON ohlcv IS 'Keeps ohlcv_latest current.';
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_latest_update ON ohlcv IS 'Keeps ohlcv_latest current.';
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_latest_delete ON ohlcv IS 'Keeps ohlcv_latest current.';
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_latest_truncate ON ohlcv IS 'Empties ohlcv_latest.';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION maintain_ohlcv_data_summaries() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  series record;
  newest record;
  -- Keys of removed candles, and the touched hours (one array per column).
  removed_symbols varchar[]; removed_timeframes varchar[]; removed_exchanges varchar[]; removed_times timestamptz[];
  hour_symbols varchar[]; hour_timeframes varchar[]; hour_exchanges varchar[]; hour_starts timestamptz[];
BEGIN
  -- SECURITY DEFINER: the writers (the bot) may only read the read models.
  -- Statement-level, with transition tables: one pass per statement, however
  -- many rows (an upsert fires both the INSERT and the UPDATE trigger).
  -- Lock order everywhere: ohlcv_data_latest, then ohlcv_data_hourly, each in
  -- key order (bytewise: COLLATE "C"), so concurrent writers wait for each other instead of deadlocking.
  IF TG_OP = 'TRUNCATE' THEN
    -- A TRUNCATE that also names the read model (a script emptying every
    -- table) holds it open, so TRUNCATE refuses: empty it row by row then.
    BEGIN
      TRUNCATE ohlcv_data_latest, ohlcv_data_hourly;
    EXCEPTION WHEN object_in_use THEN
      DELETE FROM ohlcv_data_latest;
      DELETE FROM ohlcv_data_hourly;
    END;
    RETURN NULL;
  END IF;

  IF TG_OP = 'INSERT' THEN
    -- Each series' newest new candle replaces an older newest one. ON CONFLICT
    -- re-reads the committed row, so of two concurrent writers the newer wins.
    -- (Sorted bytewise: a sort by the default collation costs more than the rest.)
    INSERT INTO ohlcv_data_latest AS l (symbol, timeframe, exchange, "timestamp", open, close, volume)
    SELECT DISTINCT ON (n.symbol COLLATE "C", n.timeframe COLLATE "C", n.exchange COLLATE "C")
           n.symbol, n.timeframe, n.exchange, n."timestamp", n.open, n.close, n.volume
      FROM new_candles n
     ORDER BY n.symbol COLLATE "C", n.timeframe COLLATE "C", n.exchange COLLATE "C", n."timestamp" DESC
    ON CONFLICT ON CONSTRAINT ohlcv_data_latest_pkey DO UPDATE
       SET "timestamp" = excluded."timestamp", open = excluded.open, close = excluded.close, volume = excluded.volume
     WHERE excluded."timestamp" > l."timestamp";

    -- New candles only add to their hours: counts and exact sums add, the max
    -- and the first and last candle compare.
    INSERT INTO ohlcv_data_hourly AS h (symbol, timeframe, exchange, bucket_start, candle_count, range_pct_sum,
                                        range_pct_square_sum, volume_sum, volume_max, first_candle_time, first_open,
                                        last_candle_time, last_close)
    SELECT n.symbol COLLATE "C", n.timeframe COLLATE "C", n.exchange COLLATE "C", date_trunc('hour', n."timestamp", 'UTC'),
           count(*), sum(r.range_pct), sum(r.range_pct * r.range_pct), sum(n.volume), max(n.volume),
           min(n."timestamp"), (array_agg(n.open ORDER BY n."timestamp"))[1],
           max(n."timestamp"), (array_agg(n.close ORDER BY n."timestamp" DESC))[1]
      FROM new_candles n
     CROSS JOIN LATERAL (SELECT (n.high - n.low) / n.open * 100 AS range_pct) r
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT ohlcv_data_hourly_pkey DO UPDATE
       SET candle_count = h.candle_count + excluded.candle_count,
           range_pct_sum = h.range_pct_sum + excluded.range_pct_sum,
           range_pct_square_sum = h.range_pct_square_sum + excluded.range_pct_square_sum,
           volume_sum = h.volume_sum + excluded.volume_sum,
           volume_max = greatest(h.volume_max, excluded.volume_max),
           first_candle_time = least(h.first_candle_time, excluded.first_candle_time),
           first_open = CASE WHEN h.first_candle_time <= excluded.first_candle_time THEN h.first_open ELSE excluded.first_open END,
           last_candle_time = greatest(h.last_candle_time, excluded.last_candle_time),
           last_close = CASE WHEN h.last_candle_time >= excluded.last_candle_time THEN h.last_close ELSE excluded.last_close END;
    RETURN NULL;
  END IF;

  -- UPDATE or DELETE: a max cannot be un-added, nor a sum's display scale, so
  -- the touched hours are summed again from the candles (an hour holds at most
  -- 60 one-minute candles).
  IF TG_OP = 'UPDATE' THEN
    -- Newer or rewritten newest candles, as for an insert (>=: same candle, new values).
    INSERT INTO ohlcv_data_latest AS l (symbol, timeframe, exchange, "timestamp", open, close, volume)
    SELECT DISTINCT ON (n.symbol COLLATE "C", n.timeframe COLLATE "C", n.exchange COLLATE "C")
           n.symbol, n.timeframe, n.exchange, n."timestamp", n.open, n.close, n.volume
      FROM new_candles n
     ORDER BY n.symbol COLLATE "C", n.timeframe COLLATE "C", n.exchange COLLATE "C", n."timestamp" DESC
    ON CONFLICT ON CONSTRAINT ohlcv_data_latest_pkey DO UPDATE
       SET "timestamp" = excluded."timestamp", open = excluded.open, close = excluded.close, volume = excluded.volume
     WHERE excluded."timestamp" >= l."timestamp";
    -- Removed = an old key no new row has (a key update moved the candle).
    SELECT array_agg(o.symbol), array_agg(o.timeframe), array_agg(o.exchange), array_agg(o."timestamp")
      INTO removed_symbols, removed_timeframes, removed_exchanges, removed_times
      FROM old_candles o
     WHERE NOT EXISTS (SELECT FROM new_candles n WHERE n.symbol = o.symbol AND n.timeframe = o.timeframe
                          AND n.exchange = o.exchange AND n."timestamp" = o."timestamp");
    SELECT array_agg(c.symbol), array_agg(c.timeframe), array_agg(c.exchange), array_agg(c.bucket_start)
      INTO hour_symbols, hour_timeframes, hour_exchanges, hour_starts
      FROM (SELECT DISTINCT t.symbol, t.timeframe, t.exchange, date_trunc('hour', t."timestamp", 'UTC') AS bucket_start
              FROM (SELECT o.symbol, o.timeframe, o.exchange, o."timestamp" FROM old_candles o
                    UNION ALL
                    SELECT n.symbol, n.timeframe, n.exchange, n."timestamp" FROM new_candles n) t
             ORDER BY 1, 2, 3, 4) c;
  ELSE
    SELECT array_agg(o.symbol), array_agg(o.timeframe), array_agg(o.exchange), array_agg(o."timestamp")
      INTO removed_symbols, removed_timeframes, removed_exchanges, removed_times
      FROM old_candles o;
    SELECT array_agg(c.symbol), array_agg(c.timeframe), array_agg(c.exchange), array_agg(c.bucket_start)
      INTO hour_symbols, hour_timeframes, hour_exchanges, hour_starts
      FROM (SELECT DISTINCT o.symbol, o.timeframe, o.exchange, date_trunc('hour', o."timestamp", 'UTC') AS bucket_start
              FROM old_candles o
             ORDER BY 1, 2, 3, 4) c;
  END IF;

  -- A series whose newest candle was removed (deleted, or its key updated):
  -- lock its row, then look up its newest candle (a fresh snapshot, after any
  -- concurrent writer of the series committed); none left: the series is gone.
  FOR series IN
    SELECT l.symbol, l.timeframe, l.exchange
      FROM ohlcv_data_latest l
     WHERE (l.symbol, l.timeframe, l.exchange, l."timestamp") IN (
             SELECT * FROM unnest(removed_symbols, removed_timeframes, removed_exchanges, removed_times))
     ORDER BY l.symbol COLLATE "C", l.timeframe COLLATE "C", l.exchange COLLATE "C"
       FOR UPDATE OF l
  LOOP
    SELECT o."timestamp", o.open, o.close, o.volume INTO newest
      FROM ohlcv_data o
     WHERE o.symbol = series.symbol AND o.timeframe = series.timeframe AND o.exchange = series.exchange
     ORDER BY o."timestamp" DESC
     LIMIT 1;
    IF FOUND THEN
      UPDATE ohlcv_data_latest l
         SET "timestamp" = newest."timestamp", open = newest.open, close = newest.close, volume = newest.volume
       WHERE l.symbol = series.symbol AND l.timeframe = series.timeframe AND l.exchange = series.exchange;
    ELSE
      DELETE FROM ohlcv_data_latest l
       WHERE l.symbol = series.symbol AND l.timeframe = series.timeframe AND l.exchange = series.exchange;
    END IF;
  END LOOP;

  -- Lock every touched hour (a placeholder row where there is none, so a
  -- concurrent first insert into that hour waits too), then sum it again.
  INSERT INTO ohlcv_data_hourly AS h (symbol, timeframe, exchange, bucket_start, candle_count, range_pct_sum,
                                      range_pct_square_sum, volume_sum)
  SELECT b.symbol, b.timeframe, b.exchange, b.bucket_start, 0, 0, 0, 0
    FROM unnest(hour_symbols, hour_timeframes, hour_exchanges, hour_starts) AS b(symbol, timeframe, exchange, bucket_start)
   ORDER BY b.symbol COLLATE "C", b.timeframe COLLATE "C", b.exchange COLLATE "C", b.bucket_start
  ON CONFLICT ON CONSTRAINT ohlcv_data_hourly_pkey DO UPDATE SET candle_count = h.candle_count;

  UPDATE ohlcv_data_hourly h
     SET candle_count = s.candle_count, range_pct_sum = s.range_pct_sum, range_pct_square_sum = s.range_pct_square_sum,
         volume_sum = s.volume_sum, volume_max = s.volume_max, first_candle_time = s.first_candle_time,
         first_open = s.first_open, last_candle_time = s.last_candle_time, last_close = s.last_close
    FROM unnest(hour_symbols, hour_timeframes, hour_exchanges, hour_starts)
           AS b(symbol, timeframe, exchange, bucket_start)
   CROSS JOIN LATERAL (
     SELECT count(*)::integer AS candle_count, coalesce(sum(r.range_pct), 0) AS range_pct_sum,
            coalesce(sum(r.range_pct * r.range_pct), 0) AS range_pct_square_sum,
            coalesce(sum(o.volume), 0) AS volume_sum, max(o.volume) AS volume_max,
            min(o."timestamp") AS first_candle_time, (array_agg(o.open ORDER BY o."timestamp"))[1] AS first_open,
            max(o."timestamp") AS last_candle_time, (array_agg(o.close ORDER BY o."timestamp" DESC))[1] AS last_close
       FROM ohlcv_data o
      CROSS JOIN LATERAL (SELECT (o.high - o.low) / o.open * 100 AS range_pct) r
      WHERE o.symbol = b.symbol AND o.timeframe = b.timeframe AND o.exchange = b.exchange
        AND o."timestamp" >= b.bucket_start AND o."timestamp" < b.bucket_start + interval '1 hour'
   ) s
   WHERE h.symbol = b.symbol AND h.timeframe = b.timeframe AND h.exchange = b.exchange AND h.bucket_start = b.bucket_start;

  DELETE FROM ohlcv_data_hourly h
   USING unnest(hour_symbols, hour_timeframes, hour_exchanges, hour_starts)
           AS b(symbol, timeframe, exchange, bucket_start)
   WHERE h.symbol = b.symbol AND h.timeframe = b.timeframe AND h.exchange = b.exchange AND h.bucket_start = b.bucket_start
     AND h.candle_count = 0;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION maintain_ohlcv_data_summaries() IS 'Trigger function (AFTER INSERT, UPDATE, DELETE, TRUNCATE on ohlcv_data, per statement, with transition tables): keeps ohlcv_data_latest (newest candle per series) and ohlcv_data_hourly (per series and UTC hour) equal to what the candles give. Inserts add to their hours; updates and deletes sum the touched hours again and look up a series'' newest candle when it was removed. SECURITY DEFINER: writers need no privilege on the read models.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_data_summaries_insert AFTER INSERT ON ohlcv_data REFERENCING NEW TABLE AS new_candles FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_data_summaries();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_data_summaries_update AFTER UPDATE ON ohlcv_data REFERENCING OLD TABLE AS old_candles NEW TABLE AS new_candles FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_data_summaries();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_data_summaries_delete AFTER DELETE ON ohlcv_data REFERENCING OLD TABLE AS old_candles FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_data_summaries();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_data_summaries_truncate AFTER TRUNCATE ON ohlcv_data FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_data_summaries();
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_data_summaries_insert ON ohlcv_data IS 'Keeps ohlcv_data_latest and ohlcv_data_hourly current.';
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_data_summaries_update ON ohlcv_data IS 'Keeps ohlcv_data_latest and ohlcv_data_hourly current.';
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_data_summaries_delete ON ohlcv_data IS 'Keeps ohlcv_data_latest and ohlcv_data_hourly current.';
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_data_summaries_truncate ON ohlcv_data IS 'Empties ohlcv_data_latest and ohlcv_data_hourly.';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION maintain_funding_rates_latest() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  pair record;
  newest record;
  removed_symbols varchar[]; removed_exchanges varchar[]; removed_times timestamptz[];
BEGIN
  -- Same scheme as maintain_ohlcv_data_summaries, for the newest reading only.
  IF TG_OP = 'TRUNCATE' THEN
    -- A TRUNCATE that also names the read model (a script emptying every
    -- table) holds it open, so TRUNCATE refuses: empty it row by row then.
    BEGIN
      TRUNCATE funding_rates_latest;
    EXCEPTION WHEN object_in_use THEN
      DELETE FROM funding_rates_latest;
    END;
    RETURN NULL;
  END IF;

  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    -- Newer newest readings win; on UPDATE also the same reading's new values (>=).
    INSERT INTO funding_rates_latest AS l (symbol, exchange, "timestamp", rate, rate_bps, annualized_rate)
    SELECT DISTINCT ON (n.symbol COLLATE "C", n.exchange COLLATE "C") n.symbol, n.exchange, n."timestamp", n.rate, n.rate_bps, n.annualized_rate
      FROM new_rates n
     ORDER BY n.symbol COLLATE "C", n.exchange COLLATE "C", n."timestamp" DESC
    ON CONFLICT ON CONSTRAINT funding_rates_latest_pkey DO UPDATE
       SET "timestamp" = excluded."timestamp", rate = excluded.rate, rate_bps = excluded.rate_bps,
           annualized_rate = excluded.annualized_rate
     WHERE excluded."timestamp" > l."timestamp" OR (TG_OP = 'UPDATE' AND excluded."timestamp" = l."timestamp");
    IF TG_OP = 'INSERT' THEN
      RETURN NULL;
    END IF;
    SELECT array_agg(o.symbol), array_agg(o.exchange), array_agg(o."timestamp")
      INTO removed_symbols, removed_exchanges, removed_times
      FROM old_rates o
     WHERE NOT EXISTS (SELECT FROM new_rates n WHERE n.symbol = o.symbol AND n.exchange = o.exchange
                          AND n."timestamp" = o."timestamp");
  ELSE
    SELECT array_agg(o.symbol), array_agg(o.exchange), array_agg(o."timestamp")
      INTO removed_symbols, removed_exchanges, removed_times
      FROM old_rates o;
  END IF;

  -- A pair whose newest reading was removed: lock, then look up (fresh snapshot).
  FOR pair IN
    SELECT l.symbol, l.exchange
      FROM funding_rates_latest l
     WHERE (l.symbol, l.exchange, l."timestamp") IN (
             SELECT * FROM unnest(removed_symbols, removed_exchanges, removed_times))
     ORDER BY l.symbol COLLATE "C", l.exchange COLLATE "C"
       FOR UPDATE OF l
  LOOP
    SELECT f."timestamp", f.rate, f.rate_bps, f.annualized_rate INTO newest
      FROM funding_rates f
     WHERE f.symbol = pair.symbol AND f.exchange = pair.exchange
     ORDER BY f."timestamp" DESC
     LIMIT 1;
    IF FOUND THEN
      UPDATE funding_rates_latest l
         SET "timestamp" = newest."timestamp", rate = newest.rate, rate_bps = newest.rate_bps,
             annualized_rate = newest.annualized_rate
       WHERE l.symbol = pair.symbol AND l.exchange = pair.exchange;
    ELSE
      DELETE FROM funding_rates_latest l WHERE l.symbol = pair.symbol AND l.exchange = pair.exchange;
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION maintain_funding_rates_latest() IS 'Trigger function (AFTER INSERT, UPDATE, DELETE, TRUNCATE on funding_rates, per statement, with transition tables): keeps funding_rates_latest equal to each (symbol, exchange) pair''s newest reading. SECURITY DEFINER: writers need no privilege on funding_rates_latest.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER funding_rates_latest_insert AFTER INSERT ON funding_rates REFERENCING NEW TABLE AS new_rates FOR EACH STATEMENT EXECUTE FUNCTION maintain_funding_rates_latest();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER funding_rates_latest_update AFTER UPDATE ON funding_rates REFERENCING OLD TABLE AS old_rates NEW TABLE AS new_rates FOR EACH STATEMENT EXECUTE FUNCTION maintain_funding_rates_latest();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER funding_rates_latest_delete AFTER DELETE ON funding_rates REFERENCING OLD TABLE AS old_rates FOR EACH STATEMENT EXECUTE FUNCTION maintain_funding_rates_latest();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER funding_rates_latest_truncate AFTER TRUNCATE ON funding_rates FOR EACH STATEMENT EXECUTE FUNCTION maintain_funding_rates_latest();
--> statement-breakpoint
COMMENT ON TRIGGER funding_rates_latest_insert ON funding_rates IS 'Keeps funding_rates_latest current.';
--> statement-breakpoint
COMMENT ON TRIGGER funding_rates_latest_update ON funding_rates IS 'Keeps funding_rates_latest current.';
--> statement-breakpoint
COMMENT ON TRIGGER funding_rates_latest_delete ON funding_rates IS 'Keeps funding_rates_latest current.';
--> statement-breakpoint
COMMENT ON TRIGGER funding_rates_latest_truncate ON funding_rates IS 'Empties funding_rates_latest.';
--> statement-breakpoint
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
--> statement-breakpoint
