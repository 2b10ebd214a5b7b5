/** The v_recent_trades view, typed for the query builder (SQL in ./v_recent_trades.sql). */
import { pgView } from 'drizzle-orm/pg-core';
import {
  amount,
  exchange,
  minutes,
  notesOf,
  oneOf,
  percentPoints,
  price,
  quantity,
  score,
  symbol,
  timestamptz,
} from '../schema/_columns.ts';
import { POSITION_SIDES, TRADE_ACTIONS } from '../schema/enums.ts';

const vRecentTradesColumns = {
  symbol: symbol().notNull(),
  exchange: exchange().notNull(),
  side: oneOf('side', POSITION_SIDES, 10).notNull(),
  /** 'close' or 'liquidated'. */
  action: oneOf('action', TRADE_ACTIONS, 10).notNull(),
  entryPrice: price('entry_price').notNull(),
  exitPrice: price('exit_price').notNull(),
  quantity: quantity('quantity').notNull(),
  realizedPnl: amount('realized_pnl'),
  realizedPnlPct: percentPoints('realized_pnl_pct', 10, 4),
  signalScore: score('signal_score'),
  technicalScore: score('technical_score'),
  llmScore: score('llm_score'),
  entryTime: timestamptz('entry_time').notNull(),
  exitTime: timestamptz('exit_time').notNull(),
  /** Minutes from entry to exit, rounded to the nearest whole minute (as calculate_daily_pnl()). */
  durationMinutes: minutes('duration_minutes').notNull(),
};

/** Units of v_recent_trades's columns, read off its column builders (see notesOf in _columns.ts). */
export const vRecentTradesColumnNotes = notesOf(vRecentTradesColumns);

/** The 100 most recently closed (or liquidated) trades, newest exit first. */
export const vRecentTrades = pgView('v_recent_trades', vRecentTradesColumns).existing();

export type RecentTradesRow = typeof vRecentTrades.$inferSelect;
