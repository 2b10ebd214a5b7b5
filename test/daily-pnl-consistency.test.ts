/**
 * calculate_daily_pnl stores one consistent row (SPEC 7a): it reads the day
 * from one snapshot while trades keep closing, the daily_pnl CHECKs refuse a
 * row that contradicts itself, and trades too large for the day's columns are
 * refused up front or fail the day naming the column and the trade.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, createDb } from '../src/db.ts';
import { migrate } from '../src/migrate.ts';
import { databaseErrorOf } from '../src/errors.ts';
import { calculateDailyPnl } from '../src/functions/index.ts';
import * as t from '../src/schema/index.ts';
import { dailyPnlInsertSchema, tradesInsertSchema } from '../src/validation/schemas.ts';
import { emptyDatabase, freshPostgres, targets, type TestDb } from './support/db.ts';

const DAY = '2024-05-01';
const RACES = Number(process.env.DAILY_PNL_RACES ?? 150);
type NewTrade = typeof t.trades.$inferInsert;

/** A trade closed on DAY at `minute`, won, lost or neither by `pnl`. */
const closedTrade = (id: string, minute: number, pnl: string | null, values: Partial<NewTrade> = {}): NewTrade => ({
  tradeId: id,
  symbol: 'BTCUSDT',
  exchange: 'binance',
  side: minute % 3 ? 'long' : 'short',
  action: 'close',
  entryPrice: '100',
  exitPrice: '101',
  quantity: '1',
  realizedPnl: pnl,
  fee: '0.1',
  entryTime: new Date(Date.parse(`${DAY}T00:00:00Z`) + minute * 30_000),
  exitTime: new Date(Date.parse(`${DAY}T00:00:00Z`) + minute * 60_000),
  ...values,
});

