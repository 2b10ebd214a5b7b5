/**
 * Section 1: ingest of N candles. The methods compared load the same
 * deterministic candles into twin tables, in interleaved rounds (each round
 * every method loads the next slice, in rotating order), so a neighbour's load
 * on this shared machine hits all of them alike and the ratios hold.
 */
import { sql as q } from 'drizzle-orm';
import type { Db } from '../src/db.ts';
import { DEFAULT_BATCH_SIZE, upsertCandles } from '../src/ingest/upsert-candles.ts';
import { copyCandles, naiveUpsert, valuesUpsert } from './baselines.ts';
import { candleFeed, type Feed } from './candles.ts';
import { count, mib, rate, times, type Report } from './report.ts';
import type { Bench } from './setup.ts';
import { timed, withMemoryPeak } from './timing.ts';

/**
 * The reference's index set on ohlcv_data, rebuilt on a copy of our table
 * (same columns, defaults, identity and CHECKs). Nine indexes: the primary
 * key, the unique key and the seven the reference created, minus its
 * "recent 30 days" partial index, whose now() predicate PostgreSQL rejects.
 */
const referenceIndexes = (t: string) => [
  `ALTER TABLE ${t} ADD PRIMARY KEY (id)`,
  `ALTER TABLE ${t} ADD UNIQUE (symbol, timeframe, "timestamp", exchange)`,
  `CREATE INDEX ON ${t} (symbol)`,
  `CREATE INDEX ON ${t} ("timestamp" DESC)`,
  `CREATE INDEX ON ${t} (symbol, timeframe)`,
  `CREATE INDEX ON ${t} (symbol, timeframe, "timestamp" DESC)`,
  `CREATE INDEX ON ${t} (exchange)`,
  `CREATE INDEX ON ${t} (volume DESC)`,
  `CREATE INDEX ON ${t} (symbol, timeframe, "timestamp") WHERE NOT is_complete OR has_gaps`,
];

/**
 * Twin tables, one schema each, all named ohlcv_data so that the unchanged
 * upsertCandles writes them through search_path. `ours` is public.ohlcv_data.
 */
const TWINS = {
  ours: { schema: 'public', indexes: 'ours' },
  checked: { schema: 'bench_checked', indexes: 'ours' },
  copy: { schema: 'bench_copy', indexes: 'ours' },
  reference: { schema: 'bench_reference', indexes: 'reference' },
  referenceCopy: { schema: 'bench_reference_copy', indexes: 'reference' },
} as const;
type Method = keyof typeof TWINS;

async function createTwins(bench: Bench): Promise<void> {
  for (const { schema, indexes } of Object.values(TWINS)) {
    if (schema === 'public') continue;
    const table = `${schema}.ohlcv_data`;
    await bench.sql.unsafe(`CREATE SCHEMA ${schema}`);
    if (indexes === 'ours') {
      await bench.sql.unsafe(`CREATE TABLE ${table} (LIKE public.ohlcv_data INCLUDING ALL)`);
    } else {
      await bench.sql.unsafe(
        `CREATE TABLE ${table} (LIKE public.ohlcv_data INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS)`,
      );
      for (const statement of referenceIndexes(table)) await bench.sql.unsafe(statement);
    }
  }
}

/** upsertCandles into the twin of `schema`, as the bot would call it. */
function upsertInto(db: Db, schema: string, rows: ReturnType<typeof candleFeed>, validate: boolean) {
  return db.transaction(async (tx) => {
    await tx.execute(q.raw(`SET LOCAL search_path TO ${schema}, public`));
    return upsertCandles(tx, rows, { table: 'ohlcv_data', validate });
  });
}

