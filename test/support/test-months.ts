/** Shared by the global setup (which may not import vitest) and the per-test databases. */
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { AnyDb, Db } from '../../src/db.ts';
import { ensurePartitions, type PartitionedTable } from '../../src/functions/ensure_partitions.ts';
import { monthlyPartitioned } from '../../src/schema/partitions.ts';

/**
 * The monthly partitions the tests' fixed dates need (2024 on; migrate makes
 * this month and the next 12): a plain insert into a month without one
 * fails, as it would in production.
 */
export async function ensureTestMonths(db: Db): Promise<void> {
  for (const table of Object.keys(monthlyPartitioned) as (keyof typeof monthlyPartitioned)[]) {
    await ensurePartitions(db, table, new Date('2024-01-01T00:00:00Z'), new Date());
  }
}

/** Before writing `row` (a TypeScript-keyed insert row) into `table`: the partition of its month, when the table is partitioned. */
export async function ensureRowMonth(db: AnyDb, table: PgTable, row: Record<string, unknown>): Promise<void> {
  const name = getTableConfig(table).name;
  const column = (monthlyPartitioned as Record<string, string>)[name];
  if (!column) return;
  const key = Object.entries(getTableColumns(table)).find(([, c]) => c.name === column)?.[0];
  const value = key === undefined ? undefined : row[key];
  if (value instanceof Date && !Number.isNaN(value.getTime()))
    await ensurePartitions(db, name as PartitionedTable, value);
}
