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
--> statement-breakpoint
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
--> statement-breakpoint
