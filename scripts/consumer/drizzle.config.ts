// The bot's own drizzle-kit config: its schema file only (never the
// library's tables), its own migrations folder, and drizzle-kit's default
// journal (drizzle.__drizzle_migrations); the library keeps its own.
import { defineConfig } from 'drizzle-kit';

const url = process.env.DATABASE_URL;
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
  strict: true,
  ...(url
    ? { dbCredentials: { url } }
    : { driver: 'pglite', dbCredentials: { url: process.env.PGLITE_DIR ?? './.pgdata' } }),
});
