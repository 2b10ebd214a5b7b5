/**
 * zod validation that matches the database: insert, update and select schemas
 * for every table (`ohlcvDataInsertSchema`, `tradesUpdateSchema`, ...), each
 * built on first use, and the row helpers. See decimal.ts, text.ts, time.ts
 * and json.ts for what each column type accepts and why.
 */
export * from './schemas.ts';
export type { InsertSchema, SelectSchema, TableSchemas, UpdateSchema } from './factory.ts';
export { validateRow, validateRows, ValidationError, type RowIssue } from './rows.ts';
export type { JsonValue } from './json.ts';
