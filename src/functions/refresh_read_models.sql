-- The read models kept beside one market table, rebuilt for a time range:
-- refresh_market_summaries runs it for all three, apply_retention only for
-- the tables and months it dropped.
CREATE OR REPLACE FUNCTION refresh_read_models(source text, from_time timestamptz DEFAULT '-infinity', to_time timestamptz DEFAULT 'infinity')
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  -- Whole hours covering [from_time, to_time).
  from_hour constant timestamptz := date_trunc('hour', from_time, 'UTC');
  to_hour constant timestamptz := CASE WHEN date_trunc('hour', to_time, 'UTC') = to_time THEN to_time
                                       ELSE date_trunc('hour', to_time, 'UTC') + interval '1 hour' END;
  -- The UTC days holding those hours: [from_day, to_day).
  from_day constant date := (from_hour AT TIME ZONE 'UTC')::date;
  to_day constant date := CASE WHEN date_trunc('day', to_hour, 'UTC') = to_hour THEN (to_hour AT TIME ZONE 'UTC')::date
                               ELSE (to_hour AT TIME ZONE 'UTC')::date + 1 END;
BEGIN
  IF from_time IS NULL OR to_time IS NULL THEN
    RAISE EXCEPTION 'refresh_read_models: from_time and to_time must not be NULL (use ''-infinity'' / ''infinity'' for an open end)'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  CASE source
  WHEN 'ohlcv_data' THEN
    -- Writers' triggers wait until this commits; each statement below then
    -- sees every row committed before the lock (a writer still running adds
    -- its own rows after us, as always).
    LOCK TABLE ohlcv_data_latest, ohlcv_data_hourly, ohlcv_data_daily IN EXCLUSIVE MODE;
    -- Hours in the range: summed again from the candles.
    DELETE FROM ohlcv_data_hourly h WHERE h.bucket_start >= from_hour AND h.bucket_start < to_hour;
    INSERT INTO ohlcv_data_hourly (symbol, timeframe, exchange, bucket_start, candle_count, range_pct_sum,
                                   range_pct_square_sum, volume_sum, volume_max, first_candle_time, first_open,
                                   last_candle_time, last_close)
    SELECT o.symbol, o.timeframe, o.exchange, date_trunc('hour', o."timestamp", 'UTC'),
           count(*), sum(r.range_pct), sum(r.range_pct * r.range_pct), sum(o.volume), max(o.volume),
           min(o."timestamp"), (array_agg(o.open ORDER BY o."timestamp"))[1],
           max(o."timestamp"), (array_agg(o.close ORDER BY o."timestamp" DESC))[1]
      FROM ohlcv_data o
     CROSS JOIN LATERAL (SELECT (o.high - o.low) / o.open * 100 AS range_pct) r
     WHERE o."timestamp" >= from_hour AND o."timestamp" < to_hour
     GROUP BY 1, 2, 3, 4;

    -- Days holding those hours: each one's last candle from its last hour.
    DELETE FROM ohlcv_data_daily d WHERE d.day >= from_day AND d.day < to_day;
    INSERT INTO ohlcv_data_daily (symbol, timeframe, exchange, day, last_candle_time, last_close)
    SELECT DISTINCT ON (h.symbol, h.timeframe, h.exchange, (h.bucket_start AT TIME ZONE 'UTC')::date)
           h.symbol, h.timeframe, h.exchange, (h.bucket_start AT TIME ZONE 'UTC')::date, h.last_candle_time, h.last_close
      FROM ohlcv_data_hourly h
     WHERE h.bucket_start >= from_day::timestamp AT TIME ZONE 'UTC' AND h.bucket_start < to_day::timestamp AT TIME ZONE 'UTC'
     ORDER BY h.symbol, h.timeframe, h.exchange, (h.bucket_start AT TIME ZONE 'UTC')::date, h.bucket_start DESC;

    -- Newest rows that lie in the range: looked up again (gone when the series is).
    -- Planning these lookups touches every partition, so they are skipped when
    -- no newest row lies in the range (as after dropping the oldest months).
    IF EXISTS (SELECT FROM ohlcv_data_latest k WHERE k."timestamp" >= from_time AND k."timestamp" < to_time) THEN
      UPDATE ohlcv_data_latest l
         SET "timestamp" = n."timestamp", open = n.open, close = n.close, volume = n.volume
        FROM ohlcv_data_latest k
       CROSS JOIN LATERAL (SELECT o."timestamp", o.open, o.close, o.volume FROM ohlcv_data o
                            WHERE o.symbol = k.symbol AND o.timeframe = k.timeframe AND o.exchange = k.exchange
                            ORDER BY o."timestamp" DESC LIMIT 1) n
       WHERE k."timestamp" >= from_time AND k."timestamp" < to_time
         AND l.symbol = k.symbol AND l.timeframe = k.timeframe AND l.exchange = k.exchange;
      DELETE FROM ohlcv_data_latest l
       WHERE l."timestamp" >= from_time AND l."timestamp" < to_time
         AND NOT EXISTS (SELECT FROM ohlcv_data o WHERE o.symbol = l.symbol AND o.timeframe = l.timeframe AND o.exchange = l.exchange);
    END IF;
    -- Series whose newest candle lies in the range but has no row (a backfill).
    INSERT INTO ohlcv_data_latest AS l (symbol, timeframe, exchange, "timestamp", open, close, volume)
    SELECT DISTINCT ON (o.symbol, o.timeframe, o.exchange) o.symbol, o.timeframe, o.exchange, o."timestamp", o.open, o.close, o.volume
      FROM ohlcv_data o
     WHERE o."timestamp" >= from_time AND o."timestamp" < to_time
     ORDER BY o.symbol, o.timeframe, o.exchange, o."timestamp" DESC
    ON CONFLICT ON CONSTRAINT ohlcv_data_latest_pkey DO UPDATE
       SET "timestamp" = excluded."timestamp", open = excluded.open, close = excluded.close, volume = excluded.volume
     WHERE excluded."timestamp" > l."timestamp";

  WHEN 'ohlcv' THEN
    LOCK TABLE ohlcv_latest IN EXCLUSIVE MODE;
    -- As for ohlcv_data_latest above.
    IF EXISTS (SELECT FROM ohlcv_latest k WHERE k."timestamp" >= from_time AND k."timestamp" < to_time) THEN
      UPDATE ohlcv_latest l
         SET "timestamp" = n."timestamp", close = n.close
        FROM ohlcv_latest k
       CROSS JOIN LATERAL (SELECT o."timestamp", o.close FROM ohlcv o
                            WHERE o.symbol = k.symbol AND o.exchange = k.exchange AND o.timeframe = k.timeframe
                            ORDER BY o."timestamp" DESC LIMIT 1) n
       WHERE k."timestamp" >= from_time AND k."timestamp" < to_time
         AND l.symbol = k.symbol AND l.exchange = k.exchange AND l.timeframe = k.timeframe;
      DELETE FROM ohlcv_latest l
       WHERE l."timestamp" >= from_time AND l."timestamp" < to_time
         AND NOT EXISTS (SELECT FROM ohlcv o WHERE o.symbol = l.symbol AND o.exchange = l.exchange AND o.timeframe = l.timeframe);
    END IF;
    INSERT INTO ohlcv_latest AS l (symbol, exchange, timeframe, "timestamp", close)
    SELECT DISTINCT ON (o.symbol, o.exchange, o.timeframe) o.symbol, o.exchange, o.timeframe, o."timestamp", o.close
      FROM ohlcv o
     WHERE o."timestamp" >= from_time AND o."timestamp" < to_time
     ORDER BY o.symbol, o.exchange, o.timeframe, o."timestamp" DESC
    ON CONFLICT ON CONSTRAINT ohlcv_latest_pkey DO UPDATE
       SET "timestamp" = excluded."timestamp", close = excluded.close
     WHERE excluded."timestamp" > l."timestamp";

  WHEN 'funding_rates' THEN
    LOCK TABLE funding_rates_latest IN EXCLUSIVE MODE;
    -- As for ohlcv_data_latest above.
    IF EXISTS (SELECT FROM funding_rates_latest k WHERE k."timestamp" >= from_time AND k."timestamp" < to_time) THEN
      UPDATE funding_rates_latest l
         SET "timestamp" = n."timestamp", rate = n.rate, rate_bps = n.rate_bps, annualized_rate = n.annualized_rate
        FROM funding_rates_latest k
       CROSS JOIN LATERAL (SELECT f."timestamp", f.rate, f.rate_bps, f.annualized_rate FROM funding_rates f
                            WHERE f.symbol = k.symbol AND f.exchange = k.exchange
                            ORDER BY f."timestamp" DESC LIMIT 1) n
       WHERE k."timestamp" >= from_time AND k."timestamp" < to_time
         AND l.symbol = k.symbol AND l.exchange = k.exchange;
      DELETE FROM funding_rates_latest l
       WHERE l."timestamp" >= from_time AND l."timestamp" < to_time
         AND NOT EXISTS (SELECT FROM funding_rates f WHERE f.symbol = l.symbol AND f.exchange = l.exchange);
    END IF;
    INSERT INTO funding_rates_latest AS l (symbol, exchange, "timestamp", rate, rate_bps, annualized_rate)
    SELECT DISTINCT ON (f.symbol, f.exchange) f.symbol, f.exchange, f."timestamp", f.rate, f.rate_bps, f.annualized_rate
      FROM funding_rates f
     WHERE f."timestamp" >= from_time AND f."timestamp" < to_time
     ORDER BY f.symbol, f.exchange, f."timestamp" DESC
    ON CONFLICT ON CONSTRAINT funding_rates_latest_pkey DO UPDATE
       SET "timestamp" = excluded."timestamp", rate = excluded.rate, rate_bps = excluded.rate_bps,
           annualized_rate = excluded.annualized_rate
     WHERE excluded."timestamp" > l."timestamp";
  ELSE
    RAISE EXCEPTION 'refresh_read_models: "%" has no read models (ohlcv, ohlcv_data or funding_rates)', source
      USING ERRCODE = 'invalid_parameter_value';
  END CASE;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION refresh_read_models(text, timestamptz, timestamptz) IS 'Rebuilds the read models kept beside one market table (source = ohlcv_data: ohlcv_data_hourly, ohlcv_data_daily, ohlcv_data_latest; ohlcv: ohlcv_latest; funding_rates: funding_rates_latest) from its rows whose time lies in [from_time, to_time): the hours of ohlcv_data in the range are summed again, the days holding them take their last candle from their last hour, and every newest-row entry in the range is looked up again or removed. Any other source, or a NULL bound, raises invalid_parameter_value. apply_retention calls it for each market table it dropped months from, with the dropped range; refresh_market_summaries calls it for all three. Locks that table''s read models against writers while it runs. SECURITY DEFINER; owner only.';
