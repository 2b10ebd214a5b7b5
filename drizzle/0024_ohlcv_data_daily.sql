CREATE TABLE "ohlcv_data_daily" (
	"symbol" varchar(20) NOT NULL,
	"timeframe" varchar(10) NOT NULL,
	"exchange" varchar(50) NOT NULL,
	"day" date NOT NULL,
	"last_candle_time" timestamp with time zone,
	"last_close" numeric(20, 8),
	CONSTRAINT "ohlcv_data_daily_pkey" PRIMARY KEY("symbol","timeframe","exchange","day")
);
--> statement-breakpoint
CREATE INDEX "ohlcv_data_daily_day_idx" ON "ohlcv_data_daily" USING btree ("day");