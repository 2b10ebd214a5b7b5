/**
 * Least-privilege roles (SPEC section 6), proven with SET ROLE on the real
 * server: what analyst and trading_bot may and may not do, that nothing is
 * granted to PUBLIC, that later objects inherit the grants, and that a
 * migrating owner without CREATEROLE still migrates.
 */
import { randomBytes } from 'node:crypto';
import { eq, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { close, createDb, rowsOf, type Db } from '../src/db.ts';
import { createPgliteDb } from '../src/pglite.ts';
import { migrate } from '../src/migrate.ts';
import { readMigrations } from '../src/migration-files.ts';
import { isTradingAllowed } from '../src/functions/index.ts';
import * as schema from '../src/schema/tables.ts';
import * as readModels from '../src/schema/summaries.ts';
import { emptyDatabase, freshPostgres, type TestDb } from './support/db.ts';

const DENIED = '42501';
const AUDIT_LOGS = ['llm_analysis_log', 'system_events'];
/** Kept by triggers: everyone reads them, nobody writes them directly. */
const READ_MODELS = [
  'ohlcv_latest',
  'ohlcv_data_latest',
  'ohlcv_data_hourly',
  'ohlcv_data_daily',
  'funding_rates_latest',
];
/** Every table the library creates: the domain tables and the read models. */
const isTable = (x: unknown) => is(x, PgTable);
const TABLE_COUNT = Object.values(schema).filter(isTable).length + READ_MODELS.length;
/** A column every table has, for privilege probes that must parse. */
const columnOf = (table: string) => (READ_MODELS.includes(table) ? 'symbol' : 'created_at');
const READ_ONLY_CALLS = {
  get_latest_price: `SELECT get_latest_price('BTCUSDT', 'binance')`,
  get_latest_ohlcv_price: `SELECT get_latest_ohlcv_price('BTCUSDT')`,
  calculate_position_pnl: `SELECT * FROM calculate_position_pnl(1, 100)`,
  is_trading_allowed: `SELECT * FROM is_trading_allowed()`,
  get_latest_fear_greed: `SELECT * FROM get_latest_fear_greed()`,
  get_latest_funding_rate: `SELECT * FROM get_latest_funding_rate('BTCUSDT')`,
};
const DAILY_PNL_CALL = `SELECT * FROM calculate_daily_pnl(DATE '2024-03-01')`;

let t: TestDb;
let relations: { relname: string; relkind: string }[];
/** The library's tables, partitioned parents included (their partitions are reached through them). */
const baseTables = () => relations.filter((r) => r.relkind === 'r' || r.relkind === 'p').map((r) => r.relname);

beforeAll(async () => {
  t = await freshPostgres();
  // calculate_daily_pnl needs a balance for the day it computes.
  await t.db.insert(schema.accountSnapshots).values({
    exchange: 'binance',
    timestamp: new Date('2024-03-01T00:00:00Z'),
    balance: '10000',
    equity: '10000',
  });
  relations = await t.sql!<{ relname: string; relkind: string }[]>`
    SELECT relname, relkind::text FROM pg_class
     WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'm') AND NOT relispartition ORDER BY relname`;
});
afterAll(() => t?.dispose());

class Rollback extends Error {}

/** Runs one statement as `role` and rolls back: 'ok', or the SQLSTATE it failed with. */
async function attempt(role: string, statement: string): Promise<string> {
  try {
    await t.sql!.begin(async (tx) => {
      await tx.unsafe(`SET LOCAL ROLE ${role}`);
      await tx.unsafe(statement);
      throw new Rollback();
    });
  } catch (e) {
    if (e instanceof Rollback) return 'ok';
    return (e as { code?: string }).code ?? String(e);
  }
  return 'ok';
}

/** Runs `work` as `role` in a committed transaction, through the typed query builder. */
function as<T>(role: 'analyst' | 'trading_bot', work: (db: Db) => Promise<T>): Promise<T> {
  return t.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`SET LOCAL ROLE ${role}`));
    return work(tx as unknown as Db);
  });
}

const outcomes = async (role: string, statements: Record<string, string>) =>
  Object.fromEntries(
    await Promise.all(Object.entries(statements).map(async ([k, s]) => [k, await attempt(role, s)] as const)),
  );

