/**
 * Applies the bundled migrations (./drizzle), recorded in the library's own
 * journal table (drizzle.__iftb_db_migrations), so a bot's own migrations
 * (in drizzle-kit's default drizzle.__drizzle_migrations) never hide ours or
 * the other way round. `drizzle-kit migrate` with the shipped
 * drizzle.config.mjs reads the same files and table, so either tool may run a
 * deploy. Beyond drizzle-kit it:
 * - takes an advisory lock, so concurrent deploys apply the schema once, and
 *   waits for it at most `lockTimeoutMs`, then names the session holding it;
 * - reports a lost connection as ConnectionLostError naming the migration
 *   and statement that ran;
 * - applies everything pending in one transaction: all or nothing;
 * - reports the migration, the statement and PostgreSQL's error on failure;
 * - can stop at a named migration (`to`), for staged upgrades and tests;
 * - afterwards creates the monthly partitions of this month and the next 12
 *   (premake_partitions), once the partitioned tables exist;
 * - takes over a database migrated when the library shared drizzle-kit's
 *   default journal (see `takeOverSharedJournal`).
 */
import { sql } from 'drizzle-orm';
import { primaryOf, rowsOf, type AnyDb } from './db.ts';
import { databaseErrorOf, IftbDbError, lostDuring } from './errors.ts';
import { FunctionArgumentError } from './functions/_arguments.ts';
import { readMigrations, type Migration } from './migration-files.ts';

export { migrationsFolder } from './migration-files.ts';

/** The library's journal; the shipped drizzle.config.mjs names the same one. */
export const MIGRATIONS_SCHEMA = 'drizzle';
export const MIGRATIONS_TABLE = '__iftb_db_migrations';
/** drizzle-kit's default journal, which library versions up to 0.1 shared with the bot. */
const SHARED_TABLE = '__drizzle_migrations';

/** Arbitrary constant naming this library's migration lock. */
export const MIGRATION_LOCK_KEY = 7_205_318_164_922_001n;

export interface MigrateOptions {
  migrationsFolder?: string;
  /** Apply up to and including this migration tag, then stop. */
  to?: string;
  /** How long to wait for another session's migration lock before MigrationLockTimeoutError (default 60,000 ms). */
  lockTimeoutMs?: number;
}

export const DEFAULT_MIGRATION_LOCK_TIMEOUT_MS = 60_000;

/** A session holding the migration lock, as pg_stat_activity shows it. */
export interface LockHolder {
  pid: number;
  user: string | null;
  application: string | null;
  client: string | null;
  state: string | null;
  since: string | null;
}

/** Another session held the migration lock for longer than `lockTimeoutMs`; `holders` says who. */
export class MigrationLockTimeoutError extends IftbDbError {
  constructor(
    readonly waitedMs: number,
    readonly holders: LockHolder[],
    cause: unknown,
  ) {
    const who = holders.length
      ? holders
          .map(
            (h) =>
              `pid ${h.pid} (user ${h.user ?? '?'}` +
              `${h.application ? `, application "${h.application}"` : ''}${h.client ? `, from ${h.client}` : ''}` +
              `${h.state ? `, ${h.state}` : ''}${h.since ? ` since ${h.since}` : ''})`,
          )
          .join(', ')
      : 'a session that has since let go';
    super(
      `migrate: waited ${waitedMs} ms for the migration lock (pg_advisory_lock(${MIGRATION_LOCK_KEY})), held by ${who}; ` +
        'nothing was applied. Wait for that deploy, or end the session with pg_terminate_backend(pid).',
      { cause },
    );
  }
}
export interface MigrateResult {
  applied: string[];
}

export class MigrationError extends IftbDbError {
  /** PostgreSQL's SQLSTATE, when the database refused the statement. */
  readonly code: string | undefined;
  constructor(
    readonly migration: string,
    readonly statementIndex: number,
    readonly statement: string,
    cause: unknown,
  ) {
    const db = databaseErrorOf(cause);
    const reason = db?.message ?? (cause instanceof Error ? cause.message : String(cause));
    super(
      `migration ${migration} failed at statement ${statementIndex + 1}: ${reason}` +
        `${db ? ` (SQLSTATE ${db.code})` : ''}\n--- statement ---\n${statement.trim()}`,
      { cause },
    );
    this.code = db?.code;
  }
}

