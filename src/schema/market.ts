/** Market data: candles, fear & greed readings and funding rates. */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, unique } from 'drizzle-orm/pg-core';
import {
  amount,
  createdAt,
  exchange,
  fundingFraction,
  id,
  identityId,
  indexPoints,
  oneOf,
  price,
  quantity,
  symbol,
  ts,
  count,
} from './_columns.ts';
import { NOTES, UNITS, type ColumnNotes } from './_notes.ts';
import { FEAR_GREED_CLASSES, TIMEFRAMES } from './enums.ts';
import { and, columnChecks, gte, greatest, least, lte, gt, ruleCheck } from './_rules.ts';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { numeric, varchar } from 'drizzle-orm/pg-core';

/** OHLC columns and the "valid price relationships" CHECK, shared by both candle tables. */
const candleColumns = () => ({
  symbol: symbol().notNull(),
  timeframe: oneOf('timeframe', TIMEFRAMES, 10).notNull(),
  /** Candle open time. */
  timestamp: ts('timestamp').notNull(),
  open: price('open').notNull(),
  high: price('high').notNull(),
  low: price('low').notNull(),
  close: price('close').notNull(),
  volume: quantity('volume').notNull(),
  quoteVolume: amount('quote_volume'),
  tradesCount: count('trades_count'),
});

/** The notes of `candleColumns`. */
const candleColumnNotes = {
  open: NOTES.price,
  high: NOTES.price,
  low: NOTES.price,
  close: NOTES.price,
  volume: NOTES.quantity,
  quoteVolume: NOTES.amount,
  tradesCount: NOTES.count,
} satisfies ColumnNotes;

function candleRules(table: string, t: Record<'open' | 'high' | 'low' | 'close' | 'volume', PgColumn>) {
  return [
    ruleCheck(`${table}_prices_positive`, and(gt(t.open, 0), gt(t.high, 0), gt(t.low, 0), gt(t.close, 0))),
    ruleCheck(`${table}_volume_nonnegative`, gte(t.volume, 0)),
    ruleCheck(`${table}_high_is_highest`, gte(t.high, greatest(t.open, t.close, t.low))),
    ruleCheck(`${table}_low_is_lowest`, lte(t.low, least(t.open, t.close))),
  ];
}

/** Units, ranges and trigger-set columns of ohlcv (see _notes.ts). */
export const ohlcvColumnNotes = {
  ...candleColumnNotes,
} satisfies ColumnNotes;

/** Candles per exchange (seed 001). */
export const ohlcv = pgTable(
  'ohlcv',
  {
    id: identityId(),
    ...candleColumns(),
    exchange: exchange().notNull(),
    ...createdAt,
  },
  (t) => [
    // Serves get_latest_price(symbol, exchange, timeframe) by a backward scan,
    // and any query led by symbol.
    // The primary key: it contains the partition column "timestamp" (see partitions.ts).
    primaryKey({ name: 'ohlcv_candle_key', columns: [t.symbol, t.exchange, t.timeframe, t.timestamp] }),
    // Per symbol and timeframe across exchanges, newest first.
    index('ohlcv_symbol_timeframe_time_idx').on(t.symbol, t.timeframe, t.timestamp.desc().nullsFirst()),
    // Symbols listed per exchange.
    index('ohlcv_exchange_symbol_idx').on(t.exchange, t.symbol),
    // Time-range reads across all series (retention, recent candles).
    index('ohlcv_time_idx').on(t.timestamp.desc().nullsFirst()),
    ...columnChecks('ohlcv', t, ohlcvColumnNotes),
    ...candleRules('ohlcv', t),
  ],
);

/** Units, ranges and trigger-set columns of ohlcv_data (see _notes.ts). */
export const ohlcvDataColumnNotes = {
  ...candleColumnNotes,
  takerBuyVolume: NOTES.quantity,
  takerBuyQuoteVolume: NOTES.amount,
} satisfies ColumnNotes;

/**
 * Enhanced candles with data-quality flags (seed 004). Written all day, so the
 * index set is lean; of the reference's nine indexes these are dropped:
 * symbol, (symbol, timeframe) and (symbol, timeframe, timestamp desc) — all
 * served by the unique key's leading columns (scanned backward for newest
 * first); exchange and volume desc — no query filters or sorts candles by
 * them alone; the "recent 30 days" partial index — its now() predicate is
 * rejected by PostgreSQL.
 */
