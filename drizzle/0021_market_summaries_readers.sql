COMMENT ON TABLE "ohlcv_latest" IS 'Newest ohlcv candle per (symbol, exchange, timeframe), kept by trigger from ohlcv; read by get_latest_price.';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_latest"."close" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON TABLE "ohlcv_data_latest" IS 'Newest ohlcv_data candle per (symbol, timeframe, exchange), kept by trigger from ohlcv_data; the series list of the market views.';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data_latest"."open" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data_latest"."close" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data_latest"."volume" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON TABLE "ohlcv_data_hourly" IS 'ohlcv_data per series and UTC hour of open time (candle count, exact sums of range, range squared and volume, max volume, first and last candle), kept by trigger; read by v_volatility_analysis and v_market_correlation.';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data_hourly"."range_pct_sum" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data_hourly"."range_pct_square_sum" IS 'squared percentage points';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data_hourly"."volume_sum" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data_hourly"."volume_max" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data_hourly"."first_open" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data_hourly"."last_close" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON TABLE "funding_rates_latest" IS 'Newest funding rate per (symbol, exchange), kept by trigger from funding_rates; read by get_latest_funding_rate and the funding views.';
--> statement-breakpoint
COMMENT ON COLUMN "funding_rates_latest"."rate" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON COLUMN "funding_rates_latest"."rate_bps" IS 'basis points per funding period';
--> statement-breakpoint
COMMENT ON COLUMN "funding_rates_latest"."annualized_rate" IS 'fraction per year';
--> statement-breakpoint
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
    TRUNCATE ohlcv_latest;
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
    TRUNCATE ohlcv_data_latest, ohlcv_data_hourly;
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
    TRUNCATE funding_rates_latest;
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
CREATE OR REPLACE FUNCTION get_latest_price(symbol text, exchange text, timeframe text DEFAULT '1m')
RETURNS numeric
LANGUAGE plpgsql
STABLE PARALLEL SAFE
AS $$
BEGIN
  -- PL/pgSQL, not SQL: it keeps the plan for the session.
  --
  -- One probe of ohlcv_latest's key, which the writers keep current
  -- (maintain_ohlcv_latest): never a probe of every partition of ohlcv.
  RETURN (
    SELECT l.close
      FROM ohlcv_latest l
     WHERE l.symbol = get_latest_price.symbol
       AND l.exchange = get_latest_price.exchange
       AND l.timeframe = get_latest_price.timeframe);
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION get_latest_price(text, text, text) IS 'Close of the newest ohlcv candle of (symbol, exchange, timeframe; default 1m), in quote currency; null when there is none.';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION get_latest_ohlcv_price(symbol text, timeframe text DEFAULT '1m')
RETURNS numeric
LANGUAGE plpgsql
STABLE PARALLEL SAFE
AS $$
BEGIN
  -- PL/pgSQL keeps the plan for the session (see get_latest_price).
  --
  -- The series' newest candles, one per exchange, are rows of
  -- ohlcv_data_latest (kept by maintain_ohlcv_data_summaries): one range probe
  -- of its key (symbol, timeframe, exchange), never a read of ohlcv_data.
  RETURN (
    SELECT l.close
      FROM ohlcv_data_latest l
     WHERE l.symbol = get_latest_ohlcv_price.symbol
       AND l.timeframe = get_latest_ohlcv_price.timeframe
     ORDER BY l."timestamp" DESC, l.exchange::text
     LIMIT 1);
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION get_latest_ohlcv_price(text, text) IS 'Close of the newest ohlcv_data candle of (symbol, timeframe; default 1m) on any exchange, in quote currency; when exchanges share the newest timestamp, the first exchange by name. Null when there is none.';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ohlcv_data_series()
RETURNS TABLE(symbol varchar, timeframe varchar, exchange varchar)
LANGUAGE sql
STABLE PARALLEL SAFE
AS $$
  -- The series are the rows of ohlcv_data_latest (kept by
  -- maintain_ohlcv_data_summaries), in key order: the cost grows with the
  -- number of series, never with the number of candles or partitions.
  SELECT l.symbol, l.timeframe, l.exchange
    FROM ohlcv_data_latest l
   ORDER BY l.symbol, l.timeframe, l.exchange;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION ohlcv_data_series() IS 'Every (symbol, timeframe, exchange) series present in ohlcv_data, read from ohlcv_data_latest (one row per series), never from the candles.';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION get_latest_funding_rate(symbol text, exchange text DEFAULT 'binance')
