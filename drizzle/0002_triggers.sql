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
--> statement-breakpoint
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
--> statement-breakpoint
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
--> statement-breakpoint
CREATE OR REPLACE FUNCTION classify_fear_greed() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- Runs before NOT NULL is checked, so an insert may leave classification out (or send NULL).
  NEW.classification := CASE
    WHEN NEW.value IS NULL THEN NULL
    WHEN NEW.value <= 25 THEN 'extreme_fear'
    WHEN NEW.value <= 45 THEN 'fear'
    WHEN NEW.value <= 55 THEN 'neutral'
    WHEN NEW.value <= 75 THEN 'greed'
    ELSE 'extreme_greed'
  END;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION classify_fear_greed() IS 'Trigger function (BEFORE INSERT OR UPDATE on fear_greed_index): classification from value: <= 25 extreme_fear, <= 45 fear, <= 55 neutral, <= 75 greed, else extreme_greed. Always derived: a classification the statement wrote is replaced.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER fear_greed_index_classify BEFORE INSERT OR UPDATE ON fear_greed_index FOR EACH ROW EXECUTE FUNCTION classify_fear_greed();
--> statement-breakpoint
COMMENT ON TRIGGER fear_greed_index_classify ON fear_greed_index IS 'Derives classification from value.';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION derive_funding_rate_metrics() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  nan_column text;
  annualized numeric;
  premium numeric;
BEGIN
  -- numeric columns accept NaN, which no metric can be derived from.
  nan_column := CASE WHEN NEW.rate = 'NaN' THEN 'rate' WHEN NEW.mark_price = 'NaN' THEN 'mark_price'
                     WHEN NEW.index_price = 'NaN' THEN 'index_price' END;
  IF nan_column IS NOT NULL THEN
    RAISE EXCEPTION 'funding_rates.%: NaN is not a rate or price', nan_column
      USING ERRCODE = 'invalid_parameter_value', TABLE = TG_TABLE_NAME, COLUMN = nan_column;
  END IF;

  -- numeric(10,8) x 10^4 always fits numeric(10,4) exactly: no rounding, no overflow.
  NEW.rate_bps := NEW.rate * 10000;

  -- Quotients are rounded half away from zero to the column's scale from the
  -- exact quotient: div() truncates exactly, whereas "/" rounds at ~16-20
  -- digits first and rounding twice can be one unit off in the last place.
  -- (The outer round() only sets the display scale of an exact value.)
  -- An interval outside 1..168 hours is left to the funding_rates_interval_range CHECK.
  annualized := CASE WHEN NEW.funding_interval_hours > 0 THEN
    round(sign(NEW.rate) * div(abs(NEW.rate) * 8760 * 2000000 + NEW.funding_interval_hours,
                               2 * NEW.funding_interval_hours::numeric) / 1000000, 6)
  END;
  IF abs(annualized) >= 10000 THEN
    RAISE EXCEPTION 'funding_rates.annualized_rate: rate % every % h annualizes to %, beyond numeric(10,6) (|value| < 10000)',
      NEW.rate, NEW.funding_interval_hours, annualized
      USING ERRCODE = 'numeric_value_out_of_range', TABLE = TG_TABLE_NAME, COLUMN = 'annualized_rate',
            HINT = 'rate is a fraction per funding period (0.0001 = 0.01 %), not a percentage.';
  END IF;
  NEW.annualized_rate := annualized;

  premium := CASE WHEN NEW.mark_price IS NOT NULL AND NEW.index_price > 0 THEN
    round(sign(NEW.mark_price - NEW.index_price)
            * div(abs(NEW.mark_price - NEW.index_price) * 200000000 + NEW.index_price, 2 * NEW.index_price)
            / 100000000, 8)
  END;
  IF abs(premium) >= 100 THEN
    RAISE EXCEPTION 'funding_rates.premium: (mark_price % - index_price %) / index_price = %, beyond numeric(10,8) (|value| < 100)',
      NEW.mark_price, NEW.index_price, premium
      USING ERRCODE = 'numeric_value_out_of_range', TABLE = TG_TABLE_NAME, COLUMN = 'premium',
            HINT = 'mark_price and index_price are prices of the same contract in the same currency.';
  END IF;
  NEW.premium := premium;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION derive_funding_rate_metrics() IS 'Trigger function (BEFORE INSERT OR UPDATE on funding_rates): rate_bps = rate x 10000 (exact); annualized_rate = rate x (24 / funding_interval_hours) x 365 when the interval is set, else null; premium = (mark_price - index_price) / index_price when both are set and index_price > 0, else null. Quotients are rounded half away from zero to the column scale (6 and 8 places); a value beyond its column (|annualized_rate| >= 10000, |premium| >= 100) raises numeric_value_out_of_range naming the column instead of being stored; NaN in rate, mark_price or index_price is rejected. Values the statement wrote in these columns are replaced.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER funding_rates_derive_metrics BEFORE INSERT OR UPDATE ON funding_rates FOR EACH ROW EXECUTE FUNCTION derive_funding_rate_metrics();
--> statement-breakpoint
COMMENT ON TRIGGER funding_rates_derive_metrics ON funding_rates IS 'Derives rate_bps, annualized_rate and premium.';
--> statement-breakpoint
