/**
 * The bench's data (bench/candles.ts, bench/fill.ts) is what its figures
 * rest on: a feed that ends now with every series recent, the same candles
 * server-side as client-side, and fillers that give every view rows to
 * read, on whichever design (one table or monthly partitions) is migrated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candleFeed, feedEndingAt, generateCandlesSql, SERIES, TIMEFRAMES } from '../bench/candles.ts';
import { fillMarketData, fillRiskData, fillTradingData, loadCandles, settle } from '../bench/fill.ts';
import { freshPostgres, type TestDb } from './support/db.ts';

const end = new Date('2026-03-02T10:17:30Z');
const key = (r: { symbol: string; timeframe: string; timestamp: Date }) =>
  `${r.symbol}/${r.timeframe}/${r.timestamp.toISOString()}`;

describe('candle feed', () => {
  it('ends in the minute before its end, every series over the same span, 1m carrying most rows', () => {
    const feed = feedEndingAt(200_000, end);
    const rows = [...candleFeed(feed, feed.rows)];
    expect(rows).toHaveLength(200_000);
    expect(new Set(rows.map(key)).size).toBe(200_000);
    expect(rows.at(-1)!.timestamp).toEqual(new Date('2026-03-02T10:16:00Z'));
    expect(rows[0]!.timestamp).toEqual(feed.first);
    const newest = new Map<string, Date>();
    const perTimeframe = new Map<string, number>();
    for (const r of rows) {
      newest.set(`${r.symbol}/${r.timeframe}`, r.timestamp);
      perTimeframe.set(r.timeframe, (perTimeframe.get(r.timeframe) ?? 0) + 1);
    }
    expect(newest.size).toBe(SERIES);
    for (const [series, at] of newest) {
      const seconds = TIMEFRAMES.find(([tf]) => series.endsWith(`/${tf}`))![1];
      // The newest candle opened within one period before the end, on its period's boundary.
      expect(end.getTime() - at.getTime(), series).toBeLessThanOrEqual(seconds * 1000 + 60_000);
      expect(at.getTime() % (seconds * 1000), series).toBe(0);
    }
    expect(perTimeframe.get('1m')! / rows.length).toBeGreaterThan(0.8);
  });

  it('gives the same rows in slices as in one pass, and continues past its end', () => {
    const feed = feedEndingAt(10_000, end);
    const whole = [...candleFeed(feed, 12_000)].map(key);
    const sliced = [3_333, 4_444, 4_223].reduce<{ from: number; keys: string[] }>(
      ({ from, keys }, n) => ({ from: from + n, keys: [...keys, ...[...candleFeed(feed, n, { from })].map(key)] }),
      { from: 0, keys: [] },
    ).keys;
    expect(sliced).toEqual(whole);
    expect(whole.slice(10_000).every((k) => k.slice(-24) > feed.last.toISOString())).toBe(true);
  });
});

describe('bench data on the migrated design', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshPostgres();
  });
  afterAll(() => t?.dispose());

  it('generates server-side exactly the candles of the client-side feed, slices starting mid-minute', async () => {
    const sql = t.sql!;
    // Over a day: the 1d series has a candle too.
    const feed = feedEndingAt(50_000, new Date());
    await loadCandles(sql, 'ohlcv_data', feed, 0, 50_000, 7_777);
    await loadCandles(sql, 'ohlcv', feed, 1_234, 5_678);
    const stored = await sql<{ symbol: string; timeframe: string; timestamp: Date }[]>`
      SELECT symbol, timeframe, "timestamp" FROM ohlcv_data`;
    expect(new Set(stored.map(key))).toEqual(new Set([...candleFeed(feed, feed.rows)].map(key)));
    const ohlcv = await sql<
      { symbol: string; timeframe: string; timestamp: Date }[]
    >`SELECT symbol, timeframe, "timestamp" FROM ohlcv`;
    expect(new Set(ohlcv.map(key))).toEqual(new Set([...candleFeed(feed, 5_678 - 1_234, { from: 1_234 })].map(key)));
    // Deterministic: the same rows twice give the same prices.
    const again = generateCandlesSql('ohlcv_data', feed, 0, 500).replace(
      'INSERT INTO ohlcv_data',
      'INSERT INTO bench_again',
    );
    await sql.unsafe('CREATE TABLE bench_again (LIKE ohlcv_data INCLUDING DEFAULTS INCLUDING IDENTITY)');
    await sql.unsafe(again);
    const [diff] =
      await sql`SELECT count(*)::int AS n FROM bench_again a JOIN ohlcv_data o USING (symbol, timeframe, exchange, "timestamp")
      WHERE (a.open, a.high, a.low, a.close, a.volume) IS DISTINCT FROM (o.open, o.high, o.low, o.close, o.volume)`;
    expect(diff!.n).toBe(0);
    await sql.unsafe('DROP TABLE bench_again');
  });

  it('fills every view the bench reads with rows in its windows', async () => {
    const sql = t.sql!;
    await fillMarketData(sql);
    await fillRiskData(sql, 1_000, 100);
    await fillTradingData(sql, 500);
    await settle(sql);
    const counts = async (view: string) =>
      (await sql.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${view}`))[0]!.n;
    expect(await counts('v_market_data_summary')).toBe(SERIES);
    expect(await counts('v_volatility_analysis')).toBe(SERIES);
    const [volatility] = await sql`SELECT count(*)::int AS n FROM v_volatility_analysis
      WHERE volatility_24h IS NOT NULL AND price_change_24h IS NOT NULL`;
    // Every series but 1d has candles in the last 24 hours.
    expect(volatility!.n).toBe((SERIES * 3) / 4);
    expect(await counts('v_market_correlation')).toBeGreaterThan(0);
    expect(await counts('v_funding_rate_analysis')).toBe(25);
    const [funding] =
      await sql`SELECT bool_and(high_positive_periods_7d > 0 OR high_negative_periods_7d > 0) AS ok FROM v_funding_rate_analysis`;
    expect(funding!.ok).toBe(true);
    expect(await counts('v_active_positions')).toBe(50);
    expect(await counts('v_recent_trades')).toBe(100);
    expect(await counts('v_decision_analysis')).toBe(500);
    expect(await counts('v_analysis_performance')).toBeGreaterThan(100);
    const guard = await sql`SELECT allowed FROM is_trading_allowed()`;
    expect(guard).toHaveLength(1);
    const [risk] = await sql`SELECT today_pnl, avg_win_rate_7d FROM v_risk_summary`;
    expect(risk!.today_pnl).not.toBeNull();
  });
});
