-- 0019: ohlcv, ohlcv_data, funding_rates, llm_analysis_log and system_events
-- become RANGE-partitioned by UTC calendar month of their time column
-- (src/schema/partitions.ts), every row kept. Each old table is renamed
-- aside, the partitioned parent is created as the schema says (drizzle-kit's
-- CREATE TABLE plus PARTITION BY), the partitions its rows need are made,
-- the rows copied with their ids, the identity continued after the old one,
-- and the old table dropped. Views reading these tables are recreated,
-- triggers, comments and grants re-applied.
-- Refuse rather than invent: a NULL in a column that becomes part of a key.
DO $check$
DECLARE
  key_columns constant text[][] := ARRAY[
    ARRAY['ohlcv', 'symbol', 'exchange', 'timeframe', 'timestamp'],
    ARRAY['ohlcv_data', 'symbol', 'timeframe', 'exchange', 'timestamp'],
    ARRAY['funding_rates', 'symbol', 'exchange', 'timestamp', 'timestamp'],
    ARRAY['llm_analysis_log', 'id', 'created_at', 'created_at', 'created_at'],
    ARRAY['system_events', 'id', 'created_at', 'created_at', 'created_at']];
  i int;
  j int;
  nullable text;
  offending bigint;
  problems text := '';
BEGIN
  FOR i IN 1 .. array_length(key_columns, 1) LOOP
    -- Only a column that may hold NULL needs a scan.
    SELECT string_agg(format('%I IS NULL', a.attname), ' OR ') INTO nullable
      FROM pg_attribute a
     WHERE a.attrelid = format('public.%I', key_columns[i][1])::regclass AND NOT a.attnotnull
       AND a.attname = ANY (key_columns[i:i][2:5]);
    CONTINUE WHEN nullable IS NULL;
    EXECUTE format('SELECT count(*) FROM public.%I WHERE %s', key_columns[i][1], nullable) INTO offending;
    IF offending > 0 THEN
      problems := problems || format(' %s: %s row(s) with NULL in %s;', key_columns[i][1], offending, nullable);
    END IF;
  END LOOP;
  IF problems <> '' THEN
    RAISE EXCEPTION 'migration 0019 (monthly partitions): rows with NULL in a column that becomes part of the primary key:%', problems
      USING ERRCODE = 'not_null_violation',
            HINT = 'Set those values (or delete the rows) yourself, then migrate again; nothing was changed.';
  END IF;
END $check$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ensure_partitions(relation regclass, from_ts timestamptz, to_ts timestamptz)
RETURNS SETOF text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
SET "TimeZone" = 'UTC'
SET "DateStyle" = 'ISO, YMD'
AS $$
DECLARE
  parent text;
  month_start timestamptz;
  last_month timestamptz;
  partition_name text;
  grantee text;
BEGIN
  IF relation IS NULL OR from_ts IS NULL OR to_ts IS NULL THEN
    RAISE EXCEPTION 'ensure_partitions: relation, from_ts and to_ts must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  -- Only the monthly partitioned tables of this library (src/schema/partitions.ts).
  SELECT c.relname INTO parent FROM pg_class c
   WHERE c.oid = relation AND c.relnamespace = 'public'::regnamespace AND c.relkind = 'p'
     AND c.relname IN ('ohlcv', 'ohlcv_data', 'funding_rates', 'llm_analysis_log', 'system_events');
  IF parent IS NULL THEN
    RAISE EXCEPTION 'ensure_partitions: % is not one of the monthly partitioned tables (ohlcv, ohlcv_data, funding_rates, llm_analysis_log, system_events)', relation
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT isfinite(from_ts) OR NOT isfinite(to_ts) OR from_ts > to_ts THEN
    RAISE EXCEPTION 'ensure_partitions: [%, %] is not a finite range with from_ts <= to_ts', from_ts, to_ts
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  month_start := date_trunc('month', from_ts);   -- TimeZone is UTC: calendar months in UTC
  last_month := date_trunc('month', to_ts);
  WHILE month_start <= last_month LOOP
    partition_name := parent || '_p' || to_char(month_start, 'YYYYMM')
      || CASE WHEN month_start < '0001-01-01 00:00:00+00' THEN 'bc' ELSE '' END;
    IF to_regclass(format('public.%I', partition_name)) IS NULL THEN
      -- Created apart and then attached: ATTACH PARTITION takes SHARE UPDATE
      -- EXCLUSIVE on the parent, which lets writers and readers go on (CREATE
      -- TABLE ... PARTITION OF would take ACCESS EXCLUSIVE until commit).
      BEGIN
        EXECUTE format('CREATE TABLE public.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name, parent);
        EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
          parent, partition_name, month_start, month_start + interval '1 month');
      EXCEPTION WHEN duplicate_table OR unique_violation THEN
        -- Another session created it meanwhile (committed before us: we waited for it).
        month_start := month_start + interval '1 month';
        CONTINUE;
      END;
      -- Reached through the parent only: no direct privileges (the default
      -- privileges of the creating role would grant the bot UPDATE on an audit log's month).
      EXECUTE format('REVOKE ALL ON TABLE public.%I FROM PUBLIC', partition_name);
      FOREACH grantee IN ARRAY ARRAY['analyst', 'trading_bot'] LOOP
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = grantee) THEN
          EXECUTE format('REVOKE ALL ON TABLE public.%I FROM %I', partition_name, grantee);
        END IF;
      END LOOP;
      RETURN NEXT partition_name;
    END IF;
    month_start := month_start + interval '1 month';
  END LOOP;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION ensure_partitions(regclass, timestamptz, timestamptz) IS 'Creates the missing monthly partitions (<table>_pYYYYMM, UTC calendar months) of relation, one of ohlcv, ohlcv_data, funding_rates, llm_analysis_log, system_events, covering from_ts .. to_ts inclusive; returns the names it created. Safe to run concurrently: a partition another session created meanwhile is skipped. Partitions get no direct privileges (they are reached through the parent).';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION premake_partitions(months_ahead integer DEFAULT 12)
