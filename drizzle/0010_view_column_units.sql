COMMENT ON COLUMN "v_active_positions"."entry_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."quantity" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."leverage" IS 'leverage multiplier (x)';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."margin" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."current_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."unrealized_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."unrealized_pnl_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."liquidation_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."stop_loss" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."take_profit" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."trailing_stop" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."signal_score" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."technical_score" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."llm_score" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_active_positions"."minutes_held" IS 'minutes';
--> statement-breakpoint
COMMENT ON COLUMN "v_analysis_performance"."decision_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_analysis_performance"."realized_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "v_analysis_performance"."realized_pnl_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_decision_analysis"."decision_confidence" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_decision_analysis"."technical_confidence" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_decision_analysis"."llm_confidence" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_decision_analysis"."ml_confidence" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_decision_analysis"."prob_long" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_decision_analysis"."prob_short" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_funding_rate_analysis"."current_rate" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_funding_rate_analysis"."avg_rate_24h" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_funding_rate_analysis"."avg_rate_7d" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_funding_rate_analysis"."avg_rate_30d" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_funding_rate_analysis"."max_rate_24h" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_funding_rate_analysis"."min_rate_24h" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_market_correlation"."avg_funding_rate" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_market_correlation"."fear_greed_value" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "v_market_correlation"."price_change" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_market_data_summary"."last_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_market_data_summary"."last_volume" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_market_data_summary"."last_candle_change_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_market_data_summary"."fear_greed_value" IS 'index points, 0 (extreme fear) to 100 (extreme greed)';
--> statement-breakpoint
COMMENT ON COLUMN "v_market_data_summary"."funding_rate" IS 'fraction per funding period (0.0001 = 0.01 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_market_data_summary"."funding_rate_bps" IS 'basis points per funding period';
--> statement-breakpoint
COMMENT ON COLUMN "v_market_data_summary"."funding_rate_annual" IS 'fraction per year';
--> statement-breakpoint
COMMENT ON COLUMN "v_recent_trades"."entry_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_recent_trades"."exit_price" IS 'price, quote currency per unit of base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_recent_trades"."quantity" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_recent_trades"."realized_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "v_recent_trades"."realized_pnl_pct" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_recent_trades"."signal_score" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_recent_trades"."technical_score" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_recent_trades"."llm_score" IS 'fraction in [0,1] (0.75 = 75 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_recent_trades"."duration_minutes" IS 'minutes';
--> statement-breakpoint
COMMENT ON COLUMN "v_risk_summary"."today_pnl" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "v_risk_summary"."current_balance" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "v_risk_summary"."avg_win_rate_7d" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_risk_summary"."total_pnl_7d" IS 'amount in quote currency (e.g. USDT)';
--> statement-breakpoint
COMMENT ON COLUMN "v_volatility_analysis"."volatility_24h" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_volatility_analysis"."volatility_7d" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_volatility_analysis"."avg_range_24h" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_volatility_analysis"."avg_range_7d" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
COMMENT ON COLUMN "v_volatility_analysis"."avg_volume_24h" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_volatility_analysis"."max_volume_24h" IS 'quantity in base currency';
--> statement-breakpoint
COMMENT ON COLUMN "v_volatility_analysis"."price_change_24h" IS 'percentage points (12.5 = 12.5 %)';
--> statement-breakpoint
