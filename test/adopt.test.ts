/**
 * Adopting a database built by the seed's psql migrations: no row lost or
 * changed, rule breakers refused or quarantined, afterwards indistinguishable
 * from a freshly migrated database, and safe to interrupt.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptLegacyDatabase, AdoptionRefusedError, type AdoptReport } from '../src/adopt/index.ts';
import { close, createDb, rowsOf, type Db } from '../src/db.ts';
import { createPgliteDb } from '../src/pglite.ts';
import { isTradingAllowed } from '../src/functions/index.ts';
import { migrate, migrationsFolder } from '../src/migrate.ts';
import { LEGACY_TABLES } from '../src/adopt/legacy-catalog.ts';
import { typeMismatch } from '../src/adopt/rules.ts';
import { readCatalog } from './support/catalog.ts';
import { emptyDatabase, freshPglite, freshPostgres } from './support/db.ts';
import { definitionsQuery, fingerprint, legacyScript, legacyTemplate } from './support/legacy.ts';

/** The rows test/fixtures/legacy/rows.sql plants to break the library's rules. */
const RULE_BREAKERS = [
  { table: 'daily_pnl', id: 122, rule: 'daily_pnl_trade_counts_within_total' },
  {
    table: 'fear_greed_index',
    id: 151,
    rule: 'classification: trigger fear_greed_index_classify would store another value',
  },
  { table: 'kill_switch_events', id: 13, rule: 'kill_switch_events_deactivation_recorded' },
  { table: 'ohlcv', id: 2001, rule: 'ohlcv_high_is_highest' },
  { table: 'ohlcv', id: 2001, rule: 'ohlcv_low_is_lowest' },
  { table: 'ohlcv', id: 2002, rule: 'ohlcv_high_is_highest' },
  { table: 'ohlcv', id: 2002, rule: 'ohlcv_numbers_not_nan' },
  { table: 'ohlcv', id: 2003, rule: 'ohlcv_timeframe_allowed' },
  { table: 'system_events', id: 801, rule: 'created_at NOT NULL' },
  { table: 'technical_signals', id: 501, rule: 'technical_signals_timeframe_allowed' },
  { table: 'trades', id: 1501, rule: 'trades_closed_has_exit' },
];

const rows = async <T = Record<string, unknown>>(db: Db, text: string) => rowsOf<T>(await db.execute(sql.raw(text)));

/** Every row of every legacy table as JSON, by table and id. */
async function legacyRows(db: Db, schema = 'public'): Promise<Record<string, Map<number, Record<string, unknown>>>> {
  const out: Record<string, Map<number, Record<string, unknown>>> = {};
  for (const table of Object.keys(LEGACY_TABLES)) {
    const found = await rows<{ id: string; row: string }>(
      db,
      `SELECT id, to_jsonb(t)::text AS row FROM ${schema}.${table} t`,
    ).catch(() => []);
    out[table] = new Map(found.map((r) => [Number(r.id), JSON.parse(r.row) as Record<string, unknown>]));
  }
  return out;
}

let legacy: Awaited<ReturnType<typeof legacyTemplate>>;
const opened: { db: Db; raw: postgres.Sql }[] = [];
async function cloneLegacy() {
  const c = await legacy.clone();
  opened.push(c);
  return c;
}

beforeAll(async () => {
  legacy = await legacyTemplate();
});
afterAll(async () => {
  for (const c of opened) {
    await close(c.db);
    await c.raw.end();
  }
  await legacy?.drop();
});

