/**
 * Migrations are all or nothing, upgrade over live data, run once under
 * concurrent deploys, and are no-ops when nothing is pending.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { asc, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { close, createDb, rowsOf, type Db } from '../src/db.ts';
import { createPgliteDb } from '../src/pglite.ts';
import { migrate, MigrationError } from '../src/migrate.ts';
import { readMigrations } from '../src/migration-files.ts';
import * as tables from '../src/schema/tables.ts';
import { summaryComments } from '../src/schema/summaries.ts';
import { insertSampleRows } from './fixtures/sample-rows.ts';
import { emptyDatabase, freshPostgres } from './support/db.ts';
import { ensureTestMonths } from './support/test-months.ts';

/** The market read models (src/schema/summaries.ts), tables besides the domain tables. */
const READ_MODEL_COUNT = Object.keys(summaryComments).length;

const run = promisify(execFile);
const failingFolder = fileURLToPath(new URL('./fixtures/failing-migrations', import.meta.url));
const migrateOnce = fileURLToPath(new URL('./fixtures/migrate-once.ts', import.meta.url));
const tags = readMigrations().map((m) => m.tag);

/** Every object outside the system schemas, as PostgreSQL's catalog lists it. */
async function catalog(db: Db): Promise<string[]> {
  const rows = rowsOf<{ object: string }>(
    await db.execute(sql`
    WITH user_ns AS (
      SELECT oid, nspname FROM pg_namespace
       WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_toast%'
         AND nspname NOT LIKE 'pg\_temp%')
    SELECT 'schema ' || nspname AS object FROM user_ns
    UNION ALL SELECT 'relation ' || c.oid::regclass::text || ' ' || c.relkind::text FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
    UNION ALL SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p JOIN user_ns n ON n.oid = p.pronamespace
    UNION ALL SELECT 'type ' || t.oid::regtype::text FROM pg_type t JOIN user_ns n ON n.oid = t.typnamespace
    UNION ALL SELECT 'constraint ' || conname FROM pg_constraint c JOIN user_ns n ON n.oid = c.connamespace
    UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
    ORDER BY 1`),
  );
  return rows.map((r) => r.object);
}

async function journal(db: Db): Promise<string[]> {
  const [exists] = rowsOf<{ present: boolean }>(
    await db.execute(sql`SELECT to_regclass('drizzle.__iftb_db_migrations') IS NOT NULL AS present`),
  );
  if (!exists!.present) return [];
  return rowsOf<{ hash: string }>(await db.execute(sql`SELECT hash FROM drizzle.__iftb_db_migrations ORDER BY id`)).map(
    (r) => r.hash,
  );
}

/** An empty database on each target: the test server, and an in-memory PGlite. */
const emptyTargets = [
  {
    name: 'postgres',
    open: async () => {
      const target = await emptyDatabase();
      const db = createDb(target.url, { max: 2 });
      return {
        db,
        url: target.url,
        dispose: async () => {
          await close(db);
          await target.drop();
        },
      };
    },
  },
  {
    name: 'pglite',
    open: async () => {
      const db = createPgliteDb();
      return { db, url: undefined, dispose: () => close(db) };
    },
  },
] as const;

describe.each(emptyTargets)('a migration that fails halfway ($name)', ({ open }) => {
  it('leaves the database exactly as it was, journal included, and names migration, statement and SQLSTATE', async () => {
    const { db, dispose } = await open();
    try {
      const expectFailure = async () => {
        const error = await migrate(db, { migrationsFolder: failingFolder }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationError);
        const failure = error as MigrationError;
        expect(failure).toMatchObject({ migration: '0001_fails_halfway', statementIndex: 2, code: '42703' });
        expect(failure.statement).toContain('"missing_column"');
        expect(failure.message).toMatch(/0001_fails_halfway.*statement 3.*missing_column.*SQLSTATE 42703/s);
      };

      // From an empty database: nothing at all is left behind, not even the journal table.
      const empty = await catalog(db);
      await expectFailure();
      expect(await catalog(db)).toEqual(empty);
      expect(await journal(db)).toEqual([]);

      // With the first migration applied: the failing one leaves no trace beside it.
      expect(await migrate(db, { migrationsFolder: failingFolder, to: '0000_first' })).toEqual({
        applied: ['0000_first'],
      });
      const afterFirst = await catalog(db);
      const journalAfterFirst = await journal(db);
      expect(afterFirst).toContain('relation first_table r');
      expect(journalAfterFirst).toHaveLength(1);
      await expectFailure();
      expect(await catalog(db)).toEqual(afterFirst);
      expect(await journal(db)).toEqual(journalAfterFirst);
    } finally {
      await dispose();
    }
  });
});

