/**
 * Typed wrapper of ensure_partitions(): the missing monthly partitions of a
 * table in src/schema/partitions.ts.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type AnyDb } from '../db.ts';
import type { PartitionedTable } from '../schema/partitions.ts';
import { execute } from './_execute.ts';
import { FunctionArgumentError, instantArgument, partitionedTableArgument, timestamptzLiteral } from './_arguments.ts';

export type { PartitionedTable } from '../schema/partitions.ts';

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
