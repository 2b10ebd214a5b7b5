CREATE OR REPLACE VIEW v_active_positions AS
SELECT p.id,
       p.symbol,
       p.exchange,
       p.side,
       p.entry_price,
       p.quantity,
       p.leverage,
       p.margin,
       p.current_price,
       p.unrealized_pnl,
       p.unrealized_pnl_pct,
       p.liquidation_price,
       p.stop_loss,
       p.take_profit,
       p.trailing_stop,
       p.status,
       p.trade_id,
       p.entry_time,
       p.last_updated,
       p.created_at,
       t.signal_score,
       t.technical_score,
       t.llm_score,
       floor(extract(epoch FROM now() - p.entry_time) / 60)::integer AS minutes_held
  FROM positions p
  LEFT JOIN trades t ON t.trade_id = p.trade_id
 WHERE p.status = 'open';
--> statement-breakpoint
COMMENT ON VIEW v_active_positions IS 'Every open position (all positions columns, same units: prices in quote currency per base unit, quantity in base currency, margin and unrealized_pnl in quote currency, unrealized_pnl_pct in percentage points) plus the linked trade''s signal_score, technical_score and llm_score (fractions in [0,1]; null without a linked trade) and minutes_held (whole minutes since entry_time, rounded down). Unordered.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_recent_trades AS
SELECT t.symbol,
       t.exchange,
       t.side,
       t.action,
       t.entry_price,
       t.exit_price,
       t.quantity,
       t.realized_pnl,
       t.realized_pnl_pct,
       t.signal_score,
       t.technical_score,
       t.llm_score,
       t.entry_time,
       t.exit_time,
       round(extract(epoch FROM t.exit_time - t.entry_time) / 60)::integer AS duration_minutes
  FROM trades t
 -- exit_time IS NOT NULL (implied for closed trades by a CHECK) lets the
 -- partial index trades_exit_time_idx serve the newest-exit-first read.
 WHERE t.action IN ('close', 'liquidated')
   AND t.exit_time IS NOT NULL
 ORDER BY t.exit_time DESC, t.id DESC
 LIMIT 100;
--> statement-breakpoint
COMMENT ON VIEW v_recent_trades IS 'The 100 most recently closed trades (action close or liquidated), newest exit_time first (ties: newest id first). Prices in quote currency per base unit, quantity in base currency, realized_pnl in quote currency, realized_pnl_pct in percentage points, scores are fractions in [0,1], duration_minutes = minutes from entry_time to exit_time rounded to the nearest whole minute (half up), as calculate_daily_pnl() rounds trade durations.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_decision_analysis AS
SELECT d.id AS decision_id,
       d.symbol,
       d.timestamp,
       d.action,
       d.confidence AS decision_confidence,
       d.executed,
       d.vetoed,
       d.veto_reason,
       ts.overall_signal AS technical_signal,
       ts.confidence AS technical_confidence,
       ts.bullish_count,
       ts.bearish_count,
       la.sentiment AS llm_sentiment,
       la.confidence AS llm_confidence,
       la.summary AS llm_summary,
       la.cached AS llm_cached,
       mp.action AS ml_action,
       mp.confidence AS ml_confidence,
       mp.prob_long,
       mp.prob_short,
       d.reasons_json
  FROM trading_decisions d
  LEFT JOIN technical_signals ts ON ts.id = d.technical_signal_id
  LEFT JOIN llm_analyses la ON la.id = d.llm_analysis_id
  LEFT JOIN ml_predictions mp ON mp.id = d.ml_prediction_id
 ORDER BY d.timestamp DESC, d.id DESC;
--> statement-breakpoint
COMMENT ON VIEW v_decision_analysis IS 'Each trading decision with the technical signal, LLM analysis and ML prediction it was built from (component columns null when the decision links none), newest first (ties: newest id first). Confidences and probabilities are fractions in [0,1]; bullish_count and bearish_count count indicators.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_analysis_performance AS
SELECT d.symbol,
       d.action AS decision_action,
       d.executed,
       d.entry_price AS decision_price,
       t.realized_pnl,
       t.realized_pnl_pct,
       CASE WHEN t.realized_pnl > 0 THEN true
            WHEN t.realized_pnl < 0 THEN false
       END AS was_profitable,
       ts.overall_signal AS technical_signal,
       la.sentiment AS llm_sentiment,
       mp.action AS ml_action,
       d.timestamp AS decision_time,
       t.entry_time,
       t.exit_time
  FROM trading_decisions d
  JOIN orders o ON o.id = d.order_id
  JOIN trades t ON t.id = o.trade_id
  LEFT JOIN technical_signals ts ON ts.id = d.technical_signal_id
  LEFT JOIN llm_analyses la ON la.id = d.llm_analysis_id
  LEFT JOIN ml_predictions mp ON mp.id = d.ml_prediction_id
 WHERE d.executed
   AND t.realized_pnl IS NOT NULL;
