/**
 * Where the demo writes. Without DATABASE_URL: an embedded PGlite database in
 * ./.pgdata (or PGLITE_DIR), deleted and recreated on every run so a second
 * run starts clean; `npm run db:studio` then browses what the last run wrote.
 * With DATABASE_URL: a database named iftb_demo on that server, dropped and
 * recreated; when the URL's user may not create databases, the URL's own
 * database inside one transaction that is rolled back at the end, so nothing
 * of the demo stays there.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { close, createDb, type Db } from '../src/db.ts';
import { createPgliteDb } from '../src/pglite.ts';

const DEMO_DATABASE = 'iftb_demo';

export interface DemoTarget {
  label: string;
  notes: string[];
}

/** Runs `work` on the demo database and cleans up; returns what `work` returned. */
export async function withDemoDatabase<T>(work: (db: Db, target: DemoTarget) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL;
  return url ? onServer(url, work) : onPglite(process.env.PGLITE_DIR ?? './.pgdata', work);
}

async function onPglite<T>(dir: string, work: (db: Db, target: DemoTarget) => Promise<T>): Promise<T> {
  const path = resolve(dir);
  const notes: string[] = [];
  if (existsSync(path)) {
    const entries = readdirSync(path);
    // Only ever delete a database folder: never a folder someone pointed PGLITE_DIR at by mistake.
    if (entries.length && !entries.includes('PG_VERSION')) {
      throw new Error(`${dir} exists and is not a PGlite database folder; set PGLITE_DIR to a new folder`);
    }
    rmSync(path, { recursive: true, force: true });
    notes.push(`reset: deleted the previous run's data in ${dir}`);
  }
  const db = createPgliteDb(path);
  try {
    return await work(db, { label: `embedded PGlite in ${dir} (no server, no settings)`, notes });
  } finally {
    await close(db);
  }
}

async function onServer<T>(url: string, work: (db: Db, target: DemoTarget) => Promise<T>): Promise<T> {
  const given = new URL(url);
  const adminUrl = new URL(url);
  // A database cannot drop itself: administer from the maintenance database in that case.
  if (given.pathname === `/${DEMO_DATABASE}`) adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  let created = false;
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${DEMO_DATABASE} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${DEMO_DATABASE}`);
    created = true;
  } catch (e) {
    if ((e as { code?: string }).code !== '42501') throw e;
  } finally {
    await admin.end();
  }
  const host = `${given.hostname}${given.port ? `:${given.port}` : ''}`;
  if (created) {
    const target = new URL(url);
    target.pathname = `/${DEMO_DATABASE}`;
    const db = createDb(target.toString(), { max: 2 });
    try {
      return await work(db, {
        label: `PostgreSQL at ${host}, database ${DEMO_DATABASE}`,
        notes: [`reset: dropped and recreated ${DEMO_DATABASE} (DATABASE_URL's own database is untouched)`],
      });
    } finally {
      await close(db);
    }
  }
  const dbName = decodeURIComponent(given.pathname.slice(1)) || '(default)';
  const db = createDb(url, { max: 1 });
  let result: T | undefined;
  const rolledBack = new Error('demo rollback');
  try {
    await db.transaction(async (tx) => {
      result = await work(tx as unknown as Db, {
        label: `PostgreSQL at ${host}, database ${dbName}`,
        notes: [
          `no CREATEDB privilege for ${DEMO_DATABASE}: running in ${dbName} inside one transaction, rolled back at the end`,
        ],
      });
      throw rolledBack;
    });
  } catch (e) {
    if (e !== rolledBack) throw e;
  } finally {
    await close(db);
  }
  return result as T;
}