it('the library has its 18 tables and 5 read models, and the roles exist as NOLOGIN groups', async () => {
  expect(baseTables()).toHaveLength(TABLE_COUNT);
  expect(Object.values(readModels).filter(isTable)).toHaveLength(READ_MODELS.length);
  const roles = await t.sql!`SELECT rolname, rolcanlogin FROM pg_roles
    WHERE rolname IN ('analyst', 'trading_bot', 'iftb_maintenance') ORDER BY 1`;
  expect(roles).toEqual([
    { rolname: 'analyst', rolcanlogin: false },
    { rolname: 'iftb_maintenance', rolcanlogin: false },
    { rolname: 'trading_bot', rolcanlogin: false },
  ]);
});

it('the guard really answers for both roles, not its fail-closed "Trading guard failed" on a missing grant', async () => {
  for (const role of ['analyst', 'trading_bot'] as const) {
    expect(await as(role, (db) => isTradingAllowed(db, { symbol: 'BTCUSDT' })), role).toEqual({
      allowed: true,
      reason: 'Trading allowed',
      cooldownExpires: null,
    });
  }
});

describe('analyst', () => {
  it('can SELECT every table and view', async () => {
    const results = await outcomes(
      'analyst',
      Object.fromEntries(relations.map((r) => [r.relname, `SELECT * FROM "${r.relname}" LIMIT 1`])),
    );
    expect(results).toEqual(Object.fromEntries(relations.map((r) => [r.relname, 'ok'])));
  });

  it('cannot INSERT, UPDATE, DELETE or TRUNCATE any table', async () => {
    for (const table of baseTables()) {
      expect(
        await outcomes('analyst', {
          insert: `INSERT INTO "${table}" DEFAULT VALUES`,
          update: `UPDATE "${table}" SET ${columnOf(table)} = ${columnOf(table)} WHERE false`,
          delete: `DELETE FROM "${table}" WHERE false`,
          truncate: `TRUNCATE "${table}"`,
        }),
        table,
      ).toEqual({ insert: DENIED, update: DENIED, delete: DENIED, truncate: DENIED });
    }
  });

  it('can EXECUTE the read-only functions, not calculate_daily_pnl', async () => {
    expect(await outcomes('analyst', { ...READ_ONLY_CALLS, calculate_daily_pnl: DAILY_PNL_CALL })).toEqual({
      ...Object.fromEntries(Object.keys(READ_ONLY_CALLS).map((k) => [k, 'ok'])),
      calculate_daily_pnl: DENIED,
    });
  });

  it('cannot create objects in schema public', async () => {
    expect(await attempt('analyst', 'CREATE TABLE public.analyst_scratch (id int)')).toBe(DENIED);
  });
});

