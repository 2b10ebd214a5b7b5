/**
 * The llm_analyses table.
 *
 * Triggers acting on it (SQL in src/triggers/): none.
 * jsonb shapes: `jsonShapes.llmAnalyses` in src/validation/json-shapes.ts (zod stays out of the zod-free entry points).
 */
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, varchar } from 'drizzle-orm/pg-core';
import {
  createdAt,
  id,
  millis,
  notesOf,
  NOW,
  oneOf,
  score,
  symbol,
  temperature,
  tokens,
  timestamptz,
  usdCost,
} from '../_columns.ts';
import { LLM_ANALYSIS_STATUSES, LLM_SENTIMENTS } from '../enums.ts';
import { columnChecks } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const llmAnalysesComment = 'LLM market analyses with sentiment, confidence, token use and cost.';

/** Factors the LLM named: a list of phrases or a keyed object. */
export type LlmKeyFactorsJson = string[] | Record<string, unknown>;

const llmAnalysesColumns = {
  id: id(),
  symbol: symbol().notNull(),
  timestamp: timestamptz('timestamp').notNull().default(NOW),
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
};

/** Units, ranges and trigger-set columns of llm_analyses, read off its column builders (see notesOf in _columns.ts). */
export const llmAnalysesColumnNotes = notesOf(llmAnalysesColumns);

/**
 * LLM market analyses with token and cost tracking (seed 002). Of the
 * reference's indexes, symbol is dropped: served by the leading column of
 * (symbol, timestamp desc).
 */
export const llmAnalyses = pgTable('llm_analyses', llmAnalysesColumns, (t) => [
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
]);

export type LlmAnalysis = typeof llmAnalyses.$inferSelect;
export type NewLlmAnalysis = typeof llmAnalyses.$inferInsert;
