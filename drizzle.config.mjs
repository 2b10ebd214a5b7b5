// The drizzle-kit config a bot uses to deploy this library's migrations:
//   DATABASE_URL=postgres://... npx drizzle-kit migrate --config node_modules/@iftb/db/drizzle.config.mjs
// It points at the package's own drizzle/ folder (an absolute path, so the
// bot's working directory does not matter) and at the library's own journal
// table, which src/migrate.ts uses too: the bot's migrations, in drizzle-kit's
// default journal, never hide ours or the other way round.
// Without DATABASE_URL, PGLITE_DIR names an embedded PGlite folder.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const url = process.env.DATABASE_URL;
const pgliteDir = process.env.PGLITE_DIR;
if (!url && !pgliteDir)
  throw new Error('@iftb/db drizzle config: set DATABASE_URL (or PGLITE_DIR for an embedded PGlite folder)');

export default {
  dialect: 'postgresql',
  out: join(here, 'drizzle'),
  migrations: { schema: 'drizzle', table: '__iftb_db_migrations' },
  ...(url ? { dbCredentials: { url } } : { driver: 'pglite', dbCredentials: { url: pgliteDir } }),
};
