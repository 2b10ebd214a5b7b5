/**
 * The positions table.
 *
 * Triggers acting on it (SQL in src/triggers/): positions_set_last_updated (set_last_updated, BEFORE UPDATE).
 * jsonb shapes: none (no jsonb column).
 */
import { sql } from 'drizzle-orm';
import { foreignKey, index, pgTable, uniqueIndex } from 'drizzle-orm/pg-core';
import { notesOf } from '../_columns.ts';
import { positionColumns } from '../position-columns.ts';
import { and, columnChecks, gt, gte, ruleCheck } from '../_rules.ts';
import { trades } from './trades.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const positionsComment =
  'Current and historical positions; at most one open position per (symbol, exchange, side).';

const positionsColumns = positionColumns();

/** Units, ranges and trigger-set columns of positions, read off its column builders (see notesOf in _columns.ts). */
export const positionsColumnNotes = notesOf(positionsColumns);

/**
 * One position held on an exchange; `last_updated` is kept current by trigger.
 * Of the reference's indexes, symbol is dropped: served by the leading column
 * of (symbol, status).
 */
export const positions = pgTable('positions', positionsColumns, (t) => [
  foreignKey({ name: 'positions_trade_id_fkey', columns: [t.tradeId], foreignColumns: [trades.tradeId] }).onDelete(
    'set null',
  ),
  // At most one open position per (symbol, exchange, side); also serves
  // v_active_positions (status = 'open').
  uniqueIndex('positions_one_open_per_side').on(t.symbol, t.exchange, t.side).where(sql`${t.status} = 'open'`),
  // Positions by status across symbols (open, liquidated).
  index('positions_status_idx').on(t.status),
  // Positions per exchange account (kill switch, reconciliation).
  index('positions_exchange_idx').on(t.exchange),
  // A symbol's positions by status; also any query led by symbol.
  index('positions_symbol_status_idx').on(t.symbol, t.status),
  // Position of a trade; the ON DELETE SET NULL from trades.
  index('positions_trade_id_idx').on(t.tradeId),
  ...columnChecks('positions', t, positionsColumnNotes),
  ruleCheck('positions_entry_price_positive', gt(t.entryPrice, 0)),
  ruleCheck('positions_quantity_positive', gt(t.quantity, 0)),
  ruleCheck('positions_leverage_positive', gt(t.leverage, 0)),
  ruleCheck('positions_margin_nonnegative', gte(t.margin, 0)),
  // Added: mark price and exit levels are positive prices when set.
  ruleCheck(
    'positions_levels_positive',
    and(gt(t.currentPrice, 0), gt(t.stopLoss, 0), gt(t.takeProfit, 0), gt(t.trailingStop, 0)),
  ),
  // Added: >= 0, not > 0, because exchanges report 0 when a position cannot be liquidated.
  ruleCheck('positions_liquidation_price_nonnegative', gte(t.liquidationPrice, 0)),
]);

export type Position = typeof positions.$inferSelect;
export type NewPosition = typeof positions.$inferInsert;
