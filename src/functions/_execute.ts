/** The wrappers' one way to the database. */
import type { SQL } from 'drizzle-orm';
import type { AnyDb } from '../db.ts';
import { lostDuring } from '../errors.ts';

/** `db.execute(query)`, with a lost connection reported as ConnectionLostError naming wrapper `fn`. */
export async function execute(db: AnyDb, fn: string, query: SQL): Promise<Awaited<ReturnType<AnyDb['execute']>>> {
  try {
    return await db.execute(query);
  } catch (e) {
    throw lostDuring(fn, e) ?? e;
  }
}