describe('trading_bot', () => {
  it('can SELECT every table and view, and INSERT and UPDATE every table but the audit logs and read models', async () => {
    const selects = await outcomes(
      'trading_bot',
      Object.fromEntries(relations.map((r) => [r.relname, `SELECT * FROM "${r.relname}" LIMIT 1`])),
    );
    expect(
      Object.values(selects).every((o) => o === 'ok'),
      JSON.stringify(selects),
    ).toBe(true);
    for (const table of baseTables()) {
      // Privileges are checked before constraints: a NOT NULL violation means INSERT was allowed.
      const insert = await attempt('trading_bot', `INSERT INTO "${table}" DEFAULT VALUES`);
      if (READ_MODELS.includes(table)) expect(insert, table).toBe(DENIED);
      else expect(insert, table).not.toBe(DENIED);
      const update = await attempt(
        'trading_bot',
        `UPDATE "${table}" SET ${columnOf(table)} = ${columnOf(table)} WHERE false`,
      );
      expect(update, table).toBe(AUDIT_LOGS.includes(table) || READ_MODELS.includes(table) ? DENIED : 'ok');
    }
  });

  it('keeps the read models current through its writes (the trigger functions are SECURITY DEFINER)', async () => {
    await as('trading_bot', async (db) => {
      await db.execute(
        sql.raw(`
        INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
        VALUES ('BOTUSDT', '1m', 'binance', '2024-03-01T00:01:00Z', 10, 11, 9, 10.5, 3)
        ON CONFLICT (symbol, timeframe, exchange, "timestamp") DO UPDATE SET close = excluded.close`),
      );
      await db.execute(
        sql.raw(`
        INSERT INTO ohlcv (symbol, exchange, timeframe, "timestamp", open, high, low, close, volume)
        VALUES ('BOTUSDT', 'binance', '1m', '2024-03-01T00:01:00Z', 10, 11, 9, 10.5, 3)`),
      );
      await db.execute(sql.raw(`UPDATE ohlcv SET close = 10.25 WHERE symbol = 'BOTUSDT'`));
    });
    const [row] =
      await t.sql!`SELECT get_latest_price('BOTUSDT', 'binance') AS ohlcv, get_latest_ohlcv_price('BOTUSDT') AS data,
      (SELECT candle_count FROM ohlcv_data_hourly WHERE symbol = 'BOTUSDT') AS candles`;
    expect(row).toEqual({ ohlcv: '10.25000000', data: '10.50000000', candles: 1 });
    // Only maintenance rebuilds them.
    expect(await attempt('trading_bot', 'SELECT refresh_market_summaries()')).toBe(DENIED);
    expect(await attempt('trading_bot', `SELECT refresh_read_models('ohlcv_data')`)).toBe(DENIED);
  });

  it('cannot DELETE, TRUNCATE, ALTER, DROP or create tables and indexes', async () => {
    for (const table of baseTables()) {
      expect(
        await outcomes('trading_bot', {
          delete: `DELETE FROM "${table}" WHERE false`,
          truncate: `TRUNCATE "${table}"`,
          alter: `ALTER TABLE "${table}" ADD COLUMN bot_column int`,
          drop: `DROP TABLE "${table}"`,
          index: `CREATE INDEX ON "${table}" (created_at)`,
          trigger: `CREATE TRIGGER bot_trigger BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()`,
        }),
        table,
      ).toEqual({ delete: DENIED, truncate: DENIED, alter: DENIED, drop: DENIED, index: DENIED, trigger: DENIED });
    }
    expect(await attempt('trading_bot', 'CREATE TABLE public.bot_scratch (id int)')).toBe(DENIED);
    expect(await attempt('trading_bot', 'CREATE VIEW public.bot_view AS SELECT 1 AS x')).toBe(DENIED);
  });

  it('holds no DELETE, TRUNCATE, REFERENCES or TRIGGER anywhere, no write on views, no UPDATE on audit logs', async () => {
    const extra = await t.sql!`
      SELECT c.relname, p.privilege FROM pg_class c
       CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p(privilege)
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
         AND has_table_privilege('trading_bot', c.oid, p.privilege)
         AND (c.relkind IN ('v', 'm') OR p.privilege NOT IN ('INSERT', 'UPDATE')
              OR (p.privilege = 'UPDATE' AND c.relname = ANY (${AUDIT_LOGS})))`;
    expect(extra).toEqual([]);
  });

  it('uses the sequences', async () => {
    const sequences = await t.sql!<{ seq: string }[]>`
      SELECT c.oid::regclass::text AS seq FROM pg_class c
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'`;
    expect(sequences.length).toBeGreaterThanOrEqual(18);
    const results = await outcomes(
      'trading_bot',
      Object.fromEntries(sequences.map(({ seq }) => [seq, `SELECT nextval('${seq}'), currval('${seq}')`])),
    );
    expect(
      Object.values(results).every((o) => o === 'ok'),
      JSON.stringify(results),
    ).toBe(true);
    expect(await attempt('analyst', `SELECT nextval('${sequences[0]!.seq}')`)).toBe(DENIED);
  });

  it('can EXECUTE every function, calculate_daily_pnl included, but apply_retention and the read-model rebuilds', async () => {
    expect(await outcomes('trading_bot', { ...READ_ONLY_CALLS, calculate_daily_pnl: DAILY_PNL_CALL })).toEqual(
      Object.fromEntries([...Object.keys(READ_ONLY_CALLS), 'calculate_daily_pnl'].map((k) => [k, 'ok'])),
    );
    const notExecutable = await t.sql!`
      SELECT p.oid::regprocedure::text AS fn FROM pg_proc p
       WHERE p.pronamespace = 'public'::regnamespace AND NOT has_function_privilege('trading_bot', p.oid, 'EXECUTE')
       ORDER BY 1`;
    expect(notExecutable).toEqual([
      { fn: 'apply_retention(jsonb,boolean)' },
      { fn: 'refresh_market_summaries(timestamp with time zone,timestamp with time zone)' },
      { fn: 'refresh_read_models(text,timestamp with time zone,timestamp with time zone)' },
    ]);
  });

  it('writes rows that fire triggers (the trigger functions run as trading_bot)', async () => {
    const inserted = await as('trading_bot', async (db) => {
      const [trade] = await db
        .insert(schema.trades)
        .values({
          tradeId: 'T-bot-1',
          symbol: 'ETHUSDT',
          exchange: 'binance',
          side: 'short',
          action: 'open',
          entryPrice: '3000',
          quantity: '1',
        })
        .returning();
      const [position] = await db
        .insert(schema.positions)
        .values({
          symbol: 'ETHUSDT',
          exchange: 'binance',
          side: 'short',
          entryPrice: '3000',
          quantity: '1',
          margin: '300',
          tradeId: 'T-bot-1',
        })
        .returning();
      const [fearGreed] = await db
        .insert(schema.fearGreedIndex)
        .values({ timestamp: new Date('2024-03-01T00:00:00Z'), value: 80 })
        .returning();
      const [funding] = await db
        .insert(schema.fundingRates)
        .values({ symbol: 'ETHUSDT', timestamp: new Date('2024-03-01T08:00:00Z'), rate: '0.0001' })
        .returning();
      const [breaker] = await db
        .insert(schema.circuitBreakerEvents)
        .values({
          reason: 'bot test',
          triggerType: 'rapid_loss',
          triggeredAt: new Date('2024-03-01T00:00:00Z'),
          cooldownHours: '2',
        })
        .returning();
      return { trade: trade!, position: position!, fearGreed: fearGreed!, funding: funding!, breaker: breaker! };
    });
    expect(inserted.fearGreed.classification).toBe('extreme_greed');
    expect(inserted.funding.rateBps).toBe('1.0000');
    expect(inserted.breaker.cooldownExpiresAt).toEqual(new Date('2024-03-01T02:00:00Z'));

    // A later transaction: the timestamp triggers move updated_at / last_updated forward.
    const updated = await as('trading_bot', async (db) => {
      const [trade] = await db
        .update(schema.trades)
        .set({ action: 'close', exitPrice: '2900', exitTime: new Date(), realizedPnl: '100' })
        .where(eq(schema.trades.id, inserted.trade.id))
        .returning();
      const [position] = await db
        .update(schema.positions)
        .set({ currentPrice: '2950' })
        .where(eq(schema.positions.id, inserted.position.id))
        .returning();
      const [fearGreed] = await db
        .update(schema.fearGreedIndex)
        .set({ value: 10 })
        .where(eq(schema.fearGreedIndex.id, inserted.fearGreed.id))
        .returning();
      return { trade: trade!, position: position!, fearGreed: fearGreed! };
    });
    expect(updated.trade.updatedAt.getTime()).toBeGreaterThan(inserted.trade.updatedAt.getTime());
    expect(updated.position.lastUpdated.getTime()).toBeGreaterThan(inserted.position.lastUpdated.getTime());
    expect(updated.fearGreed.classification).toBe('extreme_fear');
  });

  it('appends to the audit logs but cannot change or delete entries', async () => {
    const [event] = await as('trading_bot', (db) =>
      db.insert(schema.systemEvents).values({ eventType: 'bot_start', severity: 'info', message: 'hello' }).returning(),
    );
    const [call] = await as('trading_bot', (db) =>
      db.insert(schema.llmAnalysisLog).values({ analysisType: 'market', symbol: 'BTCUSDT' }).returning(),
    );
    expect(
      await outcomes('trading_bot', {
        updateEvent: `UPDATE system_events SET message = 'rewritten' WHERE id = ${event!.id}`,
        deleteEvent: `DELETE FROM system_events WHERE id = ${event!.id}`,
        updateCall: `UPDATE llm_analysis_log SET status = 'error' WHERE id = ${call!.id}`,
        deleteCall: `DELETE FROM llm_analysis_log WHERE id = ${call!.id}`,
        upsertEvent: `INSERT INTO system_events (id, event_type, severity, message) VALUES (${event!.id}, 'x', 'info', 'x')
                    ON CONFLICT ON CONSTRAINT system_events_pkey DO UPDATE SET message = 'rewritten'`,
      }),
    ).toEqual({
      updateEvent: DENIED,
      deleteEvent: DENIED,
      updateCall: DENIED,
      deleteCall: DENIED,
      upsertEvent: DENIED,
    });
    const [kept] = await t.sql!`SELECT message FROM system_events WHERE id = ${event!.id}`;
    expect(kept).toEqual({ message: 'hello' });
  });
});

