/**
 * Column builders, written once: plain Drizzle builders for each kind of
 * value. What the SQL type cannot say (unit, range, trigger) travels with the
 * builder as its note (see _notes.ts), under our own symbol key: a
 * unit-bearing builder carries `NOTES.<builder name>` itself, a one-off note
 * is written at the column with `withNote()`, and `notesOf()` reads a table's
 * notes off its columns object. Drizzle's modifiers (`.notNull()`,
 * `.default()`, `.$type()`, `.references()`, `.primaryKey()`) return the same
 * builder, so the note survives them (`.array()` alone makes a new builder:
 * note the array builder); nothing of Drizzle's is read or written.
 */
import { getTableColumns, is, sql, Table, type Column } from 'drizzle-orm';
import { bigint, customType, integer, numeric, varchar } from 'drizzle-orm/pg-core';
import { parseTimestamptz } from '../timestamptz.ts';
import { NOTES, UNITS, type ColumnNote } from './_notes.ts';

export { UNITS };

// ---- notes -----------------------------------------------------------------

/** The key a builder's note is kept under: our own, so no Drizzle field is touched. */
export const COLUMN_NOTE: unique symbol = Symbol('iftb.columnNote');

/** A builder carrying a note. */
export type Noted<B> = B & { readonly [COLUMN_NOTE]: ColumnNote };

/** The note `builder` carries, if any. */
export function noteOf(builder: unknown): ColumnNote | undefined {
  return typeof builder === 'object' && builder !== null
    ? (builder as { [COLUMN_NOTE]?: ColumnNote })[COLUMN_NOTE]
    : undefined;
}

/** `builder` itself, now carrying `note` (replacing any note it had). */
export function noted<B extends object>(builder: B, note: ColumnNote): Noted<B> {
  (builder as { [COLUMN_NOTE]?: ColumnNote })[COLUMN_NOTE] = note;
  return builder as Noted<B>;
}

/** `builder` itself, its note (if any) extended by `note`: a one-off unit, range or trigger at the column. */
export function withNote<B extends object>(builder: B, note: ColumnNote): Noted<B> {
  return noted(builder, { ...noteOf(builder), ...note });
}

/** The keys of `columns` whose builder carries a note. */
type NotedKeys<C> = { [K in keyof C]: C[K] extends { readonly [COLUMN_NOTE]: ColumnNote } ? K : never }[keyof C];

/** The notes of a table's or view's columns, keyed as the columns; columns without a note are left out. */
export function notesOf<C extends Readonly<Record<string, object>>>(
  columns: C,
): { readonly [K in NotedKeys<C>]: ColumnNote } {
  const notes: Record<string, ColumnNote> = {};
  for (const [key, builder] of Object.entries(columns)) {
    const note = noteOf(builder);
    if (note) notes[key] = note;
  }
  return notes as { readonly [K in NotedKeys<C>]: ColumnNote };
}

// ---- identifiers and text --------------------------------------------------

/** bigint identity primary key, `number` in TypeScript. */
export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
/**
 * bigint identity, `number` in TypeScript, that is NOT the primary key: on a
 * time-partitioned table every unique key must contain the partition column,
 * so the key is the natural key (or id plus the time column) and id is a row
 * number, unique as handed out by the identity but not enforced.
 */
export const identityId = () => bigint('id', { mode: 'number' }).notNull().generatedByDefaultAsIdentity();
/** bigint foreign key column, `number` in TypeScript. */
export const bigintRef = (name: string) => bigint(name, { mode: 'number' });
export const symbol = (name = 'symbol') => varchar(name, { length: 20 });
export const exchange = (name = 'exchange') => varchar(name, { length: 50 });

/** varchar holding one of a fixed value list; the CHECK comes from `columnChecks()`. */
export const oneOf = <const T extends readonly [string, ...string[]]>(name: string, values: T, length = 20) =>
  varchar(name, { length, enum: values as unknown as [T[number], ...T[number][]] });

// ---- time ------------------------------------------------------------------

/** The SQL type of every `timestamptz()` column. */
export const TIMESTAMPTZ = 'timestamp with time zone';

/**
 * timestamptz, `Date` in TypeScript, read back exactly (years 1-99 and
 * beyond 9999, offsets with seconds: see parseTimestamptz) instead of by
 * Drizzle's `new Date(text)`. A Drizzle custom type whose SQL type is
 * exactly the one `timestamp(name, { withTimezone: true })` writes, so the
 * migrations see no change; only this library's columns are affected.
 */
