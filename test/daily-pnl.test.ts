/**
 * calculate_daily_pnl() and its wrapper, on the real server and on PGlite:
 * the UTC day (also under a New York session on the DST switch day),
 * liquidations, trade statistics, balances and drawdown from
 * account_snapshots with carry-over, and idempotent upserts.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db.ts';
import { databaseErrorOf } from '../src/errors.ts';
import { calculateDailyPnl, FunctionArgumentError } from '../src/functions/index.ts';
import * as t from '../src/schema/index.ts';
import { targets, type TestDb } from './support/db.ts';

/** 2024-03-10: New York switches to daylight saving time that day. */
const DAY = '2024-03-10';
const at = (iso: string) => new Date(iso);

type NewTrade = typeof t.trades.$inferInsert;
const closed = (tradeId: string, values: Partial<NewTrade> & Pick<NewTrade, 'entryTime' | 'exitTime'>): NewTrade => ({
  tradeId,
  symbol: 'BTCUSDT',
  exchange: 'binance',
  side: 'long',
  action: 'close',
  entryPrice: '100',
  exitPrice: '100',
  quantity: '1',
  realizedPnl: '0',
  fee: '0',
  ...values,
});

async function loadDay(db: TestDb['db']) {
  await db.insert(t.trades).values([
    closed('D-1', {
      symbol: 'BTCUSDT',
      entryTime: at('2024-03-09T22:00:00Z'),
      exitTime: at('2024-03-10T01:00:00Z'),
      entryPrice: '50000',
      exitPrice: '50100',
      quantity: '1',
      realizedPnl: '100',
      fee: '1',
    }),
    closed('D-2', {
      symbol: 'ETHUSDT',
      side: 'short',
      entryTime: at('2024-03-10T02:00:00Z'),
      exitTime: at('2024-03-10T02:30:00Z'),
      entryPrice: '3000',
      exitPrice: '3020',
      quantity: '2',
      realizedPnl: '-40',
      fee: '0.5',
    }),
    // Liquidated, and 23:30 on March 9 in New York.
    closed('D-3', {
      symbol: 'BTCUSDT',
      action: 'liquidated',
      entryTime: at('2024-03-10T03:00:00Z'),
      exitTime: at('2024-03-10T04:30:00Z'),
      entryPrice: '50000',
      exitPrice: '49600',
      quantity: '0.5',
      realizedPnl: '-200',
      fee: '2',
    }),
    closed('D-4', {
      symbol: 'SOLUSDT',
      entryTime: at('2024-03-10T06:00:00Z'),
      exitTime: at('2024-03-10T06:10:00Z'),
      entryPrice: '100',
      exitPrice: '105',
      quantity: '10',
      realizedPnl: '50',
      fee: '0.25',
    }),
    closed('D-5', {
      symbol: 'SOLUSDT',
      entryTime: at('2024-03-10T07:00:00Z'),
      exitTime: at('2024-03-10T07:20:00Z'),
      entryPrice: '100',
      exitPrice: '103',
      quantity: '10',
      realizedPnl: '30',
      fee: '0.25',
    }),
    // Outside the UTC day; the last two fall on March 10 in New York.
    closed('X-before', {
      entryTime: at('2024-03-09T20:00:00Z'),
      exitTime: at('2024-03-09T23:59:59.999Z'),
      realizedPnl: '1000',
    }),
    closed('X-midnight', {
      entryTime: at('2024-03-10T20:00:00Z'),
      exitTime: at('2024-03-11T00:00:00Z'),
      realizedPnl: '1000',
    }),
    closed('X-new-york', {
      entryTime: at('2024-03-10T20:00:00Z'),
      exitTime: at('2024-03-11T03:30:00Z'),
      realizedPnl: '1000',
    }),
    {
      tradeId: 'X-open',
      symbol: 'BTCUSDT',
      exchange: 'binance',
      side: 'long',
      action: 'open',
      entryPrice: '100',
      quantity: '1',
      entryTime: at('2024-03-10T12:00:00Z'),
    },
  ]);
  await db.insert(t.accountSnapshots).values([
    {
      exchange: 'binance',
      timestamp: at('2024-03-09T20:00:00Z'),
      balance: '10000',
      equity: '10000',
      unrealizedPnl: '0',
    },
    {
      exchange: 'binance',
      timestamp: at('2024-03-10T04:00:00Z'),
      balance: '10100',
      equity: '10150',
      unrealizedPnl: '50',
    },
    {
      exchange: 'binance',
      timestamp: at('2024-03-10T08:00:00Z'),
      balance: '9900',
      equity: '9800',
      unrealizedPnl: '-100',
    },
    // No unrealized_pnl: equity - balance stands in for it.
    { exchange: 'binance', timestamp: at('2024-03-10T16:00:00Z'), balance: '9940', equity: '9990' },
    { exchange: 'binance', timestamp: at('2024-03-11T01:00:00Z'), balance: '9000', equity: '9000', unrealizedPnl: '0' },
  ]);
  await db.insert(t.circuitBreakerEvents).values([
    { reason: 'in', triggerType: 'rapid_loss', triggeredAt: at('2024-03-10T03:00:00Z'), status: 'resolved' },
    { reason: 'before', triggerType: 'rapid_loss', triggeredAt: at('2024-03-09T23:00:00Z'), status: 'resolved' },
    { reason: 'after', triggerType: 'rapid_loss', triggeredAt: at('2024-03-11T00:30:00Z'), status: 'resolved' },
  ]);
  await db.insert(t.killSwitchEvents).values({
    reason: 'test',
    triggerSource: 'manual',
    activatedBy: 'ops',
    activatedAt: at('2024-03-10T09:00:00Z'),
    status: 'deactivated',
    deactivatedAt: at('2024-03-10T10:00:00Z'),
    deactivatedBy: 'ops',
  });
}

