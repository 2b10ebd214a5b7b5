/**
 * The library keeps its own journal (drizzle.__iftb_db_migrations): our
 * migrate() and `drizzle-kit migrate` with the shipped config read and write
 * the same rows, a bot's journal never hides ours, and a database migrated
 * when both shared drizzle.__drizzle_migrations is taken over without
 * re-running or skipping anything.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { close, createDb, rowsOf, type Db } from '../src/db.ts';
import { migrate, MIGRATIONS_SCHEMA, MIGRATIONS_TABLE } from '../src/migrate.ts';
import { readMigrations } from '../src/migration-files.ts';
import { emptyDatabase } from './support/db.ts';

const run = promisify(execFile);
/** The shipped config as drizzle-kit loads it; it refuses to load without a database to name (the newcomer's run has none). */
const shippedConfig = await (async () => {
  const unset = process.env.DATABASE_URL === undefined && process.env.PGLITE_DIR === undefined;
  if (unset) process.env.DATABASE_URL = 'postgres://unused@127.0.0.1/unused';
  try {
    return (await import('../drizzle.config.mjs')).default;
  } finally {
    if (unset) delete process.env.DATABASE_URL;
  }
})();
const shipped = readMigrations();
const tags = shipped.map((m) => m.tag);

type Row = { hash: string; created_at: string };
const journalRows = async (db: Db, table: string) =>
  rowsOf<Row>(
    await db.execute(
      sql`SELECT hash, created_at::text FROM ${sql.identifier('drizzle')}.${sql.identifier(table)} ORDER BY id`,
    ),
  ).map((r) => [r.hash, Number(r.created_at)]);
const ours = (upTo = shipped.length) => shipped.slice(0, upTo).map((m) => [m.hash, m.when]);
const tableExists = async (db: Db, name: string) =>
  rowsOf<{ present: boolean }>(await db.execute(sql`SELECT to_regclass(${name}) IS NOT NULL AS present`))[0]!.present;

/** The shipped config, as a bot runs it: `drizzle-kit migrate --config <path>`. */
const drizzleKitMigrate = (url: string) =>
  run('npx', ['drizzle-kit', 'migrate', '--config', 'drizzle.config.mjs'], {
    env: { ...process.env, DATABASE_URL: url },
    timeout: 120_000,
  });

/**
 * A database as library 0.1 left it: the first `upTo` migrations applied and
 * recorded in the shared journal, interleaved with a bot's own rows.
 */
async function sharedJournalDatabase(db: Db, upTo: number, botRows: [string, number][]): Promise<void> {
  await migrate(db, { to: tags[upTo - 1] });
  await db.execute(sql`ALTER TABLE drizzle.__iftb_db_migrations RENAME TO __drizzle_migrations`);
  for (const [hash, when] of botRows) {
    await db.execute(sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${hash}, ${when})`);
  }
  await db.execute(sql`CREATE TABLE bot_notes (id int)`); // what the bot's migration made
}

describe('the library journal', () => {
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await dispose?.();
    dispose = undefined;
  });
  async function open() {
    const empty = await emptyDatabase();
    const db = createDb(empty.url, { max: 2 });
    dispose = async () => {
      await close(db);
      await empty.drop();
    };
    return { db, url: empty.url };
  }

  it('the shipped drizzle-kit config names the table migrate() uses', () => {
    expect(shippedConfig.migrations).toEqual({ schema: MIGRATIONS_SCHEMA, table: MIGRATIONS_TABLE });
  });

  it('migrate() writes only its own journal', async () => {
    const { db } = await open();
    await migrate(db);
    expect(await journalRows(db, MIGRATIONS_TABLE)).toEqual(ours());
    expect(await tableExists(db, 'drizzle.__drizzle_migrations')).toBe(false);
  });

  it('drizzle-kit migrate with the shipped config and migrate() continue each other', async () => {
    const { db, url } = await open();
    await migrate(db, { to: tags[5] });
    await drizzleKitMigrate(url);
    expect(await journalRows(db, MIGRATIONS_TABLE)).toEqual(ours());
    expect((await migrate(db)).applied).toEqual([]);
  }, 120_000);

  it('takes over a shared journal: our rows move, the bot keeps its own, nothing re-runs', async () => {
    const { db } = await open();
    const bot: [string, number][] = [
      ['bot-0000-hash', shipped[2]!.when + 1],
      ['bot-0001-hash', shipped[6]!.when + 1],
    ];
    await sharedJournalDatabase(db, 8, bot);
    const { applied } = await migrate(db);
    expect(applied).toEqual(tags.slice(8));
    expect(await journalRows(db, MIGRATIONS_TABLE)).toEqual(ours());
    expect(await journalRows(db, '__drizzle_migrations')).toEqual(bot);
    expect((await migrate(db)).applied).toEqual([]);
  });

  it('applies a library migration the shared journal would have skipped (the bot migrated later)', async () => {
    const { db } = await open();
    // The bot's newest row is newer than every library migration: drizzle's
    // "newer than the last row" rule on the shared table would apply nothing.
    const bot: [string, number][] = [['bot-late-hash', shipped.at(-1)!.when + 1_000]];
    await sharedJournalDatabase(db, shipped.length - 2, bot);
    expect((await migrate(db)).applied).toEqual(tags.slice(-2));
    expect(await journalRows(db, '__drizzle_migrations')).toEqual(bot);
  });

  it('a bot migration newer than ours never hides a library upgrade, and the other way round', async () => {
    const { db } = await open();
    await migrate(db, { to: tags.at(-2) });
    await db.execute(
      sql`CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
    );
    await db.execute(sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('bot', ${Date.now()})`);
    expect((await migrate(db)).applied).toEqual(tags.slice(-1));
    expect(await journalRows(db, '__drizzle_migrations')).toHaveLength(1);
  });
});
