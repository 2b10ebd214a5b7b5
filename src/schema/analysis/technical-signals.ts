/**
 * The technical_signals table.
 *
 * Triggers acting on it (SQL in src/triggers/): none.
 * jsonb shapes: `jsonShapes.technicalSignals` in src/validation/json-shapes.ts (zod stays out of the zod-free entry points).
 */
import { sql } from 'drizzle-orm';
import { index, jsonb, numeric, pgTable, varchar } from 'drizzle-orm/pg-core';
import {
  nonNegativeInt,
  createdAt,
  id,
  notesOf,
  NOW,
  oneOf,
  price,
  score,
  symbol,
  timestamptz,
  withNote,
} from '../_columns.ts';
import { SIGNAL_DIRECTIONS, TIMEFRAMES } from '../enums.ts';
import { columnChecks } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const technicalSignalsComment =
  'Aggregated technical analysis (RSI, MACD, Bollinger Bands, ...) per symbol and time.';

/** Per-indicator readings behind a technical signal (RSI, MACD, Bollinger bands, ...). */
export type TechnicalIndicatorsJson = Record<string, unknown>;

const technicalSignalsColumns = {
  id: id(),
  symbol: symbol().notNull(),
  timestamp: timestamptz('timestamp').notNull().default(NOW),
  overallSignal: oneOf('overall_signal', SIGNAL_DIRECTIONS, 10).notNull(),
  confidence: score('confidence').notNull(),
  bullishCount: nonNegativeInt('bullish_count').default(0),
  bearishCount: nonNegativeInt('bearish_count').default(0),
  neutralCount: nonNegativeInt('neutral_count').default(0),
  indicatorsJson: jsonb('indicators_json').$type<TechnicalIndicatorsJson>().notNull(),
  /** RSI index value, 0..100 (an oscillator reading, not a percentage). */
  rsiValue: withNote(numeric('rsi_value', { precision: 10, scale: 4 }), { range: { min: 0, max: 100 } }),
  // Free text: the spec gives no value list for the per-indicator verdicts.
  rsiSignal: varchar('rsi_signal', { length: 10 }),
  macdSignal: varchar('macd_signal', { length: 10 }),
  bbSignal: varchar('bb_signal', { length: 10 }),
  macdHistogram: price('macd_histogram'),
  /** Close's position within the Bollinger bands (0 = lower, 1 = upper; may fall outside). */
  bbPosition: numeric('bb_position', { precision: 10, scale: 4 }),
  timeframe: oneOf('timeframe', TIMEFRAMES, 10).notNull().default('1h'),
  ...createdAt,
};

/** Units, ranges and trigger-set columns of technical_signals, read off its column builders (see notesOf in _columns.ts). */
export const technicalSignalsColumnNotes = notesOf(technicalSignalsColumns);

/**
 * Aggregated technical analysis (seed 002). Of the reference's indexes, symbol
 * is dropped: served by the leading column of (symbol, timestamp desc).
 */
export const technicalSignals = pgTable('technical_signals', technicalSignalsColumns, (t) => [
  // Recent signals across symbols; retention.
  index('technical_signals_time_idx').on(t.timestamp.desc().nullsFirst()),
  // Latest signals for a symbol (and any query led by symbol).
  index('technical_signals_symbol_time_idx').on(t.symbol, t.timestamp.desc().nullsFirst()),
  // Signals by direction (e.g. recent bullish signals).
  index('technical_signals_overall_signal_idx').on(t.overallSignal),
  // Strongest signals first.
  index('technical_signals_confidence_idx').on(t.confidence.desc().nullsFirst()),
  // Containment queries on indicator readings (indicators_json @> ...).
  index('technical_signals_indicators_idx').using('gin', t.indicatorsJson),
  // Latest high-confidence signals for a symbol.
  index('technical_signals_high_confidence_idx')
    .on(t.symbol, t.timestamp.desc().nullsFirst())
    .where(sql`${t.confidence} >= 0.7`),
  ...columnChecks('technical_signals', t, technicalSignalsColumnNotes),
]);

export type TechnicalSignal = typeof technicalSignals.$inferSelect;
export type NewTechnicalSignal = typeof technicalSignals.$inferInsert;
