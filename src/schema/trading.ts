/** Trading: trades, positions, orders and account balance snapshots. */
import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, jsonb, pgTable, text, unique, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import {
  AMOUNT_LIMIT,
  INTEGER_MAX,
  amount,
  bigintRef,
  count,
  createdAt,
  exchange,
  id,
  leverage,
  oneOf,
  percentPoints,
  price,
  quantity,
  score,
  symbol,
  timestamps,
  ts,
  NOW,
} from './_columns.ts';
import { NOTES, type ColumnNotes } from './_notes.ts';
import {
  OPEN_ORDER_STATUSES,
  ORDER_SIDES,
  ORDER_STATUSES,
  ORDER_TYPES,
  POSITION_SIDES,
  PRICED_ORDER_TYPES,
  TRADE_ACTIONS,
  TRIGGERED_ORDER_TYPES,
} from './enums.ts';
import { positionColumnNotes, positionColumns } from './position-columns.ts';
import {
  and,
  columnChecks,
  exprToSql,
  gt,
  gte,
  implies,
  inList,
  isNotNull,
  lt,
  lte,
  minutesAfter,
  plus,
  ruleCheck,
  times,
} from './_rules.ts';

/** Why the bot took a trade, as the decision engine wrote it. */
export type TradeDecisionReasons = Record<string, unknown>;

/** The LLM's view attached to a trade when it was taken. */
export interface TradeLlmAnalysis {
  sentiment?: string;
  confidence?: number;
  summary?: string;
  model?: string;
  [key: string]: unknown;
}

/** The exchange's raw reply to an order request. */
export type OrderExchangeResponse = Record<string, unknown>;

/** The exchange's raw account payload behind a snapshot. */
export type AccountSnapshotRaw = Record<string, unknown>;

/** Units, ranges and trigger-set columns of trades (see _notes.ts). */
export const tradesColumnNotes = {
  entryPrice: NOTES.price,
  exitPrice: NOTES.price,
  quantity: NOTES.quantity,
  leverage: NOTES.leverage,
  realizedPnl: NOTES.amount,
  realizedPnlPct: NOTES.percentPoints,
  fee: NOTES.amount,
  signalScore: NOTES.score,
  technicalScore: NOTES.score,
  llmScore: NOTES.score,
  xgbConfidence: NOTES.score,
  stopLoss: NOTES.price,
  takeProfit: NOTES.price,
  positionSizePct: NOTES.percentPoints,
} satisfies ColumnNotes;

/**
 * One trade, from entry to exit (seed 001). Of the reference's indexes,
 * symbol is dropped: served by the leading column of (symbol, entry_time desc).
 */
export const trades = pgTable(
  'trades',
  {
    id: id(),
    tradeId: varchar('trade_id', { length: 100 }).notNull(),
    symbol: symbol().notNull(),
    exchange: exchange().notNull(),
    side: oneOf('side', POSITION_SIDES, 10).notNull(),
    action: oneOf('action', TRADE_ACTIONS, 10).notNull(),
    entryPrice: price('entry_price').notNull(),
    exitPrice: price('exit_price'),
    quantity: quantity('quantity').notNull(),
    leverage: leverage().default('1.0'),
    realizedPnl: amount('realized_pnl'),
    realizedPnlPct: percentPoints('realized_pnl_pct', 10, 4),
    fee: amount('fee').default('0'),
    signalScore: score('signal_score'),
    technicalScore: score('technical_score'),
    llmScore: score('llm_score'),
    xgbConfidence: score('xgb_confidence'),
    stopLoss: price('stop_loss'),
    takeProfit: price('take_profit'),
    positionSizePct: percentPoints('position_size_pct', 5, 2),
    decisionReasons: jsonb('decision_reasons').$type<TradeDecisionReasons>(),
    llmAnalysis: jsonb('llm_analysis').$type<TradeLlmAnalysis>(),
    entryTime: ts('entry_time').notNull().default(NOW),
    exitTime: ts('exit_time'),
    ...timestamps,
  },
  (t) => [
    // Business key; target of positions.trade_id.
    unique('trades_trade_id_key').on(t.tradeId),
    // Trades per exchange account (per-exchange daily performance).
    index('trades_exchange_idx').on(t.exchange),
    // Recent trades across symbols, newest entry first.
    index('trades_entry_time_idx').on(t.entryTime.desc().nullsFirst()),
    // Closed trades by exit time: v_recent_trades and calculate_daily_pnl's day range.
    index('trades_exit_time_idx').on(t.exitTime.desc().nullsFirst()).where(sql`${t.exitTime} IS NOT NULL`),
    // A symbol's trade history, newest first; also any query led by symbol.
    index('trades_symbol_entry_time_idx').on(t.symbol, t.entryTime.desc().nullsFirst()),
    // Trades by outcome (liquidations are few).
    index('trades_action_idx').on(t.action),
    // Best and worst trades by realized P&L.
    index('trades_realized_pnl_idx').on(t.realizedPnl).where(sql`${t.realizedPnl} IS NOT NULL`),
    // Containment queries on decision reasons (@>, ?).
    index('trades_decision_reasons_idx').using('gin', t.decisionReasons),
    ...columnChecks('trades', t, tradesColumnNotes),
    ruleCheck('trades_quantity_positive', gt(t.quantity, 0)),
    // Beyond the spec: the trade's notional (entry, and entry plus exit: its
    // volume) fits an amount column, numeric(20,8), as calculate_daily_pnl stores it.
    ruleCheck(
      'trades_notional_within_amount',
      and(
        lt(times(t.quantity, t.entryPrice), AMOUNT_LIMIT),
        lt(times(t.quantity, plus(t.entryPrice, t.exitPrice)), AMOUNT_LIMIT),
      ),
    ),
    ruleCheck('trades_leverage_positive', gt(t.leverage, 0)),
    ruleCheck('trades_fee_nonnegative', gte(t.fee, 0)),
    ruleCheck('trades_exit_after_entry', gte(t.exitTime, t.entryTime)),
    // Beyond the spec: the trade's duration fits daily_pnl's integer minutes
    // (about 4,083 years), as calculate_daily_pnl stores it.
    ruleCheck('trades_duration_within_integer_minutes', lt(t.exitTime, minutesAfter(t.entryTime, INTEGER_MAX))),
    // Added: a closed or liquidated trade has its exit, which v_recent_trades
    // and calculate_daily_pnl read.
    ruleCheck(
      'trades_closed_has_exit',
      implies(inList(t.action, ['close', 'liquidated']), and(isNotNull(t.exitPrice), isNotNull(t.exitTime))),
    ),
    // Added: every price level of a trade is a positive price when set.
    ruleCheck(
      'trades_prices_positive',
      and(gt(t.entryPrice, 0), gt(t.exitPrice, 0), gt(t.stopLoss, 0), gt(t.takeProfit, 0)),
    ),
  ],
);