describe('adopting a legacy database', () => {
  it('refuses, changing nothing, and names each row that breaks a rule (table, id, rule)', async () => {
    const { db } = await cloneLegacy();
    const before = await fingerprint(db);
    const error = await adoptLegacyDatabase(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdoptionRefusedError);
    expect((error as AdoptionRefusedError).rows).toEqual(RULE_BREAKERS);
    expect((error as Error).message).toContain('trades: trades_closed_has_exit: id 1501');
    expect(await fingerprint(db)).toEqual(before);
  });

  it('dry run: prints the plan and the row report, changes nothing', async () => {
    const { db } = await cloneLegacy();
    const before = await fingerprint(db);
    const lines: string[] = [];
    const report = await adoptLegacyDatabase(db, {
      dryRun: true,
      log: (l) => {
        lines.push(l);
      },
    });
    expect(report.outcome).toBe('dry-run');
    expect(report.problems).toEqual(RULE_BREAKERS);
    const text = lines.join('\n');
    for (const part of [
      'plan: drop legacy views',
      'plan: move tables',
      "plan: apply the library's migrations",
      'row report: 9 legacy row(s)',
      'plan: copy ohlcv_data: 3000 of 3000 rows',
      'Dry run: rolled back, nothing changed',
    ])
      expect(text).toContain(part);
    expect(await fingerprint(db)).toEqual(before);
  });

  describe('with quarantine', () => {
    let db: Db;
    let before: Awaited<ReturnType<typeof legacyRows>>;
    let report: AdoptReport;
    let legacyMaxIds: Record<string, number>;
    beforeAll(async () => {
      ({ db } = await cloneLegacy());
      before = await legacyRows(db);
      legacyMaxIds = Object.fromEntries(Object.entries(before).map(([t, m]) => [t, Math.max(...m.keys())]));
      report = await adoptLegacyDatabase(db, { quarantine: true });
    });

    it('keeps every legacy row with its id and values: in its table, or in iftb_quarantine with the rules it breaks', async () => {
      expect(report.outcome).toBe('adopted');
      const adopted = await legacyRows(db);
      const quarantined = await legacyRows(db, 'iftb_quarantine');
      for (const [table, legacyById] of Object.entries(before)) {
        const merged = new Map<number, Record<string, unknown>>(adopted[table]);
        for (const [id, row] of quarantined[table] ?? []) {
          const { quarantine_rules: rules, quarantined_at: _at, ...values } = row;
          expect(rules).toEqual(
            [...new Set(RULE_BREAKERS.filter((b) => b.table === table && b.id === id).map((b) => b.rule))].sort(),
          );
          expect(merged.has(id)).toBe(false);
          merged.set(id, values);
        }
        expect(merged.size, table).toBe(legacyById.size);
        for (const [id, row] of legacyById) expect(merged.get(id), `${table} id ${id}`).toEqual(row);
        expect(report.tables[table]).toEqual({
          legacy: legacyById.size,
          copied: adopted[table]!.size,
          quarantined: quarantined[table]?.size ?? 0,
        });
      }
      expect([...quarantined.ohlcv!.keys()].sort()).toEqual([2001, 2002, 2003]);
    });

    it('leaves a database indistinguishable from a freshly migrated one', async () => {
      const fresh = await freshPostgres();
      try {
        expect(await readCatalog(db)).toEqual(await readCatalog(fresh.db));
        expect(await definitions(db)).toEqual(await definitions(fresh.db));
        const journal = (d: Db) => rows(d, 'SELECT hash, created_at FROM drizzle.__iftb_db_migrations ORDER BY id');
        expect(await journal(db)).toEqual(await journal(fresh.db));
      } finally {
        await fresh.dispose();
      }
    });

    it('continues every identity sequence after the highest legacy id (quarantined ids stay free)', async () => {
      const [trade] = await rows<{ id: string }>(
        db,
        `INSERT INTO trades (trade_id, symbol, exchange, side, action, entry_price, quantity)
        VALUES ('after-adoption', 'BTCUSDT', 'binance', 'long', 'open', 64000, 0.1) RETURNING id`,
      );
      expect(Number(trade!.id)).toBe(legacyMaxIds.trades! + 1);
      const [event] = await rows<{ id: string }>(
        db,
        `INSERT INTO system_events (event_type, severity, message) VALUES ('adopted', 'info', 'ok') RETURNING id`,
      );
      expect(Number(event!.id)).toBe(legacyMaxIds.system_events! + 1);
    });

    it('the library works on it: migrate is a no-op, a second adoption does nothing, the guard answers', async () => {
      expect(await migrate(db)).toEqual({ applied: [] });
      const again = await adoptLegacyDatabase(db);
      expect(again.outcome).toBe('nothing-to-do');
      expect(again.message).toMatch(/nothing to do/);
      // The legacy is_trading_allowed() raised on every call; the library's answers.
      expect(await isTradingAllowed(db, { symbol: 'BTCUSDT' })).toMatchObject({ allowed: true });
      await rows(
        db,
        `INSERT INTO kill_switch_events (reason, trigger_source, activated_by) VALUES ('test', 'manual', 'test')`,
      );
      expect(await isTradingAllowed(db, { symbol: 'BTCUSDT' })).toMatchObject({ allowed: false });
    });

    it('a later library migration applies on top of the adopted journal', async () => {
      const later = withLaterMigration('9999_after_adoption', 'ALTER TABLE "trades" ADD COLUMN "adoption_probe" text;');
      try {
        expect(await migrate(db, { migrationsFolder: later.folder })).toEqual({ applied: ['9999_after_adoption'] });
        expect(
          await rows(
            db,
            `SELECT count(*) >= ${before.trades!.size - 1} AND bool_and(adoption_probe IS NULL) AS ok FROM trades`,
          ),
        ).toEqual([{ ok: true }]);
      } finally {
        later.remove();
        await rows(db, 'ALTER TABLE trades DROP COLUMN adoption_probe');
      }
    });
  });

  it('interrupted at any step (backend terminated), the legacy database is exactly as it was; a rerun completes', async () => {
    const { db, url, raw, name } = await cloneLegacy();
    const before = await fingerprint(db);
    const victimUrl = new URL(url);
    victimUrl.searchParams.set('application_name', 'iftb_adopt_victim');
    try {
      for (const when of [
        /^plan: move tables/,
        /^plan: apply the library/,
        /^row report/,
        /^quarantined rows of ohlcv/,
        /^copied trades/,
        /^copied circuit_breaker_events/,
      ]) {
        const victim = createDb(victimUrl.toString(), { max: 1 });
        let killed: Promise<unknown> | undefined;
        const outcome = await adoptLegacyDatabase(victim, {
          quarantine: true,
          log: async (line) => {
            if (killed || !when.test(line)) return;
            // Only the adopting backend of this test's own database; adoption waits for this.
            killed = raw`SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity
                          WHERE datname = ${name} AND application_name = 'iftb_adopt_victim'`.execute();
            await killed;
          },
        }).then(
          () => 'completed',
          (e: unknown) => e,
        );
        await killed;
        await close(victim).catch(() => {});
        expect(outcome, String(when)).not.toBe('completed');
        expect(await fingerprint(db), String(when)).toEqual(before);
      }
      const report = await adoptLegacyDatabase(db, { quarantine: true });
      expect(report.outcome).toBe('adopted');
    } finally {
      // (connections closed in afterAll)
    }
  });
});

