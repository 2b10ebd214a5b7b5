/**
 * Monthly partitions (migration 0019, ensure_partitions, premake_partitions):
 * converting a database that has rows keeps every row, id and value and
 * continues the identities, on the test server, an embedded PostgreSQL 18
 * and PGlite; the partitioned tables are what drizzle-kit generates from the
 * schema; partitions are made idempotently and concurrently; a write into a
 * month without one fails with MissingPartitionError.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, createDb, rowsOf, type AnyDb, type Db } from '../src/db.ts';
import { MissingPartitionError } from '../src/errors.ts';
import { ensurePartitions, premakePartitions } from '../src/functions/index.ts';
import { upsertCandles } from '../src/ingest/index.ts';
import { migrate, MigrationError } from '../src/migrate.ts';
import { createPgliteDb } from '../src/pglite.ts';
import { ohlcvData, systemEvents } from '../src/schema/index.ts';
import { monthlyPartitioned, partitionName } from '../src/schema/partitions.ts';
import { startEmbedded } from '../scripts/pg-server.ts';
import { emptyDatabase, freshPostgres, type TestDb } from './support/db.ts';

const BEFORE_PARTITIONS = '0018_daily_pnl_counts_sum_exactly';
const TABLES = Object.keys(monthlyPartitioned) as (keyof typeof monthlyPartitioned)[];
const q = async <T = Record<string, unknown>>(db: AnyDb, text: string) => rowsOf<T>(await db.execute(sql.raw(text)));

/** Rows in several months, from the far past to now, in every table that becomes partitioned. */
const SEED = [
  `INSERT INTO ohlcv (symbol, exchange, timeframe, "timestamp", open, high, low, close, volume) VALUES
     ('BTCUSDT', 'binance', '1d', '0050-03-01 00:00:00+00', 1, 2, 1, 1.5, 10),
     ('BTCUSDT', 'binance', '1d', '1970-01-01 00:00:00+00', 1, 2, 1, 1.5, 10),
     ('BTCUSDT', 'binance', '1m', '2024-02-29 23:59:59.999+00', 3, 4, 2, 3, 0)`,
  `INSERT INTO ohlcv_data (symbol, timeframe, "timestamp", open, high, low, close, volume, is_complete, data_source)
     SELECT 'ETHUSDT', '1h', t, 10, 11, 9, 10.5, 1.25, false, 'seed'
       FROM generate_series('1999-12-31 22:00:00+00'::timestamptz, '2000-01-01 02:00:00+00', '1 hour') t`,
  `INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
     VALUES ('ETHUSDT', '1M', 'bybit', '2025-07-01 00:00:00+00', 1, 1, 1, 1, 0)`,
  `INSERT INTO funding_rates (symbol, "timestamp", rate, mark_price, index_price, funding_interval_hours) VALUES
     ('BTCUSDT', '2023-05-05 08:00:00+00', 0.0001, 101, 100, 8), ('BTCUSDT', '2023-06-05 08:00:00+00', -0.0002, NULL, NULL, 4)`,
  `INSERT INTO llm_analysis_log (analysis_type, status, response_json, created_at) VALUES
     ('market', 'success', '{"a": 1}', '2021-01-31 23:59:59+00'), ('risk', 'error', NULL, '2021-02-01 00:00:00+00')`,
  `INSERT INTO system_events (event_type, severity, message, details, created_at) VALUES
     ('boot', 'info', 'started', '{"v": 1}', '1990-06-15 12:00:00+00'), ('halt', 'critical', 'stopped', NULL, now())`,
  // A row whose id was handed out and rolled back is not the last value: the sequence moved past it.
  `SELECT nextval('system_events_id_seq')`,
];

/** Every row of every partitioned table as text, in id order. */
async function contents(db: AnyDb): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES)
    out[t] = (await q<{ r: string }>(db, `SELECT t::text AS r FROM ${t} t ORDER BY id`)).map((r) => r.r);
  return out;
}