/** Loads `feed` (feed.rows candles); the samples are new candles after them. */
export async function runIngest(
  bench: Bench,
  report: Report,
  feed: Feed,
  naiveRows: number,
  sampleRows: number,
): Promise<void> {
  const { rows } = feed;
  const section = `1. Ingest ${count(rows)} candles`;
  const step = (what: string) => console.error(`  ... ${what}`);
  await createTwins(bench);

  const rounds = 10;
  const perRound = Math.ceil(rows / rounds);
  const elapsed: Record<Method, number> = { ours: 0, checked: 0, copy: 0, reference: 0, referenceCopy: 0 };
  const memory = { rss: 0, heapUsed: 0, before: process.memoryUsage() };
  const methods = Object.keys(TWINS) as Method[];
  step(`${count(rows)} candles into 5 tables in ${rounds} interleaved rounds: ${methods.join(', ')}`);
  for (let round = 0, loaded = 0; loaded < rows; round++, loaded += perRound) {
    const slice = () => candleFeed(feed, Math.min(perRound, rows - loaded), { from: loaded });
    await bench.sql.unsafe('CHECKPOINT').catch(() => {}); // needs superuser or pg_checkpoint
    for (let i = 0; i < methods.length; i++) {
      const method = methods[(round + i) % methods.length]!;
      const { schema } = TWINS[method];
      const run: () => Promise<unknown> =
        method === 'copy' || method === 'referenceCopy'
          ? () => copyCandles(bench.sql, `${schema}.ohlcv_data`, slice())
          : () => upsertInto(bench.db, schema, slice(), method === 'checked');
      const measured = await withMemoryPeak(() => timed(run));
      elapsed[method] += measured.value.ms;
      if (method === 'ours' || method === 'checked') {
        memory.rss = Math.max(memory.rss, measured.rss);
        memory.heapUsed = Math.max(memory.heapUsed, measured.heapUsed);
      }
    }
  }
  const rateOf = (m: Method) => rows / (elapsed[m] / 1000);
  const [ours, copy] = [rateOf('ours'), rateOf('copy')];
  const [stored] = await bench.sql`SELECT count(*)::int AS n FROM public.ohlcv_data`;
  if (stored!.n !== rows) throw new Error(`upsert stored ${stored!.n} of ${rows} candles`);

  report.add({
    section,
    measure: 'upsertCandles, validate: false',
    result: rate(ours),
    baseline: `raw COPY: ${rate(copy)}`,
    ratio: `${Math.round((ours / copy) * 100)} % of COPY`,
    goal: '>= 50 % of COPY',
    met: ours >= 0.5 * copy,
  });
  report.add({
    section,
    measure: 'upsertCandles, validate: true (zod)',
    result: rate(rateOf('checked')),
    baseline: 'validate: false',
    ratio: `${Math.round((rateOf('checked') / ours) * 100)} %`,
  });

  // The obvious alternative method, on a sample of new candles after the loaded ones.
  step(`Drizzle multi-row VALUES on ${count(sampleRows)} candles`);
  const after = rows;
  const values = await timed(() =>
    valuesUpsert(bench.db, candleFeed(feed, sampleRows, { from: after, seed: 9, dataSource: 'values' })),
  );
  await bench.sql.unsafe(`DELETE FROM ohlcv_data WHERE data_source = 'values'`);
  const valuesRate = sampleRows / (values.ms / 1000);
  report.add({
    section,
    measure: `Drizzle multi-row VALUES upsert, ${count(sampleRows)}-row sample`,
    result: rate(valuesRate),
    baseline: 'upsertCandles, validate: false',
    ratio: `upsert ${times(ours / valuesRate)} faster`,
  });

  // The reference's per-row path, likewise.
  step(`naive per-row writes of ${count(naiveRows)} candles`);
  const naive = await timed(() =>
    naiveUpsert(bench.db, candleFeed(feed, naiveRows, { from: after, seed: 7, dataSource: 'naive' })),
  );
  await bench.sql.unsafe(`DELETE FROM ohlcv_data WHERE data_source = 'naive'`);
  const naiveRate = naiveRows / (naive.ms / 1000);
  report.add({
    section,
    measure: `naive select-then-write, ${count(naiveRows)}-row sample`,
    result: rate(naiveRate),
    baseline: 'upsertCandles, validate: false',
    ratio: `upsert ${times(ours / naiveRate)} faster`,
    goal: '>= 50x',
    met: ours >= 50 * naiveRate,
  });

  const reference = rateOf('reference');
  report.add({
    section,
    measure: "same upsert into the reference's 9 indexes",
    result: rate(reference),
    baseline: 'our 4 indexes (pk, key, time, quality)',
    ratio: `ours ${times(ours / reference)} faster`,
    goal: '>= 2x',
    met: ours >= 2 * reference,
  });
  report.add({
    section,
    measure: "raw COPY into the reference's 9 indexes",
    result: rate(rateOf('referenceCopy')),
    baseline: 'raw COPY into our 4 indexes',
    ratio: `ours ${times(copy / rateOf('referenceCopy'))} faster`,
  });
  report.add({
    section,
    measure: 'peak memory of the upserts',
    result: `RSS ${mib(memory.rss)}, heapUsed ${mib(memory.heapUsed)}`,
    baseline: `before: RSS ${mib(memory.before.rss)}, heapUsed ${mib(memory.before.heapUsed)}`,
    ratio: `batch ${count(DEFAULT_BATCH_SIZE)} rows`,
  });

  for (const { schema } of Object.values(TWINS))
    if (schema !== 'public') await bench.sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
}