/** Units, ranges and trigger-set columns of positions (see _notes.ts): those of `positionColumns`. */
export const positionsColumnNotes = positionColumnNotes;

/**
 * One position held on an exchange; `last_updated` is kept current by trigger.
 * Of the reference's indexes, symbol is dropped: served by the leading column
 * of (symbol, status).
 */
export const positions = pgTable('positions', positionColumns(), (t) => [
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

/** Units, ranges and trigger-set columns of orders (see _notes.ts). */
export const ordersColumnNotes = {
  quantity: NOTES.quantity,
  price: NOTES.price,
  stopPrice: NOTES.price,
  filledQuantity: NOTES.quantity,
  averageFillPrice: NOTES.price,
  fee: NOTES.amount,
  leverage: NOTES.leverage,
} satisfies ColumnNotes;

/** One order sent to an exchange. */
export const orders = pgTable(
  'orders',
  {
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
    submittedAt: ts('submitted_at'),
    filledAt: ts('filled_at'),
    cancelledAt: ts('cancelled_at'),
    ...timestamps,
  },
  (t) => [
    foreignKey({ name: 'orders_position_id_fkey', columns: [t.positionId], foreignColumns: [positions.id] }).onDelete(
      'set null',
    ),
    foreignKey({ name: 'orders_trade_id_fkey', columns: [t.tradeId], foreignColumns: [trades.id] }).onDelete(
      'set null',
    ),
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
  ],
);

/** Units, ranges and trigger-set columns of account_snapshots (see _notes.ts). */
export const accountSnapshotsColumnNotes = {
  balance: NOTES.amount,
  equity: NOTES.amount,
  availableBalance: NOTES.amount,
  marginUsed: NOTES.amount,
  unrealizedPnl: NOTES.amount,
  openPositions: NOTES.count,
} satisfies ColumnNotes;

/**
 * A periodic balance snapshot of one exchange account in one currency.
 * Both reference indexes are kept: the unique key has currency between
 * exchange and timestamp, so it cannot serve "latest snapshots of an exchange".
 */
export const accountSnapshots = pgTable(
  'account_snapshots',
  {
    id: id(),
    exchange: exchange().notNull(),
    timestamp: ts('timestamp').notNull(),
    currency: varchar('currency', { length: 20 }).notNull().default('USDT'),
    /** Wallet balance. */
    balance: amount('balance').notNull(),
    /** Balance plus unrealized P&L. */
    equity: amount('equity').notNull(),
    availableBalance: amount('available_balance'),
    marginUsed: amount('margin_used'),
    unrealizedPnl: amount('unrealized_pnl'),
    openPositions: count('open_positions'),
    rawJson: jsonb('raw_json').$type<AccountSnapshotRaw>(),
    ...createdAt,
  },
  (t) => [
    // One snapshot per account, currency and instant; also serves the latest
    // snapshot of an (exchange, currency) by a backward scan.
    unique('account_snapshots_key').on(t.exchange, t.currency, t.timestamp),
    // An exchange's snapshots over time, newest first, across currencies.
    index('account_snapshots_exchange_time_idx').on(t.exchange, t.timestamp.desc().nullsFirst()),
    ...columnChecks('account_snapshots', t, accountSnapshotsColumnNotes),
    // Added: margin in use cannot be negative (as positions.margin).
    ruleCheck('account_snapshots_margin_used_nonnegative', gte(t.marginUsed, 0)),
  ],
);

export type Trade = typeof trades.$inferSelect;
export type NewTrade = typeof trades.$inferInsert;
export type Position = typeof positions.$inferSelect;
export type NewPosition = typeof positions.$inferInsert;
export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type AccountSnapshot = typeof accountSnapshots.$inferSelect;
export type NewAccountSnapshot = typeof accountSnapshots.$inferInsert;
