/**
 * Typed wrappers of ensure_partitions() and premake_partitions(): the monthly
 * partitions of the tables in src/schema/partitions.ts.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type AnyDb } from '../db.ts';
import { monthlyPartitioned, type PartitionedTable } from '../schema/partitions.ts';
import { execute } from './_execute.ts';
import { FunctionArgumentError } from './_arguments.ts';

export type { PartitionedTable } from '../schema/partitions.ts';

/** The table argument: one of the monthly partitioned tables. */
export function partitionedTableArgument(fn: string, value: unknown): PartitionedTable {
  if (typeof value !== 'string' || !Object.hasOwn(monthlyPartitioned, value)) {
    throw new FunctionArgumentError(
      fn,
      'table',
      `must be one of ${Object.keys(monthlyPartitioned).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as PartitionedTable;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * An instant as PostgreSQL timestamptz input, in UTC, exact to the
 * millisecond, for every year a Date holds (years before 1 as BC, after
 * 9999 with more digits): Date#toISOString's "+010000-..." is not input
 * PostgreSQL reads.
 */
export function timestamptzLiteral(instant: Date): string {
  const y = instant.getUTCFullYear();
  const bc = y < 1;
  return (
    `${pad(bc ? 1 - y : y, 4)}-${pad(instant.getUTCMonth() + 1, 2)}-${pad(instant.getUTCDate(), 2)} ` +
    `${pad(instant.getUTCHours(), 2)}:${pad(instant.getUTCMinutes(), 2)}:${pad(instant.getUTCSeconds(), 2)}.` +
    `${pad(instant.getUTCMilliseconds(), 3)}+00${bc ? ' BC' : ''}`
  );
}

function instantArgument(fn: string, argument: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new FunctionArgumentError(
      fn,
      argument,
      `must be a valid Date, got ${value instanceof Date ? 'an invalid Date' : typeof value}`,
    );
  }
  return value;
}

/**
 * Create the missing monthly partitions of `table` covering `from` .. `to`
 * (inclusive, UTC calendar months); returns the names created (none when all
 * exist). Safe to call concurrently and again. upsertCandles does this for
 * its own input; call it before other writes into months not premade (a
 * backfill of funding rates or logs).
 */
export async function ensurePartitions(
  db: AnyDb,
  table: PartitionedTable,
  from: Date,
  to: Date = from,
): Promise<string[]> {
  const fn = 'ensurePartitions';
  const relation = `public.${partitionedTableArgument(fn, table)}`;
  const lo = instantArgument(fn, 'from', from);
  const hi = instantArgument(fn, 'to', to);
  if (lo.getTime() > hi.getTime())
    throw new FunctionArgumentError(fn, 'to', `must not be before from (${lo.toISOString()}), got ${hi.toISOString()}`);
  const result = await execute(
    db,
    fn,
    sql`SELECT ensure_partitions(${relation}::regclass,
    ${timestamptzLiteral(lo)}::timestamptz, ${timestamptzLiteral(hi)}::timestamptz) AS name`,
  );
  return rowsOf<{ name: string }>(result).map((r) => r.name);
}

/**
 * Create the monthly partitions of every partitioned table for the current
 * UTC month and `monthsAhead` (0 to 120, default 12) after it; returns the
 * names created. migrate() runs it; a monthly job (or pg_cron running
 * `SELECT premake_partitions()`) keeps writes from ever creating one.
 */
export async function premakePartitions(db: AnyDb, monthsAhead = 12): Promise<string[]> {
  const fn = 'premakePartitions';
  if (!Number.isInteger(monthsAhead) || monthsAhead < 0 || monthsAhead > 120) {
    throw new FunctionArgumentError(fn, 'monthsAhead', `must be an integer from 0 to 120, got ${monthsAhead}`);
  }
  const result = await execute(db, fn, sql`SELECT premake_partitions(${monthsAhead}::int) AS name`);
  return rowsOf<{ name: string }>(result).map((r) => r.name);
}
