/**
 * zod validation that matches the database: insert, update and select schemas
 * for every table (`ohlcvDataInsertSchema`, `tradesUpdateSchema`, ...), the
 * row helpers and the building blocks. See decimal.ts, text.ts, time.ts and
 * json.ts for what each column type accepts and why.
 */
export * from './schemas.ts';
export { tableSchemas, type InsertSchema, type SelectSchema, type TableSchemas, type UpdateSchema } from './factory.ts';
export { assignedIdIssue, rowIssue, toRowIssues, validateRow, validateRows, ValidationError, type RowIssue } from './rows.ts';
export { decimalField, type DecimalSchema } from './fields.ts';
export { compareDecimals, decimalProblem, numberToDecimal } from './decimal.ts';
export { jsonProblem, type JsonValue } from './json.ts';
export { jsonShapes } from './json-shapes.ts';
export { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from './time.ts';
