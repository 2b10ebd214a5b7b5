/** Typed views over trades and positions (SQL in ./sql). */
import { NOTES, type ColumnNotes } from '../schema/_notes.ts';
import { pgView } from 'drizzle-orm/pg-core';
import {
  amount,
  exchange,
  minutes,
  oneOf,
  percentPoints,
  price,
  quantity,
  score,
  symbol,
  ts,
} from '../schema/_columns.ts';
import { POSITION_SIDES, TRADE_ACTIONS } from '../schema/enums.ts';
import { positionColumnNotes, positionColumns } from '../schema/position-columns.ts';

/** Units of v_active_positions's columns (see src/schema/_notes.ts). */
export const vActivePositionsColumnNotes = {
  ...positionColumnNotes,
  signalScore: NOTES.score,
  technicalScore: NOTES.score,
  llmScore: NOTES.score,
  minutesHeld: NOTES.minutes,
} satisfies ColumnNotes;

/** Every open position with its linked trade's scores and how long it has been held. */
export const vActivePositions = pgView('v_active_positions', {
  ...positionColumns(),
  /** From the linked trade; null without one. */
  signalScore: score('signal_score'),
  technicalScore: score('technical_score'),
  llmScore: score('llm_score'),
  /** Whole minutes since entry_time, rounded down. */
  minutesHeld: minutes('minutes_held').notNull(),
}).existing();

/** Units of v_recent_trades's columns (see src/schema/_notes.ts). */
export const vRecentTradesColumnNotes = {
  entryPrice: NOTES.price,
  exitPrice: NOTES.price,
  quantity: NOTES.quantity,
  realizedPnl: NOTES.amount,
  realizedPnlPct: NOTES.percentPoints,
  signalScore: NOTES.score,
  technicalScore: NOTES.score,
  llmScore: NOTES.score,
  durationMinutes: NOTES.minutes,
} satisfies ColumnNotes;

/** The 100 most recently closed (or liquidated) trades, newest exit first. */
export const vRecentTrades = pgView('v_recent_trades', {
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
  entryTime: ts('entry_time').notNull(),
  exitTime: ts('exit_time').notNull(),
  /** Minutes from entry to exit, rounded to the nearest whole minute (as calculate_daily_pnl()). */
  durationMinutes: minutes('duration_minutes').notNull(),
}).existing();

export type ActivePositionsRow = typeof vActivePositions.$inferSelect;
export type RecentTradesRow = typeof vRecentTrades.$inferSelect;
