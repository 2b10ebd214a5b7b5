COMMENT ON TABLE "ohlcv" IS 'OHLCV candles per exchange; one row per (symbol, exchange, timeframe, open time).';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv"."open" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv"."high" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv"."low" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv"."close" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv"."volume" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv"."quote_volume" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON TABLE "ohlcv_data" IS 'Enhanced OHLCV candles with data-quality flags (is_complete, has_gaps); one row per (symbol, timeframe, open time, exchange).';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data"."open" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data"."high" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data"."low" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data"."close" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data"."volume" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data"."quote_volume" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data"."taker_buy_volume" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "ohlcv_data"."taker_buy_quote_volume" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON TABLE "fear_greed_index" IS 'Crypto Fear & Greed Index readings (0-100); classification is derived from value by trigger.';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."value" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."classification" IS 'set by trigger: classify_fear_greed, from value (<=25 extreme_fear, <=45 fear, <=55 neutral, <=75 greed, else extreme_greed)';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."value_yesterday" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."value_last_week" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."value_last_month" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."volatility_score" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."market_momentum_score" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."social_media_score" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."surveys_score" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."dominance_score" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "fear_greed_index"."trends_score" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON TABLE "funding_rates" IS 'Perpetual futures funding rates per symbol and exchange; bps, annualized rate and premium are derived by trigger.';
--> statement-breakpoint
COMMENT ON COLUMN "funding_rates"."rate" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON COLUMN "funding_rates"."rate_bps" IS 'basis points per funding period; set by trigger: derive_funding_rate_metrics, rate x 10000';
--> statement-breakpoint
COMMENT ON COLUMN "funding_rates"."annualized_rate" IS 'fraction per year; set by trigger: derive_funding_rate_metrics, rate x (24 / funding_interval_hours) x 365';
--> statement-breakpoint
COMMENT ON COLUMN "funding_rates"."mark_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "funding_rates"."index_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "funding_rates"."premium" IS 'fraction of index_price; set by trigger: derive_funding_rate_metrics, (mark_price - index_price) / index_price';
--> statement-breakpoint
COMMENT ON COLUMN "funding_rates"."predicted_rate" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON TABLE "trades" IS 'Trades opened, closed or liquidated by the bot, with P&L and the signal scores behind them.';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."entry_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."exit_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."quantity" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."leverage" IS 'leverage multiplier (x)';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."realized_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."realized_pnl_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."fee" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."signal_score" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."technical_score" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."llm_score" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."xgb_confidence" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."stop_loss" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."take_profit" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "trades"."position_size_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON TABLE "positions" IS 'Current and historical positions; at most one open position per (symbol, exchange, side).';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."entry_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."quantity" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."leverage" IS 'leverage multiplier (x)';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."margin" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."current_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."unrealized_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."unrealized_pnl_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."liquidation_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."stop_loss" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."take_profit" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "positions"."trailing_stop" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON TABLE "orders" IS 'One row per order sent to an exchange, with fills, fees and the exchange response.';
--> statement-breakpoint
COMMENT ON COLUMN "orders"."quantity" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "orders"."price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "orders"."stop_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "orders"."filled_quantity" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "orders"."average_fill_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "orders"."fee" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "orders"."leverage" IS 'leverage multiplier (x)';
--> statement-breakpoint
COMMENT ON TABLE "account_snapshots" IS 'Periodic balance and equity snapshots per exchange account; the source of daily balances and drawdown.';
--> statement-breakpoint
COMMENT ON COLUMN "account_snapshots"."balance" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "account_snapshots"."equity" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "account_snapshots"."available_balance" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "account_snapshots"."margin_used" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "account_snapshots"."unrealized_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON TABLE "technical_signals" IS 'Aggregated technical analysis (RSI, MACD, Bollinger Bands, ...) per symbol and time.';
--> statement-breakpoint
COMMENT ON COLUMN "technical_signals"."confidence" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "technical_signals"."macd_histogram" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON TABLE "llm_analyses" IS 'LLM market analyses with sentiment, confidence, token use and cost.';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analyses"."confidence" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analyses"."prompt_tokens" IS 'tokens';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analyses"."completion_tokens" IS 'tokens';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analyses"."total_tokens" IS 'tokens';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analyses"."estimated_cost" IS 'US dollars';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analyses"."response_time_ms" IS 'milliseconds';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analyses"."temperature" IS 'sampling temperature, 0 to 2';
--> statement-breakpoint
COMMENT ON TABLE "ml_predictions" IS 'Machine-learning (XGBoost) predictions with class probabilities.';
--> statement-breakpoint
COMMENT ON COLUMN "ml_predictions"."confidence" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "ml_predictions"."prob_long" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "ml_predictions"."prob_short" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "ml_predictions"."prob_hold" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "ml_predictions"."prediction_time_ms" IS 'milliseconds';
--> statement-breakpoint
COMMENT ON COLUMN "ml_predictions"."historical_accuracy" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON TABLE "trading_decisions" IS 'Final trading decisions combining technical, LLM and ML inputs, with veto and execution tracking.';
--> statement-breakpoint
COMMENT ON COLUMN "trading_decisions"."confidence" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "trading_decisions"."position_size" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "trading_decisions"."position_size_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "trading_decisions"."stop_loss" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "trading_decisions"."take_profit" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "trading_decisions"."entry_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "trading_decisions"."execution_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "trading_decisions"."decision_latency_ms" IS 'milliseconds';
--> statement-breakpoint
COMMENT ON TABLE "circuit_breaker_events" IS 'Automatic trading halts on risk thresholds; symbol null = account-wide. Blocks trading while active and within cooldown.';
--> statement-breakpoint
COMMENT ON COLUMN "circuit_breaker_events"."threshold_value" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "circuit_breaker_events"."actual_value" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "circuit_breaker_events"."daily_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "circuit_breaker_events"."drawdown_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "circuit_breaker_events"."account_balance" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "circuit_breaker_events"."cooldown_expires_at" IS 'set by trigger: set_circuit_breaker_cooldown_expiry, triggered_at + cooldown_hours hours (null without a cooldown)';
--> statement-breakpoint
COMMENT ON TABLE "kill_switch_events" IS 'Emergency shutdowns; any active row blocks all trading.';
--> statement-breakpoint
COMMENT ON COLUMN "kill_switch_events"."balance_before" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "kill_switch_events"."equity_before" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "kill_switch_events"."balance_after" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "kill_switch_events"."equity_after" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "kill_switch_events"."emergency_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON TABLE "daily_pnl" IS 'Account P&L and risk metrics per UTC day, computed by calculate_daily_pnl().';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."realized_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."unrealized_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."total_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."balance_start" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."balance_end" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."equity_start" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."equity_end" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."peak_balance" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."lowest_balance" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."peak_equity" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."lowest_equity" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."max_drawdown" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."max_drawdown_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."current_drawdown" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."current_drawdown_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."win_rate" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."gross_profit" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."gross_loss" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."average_win" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."average_loss" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."avg_position_size" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."max_position_size" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."total_volume" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."total_fees" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."fee_pct_of_volume" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."avg_trade_duration_minutes" IS 'minutes';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."shortest_trade_minutes" IS 'minutes';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."longest_trade_minutes" IS 'minutes';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."best_trade_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_pnl"."worst_trade_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON TABLE "llm_analysis_log" IS 'Audit log of every LLM API call (append-only for the bot).';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analysis_log"."prompt_tokens" IS 'tokens';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analysis_log"."response_tokens" IS 'tokens';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analysis_log"."total_tokens" IS 'tokens';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analysis_log"."estimated_cost" IS 'US dollars';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analysis_log"."temperature" IS 'sampling temperature, 0 to 2';
--> statement-breakpoint
COMMENT ON COLUMN "llm_analysis_log"."execution_time_ms" IS 'milliseconds';
--> statement-breakpoint
COMMENT ON TABLE "system_events" IS 'System-wide event and audit log (append-only for the bot).';
--> statement-breakpoint
COMMENT ON TABLE "daily_performance" IS 'Daily performance summary per exchange.';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."win_rate" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."gross_profit" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."gross_loss" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."net_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."net_pnl_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."total_fees" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."avg_position_size" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."max_position_size" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."total_volume" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."max_drawdown" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."max_drawdown_amount" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."starting_balance" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."ending_balance" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."peak_balance" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "daily_performance"."avg_trade_duration_minutes" IS 'minutes';
--> statement-breakpoint
