/**
 * Typed wrapper of premake_partitions(): this month's and the coming months'
 * partitions of every table in src/schema/partitions.ts.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type AnyDb } from '../db.ts';
import { execute } from './_execute.ts';
import { FunctionArgumentError } from './_arguments.ts';

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
