/**
 * The daily_pnl table.
 *
 * Triggers acting on it (SQL in src/triggers/): daily_pnl_set_updated_at (set_updated_at, BEFORE UPDATE).
 * jsonb shapes: none (no jsonb column).
 */
import { sql } from 'drizzle-orm';
import { boolean, date, index, numeric, pgTable, unique } from 'drizzle-orm/pg-core';
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
  timestamptz,
} from '../_columns.ts';
import { and, columnChecks, eq, greatest, gte, implies, isNull, least, lte, or, plus, ruleCheck } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const dailyPnlComment = 'Account P&L and risk metrics per UTC day, computed by calculate_daily_pnl().';

const dailyPnlColumns = {
  id: id(),
  /** UTC day. */
  date: date('date', { mode: 'string' }).notNull(),
  realizedPnl: amount('realized_pnl').default('0'),
  unrealizedPnl: amount('unrealized_pnl').default('0'),
  totalPnl: amount('total_pnl').default('0'),
  balanceStart: amount('balance_start').notNull(),
  balanceEnd: amount('balance_end').notNull(),
  equityStart: amount('equity_start'),
  equityEnd: amount('equity_end'),
  peakBalance: amount('peak_balance'),
  lowestBalance: amount('lowest_balance'),
  peakEquity: amount('peak_equity'),
  lowestEquity: amount('lowest_equity'),
  maxDrawdown: amount('max_drawdown'),
  maxDrawdownPct: percentPoints('max_drawdown_pct'),
  currentDrawdown: amount('current_drawdown'),
  currentDrawdownPct: percentPoints('current_drawdown_pct'),
  ...tradeTallies(),
  averageWin: amount('average_win'),
  averageLoss: amount('average_loss'),
  // Ratios carry no unit.
  profitFactor: numeric('profit_factor', { precision: 10, scale: 4 }),
  longTrades: nonNegativeInt('long_trades').default(0),
  shortTrades: nonNegativeInt('short_trades').default(0),
  avgPositionSize: amount('avg_position_size'),
  maxPositionSize: amount('max_position_size'),
  totalVolume: amount('total_volume'),
  totalFees: amount('total_fees').default('0'),
  feePctOfVolume: percentPoints('fee_pct_of_volume', 10, 6),
  circuitBreakersTriggered: nonNegativeInt('circuit_breakers_triggered').default(0),
  killSwitchActivated: boolean('kill_switch_activated').default(false),
  sharpeRatio: numeric('sharpe_ratio', { precision: 10, scale: 4 }),
  sortinoRatio: numeric('sortino_ratio', { precision: 10, scale: 4 }),
  calmarRatio: numeric('calmar_ratio', { precision: 10, scale: 4 }),
  avgTradeDurationMinutes: minutes('avg_trade_duration_minutes'),
  shortestTradeMinutes: minutes('shortest_trade_minutes'),
  longestTradeMinutes: minutes('longest_trade_minutes'),
  currentWinStreak: nonNegativeInt('current_win_streak').default(0),
  currentLossStreak: nonNegativeInt('current_loss_streak').default(0),
  longestWinStreak: nonNegativeInt('longest_win_streak').default(0),
  longestLossStreak: nonNegativeInt('longest_loss_streak').default(0),
  bestTradePnl: amount('best_trade_pnl'),
  worstTradePnl: amount('worst_trade_pnl'),
  exchange: exchange(),
  calculationCompletedAt: timestamptz('calculation_completed_at'),
  ...timestamps,
};

/** Units, ranges and trigger-set columns of daily_pnl, read off its column builders (see notesOf in _columns.ts). */
export const dailyPnlColumnNotes = notesOf(dailyPnlColumns);

/**
 * One row per UTC day for the whole account, written by calculate_daily_pnl()
 * (seed 003). Of the reference's indexes, date desc is dropped: the unique
 * key on date, scanned backward, serves it.
 */
