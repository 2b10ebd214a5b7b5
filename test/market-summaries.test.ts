/**
 * The market read models (ohlcv_latest, ohlcv_data_latest, ohlcv_data_hourly, ohlcv_data_daily,
 * funding_rates_latest) under random inserts, upserts, value and key updates,
 * deletes and truncates: after every run each read model equals a
 * recomputation from the raw rows, and every rewritten reader returns, value
 * for value and digit for digit, what its previous definition (kept below as
 * the oracle, the SQL of migrations 0009 through 0018) returns on the same
 * rows in the same transaction (same now()).
 */
import { sql } from 'drizzle-orm';
import { databaseErrorOf } from '../src/errors.ts';
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db.ts';
import { targets, type TestDb } from './support/db.ts';
import { previous } from './support/previous-market-readers.ts';

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
  ohlcv_data_daily: `SELECT DISTINCT ON (symbol, timeframe, exchange, ("timestamp" AT TIME ZONE 'UTC')::date)
                            symbol, timeframe, exchange, ("timestamp" AT TIME ZONE 'UTC')::date AS day, "timestamp", close
                       FROM ohlcv_data ORDER BY symbol, timeframe, exchange, ("timestamp" AT TIME ZONE 'UTC')::date, "timestamp" DESC`,
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
const decimalArb = fc
  .tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: -8, max: 2 }))
  .map(([m, e]) => (e >= 0 ? String(m * 10 ** e) : (m / 10 ** -e).toFixed(-e)));
const candleArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  exchange: fc.constantFrom(...EXCHANGES),
  timeframe: fc.constantFrom(...TIMEFRAMES),
  offset: offsetArb,
  open: decimalArb,
  close: decimalArb,
  volume: decimalArb,
  highUp: fc.integer({ min: 0, max: 500 }),
  lowDown: fc.integer({ min: 0, max: 999 }),
});
const seriesArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  exchange: fc.constantFrom(...EXCHANGES),
  timeframe: fc.constantFrom(...TIMEFRAMES),
  from: offsetArb,
  span: fc.integer({ min: 1, max: 3 * 1440 }),
});
const rateArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  exchange: fc.constantFrom(...EXCHANGES),
  offset: offsetArb,
  rate: fc.integer({ min: -99_999, max: 99_999 }).map((r) => (r / 1e8).toFixed(8)),
  hours: fc.constantFrom(1, 4, 8),
});
type Candle = typeof candleArb extends fc.Arbitrary<infer C> ? C : never;
const opArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('upsert' as const),
      table: fc.constantFrom('ohlcv_data', 'ohlcv'),
      rows: fc.array(candleArb, { minLength: 1, maxLength: 40 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('insertNew' as const),
      table: fc.constantFrom('ohlcv_data', 'ohlcv'),
      rows: fc.array(candleArb, { minLength: 1, maxLength: 40 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('updateValues' as const),
      table: fc.constantFrom('ohlcv_data', 'ohlcv'),
      where: seriesArb,
      toHigh: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('moveKeys' as const),
      table: fc.constantFrom('ohlcv_data', 'ohlcv'),
      where: seriesArb,
      minutes: fc.integer({ min: -600, max: 600 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      table: fc.constantFrom('ohlcv_data', 'ohlcv'),
      where: seriesArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('upsertRates' as const),
      rows: fc.array(rateArb, { minLength: 1, maxLength: 20 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteRates' as const), where: seriesArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('updateRates' as const), where: seriesArb, rate: rateArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('truncate' as const),
      table: fc.constantFrom('ohlcv_data', 'ohlcv', 'funding_rates'),
    }),
  },
  // Rows vanishing without triggers (as when a partition is dropped), then over their range
  // refresh_market_summaries (all three tables) or refresh_read_models (the one table, as retention does).
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('dropRange' as const),
      from: fc.option(offsetArb, { nil: undefined }),
      to: offsetArb,
      table: fc.option(fc.constantFrom('ohlcv_data', 'ohlcv', 'funding_rates'), { nil: undefined }),
    }),
  },
);
type Op = typeof opArb extends fc.Arbitrary<infer O> ? O : never;

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The SQL of one operation; `at` turns minutes before the start into a timestamptz literal. */
function statementOf(op: Op, at: (offset: number) => string): string {
  const range = (w: { symbol: string; exchange: string; from: number; span: number }, timeframe?: string) =>
    `symbol = ${lit(w.symbol)} AND exchange = ${lit(w.exchange)}${timeframe ? ` AND timeframe = ${lit(timeframe)}` : ''}
     AND "timestamp" >= ${at(w.from)} AND "timestamp" < ${at(w.from + w.span)}`;
  const keyOf = (table: string) =>
    table === 'ohlcv' ? 'symbol, exchange, timeframe, "timestamp"' : 'symbol, timeframe, exchange, "timestamp"';
  const candles = (rows: Candle[]) => {
    const unique = new Map(rows.map((r) => [`${r.symbol}|${r.exchange}|${r.timeframe}|${r.offset}`, r]));
    return `SELECT symbol, exchange, timeframe, ts, open, greatest(open, close) * (1 + up / 1000.0),
                   greatest(round(least(open, close) * (1 - down / 1000.0), 8), 0.00000001), close, volume
              FROM (VALUES ${[...unique.values()]
                .map(
                  (r) =>
                    `(${lit(r.symbol)}, ${lit(r.exchange)}, ${lit(r.timeframe)}, ${at(r.offset)}, ${r.open}::numeric(20,8),
                  ${r.close}::numeric(20,8), ${r.volume}::numeric, ${r.highUp}, ${r.lowDown})`,
                )
                .join(', ')})
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
      const tables = op.table ? [op.table] : ['ohlcv', 'ohlcv_data', 'funding_rates'];
      return `SET LOCAL session_replication_role = replica;
              ${tables.map((table) => `DELETE FROM ${table} WHERE "timestamp" >= ${from} AND "timestamp" < ${to};`).join('\n')}
              SET LOCAL session_replication_role = origin;
              ${op.table ? `SELECT refresh_read_models(${lit(op.table)}, ${from}, ${to})` : `SELECT refresh_market_summaries(${from}, ${to})`}`;
    }
  }
}

/** Rows as PostgreSQL prints them (every digit and scale), sorted. */
async function printed(db: TestDb['db'], query: string): Promise<string[]> {
  return rowsOf<{ r: string }>(await db.execute(sql.raw(`SELECT row(q.*)::text AS r FROM (${query}) q`)))
    .map((x) => x.r)
    .sort();
}

const bind = (query: string, args: Record<string, string>) =>
  query.replace(/:(symbol|exchange|timeframe)\b/g, (_, name: string) => lit(args[name]!));

describe.each(targets.filter((t) => t.name === 'postgres' || t.name === 'pglite'))(
  'market read models on $name',
  ({ name, open }) => {
    let target: TestDb;
    beforeAll(async () => {
      target = await open();
    }, 120_000);
    afterAll(async () => target?.dispose());

    async function expectAgreement(ops: Op[]) {
      const db = target.db;
      await db.transaction(async (tx) => {
        // One transaction: now() is the same for each reader and its oracle.
        for (const [table, query] of Object.entries(recomputed)) {
          expect(await printed(tx as never, `SELECT * FROM ${table}`), `${table} after ${JSON.stringify(ops)}`).toEqual(
            await printed(tx as never, query),
          );
        }
        for (const view of [
          'v_market_data_summary',
          'v_volatility_analysis',
          'v_market_correlation',
          'v_funding_rate_analysis',
        ] as const) {
          expect(await printed(tx as never, `SELECT * FROM ${view}`), view).toEqual(
            await printed(tx as never, previous[view]),
          );
        }
        expect(await printed(tx as never, 'SELECT * FROM ohlcv_data_series()')).toEqual(
          await printed(tx as never, previous.ohlcv_data_series),
        );
        for (const symbol of [...SYMBOLS, 'ZZZ']) {
          for (const exchange of EXCHANGES) {
            expect(
              await printed(
                tx as never,
                bind('SELECT * FROM get_latest_funding_rate(:symbol, :exchange)', { symbol, exchange }),
              ),
            ).toEqual(await printed(tx as never, bind(previous.get_latest_funding_rate, { symbol, exchange })));
          }
          for (const timeframe of TIMEFRAMES) {
            expect(
              await printed(
                tx as never,
                bind('SELECT get_latest_ohlcv_price(:symbol, :timeframe)', { symbol, timeframe }),
              ),
            ).toEqual(
              await printed(tx as never, `SELECT (${bind(previous.get_latest_ohlcv_price, { symbol, timeframe })})`),
            );
            for (const exchange of EXCHANGES) {
              const args = { symbol, exchange, timeframe };
              expect(
                await printed(tx as never, bind('SELECT get_latest_price(:symbol, :exchange, :timeframe)', args)),
              ).toEqual(await printed(tx as never, `SELECT (${bind(previous.get_latest_price, args)})`));
            }
          }
        }
      });
    }

    it('a TRUNCATE naming the sources and their read models together (a reset script) empties them all', async () => {
      const db = target.db;
      await db.execute(
        sql.raw(`INSERT INTO ohlcv (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
                 VALUES ('AAA', '1h', 'ex1', now(), 1, 2, 1, 1, 5)`),
      );
      await db.execute(
        sql.raw(`INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
                 VALUES ('AAA', '1m', 'ex1', now(), 1, 2, 1, 1, 5)`),
      );
      await db.execute(
        sql.raw(`INSERT INTO funding_rates (symbol, exchange, "timestamp", rate) VALUES ('AAA', 'ex1', now(), 0.0001)`),
      );
      await db.execute(
        sql.raw(
          'TRUNCATE ohlcv, ohlcv_latest, ohlcv_data, ohlcv_data_latest, ohlcv_data_hourly, ohlcv_data_daily, funding_rates, funding_rates_latest',
        ),
      );
      await expectAgreement([]);
      const [left] = await printed(
        db as never,
        `SELECT (SELECT count(*) FROM ohlcv_latest) + (SELECT count(*) FROM ohlcv_data_latest)
              + (SELECT count(*) FROM ohlcv_data_hourly) + (SELECT count(*) FROM ohlcv_data_daily)
              + (SELECT count(*) FROM funding_rates_latest) AS n`,
      );
      expect(left).toBe('(0)');
    });

    it('refresh_read_models names a table that has no read models, and a NULL bound', async () => {
      const failure = async (call: string) => {
        const refused = await target.db.execute(sql.raw(`SELECT ${call}`)).then(
          () => undefined,
          (e: unknown) => databaseErrorOf(e),
        );
        return refused ? `${refused.code}: ${refused.message}` : 'no error';
      };
      expect(await failure(`refresh_read_models('trades')`)).toBe(
        '22023: refresh_read_models: "trades" has no read models (ohlcv, ohlcv_data or funding_rates)',
      );
      expect(await failure(`refresh_read_models('ohlcv', NULL, now())`)).toMatch(
        /^22023: refresh_read_models: from_time and to_time must not be NULL/,
      );
    });

    it('a week and more of one-minute candles: the windowed views agree to the digit', async () => {
      await target.db.execute(sql.raw('TRUNCATE ohlcv, ohlcv_data, funding_rates'));
      // 3 series x 8.5 days of 1m candles with prices of several magnitudes, in 10k-row batches.
      // One transaction, so one now(): batches on either side of a minute boundary would collide.
      await target.db.transaction(async (tx) => {
        for (let batch = 0; batch < 4; batch++) {
          await tx.execute(
            sql.raw(`
        INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
        SELECT s.symbol, '1m', 'ex1', date_trunc('minute', now()) - g * interval '1 minute', p.open,
               p.open * (1 + (g % 97) / 1000.0), round(p.open * (1 - (g % 89) / 1000.0), 8), p.open, (g % 1013) / 7.0
          FROM (VALUES ('AAA', 1), ('BBB', 2), ('CCC', 3)) s(symbol, k)
         CROSS JOIN generate_series(${batch * 3100}, ${batch * 3100 + 3099}) g
         CROSS JOIN LATERAL (SELECT round((1 + (g * 7919 % 10007) / 10007.0) * 10::numeric ^ (s.k * 2 - 3), 8) AS open) p`),
          );
        }
      });
      // And a re-sent (upserted) last day, as a backfill would.
      await target.db.execute(
        sql.raw(`
      INSERT INTO ohlcv_data (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume)
      SELECT symbol, timeframe, exchange, "timestamp", open, high, low, close, volume + 1 FROM ohlcv_data
       WHERE "timestamp" > now() - interval '1 day'
      ON CONFLICT (symbol, timeframe, exchange, "timestamp") DO UPDATE SET volume = excluded.volume`),
      );
      await expectAgreement([]);
      const [week] = rowsOf<{ n: number }>(
        await target.db.execute(
          sql.raw(
            `SELECT count(*)::int AS n FROM v_volatility_analysis WHERE volatility_7d > 0 AND volatility_24h > 0`,
          ),
        ),
      );
      expect(week!.n).toBe(3);
    }, 600_000);

    it('after random writes, each read model equals its recomputation and each reader its previous definition', async () => {
      const start = Math.floor(Date.now() / MINUTE) * MINUTE;
      const at = (offset: number) => `timestamptz '${new Date(start + offset * MINUTE).toISOString()}'`;
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 10 }), async (ops) => {
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
              if (!(op.kind === 'moveKeys' && databaseErrorOf(e)?.code === '23505')) throw e;
            }
          }
          await expectAgreement(ops);
        }),
        { numRuns: name === 'pglite' ? 8 : 15, seed: 1313, endOnFailure: true },
      );
    }, 600_000);
  },
);

describe('market read models under concurrent writers (server)', () => {
  let target: TestDb;
  beforeAll(async () => {
    target = await targets.find((t) => t.name === 'postgres')!.open();
  }, 120_000);
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