/** What migrate needs of a connection: a database or an open transaction. */
export type SqlRunner = Pick<AnyDb, 'execute'>;

const journalTable = (table: string) => sql`${sql.identifier(MIGRATIONS_SCHEMA)}.${sql.identifier(table)}`;
const ownJournal = journalTable(MIGRATIONS_TABLE);
const sharedJournal = journalTable(SHARED_TABLE);

/** What is running, for a ConnectionLostError's message. */
interface Progress {
  running: string;
}

export async function migrate(db: AnyDb, options: MigrateOptions = {}): Promise<MigrateResult> {
  const selection = selectMigrations(options);
  const progress: Progress = { running: 'migrate (taking the migration lock)' };
  try {
    return await primaryOf(db).transaction((tx) => applyMigrations(tx, selection, options, progress));
  } catch (e) {
    throw lostDuring(progress.running, e) ?? e;
  }
}

/**
 * The same work inside a transaction the caller opened (adoption runs it
 * between moving the legacy tables aside and copying their rows). Nothing is
 * committed here: the caller's transaction decides.
 */
export async function migrateInTransaction(tx: SqlRunner, options: MigrateOptions = {}): Promise<MigrateResult> {
  return applyMigrations(tx, selectMigrations(options), options, { running: 'migrate' });
}

/** The shipped migrations (read and hashed once) and those up to `to`. */
interface Selection {
  shipped: Migration[];
  wanted: Migration[];
}

function selectMigrations(options: MigrateOptions): Selection {
  const { lockTimeoutMs = DEFAULT_MIGRATION_LOCK_TIMEOUT_MS } = options;
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 1) {
    throw new FunctionArgumentError('migrate', 'lockTimeoutMs', `must be a positive integer, got ${lockTimeoutMs}`);
  }
  const shipped = readMigrations(options.migrationsFolder);
  if (options.to === undefined) return { shipped, wanted: shipped };
  const end = shipped.findIndex((m) => m.tag === options.to);
  if (end < 0) throw new FunctionArgumentError('migrate', 'to', `names no migration: ${JSON.stringify(options.to)}`);
  return { shipped, wanted: shipped.slice(0, end + 1) };
}

