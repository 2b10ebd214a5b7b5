/** Risk management: circuit breaker events, kill switch events and daily P&L. */
import { sql } from 'drizzle-orm';
import { boolean, date, index, jsonb, numeric, pgTable, text, unique, varchar } from 'drizzle-orm/pg-core';
import {
  amount,
  count,
  exchange,
  id,
  minutes,
  oneOf,
  percentPoints,
  symbol,
  timestamps,
  tradeTallies,
  tradeTallyNotes,
  ts,
  NOW,
} from './_columns.ts';
import { NOTES, type ColumnNotes } from './_notes.ts';
import {
  BREAKER_SEVERITIES,
  BREAKER_STATUSES,
  BREAKER_TRIGGER_TYPES,
  KILL_SWITCH_SEVERITIES,
  KILL_SWITCH_SOURCES,
  KILL_SWITCH_STATUSES,
} from './enums.ts';
import {
  and,
  columnChecks,
  eq,
  greatest,
  gte,
  implies,
  isNotNull,
  isNull,
  least,
  lte,
  or,
  plus,
  ruleCheck,
} from './_rules.ts';

/** Risk figures at the moment a breaker tripped. */
export type BreakerContextJson = Record<string, unknown>;
/** Steps the kill switch took: a list of entries or a keyed object. */
export type KillSwitchActionLogJson = Record<string, unknown>[] | Record<string, unknown>;
/** System state captured when the kill switch fired. */
export type KillSwitchSystemStateJson = Record<string, unknown>;

/** Units, ranges and trigger-set columns of circuit_breaker_events (see _notes.ts). */
export const circuitBreakerEventsColumnNotes = {
  thresholdValue: NOTES.amount,
  actualValue: NOTES.amount,
  dailyPnl: NOTES.amount,
  drawdownPct: NOTES.percentPoints,
  consecutiveLosses: NOTES.count,
  openPositions: NOTES.count,
  accountBalance: NOTES.amount,
  cooldownHours: { range: { min: 0 } },
  cooldownExpiresAt: {
    setBy: 'set_circuit_breaker_cooldown_expiry, triggered_at + cooldown_hours hours (null without a cooldown)',
  },
} satisfies ColumnNotes;

/**
 * Automatic trading halts on risk thresholds (seed 003). Read by
 * is_trading_allowed() before every order. All of the reference's indexes are
 * kept: none is served by another's leading columns, and events are rare.
 */
export const circuitBreakerEvents = pgTable(
  'circuit_breaker_events',
  {
    id: id(),
    triggeredAt: ts('triggered_at').notNull().default(NOW),
    reason: varchar('reason', { length: 100 }).notNull(),
    triggerType: oneOf('trigger_type', BREAKER_TRIGGER_TYPES, 50).notNull(),
    thresholdValue: amount('threshold_value'),
    actualValue: amount('actual_value'),
    /** null = the whole account; a value = only that symbol. */
    symbol: symbol(),
    dailyPnl: amount('daily_pnl'),
    drawdownPct: percentPoints('drawdown_pct'),
    consecutiveLosses: count('consecutive_losses'),
    openPositions: count('open_positions'),
    accountBalance: amount('account_balance'),
    contextJson: jsonb('context_json').$type<BreakerContextJson>(),
    resolvedAt: ts('resolved_at'),
    /** Hours of cooldown; null = blocks until resolved by hand. */
    cooldownHours: numeric('cooldown_hours', { precision: 5, scale: 2 }).default('1.0'),
    /** triggered_at + cooldown_hours, set by trigger; null when cooldown_hours is null. */
    cooldownExpiresAt: ts('cooldown_expires_at'),
    status: oneOf('status', BREAKER_STATUSES, 20).notNull().default('active'),
    resolvedBy: varchar('resolved_by', { length: 50 }),
    resolutionReason: text('resolution_reason'),
    severity: oneOf('severity', BREAKER_SEVERITIES, 20).notNull().default('warning'),
    ...timestamps,
  },
  (t) => [
    // Event history newest first; v_risk_summary's last_circuit_breaker.
    index('circuit_breaker_events_triggered_idx').on(t.triggeredAt.desc().nullsFirst()),
    // Events by status (e.g. overridden breakers).
    index('circuit_breaker_events_status_idx').on(t.status),
    // Events by trigger type.
    index('circuit_breaker_events_trigger_type_idx').on(t.triggerType),
    // Events by severity.
    index('circuit_breaker_events_severity_idx').on(t.severity),
    // Per-symbol breaker history; account-wide rows (null) are left out.
    index('circuit_breaker_events_symbol_idx').on(t.symbol).where(sql`${t.symbol} IS NOT NULL`),
    // Hot path: is_trading_allowed() and v_risk_summary's active_circuit_breakers.
    // "status = 'active' AND (cooldown_expires_at IS NULL OR cooldown_expires_at
    // > now())" reads only the live part of this index (nulls plus a range at its
    // end), so stale 'active' rows past their cooldown cost nothing however many
    // years of history pile up; the symbol test (symbol IS NULL OR symbol = $1)
    // then filters those few rows.
    index('circuit_breaker_events_active_cooldown_idx').on(t.cooldownExpiresAt).where(sql`${t.status} = 'active'`),
    // Newest active breakers first (the blocking reason).
    index('circuit_breaker_events_active_triggered_idx')
      .on(t.triggeredAt.desc().nullsFirst())
      .where(sql`${t.status} = 'active'`),
    // Containment queries on the context (context_json @> ...).
    index('circuit_breaker_events_context_idx').using('gin', t.contextJson),
    ...columnChecks('circuit_breaker_events', t, circuitBreakerEventsColumnNotes),
    // Beyond the spec: a breaker cannot be resolved before it tripped.
    ruleCheck('circuit_breaker_events_resolved_after_triggered', gte(t.resolvedAt, t.triggeredAt)),
  ],
);

