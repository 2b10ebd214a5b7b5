/**
 * The ohlcv_data table: candles with data-quality flags.
 *
 * Triggers acting on it (SQL in src/triggers/, attached by the
 * migrations): ohlcv_data_summaries_insert/update/delete/truncate (maintain_ohlcv_data_summaries: the ohlcv_data_latest and ohlcv_data_hourly read models), ohlcv_data_record_inserted_rows (record_inserted_rows).
 */
import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, varchar } from 'drizzle-orm/pg-core';
import { amount, createdAt, exchange, identityId, notesOf, quantity } from '../_columns.ts';
import { columnChecks, lte, ruleCheck } from '../_rules.ts';
import { candleColumns, candleRules } from './candle-columns.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const ohlcvDataComment =
  'Enhanced OHLCV candles with data-quality flags (is_complete, has_gaps); one row per (symbol, timeframe, open time, exchange).';

const ohlcvDataColumns = {
  id: identityId(),
  ...candleColumns(),
  takerBuyVolume: quantity('taker_buy_volume'),
  takerBuyQuoteVolume: amount('taker_buy_quote_volume'),
  isComplete: boolean('is_complete').default(true),
  hasGaps: boolean('has_gaps').default(false),
  exchange: exchange().notNull().default('binance'),
  dataSource: varchar('data_source', { length: 50 }),
  ...createdAt,
};

/** Units, ranges and trigger-set columns of ohlcv_data, read off its column builders (see notesOf in _columns.ts). */
export const ohlcvDataColumnNotes = notesOf(ohlcvDataColumns);

/**
 * Enhanced candles with data-quality flags (seed 004). Written all day, so the
 * index set is lean; of the reference's nine indexes these are dropped:
 * symbol, (symbol, timeframe) and (symbol, timeframe, timestamp desc) — all
 * served by the unique key's leading columns (scanned backward for newest
 * first); exchange and volume desc — no query filters or sorts candles by
 * them alone; the "recent 30 days" partial index — its now() predicate is
 * rejected by PostgreSQL.
 */
export const ohlcvData = pgTable('ohlcv_data', ohlcvDataColumns, (t) => [
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
]);

export type OhlcvData = typeof ohlcvData.$inferSelect;
export type NewOhlcvData = typeof ohlcvData.$inferInsert;
