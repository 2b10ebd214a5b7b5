CREATE OR REPLACE FUNCTION ohlcv_data_series()
RETURNS TABLE(symbol varchar, timeframe varchar, exchange varchar)
LANGUAGE sql
STABLE PARALLEL SAFE
AS $$
  -- A skip scan (loose index scan) over ohlcv_data_candle_key (symbol,
  -- timeframe, exchange, timestamp): each step is one index probe for the key
  -- after the previous series, so the cost grows with the number of series,
  -- never with the number of candles. v_volatility_analysis and
  -- v_market_correlation use it; v_market_data_summary walks the same key
  -- backward instead, to read each series' newest candle in the same probe.
  WITH RECURSIVE series AS (
    (SELECT o.symbol, o.timeframe, o.exchange
       FROM ohlcv_data o
      ORDER BY o.symbol, o.timeframe, o.exchange
      LIMIT 1)
    UNION ALL
    SELECT next_series.symbol, next_series.timeframe, next_series.exchange
      FROM series s
     CROSS JOIN LATERAL (
       SELECT o.symbol, o.timeframe, o.exchange
         FROM ohlcv_data o
        WHERE (o.symbol, o.timeframe, o.exchange) > (s.symbol, s.timeframe, s.exchange)
        ORDER BY o.symbol, o.timeframe, o.exchange
        LIMIT 1
     ) next_series
  )
  SELECT s.symbol, s.timeframe, s.exchange FROM series s;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION ohlcv_data_series() IS 'Every (symbol, timeframe, exchange) series present in ohlcv_data, found by index probes (one per series), never by a scan of the candles.';
