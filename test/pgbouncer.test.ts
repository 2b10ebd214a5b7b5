/**
 * The library behind a real PgBouncer in transaction pooling mode, on a
 * server of its own: migrations racing through the pooler, the bot and
 * analyst roles, and the session settings transaction pooling does and does
 * not keep. (The behaviour suites run through PgBouncer too: the
 * 'pgbouncer' target of test/support/db.ts.)
 */
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, createDb, rowsOf, type Db } from '../src/db.ts';
import { calculateDailyPnl, isTradingAllowed } from '../src/functions/index.ts';
import { upsertCandles } from '../src/ingest/upsert-candles.ts';
import { migrate } from '../src/migrate.ts';
import { readMigrations } from '../src/migration-files.ts';
import * as t from '../src/schema/index.ts';
import { openPosition } from '../src/trading/open-position.ts';
import * as views from '../src/views/index.ts';
import { missingPgbouncer, startPgbouncer, startPrimary, type PgNode, type Pooler } from './support/cluster.ts';
import { loadViewFixture } from './support/views-fixture.ts';

const missing = missingPgbouncer();
if (missing) console.warn(`SKIPPED test/pgbouncer.test.ts: ${missing}`);

const USERS = { postgres: 'unused-trust', bot_login: 'bot-secret', grafana: 'grafana-secret' };
const DENIED = '42501';