/** The figures expected for DAY (everything but the bookkeeping columns). */
const expectedDay = {
  date: DAY,
  realizedPnl: '-60.00000000',
  unrealizedPnl: '50.00000000',
  totalPnl: '-10.00000000',
  balanceStart: '10000.00000000',
  balanceEnd: '9940.00000000',
  equityStart: '10000.00000000',
  equityEnd: '9990.00000000',
  peakBalance: '10100.00000000',
  lowestBalance: '9900.00000000',
  peakEquity: '10150.00000000',
  lowestEquity: '9800.00000000',
  maxDrawdown: '350.00000000',
  maxDrawdownPct: '3.4483',
  currentDrawdown: '160.00000000',
  currentDrawdownPct: '1.5764',
  totalTrades: 5,
  winningTrades: 3,
  losingTrades: 2,
  winRate: '60.00',
  grossProfit: '180.00000000',
  grossLoss: '240.00000000',
  averageWin: '60.00000000',
  averageLoss: '120.00000000',
  profitFactor: '0.7500',
  longTrades: 4,
  shortTrades: 1,
  avgPositionSize: '16600.00000000',
  maxPositionSize: '50000.00000000',
  totalVolume: '166020.00000000',
  totalFees: '4.00000000',
  feePctOfVolume: '0.002409',
  circuitBreakersTriggered: 1,
  killSwitchActivated: true,
  sharpeRatio: null,
  sortinoRatio: null,
  calmarRatio: null,
  avgTradeDurationMinutes: 66,
  shortestTradeMinutes: 10,
  longestTradeMinutes: 180,
  currentWinStreak: 2,
  currentLossStreak: 0,
  longestWinStreak: 2,
  longestLossStreak: 2,
  bestTradePnl: '100.00000000',
  worstTradePnl: '-200.00000000',
  exchange: null,
};

