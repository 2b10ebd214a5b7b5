/**
 * Section 2: the hot reads at N and 10N candles. Times are medians measured
 * inside the server (a PL/pgSQL loop with a cached plan: no network, no
 * driver); the client round trip of a prepared statement over one
 * connection is shown beside them.
 */
import type postgres from 'postgres';
import { feedEndingAt, SERIES } from './candles.ts';
import { ensurePartitions, fillMarketData, fillRiskData, loadCandles, settle } from './fill.ts';
import { count, ms, times, type Report } from './report.ts';
import type { Bench } from './setup.ts';
import { clientTimes, median, serverTimes } from './timing.ts';

const PLAIN_SUMMARY = `SELECT DISTINCT ON (symbol, timeframe) symbol, timeframe, "timestamp", close, volume
  FROM ohlcv_data ORDER BY symbol, timeframe, "timestamp" DESC`;
const VIEW_SUMMARY = 'SELECT * FROM v_market_data_summary';
const GUARD = 'SELECT * FROM is_trading_allowed()';
const LATEST_PRICE = `SELECT get_latest_price('BTCUSDT', 'binance', '1m')`;
const RISK_SUMMARY = 'SELECT * FROM v_risk_summary';

/** Which of the SQL objects under test the migrations have created. */
async function present(sql: postgres.Sql): Promise<Record<string, boolean>> {
  const [row] = await sql`SELECT to_regclass('v_market_data_summary') IS NOT NULL AS summary,
    to_regclass('v_risk_summary') IS NOT NULL AS risk,
    to_regprocedure('is_trading_allowed(text)') IS NOT NULL AS guard,
    to_regprocedure('get_latest_price(text, text, text)') IS NOT NULL AS price`;
  return row as Record<string, boolean>;
}

/** ohlcv = a copy of ohlcv_data (what get_latest_price reads). */
async function copyCandlesToOhlcv(sql: postgres.Sql): Promise<void> {
  const [range] = await sql`SELECT min("timestamp") AS first, max("timestamp") AS last FROM ohlcv_data`;
  if (range!.first) await ensurePartitions(sql, 'ohlcv', range!.first as Date, range!.last as Date);
  await sql.unsafe(`INSERT INTO ohlcv (symbol, exchange, timeframe, "timestamp", open, high, low, close, volume, quote_volume, trades_count)
    SELECT symbol, exchange, timeframe, "timestamp", open, high, low, close, volume, quote_volume, trades_count FROM ohlcv_data`);
}

interface Timing {
  server: number;
  client: number;
}
async function timeQuery(sql: postgres.Sql, query: string, n: number): Promise<Timing> {
  return {
    server: median(await serverTimes(sql, query, n)),
    client: median(await clientTimes(sql, query, Math.min(n, 200))),
  };
}
const both = (t: Timing) => `${ms(t.server)} (client ${ms(t.client)})`;

/**
 * `rows` = the candles the ingest section left in the bench database; the
 * second database gets `bigRows` candles of a feed ending at `end`.
 */
export async function runReads(
  bench: Bench,
  report: Report,
  rows: number,
  bigRows: number,
  breakers: number,
  killSwitches: number,
  end: Date,
): Promise<void> {
  const { sql } = bench;
  const has = await present(sql);
  const small = `2. Reads at ${count(rows)} candles`;
  const big = `2. Reads at ${count(bigRows)} candles`;
  console.error(`  ... risk history, daily P&L, funding rates and ohlcv (${count(rows)} rows)`);
  await fillMarketData(sql);
  await fillRiskData(sql, breakers, killSwitches);
  await copyCandlesToOhlcv(sql);
  await settle(sql);

  const guardGoal = `< 1 ms with ${count(breakers)} breaker + ${count(killSwitches)} kill-switch events`;
  if (has.guard) {
    const guard = await timeQuery(sql, GUARD, 1000);
    report.add({
      section: small,
      measure: 'is_trading_allowed()',
      result: both(guard),
      goal: guardGoal,
      met: guard.server < 1,
    });
  } else report.missing(small, 'is_trading_allowed()', guardGoal);

  if (has.price) {
    const price = await timeQuery(sql, LATEST_PRICE, 1000);
    report.add({
      section: small,
      measure: `get_latest_price (ohlcv: ${count(rows)} rows)`,
      result: both(price),
      goal: '< 0.1 ms',
      met: price.server < 0.1,
    });
  } else report.missing(small, 'get_latest_price', '< 0.1 ms');

  if (has.risk) {
    const risk = await timeQuery(sql, RISK_SUMMARY, 1000);
    report.add({ section: small, measure: 'v_risk_summary', result: both(risk), goal: '< 2 ms', met: risk.server < 2 });
  } else report.missing(small, 'v_risk_summary', '< 2 ms');

  const scaleGoal = `within 2x of the ${count(rows)} time`;
  if (!has.summary) {
    report.missing(small, 'v_market_data_summary', '>= 100x');
    report.missing(big, 'v_market_data_summary', scaleGoal);
    return;
  }
  // The same series with 10x the candles, in a second database, so the view
  // is timed on both in alternating rounds, under the same machine load.
  console.error(`  ... a second database with ${count(bigRows)} candles`);
  const other = await bench.openDatabase('10m');
  await fillMarketData(other.sql);
  await loadCandles(other.sql, 'ohlcv_data', feedEndingAt(bigRows, end));
  await settle(other.sql);

  const times1: number[] = [];
  const times10: number[] = [];
  for (let round = 0; round < 10; round++) {
    times1.push(...(await serverTimes(sql, VIEW_SUMMARY, 20)));
    times10.push(...(await serverTimes(other.sql, VIEW_SUMMARY, 20)));
  }
  const [view1, view10] = [median(times1), median(times10)];
  const plain1 = median(await serverTimes(sql, PLAIN_SUMMARY, 3));
  const plain10 = median(await serverTimes(other.sql, PLAIN_SUMMARY, 1));
  const client1 = median(await clientTimes(sql, VIEW_SUMMARY, 100));
  const client10 = median(await clientTimes(other.sql, VIEW_SUMMARY, 100));
  report.add({
    section: small,
    measure: `v_market_data_summary (${SERIES} series)`,
    result: both({ server: view1, client: client1 }),
    baseline: `plain DISTINCT ON scan: ${ms(plain1)}`,
    ratio: `${times(plain1 / view1)} faster`,
    goal: '>= 100x',
    met: plain1 >= 100 * view1,
  });
  report.add({
    section: big,
    measure: 'v_market_data_summary',
    result: both({ server: view10, client: client10 }),
    baseline: `at ${count(rows)}: ${ms(view1)}; plain scan: ${ms(plain10)}`,
    ratio: `${times(view10 / view1)} the ${count(rows)} time`,
    goal: scaleGoal,
    met: view10 <= 2 * view1,
  });
}
