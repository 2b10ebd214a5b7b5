/**
 * The trades table.
 *
 * Triggers acting on it (SQL in src/triggers/): trades_set_updated_at (set_updated_at, BEFORE UPDATE).
 * jsonb shapes: `jsonShapes.trades` in src/validation/json-shapes.ts (zod stays out of the zod-free entry points).
 */
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, unique, varchar } from 'drizzle-orm/pg-core';
import {
  amount,
  AMOUNT_LIMIT,
  exchange,
  id,
  INTEGER_MAX,
  leverage,
  notesOf,
  NOW,
  oneOf,
  percentPoints,
  price,
  quantity,
  score,
  symbol,
  timestamps,
  timestamptz,
} from '../_columns.ts';
import { POSITION_SIDES, TRADE_ACTIONS } from '../enums.ts';
import {
  and,
  columnChecks,
  gt,
  gte,
  implies,
  inList,
  isNotNull,
  lt,
  minutesAfter,
  plus,
  ruleCheck,
  times,
} from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const tradesComment =
  'Trades opened, closed or liquidated by the bot, with P&L and the signal scores behind them.';

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

const tradesColumns = {
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
  entryTime: timestamptz('entry_time').notNull().default(NOW),
  exitTime: timestamptz('exit_time'),
  ...timestamps,
};

/** Units, ranges and trigger-set columns of trades, read off its column builders (see notesOf in _columns.ts). */
export const tradesColumnNotes = notesOf(tradesColumns);

/**
 * One trade, from entry to exit (seed 001). Of the reference's indexes,
 * symbol is dropped: served by the leading column of (symbol, entry_time desc).
 */
export const trades = pgTable('trades', tradesColumns, (t) => [
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
]);

export type Trade = typeof trades.$inferSelect;
export type NewTrade = typeof trades.$inferInsert;
