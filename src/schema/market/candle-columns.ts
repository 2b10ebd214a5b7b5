/** The columns (their notes carried by their builders) and CHECKs the two candle tables (ohlcv, ohlcv_data) share. */
import type { PgColumn } from 'drizzle-orm/pg-core';
import { amount, nonNegativeInt, oneOf, price, quantity, symbol, timestamptz } from '../_columns.ts';
import { and, gt, gte, greatest, least, lte, ruleCheck } from '../_rules.ts';
import { TIMEFRAMES } from '../enums.ts';

/** OHLC columns and the "valid price relationships" CHECK, shared by both candle tables. */
export const candleColumns = () => ({
  symbol: symbol().notNull(),
  timeframe: oneOf('timeframe', TIMEFRAMES, 10).notNull(),
  /** Candle open time. */
  timestamp: timestamptz('timestamp').notNull(),
  open: price('open').notNull(),
  high: price('high').notNull(),
  low: price('low').notNull(),
  close: price('close').notNull(),
  volume: quantity('volume').notNull(),
  quoteVolume: amount('quote_volume'),
  tradesCount: nonNegativeInt('trades_count'),
});

export function candleRules(table: string, t: Record<'open' | 'high' | 'low' | 'close' | 'volume', PgColumn>) {
  return [
    ruleCheck(`${table}_prices_positive`, and(gt(t.open, 0), gt(t.high, 0), gt(t.low, 0), gt(t.close, 0))),
    ruleCheck(`${table}_volume_nonnegative`, gte(t.volume, 0)),
    ruleCheck(`${table}_high_is_highest`, gte(t.high, greatest(t.open, t.close, t.low))),
    ruleCheck(`${table}_low_is_lowest`, lte(t.low, least(t.open, t.close))),
  ];
}
