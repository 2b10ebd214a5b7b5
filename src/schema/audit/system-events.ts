/**
 * The system_events table.
 *
 * Triggers acting on it (SQL in src/triggers/): none.
 * jsonb shapes: `jsonShapes.systemEvents` in src/validation/json-shapes.ts (zod stays out of the zod-free entry points).
 */
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, varchar } from 'drizzle-orm/pg-core';
import { bigintRef, createdAt, exchange, identityId, notesOf, oneOf, symbol } from '../_columns.ts';
import { EVENT_SEVERITIES } from '../enums.ts';
import { columnChecks } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const systemEventsComment = 'System-wide event and audit log (append-only for the bot).';

/** Structured context of a system event. */
export type SystemEventDetails = Record<string, unknown>;

const systemEventsColumns = {
  id: identityId(),
  eventType: varchar('event_type', { length: 50 }).notNull(),
  severity: oneOf('severity', EVENT_SEVERITIES, 20).notNull(),
  message: text('message').notNull(),
  details: jsonb('details').$type<SystemEventDetails>(),
  symbol: symbol(),
  exchange: exchange(),
  tradeId: varchar('trade_id', { length: 100 }),
  positionId: bigintRef('position_id'),
  stackTrace: text('stack_trace'),
  ...createdAt,
};

/** Units, ranges and trigger-set columns of system_events, read off its column builders (see notesOf in _columns.ts). */
export const systemEventsColumnNotes = notesOf(systemEventsColumns);

/**
 * One system-wide event. trade_id and position_id are plain references, not
 * foreign keys: the log outlives the rows it mentions. Of the reference's
 * indexes, event_type is dropped: served by the leading column of
 * (event_type, created_at desc).
 */
export const systemEvents = pgTable('system_events', systemEventsColumns, (t) => [
  // No natural key: id plus the partition column created_at (see partitions.ts).
  primaryKey({ name: 'system_events_pkey', columns: [t.id, t.createdAt] }),
  // Events by severity (errors and critical ones for alerting).
  index('system_events_severity_idx').on(t.severity),
  // Recent events across types; retention.
  index('system_events_created_idx').on(t.createdAt.desc().nullsFirst()),
  // Recent events of one type; also any query led by event_type.
  index('system_events_type_created_idx').on(t.eventType, t.createdAt.desc().nullsFirst()),
  // Events about a symbol; most events have none.
  index('system_events_symbol_idx').on(t.symbol).where(sql`${t.symbol} IS NOT NULL`),
  // Events about a trade; most events have none.
  index('system_events_trade_id_idx').on(t.tradeId).where(sql`${t.tradeId} IS NOT NULL`),
  // Containment queries on event details (@>, ?).
  index('system_events_details_idx').using('gin', t.details),
  ...columnChecks('system_events', t, systemEventsColumnNotes),
]);

export type SystemEvent = typeof systemEvents.$inferSelect;
export type NewSystemEvent = typeof systemEvents.$inferInsert;
