/**
 * Migrating an empty database creates exactly the spec's objects, the same on
 * the test server, PGlite and an embedded PostgreSQL 18; a second migrate is a
 * no-op; drizzle-kit's own migrator and ours agree.
 */
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, createDb, type Db } from '../src/db.ts';
import { createPgliteDb } from '../src/pglite.ts';
import { migrate } from '../src/migrate.ts';
import { readMigrations } from '../src/migration-files.ts';
import * as tables from '../src/schema/tables.ts';
import * as readModels from '../src/schema/summaries.ts';
import { startEmbedded, type PgServer } from '../scripts/pg-server.ts';
import { emptyDatabase } from './support/db.ts';
import { readCatalog, type Catalog } from './support/catalog.ts';
import postgres from 'postgres';

const SPEC_TABLES = [
  'account_snapshots',
  'circuit_breaker_events',
  'daily_performance',
  'daily_pnl',
  'fear_greed_index',
  'funding_rates',
  'kill_switch_events',
  'llm_analyses',
  'llm_analysis_log',
  'ml_predictions',
  'ohlcv',
  'ohlcv_data',
  'orders',
  'positions',
  'system_events',
  'technical_signals',
  'trades',
  'trading_decisions',
  // The market read models (src/schema/summaries.ts).
  'funding_rates_latest',
  'ohlcv_data_daily',
  'ohlcv_data_hourly',
  'ohlcv_data_latest',
  'ohlcv_latest',
].sort();
const SPEC_VIEWS = [
  'v_active_positions',
  'v_analysis_performance',
  'v_decision_analysis',
  'v_funding_rate_analysis',
  'v_market_correlation',
  'v_market_data_summary',
  'v_recent_trades',
  'v_risk_summary',
  'v_volatility_analysis',
];
const SPEC_FUNCTIONS = [
  'calculate_daily_pnl',
  'calculate_position_pnl',
  'get_latest_fear_greed',
  'get_latest_funding_rate',
  'get_latest_ohlcv_price',
  'get_latest_price',
  'is_trading_allowed',
];
const UPDATED_AT_TABLES = [
  'circuit_breaker_events',
  'daily_performance',
  'daily_pnl',
  'kill_switch_events',
  'orders',
  'trades',
];

const drizzleTables = [...Object.values(tables), ...Object.values(readModels)].filter((t) =>
  is(t, PgTable),
) as PgTable[];
const sqlType = (t: string) => t.replace(/\s+/g, '').replace(/^varchar/, 'charactervarying');

/** A composite primary key's own name, else PostgreSQL's `<table>_pkey` for a column's. */
const primaryKeyName = (c: ReturnType<typeof getTableConfig>) => c.primaryKeys[0]?.getName() ?? `${c.name}_pkey`;

/** What the Drizzle tables say the catalog must hold. */
function expectedFromCode(): Catalog['tables'] {
  const out: Catalog['tables'] = {};
  for (const table of drizzleTables) {
    const c = getTableConfig(table);
    out[c.name] = {
      columns: c.columns.map((col) => `${col.name} ${sqlType(col.getSQLType())}${col.notNull ? ' notnull' : ''}`),
      constraints: [
        ...c.checks.map((k) => `${k.name} c`),
        ...c.uniqueConstraints.map((u) => `${u.getName()} u`),
        ...c.foreignKeys.map((f) => `${f.getName()} f`),
        `${primaryKeyName(c)} p`,
      ].sort(),
      indexes: [
        primaryKeyName(c),
        ...c.uniqueConstraints.map((u) => u.getName()!),
        ...c.indexes.map((i) => i.config.name!),
      ].sort(),
    };
  }
  return out;
}

const normalise = (cat: Catalog): Catalog['tables'] =>
  Object.fromEntries(
    Object.entries(cat.tables).map(([name, t]) => [
      name,
      {
        columns: t.columns.map((d) => {
          const [n, ...rest] = d.split(' ');
          return `${n} ${sqlType(rest.join(' ').replace(/ not null$/, ''))}${d.endsWith(' not null') ? ' notnull' : ''}`;
        }),
        constraints: [...t.constraints].sort(),
        indexes: [...t.indexes].sort(),
      },
    ]),
  );

function expectSpecObjects(cat: Catalog) {
  expect(Object.keys(cat.tables).sort()).toEqual(SPEC_TABLES);
  expect(normalise(cat)).toEqual(expectedFromCode());
  expect(cat.views).toEqual(SPEC_VIEWS);
  expect(cat.functions).toEqual(expect.arrayContaining(SPEC_FUNCTIONS));
  for (const t of UPDATED_AT_TABLES)
    expect(
      cat.triggers.some((tr) => tr.startsWith(`${t}.`)),
      `updated_at trigger on ${t}`,
    ).toBe(true);
  for (const t of ['positions', 'circuit_breaker_events', 'fear_greed_index', 'funding_rates']) {
    expect(
      cat.triggers.some((tr) => tr.startsWith(`${t}.`)),
      `trigger on ${t}`,
    ).toBe(true);
  }
}

describe('migrations on the test server', () => {
  let empty: Awaited<ReturnType<typeof emptyDatabase>>;
  let db: Db;
  beforeAll(async () => {
    empty = await emptyDatabase();
    db = createDb(empty.url, { max: 2 });
  });
  afterAll(async () => {
    await close(db);
    await empty.drop();
  });

  it('applies every bundled migration to an empty database', async () => {
    const { applied } = await migrate(db);
    expect(applied).toEqual(readMigrations().map((m) => m.tag));
  });

  it('creates exactly the spec objects, as the code declares them', async () => {
    expectSpecObjects(await readCatalog(db));
  });

  it('is a no-op the second time', async () => {
    const before = await readCatalog(db);
    expect((await migrate(db)).applied).toEqual([]);
    expect(await readCatalog(db)).toEqual(before);
  });

  it('records migrations in the library journal the shipped drizzle-kit config reads', async () => {
    const raw = postgres(empty.url, { max: 1 });
    const rows = await raw`SELECT hash, created_at FROM drizzle.__iftb_db_migrations ORDER BY id`;
    await raw.end();
    expect(rows.map((r) => [r.hash, Number(r.created_at)])).toEqual(readMigrations().map((m) => [m.hash, m.when]));
  });
});

describe('the same migrations on other engines', () => {
  let reference: Catalog;
  beforeAll(async () => {
    const empty = await emptyDatabase();
    const db = createDb(empty.url, { max: 1 });
    await migrate(db);
    reference = await readCatalog(db);
    await close(db);
    await empty.drop();
  });

  it('PGlite builds the identical catalog', async () => {
    const db = createPgliteDb();
    try {
      await migrate(db);
      const cat = await readCatalog(db);
      expectSpecObjects(cat);
      expect(cat).toEqual(reference);
    } finally {
      await close(db);
    }
  });

  it('an embedded PostgreSQL 18 builds the identical catalog', async () => {
    const server: PgServer = await startEmbedded();
    const db = createDb(server.adminUrl, { max: 1 });
    try {
      const raw = postgres(server.adminUrl, { max: 1 });
      const [version] = await raw`SHOW server_version_num`;
      await raw.end();
      expect(Number(version!.server_version_num)).toBeGreaterThanOrEqual(180000);
      await migrate(db);
      const cat = await readCatalog(db);
      expectSpecObjects(cat);
      expect(cat).toEqual(reference);
    } finally {
      await close(db);
      await server.stop();
    }
  });
});
