/**
 * `@iftb/db/pglite`: the library on PGlite, PostgreSQL compiled to
 * WebAssembly, in process (demos, tests, tools). PGlite is an optional peer
 * dependency: install `@electric-sql/pglite` to use this entry.
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { registerDb, SESSION_SETTINGS, type Db, type WrapClient } from './db.ts';
import * as schema from './schema/index.ts';

/**
 * A typed database on PGlite: in memory (no argument), in a data directory,
 * or `{ client }`, a PGlite instance the bot made (left open by `close(db)`).
 */
export function createPgliteDb(source?: string | WrapClient<PGlite>): Db {
  if (typeof source === 'object' && source !== null) return registerDb(drizzle(source.client, { schema }));
  const client = new PGlite(source);
  // PGlite runs statements in order, so this SET precedes every query of the Db.
  // A failure here (an unusable dataDir) surfaces again on the first query.
  void client
    .exec(
      Object.entries(SESSION_SETTINGS)
        .map(([k, v]) => `SET ${k} TO '${v}';`)
        .join(' '),
    )
    .catch(() => {});
  return registerDb(drizzle(client, { schema }), () => client.close());
}
