/**
 * The funding_rates table: perpetual futures funding rates.
 *
 * Triggers acting on it (SQL in src/triggers/, attached by the
 * migrations): funding_rates_derive_metrics (derive_funding_rate_metrics, BEFORE INSERT OR UPDATE: sets rate_bps, annualized_rate, premium; the limits it must respect are in src/validation/trigger-limits.ts), funding_rates_latest_insert/update/delete/truncate (maintain_funding_rates_latest: the funding_rates_latest read model).
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, numeric, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import {
  createdAt,
  exchange,
  fundingFraction,
  identityId,
  notesOf,
  price,
  symbol,
  timestamptz,
  withNote,
} from '../_columns.ts';
import { UNITS } from '../_notes.ts';
import { and, columnChecks, gte, lte, ruleCheck } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const fundingRatesComment =
  'Perpetual futures funding rates per symbol and exchange; bps, annualized rate and premium are derived by trigger.';

const fundingRatesColumns = {
  id: identityId(),
  symbol: symbol().notNull(),
  timestamp: timestamptz('timestamp').notNull(),
  rate: fundingFraction('rate').notNull(),
  rateBps: withNote(numeric('rate_bps', { precision: 10, scale: 4 }), {
    unit: UNITS.fundingBps,
    setBy: 'derive_funding_rate_metrics, rate x 10000',
  }),
  annualizedRate: withNote(numeric('annualized_rate', { precision: 10, scale: 6 }), {
    unit: UNITS.fractionPerYear,
    setBy: 'derive_funding_rate_metrics, rate x (24 / funding_interval_hours) x 365',
  }),
  markPrice: price('mark_price'),
  indexPrice: price('index_price'),
  premium: withNote(numeric('premium', { precision: 10, scale: 8 }), {
    unit: 'fraction of index_price',
    setBy: 'derive_funding_rate_metrics, (mark_price - index_price) / index_price',
  }),
  predictedRate: fundingFraction('predicted_rate'),
  fundingIntervalHours: integer('funding_interval_hours').default(8),
  exchange: exchange().notNull().default('binance'),
  isEstimated: boolean('is_estimated').default(false),
  ...createdAt,
};

/** Units, ranges and trigger-set columns of funding_rates, read off its column builders (see notesOf in _columns.ts). */
export const fundingRatesColumnNotes = notesOf(fundingRatesColumns);

/** Perpetual futures funding rates (seed 004). */
export const fundingRates = pgTable('funding_rates', fundingRatesColumns, (t) => [
  // Natural key, ordered to serve get_latest_funding_rate(symbol, exchange),
  // v_market_data_summary and v_funding_rate_analysis; the reference's symbol
  // and (symbol, timestamp desc) indexes are served by its leading column.
  // The primary key: it contains the partition column "timestamp".
  primaryKey({ name: 'funding_rates_key', columns: [t.symbol, t.exchange, t.timestamp] }),
  index('funding_rates_time_idx').on(t.timestamp.desc().nullsFirst()),
  index('funding_rates_exchange_idx').on(t.exchange),
  index('funding_rates_rate_idx').on(t.rate),
  index('funding_rates_created_idx').on(t.createdAt.desc().nullsFirst()),
  index('funding_rates_high_positive_idx').on(t.symbol, t.timestamp.desc().nullsFirst()).where(sql`${t.rate} > 0.0005`),
  index('funding_rates_high_negative_idx')
    .on(t.symbol, t.timestamp.desc().nullsFirst())
    .where(sql`${t.rate} < -0.0005`),
  ...columnChecks('funding_rates', t, fundingRatesColumnNotes),
  // Exchanges settle funding every 1 to 8 hours; a week bounds typos without
  // refusing any real schedule.
  ruleCheck('funding_rates_interval_range', and(gte(t.fundingIntervalHours, 1), lte(t.fundingIntervalHours, 168))),
]);

export type FundingRate = typeof fundingRates.$inferSelect;
/** Without the trigger-derived rate_bps, annualized_rate and premium. */
export type NewFundingRate = Omit<typeof fundingRates.$inferInsert, 'rateBps' | 'annualizedRate' | 'premium'>;
