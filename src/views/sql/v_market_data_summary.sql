CREATE OR REPLACE VIEW v_market_data_summary AS
-- Series come from ohlcv_data_series(): one index probe each.
WITH series AS (SELECT * FROM ohlcv_data_series()),
latest_fear_greed AS (
  SELECT f.value, f.classification, f.timestamp
    FROM fear_greed_index f
   ORDER BY f.timestamp DESC
   LIMIT 1
)
SELECT s.symbol,
       s.exchange,
       s.timeframe,
       c.timestamp AS last_candle_time,
       c.close AS last_price,
       c.volume AS last_volume,
       (c.close - c.open) / c.open * 100 AS last_candle_change_pct,
       fg.value AS fear_greed_value,
       fg.classification AS fear_greed_classification,
       fg.timestamp AS fear_greed_time,
       fr.rate AS funding_rate,
       fr.rate_bps AS funding_rate_bps,
       fr.annualized_rate AS funding_rate_annual,
       fr.timestamp AS funding_rate_time
  FROM series s
  -- The series' newest candle: one backward probe of the same key.
 CROSS JOIN LATERAL (
   SELECT o.timestamp, o.open, o.close, o.volume
     FROM ohlcv_data o
    WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
    ORDER BY o.timestamp DESC
    LIMIT 1
 ) c
  LEFT JOIN latest_fear_greed fg ON true
  -- The newest funding rate of the symbol on that exchange: one backward
  -- probe of funding_rates_key (symbol, exchange, timestamp).
  LEFT JOIN LATERAL (
    SELECT f.rate, f.rate_bps, f.annualized_rate, f.timestamp
      FROM funding_rates f
     WHERE f.symbol = s.symbol AND f.exchange = s.exchange
     ORDER BY f.timestamp DESC
     LIMIT 1
  ) fr ON true;
--> statement-breakpoint
COMMENT ON VIEW v_market_data_summary IS 'One row per (symbol, exchange, timeframe) series in ohlcv_data, read by index probes (never a scan of ohlcv_data): the newest candle''s open time (last_candle_time), close (last_price, quote currency per base unit), volume (last_volume, base currency) and last_candle_change_pct = (close - open) / open * 100 (percentage points); the latest fear & greed reading (value in index points 0..100, classification, time; the same on every row); the latest funding rate of that symbol on that exchange (funding_rate = fraction per funding period, funding_rate_bps = basis points per period, funding_rate_annual = annualized fraction per year as in funding_rates.annualized_rate, funding_rate_time; null without one). Unordered.';
