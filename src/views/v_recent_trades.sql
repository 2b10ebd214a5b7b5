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
