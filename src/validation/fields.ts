/**
 * One zod schema per column, chosen from the column's metadata: numeric
 * precision and scale, varchar length, text, date, timestamptz, jsonb shape.
 * Integer, bigint, boolean and value-list columns keep drizzle-zod's schemas
 * (int32 / safe-integer ranges, booleans, z.enum). These are handed to
 * drizzle-zod as override functions, so its nullable/optional wrapping stays.
 */
import { z } from 'zod';
import { is, type Column } from 'drizzle-orm';
import { PgNumeric, PgVarchar } from 'drizzle-orm/pg-core';
import type { GetZodType } from 'drizzle-zod';
import { decimalProblem, numberToDecimal } from './decimal.ts';
import { jsonField } from './json.ts';
import { jsonShapeOf } from './json-shapes.ts';
import { dayProblem, textProblem, varcharProblem } from './text.ts';
import { timestampProblem } from './time.ts';
import { IftbDbError } from '../errors.ts';
import { isTimestamptz } from '../schema/_columns.ts';
import type { ColumnNote } from '../schema/_notes.ts';

/** A numeric(p,s) field: decimal string or finite number in, decimal string out. */
export type DecimalSchema = z.ZodType<string, string | number>;

/** The schema of one column's non-null value, as TypeScript sees it. */
export type FieldSchema<C> = C extends Column
  ? C['_']['columnType'] extends 'PgNumeric'
    ? DecimalSchema
    : C['_']['dataType'] extends 'json'
      ? z.ZodType<C['_']['data'], C['_']['data']>
      : GetZodType<C, undefined>
  : never;

type Issue = { code: 'custom'; input: unknown; message: string };
const issue = (input: unknown, message: string): Issue => ({ code: 'custom', input, message });

export function decimalField(precision: number, scale: number): DecimalSchema {
  // A check that rewrites the value (as zod's own .overwrite() does) costs far
  // less than a transform pipe, and numeric columns are the hot path of ingest.
  const finiteOnly = (value: unknown) =>
    `${value} is not a decimal value (numeric(${precision},${scale}) takes finite values only)`;
  const typeError = ({ input }: { input?: unknown }) =>
    input === undefined
      ? `required: numeric(${precision},${scale}) as a decimal string`
      : typeof input === 'number'
        ? finiteOnly(input) // z.number() refuses NaN and ±Infinity
        : `expected a decimal string or a number for numeric(${precision},${scale}), got ${input === null ? 'null' : typeof input}`;
  return z.union([z.string(), z.number()], { error: typeError }).check((payload) => {
    const value = payload.value;
    const text = typeof value === 'string' ? value : numberToDecimal(value);
    const problem = text === undefined ? finiteOnly(value) : decimalProblem(text, precision, scale);
    if (problem) payload.issues.push(issue(value, problem));
    else payload.value = text!;
  }) as unknown as DecimalSchema;
}

/** A string field checked by `problem`. */
const checkedString = (problem: (s: string) => string | undefined) =>
  z.string().check((payload) => {
    const p = problem(payload.value);
    if (p) payload.issues.push(issue(payload.value, p));
  });

const varcharField = (length: number) => checkedString((s) => varcharProblem(s, length));
const textField = () => checkedString(textProblem);
const dayField = () => checkedString(dayProblem);
const timestampField = () =>
  z.date().check((payload) => {
    const p = timestampProblem(payload.value);
    if (p) payload.issues.push(issue(payload.value, p));
  });

/**
 * The field schema for `column` of table `tableName` (export name), given
 * the column's note from the table's `<table>ColumnNotes`, or undefined to
 * keep drizzle-zod's own.
 */
export function fieldFor(tableName: string, key: string, column: Column, note?: ColumnNote): z.ZodType | undefined {
  // The trigger would overwrite a value silently: refuse it instead.
  const setBy = note?.setBy;
  if (setBy) return z.undefined({ error: `set by the database (trigger ${setBy}); leave it out` });
  if (is(column, PgNumeric)) {
    if (column.precision === undefined)
      throw new IftbDbError(`${tableName}.${key}: numeric without precision is not validated`);
    return decimalField(column.precision, column.scale ?? 0);
  }
  if (is(column, PgVarchar)) {
    if (column.enumValues?.length) return undefined; // z.enum; every value fits the length
    return column.length === undefined ? textField() : varcharField(column.length);
  }
  if (isTimestamptz(column)) return timestampField();
  switch (column.columnType) {
    case 'PgText':
      return textField();
    case 'PgDateString':
      return dayField();
    case 'PgJsonb':
      return jsonField(jsonShapeOf(tableName, key));
    case 'PgInteger':
    case 'PgBigInt53':
    case 'PgBoolean':
      return undefined;
    default:
      throw new IftbDbError(`${tableName}.${key}: no validation for column type ${column.columnType}`);
  }
}
