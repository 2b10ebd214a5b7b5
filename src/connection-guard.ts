/**
 * Transactions that survive a lost connection, for the postgres.js client
 * that createDb(url) builds.
 *
 * Why: in postgres.js 3.4.9 (newest; bug open upstream) a connection that
 * closes sets its socket to null, but `sql.begin` still answers the failed
 * callback with a ROLLBACK on that connection. Its write is flushed in a
 * setImmediate that calls `null.write`: an uncaught TypeError that ends the
 * host process, after the caller got a bare `write CONNECTION_CLOSED`.
 * The same happens to any query sent on a transaction's connection after
 * it closed (src/connection.js: `closed()` sets `socket = null`; `write()`
 * schedules `nextWrite()`, which calls `socket.write`).
 *
 * The fix: `begin` and `savepoint` here run on `sql.reserve()` and send
 * BEGIN / COMMIT / ROLLBACK themselves, and every query of the transaction
 * passes a gate that refuses to send once the connection is known lost (its
 * `onclose` fired, or a query failed with a connection error). Nothing is
 * ever written to a closed connection, so the crash cannot happen; the
 * caller gets ConnectionLostError; the lost connection is never handed back
 * to the pool, which reconnects on the next call. The connection object
 * comes from the `onexecute` query option, the hook postgres.js's own
 * `begin` uses; postgres is pinned, and test/connection-loss.test.ts fails
 * should a new version change it.
 *
 * A second bug: when the server ends a session with a FATAL error (a
 * terminated backend, a shutdown) while a query runs, postgres.js keeps that
 * error and the query after the socket closes, and the connection's next
 * start-up reports the stale error to whatever query opened it. That query
 * was never sent (postgres.js gives a query its `state` only when it writes
 * it), so it is handed to the pool once more; a transaction whose
 * reservation or BEGIN meets a loss likewise starts over once.
 */
import type postgres from 'postgres';
import { connectionLossOf, ConnectionLostError, IftbDbError, LOST_TRANSACTION } from './errors.ts';

type Sql = postgres.Sql;
type ReservedSql = postgres.ReservedSql;
/** What this module touches of a postgres.js Query (src/query.js). */
interface PendingQuery {
  handler(q: PendingQuery): void;
  reject(e: unknown): void;
  state: unknown;
}
/** What this module touches of a postgres.js connection (src/connection.js, src/index.js onclose). */
interface PgConnection {
  onclose: ((e: Error) => void) | null;
}
type Work<T> = (tx: Sql) => T | Promise<T>;

/** One transaction's connection: whether it is known lost, and why. */
class TransactionLine {
  lost: Error | undefined;
  connection: PgConnection | undefined;
  private savepoints = 0;
  constructor(readonly reserved: ReservedSql) {}

  markLost(e: Error): void {
    this.lost ??= e;
  }

  /** A query on this connection: refused, not sent, once the connection is lost; its loss marks the line. */
  query(text: string, params?: unknown[], options?: object): ReturnType<ReservedSql['unsafe']> {
    const q = this.reserved.unsafe(text, params as postgres.ParameterOrJSON<never>[], options);
    const pending = q as unknown as PendingQuery;
    const send = pending.handler;
    pending.handler = (self) => (this.lost ? self.reject(this.lost) : send(self));
    const reject = pending.reject;
    pending.reject = (e) => {
      const loss = connectionLossOf(e);
      if (loss) this.markLost(loss);
      reject(e);
    };
    return q;
  }

  /** Undo after a failure; moot once the connection is lost (the server rolls back a closed session). */
  async rollback(statement: string): Promise<void> {
    if (this.lost) return;
    await this.query(statement).catch((e: unknown) => {
      if (!this.lost) throw e;
    });
  }