async function applyMigrations(
  tx: SqlRunner,
  { shipped, wanted }: Selection,
  options: MigrateOptions,
  progress: Progress,
): Promise<MigrateResult> {
  await lockMigrations(tx, options.lockTimeoutMs);
  await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS ${sql.identifier(MIGRATIONS_SCHEMA)}`);
  // The shape drizzle-kit creates, so `drizzle-kit migrate` can share it.
  await tx.execute(sql`CREATE TABLE IF NOT EXISTS ${ownJournal} (
    id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
  await takeOverSharedJournal(tx, shipped);
  const lastWhen = (await lastAppliedWhen(tx, shipped)) ?? -Infinity;
  const applied: string[] = [];
  // Same rule as drizzle-kit: a migration is pending when newer than the last applied.
  for (const m of wanted.filter((x) => x.when > lastWhen)) {
    for (const [i, statement] of m.statements.entries()) {
      progress.running = `migrate (migration ${m.tag}, statement ${i + 1} of ${m.statements.length})`;
      try {
        await tx.execute(sql.raw(statement));
      } catch (e) {
        throw lostDuring(progress.running, e) ?? new MigrationError(m.tag, i, statement, e);
      }
    }
    await tx.execute(sql`INSERT INTO ${ownJournal} (hash, created_at) VALUES (${m.hash}, ${m.when})`);
    applied.push(m.tag);
  }
  progress.running = 'migrate (premaking monthly partitions)';
  await premakeIfPresent(tx);
  progress.running = `migrate (committing ${applied.length} migration(s))`;
  return { applied };
}

/**
 * Once the partitioned tables exist (migration 0019 on), every migrate also
 * creates their partitions for this month and the next 12: a deploy a month
 * keeps writes from ever needing one on demand.
 */
async function premakeIfPresent(tx: SqlRunner): Promise<void> {
  const [{ present }] = rowsOf<{ present: boolean }>(
    await tx.execute(sql`SELECT to_regprocedure('public.premake_partitions(integer)') IS NOT NULL AS present`),
  ) as [{ present: boolean }];
  if (present) await tx.execute(sql`SELECT count(*) FROM premake_partitions(12)`);
}

const tableExists = async (tx: SqlRunner, table: string) =>
  rowsOf<{ present: boolean }>(
    await tx.execute(sql`SELECT to_regclass(${`${MIGRATIONS_SCHEMA}.${table}`}) IS NOT NULL AS present`),
  )[0]!.present;

/**
 * Moves the library's rows out of the shared journal into ours, recognised by
 * hash (a bot's migrations never hash like one of our files). Rows are moved,
 * not copied: left behind, a library row newer than the bot's next migration
 * would make drizzle-kit skip it. The bot's rows stay untouched, and running
 * this again finds nothing to move.
 */
async function takeOverSharedJournal(tx: SqlRunner, migrations: Migration[]): Promise<void> {
  if (!(await tableExists(tx, SHARED_TABLE))) return;
  const hashes = sql.join(
    migrations.map((m) => sql`${m.hash}`),
    sql`, `,
  );
  await tx.execute(sql`WITH ours AS (
      DELETE FROM ${sharedJournal} WHERE hash IN (${hashes}) RETURNING id, hash, created_at)
    INSERT INTO ${ownJournal} (hash, created_at)
    SELECT hash, created_at FROM ours
     WHERE hash NOT IN (SELECT hash FROM ${ownJournal}) ORDER BY id`);
}

/**
 * The newest applied library migration's `when`, or undefined when none is
 * recorded. Before the takeover (a database of library 0.1) the newest of
 * the library's rows in the shared journal stands in; a bot's rows never do.
 */
export async function lastAppliedWhen(tx: SqlRunner, migrations = readMigrations()): Promise<number | undefined> {
  const ours = await tableExists(tx, MIGRATIONS_TABLE);
  if (!ours && !(await tableExists(tx, SHARED_TABLE))) return undefined;
  const hashes = sql.join(
    migrations.map((m) => sql`${m.hash}`),
    sql`, `,
  );
  const [last] = rowsOf<{ created_at: string | number }>(
    await tx.execute(
      ours
        ? sql`SELECT created_at FROM ${ownJournal} ORDER BY created_at DESC LIMIT 1`
        : sql`SELECT created_at FROM ${sharedJournal} WHERE hash IN (${hashes}) ORDER BY created_at DESC LIMIT 1`,
    ),
  );
  return last ? Number(last.created_at) : undefined;
}

/**
 * Take the migration lock inside a transaction (adoption holds it while it
 * inspects the database), waiting at most `timeoutMs`; then
 * MigrationLockTimeoutError names the sessions holding it. The wait runs in
 * a savepoint, so the holders can still be read after the timeout.
 */
export async function lockMigrations(tx: SqlRunner, timeoutMs = DEFAULT_MIGRATION_LOCK_TIMEOUT_MS): Promise<void> {
  const setLockTimeout = (value: string) => tx.execute(sql`SELECT set_config('lock_timeout', ${value}, true)`);
  const [{ was }] = rowsOf<{ was: string }>(await tx.execute(sql`SELECT current_setting('lock_timeout') AS was`)) as [
    { was: string },
  ];
  await setLockTimeout(`${timeoutMs}ms`);
  await tx.execute(sql`SAVEPOINT iftb_migration_lock`);
  try {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
  } catch (e) {
    if (databaseErrorOf(e)?.code !== '55P03') throw e;
    await tx.execute(sql`ROLLBACK TO SAVEPOINT iftb_migration_lock`);
    throw new MigrationLockTimeoutError(timeoutMs, await migrationLockHolders(tx), e);
  }
  await tx.execute(sql`RELEASE SAVEPOINT iftb_migration_lock`);
  // The migration's own statements wait as the session would have.
  await setLockTimeout(was);
}

/** The sessions holding the migration lock in this database. */
async function migrationLockHolders(tx: SqlRunner): Promise<LockHolder[]> {
  return rowsOf<LockHolder>(
    await tx.execute(sql`
    SELECT a.pid, a.usename AS "user", nullif(a.application_name, '') AS application,
           a.client_addr::text AS client, a.state, to_char(a.state_change AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
      FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND (l.classid::bigint << 32 | l.objid::bigint) = ${MIGRATION_LOCK_KEY} AND l.objsubid = 1
     ORDER BY a.pid`),
  );
}