describe('calculate_daily_pnl while trades close concurrently (server)', () => {
  let test: TestDb;
  beforeAll(async () => {
    test = await freshPostgres();
    await test.db
      .insert(t.accountSnapshots)
      .values({ exchange: 'binance', timestamp: new Date('2024-04-30T00:00:00Z'), balance: '10000', equity: '10000' });
    // A busy day of winning trades only: the day's one win streak is all its
    // wins, so a streak and a count read from two snapshots disagree visibly.
    for (let batch = 0; batch < 10; batch++) {
      await test.db
        .insert(t.trades)
        .values(Array.from({ length: 1000 }, (_, i) => closedTrade(`P-${batch}-${i}`, (batch * 1000 + i) % 1440, '4')));
    }
  });
  afterAll(async () => {
    await test?.dispose();
  });

  it(`stores a row satisfying every daily_pnl rule in each of ${RACES} runs, and the final row matches the trades`, async () => {
    const writers = Array.from({ length: 3 }, () => createDb(test.url!, { max: 1 }));
    const calculator = createDb(test.url!, { max: 1 });
    let writing = true;
    let closed = 0;
    const write = async (db: (typeof writers)[number], w: number) => {
      for (let n = 0; writing; n++) {
        await db
          .insert(t.trades)
          .values(Array.from({ length: 5 }, (_, i) => closedTrade(`W-${w}-${n}-${i}`, (n * 5 + i) % 1440, '4')));
        closed += 5;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const running = writers.map(write);
    const problems: string[] = [];
    try {
      for (let run = 0; run < RACES; run++) {
        const row = await calculateDailyPnl(calculator, DAY);
        const verdict = dailyPnlInsertSchema.safeParse(row);
        if (!verdict.success) problems.push(`run ${run}: ${verdict.error.issues.map((i) => i.message).join('; ')}`);
        else if (row.longestWinStreak !== row.winningTrades || row.winningTrades !== row.totalTrades) {
          problems.push(
            `run ${run}: ${row.totalTrades} trades, ${row.winningTrades} wins, longest win streak ${row.longestWinStreak}`,
          );
        }
      }
    } finally {
      writing = false;
      await Promise.allSettled(running);
    }
    const final = await calculateDailyPnl(calculator, DAY);
    await Promise.all([...writers, calculator].map(close));
    console.log(
      `daily_pnl races: ${RACES} runs while ${closed} trades closed; rows breaking a rule: ${problems.length}`,
    );
    expect(problems.slice(0, 5)).toEqual([]);
    expect(closed).toBeGreaterThan(RACES);
    const [counts] = await test.sql!<{ total: number; wins: number; losses: number }[]>`
      SELECT count(*)::int AS total, count(*) FILTER (WHERE realized_pnl > 0)::int AS wins, count(*) FILTER (WHERE realized_pnl < 0)::int AS losses
        FROM trades WHERE exit_time >= ${DAY}::date AND exit_time < ${DAY}::date + 1`;
    expect(final).toMatchObject({
      totalTrades: counts!.total,
      winningTrades: counts!.wins,
      losingTrades: counts!.losses,
    });
  }, 300_000);

  it('the CHECKs refuse a row that mixes two snapshots', async () => {
    const error = await test.db
      .update(t.dailyPnl)
      .set({ longestWinStreak: 1_000_000 })
      .where(sql`date = ${DAY}`)
      .catch((e: unknown) => e);
    expect(databaseErrorOf(error)).toMatchObject({ code: '23514', constraint: 'daily_pnl_streaks_within_outcomes' });
  });
});

describe.each(targets)('trades too large for daily_pnl on $name', ({ open }) => {
  let test: TestDb;
  beforeAll(async () => {
    test = await open();
    await test.db
      .insert(t.accountSnapshots)
      .values({ exchange: 'binance', timestamp: new Date('0001-01-01T00:00:00Z'), balance: '10000', equity: '10000' });
  });
  afterAll(async () => {
    await test?.dispose();
  });

  it('counts that sum past int4 break the count CHECK by name, as validation says, instead of overflowing', async () => {
    const max = 2_147_483_647;
    const row = {
      date: '2024-06-01',
      balanceStart: '1',
      balanceEnd: '1',
      totalTrades: max,
      winningTrades: max,
      losingTrades: max,
    };
    expect(dailyPnlInsertSchema.safeParse(row).success).toBe(false);
    const error = await test.db
      .insert(t.dailyPnl)
      .values(row)
      .catch((e: unknown) => e);
    expect(databaseErrorOf(error)).toMatchObject({ code: '23514', constraint: 'daily_pnl_trade_counts_within_total' });
  });

  it('refuses, up front, a trade whose notional does not fit an amount', async () => {
    const huge = closedTrade('H-1', 1, '1', {
      quantity: '99999999999',
      entryPrice: '99999999999',
      exitPrice: '99999999999',
    });
    const verdict = tradesInsertSchema.safeParse(huge);
    expect(verdict.success).toBe(false);
    expect(verdict.error!.issues.map((i) => i.message).join('\n')).toMatch(/CHECK trades_notional_within_amount/);
    const error = await test.db
      .insert(t.trades)
      .values(huge)
      .catch((e: unknown) => e);
    expect(databaseErrorOf(error)).toMatchObject({ code: '23514', constraint: 'trades_notional_within_amount' });
  });

  it('computes a day whose trades sit just inside the limits', async () => {
    const edge = '499999999999.99999999';
    const trade = tradesInsertSchema.parse(
      closedTrade('L-1', 1, '999999999999.99999999', { entryPrice: edge, exitPrice: edge }),
    );
    await test.db.insert(t.trades).values(trade);
    const row = await calculateDailyPnl(test.db, DAY);
    expect(row).toMatchObject({
      totalVolume: '999999999999.99999998',
      maxPositionSize: edge,
      realizedPnl: '999999999999.99999999',
    });
  });

  it('fails a day whose total does not fit, naming the column', async () => {
    const day = '2024-05-02';
    await test.db
      .insert(t.trades)
      .values(
        [1, 2, 3].map((i) =>
          closedTrade(`S-${i}`, 1440 + i, '1', { entryPrice: '400000000000', exitPrice: '400000000000' }),
        ),
      );
    const error = await calculateDailyPnl(test.db, day).catch((e: unknown) => e);
    expect(databaseErrorOf(error)).toMatchObject({ code: '22003' });
    expect(databaseErrorOf(error)!.message).toBe(
      `calculate_daily_pnl(${day}): daily_pnl.total_volume would be 2400000000000.00000000, beyond its column (a total over the day's 3 trades and accounts)`,
    );
  });

  it('refuses, up front, a trade open longer than integer minutes hold', async () => {
    const ancient = closedTrade('A-1', 0, '1', {
      entryTime: new Date('0001-01-01T00:00:00Z'),
      exitTime: new Date('9000-01-01T00:00:00Z'),
    });
    const verdict = tradesInsertSchema.safeParse(ancient);
    expect(verdict.success).toBe(false);
    expect(verdict.error!.issues.map((i) => i.message).join('\n')).toMatch(
      /CHECK trades_duration_within_integer_minutes/,
    );
    const error = await test.db
      .insert(t.trades)
      .values(ancient)
      .catch((e: unknown) => e);
    expect(databaseErrorOf(error)).toMatchObject({
      code: '23514',
      constraint: 'trades_duration_within_integer_minutes',
    });
  });

  it('fails a day with such a trade (stored before the rule), naming the trade and the column', async () => {
    await test.db.execute(sql`ALTER TABLE trades DROP CONSTRAINT trades_duration_within_integer_minutes`);
    const [trade] = await test.db
      .insert(t.trades)
      .values(
        closedTrade('C-1', 0, '1', {
          entryTime: new Date('0001-01-01T00:00:00Z'),
          exitTime: new Date('9000-01-01T00:00:00Z'),
        }),
      )
      .returning({ id: t.trades.id });
    const error = await calculateDailyPnl(test.db, '9000-01-01').catch((e: unknown) => e);
    expect(databaseErrorOf(error)).toMatchObject({ code: '22003' });
    expect(databaseErrorOf(error)!.message).toMatch(
      new RegExp(
        `^calculate_daily_pnl\\(9000-01-01\\): daily_pnl\\.longest_trade_minutes would be \\d+, beyond its column \\(trades\\.id ${trade!.id}\\)$`,
      ),
    );
  });
});

describe('upgrading a database whose daily_pnl holds a row from two snapshots', () => {
  it('recomputes that row before the CHECKs are added, so the upgrade succeeds and no day is lost', async () => {
    const empty = await emptyDatabase();
    const db = createDb(empty.url, { max: 1 });
    try {
      await migrate(db, { to: '0013_daily_pnl_rerun_compares_whole_row' });
      await db.insert(t.accountSnapshots).values({
        exchange: 'binance',
        timestamp: new Date('2024-04-30T00:00:00Z'),
        balance: '10000',
        equity: '10000',
      });
      await db.insert(t.trades).values([1, 2, 3].map((i) => closedTrade(`U-${i}`, i, '4')));
      await calculateDailyPnl(db, DAY);
      // What the old function stored when trades closed between its statements.
      await db.execute(sql`UPDATE daily_pnl SET longest_win_streak = 5, current_win_streak = 5 WHERE date = ${DAY}`);
      const { applied } = await migrate(db);
      expect(applied.map((tag) => tag.slice(5))).toEqual(
        expect.arrayContaining(['daily_pnl_one_snapshot', 'daily_pnl_consistency_checks']),
      );
      const rows = await db.select().from(t.dailyPnl);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        date: DAY,
        totalTrades: 3,
        winningTrades: 3,
        longestWinStreak: 3,
        currentWinStreak: 3,
      });
    } finally {
      await close(db);
      await empty.drop();
    }
  });
});
