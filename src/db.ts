/**
 * Connections: postgres.js for a server URL, PGlite (embedded, in-process)
 * otherwise. Both give the same typed Drizzle API. A primary with read
 * replicas: createReplicatedDb.
 */
import { PGlite } from '@electric-sql/pglite';
import { withReplicas, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { guardTransactions } from './connection-guard.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** A Drizzle database on either driver. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface CreateDbOptions {
  /** PGlite data directory; omitted = in memory. Ignored with a URL. */
  dataDir?: string;
  /** postgres.js pool size (default 10). */
  max?: number;
  /** Called with each server NOTICE (default: ignored). */
  onNotice?: (message: string) => void;
  /**
   * `'transaction'` when the URL points at a pooler in transaction pooling
   * mode (PgBouncer `pool_mode = transaction`): every statement is sent
   * unnamed (no server-side prepared statement outlives its transaction
   * there). Startup parameters such as TimeZone still reach each
   * transaction (PgBouncer re-sends them); a `SET` would not.
   */
  pooler?: 'transaction';
}

/**
 * Session settings pinned on every connection the library opens, whatever the
 * server's or database's defaults: timestamps come back in UTC, in ISO form.
 */
const SESSION_SETTINGS = { TimeZone: 'UTC', DateStyle: 'ISO, MDY' } as const;

/**
 * postgres.js (3.4.9) takes a hot standby for `target_session_attrs=read-write`
 * (it only reads default_transaction_read_only, which is off on a standby),
 * so a multi-host URL could send the bot's writes to a read-only server.
 * Its `primary` checks in_hot_standby, which is what a writer needs.
 */
function sessionAttrsOf(url: string): { target_session_attrs?: 'primary' } {
  const attrs = /[?&]target_session_attrs=([^&#]*)/.exec(url)?.[1];
  return attrs === 'read-write' ? { target_session_attrs: 'primary' } : {};
}

const clients = new WeakMap<Db, { close(): Promise<void> }>();

/**
 * A typed database. With a `postgres://` URL: postgres.js on that server.
 * Without: PGlite, in memory or in `options.dataDir`. The client is our own,
 * so Drizzle's date parsers never leak into a client shared with other code.
 */
export function createDb(url?: string, options: CreateDbOptions = {}): Db {
  const notice = options.onNotice ?? (() => {});
  if (url) {
    // Transactions guarded against lost connections (see connection-guard.ts).
    const client = guardTransactions(postgres(url, {
      max: options.max ?? 10,
      connection: SESSION_SETTINGS,
      ...sessionAttrsOf(url),
      prepare: options.pooler !== 'transaction',
      onnotice: (n) => notice(String(n.message)),
    }));
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    clients.set(db, { close: () => client.end({ timeout: 5 }) });
    return db;
  }
  const client = new PGlite(options.dataDir);
  // PGlite runs statements in order, so this SET precedes every query of the Db.
  // A failure here (an unusable dataDir) surfaces again on the first query.
  void client.exec(Object.entries(SESSION_SETTINGS).map(([k, v]) => `SET ${k} TO '${v}';`).join(' ')).catch(() => {});
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  clients.set(db, { close: () => client.close() });
  return db;
}

export interface ReplicatedDbOptions extends Omit<CreateDbOptions, 'dataDir'> {
  /** The read-write server: every write, the trading guard and the P&L go here. */
  primary: string;
  /** Hot standbys (each one a `postgres://` URL); `db.select()` picks one at random. */
  replicas: string[];
}

/**
 * A database whose `select()` / `query` reads go to a replica while every
 * insert, update, delete, execute and transaction goes to the primary
 * (Drizzle's withReplicas). A replica lags: read views and reports there,
 * never what an order depends on. isTradingAllowed, openPosition,
 * calculateDailyPnl, upsertCandles and migrate always use the primary
 * (primaryOf). Without replicas it is a plain createDb(primary).
 */
export function createReplicatedDb({ primary, replicas, ...options }: ReplicatedDbOptions): Db {
  const primaryDb = createDb(primary, options);
  if (replicas.length === 0) return primaryDb;
  const replicaDbs = replicas.map((url) => createDb(url, options)) as [Db, ...Db[]];
  const db = withReplicas(primaryDb, replicaDbs) as unknown as Db;
  clients.set(db, { close: async () => { await Promise.all([primaryDb, ...replicaDbs].map(close)); } });
  return db;
}

/** The primary of a createReplicatedDb() database; any other Db as it is. */
export function primaryOf(db: Db): Db {
  return (db as Db & { $primary?: Db }).$primary ?? db;
}

/** Close the connection pool (postgres.js) or the embedded database (PGlite). */
export async function close(db: Db): Promise<void> {
  await clients.get(db)?.close();
  clients.delete(db);
}

/** Rows of a `db.execute()` result on either driver. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
