/**
 * The market readers before and after the read models (issue 13), side by
 * side in one database, and what keeping the read models costs ingest.
 *
 *   DATABASE_URL=... tsx bench/read-models.ts [candles, default 1000000]
 *
 * Candles: 25 symbols x 4 timeframes (1m, 5m, 1h, 1d) ending now, on exchange
 * 'bybit'; ohlcv holds a copy; a year of 8-hourly funding rates. "before" =
 * the definitions of migrations 0009-0018 (test/support/previous-market-readers.ts)
 * created as old_* objects. Times are server-side medians (bench/timing.ts).
 * Ingest: upsertCandles (10k-row batches) and COPY of new 1m..1d candles in
 * time order, alternating rounds with the read-model triggers enabled and disabled.
 */
import postgres from 'postgres';
import { close, createDb } from '../src/db.ts';
import { upsertCandles } from '../src/ingest/upsert-candles.ts';
import { ensurePartitions } from '../src/functions/index.ts';
import { migrate } from '../src/migrate.ts';
import { withDatabase } from '../scripts/pg-server.ts';
import { previous } from '../test/support/previous-market-readers.ts';
import { copyCandles } from './baselines.ts';
import { candleFeed, feedEndingAt, SERIES, SYMBOLS, TIMEFRAMES } from './candles.ts';
import { settle } from './fill.ts';
import { median, serverTimes, timed } from './timing.ts';

