/**
 * upsertCandles on both drivers: counts, last-wins deduplication, updates,
 * defaults as a plain insert gives them, batch boundaries, inputs beyond the
 * bind-parameter limit, streaming input, exact values, validation errors
 * naming row and field, and all-or-nothing failure.
 */
import { asc, eq, sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db.ts';
import { CandleValidationError, CandleWriteError, upsertCandles } from '../src/ingest/upsert-candles.ts';
import { ohlcv, ohlcvData, type NewOhlcv, type NewOhlcvData } from '../src/schema/index.ts';
import { targets, type TestDb } from './support/db.ts';

const T0 = Date.UTC(2026, 0, 1);
const hour = 3_600_000;

/** A valid candle; `i` picks its hour, `close` its closing price. */
function candle(i: number, close = '100.5', extra: Partial<NewOhlcvData> = {}): NewOhlcvData {
  return {
    symbol: 'BTCUSDT',
    timeframe: '1h',
    timestamp: new Date(T0 + i * hour),
    open: '100',
    high: '200',
    low: '50',
    close,
    volume: '12.5',
    ...extra,
  };
}

const candles = (n: number, close = '100.5') => Array.from({ length: n }, (_, i) => candle(i, close));

describe.each(targets)('$name', ({ open }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t.dispose();
  });
  beforeEach(async () => {
    await t.db.delete(ohlcvData);
    await t.db.delete(ohlcv);
  });

  const stored = () => t.db.select().from(ohlcvData).orderBy(asc(ohlcvData.symbol), asc(ohlcvData.timestamp));

  it('inserts new candles and counts them', async () => {
    expect(await upsertCandles(t.db, candles(3), { table: 'ohlcv_data' })).toEqual({ inserted: 3, updated: 0 });
    const rows = await stored();
    expect(rows.map((r) => [r.timestamp.getTime(), r.close])).toEqual([
      [T0, '100.50000000'],
      [T0 + hour, '100.50000000'],
      [T0 + 2 * hour, '100.50000000'],
    ]);
  });

  it('updates existing candles on the natural key, keeping id and created_at', async () => {
    await upsertCandles(t.db, candles(3), { table: 'ohlcv_data' });
    const before = await stored();
    const next = [candle(1, '150', { volume: '99' }), candle(3, '101')];
    expect(await upsertCandles(t.db, next, { table: 'ohlcv_data' })).toEqual({ inserted: 1, updated: 1 });
    const after = await stored();
    expect(after).toHaveLength(4);
    expect(after[1]).toMatchObject({
      id: before[1]!.id,
      createdAt: before[1]!.createdAt,
      close: '150.00000000',
      volume: '99.00000000',
    });
    expect(after[0]).toEqual(before[0]);
  });

  it('counts a write that changes nothing as an update', async () => {
    await upsertCandles(t.db, candles(2), { table: 'ohlcv_data' });
    expect(await upsertCandles(t.db, candles(2), { table: 'ohlcv_data' })).toEqual({ inserted: 0, updated: 2 });
  });

  it('counts exactly when a batch tried as all new meets stored keys, and in the batches after it', async () => {
    // Batches of 3: [0 1 2] is tried by plain INSERT and meets 2; [3 4 5] is upserted and
    // meets 5; [6 7 8] is upserted and updates nothing, so a next batch would be tried again.
    await upsertCandles(t.db, [candle(2, '60'), candle(5, '60')], { table: 'ohlcv_data' });
    const before = await stored();
    const all = Array.from({ length: 9 }, (_, i) => candle(i, '70'));
    expect(await upsertCandles(t.db, all, { table: 'ohlcv_data', batchSize: 3 })).toEqual({
      inserted: 7,
      updated: 2,
    });
    const after = await stored();
    expect(after.map((r) => [r.timestamp.getTime(), r.close])).toEqual(
      all.map((c) => [c.timestamp.getTime(), '70.00000000']),
    );
    expect([after[2]!.id, after[5]!.id]).toEqual(before.map((r) => r.id));
    expect(await upsertCandles(t.db, all, { table: 'ohlcv_data', batchSize: 3 })).toEqual({
      inserted: 0,
      updated: 9,
    });
    expect(await t.db.$count(ohlcvData)).toBe(9);
  });

  it('keeps the last occurrence of a key within the input', async () => {
    const input = [candle(0, '101'), candle(1, '102'), candle(0, '103'), candle(0, '104'), candle(1, '105')];
    expect(await upsertCandles(t.db, input, { table: 'ohlcv_data' })).toEqual({ inserted: 2, updated: 3 });
    expect((await stored()).map((r) => r.close)).toEqual(['104.00000000', '105.00000000']);
  });

  it('gives an omitted column what a plain insert gives it, and keeps an explicit null', async () => {
    await upsertCandles(t.db, [candle(0), candle(1, '100.5', { isComplete: null })], { table: 'ohlcv_data' });
    await t.db.insert(ohlcvData).values([candle(2), candle(3, '100.5', { isComplete: null })]);
    const [up0, up1, plain2, plain3] = await stored();
    const comparable = ({ id, createdAt, timestamp, ...rest }: NewOhlcvData) => rest;
    expect(comparable(up0!)).toEqual(comparable(plain2!));
    expect(comparable(up1!)).toEqual(comparable(plain3!));
    expect(up0).toMatchObject({ exchange: 'binance', isComplete: true, hasGaps: false });
    expect(up1!.isComplete).toBeNull();
    expect(Math.abs(up0!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('restores defaults when an update omits them, as an upsert of the plain row would', async () => {
    await upsertCandles(t.db, [candle(0, '100.5', { isComplete: false, hasGaps: true, dataSource: 'ws' })], {
      table: 'ohlcv_data',
    });
    await upsertCandles(t.db, [candle(0)], { table: 'ohlcv_data' });
    expect((await stored())[0]).toMatchObject({ isComplete: true, hasGaps: false, dataSource: null });
  });

  it('stores decimals and timestamps exactly', async () => {
    const times = [
      '0001-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.001Z',
      '2024-02-29T12:34:56.789Z',
      '2262-04-11T23:47:16.855Z',
      '9999-12-31T23:59:59.999Z',
    ];
    const input = times.map((iso, i) => ({
      ...candle(0),
      timestamp: new Date(iso),
      open: '0.00000001',
      low: '0.00000001',
      close: '123456789012.12345678',
      high: '999999999999.99999999',
      volume: String(i),
      takerBuyVolume: '0',
    }));
    await upsertCandles(t.db, input, { table: 'ohlcv_data' });
    // Read as text: the driver's Date parsing is not under test (it misreads year 1).
    const iso = rowsOf<{ iso: string }>(
      await t.db.execute(sql`SELECT to_char(${ohlcvData.timestamp} AT TIME ZONE 'UTC',
      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS iso FROM ${ohlcvData} ORDER BY ${ohlcvData.timestamp}`),
    );
    expect(iso.map((r) => r.iso)).toEqual(times);
    const rows = await stored();
    expect(rows[0]).toMatchObject({
      open: '0.00000001',
      close: '123456789012.12345678',
      high: '999999999999.99999999',
      takerBuyVolume: '0.00000000',
    });
  });

  it('carries text with quotes, backslashes, commas, braces and control characters', async () => {
    const sources = ['a"b', 'back\\slash', 'x,y', '{z}', 'NULL', 'line\nbreak\ttab', '', 'üñí €'];
    await upsertCandles(
      t.db,
      sources.map((dataSource, i) => candle(i, '100.5', { dataSource })),
      { table: 'ohlcv_data' },
    );
    expect((await stored()).map((r) => r.dataSource)).toEqual(sources);
  });

  it.each([
    ['batchSize 1', 7, 1],
    ['an exact multiple of the batch size', 10, 5],
    ['one more than a multiple', 11, 5],
    ['one less than a multiple', 9, 5],
  ])('gives the same rows and counts at %s', async (_, n, batchSize) => {
    // Every third row repeats an earlier key, so duplicates straddle batches.
    const input = Array.from({ length: n }, (_, i) => candle(i % 3 === 2 ? i - 2 : i, String(100 + i)));
    const expected = new Map(input.map((c) => [c.timestamp.getTime(), `${c.close}.00000000`]));
    const result = await upsertCandles(t.db, input, { table: 'ohlcv_data', batchSize });
    expect(result).toEqual({ inserted: expected.size, updated: n - expected.size });
    expect((await stored()).map((r) => [r.timestamp.getTime(), r.close])).toEqual(
      [...expected].sort((a, b) => a[0]! - b[0]!),
    );
  });

  it('takes a batch far beyond the 65,535 bind parameters a multi-row VALUES would need', async () => {
    // 10,000 rows x 17 columns = 170,000 values in one statement.
    const input = candles(10_000);
    expect(await upsertCandles(t.db, input, { table: 'ohlcv_data', batchSize: 10_000, validate: false })).toEqual({
      inserted: 10_000,
      updated: 0,
    });
    expect(await t.db.$count(ohlcvData)).toBe(10_000);
  });

  it('reads generators and async iterables', async () => {
    function* sync() {
      for (let i = 0; i < 5; i++) yield candle(i);
    }
    async function* stream() {
      for (let i = 3; i < 8; i++) {
        await Promise.resolve();
        yield candle(i, '120');
      }
    }
    expect(await upsertCandles(t.db, sync(), { table: 'ohlcv_data', batchSize: 2 })).toEqual({
      inserted: 5,
      updated: 0,
    });
    expect(await upsertCandles(t.db, stream(), { table: 'ohlcv_data', batchSize: 2 })).toEqual({
      inserted: 3,
      updated: 2,
    });
    expect(await t.db.$count(ohlcvData)).toBe(8);
  });

  it('names the input row and field of invalid rows, and writes nothing', async () => {
    const input: NewOhlcvData[] = [
      candle(0),
      candle(1),
      { ...candle(2), high: '10' },
      candle(3),
      { ...candle(4), volume: '1.123456789' },
    ];
    const error = await upsertCandles(t.db, input, { table: 'ohlcv_data', batchSize: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CandleValidationError);
    const { issues, message } = error as CandleValidationError;
    expect(issues.map((i) => [i.row, i.path.join('.')])).toEqual(expect.arrayContaining([[2, 'high']]));
    expect(message).toMatch(/rows\[2\]\.high/);
    expect(await t.db.$count(ohlcvData)).toBe(0);
  });

  it('rejects an id, an invalid Date and a non-object even without validation', async () => {
    const cases: [unknown, string][] = [
      [{ ...candle(1), id: 5 }, 'rows[1].id'],
      [{ ...candle(1), timestamp: new Date('nope') }, 'rows[1].timestamp'],
      [{ ...candle(1), timestamp: '2026-01-01' }, 'rows[1].timestamp'],
      [null, 'rows[1]'],
      [{ ...candle(1), dataSource: 'nul\0byte' }, 'rows[1].dataSource'],
      // Would reach PostgreSQL as U+FFFD: the stored string would differ.
      [{ ...candle(1), dataSource: 'lone \uD800 surrogate' }, 'rows[1].dataSource'],
    ];
    for (const [bad, where] of cases) {
      const error = await upsertCandles(t.db, [candle(0), bad as NewOhlcvData], {
        table: 'ohlcv_data',
        validate: false,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CandleValidationError);
      expect((error as CandleValidationError).issues[0]).toMatchObject({ row: 1, where });
    }
    expect(await t.db.$count(ohlcvData)).toBe(0);
  });

  it('rolls back every batch when the database rejects a later one, naming its input rows', async () => {
    const input = [candle(0), candle(1), candle(2), { ...candle(3), high: '1' }];
    const error = await upsertCandles(t.db, input, { table: 'ohlcv_data', batchSize: 2, validate: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CandleWriteError);
    expect(error).toMatchObject({ firstRow: 2, lastRow: 3, code: '23514', constraint: 'ohlcv_data_high_is_highest' });
    expect((error as Error).message).toMatch(/input rows 2\.\.3/);
    expect(await t.db.$count(ohlcvData)).toBe(0);
  });

  it('leaves over-long text to the column type, which refuses it as a plain insert would (never truncated)', async () => {
    const error = await upsertCandles(t.db, [candle(0, '100.5', { symbol: 'X'.repeat(21) })], {
      table: 'ohlcv_data',
      validate: false,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '22001' });
    expect(await t.db.$count(ohlcvData)).toBe(0);
  });

  it('rejects a bad batch size and an unknown table', async () => {
    await expect(upsertCandles(t.db, [], { table: 'ohlcv_data', batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(upsertCandles(t.db, [], { table: 'trades' as 'ohlcv' })).rejects.toThrow(/table/);
  });

  it('upserts ohlcv on (symbol, exchange, timeframe, timestamp)', async () => {
    const row = (exchange: string, close: string): NewOhlcv => ({ ...candle(0, close), exchange });
    expect(await upsertCandles(t.db, [row('binance', '101'), row('bybit', '102')], { table: 'ohlcv' })).toEqual({
      inserted: 2,
      updated: 0,
    });
    expect(await upsertCandles(t.db, [row('bybit', '103')], { table: 'ohlcv' })).toEqual({ inserted: 0, updated: 1 });
    const rows = await t.db.select().from(ohlcv).where(eq(ohlcv.exchange, 'bybit'));
    expect(rows.map((r) => r.close)).toEqual(['103.00000000']);
  });

  it('requires the ohlcv exchange, which has no default', async () => {
    const error = await upsertCandles(t.db, [candle(0) as NewOhlcv], { table: 'ohlcv' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CandleValidationError);
    expect((error as CandleValidationError).issues[0]).toMatchObject({ row: 0, where: 'rows[0].exchange' });
  });

  it('works inside a caller transaction and rolls back with it', async () => {
    await t.db
      .transaction(async (tx) => {
        await upsertCandles(tx, candles(2), { table: 'ohlcv_data' });
        expect(await tx.$count(ohlcvData)).toBe(2);
        tx.rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof TransactionRollbackError)) throw e;
      });
    expect(await t.db.$count(ohlcvData)).toBe(0);
  });
});
