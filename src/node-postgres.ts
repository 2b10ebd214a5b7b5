/**
 * `@iftb/db/node-postgres`: the library on node-postgres (`pg`), an optional
 * peer dependency: install `pg` to use this entry.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { registerDb, SESSION_SETTINGS, type CreateDbOptions, type Db, type WrapClient } from './db.ts';
import * as schema from './schema/index.ts';

/**
 * A typed database on node-postgres: from a `postgres://` URL (our own pool),
 * or `{ client }`, a `pg.Pool` or `pg.Client` the bot made (left open by
 * `close(db)`).
 */
export function createNodePgDb(source: string | WrapClient<pg.Pool | pg.Client>, options: CreateDbOptions = {}): Db {
  if (typeof source !== 'string') return registerDb(drizzle(source.client, { schema }));
  const notice = options.onNotice ?? (() => {});
  const settings = Object.entries(SESSION_SETTINGS)
    .map(([k, v]) => `-c ${k}=${v.replace(/ /g, '\\ ')}`)
    .join(' ');
  const pool = new pg.Pool({ connectionString: source, max: options.max ?? 10, options: settings });
  pool.on('connect', (client) => client.on('notice', (n) => notice(String(n.message))));
  // An idle client's lost connection is reported here; unhandled, it would crash the process.
  pool.on('error', () => {});
  return registerDb(drizzle(pool, { schema }), () => pool.end());
}
