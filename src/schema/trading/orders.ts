/**
 * The orders table.
 *
 * Triggers acting on it (SQL in src/triggers/): orders_set_updated_at (set_updated_at, BEFORE UPDATE).
 * jsonb shapes: `jsonShapes.orders` in src/validation/json-shapes.ts (zod stays out of the zod-free entry points).
 */
import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, jsonb, pgTable, text, unique, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import {
  amount,
  bigintRef,
  exchange,
  id,
  leverage,
  notesOf,
  oneOf,
  price,
  quantity,
  symbol,
  timestamps,
  timestamptz,
} from '../_columns.ts';
import {
  OPEN_ORDER_STATUSES,
  ORDER_SIDES,
  ORDER_STATUSES,
  ORDER_TYPES,
  POSITION_SIDES,
  PRICED_ORDER_TYPES,
  TRIGGERED_ORDER_TYPES,
} from '../enums.ts';
import { and, columnChecks, exprToSql, gt, gte, implies, inList, isNotNull, lte, ruleCheck } from '../_rules.ts';
import { positions } from './positions.ts';
import { trades } from './trades.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const ordersComment = 'One row per order sent to an exchange, with fills, fees and the exchange response.';

/** The exchange's raw reply to an order request. */
export type OrderExchangeResponse = Record<string, unknown>;

const ordersColumns = {
  id: id(),
  clientOrderId: varchar('client_order_id', { length: 100 }).notNull(),
  exchangeOrderId: varchar('exchange_order_id', { length: 100 }),
  symbol: symbol().notNull(),
  exchange: exchange().notNull(),
  side: oneOf('side', ORDER_SIDES, 10).notNull(),
  positionSide: oneOf('position_side', POSITION_SIDES, 10),
  orderType: oneOf('order_type', ORDER_TYPES, 20).notNull(),
  status: oneOf('status', ORDER_STATUSES, 20).notNull().default('pending'),
  quantity: quantity('quantity').notNull(),
  price: price('price'),
  stopPrice: price('stop_price'),
  filledQuantity: quantity('filled_quantity').notNull().default('0'),
  averageFillPrice: price('average_fill_price'),
  fee: amount('fee').default('0'),
  feeCurrency: varchar('fee_currency', { length: 20 }),
  reduceOnly: boolean('reduce_only').notNull().default(false),
  leverage: leverage(),
  positionId: bigintRef('position_id'),
  tradeId: bigintRef('trade_id'),
  errorMessage: text('error_message'),
  exchangeResponse: jsonb('exchange_response').$type<OrderExchangeResponse>(),
  submittedAt: timestamptz('submitted_at'),
  filledAt: timestamptz('filled_at'),
  cancelledAt: timestamptz('cancelled_at'),
  ...timestamps,
};

/** Units, ranges and trigger-set columns of orders, read off its column builders (see notesOf in _columns.ts). */
export const ordersColumnNotes = notesOf(ordersColumns);

/** One order sent to an exchange. */
export const orders = pgTable('orders', ordersColumns, (t) => [
  foreignKey({ name: 'orders_position_id_fkey', columns: [t.positionId], foreignColumns: [positions.id] }).onDelete(
    'set null',
  ),
  foreignKey({ name: 'orders_trade_id_fkey', columns: [t.tradeId], foreignColumns: [trades.id] }).onDelete('set null'),
  // Idempotent submission: one row per client order id.
  unique('orders_client_order_id_key').on(t.clientOrderId),
  // One row per exchange order once the exchange has assigned an id.
  uniqueIndex('orders_exchange_order_id_key')
    .on(t.exchange, t.exchangeOrderId)
    .where(sql`${t.exchangeOrderId} IS NOT NULL`),
  // A symbol's orders, newest first; also any query led by symbol.
  index('orders_symbol_created_idx').on(t.symbol, t.createdAt.desc().nullsFirst()),
  // Orders by status (rejected and expired ones for error review).
  index('orders_status_idx').on(t.status),
  // Orders still live on the exchange, per account and symbol (cancel-all, reconciliation).
  index('orders_open_idx')
    .on(t.exchange, t.symbol)
    .where(sql.raw(exprToSql(inList(t.status, OPEN_ORDER_STATUSES)))),
  // Orders of a position; the ON DELETE SET NULL from positions.
  index('orders_position_id_idx').on(t.positionId),
  // Orders of a trade; the ON DELETE SET NULL from trades.
  index('orders_trade_id_idx').on(t.tradeId),
  ...columnChecks('orders', t, ordersColumnNotes),
  ruleCheck('orders_quantity_positive', gt(t.quantity, 0)),
  ruleCheck('orders_filled_within_quantity', and(gte(t.filledQuantity, 0), lte(t.filledQuantity, t.quantity))),
  ruleCheck('orders_priced_type_has_price', implies(inList(t.orderType, PRICED_ORDER_TYPES), isNotNull(t.price))),
  ruleCheck(
    'orders_triggered_type_has_stop_price',
    implies(inList(t.orderType, TRIGGERED_ORDER_TYPES), isNotNull(t.stopPrice)),
  ),
  // Added: limit, stop and fill prices are positive when set.
  ruleCheck('orders_prices_positive', and(gt(t.price, 0), gt(t.stopPrice, 0), gt(t.averageFillPrice, 0))),
  // Added: as trades.fee.
  ruleCheck('orders_fee_nonnegative', gte(t.fee, 0)),
  // Added: as trades.leverage, when set.
  ruleCheck('orders_leverage_positive', gt(t.leverage, 0)),
]);

export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
