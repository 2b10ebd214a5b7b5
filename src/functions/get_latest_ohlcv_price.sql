CREATE OR REPLACE FUNCTION get_latest_ohlcv_price(symbol text, timeframe text DEFAULT '1m')
RETURNS numeric
LANGUAGE plpgsql
STABLE PARALLEL SAFE
AS $$
BEGIN
  -- PL/pgSQL keeps the plan for the session (see get_latest_price).
  --
  -- The series' newest candles, one per exchange, are rows of
  -- ohlcv_data_latest (kept by maintain_ohlcv_data_summaries): one range probe
  -- of its key (symbol, timeframe, exchange), never a read of ohlcv_data.
  RETURN (
    SELECT l.close
      FROM ohlcv_data_latest l
     WHERE l.symbol = get_latest_ohlcv_price.symbol
       AND l.timeframe = get_latest_ohlcv_price.timeframe
     ORDER BY l."timestamp" DESC, l.exchange::text
     LIMIT 1);
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION get_latest_ohlcv_price(text, text) IS 'Close of the newest ohlcv_data candle of (symbol, timeframe; default 1m) on any exchange, in quote currency; when exchanges share the newest timestamp, the first exchange by name. Null when there is none.';
