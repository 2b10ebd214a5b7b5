/** Audit and reporting: the LLM call log, the system event log and daily performance per exchange. */
import { sql } from 'drizzle-orm';
import { date, index, jsonb, numeric, pgTable, primaryKey, text, unique, varchar } from 'drizzle-orm/pg-core';
import {
  amount,
  bigintRef,
  count,
  createdAt,
  exchange,
  id,
  identityId,
  millis,
  minutes,
  oneOf,
  percentPoints,
  symbol,
  temperature,
  timestamps,
  tokens,
  tradeTallies,
  tradeTallyNotes,
  usdCost,
} from './_columns.ts';
import { NOTES, type ColumnNotes } from './_notes.ts';
import { EVENT_SEVERITIES, LLM_CALL_STATUSES } from './enums.ts';
import { and, columnChecks, gte, lte, ruleCheck } from './_rules.ts';

/** The parsed body of an LLM reply. */
export type LlmCallResponse = Record<string, unknown>;

/** Structured context of a system event. */
export type SystemEventDetails = Record<string, unknown>;

/** Units, ranges and trigger-set columns of llm_analysis_log (see _notes.ts). */
export const llmAnalysisLogColumnNotes = {
  promptTokens: NOTES.tokens,
  responseTokens: NOTES.tokens,
  totalTokens: NOTES.tokens,
  estimatedCost: NOTES.usdCost,
  temperature: NOTES.temperature,
  executionTimeMs: NOTES.millis,
} satisfies ColumnNotes;

/**
 * One LLM API call (seed 001). Of the reference's indexes, analysis_type is
 * dropped: served by the leading column of (analysis_type, created_at desc).
 */
export const llmAnalysisLog = pgTable(
  'llm_analysis_log',
  {
    id: identityId(),
    analysisType: varchar('analysis_type', { length: 50 }).notNull(),
    symbol: symbol(),
    exchange: exchange(),
    promptTemplate: varchar('prompt_template', { length: 100 }),
    promptTokens: tokens('prompt_tokens'),
    responseTokens: tokens('response_tokens'),
    totalTokens: tokens('total_tokens'),
    promptText: text('prompt_text'),
    responseText: text('response_text'),
    responseJson: jsonb('response_json').$type<LlmCallResponse>(),
    estimatedCost: usdCost('estimated_cost'),
    modelName: varchar('model_name', { length: 100 }),
    // The spec gives no range; 0..2 as on llm_analyses.
    temperature: temperature(),
    status: oneOf('status', LLM_CALL_STATUSES, 20).notNull().default('success'),
    errorMessage: text('error_message'),
    executionTimeMs: millis('execution_time_ms'),
    ...createdAt,
  },
  (t) => [
    // No natural key: id plus the partition column created_at (see partitions.ts).
    primaryKey({ name: 'llm_analysis_log_pkey', columns: [t.id, t.createdAt] }),
    // A symbol's LLM calls.
    index('llm_analysis_log_symbol_idx').on(t.symbol),
    // Recent calls across types; cost and usage over a time range.
    index('llm_analysis_log_created_idx').on(t.createdAt.desc().nullsFirst()),
    // Failed and timed-out calls.
    index('llm_analysis_log_status_idx').on(t.status),
    // Recent calls of one analysis type; also any query led by analysis_type.
    index('llm_analysis_log_type_created_idx').on(t.analysisType, t.createdAt.desc().nullsFirst()),
    // Containment queries on the parsed reply (@>, ?).
    index('llm_analysis_log_response_json_idx').using('gin', t.responseJson),
    ...columnChecks('llm_analysis_log', t, llmAnalysisLogColumnNotes),
  ],
);

/** Units, ranges and trigger-set columns of system_events (see _notes.ts). */
export const systemEventsColumnNotes = {} satisfies ColumnNotes;

/**
 * One system-wide event. trade_id and position_id are plain references, not
 * foreign keys: the log outlives the rows it mentions. Of the reference's
 * indexes, event_type is dropped: served by the leading column of
 * (event_type, created_at desc).
 */
export const systemEvents = pgTable(
  'system_events',
  {
    id: identityId(),
    eventType: varchar('event_type', { length: 50 }).notNull(),
    severity: oneOf('severity', EVENT_SEVERITIES, 20).notNull(),
    message: text('message').notNull(),
    details: jsonb('details').$type<SystemEventDetails>(),
    symbol: symbol(),
    exchange: exchange(),
    tradeId: varchar('trade_id', { length: 100 }),
    positionId: bigintRef('position_id'),
    stackTrace: text('stack_trace'),
    ...createdAt,
  },
  (t) => [
    // No natural key: id plus the partition column created_at (see partitions.ts).
    primaryKey({ name: 'system_events_pkey', columns: [t.id, t.createdAt] }),
    // Events by severity (errors and critical ones for alerting).
    index('system_events_severity_idx').on(t.severity),
    // Recent events across types; retention.
    index('system_events_created_idx').on(t.createdAt.desc().nullsFirst()),
    // Recent events of one type; also any query led by event_type.
    index('system_events_type_created_idx').on(t.eventType, t.createdAt.desc().nullsFirst()),
    // Events about a symbol; most events have none.
    index('system_events_symbol_idx').on(t.symbol).where(sql`${t.symbol} IS NOT NULL`),
    // Events about a trade; most events have none.
    index('system_events_trade_id_idx').on(t.tradeId).where(sql`${t.tradeId} IS NOT NULL`),
    // Containment queries on event details (@>, ?).
    index('system_events_details_idx').using('gin', t.details),
    ...columnChecks('system_events', t, systemEventsColumnNotes),
  ],
);

/** Units, ranges and trigger-set columns of daily_performance (see _notes.ts). */
export const dailyPerformanceColumnNotes = {
  ...tradeTallyNotes,
  netPnl: NOTES.amount,
  netPnlPct: NOTES.percentPoints,
  totalFees: NOTES.amount,
  avgPositionSize: NOTES.amount,
  maxPositionSize: NOTES.amount,
  totalVolume: NOTES.amount,
  maxDrawdown: NOTES.percentPoints,
  maxDrawdownAmount: NOTES.amount,
  startingBalance: NOTES.amount,
  endingBalance: NOTES.amount,
  peakBalance: NOTES.amount,
  avgTradeDurationMinutes: NOTES.minutes,
  longestWinningStreak: NOTES.count,
  longestLosingStreak: NOTES.count,
} satisfies ColumnNotes;

/**
 * Daily trading summary of one exchange for one UTC day. Of the reference's
 * indexes, date desc and (date desc, exchange) are dropped: both are served by
 * the unique key (date, exchange), scanned backward for newest first.
 */
export const dailyPerformance = pgTable(
  'daily_performance',
  {
    id: id(),
    date: date('date', { mode: 'string' }).notNull(),
    exchange: exchange().notNull(),
    ...tradeTallies,
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
    longestWinningStreak: count('longest_winning_streak'),
    longestLosingStreak: count('longest_losing_streak'),
    ...timestamps,
  },
  (t) => [
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
  ],
);

export type LlmAnalysisLogEntry = typeof llmAnalysisLog.$inferSelect;
export type NewLlmAnalysisLogEntry = typeof llmAnalysisLog.$inferInsert;
export type SystemEvent = typeof systemEvents.$inferSelect;
export type NewSystemEvent = typeof systemEvents.$inferInsert;
export type DailyPerformance = typeof dailyPerformance.$inferSelect;
export type NewDailyPerformance = typeof dailyPerformance.$inferInsert;