/** Migrate to 0018, seed, migrate the rest: the conversion keeps every row, and the identities continue. */
async function convertsWithRows(db: Db): Promise<void> {
  await migrate(db, { to: BEFORE_PARTITIONS });
  for (const statement of SEED) await db.execute(sql.raw(statement));
  const before = await contents(db);
  const lastIds = Object.fromEntries(
    await Promise.all(
      TABLES.map(async (t) => [
        t,
        Number((await q<{ n: string }>(db, `SELECT last_value AS n FROM ${t}_id_seq`))[0]!.n),
      ]),
    ),
  );
  const { applied } = await migrate(db);
  expect(applied[0]).toBe('0019_partition_by_month');
  expect(await contents(db)).toEqual(before);
  const kinds = await q<{ relname: string; relkind: string }>(
    db,
    `SELECT relname, relkind::text FROM pg_class WHERE relname = ANY ('{${TABLES.join(',')}}') ORDER BY 1`,
  );
  expect(kinds.map((k) => k.relkind)).toEqual(TABLES.map(() => 'p'));
  // The months the rows fall in, far past included.
  const partitions = (
    await q<{ n: string }>(db, `SELECT relname AS n FROM pg_class WHERE relispartition AND relkind = 'r'`)
  ).map((r) => r.n);
  expect(partitions).toEqual(
    expect.arrayContaining([
      'ohlcv_p005003',
      'ohlcv_p197001',
      'ohlcv_p202402',
      'ohlcv_data_p199912',
      'ohlcv_data_p200001',
      'ohlcv_data_p202507',
      'funding_rates_p202305',
      'funding_rates_p202306',
      'llm_analysis_log_p202101',
      'llm_analysis_log_p202102',
      'system_events_p199006',
      partitionName('system_events', new Date()),
    ]),
  );
  // No default partition, and 12 months ahead of this one.
  expect(await q(db, `SELECT 1 FROM pg_partitioned_table WHERE partdefid <> 0`)).toEqual([]);
  const ahead = new Date();
  ahead.setUTCDate(1);
  ahead.setUTCMonth(ahead.getUTCMonth() + 12);
  for (const t of TABLES) expect(partitions).toContain(partitionName(t, ahead));
  // Identities continue after the old last value; the funding trigger still derives.
  for (const t of TABLES) {
    const [{ id }] = (await q<{ id: string }>(
      db,
      t === 'system_events'
        ? `INSERT INTO system_events (event_type, severity, message) VALUES ('x', 'info', 'm') RETURNING id`
        : t === 'llm_analysis_log'
          ? `INSERT INTO llm_analysis_log (analysis_type) VALUES ('x') RETURNING id`
          : t === 'funding_rates'
            ? `INSERT INTO funding_rates (symbol, "timestamp", rate) VALUES ('X', now(), 0.0001) RETURNING id`
            : `INSERT INTO ${t} (symbol, exchange, timeframe, "timestamp", open, high, low, close, volume) VALUES ('X', 'x', '1m', now(), 1, 1, 1, 1, 0) RETURNING id`,
    )) as [{ id: string }];
    expect(Number(id), t).toBe(lastIds[t] + 1);
  }
  const [funding] = await q<{ rate_bps: string }>(db, `SELECT rate_bps FROM funding_rates WHERE symbol = 'X'`);
  expect(funding!.rate_bps).toBe('1.0000');
}

