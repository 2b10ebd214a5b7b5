/**
 * `npm run bench`: import cost, ingest, hot reads and validation, measured side by side
 * in one run and printed as one table (stdout; progress goes to stderr).
 *
 * Server: DATABASE_URL, else an embedded PostgreSQL; the bench creates and
 * drops its own database `iftb_bench`.
 * BENCH_SCALE (default 1) scales every row count: 1 = 1M candles ingested,
 * reads at 1M and 10M, 100k breaker events; 0.01 is a quick smoke run.
 */
import { runImportCost } from './import-cost.ts';
import { runIngest } from './ingest.ts';
import { runReads } from './reads.ts';
import { count, Report } from './report.ts';
import { describeMachine, openBench } from './setup.ts';
import { runValidation } from './validation.ts';

const scale = Number(process.env.BENCH_SCALE ?? '1');
if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number, got ${process.env.BENCH_SCALE}`);
const scaled = (n: number, min = 100) => Math.max(min, Math.round(n * scale));

const sizes = {
  ingest: scaled(1_000_000, 1_000),
  big: scaled(10_000_000, 10_000),
  naive: scaled(10_000),
  sample: scaled(100_000),
  breakers: scaled(100_000),
  killSwitches: scaled(10_000),
  validation: scaled(100_000),
};

const started = performance.now();
const bench = await openBench();
try {
  const machine = await describeMachine(bench);
  console.error(`bench: scale ${scale}, ${count(sizes.ingest)} candles ingested, reads at ${count(sizes.ingest)} and ${count(sizes.big)}`);
  console.error(`machine: ${machine}`);
  const report = new Report();
  runImportCost(report);
  await runIngest(bench, report, sizes.ingest, sizes.naive, sizes.sample);
  await runValidation(bench, report, sizes.validation);
  await runReads(bench, report, sizes.ingest, sizes.big, sizes.breakers, sizes.killSwitches);
  const minutes = (performance.now() - started) / 60_000;
  console.log(`\nMachine: ${machine}`);
  console.log(`Run: ${new Date().toISOString()}, BENCH_SCALE=${scale}, ${minutes.toFixed(1)} min\n`);
  console.log(report.render());
  const missed = report.figures.filter((f) => f.met === false);
  console.log(missed.length ? `\nGoals missed: ${missed.map((f) => `${f.section} / ${f.measure}`).join('; ')}` : '\nAll measured goals met.');
} finally {
  await bench.dispose();
}
