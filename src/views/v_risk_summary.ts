/** The v_risk_summary view, typed for the query builder (SQL in ./v_risk_summary.sql). */
import { integer, numeric, pgView, text, varchar } from 'drizzle-orm/pg-core';
import { amount, notesOf, timestamptz, withNote } from '../schema/_columns.ts';
import { NOTES } from '../schema/_notes.ts';

const vRiskSummaryColumns = {
  /** Active breakers whose cooldown has not passed (or that have none), account-wide and per symbol. */
  activeCircuitBreakers: integer('active_circuit_breakers').notNull(),
  activeKillSwitches: integer('active_kill_switches').notNull(),
  /** Today's daily_pnl.total_pnl. */
  todayPnl: amount('today_pnl'),
  /** Today's daily_pnl.balance_end. */
  currentBalance: amount('current_balance'),
  lastCircuitBreaker: timestamptz('last_circuit_breaker'),
  lastCircuitBreakerReason: varchar('last_circuit_breaker_reason', { length: 100 }),
  lastKillSwitch: timestamptz('last_kill_switch'),
  lastKillSwitchReason: text('last_kill_switch_reason'),
  /** Mean daily win rate over the 7 UTC days ending today. */
  avgWinRate7d: withNote(numeric('avg_win_rate_7d'), NOTES.percentPoints),
  /** Sum of daily total_pnl over the 7 UTC days ending today. */
  totalPnl7d: withNote(numeric('total_pnl_7d'), NOTES.amount),
};

/** Units of v_risk_summary's columns, read off its column builders (see notesOf in _columns.ts). */
export const vRiskSummaryColumnNotes = notesOf(vRiskSummaryColumns);

/**
 * Live risk status. Counts use the same blocking test as is_trading_allowed();
 * "today" is the current UTC day; today_pnl and current_balance are null until
 * calculate_daily_pnl() has written today's row.
 */
export const vRiskSummary = pgView('v_risk_summary', vRiskSummaryColumns).existing();

export type RiskSummaryRow = typeof vRiskSummary.$inferSelect;
