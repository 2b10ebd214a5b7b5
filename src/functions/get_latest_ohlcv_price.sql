CREATE OR REPLACE FUNCTION get_latest_ohlcv_price(symbol text, timeframe text DEFAULT '1m')
RETURNS numeric
LANGUAGE plpgsql
STABLE PARALLEL SAFE
AS $$
BEGIN
  -- PL/pgSQL keeps the plan for the session (see get_latest_price).
  --
  -- ohlcv_data's key is (symbol, timeframe, exchange, timestamp) and the call
  -- names no exchange: find the series' exchanges by a skip scan (one index
  -- probe each), take each one's newest candle by a backward probe, and keep
  -- the newest, so the function never reads a whole series. Each probe
  -- orders by exchange so that only that key serves it (never
  -- ohlcv_data_time_idx, which would read newer candles of other series).
  RETURN (
    WITH RECURSIVE series_exchanges(exchange) AS (
      (SELECT d.exchange::text
         FROM ohlcv_data d
        WHERE d.symbol = get_latest_ohlcv_price.symbol
          AND d.timeframe = get_latest_ohlcv_price.timeframe
        ORDER BY d.exchange
        LIMIT 1)
      UNION ALL
      SELECT (SELECT d.exchange::text
                FROM ohlcv_data d
               WHERE d.symbol = get_latest_ohlcv_price.symbol
                 AND d.timeframe = get_latest_ohlcv_price.timeframe
                 AND d.exchange > e.exchange
               ORDER BY d.exchange
               LIMIT 1)
        FROM series_exchanges e
       WHERE e.exchange IS NOT NULL
    )
    SELECT newest.close
      FROM series_exchanges e
     CROSS JOIN LATERAL (
           SELECT d.close, d."timestamp"
             FROM ohlcv_data d
            WHERE d.symbol = get_latest_ohlcv_price.symbol
              AND d.timeframe = get_latest_ohlcv_price.timeframe
              -- A one-value range, not =, keeps exchange in the ORDER BY.
              AND d.exchange >= e.exchange AND d.exchange <= e.exchange
            ORDER BY d.exchange DESC, d."timestamp" DESC
            LIMIT 1) newest
     ORDER BY newest."timestamp" DESC, e.exchange
     LIMIT 1);
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION get_latest_ohlcv_price(text, text) IS 'Close of the newest ohlcv_data candle of (symbol, timeframe; default 1m) on any exchange, in quote currency; when exchanges share the newest timestamp, the first exchange by name. Null when there is none.';
