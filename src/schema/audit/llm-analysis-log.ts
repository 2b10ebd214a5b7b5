/**
 * The llm_analysis_log table.
 *
 * Triggers acting on it (SQL in src/triggers/): none.
 */
import { index, jsonb, pgTable, primaryKey, text, varchar } from 'drizzle-orm/pg-core';
import {
  createdAt,
  exchange,
  identityId,
  millis,
  notesOf,
  oneOf,
  symbol,
  temperature,
  tokens,
  usdCost,
} from '../_columns.ts';
import { LLM_CALL_STATUSES } from '../enums.ts';
import { columnChecks } from '../_rules.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const llmAnalysisLogComment = 'Audit log of every LLM API call (append-only for the bot).';

/** The parsed body of an LLM reply. */
export type LlmCallResponse = Record<string, unknown>;

const llmAnalysisLogColumns = {
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
};

/** Units, ranges and trigger-set columns of llm_analysis_log, read off its column builders (see notesOf in _columns.ts). */
export const llmAnalysisLogColumnNotes = notesOf(llmAnalysisLogColumns);

/**
 * One LLM API call (seed 001). Of the reference's indexes, analysis_type is
 * dropped: served by the leading column of (analysis_type, created_at desc).
 */
export const llmAnalysisLog = pgTable('llm_analysis_log', llmAnalysisLogColumns, (t) => [
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
]);

export type LlmAnalysisLogEntry = typeof llmAnalysisLog.$inferSelect;
export type NewLlmAnalysisLogEntry = typeof llmAnalysisLog.$inferInsert;