--> statement-breakpoint
COMMENT ON VIEW v_analysis_performance IS 'Executed decisions whose order links to a trade with realized P&L, beside the analysis that led to them: decision_price = the decision''s intended entry_price (quote currency per base unit), realized_pnl in quote currency, realized_pnl_pct in percentage points, was_profitable = realized_pnl > 0 (null when exactly 0). Unordered.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_risk_summary AS
WITH today AS (
  SELECT (now() AT TIME ZONE 'UTC')::date AS day
)
SELECT
  -- The same "blocking" test as is_trading_allowed(): an active breaker blocks
  -- while its cooldown has not passed or it has none. Served by the partial
  -- index circuit_breaker_events_active_cooldown_idx.
  (SELECT count(*)::integer
     FROM circuit_breaker_events
    WHERE status = 'active'
      AND (cooldown_expires_at IS NULL OR cooldown_expires_at > now())) AS active_circuit_breakers,
  (SELECT count(*)::integer
     FROM kill_switch_events
    WHERE status = 'active') AS active_kill_switches,
  (SELECT p.total_pnl FROM daily_pnl p WHERE p.date = today.day) AS today_pnl,
  (SELECT p.balance_end FROM daily_pnl p WHERE p.date = today.day) AS current_balance,
  last_breaker.triggered_at AS last_circuit_breaker,
  last_breaker.reason AS last_circuit_breaker_reason,
  last_kill.activated_at AS last_kill_switch,
  last_kill.reason AS last_kill_switch_reason,
  week.avg_win_rate_7d,
  week.total_pnl_7d
FROM today
LEFT JOIN LATERAL (
  SELECT b.triggered_at, b.reason
    FROM circuit_breaker_events b
   ORDER BY b.triggered_at DESC, b.id DESC
   LIMIT 1
) last_breaker ON true
LEFT JOIN LATERAL (
  SELECT k.activated_at, k.reason
    FROM kill_switch_events k
   ORDER BY k.activated_at DESC, k.id DESC
   LIMIT 1
) last_kill ON true
CROSS JOIN LATERAL (
  SELECT avg(p.win_rate) AS avg_win_rate_7d,
         sum(p.total_pnl) AS total_pnl_7d
    FROM daily_pnl p
   WHERE p.date > today.day - 7
     AND p.date <= today.day
) week;
--> statement-breakpoint
COMMENT ON VIEW v_risk_summary IS 'One row of live risk status. active_circuit_breakers = breakers with status active whose cooldown_expires_at is null or in the future (account-wide and per-symbol; the same blocking test as is_trading_allowed()); active_kill_switches = kill switches with status active. Today = the current UTC day whatever the session TimeZone: today_pnl = daily_pnl.total_pnl and current_balance = daily_pnl.balance_end of today''s row (quote currency; null until calculate_daily_pnl() has written today). last_circuit_breaker / last_kill_switch = time and reason of the newest event of any status. Over the 7 UTC days ending today: avg_win_rate_7d = mean of the days'' win_rate (percentage points; days without a win rate skipped), total_pnl_7d = sum of total_pnl (quote currency; null when no day has a row).';
--> statement-breakpoint
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
--> statement-breakpoint
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
  -- The newest reading: one backward probe of funding_rates_key.
 CROSS JOIN LATERAL (
   SELECT f.rate
     FROM funding_rates f
    WHERE f.symbol = w.symbol AND f.exchange = w.exchange
    ORDER BY f.timestamp DESC
    LIMIT 1
 ) cur;
--> statement-breakpoint
COMMENT ON VIEW v_funding_rate_analysis IS 'Funding rate statistics per (symbol, exchange) with a reading in the last 30 days. Rates are fractions per funding period (0.0001 = 0.01 %): current_rate = the newest reading, avg_rate_24h / avg_rate_7d / avg_rate_30d = mean over readings in the last 24 hours / 7 days / 30 days, max_rate_24h and min_rate_24h over the last 24 hours (null without readings in a window). high_positive_periods_7d / high_negative_periods_7d = number of readings in the last 7 days with rate > 0.0005 / rate < -0.0005. last_update = time of the newest reading. Windows end at now(); estimated readings count like the others. Unordered.';
--> statement-breakpoint
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
--> statement-breakpoint
CREATE OR REPLACE VIEW v_market_correlation AS
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
-- Each series' last candle of each day: one backward probe per series and day.
-- Timeframes longer than a day ('1w') do not close within a day.
last_candles AS (
  SELECT s.symbol, s.exchange, s.timeframe, days.day, days.day_start, days.day_end,
         c.timestamp + s.timeframe::interval AS closes_at, c.close
    FROM series s
   CROSS JOIN days
   CROSS JOIN LATERAL (
     SELECT o.timestamp, o.close
       FROM ohlcv_data o
      WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
        AND o.timestamp >= days.day_start AND o.timestamp < days.day_end
      ORDER BY o.timestamp DESC
      LIMIT 1
   ) c
   WHERE s.timeframe::interval <= interval '1 day'
),
-- The day's close: the candle that closes last that day; on a tie the longer
-- timeframe wins, so the '1d' candle is preferred when there is one.
daily_close AS (
  SELECT DISTINCT ON (l.symbol, l.exchange, l.day)
         l.symbol, l.exchange, l.day, l.day_start, l.day_end, l.close
    FROM last_candles l
   ORDER BY l.symbol, l.exchange, l.day, l.closes_at DESC, l.timeframe::interval DESC
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
--> statement-breakpoint
