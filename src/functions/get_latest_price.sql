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