const candles = Number(process.argv[2] ?? 1_000_000);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error('set DATABASE_URL');
const name = `iftb_read_models_${candles}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
await admin.unsafe(`CREATE DATABASE "${name}"`);
const url = withDatabase(adminUrl, name);
const db = createDb(url, { max: 2 });
const sql = postgres(url, { max: 1, onnotice: () => {} });
const log = (m: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${m}`);
const ms = (v: number) => (v < 1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(1)} ms`);

try {
  await migrate(db);
  // The previous definitions, as old_* objects reading the same tables.
  const param = (q: string, names: string[]) => names.reduce((t, n, i) => t.replaceAll(`:${n}`, `$${i + 1}`), q);
  await sql.unsafe(`CREATE FUNCTION old_ohlcv_data_series() RETURNS TABLE(symbol varchar, timeframe varchar, exchange varchar)
    LANGUAGE sql STABLE AS $old$ ${previous.ohlcv_data_series} $old$`);
  await sql.unsafe(`CREATE FUNCTION old_get_latest_price(text, text, text DEFAULT '1m') RETURNS numeric LANGUAGE plpgsql STABLE
    AS $old$ BEGIN RETURN (${param(previous.get_latest_price, ['symbol', 'exchange', 'timeframe'])}); END $old$`);
  await sql.unsafe(`CREATE FUNCTION old_get_latest_ohlcv_price(text, text DEFAULT '1m') RETURNS numeric LANGUAGE plpgsql STABLE
    AS $old$ BEGIN RETURN (${param(previous.get_latest_ohlcv_price, ['symbol', 'timeframe'])}); END $old$`);
  await sql.unsafe(`CREATE FUNCTION old_get_latest_funding_rate(text, text DEFAULT 'binance')
    RETURNS TABLE(rate numeric, rate_bps numeric, annualized_rate numeric, "timestamp" timestamptz) LANGUAGE sql STABLE
    AS $old$ ${param(previous.get_latest_funding_rate, ['symbol', 'exchange'])} $old$`);
  for (const view of [
    'v_market_data_summary',
    'v_volatility_analysis',
    'v_market_correlation',
    'v_funding_rate_analysis',
  ] as const) {
    await sql.unsafe(
      `CREATE VIEW old_${view} AS ${previous[view].replaceAll('ohlcv_data_series()', 'old_ohlcv_data_series()')}`,
    );
  }

  const steps = Math.ceil(candles / SERIES);
  const series = Array.from({ length: SERIES }, (_, s) => {
    const [timeframe, seconds] = TIMEFRAMES[Math.floor(s / SYMBOLS.length)]!;
    return `('${SYMBOLS[s % SYMBOLS.length]}', '${timeframe}', ${seconds}, ${10 + (s % SYMBOLS.length) * 37})`;
  }).join(', ');
  const chunk = Math.max(1, Math.ceil(500_000 / SERIES));
  // One anchor for every chunk: now() moves between statements.
  const anchor = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
  // The daily series reach back years: their months first (migrate premakes from last week on).
  const oldest = new Date(Math.min(Date.parse(anchor) - steps * 86_400_000, Date.parse(anchor) - 366 * 86_400_000));
  for (const table of ['ohlcv_data', 'ohlcv', 'funding_rates'] as const)
    await ensurePartitions(db, table, oldest, new Date(anchor));
  const load = await timed(async () => {
    for (let from = 0; from < steps; from += chunk) {
      await sql.unsafe(`INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
        SELECT s.symbol, s.timeframe, 'bybit', timestamptz '${anchor}' - g * s.seconds * interval '1 second',
               p.open, round(greatest(p.open, p.close) * 1.004, 8), round(least(p.open, p.close) * 0.996, 8), p.close, p.volume
          FROM (VALUES ${series}) s(symbol, timeframe, seconds, base)
         CROSS JOIN generate_series(${from}, ${Math.min(steps, from + chunk) - 1}) g
         CROSS JOIN LATERAL (SELECT round(s.base * (1 + ((g * 7919) % 1000 - 500) / 10000.0), 8) AS open,
                                    round(s.base * (1 + ((g * 104729) % 1000 - 500) / 10000.0), 8) AS close,
                                    round(((g * 31) % 1000) / 3.0, 8) AS volume) p
         ORDER BY g DESC`);
      log(`loaded ${Math.min(steps, from + chunk) * SERIES} candles`);
    }
  });
  await sql.unsafe(`INSERT INTO ohlcv (symbol, exchange, timeframe, "timestamp", open, high, low, close, volume)
    SELECT symbol, exchange, timeframe, "timestamp", open, high, low, close, volume FROM ohlcv_data`);
  await sql.unsafe(`INSERT INTO funding_rates (symbol, exchange, "timestamp", rate)
    SELECT s, 'bybit', date_trunc('hour', now()) - h * interval '8 hours', ((h % 21) - 10) / 10000.0
      FROM unnest(ARRAY[${SYMBOLS.map((s) => `'${s}'`).join(', ')}]) s, generate_series(0, 3 * 365) h`);
  await settle(sql);
  const [sizes] =
    await sql.unsafe(`SELECT (SELECT count(*) FROM ohlcv_data)::int AS candles, (SELECT count(*) FROM ohlcv_data_hourly)::int AS hours,
    (SELECT pg_size_pretty(sum(pg_total_relation_size(relid))) FROM pg_partition_tree('ohlcv_data')) AS candle_size, pg_size_pretty(pg_total_relation_size('ohlcv_data_hourly')) AS hourly_size`);
  console.log(`\n${JSON.stringify(sizes)}; load with triggers: ${(load.ms / 1000).toFixed(1)} s`);

  const readers: [string, string, string, number][] = [
    [
      'get_latest_price',
      `SELECT old_get_latest_price('BTCUSDT', 'bybit', '1m')`,
      `SELECT get_latest_price('BTCUSDT', 'bybit', '1m')`,
      500,
    ],
    [
      'get_latest_ohlcv_price',
      `SELECT old_get_latest_ohlcv_price('BTCUSDT', '1m')`,
      `SELECT get_latest_ohlcv_price('BTCUSDT', '1m')`,
      500,
    ],
    [
      'get_latest_funding_rate',
      `SELECT * FROM old_get_latest_funding_rate('BTCUSDT', 'bybit')`,
      `SELECT * FROM get_latest_funding_rate('BTCUSDT', 'bybit')`,
      500,
    ],
    ['ohlcv_data_series', 'SELECT * FROM old_ohlcv_data_series()', 'SELECT * FROM ohlcv_data_series()', 200],
    ['v_market_data_summary', 'SELECT * FROM old_v_market_data_summary', 'SELECT * FROM v_market_data_summary', 100],
    [
      'v_funding_rate_analysis',
      'SELECT * FROM old_v_funding_rate_analysis',
      'SELECT * FROM v_funding_rate_analysis',
      10,
    ],
    ['v_market_correlation', 'SELECT * FROM old_v_market_correlation', 'SELECT * FROM v_market_correlation', 5],
    ['v_volatility_analysis', 'SELECT * FROM old_v_volatility_analysis', 'SELECT * FROM v_volatility_analysis', 5],
  ];
  console.log(`\n| reader at ${candles} candles (${SERIES} series) | before | after |\n|---|---|---|`);
  for (const [label, before, after, n] of readers) {
    const [b, a] = [median(await serverTimes(sql, before, n)), median(await serverTimes(sql, after, n))];
    console.log(`| ${label} | ${ms(b)} | ${ms(a)} |`);
  }

  // Ingest: new candles after the read data (ending 30 days from now: months premade), in time order.
  const triggers = ['ohlcv_data_summaries_insert', 'ohlcv_data_summaries_update'];
  const setTriggers = (on: boolean) =>
    Promise.all(triggers.map((t) => sql.unsafe(`ALTER TABLE ohlcv_data ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${t}`)));
  const ROUND = 50_000;
  const ingestFeed = feedEndingAt(12 * ROUND, new Date(Date.now() + 30 * 86_400_000));
  let from = 0;
  const rates: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) {
    for (const method of ['upsert', 'copy'] as const) {
      for (const on of round % 2 ? [true, false] : [false, true]) {
        await setTriggers(on);
        const rows = candleFeed(ingestFeed, ROUND, { from });
        from += ROUND;
        const t = await timed(() =>
          method === 'upsert'
            ? upsertCandles(db, rows, { table: 'ohlcv_data', batchSize: 10_000 }).then(() => undefined)
            : copyCandles(sql, 'ohlcv_data', rows),
        );
        (rates[`${method} ${on ? 'with' : 'without'} read models`] ??= []).push(ROUND / (t.ms / 1000));
      }
    }
  }
  await setTriggers(true);
  console.log(`\n| ingest of new 1m..1d candles (${ROUND} per round, median of 3) | rows/s |\n|---|---|`);
  for (const [k, v] of Object.entries(rates)) console.log(`| ${k} | ${Math.round(median(v))} |`);
} finally {
  await close(db);
  await sql.end();
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
