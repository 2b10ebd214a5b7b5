/**
 * The market read models (ohlcv_latest, ohlcv_data_latest, ohlcv_data_hourly,
 * funding_rates_latest) under random inserts, upserts, value and key updates,
 * deletes and truncates: after every run each read model equals a
 * recomputation from the raw rows, and every rewritten reader returns, value
 * for value and digit for digit, what its previous definition (kept below as
 * the oracle, the SQL of migrations 0009 through 0018) returns on the same
 * rows in the same transaction (same now()).
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db.ts';
import { targets, type TestDb } from './support/db.ts';

/** The definitions the read models replaced (the oracle). `:name` marks a parameter. */
const previous = {
  v_market_data_summary: `
-- A skip scan that walks ohlcv_data_candle_key (symbol, timeframe, exchange,
-- timestamp) backward: the first entry before the previous series' key is
-- the next series' newest candle, so one index probe per series finds the
-- series and its newest candle together, never reading the candles between.
WITH RECURSIVE newest_candles AS (
  (SELECT o.symbol, o.timeframe, o.exchange, o.timestamp, o.open, o.close, o.volume
     FROM ohlcv_data o
    ORDER BY o.symbol DESC, o.timeframe DESC, o.exchange DESC, o.timestamp DESC
    LIMIT 1)
  UNION ALL
  SELECT previous_series.*
    FROM newest_candles n
   CROSS JOIN LATERAL (
     SELECT o.symbol, o.timeframe, o.exchange, o.timestamp, o.open, o.close, o.volume
       FROM ohlcv_data o
      WHERE (o.symbol, o.timeframe, o.exchange) < (n.symbol, n.timeframe, n.exchange)
      ORDER BY o.symbol DESC, o.timeframe DESC, o.exchange DESC, o.timestamp DESC
      LIMIT 1
   ) previous_series
),
latest_fear_greed AS (
  SELECT f.value, f.classification, f.timestamp
    FROM fear_greed_index f
   ORDER BY f.timestamp DESC
   LIMIT 1
)
-- varchar without a length, as when the series came from ohlcv_data_series():
-- CREATE OR REPLACE VIEW cannot change a column's type.
SELECT c.symbol::varchar AS symbol,
       c.exchange::varchar AS exchange,
       c.timeframe::varchar AS timeframe,
       c.timestamp AS last_candle_time,
       c.close AS last_price,
       c.volume AS last_volume,
       (c.close - c.open) / c.open * 100 AS last_candle_change_pct,
       fg.value AS fear_greed_value,
       fg.classification AS fear_greed_classification,
       fg.timestamp AS fear_greed_time,
       fr.rate AS funding_rate,
       fr.rate_bps AS funding_rate_bps,
       fr.annualized_rate AS funding_rate_annual,
       fr.timestamp AS funding_rate_time
  FROM newest_candles c
  LEFT JOIN latest_fear_greed fg ON true
  -- The newest funding rate of the symbol on that exchange: one backward
  -- probe of funding_rates_key (symbol, exchange, timestamp).
  LEFT JOIN LATERAL (
    SELECT f.rate, f.rate_bps, f.annualized_rate, f.timestamp
      FROM funding_rates f
     WHERE f.symbol = c.symbol AND f.exchange = c.exchange
     ORDER BY f.timestamp DESC
     LIMIT 1
  ) fr ON true`,
  v_volatility_analysis: `
-- Series come from ohlcv_data_series(): one index probe each.
WITH series AS (SELECT * FROM ohlcv_data_series())
SELECT s.symbol,
       s.exchange,
       s.timeframe,
       stats.volatility_24h,
       stats.volatility_7d,
       stats.avg_range_24h,
       stats.avg_range_7d,
       stats.avg_volume_24h,
       stats.max_volume_24h,
       (newest.close - first_24h.open) / first_24h.open * 100 AS price_change_24h,
       newest.timestamp AS last_update
  FROM series s
 CROSS JOIN LATERAL (
   SELECT o.timestamp, o.close
     FROM ohlcv_data o
    WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
    ORDER BY o.timestamp DESC
    LIMIT 1
 ) newest
 CROSS JOIN LATERAL (
   SELECT stddev_samp(r.range_pct) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS volatility_24h,
          stddev_samp(r.range_pct) AS volatility_7d,
          avg(r.range_pct) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS avg_range_24h,
          avg(r.range_pct) AS avg_range_7d,
          avg(o.volume) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS avg_volume_24h,
          max(o.volume) FILTER (WHERE o.timestamp > now() - interval '24 hours') AS max_volume_24h
     FROM ohlcv_data o
    CROSS JOIN LATERAL (SELECT (o.high - o.low) / o.open * 100 AS range_pct) r
    WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
      AND o.timestamp > now() - interval '7 days'
 ) stats
  LEFT JOIN LATERAL (
    SELECT o.open
      FROM ohlcv_data o
     WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
       AND o.timestamp > now() - interval '24 hours'
     ORDER BY o.timestamp
     LIMIT 1
  ) first_24h ON true
 WHERE newest.timestamp > now() - interval '30 days'`,
  v_market_correlation: `
-- Series come from ohlcv_data_series(): one index probe each.
WITH series AS (SELECT * FROM ohlcv_data_series()),
-- The 30 reported UTC days ending today, plus the day before them (for the
-- first day's price_change), as [day_start, day_end) instants.
days AS (
  SELECT d::date AS day,
         d AT TIME ZONE 'UTC' AS day_start,
         (d + interval '1 day') AT TIME ZONE 'UTC' AS day_end
    FROM generate_series(((now() AT TIME ZONE 'UTC')::date - 30)::timestamp,
                         (now() AT TIME ZONE 'UTC')::date::timestamp,
                         interval '1 day') AS d
),
-- Each series' length: '1M' is a calendar month, which PostgreSQL's interval
-- input would read as one minute.
lengths AS (
  SELECT s.*, CASE s.timeframe WHEN '1M' THEN interval '1 month' ELSE s.timeframe::interval END AS length
    FROM series s
),
-- Each series' last candle of each day: one backward probe per series and day.
-- Timeframes longer than a day ('3d', '1w', '1M') do not close within a day.
last_candles AS (
  SELECT s.symbol, s.exchange, s.timeframe, days.day, days.day_start, days.day_end,
         c.timestamp + s.length AS closes_at, s.length, c.close
    FROM lengths s
   CROSS JOIN days
   CROSS JOIN LATERAL (
     SELECT o.timestamp, o.close
       FROM ohlcv_data o
      WHERE o.symbol = s.symbol AND o.timeframe = s.timeframe AND o.exchange = s.exchange
        AND o.timestamp >= days.day_start AND o.timestamp < days.day_end
      ORDER BY o.timestamp DESC
      LIMIT 1
   ) c
   WHERE s.length <= interval '1 day'
),
-- The day's close: the candle that closes last that day; on a tie the longer
-- timeframe wins, so the '1d' candle is preferred when there is one.
daily_close AS (
  SELECT DISTINCT ON (l.symbol, l.exchange, l.day)
         l.symbol, l.exchange, l.day, l.day_start, l.day_end, l.close
    FROM last_candles l
   ORDER BY l.symbol, l.exchange, l.day, l.closes_at DESC, l.length DESC
)
SELECT dc.symbol,
       dc.exchange,
       dc.day AS date,
       funding.avg_funding_rate,
       fg.value AS fear_greed_value,
       dc.close - prev.close AS price_change
  FROM daily_close dc
  LEFT JOIN daily_close prev
    ON prev.symbol = dc.symbol AND prev.exchange = dc.exchange AND prev.day = dc.day - 1
 CROSS JOIN LATERAL (
   SELECT avg(f.rate) AS avg_funding_rate
     FROM funding_rates f
    WHERE f.symbol = dc.symbol AND f.exchange = dc.exchange
      AND f.timestamp >= dc.day_start AND f.timestamp < dc.day_end
 ) funding
  LEFT JOIN LATERAL (
    SELECT g.value
      FROM fear_greed_index g
     WHERE g.timestamp >= dc.day_start AND g.timestamp < dc.day_end
     ORDER BY g.timestamp
     LIMIT 1
  ) fg ON true
 WHERE dc.day > (now() AT TIME ZONE 'UTC')::date - 30`,
  v_funding_rate_analysis: `
WITH windowed AS (
  SELECT f.symbol,
         f.exchange,
         avg(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS avg_rate_24h,
         avg(f.rate) FILTER (WHERE f.timestamp > now() - interval '7 days') AS avg_rate_7d,
         avg(f.rate) AS avg_rate_30d,
         max(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS max_rate_24h,
         min(f.rate) FILTER (WHERE f.timestamp > now() - interval '24 hours') AS min_rate_24h,
         count(*) FILTER (WHERE f.timestamp > now() - interval '7 days' AND f.rate > 0.0005)::integer
           AS high_positive_periods_7d,
         count(*) FILTER (WHERE f.timestamp > now() - interval '7 days' AND f.rate < -0.0005)::integer
           AS high_negative_periods_7d,
         max(f.timestamp) AS last_update
    FROM funding_rates f
   -- The 30-day window comes from funding_rates_time_idx.
   WHERE f.timestamp > now() - interval '30 days'
   GROUP BY f.symbol, f.exchange
)
SELECT w.symbol,
       w.exchange,
       cur.rate AS current_rate,
       w.avg_rate_24h,
       w.avg_rate_7d,
       w.avg_rate_30d,
       w.max_rate_24h,
       w.min_rate_24h,
       w.high_positive_periods_7d,
       w.high_negative_periods_7d,
       w.last_update
  FROM windowed w
  -- The newest reading: one backward probe of funding_rates_key.
 CROSS JOIN LATERAL (
   SELECT f.rate
     FROM funding_rates f
    WHERE f.symbol = w.symbol AND f.exchange = w.exchange
    ORDER BY f.timestamp DESC
    LIMIT 1
 ) cur`,
  get_latest_price: `
SELECT o.close
      FROM ohlcv o
     WHERE o.symbol = :symbol
       AND o.exchange = :exchange
       AND o.timeframe >= :timeframe AND o.timeframe <= :timeframe
     ORDER BY o.timeframe DESC, o."timestamp" DESC
     LIMIT 1`,
  get_latest_ohlcv_price: `
WITH RECURSIVE series_exchanges(exchange) AS (
      (SELECT d.exchange::text
         FROM ohlcv_data d
        WHERE d.symbol = :symbol
          AND d.timeframe = :timeframe
        ORDER BY d.exchange
        LIMIT 1)
      UNION ALL
      SELECT (SELECT d.exchange::text
                FROM ohlcv_data d
               WHERE d.symbol = :symbol
                 AND d.timeframe = :timeframe
                 AND d.exchange > e.exchange
               ORDER BY d.exchange
               LIMIT 1)
        FROM series_exchanges e
       WHERE e.exchange IS NOT NULL
    )
    SELECT newest.close
      FROM series_exchanges e
     CROSS JOIN LATERAL (
           SELECT d.close, d."timestamp"
             FROM ohlcv_data d
            WHERE d.symbol = :symbol
              AND d.timeframe = :timeframe
              -- A one-value range, not =, keeps exchange in the ORDER BY.
              AND d.exchange >= e.exchange AND d.exchange <= e.exchange
            ORDER BY d.exchange DESC, d."timestamp" DESC
            LIMIT 1) newest
     ORDER BY newest."timestamp" DESC, e.exchange
     LIMIT 1`,
  get_latest_funding_rate: `
-- One backward probe of funding_rates_key (symbol, exchange, timestamp).
  SELECT r.rate, r.rate_bps, r.annualized_rate, r."timestamp"
    FROM funding_rates r
   WHERE r.symbol = :symbol
     AND r.exchange = :exchange
   ORDER BY r."timestamp" DESC
   LIMIT 1`,
  ohlcv_data_series: `
-- A skip scan (loose index scan) over ohlcv_data_candle_key (symbol,
  -- timeframe, exchange, timestamp): each step is one index probe for the key
  -- after the previous series, so the cost grows with the number of series,
  -- never with the number of candles. v_volatility_analysis and
  -- v_market_correlation use it; v_market_data_summary walks the same key
  -- backward instead, to read each series' newest candle in the same probe.
  WITH RECURSIVE series AS (
    (SELECT o.symbol, o.timeframe, o.exchange
       FROM ohlcv_data o
      ORDER BY o.symbol, o.timeframe, o.exchange
      LIMIT 1)
    UNION ALL
    SELECT next_series.symbol, next_series.timeframe, next_series.exchange
      FROM series s
     CROSS JOIN LATERAL (
       SELECT o.symbol, o.timeframe, o.exchange
         FROM ohlcv_data o
        WHERE (o.symbol, o.timeframe, o.exchange) > (s.symbol, s.timeframe, s.exchange)
        ORDER BY o.symbol, o.timeframe, o.exchange
        LIMIT 1
     ) next_series
  )
  SELECT s.symbol, s.timeframe, s.exchange FROM series s`,
};

