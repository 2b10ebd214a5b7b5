/** The wrappers' one way to the database. */
import type { SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { rowsOf, type AnyDb } from '../db.ts';
import { ConnectionLostError, IftbDbError, lostDuring } from '../errors.ts';

type Result = Awaited<ReturnType<AnyDb['execute']>>;

/** `db.execute(query)`, with a lost connection reported as ConnectionLostError naming wrapper `fn`. */
export async function execute(db: AnyDb, fn: string, query: SQL): Promise<Result> {
  try {
    return await db.execute(query);
  } catch (e) {
    throw lostDuring(fn, e) ?? e;
  }
}

/**
 * A read that changes nothing: when the connection is lost before it is
 * answered (a restarted server, a failover, an idle connection the server
 * ended), it is asked once more, on a new connection. Not inside a
 * transaction: that connection, and the transaction, are gone.
 */
export async function read(db: AnyDb, fn: string, query: SQL): Promise<Result> {
  try {
    return await execute(db, fn, query);
  } catch (e) {
    if (db instanceof PgTransaction || !(e instanceof ConnectionLostError)) throw e;
  }
  return execute(db, fn, query);
}

/**
 * The single row a scalar function call always returns. Any other answer is
 * an error naming `fn`, never read as "no value" (a guard or a price must
 * not quietly become a default).
 */
export function onlyRow<T>(result: Result, fn: string): T {
  const rows = rowsOf<T>(result);
  if (rows.length !== 1) {
    throw new IftbDbError(`${fn}: expected the function's one row, the server's answer had ${rows.length}`);
  }
  return rows[0]!;
}
