/**
 * Section 4: partitioned against one table, side by side in one run.
 *
 * Four databases on the same server: "one table" = migrated through 0018
 * (the released design: one table per series kind), "partitioned" = all the
 * migrations of this checkout; each at N and 10N candles, filled with the
 * same rows (the same feed in ohlcv_data and ohlcv, server-side and
 * deterministic, plus funding rates, fear & greed, risk history, trades and
 * decisions). Measured:
 * - every view and SQL function the bot reads: medians inside the server,
 *   the four databases in interleaved rounds so that a neighbour's load hits
 *   them alike;
 * - upsertCandles against COPY into the same table, new candles after the
 *   loaded ones, interleaved likewise;
 * - retention of the oldest month: apply_retention() against DELETE.
 * An object the checkout lacks (apply_retention before it is written) is
 * printed as n/a. When this checkout has no partitioned tables yet, both
 * sides hold the same design and the ratios show the noise floor.
 */
import type postgres from 'postgres';
import { upsertCandles } from '../src/ingest/upsert-candles.ts';
import { readMigrations } from '../src/migration-files.ts';
import { copyCandles } from './baselines.ts';
import { candleFeed, feedEndingAt, SERIES, timeOfRow, type Feed } from './candles.ts';
import {
  ensurePartitions,
  fillMarketData,
  fillRiskData,
  fillTradingData,
  isPartitioned,
  leafTables,
  loadCandles,
  settle,
  totalSize,
} from './fill.ts';
import { count, mib, ms, rate, times, verdictOf, type Report } from './report.ts';
import type { Bench, BenchDatabase } from './setup.ts';
import { median, serverTimes, timed } from './timing.ts';

const SECTION = '4. Partitioned vs one table';
const step = (what: string) => console.error(`  ... ${what}`);

/** The last migration of the released one-table design. */
const ONE_TABLE_PREFIX = '0018_';

export interface PartitionSizes {
  /** Candles at the two sizes compared (ohlcv_data and ohlcv each). */
  small: number;
  big: number;
  /** New candles per method and database for the ingest comparison. */
  ingest: number;
  breakers: number;
  killSwitches: number;
  /** Trades, decisions and analyses behind them. */
  trading: number;
}

type Design = 'one' | 'part';
interface Side {
  design: Design;
  size: 'small' | 'big';
  feed: Feed;
  database: BenchDatabase;
  /** What this database is, for the report. */
  label: string;
  loadMs: number;
}

/** Read objects: name, query, the object it needs, and its goal class. */
const READS = [
  {
    name: 'is_trading_allowed()',
    query: 'SELECT * FROM is_trading_allowed()',
    needs: 'is_trading_allowed(text)',
    kind: 'hot',
  },
  {
    name: 'get_latest_price',
    query: `SELECT get_latest_price('BTCUSDT', 'binance', '1m')`,
    needs: 'get_latest_price(text, text, text)',
    kind: 'hot',
  },
  {
    name: 'get_latest_ohlcv_price',
    query: `SELECT get_latest_ohlcv_price('BTCUSDT', '1m')`,
    needs: 'get_latest_ohlcv_price(text, text)',
    kind: 'other',
  },
  {
    name: 'get_latest_funding_rate',
    query: `SELECT * FROM get_latest_funding_rate('BTCUSDT', 'binance')`,
    needs: 'get_latest_funding_rate(text, text)',
    kind: 'other',
  },
  {
    name: 'get_latest_fear_greed',
    query: 'SELECT * FROM get_latest_fear_greed()',
    needs: 'get_latest_fear_greed()',
    kind: 'other',
  },
  {
    name: 'ohlcv_data_series()',
    query: 'SELECT * FROM ohlcv_data_series()',
    needs: 'ohlcv_data_series()',
    kind: 'other',
  },
  {
    name: 'v_market_data_summary',
    query: 'SELECT * FROM v_market_data_summary',
    needs: 'v_market_data_summary',
    kind: 'hot',
  },
  { name: 'v_risk_summary', query: 'SELECT * FROM v_risk_summary', needs: 'v_risk_summary', kind: 'hot' },
  {
    name: 'v_volatility_analysis',
    query: 'SELECT * FROM v_volatility_analysis',
    needs: 'v_volatility_analysis',
    kind: 'window',
  },
  {
    name: 'v_market_correlation',
    query: 'SELECT * FROM v_market_correlation',
    needs: 'v_market_correlation',
    kind: 'window',
  },
  {
    name: 'v_funding_rate_analysis',
    query: 'SELECT * FROM v_funding_rate_analysis',
    needs: 'v_funding_rate_analysis',
    kind: 'window',
  },
  { name: 'v_active_positions', query: 'SELECT * FROM v_active_positions', needs: 'v_active_positions', kind: 'other' },
  { name: 'v_recent_trades', query: 'SELECT * FROM v_recent_trades', needs: 'v_recent_trades', kind: 'other' },
  {
    name: 'v_decision_analysis',
    query: 'SELECT * FROM v_decision_analysis',
    needs: 'v_decision_analysis',
    kind: 'other',
  },
  {
    name: 'v_analysis_performance',
    query: 'SELECT * FROM v_analysis_performance',
    needs: 'v_analysis_performance',
    kind: 'other',
  },
] as const;

