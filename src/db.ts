/**
 * Connections. The root entry speaks postgres.js (a URL, or a client the bot
 * made); node-postgres and PGlite have entry points of their own
 * (`@iftb/db/node-postgres`, `@iftb/db/pglite`) so a server bot never loads
 * a driver it does not use. Every driver gives the same typed Drizzle API.
 * A primary with read replicas: createReplicatedDb.
 */
import { withReplicas, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { IftbDbError } from './errors.ts';
import { guardTransactions } from './connection-guard.ts';
import * as schema from './schema/index.ts';
import { mapMissingPartitions } from './partition-errors.ts';

export type Schema = typeof schema;
/** A Drizzle database on any driver, typed with the library's schema (what createDb returns). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/**
 * Any Drizzle PostgreSQL database, whatever its driver and schema: what the
 * wrappers, migrate() and the guarded writes take, so a bot passes the
 * database it already has (its own tables and relations included).
 */
export type AnyDb = PgDatabase<PgQueryResultHKT, any, any>;

export interface CreateDbOptions {
  /** Pool size (default 10). */
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
 * (A client the bot made and passes in keeps the bot's settings.)
 */
export const SESSION_SETTINGS = { TimeZone: 'UTC', DateStyle: 'ISO, MDY' } as const;

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

/** A client the bot created and keeps owning: `close(db)` leaves it open. */
export interface WrapClient<Client> {
  client: Client;
}

const closers = new WeakMap<AnyDb, () => Promise<void>>();

/** Wraps a driver's client as a Db; `end` (for clients we created) runs on `close(db)`. */
export function registerDb(db: unknown, end?: () => Promise<void>): Db {
  mapMissingPartitions(db);
  if (end) closers.set(db as Db, end);
  return db as Db;
}

/**
 * A typed database on postgres.js: from a `postgres://` URL (our own pool,
 * so Drizzle's date parsers never leak into a client shared with other code),
 * or `{ client }`, a postgres.js client the bot made (Drizzle then sets its
 * date parsers on that client). For node-postgres or PGlite, see
 * `createNodePgDb` (`@iftb/db/node-postgres`) and `createPgliteDb` (`@iftb/db/pglite`).
 */
export function createDb(source: string | WrapClient<postgres.Sql>, options: CreateDbOptions = {}): Db {
  if (typeof source === 'object' && source !== null && 'client' in source) {
    return registerDb(drizzlePostgres(source.client, { schema }));
  }
  if (typeof source !== 'string' || source === '') {
    throw new IftbDbError(
      'createDb needs a postgres:// URL or { client }; for embedded PGlite use createPgliteDb from @iftb/db/pglite',
    );
  }
  const notice = options.onNotice ?? (() => {});
  // Transactions guarded against lost connections (see connection-guard.ts).
  const client = guardTransactions(
    postgres(source, {
      max: options.max ?? 10,
      connection: SESSION_SETTINGS,
      ...sessionAttrsOf(source),
      prepare: options.pooler !== 'transaction',
      onnotice: (n) => notice(String(n.message)),
    }),
  );
  return registerDb(drizzlePostgres(client, { schema }), () => client.end({ timeout: 5 }));
}

export interface ReplicatedDbOptions extends CreateDbOptions {
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
  return registerDb(withReplicas(primaryDb, replicaDbs), async () => {
    await Promise.all([primaryDb, ...replicaDbs].map(close));
  });
}

/** The primary of a createReplicatedDb() database; any other database as it is. */
export function primaryOf<D extends AnyDb>(db: D): D {
  return (db as D & { $primary?: D }).$primary ?? db;
}

/** Close what createDb (or a driver entry's factory) opened; a client the bot passed in stays open. */
export async function close(db: AnyDb): Promise<void> {
  await closers.get(db)?.();
  closers.delete(db);
}

/** Rows of a `db.execute()` result on any driver (an array, or `{ rows }`). */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
