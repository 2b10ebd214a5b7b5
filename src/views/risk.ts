/** The one-row live risk status view (SQL in ./v_risk_summary.sql). */
import { NOTES, type ColumnNotes } from '../schema/_notes.ts';
import { integer, numeric, pgView, text, varchar } from 'drizzle-orm/pg-core';
import { amount, ts } from '../schema/_columns.ts';

/** Units of v_risk_summary's columns (see src/schema/_notes.ts). */
export const vRiskSummaryColumnNotes = {
  todayPnl: NOTES.amount,
  currentBalance: NOTES.amount,
  avgWinRate7d: NOTES.percentPoints,
  totalPnl7d: NOTES.amount,
} satisfies ColumnNotes;

/**
 * Live risk status. Counts use the same blocking test as is_trading_allowed();
 * "today" is the current UTC day; today_pnl and current_balance are null until
 * calculate_daily_pnl() has written today's row.
 */
export const vRiskSummary = pgView('v_risk_summary', {
  /** Active breakers whose cooldown has not passed (or that have none), account-wide and per symbol. */
  activeCircuitBreakers: integer('active_circuit_breakers').notNull(),
  activeKillSwitches: integer('active_kill_switches').notNull(),
  /** Today's daily_pnl.total_pnl. */
  todayPnl: amount('today_pnl'),
  /** Today's daily_pnl.balance_end. */
  currentBalance: amount('current_balance'),
  lastCircuitBreaker: ts('last_circuit_breaker'),
  lastCircuitBreakerReason: varchar('last_circuit_breaker_reason', { length: 100 }),
  lastKillSwitch: ts('last_kill_switch'),
  lastKillSwitchReason: text('last_kill_switch_reason'),
  /** Mean daily win rate over the 7 UTC days ending today. */
  avgWinRate7d: numeric('avg_win_rate_7d'),
  /** Sum of daily total_pnl over the 7 UTC days ending today. */
  totalPnl7d: numeric('total_pnl_7d'),
}).existing();

export type RiskSummaryRow = typeof vRiskSummary.$inferSelect;