describe.each(targets)('calculate_daily_pnl on $name', ({ open }) => {
  let target: TestDb;
  beforeAll(async () => {
    target = await open();
    await loadDay(target.db);
  });
  afterAll(async () => target?.dispose());

  it('computes the UTC day: trades (liquidations included), balances, drawdown, events', async () => {
    const row = await calculateDailyPnl(target.db, DAY);
    expect(row).toMatchObject(expectedDay);
    expect(row.calculationCompletedAt).toBeInstanceOf(Date);
  });

  it('returns the row exactly as the query builder reads it', async () => {
    const row = await calculateDailyPnl(target.db, DAY);
    const [selected] = await target.db.select().from(t.dailyPnl).where(eq(t.dailyPnl.date, DAY));
    expect(row).toEqual(selected);
    expect(typeof row.id).toBe('number');
  });

  it('total_pnl = realized_pnl + unrealized_pnl', async () => {
    const rows = rowsOf<{ ok: boolean }>(
      await target.db.execute(sql`SELECT bool_and(total_pnl = realized_pnl + unrealized_pnl) AS ok FROM daily_pnl`),
    );
    expect(rows[0]!.ok).toBe(true);
  });

  it('keeps the UTC day while the session TimeZone is America/New_York', async () => {
    const utc = await calculateDailyPnl(target.db, DAY);
    const inNewYork = await target.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL TIME ZONE 'America/New_York'`);
      const { zone } = rowsOf<{ zone: string }>(await tx.execute(sql`SELECT current_setting('TimeZone') AS zone`))[0]!;
      expect(zone).toBe('America/New_York');
      return calculateDailyPnl(tx, DAY);
    });
    expect(inNewYork).toEqual(utc);
    expect(inNewYork).toMatchObject(expectedDay);
  });

  it('running it twice gives the same row, untouched; new data updates it in place', async () => {
    const first = await calculateDailyPnl(target.db, DAY);
    const second = await calculateDailyPnl(target.db, DAY);
    expect(second).toEqual(first);
    const { count } = rowsOf<{ count: number }>(
      await target.db.execute(sql`SELECT count(*)::int AS count FROM daily_pnl WHERE date = ${DAY}`),
    )[0]!;
    expect(count).toBe(1);

    await target.db.insert(t.trades).values(
      closed('D-6', {
        entryTime: at('2024-03-10T10:00:00Z'),
        exitTime: at('2024-03-10T10:30:00Z'),
        realizedPnl: '10',
      }),
    );
    try {
      const third = await calculateDailyPnl(target.db, DAY);
      expect(third.id).toBe(first.id);
      expect([third.totalTrades, third.realizedPnl, third.totalPnl]).toEqual([6, '-50.00000000', '0.00000000']);
      expect(third.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
    } finally {
      await target.db.delete(t.trades).where(eq(t.trades.tradeId, 'D-6'));
      await calculateDailyPnl(target.db, DAY);
    }
  });

  it('carries the previous snapshot into a day that has none', async () => {
    const row = await calculateDailyPnl(target.db, '2024-03-13');
    expect(row).toMatchObject({
      balanceStart: '9000.00000000',
      balanceEnd: '9000.00000000',
      equityStart: '9000.00000000',
      equityEnd: '9000.00000000',
      peakBalance: '9000.00000000',
      lowestBalance: '9000.00000000',
      peakEquity: '9000.00000000',
      lowestEquity: '9000.00000000',
      maxDrawdown: '0.00000000',
      maxDrawdownPct: '0.0000',
      currentDrawdown: '0.00000000',
      currentDrawdownPct: '0.0000',
      unrealizedPnl: '0.00000000',
      realizedPnl: '0.00000000',
      totalPnl: '0.00000000',
      totalTrades: 0,
      winRate: null,
      profitFactor: null,
      averageWin: null,
      averageLoss: null,
      bestTradePnl: null,
      avgTradeDurationMinutes: null,
      totalVolume: '0.00000000',
      feePctOfVolume: null,
      totalFees: '0.00000000',
      circuitBreakersTriggered: 0,
      killSwitchActivated: false,
      currentWinStreak: 0,
      longestLossStreak: 0,
    });
  });

  it('a snapshot at exactly 00:00 UTC closes one day and opens the next', async () => {
    await target.db.insert(t.accountSnapshots).values([
      { exchange: 'binance', timestamp: at('2024-04-01T12:00:00Z'), balance: '9600', equity: '9600' },
      { exchange: 'binance', timestamp: at('2024-04-02T00:00:00Z'), balance: '9500', equity: '9500' },
    ]);
    const first = await calculateDailyPnl(target.db, '2024-04-01');
    const next = await calculateDailyPnl(target.db, '2024-04-02');
    expect([first.balanceStart, first.balanceEnd]).toEqual(['9000.00000000', '9500.00000000']);
    expect([next.balanceStart, next.balanceEnd]).toEqual(['9500.00000000', '9500.00000000']);
  });

  it('sums the exchange accounts, each at its latest snapshot', async () => {
    await target.db.insert(t.accountSnapshots).values([
      { exchange: 'bybit', timestamp: at('2024-05-01T06:00:00Z'), balance: '2000', equity: '2000', unrealizedPnl: '0' },
      {
        exchange: 'binance',
        timestamp: at('2024-05-01T09:00:00Z'),
        balance: '9400',
        equity: '9450',
        unrealizedPnl: '50',
      },
      {
        exchange: 'bybit',
        timestamp: at('2024-05-01T12:00:00Z'),
        balance: '2100',
        equity: '2050',
        unrealizedPnl: '-50',
      },
    ]);
    const row = await calculateDailyPnl(target.db, '2024-05-01');
    // Path (balance / equity): start 9500/9500, 06:00 11500/11500, 09:00 11400/11450, 12:00 11500/11500.
    expect(row).toMatchObject({
      balanceStart: '9500.00000000',
      balanceEnd: '11500.00000000',
      peakBalance: '11500.00000000',
      lowestBalance: '9500.00000000',
      equityStart: '9500.00000000',
      equityEnd: '11500.00000000',
      peakEquity: '11500.00000000',
      lowestEquity: '9500.00000000',
      maxDrawdown: '50.00000000',
      maxDrawdownPct: '0.4348',
      currentDrawdown: '0.00000000',
      unrealizedPnl: '0.00000000',
    });
  });

  it('counts a trade without realized_pnl, and a break-even one, as neither win nor loss', async () => {
    await target.db.insert(t.trades).values([
      closed('E-1', {
        entryTime: at('2024-04-01T01:00:00Z'),
        exitTime: at('2024-04-01T02:00:00Z'),
        realizedPnl: '5',
      }),
      closed('E-2', {
        entryTime: at('2024-04-01T01:00:00Z'),
        exitTime: at('2024-04-01T03:00:00Z'),
        realizedPnl: null,
      }),
      closed('E-3', {
        entryTime: at('2024-04-01T01:00:00Z'),
        exitTime: at('2024-04-01T04:00:00Z'),
        realizedPnl: '0',
      }),
      closed('E-4', {
        entryTime: at('2024-04-01T01:00:00Z'),
        exitTime: at('2024-04-01T05:00:00Z'),
        realizedPnl: '7',
      }),
    ]);
    const row = await calculateDailyPnl(target.db, '2024-04-01');
    expect(row).toMatchObject({
      totalTrades: 4,
      winningTrades: 2,
      losingTrades: 0,
      winRate: '50.00',
      realizedPnl: '12.00000000',
      grossLoss: '0.00000000',
      profitFactor: null,
      averageLoss: null,
      worstTradePnl: '0.00000000',
      currentWinStreak: 1,
      longestWinStreak: 1,
      longestLossStreak: 0,
    });
  });

  it('stores a ratio too large for its column as null instead of failing the day', async () => {
    await target.db.insert(t.trades).values([
      // A loss of 1e-8 makes profit_factor 1e10, beyond numeric(10,4); fees
      // 5,000x the volume make fee_pct_of_volume 500,000, beyond numeric(10,6).
      closed('R-1', {
        entryTime: at('2024-05-01T01:00:00Z'),
        exitTime: at('2024-05-01T02:00:00Z'),
        realizedPnl: '100',
        entryPrice: '0.00000001',
        exitPrice: '0.00000001',
        fee: '0.0001',
      }),
      closed('R-2', {
        entryTime: at('2024-05-01T01:00:00Z'),
        exitTime: at('2024-05-01T03:00:00Z'),
        realizedPnl: '-0.00000001',
        entryPrice: '0.00000001',
        exitPrice: '0.00000001',
        fee: '0.0001',
      }),
    ]);
    const row = await calculateDailyPnl(target.db, '2024-05-01');
    expect(row).toMatchObject({
      totalTrades: 2,
      grossProfit: '100.00000000',
      grossLoss: '0.00000001',
      profitFactor: null,
      feePctOfVolume: null,
    });
  });

  it('a Date means its UTC calendar date', async () => {
    // 22:00 on March 10 in New York is March 11 in UTC.
    const row = await calculateDailyPnl(target.db, new Date('2024-03-10T22:00:00-04:00'));
    expect(row.date).toBe('2024-03-11');
  });

  it('rejects a bad day, naming the argument', async () => {
    for (const day of [
      '2024-02-30',
      '2024-3-1',
      'yesterday',
      '2024-03-10T00:00:00Z',
      '0000-01-01',
      new Date('nope'),
      20240310,
    ]) {
      await expect(calculateDailyPnl(target.db, day as string), String(day)).rejects.toThrow(FunctionArgumentError);
      await expect(calculateDailyPnl(target.db, day as string), String(day)).rejects.toThrow(/calculateDailyPnl: day /);
    }
  });

  it('raises when no snapshot gives the balances', async () => {
    const error = await calculateDailyPnl(target.db, '2020-01-01').catch((e: unknown) => e);
    expect(databaseErrorOf(error)?.message).toMatch(/no account_snapshots row at or before/);
    const { count } = rowsOf<{ count: number }>(
      await target.db.execute(sql`SELECT count(*)::int AS count FROM daily_pnl WHERE date = '2020-01-01'`),
    )[0]!;
    expect(count).toBe(0);
  });

  it('raises rather than add balances in different currencies', async () => {
    await target.db.insert(t.accountSnapshots).values({
      exchange: 'binance',
      currency: 'BTC',
      timestamp: at('2024-06-01T12:00:00Z'),
      balance: '0.5',
      equity: '0.5',
    });
    const error = await calculateDailyPnl(target.db, '2024-06-01').catch((e: unknown) => e);
    expect(databaseErrorOf(error)?.message).toMatch(/several currencies \(BTC, USDT\)/);
  });

  it('carries a comment', async () => {
    const { comment } = rowsOf<{ comment: string | null }>(
      await target.db.execute(
        sql`SELECT obj_description('calculate_daily_pnl(date)'::regprocedure, 'pg_proc') AS comment`,
      ),
    )[0]!;
    expect(comment).toMatch(/UTC day/);
  });
});