/** Each read model recomputed from the raw rows. */
const recomputed = {
  ohlcv_latest: `SELECT DISTINCT ON (symbol, exchange, timeframe) symbol, exchange, timeframe, "timestamp", close
                   FROM ohlcv ORDER BY symbol, exchange, timeframe, "timestamp" DESC`,
  ohlcv_data_latest: `SELECT DISTINCT ON (symbol, timeframe, exchange) symbol, timeframe, exchange, "timestamp", open, close, volume
                        FROM ohlcv_data ORDER BY symbol, timeframe, exchange, "timestamp" DESC`,
  ohlcv_data_hourly: `SELECT symbol, timeframe, exchange, date_trunc('hour', "timestamp", 'UTC') AS bucket_start, count(*)::integer,
                             sum((high - low) / open * 100), sum(((high - low) / open * 100) * ((high - low) / open * 100)),
                             sum(volume), max(volume), min("timestamp"), (array_agg(open ORDER BY "timestamp"))[1],
                             max("timestamp"), (array_agg(close ORDER BY "timestamp" DESC))[1]
                        FROM ohlcv_data GROUP BY 1, 2, 3, 4`,
  funding_rates_latest: `SELECT DISTINCT ON (symbol, exchange) symbol, exchange, "timestamp", rate, rate_bps, annualized_rate
                           FROM funding_rates ORDER BY symbol, exchange, "timestamp" DESC`,
};

