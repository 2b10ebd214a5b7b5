/** Analysis history: technical signals, LLM analyses, ML predictions and the trading decisions built from them. */
import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, jsonb, numeric, pgTable, text, varchar } from 'drizzle-orm/pg-core';
import {
  amount,
  bigintRef,
  count,
  createdAt,
  id,
  millis,
  oneOf,
  percentPoints,
  price,
  score,
  symbol,
  temperature,
  tokens,
  ts,
  usdCost,
  NOW,
} from './_columns.ts';
import { NOTES, type ColumnNotes } from './_notes.ts';
import {
  DECISION_ACTIONS,
  LLM_ANALYSIS_STATUSES,
  LLM_SENTIMENTS,
  ML_ACTIONS,
  SIGNAL_DIRECTIONS,
  TIMEFRAMES,
} from './enums.ts';
import { and, columnChecks, eq, gt, gte, implies, isNotNull, ruleCheck } from './_rules.ts';
import { orders } from './trading.ts';

/** Per-indicator readings behind a technical signal (RSI, MACD, Bollinger bands, ...). */
export type TechnicalIndicatorsJson = Record<string, unknown>;
/** Factors the LLM named: a list of phrases or a keyed object. */
export type LlmKeyFactorsJson = string[] | Record<string, unknown>;
/** Feature name → importance in the model. */
export type MlFeatureImportanceJson = Record<string, number>;
/** Why a decision was taken: a keyed object or a list of reasons. */
export type TradingDecisionReasonsJson = Record<string, unknown> | string[];

/** Units, ranges and trigger-set columns of technical_signals (see _notes.ts). */
export const technicalSignalsColumnNotes = {
  confidence: NOTES.score,
  bullishCount: NOTES.count,
  bearishCount: NOTES.count,
  neutralCount: NOTES.count,
  rsiValue: { range: { min: 0, max: 100 } },
  macdHistogram: NOTES.price,
} satisfies ColumnNotes;

/**
 * Aggregated technical analysis (seed 002). Of the reference's indexes, symbol
 * is dropped: served by the leading column of (symbol, timestamp desc).
 */
export const technicalSignals = pgTable(
  'technical_signals',
  {
    id: id(),
    symbol: symbol().notNull(),
    timestamp: ts('timestamp').notNull().default(NOW),
    overallSignal: oneOf('overall_signal', SIGNAL_DIRECTIONS, 10).notNull(),
    confidence: score('confidence').notNull(),
    bullishCount: count('bullish_count').default(0),
    bearishCount: count('bearish_count').default(0),
    neutralCount: count('neutral_count').default(0),
    indicatorsJson: jsonb('indicators_json').$type<TechnicalIndicatorsJson>().notNull(),
    /** RSI index value, 0..100 (an oscillator reading, not a percentage). */
    rsiValue: numeric('rsi_value', { precision: 10, scale: 4 }),
    // Free text: the spec gives no value list for the per-indicator verdicts.
    rsiSignal: varchar('rsi_signal', { length: 10 }),
    macdSignal: varchar('macd_signal', { length: 10 }),
    bbSignal: varchar('bb_signal', { length: 10 }),
    macdHistogram: price('macd_histogram'),
    /** Close's position within the Bollinger bands (0 = lower, 1 = upper; may fall outside). */
    bbPosition: numeric('bb_position', { precision: 10, scale: 4 }),
    timeframe: oneOf('timeframe', TIMEFRAMES, 10).notNull().default('1h'),
    ...createdAt,
  },
  (t) => [
    // Recent signals across symbols; retention.
    index('technical_signals_time_idx').on(t.timestamp.desc().nullsFirst()),
    // Latest signals for a symbol (and any query led by symbol).
    index('technical_signals_symbol_time_idx').on(t.symbol, t.timestamp.desc().nullsFirst()),
    // Signals by direction (e.g. recent bullish signals).
    index('technical_signals_overall_signal_idx').on(t.overallSignal),
    // Strongest signals first.
    index('technical_signals_confidence_idx').on(t.confidence.desc().nullsFirst()),
    // Containment queries on indicator readings (indicators_json @> ...).
    index('technical_signals_indicators_idx').using('gin', t.indicatorsJson),
    // Latest high-confidence signals for a symbol.
    index('technical_signals_high_confidence_idx')
      .on(t.symbol, t.timestamp.desc().nullsFirst())
      .where(sql`${t.confidence} >= 0.7`),
    ...columnChecks('technical_signals', t, technicalSignalsColumnNotes),
  ],
);

