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
  -- Lock order everywhere: ohlcv_data_latest, then ohlcv_data_hourly, then
  -- ohlcv_data_daily, each in key order (bytewise: COLLATE "C"), so concurrent
  -- writers wait for each other instead of deadlocking.
  IF TG_OP = 'TRUNCATE' THEN
    -- A TRUNCATE that also names the read model (a script emptying every
    -- table) holds it open, so TRUNCATE refuses: empty it row by row then.
    BEGIN
      TRUNCATE ohlcv_data_latest, ohlcv_data_hourly, ohlcv_data_daily;
    EXCEPTION WHEN object_in_use THEN
      DELETE FROM ohlcv_data_latest;
      DELETE FROM ohlcv_data_hourly;
      DELETE FROM ohlcv_data_daily;
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
    -- and the first and last candle compare. The touched hours' new last
    -- candles then compare with their days' (hours first: the lock order).
    WITH hours AS (
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
           last_close = CASE WHEN h.last_candle_time >= excluded.last_candle_time THEN h.last_close ELSE excluded.last_close END
    RETURNING h.symbol, h.timeframe, h.exchange, h.bucket_start, h.last_candle_time, h.last_close
    )
    INSERT INTO ohlcv_data_daily AS d (symbol, timeframe, exchange, day, last_candle_time, last_close)
    SELECT DISTINCT ON (t.symbol COLLATE "C", t.timeframe COLLATE "C", t.exchange COLLATE "C", t.day)
           t.symbol, t.timeframe, t.exchange, t.day, t.last_candle_time, t.last_close
      FROM (SELECT hours.*, (hours.bucket_start AT TIME ZONE 'UTC')::date AS day FROM hours) t
     ORDER BY t.symbol COLLATE "C", t.timeframe COLLATE "C", t.exchange COLLATE "C", t.day, t.last_candle_time DESC
    ON CONFLICT ON CONSTRAINT ohlcv_data_daily_pkey DO UPDATE
       SET last_candle_time = excluded.last_candle_time, last_close = excluded.last_close
     WHERE excluded.last_candle_time > d.last_candle_time;
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

  -- Lock the touched days likewise, then take each one's last candle from its
  -- last hour (summed above); a day with no hour left goes.
  INSERT INTO ohlcv_data_daily AS d (symbol, timeframe, exchange, day)
  SELECT DISTINCT b.symbol COLLATE "C", b.timeframe COLLATE "C", b.exchange COLLATE "C", (b.bucket_start AT TIME ZONE 'UTC')::date
    FROM unnest(hour_symbols, hour_timeframes, hour_exchanges, hour_starts) AS b(symbol, timeframe, exchange, bucket_start)
   ORDER BY 1, 2, 3, 4
  ON CONFLICT ON CONSTRAINT ohlcv_data_daily_pkey DO UPDATE SET last_close = d.last_close;

  UPDATE ohlcv_data_daily d
     SET last_candle_time = l.last_candle_time, last_close = l.last_close
    FROM (SELECT DISTINCT b.symbol, b.timeframe, b.exchange, (b.bucket_start AT TIME ZONE 'UTC')::date AS day
            FROM unnest(hour_symbols, hour_timeframes, hour_exchanges, hour_starts) AS b(symbol, timeframe, exchange, bucket_start)) k
    LEFT JOIN LATERAL (
      SELECT h.last_candle_time, h.last_close
        FROM ohlcv_data_hourly h
       WHERE h.symbol = k.symbol AND h.timeframe = k.timeframe AND h.exchange = k.exchange
         AND h.bucket_start >= k.day::timestamp AT TIME ZONE 'UTC'
         AND h.bucket_start < (k.day + 1)::timestamp AT TIME ZONE 'UTC'
       ORDER BY h.bucket_start DESC
       LIMIT 1
    ) l ON true
   WHERE d.symbol = k.symbol AND d.timeframe = k.timeframe AND d.exchange = k.exchange AND d.day = k.day;

  DELETE FROM ohlcv_data_daily d
   USING unnest(hour_symbols, hour_timeframes, hour_exchanges, hour_starts)
           AS b(symbol, timeframe, exchange, bucket_start)
   WHERE d.symbol = b.symbol AND d.timeframe = b.timeframe AND d.exchange = b.exchange
     AND d.day = (b.bucket_start AT TIME ZONE 'UTC')::date AND d.last_candle_time IS NULL;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION maintain_ohlcv_data_summaries() IS 'Trigger function (AFTER INSERT, UPDATE, DELETE, TRUNCATE on ohlcv_data, per statement, with transition tables): keeps ohlcv_data_latest (newest candle per series), ohlcv_data_hourly (per series and UTC hour) and ohlcv_data_daily (per series and UTC day) equal to what the candles give. Inserts add to their hours and days; updates and deletes sum the touched hours again, take the touched days'' last candles from their last hours, and look up a series'' newest candle when it was removed. SECURITY DEFINER: writers need no privilege on the read models.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_data_summaries_insert AFTER INSERT ON ohlcv_data REFERENCING NEW TABLE AS new_candles FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_data_summaries();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_data_summaries_update AFTER UPDATE ON ohlcv_data REFERENCING OLD TABLE AS old_candles NEW TABLE AS new_candles FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_data_summaries();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_data_summaries_delete AFTER DELETE ON ohlcv_data REFERENCING OLD TABLE AS old_candles FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_data_summaries();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_data_summaries_truncate AFTER TRUNCATE ON ohlcv_data FOR EACH STATEMENT EXECUTE FUNCTION maintain_ohlcv_data_summaries();
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_data_summaries_insert ON ohlcv_data IS 'Keeps ohlcv_data_latest, ohlcv_data_hourly and ohlcv_data_daily current.';
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_data_summaries_update ON ohlcv_data IS 'Keeps ohlcv_data_latest, ohlcv_data_hourly and ohlcv_data_daily current.';
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_data_summaries_delete ON ohlcv_data IS 'Keeps ohlcv_data_latest, ohlcv_data_hourly and ohlcv_data_daily current.';
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_data_summaries_truncate ON ohlcv_data IS 'Empties ohlcv_data_latest, ohlcv_data_hourly and ohlcv_data_daily.';