export const timestamptz = customType<{ data: Date; driverData: string }>({
  dataType: () => TIMESTAMPTZ,
  toDriver: (value) => value.toISOString(),
  // A driver that parses timestamps itself hands over a Date (or a number): read it as Drizzle would.
  fromDriver: (value: unknown) =>
    (typeof value === 'string' ? parseTimestamptz(value) : undefined) ?? new Date(value as string),
});

/** Whether a column is a `timestamptz()` column (a custom type, so its columnType is not Drizzle's PgTimestamp). */
export function isTimestamptz(column: Column): boolean {
  if (column.columnType !== 'PgCustomColumn') return false;
  // The columns a table callback receives cannot report their SQL type (Drizzle's
  // ExtraConfigColumn.getSQLType calls itself): ask the table's own column.
  const own = is(column.table, Table)
    ? Object.values(getTableColumns(column.table)).find((c) => c.name === column.name)
    : undefined;
  return (own ?? column).getSQLType() === TIMESTAMPTZ;
}

/** now(), the default of the time columns that record when a row was written. */
export const NOW = sql`now()`;

export const createdAt = { createdAt: timestamptz('created_at').notNull().default(NOW) };
/** created_at plus an updated_at kept current by the `set_updated_at` trigger. */
export const timestamps = { ...createdAt, updatedAt: timestamptz('updated_at').notNull().default(NOW) };

// ---- money and units -------------------------------------------------------

/** numeric(20,8) price in quote currency per unit of base currency. */
export const price = (name: string) => noted(numeric(name, { precision: 20, scale: 8 }), NOTES.price);

/** The largest PostgreSQL integer (int4). */
export const INTEGER_MAX = 2147483647;
/** Every numeric(20,8) magnitude is below this: 12 digits before the point. */
export const AMOUNT_LIMIT = 1e12;

/** numeric(20,8) amount of quote currency (P&L, balances, fees, margin). */
export const amount = (name: string) => noted(numeric(name, { precision: 20, scale: 8 }), NOTES.amount);

/** numeric(20,8) quantity of base currency (contracts' underlying). */
export const quantity = (name: string) => noted(numeric(name, { precision: 20, scale: 8 }), NOTES.quantity);

/** numeric(5,4) fraction in [0,1]: scores, confidences, probabilities. */
export const score = (name: string) => noted(numeric(name, { precision: 5, scale: 4 }), NOTES.score);

/** Percentage points (12.5 = 12.5 %); numeric(10,4) unless stated. */
export const percentPoints = (name: string, precision = 10, scale = 4) =>
  noted(numeric(name, { precision, scale }), NOTES.percentPoints);

/** Funding rate as a fraction per funding period (0.0001 = 0.01 %). */
export const fundingFraction = (name: string) =>
  noted(numeric(name, { precision: 10, scale: 8 }), NOTES.fundingFraction);

/** Position leverage multiplier, numeric(5,2) > 0. */
export const leverage = (name = 'leverage') => noted(numeric(name, { precision: 5, scale: 2 }), NOTES.leverage);

/** integer 0..100 index reading (fear & greed and its components). */
export const indexPoints = (name: string) => noted(integer(name), NOTES.indexPoints);

/** integer that counts things, >= 0. */
export const nonNegativeInt = (name: string) => noted(integer(name), NOTES.nonNegativeInt);

/** integer duration in milliseconds. */
export const millis = (name: string) => noted(integer(name), NOTES.millis);

/** integer duration in minutes. */
export const minutes = (name: string) => noted(integer(name), NOTES.minutes);

/** LLM token count, >= 0. */
export const tokens = (name: string) => noted(integer(name), NOTES.tokens);

/** numeric(10,6) cost in US dollars. */
export const usdCost = (name: string) => noted(numeric(name, { precision: 10, scale: 6 }), NOTES.usdCost);

/** numeric(3,2) LLM sampling temperature in [0,2]. */
export const temperature = (name = 'temperature') =>
  noted(numeric(name, { precision: 3, scale: 2 }), NOTES.temperature);

/** The day's trade tallies that daily_performance and daily_pnl both keep, in their column order. */
export const tradeTallies = () => ({
  totalTrades: nonNegativeInt('total_trades').default(0),
  winningTrades: nonNegativeInt('winning_trades').default(0),
  losingTrades: nonNegativeInt('losing_trades').default(0),
  winRate: withNote(percentPoints('win_rate', 5, 2), { range: { min: 0, max: 100 } }),
  grossProfit: amount('gross_profit').default('0'),
  grossLoss: amount('gross_loss').default('0'),
});
