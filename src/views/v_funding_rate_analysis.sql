CREATE OR REPLACE VIEW v_funding_rate_analysis AS
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
  -- The newest reading: funding_rates_latest, kept by maintain_funding_rates_latest.
 JOIN funding_rates_latest cur ON cur.symbol = w.symbol AND cur.exchange = w.exchange;
--> statement-breakpoint
COMMENT ON VIEW v_funding_rate_analysis IS 'Funding rate statistics per (symbol, exchange) with a reading in the last 30 days. Rates are fractions per funding period (0.0001 = 0.01 %): current_rate = the newest reading, avg_rate_24h / avg_rate_7d / avg_rate_30d = mean over readings in the last 24 hours / 7 days / 30 days, max_rate_24h and min_rate_24h over the last 24 hours (null without readings in a window). high_positive_periods_7d / high_negative_periods_7d = number of readings in the last 7 days with rate > 0.0005 / rate < -0.0005. last_update = time of the newest reading. Windows end at now(); estimated readings count like the others. Unordered.';
