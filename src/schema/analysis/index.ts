/**
 * Analysis: technical signals, LLM analyses, ML predictions and trading decisions.
 * One file per table: the table, its row types, column notes, comment
 * and the triggers acting on it.
 */
export * from './technical-signals.ts';
export * from './llm-analyses.ts';
export * from './ml-predictions.ts';
export * from './trading-decisions.ts';
