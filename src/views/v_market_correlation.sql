CREATE OR REPLACE VIEW v_market_correlation AS
-- Each series' last candle of each of the 30 reported UTC days ending today,
-- plus the day before them (for the first day's price_change): one range of
-- ohlcv_data_daily's day index, never a read of ohlcv_data or of its hours.
-- '1M' is a calendar month, which PostgreSQL's interval input would read as
-- one minute. Timeframes longer than a day ('3d', '1w', '1M') do not close
-- within a day.
WITH last_candles AS (
  SELECT d.symbol::varchar AS symbol, d.exchange::varchar AS exchange, d.day,
         d.day::timestamp AT TIME ZONE 'UTC' AS day_start,
         (d.day + 1)::timestamp AT TIME ZONE 'UTC' AS day_end,
         d.last_candle_time + s.length AS closes_at, s.length, d.last_close AS close
    FROM ohlcv_data_daily d
   CROSS JOIN LATERAL (
     SELECT CASE d.timeframe WHEN '1M' THEN interval '1 month' ELSE d.timeframe::interval END AS length
   ) s
   WHERE d.day >= (now() AT TIME ZONE 'UTC')::date - 30 AND d.day <= (now() AT TIME ZONE 'UTC')::date
     AND s.length <= interval '1 day'
),
-- The day's close: the candle that closes last that day; on a tie the longer
-- timeframe wins, so the '1d' candle is preferred when there is one.
-- (Grouped bytewise: the same groups, and the default collation's sort costs
-- more than the rest.)
daily_close AS (
  SELECT DISTINCT ON (l.symbol COLLATE "C", l.exchange COLLATE "C", l.day)
         l.symbol, l.exchange, l.day, l.day_start, l.day_end, l.close
    FROM last_candles l
   ORDER BY l.symbol COLLATE "C", l.exchange COLLATE "C", l.day, l.closes_at DESC, l.length DESC
),
-- Each pair's mean funding rate per reported day: one pass over the window's
-- readings instead of a probe of every month per pair and day.
funding AS (
  SELECT f.symbol, f.exchange, (f.timestamp AT TIME ZONE 'UTC')::date AS day, avg(f.rate) AS avg_funding_rate
    FROM funding_rates f
   WHERE f.timestamp >= ((now() AT TIME ZONE 'UTC')::date - 29)::timestamp AT TIME ZONE 'UTC'
     AND f.timestamp < ((now() AT TIME ZONE 'UTC')::date + 1)::timestamp AT TIME ZONE 'UTC'
   GROUP BY 1, 2, 3
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
  LEFT JOIN funding
    ON funding.symbol = dc.symbol AND funding.exchange = dc.exchange AND funding.day = dc.day
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