  /** The transaction's Sql as Drizzle uses it: `unsafe` and `savepoint`. */
  sql(): Sql {
    const savepoint = async <T>(nameOrWork: string | Work<T>, maybeWork?: Work<T>): Promise<T> => {
      const work = typeof nameOrWork === 'function' ? nameOrWork : maybeWork!;
      const name = `s${++this.savepoints}`;
      await this.query(`SAVEPOINT ${name}`);
      try {
        const result = await work(this.sql());
        await this.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (e) {
        await this.rollback(`ROLLBACK TO SAVEPOINT ${name}`);
        throw e;
      }
    };
    return new Proxy(this.reserved, {
      get: (target, key, receiver) => {
        if (key === 'unsafe')
          return (text: string, params?: unknown[], options?: object) => this.query(text, params, options);
        if (key === 'savepoint') return savepoint;
        return Reflect.get(target, key, receiver);
      },
    }) as unknown as Sql;
  }
}

/** Errors of a server that cannot be reached at all: trying again at once only feeds postgres.js's growing backoff. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CONNECT_TIMEOUT',
]);

/** A loss worth one more try: a connection that was there (not a server that cannot be reached). */
function worthRetry(e: unknown): boolean {
  const loss = connectionLossOf(e) as { code?: string } | undefined;
  return loss !== undefined && !UNREACHABLE.has(loss.code ?? '');
}

/** A query of the pool that fails with a connection error before it was ever sent goes to the pool once more. */
function resendIfNeverSent<Q>(query: Q): Q {
  const q = query as unknown as PendingQuery;
  const reject = q.reject;
  let resent = false;
  q.reject = (e) => {
    if (resent || q.state !== null || !worthRetry(e)) return reject(e);
    resent = true;
    // After the failing connection has finished its start-up and joined the pool.
    queueMicrotask(() => q.handler(q));
  };
  return query;
}

/** A transaction lost before BEGIN completed has done nothing, so it may start over (once). */
class NotStarted extends Error {}

/** postgres.js's `begin`, rebuilt so that a lost connection ends in ConnectionLostError, never in a crash. */
async function begin<T>(pool: Sql, modeOrWork: string | Work<T>, maybeWork?: Work<T>): Promise<T> {
  const [mode, work] = typeof modeOrWork === 'function' ? ['', modeOrWork] : [modeOrWork, maybeWork!];
  try {
    return await attempt(pool, mode, work);
  } catch (e) {
    if (!(e instanceof NotStarted)) throw e;
  }
  try {
    return await attempt(pool, mode, work);
  } catch (e) {
    throw e instanceof NotStarted ? new ConnectionLostError(LOST_TRANSACTION, e.cause) : e;
  }
}

async function attempt<T>(pool: Sql, mode: string, work: Work<T>): Promise<T> {
  let reserved: ReservedSql;
  try {
    reserved = await pool.reserve();
  } catch (e) {
    if (worthRetry(e)) throw new NotStarted('lost before BEGIN', { cause: e });
    throw connectionLossOf(e) ? new ConnectionLostError(LOST_TRANSACTION, e) : e;
  }
  const line = new TransactionLine(reserved);
  const onexecute = (connection: PgConnection) => {
    line.connection = connection;
    connection.onclose = (e) => line.markLost(e);
    return true; // keep the connection ready for the next query
  };
  let stage: 'begin' | 'work' | 'commit' = 'begin';
  try {
    await line.query(`BEGIN ${mode.replace(/[^a-z ]/gi, '')}`, [], { onexecute });
    if (!line.connection)
      throw new IftbDbError(
        'postgres.js no longer reports the connection of a query (onexecute): the connection guard needs updating',
      );
    stage = 'work';
    let result: T;
    try {
      result = await work(line.sql());
    } catch (e) {
      await line.rollback('ROLLBACK');
      throw e;
    }
    stage = 'commit';
    await line.query('COMMIT');
    return result;
  } catch (e) {
    if (!line.lost) throw e;
    if (stage === 'begin') throw new NotStarted('lost before BEGIN', { cause: e });
    // A library call names what was running (a batch, a migration): keep its error.
    throw e instanceof IftbDbError
      ? e
      : new ConnectionLostError(LOST_TRANSACTION, e, stage === 'commit' ? 'unknown' : 'rolled back');
  } finally {
    if (line.connection) line.connection.onclose = null;
    // A lost connection is the pool's to reconnect; handing it back would reuse a dead socket.
    if (!line.lost) reserved.release();
  }
}

/** `client` with the guarded `begin`, and `unsafe` (Drizzle's way in) resending never-sent queries; the rest is postgres.js's own. */
export function guardTransactions(client: Sql): Sql {
  const guardedBegin = (modeOrWork: string | Work<unknown>, work?: Work<unknown>) => begin(client, modeOrWork, work);
  const unsafe: Sql['unsafe'] = (...args) => resendIfNeverSent(client.unsafe(...args));
  return new Proxy(client, {
    get: (target, key, receiver) =>
      key === 'begin' ? guardedBegin : key === 'unsafe' ? unsafe : Reflect.get(target, key, receiver),
  });
}