RETURNS TABLE(rate numeric, rate_bps numeric, annualized_rate numeric, "timestamp" timestamptz)
LANGUAGE sql
STABLE PARALLEL SAFE
AS $$
  -- One probe of funding_rates_latest's key (kept by maintain_funding_rates_latest).
  SELECT r.rate, r.rate_bps, r.annualized_rate, r."timestamp"
    FROM funding_rates_latest r
   WHERE r.symbol = get_latest_funding_rate.symbol
     AND r.exchange = get_latest_funding_rate.exchange;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION get_latest_funding_rate(text, text) IS 'The newest funding rate of symbol on exchange (default binance): rate (fraction per funding period), rate_bps (basis points), annualized_rate (fraction per year, null when the interval is unknown), timestamp. No row when there is none.';
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
BEGIN
  -- Writers' triggers wait until this commits; each statement below then
  -- sees every row committed before the lock (a writer still running adds its
  -- own rows after us, as always).
  LOCK TABLE ohlcv_latest, ohlcv_data_latest, ohlcv_data_hourly, funding_rates_latest IN EXCLUSIVE MODE;

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
COMMENT ON FUNCTION refresh_market_summaries(timestamptz, timestamptz) IS 'Rebuilds the market read models (ohlcv_latest, ohlcv_data_latest, ohlcv_data_hourly, funding_rates_latest) from the raw rows whose time lies in [from_time, to_time) (default: all): the hours of ohlcv_data in the range are summed again, and every newest-row entry in the range is looked up again or removed. Call it after rows changed without firing the triggers: after dropping or detaching partitions (with to_time = the dropped bound), after writing into a partition directly, or to backfill. Locks the read models against writers while it runs. SECURITY DEFINER.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_market_data_summary AS
-- Each series' newest candle and each pair's newest funding rate are rows of
-- ohlcv_data_latest and funding_rates_latest, which the writers keep current:
-- the cost grows with the number of series, never with candles or partitions.
WITH latest_fear_greed AS (
  SELECT f.value, f.classification, f.timestamp
    FROM fear_greed_index f
   ORDER BY f.timestamp DESC
   LIMIT 1
)
-- varchar without a length, as when the series came from ohlcv_data_series():
-- CREATE OR REPLACE VIEW cannot change a column's type.
SELECT c.symbol::varchar AS symbol,
       c.exchange::varchar AS exchange,
       c.timeframe::varchar AS timeframe,
       c.timestamp AS last_candle_time,
       c.close AS last_price,
       c.volume AS last_volume,
       (c.close - c.open) / c.open * 100 AS last_candle_change_pct,
       fg.value AS fear_greed_value,
       fg.classification AS fear_greed_classification,
       fg.timestamp AS fear_greed_time,
       fr.rate AS funding_rate,
       fr.rate_bps AS funding_rate_bps,
       fr.annualized_rate AS funding_rate_annual,
       fr.timestamp AS funding_rate_time
  FROM ohlcv_data_latest c
  LEFT JOIN latest_fear_greed fg ON true
  LEFT JOIN funding_rates_latest fr ON fr.symbol = c.symbol AND fr.exchange = c.exchange;
