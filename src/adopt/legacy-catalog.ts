/**
 * The catalog of a database built by the seed's psql migrations 001-004 on
 * PostgreSQL 15 (errors skipped, as the seed README said): what adoption
 * expects to find in schema public. Column types are format_type() text;
 * functions are regprocedure text. Derived from the measured catalog.
 */

export const LEGACY_TABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ohlcv: { id: 'bigint', symbol: 'character varying(20)', exchange: 'character varying(50)', timeframe: 'character varying(10)', timestamp: 'timestamp with time zone', open: 'numeric(20,8)', high: 'numeric(20,8)', low: 'numeric(20,8)', close: 'numeric(20,8)', volume: 'numeric(20,8)', quote_volume: 'numeric(20,8)', trades_count: 'integer', created_at: 'timestamp with time zone' },
  trades: { id: 'bigint', trade_id: 'character varying(100)', symbol: 'character varying(20)', exchange: 'character varying(50)', side: 'character varying(10)', action: 'character varying(10)', entry_price: 'numeric(20,8)', exit_price: 'numeric(20,8)', quantity: 'numeric(20,8)', leverage: 'numeric(5,2)', realized_pnl: 'numeric(20,8)', realized_pnl_pct: 'numeric(10,4)', fee: 'numeric(20,8)', signal_score: 'numeric(5,4)', technical_score: 'numeric(5,4)', llm_score: 'numeric(5,4)', xgb_confidence: 'numeric(5,4)', stop_loss: 'numeric(20,8)', take_profit: 'numeric(20,8)', position_size_pct: 'numeric(5,2)', decision_reasons: 'jsonb', llm_analysis: 'jsonb', entry_time: 'timestamp with time zone', exit_time: 'timestamp with time zone', created_at: 'timestamp with time zone', updated_at: 'timestamp with time zone' },
  daily_pnl: { id: 'bigint', date: 'date', realized_pnl: 'numeric(20,8)', unrealized_pnl: 'numeric(20,8)', total_pnl: 'numeric(20,8)', balance_start: 'numeric(20,8)', balance_end: 'numeric(20,8)', equity_start: 'numeric(20,8)', equity_end: 'numeric(20,8)', peak_balance: 'numeric(20,8)', lowest_balance: 'numeric(20,8)', peak_equity: 'numeric(20,8)', lowest_equity: 'numeric(20,8)', max_drawdown: 'numeric(20,8)', max_drawdown_pct: 'numeric(10,4)', current_drawdown: 'numeric(20,8)', current_drawdown_pct: 'numeric(10,4)', total_trades: 'integer', winning_trades: 'integer', losing_trades: 'integer', win_rate: 'numeric(5,2)', gross_profit: 'numeric(20,8)', gross_loss: 'numeric(20,8)', average_win: 'numeric(20,8)', average_loss: 'numeric(20,8)', profit_factor: 'numeric(10,4)', long_trades: 'integer', short_trades: 'integer', avg_position_size: 'numeric(20,8)', max_position_size: 'numeric(20,8)', total_volume: 'numeric(20,8)', total_fees: 'numeric(20,8)', fee_pct_of_volume: 'numeric(10,6)', circuit_breakers_triggered: 'integer', kill_switch_activated: 'boolean', sharpe_ratio: 'numeric(10,4)', sortino_ratio: 'numeric(10,4)', calmar_ratio: 'numeric(10,4)', avg_trade_duration_minutes: 'integer', shortest_trade_minutes: 'integer', longest_trade_minutes: 'integer', current_win_streak: 'integer', current_loss_streak: 'integer', longest_win_streak: 'integer', longest_loss_streak: 'integer', best_trade_pnl: 'numeric(20,8)', worst_trade_pnl: 'numeric(20,8)', exchange: 'character varying(50)', calculation_completed_at: 'timestamp with time zone', created_at: 'timestamp with time zone', updated_at: 'timestamp with time zone' },
  ohlcv_data: { id: 'bigint', symbol: 'character varying(20)', timeframe: 'character varying(10)', timestamp: 'timestamp with time zone', open: 'numeric(20,8)', high: 'numeric(20,8)', low: 'numeric(20,8)', close: 'numeric(20,8)', volume: 'numeric(20,8)', quote_volume: 'numeric(20,8)', taker_buy_volume: 'numeric(20,8)', taker_buy_quote_volume: 'numeric(20,8)', trades_count: 'integer', is_complete: 'boolean', has_gaps: 'boolean', exchange: 'character varying(50)', data_source: 'character varying(50)', created_at: 'timestamp with time zone' },
  llm_analyses: { id: 'bigint', symbol: 'character varying(20)', timestamp: 'timestamp with time zone', sentiment: 'character varying(10)', confidence: 'numeric(5,4)', summary: 'text', key_factors_json: 'jsonb', model: 'character varying(50)', cached: 'boolean', prompt_tokens: 'integer', completion_tokens: 'integer', total_tokens: 'integer', estimated_cost: 'numeric(10,6)', response_time_ms: 'integer', temperature: 'numeric(3,2)', prompt_text: 'text', response_text: 'text', status: 'character varying(20)', error_message: 'text', created_at: 'timestamp with time zone' },
  funding_rates: { id: 'bigint', symbol: 'character varying(20)', timestamp: 'timestamp with time zone', rate: 'numeric(10,8)', rate_bps: 'numeric(10,4)', annualized_rate: 'numeric(10,6)', mark_price: 'numeric(20,8)', index_price: 'numeric(20,8)', premium: 'numeric(10,8)', predicted_rate: 'numeric(10,8)', funding_interval_hours: 'integer', exchange: 'character varying(50)', is_estimated: 'boolean', created_at: 'timestamp with time zone' },
  system_events: { id: 'bigint', event_type: 'character varying(50)', severity: 'character varying(20)', message: 'text', details: 'jsonb', symbol: 'character varying(20)', exchange: 'character varying(50)', trade_id: 'character varying(100)', position_id: 'bigint', stack_trace: 'text', created_at: 'timestamp with time zone' },
  ml_predictions: { id: 'bigint', symbol: 'character varying(20)', timestamp: 'timestamp with time zone', action: 'character varying(10)', confidence: 'numeric(5,4)', prob_long: 'numeric(5,4)', prob_short: 'numeric(5,4)', prob_hold: 'numeric(5,4)', feature_importance_json: 'jsonb', model_version: 'character varying(50)', model_type: 'character varying(50)', prediction_time_ms: 'integer', features_used: 'integer', historical_accuracy: 'numeric(5,4)', created_at: 'timestamp with time zone' },
  fear_greed_index: { id: 'bigint', timestamp: 'timestamp with time zone', value: 'integer', classification: 'character varying(20)', value_yesterday: 'integer', value_last_week: 'integer', value_last_month: 'integer', volatility_score: 'integer', market_momentum_score: 'integer', social_media_score: 'integer', surveys_score: 'integer', dominance_score: 'integer', trends_score: 'integer', data_source: 'character varying(50)', created_at: 'timestamp with time zone' },
  llm_analysis_log: { id: 'bigint', analysis_type: 'character varying(50)', symbol: 'character varying(20)', exchange: 'character varying(50)', prompt_template: 'character varying(100)', prompt_tokens: 'integer', prompt_text: 'text', response_text: 'text', response_tokens: 'integer', response_json: 'jsonb', total_tokens: 'integer', estimated_cost: 'numeric(10,6)', model_name: 'character varying(100)', temperature: 'numeric(3,2)', status: 'character varying(20)', error_message: 'text', execution_time_ms: 'integer', created_at: 'timestamp with time zone' },
  daily_performance: { id: 'bigint', date: 'date', exchange: 'character varying(50)', total_trades: 'integer', winning_trades: 'integer', losing_trades: 'integer', win_rate: 'numeric(5,2)', gross_profit: 'numeric(20,8)', gross_loss: 'numeric(20,8)', net_pnl: 'numeric(20,8)', net_pnl_pct: 'numeric(10,4)', total_fees: 'numeric(20,8)', avg_position_size: 'numeric(20,8)', max_position_size: 'numeric(20,8)', total_volume: 'numeric(20,8)', max_drawdown: 'numeric(10,4)', max_drawdown_amount: 'numeric(20,8)', sharpe_ratio: 'numeric(10,4)', profit_factor: 'numeric(10,4)', starting_balance: 'numeric(20,8)', ending_balance: 'numeric(20,8)', peak_balance: 'numeric(20,8)', avg_trade_duration_minutes: 'integer', longest_winning_streak: 'integer', longest_losing_streak: 'integer', created_at: 'timestamp with time zone', updated_at: 'timestamp with time zone' },
  technical_signals: { id: 'bigint', symbol: 'character varying(20)', timestamp: 'timestamp with time zone', overall_signal: 'character varying(10)', confidence: 'numeric(5,4)', bullish_count: 'integer', bearish_count: 'integer', neutral_count: 'integer', indicators_json: 'jsonb', rsi_value: 'numeric(10,4)', rsi_signal: 'character varying(10)', macd_histogram: 'numeric(20,8)', macd_signal: 'character varying(10)', bb_position: 'numeric(10,4)', bb_signal: 'character varying(10)', timeframe: 'character varying(10)', created_at: 'timestamp with time zone' },
  kill_switch_events: { id: 'bigint', activated_at: 'timestamp with time zone', reason: 'text', trigger_source: 'character varying(50)', activated_by: 'character varying(100)', positions_closed: 'integer', orders_cancelled: 'integer', emergency_exit_used: 'boolean', balance_before: 'numeric(20,8)', equity_before: 'numeric(20,8)', open_positions_before: 'integer', pending_orders_before: 'integer', balance_after: 'numeric(20,8)', equity_after: 'numeric(20,8)', emergency_pnl: 'numeric(20,8)', action_log_json: 'jsonb', system_state_json: 'jsonb', deactivated_at: 'timestamp with time zone', deactivated_by: 'character varying(100)', deactivation_reason: 'text', status: 'character varying(20)', severity: 'character varying(20)', recovery_started_at: 'timestamp with time zone', recovery_completed_at: 'timestamp with time zone', recovery_notes: 'text', created_at: 'timestamp with time zone', updated_at: 'timestamp with time zone' },
  circuit_breaker_events: { id: 'bigint', triggered_at: 'timestamp with time zone', reason: 'character varying(100)', trigger_type: 'character varying(50)', threshold_value: 'numeric(20,8)', actual_value: 'numeric(20,8)', symbol: 'character varying(20)', daily_pnl: 'numeric(20,8)', drawdown_pct: 'numeric(10,4)', consecutive_losses: 'integer', open_positions: 'integer', account_balance: 'numeric(20,8)', context_json: 'jsonb', resolved_at: 'timestamp with time zone', cooldown_hours: 'numeric(5,2)', cooldown_expires_at: 'timestamp with time zone', status: 'character varying(20)', resolved_by: 'character varying(50)', resolution_reason: 'text', severity: 'character varying(20)', created_at: 'timestamp with time zone', updated_at: 'timestamp with time zone' },
};

