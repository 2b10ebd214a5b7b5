/**
 * Retention against DELETE: the same oldest month of 1-minute candles, on the
 * same rows, removed from the partitioned ohlcv_data by apply_retention
 * (DETACH + DROP) and from a one-table copy (same indexes) by the seed's
 * DELETE, then VACUUM. Reports the time ratio and when the space comes back.
 *
 *   tsx bench/retention.ts [rows] [--tablespace NAME] [--cold]
 *
 * --tablespace puts both tables in that tablespace (to compare storage: the
 * file removal a DROP pays depends on the filesystem). --cold evicts the
 * operating system's page cache before each timed step, as the oldest month
 * of a long history is in production (needs a server on this machine and
 * root: it writes /proc/sys/vm/drop_caches).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type postgres from 'postgres';
import { count, mib, ms, Report, times } from './report.ts';
import { openBench, type Bench } from './setup.ts';
import { median, timed } from './timing.ts';

const MONTHS = ['2020-01', '2020-02', '2020-03', '2020-04'];
const MINUTES = (Date.UTC(2020, 4, 1) - Date.UTC(2020, 0, 1)) / 60_000;
const OLD_MONTH_END = '2020-02-01 00:00:00+00';
const REPEATS = 3;

/** Bytes of a table with its indexes; of all its partitions for a partitioned one. */
const sizeSql = (table: string) => `SELECT CASE WHEN c.relkind = 'p'
    THEN (SELECT coalesce(sum(pg_total_relation_size(t.relid)), 0) FROM pg_partition_tree(c.oid) t WHERE t.isleaf)
    ELSE pg_total_relation_size(c.oid) END::bigint AS bytes
  FROM pg_class c WHERE c.oid = '${table}'::regclass`;
const policySql = (dryRun: boolean) => `SELECT * FROM apply_retention(jsonb_build_object(
  'ohlcv_data', (now() - timestamptz '${OLD_MONTH_END}')::text, 'ohlcv', null, 'funding_rates', null,
  'llm_analysis_log', null, 'system_events', null, 'llm_analyses', null, 'technical_signals', null,
  'ml_predictions', null, 'trades', null), ${dryRun})`;

export interface RetentionOptions {
  /** An existing tablespace for both tables; default: the database's. */
  tablespace?: string;
  /** Evict the OS page cache before each timed step. */
  cold?: boolean;
}

/** Writes dirty buffers out, then drops the OS page cache: the next read of any table comes from the disk. */
async function evictCaches(sql: postgres.Sql): Promise<void> {
  await sql.unsafe('CHECKPOINT');
  execFileSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '1');
  } catch (e) {
    throw new Error(
      `retention bench --cold: cannot write /proc/sys/vm/drop_caches (run as root, server on this machine): ${e}`,
    );
  }
}

/** The filesystem and mount options of the tablespace's directory (a server on this machine), for the report. */
async function storageOf(sql: postgres.Sql, tablespace: string | undefined): Promise<string> {
  const [row] = await sql.unsafe<{ dir: string }[]>(
    tablespace
      ? `SELECT pg_tablespace_location(oid) AS dir FROM pg_tablespace WHERE spcname = '${tablespace.replace(/'/g, "''")}'`
      : `SELECT current_setting('data_directory') AS dir`,
  );
  if (!row) throw new Error(`retention bench: no tablespace "${tablespace}"`);
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, point]) => point && (row.dir === point || row.dir.startsWith(point === '/' ? '/' : `${point}/`)))
      .sort((a, b) => b[1]!.length - a[1]!.length);
    const [, point, type, options] = mounts[0] ?? [];
    return `${tablespace ?? 'default tablespace'} (${row.dir}: ${type} on ${point}, ${options})`;
  } catch {
    return `${tablespace ?? 'default tablespace'} (${row.dir})`;
  }
}

