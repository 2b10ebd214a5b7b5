/**
 * The ohlcv table: candles per exchange.
 *
 * Triggers acting on it (SQL in src/triggers/, attached by the
 * migrations): ohlcv_latest_insert/update/delete/truncate (maintain_ohlcv_latest: the ohlcv_latest read model), ohlcv_record_inserted_rows (record_inserted_rows).
 */
import { index, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import { createdAt, exchange, identityId, notesOf } from '../_columns.ts';
import { columnChecks } from '../_rules.ts';
import { candleColumns, candleRules } from './candle-columns.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const ohlcvComment = 'OHLCV candles per exchange; one row per (symbol, exchange, timeframe, open time).';

const ohlcvColumns = {
  id: identityId(),
  ...candleColumns(),
  exchange: exchange().notNull(),
  ...createdAt,
};

/** Units, ranges and trigger-set columns of ohlcv, read off its column builders (see notesOf in _columns.ts). */
export const ohlcvColumnNotes = notesOf(ohlcvColumns);

/** Candles per exchange (seed 001). */
export const ohlcv = pgTable('ohlcv', ohlcvColumns, (t) => [
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
]);

export type Ohlcv = typeof ohlcv.$inferSelect;
export type NewOhlcv = typeof ohlcv.$inferInsert;
