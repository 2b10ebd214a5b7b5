/**
 * Audit and reporting: the LLM call log, the system event log and daily performance per exchange.
 * One file per table: the table, its row types, column notes, comment
 * and the triggers acting on it.
 */
export * from './llm-analysis-log.ts';
export * from './system-events.ts';
export * from './daily-performance.ts';
