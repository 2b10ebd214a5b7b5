/**
 * Section 2: the hot reads at N and 10N candles. Times are medians measured
 * inside the server (a PL/pgSQL loop with a cached plan: no network, no
 * driver); the client round trip of a prepared statement over one
 * connection is shown beside them.
 */
import type postgres from 'postgres';
import { generateCandlesSql, SERIES, SYMBOLS } from './candles.ts';
import { count, ms, times, type Report } from './report.ts';
import type { Bench } from './setup.ts';
import { clientTimes, median, serverTimes } from './timing.ts';

const PLAIN_SUMMARY = `SELECT DISTINCT ON (symbol, timeframe) symbol, timeframe, "timestamp", close, volume
  FROM ohlcv_data ORDER BY symbol, timeframe, "timestamp" DESC`;
const VIEW_SUMMARY = 'SELECT * FROM v_market_data_summary';
const GUARD = 'SELECT * FROM is_trading_allowed()';
const LATEST_PRICE = `SELECT get_latest_price('BTCUSDT', 'binance', '1m')`;
const RISK_SUMMARY = 'SELECT * FROM v_risk_summary';
const SYMBOL_ARRAY = `ARRAY[${SYMBOLS.map((s) => `'${s}'`).join(', ')}]`;

/** Which of the SQL objects under test the migrations have created. */
async function present(sql: postgres.Sql): Promise<Record<string, boolean>> {
  const [row] = await sql`SELECT to_regclass('v_market_data_summary') IS NOT NULL AS summary,
    to_regclass('v_risk_summary') IS NOT NULL AS risk,
    to_regprocedure('is_trading_allowed(text)') IS NOT NULL AS guard,
    to_regprocedure('get_latest_price(text, text, text)') IS NOT NULL AS price`;
  return row as Record<string, boolean>;
}

/** Fear & greed readings and funding rates: what v_market_data_summary joins besides candles. */
async function fillMarketData(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`INSERT INTO fear_greed_index ("timestamp", value)
    SELECT date_trunc('day', now()) - d * interval '1 day', 10 + d % 80 FROM generate_series(0, 3 * 365) d`);
  await sql.unsafe(`INSERT INTO funding_rates (symbol, "timestamp", rate, mark_price, index_price)
    SELECT s, date_trunc('hour', now()) - h * interval '8 hours', 0.0001, 100.5, 100
      FROM unnest(${SYMBOL_ARRAY}) s, generate_series(0, 3 * 365) h`);
}

/**
 * Risk history (mostly resolved breakers, deactivated kill switches, with a
 * few stale 'active' breakers past their cooldown), three years of daily P&L,
 * and ohlcv = a copy of ohlcv_data.
 */
async function fillRiskData(sql: postgres.Sql, breakers: number, killSwitches: number): Promise<void> {
  await sql.unsafe(`INSERT INTO circuit_breaker_events (triggered_at, reason, trigger_type, symbol, status,
      resolved_at, resolved_by, cooldown_hours, severity)
    SELECT now() - i * interval '7 minutes', 'bench breaker ' || i,
           (ARRAY['max_daily_loss', 'max_drawdown', 'rapid_loss', 'consecutive_losses', 'position_limit',
                  'exchange_error', 'network_issue', 'manual'])[1 + i % 8],
           CASE WHEN i % 2 = 0 THEN NULL ELSE (${SYMBOL_ARRAY})[1 + i % ${SYMBOLS.length}] END,
           CASE WHEN i % 1000 = 1 THEN 'active' WHEN i % 100 = 0 THEN 'expired' ELSE 'resolved' END,
           CASE WHEN i % 1000 = 1 THEN NULL ELSE now() - i * interval '7 minutes' + interval '30 minutes' END,
           CASE WHEN i % 1000 = 1 THEN NULL ELSE 'bench' END, 1.0, 'warning'
      FROM generate_series(1, ${breakers}) i`);
  await sql.unsafe(`INSERT INTO kill_switch_events (activated_at, reason, trigger_source, activated_by, status,
      deactivated_at, deactivated_by, deactivation_reason)
    SELECT now() - i * interval '1 hour', 'bench kill switch ' || i,
           (ARRAY['manual', 'api', 'circuit_breaker_cascade', 'system_health', 'exchange_emergency',
                  'security_alert', 'critical_error'])[1 + i % 7], 'bench',
           CASE WHEN i % 100 = 0 THEN 'partial_recovery' ELSE 'deactivated' END,
           now() - i * interval '1 hour' + interval '10 minutes', 'bench', 'resolved'
      FROM generate_series(1, ${killSwitches}) i`);
  await sql.unsafe(`INSERT INTO daily_pnl (date, balance_start, balance_end, total_pnl, realized_pnl, win_rate, total_trades, winning_trades)
    SELECT (now() AT TIME ZONE 'UTC')::date - d, 10000 + d, 10000 + d + 12.5, 12.5, 12.5, 55, 20, 11
      FROM generate_series(0, 3 * 365) d`);
  await sql.unsafe(`INSERT INTO ohlcv (symbol, exchange, timeframe, "timestamp", open, high, low, close, volume, quote_volume, trades_count)
    SELECT symbol, exchange, timeframe, "timestamp", open, high, low, close, volume, quote_volume, trades_count FROM ohlcv_data`);
}

