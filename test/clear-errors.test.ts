/**
 * Every deliberate error is an IftbDbError naming what was wrong, and bad
 * arguments are refused before anything reaches the database.
 */
import { sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IftbDbError } from '../src/errors.ts';
import { calculateDailyPnl } from '../src/functions/calculate_daily_pnl.ts';
import { onlyRow } from '../src/functions/_execute.ts';
import { FunctionArgumentError } from '../src/functions/_arguments.ts';
import { ingestColumns } from '../src/ingest/columns.ts';
import { upsertCandles, type CandleTable } from '../src/ingest/upsert-candles.ts';
import { migrate } from '../src/migrate.ts';
import { ohlcv, ohlcvData, positions } from '../src/schema/index.ts';
import { openPosition, type NewOpenPosition } from '../src/trading/open-position.ts';
import { ValidationError } from '../src/validation/index.ts';
import { targets, type TestDb } from './support/db.ts';

const position: NewOpenPosition = {
  symbol: 'ETHUSDT',
  exchange: 'binance',
  side: 'long',
  entryPrice: '3000',
  quantity: '1',
  margin: '300',
};

/** The error `call` rejects with (fails the test when it resolves). */
async function errorOf(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

describe.each(targets)('$name', ({ open }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('openPosition refuses an id with a ValidationError naming the field, and writes nothing', async () => {
    const error = await errorOf(() => openPosition(t.db, { ...position, id: 1 } as NewOpenPosition));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.where)).toEqual(['id']);
    expect(error.message).toMatch(/id: ids are assigned by the database/);
    expect(await t.db.select().from(positions)).toEqual([]);
    // The sequence was not skipped past: a normal open still works.
    expect(await openPosition(t.db, position)).toMatchObject({ symbol: 'ETHUSDT', status: 'open' });
  });

  it('migrate to an unknown tag is a FunctionArgumentError naming the option', async () => {
    const error = await errorOf(() => migrate(t.db, { to: 'nope' }));
    expect(error).toBeInstanceOf(FunctionArgumentError);
    expect(error).toBeInstanceOf(IftbDbError);
    expect(error.message).toMatch(/^migrate: to .*"nope"/);
  });

  it.each([0, -1, 1.5, Number.NaN])(
    'upsertCandles refuses batchSize %s with a FunctionArgumentError',
    async (batchSize) => {
      const error = await errorOf(() => upsertCandles(t.db, [], { table: 'ohlcv_data', batchSize }));
      expect(error).toBeInstanceOf(FunctionArgumentError);
      expect(error.message).toMatch(/^upsertCandles: batchSize must be a positive integer/);
    },
  );

  it('upsertCandles refuses an unknown table with a FunctionArgumentError', async () => {
    const error = await errorOf(() => upsertCandles(t.db, [], { table: 'trades' as CandleTable }));
    expect(error).toBeInstanceOf(FunctionArgumentError);
    expect(error.message).toMatch(/^upsertCandles: table must be 'ohlcv_data' or 'ohlcv', got "trades"/);
  });

  it.each([0, 2])('a function answer of %i rows, where one is due, is an IftbDbError naming the wrapper', async (n) => {
    const answer = await t.db.execute(sql`SELECT g AS price FROM generate_series(1, ${n}::int) g`);
    expect(() => onlyRow(answer, 'getLatestPrice')).toThrow(
      new IftbDbError(`getLatestPrice: expected the function's one row, the server's answer had ${n}`),
    );
  });

  it.each([new Date('0000-06-01T00:00:00Z'), '0000-06-01', new Date('-000001-01-01T00:00:00Z')])(
    'calculateDailyPnl refuses day %s (year 0 and before) without reaching the database',
    async (day) => {
      let queries = 0;
      const counting = new Proxy(t.db, {
        get: (target, key, receiver) => {
          const value = Reflect.get(target, key, receiver);
          // Count calls, not property reads: `db.execute` is read before its arguments are evaluated.
          return key === 'execute' ? (...args: unknown[]) => (queries++, value.apply(target, args)) : value;
        },
      });
      const error = await errorOf(() => calculateDailyPnl(counting, day));
      expect(error).toBeInstanceOf(FunctionArgumentError);
      expect(error.message).toMatch(/^calculateDailyPnl: day /);
      expect(queries).toBe(0);
    },
  );
});

describe('the upsert key columns', () => {
  it.each([ohlcvData, ohlcv])('are flagged as key columns (never rewritten on conflict): %#', (table) => {
    const { name, primaryKeys } = getTableConfig(table);
    const key = primaryKeys.find((k) => k.getName() === `${name}_candle_key`)!.columns;
    const flagged = ingestColumns(table, key)
      .filter((c) => c.isKey)
      .map((c) => c.name);
    expect(flagged.sort()).toEqual(['exchange', 'symbol', 'timeframe', 'timestamp']);
  });
});