const HOT_RATIO = 1.2;
const FLAT_RATIO = 2;
const WINDOW_MS = 50;
const UPSERT_SHARE = 0.7;
const UPSERT_FLAT = 0.9;
const RETENTION_SPEEDUP = 50;

async function exists(sql: postgres.Sql, object: string): Promise<boolean> {
  const [row] = await sql`SELECT CASE WHEN ${object} LIKE '%(%' THEN to_regprocedure(${object}) IS NOT NULL
    ELSE to_regclass(${object}) IS NOT NULL END AS present`;
  return row!.present as boolean;
}

/** The database's design in a few words: its last migration and how ohlcv_data is stored. */
async function describe(sql: postgres.Sql): Promise<string> {
  const [last] = await sql`SELECT created_at FROM drizzle.__iftb_db_migrations ORDER BY created_at DESC LIMIT 1`;
  const tag = readMigrations().find((m) => m.when === Number(last!.created_at))?.tag ?? '?';
  const partitions = await leafTables(sql, 'ohlcv_data');
  return `through ${tag}, ohlcv_data ${(await isPartitioned(sql, 'ohlcv_data')) ? `in ${partitions.length} monthly partitions` : 'one table'}`;
}

async function openSide(
  bench: Bench,
  design: Design,
  size: 'small' | 'big',
  rows: number,
  end: Date,
  sizes: PartitionSizes,
  oneTableTag: string,
): Promise<Side> {
  const suffix = `${design}_${size}`;
  step(
    `${suffix}: migrate ${design === 'one' ? `through ${oneTableTag}` : 'all'}, load ${count(rows)} candles into ohlcv_data and ohlcv`,
  );
  const database = await bench.openDatabase(suffix, design === 'one' ? { to: oneTableTag } : {});
  const feed = feedEndingAt(rows, end);
  const loadMs =
    (await loadCandles(database.sql, 'ohlcv_data', feed)) + (await loadCandles(database.sql, 'ohlcv', feed));
  await fillMarketData(database.sql);
  await fillRiskData(database.sql, sizes.breakers, sizes.killSwitches);
  await fillTradingData(database.sql, sizes.trading);
  await settle(database.sql);
  return { design, size, feed, database, loadMs, label: await describe(database.sql) };
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? undefined : a / b;
const showMs = (v: number | undefined) => (v === undefined ? 'n/a' : ms(v));
const showRatio = (v: number | undefined) => (v === undefined ? 'n/a' : times(v));
/** One decimal, so a share just under a goal never prints as the goal. */
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** Median server times of every read object on every side, in interleaved rounds. */
async function runReadsMatrix(report: Report, sides: Side[], sizes: PartitionSizes): Promise<void> {
  const [oneSmall, partSmall, oneBig, partBig] = ['one_small', 'part_small', 'one_big', 'part_big'].map(
    (k) => sides.find((s) => `${s.design}_${s.size}` === k)!,
  );
  const order = [oneSmall!, partSmall!, oneBig!, partBig!];
  const rows: string[][] = [];
  const verdicts: { label: string; met: boolean | 'n/a' }[] = [];
  for (const read of READS) {
    const present = await Promise.all(order.map((s) => exists(s.database.sql, read.needs)));
    const samples: number[][] = order.map(() => []);
    // Warm-up runs (plans, caches) estimate how many runs fit ~2 s per database:
    // thousands for the microsecond reads, whose medians move with the machine's load.
    let slowest = 0;
    for (const [i, side] of order.entries()) {
      if (!present[i]) continue;
      const [first] = await serverTimes(side.database.sql, read.query, 1);
      // A slow read is estimated by one run; a fast one by three (its first pays for planning).
      slowest = Math.max(slowest, first! > 100 ? first! : median(await serverTimes(side.database.sql, read.query, 3)));
    }
    const n = Math.min(5_000, Math.max(3, Math.round(2_000 / Math.max(slowest, 0.001))));
    const rounds = Math.min(10, n);
    for (let round = 0; round < rounds; round++) {
      for (let j = 0; j < order.length; j++) {
        const i = (round + j) % order.length;
        if (present[i])
          samples[i]!.push(...(await serverTimes(order[i]!.database.sql, read.query, Math.ceil(n / rounds))));
      }
    }
    const [o1, p1, o10, p10] = samples.map((s) => (s.length ? median(s) : undefined));
    const po1 = ratio(p1, o1);
    const po10 = ratio(p10, o10);
    const flat = ratio(p10, p1);
    let goal = '';
    let met: boolean | 'n/a' | undefined;
    if (read.kind === 'hot') {
      goal = `part/one <= ${HOT_RATIO}x at both sizes; part ${count(sizes.big)}/${count(sizes.small)} <= ${FLAT_RATIO}x`;
      met =
        po1 === undefined || po10 === undefined || flat === undefined
          ? 'n/a'
          : po1 <= HOT_RATIO && po10 <= HOT_RATIO && flat <= FLAT_RATIO;
    } else if (read.kind === 'window') {
      goal = `part < ${WINDOW_MS} ms at ${count(sizes.big)}`;
      met = p10 === undefined ? 'n/a' : p10 < WINDOW_MS;
    }
    if (met !== undefined) verdicts.push({ label: read.name, met });
    rows.push([
      read.name,
      showMs(o1),
      showMs(p1),
      showMs(o10),
      showMs(p10),
      showRatio(po1),
      showRatio(po10),
      showRatio(ratio(o10, o1)),
      showRatio(flat),
      goal,
      met === undefined ? '' : verdictOf(met),
    ]);
  }
  const [jit] = await partBig!.database.sql`SELECT current_setting('jit') AS jit`;
  report.addTable({
    name: `${SECTION}, reads`,
    title:
      `${SECTION}: reads, medians inside the server (one table = ${oneBig!.label}; partitioned = ${partBig!.label}; ` +
      `jit ${jit!.jit as string})`,
    head: [
      'Read',
      `one ${count(sizes.small)}`,
      `part ${count(sizes.small)}`,
      `one ${count(sizes.big)}`,
      `part ${count(sizes.big)}`,
      `part/one ${count(sizes.small)}`,
      `part/one ${count(sizes.big)}`,
      `one ${count(sizes.big)}/${count(sizes.small)}`,
      `part ${count(sizes.big)}/${count(sizes.small)}`,
      'Goal',
      'Met',
    ],
    rows,
    verdicts,
  });
}

/** upsertCandles into a side's ohlcv_data, as the bot calls it. */
async function upsertSlice(side: Side, from: number, rows: number): Promise<number> {
  const { ms: elapsed } = await timed(() =>
    upsertCandles(side.database.db, candleFeed(side.feed, rows, { from, dataSource: 'upsert' }), {
      table: 'ohlcv_data',
      validate: false,
    }),
  );
  return elapsed;
}

async function copySlice(side: Side, from: number, rows: number): Promise<number> {
  const { ms: elapsed } = await timed(() =>
    copyCandles(side.database.sql, 'ohlcv_data', candleFeed(side.feed, rows, { from, dataSource: 'copy' })),
  );
  return elapsed;
}

/**
 * New candles after the loaded ones, into every side: in each round each
 * side takes one slice by upsertCandles and the next by COPY (alternating
 * which goes first), the sides in rotating order.
 */
async function runIngestComparison(report: Report, sides: Side[], sizes: PartitionSizes): Promise<void> {
  const rounds = 4;
  const perSlice = Math.max(SERIES, Math.ceil(sizes.ingest / rounds));
  const elapsed = new Map(sides.map((s) => [s, { upsert: 0, copy: 0, upsertError: undefined as string | undefined }]));
  for (const side of sides) {
    await ensurePartitions(
      side.database.sql,
      'ohlcv_data',
      timeOfRow(side.feed, side.feed.rows),
      timeOfRow(side.feed, side.feed.rows + 2 * rounds * perSlice),
    );
  }
  step(
    `${count(rounds * perSlice)} new candles per method into each of ${sides.length} databases, ${rounds} interleaved rounds`,
  );
  for (let round = 0; round < rounds; round++) {
    await sides[0]!.database.sql.unsafe('CHECKPOINT').catch(() => {}); // needs superuser or pg_checkpoint
    for (let j = 0; j < sides.length; j++) {
      const side = sides[(round + j) % sides.length]!;
      const e = elapsed.get(side)!;
      const [first, second] = [side.feed.rows + 2 * round * perSlice, side.feed.rows + (2 * round + 1) * perSlice];
      const upsertFirst = (round + j) % 2 === 0;
      const upsertFrom = upsertFirst ? first : second;
      const copyFrom = upsertFirst ? second : first;
      const doUpsert = async () => {
        if (e.upsertError) return;
        try {
          e.upsert += await upsertSlice(side, upsertFrom, perSlice);
        } catch (error) {
          // The first line, shortened: upsertCandles of a newer checkout may need objects the one-table database lacks.
          const { cause } = error as Error;
          const line = (cause instanceof Error ? cause : (error as Error)).message.split('\n')[0]!;
          e.upsertError = line.length > 120 ? `${line.slice(0, 117)}...` : line;
        }
      };
      const doCopy = async () => {
        e.copy += await copySlice(side, copyFrom, perSlice);
      };
      if (upsertFirst) {
        await doUpsert();
        await doCopy();
      } else {
        await doCopy();
        await doUpsert();
      }
    }
  }
  const total = rounds * perSlice;
  const rates = (side: Side) => {
    const e = elapsed.get(side)!;
    return {
      upsert: e.upsertError ? undefined : total / (e.upsert / 1000),
      copy: total / (e.copy / 1000),
      error: e.upsertError,
    };
  };
  const find = (design: Design, size: 'small' | 'big') => sides.find((s) => s.design === design && s.size === size)!;
  for (const size of ['small', 'big'] as const) {
    const part = find('part', size);
    const one = find('one', size);
    const p = rates(part);
    const o = rates(one);
    const stored = count(part.feed.rows);
    report.add({
      section: SECTION,
      measure: `upsertCandles into partitioned ohlcv_data holding ${stored}`,
      result: p.upsert === undefined ? `n/a (${p.error})` : rate(p.upsert),
      baseline: `COPY into the same table: ${rate(p.copy)}`,
      ratio: p.upsert === undefined ? 'n/a' : `${percent(p.upsert / p.copy)} of COPY`,
      goal: `>= ${UPSERT_SHARE * 100} % of COPY`,
      met: p.upsert === undefined ? 'n/a' : p.upsert >= UPSERT_SHARE * p.copy,
    });
    report.add({
      section: SECTION,
      measure: `upsertCandles into one table holding ${stored}`,
      result: o.upsert === undefined ? `n/a (${o.error})` : rate(o.upsert),
      baseline: `COPY into it: ${rate(o.copy)}`,
      ratio:
        o.upsert === undefined || p.upsert === undefined
          ? 'n/a'
          : `${percent(o.upsert / o.copy)} of COPY; partitioned/one ${times(p.upsert / o.upsert)}`,
    });
  }
  const small = rates(find('part', 'small')).upsert;
  const big = rates(find('part', 'big')).upsert;
  report.add({
    section: SECTION,
    measure: `upsertCandles rate, partitioned, at ${count(sizes.big)} vs ${count(sizes.small)} stored`,
    result: big === undefined ? 'n/a' : rate(big),
    baseline: small === undefined ? 'n/a' : `at ${count(sizes.small)}: ${rate(small)}`,
    ratio: big === undefined || small === undefined ? 'n/a' : percent(big / small),
    goal: `>= ${UPSERT_FLAT * 100} %`,
    met: big === undefined || small === undefined ? 'n/a' : big >= UPSERT_FLAT * small,
  });
}

/** Execution time (ms) and WAL bytes of one statement, from EXPLAIN (ANALYZE, WAL): this backend's WAL only. */
async function explainWal(sql: postgres.Sql, statement: string): Promise<{ ms: number; wal: number }> {
  const { ms: wall, value } = await timed(() =>
    sql.unsafe(`EXPLAIN (ANALYZE, WAL, TIMING OFF, FORMAT JSON) ${statement}`),
  );
  const plan = (value[0]!['QUERY PLAN'] as { Plan: Record<string, number> }[])[0]!.Plan;
  return { ms: wall, wal: Number(plan['WAL Bytes'] ?? 0) };
}

const CANDLE_TABLES = ['ohlcv_data', 'ohlcv'] as const;
async function candleBytes(sql: postgres.Sql): Promise<number> {
  let bytes = 0;
  for (const table of CANDLE_TABLES) bytes += await totalSize(sql, table);
  return bytes;
}
const kib = (bytes: number) => (bytes >= 2 ** 20 ? mib(bytes) : `${Math.round(bytes / 1024)} kB`);

/**
 * The retention policy that drops the candles of the oldest month and
 * nothing else: the candle tables' horizon ends just after that month, every
 * other table retention covers is kept whole (null).
 */
function oldestMonthPolicy(horizonSeconds: number): Record<string, string | null> {
  const candles = `${horizonSeconds} seconds`;
  const keep = [
    'funding_rates',
    'llm_analysis_log',
    'system_events',
    'llm_analyses',
    'technical_signals',
    'ml_predictions',
    'trades',
  ];
  return { ohlcv_data: candles, ohlcv: candles, ...Object.fromEntries(keep.map((t) => [t, null])) };
}
/** apply_retention's shortest horizon. */
const MIN_HORIZON_SECONDS = 86_400;

/**
 * Times of the first reads after the retention: ohlcv_data_series() walks
 * each series' key forward from its oldest entry, where a DELETE leaves dead
 * index entries (until the first reads mark them or VACUUM removes them).
 */
async function firstReads(sql: postgres.Sql): Promise<{ series: number; summary: number }> {
  const series = (await timed(() => sql.unsafe('SELECT * FROM ohlcv_data_series()'))).ms;
  const summary = (await timed(() => sql.unsafe('SELECT * FROM v_market_data_summary'))).ms;
  return { series, summary };
}

/**
 * Drop the oldest month of candles: apply_retention() on the partitioned
 * side, DELETE of the same rows (then VACUUM) on the one-table side.
 */
async function runRetention(report: Report, one: Side, part: Side): Promise<void> {
  const label = `size ${count(part.feed.rows)}`;
  const [bounds] = await part.database.sql`SELECT date_trunc('month', min("timestamp"), 'UTC') AS month_start,
      date_trunc('month', min("timestamp"), 'UTC') + interval '1 month' AS month_end, now() AS now FROM ohlcv_data`;
  const monthStart = bounds!.month_start as Date;
  const monthEnd = bounds!.month_end as Date;
  const month = monthStart.toISOString().slice(0, 7);
  // A minute of slack: the horizon must still cover the month when the call runs.
  const horizonSeconds = Math.floor(((bounds!.now as Date).getTime() - monthEnd.getTime()) / 1000) - 60;
  if (horizonSeconds < MIN_HORIZON_SECONDS) {
    report.add({
      section: SECTION,
      measure: `retention at ${label}`,
      result:
        horizonSeconds < 0
          ? 'n/a (all candles are in the current month)'
          : `n/a (the oldest month, ${month}, ended less than a day ago: retention horizons start at 1 day)`,
    });
    return;
  }
  const [counted] = await one.database
    .sql`SELECT (SELECT count(*) FROM ohlcv_data WHERE "timestamp" < ${monthEnd})::float8
    + (SELECT count(*) FROM ohlcv WHERE "timestamp" < ${monthEnd})::float8 AS n`;
  const rows = count(counted!.n as number);
  step(`retention at ${label}: the month ${month} (${rows} rows of ohlcv_data and ohlcv)`);

  // One table: DELETE, first read after it, then VACUUM.
  const oneBefore = await candleBytes(one.database.sql);
  let deleted = { ms: 0, wal: 0 };
  for (const table of CANDLE_TABLES) {
    const d = await explainWal(
      one.database.sql,
      `DELETE FROM ${table} WHERE "timestamp" < '${monthEnd.toISOString()}'`,
    );
    deleted = { ms: deleted.ms + d.ms, wal: deleted.wal + d.wal };
  }
  const oneAfterDelete = await candleBytes(one.database.sql);
  const oneFirstRead = await firstReads(one.database.sql);
  const vacuum = await timed(() => one.database.sql.unsafe(`VACUUM ${CANDLE_TABLES.join(', ')}`));
  const oneAfterVacuum = await candleBytes(one.database.sql);

  const hasRetention = await exists(part.database.sql, 'apply_retention(jsonb, boolean)');
  if (!hasRetention) {
    report.add({
      section: SECTION,
      measure: `drop the oldest month (${month}, ${rows} rows): apply_retention()`,
      result: 'n/a (missing)',
      baseline: `one table: DELETE ${ms(deleted.ms)} + ${kib(deleted.wal)} WAL, then VACUUM ${ms(vacuum.ms)}`,
      goal: `>= ${RETENTION_SPEEDUP}x faster than DELETE`,
      met: 'n/a',
    });
    report.add({
      section: SECTION,
      measure: 'space returned by the retention',
      result: 'n/a (missing)',
      baseline: `one table: ${mib(oneBefore)} -> ${mib(oneAfterDelete)} after DELETE, ${mib(oneAfterVacuum)} after VACUUM`,
    });
    return;
  }
  const partBefore = await candleBytes(part.database.sql);
  const policy = JSON.stringify(oldestMonthPolicy(horizonSeconds));
  let applied: { ms: number; wal: number };
  try {
    applied = await explainWal(part.database.sql, `SELECT * FROM apply_retention('${policy}'::jsonb, false)`);
  } catch (error) {
    report.add({
      section: SECTION,
      measure: `drop the oldest month (${month}, ${rows} rows) at ${label}: apply_retention()`,
      result: `failed: ${(error as Error).message.split('\n')[0]}`,
      baseline: `one table: DELETE ${ms(deleted.ms)} + ${kib(deleted.wal)} WAL, then VACUUM ${ms(vacuum.ms)}`,
      goal: `>= ${RETENTION_SPEEDUP}x faster than DELETE`,
      met: false,
    });
    return;
  }
  const partAfter = await candleBytes(part.database.sql);
  const partFirstRead = await firstReads(part.database.sql);
  // Dropped: that month's rows, and only those: the loaded candles left are
  // those the DELETE left (the ingest's new candles may differ: a failed upsert).
  const loaded = part.feed.last;
  const countRows = async (sql: postgres.Sql) =>
    (
      await sql`SELECT
      (SELECT count(*) FROM ohlcv_data WHERE "timestamp" < ${monthEnd})::float8 + (SELECT count(*) FROM ohlcv WHERE "timestamp" < ${monthEnd})::float8 AS old,
      (SELECT count(*) FROM ohlcv_data WHERE "timestamp" <= ${loaded})::float8
        + (SELECT count(*) FROM ohlcv WHERE "timestamp" <= ${loaded})::float8 AS total`
    )[0]!;
  const [left, kept] = [await countRows(part.database.sql), await countRows(one.database.sql)];
  const dropped = left.old === 0 && left.total === kept.total;
  report.add({
    section: SECTION,
    measure: `drop the oldest month (${month}, ${rows} rows) at ${label}: apply_retention()`,
    result: `${ms(applied.ms)}, ${kib(applied.wal)} WAL${
      dropped
        ? ''
        : ` (left ${count(left.old as number)} rows of that month and ${count(left.total as number)} in all; DELETE left ${count(kept.total as number)})`
    }`,
    baseline: `one table: DELETE ${ms(deleted.ms)} + ${kib(deleted.wal)} WAL, then VACUUM ${ms(vacuum.ms)}`,
    ratio: `${times(deleted.ms / applied.ms)} faster than DELETE (${times((deleted.ms + vacuum.ms) / applied.ms)} than DELETE + VACUUM)`,
    goal: `>= ${RETENTION_SPEEDUP}x faster than DELETE, month gone`,
    met: dropped && deleted.ms >= RETENTION_SPEEDUP * applied.ms,
  });
  report.add({
    section: SECTION,
    measure: `space returned at ${label} (ohlcv_data + ohlcv)`,
    result: `${mib(partBefore)} -> ${mib(partAfter)} at once`,
    baseline: `one table: ${mib(oneBefore)} -> ${mib(oneAfterDelete)} after DELETE, ${mib(oneAfterVacuum)} after VACUUM`,
    goal: 'returned at once',
    met: partAfter < partBefore,
  });
  report.add({
    section: SECTION,
    measure: `first ohlcv_data_series(), then v_market_data_summary, after the retention at ${label}`,
    result: `${ms(partFirstRead.series)}, then ${ms(partFirstRead.summary)}`,
    baseline: `one table, after DELETE: ${ms(oneFirstRead.series)}, then ${ms(oneFirstRead.summary)}`,
    ratio: `ohlcv_data_series() ${times(oneFirstRead.series / partFirstRead.series)} faster`,
  });
}

export async function runPartitions(bench: Bench, report: Report, sizes: PartitionSizes, end: Date): Promise<void> {
  const oneTableTag = readMigrations().find((m) => m.tag.startsWith(ONE_TABLE_PREFIX))?.tag;
  if (!oneTableTag) throw new Error(`no migration ${ONE_TABLE_PREFIX}* in the journal`);
  const sides: Side[] = [];
  // The two designs of a size load at the same time (one connection each), so both see the same machine load.
  for (const [size, rows] of [
    ['small', sizes.small],
    ['big', sizes.big],
  ] as const) {
    sides.push(
      ...(await Promise.all(
        (['one', 'part'] as const).map((design) => openSide(bench, design, size, rows, end, sizes, oneTableTag)),
      )),
    );
  }
  for (const size of ['small', 'big'] as const) {
    const [one, part] = (['one', 'part'] as const).map((d) => sides.find((s) => s.design === d && s.size === size)!);
    report.add({
      section: SECTION,
      measure: `bulk load of ${count(part!.feed.rows)} candles into ohlcv_data and ohlcv each (INSERT ... SELECT, both designs at once)`,
      result: `partitioned: ${ms(part!.loadMs)}`,
      baseline: `one table: ${ms(one!.loadMs)}`,
      ratio: `${times(part!.loadMs / one!.loadMs)} the one-table time`,
    });
  }
  step('reads on the four databases');
  await runReadsMatrix(report, sides, sizes);
  await runIngestComparison(report, sides, sizes);
  for (const size of ['small', 'big'] as const) {
    const [one, part] = (['one', 'part'] as const).map((d) => sides.find((s) => s.design === d && s.size === size)!);
    await runRetention(report, one!, part!);
  }
}