export const LEGACY_VIEWS: readonly string[] = ['v_funding_rate_analysis', 'v_market_data_summary', 'v_recent_trades', 'v_risk_summary', 'v_volatility_analysis'];

/** Trigger names per table. */
export const LEGACY_TRIGGERS: Readonly<Record<string, readonly string[]>> = {
  trades: ['update_trades_updated_at'],
  daily_pnl: ['update_daily_pnl_updated_at'],
  funding_rates: ['trigger_funding_rate_metrics'],
  fear_greed_index: ['trigger_fear_greed_classification'],
  daily_performance: ['update_daily_performance_updated_at'],
  kill_switch_events: ['update_kill_switch_updated_at'],
  circuit_breaker_events: ['trigger_circuit_breaker_cooldown', 'update_circuit_breaker_updated_at'],
};

export const LEGACY_FUNCTIONS: readonly string[] = [
  'uuid_nil()',
  'uuid_ns_dns()',
  'uuid_ns_url()',
  'uuid_ns_oid()',
  'uuid_ns_x500()',
  'uuid_generate_v1()',
  'uuid_generate_v1mc()',
  'uuid_generate_v3(uuid,text)',
  'uuid_generate_v4()',
  'uuid_generate_v5(uuid,text)',
  'update_updated_at_column()',
  'set_fear_greed_classification()',
  'get_latest_price(character varying,character varying,character varying)',
  'calculate_position_pnl(bigint,numeric)',
  'set_circuit_breaker_cooldown_expiry()',
  'calculate_funding_rate_metrics()',
  'get_latest_ohlcv_price(character varying,character varying)',
  'is_trading_allowed()',
  'calculate_daily_pnl(date)',
];