describe('migration 0019 converts a database with rows', () => {
  it('on the test server', async () => {
    const empty = await emptyDatabase();
    const db = createDb(empty.url, { max: 2 });
    try {
      await convertsWithRows(db);
    } finally {
      await close(db);
      await empty.drop();
    }
  });

  it('on PGlite', async () => {
    const db = createPgliteDb();
    try {
      await convertsWithRows(db);
    } finally {
      await close(db);
    }
  });

  it('on an embedded PostgreSQL 18', async () => {
    const server = await startEmbedded();
    const db = createDb(server.adminUrl, { max: 2 });
    try {
      await convertsWithRows(db);
    } finally {
      await close(db);
      await server.stop();
    }
  });

  it('refuses a NULL in a column that becomes part of a key, naming table and count, and changes nothing', async () => {
    const db = createPgliteDb();
    try {
      await migrate(db, { to: BEFORE_PARTITIONS });
      // A database whose created_at lost its NOT NULL outside the library.
      await db.execute(sql.raw(`ALTER TABLE system_events ALTER COLUMN created_at DROP NOT NULL`));
      await db.execute(
        sql.raw(`INSERT INTO system_events (event_type, severity, message, created_at) VALUES
        ('a', 'info', 'm', NULL), ('b', 'info', 'm', NULL), ('c', 'info', 'm', now())`),
      );
      const error = await migrate(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(/system_events: 2 row\(s\) with NULL in created_at IS NULL/);
      expect(await q(db, `SELECT relkind::text AS k FROM pg_class WHERE relname = 'system_events'`)).toEqual([
        { k: 'r' },
      ]);
      expect(await q(db, `SELECT count(*)::int AS n FROM system_events`)).toEqual([{ n: 3 }]);
    } finally {
      await close(db);
    }
  });
});

/**
 * drizzle-kit cannot see PARTITION BY: the partitioned parents must still be
 * exactly what it generates from src/schema (columns, defaults, identity,
 * CHECKs, keys, indexes), built here on a scratch database from its DDL.
 */
describe('the partitioned tables are what the schema says', () => {
  const root = resolve(import.meta.dirname, '..');
  let scratch: string;
  let generated: string[];
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'iftb-schema-ddl-'));
    writeFileSync(
      join(scratch, 'drizzle.config.mjs'),
      `export default ${JSON.stringify({
        dialect: 'postgresql',
        schema: join(root, 'src/schema/index.ts'),
        out: './out',
      })};\n`,
    );
    execFileSync(join(root, 'node_modules/.bin/drizzle-kit'), ['generate', '--config=drizzle.config.mjs'], {
      cwd: scratch,
      stdio: 'ignore',
      timeout: 120_000,
    });
    const file = readdirSync(join(scratch, 'out')).find((f) => f.endsWith('.sql'))!;
    generated = readFileSync(join(scratch, 'out', file), 'utf8')
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter(Boolean);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** Definitions of the five tables, as PostgreSQL prints them, partitioning aside. */
  async function definitions(db: AnyDb): Promise<string[]> {
    const list = `'{${TABLES.join(',')}}'`;
    const rows = await q<{ d: string }>(
      db,
      `
      SELECT c.relname || ' column ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
             || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
             || CASE a.attidentity WHEN 'd' THEN ' identity by default' WHEN 'a' THEN ' identity always' ELSE '' END AS d
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE c.relname = ANY (${list}) AND c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL
      SELECT c.relname || ' constraint ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
       WHERE c.relname = ANY (${list}) AND c.relnamespace = 'public'::regnamespace
      UNION ALL
      SELECT c.relname || ' index ' || replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ')
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
       WHERE c.relname = ANY (${list}) AND c.relnamespace = 'public'::regnamespace
      UNION ALL
      SELECT 'sequence ' || s.seqrelid::regclass::text || ' ' || s.seqstart || ' ' || s.seqincrement || ' ' || s.seqmax || ' ' || s.seqcache
        FROM pg_sequence s WHERE s.seqrelid::regclass::text = ANY (ARRAY(SELECT t || '_id_seq' FROM unnest(${list}::text[]) t))
      ORDER BY 1`,
    );
    return rows.map((r) => r.d);
  }

  it("columns, defaults, identities, constraints and indexes match drizzle-kit's DDL", async () => {
    const migrated = createPgliteDb();
    const fromSchema = createPgliteDb();
    try {
      await migrate(migrated);
      for (const statement of generated) await fromSchema.execute(sql.raw(statement));
      expect(await definitions(migrated)).toEqual(await definitions(fromSchema));
    } finally {
      await close(migrated);
      await close(fromSchema);
    }
  });
});

