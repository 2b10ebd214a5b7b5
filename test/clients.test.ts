/**
 * Bring your own client: createDb, createNodePgDb and createPgliteDb wrap a
 * client the bot made (and leave it open on close), and the wrappers and
 * migrate() take any Drizzle PostgreSQL database, whatever its schema.
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import { bigint, pgTable, serial } from 'drizzle-orm/pg-core';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, createDb, type Db } from '../src/db.ts';
import { IftbDbError } from '../src/errors.ts';
import { isTradingAllowed } from '../src/functions/index.ts';
import { migrate } from '../src/migrate.ts';
import { createNodePgDb } from '../src/node-postgres.ts';
import { createPgliteDb } from '../src/pglite.ts';
import * as schema from '../src/schema/index.ts';
import { freshPostgres, type TestDb } from './support/db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await freshPostgres();
});
afterAll(() => t?.dispose());

async function worksAndStaysOpen(db: Db, stillOpen: () => Promise<unknown>) {
  expect((await isTradingAllowed(db)).allowed).toBe(true);
  expect((await migrate(db)).applied).toEqual([]);
  await close(db);
  await expect(stillOpen()).resolves.toBeDefined();
}

describe('wrapping a client the bot made', () => {
  it('postgres.js: createDb({ client })', async () => {
    const client = postgres(t.url!, { max: 1, onnotice: () => {} });
    await worksAndStaysOpen(createDb({ client }), () => client`SELECT 1`);
    await client.end();
  });

  it('node-postgres: createNodePgDb({ client: pool })', async () => {
    const pool = new pg.Pool({ connectionString: t.url, max: 1 });
    await worksAndStaysOpen(createNodePgDb({ client: pool }), () => pool.query('SELECT 1'));
    await pool.end();
  });

  it('PGlite: createPgliteDb({ client })', async () => {
    const client = new PGlite();
    const db = createPgliteDb({ client });
    await migrate(db);
    await worksAndStaysOpen(db, () => client.query('SELECT 1'));
    await client.close();
  });

  it('a Drizzle database the bot built with its own schema added', async () => {
    const pool = new pg.Pool({ connectionString: t.url, max: 1 });
    const tradeNotes = pgTable('trade_notes', {
      id: serial('id').primaryKey(),
      tradeId: bigint('trade_id', { mode: 'number' }).references(() => schema.trades.id),
    });
    const botDb = drizzle(pool, { schema: { ...schema, tradeNotes } });
    // Typed as the library's Db with no cast: the wrappers accept the bot's database.
    const guard = await isTradingAllowed(botDb, {});
    expect(guard.allowed).toBe(true);
    await pool.end();
  });

  it('createDb without a URL or client says where PGlite went', () => {
    expect(() => createDb('')).toThrow(IftbDbError);
    expect(() => createDb('')).toThrow(/createPgliteDb from @iftb\/db\/pglite/);
  });

  it('our own pools close', async () => {
    const db = createNodePgDb(t.url!, { max: 1 });
    await db.execute(sql`SELECT 1`);
    await close(db);
    await expect(db.execute(sql`SELECT 1`)).rejects.toThrow();
  });
});
