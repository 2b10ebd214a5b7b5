CREATE OR REPLACE FUNCTION ohlcv_data_series()
RETURNS TABLE(symbol varchar, timeframe varchar, exchange varchar)
LANGUAGE sql
STABLE PARALLEL SAFE
AS $$
  -- The series are the rows of ohlcv_data_latest (kept by
  -- maintain_ohlcv_data_summaries), in key order: the cost grows with the
  -- number of series, never with the number of candles or partitions.
  SELECT l.symbol, l.timeframe, l.exchange
    FROM ohlcv_data_latest l
   ORDER BY l.symbol, l.timeframe, l.exchange;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION ohlcv_data_series() IS 'Every (symbol, timeframe, exchange) series present in ohlcv_data, read from ohlcv_data_latest (one row per series), never from the candles.';
