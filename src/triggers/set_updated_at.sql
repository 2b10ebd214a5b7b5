CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- Overwrite whatever the UPDATE wrote: updated_at records when the row last changed.
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION set_updated_at() IS 'Trigger function (BEFORE UPDATE): sets updated_at to the transaction time, now(), whatever the statement wrote there.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER trades_set_updated_at BEFORE UPDATE ON trades FOR EACH ROW EXECUTE FUNCTION set_updated_at();
--> statement-breakpoint
COMMENT ON TRIGGER trades_set_updated_at ON trades IS 'Keeps trades.updated_at current.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();
--> statement-breakpoint
COMMENT ON TRIGGER orders_set_updated_at ON orders IS 'Keeps orders.updated_at current.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER daily_performance_set_updated_at BEFORE UPDATE ON daily_performance FOR EACH ROW EXECUTE FUNCTION set_updated_at();
--> statement-breakpoint
COMMENT ON TRIGGER daily_performance_set_updated_at ON daily_performance IS 'Keeps daily_performance.updated_at current.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER daily_pnl_set_updated_at BEFORE UPDATE ON daily_pnl FOR EACH ROW EXECUTE FUNCTION set_updated_at();
--> statement-breakpoint
COMMENT ON TRIGGER daily_pnl_set_updated_at ON daily_pnl IS 'Keeps daily_pnl.updated_at current.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER circuit_breaker_events_set_updated_at BEFORE UPDATE ON circuit_breaker_events FOR EACH ROW EXECUTE FUNCTION set_updated_at();
--> statement-breakpoint
COMMENT ON TRIGGER circuit_breaker_events_set_updated_at ON circuit_breaker_events IS 'Keeps circuit_breaker_events.updated_at current.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER kill_switch_events_set_updated_at BEFORE UPDATE ON kill_switch_events FOR EACH ROW EXECUTE FUNCTION set_updated_at();
--> statement-breakpoint
COMMENT ON TRIGGER kill_switch_events_set_updated_at ON kill_switch_events IS 'Keeps kill_switch_events.updated_at current.';
