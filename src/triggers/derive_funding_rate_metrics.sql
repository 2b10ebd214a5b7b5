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
