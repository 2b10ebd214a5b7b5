-- depends: ohlcv_data_series
CREATE OR REPLACE VIEW v_market_correlation AS
-- Series come from ohlcv_data_series(): one row each.
WITH series AS (SELECT * FROM ohlcv_data_series()),
-- The 30 reported UTC days ending today, plus the day before them (for the
-- first day's price_change), as [day_start, day_end) instants.
-- Counted in integers: the planner knows an integer series' length (31), but
-- guesses 1000 rows for a timestamp series, and so would cost the view high
-- enough to compile it with JIT (tens of milliseconds more than running it).
days AS (
  SELECT d::date AS day,
         d AT TIME ZONE 'UTC' AS day_start,
         (d + interval '1 day') AT TIME ZONE 'UTC' AS day_end
    FROM generate_series(0, 30) AS i
   CROSS JOIN LATERAL (SELECT ((now() AT TIME ZONE 'UTC')::date - 30 + i)::timestamp AS d) AS day_of
),
-- Each series' length: '1M' is a calendar month, which PostgreSQL's interval
-- input would read as one minute.
lengths AS (
  SELECT s.*, CASE s.timeframe WHEN '1M' THEN interval '1 month' ELSE s.timeframe::interval END AS length
    FROM series s
),
-- Each series' last candle of each day: the last candle of the day's last
-- hour in ohlcv_data_hourly (UTC days are whole UTC hours), one backward
-- probe of its key per series and day, never a read of ohlcv_data.
-- Timeframes longer than a day ('3d', '1w', '1M') do not close within a day.
last_candles AS (
  SELECT s.symbol, s.exchange, s.timeframe, days.day, days.day_start, days.day_end,
         c.timestamp + s.length AS closes_at, s.length, c.close
    FROM lengths s
   CROSS JOIN days
   CROSS JOIN LATERAL (
     SELECT h.last_candle_time AS timestamp, h.last_close AS close
       FROM ohlcv_data_hourly h
      WHERE h.symbol = s.symbol AND h.timeframe = s.timeframe AND h.exchange = s.exchange
        AND h.bucket_start >= days.day_start AND h.bucket_start < days.day_end
      ORDER BY h.bucket_start DESC
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
 WHERE dc.day > (now() AT TIME ZONE 'UTC')::date - 30;
--> statement-breakpoint
COMMENT ON VIEW v_market_correlation IS 'Daily market context per (symbol, exchange) and UTC day, for the 30 UTC days ending today (days on which the pair has a candle in ohlcv_data). avg_funding_rate = mean funding rate of the pair that day (fraction per funding period; null without readings); fear_greed_value = the day''s first fear & greed reading (index points 0..100; null without one); price_change = the day''s close minus the previous UTC day''s close (quote currency per base unit; null when the previous day has no close). A day''s close is the close of the pair''s candle that closes last that day, across its timeframes up to ''1d'' (open time + timeframe length; on a tie the longer timeframe, so a ''1d'' candle is preferred); for today it is the latest close so far. Unordered.';
