/**
 * Applies the bundled migrations (./drizzle), the same files and journal
 * table (drizzle.__drizzle_migrations) that `drizzle-kit migrate` uses, so
 * either tool may run a deploy. Beyond drizzle-kit it:
 * - takes an advisory lock, so concurrent deploys apply the schema once;
 * - applies everything pending in one transaction: all or nothing;
 * - reports the migration, the statement and PostgreSQL's error on failure;
 * - can stop at a named migration (`to`), for staged upgrades and tests.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { primaryOf, rowsOf, type Db } from './db.ts';
import { databaseErrorOf, IftbDbError } from './errors.ts';
import { FunctionArgumentError } from './functions/_arguments.ts';

/** The drizzle/ folder shipped beside src/ and dist/. */
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Arbitrary constant naming this library's migration lock. */
const MIGRATION_LOCK_KEY = 7_205_318_164_922_001n;

export interface Migration { tag: string; when: number; hash: string; statements: string[] }
export interface MigrateOptions {
  migrationsFolder?: string;
  /** Apply up to and including this migration tag, then stop. */
  to?: string;
}
export interface MigrateResult { applied: string[] }

export class MigrationError extends IftbDbError {
  /** PostgreSQL's SQLSTATE, when the database refused the statement. */
  readonly code: string | undefined;
  constructor(readonly migration: string, readonly statementIndex: number, readonly statement: string, cause: unknown) {
    const db = databaseErrorOf(cause);
    const reason = db?.message ?? (cause instanceof Error ? cause.message : String(cause));
    super(`migration ${migration} failed at statement ${statementIndex + 1}: ${reason}` +
      `${db ? ` (SQLSTATE ${db.code})` : ''}\n--- statement ---\n${statement.trim()}`, { cause });
    this.code = db?.code;
  }
}

/** Read drizzle-kit's journal and files, hashed exactly as drizzle hashes them. */
export function readMigrations(folder = migrationsFolder): Migration[] {
  const journal = JSON.parse(readFileSync(`${folder}/meta/_journal.json`, 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return journal.entries.map(({ tag, when }) => {
    const text = readFileSync(`${folder}/${tag}.sql`, 'utf8');
    return {
      tag, when,
      hash: createHash('sha256').update(text).digest('hex'),
      statements: text.split('--> statement-breakpoint').filter((s) => s.trim() !== ''),
    };
  });
}

/** What migrate needs of a connection: a database or an open transaction. */
export type SqlRunner = Pick<Db, 'execute'>;

export async function migrate(db: Db, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = selectMigrations(options);
  return primaryOf(db).transaction((tx) => applyMigrations(tx, migrations));
}

/**
 * The same work inside a transaction the caller opened (adoption runs it
 * between moving the legacy tables aside and copying their rows). Nothing is
 * committed here: the caller's transaction decides.
 */
export async function migrateInTransaction(tx: SqlRunner, options: MigrateOptions = {}): Promise<MigrateResult> {
  return applyMigrations(tx, selectMigrations(options));
}

function selectMigrations(options: MigrateOptions): Migration[] {
  const migrations = readMigrations(options.migrationsFolder);
  if (options.to === undefined) return migrations;
  const end = migrations.findIndex((m) => m.tag === options.to);
  if (end < 0) throw new FunctionArgumentError('migrate', 'to', `names no migration: ${JSON.stringify(options.to)}`);
  return migrations.slice(0, end + 1);
}

async function applyMigrations(tx: SqlRunner, migrations: Migration[]): Promise<MigrateResult> {
  await lockMigrations(tx);
  await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS drizzle`);
  await tx.execute(sql`CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
    id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
  const lastWhen = await lastAppliedWhen(tx) ?? -Infinity;
  const applied: string[] = [];
  // Same rule as drizzle-kit: a migration is pending when newer than the last applied.
  for (const m of migrations.filter((x) => x.when > lastWhen)) {
    for (const [i, statement] of m.statements.entries()) {
      try {
        await tx.execute(sql.raw(statement));
      } catch (e) {
        throw new MigrationError(m.tag, i, statement, e);
      }
    }
    await tx.execute(sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${m.hash}, ${m.when})`);
    applied.push(m.tag);
  }
  return { applied };
}

/** The newest applied migration's `when`, or undefined when the journal is missing or empty. */
export async function lastAppliedWhen(tx: SqlRunner): Promise<number | undefined> {
  const [journal] = rowsOf<{ present: boolean }>(await tx.execute(
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`));
  if (!journal?.present) return undefined;
  const [last] = rowsOf<{ created_at: string | number }>(await tx.execute(
    sql`SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`));
  return last ? Number(last.created_at) : undefined;
}

/** Take the migration lock inside a transaction (adoption holds it while it inspects the database). */
export async function lockMigrations(tx: SqlRunner): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
}
