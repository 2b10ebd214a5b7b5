COMMENT ON TABLE "ohlcv_data_hourly" IS 'ohlcv_data per series and UTC hour of open time (candle count, exact sums of range, range squared and volume, max volume, first and last candle), kept by trigger; read by v_volatility_analysis.';
--> statement-breakpoint
COMMENT ON TABLE "ohlcv_data_daily" IS 'ohlcv_data per series and UTC day of open time (the last candle: its open time and close), kept by trigger; read by v_market_correlation.';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data_daily"."last_close" IS 'price, quote currency per unit of base currency';
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
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refresh_market_summaries(from_time timestamptz DEFAULT '-infinity', to_time timestamptz DEFAULT 'infinity')
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
  -- Writers' triggers wait until this commits; each statement below then
  -- sees every row committed before the lock (a writer still running adds its
  -- own rows after us, as always).
  LOCK TABLE ohlcv_latest, ohlcv_data_latest, ohlcv_data_hourly, ohlcv_data_daily, funding_rates_latest IN EXCLUSIVE MODE;

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
  -- Series whose newest candle lies in the range but has no row (a backfill).
  INSERT INTO ohlcv_data_latest AS l (symbol, timeframe, exchange, "timestamp", open, close, volume)
  SELECT DISTINCT ON (o.symbol, o.timeframe, o.exchange) o.symbol, o.timeframe, o.exchange, o."timestamp", o.open, o.close, o.volume
    FROM ohlcv_data o
   WHERE o."timestamp" >= from_time AND o."timestamp" < to_time
   ORDER BY o.symbol, o.timeframe, o.exchange, o."timestamp" DESC
  ON CONFLICT ON CONSTRAINT ohlcv_data_latest_pkey DO UPDATE
     SET "timestamp" = excluded."timestamp", open = excluded.open, close = excluded.close, volume = excluded.volume
   WHERE excluded."timestamp" > l."timestamp";

  -- The same for ohlcv_latest.
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
  INSERT INTO ohlcv_latest AS l (symbol, exchange, timeframe, "timestamp", close)
  SELECT DISTINCT ON (o.symbol, o.exchange, o.timeframe) o.symbol, o.exchange, o.timeframe, o."timestamp", o.close
    FROM ohlcv o
   WHERE o."timestamp" >= from_time AND o."timestamp" < to_time
   ORDER BY o.symbol, o.exchange, o.timeframe, o."timestamp" DESC
  ON CONFLICT ON CONSTRAINT ohlcv_latest_pkey DO UPDATE
     SET "timestamp" = excluded."timestamp", close = excluded.close
   WHERE excluded."timestamp" > l."timestamp";

  -- And for funding_rates_latest.
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
  INSERT INTO funding_rates_latest AS l (symbol, exchange, "timestamp", rate, rate_bps, annualized_rate)
  SELECT DISTINCT ON (f.symbol, f.exchange) f.symbol, f.exchange, f."timestamp", f.rate, f.rate_bps, f.annualized_rate
    FROM funding_rates f
   WHERE f."timestamp" >= from_time AND f."timestamp" < to_time
   ORDER BY f.symbol, f.exchange, f."timestamp" DESC
  ON CONFLICT ON CONSTRAINT funding_rates_latest_pkey DO UPDATE
     SET "timestamp" = excluded."timestamp", rate = excluded.rate, rate_bps = excluded.rate_bps,
         annualized_rate = excluded.annualized_rate
   WHERE excluded."timestamp" > l."timestamp";
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION refresh_market_summaries(timestamptz, timestamptz) IS 'Rebuilds the market read models (ohlcv_latest, ohlcv_data_latest, ohlcv_data_hourly, ohlcv_data_daily, funding_rates_latest) from the raw rows whose time lies in [from_time, to_time) (default: all): the hours of ohlcv_data in the range are summed again, the days holding them take their last candle from their last hour, and every newest-row entry in the range is looked up again or removed. Call it after rows changed without firing the triggers: after dropping or detaching partitions (with to_time = the dropped bound), after writing into a partition directly, or to backfill. Locks the read models against writers while it runs. SECURITY DEFINER.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_market_correlation AS
-- Each series' last candle of each of the 30 reported UTC days ending today,
-- plus the day before them (for the first day's price_change): one range of
-- ohlcv_data_daily's day index, never a read of ohlcv_data or of its hours.
-- '1M' is a calendar month, which PostgreSQL's interval input would read as
-- one minute. Timeframes longer than a day ('3d', '1w', '1M') do not close
-- within a day.
WITH last_candles AS (
  SELECT d.symbol::varchar AS symbol, d.exchange::varchar AS exchange, d.day,
         d.day::timestamp AT TIME ZONE 'UTC' AS day_start,
         (d.day + 1)::timestamp AT TIME ZONE 'UTC' AS day_end,
         d.last_candle_time + s.length AS closes_at, s.length, d.last_close AS close
    FROM ohlcv_data_daily d
   CROSS JOIN LATERAL (
     SELECT CASE d.timeframe WHEN '1M' THEN interval '1 month' ELSE d.timeframe::interval END AS length
   ) s
   WHERE d.day >= (now() AT TIME ZONE 'UTC')::date - 30 AND d.day <= (now() AT TIME ZONE 'UTC')::date
     AND s.length <= interval '1 day'
),
-- The day's close: the candle that closes last that day; on a tie the longer
-- timeframe wins, so the '1d' candle is preferred when there is one.
-- (Grouped bytewise: the same groups, and the default collation's sort costs
-- more than the rest.)
daily_close AS (
  SELECT DISTINCT ON (l.symbol COLLATE "C", l.exchange COLLATE "C", l.day)
         l.symbol, l.exchange, l.day, l.day_start, l.day_end, l.close
    FROM last_candles l
   ORDER BY l.symbol COLLATE "C", l.exchange COLLATE "C", l.day, l.closes_at DESC, l.length DESC
),
-- Each pair's mean funding rate per reported day: one pass over the window's
-- readings instead of a probe of every month per pair and day.
funding AS (
  SELECT f.symbol, f.exchange, (f.timestamp AT TIME ZONE 'UTC')::date AS day, avg(f.rate) AS avg_funding_rate
    FROM funding_rates f
   WHERE f.timestamp >= ((now() AT TIME ZONE 'UTC')::date - 29)::timestamp AT TIME ZONE 'UTC'
     AND f.timestamp < ((now() AT TIME ZONE 'UTC')::date + 1)::timestamp AT TIME ZONE 'UTC'
   GROUP BY 1, 2, 3
)
SELECT dc.symbol,
       dc.exchange,
       dc.day AS date,
       funding.avg_funding_rate,
       fg.value AS fear_greed_value,
       dc.close - prev.close AS price_change
  FROM daily_close dc
  LEFT JOIN daily_close prev
    ON prev.symbol = dc.symbol AND prev.exchange = dc.exchange AND prev.day = dc.day - 1
  LEFT JOIN funding
    ON funding.symbol = dc.symbol AND funding.exchange = dc.exchange AND funding.day = dc.day
  LEFT JOIN LATERAL (
    SELECT g.value
      FROM fear_greed_index g
     WHERE g.timestamp >= dc.day_start AND g.timestamp < dc.day_end
     ORDER BY g.timestamp
     LIMIT 1
  ) fg ON true
 WHERE dc.day > (now() AT TIME ZONE 'UTC')::date - 30;
--> statement-breakpoint
COMMENT ON VIEW v_market_correlation IS 'Daily market context per (symbol, exchange) and UTC day, for the 30 UTC days ending today (days on which the pair has a candle in ohlcv_data). avg_funding_rate = mean funding rate of the pair that day (fraction per funding period; null without readings); fear_greed_value = the day''s first fear & greed reading (index points 0..100; null without one); price_change = the day''s close minus the previous UTC day''s close (quote currency per base unit; null when the previous day has no close). A day''s close is the close of the pair''s candle that closes last that day, across its timeframes up to ''1d'' (open time + timeframe length; on a tie the longer timeframe, so a ''1d'' candle is preferred); for today it is the latest close so far. Unordered.';
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
  owner_only_functions constant text[] := ARRAY['refresh_market_summaries'];
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
-- Fill the new read model from the hours kept so far (the triggers keep it from now on).
INSERT INTO ohlcv_data_daily (symbol, timeframe, exchange, day, last_candle_time, last_close)
SELECT DISTINCT ON (h.symbol, h.timeframe, h.exchange, (h.bucket_start AT TIME ZONE 'UTC')::date)
       h.symbol, h.timeframe, h.exchange, (h.bucket_start AT TIME ZONE 'UTC')::date, h.last_candle_time, h.last_close
  FROM ohlcv_data_hourly h
 ORDER BY h.symbol, h.timeframe, h.exchange, (h.bucket_start AT TIME ZONE 'UTC')::date, h.bucket_start DESC;
