ALTER TABLE "ohlcv" DROP CONSTRAINT "ohlcv_timeframe_allowed";--> statement-breakpoint
ALTER TABLE "ohlcv_data" DROP CONSTRAINT "ohlcv_data_timeframe_allowed";--> statement-breakpoint
ALTER TABLE "technical_signals" DROP CONSTRAINT "technical_signals_timeframe_allowed";--> statement-breakpoint
ALTER TABLE "ohlcv" ADD CONSTRAINT "ohlcv_timeframe_allowed" CHECK ("timeframe" IN ('1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'));--> statement-breakpoint
ALTER TABLE "ohlcv_data" ADD CONSTRAINT "ohlcv_data_timeframe_allowed" CHECK ("timeframe" IN ('1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'));--> statement-breakpoint
ALTER TABLE "technical_signals" ADD CONSTRAINT "technical_signals_timeframe_allowed" CHECK ("timeframe" IN ('1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'));