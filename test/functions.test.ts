/**
 * The read functions of SPEC section 5 and their wrappers, on the real server
 * and on PGlite: position P&L, latest candle close (ohlcv and ohlcv_data),
 * latest fear & greed reading and funding rate, empty tables included.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db.ts';
import {
  calculatePositionPnl,
  FunctionArgumentError,
  getLatestFearGreed,
  getLatestFundingRate,
  getLatestOhlcvPrice,
  getLatestPrice,
} from '../src/functions/index.ts';
import * as t from '../src/schema/index.ts';
import { targets, type TestDb } from './support/db.ts';

const at = (iso: string) => new Date(iso);
const flat = (close: string) => ({ open: close, high: close, low: close, close, volume: '1' });

describe.each(targets)('functions on $name', ({ open }) => {
  let target: TestDb;
  beforeAll(async () => {
    target = await open();
  });
  afterAll(async () => target?.dispose());

  describe('on empty tables', () => {
    it('every latest-value function returns null', async () => {
      const { db } = target;
      expect(await getLatestPrice(db, { symbol: 'BTCUSDT', exchange: 'binance' })).toBeNull();
      expect(await getLatestOhlcvPrice(db, { symbol: 'BTCUSDT' })).toBeNull();
      expect(await getLatestFearGreed(db)).toBeNull();
      expect(await getLatestFundingRate(db, { symbol: 'BTCUSDT' })).toBeNull();
      expect(await calculatePositionPnl(db, { positionId: 1, currentPrice: '100' })).toBeNull();
      const [row] = rowsOf<{ price: unknown; ohlcv: unknown }>(
        await db.execute(
          sql`SELECT get_latest_price('BTCUSDT', 'binance') AS price, get_latest_ohlcv_price('BTCUSDT') AS ohlcv`,
        ),
      );
      expect(row).toEqual({ price: null, ohlcv: null });
      expect(rowsOf(await db.execute(sql`SELECT * FROM get_latest_fear_greed()`))).toEqual([]);
      expect(rowsOf(await db.execute(sql`SELECT * FROM get_latest_funding_rate('BTCUSDT')`))).toEqual([]);
    });
  });

  describe('calculate_position_pnl', () => {
    let longId: number;
    let shortId: number;
    beforeAll(async () => {
      const rows = await target.db
        .insert(t.positions)
        .values([
          {
            symbol: 'BTCUSDT',
            exchange: 'binance',
            side: 'long',
            entryPrice: '50000',
            quantity: '0.2',
            leverage: '10',
            margin: '1000',
          },
          {
            symbol: 'BTCUSDT',
            exchange: 'binance',
            side: 'short',
            entryPrice: '3000',
            quantity: '1.5',
            leverage: '3',
            margin: '1500',
          },
        ])
        .returning({ id: t.positions.id });
      [longId, shortId] = rows.map((r) => r.id) as [number, number];
    });

    it('long: (current - entry) x quantity; pct = price move % x leverage', async () => {
      expect(await calculatePositionPnl(target.db, { positionId: longId, currentPrice: '51000' })).toEqual({
        unrealizedPnl: '200.00000000',
        unrealizedPnlPct: '20.0000',
      });
      expect(await calculatePositionPnl(target.db, { positionId: longId, currentPrice: '49500.5' })).toEqual({
        unrealizedPnl: '-99.90000000',
        unrealizedPnlPct: '-9.9900',
      });
    });

    it('short: (entry - current) x quantity; leverage does not multiply P&L', async () => {
      expect(await calculatePositionPnl(target.db, { positionId: shortId, currentPrice: '2900' })).toEqual({
        unrealizedPnl: '150.00000000',
        unrealizedPnlPct: '10.0000',
      });
      expect(await calculatePositionPnl(target.db, { positionId: shortId, currentPrice: '3100' })).toEqual({
        unrealizedPnl: '-150.00000000',
        unrealizedPnlPct: '-10.0000',
      });
    });

    it('rounds half away from zero to the positions columns scale (8 and 4 places)', async () => {
      // (3000 - 3000.00000001) x 1.5 = -0.000000015 -> -0.00000002; pct -0.00000001/3000 x 100 x 3 -> -0.0000.
      expect(await calculatePositionPnl(target.db, { positionId: shortId, currentPrice: '3000.00000001' })).toEqual({
        unrealizedPnl: '-0.00000002',
        unrealizedPnlPct: '0.0000',
      });
      // 1/3 % x 3 = 1 % exactly after rounding: 2990 is a 1/3 % move.
      expect(
        (await calculatePositionPnl(target.db, { positionId: shortId, currentPrice: '2990' }))!.unrealizedPnlPct,
      ).toBe('1.0000');
      expect(
        (await calculatePositionPnl(target.db, { positionId: longId, currentPrice: '50001' }))!.unrealizedPnlPct,
      ).toBe('0.0200');
    });

    it('no row for an unknown position', async () => {
      expect(await calculatePositionPnl(target.db, { positionId: 987654, currentPrice: '1' })).toBeNull();
      expect(rowsOf(await target.db.execute(sql`SELECT * FROM calculate_position_pnl(987654, 1)`))).toEqual([]);
    });

    it('rejects a price that is not a positive decimal, naming it', async () => {
      for (const currentPrice of ['0', '-1', '1e3', 'abc', '', ' 1', 'NaN', '0.000']) {
        await expect(
          calculatePositionPnl(target.db, { positionId: longId, currentPrice }),
          currentPrice,
        ).rejects.toThrow(/calculatePositionPnl: currentPrice/);
      }
      await expect(calculatePositionPnl(target.db, { positionId: 1.5, currentPrice: '1' })).rejects.toThrow(
        FunctionArgumentError,
      );
      for (const price of ['0', '-1', "'NaN'", "'Infinity'", 'NULL']) {
        await expect(
          target.db.execute(sql.raw(`SELECT * FROM calculate_position_pnl(${longId}, ${price})`)),
          price,
        ).rejects.toThrow();
      }
    });
  });

  describe('latest prices', () => {
    beforeAll(async () => {
      await target.db.insert(t.ohlcv).values([
        {
          symbol: 'BTCUSDT',
          exchange: 'binance',
          timeframe: '1m',
          timestamp: at('2024-01-01T00:00:00Z'),
          ...flat('100'),
        },
        {
          symbol: 'BTCUSDT',
          exchange: 'binance',
          timeframe: '1m',
          timestamp: at('2024-01-01T00:02:00Z'),
          ...flat('102'),
        },
        {
          symbol: 'BTCUSDT',
          exchange: 'binance',
          timeframe: '1m',
          timestamp: at('2024-01-01T00:01:00Z'),
          ...flat('101'),
        },
        {
          symbol: 'BTCUSDT',
          exchange: 'binance',
          timeframe: '1h',
          timestamp: at('2024-01-01T05:00:00Z'),
          ...flat('150'),
        },
        {
          symbol: 'BTCUSDT',
          exchange: 'bybit',
          timeframe: '1m',
          timestamp: at('2024-01-01T00:09:00Z'),
          ...flat('109'),
        },
        {
          symbol: 'ETHUSDT',
          exchange: 'binance',
          timeframe: '1m',
          timestamp: at('2024-01-01T00:09:00Z'),
          ...flat('9'),
        },
      ]);
      await target.db.insert(t.ohlcvData).values([
        {
          symbol: 'BTCUSDT',
          exchange: 'binance',
          timeframe: '1m',
          timestamp: at('2024-02-01T00:00:00Z'),
          ...flat('200'),
        },
        {
          symbol: 'BTCUSDT',
          exchange: 'binance',
          timeframe: '1m',
          timestamp: at('2024-02-01T00:03:00Z'),
          ...flat('203'),
        },
        { symbol: 'BTCUSDT', exchange: 'okx', timeframe: '1m', timestamp: at('2024-02-01T00:05:00Z'), ...flat('205') },
        {
          symbol: 'BTCUSDT',
          exchange: 'bybit',
          timeframe: '1m',
          timestamp: at('2024-02-01T00:04:00Z'),
          ...flat('204'),
        },
        { symbol: 'BTCUSDT', exchange: 'okx', timeframe: '5m', timestamp: at('2024-02-01T01:00:00Z'), ...flat('250') },
        { symbol: 'ETHUSDT', exchange: 'aaa', timeframe: '1m', timestamp: at('2024-02-01T00:00:00Z'), ...flat('20') },
        { symbol: 'ETHUSDT', exchange: 'zzz', timeframe: '1m', timestamp: at('2024-02-01T00:00:00Z'), ...flat('21') },
      ]);
    });

    it('get_latest_price: newest close of the (symbol, exchange, timeframe) series, 1m by default', async () => {
      const { db } = target;
      expect(await getLatestPrice(db, { symbol: 'BTCUSDT', exchange: 'binance' })).toBe('102.00000000');
      expect(await getLatestPrice(db, { symbol: 'BTCUSDT', exchange: 'binance', timeframe: '1h' })).toBe(
        '150.00000000',
      );
      expect(await getLatestPrice(db, { symbol: 'BTCUSDT', exchange: 'bybit' })).toBe('109.00000000');
      expect(await getLatestPrice(db, { symbol: 'BTCUSDT', exchange: 'okx' })).toBeNull();
      expect(await getLatestPrice(db, { symbol: 'BTCUSDT', exchange: 'binance', timeframe: '4h' })).toBeNull();
    });

    it('get_latest_ohlcv_price: newest close over all exchanges; ties go to the first exchange by name', async () => {
      const { db } = target;
      expect(await getLatestOhlcvPrice(db, { symbol: 'BTCUSDT' })).toBe('205.00000000');
      expect(await getLatestOhlcvPrice(db, { symbol: 'BTCUSDT', timeframe: '5m' })).toBe('250.00000000');
      expect(await getLatestOhlcvPrice(db, { symbol: 'ETHUSDT' })).toBe('20.00000000');
      expect(await getLatestOhlcvPrice(db, { symbol: 'SOLUSDT' })).toBeNull();
    });

    it('the wrappers reject an unknown timeframe, naming it', async () => {
      await expect(
        getLatestPrice(target.db, { symbol: 'BTCUSDT', exchange: 'binance', timeframe: '2m' as '1m' }),
      ).rejects.toThrow(/getLatestPrice: timeframe must be one of/);
      await expect(getLatestOhlcvPrice(target.db, { symbol: 'BTCUSDT', timeframe: '1mo' as '1m' })).rejects.toThrow(
        /getLatestOhlcvPrice: timeframe/,
      );
    });
  });

  describe('latest fear & greed and funding rate', () => {
    beforeAll(async () => {
      await target.db.insert(t.fearGreedIndex).values([
        { timestamp: at('2024-03-01T00:00:00Z'), value: 80 },
        { timestamp: at('2024-03-03T00:00:00Z'), value: 22 },
        { timestamp: at('2024-03-02T00:00:00Z'), value: 50 },
      ]);
      await target.db.insert(t.fundingRates).values([
        { symbol: 'BTCUSDT', timestamp: at('2024-03-01T00:00:00Z'), rate: '0.0001' },
        { symbol: 'BTCUSDT', timestamp: at('2024-03-01T08:00:00Z'), rate: '-0.00025', fundingIntervalHours: 8 },
        {
          symbol: 'BTCUSDT',
          timestamp: at('2024-03-01T16:00:00Z'),
          rate: '0.0005',
          exchange: 'bybit',
          fundingIntervalHours: null,
        },
        { symbol: 'ETHUSDT', timestamp: at('2024-03-02T00:00:00Z'), rate: '0.0002' },
      ]);
    });

    it('get_latest_fear_greed: the newest reading', async () => {
      expect(await getLatestFearGreed(target.db)).toEqual({
        value: 22,
        classification: 'extreme_fear',
        timestamp: at('2024-03-03T00:00:00Z'),
      });
    });

    it('get_latest_funding_rate: newest for the symbol on the exchange, binance by default', async () => {
      expect(await getLatestFundingRate(target.db, { symbol: 'BTCUSDT' })).toEqual({
        rate: '-0.00025000',
        rateBps: '-2.5000',
        annualizedRate: '-0.273750',
        timestamp: at('2024-03-01T08:00:00Z'),
      });
      expect(await getLatestFundingRate(target.db, { symbol: 'BTCUSDT', exchange: 'bybit' })).toEqual({
        rate: '0.00050000',
        rateBps: '5.0000',
        annualizedRate: null,
        timestamp: at('2024-03-01T16:00:00Z'),
      });
      expect(await getLatestFundingRate(target.db, { symbol: 'BTCUSDT', exchange: 'okx' })).toBeNull();
    });

    it('timestamps read the same whatever the session TimeZone', async () => {
      const [fearGreed, funding] = await target.db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL TIME ZONE 'Asia/Kolkata'`);
        return [await getLatestFearGreed(tx), await getLatestFundingRate(tx, { symbol: 'BTCUSDT' })] as const;
      });
      expect(fearGreed!.timestamp).toEqual(at('2024-03-03T00:00:00Z'));
      expect(funding!.timestamp).toEqual(at('2024-03-01T08:00:00Z'));
    });
  });

  it('every function carries a comment; read-only ones are STABLE', async () => {
    const rows = rowsOf<{ name: string; comment: string | null; volatility: string }>(
      await target.db.execute(sql`
      SELECT p.proname AS name, obj_description(p.oid, 'pg_proc') AS comment, p.provolatile::text AS volatility
        FROM pg_proc p
       WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f' AND p.prorettype <> 'trigger'::regtype
         AND p.proname IN ('get_latest_price', 'get_latest_ohlcv_price', 'calculate_position_pnl', 'is_trading_allowed',
                           'calculate_daily_pnl', 'get_latest_fear_greed', 'get_latest_funding_rate')`),
    );
    expect(rows).toHaveLength(7);
    for (const row of rows) {
      expect(row.comment, row.name).toBeTruthy();
      expect(row.volatility, row.name).toBe(row.name === 'calculate_daily_pnl' ? 'v' : 's');
    }
  });
});
