/**
 * The daily_performance table.
 *
 * Triggers acting on it (SQL in src/triggers/): daily_performance_set_updated_at (set_updated_at, BEFORE UPDATE).
 */
import { date, index, numeric, pgTable, unique } from 'drizzle-orm/pg-core';
import {
  amount,
  nonNegativeInt,
  exchange,
  id,
  minutes,
  notesOf,
  percentPoints,
  timestamps,
  tradeTallies,
} from '../_columns.ts';
import { and, columnChecks, gte, lte, ruleCheck } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const dailyPerformanceComment = 'Daily performance summary per exchange.';

const dailyPerformanceColumns = {
  id: id(),
  date: date('date', { mode: 'string' }).notNull(),
  exchange: exchange().notNull(),
  ...tradeTallies(),
  netPnl: amount('net_pnl').default('0'),
  netPnlPct: percentPoints('net_pnl_pct', 10, 4),
  totalFees: amount('total_fees').default('0'),
  /** Position sizes and volume are notional, in quote currency. */
  avgPositionSize: amount('avg_position_size'),
  maxPositionSize: amount('max_position_size'),
  totalVolume: amount('total_volume'),
  maxDrawdown: percentPoints('max_drawdown', 10, 4),
  maxDrawdownAmount: amount('max_drawdown_amount'),
  sharpeRatio: numeric('sharpe_ratio', { precision: 10, scale: 4 }),
  profitFactor: numeric('profit_factor', { precision: 10, scale: 4 }),
  startingBalance: amount('starting_balance'),
  endingBalance: amount('ending_balance'),
  peakBalance: amount('peak_balance'),
  avgTradeDurationMinutes: minutes('avg_trade_duration_minutes'),
  longestWinningStreak: nonNegativeInt('longest_winning_streak'),
  longestLosingStreak: nonNegativeInt('longest_losing_streak'),
  ...timestamps,
};

/** Units, ranges and trigger-set columns of daily_performance, read off its column builders (see notesOf in _columns.ts). */
export const dailyPerformanceColumnNotes = notesOf(dailyPerformanceColumns);

/**
 * Daily trading summary of one exchange for one UTC day. Of the reference's
 * indexes, date desc and (date desc, exchange) are dropped: both are served by
 * the unique key (date, exchange), scanned backward for newest first.
 */
export const dailyPerformance = pgTable('daily_performance', dailyPerformanceColumns, (t) => [
  // One row per UTC day and exchange; serves date lookups and ranges, newest first.
  unique('daily_performance_date_exchange_key').on(t.date, t.exchange),
  // One exchange's history.
  index('daily_performance_exchange_idx').on(t.exchange),
  // Best days by net P&L.
  index('daily_performance_net_pnl_idx').on(t.netPnl.desc().nullsFirst()),
  ...columnChecks('daily_performance', t, dailyPerformanceColumnNotes),
  // Added: each trade is a win, a loss or neither.
  ruleCheck(
    'daily_performance_outcomes_within_total',
    and(lte(t.winningTrades, t.totalTrades), lte(t.losingTrades, t.totalTrades)),
  ),
  // Added: fees, sizes, volume and durations are never negative.
  ruleCheck('daily_performance_total_fees_nonnegative', gte(t.totalFees, 0)),
  ruleCheck(
    'daily_performance_sizes_nonnegative',
    and(gte(t.avgPositionSize, 0), gte(t.maxPositionSize, 0), gte(t.totalVolume, 0)),
  ),
  ruleCheck('daily_performance_avg_duration_nonnegative', gte(t.avgTradeDurationMinutes, 0)),
]);

export type DailyPerformance = typeof dailyPerformance.$inferSelect;
export type NewDailyPerformance = typeof dailyPerformance.$inferInsert;
