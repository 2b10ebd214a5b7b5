/**
 * Fresh, migrated databases for tests: a clone of the migrated template on
 * the real server, or a new in-memory PGlite.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { close, createDb, type Db } from '../../src/db.ts';
import { migrate } from '../../src/migrate.ts';
import { ensureTestMonths } from './test-months.ts';
import { createNodePgDb } from '../../src/node-postgres.ts';
import { createPgliteDb } from '../../src/pglite.ts';
import { withDatabase } from '../../scripts/pg-server.ts';

export interface TestDb {
  db: Db;
  /** Connection URL (server targets only). */
  url?: string;
  name: string;
  /** A raw postgres.js client on the same database (server targets only). */
  sql?: postgres.Sql;
  dispose(): Promise<void>;
}

const admin = () => postgres(inject('adminUrl'), { max: 1, onnotice: () => {} });

/** An empty database (not migrated) on the test server. */
export async function emptyDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `iftb_t_${randomBytes(6).toString('hex')}`;
  const a = admin();
  await a.unsafe(`CREATE DATABASE "${name}"`);
  await a.end();
  return {
    url: withDatabase(inject('adminUrl'), name),
    name,
    drop: async () => {
      const b = admin();
      await b.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await b.end();
    },
  };
}

/**
 * A migrated database cloned from the template (fast: a file copy), reached
 * directly or through PgBouncer in transaction pooling mode.
 */
export async function freshPostgres({ via = 'direct' }: { via?: 'direct' | 'pgbouncer' } = {}): Promise<TestDb> {
  const pooled = via === 'pgbouncer';
  return clonedTemplate(pooled, (url) => createDb(url, { max: 4, pooler: pooled ? 'transaction' : undefined }));
}

/** The same through node-postgres (`pg`), directly. */
export const freshNodePostgres = () => clonedTemplate(false, (url) => createNodePgDb(url, { max: 4 }));

async function clonedTemplate(pooled: boolean, connect: (url: string) => Db): Promise<TestDb> {
  const name = `iftb_t_${randomBytes(6).toString('hex')}`;
  const a = admin();
  await a.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${inject('templateDb')}"`);
  await a.end();
  const url = withDatabase(pooled ? inject('poolerUrl') : inject('adminUrl'), name);
  const db = connect(url);
  const raw = postgres(url, { max: 4, prepare: !pooled, onnotice: () => {} });
  return {
    db,
    url,
    name,
    sql: raw,
    dispose: async () => {
      await close(db);
      await raw.end();
      const b = admin();
      await b.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await b.end();
    },
  };
}

/** A migrated in-memory PGlite database. */
export async function freshPglite(): Promise<TestDb> {
  const db = createPgliteDb();
  await migrate(db);
  await ensureTestMonths(db);
  return { db, name: 'pglite', dispose: () => close(db) };
}

export interface Target {
  name: string;
  open(): Promise<TestDb>;
}

/**
 * The targets a behaviour suite runs on: the real server through
 * postgres.js and through node-postgres, the same server through PgBouncer
 * in transaction pooling mode (when PgBouncer is installed; global-setup
 * prints why not), and PGlite.
 */
export const targets: readonly Target[] = [
  { name: 'postgres', open: () => freshPostgres() },
  { name: 'node-postgres', open: freshNodePostgres },
  ...(inject('poolerUrl') ? [{ name: 'pgbouncer', open: () => freshPostgres({ via: 'pgbouncer' }) }] : []),
  { name: 'pglite', open: freshPglite },
];