/** Units, ranges and trigger-set columns of kill_switch_events (see _notes.ts). */
export const killSwitchEventsColumnNotes = {
  positionsClosed: NOTES.count,
  ordersCancelled: NOTES.count,
  balanceBefore: NOTES.amount,
  equityBefore: NOTES.amount,
  openPositionsBefore: NOTES.count,
  pendingOrdersBefore: NOTES.count,
  balanceAfter: NOTES.amount,
  equityAfter: NOTES.amount,
  emergencyPnl: NOTES.amount,
} satisfies ColumnNotes;

/**
 * Emergency shutdowns and manual interventions (seed 003). All of the
 * reference's indexes are kept: none is served by another's leading columns,
 * and events are rare.
 */
export const killSwitchEvents = pgTable(
  'kill_switch_events',
  {
    id: id(),
    activatedAt: ts('activated_at').notNull().default(NOW),
    reason: text('reason').notNull(),
    triggerSource: oneOf('trigger_source', KILL_SWITCH_SOURCES, 50).notNull(),
    activatedBy: varchar('activated_by', { length: 100 }).notNull(),
    positionsClosed: count('positions_closed').default(0),
    ordersCancelled: count('orders_cancelled').default(0),
    emergencyExitUsed: boolean('emergency_exit_used').default(false),
    balanceBefore: amount('balance_before'),
    equityBefore: amount('equity_before'),
    openPositionsBefore: count('open_positions_before'),
    pendingOrdersBefore: count('pending_orders_before'),
    balanceAfter: amount('balance_after'),
    equityAfter: amount('equity_after'),
    emergencyPnl: amount('emergency_pnl'),
    actionLogJson: jsonb('action_log_json').$type<KillSwitchActionLogJson>(),
    systemStateJson: jsonb('system_state_json').$type<KillSwitchSystemStateJson>(),
    deactivatedAt: ts('deactivated_at'),
    deactivatedBy: varchar('deactivated_by', { length: 100 }),
    deactivationReason: text('deactivation_reason'),
    status: oneOf('status', KILL_SWITCH_STATUSES, 20).notNull().default('active'),
    severity: oneOf('severity', KILL_SWITCH_SEVERITIES, 20).notNull().default('emergency'),
    recoveryStartedAt: ts('recovery_started_at'),
    recoveryCompletedAt: ts('recovery_completed_at'),
    recoveryNotes: text('recovery_notes'),
    ...timestamps,
  },
  (t) => [
    // Event history newest first; v_risk_summary's last_kill_switch.
    index('kill_switch_events_activated_idx').on(t.activatedAt.desc().nullsFirst()),
    // Events by status.
    index('kill_switch_events_status_idx').on(t.status),
    // Events by trigger source.
    index('kill_switch_events_trigger_source_idx').on(t.triggerSource),
    // Events by severity.
    index('kill_switch_events_severity_idx').on(t.severity),
    // Who pulled the switch (audits).
    index('kill_switch_events_activated_by_idx').on(t.activatedBy),
    // Containment queries on the action log (action_log_json @> ...).
    index('kill_switch_events_action_log_idx').using('gin', t.actionLogJson),
    // Hot path: is_trading_allowed() and v_risk_summary's active_kill_switches
    // read only active switches, newest first.
    index('kill_switch_events_active_idx').on(t.activatedAt.desc().nullsFirst()).where(sql`${t.status} = 'active'`),
    ...columnChecks('kill_switch_events', t, killSwitchEventsColumnNotes),
    ruleCheck(
      'kill_switch_events_deactivation_recorded',
      implies(eq(t.status, 'deactivated'), and(isNotNull(t.deactivatedAt), isNotNull(t.deactivatedBy))),
    ),
    // Beyond the spec: events happen in order (activation, recovery start, recovery end; deactivation after activation).
    ruleCheck('kill_switch_events_deactivated_after_activated', gte(t.deactivatedAt, t.activatedAt)),
    ruleCheck('kill_switch_events_recovery_after_activated', gte(t.recoveryStartedAt, t.activatedAt)),
    ruleCheck('kill_switch_events_recovery_completed_after_started', gte(t.recoveryCompletedAt, t.recoveryStartedAt)),
  ],
);