const definitions = async (d: Db) =>
  Object.fromEntries(
    (await rows<{ k: string; v: string }>(d, definitionsQuery))
      .filter((r) => !r.k.startsWith('schema iftb_quarantine'))
      .map((r) => [r.k, r.v]),
  );

it('on PGlite too: adopted with quarantine, the catalog equals a freshly migrated PGlite', {
  timeout: 180_000,
}, async () => {
  const db = createPgliteDb();
  const fresh = await freshPglite();
  try {
    await (db as unknown as { $client: { exec(text: string): Promise<unknown> } }).$client.exec(legacyScript());
    const report = await adoptLegacyDatabase(db, { quarantine: true });
    expect(report.problems).toEqual(RULE_BREAKERS);
    expect(report.tables.ohlcv_data).toEqual({ legacy: 3000, copied: 3000, quarantined: 0 });
    expect(await readCatalog(db)).toEqual(await readCatalog(fresh.db));
    expect(await definitions(db)).toEqual(await definitions(fresh.db));
  } finally {
    await close(db);
    await fresh.dispose();
  }
});

/** The migrations folder plus one later migration. */
function withLaterMigration(tag: string, text: string): { folder: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'iftb-adopt-next-'));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
    entries: { idx: number; when: number; tag: string }[];
  };
  const last = journal.entries.at(-1)!;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
  writeFileSync(journalPath, JSON.stringify(journal));
  writeFileSync(join(folder, `${tag}.sql`), text);
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

