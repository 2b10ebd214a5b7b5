/**
 * v_market_correlation on ohlcv_data_daily (0025) against the definition of
 * 0021, which probed ohlcv_data_hourly once per series and day, side by side
 * in one database at each size given.
 *
 *   DATABASE_URL=... tsx bench/correlation.ts [candles...]   (default 1000000)
 *
 * Each database is migrated, filled with the bench feed ending now (100
 * series) and a year of funding rates, and gets the 0021 definition as
 * hourly_v_market_correlation; both views must return the same rows. Times
 * are server-side medians (bench/timing.ts), the two views in alternating rounds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { feedEndingAt } from './candles.ts';
import { fillMarketData, loadCandles, settle } from './fill.ts';
import { ms } from './report.ts';
import { openBench } from './setup.ts';
import { median, serverTimes } from './timing.ts';

const BREAK = '--> statement-breakpoint';
const sizes = process.argv.slice(2).map(Number);
/** The view as migration 0021 created it, renamed. */
const hourlyView = readFileSync(join(import.meta.dirname, '../drizzle/0021_market_summaries_readers.sql'), 'utf8')
  .split(BREAK)
  .map((s) => s.trim())
  .find((s) => s.startsWith('CREATE OR REPLACE VIEW v_market_correlation AS'))!
  .replace('CREATE OR REPLACE VIEW v_market_correlation', 'CREATE VIEW hourly_v_market_correlation');

const bench = await openBench();
try {
  const lines: string[] = [];
  for (const candles of sizes.length ? sizes : [1_000_000]) {
    const { sql } = await bench.openDatabase(`correlation_${candles}`);
    console.error(`loading ${candles} candles`);
    await loadCandles(sql, 'ohlcv_data', feedEndingAt(candles, new Date()));
    await fillMarketData(sql);
    await settle(sql);
    await sql.unsafe(hourlyView);
    const [diff] = await sql.unsafe(`SELECT count(*)::int AS n FROM (
      (SELECT * FROM v_market_correlation EXCEPT ALL SELECT * FROM hourly_v_market_correlation)
      UNION ALL (SELECT * FROM hourly_v_market_correlation EXCEPT ALL SELECT * FROM v_market_correlation)) d`);
    if (diff!.n !== 0) throw new Error(`the two definitions differ in ${diff!.n} rows at ${candles} candles`);
    const [rows] = await sql.unsafe('SELECT count(*)::int AS n FROM v_market_correlation');
    const times: Record<'hourly' | 'daily', number[]> = { hourly: [], daily: [] };
    for (let round = 0; round < 5; round++) {
      times.hourly.push(...(await serverTimes(sql, 'SELECT * FROM hourly_v_market_correlation', 5)));
      times.daily.push(...(await serverTimes(sql, 'SELECT * FROM v_market_correlation', 5)));
    }
    lines.push(`| ${candles} (${rows!.n} rows) | ${ms(median(times.hourly))} | ${ms(median(times.daily))} |`);
  }
  console.log('\n| v_market_correlation at candles | hourly probes (0021) | ohlcv_data_daily (0025) |\n|---|---|---|');
  console.log(lines.join('\n'));
} finally {
  await bench.dispose();
}
