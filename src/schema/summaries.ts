/**
 * Read models of the market data (not written by the bot: SELECT only).
 *
 * On time-partitioned candle tables, "newest row per series" and whole-window
 * aggregates cost a probe of every partition. These small tables hold what the
 * read functions and views need. Statement-level AFTER triggers with
 * transition tables on ohlcv, ohlcv_data and funding_rates keep them current
 * in the writing transaction (src/triggers/maintain_*.sql), and
 * refresh_market_summaries() (refresh_read_models() for one source table)
 * rebuilds them from the raw rows (after a partition is dropped, since DROP
 * fires no trigger). Their values are copies
 * or exact sums of CHECKed source values, so they carry no value CHECKs.
 * Not in tables.ts: nothing validates inserts into them.
 */
import { sql } from 'drizzle-orm';
import { check, date, index, numeric, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import {
  nonNegativeInt,
  exchange,
  fundingFraction,
  notesOf,
  oneOf,
  price,
  quantity,
  symbol,
  timestamptz,
  withNote,
} from './_columns.ts';
import { NOTES, UNITS, type ColumnNotes } from './_notes.ts';
import { TIMEFRAMES } from './enums.ts';

const ohlcvLatestColumns = {
  symbol: symbol().notNull(),
  exchange: exchange().notNull(),
  timeframe: oneOf('timeframe', TIMEFRAMES, 10).notNull(),
  /** Open time of the series' newest candle. */
  timestamp: timestamptz('timestamp').notNull(),
  close: price('close').notNull(),
};

/** Units, ranges and trigger-set columns of ohlcv_latest, read off its column builders (see notesOf in _columns.ts). */
export const ohlcvLatestColumnNotes = notesOf(ohlcvLatestColumns);

/** Newest ohlcv candle per (symbol, exchange, timeframe): get_latest_price. */
export const ohlcvLatest = pgTable('ohlcv_latest', ohlcvLatestColumns, (t) => [
  primaryKey({ name: 'ohlcv_latest_pkey', columns: [t.symbol, t.exchange, t.timeframe] }),
]);

const ohlcvDataLatestColumns = {
  symbol: symbol().notNull(),
  timeframe: oneOf('timeframe', TIMEFRAMES, 10).notNull(),
  exchange: exchange().notNull(),
  /** Open time of the series' newest candle. */
  timestamp: timestamptz('timestamp').notNull(),
  open: price('open').notNull(),
  close: price('close').notNull(),
  volume: quantity('volume').notNull(),
};

/** Units, ranges and trigger-set columns of ohlcv_data_latest, read off its column builders (see notesOf in _columns.ts). */
export const ohlcvDataLatestColumnNotes = notesOf(ohlcvDataLatestColumns);

/** Newest ohlcv_data candle per (symbol, timeframe, exchange): the series list, get_latest_ohlcv_price, v_market_data_summary. */
export const ohlcvDataLatest = pgTable('ohlcv_data_latest', ohlcvDataLatestColumns, (t) => [
  primaryKey({ name: 'ohlcv_data_latest_pkey', columns: [t.symbol, t.timeframe, t.exchange] }),
]);

const ohlcvDataHourlyColumns = {
  symbol: symbol().notNull(),
  timeframe: oneOf('timeframe', TIMEFRAMES, 10).notNull(),
  exchange: exchange().notNull(),
  /** Start of the UTC hour holding the candles' open times. */
  bucketStart: timestamptz('bucket_start').notNull(),
  candleCount: nonNegativeInt('candle_count').notNull(),
  /** Exact sum over the hour's candles of range = (high - low) / open * 100. */
  rangePctSum: withNote(numeric('range_pct_sum'), NOTES.percentPoints).notNull(),
  /** Exact sum over the hour's candles of range * range. */
  rangePctSquareSum: withNote(numeric('range_pct_square_sum'), { unit: 'squared percentage points' }).notNull(),
  /** Exact sum of the hour's candle volumes. */
  volumeSum: withNote(numeric('volume_sum'), NOTES.quantity).notNull(),
  volumeMax: quantity('volume_max'),
  /** Open time and open of the hour's first candle. */
  firstCandleTime: timestamptz('first_candle_time'),
  firstOpen: price('first_open'),
  /** Open time and close of the hour's last candle. */
  lastCandleTime: timestamptz('last_candle_time'),
  lastClose: price('last_close'),
};

/** Units, ranges and trigger-set columns of ohlcv_data_hourly, read off its column builders (see notesOf in _columns.ts). */
export const ohlcvDataHourlyColumnNotes = notesOf(ohlcvDataHourlyColumns);

/**
 * ohlcv_data per series and UTC hour of the candles' open time, so the
 * whole-window views read one row per hour instead of every candle (60 for 1m
 * candles), and every window edge is an hour boundary or one hour of raw
 * candles. The sums are numerics without a scale: sums of hours are the very
 * value, and display scale, that summing the candles gives. A row with
 * candle_count 0 exists only inside a writing transaction (a lock placeholder).
 */
export const ohlcvDataHourly = pgTable('ohlcv_data_hourly', ohlcvDataHourlyColumns, (t) => [
  primaryKey({ name: 'ohlcv_data_hourly_pkey', columns: [t.symbol, t.timeframe, t.exchange, t.bucketStart] }),
  check('ohlcv_data_hourly_candle_count_nonnegative', sql`${t.candleCount} >= 0`),
]);

const ohlcvDataDailyColumns = {
  symbol: symbol().notNull(),
  timeframe: oneOf('timeframe', TIMEFRAMES, 10).notNull(),
  exchange: exchange().notNull(),
  /** The UTC day holding the candles' open times. */
  day: date('day', { mode: 'string' }).notNull(),
  /** Open time and close of the day's last candle. */
  lastCandleTime: timestamptz('last_candle_time'),
  lastClose: price('last_close'),
};

/** Units, ranges and trigger-set columns of ohlcv_data_daily, read off its column builders (see notesOf in _columns.ts). */
export const ohlcvDataDailyColumnNotes = notesOf(ohlcvDataDailyColumns);

/**
 * ohlcv_data per series and UTC day of the candles' open time: the day's last
 * candle, so v_market_correlation reads one index range of the days it
 * reports instead of probing every series' hours day by day. A row with no
 * last candle exists only inside a writing transaction (a lock placeholder).
 */
export const ohlcvDataDaily = pgTable('ohlcv_data_daily', ohlcvDataDailyColumns, (t) => [
  primaryKey({ name: 'ohlcv_data_daily_pkey', columns: [t.symbol, t.timeframe, t.exchange, t.day] }),
  index('ohlcv_data_daily_day_idx').on(t.day),
]);

const fundingRatesLatestColumns = {
  symbol: symbol().notNull(),
  exchange: exchange().notNull(),
  /** Time of the newest reading. */
  timestamp: timestamptz('timestamp').notNull(),
  rate: fundingFraction('rate').notNull(),
  rateBps: withNote(numeric('rate_bps', { precision: 10, scale: 4 }), { unit: UNITS.fundingBps }),
  annualizedRate: withNote(numeric('annualized_rate', { precision: 10, scale: 6 }), { unit: UNITS.fractionPerYear }),
};

/** Units, ranges and trigger-set columns of funding_rates_latest, read off its column builders (see notesOf in _columns.ts). */
export const fundingRatesLatestColumnNotes = notesOf(fundingRatesLatestColumns);

/** Newest funding rate per (symbol, exchange): get_latest_funding_rate, v_market_data_summary, v_funding_rate_analysis. */
export const fundingRatesLatest = pgTable('funding_rates_latest', fundingRatesLatestColumns, (t) => [
  primaryKey({ name: 'funding_rates_latest_pkey', columns: [t.symbol, t.exchange] }),
]);

/** COMMENT ON TABLE text of each read model (scripts/sql-objects.ts writes them). */
export const summaryComments = {
  ohlcvLatest:
    'Newest ohlcv candle per (symbol, exchange, timeframe), kept by trigger from ohlcv; read by get_latest_price.',
  ohlcvDataLatest:
    'Newest ohlcv_data candle per (symbol, timeframe, exchange), kept by trigger from ohlcv_data; the series list of the market views.',
  ohlcvDataHourly:
    'ohlcv_data per series and UTC hour of open time (candle count, exact sums of range, range squared and volume, max volume, first and last candle), kept by trigger; read by v_volatility_analysis.',
  ohlcvDataDaily:
    'ohlcv_data per series and UTC day of open time (the last candle: its open time and close), kept by trigger; read by v_market_correlation.',
  fundingRatesLatest:
    'Newest funding rate per (symbol, exchange), kept by trigger from funding_rates; read by get_latest_funding_rate and the funding views.',
} satisfies Record<
  'ohlcvLatest' | 'ohlcvDataLatest' | 'ohlcvDataHourly' | 'ohlcvDataDaily' | 'fundingRatesLatest',
  string
>;

export type OhlcvLatest = typeof ohlcvLatest.$inferSelect;
export type OhlcvDataLatest = typeof ohlcvDataLatest.$inferSelect;
export type OhlcvDataHourly = typeof ohlcvDataHourly.$inferSelect;
export type OhlcvDataDaily = typeof ohlcvDataDaily.$inferSelect;
export type FundingRateLatest = typeof fundingRatesLatest.$inferSelect;

/** The column notes of each read model, keyed as `summaryComments`. */
export const summaryColumnNotes = {
  ohlcvLatest: ohlcvLatestColumnNotes,
  ohlcvDataLatest: ohlcvDataLatestColumnNotes,
  ohlcvDataHourly: ohlcvDataHourlyColumnNotes,
  ohlcvDataDaily: ohlcvDataDailyColumnNotes,
  fundingRatesLatest: fundingRatesLatestColumnNotes,
} satisfies Record<keyof typeof summaryComments, ColumnNotes>;