it("rules are read from the library's catalog: a later migration's dropped column, narrower type and new CHECK are honoured", async () => {
  const { db } = await cloneLegacy();
  const later = withLaterMigration(
    '9999_stricter',
    [
      'ALTER TABLE "trades" DROP COLUMN "decision_reasons";',
      'ALTER TABLE "technical_signals" ALTER COLUMN "rsi_signal" TYPE varchar(4);',
      'ALTER TABLE "kill_switch_events" ADD CONSTRAINT "kill_switch_events_reason_short" CHECK (char_length("reason") < 12);',
    ].join('--> statement-breakpoint\n'),
  );
  try {
    const report = await adoptLegacyDatabase(db, { dryRun: true, migrationsFolder: later.folder });
    const count = (table: string, rule: string) =>
      report.problems.filter((p) => p.table === table && p.rule === rule).length;
    // Every legacy trade but the planted one carries decision_reasons: with no column to go to, each is reported.
    expect(count('trades', "decision_reasons: no column for it in the library's schema")).toBe(1500);
    expect(count('technical_signals', 'rsi_signal character varying(4): longer than 4 characters')).toBe(500);
    expect(count('kill_switch_events', 'kill_switch_events_reason_short')).toBe(12);
    expect(report.applied.at(-1)).toBe('9999_stricter');
  } finally {
    later.remove();
  }
});

describe('what adoption refuses or leaves alone', () => {
  it("a database that is neither legacy nor the library's: refused, nothing changed, each difference named", async () => {
    const { db } = await cloneLegacy();
    await rows(db, 'ALTER TABLE trades ADD COLUMN notes text');
    await rows(db, 'DROP VIEW v_volatility_analysis');
    await rows(db, 'DROP TABLE ml_predictions');
    await rows(db, 'CREATE TABLE my_table (id int)');
    const before = await fingerprint(db);
    const error = (await adoptLegacyDatabase(db).catch((e: unknown) => e)) as AdoptionRefusedError;
    expect(error).toBeInstanceOf(AdoptionRefusedError);
    expect(error.problems).toEqual([
      'column trades.notes is not part of the legacy schema',
      'table ml_predictions of the legacy schema is missing',
      'table my_table is not part of the legacy schema',
    ]);
    expect(error.message).toContain('neither the legacy IFTB schema');
    expect(await fingerprint(db)).toEqual(before);
  });

  it('a legacy database where drizzle-kit migrate failed (an empty journal table) is still adopted', async () => {
    const { db } = await cloneLegacy();
    await rows(db, 'CREATE SCHEMA drizzle');
    await rows(
      db,
      'CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)',
    );
    const report = await adoptLegacyDatabase(db, { dryRun: true });
    expect(report.outcome).toBe('dry-run');
    expect(report.applied[0]).toBe('0000_tables');
  });

  it('a freshly migrated database: nothing to do, and says so', async () => {
    const fresh = await freshPostgres();
    try {
      const before = await fingerprint(fresh.db);
      const report = await adoptLegacyDatabase(fresh.db);
      expect(report).toMatchObject({
        outcome: 'nothing-to-do',
        message: "Already at the library's current schema (adopted or migrated): nothing to do.",
      });
      expect(await fingerprint(fresh.db)).toEqual(before);
    } finally {
      await fresh.dispose();
    }
  });

  it('an empty database: says to use migrate', async () => {
    const empty = await emptyDatabase();
    const db = createDb(empty.url, { max: 1 });
    try {
      const report = await adoptLegacyDatabase(db);
      expect(report.outcome).toBe('empty');
      expect(report.message).toMatch(/migrate\(db\)/);
      expect(await rows(db, `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'drizzle'`)).toEqual([
        { n: 0 },
      ]);
    } finally {
      await close(db);
      await empty.drop();
    }
  });
});

describe('column type changes adoption can check', () => {
  it('exact widenings need no check; narrowings get a value check; anything else is refused', () => {
    expect(typeMismatch('n', 'integer', 'bigint')).toBeUndefined();
    expect(typeMismatch('n', 'numeric(20,8)', 'numeric')).toBeUndefined();
    expect(typeMismatch('s', 'character varying(20)', 'text')).toBeUndefined();
    expect(typeMismatch('p', 'numeric(20,8)', 'numeric(10,4)')).toEqual({
      rule: 'p numeric(10,4): value does not fit exactly',
      predicate: `"p" = 'NaN' OR abs("p") >= 1e6 OR round("p", 4) <> "p"`,
    });
    expect(typeMismatch('s', 'text', 'character varying(5)')?.predicate).toBe('char_length("s") > 5');
    expect(() => typeMismatch('t', 'timestamp without time zone', 'timestamp with time zone')).toThrow(/no exact copy/);
    expect(() => typeMismatch('n', 'bigint', 'integer')).toThrow(/no exact copy/);
  });
});
