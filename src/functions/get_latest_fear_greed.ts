import { sql } from 'drizzle-orm';
import { rowsOf, type AnyDb } from '../db.ts';
import { read } from './_execute.ts';
import type { FEAR_GREED_CLASSES } from '../schema/enums.ts';
import { toDate } from './_arguments.ts';

export interface LatestFearGreed {
  /** Index points, 0 (extreme fear) to 100 (extreme greed). */
  value: number;
  classification: (typeof FEAR_GREED_CLASSES)[number];
  timestamp: Date;
}

/** The newest Fear & Greed reading; null when there is none. */
export async function getLatestFearGreed(db: AnyDb): Promise<LatestFearGreed | null> {
  const result = await read(
    db,
    'getLatestFearGreed',
    sql`SELECT value, classification, "timestamp" FROM get_latest_fear_greed()`,
  );
  const row = rowsOf<{ value: number; classification: LatestFearGreed['classification']; timestamp: unknown }>(
    result,
  )[0];
  return row ? { value: row.value, classification: row.classification, timestamp: toDate(row.timestamp) } : null;
}