describe('making partitions', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshPostgres();
  });
  afterAll(async () => t?.dispose());

  it('ensurePartitions creates the missing months once; again it creates none', async () => {
    const from = new Date('1980-11-15T00:00:00Z');
    const to = new Date('1981-02-01T00:00:00Z');
    expect(await ensurePartitions(t.db, 'funding_rates', from, to)).toEqual([
      'funding_rates_p198011',
      'funding_rates_p198012',
      'funding_rates_p198101',
      'funding_rates_p198102',
    ]);
    expect(await ensurePartitions(t.db, 'funding_rates', from, to)).toEqual([]);
    // The bounds are UTC months.
    const [bound] = await q<{ b: string }>(
      t.db,
      `SELECT pg_get_expr(relpartbound, oid) AS b FROM pg_class WHERE relname = 'funding_rates_p198012'`,
    );
    expect(bound!.b).toBe(`FOR VALUES FROM ('1980-12-01 00:00:00+00') TO ('1981-01-01 00:00:00+00')`);
  });

  it('premakePartitions: nothing left to make after migrate, and runs again harmlessly', async () => {
    expect(await premakePartitions(t.db)).toEqual([]);
    expect(await premakePartitions(t.db, 0)).toEqual([]);
  });

  it("premake_partitions reaches back a week: in a month's first days last month's late rows have a partition", async () => {
    const [made] = await q<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM unnest(ARRAY['funding_rates', 'llm_analysis_log', 'ohlcv', 'ohlcv_data', 'system_events']) p
        WHERE to_regclass(p || '_p' || to_char(now() AT TIME ZONE 'UTC' - interval '7 days', 'YYYYMM')) IS NOT NULL
          AND to_regclass(p || '_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMM')) IS NOT NULL`,
    );
    expect(made!.n).toBe(5);
  });

  it('concurrent sessions making the same months all succeed, each month made once', async () => {
    const from = new Date('1960-01-01T00:00:00Z');
    const to = new Date('1962-12-31T00:00:00Z');
    const dbs = Array.from({ length: 4 }, () => createDb(t.url!, { max: 1 }));
    try {
      const made = await Promise.all(dbs.map((db) => ensurePartitions(db, 'ohlcv_data', from, to)));
      expect(made.flat().sort()).toEqual(
        Array.from({ length: 36 }, (_, i) => partitionName('ohlcv_data', new Date(Date.UTC(1960, i, 1)))),
      );
    } finally {
      await Promise.all(dbs.map(close));
    }
  });

  it('refuses any other table, a reversed range and infinity', async () => {
    for (const statement of [
      `SELECT ensure_partitions('trades', now(), now())`,
      `SELECT ensure_partitions('ohlcv_data_p202612', now(), now())`,
      `SELECT ensure_partitions('ohlcv_data', now(), now() - interval '1 day')`,
      `SELECT ensure_partitions('ohlcv_data', now(), 'infinity')`,
    ]) {
      const error = await t.db.execute(sql.raw(statement)).catch((e: unknown) => e);
      expect(error, statement).toBeInstanceOf(Error);
    }
    await expect(ensurePartitions(t.db, 'trades' as never, new Date())).rejects.toThrow(/table must be one of/);
  });

  it('partitions carry no privileges of their own: the bot reaches them through the parent', async () => {
    const acl = await q<{ relname: string; grantees: string[] }>(
      t.db,
      `
      SELECT c.relname, ARRAY(SELECT DISTINCT a.grantee::regrole::text FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner) AS grantees
        FROM pg_class c WHERE c.relispartition AND c.relkind = 'r'`,
    );
    expect(acl.length).toBeGreaterThan(60);
    expect(acl.filter((a) => a.grantees.length > 0)).toEqual([]);
  });

  it('a plain insert into a month without a partition fails with MissingPartitionError naming table, month and remedy', async () => {
    const candle = {
      symbol: 'BTCUSDT',
      timeframe: '1h',
      timestamp: new Date('1955-04-10T23:30:00-02:00'),
      open: '1',
      high: '1',
      low: '1',
      close: '1',
      volume: '0',
    } as const;
    const error = await t.db
      .insert(ohlcvData)
      .values(candle)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPartitionError);
    expect(error).toMatchObject({ table: 'ohlcv_data', month: '1955-04', code: '23514' });
    expect((error as Error).message).toMatch(
      /ohlcv_data: no partition for the month 1955-04 \(UTC\).*ensurePartitions\(db, 'ohlcv_data'/,
    );
    // The same inside a transaction, and in a nested one (savepoint).
    const inTx = await t.db
      .transaction(async (tx) =>
        tx.transaction(async (inner) =>
          inner
            .insert(systemEvents)
            .values({ eventType: 'x', severity: 'info', message: 'm', createdAt: new Date('1940-01-01T00:00:00Z') }),
        ),
      )
      .catch((e: unknown) => e);
    expect(inTx).toMatchObject({ name: 'MissingPartitionError', table: 'system_events', month: '1940-01' });
    // ensurePartitions is the remedy.
    await ensurePartitions(t.db, 'ohlcv_data', candle.timestamp);
    await t.db.insert(ohlcvData).values(candle);
  });

  it('upsertCandles makes the months it writes, backfills included, and again after a month was dropped', async () => {
    const rows = (year: number) =>
      Array.from({ length: 3 }, (_, i) => ({
        symbol: 'SOLUSDT',
        timeframe: '1d' as const,
        timestamp: new Date(Date.UTC(year, i * 5, 1)),
        open: '1',
        high: '2',
        low: '1',
        close: '1.5',
        volume: '3',
      }));
    expect(await upsertCandles(t.db, rows(1901), { table: 'ohlcv_data' })).toEqual({ inserted: 3, updated: 0 });
    // Streamed input (made inside the write's transaction).
    async function* stream() {
      yield* rows(1902);
    }
    expect(await upsertCandles(t.db, stream(), { table: 'ohlcv_data' })).toEqual({ inserted: 3, updated: 0 });
    // Retention dropped a month this handle knew: the next write makes it again.
    await t.db.execute(sql.raw(`DROP TABLE ohlcv_data_p190106`));
    expect(await upsertCandles(t.db, rows(1901), { table: 'ohlcv_data' })).toEqual({ inserted: 1, updated: 2 });
  });
});