/** Units, ranges and trigger-set columns of llm_analyses (see _notes.ts). */
export const llmAnalysesColumnNotes = {
  confidence: NOTES.score,
  promptTokens: NOTES.tokens,
  completionTokens: NOTES.tokens,
  totalTokens: NOTES.tokens,
  estimatedCost: NOTES.usdCost,
  responseTimeMs: NOTES.millis,
  temperature: NOTES.temperature,
} satisfies ColumnNotes;

/**
 * LLM market analyses with token and cost tracking (seed 002). Of the
 * reference's indexes, symbol is dropped: served by the leading column of
 * (symbol, timestamp desc).
 */
export const llmAnalyses = pgTable(
  'llm_analyses',
  {
    id: id(),
    symbol: symbol().notNull(),
    timestamp: ts('timestamp').notNull().default(NOW),
    sentiment: oneOf('sentiment', LLM_SENTIMENTS, 10).notNull(),
    confidence: score('confidence').notNull(),
    summary: text('summary').notNull(),
    keyFactorsJson: jsonb('key_factors_json').$type<LlmKeyFactorsJson>(),
    model: varchar('model', { length: 50 }).notNull(),
    cached: boolean('cached').default(false),
    promptTokens: tokens('prompt_tokens'),
    completionTokens: tokens('completion_tokens'),
    totalTokens: tokens('total_tokens'),
    estimatedCost: usdCost('estimated_cost'),
    responseTimeMs: millis('response_time_ms'),
    temperature: temperature(),
    promptText: text('prompt_text'),
    responseText: text('response_text'),
    status: oneOf('status', LLM_ANALYSIS_STATUSES, 20).default('success'),
    errorMessage: text('error_message'),
    ...createdAt,
  },
  (t) => [
    // Recent analyses across symbols; retention.
    index('llm_analyses_time_idx').on(t.timestamp.desc().nullsFirst()),
    // Latest analyses for a symbol (and any query led by symbol).
    index('llm_analyses_symbol_time_idx').on(t.symbol, t.timestamp.desc().nullsFirst()),
    // Analyses by sentiment.
    index('llm_analyses_sentiment_idx').on(t.sentiment),
    // Strongest analyses first.
    index('llm_analyses_confidence_idx').on(t.confidence.desc().nullsFirst()),
    // Cost and quality reports per model.
    index('llm_analyses_model_idx').on(t.model),
    // Error and timeout reviews.
    index('llm_analyses_status_idx').on(t.status),
    // Cache-hit reports.
    index('llm_analyses_cached_idx').on(t.cached),
    // Containment queries on key factors (key_factors_json @> ...).
    index('llm_analyses_key_factors_idx').using('gin', t.keyFactorsJson),
    // Latest usable high-confidence analysis for a symbol.
    index('llm_analyses_high_confidence_idx')
      .on(t.symbol, t.timestamp.desc().nullsFirst())
      .where(sql`${t.confidence} >= 0.7 AND ${t.status} = 'success'`),
    ...columnChecks('llm_analyses', t, llmAnalysesColumnNotes),
  ],
);

/** Units, ranges and trigger-set columns of ml_predictions (see _notes.ts). */
export const mlPredictionsColumnNotes = {
  confidence: NOTES.score,
  probLong: NOTES.score,
  probShort: NOTES.score,
  probHold: NOTES.score,
  predictionTimeMs: NOTES.millis,
  featuresUsed: NOTES.count,
  historicalAccuracy: NOTES.score,
} satisfies ColumnNotes;

/**
 * Machine-learning (XGBoost) predictions (seed 002). Of the reference's
 * indexes, symbol is dropped: served by the leading column of
 * (symbol, timestamp desc).
 */