--> statement-breakpoint
COMMENT ON VIEW v_market_data_summary IS 'One row per (symbol, exchange, timeframe) series in ohlcv_data, read from ohlcv_data_latest and funding_rates_latest (never from ohlcv_data): the newest candle''s open time (last_candle_time), close (last_price, quote currency per base unit), volume (last_volume, base currency) and last_candle_change_pct = (close - open) / open * 100 (percentage points); the latest fear & greed reading (value in index points 0..100, classification, time; the same on every row); the latest funding rate of that symbol on that exchange (funding_rate = fraction per funding period, funding_rate_bps = basis points per period, funding_rate_annual = annualized fraction per year as in funding_rates.annualized_rate, funding_rate_time; null without one). Unordered.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_funding_rate_analysis AS
WITH windowed AS (
  SELECT f.symbol,
         f.exchange,
         avg(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS avg_rate_24h,
         avg(f.rate) FILTER (WHERE f.timestamp > now() - interval '7 days') AS avg_rate_7d,
         avg(f.rate) AS avg_rate_30d,
         max(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS max_rate_24h,
         min(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS min_rate_24h,
         count(*) FILTER (WHERE f.timestamp > now() - interval '7 days' AND f.rate > 0.0005)::integer
           AS high_positive_periods_7d,
         count(*) FILTER (WHERE f.timestamp > now() - interval '7 days' AND f.rate < -0.0005)::integer
           AS high_negative_periods_7d,
         max(f.timestamp) AS last_update
    FROM funding_rates f
   -- The 30-day window comes from funding_rates_time_idx.
   WHERE f.timestamp > now() - interval '30 days'
   GROUP BY f.symbol, f.exchange
)
SELECT w.symbol,
       w.exchange,
       cur.rate AS current_rate,
       w.avg_rate_24h,
       w.avg_rate_7d,
       w.avg_rate_30d,
       w.max_rate_24h,
       w.min_rate_24h,
       w.high_positive_periods_7d,
       w.high_negative_periods_7d,
       w.last_update
  FROM windowed w
  -- The newest reading: funding_rates_latest, kept by maintain_funding_rates_latest.
 JOIN funding_rates_latest cur ON cur.symbol = w.symbol AND cur.exchange = w.exchange;
--> statement-breakpoint
COMMENT ON VIEW v_funding_rate_analysis IS 'Funding rate statistics per (symbol, exchange) with a reading in the last 30 days. Rates are fractions per funding period (0.0001 = 0.01 %): current_rate = the newest reading, avg_rate_24h / avg_rate_7d / avg_rate_30d = mean over readings in the last 24 hours / 7 days / 30 days, max_rate_24h and min_rate_24h over the last 24 hours (null without readings in a window). high_positive_periods_7d / high_negative_periods_7d = number of readings in the last 7 days with rate > 0.0005 / rate < -0.0005. last_update = time of the newest reading. Windows end at now(); estimated readings count like the others. Unordered.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_volatility_analysis AS
-- The windows hold the candles opened after now() - 24 hours / 7 days. Their
-- whole hours come from ohlcv_data_hourly; the hour holding a window's start
-- is read from ohlcv_data (at most one hour of candles per series and
-- window). The hours' sums are exact, so each statistic is computed from
-- (count, sum, sum of squares) exactly as the aggregate over the candles
-- computes it, to the last digit and display scale: avg = sum / count;
-- stddev_samp = sqrt((n * sum_sq - sum^2) / (n * (n - 1))) rounded to the
-- quotient's scale, 0 when the numerator is <= 0, null for n < 2.
WITH bounds AS (
  SELECT now() - interval '24 hours' AS day_start,
         date_trunc('hour', now() - interval '24 hours', 'UTC') AS day_edge,
         now() - interval '7 days' AS week_start,
         date_trunc('hour', now() - interval '7 days', 'UTC') AS week_edge
),
windowed AS (
  SELECT s.symbol, s.exchange, s.timeframe, s.timestamp, s.close, b.day_start, b.day_edge,
         day.candles AS day_n, day.range_sum AS day_sum, day.range_square_sum AS day_square_sum,
         day.volume_sum AS day_volume_sum, day.volume_max AS day_volume_max,
         week.candles AS week_n, week.range_sum AS week_sum, week.range_square_sum AS week_square_sum
    FROM ohlcv_data_latest s
   CROSS JOIN bounds b
   CROSS JOIN LATERAL (
     SELECT coalesce(sum(p.candles), 0) AS candles, sum(p.range_sum) AS range_sum,
            sum(p.range_square_sum) AS range_square_sum, sum(p.volume_sum) AS volume_sum, max(p.volume_max) AS volume_max
       FROM (SELECT h.candle_count::bigint AS candles, h.range_pct_sum AS range_sum,
                    h.range_pct_square_sum AS range_square_sum, h.volume_sum, h.volume_max
               FROM ohlcv_data_hourly h
              WHERE h.symbol = s.symbol AND h.timeframe = s.timeframe AND h.exchange = s.exchange
                AND h.bucket_start > b.day_edge
             UNION ALL
             SELECT count(*), sum(r.range_pct), sum(r.range_pct * r.range_pct), sum(o.volume), max(o.volume)
               FROM ohlcv_data o
              CROSS JOIN LATERAL (SELECT (o.high - o.low) / o.open * 100 AS range_pct) r
              WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
                AND o.timestamp > b.day_start AND o.timestamp < b.day_edge + interval '1 hour') p
   ) day
   CROSS JOIN LATERAL (
     SELECT coalesce(sum(p.candles), 0) AS candles, sum(p.range_sum) AS range_sum,
            sum(p.range_square_sum) AS range_square_sum
       FROM (SELECT h.candle_count::bigint AS candles, h.range_pct_sum AS range_sum,
                    h.range_pct_square_sum AS range_square_sum
               FROM ohlcv_data_hourly h
              WHERE h.symbol = s.symbol AND h.timeframe = s.timeframe AND h.exchange = s.exchange
                AND h.bucket_start > b.week_edge
             UNION ALL
             SELECT count(*), sum(r.range_pct), sum(r.range_pct * r.range_pct)
               FROM ohlcv_data o
              CROSS JOIN LATERAL (SELECT (o.high - o.low) / o.open * 100 AS range_pct) r
              WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
                AND o.timestamp > b.week_start AND o.timestamp < b.week_edge + interval '1 hour') p
   ) week
   WHERE s.timestamp > now() - interval '30 days'
)
SELECT w.symbol::varchar AS symbol,
       w.exchange::varchar AS exchange,
       w.timeframe::varchar AS timeframe,
       CASE WHEN w.day_n < 2 THEN NULL
            WHEN day_spread.numerator <= 0 THEN 0
            ELSE round(sqrt(day_spread.variance), scale(day_spread.variance)) END AS volatility_24h,
       CASE WHEN w.week_n < 2 THEN NULL
            WHEN week_spread.numerator <= 0 THEN 0
            ELSE round(sqrt(week_spread.variance), scale(week_spread.variance)) END AS volatility_7d,
       CASE WHEN w.day_n > 0 THEN w.day_sum / w.day_n::numeric END AS avg_range_24h,
       CASE WHEN w.week_n > 0 THEN w.week_sum / w.week_n::numeric END AS avg_range_7d,
       CASE WHEN w.day_n > 0 THEN w.day_volume_sum / w.day_n::numeric END AS avg_volume_24h,
       w.day_volume_max AS max_volume_24h,
       (w.close - first_24h.open) / first_24h.open * 100 AS price_change_24h,
       w.timestamp AS last_update
  FROM windowed w
 CROSS JOIN LATERAL (
   SELECT w.day_n * w.day_square_sum - w.day_sum * w.day_sum AS numerator,
          CASE WHEN w.day_n > 1 AND w.day_n * w.day_square_sum - w.day_sum * w.day_sum > 0
               THEN (w.day_n * w.day_square_sum - w.day_sum * w.day_sum) / (w.day_n * (w.day_n - 1))::numeric END AS variance
 ) day_spread
 CROSS JOIN LATERAL (
   SELECT w.week_n * w.week_square_sum - w.week_sum * w.week_sum AS numerator,
          CASE WHEN w.week_n > 1 AND w.week_n * w.week_square_sum - w.week_sum * w.week_sum > 0
               THEN (w.week_n * w.week_square_sum - w.week_sum * w.week_sum) / (w.week_n * (w.week_n - 1))::numeric END AS variance
 ) week_spread
  -- The first candle opened in the last 24 hours: in the start's hour, else
  -- the first of the next hours that has one.
  LEFT JOIN LATERAL (
    SELECT f.open
      FROM ((SELECT o.open, o.timestamp
               FROM ohlcv_data o
              WHERE o.symbol = w.symbol AND o.timeframe = w.timeframe AND o.exchange = w.exchange
                AND o.timestamp > w.day_start AND o.timestamp < w.day_edge + interval '1 hour'
              ORDER BY o.timestamp
              LIMIT 1)
            UNION ALL
            (SELECT h.first_open, h.first_candle_time
               FROM ohlcv_data_hourly h
              WHERE h.symbol = w.symbol AND h.timeframe = w.timeframe AND h.exchange = w.exchange
                AND h.bucket_start > w.day_edge
              ORDER BY h.bucket_start
              LIMIT 1)) f
     ORDER BY f.timestamp
     LIMIT 1
  ) first_24h ON true;
--> statement-breakpoint
COMMENT ON VIEW v_volatility_analysis IS 'Price volatility per (symbol, exchange, timeframe) series with a candle opened in the last 30 days. A candle''s range = (high - low) / open * 100, in percentage points of its open. volatility_24h / volatility_7d = sample standard deviation of the range over candles opened in the last 24 hours / 7 days (percentage points; null with fewer than two candles); avg_range_24h / avg_range_7d = mean range (percentage points); avg_volume_24h / max_volume_24h = mean / largest candle volume over the last 24 hours (base currency); price_change_24h = (newest close - open of the first candle opened in the last 24 hours) / that open * 100 (percentage points; null without such a candle); last_update = open time of the newest candle. Windows end at now(). Unordered.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_market_correlation AS
-- Series come from ohlcv_data_series(): one row each.
WITH series AS (SELECT * FROM ohlcv_data_series()),
-- The 30 reported UTC days ending today, plus the day before them (for the
-- first day's price_change), as [day_start, day_end) instants.
-- Counted in integers: the planner knows an integer series' length (31), but
-- guesses 1000 rows for a timestamp series, and so would cost the view high
-- enough to compile it with JIT (tens of milliseconds more than running it).
days AS (
  SELECT d::date AS day,
         d AT TIME ZONE 'UTC' AS day_start,
         (d + interval '1 day') AT TIME ZONE 'UTC' AS day_end
    FROM generate_series(0, 30) AS i
   CROSS JOIN LATERAL (SELECT ((now() AT TIME ZONE 'UTC')::date - 30 + i)::timestamp AS d) AS day_of
),
-- Each series' length: '1M' is a calendar month, which PostgreSQL's interval
-- input would read as one minute.
lengths AS (
  SELECT s.*, CASE s.timeframe WHEN '1M' THEN interval '1 month' ELSE s.timeframe::interval END AS length
    FROM series s
),
-- Each series' last candle of each day: the last candle of the day's last
-- hour in ohlcv_data_hourly (UTC days are whole UTC hours), one backward
-- probe of its key per series and day, never a read of ohlcv_data.
-- Timeframes longer than a day ('3d', '1w', '1M') do not close within a day.
last_candles AS (
  SELECT s.symbol, s.exchange, s.timeframe, days.day, days.day_start, days.day_end,
         c.timestamp + s.length AS closes_at, s.length, c.close
    FROM lengths s
   CROSS JOIN days
   CROSS JOIN LATERAL (
     SELECT h.last_candle_time AS timestamp, h.last_close AS close
       FROM ohlcv_data_hourly h
      WHERE h.symbol = s.symbol AND h.timeframe = s.timeframe AND h.exchange = s.exchange
        AND h.bucket_start >= days.day_start AND h.bucket_start < days.day_end
      ORDER BY h.bucket_start DESC
      LIMIT 1
   ) c
   WHERE s.length <= interval '1 day'
),
-- The day's close: the candle that closes last that day; on a tie the longer
-- timeframe wins, so the '1d' candle is preferred when there is one.
daily_close AS (
  SELECT DISTINCT ON (l.symbol, l.exchange, l.day)
         l.symbol, l.exchange, l.day, l.day_start, l.day_end, l.close
    FROM last_candles l
   ORDER BY l.symbol, l.exchange, l.day, l.closes_at DESC, l.length DESC
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
 CROSS JOIN LATERAL (
   SELECT avg(f.rate) AS avg_funding_rate
     FROM funding_rates f
    WHERE f.symbol = dc.symbol AND f.exchange = dc.exchange
      AND f.timestamp >= dc.day_start AND f.timestamp < dc.day_end
 ) funding
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
  FOREACH group_role IN ARRAY ARRAY['analyst', 'trading_bot'] LOOP
    CONTINUE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = group_role);
    IF NOT may_create_roles THEN
      RAISE NOTICE 'iftb roles: skipping role "%" and its grants: it does not exist and "%" may not create roles (no CREATEROLE)', group_role, current_user;
      CONTINUE;
    END IF;
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
      EXECUTE format('COMMENT ON ROLE %I IS %L', group_role, CASE group_role
        WHEN 'analyst' THEN 'IFTB read-only group: SELECT on tables and views, EXECUTE on read-only functions.'
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
  read_models constant text[] := ARRAY['ohlcv_latest', 'ohlcv_data_latest', 'ohlcv_data_hourly', 'funding_rates_latest'];
  -- Maintenance only (retention, backfill): not the bot's to run.
  maintenance_functions constant text[] := ARRAY['refresh_market_summaries'];
  read_only_functions constant text[] := ARRAY['get_latest_price', 'get_latest_ohlcv_price',
    'calculate_position_pnl', 'is_trading_allowed', 'get_latest_fear_greed', 'get_latest_funding_rate',
    'ohlcv_data_series', 'blocking_circuit_breakers'];
  has_analyst boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'analyst');
  has_bot boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'trading_bot');
  -- Who loses everything before the intended grants: PUBLIC and the roles that exist.
  grantees text := concat_ws(', ', 'PUBLIC', CASE WHEN has_analyst THEN 'analyst' END,
    CASE WHEN has_bot THEN 'trading_bot' END);
  obj record;
  missing text;
BEGIN
  -- Schema: nobody but its owner creates objects in public (PostgreSQL 14
  -- still lets PUBLIC create there).
  IF pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'USAGE') THEN
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %s', grantees);
    IF has_analyst THEN GRANT USAGE ON SCHEMA public TO analyst; END IF;
    IF has_bot THEN GRANT USAGE ON SCHEMA public TO trading_bot; END IF;
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
    IF has_bot AND obj.relname <> ALL (maintenance_functions) THEN
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
-- Backfill the read models from the rows already stored.
SELECT refresh_market_summaries();
