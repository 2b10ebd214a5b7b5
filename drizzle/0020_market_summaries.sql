CREATE TABLE "funding_rates_latest" (
	"symbol" varchar(20) NOT NULL,
	"exchange" varchar(50) NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"rate" numeric(10, 8) NOT NULL,
	"rate_bps" numeric(10, 4),
	"annualized_rate" numeric(10, 6),
	CONSTRAINT "funding_rates_latest_pkey" PRIMARY KEY("symbol","exchange")
);
--> statement-breakpoint
CREATE TABLE "ohlcv_data_hourly" (
	"symbol" varchar(20) NOT NULL,
	"timeframe" varchar(10) NOT NULL,
	"exchange" varchar(50) NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"candle_count" integer NOT NULL,
	"range_pct_sum" numeric NOT NULL,
	"range_pct_square_sum" numeric NOT NULL,
	"volume_sum" numeric NOT NULL,
	"volume_max" numeric(20, 8),
	"first_candle_time" timestamp with time zone,
	"first_open" numeric(20, 8),
	"last_candle_time" timestamp with time zone,
	"last_close" numeric(20, 8),
	CONSTRAINT "ohlcv_data_hourly_pkey" PRIMARY KEY("symbol","timeframe","exchange","bucket_start"),
	CONSTRAINT "ohlcv_data_hourly_candle_count_nonnegative" CHECK ("ohlcv_data_hourly"."candle_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ohlcv_data_latest" (
	"symbol" varchar(20) NOT NULL,
	"timeframe" varchar(10) NOT NULL,
	"exchange" varchar(50) NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"open" numeric(20, 8) NOT NULL,
	"close" numeric(20, 8) NOT NULL,
	"volume" numeric(20, 8) NOT NULL,
	CONSTRAINT "ohlcv_data_latest_pkey" PRIMARY KEY("symbol","timeframe","exchange")
);
--> statement-breakpoint
CREATE TABLE "ohlcv_latest" (
	"symbol" varchar(20) NOT NULL,
	"exchange" varchar(50) NOT NULL,
	"timeframe" varchar(10) NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"close" numeric(20, 8) NOT NULL,
	CONSTRAINT "ohlcv_latest_pkey" PRIMARY KEY("symbol","exchange","timeframe")
);
