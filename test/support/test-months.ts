/** Shared by the global setup (which may not import vitest) and the per-test databases. */
import type { Db } from '../../src/db.ts';
import { ensurePartitions } from '../../src/functions/partitions.ts';
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