const SYMBOLS = ['AAA', 'BBB'] as const;
const EXCHANGES = ['ex1', 'ex2'] as const;
const TIMEFRAMES = ['1m', '1h', '1d'] as const;
const MINUTE = 60_000;

/** Minutes before the run's start: around both window edges, the last day, and the last month. */
const offsetArb = fc.oneof(
  fc.integer({ min: -24 * 60 - 90, max: -24 * 60 + 90 }),
  fc.integer({ min: -7 * 1440 - 90, max: -7 * 1440 + 90 }),
  fc.integer({ min: -1440, max: 5 }),
  fc.integer({ min: -32 * 1440, max: 0 }),
);
/** Positive decimals of many magnitudes, so range quotients get many display scales. */
const decimalArb = fc.tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: -8, max: 2 }))
  .map(([m, e]) => (e >= 0 ? String(m * 10 ** e) : (m / 10 ** -e).toFixed(-e)));
const candleArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS), exchange: fc.constantFrom(...EXCHANGES), timeframe: fc.constantFrom(...TIMEFRAMES),
  offset: offsetArb, open: decimalArb, close: decimalArb, volume: decimalArb,
  highUp: fc.integer({ min: 0, max: 500 }), lowDown: fc.integer({ min: 0, max: 999 }),
});
const seriesArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS), exchange: fc.constantFrom(...EXCHANGES), timeframe: fc.constantFrom(...TIMEFRAMES),
  from: offsetArb, span: fc.integer({ min: 1, max: 3 * 1440 }),
});
const rateArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS), exchange: fc.constantFrom(...EXCHANGES), offset: offsetArb,
  rate: fc.integer({ min: -99_999, max: 99_999 }).map((r) => (r / 1e8).toFixed(8)),
  hours: fc.constantFrom(1, 4, 8),
});
type Candle = typeof candleArb extends fc.Arbitrary<infer C> ? C : never;
const opArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('upsert' as const), table: fc.constantFrom('ohlcv_data', 'ohlcv'), rows: fc.array(candleArb, { minLength: 1, maxLength: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('insertNew' as const), table: fc.constantFrom('ohlcv_data', 'ohlcv'), rows: fc.array(candleArb, { minLength: 1, maxLength: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('updateValues' as const), table: fc.constantFrom('ohlcv_data', 'ohlcv'), where: seriesArb, toHigh: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('moveKeys' as const), table: fc.constantFrom('ohlcv_data', 'ohlcv'), where: seriesArb, minutes: fc.integer({ min: -600, max: 600 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), table: fc.constantFrom('ohlcv_data', 'ohlcv'), where: seriesArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('upsertRates' as const), rows: fc.array(rateArb, { minLength: 1, maxLength: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteRates' as const), where: seriesArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('updateRates' as const), where: seriesArb, rate: rateArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), table: fc.constantFrom('ohlcv_data', 'ohlcv', 'funding_rates') }) },
  // Rows vanishing without triggers (as when a partition is dropped), then refresh_market_summaries over their range.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropRange' as const), from: fc.option(offsetArb, { nil: undefined }), to: offsetArb }) },
);
type Op = typeof opArb extends fc.Arbitrary<infer O> ? O : never;

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The SQL of one operation; `at` turns minutes before the start into a timestamptz literal. */
function statementOf(op: Op, at: (offset: number) => string): string {
  const range = (w: { symbol: string; exchange: string; from: number; span: number }, timeframe?: string) =>
    `symbol = ${lit(w.symbol)} AND exchange = ${lit(w.exchange)}${timeframe ? ` AND timeframe = ${lit(timeframe)}` : ''}
     AND "timestamp" >= ${at(w.from)} AND "timestamp" < ${at(w.from + w.span)}`;
  const keyOf = (table: string) => table === 'ohlcv' ? 'symbol, exchange, timeframe, "timestamp"' : 'symbol, timeframe, exchange, "timestamp"';
  const candles = (rows: Candle[]) => {
    const unique = new Map(rows.map((r) => [`${r.symbol}|${r.exchange}|${r.timeframe}|${r.offset}`, r]));
    return `SELECT symbol, exchange, timeframe, ts, open, greatest(open, close) * (1 + up / 1000.0),
                   greatest(round(least(open, close) * (1 - down / 1000.0), 8), 0.00000001), close, volume
              FROM (VALUES ${[...unique.values()].map((r) =>
                `(${lit(r.symbol)}, ${lit(r.exchange)}, ${lit(r.timeframe)}, ${at(r.offset)}, ${r.open}::numeric(20,8),
                  ${r.close}::numeric(20,8), ${r.volume}::numeric, ${r.highUp}, ${r.lowDown})`).join(', ')})
                   v(symbol, exchange, timeframe, ts, open, close, volume, up, down)`;
  };
  switch (op.kind) {
    case 'upsert':
      return `INSERT INTO ${op.table} (symbol, exchange, timeframe, "timestamp", open, high, low, close, volume) ${candles(op.rows)}
              ON CONFLICT (${keyOf(op.table)}) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low,
                 close = excluded.close, volume = excluded.volume`;
    case 'insertNew':
      return `INSERT INTO ${op.table} (symbol, exchange, timeframe, "timestamp", open, high, low, close, volume) ${candles(op.rows)}
              ON CONFLICT DO NOTHING`;
    case 'updateValues':
      return `UPDATE ${op.table} SET close = ${op.toHigh ? 'high' : 'low'}, volume = volume * 2 + 0.5
               WHERE ${range(op.where, op.where.timeframe)}`;
    case 'moveKeys':
      return `UPDATE ${op.table} SET "timestamp" = "timestamp" + interval '${op.minutes} minutes' WHERE ${range(op.where, op.where.timeframe)}`;
    case 'delete':
      return `DELETE FROM ${op.table} WHERE ${range(op.where, op.where.timeframe)}`;
    case 'upsertRates': {
      const unique = new Map(op.rows.map((r) => [`${r.symbol}|${r.exchange}|${r.offset}`, r]));
      return `INSERT INTO funding_rates (symbol, exchange, "timestamp", rate, funding_interval_hours)
              VALUES ${[...unique.values()].map((r) => `(${lit(r.symbol)}, ${lit(r.exchange)}, ${at(r.offset)}, ${r.rate}, ${r.hours})`).join(', ')}
              ON CONFLICT (symbol, exchange, "timestamp") DO UPDATE SET rate = excluded.rate,
                 funding_interval_hours = excluded.funding_interval_hours`;
    }
    case 'deleteRates':
      return `DELETE FROM funding_rates WHERE ${range(op.where)}`;
    case 'updateRates':
      return `UPDATE funding_rates SET rate = ${op.rate.rate} WHERE ${range(op.where)}`;
    case 'truncate':
      return `TRUNCATE ${op.table}`;
    case 'dropRange': {
      const from = op.from === undefined ? `'-infinity'` : at(Math.min(op.from, op.to));
      const to = at(op.to);
      return `SET LOCAL session_replication_role = replica;
              DELETE FROM ohlcv WHERE "timestamp" >= ${from} AND "timestamp" < ${to};
              DELETE FROM ohlcv_data WHERE "timestamp" >= ${from} AND "timestamp" < ${to};
              DELETE FROM funding_rates WHERE "timestamp" >= ${from} AND "timestamp" < ${to};
              SET LOCAL session_replication_role = origin;
              SELECT refresh_market_summaries(${from}, ${to})`;
    }
  }
}

/** Rows as PostgreSQL prints them (every digit and scale), sorted. */
async function printed(db: TestDb['db'], query: string): Promise<string[]> {
  return rowsOf<{ r: string }>(await db.execute(sql.raw(`SELECT row(q.*)::text AS r FROM (${query}) q`)))
    .map((x) => x.r).sort();
}

const bind = (query: string, args: Record<string, string>) =>
  query.replace(/:(symbol|exchange|timeframe)\b/g, (_, name: string) => lit(args[name]!));

describe.each(targets.filter((t) => t.name === 'postgres' || t.name === 'pglite'))('market read models on $name', ({ name, open }) => {
  let target: TestDb;
  beforeAll(async () => { target = await open(); }, 120_000);
  afterAll(async () => target?.dispose());

  async function expectAgreement(ops: Op[]) {
    const db = target.db;
    await db.transaction(async (tx) => {
      // One transaction: now() is the same for each reader and its oracle.
      for (const [table, query] of Object.entries(recomputed)) {
        expect(await printed(tx as never, `SELECT * FROM ${table}`), `${table} after ${JSON.stringify(ops)}`)
          .toEqual(await printed(tx as never, query));
      }
      for (const view of ['v_market_data_summary', 'v_volatility_analysis', 'v_market_correlation', 'v_funding_rate_analysis'] as const) {
        expect(await printed(tx as never, `SELECT * FROM ${view}`), view).toEqual(await printed(tx as never, previous[view]));
      }
      expect(await printed(tx as never, 'SELECT * FROM ohlcv_data_series()')).toEqual(await printed(tx as never, previous.ohlcv_data_series));
      for (const symbol of [...SYMBOLS, 'ZZZ']) {
        for (const exchange of EXCHANGES) {
          expect(await printed(tx as never, bind('SELECT * FROM get_latest_funding_rate(:symbol, :exchange)', { symbol, exchange })))
            .toEqual(await printed(tx as never, bind(previous.get_latest_funding_rate, { symbol, exchange })));
        }
        for (const timeframe of TIMEFRAMES) {
          expect(await printed(tx as never, bind('SELECT get_latest_ohlcv_price(:symbol, :timeframe)', { symbol, timeframe })))
            .toEqual(await printed(tx as never, `SELECT (${bind(previous.get_latest_ohlcv_price, { symbol, timeframe })})`));
          for (const exchange of EXCHANGES) {
            const args = { symbol, exchange, timeframe };
            expect(await printed(tx as never, bind('SELECT get_latest_price(:symbol, :exchange, :timeframe)', args)))
              .toEqual(await printed(tx as never, `SELECT (${bind(previous.get_latest_price, args)})`));
          }
        }
      }
    });
  }

  it('a week and more of one-minute candles: the windowed views agree to the digit', async () => {
    await target.db.execute(sql.raw('TRUNCATE ohlcv, ohlcv_data, funding_rates'));
    // 3 series x 8.5 days of 1m candles with prices of several magnitudes, in 10k-row batches.
    for (let batch = 0; batch < 4; batch++) {
      await target.db.execute(sql.raw(`
        INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
        SELECT s.symbol, '1m', 'ex1', date_trunc('minute', now()) - g * interval '1 minute', p.open,
               p.open * (1 + (g % 97) / 1000.0), round(p.open * (1 - (g % 89) / 1000.0), 8), p.open, (g % 1013) / 7.0
          FROM (VALUES ('AAA', 1), ('BBB', 2), ('CCC', 3)) s(symbol, k)
         CROSS JOIN generate_series(${batch * 3100}, ${batch * 3100 + 3099}) g
         CROSS JOIN LATERAL (SELECT round((1 + (g * 7919 % 10007) / 10007.0) * 10::numeric ^ (s.k * 2 - 3), 8) AS open) p`));
    }
    // And a re-sent (upserted) last day, as a backfill would.
    await target.db.execute(sql.raw(`
      INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
      SELECT symbol, timeframe, exchange, "timestamp", open, high, low, close, volume + 1 FROM ohlcv_data
       WHERE "timestamp" > now() - interval '1 day'
      ON CONFLICT (symbol, timeframe, exchange, "timestamp") DO UPDATE SET volume = excluded.volume`));
    await expectAgreement([]);
    const [week] = rowsOf<{ n: number }>(await target.db.execute(sql.raw(
      `SELECT count(*)::int AS n FROM v_volatility_analysis WHERE volatility_7d > 0 AND volatility_24h > 0`)));
    expect(week!.n).toBe(3);
  }, 600_000);

  it('after random writes, each read model equals its recomputation and each reader its previous definition', async () => {
    const start = Math.floor(Date.now() / MINUTE) * MINUTE;
    const at = (offset: number) => `timestamptz '${new Date(start + offset * MINUTE).toISOString()}'`;
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 10 }), async (ops) => {
      await target.db.execute(sql.raw('TRUNCATE ohlcv, ohlcv_data, funding_rates'));
      for (const op of ops) {
        try {
          if (op.kind === 'dropRange') {
            await target.db.transaction(async (tx) => {
              for (const statement of statementOf(op, at).split(';')) await tx.execute(sql.raw(statement));
            });
          } else await target.db.execute(sql.raw(statementOf(op, at)));
        } catch (e) {
          // A key move onto an existing key is refused as a whole; anything else is a failure.
          const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
          if (!(op.kind === 'moveKeys' && code === '23505')) throw e;
        }
      }
      await expectAgreement(ops);
    }), { numRuns: name === 'pglite' ? 15 : 40, seed: 1313, endOnFailure: true });
  }, 600_000);
});

describe('market read models under concurrent writers (server)', () => {
  let target: TestDb;
  beforeAll(async () => { target = await targets.find((t) => t.name === 'postgres')!.open(); }, 120_000);
  afterAll(async () => target?.dispose());

  it('sessions writing the same series at once lose no newest candle and no hour sum', async () => {
    const sessions = postgres(target.url!, { max: 4, onnotice: () => {} });
    try {
      // 4 sessions x 25 transactions on one series and two hours: inserts, upserts, value updates and deletes,
      // each transaction two statements apart in time so that they interleave.
      const write = async (worker: number) => {
        for (let i = 0; i < 25; i++) {
          const minute = (worker * 37 + i * 11) % 120;
          const statements = [
            `INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
             VALUES ('RACE', '1m', 'x', timestamptz '2026-01-01 10:00Z' + interval '${minute} minutes', 10, 20, 9, ${10 + worker}, ${i + 1}.${worker})
             ON CONFLICT (symbol, timeframe, exchange, "timestamp") DO UPDATE SET close = excluded.close, volume = excluded.volume`,
            i % 3 === 0
              ? `DELETE FROM ohlcv_data WHERE symbol = 'RACE' AND "timestamp" = timestamptz '2026-01-01 10:00Z' + interval '${(minute + 60) % 120} minutes'`
              : `UPDATE ohlcv_data SET volume = volume + 1 WHERE symbol = 'RACE' AND "timestamp" >= timestamptz '2026-01-01 10:00Z' + interval '${minute} minutes' - interval '20 minutes' AND "timestamp" < timestamptz '2026-01-01 10:00Z' + interval '${minute} minutes'`,
            `INSERT INTO funding_rates (symbol, exchange, "timestamp", rate) VALUES ('RACE', 'x', timestamptz '2026-01-01 10:00Z' + interval '${minute} minutes', 0.0001)
             ON CONFLICT (symbol, exchange, "timestamp") DO UPDATE SET rate = 0.0002`,
          ];
          try {
            await sessions.begin(async (tx) => {
              for (const statement of statements) {
                await tx.unsafe(statement);
                await tx.unsafe('SELECT pg_sleep(0.005)');
              }
            });
          } catch (e) {
            // Rolled back as a whole; a deadlock between two writers is retried by the writer, not lost.
            if ((e as { code?: string }).code !== '40P01') throw e;
          }
        }
      };
      await Promise.all([0, 1, 2, 3].map(write));
      for (const [table, query] of Object.entries(recomputed)) {
        expect(await printed(target.db, `SELECT * FROM ${table}`), table).toEqual(await printed(target.db, query));
      }
      expect((await printed(target.db, 'SELECT * FROM ohlcv_data_hourly')).length).toBe(2);
    } finally {
      await sessions.end();
    }
  }, 300_000);
});