RETURNS SETOF text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
SET "TimeZone" = 'UTC'
AS $$
DECLARE
  parent text;
BEGIN
  IF months_ahead IS NULL OR months_ahead < 0 OR months_ahead > 120 THEN
    RAISE EXCEPTION 'premake_partitions: months_ahead must be 0 to 120, got %', coalesce(months_ahead::text, 'null')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOREACH parent IN ARRAY ARRAY['funding_rates', 'llm_analysis_log', 'ohlcv', 'ohlcv_data', 'system_events'] LOOP
    RETURN QUERY SELECT ensure_partitions(format('public.%I', parent)::regclass, date_trunc('month', now()),
      date_trunc('month', now()) + make_interval(months => months_ahead));
  END LOOP;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION premake_partitions(integer) IS 'Creates the monthly partitions of ohlcv, ohlcv_data, funding_rates, llm_analysis_log and system_events for the current UTC month and months_ahead (0 to 120, default 12) months after it; returns the names it created. migrate() runs it; run it monthly (e.g. from pg_cron) so that writes never wait for a partition.';
--> statement-breakpoint
-- Views read the old tables by OID; they are recreated below from their sources.
DROP VIEW v_market_data_summary, v_funding_rate_analysis, v_volatility_analysis, v_market_correlation;
--> statement-breakpoint
-- Move the old tables aside and free the names their indexes, key
-- constraints and identity sequences hold (the old table is dropped below).
DO $aside$
DECLARE
  t text;
  r record;
BEGIN
  FOREACH t IN ARRAY ARRAY['ohlcv', 'ohlcv_data', 'funding_rates', 'llm_analysis_log', 'system_events'] LOOP
    EXECUTE format('ALTER TABLE public.%I RENAME TO %I', t, t || '_before_0019');
    FOR r IN SELECT conname FROM pg_constraint
              WHERE conrelid = format('public.%I', t || '_before_0019')::regclass AND contype IN ('p', 'u', 'x') LOOP
      EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', t || '_before_0019', r.conname);
    END LOOP;
    FOR r IN SELECT indexrelid::regclass AS name FROM pg_index
              WHERE indrelid = format('public.%I', t || '_before_0019')::regclass LOOP
      EXECUTE format('DROP INDEX %s', r.name);
    END LOOP;
    -- PostgreSQL 18 names NOT NULL constraints (<table>_<column>_not_null): free those names too.
    FOR r IN SELECT conname FROM pg_constraint
              WHERE conrelid = format('public.%I', t || '_before_0019')::regclass AND contype = 'n' LOOP
      EXECUTE format('ALTER TABLE public.%I RENAME CONSTRAINT %I TO %I', t || '_before_0019', r.conname, left('b0019_' || r.conname, 63));
    END LOOP;
    EXECUTE format('ALTER SEQUENCE public.%I RENAME TO %I', t || '_id_seq', t || '_before_0019_id_seq');
  END LOOP;
