/**
 * The ml_predictions table.
 *
 * Triggers acting on it (SQL in src/triggers/): none.
 * jsonb shapes: `jsonShapes.mlPredictions` in src/validation/json-shapes.ts (zod stays out of the zod-free entry points).
 */
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, varchar } from 'drizzle-orm/pg-core';
import { nonNegativeInt, createdAt, id, millis, notesOf, NOW, oneOf, score, symbol, timestamptz } from '../_columns.ts';
import { ML_ACTIONS } from '../enums.ts';
import { columnChecks } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const mlPredictionsComment = 'Machine-learning (XGBoost) predictions with class probabilities.';

/** Feature name → importance in the model. */
export type MlFeatureImportanceJson = Record<string, number>;

const mlPredictionsColumns = {
  id: id(),
  symbol: symbol().notNull(),
  timestamp: timestamptz('timestamp').notNull().default(NOW),
  action: oneOf('action', ML_ACTIONS, 10).notNull(),
  confidence: score('confidence').notNull(),
  probLong: score('prob_long'),
  probShort: score('prob_short'),
  probHold: score('prob_hold'),
  featureImportanceJson: jsonb('feature_importance_json').$type<MlFeatureImportanceJson>(),
  modelVersion: varchar('model_version', { length: 50 }).notNull(),
  modelType: varchar('model_type', { length: 50 }).default('xgboost'),
  predictionTimeMs: millis('prediction_time_ms'),
  featuresUsed: nonNegativeInt('features_used'),
  historicalAccuracy: score('historical_accuracy'),
  ...createdAt,
};

/** Units, ranges and trigger-set columns of ml_predictions, read off its column builders (see notesOf in _columns.ts). */
export const mlPredictionsColumnNotes = notesOf(mlPredictionsColumns);

/**
 * Machine-learning (XGBoost) predictions (seed 002). Of the reference's
 * indexes, symbol is dropped: served by the leading column of
 * (symbol, timestamp desc).
 */
export const mlPredictions = pgTable('ml_predictions', mlPredictionsColumns, (t) => [
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
]);

export type MlPrediction = typeof mlPredictions.$inferSelect;
export type NewMlPrediction = typeof mlPredictions.$inferInsert;
