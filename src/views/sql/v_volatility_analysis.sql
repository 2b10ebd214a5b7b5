CREATE OR REPLACE VIEW v_volatility_analysis AS
-- Series come from ohlcv_data_series(): one index probe each.
WITH series AS (SELECT * FROM ohlcv_data_series())
SELECT s.symbol,
       s.exchange,
       s.timeframe,
       stats.volatility_24h,
       stats.volatility_7d,
       stats.avg_range_24h,
       stats.avg_range_7d,
       stats.avg_volume_24h,
       stats.max_volume_24h,
       (newest.close - first_24h.open) / first_24h.open * 100 AS price_change_24h,
       newest.timestamp AS last_update
  FROM series s
 CROSS JOIN LATERAL (
   SELECT o.timestamp, o.close
     FROM ohlcv_data o
    WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
    ORDER BY o.timestamp DESC
    LIMIT 1
 ) newest
 CROSS JOIN LATERAL (
   SELECT stddev_samp(r.range_pct) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS volatility_24h,
          stddev_samp(r.range_pct) AS volatility_7d,
          avg(r.range_pct) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS avg_range_24h,
          avg(r.range_pct) AS avg_range_7d,
          avg(o.volume) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS avg_volume_24h,
          max(o.volume) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS max_volume_24h
     FROM ohlcv_data o
    CROSS JOIN LATERAL (SELECT (o.high - o.low) / o.open * 100 AS range_pct) r
    WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
      AND o.timestamp > now() - interval '7 days'
 ) stats
  LEFT JOIN LATERAL (
    SELECT o.open
      FROM ohlcv_data o
     WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
       AND o.timestamp > now() - interval '24 hours'
     ORDER BY o.timestamp
     LIMIT 1
  ) first_24h ON true
 WHERE newest.timestamp > now() - interval '30 days';
--> statement-breakpoint
COMMENT ON VIEW v_volatility_analysis IS 'Price volatility per (symbol, exchange, timeframe) series with a candle opened in the last 30 days. A candle''s range = (high - low) / open * 100, in percentage points of its open. volatility_24h / volatility_7d = sample standard deviation of the range over candles opened in the last 24 hours / 7 days (percentage points; null with fewer than two candles); avg_range_24h / avg_range_7d = mean range (percentage points); avg_volume_24h / max_volume_24h = mean / largest candle volume over the last 24 hours (base currency); price_change_24h = (newest close - open of the first candle opened in the last 24 hours) / that open * 100 (percentage points; null without such a candle); last_update = open time of the newest candle. Windows end at now(). Unordered.';
