CREATE OR REPLACE FUNCTION get_latest_price(symbol text, exchange text, timeframe text DEFAULT '1m')
RETURNS numeric
LANGUAGE plpgsql
STABLE PARALLEL SAFE
AS $$
BEGIN
  -- PL/pgSQL, not SQL: a scalar SQL function with ORDER BY/LIMIT cannot be
  -- inlined and is planned again on every call (about 3x slower); PL/pgSQL
  -- keeps the plan for the session.
  --
  -- One backward probe of ohlcv_candle_key (symbol, exchange, timeframe,
  -- timestamp). timeframe is matched as a one-value range, not with =, so the
  -- ORDER BY needs that key's order: with = the planner may walk
  -- ohlcv_time_idx instead, reading every newer candle of other series
  -- before it reaches a series that has gone quiet.
  RETURN (
    SELECT o.close
      FROM ohlcv o
     WHERE o.symbol = get_latest_price.symbol
       AND o.exchange = get_latest_price.exchange
       AND o.timeframe >= get_latest_price.timeframe AND o.timeframe <= get_latest_price.timeframe
     ORDER BY o.timeframe DESC, o."timestamp" DESC
     LIMIT 1);
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION get_latest_price(text, text, text) IS 'Close of the newest ohlcv candle of (symbol, exchange, timeframe; default 1m), in quote currency; null when there is none.';
