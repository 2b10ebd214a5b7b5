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
