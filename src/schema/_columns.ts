/**
 * Column builders, written once. Each unit-bearing builder records its unit,
 * which becomes the column's `COMMENT ON` (see scripts/sql-objects.ts) and
 * feeds the validation layer. Metadata is keyed by the builder's config
 * object, which Drizzle hands on unchanged to the built column.
 */
import { bigint, integer, numeric, timestamp, varchar } from 'drizzle-orm/pg-core';
import type { Column } from 'drizzle-orm';
import { parseTimestamptz } from '../timestamptz.ts';

export interface ColumnMeta {
  /** Human unit, written into the column comment. */
  unit?: string;
  /** Inclusive range every non-null value must fall in (enforced by a CHECK). */
  range?: { min?: number; max?: number };
  /** How a BEFORE trigger sets the column; writes must leave it out. */
  setBy?: string;
}

const metaByConfig = new WeakMap<object, ColumnMeta>();

function withMeta<B>(builder: B, meta: ColumnMeta): B {
  const config = (builder as unknown as { config: object }).config;
  metaByConfig.set(config, { ...metaByConfig.get(config), ...meta });
  return builder;
}

/**
 * A column a BEFORE trigger computes. The trigger overwrites whatever a
 * statement writes, so the insert and update schemas refuse a value rather
 * than let it be silently replaced.
 */
export const setByTrigger = <B>(builder: B, how: string): B => withMeta(builder, { setBy: how });

/** A one-off inclusive range (a `<table>_<column>_range` CHECK) for a column no shared builder bounds. */
export const withRange = <B>(builder: B, range: NonNullable<ColumnMeta['range']>): B => withMeta(builder, { range });

/** A one-off unit for a column no shared builder describes. */
export const withUnit = <B>(builder: B, unit: string): B => withMeta(builder, { unit });

/** numeric of any precision (a value a view computes) in `unit`, one of UNITS. */
export const numericIn = (name: string, unit: string) => withUnit(numeric(name), unit);

/** The column comment: its unit, and how a trigger sets it. */
export function columnComment(column: Column): string | undefined {
  const meta = columnMeta(column);
  const parts = [meta?.unit, meta?.setBy && `set by trigger: ${meta.setBy}`].filter(Boolean);
  return parts.length ? parts.join('; ') : undefined;
}

