/**
 * Insert, update and select schemas of one table, generated from the Drizzle
 * table: drizzle-zod builds the object (nullable/optional from NOT NULL and
 * defaults), `fieldFor` supplies each column's value schema, and the table's
 * CHECK rules run on the parsed row. Insert and update schemas are strict:
 * an unknown key (a typo, a snake_case name) is an error, not silently dropped.
 */
import { z } from 'zod';
import { getTableColumns, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { createInsertSchema, createSelectSchema, createUpdateSchema, type GetZodType } from 'drizzle-zod';
import { isTimestamptz } from '../schema/_columns.ts';
import type { ColumnNotes } from '../schema/_notes.ts';
import type { Expr, Rule } from '../schema/_rules.ts';
import { fieldFor, type FieldSchema } from './fields.ts';
import { rowChecks, type Mode, type RowChecks } from './row-checks.ts';
import { triggerLimitChecks } from './trigger-limits.ts';
import type { ColumnsOf } from './table-list.ts';

type GeneratedAlways<C> = C extends Column
  ? C['_']['identity'] extends 'always'
    ? true
    : C['_']['generated'] extends { type: 'always' }
      ? true
      : false
  : false;
type NotNull<C> = C extends Column ? C['_']['notNull'] : false;
type HasDefault<C> = C extends Column ? C['_']['hasDefault'] : false;

type InsertField<C> =
  NotNull<C> extends true
    ? HasDefault<C> extends true
      ? z.ZodOptional<FieldSchema<C>>
      : FieldSchema<C>
    : z.ZodOptional<z.ZodNullable<FieldSchema<C>>>;
type UpdateField<C> =
  NotNull<C> extends true ? z.ZodOptional<FieldSchema<C>> : z.ZodOptional<z.ZodNullable<FieldSchema<C>>>;
type SelectColumn<C> = C extends Column ? GetZodType<C, undefined> : never;
type SelectField<C> = NotNull<C> extends true ? SelectColumn<C> : z.ZodNullable<SelectColumn<C>>;

type Writable<T extends PgTable> = {
  [K in keyof ColumnsOf<T> as GeneratedAlways<ColumnsOf<T>[K]> extends true ? never : K]: ColumnsOf<T>[K];
};

/** The insert schema of table T: parse() returns a row ready for `db.insert(T).values(...)`. */
export type InsertSchema<T extends PgTable> = z.ZodObject<
  { [K in keyof Writable<T>]: InsertField<Writable<T>[K]> },
  z.core.$strict
>;
/** The update schema of table T: every key optional; rules run on the keys present. */
export type UpdateSchema<T extends PgTable> = z.ZodObject<
  { [K in keyof Writable<T>]: UpdateField<Writable<T>[K]> },
  z.core.$strict
>;
/** The select schema of table T (drizzle-zod's defaults). */
export type SelectSchema<T extends PgTable> = z.ZodObject<
  { [K in keyof ColumnsOf<T>]: SelectField<ColumnsOf<T>[K]> },
  z.core.$strip
>;

export interface TableSchemas<T extends PgTable> {
  insert: InsertSchema<T>;
  update: UpdateSchema<T>;
  select: SelectSchema<T>;
}

/**
 * Rules the field schemas already enforce: a value-list CHECK behind a z.enum
 * with the same values, and `x <> 'NaN'` on numeric columns (decimal fields
 * accept plain decimals only).
 */
function enforcedByFields(rule: Rule, columns: Record<string, Column>): boolean {
  const columnNamed = (name: string) => Object.values(columns).find((c) => c.name === name);
  const e = rule.expr;
  if (e.kind === 'in' && e.expr.kind === 'col') {
    const values = columnNamed(e.expr.column.name)?.enumValues;
    return !!values && values.length === e.values.length && values.every((v, i) => v === e.values[i]);
  }
  const notNaN = (x: Expr) =>
    x.kind === 'cmp' &&
    x.op === '<>' &&
    x.left.kind === 'col' &&
    x.right.kind === 'lit' &&
    String(x.right.value).toLowerCase() === 'nan' &&
    columnNamed(x.left.column.name)?.columnType === 'PgNumeric';
  return e.kind === 'and' ? e.items.every(notNaN) : notNaN(e);
}

/** The row checks as one zod check on the parsed row. */
function asZodCheck({ checks, allPass }: RowChecks) {
  return z.core._check<Record<string, unknown>>(
    (payload) => {
      const row = payload.value;
      if (payload.issues.length === 0 && allPass(row)) return;
      // Rules reading a field that already failed are skipped: that field's own issue says what is wrong.
      const failed = new Set(payload.issues.map((i) => i.path?.[0]));
      for (const check of checks) {
        if (check.keys.some((k) => failed.has(k)) || check.skipWhenAbsent.some((k) => row[k] === undefined)) continue;
        if (check.test(row) !== false) continue;
        const { key, message } = check.explain(row);
        payload.issues.push({ code: 'custom', input: row, path: [key], message, params: { constraint: check.name } });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
}

/**
 * Build the three schemas of `table`; `tableName` is its export name (for
 * jsonb shapes and messages), `notes` its column notes (trigger-set columns).
 */
export function tableSchemas<T extends PgTable>(tableName: string, table: T, notes: ColumnNotes): TableSchemas<T> {
  const columns = getTableColumns(table) as Record<string, Column>;
  const overrides: Record<string, (base: z.ZodType) => z.ZodType> = {};
  for (const [key, column] of Object.entries(columns)) {
    const field = fieldFor(tableName, key, column, notes[key]);
    if (field) overrides[key] = () => field;
  }
  // drizzle-zod gives a custom type z.any(): a timestamptz() column selects as the Date it is.
  const selectOverrides = Object.fromEntries(
    Object.entries(columns)
      .filter(([, column]) => isTimestamptz(column))
      .map(([key]) => [key, () => z.date()]),
  );
  const skip = (r: Rule) => enforcedByFields(r, columns);
  const withRules = (schema: z.ZodObject, mode: Mode) =>
    schema.strict().check(asZodCheck(rowChecks(table, mode, skip, triggerLimitChecks(table, columns, mode))));
  const build = createInsertSchema as unknown as (t: PgTable, o: typeof overrides) => z.ZodObject;
  return {
    insert: withRules(build(table, overrides), 'insert') as unknown as InsertSchema<T>,
    update: withRules(
      (createUpdateSchema as unknown as typeof build)(table, overrides),
      'update',
    ) as unknown as UpdateSchema<T>,
    select: (createSelectSchema as unknown as typeof build)(table, selectOverrides) as unknown as SelectSchema<T>,
  };
}