/** Every privilege PUBLIC holds on a table, view, sequence or function in schema public (NULL ACL = the default). */
const PUBLIC_PRIVILEGES = `
  SELECT c.oid::regclass::text AS object, a.privilege_type
    FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))) a
   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND a.grantee = 0
  UNION ALL
  SELECT p.oid::regprocedure::text, a.privilege_type
    FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
   WHERE p.pronamespace = 'public'::regnamespace AND a.grantee = 0
  UNION ALL
  SELECT 'schema public', a.privilege_type
    FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
   WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type <> 'USAGE'`;

describe('PUBLIC', () => {
  it('holds no privilege on any table, view, sequence or function, nor CREATE on schema public', async () => {
    const objects = await t.sql!`
      SELECT count(*) FILTER (WHERE relkind = 'S')::int AS sequences, count(*) FILTER (WHERE relkind = 'v')::int AS views,
             (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'public'::regnamespace) AS functions
        FROM pg_class WHERE relnamespace = 'public'::regnamespace`;
    expect(objects[0]!.sequences).toBeGreaterThan(0);
    expect(objects[0]!.functions).toBeGreaterThan(0);
    expect(await t.sql!.unsafe(PUBLIC_PRIVILEGES)).toEqual([]);
  });
});

describe('default privileges', () => {
  it('give objects that later migrations create the same grants, and nothing to PUBLIC', async () => {
    // The template was migrated by the admin user, as this connection is.
    await t.sql!.unsafe(`
      CREATE TABLE later_table (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, note text,
                                created_at timestamptz NOT NULL DEFAULT now());
      CREATE FUNCTION later_function() RETURNS int LANGUAGE sql AS 'SELECT 1';`);
    const [privileges] = await t.sql!`SELECT
        has_table_privilege('analyst', 'later_table', 'SELECT') AS analyst_select,
        has_table_privilege('analyst', 'later_table', 'INSERT') AS analyst_insert,
        has_table_privilege('trading_bot', 'later_table', 'SELECT, INSERT, UPDATE') AS bot_write,
        has_table_privilege('trading_bot', 'later_table', 'DELETE') AS bot_delete,
        has_table_privilege('trading_bot', 'later_table', 'TRUNCATE') AS bot_truncate,
        has_sequence_privilege('trading_bot', pg_get_serial_sequence('later_table', 'id'), 'USAGE') AS bot_sequence,
        has_function_privilege('trading_bot', 'later_function()', 'EXECUTE') AS bot_execute,
        has_function_privilege('analyst', 'later_function()', 'EXECUTE') AS analyst_execute`;
    expect(privileges).toEqual({
      analyst_select: true,
      analyst_insert: false,
      bot_write: true,
      bot_delete: false,
      bot_truncate: false,
      bot_sequence: true,
      bot_execute: true,
      analyst_execute: false,
    });
    expect(await t.sql!.unsafe(PUBLIC_PRIVILEGES)).toEqual([]);
    expect(await attempt('trading_bot', `INSERT INTO later_table (note) VALUES ('new') RETURNING id`)).toBe('ok');
  });
});

