/**
 * The circuit_breaker_events table.
 *
 * Triggers acting on it (SQL in src/triggers/): circuit_breaker_events_set_cooldown_expiry (set_circuit_breaker_cooldown_expiry, BEFORE INSERT OR UPDATE); circuit_breaker_events_set_updated_at (set_updated_at, BEFORE UPDATE).
 * jsonb shapes: `jsonShapes.circuitBreakerEvents` in src/validation/json-shapes.ts (zod stays out of the zod-free entry points).
 */
import { sql } from 'drizzle-orm';
import { index, jsonb, numeric, pgTable, text, varchar } from 'drizzle-orm/pg-core';
import {
  amount,
  nonNegativeInt,
  id,
  notesOf,
  NOW,
  oneOf,
  percentPoints,
  symbol,
  timestamps,
  timestamptz,
  withNote,
} from '../_columns.ts';
import { BREAKER_SEVERITIES, BREAKER_STATUSES, BREAKER_TRIGGER_TYPES } from '../enums.ts';
import { columnChecks, gte, ruleCheck } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const circuitBreakerEventsComment =
  'Automatic trading halts on risk thresholds; symbol null = account-wide. Blocks trading while active and within cooldown.';

/** Risk figures at the moment a breaker tripped. */
export type BreakerContextJson = Record<string, unknown>;

const circuitBreakerEventsColumns = {
  id: id(),
  triggeredAt: timestamptz('triggered_at').notNull().default(NOW),
  reason: varchar('reason', { length: 100 }).notNull(),
  triggerType: oneOf('trigger_type', BREAKER_TRIGGER_TYPES, 50).notNull(),
  thresholdValue: amount('threshold_value'),
  actualValue: amount('actual_value'),
  /** null = the whole account; a value = only that symbol. */
  symbol: symbol(),
  dailyPnl: amount('daily_pnl'),
  drawdownPct: percentPoints('drawdown_pct'),
  consecutiveLosses: nonNegativeInt('consecutive_losses'),
  openPositions: nonNegativeInt('open_positions'),
  accountBalance: amount('account_balance'),
  contextJson: jsonb('context_json').$type<BreakerContextJson>(),
  resolvedAt: timestamptz('resolved_at'),
  /** Hours of cooldown; null = blocks until resolved by hand. */
  cooldownHours: withNote(numeric('cooldown_hours', { precision: 5, scale: 2 }), { range: { min: 0 } }).default('1.0'),
  /** triggered_at + cooldown_hours, set by trigger; null when cooldown_hours is null. */
  cooldownExpiresAt: withNote(timestamptz('cooldown_expires_at'), {
    setBy: 'set_circuit_breaker_cooldown_expiry, triggered_at + cooldown_hours hours (null without a cooldown)',
  }),
  status: oneOf('status', BREAKER_STATUSES, 20).notNull().default('active'),
  resolvedBy: varchar('resolved_by', { length: 50 }),
  resolutionReason: text('resolution_reason'),
  severity: oneOf('severity', BREAKER_SEVERITIES, 20).notNull().default('warning'),
  ...timestamps,
};

/** Units, ranges and trigger-set columns of circuit_breaker_events, read off its column builders (see notesOf in _columns.ts). */
export const circuitBreakerEventsColumnNotes = notesOf(circuitBreakerEventsColumns);

/**
 * Automatic trading halts on risk thresholds (seed 003). Read by
 * is_trading_allowed() before every order. All of the reference's indexes are
 * kept: none is served by another's leading columns, and events are rare.
 */
export const circuitBreakerEvents = pgTable('circuit_breaker_events', circuitBreakerEventsColumns, (t) => [
  // Event history newest first; v_risk_summary's last_circuit_breaker.
  index('circuit_breaker_events_triggered_idx').on(t.triggeredAt.desc().nullsFirst()),
  // Events by status (e.g. overridden breakers).
  index('circuit_breaker_events_status_idx').on(t.status),
  // Events by trigger type.
  index('circuit_breaker_events_trigger_type_idx').on(t.triggerType),
  // Events by severity.
  index('circuit_breaker_events_severity_idx').on(t.severity),
  // Per-symbol breaker history; account-wide rows (null) are left out.
  index('circuit_breaker_events_symbol_idx').on(t.symbol).where(sql`${t.symbol} IS NOT NULL`),
  // Hot path: is_trading_allowed() and v_risk_summary's active_circuit_breakers.
  // "status = 'active' AND (cooldown_expires_at IS NULL OR cooldown_expires_at
  // > now())" reads only the live part of this index (nulls plus a range at its
  // end), so stale 'active' rows past their cooldown cost nothing however many
  // years of history pile up; the symbol test (symbol IS NULL OR symbol = $1)
  // then filters those few rows.
  index('circuit_breaker_events_active_cooldown_idx').on(t.cooldownExpiresAt).where(sql`${t.status} = 'active'`),
  // Newest active breakers first (the blocking reason).
  index('circuit_breaker_events_active_triggered_idx')
    .on(t.triggeredAt.desc().nullsFirst())
    .where(sql`${t.status} = 'active'`),
  // Containment queries on the context (context_json @> ...).
  index('circuit_breaker_events_context_idx').using('gin', t.contextJson),
  ...columnChecks('circuit_breaker_events', t, circuitBreakerEventsColumnNotes),
  // Beyond the spec: a breaker cannot be resolved before it tripped.
  ruleCheck('circuit_breaker_events_resolved_after_triggered', gte(t.resolvedAt, t.triggeredAt)),
]);

export type CircuitBreakerEvent = typeof circuitBreakerEvents.$inferSelect;
/** Without cooldown_expires_at: the trigger derives it from cooldown_hours. */
export type NewCircuitBreakerEvent = Omit<typeof circuitBreakerEvents.$inferInsert, 'cooldownExpiresAt'>;
