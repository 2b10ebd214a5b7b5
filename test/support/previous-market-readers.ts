/**
 * The market readers as they were before the read models (migrations 0009 to
 * 0018): the oracle of test/market-summaries.test.ts and the "before" of
 * bench/read-models.ts. Function bodies are queries; `:name` marks a parameter.
 */
export const previous = {
  v_market_data_summary: `
-- A skip scan that walks ohlcv_data_candle_key (symbol, timeframe, exchange,
-- timestamp) backward: the first entry before the previous series' key is
-- the next series' newest candle, so one index probe per series finds the
-- series and its newest candle together, never reading the candles between.
WITH RECURSIVE newest_candles AS (
  (SELECT o.symbol, o.timeframe, o.exchange, o.timestamp, o.open, o.close, o.volume
     FROM ohlcv_data o
    ORDER BY o.symbol DESC, o.timeframe DESC, o.exchange DESC, o.timestamp DESC
    LIMIT 1)
  UNION ALL
  SELECT previous_series.*
    FROM newest_candles n
   CROSS JOIN LATERAL (
     SELECT o.symbol, o.timeframe, o.exchange, o.timestamp, o.open, o.close, o.volume
       FROM ohlcv_data o
      WHERE (o.symbol, o.timeframe, o.exchange) < (n.symbol, n.timeframe, n.exchange)
      ORDER BY o.symbol DESC, o.timeframe DESC, o.exchange DESC, o.timestamp DESC
      LIMIT 1
   ) previous_series
),
latest_fear_greed AS (
  SELECT f.value, f.classification, f.timestamp
    FROM fear_greed_index f
   ORDER BY f.timestamp DESC
   LIMIT 1
)
-- varchar without a length, as when the series came from ohlcv_data_series():
-- CREATE OR REPLACE VIEW cannot change a column's type.
SELECT c.symbol::varchar AS symbol,
       c.exchange::varchar AS exchange,
       c.timeframe::varchar AS timeframe,
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
  FROM newest_candles c
  LEFT JOIN latest_fear_greed fg ON true
  -- The newest funding rate of the symbol on that exchange: one backward
  -- probe of funding_rates_key (symbol, exchange, timestamp).
  LEFT JOIN LATERAL (
    SELECT f.rate, f.rate_bps, f.annualized_rate, f.timestamp
      FROM funding_rates f
     WHERE f.symbol = c.symbol AND f.exchange = c.exchange
     ORDER BY f.timestamp DESC
     LIMIT 1
  ) fr ON true`,
  v_volatility_analysis: `
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
 WHERE newest.timestamp > now() - interval '30 days'`,
  v_market_correlation: `
-- Series come from ohlcv_data_series(): one index probe each.
WITH series AS (SELECT * FROM ohlcv_data_series()),
-- The 30 reported UTC days ending today, plus the day before them (for the
-- first day's price_change), as [day_start, day_end) instants.
days AS (
  SELECT d::date AS day,
         d AT TIME ZONE 'UTC' AS day_start,
         (d + interval '1 day') AT TIME ZONE 'UTC' AS day_end
    FROM generate_series(((now() AT TIME ZONE 'UTC')::date - 30)::timestamp,
                         (now() AT TIME ZONE 'UTC')::date::timestamp,
                         interval '1 day') AS d
),
-- Each series' length: '1M' is a calendar month, which PostgreSQL's interval
-- input would read as one minute.
lengths AS (
  SELECT s.*, CASE s.timeframe WHEN '1M' THEN interval '1 month' ELSE s.timeframe::interval END AS length
    FROM series s
),
-- Each series' last candle of each day: one backward probe per series and day.
-- Timeframes longer than a day ('3d', '1w', '1M') do not close within a day.
last_candles AS (
  SELECT s.symbol, s.exchange, s.timeframe, days.day, days.day_start, days.day_end,
         c.timestamp + s.length AS closes_at, s.length, c.close
    FROM lengths s
   CROSS JOIN days
   CROSS JOIN LATERAL (
     SELECT o.timestamp, o.close
       FROM ohlcv_data o
      WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
        AND o.timestamp >= days.day_start AND o.timestamp < days.day_end
      ORDER BY o.timestamp DESC
      LIMIT 1
   ) c
   WHERE s.length <= interval '1 day'
),
-- The day's close: the candle that closes last that day; on a tie the longer
-- timeframe wins, so the '1d' candle is preferred when there is one.
daily_close AS (
  SELECT DISTINCT ON (l.symbol, l.exchange, l.day)
         l.symbol, l.exchange, l.day, l.day_start, l.day_end, l.close
    FROM last_candles l
   ORDER BY l.symbol, l.exchange, l.day, l.closes_at DESC, l.length DESC
)
SELECT dc.symbol,
       dc.exchange,
       dc.day AS date,
       funding.avg_funding_rate,
       fg.value AS fear_greed_value,
       dc.close - prev.close AS price_change
  FROM daily_close dc
  LEFT JOIN daily_close prev
    ON prev.symbol = dc.symbol AND prev.exchange = dc.exchange AND prev.day = dc.day - 1
 CROSS JOIN LATERAL (
   SELECT avg(f.rate) AS avg_funding_rate
     FROM funding_rates f
    WHERE f.symbol = dc.symbol AND f.exchange = dc.exchange
      AND f.timestamp >= dc.day_start AND f.timestamp < dc.day_end
 ) funding
  LEFT JOIN LATERAL (
    SELECT g.value
      FROM fear_greed_index g
     WHERE g.timestamp >= dc.day_start AND g.timestamp < dc.day_end
     ORDER BY g.timestamp
     LIMIT 1
  ) fg ON true
 WHERE dc.day > (now() AT TIME ZONE 'UTC')::date - 30`,
  v_funding_rate_analysis: `
WITH windowed AS (
  SELECT f.symbol,
         f.exchange,
         avg(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS avg_rate_24h,
         avg(f.rate) FILTER (WHERE f.timestamp > now() - interval '7 days') AS avg_rate_7d,
         avg(f.rate) AS avg_rate_30d,
         max(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS max_rate_24h,
         min(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS min_rate_24h,
         count(*) FILTER (WHERE f.timestamp > now() - interval '7 days' AND f.rate > 0.0005)::integer
           AS high_positive_periods_7d,
         count(*) FILTER (WHERE f.timestamp > now() - interval '7 days' AND f.rate < -0.0005)::integer
           AS high_negative_periods_7d,
         max(f.timestamp) AS last_update
    FROM funding_rates f
   -- The 30-day window comes from funding_rates_time_idx.
   WHERE f.timestamp > now() - interval '30 days'
   GROUP BY f.symbol, f.exchange
)
SELECT w.symbol,
       w.exchange,
       cur.rate AS current_rate,
       w.avg_rate_24h,
       w.avg_rate_7d,
       w.avg_rate_30d,
       w.max_rate_24h,
       w.min_rate_24h,
       w.high_positive_periods_7d,
       w.high_negative_periods_7d,
       w.last_update
  FROM windowed w
  -- The newest reading: one backward probe of funding_rates_key.
 CROSS JOIN LATERAL (
   SELECT f.rate
     FROM funding_rates f
    WHERE f.symbol = w.symbol AND f.exchange = w.exchange
    ORDER BY f.timestamp DESC
    LIMIT 1
 ) cur`,
  get_latest_price: `
SELECT o.close
      FROM ohlcv o
     WHERE o.symbol = :symbol
       AND o.exchange = :exchange
       AND o.timeframe >= :timeframe AND o.timeframe <= :timeframe
     ORDER BY o.timeframe DESC, o."timestamp" DESC
     LIMIT 1`,
  get_latest_ohlcv_price: `
WITH RECURSIVE series_exchanges(exchange) AS (
      (SELECT d.exchange::text
         FROM ohlcv_data d
        WHERE d.symbol = :symbol
          AND d.timeframe = :timeframe
        ORDER BY d.exchange
        LIMIT 1)
      UNION ALL
      SELECT (SELECT d.exchange::text
                FROM ohlcv_data d
               WHERE d.symbol = :symbol
                 AND d.timeframe = :timeframe
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
            WHERE d.symbol = :symbol
              AND d.timeframe = :timeframe
              -- A one-value range, not =, keeps exchange in the ORDER BY.
              AND d.exchange >= e.exchange AND d.exchange <= e.exchange
            ORDER BY d.exchange DESC, d."timestamp" DESC
            LIMIT 1) newest
     ORDER BY newest."timestamp" DESC, e.exchange
     LIMIT 1`,
  get_latest_funding_rate: `
-- One backward probe of funding_rates_key (symbol, exchange, timestamp).
  SELECT r.rate, r.rate_bps, r.annualized_rate, r."timestamp"
    FROM funding_rates r
   WHERE r.symbol = :symbol
     AND r.exchange = :exchange
   ORDER BY r."timestamp" DESC
   LIMIT 1`,
  ohlcv_data_series: `
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
  SELECT s.symbol, s.timeframe, s.exchange FROM series s`,
};
