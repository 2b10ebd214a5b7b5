/**
 * `npm run bench`: import cost, ingest, hot reads, validation, and
 * partitioned against one table, measured side by side in one run and
 * printed as tables (stdout; progress goes to stderr).
 *
 * Server: DATABASE_URL, else an embedded PostgreSQL; the bench creates and
 * drops its own databases (named after BENCH_DB_PREFIX, default iftb_bench).
 * Options (after `npm run bench --`), or the environment:
 *   --scale X  (BENCH_SCALE, default 1) scales every row count: 1 = 1M candles
 *              ingested, reads at 1M and 10M, partitioned vs one table at 1M
 *              and 10M, 100k breaker events; 0.01 is a quick smoke run.
 *   --only a,b (BENCH_ONLY) runs only these sections: import, ingest,
 *              validation, reads, partitions.
 *   --jit on|off (BENCH_JIT) sets jit in every bench database; default: the
 *              server's setting (PostgreSQL's default is on).
 * Candle feeds end at the start of the run (see candles.ts).
 */
import { parseArgs } from 'node:util';
import { feedEndingAt } from './candles.ts';
import { loadCandles } from './fill.ts';
import { runImportCost } from './import-cost.ts';
import { runIngest } from './ingest.ts';
import { runPartitions } from './partitions.ts';
import { runReads } from './reads.ts';
import { count, Report } from './report.ts';
import { describeMachine, openBench } from './setup.ts';
import { runValidation } from './validation.ts';

const SECTIONS = ['import', 'ingest', 'validation', 'reads', 'partitions'] as const;
type Section = (typeof SECTIONS)[number];

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: { scale: { type: 'string' }, only: { type: 'string' }, jit: { type: 'string' } },
});
const scaleText = args.scale ?? process.env.BENCH_SCALE ?? '1';
const scale = Number(scaleText);
if (!(scale > 0)) throw new Error(`--scale (BENCH_SCALE) must be a positive number, got ${scaleText}`);
const onlyText = args.only ?? process.env.BENCH_ONLY;
const only = onlyText ? onlyText.split(',').map((s) => s.trim()) : [...SECTIONS];
const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknown.length)
  throw new Error(`--only (BENCH_ONLY): unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
const jit = args.jit ?? process.env.BENCH_JIT;
if (jit !== undefined && jit !== 'on' && jit !== 'off')
  throw new Error(`--jit (BENCH_JIT) must be on or off, got ${jit}`);
const runs = (section: Section) => only.includes(section);
const scaled = (n: number, min = 100) => Math.max(min, Math.round(n * scale));

const sizes = {
  ingest: scaled(1_000_000, 1_000),
  big: scaled(10_000_000, 10_000),
  naive: scaled(10_000),
  sample: scaled(100_000),
  breakers: scaled(100_000),
  killSwitches: scaled(10_000),
  validation: scaled(100_000),
  partitionIngest: scaled(200_000, 1_000),
  trading: scaled(20_000, 500),
};

const started = performance.now();
const end = new Date();
const bench = await openBench(jit ? { jit } : {});
try {
  const machine = await describeMachine(bench);
  console.error(
    `bench: scale ${scale}, sections ${only.join(', ')}; candles: ${count(sizes.ingest)} and ${count(sizes.big)}, ` +
      `feeds ending ${end.toISOString()}${jit ? `, jit ${jit}` : ''}`,
  );
  console.error(`machine: ${machine}`);
  const report = new Report();
  const feed = feedEndingAt(sizes.ingest, end);
  if (runs('import')) runImportCost(report);
  if (runs('ingest')) await runIngest(bench, report, feed, sizes.naive, sizes.sample);
  if (runs('validation')) await runValidation(bench, report, feed, sizes.validation);
  if (runs('reads')) {
    // The reads start from the ingested candles; without the ingest, the same feed loaded server-side.
    if (!runs('ingest')) await loadCandles(bench.sql, 'ohlcv_data', feed);
    await runReads(bench, report, sizes.ingest, sizes.big, sizes.breakers, sizes.killSwitches, end);
  }
  if (runs('partitions')) {
    await runPartitions(
      bench,
      report,
      {
        small: sizes.ingest,
        big: sizes.big,
        ingest: sizes.partitionIngest,
        breakers: sizes.breakers,
        killSwitches: sizes.killSwitches,
        trading: sizes.trading,
      },
      end,
    );
  }
  const minutes = (performance.now() - started) / 60_000;
  console.log(`\nMachine: ${machine}`);
  console.log(
    `Run: ${new Date().toISOString()}, scale ${scale}, sections ${only.join(', ')}, ${minutes.toFixed(1)} min\n`,
  );
  console.log(report.render());
  const missed = report.missed();
  console.log(missed.length ? `\nGoals missed: ${missed.join('; ')}` : '\nAll measured goals met.');
} finally {
  await bench.dispose();
}
