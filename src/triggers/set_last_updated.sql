CREATE OR REPLACE FUNCTION set_last_updated() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- positions has last_updated, not updated_at (the reference's trigger wrote the missing column).
  NEW.last_updated := now();
  RETURN NEW;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION set_last_updated() IS 'Trigger function (BEFORE UPDATE on positions): sets last_updated to the transaction time, now(), whatever the statement wrote there.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER positions_set_last_updated BEFORE UPDATE ON positions FOR EACH ROW EXECUTE FUNCTION set_last_updated();
--> statement-breakpoint
COMMENT ON TRIGGER positions_set_last_updated ON positions IS 'Keeps positions.last_updated current.';
