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