export const mlPredictions = pgTable(
  'ml_predictions',
  {
    id: id(),
    symbol: symbol().notNull(),
    timestamp: ts('timestamp').notNull().default(NOW),
    action: oneOf('action', ML_ACTIONS, 10).notNull(),
    confidence: score('confidence').notNull(),
    probLong: score('prob_long'),
    probShort: score('prob_short'),
    probHold: score('prob_hold'),
    featureImportanceJson: jsonb('feature_importance_json').$type<MlFeatureImportanceJson>(),
    modelVersion: varchar('model_version', { length: 50 }).notNull(),
    modelType: varchar('model_type', { length: 50 }).default('xgboost'),
    predictionTimeMs: millis('prediction_time_ms'),
    featuresUsed: count('features_used'),
    historicalAccuracy: score('historical_accuracy'),
    ...createdAt,
  },
  (t) => [
    // Recent predictions across symbols; retention.
    index('ml_predictions_time_idx').on(t.timestamp.desc().nullsFirst()),
    // Latest predictions for a symbol (and any query led by symbol).
    index('ml_predictions_symbol_time_idx').on(t.symbol, t.timestamp.desc().nullsFirst()),
    // Predictions by action.
    index('ml_predictions_action_idx').on(t.action),
    // Strongest predictions first.
    index('ml_predictions_confidence_idx').on(t.confidence.desc().nullsFirst()),
    // Accuracy comparisons between model versions.
    index('ml_predictions_model_version_idx').on(t.modelVersion),
    // Containment queries on feature importance (feature_importance_json @> ...).
    index('ml_predictions_feature_importance_idx').using('gin', t.featureImportanceJson),
    // Latest high-confidence prediction for a symbol.
    index('ml_predictions_high_confidence_idx')
      .on(t.symbol, t.timestamp.desc().nullsFirst())
      .where(sql`${t.confidence} >= 0.7`),
    ...columnChecks('ml_predictions', t, mlPredictionsColumnNotes),
  ],
);

/** Units, ranges and trigger-set columns of trading_decisions (see _notes.ts). */
export const tradingDecisionsColumnNotes = {
  confidence: NOTES.score,
  positionSize: NOTES.amount,
  positionSizePct: NOTES.percentPoints,
  leverage: { range: { min: 1, max: 125 } },
  stopLoss: NOTES.price,
  takeProfit: NOTES.price,
  entryPrice: NOTES.price,
  executionPrice: NOTES.price,
  decisionLatencyMs: NOTES.millis,
} satisfies ColumnNotes;

/**
 * Final trading decisions combining all signals, with veto tracking (seed 002).
 * Written every decision cycle, so of the reference's indexes these are
 * dropped: symbol — served by the leading column of (symbol, timestamp desc);
 * vetoed and executed — the selective side of each flag is served by the
 * partial (symbol, timestamp desc) indexes `where executed` / `where vetoed`
 * (usable for any query with that predicate), and the other side is most of
 * the table, read by a sequential scan anyway.
 */
export const tradingDecisions = pgTable(
  'trading_decisions',
  {
    id: id(),
    symbol: symbol().notNull(),
    timestamp: ts('timestamp').notNull().default(NOW),
    action: oneOf('action', DECISION_ACTIONS, 10).notNull(),
    confidence: score('confidence').notNull(),
    positionSize: amount('position_size'),
    positionSizePct: percentPoints('position_size_pct', 5, 2),
    /** Leverage multiplier, 1..125 (the exchange maximum). */
    leverage: integer('leverage'),
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
    executedAt: ts('executed_at'),
    decisionLatencyMs: millis('decision_latency_ms'),
    ...createdAt,
  },
  (t) => [
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
  ],
);

export type TechnicalSignal = typeof technicalSignals.$inferSelect;
export type NewTechnicalSignal = typeof technicalSignals.$inferInsert;
export type LlmAnalysis = typeof llmAnalyses.$inferSelect;
export type NewLlmAnalysis = typeof llmAnalyses.$inferInsert;
export type MlPrediction = typeof mlPredictions.$inferSelect;
export type NewMlPrediction = typeof mlPredictions.$inferInsert;
export type TradingDecision = typeof tradingDecisions.$inferSelect;
export type NewTradingDecision = typeof tradingDecisions.$inferInsert;