export async function runRetention(
  bench: Bench,
  report: Report,
  rows: number,
  options: RetentionOptions = {},
): Promise<void> {
  const symbols = Math.max(1, Math.ceil(rows / MINUTES));
  const section = 'Retention';
  const beforeTimedStep = async (sql: postgres.Sql) => (options.cold ? evictCaches(sql) : undefined);
  let storage = '';
  const timings: {
    drop: number;
    bareDrop: number;
    delete: number;
    vacuum: number;
    oldRows: number;
    partitioned: [number, number];
    flat: [number, number, number];
  }[] = [];
  for (let run = 0; run < REPEATS; run++) {
    const { sql } = await bench.openDatabase(`iftb_bench_retention_${run}`);
    // One connection: the setting holds for every table and partition made below.
    if (options.tablespace) await sql.unsafe(`SET default_tablespace = "${options.tablespace.replace(/"/g, '""')}"`);
    if (run === 0) {
      storage = await storageOf(sql, options.tablespace);
      console.error(
        `retention: ${count(symbols * MINUTES)} 1m candles over ${MONTHS.join(', ')}, ${REPEATS} runs; ${storage}${options.cold ? ', cold' : ''}`,
      );
    }
    await sql.unsafe(
      `SELECT count(*) FROM ensure_partitions('ohlcv_data', '${MONTHS[0]}-01 00:00+00', '${MONTHS.at(-1)}-01 00:00+00')`,
    );
    await sql.unsafe(`INSERT INTO ohlcv_data (symbol, timeframe, "timestamp", open, high, low, close, volume)
      SELECT 'SYM' || s, '1m', t, 100, 101, 99, 100.5, 10
        FROM generate_series(1, ${symbols}) s,
             generate_series(timestamptz '${MONTHS[0]}-01 00:00+00', timestamptz '2020-05-01 00:00+00' - interval '1 minute',
                             interval '1 minute') t`);
    // The one-table design: the same rows and indexes in an unpartitioned table.
    await sql.unsafe(`CREATE TABLE ohlcv_data_one_table (LIKE ohlcv_data INCLUDING ALL)`);
    await sql.unsafe(`INSERT INTO ohlcv_data_one_table SELECT * FROM ohlcv_data`);
    await sql.unsafe(`VACUUM ANALYZE ohlcv_data_one_table`);
    await sql.unsafe(`VACUUM ANALYZE ohlcv_data`);
    await sql.unsafe(`CHECKPOINT`);
    if (options.tablespace) {
      const [elsewhere] = await sql.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')
          AND (c.relname LIKE 'ohlcv_data_p2020%' OR c.relname LIKE 'ohlcv_data_one_table%')
          AND c.reltablespace IS DISTINCT FROM (SELECT oid FROM pg_tablespace WHERE spcname = current_setting('default_tablespace'))`);
      if (elsewhere!.n > 0)
        throw new Error(`retention bench: ${elsewhere!.n} relations are not in ${options.tablespace}`);
    }
    const size = async (table: string) => Number((await sql.unsafe<{ bytes: string }[]>(sizeSql(table)))[0]!.bytes);
    const [counted] = await sql.unsafe<{ old: string }[]>(
      `SELECT count(*) AS old FROM ohlcv_data WHERE "timestamp" < '${OLD_MONTH_END}'`,
    );

    const partitionedBefore = await size('ohlcv_data');
    // The cutoff falls exactly on the old month's upper bound: only that month
    // goes. The dry run first, as an operator would (untimed); then the commit
    // of the real run is timed with it (the files are removed at commit).
    await sql.unsafe(policySql(true));
    await beforeTimedStep(sql);
    const drop = await timed(() => sql.unsafe(policySql(false)));
    const dropped = drop.value as unknown as { partition_name: string }[];
    if (dropped.map((r) => r.partition_name).join() !== 'ohlcv_data_p202001') {
      throw new Error(`retention bench: expected to drop ohlcv_data_p202001, dropped ${JSON.stringify(dropped)}`);
    }
    const partitionedAfter = await size('ohlcv_data');
    // The floor: a bare DROP TABLE of the next month (its commit removes the files).
    await beforeTimedStep(sql);
    const bareDrop = await timed(() => sql.begin((tx) => tx.unsafe(`DROP TABLE ohlcv_data_p202002`)));

    const flatBefore = await size('ohlcv_data_one_table');
    await beforeTimedStep(sql);
    const del = await timed(() =>
      sql.unsafe(`DELETE FROM ohlcv_data_one_table WHERE "timestamp" < '${OLD_MONTH_END}'`),
    );
    const flatAfterDelete = await size('ohlcv_data_one_table');
    await beforeTimedStep(sql);
    const vacuum = await timed(() => sql.unsafe(`VACUUM ohlcv_data_one_table`));
    const flatAfterVacuum = await size('ohlcv_data_one_table');
    timings.push({
      drop: drop.ms,
      bareDrop: bareDrop.ms,
      delete: del.ms,
      vacuum: vacuum.ms,
      oldRows: Number(counted!.old),
      partitioned: [partitionedBefore, partitionedAfter],
      flat: [flatBefore, flatAfterDelete, flatAfterVacuum],
    });
  }
  const m = (pick: (t: (typeof timings)[number]) => number) => median(timings.map(pick));
  const [last] = timings.slice(-1) as [(typeof timings)[number]];
  const ratio = m((t) => t.delete) / m((t) => t.drop);
  report.add({
    section,
    measure: `drop the oldest month (${count(last.oldRows)} of ${count(symbols * MINUTES)} rows), median of ${REPEATS}; ${storage}${options.cold ? '; page cache evicted before each step' : ''}`,
    result: `apply_retention ${ms(m((t) => t.drop))}`,
    baseline: `DELETE ${ms(m((t) => t.delete))} (+ VACUUM ${ms(m((t) => t.vacuum))})`,
    ratio: times(ratio),
    goal: '>= 50x faster than DELETE',
    met: ratio >= 50,
  });
  report.add({
    section,
    measure: 'of which removing the files: a bare DROP TABLE of the next month',
    result: ms(m((t) => t.bareDrop)),
  });
  report.add({
    section,
    measure: 'space returned at once',
    result: `partitioned ${mib(last.partitioned[0])} -> ${mib(last.partitioned[1])}`,
    baseline: `one table ${mib(last.flat[0])} -> ${mib(last.flat[1])} after DELETE, ${mib(last.flat[2])} after VACUUM`,
    goal: 'space returned at once',
    met: last.partitioned[1] < last.partitioned[0],
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { tablespace: { type: 'string' }, cold: { type: 'boolean' } },
  });
  const rows = Number(positionals[0] ?? 1_000_000);
  if (!(Number.isInteger(rows) && rows > 0))
    throw new Error(`rows must be a positive whole number, got ${positionals[0]}`);
  const bench = await openBench();
  try {
    const report = new Report();
    await runRetention(bench, report, rows, { tablespace: values.tablespace, cold: values.cold });
    console.log(report.render());
  } finally {
    await bench.dispose();
  }
}