export const ohlcvData = pgTable(
  'ohlcv_data',
  {
    id: identityId(),
    ...candleColumns(),
    takerBuyVolume: quantity('taker_buy_volume'),
    takerBuyQuoteVolume: amount('taker_buy_quote_volume'),
    isComplete: boolean('is_complete').default(true),
    hasGaps: boolean('has_gaps').default(false),
    exchange: exchange().notNull().default('binance'),
    dataSource: varchar('data_source', { length: 50 }),
    ...createdAt,
  },
  (t) => [
    // Natural key, ordered (series, time): distinct series are found by a skip
    // scan and each series' newest candle by one backward probe
    // (v_market_data_summary, get_latest_ohlcv_price, v_volatility_analysis).
    // The primary key: it contains the partition column "timestamp".
    primaryKey({ name: 'ohlcv_data_candle_key', columns: [t.symbol, t.timeframe, t.exchange, t.timestamp] }),
    // Time-range reads across series: v_volatility_analysis, retention.
    index('ohlcv_data_time_idx').on(t.timestamp.desc().nullsFirst()),
    // Data-quality sweeps; small because most candles are complete.
    index('ohlcv_data_quality_idx')
      .on(t.symbol, t.timeframe, t.timestamp)
      .where(sql`${t.isComplete} = false OR ${t.hasGaps} = true`),
    ...columnChecks('ohlcv_data', t, ohlcvDataColumnNotes),
    ...candleRules('ohlcv_data', t),
    ruleCheck('ohlcv_data_taker_buy_within_volume', lte(t.takerBuyVolume, t.volume)),
  ],
);

/** Units, ranges and trigger-set columns of fear_greed_index (see _notes.ts). */
export const fearGreedIndexColumnNotes = {
  value: NOTES.indexPoints,
  classification: {
    setBy:
      'classify_fear_greed, from value (<=25 extreme_fear, <=45 fear, <=55 neutral, <=75 greed, else extreme_greed)',
  },
  valueYesterday: NOTES.indexPoints,
  valueLastWeek: NOTES.indexPoints,
  valueLastMonth: NOTES.indexPoints,
  volatilityScore: NOTES.indexPoints,
  marketMomentumScore: NOTES.indexPoints,
  socialMediaScore: NOTES.indexPoints,
  surveysScore: NOTES.indexPoints,
  dominanceScore: NOTES.indexPoints,
  trendsScore: NOTES.indexPoints,
} satisfies ColumnNotes;

/** Crypto Fear & Greed Index readings (seed 004). */
export const fearGreedIndex = pgTable(
  'fear_greed_index',
  {
    id: id(),
    timestamp: ts('timestamp').notNull(),
    value: indexPoints('value').notNull(),
    /** Derived from `value`; inserts send NULL and the trigger fills it in before NOT NULL is checked. */
    classification: oneOf('classification', FEAR_GREED_CLASSES)
      .notNull()
      .$defaultFn(() => sql`NULL`),
    valueYesterday: indexPoints('value_yesterday'),
    valueLastWeek: indexPoints('value_last_week'),
    valueLastMonth: indexPoints('value_last_month'),
    volatilityScore: indexPoints('volatility_score'),
    marketMomentumScore: indexPoints('market_momentum_score'),
    socialMediaScore: indexPoints('social_media_score'),
    surveysScore: indexPoints('surveys_score'),
    dominanceScore: indexPoints('dominance_score'),
    trendsScore: indexPoints('trends_score'),
    dataSource: varchar('data_source', { length: 50 }).default('alternative.me'),
    ...createdAt,
  },
  (t) => [
    // One reading per instant; scanned backward it also serves "latest reading"
    // (get_latest_fear_greed), so the reference's timestamp desc index is dropped.
    unique('fear_greed_index_timestamp_key').on(t.timestamp),
    index('fear_greed_index_value_idx').on(t.value),
    index('fear_greed_index_classification_idx').on(t.classification),
    index('fear_greed_index_created_idx').on(t.createdAt.desc().nullsFirst()),
    index('fear_greed_index_fear_time_idx')
      .on(t.timestamp.desc().nullsFirst())
      .where(sql`${t.classification} IN ('extreme_fear', 'fear')`),
    index('fear_greed_index_greed_time_idx')
      .on(t.timestamp.desc().nullsFirst())
      .where(sql`${t.classification} IN ('extreme_greed', 'greed')`),
    ...columnChecks('fear_greed_index', t, fearGreedIndexColumnNotes),
  ],
);