/**
 * Reads are timed on a settled database: vacuumed and analyzed, with
 * autovacuum kept off the big tables so it cannot run mid-measurement.
 */
async function settle(sql: postgres.Sql): Promise<void> {
  for (const table of ['ohlcv_data', 'ohlcv']) await sql.unsafe(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
  await sql.unsafe('VACUUM ANALYZE');
}

interface Timing { server: number; client: number }
async function timeQuery(sql: postgres.Sql, query: string, n: number): Promise<Timing> {
  return { server: median(await serverTimes(sql, query, n)), client: median(await clientTimes(sql, query, Math.min(n, 200))) };
}
const both = (t: Timing) => `${ms(t.server)} (client ${ms(t.client)})`;

export async function runReads(bench: Bench, report: Report, rows: number, bigRows: number,
  breakers: number, killSwitches: number): Promise<void> {
  const { sql } = bench;
  const has = await present(sql);
  const small = `2. Reads at ${count(rows)} candles`;
  const big = `2. Reads at ${count(bigRows)} candles`;
  console.error(`  ... risk history, daily P&L, funding rates and ohlcv (${count(rows)} rows)`);
  await fillMarketData(sql);
  await fillRiskData(sql, breakers, killSwitches);
  await settle(sql);

  const guardGoal = `< 1 ms with ${count(breakers)} breaker + ${count(killSwitches)} kill-switch events`;
  if (has.guard) {
    const guard = await timeQuery(sql, GUARD, 1000);
    report.add({ section: small, measure: 'is_trading_allowed()', result: both(guard), goal: guardGoal, met: guard.server < 1 });
  } else report.missing(small, 'is_trading_allowed()', guardGoal);

  if (has.price) {
    const price = await timeQuery(sql, LATEST_PRICE, 1000);
    report.add({ section: small, measure: `get_latest_price (ohlcv: ${count(rows)} rows)`, result: both(price), goal: '< 0.1 ms', met: price.server < 0.1 });
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
  const other = await bench.openDatabase('iftb_bench_10m');
  await fillMarketData(other.sql);
  const steps = Math.ceil(bigRows / SERIES);
  const chunk = Math.max(1, Math.ceil(steps / 20));
  for (let s = 0; s < steps; s += chunk) await other.sql.unsafe(generateCandlesSql('ohlcv_data', s, Math.min(steps, s + chunk)));
  await settle(other.sql);

  const times1: number[] = [];
  const times10: number[] = [];
  for (let round = 0; round < 10; round++) {
    times1.push(...await serverTimes(sql, VIEW_SUMMARY, 20));
    times10.push(...await serverTimes(other.sql, VIEW_SUMMARY, 20));
  }
  const [view1, view10] = [median(times1), median(times10)];
  const plain1 = median(await serverTimes(sql, PLAIN_SUMMARY, 3));
  const plain10 = median(await serverTimes(other.sql, PLAIN_SUMMARY, 1));
  const client1 = median(await clientTimes(sql, VIEW_SUMMARY, 100));
  const client10 = median(await clientTimes(other.sql, VIEW_SUMMARY, 100));
  report.add({
    section: small, measure: `v_market_data_summary (${SERIES} series)`, result: both({ server: view1, client: client1 }),
    baseline: `plain DISTINCT ON scan: ${ms(plain1)}`, ratio: `${times(plain1 / view1)} faster`,
    goal: '>= 100x', met: plain1 >= 100 * view1,
  });
  report.add({
    section: big, measure: 'v_market_data_summary', result: both({ server: view10, client: client10 }),
    baseline: `at ${count(rows)}: ${ms(view1)}; plain scan: ${ms(plain10)}`,
    ratio: `${times(view10 / view1)} the ${count(rows)} time`, goal: scaleGoal, met: view10 <= 2 * view1,
  });
}
