CREATE OR REPLACE VIEW v_volatility_analysis AS
-- The windows hold the candles opened after now() - 24 hours / 7 days. Their
-- whole hours come from ohlcv_data_hourly; the hour holding a window's start
-- is read from ohlcv_data (at most one hour of candles per series and
-- window). The hours' sums are exact, so each statistic is computed from
-- (count, sum, sum of squares) exactly as the aggregate over the candles
-- computes it, to the last digit and display scale: avg = sum / count;
-- stddev_samp = sqrt((n * sum_sq - sum^2) / (n * (n - 1))) rounded to the
-- quotient's scale, 0 when the numerator is <= 0, null for n < 2.
WITH bounds AS (
  SELECT now() - interval '24 hours' AS day_start,
         date_trunc('hour', now() - interval '24 hours', 'UTC') AS day_edge,
         now() - interval '7 days' AS week_start,
         date_trunc('hour', now() - interval '7 days', 'UTC') AS week_edge
),
windowed AS (
  SELECT s.symbol, s.exchange, s.timeframe, s.timestamp, s.close, b.day_start, b.day_edge,
         day.candles AS day_n, day.range_sum AS day_sum, day.range_square_sum AS day_square_sum,
         day.volume_sum AS day_volume_sum, day.volume_max AS day_volume_max,
         week.candles AS week_n, week.range_sum AS week_sum, week.range_square_sum AS week_square_sum
    FROM ohlcv_data_latest s
   CROSS JOIN bounds b
   CROSS JOIN LATERAL (
     SELECT coalesce(sum(p.candles), 0) AS candles, sum(p.range_sum) AS range_sum,
            sum(p.range_square_sum) AS range_square_sum, sum(p.volume_sum) AS volume_sum, max(p.volume_max) AS volume_max
       FROM (SELECT h.candle_count::bigint AS candles, h.range_pct_sum AS range_sum,
                    h.range_pct_square_sum AS range_square_sum, h.volume_sum, h.volume_max
               FROM ohlcv_data_hourly h
              WHERE h.symbol = s.symbol AND h.timeframe = s.timeframe AND h.exchange = s.exchange
                AND h.bucket_start > b.day_edge
             UNION ALL
             SELECT count(*), sum(r.range_pct), sum(r.range_pct * r.range_pct), sum(o.volume), max(o.volume)
               FROM ohlcv_data o
              CROSS JOIN LATERAL (SELECT (o.high - o.low) / o.open * 100 AS range_pct) r
              WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
                AND o.timestamp > b.day_start AND o.timestamp < b.day_edge + interval '1 hour') p
   ) day
   CROSS JOIN LATERAL (
     SELECT coalesce(sum(p.candles), 0) AS candles, sum(p.range_sum) AS range_sum,
            sum(p.range_square_sum) AS range_square_sum
       FROM (SELECT h.candle_count::bigint AS candles, h.range_pct_sum AS range_sum,
                    h.range_pct_square_sum AS range_square_sum
               FROM ohlcv_data_hourly h
              WHERE h.symbol = s.symbol AND h.timeframe = s.timeframe AND h.exchange = s.exchange
                AND h.bucket_start > b.week_edge
             UNION ALL
             SELECT count(*), sum(r.range_pct), sum(r.range_pct * r.range_pct)
               FROM ohlcv_data o
              CROSS JOIN LATERAL (SELECT (o.high - o.low) / o.open * 100 AS range_pct) r
              WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
                AND o.timestamp > b.week_start AND o.timestamp < b.week_edge + interval '1 hour') p
   ) week
   WHERE s.timestamp > now() - interval '30 days'
)
SELECT w.symbol::varchar AS symbol,
       w.exchange::varchar AS exchange,
       w.timeframe::varchar AS timeframe,
       CASE WHEN w.day_n < 2 THEN NULL
            WHEN day_spread.numerator <= 0 THEN 0
            ELSE round(sqrt(day_spread.variance), scale(day_spread.variance)) END AS volatility_24h,
       CASE WHEN w.week_n < 2 THEN NULL
            WHEN week_spread.numerator <= 0 THEN 0
            ELSE round(sqrt(week_spread.variance), scale(week_spread.variance)) END AS volatility_7d,
       CASE WHEN w.day_n > 0 THEN w.day_sum / w.day_n::numeric END AS avg_range_24h,
       CASE WHEN w.week_n > 0 THEN w.week_sum / w.week_n::numeric END AS avg_range_7d,
       CASE WHEN w.day_n > 0 THEN w.day_volume_sum / w.day_n::numeric END AS avg_volume_24h,
       w.day_volume_max AS max_volume_24h,
       (w.close - first_24h.open) / first_24h.open * 100 AS price_change_24h,
       w.timestamp AS last_update
  FROM windowed w
 CROSS JOIN LATERAL (
   SELECT w.day_n * w.day_square_sum - w.day_sum * w.day_sum AS numerator,
          CASE WHEN w.day_n > 1 AND w.day_n * w.day_square_sum - w.day_sum * w.day_sum > 0
               THEN (w.day_n * w.day_square_sum - w.day_sum * w.day_sum) / (w.day_n * (w.day_n - 1))::numeric END AS variance
 ) day_spread
 CROSS JOIN LATERAL (
   SELECT w.week_n * w.week_square_sum - w.week_sum * w.week_sum AS numerator,
          CASE WHEN w.week_n > 1 AND w.week_n * w.week_square_sum - w.week_sum * w.week_sum > 0
               THEN (w.week_n * w.week_square_sum - w.week_sum * w.week_sum) / (w.week_n * (w.week_n - 1))::numeric END AS variance
 ) week_spread
  -- The first candle opened in the last 24 hours: in the start's hour, else
  -- the first of the next hours that has one.
  LEFT JOIN LATERAL (
    SELECT f.open
      FROM ((SELECT o.open, o.timestamp
               FROM ohlcv_data o
              WHERE o.symbol = w.symbol AND o.timeframe = w.timeframe AND o.exchange = w.exchange
                AND o.timestamp > w.day_start AND o.timestamp < w.day_edge + interval '1 hour'
              ORDER BY o.timestamp
              LIMIT 1)
            UNION ALL
            (SELECT h.first_open, h.first_candle_time
               FROM ohlcv_data_hourly h
              WHERE h.symbol = w.symbol AND h.timeframe = w.timeframe AND h.exchange = w.exchange
                AND h.bucket_start > w.day_edge
              ORDER BY h.bucket_start
              LIMIT 1)) f
     ORDER BY f.timestamp
     LIMIT 1
  ) first_24h ON true;
--> statement-breakpoint
COMMENT ON VIEW v_volatility_analysis IS 'Price volatility per (symbol, exchange, timeframe) series with a candle opened in the last 30 days. A candle''s range = (high - low) / open * 100, in percentage points of its open. volatility_24h / volatility_7d = sample standard deviation of the range over candles opened in the last 24 hours / 7 days (percentage points; null with fewer than two candles); avg_range_24h / avg_range_7d = mean range (percentage points); avg_volume_24h / max_volume_24h = mean / largest candle volume over the last 24 hours (base currency); price_change_24h = (newest close - open of the first candle opened in the last 24 hours) / that open * 100 (percentage points; null without such a candle); last_update = open time of the newest candle. Windows end at now(). Unordered.';