/** Units, ranges and trigger-set columns of daily_pnl (see _notes.ts). */
export const dailyPnlColumnNotes = {
  realizedPnl: NOTES.amount,
  unrealizedPnl: NOTES.amount,
  totalPnl: NOTES.amount,
  balanceStart: NOTES.amount,
  balanceEnd: NOTES.amount,
  equityStart: NOTES.amount,
  equityEnd: NOTES.amount,
  peakBalance: NOTES.amount,
  lowestBalance: NOTES.amount,
  peakEquity: NOTES.amount,
  lowestEquity: NOTES.amount,
  maxDrawdown: NOTES.amount,
  maxDrawdownPct: NOTES.percentPoints,
  currentDrawdown: NOTES.amount,
  currentDrawdownPct: NOTES.percentPoints,
  ...tradeTallyNotes,
  averageWin: NOTES.amount,
  averageLoss: NOTES.amount,
  longTrades: NOTES.count,
  shortTrades: NOTES.count,
  avgPositionSize: NOTES.amount,
  maxPositionSize: NOTES.amount,
  totalVolume: NOTES.amount,
  totalFees: NOTES.amount,
  feePctOfVolume: NOTES.percentPoints,
  circuitBreakersTriggered: NOTES.count,
  avgTradeDurationMinutes: NOTES.minutes,
  shortestTradeMinutes: NOTES.minutes,
  longestTradeMinutes: NOTES.minutes,
  currentWinStreak: NOTES.count,
  currentLossStreak: NOTES.count,
  longestWinStreak: NOTES.count,
  longestLossStreak: NOTES.count,
  bestTradePnl: NOTES.amount,
  worstTradePnl: NOTES.amount,
} satisfies ColumnNotes;

/**
 * One row per UTC day for the whole account, written by calculate_daily_pnl()
 * (seed 003). Of the reference's indexes, date desc is dropped: the unique
 * key on date, scanned backward, serves it.
 */
export const dailyPnl = pgTable(
  'daily_pnl',
  {
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
    ...tradeTallies,
    averageWin: amount('average_win'),
    averageLoss: amount('average_loss'),
    // Ratios carry no unit.
    profitFactor: numeric('profit_factor', { precision: 10, scale: 4 }),
    longTrades: count('long_trades').default(0),
    shortTrades: count('short_trades').default(0),
    avgPositionSize: amount('avg_position_size'),
    maxPositionSize: amount('max_position_size'),
    totalVolume: amount('total_volume'),
    totalFees: amount('total_fees').default('0'),
    feePctOfVolume: percentPoints('fee_pct_of_volume', 10, 6),
    circuitBreakersTriggered: count('circuit_breakers_triggered').default(0),
    killSwitchActivated: boolean('kill_switch_activated').default(false),
    sharpeRatio: numeric('sharpe_ratio', { precision: 10, scale: 4 }),
    sortinoRatio: numeric('sortino_ratio', { precision: 10, scale: 4 }),
    calmarRatio: numeric('calmar_ratio', { precision: 10, scale: 4 }),
    avgTradeDurationMinutes: minutes('avg_trade_duration_minutes'),
    shortestTradeMinutes: minutes('shortest_trade_minutes'),
    longestTradeMinutes: minutes('longest_trade_minutes'),
    currentWinStreak: count('current_win_streak').default(0),
    currentLossStreak: count('current_loss_streak').default(0),
    longestWinStreak: count('longest_win_streak').default(0),
    longestLossStreak: count('longest_loss_streak').default(0),
    bestTradePnl: amount('best_trade_pnl'),
    worstTradePnl: amount('worst_trade_pnl'),
    exchange: exchange(),
    calculationCompletedAt: ts('calculation_completed_at'),
    ...timestamps,
  },
  (t) => [
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
  ],
);

export type CircuitBreakerEvent = typeof circuitBreakerEvents.$inferSelect;
/** Without cooldown_expires_at: the trigger derives it from cooldown_hours. */
export type NewCircuitBreakerEvent = Omit<typeof circuitBreakerEvents.$inferInsert, 'cooldownExpiresAt'>;
export type KillSwitchEvent = typeof killSwitchEvents.$inferSelect;
export type NewKillSwitchEvent = typeof killSwitchEvents.$inferInsert;
export type DailyPnl = typeof dailyPnl.$inferSelect;
export type NewDailyPnl = typeof dailyPnl.$inferInsert;