describe.skipIf(missing)('behind PgBouncer (pool_mode = transaction)', () => {
  let server: PgNode;
  let pooler: Pooler;
  const opened: { end(): Promise<unknown> }[] = [];
  /** A Db through the pooler; extra URL query parameters become startup parameters (TimeZone=...). */
  const through = (user: keyof typeof USERS, query = '') => {
    const db = createDb(`${pooler.url('iftb', user)}${query}`, { pooler: 'transaction', max: 3 });
    opened.push({ end: () => close(db) });
    return db;
  };
  const raw = (user: keyof typeof USERS, connection: Record<string, string> = {}) => {
    const client = postgres(pooler.url('iftb', user), { max: 1, prepare: false, connection, onnotice: () => {} });
    opened.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startPrimary();
    const admin = postgres(server.url(), { max: 1, onnotice: () => {} });
    await admin`CREATE DATABASE iftb`;
    await admin.end();
    // Two server connections per user: every client below shares them.
    pooler = await startPgbouncer(server.url(), USERS, { poolSize: 2 });
  });
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.end()));
    await pooler?.stop();
    await server?.destroy();
  });

  it('three deploys racing through the pooler apply every migration exactly once (advisory lock in one transaction)', async () => {
    const deploys = [through('postgres'), through('postgres'), through('postgres')];
    const results = await Promise.all(deploys.map((db) => migrate(db)));
    const all = readMigrations().map((m) => m.tag);
    expect(results.flatMap((r) => r.applied).sort()).toEqual([...all].sort());
    const journal = rowsOf<{ n: number }>(
      await deploys[0]!.execute(sql`SELECT count(*)::int AS n FROM drizzle.__iftb_db_migrations`),
    );
    expect(journal[0]!.n).toBe(all.length);
    expect((await migrate(deploys[1]!)).applied).toEqual([]);

    const admin = postgres(server.url('iftb'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE ROLE bot_login LOGIN PASSWORD '${USERS.bot_login}' IN ROLE trading_bot;
      CREATE ROLE grafana LOGIN PASSWORD '${USERS.grafana}' IN ROLE analyst`);
    await admin.end();
  });

  it('the bot role writes candles, opens and closes positions, asks the guard and computes the P&L, its clients sharing two server connections', async () => {
    const bots = [through('bot_login'), through('bot_login')];
    const day = new Date('2024-03-01T00:00:00Z');
    await bots[0]!
      .insert(t.accountSnapshots)
      .values({ exchange: 'binance', timestamp: day, balance: '1000', equity: '1000' });
    // Many concurrent transactions from 2 x 3 client connections over 2 server connections.
    await Promise.all(
      bots.flatMap((db, b) =>
        Array.from({ length: 10 }, async (_, i) => {
          const at = new Date(day.getTime() + (b * 10 + i) * 60_000);
          const written = await upsertCandles(
            db,
            [
              {
                symbol: 'BTCUSDT',
                exchange: 'binance',
                timeframe: '1m',
                timestamp: at,
                open: '1',
                high: '2',
                low: '1',
                close: '2',
                volume: '3',
              },
            ],
            { table: 'ohlcv_data' },
          );
          expect(written).toEqual({ inserted: 1, updated: 0 });
          expect((await isTradingAllowed(db, { symbol: 'BTCUSDT' })).allowed).toBe(true);
        }),
      ),
    );
    const position = await openPosition(bots[0]!, {
      symbol: 'BTCUSDT',
      exchange: 'binance',
      side: 'long',
      entryPrice: '100',
      quantity: '1',
      margin: '100',
      entryTime: day,
    });
    await bots[1]!.update(t.positions).set({ status: 'closed' }).where(eq(t.positions.id, position.id));
    await bots[1]!
      .insert(t.killSwitchEvents)
      .values({ reason: 'through the pooler', triggerSource: 'manual', activatedBy: 'ops' });
    expect(await isTradingAllowed(bots[0]!)).toMatchObject({
      allowed: false,
      reason: 'Kill switch active: through the pooler',
    });
    expect((await calculateDailyPnl(bots[0]!, '2024-03-01')).date).toBe('2024-03-01');
    expect(await bots[1]!.$count(t.ohlcvData)).toBe(20);
  });

  it('the analyst role reads views and the guard through the pooler, and may not write', async () => {
    const analyst = through('grafana');
    expect(await analyst.select().from(views.vRiskSummary)).toHaveLength(1);
    expect((await isTradingAllowed(analyst)).allowed).toBe(false);
    const refused = await analyst
      .insert(t.systemEvents)
      .values({ eventType: 'x', severity: 'info', message: 'no' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((refused as { cause?: { code?: string } })?.cause?.code).toBe(DENIED);
  });

  it('a TimeZone (startup parameter or SET) stays with its client on shared server connections; an untracked SET leaks to the next client', async () => {
    const utc = raw('bot_login', { TimeZone: 'UTC' });
    const tokyo = raw('bot_login', { TimeZone: 'Asia/Tokyo' });
    const plain = raw('bot_login');
    for (let i = 0; i < 10; i++) {
      const seen = await Promise.all(
        [utc, tokyo, plain].map(async (c) => (await c`SHOW TimeZone`)[0]!.TimeZone as string),
      );
      // PgBouncer re-sends a client's TimeZone (a parameter it tracks) whenever it hands it a server connection.
      expect(seen.slice(0, 2)).toEqual(['UTC', 'Asia/Tokyo']);
    }
    // A SET of a tracked parameter follows its client too (PgBouncer reads the server's ParameterStatus).
    await tokyo`SET TimeZone = 'America/New_York'`;
    for (let i = 0; i < 5; i++) {
      const seen = await Promise.all([utc, tokyo].map(async (c) => (await c`SHOW TimeZone`)[0]!.TimeZone as string));
      expect(seen).toEqual(['UTC', 'America/New_York']);
    }
    // An untracked setting does not follow its client: the server connection
    // keeps it for whoever gets it next (PgBouncer reuses the last one released).
    await plain`SET statement_timeout = '987654ms'`;
    expect((await utc`SHOW statement_timeout`)[0]!.statement_timeout).toBe('987654ms');
    await utc`RESET statement_timeout`;
  });

  it('functions and views answer the same whatever the session TimeZone (nothing depends on session state)', async () => {
    const admin = through('postgres');
    await admin.execute(sql`TRUNCATE positions, trades, ohlcv_data, ohlcv, account_snapshots, daily_pnl, kill_switch_events,
      circuit_breaker_events, funding_rates, fear_greed_index, trading_decisions, llm_analyses, technical_signals,
      ml_predictions RESTART IDENTITY CASCADE`);
    const now = new Date();
    await loadViewFixture(admin, now);
    await admin.insert(t.accountSnapshots).values({
      exchange: 'binance',
      timestamp: new Date(now.getTime() - 86_400_000),
      balance: '1000',
      equity: '1000',
    });
    // The P&L first: v_risk_summary reads the daily_pnl row it writes.
    const answers = async (db: Db) => ({
      pnl: await calculateDailyPnl(db, now),
      views: await Promise.all(Object.values(views).map((v) => db.select().from(v as typeof views.vRiskSummary))),
      guard: await isTradingAllowed(db, { symbol: 'BTCUSDT' }),
    });
    const inUtc = await answers(through('bot_login', '?TimeZone=UTC'));
    for (const zone of ['Pacific/Kiritimati', 'America/Adak']) {
      const elsewhere = through('bot_login', `?TimeZone=${zone}`);
      expect(rowsOf<{ TimeZone: string }>(await elsewhere.execute(sql`SHOW TimeZone`))[0]!.TimeZone).toBe(zone);
      const answered = await answers(elsewhere);
      // calculated_at is when each call ran.
      expect({ ...answered, pnl: { ...answered.pnl, calculatedAt: null } }).toEqual({
        ...inUtc,
        pnl: { ...inUtc.pnl, calculatedAt: null },
      });
    }
  });
});
