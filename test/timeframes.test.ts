/**
 * The timeframe list of SPEC 2.1 as amended: the original bot's 8h and 3d,
 * and 1M (one calendar month, case-sensitive, never one minute). The
 * database, the zod schemas and the function wrappers agree on it.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseErrorOf } from '../src/errors.ts';
import { getLatestOhlcvPrice, type Timeframe } from '../src/functions/index.ts';
import { ohlcv, ohlcvData, TIMEFRAMES } from '../src/schema/index.ts';
import { ohlcvDataInsertSchema, ohlcvInsertSchema } from '../src/validation/index.ts';
import { vMarketCorrelation } from '../src/views/index.ts';
import { targets, type TestDb } from './support/db.ts';

const candle = (timeframe: string, timestamp: Date, close = '100') => ({
  symbol: 'TFUSDT',
  exchange: 'binance',
  timeframe: timeframe as Timeframe,
  timestamp,
  open: '100',
  high: '1000',
  low: '50',
  close,
  volume: '1',
});
const todayStart = () => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  return d;
};

it('lists the amended timeframes, 1M distinct from 1m', () => {
  expect(TIMEFRAMES).toEqual([
    '1m',
    '3m',
    '5m',
    '15m',
    '30m',
    '1h',
    '2h',
    '4h',
    '6h',
    '8h',
    '12h',
    '1d',
    '3d',
    '1w',
    '1M',
  ]);
  for (const schema of [ohlcvInsertSchema, ohlcvDataInsertSchema]) {
    for (const tf of ['8h', '3d', '1M']) expect(schema.safeParse(candle(tf, new Date())).success, tf).toBe(true);
    for (const tf of ['1mo', '1H', '3D', '8H', '1W'])
      expect(schema.safeParse(candle(tf, new Date())).success, tf).toBe(false);
  }
});

describe.each(targets)('timeframes on $name', ({ open }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t?.dispose());

  it('stores 8h, 3d and 1M candles in both candle tables, 1M and 1m as separate series', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    for (const table of [ohlcv, ohlcvData]) {
      await t.db.insert(table).values(['8h', '3d', '1M', '1m'].map((tf) => candle(tf, at)));
    }
    const rows = await t.db.select({ tf: ohlcvData.timeframe }).from(ohlcvData).where(eq(ohlcvData.symbol, 'TFUSDT'));
    expect(rows.map((r) => r.tf).sort()).toEqual(['1M', '1m', '3d', '8h']);
    expect(await getLatestOhlcvPrice(t.db, { symbol: 'TFUSDT', timeframe: '1M' })).toBe('100.00000000');
  });

  it('refuses a timeframe outside the list, naming the constraint', async () => {
    const error = await t.db
      .insert(ohlcvData)
      .values(candle('1mo', new Date()))
      .then(
        () => undefined,
        (e) => e,
      );
    expect(databaseErrorOf(error)).toMatchObject({ code: '23514', constraint: 'ohlcv_data_timeframe_allowed' });
  });

  it('v_market_correlation reads a 1M candle as a month (it does not close today), not a minute', async () => {
    const today = todayStart();
    const hour = 3_600_000;
    await t.db.insert(ohlcvData).values(
      [
        candle('1h', new Date(today.getTime() - 24 * hour), '100'),
        candle('1h', today, '123'),
        // Read as one minute, this candle would close today at 23:01 and be the day's close.
        candle('1M', new Date(today.getTime() + 23 * hour), '999'),
      ].map((c) => ({ ...c, symbol: 'TFMONTH' })),
    );
    const [row] = await t.db
      .select({ change: vMarketCorrelation.priceChange })
      .from(vMarketCorrelation)
      .where(
        and(eq(vMarketCorrelation.symbol, 'TFMONTH'), eq(vMarketCorrelation.date, today.toISOString().slice(0, 10))),
      );
    expect(Number(row?.change)).toBe(23);
  });
});
