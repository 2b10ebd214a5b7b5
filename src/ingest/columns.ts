/**
 * The columns a bulk candle write carries, with defaults resolved and values
 * checked on the way. Numeric values stay decimal strings end to end (never
 * JS floats); Dates travel as epoch milliseconds and become timestamptz
 * exactly in SQL.
 */
import { getTableColumns, is, SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { IftbDbError } from '../errors.ts';

export interface IngestColumn {
  /** TypeScript key of the insert row. */
  key: string;
  /** SQL column name. */
  name: string;
  /**
   * Transport type: the column type without its length or precision, so the
   * INSERT's assignment cast applies exactly as in a plain insert (a
   * `varchar(20)` cast would truncate silently); bigint epoch milliseconds
   * for timestamps (see `selectExpr`).
   */
  transportType: string;
  isTimestamp: boolean;
  /** Value written when a row omits the key: the column's JS-side default. */
  fallback?: () => unknown;
  /** SQL default applied server-side to a missing value (NOT NULL columns only). */
  sqlDefault?: SQL;
  /** Part of the natural key (never updated on conflict). */
  isKey: boolean;
}

/**
 * Every column except the identity, which the database assigns. An
 * omitted value gets what a plain INSERT would give it.
 */
export function ingestColumns(table: PgTable, keyColumns: readonly PgColumn[]): IngestColumn[] {
  const out: IngestColumn[] = [];
  for (const [key, column] of Object.entries(getTableColumns(table)) as [string, PgColumn][]) {
    if (column.primary || column.generatedIdentity !== undefined) continue;
    const def = column.default;
    let fallback: IngestColumn['fallback'];
    let sqlDefault: SQL | undefined;
    if (column.defaultFn) fallback = column.defaultFn as () => unknown;
    else if (is(def, SQL)) {
      // A missing value arrives as NULL; only on a NOT NULL column does NULL
      // unambiguously mean "omitted".
      if (!column.notNull) throw new IftbDbError(`ingest: ${column.name} has an SQL default on a nullable column`);
      sqlDefault = def;
    } else if (def !== undefined) fallback = () => def;
    const sqlType = column.getSQLType();
    const isTimestamp = sqlType === 'timestamp with time zone';
    out.push({
      key,
      name: column.name,
      isTimestamp,
      transportType: isTimestamp ? 'bigint' : sqlType.replace(/\(.*\)/, '').trim(),
      // By name: getTableConfig's constraint columns are other objects than getTableColumns'.
      fallback,
      sqlDefault,
      isKey: keyColumns.some((k) => k.name === column.name),
    });
  }
  return out;
}

/** A value that cannot travel: `position` is its row's index within the batch, `field` its key. */
export class BadValue extends Error {
  constructor(
    readonly position: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The value of `column` in `row` (position `i` of its batch), ready to serialize. */
export function transportValue(
  column: IngestColumn,
  row: Record<string, unknown>,
  i: number,
): string | number | boolean | null {
  let v = row[column.key];
  if (v === undefined) v = column.fallback ? column.fallback() : null;
  if (column.isTimestamp) {
    if (v instanceof Date) {
      const t = v.getTime();
      if (Number.isNaN(t)) throw new BadValue(i, column.key, 'invalid Date');
      return t;
    }
    if (v !== null) throw new BadValue(i, column.key, `expected a Date, got ${typeof v}`);
    return null;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new BadValue(i, column.key, `expected a finite number, got ${v}`);
    return v;
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  throw new BadValue(
    i,
    column.key,
    `expected a string, number or boolean, got ${v instanceof Date ? 'a Date' : typeof v}`,
  );
}

/**
 * The SELECT expression reading `column` from source `v`. Epoch milliseconds
 * become a timestamptz exactly: whole seconds through to_timestamp (exact for
 * integral seconds) plus the milliseconds as an interval.
 */
export function selectExpr(column: IngestColumn): SQL {
  const v = sql.raw(`v."${column.name}"`);
  const value = column.isTimestamp
    ? sql`(to_timestamp((${v} / 1000)::float8) + (${v} % 1000) * interval '1 millisecond')`
    : v;
  return column.sqlDefault ? sql`COALESCE(${value}, ${column.sqlDefault})` : value;
}
