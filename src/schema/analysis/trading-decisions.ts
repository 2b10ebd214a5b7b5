/**
 * The trading_decisions table.
 *
 * Triggers acting on it (SQL in src/triggers/): none.
 * jsonb shapes: `jsonShapes.tradingDecisions` in src/validation/json-shapes.ts (zod stays out of the zod-free entry points).
 */
import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, jsonb, pgTable, text, varchar } from 'drizzle-orm/pg-core';
import {
  amount,
  bigintRef,
  createdAt,
  id,
  millis,
  notesOf,
  NOW,
  oneOf,
  percentPoints,
  price,
  score,
  symbol,
  timestamptz,
  withNote,
} from '../_columns.ts';
import { DECISION_ACTIONS } from '../enums.ts';
import { and, columnChecks, eq, gt, gte, implies, isNotNull, ruleCheck } from '../_rules.ts';
import { orders } from '../trading/orders.ts';
import { llmAnalyses } from './llm-analyses.ts';
import { mlPredictions } from './ml-predictions.ts';
import { technicalSignals } from './technical-signals.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const tradingDecisionsComment =
  'Final trading decisions combining technical, LLM and ML inputs, with veto and execution tracking.';

/** Why a decision was taken: a keyed object or a list of reasons. */
export type TradingDecisionReasonsJson = Record<string, unknown> | string[];

const tradingDecisionsColumns = {
  id: id(),
  symbol: symbol().notNull(),
  timestamp: timestamptz('timestamp').notNull().default(NOW),
  action: oneOf('action', DECISION_ACTIONS, 10).notNull(),
  confidence: score('confidence').notNull(),
  positionSize: amount('position_size'),
  positionSizePct: percentPoints('position_size_pct', 5, 2),
  /** Leverage multiplier, 1..125 (the exchange maximum). */
  leverage: withNote(integer('leverage'), { range: { min: 1, max: 125 } }),
  stopLoss: price('stop_loss'),
  takeProfit: price('take_profit'),
  entryPrice: price('entry_price'),
  reasonsJson: jsonb('reasons_json').$type<TradingDecisionReasonsJson>().notNull(),
  technicalSignalId: bigintRef('technical_signal_id'),
  llmAnalysisId: bigintRef('llm_analysis_id'),
  mlPredictionId: bigintRef('ml_prediction_id'),
  orderId: bigintRef('order_id'),
  vetoed: boolean('vetoed').notNull().default(false),
  vetoReason: text('veto_reason'),
  vetoSource: varchar('veto_source', { length: 50 }),
  executed: boolean('executed').notNull().default(false),
  executionPrice: price('execution_price'),
  executedAt: timestamptz('executed_at'),
  decisionLatencyMs: millis('decision_latency_ms'),
  ...createdAt,
};

/** Units, ranges and trigger-set columns of trading_decisions, read off its column builders (see notesOf in _columns.ts). */
export const tradingDecisionsColumnNotes = notesOf(tradingDecisionsColumns);

/**
 * Final trading decisions combining all signals, with veto tracking (seed 002).
 * Written every decision cycle, so of the reference's indexes these are
 * dropped: symbol — served by the leading column of (symbol, timestamp desc);
 * vetoed and executed — the selective side of each flag is served by the
 * partial (symbol, timestamp desc) indexes `where executed` / `where vetoed`
 * (usable for any query with that predicate), and the other side is most of
 * the table, read by a sequential scan anyway.
 */
export const tradingDecisions = pgTable('trading_decisions', tradingDecisionsColumns, (t) => [
  // Components may be pruned by retention; the decision stays, unlinked.
  foreignKey({
    name: 'trading_decisions_technical_signal_id_fkey',
    columns: [t.technicalSignalId],
    foreignColumns: [technicalSignals.id],
  }).onDelete('set null'),
  foreignKey({
    name: 'trading_decisions_llm_analysis_id_fkey',
    columns: [t.llmAnalysisId],
    foreignColumns: [llmAnalyses.id],
  }).onDelete('set null'),
  foreignKey({
    name: 'trading_decisions_ml_prediction_id_fkey',
    columns: [t.mlPredictionId],
    foreignColumns: [mlPredictions.id],
  }).onDelete('set null'),
  foreignKey({
    name: 'trading_decisions_order_id_fkey',
    columns: [t.orderId],
    foreignColumns: [orders.id],
  }).onDelete('set null'),
  // v_decision_analysis (newest first across symbols); retention.
  index('trading_decisions_time_idx').on(t.timestamp.desc().nullsFirst()),
  // Latest decisions for a symbol (and any query led by symbol).
  index('trading_decisions_symbol_time_idx').on(t.symbol, t.timestamp.desc().nullsFirst()),
  // Decisions by action.
  index('trading_decisions_action_idx').on(t.action),
  // Strongest decisions first.
  index('trading_decisions_confidence_idx').on(t.confidence.desc().nullsFirst()),
  // Containment queries on reasons (reasons_json @> ...).
  index('trading_decisions_reasons_idx').using('gin', t.reasonsJson),
  // Each foreign key: the parent's ON DELETE SET NULL lookup and joins from
  // the parent (v_analysis_performance goes order -> decision).
  index('trading_decisions_technical_signal_id_idx').on(t.technicalSignalId),
  index('trading_decisions_llm_analysis_id_idx').on(t.llmAnalysisId),
  index('trading_decisions_ml_prediction_id_idx').on(t.mlPredictionId),
  index('trading_decisions_order_id_idx').on(t.orderId),
  // Executed decisions (v_analysis_performance), per symbol newest first.
  index('trading_decisions_executed_idx')
    .on(t.symbol, t.timestamp.desc().nullsFirst())
    .where(sql`${t.executed} = true`),
  // Vetoed decisions (veto reviews), per symbol newest first.
  index('trading_decisions_vetoed_idx').on(t.symbol, t.timestamp.desc().nullsFirst()).where(sql`${t.vetoed} = true`),
  ...columnChecks('trading_decisions', t, tradingDecisionsColumnNotes),
  ruleCheck('trading_decisions_veto_reason_required', implies(eq(t.vetoed, true), isNotNull(t.vetoReason))),
  ruleCheck('trading_decisions_executed_at_required', implies(eq(t.executed, true), isNotNull(t.executedAt))),
  // Beyond the spec: prices are positive, as on candles.
  ruleCheck(
    'trading_decisions_prices_positive',
    and(gt(t.stopLoss, 0), gt(t.takeProfit, 0), gt(t.entryPrice, 0), gt(t.executionPrice, 0)),
  ),
  // Beyond the spec: a size is a magnitude (the side is in `action`).
  ruleCheck('trading_decisions_position_size_nonnegative', and(gte(t.positionSize, 0), gte(t.positionSizePct, 0))),
  // Beyond the spec: the 'vetoed' action is a veto, so it carries the flag (and so a reason).
  ruleCheck('trading_decisions_vetoed_action_flagged', implies(eq(t.action, 'vetoed'), eq(t.vetoed, true))),
  // Beyond the spec: a vetoed decision is never sent to the exchange.
  ruleCheck('trading_decisions_vetoed_not_executed', implies(eq(t.vetoed, true), eq(t.executed, false))),
]);

export type TradingDecision = typeof tradingDecisions.$inferSelect;
export type NewTradingDecision = typeof tradingDecisions.$inferInsert;
