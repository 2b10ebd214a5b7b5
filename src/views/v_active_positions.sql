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
