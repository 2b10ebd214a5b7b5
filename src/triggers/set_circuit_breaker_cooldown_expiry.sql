CREATE OR REPLACE FUNCTION set_circuit_breaker_cooldown_expiry() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- Derived, never taken from the statement. make_interval gets exact seconds
  -- (numeric(5,2) hours x 3600 is a whole number of hundredths of an hour).
  NEW.cooldown_expires_at := CASE
    WHEN NEW.cooldown_hours IS NULL THEN NULL
    ELSE NEW.triggered_at + make_interval(secs => NEW.cooldown_hours * 3600)
  END;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION set_circuit_breaker_cooldown_expiry() IS 'Trigger function (BEFORE INSERT OR UPDATE on circuit_breaker_events): cooldown_expires_at = triggered_at + cooldown_hours hours, or null when cooldown_hours is null (the breaker then blocks until resolved by hand). Any value the statement wrote is replaced.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER circuit_breaker_events_set_cooldown_expiry BEFORE INSERT OR UPDATE ON circuit_breaker_events FOR EACH ROW EXECUTE FUNCTION set_circuit_breaker_cooldown_expiry();
--> statement-breakpoint
COMMENT ON TRIGGER circuit_breaker_events_set_cooldown_expiry ON circuit_breaker_events IS 'Derives cooldown_expires_at from triggered_at and cooldown_hours.';
