/**
 * The plans PostgreSQL really runs inside get_latest_price,
 * get_latest_ohlcv_price and is_trading_allowed on tables with history
 * (~200k candles, thousands of old events), captured with auto_explain
 * (log_nested_statements, JSON, ANALYZE): index probes that read a row or
 * so (of the read models, for the prices), never a scan of the big table, whether PL/pgSQL plans a statement for
 * its arguments or runs its cached generic plan. Server target only: PGlite
 * has no auto_explain.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type TestDb } from './support/db.ts';
import { flattenPlan, scansOf as scansIn, type PlanNode } from './support/plans.ts';

interface LoggedPlan {
  query: string;
  nodes: PlanNode[];
}

const scansOf = (plans: LoggedPlan[], table: string) =>
  scansIn(
    plans.flatMap((p) => p.nodes),
    table,
  );

describe('function plans on postgres', () => {
  let target: TestDb;
  let session: postgres.Sql;
  const notices: string[] = [];

  /** Every statement plan auto_explain logged while `call` ran, the function's inner statements included. */
  async function plansOf(call: string): Promise<LoggedPlan[]> {
    notices.length = 0;
    await session.unsafe(call);
    return notices
      .filter((n) => n.startsWith('duration:'))
      .map((n) => {
        const logged = JSON.parse(n.slice(n.indexOf('{'))) as { 'Query Text': string; Plan: PlanNode };
        return { query: logged['Query Text'], nodes: flattenPlan(logged.Plan) };
      });
  }

  /**
   * The plans of `call` both ways PL/pgSQL may run its statements: planned
   * for the arguments (its first calls in a session) and the generic plan it
   * keeps for the session's later calls.
   */
  async function plansBothWays(call: string): Promise<[string, LoggedPlan[]][]> {
    const out: [string, LoggedPlan[]][] = [];
    for (const mode of ['force_custom_plan', 'force_generic_plan']) {
      await session.unsafe(`SET plan_cache_mode = ${mode}`);
      out.push([`${call} (${mode})`, await plansOf(call)]);
    }
    await session.unsafe('RESET plan_cache_mode');
    return out;
  }

  beforeAll(async () => {
    target = await freshPostgres();
    const sql = target.sql!;
    // 200k candles in ohlcv_data: 2 symbols x 4 exchanges x 25k minutes, and a series that went quiet a year earlier.
    await sql.unsafe(`
      INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
      SELECT s, '1m', e, timestamptz '2024-01-01' + g * interval '1 minute', 100, 110, 90, 100 + g % 7, 1
        FROM unnest(ARRAY['BTCUSDT', 'ETHUSDT']) s, unnest(ARRAY['binance', 'bybit', 'okx', 'kraken']) e,
             generate_series(1, 25000) g`);
    // A backfill into a month before the test databases' 2024 partitions: make its month first.
    await sql`SELECT ensure_partitions('ohlcv_data', '2023-01-01', '2023-01-01'), ensure_partitions('ohlcv', '2023-01-01', '2023-01-01')`;
    await sql.unsafe(`
      INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
      SELECT 'OLDUSDT', '1m', 'binance', timestamptz '2023-01-01' + g * interval '1 minute', 5, 5, 5, 5, 1
        FROM generate_series(1, 1000) g`);
    await sql.unsafe(`
      INSERT INTO ohlcv (symbol, exchange, timeframe, "timestamp", open, high, low, close, volume)
      SELECT s, e, '1m', timestamptz '2024-01-01' + g * interval '1 minute', 100, 110, 90, 100, 1
        FROM unnest(ARRAY['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) s, unnest(ARRAY['binance', 'bybit']) e,
             generate_series(1, 10000) g`);
    await sql.unsafe(`
      INSERT INTO ohlcv (symbol, exchange, timeframe, "timestamp", open, high, low, close, volume)
      SELECT 'OLDUSDT', 'binance', '1m', timestamptz '2023-01-01' + g * interval '1 minute', 5, 5, 5, 5, 1
        FROM generate_series(1, 1000) g`);
    // Years of breaker and kill switch history, some stale rows still marked active, two live breakers.
    await sql.unsafe(`
      INSERT INTO circuit_breaker_events (reason, trigger_type, triggered_at, status, resolved_at, symbol)
      SELECT 'old', 'rapid_loss', now() - g * interval '1 hour', 'resolved', now() - g * interval '1 hour' + interval '5 minutes',
             CASE WHEN g % 3 = 0 THEN 'BTCUSDT' END
        FROM generate_series(1, 5000) g`);
    await sql.unsafe(`
      INSERT INTO circuit_breaker_events (reason, trigger_type, triggered_at, status, symbol)
      SELECT 'stale', 'rapid_loss', now() - g * interval '1 day', 'active', 'BTCUSDT' FROM generate_series(1, 500) g`);
    await sql.unsafe(`
      INSERT INTO circuit_breaker_events (reason, trigger_type, triggered_at, cooldown_hours, symbol) VALUES
        ('live ETH', 'rapid_loss', now(), 2, 'ETHUSDT'), ('live manual', 'manual', now(), NULL, 'SOLUSDT')`);
    await sql.unsafe(`
      INSERT INTO kill_switch_events (reason, trigger_source, activated_by, activated_at, status, deactivated_at, deactivated_by)
      SELECT 'old', 'manual', 'ops', now() - g * interval '1 hour', 'deactivated', now() - g * interval '1 hour' + interval '1 minute', 'ops'
        FROM generate_series(1, 5000) g`);
    // Read models with as many other rows as a large deployment (the planner then probes their keys).
    await sql.unsafe(`
      INSERT INTO ohlcv_latest (symbol, exchange, timeframe, "timestamp", close)
      SELECT 'S' || g, e, '1m', now(), 1 FROM generate_series(1, 2000) g, unnest(ARRAY['binance', 'bybit']) e`);
    await sql.unsafe(`
      INSERT INTO ohlcv_data_latest (symbol, timeframe, exchange, "timestamp", open, close, volume)
      SELECT 'S' || g, '1m', e, now(), 1, 1, 1 FROM generate_series(1, 2000) g, unnest(ARRAY['binance', 'bybit']) e`);
    await sql.unsafe('ANALYZE');

    session = postgres(target.url!, { max: 1, onnotice: (n) => notices.push(String(n.message)) });
    await session.unsafe(`LOAD 'auto_explain'`);
    for (const setting of [
      'auto_explain.log_min_duration = 0',
      'auto_explain.log_nested_statements = on',
      'auto_explain.log_analyze = on',
      'auto_explain.log_timing = off',
      'auto_explain.log_format = json',
      'auto_explain.log_level = notice',
    ])
      await session.unsafe(`SET ${setting}`);
  }, 180_000);
  afterAll(async () => {
    await session?.end();
    await target?.dispose();
  });

  it('get_latest_price: one probe of ohlcv_latest, never a read of ohlcv, even for a series that went quiet', async () => {
    for (const [call, plans] of [
      ...(await plansBothWays("SELECT get_latest_price('BTCUSDT', 'binance')")),
      ...(await plansBothWays("SELECT get_latest_price('OLDUSDT', 'binance', '1m')")),
    ]) {
      expect(scansOf(plans, 'ohlcv'), call).toEqual([]);
      const scans = scansOf(plans, 'ohlcv_latest');
      expect(scans, call).toHaveLength(1);
      expect(scans[0], call).toMatchObject({ 'Index Name': 'ohlcv_latest_pkey', 'Actual Rows': 1 });
    }
  });

  it('get_latest_ohlcv_price: one range probe of ohlcv_data_latest (a row per exchange), never a read of ohlcv_data', async () => {
    for (const [call, plans] of [
      ...(await plansBothWays("SELECT get_latest_ohlcv_price('BTCUSDT')")),
      ...(await plansBothWays("SELECT get_latest_ohlcv_price('OLDUSDT', '1m')")),
    ]) {
      expect(scansOf(plans, 'ohlcv_data'), call).toEqual([]);
      const scans = scansOf(plans, 'ohlcv_data_latest');
      expect(scans, call).toHaveLength(1);
      expect(scans[0]!['Node Type'], call).not.toBe('Seq Scan');
      // An index scan, or a bitmap heap scan over a bitmap index scan (which names the index but not the table).
      expect(
        plans.flatMap((p) => p.nodes).map((n) => n['Index Name']),
        call,
      ).toContain('ohlcv_data_latest_pkey');
      expect(scans[0]!['Actual Rows'], call).toBeLessThanOrEqual(4); // the series' exchanges
    }
  });

  it('is_trading_allowed: reads only active rows through the partial indexes', async () => {
    for (const [call, plans] of [
      ...(await plansBothWays('SELECT * FROM is_trading_allowed(NULL)')),
      ...(await plansBothWays("SELECT * FROM is_trading_allowed('BTCUSDT')")),
      ...(await plansBothWays("SELECT * FROM is_trading_allowed('ETHUSDT')")),
    ]) {
      const kill = scansOf(plans, 'kill_switch_events');
      expect(
        kill.map((s) => s['Index Name']),
        call,
      ).toEqual(['kill_switch_events_active_idx']);
      expect(kill[0]!['Actual Rows'], call).toBe(0);
      const breakers = scansOf(plans, 'circuit_breaker_events');
      expect(breakers.length, call).toBeGreaterThan(0);
      for (const scan of breakers) expect(scan['Node Type'], call).not.toBe('Seq Scan');
      const indexes = plans
        .flatMap((p) => p.nodes)
        .map((n) => n['Index Name'])
        .filter(Boolean);
      expect(indexes, call).toContain('circuit_breaker_events_active_cooldown_idx');
      // The 500 stale active rows lie before now() in the index: never fetched.
      const heapRows = breakers.filter((s) => s['Node Type'] !== 'Bitmap Index Scan').map((s) => s['Actual Rows'] ?? 0);
      expect(Math.max(...heapRows), call).toBeLessThanOrEqual(2);
    }
  });
});
