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