/** The unit and range a builder attached to a column, if any. */
export function columnMeta(column: Column): ColumnMeta | undefined {
  return metaByConfig.get((column as unknown as { config: object }).config);
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

/** varchar holding one of a fixed value list; the CHECK comes from `constraints()`. */
export const oneOf = <const T extends readonly [string, ...string[]]>(name: string, values: T, length = 20) =>
  varchar(name, { length, enum: values as unknown as [T[number], ...T[number][]] });

// ---- time ------------------------------------------------------------------

/**
 * timestamptz, `Date` in TypeScript, read back exactly (years 1-99 and
 * beyond 9999, offsets with seconds: see parseTimestamptz) instead of by
 * Drizzle's `new Date(text)`. Only this library's columns are affected.
 */
export const ts = (name: string) => {
  const builder = timestamp(name, { withTimezone: true, mode: 'date' });
  const internal = builder as unknown as { build(table: unknown): { mapFromDriverValue(value: unknown): unknown } };
  const build = internal.build.bind(builder);
  internal.build = (table) => {
    const column = build(table);
    const drizzleRead = column.mapFromDriverValue.bind(column);
    column.mapFromDriverValue = (value) =>
      (typeof value === 'string' ? parseTimestamptz(value) : undefined) ?? drizzleRead(value);
    return column;
  };
  return builder;
};

export const createdAt = { createdAt: ts('created_at').notNull().defaultNow() };
/** created_at plus an updated_at kept current by the `set_updated_at` trigger. */
export const timestamps = { ...createdAt, updatedAt: ts('updated_at').notNull().defaultNow() };

// ---- money and units -------------------------------------------------------

/** Units shared by tables and views, each spelled once; they become column comments. */
export const UNITS = {
  price: 'price, quote currency per unit of base currency',
  amount: 'amount in quote currency (e.g. USDT)',
  quantity: 'quantity in base currency',
  percentPoints: 'percentage points (12.5 = 12.5 %)',
  fundingFraction: 'fraction per funding period (0.0001 = 0.01 %)',
  fundingBps: 'basis points per funding period',
  fractionPerYear: 'fraction per year',
  minutes: 'minutes',
} as const;

/** numeric(20,8) price in quote currency per unit of base currency. */
export const price = (name: string) => withMeta(numeric(name, { precision: 20, scale: 8 }), { unit: UNITS.price });

/** The largest PostgreSQL integer (int4). */
export const INTEGER_MAX = 2147483647;
/** Every numeric(20,8) magnitude is below this: 12 digits before the point. */
export const AMOUNT_LIMIT = 1e12;

/** numeric(20,8) amount of quote currency (P&L, balances, fees, margin). */
export const amount = (name: string) => withMeta(numeric(name, { precision: 20, scale: 8 }), { unit: UNITS.amount });

/** numeric(20,8) quantity of base currency (contracts' underlying). */
export const quantity = (name: string) =>
  withMeta(numeric(name, { precision: 20, scale: 8 }), { unit: UNITS.quantity });

/** numeric(5,4) fraction in [0,1]: scores, confidences, probabilities. */
export const score = (name: string) =>
  withMeta(numeric(name, { precision: 5, scale: 4 }), {
    unit: 'fraction in [0,1] (0.75 = 75 %)',
    range: { min: 0, max: 1 },
  });

/** Percentage points (12.5 = 12.5 %); numeric(10,4) unless stated. */
export const percentPoints = (name: string, precision = 10, scale = 4, range?: ColumnMeta['range']) =>
  withMeta(numeric(name, { precision, scale }), { unit: UNITS.percentPoints, range });

/** Funding rate as a fraction per funding period (0.0001 = 0.01 %). */
export const fundingFraction = (name: string) =>
  withMeta(numeric(name, { precision: 10, scale: 8 }), { unit: UNITS.fundingFraction });

/** Position leverage multiplier, numeric(5,2) > 0. */
export const leverage = (name = 'leverage') =>
  withMeta(numeric(name, { precision: 5, scale: 2 }), { unit: 'leverage multiplier (x)' });

/** integer 0..100 index reading (fear & greed and its components). */
export const indexPoints = (name: string) =>
  withMeta(integer(name), {
    unit: 'index points, 0 (extreme fear) to 100 (extreme greed)',
    range: { min: 0, max: 100 },
  });

/** integer that counts things, >= 0. */
export const count = (name: string) => withMeta(integer(name), { range: { min: 0 } });

/** integer duration in milliseconds. */
export const millis = (name: string) => withMeta(integer(name), { unit: 'milliseconds', range: { min: 0 } });

/** integer duration in minutes. */
export const minutes = (name: string) => withMeta(integer(name), { unit: UNITS.minutes });

/** LLM token count, >= 0. */
export const tokens = (name: string) => withMeta(integer(name), { unit: 'tokens', range: { min: 0 } });

/** numeric(10,6) cost in US dollars. */
export const usdCost = (name: string) =>
  withMeta(numeric(name, { precision: 10, scale: 6 }), { unit: 'US dollars', range: { min: 0 } });

/** numeric(3,2) LLM sampling temperature in [0,2]. */
export const temperature = (name = 'temperature') =>
  withMeta(numeric(name, { precision: 3, scale: 2 }), {
    unit: 'sampling temperature, 0 to 2',
    range: { min: 0, max: 2 },
  });

/** The day's trade tallies that daily_performance and daily_pnl both keep, in their column order. */
export const tradeTallies = {
  totalTrades: count('total_trades').default(0),
  winningTrades: count('winning_trades').default(0),
  losingTrades: count('losing_trades').default(0),
  winRate: percentPoints('win_rate', 5, 2, { min: 0, max: 100 }),
  grossProfit: amount('gross_profit').default('0'),
  grossLoss: amount('gross_loss').default('0'),
};