export const dailyPnl = pgTable('daily_pnl', dailyPnlColumns, (t) => [
  // One row per day: calculate_daily_pnl()'s upsert target; scanned backward
  // it serves "latest days first" and v_risk_summary's today / 7-day reads.
  unique('daily_pnl_date_key').on(t.date),
  // Best and worst days.
  index('daily_pnl_total_pnl_idx').on(t.totalPnl.desc().nullsFirst()),
  // Days by win rate.
  index('daily_pnl_win_rate_idx').on(t.winRate.desc().nullsFirst()),
  // Days on which a circuit breaker tripped, newest first.
  index('daily_pnl_circuit_breaker_days_idx')
    .on(t.date.desc().nullsFirst())
    .where(sql`${t.circuitBreakersTriggered} > 0`),
  // Days on which the kill switch fired, newest first.
  index('daily_pnl_kill_switch_days_idx').on(t.date.desc().nullsFirst()).where(sql`${t.killSwitchActivated} = true`),
  ...columnChecks('daily_pnl', t, dailyPnlColumnNotes),
  // Beyond the spec (SPEC 7a): the figures of a day agree with one another, so
  // a row mixing two snapshots of the trades, or written by hand wrongly, is
  // refused. Wins and losses, and longs and shorts, are disjoint parts of the day's trades.
  ruleCheck(
    'daily_pnl_trade_counts_within_total',
    and(
      lte(plus(t.winningTrades, t.losingTrades), t.totalTrades),
      lte(plus(t.longTrades, t.shortTrades), t.totalTrades),
    ),
  ),
  // A streak is a run of wins (losses): no longer than the wins (losses); the
  // current run is part of the longest. (Not required: a streak when there
  // are wins, realized = gross profit - gross loss, total = realized +
  // unrealized. Rows of the seed's function, which left streaks and
  // total_pnl at 0, break them, and adoption must keep those days.)
  ruleCheck(
    'daily_pnl_streaks_within_outcomes',
    and(
      lte(t.longestWinStreak, t.winningTrades),
      lte(t.longestLossStreak, t.losingTrades),
      lte(t.currentWinStreak, t.longestWinStreak),
      lte(t.currentLossStreak, t.longestLossStreak),
    ),
  ),
  // The last trade either won or lost: one current streak at most.
  ruleCheck('daily_pnl_one_current_streak', or(eq(t.currentWinStreak, 0), eq(t.currentLossStreak, 0))),
  // No trades, no win rate.
  ruleCheck('daily_pnl_win_rate_needs_trades', implies(eq(t.totalTrades, 0), isNull(t.winRate))),
  // Magnitudes: gross and average win/loss, profit factor, drawdowns.
  ruleCheck(
    'daily_pnl_magnitudes_nonnegative',
    and(
      gte(t.grossProfit, 0),
      gte(t.grossLoss, 0),
      gte(t.averageWin, 0),
      gte(t.averageLoss, 0),
      gte(t.profitFactor, 0),
      gte(t.maxDrawdown, 0),
      gte(t.currentDrawdown, 0),
      gte(t.maxDrawdownPct, 0),
      gte(t.currentDrawdownPct, 0),
    ),
  ),
  // The fall from the peak now is one of the day's falls; no fall exceeds peak - lowest.
  ruleCheck(
    'daily_pnl_current_drawdown_within_max',
    and(
      lte(t.currentDrawdown, t.maxDrawdown),
      lte(t.currentDrawdownPct, t.maxDrawdownPct),
      lte(plus(t.maxDrawdown, t.lowestEquity), t.peakEquity),
    ),
  ),
  // The day's start and end lie between its lowest and its peak.
  ruleCheck(
    'daily_pnl_balances_within_range',
    and(
      lte(t.lowestBalance, least(t.balanceStart, t.balanceEnd)),
      gte(t.peakBalance, greatest(t.balanceStart, t.balanceEnd)),
    ),
  ),
  ruleCheck(
    'daily_pnl_equity_within_range',
    and(
      lte(t.lowestEquity, least(t.equityStart, t.equityEnd)),
      gte(t.peakEquity, greatest(t.equityStart, t.equityEnd)),
    ),
  ),
  // Beyond the spec: peaks are not below lows, the best trade not below the worst.
  ruleCheck('daily_pnl_balance_peak_not_below_lowest', gte(t.peakBalance, t.lowestBalance)),
  ruleCheck('daily_pnl_equity_peak_not_below_lowest', gte(t.peakEquity, t.lowestEquity)),
  ruleCheck('daily_pnl_best_trade_not_below_worst', gte(t.bestTradePnl, t.worstTradePnl)),
  // Beyond the spec: trade durations are not negative (trades.exit_time >= entry_time)
  // and the shortest is not longer than the longest.
  ruleCheck(
    'daily_pnl_trade_minutes_nonnegative',
    and(gte(t.avgTradeDurationMinutes, 0), gte(t.shortestTradeMinutes, 0), gte(t.longestTradeMinutes, 0)),
  ),
  ruleCheck('daily_pnl_trade_minutes_order', lte(t.shortestTradeMinutes, t.longestTradeMinutes)),
  // Beyond the spec: sizes, volume and fees are magnitudes (trades.fee >= 0),
  // and the average size is not above the largest.
  ruleCheck(
    'daily_pnl_volumes_nonnegative',
    and(
      gte(t.avgPositionSize, 0),
      gte(t.maxPositionSize, 0),
      gte(t.totalVolume, 0),
      gte(t.totalFees, 0),
      gte(t.feePctOfVolume, 0),
    ),
  ),
  ruleCheck('daily_pnl_avg_position_not_above_max', lte(t.avgPositionSize, t.maxPositionSize)),
]);

export type DailyPnl = typeof dailyPnl.$inferSelect;
export type NewDailyPnl = typeof dailyPnl.$inferInsert;
