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