describe('a migrating owner without CREATEROLE', () => {
  const owner = `iftb_owner_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const admin = () => postgres(inject('adminUrl'), { max: 1, onnotice: () => {} });

  afterAll(async () => {
    const a = admin();
    await a.unsafe(`DROP ROLE IF EXISTS "${owner}"`);
    await a.end();
  });

  it('migrates everything, granting to the group roles that already exist', async () => {
    const a = admin();
    await a.unsafe(`CREATE ROLE "${owner}" LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD '${password}'`);
    await a.end();
    const target = await emptyDatabase();
    try {
      const b = admin();
      await b.unsafe(`ALTER DATABASE "${target.name}" OWNER TO "${owner}"`);
      await b.end();
      const url = new URL(target.url);
      url.username = owner;
      url.password = password;
      const notices: string[] = [];
      const db = createDb(url.toString(), { max: 1, onNotice: (m) => notices.push(m) });
      try {
        const [who] = rowsOf<{ rolsuper: boolean; rolcreaterole: boolean }>(
          await db.execute(sql`SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user`),
        );
        expect(who).toEqual({ rolsuper: false, rolcreaterole: false });
        const result = await migrate(db);
        expect(result.applied).toEqual(readMigrations().map((m) => m.tag));
        const [check] = rowsOf<Record<string, unknown>>(
          await db.execute(
            sql.raw(`SELECT
            (SELECT count(*)::int FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition
                AND relowner = current_user::regrole) AS owned_tables,
            has_table_privilege('analyst', 'trades', 'SELECT') AS analyst_select,
            has_table_privilege('trading_bot', 'system_events', 'UPDATE') AS bot_update_audit,
            (SELECT count(*)::int FROM (${PUBLIC_PRIVILEGES}) p WHERE p.object <> 'schema public') AS public_privileges,
            (SELECT count(*)::int FROM (${PUBLIC_PRIVILEGES}) p WHERE p.object = 'schema public') AS public_schema_privileges,
            pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'USAGE') AS owns_schema_public`),
          ),
        );
        const {
          owns_schema_public: ownsSchemaPublic,
          public_schema_privileges: publicSchemaPrivileges,
          ...rest
        } = check!;
        expect(rest).toEqual({
          owned_tables: TABLE_COUNT,
          analyst_select: true,
          bot_update_audit: false,
          public_privileges: 0,
        });
        // PostgreSQL 15 gives schema public to the database owner; on 14 it
        // belongs to the bootstrap superuser, so PUBLIC's CREATE there is not
        // the migrating owner's to revoke, and the migration says so.
        if (ownsSchemaPublic) expect(publicSchemaPrivileges).toBe(0);
        else expect(notices).toContainEqual(expect.stringMatching(/does not own schema public/));
        // Every grant was the owner's to give: PostgreSQL warns "no privileges were granted" otherwise.
        expect(notices.filter((m) => /no privileges/.test(m))).toEqual([]);
      } finally {
        await close(db);
      }
    } finally {
      await target.drop();
    }
  });
});

describe('where the group roles are missing and may not be created (PGlite: a cluster of its own)', () => {
  it('skips them with a NOTICE, still migrates, and still grants nothing to PUBLIC', async () => {
    const db = createPgliteDb();
    const pglite = (db as unknown as { $client: PGlite }).$client;
    try {
      await pglite.exec(`CREATE ROLE iftb_owner NOSUPERUSER NOCREATEROLE;
        DO $$ BEGIN EXECUTE format('ALTER DATABASE %I OWNER TO iftb_owner', current_database()); END $$;
        SET ROLE iftb_owner;`);
      const result = await migrate(db);
      expect(result.applied).toEqual(readMigrations().map((m) => m.tag));
      const [check] = (
        await pglite.query<Record<string, number>>(`SELECT
          (SELECT count(*)::int FROM pg_roles WHERE rolname IN ('analyst', 'trading_bot', 'iftb_maintenance')) AS group_roles,
          (SELECT count(*)::int FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition
              AND relowner = 'iftb_owner'::regrole) AS owned_tables,
          (SELECT count(*)::int FROM (${PUBLIC_PRIVILEGES}) p) AS public_privileges`)
      ).rows;
      expect(check).toEqual({ group_roles: 0, owned_tables: TABLE_COUNT, public_privileges: 0 });
      // The NOTICE the migration raised, captured by re-running its role statement.
      const notices: string[] = [];
      await pglite.query(readMigrations().find((m) => m.tag === '0005_roles')!.statements[0]!, [], {
        onNotice: (n) => notices.push(n.message ?? ''),
      });
      expect(notices).toEqual([
        expect.stringMatching(/skipping role "analyst".*may not create roles/),
        expect.stringMatching(/skipping role "trading_bot".*may not create roles/),
      ]);
      // The same for the maintenance role that 0022_retention adds.
      const retentionRoles = readMigrations()
        .find((m) => m.tag === '0022_retention')!
        .statements.find((s) => s.includes('DO $roles$'))!;
      notices.length = 0;
      await pglite.query(retentionRoles, [], { onNotice: (n) => notices.push(n.message ?? '') });
      expect(notices).toEqual([
        expect.stringMatching(/skipping role "analyst".*may not create roles/),
        expect.stringMatching(/skipping role "trading_bot".*may not create roles/),
        expect.stringMatching(/skipping role "iftb_maintenance".*may not create roles/),
      ]);
    } finally {
      await close(db);
    }
  });
});
