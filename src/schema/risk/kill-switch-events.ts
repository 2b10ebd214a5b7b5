/**
 * The kill_switch_events table.
 *
 * Triggers acting on it (SQL in src/triggers/): kill_switch_events_set_updated_at (set_updated_at, BEFORE UPDATE).
 * jsonb shapes: `jsonShapes.killSwitchEvents` in src/validation/json-shapes.ts (zod stays out of the zod-free entry points).
 */
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, varchar } from 'drizzle-orm/pg-core';
import { amount, nonNegativeInt, id, notesOf, NOW, oneOf, timestamps, timestamptz } from '../_columns.ts';
import { KILL_SWITCH_SEVERITIES, KILL_SWITCH_SOURCES, KILL_SWITCH_STATUSES } from '../enums.ts';
import { and, columnChecks, eq, gte, implies, isNotNull, ruleCheck } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const killSwitchEventsComment = 'Emergency shutdowns; any active row blocks all trading.';

/** Steps the kill switch took: a list of entries or a keyed object. */
export type KillSwitchActionLogJson = Record<string, unknown>[] | Record<string, unknown>;

/** System state captured when the kill switch fired. */
export type KillSwitchSystemStateJson = Record<string, unknown>;

const killSwitchEventsColumns = {
  id: id(),
  activatedAt: timestamptz('activated_at').notNull().default(NOW),
  reason: text('reason').notNull(),
  triggerSource: oneOf('trigger_source', KILL_SWITCH_SOURCES, 50).notNull(),
  activatedBy: varchar('activated_by', { length: 100 }).notNull(),
  positionsClosed: nonNegativeInt('positions_closed').default(0),
  ordersCancelled: nonNegativeInt('orders_cancelled').default(0),
  emergencyExitUsed: boolean('emergency_exit_used').default(false),
  balanceBefore: amount('balance_before'),
  equityBefore: amount('equity_before'),
  openPositionsBefore: nonNegativeInt('open_positions_before'),
  pendingOrdersBefore: nonNegativeInt('pending_orders_before'),
  balanceAfter: amount('balance_after'),
  equityAfter: amount('equity_after'),
  emergencyPnl: amount('emergency_pnl'),
  actionLogJson: jsonb('action_log_json').$type<KillSwitchActionLogJson>(),
  systemStateJson: jsonb('system_state_json').$type<KillSwitchSystemStateJson>(),
  deactivatedAt: timestamptz('deactivated_at'),
  deactivatedBy: varchar('deactivated_by', { length: 100 }),
  deactivationReason: text('deactivation_reason'),
  status: oneOf('status', KILL_SWITCH_STATUSES, 20).notNull().default('active'),
  severity: oneOf('severity', KILL_SWITCH_SEVERITIES, 20).notNull().default('emergency'),
  recoveryStartedAt: timestamptz('recovery_started_at'),
  recoveryCompletedAt: timestamptz('recovery_completed_at'),
  recoveryNotes: text('recovery_notes'),
  ...timestamps,
};

/** Units, ranges and trigger-set columns of kill_switch_events, read off its column builders (see notesOf in _columns.ts). */
export const killSwitchEventsColumnNotes = notesOf(killSwitchEventsColumns);

/**
 * Emergency shutdowns and manual interventions (seed 003). All of the
 * reference's indexes are kept: none is served by another's leading columns,
 * and events are rare.
 */
export const killSwitchEvents = pgTable('kill_switch_events', killSwitchEventsColumns, (t) => [
  // Event history newest first; v_risk_summary's last_kill_switch.
  index('kill_switch_events_activated_idx').on(t.activatedAt.desc().nullsFirst()),
  // Events by status.
  index('kill_switch_events_status_idx').on(t.status),
  // Events by trigger source.
  index('kill_switch_events_trigger_source_idx').on(t.triggerSource),
  // Events by severity.
  index('kill_switch_events_severity_idx').on(t.severity),
  // Who pulled the switch (audits).
  index('kill_switch_events_activated_by_idx').on(t.activatedBy),
  // Containment queries on the action log (action_log_json @> ...).
  index('kill_switch_events_action_log_idx').using('gin', t.actionLogJson),
  // Hot path: is_trading_allowed() and v_risk_summary's active_kill_switches
  // read only active switches, newest first.
  index('kill_switch_events_active_idx').on(t.activatedAt.desc().nullsFirst()).where(sql`${t.status} = 'active'`),
  ...columnChecks('kill_switch_events', t, killSwitchEventsColumnNotes),
  ruleCheck(
    'kill_switch_events_deactivation_recorded',
    implies(eq(t.status, 'deactivated'), and(isNotNull(t.deactivatedAt), isNotNull(t.deactivatedBy))),
  ),
  // Beyond the spec: events happen in order (activation, recovery start, recovery end; deactivation after activation).
  ruleCheck('kill_switch_events_deactivated_after_activated', gte(t.deactivatedAt, t.activatedAt)),
  ruleCheck('kill_switch_events_recovery_after_activated', gte(t.recoveryStartedAt, t.activatedAt)),
  ruleCheck('kill_switch_events_recovery_completed_after_started', gte(t.recoveryCompletedAt, t.recoveryStartedAt)),
]);

export type KillSwitchEvent = typeof killSwitchEvents.$inferSelect;
export type NewKillSwitchEvent = typeof killSwitchEvents.$inferInsert;
