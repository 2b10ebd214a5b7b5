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