/** Units, ranges and trigger-set columns of funding_rates (see _notes.ts). */
export const fundingRatesColumnNotes = {
  rate: NOTES.fundingFraction,
  rateBps: { unit: UNITS.fundingBps, setBy: 'derive_funding_rate_metrics, rate x 10000' },
  annualizedRate: {
    unit: UNITS.fractionPerYear,
    setBy: 'derive_funding_rate_metrics, rate x (24 / funding_interval_hours) x 365',
  },
  markPrice: NOTES.price,
  indexPrice: NOTES.price,
  premium: {
    unit: 'fraction of index_price',
    setBy: 'derive_funding_rate_metrics, (mark_price - index_price) / index_price',
  },
  predictedRate: NOTES.fundingFraction,
} satisfies ColumnNotes;

/** Perpetual futures funding rates (seed 004). */
export const fundingRates = pgTable(
  'funding_rates',
  {
    id: identityId(),
    symbol: symbol().notNull(),
    timestamp: ts('timestamp').notNull(),
    rate: fundingFraction('rate').notNull(),
    rateBps: numeric('rate_bps', { precision: 10, scale: 4 }),
    annualizedRate: numeric('annualized_rate', { precision: 10, scale: 6 }),
    markPrice: price('mark_price'),
    indexPrice: price('index_price'),
    premium: numeric('premium', { precision: 10, scale: 8 }),
    predictedRate: fundingFraction('predicted_rate'),
    fundingIntervalHours: integer('funding_interval_hours').default(8),
    exchange: exchange().notNull().default('binance'),
    isEstimated: boolean('is_estimated').default(false),
    ...createdAt,
  },
  (t) => [
    // Natural key, ordered to serve get_latest_funding_rate(symbol, exchange),
    // v_market_data_summary and v_funding_rate_analysis; the reference's symbol
    // and (symbol, timestamp desc) indexes are served by its leading column.
    // The primary key: it contains the partition column "timestamp".
    primaryKey({ name: 'funding_rates_key', columns: [t.symbol, t.exchange, t.timestamp] }),
    index('funding_rates_time_idx').on(t.timestamp.desc().nullsFirst()),
    index('funding_rates_exchange_idx').on(t.exchange),
    index('funding_rates_rate_idx').on(t.rate),
    index('funding_rates_created_idx').on(t.createdAt.desc().nullsFirst()),
    index('funding_rates_high_positive_idx')
      .on(t.symbol, t.timestamp.desc().nullsFirst())
      .where(sql`${t.rate} > 0.0005`),
    index('funding_rates_high_negative_idx')
      .on(t.symbol, t.timestamp.desc().nullsFirst())
      .where(sql`${t.rate} < -0.0005`),
    ...columnChecks('funding_rates', t, fundingRatesColumnNotes),
    // Exchanges settle funding every 1 to 8 hours; a week bounds typos without
    // refusing any real schedule.
    ruleCheck('funding_rates_interval_range', and(gte(t.fundingIntervalHours, 1), lte(t.fundingIntervalHours, 168))),
  ],
);

export type Ohlcv = typeof ohlcv.$inferSelect;
export type NewOhlcv = typeof ohlcv.$inferInsert;
export type OhlcvData = typeof ohlcvData.$inferSelect;
export type NewOhlcvData = typeof ohlcvData.$inferInsert;
export type FearGreedIndex = typeof fearGreedIndex.$inferSelect;
/** Without classification: the trigger sets it (the insert schema refuses it too). */
export type NewFearGreedIndex = Omit<typeof fearGreedIndex.$inferInsert, 'classification'>;
export type FundingRate = typeof fundingRates.$inferSelect;
/** Without the trigger-derived rate_bps, annualized_rate and premium. */
export type NewFundingRate = Omit<typeof fundingRates.$inferInsert, 'rateBps' | 'annualizedRate' | 'premium'>;
