/**
 * The account_snapshots table.
 *
 * Triggers acting on it (SQL in src/triggers/): none.
 */
import { index, jsonb, pgTable, unique, varchar } from 'drizzle-orm/pg-core';
import { amount, nonNegativeInt, createdAt, exchange, id, notesOf, timestamptz } from '../_columns.ts';
import { columnChecks, gte, ruleCheck } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const accountSnapshotsComment =
  'Periodic balance and equity snapshots per exchange account; the source of daily balances and drawdown.';

/** The exchange's raw account payload behind a snapshot. */
export type AccountSnapshotRaw = Record<string, unknown>;

const accountSnapshotsColumns = {
  id: id(),
  exchange: exchange().notNull(),
  timestamp: timestamptz('timestamp').notNull(),
  currency: varchar('currency', { length: 20 }).notNull().default('USDT'),
  /** Wallet balance. */
  balance: amount('balance').notNull(),
  /** Balance plus unrealized P&L. */
  equity: amount('equity').notNull(),
  availableBalance: amount('available_balance'),
  marginUsed: amount('margin_used'),
  unrealizedPnl: amount('unrealized_pnl'),
  openPositions: nonNegativeInt('open_positions'),
  rawJson: jsonb('raw_json').$type<AccountSnapshotRaw>(),
  ...createdAt,
};

/** Units, ranges and trigger-set columns of account_snapshots, read off its column builders (see notesOf in _columns.ts). */
export const accountSnapshotsColumnNotes = notesOf(accountSnapshotsColumns);

/**
 * A periodic balance snapshot of one exchange account in one currency.
 * Both reference indexes are kept: the unique key has currency between
 * exchange and timestamp, so it cannot serve "latest snapshots of an exchange".
 */
export const accountSnapshots = pgTable('account_snapshots', accountSnapshotsColumns, (t) => [
  // One snapshot per account, currency and instant; also serves the latest
  // snapshot of an (exchange, currency) by a backward scan.
  unique('account_snapshots_key').on(t.exchange, t.currency, t.timestamp),
  // An exchange's snapshots over time, newest first, across currencies.
  index('account_snapshots_exchange_time_idx').on(t.exchange, t.timestamp.desc().nullsFirst()),
  ...columnChecks('account_snapshots', t, accountSnapshotsColumnNotes),
  // Added: margin in use cannot be negative (as positions.margin).
  ruleCheck('account_snapshots_margin_used_nonnegative', gte(t.marginUsed, 0)),
]);

export type AccountSnapshot = typeof accountSnapshots.$inferSelect;
export type NewAccountSnapshot = typeof accountSnapshots.$inferInsert;
