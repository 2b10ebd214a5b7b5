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
