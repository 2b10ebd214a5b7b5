/**
 * drizzle-kit for developing the library: generate from src/schema. Deploys
 * (and `drizzle-kit migrate` here) use the shipped drizzle.config.mjs's
 * journal table. Targets DATABASE_URL when set, else an embedded PGlite
 * database in ./.pgdata (the same folder `npm start` uses).
 */
import { defineConfig } from 'drizzle-kit';
import { MIGRATIONS_SCHEMA, MIGRATIONS_TABLE } from './src/migrate.ts';

const url = process.env.DATABASE_URL;

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
  migrations: { schema: MIGRATIONS_SCHEMA, table: MIGRATIONS_TABLE },
  ...(url
    ? { dbCredentials: { url } }
    : { driver: 'pglite', dbCredentials: { url: process.env.PGLITE_DIR ?? './.pgdata' } }),
});
