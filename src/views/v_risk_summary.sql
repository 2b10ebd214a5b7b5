-- depends: blocking_circuit_breakers
CREATE OR REPLACE VIEW v_risk_summary AS
WITH today AS (
  SELECT (now() AT TIME ZONE 'UTC')::date AS day
)
SELECT
  -- The breakers is_trading_allowed() blocks on, by the same definition.
  (SELECT count(*)::integer FROM blocking_circuit_breakers()) AS active_circuit_breakers,
  (SELECT count(*)::integer
     FROM kill_switch_events
    WHERE status = 'active') AS active_kill_switches,
  today_row.total_pnl AS today_pnl,
  today_row.balance_end AS current_balance,
  last_breaker.triggered_at AS last_circuit_breaker,
  last_breaker.reason AS last_circuit_breaker_reason,
  last_kill.activated_at AS last_kill_switch,
  last_kill.reason AS last_kill_switch_reason,
  week.avg_win_rate_7d,
  week.total_pnl_7d
FROM today
LEFT JOIN daily_pnl today_row ON today_row.date = today.day
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
