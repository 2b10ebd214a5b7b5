/**
 * The hot views keep their plan shape on realistic volumes (server only; plan
 * shapes, never timings): the market views read the read models kept by the
 * writers (one row per series, one per series and hour), never a scan of
 * ohlcv_data, and v_risk_summary reads live breakers and kill switches
 * through the partial indexes on active rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, type TestDb } from './support/db.ts';
import { flattenPlan, scansOf, type PlanNode } from './support/plans.ts';

const SERIES = 20;
const CANDLES_PER_SERIES = 10_000;

describe('view plans on the server', () => {
  let target: TestDb;
  const plan = async (query: string, analyze = false) => {
    const [row] = await target.sql!.unsafe(`EXPLAIN (${analyze ? 'ANALYZE, ' : ''}FORMAT JSON) ${query}`);
    return flattenPlan((row!['QUERY PLAN'] as [{ Plan: PlanNode }])[0].Plan);
  };

  beforeAll(async () => {
    target = await freshPostgres();
    const sql = target.sql!;
    // 20 series (10 symbols × 2 timeframes), 10 000 candles each, newest an hour ago.
    await sql.unsafe(`
      INSERT INTO ohlcv_data (symbol, timeframe, exchange, timestamp, open, high, low, close, volume)
      SELECT 'SYM' || lpad((s / 2)::text, 2, '0'),
             CASE WHEN s % 2 = 0 THEN '1h' ELSE '5m' END,
             'binance',
             date_trunc('hour', now()) - i * CASE WHEN s % 2 = 0 THEN interval '1 hour' ELSE interval '5 minutes' END,
             100 + i % 7, 110 + i % 7, 90 + i % 7, 101 + i % 7, 10 + i % 3
        FROM generate_series(0, ${SERIES - 1}) s, generate_series(1, ${CANDLES_PER_SERIES}) i`);
    await sql.unsafe(`
      INSERT INTO fear_greed_index (timestamp, value, classification)
      SELECT now() - i * interval '1 day', 50, 'neutral' FROM generate_series(1, 1000) i`);
    await sql.unsafe(`
      INSERT INTO funding_rates (symbol, exchange, timestamp, rate)
      SELECT 'SYM' || lpad(s::text, 2, '0'), 'binance', now() - i * interval '8 hours', 0.0001
        FROM generate_series(0, 9) s, generate_series(1, 1000) i`);
    // Years of breaker and kill switch history, all resolved or long expired, and a few live ones.
    await sql.unsafe(`
      INSERT INTO circuit_breaker_events (triggered_at, reason, trigger_type, status, resolved_at, cooldown_hours)
      SELECT now() - i * interval '3 hours', 'history', 'max_daily_loss', 'resolved',
             now() - i * interval '3 hours' + interval '1 hour', 1
        FROM generate_series(1, 4000) i`);
    await sql.unsafe(`
      INSERT INTO circuit_breaker_events (triggered_at, reason, trigger_type, status, cooldown_hours, cooldown_expires_at)
      SELECT now() - i * interval '5 hours', 'expired, never resolved', 'rapid_loss', 'active', 1,
             now() - i * interval '5 hours' + interval '1 hour'
        FROM generate_series(1, 2000) i`);
    await sql.unsafe(`
      INSERT INTO circuit_breaker_events (reason, trigger_type, cooldown_hours, cooldown_expires_at)
      VALUES ('live', 'max_drawdown', NULL, NULL), ('cooling', 'rapid_loss', 2, now() + interval '2 hours')`);
    await sql.unsafe(`
      INSERT INTO kill_switch_events (activated_at, reason, trigger_source, activated_by, status, deactivated_at, deactivated_by)
      SELECT now() - i * interval '6 hours', 'history', 'manual', 'ops', 'deactivated',
             now() - i * interval '6 hours' + interval '10 minutes', 'ops'
        FROM generate_series(1, 4000) i`);
    await sql.unsafe(
      `INSERT INTO kill_switch_events (reason, trigger_source, activated_by) VALUES ('live', 'api', 'bot')`,
    );
    await sql.unsafe('ANALYZE');
  });
  afterAll(async () => target?.dispose());

  it('v_market_data_summary: reads the read models, never ohlcv_data or funding_rates', async () => {
    const [{ count }] = (await target.sql!`SELECT count(*)::int AS count FROM ohlcv_data`) as unknown as [
      { count: number },
    ];
    expect(count).toBe(SERIES * CANDLES_PER_SERIES);
    const nodes = await plan('SELECT * FROM v_market_data_summary', true);
    expect(scansOf(nodes, 'ohlcv_data')).toEqual([]);
    expect(scansOf(nodes, 'funding_rates')).toEqual([]);
    expect(scansOf(nodes, 'ohlcv_data_latest').length).toBeGreaterThan(0);
    expect(scansOf(nodes, 'fear_greed_index').every((n) => n['Node Type'] !== 'Seq Scan')).toBe(true);
    // One row read per series: the read model holds nothing else.
    const rowsRead = scansOf(nodes, 'ohlcv_data_latest').reduce(
      (sum, n) => sum + (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1),
      0,
    );
    expect(rowsRead).toBe(SERIES);
    const [{ rows }] = (await target.sql!`SELECT count(*)::int AS rows FROM v_market_data_summary`) as unknown as [
      { rows: number },
    ];
    expect(rows).toBe(SERIES);
  });

  it('v_volatility_analysis: whole hours from ohlcv_data_hourly, at most the two window-start hours of candles per series', async () => {
    const nodes = await plan('SELECT * FROM v_volatility_analysis', true);
    const hourScans = scansOf(nodes, 'ohlcv_data_hourly');
    expect(hourScans.length).toBeGreaterThan(0);
    for (const n of hourScans) expect(n['Index Name']).toBe('ohlcv_data_hourly_pkey');
    const candleScans = scansOf(nodes, 'ohlcv_data');
    for (const n of candleScans) expect(n['Index Name']).toBe('ohlcv_data_candle_key');
    // 5m candles: at most 12 per hour, in each window's first hour, plus the first-candle probe.
    const candlesRead = candleScans.reduce((sum, n) => sum + (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1), 0);
    expect(candlesRead).toBeLessThanOrEqual(SERIES * 3 * 12);
    const [{ rows }] = (await target.sql!`SELECT count(*)::int AS rows FROM v_volatility_analysis`) as unknown as [
      { rows: number },
    ];
    expect(rows).toBe(SERIES);
  });

  it("v_market_correlation: each day's close from one range of ohlcv_data_daily, never the candles or their hours", async () => {
    const nodes = await plan('SELECT * FROM v_market_correlation', true);
    expect(scansOf(nodes, 'ohlcv_data')).toEqual([]);
    expect(scansOf(nodes, 'ohlcv_data_hourly')).toEqual([]);
    const dayScans = scansOf(nodes, 'ohlcv_data_daily');
    expect(dayScans.length).toBeGreaterThan(0);
    // The 1h series span 14 months: only the reported days' rows are read (31 per series at most), once.
    for (const n of dayScans) {
      expect(n['Node Type']).not.toBe('Seq Scan');
      expect(n['Actual Loops'] ?? 1).toBe(1);
      expect(n['Actual Rows']).toBeLessThanOrEqual(SERIES * 31);
    }
  });

  it('v_risk_summary: live breakers and kill switches through the partial indexes on active rows', async () => {
    const nodes = await plan('SELECT * FROM v_risk_summary');
    const breakerScans = scansOf(nodes, 'circuit_breaker_events');
    const killScans = scansOf(nodes, 'kill_switch_events');
    for (const n of [...breakerScans, ...killScans]) expect(n['Node Type']).not.toBe('Seq Scan');
    // Bitmap index scans name their index but not their table, so look at every node.
    const indexes = new Set(nodes.map((n) => n['Index Name']).filter(Boolean));
    const breakerIndexes = [...indexes].filter((i) => i!.startsWith('circuit_breaker_events_'));
    expect(
      breakerIndexes.includes('circuit_breaker_events_active_cooldown_idx') ||
        breakerIndexes.includes('circuit_breaker_events_active_triggered_idx'),
      breakerIndexes.join(', '),
    ).toBe(true);
    expect([...indexes]).toContain('kill_switch_events_active_idx');
    const [summary] = await target.sql!`SELECT active_circuit_breakers, active_kill_switches FROM v_risk_summary`;
    expect(summary).toEqual({ active_circuit_breakers: 2, active_kill_switches: 1 });
  });
});