END $aside$;
--> statement-breakpoint
CREATE TABLE "ohlcv" (
	"id" bigint GENERATED BY DEFAULT AS IDENTITY (sequence name "ohlcv_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"symbol" varchar(20) NOT NULL,
	"timeframe" varchar(10) NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"open" numeric(20, 8) NOT NULL,
	"high" numeric(20, 8) NOT NULL,
	"low" numeric(20, 8) NOT NULL,
	"close" numeric(20, 8) NOT NULL,
	"volume" numeric(20, 8) NOT NULL,
	"quote_volume" numeric(20, 8),
	"trades_count" integer,
	"exchange" varchar(50) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ohlcv_candle_key" PRIMARY KEY("symbol","exchange","timeframe","timestamp"),
	CONSTRAINT "ohlcv_numbers_not_nan" CHECK (("open" <> 'NaN') AND ("high" <> 'NaN') AND ("low" <> 'NaN') AND ("close" <> 'NaN') AND ("volume" <> 'NaN') AND ("quote_volume" <> 'NaN')),
	CONSTRAINT "ohlcv_timeframe_allowed" CHECK ("timeframe" IN ('1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M')),
	CONSTRAINT "ohlcv_trades_count_range" CHECK ("trades_count" >= 0),
	CONSTRAINT "ohlcv_prices_positive" CHECK (("open" > 0) AND ("high" > 0) AND ("low" > 0) AND ("close" > 0)),
	CONSTRAINT "ohlcv_volume_nonnegative" CHECK ("volume" >= 0),
	CONSTRAINT "ohlcv_high_is_highest" CHECK ("high" >= GREATEST("open", "close", "low")),
	CONSTRAINT "ohlcv_low_is_lowest" CHECK ("low" <= LEAST("open", "close"))
) PARTITION BY RANGE ("timestamp");
--> statement-breakpoint
CREATE INDEX "ohlcv_symbol_timeframe_time_idx" ON "ohlcv" USING btree ("symbol","timeframe","timestamp" DESC NULLS FIRST);
--> statement-breakpoint
CREATE INDEX "ohlcv_exchange_symbol_idx" ON "ohlcv" USING btree ("exchange","symbol");
--> statement-breakpoint
CREATE INDEX "ohlcv_time_idx" ON "ohlcv" USING btree ("timestamp" DESC NULLS FIRST);
--> statement-breakpoint
CREATE TABLE "ohlcv_data" (
	"id" bigint GENERATED BY DEFAULT AS IDENTITY (sequence name "ohlcv_data_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"symbol" varchar(20) NOT NULL,
	"timeframe" varchar(10) NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"open" numeric(20, 8) NOT NULL,
	"high" numeric(20, 8) NOT NULL,
	"low" numeric(20, 8) NOT NULL,
	"close" numeric(20, 8) NOT NULL,
	"volume" numeric(20, 8) NOT NULL,
	"quote_volume" numeric(20, 8),
	"trades_count" integer,
	"taker_buy_volume" numeric(20, 8),
	"taker_buy_quote_volume" numeric(20, 8),
	"is_complete" boolean DEFAULT true,
	"has_gaps" boolean DEFAULT false,
	"exchange" varchar(50) DEFAULT 'binance' NOT NULL,
	"data_source" varchar(50),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ohlcv_data_candle_key" PRIMARY KEY("symbol","timeframe","exchange","timestamp"),
	CONSTRAINT "ohlcv_data_numbers_not_nan" CHECK (("open" <> 'NaN') AND ("high" <> 'NaN') AND ("low" <> 'NaN') AND ("close" <> 'NaN') AND ("volume" <> 'NaN') AND ("quote_volume" <> 'NaN') AND ("taker_buy_volume" <> 'NaN') AND ("taker_buy_quote_volume" <> 'NaN')),
	CONSTRAINT "ohlcv_data_timeframe_allowed" CHECK ("timeframe" IN ('1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M')),
	CONSTRAINT "ohlcv_data_trades_count_range" CHECK ("trades_count" >= 0),
	CONSTRAINT "ohlcv_data_prices_positive" CHECK (("open" > 0) AND ("high" > 0) AND ("low" > 0) AND ("close" > 0)),
	CONSTRAINT "ohlcv_data_volume_nonnegative" CHECK ("volume" >= 0),
	CONSTRAINT "ohlcv_data_high_is_highest" CHECK ("high" >= GREATEST("open", "close", "low")),
	CONSTRAINT "ohlcv_data_low_is_lowest" CHECK ("low" <= LEAST("open", "close")),
	CONSTRAINT "ohlcv_data_taker_buy_within_volume" CHECK ("taker_buy_volume" <= "volume")
) PARTITION BY RANGE ("timestamp");
--> statement-breakpoint
CREATE INDEX "ohlcv_data_time_idx" ON "ohlcv_data" USING btree ("timestamp" DESC NULLS FIRST);
--> statement-breakpoint
CREATE INDEX "ohlcv_data_quality_idx" ON "ohlcv_data" USING btree ("symbol","timeframe","timestamp") WHERE "ohlcv_data"."is_complete" = false OR "ohlcv_data"."has_gaps" = true;
--> statement-breakpoint
CREATE TABLE "funding_rates" (
	"id" bigint GENERATED BY DEFAULT AS IDENTITY (sequence name "funding_rates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"symbol" varchar(20) NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"rate" numeric(10, 8) NOT NULL,
	"rate_bps" numeric(10, 4),
	"annualized_rate" numeric(10, 6),
	"mark_price" numeric(20, 8),
	"index_price" numeric(20, 8),
	"premium" numeric(10, 8),
	"predicted_rate" numeric(10, 8),
	"funding_interval_hours" integer DEFAULT 8,
	"exchange" varchar(50) DEFAULT 'binance' NOT NULL,
	"is_estimated" boolean DEFAULT false,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funding_rates_key" PRIMARY KEY("symbol","exchange","timestamp"),
	CONSTRAINT "funding_rates_numbers_not_nan" CHECK (("rate" <> 'NaN') AND ("rate_bps" <> 'NaN') AND ("annualized_rate" <> 'NaN') AND ("mark_price" <> 'NaN') AND ("index_price" <> 'NaN') AND ("premium" <> 'NaN') AND ("predicted_rate" <> 'NaN')),
	CONSTRAINT "funding_rates_interval_range" CHECK (("funding_interval_hours" >= 1) AND ("funding_interval_hours" <= 168))
) PARTITION BY RANGE ("timestamp");
--> statement-breakpoint
CREATE INDEX "funding_rates_time_idx" ON "funding_rates" USING btree ("timestamp" DESC NULLS FIRST);
--> statement-breakpoint
CREATE INDEX "funding_rates_exchange_idx" ON "funding_rates" USING btree ("exchange");
--> statement-breakpoint
CREATE INDEX "funding_rates_rate_idx" ON "funding_rates" USING btree ("rate");
--> statement-breakpoint
CREATE INDEX "funding_rates_created_idx" ON "funding_rates" USING btree ("created_at" DESC NULLS FIRST);
--> statement-breakpoint
CREATE INDEX "funding_rates_high_positive_idx" ON "funding_rates" USING btree ("symbol","timestamp" DESC NULLS FIRST) WHERE "funding_rates"."rate" > 0.0005;
--> statement-breakpoint
CREATE INDEX "funding_rates_high_negative_idx" ON "funding_rates" USING btree ("symbol","timestamp" DESC NULLS FIRST) WHERE "funding_rates"."rate" < -0.0005;
--> statement-breakpoint
CREATE TABLE "llm_analysis_log" (
	"id" bigint GENERATED BY DEFAULT AS IDENTITY (sequence name "llm_analysis_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"analysis_type" varchar(50) NOT NULL,
	"symbol" varchar(20),
	"exchange" varchar(50),
	"prompt_template" varchar(100),
	"prompt_tokens" integer,
	"response_tokens" integer,
	"total_tokens" integer,
	"prompt_text" text,
	"response_text" text,
	"response_json" jsonb,
	"estimated_cost" numeric(10, 6),
	"model_name" varchar(100),
	"temperature" numeric(3, 2),
	"status" varchar(20) DEFAULT 'success' NOT NULL,
	"error_message" text,
	"execution_time_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "llm_analysis_log_pkey" PRIMARY KEY("id","created_at"),
	CONSTRAINT "llm_analysis_log_numbers_not_nan" CHECK (("estimated_cost" <> 'NaN') AND ("temperature" <> 'NaN')),
	CONSTRAINT "llm_analysis_log_prompt_tokens_range" CHECK ("prompt_tokens" >= 0),
	CONSTRAINT "llm_analysis_log_response_tokens_range" CHECK ("response_tokens" >= 0),
	CONSTRAINT "llm_analysis_log_total_tokens_range" CHECK ("total_tokens" >= 0),
	CONSTRAINT "llm_analysis_log_estimated_cost_range" CHECK ("estimated_cost" >= 0),
	CONSTRAINT "llm_analysis_log_temperature_range" CHECK (("temperature" >= 0) AND ("temperature" <= 2)),
	CONSTRAINT "llm_analysis_log_status_allowed" CHECK ("status" IN ('success', 'error', 'timeout')),
	CONSTRAINT "llm_analysis_log_execution_time_ms_range" CHECK ("execution_time_ms" >= 0)
) PARTITION BY RANGE ("created_at");
--> statement-breakpoint
CREATE INDEX "llm_analysis_log_symbol_idx" ON "llm_analysis_log" USING btree ("symbol");
--> statement-breakpoint
CREATE INDEX "llm_analysis_log_created_idx" ON "llm_analysis_log" USING btree ("created_at" DESC NULLS FIRST);
--> statement-breakpoint
CREATE INDEX "llm_analysis_log_status_idx" ON "llm_analysis_log" USING btree ("status");
--> statement-breakpoint
CREATE INDEX "llm_analysis_log_type_created_idx" ON "llm_analysis_log" USING btree ("analysis_type","created_at" DESC NULLS FIRST);
--> statement-breakpoint
CREATE INDEX "llm_analysis_log_response_json_idx" ON "llm_analysis_log" USING gin ("response_json");
--> statement-breakpoint
CREATE TABLE "system_events" (
	"id" bigint GENERATED BY DEFAULT AS IDENTITY (sequence name "system_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_type" varchar(50) NOT NULL,
	"severity" varchar(20) NOT NULL,
	"message" text NOT NULL,
	"details" jsonb,
	"symbol" varchar(20),
	"exchange" varchar(50),
	"trade_id" varchar(100),
	"position_id" bigint,
	"stack_trace" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "system_events_pkey" PRIMARY KEY("id","created_at"),
	CONSTRAINT "system_events_severity_allowed" CHECK ("severity" IN ('debug', 'info', 'warning', 'error', 'critical'))
) PARTITION BY RANGE ("created_at");
--> statement-breakpoint
CREATE INDEX "system_events_severity_idx" ON "system_events" USING btree ("severity");
--> statement-breakpoint
CREATE INDEX "system_events_created_idx" ON "system_events" USING btree ("created_at" DESC NULLS FIRST);
--> statement-breakpoint
CREATE INDEX "system_events_type_created_idx" ON "system_events" USING btree ("event_type","created_at" DESC NULLS FIRST);
--> statement-breakpoint
CREATE INDEX "system_events_symbol_idx" ON "system_events" USING btree ("symbol") WHERE "system_events"."symbol" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "system_events_trade_id_idx" ON "system_events" USING btree ("trade_id") WHERE "system_events"."trade_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "system_events_details_idx" ON "system_events" USING gin ("details");
--> statement-breakpoint
-- Partitions for the months the old rows fall in, then the rows, ids
-- included; the identity continues after the old one (its last value or
-- the highest id, whichever is larger).
DO $copy$
DECLARE
  spec constant text[][] := ARRAY[
    ARRAY['ohlcv', 'timestamp'], ARRAY['ohlcv_data', 'timestamp'], ARRAY['funding_rates', 'timestamp'],
    ARRAY['llm_analysis_log', 'created_at'], ARRAY['system_events', 'created_at']];
  i int;
  t text;
  old text;
  columns text;
  extra text;
  copied bigint;
  before bigint;
  last_id bigint;
BEGIN
  FOR i IN 1 .. array_length(spec, 1) LOOP
    t := spec[i][1];
    old := t || '_before_0019';
    -- A column only the old table has (added outside this library) would be lost.
    SELECT string_agg(quote_ident(a.attname), ', ') INTO extra FROM pg_attribute a
     WHERE a.attrelid = format('public.%I', old)::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND NOT EXISTS (SELECT FROM pg_attribute b WHERE b.attrelid = format('public.%I', t)::regclass
                        AND b.attname = a.attname AND NOT b.attisdropped);
    IF extra IS NOT NULL THEN
      RAISE EXCEPTION 'migration 0019: %.% not in the schema; its values would be lost', t, extra
        USING ERRCODE = 'feature_not_supported', HINT = 'Move those columns elsewhere, then migrate again; nothing was changed.';
    END IF;
    EXECUTE format('SELECT count(*) FROM (SELECT ensure_partitions(%L::regclass, min(%I), max(%I)) FROM public.%I '
                   'GROUP BY date_trunc(''month'', %I AT TIME ZONE ''UTC'')) made', 'public.' || quote_ident(t), spec[i][2], spec[i][2], old, spec[i][2]);
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO columns FROM pg_attribute a
     WHERE a.attrelid = format('public.%I', t)::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM public.%I', t, columns, columns, old);
    GET DIAGNOSTICS copied = ROW_COUNT;
    EXECUTE format('SELECT count(*) FROM public.%I', old) INTO before;
    IF copied <> before THEN
      RAISE EXCEPTION 'migration 0019: copied % of % rows of %', copied, before, t;
    END IF;
    EXECUTE format('SELECT greatest((SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM public.%I), '
                   '(SELECT max(id) FROM public.%I))', old || '_id_seq', old) INTO last_id;
    IF last_id >= 1 THEN
      PERFORM setval(pg_get_serial_sequence(format('public.%I', t), 'id'), last_id);
    END IF;
    EXECUTE format('DROP TABLE public.%I', old);
  END LOOP;
END $copy$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER funding_rates_derive_metrics BEFORE INSERT OR UPDATE ON funding_rates FOR EACH ROW EXECUTE FUNCTION derive_funding_rate_metrics();
--> statement-breakpoint
COMMENT ON TRIGGER funding_rates_derive_metrics ON funding_rates IS 'Derives rate_bps, annualized_rate and premium.';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION record_inserted_rows() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  -- Transaction-local: the writer reads it right after its statement.
  PERFORM set_config('iftb.inserted_rows', (SELECT count(*) FROM inserted_rows)::text, true);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION record_inserted_rows() IS 'Trigger function (AFTER INSERT FOR EACH STATEMENT on ohlcv and ohlcv_data): stores how many rows the statement inserted (not those an ON CONFLICT DO UPDATE updated) in the transaction-local setting iftb.inserted_rows, read by upsertCandles: a partitioned table cannot return xmax.';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_record_inserted_rows AFTER INSERT ON ohlcv REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION record_inserted_rows();
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_record_inserted_rows ON ohlcv IS 'Counts the rows each INSERT statement inserted (iftb.inserted_rows).';
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ohlcv_data_record_inserted_rows AFTER INSERT ON ohlcv_data REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION record_inserted_rows();
--> statement-breakpoint
COMMENT ON TRIGGER ohlcv_data_record_inserted_rows ON ohlcv_data IS 'Counts the rows each INSERT statement inserted (iftb.inserted_rows).';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_market_data_summary AS
-- A skip scan that walks ohlcv_data_candle_key (symbol, timeframe, exchange,
-- timestamp) backward: the first entry before the previous series' key is
-- the next series' newest candle, so one index probe per series finds the
-- series and its newest candle together, never reading the candles between.
WITH RECURSIVE newest_candles AS (
  (SELECT o.symbol, o.timeframe, o.exchange, o.timestamp, o.open, o.close, o.volume
     FROM ohlcv_data o
    ORDER BY o.symbol DESC, o.timeframe DESC, o.exchange DESC, o.timestamp DESC
    LIMIT 1)
  UNION ALL
  SELECT previous_series.*
    FROM newest_candles n
   CROSS JOIN LATERAL (
     SELECT o.symbol, o.timeframe, o.exchange, o.timestamp, o.open, o.close, o.volume
       FROM ohlcv_data o
      WHERE (o.symbol, o.timeframe, o.exchange) < (n.symbol, n.timeframe, n.exchange)
      ORDER BY o.symbol DESC, o.timeframe DESC, o.exchange DESC, o.timestamp DESC
      LIMIT 1
   ) previous_series
),
latest_fear_greed AS (
  SELECT f.value, f.classification, f.timestamp
    FROM fear_greed_index f
   ORDER BY f.timestamp DESC
   LIMIT 1
)
-- varchar without a length, as when the series came from ohlcv_data_series():
-- CREATE OR REPLACE VIEW cannot change a column's type.
SELECT c.symbol::varchar AS symbol,
       c.exchange::varchar AS exchange,
       c.timeframe::varchar AS timeframe,
       c.timestamp AS last_candle_time,
       c.close AS last_price,
       c.volume AS last_volume,
       (c.close - c.open) / c.open * 100 AS last_candle_change_pct,
       fg.value AS fear_greed_value,
       fg.classification AS fear_greed_classification,
       fg.timestamp AS fear_greed_time,
       fr.rate AS funding_rate,
       fr.rate_bps AS funding_rate_bps,
       fr.annualized_rate AS funding_rate_annual,
       fr.timestamp AS funding_rate_time
  FROM newest_candles c
  LEFT JOIN latest_fear_greed fg ON true
  -- The newest funding rate of the symbol on that exchange: one backward
  -- probe of funding_rates_key (symbol, exchange, timestamp).
  LEFT JOIN LATERAL (
    SELECT f.rate, f.rate_bps, f.annualized_rate, f.timestamp
      FROM funding_rates f
     WHERE f.symbol = c.symbol AND f.exchange = c.exchange
     ORDER BY f.timestamp DESC
     LIMIT 1
  ) fr ON true;
--> statement-breakpoint
COMMENT ON VIEW v_market_data_summary IS 'One row per (symbol, exchange, timeframe) series in ohlcv_data, read by index probes (never a scan of ohlcv_data): the newest candle''s open time (last_candle_time), close (last_price, quote currency per base unit), volume (last_volume, base currency) and last_candle_change_pct = (close - open) / open * 100 (percentage points); the latest fear & greed reading (value in index points 0..100, classification, time; the same on every row); the latest funding rate of that symbol on that exchange (funding_rate = fraction per funding period, funding_rate_bps = basis points per period, funding_rate_annual = annualized fraction per year as in funding_rates.annualized_rate, funding_rate_time; null without one). Unordered.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_funding_rate_analysis AS
WITH windowed AS (
  SELECT f.symbol,
         f.exchange,
         avg(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS avg_rate_24h,
         avg(f.rate) FILTER (WHERE f.timestamp > now() - interval '7 days') AS avg_rate_7d,
         avg(f.rate) AS avg_rate_30d,
         max(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS max_rate_24h,
         min(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS min_rate_24h,
         count(*) FILTER (WHERE f.timestamp > now() - interval '7 days' AND f.rate > 0.0005)::integer
           AS high_positive_periods_7d,
         count(*) FILTER (WHERE f.timestamp > now() - interval '7 days' AND f.rate < -0.0005)::integer
           AS high_negative_periods_7d,
         max(f.timestamp) AS last_update
    FROM funding_rates f
   -- The 30-day window comes from funding_rates_time_idx.
   WHERE f.timestamp > now() - interval '30 days'
   GROUP BY f.symbol, f.exchange
)
SELECT w.symbol,
       w.exchange,
       cur.rate AS current_rate,
       w.avg_rate_24h,
       w.avg_rate_7d,
       w.avg_rate_30d,
       w.max_rate_24h,
       w.min_rate_24h,
       w.high_positive_periods_7d,
       w.high_negative_periods_7d,
       w.last_update
  FROM windowed w
  -- The newest reading: one backward probe of funding_rates_key.
 CROSS JOIN LATERAL (
   SELECT f.rate
     FROM funding_rates f
    WHERE f.symbol = w.symbol AND f.exchange = w.exchange
    ORDER BY f.timestamp DESC
    LIMIT 1
 ) cur;
--> statement-breakpoint
COMMENT ON VIEW v_funding_rate_analysis IS 'Funding rate statistics per (symbol, exchange) with a reading in the last 30 days. Rates are fractions per funding period (0.0001 = 0.01 %): current_rate = the newest reading, avg_rate_24h / avg_rate_7d / avg_rate_30d = mean over readings in the last 24 hours / 7 days / 30 days, max_rate_24h and min_rate_24h over the last 24 hours (null without readings in a window). high_positive_periods_7d / high_negative_periods_7d = number of readings in the last 7 days with rate > 0.0005 / rate < -0.0005. last_update = time of the newest reading. Windows end at now(); estimated readings count like the others. Unordered.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_volatility_analysis AS
-- Series come from ohlcv_data_series(): one index probe each.
WITH series AS (SELECT * FROM ohlcv_data_series())
SELECT s.symbol,
       s.exchange,
       s.timeframe,
       stats.volatility_24h,
       stats.volatility_7d,
       stats.avg_range_24h,
       stats.avg_range_7d,
       stats.avg_volume_24h,
       stats.max_volume_24h,
       (newest.close - first_24h.open) / first_24h.open * 100 AS price_change_24h,
       newest.timestamp AS last_update
  FROM series s
 CROSS JOIN LATERAL (
   SELECT o.timestamp, o.close
     FROM ohlcv_data o
    WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
    ORDER BY o.timestamp DESC
    LIMIT 1
 ) newest
 CROSS JOIN LATERAL (
   SELECT stddev_samp(r.range_pct) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS volatility_24h,
          stddev_samp(r.range_pct) AS volatility_7d,
          avg(r.range_pct) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS avg_range_24h,
          avg(r.range_pct) AS avg_range_7d,
          avg(o.volume) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS avg_volume_24h,
          max(o.volume) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS max_volume_24h
     FROM ohlcv_data o
    CROSS JOIN LATERAL (SELECT (o.high - o.low) / o.open * 100 AS range_pct) r
    WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
      AND o.timestamp > now() - interval '7 days'
 ) stats
  LEFT JOIN LATERAL (
    SELECT o.open
      FROM ohlcv_data o
     WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
       AND o.timestamp > now() - interval '24 hours'
     ORDER BY o.timestamp
     LIMIT 1
  ) first_24h ON true
 WHERE newest.timestamp > now() - interval '30 days';
--> statement-breakpoint
COMMENT ON VIEW v_volatility_analysis IS 'Price volatility per (symbol, exchange, timeframe) series with a candle opened in the last 30 days. A candle''s range = (high - low) / open * 100, in percentage points of its open. volatility_24h / volatility_7d = sample standard deviation of the range over candles opened in the last 24 hours / 7 days (percentage points; null with fewer than two candles); avg_range_24h / avg_range_7d = mean range (percentage points); avg_volume_24h / max_volume_24h = mean / largest candle volume over the last 24 hours (base currency); price_change_24h = (newest close - open of the first candle opened in the last 24 hours) / that open * 100 (percentage points; null without such a candle); last_update = open time of the newest candle. Windows end at now(). Unordered.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_market_correlation AS
-- Series come from ohlcv_data_series(): one index probe each.
WITH series AS (SELECT * FROM ohlcv_data_series()),
-- The 30 reported UTC days ending today, plus the day before them (for the
-- first day's price_change), as [day_start, day_end) instants.
days AS (
  SELECT d::date AS day,
         d AT TIME ZONE 'UTC' AS day_start,
         (d + interval '1 day') AT TIME ZONE 'UTC' AS day_end
    FROM generate_series(((now() AT TIME ZONE 'UTC')::date - 30)::timestamp,
                         (now() AT TIME ZONE 'UTC')::date::timestamp,
                         interval '1 day') AS d
),
-- Each series' length: '1M' is a calendar month, which PostgreSQL's interval
-- input would read as one minute.
lengths AS (
  SELECT s.*, CASE s.timeframe WHEN '1M' THEN interval '1 month' ELSE s.timeframe::interval END AS length
    FROM series s
),
-- Each series' last candle of each day: one backward probe per series and day.
-- Timeframes longer than a day ('3d', '1w', '1M') do not close within a day.
last_candles AS (
  SELECT s.symbol, s.exchange, s.timeframe, days.day, days.day_start, days.day_end,
         c.timestamp + s.length AS closes_at, s.length, c.close
    FROM lengths s
   CROSS JOIN days
   CROSS JOIN LATERAL (
     SELECT o.timestamp, o.close
       FROM ohlcv_data o
      WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
        AND o.timestamp >= days.day_start AND o.timestamp < days.day_end
      ORDER BY o.timestamp DESC
      LIMIT 1
   ) c
   WHERE s.length <= interval '1 day'
),
-- The day's close: the candle that closes last that day; on a tie the longer
-- timeframe wins, so the '1d' candle is preferred when there is one.
daily_close AS (
  SELECT DISTINCT ON (l.symbol, l.exchange, l.day)
         l.symbol, l.exchange, l.day, l.day_start, l.day_end, l.close
    FROM last_candles l
   ORDER BY l.symbol, l.exchange, l.day, l.closes_at DESC, l.length DESC
)
SELECT dc.symbol,
       dc.exchange,
       dc.day AS date,
       funding.avg_funding_rate,
       fg.value AS fear_greed_value,
       dc.close - prev.close AS price_change
  FROM daily_close dc
  LEFT JOIN daily_close prev
    ON prev.symbol = dc.symbol AND prev.exchange = dc.exchange AND prev.day = dc.day - 1
 CROSS JOIN LATERAL (
   SELECT avg(f.rate) AS avg_funding_rate
     FROM funding_rates f
    WHERE f.symbol = dc.symbol AND f.exchange = dc.exchange
      AND f.timestamp >= dc.day_start AND f.timestamp < dc.day_end
 ) funding
  LEFT JOIN LATERAL (
    SELECT g.value
      FROM fear_greed_index g
     WHERE g.timestamp >= dc.day_start AND g.timestamp < dc.day_end
     ORDER BY g.timestamp
     LIMIT 1
  ) fg ON true
 WHERE dc.day > (now() AT TIME ZONE 'UTC')::date - 30;
--> statement-breakpoint
COMMENT ON VIEW v_market_correlation IS 'Daily market context per (symbol, exchange) and UTC day, for the 30 UTC days ending today (days on which the pair has a candle in ohlcv_data). avg_funding_rate = mean funding rate of the pair that day (fraction per funding period; null without readings); fear_greed_value = the day''s first fear & greed reading (index points 0..100; null without one); price_change = the day''s close minus the previous UTC day''s close (quote currency per base unit; null when the previous day has no close). A day''s close is the close of the pair''s candle that closes last that day, across its timeframes up to ''1d'' (open time + timeframe length; on a tie the longer timeframe, so a ''1d'' candle is preferred); for today it is the latest close so far. Unordered.';
--> statement-breakpoint
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
-- The current month and 12 ahead, for every partitioned table.
SELECT count(*) FROM premake_partitions(12);
--> statement-breakpoint
-- Least-privilege group roles (SPEC section 6). Re-runnable: every run
-- converges the privileges of this library's objects in schema public to the
-- intended set, so a later migration may simply re-apply this file.
--
-- 1. The NOLOGIN group roles. Roles are cluster-wide: an existing role is
-- used as it is. Without CREATEROLE a missing role is skipped with a NOTICE
-- (its grants below are skipped too) and the migration still succeeds.
DO $roles$
DECLARE
  may_create_roles boolean := (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user);
  group_role text;
BEGIN
  FOREACH group_role IN ARRAY ARRAY['analyst', 'trading_bot'] LOOP
    CONTINUE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = group_role);
    IF NOT may_create_roles THEN
      RAISE NOTICE 'iftb roles: skipping role "%" and its grants: it does not exist and "%" may not create roles (no CREATEROLE)', group_role, current_user;
      CONTINUE;
    END IF;
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
      EXECUTE format('COMMENT ON ROLE %I IS %L', group_role, CASE group_role
        WHEN 'analyst' THEN 'IFTB read-only group: SELECT on tables and views, EXECUTE on read-only functions.'
        ELSE 'IFTB trading bot group: SELECT/INSERT/UPDATE, sequences, EXECUTE on functions; no DELETE, TRUNCATE or DDL; audit logs append-only.'
      END);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- created meanwhile by a migration of another database in this cluster
    END;
  END LOOP;
END $roles$;
--> statement-breakpoint
-- 2. Functions created later by the migrating role are not executable by
-- PUBLIC. Global (not IN SCHEMA): per-schema defaults can only add privileges.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
--> statement-breakpoint
-- 3. Privileges. Objects of this library = objects in schema public that are
-- not part of an extension and whose owner the migrating role acts for.
-- Each object first loses every privilege of PUBLIC and both roles, then
-- gets exactly the intended ones (same order every run, so ACLs are stable).
DO $grants$
DECLARE
  audit_logs constant text[] := ARRAY['llm_analysis_log', 'system_events'];
  read_only_functions constant text[] := ARRAY['get_latest_price', 'get_latest_ohlcv_price',
    'calculate_position_pnl', 'is_trading_allowed', 'get_latest_fear_greed', 'get_latest_funding_rate',
    'ohlcv_data_series', 'blocking_circuit_breakers'];
  has_analyst boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'analyst');
  has_bot boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'trading_bot');
  -- Who loses everything before the intended grants: PUBLIC and the roles that exist.
  grantees text := concat_ws(', ', 'PUBLIC', CASE WHEN has_analyst THEN 'analyst' END,
    CASE WHEN has_bot THEN 'trading_bot' END);
  obj record;
  missing text;
BEGIN
  -- Schema: nobody but its owner creates objects in public (PostgreSQL 14
  -- still lets PUBLIC create there).
  IF pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'USAGE') THEN
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %s', grantees);
    IF has_analyst THEN GRANT USAGE ON SCHEMA public TO analyst; END IF;
    IF has_bot THEN GRANT USAGE ON SCHEMA public TO trading_bot; END IF;
  ELSE
    RAISE NOTICE 'iftb roles: "%" does not own schema public: left its privileges unchanged', current_user;
  END IF;

  FOR obj IN
    SELECT c.oid::regclass AS name, c.relname, c.relkind, c.relispartition
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
       AND pg_has_role(c.relowner, 'USAGE')
       AND NOT EXISTS (SELECT FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname
  LOOP
    IF obj.relkind = 'S' THEN
      EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM %s', obj.name, grantees);
      IF has_bot THEN EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO trading_bot', obj.name); END IF;
      CONTINUE;
    END IF;
    EXECUTE format('REVOKE ALL ON TABLE %s FROM %s', obj.name, grantees);
    -- A partition is reached through its parent, whose privileges apply:
    -- none of its own (as ensure_partitions creates it).
    CONTINUE WHEN obj.relispartition;
    IF has_analyst THEN EXECUTE format('GRANT SELECT ON TABLE %s TO analyst', obj.name); END IF;
    IF has_bot THEN
      EXECUTE format('GRANT %s ON TABLE %s TO trading_bot', CASE
        WHEN obj.relkind IN ('v', 'm') THEN 'SELECT'              -- views are read-only
        WHEN obj.relname = ANY (audit_logs) THEN 'SELECT, INSERT'   -- append-only
        ELSE 'SELECT, INSERT, UPDATE' END, obj.name);
    END IF;
  END LOOP;

  FOR obj IN
    SELECT p.oid::regprocedure AS name, p.proname AS relname
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND pg_has_role(p.proowner, 'USAGE')
       AND NOT EXISTS (SELECT FROM pg_depend d
                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
     ORDER BY p.oid::regprocedure::text
  LOOP
    EXECUTE format('REVOKE ALL ON ROUTINE %s FROM %s', obj.name, grantees);
    IF has_analyst AND obj.relname = ANY (read_only_functions) THEN
      EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO analyst', obj.name);
    END IF;
    IF has_bot THEN EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO trading_bot', obj.name); END IF;
  END LOOP;

  SELECT string_agg(f, ', ') INTO missing FROM unnest(read_only_functions) f
   WHERE NOT EXISTS (SELECT FROM pg_proc WHERE proname = f AND pronamespace = 'public'::regnamespace);
  IF missing IS NOT NULL THEN
    RAISE NOTICE 'iftb roles: read-only functions not found, analyst cannot execute them: %', missing;
  END IF;

  -- Objects later migrations create (as this role) get the same grants.
  -- Views also get the table grants; re-applying this file narrows them.
  IF has_analyst THEN
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO analyst;
  END IF;
  IF has_bot THEN
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO trading_bot;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO trading_bot;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO trading_bot;
  END IF;
END $grants$;
