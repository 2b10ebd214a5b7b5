/**
 * drizzle-kit targets DATABASE_URL when set, else an embedded PGlite database
 * in ./.pgdata (the same folder `npm start` uses).
 */
import { defineConfig } from 'drizzle-kit';

const url = process.env.DATABASE_URL;

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
  ...(url
    ? { dbCredentials: { url } }
    : { driver: 'pglite', dbCredentials: { url: process.env.PGLITE_DIR ?? './.pgdata' } }),
});
