/**
 * Section 3: validation throughput of candles through ohlcvDataInsertSchema,
 * beside the time the same rows take to insert.
 */
import { upsertCandles } from '../src/ingest/upsert-candles.ts';
import { ohlcvDataInsertSchema } from '../src/validation/index.ts';
import { candleFeed, type Feed } from './candles.ts';
import { count, ms, rate, type Report } from './report.ts';
import type { Bench } from './setup.ts';
import { timed } from './timing.ts';

/** Validates `rows` new candles after those of `feed` (the ingested ones). */
export async function runValidation(bench: Bench, report: Report, feed: Feed, rows: number): Promise<void> {
  const section = '3. Validation';
  // Rows are built first, so only parsing is timed; the best of three passes
  // (the first also warms the JIT).
  const input = [...candleFeed(feed, rows, { from: feed.rows, dataSource: 'validation' })];
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    for (const row of input)
      if (!ohlcvDataInsertSchema.safeParse(row).success) throw new Error('bench candle rejected');
    best = Math.min(best, performance.now() - t0);
  }
  await bench.sql.unsafe(`DELETE FROM ohlcv_data WHERE data_source = 'validation'`);
  const insert = await timed(() => upsertCandles(bench.db, input, { table: 'ohlcv_data', validate: false }));
  await bench.sql.unsafe(`DELETE FROM ohlcv_data WHERE data_source = 'validation'`);
  const validationRate = rows / (best / 1000);
  report.add({
    section,
    measure: `ohlcvDataInsertSchema, ${count(rows)} candles`,
    result: `${rate(validationRate)} (${ms(best)})`,
    baseline: `inserting them (upsertCandles, validate: false): ${ms(insert.ms)}`,
    ratio: `validation = ${Math.round((best / insert.ms) * 100)} % of insert time`,
    goal: '>= 250,000 rows/s',
    met: validationRate >= 250_000,
  });
}