/** Every row of every table, in insertion order. */
async function allRows(db: Db) {
  const out: Record<string, unknown[]> = {};
  for (const [key, table] of Object.entries(tables) as unknown as [string, PgTable & { id: AnyPgColumn }][]) {
    out[key] = await db.select().from(table).orderBy(asc(table.id));
  }
  return out;
}

describe('upgrade path', () => {
  const previous = tags.at(-2)!;
  it.each([previous, tags[0]!])('data written at %s survives the migrations after it', async (tag) => {
    const target = await emptyDatabase();
    const db = createDb(target.url, { max: 2 });
    try {
      expect((await migrate(db, { to: tag })).applied.at(-1)).toBe(tag);
      // Once the tables are partitioned, the sample rows' 2024 months must exist first.
      const [partitioned] = rowsOf<{ yes: boolean }>(
        await db.execute(
          sql`SELECT to_regprocedure('ensure_partitions(regclass,timestamptz,timestamptz)') IS NOT NULL AS yes`,
        ),
      );
      if (partitioned!.yes) await ensureTestMonths(db);
      const inserted = await insertSampleRows(db);
      const before = await allRows(db);
      expect(Object.values(before).every((rows) => rows.length === 1)).toBe(true);
      expect(before.trades).toEqual([inserted.trades]);

      const { applied } = await migrate(db);
      expect(applied).toEqual(tags.slice(tags.indexOf(tag) + 1));
      expect(await allRows(db)).toEqual(before);
    } finally {
      await close(db);
      await target.drop();
    }
  });
});

describe('two processes migrating the same empty database at once', () => {
  it('both succeed and the schema is applied exactly once', async () => {
    const target = await emptyDatabase();
    try {
      const startAt = String(Date.now() + 4000);
      const [a, b] = await Promise.all(
        [1, 2].map(() =>
          run(process.execPath, ['--import', 'tsx', migrateOnce, target.url, startAt], { timeout: 60_000 }),
        ),
      );
      const [waiter, applier] = [a!, b!]
        .map((r) => JSON.parse(r.stdout) as { applied: string[]; startedAt: number; finishedAt: number })
        .sort((x, y) => x.applied.length - y.applied.length);
      // One applied everything; the other started meanwhile, waited on the lock, then found nothing pending.
      expect([waiter!.applied, applier!.applied]).toEqual([[], tags]);
      expect(waiter!.startedAt).toBeLessThan(applier!.finishedAt);

      const db = createDb(target.url, { max: 1 });
      try {
        const hashes = await journal(db);
        expect(hashes).toEqual(readMigrations().map((m) => m.hash));
        const [counts] = rowsOf<{ tables: number }>(
          await db.execute(sql`
          SELECT count(*)::int AS tables FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition`),
        );
        expect(counts!.tables).toBe(Object.keys(tables).length + READ_MODEL_COUNT);
      } finally {
        await close(db);
      }
    } finally {
      await target.drop();
    }
  });
});

describe('a second migrate', () => {
  it('applies nothing and changes nothing', async () => {
    const t = await freshPostgres();
    try {
      const before = await catalog(t.db);
      const journalBefore = await journal(t.db);
      expect(journalBefore).toHaveLength(tags.length);
      expect(await migrate(t.db)).toEqual({ applied: [] });
      expect(await catalog(t.db)).toEqual(before);
      expect(await journal(t.db)).toEqual(journalBefore);
    } finally {
      await t.dispose();
    }
  });
});
