/**
 * SPEC section 3 triggers, on the real server and on PGlite: fear & greed
 * classification at every boundary, funding metrics (bps, annualized rate,
 * premium, rounding and overflow), circuit breaker cooldown expiry, and
 * updated_at / last_updated maintenance.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eq, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db.ts';
import { databaseErrorOf } from '../src/errors.ts';
import * as t from '../src/schema/index.ts';
import * as tableList from '../src/schema/tables.ts';
import { targets, type TestDb } from './support/db.ts';

const HOUR = 3_600_000;

/** The PostgreSQL error a statement raised: SQLSTATE and message. */
async function failureOf(statement: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await statement;
  } catch (error) {
    const cause = databaseErrorOf(error);
    if (cause) return cause;
    throw error;
  }
  throw new Error('the statement succeeded');
}

describe.each(targets)('triggers on $name', ({ open }) => {
  let target: TestDb;
  beforeAll(async () => {
    target = await open();
  });
  afterAll(async () => target?.dispose());

  it("each table file's header names the function of every trigger on its table, and only says none when there is none", async () => {
    const root = resolve(import.meta.dirname, '../src/schema');
    const files = readdirSync(root, { recursive: true })
      .map(String)
      .filter((f) => /^[a-z]+\/[a-z-]+\.ts$/.test(f) && !/\/(index|candle-columns)\.ts$/.test(f));
    expect(files.length).toBe(Object.values(tableList).filter((x) => is(x, PgTable)).length);
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      const table = /^ \* The (\w+) table/m.exec(text)?.[1];
      const header = /Triggers acting on it[\s\S]*?\*\//.exec(text)?.[0].replace(/\n \* ?/g, ' ');
      expect(table && header, `${file}: a header naming its table and the triggers acting on it`).toBeTruthy();
      const functions = rowsOf<{ f: string }>(
        await target.db.execute(
          sql.raw(`SELECT DISTINCT tgfoid::regproc::text AS f FROM pg_trigger
                    WHERE tgrelid = 'public.${table}'::regclass AND NOT tgisinternal AND tgparentid = 0`),
        ),
      ).map((r) => r.f);
      for (const f of functions) expect(header, `${file}: trigger function ${f}`).toContain(f);
      expect(/^Triggers acting on it \([^)]*\): none\b/.test(header!), `${file}: says "none"`).toBe(
        functions.length === 0,
      );
    }
  });

  describe('fear_greed_index classification', () => {
    const expected: [number, string][] = [
      [0, 'extreme_fear'],
      [25, 'extreme_fear'],
      [26, 'fear'],
      [45, 'fear'],
      [46, 'neutral'],
      [55, 'neutral'],
      [56, 'greed'],
      [75, 'greed'],
      [76, 'extreme_greed'],
      [100, 'extreme_greed'],
    ];

    it('is derived from value on insert, classification omitted', async () => {
      const rows = await target.db
        .insert(t.fearGreedIndex)
        .values(expected.map(([value], i) => ({ timestamp: new Date(Date.UTC(2024, 0, 1 + i)), value })))
        .returning({ value: t.fearGreedIndex.value, classification: t.fearGreedIndex.classification });
      expect(rows.map((r) => [r.value, r.classification])).toEqual(expected);
    });

    it('follows value on update, crossing each boundary', async () => {
      const [row] = await target.db
        .insert(t.fearGreedIndex)
        .values({ timestamp: new Date('2023-06-01T00:00:00Z'), value: 50 })
        .returning();
      for (const [value, classification] of expected) {
        const [updated] = await target.db
          .update(t.fearGreedIndex)
          .set({ value })
          .where(eq(t.fearGreedIndex.id, row!.id))
          .returning();
        expect([value, updated!.classification]).toEqual([value, classification]);
      }
    });

    it('replaces a classification that contradicts value', async () => {
      const [row] = await target.db
        .insert(t.fearGreedIndex)
        .values({ timestamp: new Date('2023-06-02T00:00:00Z'), value: 80, classification: 'fear' })
        .returning();
      expect(row!.classification).toBe('extreme_greed');
      const [updated] = await target.db
        .update(t.fearGreedIndex)
        .set({ classification: 'neutral' })
        .where(eq(t.fearGreedIndex.id, row!.id))
        .returning();
      expect(updated!.classification).toBe('extreme_greed');
    });
  });

  describe('funding_rates metrics', () => {
    let stamp = Date.UTC(2024, 0, 1);
    const insert = (values: Partial<typeof t.fundingRates.$inferInsert>) =>
      target.db
        .insert(t.fundingRates)
        .values({ symbol: 'BTCUSDT', timestamp: new Date((stamp += HOUR)), rate: '0.0001', ...values })
        .returning();

    it('rate_bps = rate x 10000 and annualized = rate x 24/interval x 365', async () => {
      const [row] = await insert({ rate: '0.0001', fundingIntervalHours: 8 });
      expect([row!.rateBps, row!.annualizedRate]).toEqual(['1.0000', '0.109500']);
      const [hourly] = await insert({ rate: '-0.00012345', fundingIntervalHours: 1 });
      expect([hourly!.rateBps, hourly!.annualizedRate]).toEqual(['-1.2345', '-1.081422']);
      const [extreme] = await insert({ rate: '-0.99999999', fundingIntervalHours: 168 });
      expect([extreme!.rateBps, extreme!.annualizedRate]).toEqual(['-9999.9999', '-52.142857']);
    });

    it('rounds the annualized rate half away from zero to 6 places', async () => {
      // 0.00012345 x 8760 / 7 = 0.15448885714...
      const [row] = await insert({ rate: '0.00012345', fundingIntervalHours: 7 });
      expect(row!.annualizedRate).toBe('0.154489');
      // 0.0000001 x 8760 / 8 = 0.0001095 exactly: a tie, rounded away from zero.
      const [tie] = await insert({ rate: '0.0000001', fundingIntervalHours: 8 });
      expect(tie!.annualizedRate).toBe('0.000110');
      const [negativeTie] = await insert({ rate: '-0.0000001', fundingIntervalHours: 8 });
      expect(negativeTie!.annualizedRate).toBe('-0.000110');
      // 0.00000011 x 8760 / 8 = 0.00012045: under the tie, rounded down.
      const [belowTie] = await insert({ rate: '0.00000011', fundingIntervalHours: 8 });
      expect(belowTie!.annualizedRate).toBe('0.000120');
      // 25.11415524 x 8760 / 22 = 9999.99999556...: the largest that fits.
      const [largest] = await insert({ rate: '25.11415524', fundingIntervalHours: 22 });
      expect(largest!.annualizedRate).toBe('9999.999996');
    });

    it('annualized_rate is null when the interval is null', async () => {
      const [row] = await insert({ rate: '0.0003', fundingIntervalHours: null, annualizedRate: '1' });
      expect([row!.rateBps, row!.annualizedRate]).toEqual(['3.0000', null]);
    });

    it('premium = (mark - index) / index, rounded half away from zero to 8 places', async () => {
      const [row] = await insert({ markPrice: '101', indexPrice: '100' });
      expect(row!.premium).toBe('0.01000000');
      const [third] = await insert({ markPrice: '1', indexPrice: '3' });
      expect(third!.premium).toBe('-0.66666667');
      const [tieUp] = await insert({ markPrice: '2.00000001', indexPrice: '2' });
      expect(tieUp!.premium).toBe('0.00000001'); // 0.000000005 exactly
      const [tieDown] = await insert({ markPrice: '1.99999999', indexPrice: '2' });
      expect(tieDown!.premium).toBe('-0.00000001');
    });

    it('premium is null unless both prices are set and index_price > 0', async () => {
      for (const prices of [
        { markPrice: '101', indexPrice: '0' },
        { markPrice: '101', indexPrice: null },
        { markPrice: null, indexPrice: '100' },
        { markPrice: '101', indexPrice: '-5' },
      ]) {
        const [row] = await insert({ ...prices, premium: '0.5' });
        expect(row!.premium, JSON.stringify(prices)).toBeNull();
      }
    });

    it('recomputes on update and replaces values written to the derived columns', async () => {
      const [row] = await insert({
        rate: '0.0001',
        markPrice: '101',
        indexPrice: '100',
        rateBps: '42',
        annualizedRate: '9',
      });
      expect([row!.rateBps, row!.annualizedRate]).toEqual(['1.0000', '0.109500']);
      const [updated] = await target.db
        .update(t.fundingRates)
        .set({ rate: '0.0002', fundingIntervalHours: 4, indexPrice: '0', rateBps: '1' })
        .where(eq(t.fundingRates.id, row!.id))
        .returning();
      expect([updated!.rateBps, updated!.annualizedRate, updated!.premium]).toEqual(['2.0000', '0.438000', null]);
      const [cleared] = await target.db
        .update(t.fundingRates)
        .set({ fundingIntervalHours: null })
        .where(eq(t.fundingRates.id, row!.id))
        .returning();
      expect(cleared!.annualizedRate).toBeNull();
    });

    it('an annualized rate or premium beyond its column is an error naming the column, never stored', async () => {
      // 9.5 per 8 h = 10402.5 per year: does not fit numeric(10,6).
      const annualized = await failureOf(insert({ rate: '9.5', fundingIntervalHours: 8 }));
      expect(annualized.code).toBe('22003');
      expect(annualized.message).toMatch(/funding_rates\.annualized_rate/);
      // 25.11415525 x 8760 / 22 = 9999.9999995454...: rounds to 10000.000000, also beyond.
      const rounded = await failureOf(insert({ rate: '25.11415525', fundingIntervalHours: 22 }));
      expect(rounded.message).toMatch(/annualized_rate/);
      const premium = await failureOf(insert({ markPrice: '10100', indexPrice: '100' }));
      expect(premium.code).toBe('22003');
      expect(premium.message).toMatch(/funding_rates\.premium/);
      const { count } = rowsOf<{ count: number }>(
        await target.db.execute(
          sql`SELECT count(*)::int AS count FROM funding_rates WHERE rate IN (9.5, 25.11415525) OR mark_price = 10100`,
        ),
      )[0]!;
      expect(count).toBe(0);
    });

    it('rejects NaN, from which nothing can be derived, naming the column', async () => {
      for (const [column, values] of [
        ['rate', { rate: 'NaN' }],
        ['mark_price', { markPrice: 'NaN', indexPrice: '1' }],
        ['index_price', { indexPrice: 'NaN' }],
      ] as const) {
        const failure = await failureOf(insert(values));
        expect(failure.code, column).toBe('22023');
        expect(failure.message, column).toBe(`funding_rates.${column}: NaN is not a rate or price`);
      }
    });

    it('leaves an interval outside 1..168 hours to its CHECK, not a division by zero or an overflow', async () => {
      for (const hours of [0, -8, 169, 2_147_483_647]) {
        const failure = await failureOf(insert({ fundingIntervalHours: hours }));
        expect(failure.code, String(hours)).toBe('23514');
        expect(failure.message, String(hours)).toMatch(/funding_rates_interval_range/);
      }
    });
  });

  describe('circuit_breaker_events cooldown expiry', () => {
    const triggeredAt = new Date('2024-05-01T10:00:00Z');
    const insert = (values: Partial<typeof t.circuitBreakerEvents.$inferInsert>) =>
      target.db
        .insert(t.circuitBreakerEvents)
        .values({ reason: 'test', triggerType: 'manual', triggeredAt, ...values })
        .returning();

    it('is triggered_at + cooldown_hours on insert, the default 1 hour included', async () => {
      const [hourAndHalf] = await insert({ cooldownHours: '1.5' });
      expect(hourAndHalf!.cooldownExpiresAt).toEqual(new Date('2024-05-01T11:30:00Z'));
      const [byDefault] = await insert({});
      expect(byDefault!.cooldownExpiresAt).toEqual(new Date('2024-05-01T11:00:00Z'));
      const [hundredth] = await insert({ cooldownHours: '0.01' });
      expect(hundredth!.cooldownExpiresAt).toEqual(new Date('2024-05-01T10:00:36Z'));
      const [zero] = await insert({ cooldownHours: '0' });
      expect(zero!.cooldownExpiresAt).toEqual(triggeredAt);
    });

    it('is null when cooldown_hours is null, whatever was written', async () => {
      const [row] = await insert({ cooldownHours: null, cooldownExpiresAt: new Date('2030-01-01T00:00:00Z') });
      expect(row!.cooldownExpiresAt).toBeNull();
    });

    it('follows cooldown_hours and triggered_at on update', async () => {
      const [row] = await insert({ cooldownHours: '1' });
      const update = async (values: Partial<typeof t.circuitBreakerEvents.$inferInsert>) =>
        (
          await target.db
            .update(t.circuitBreakerEvents)
            .set(values)
            .where(eq(t.circuitBreakerEvents.id, row!.id))
            .returning()
        )[0]!;
      expect((await update({ cooldownHours: '24' })).cooldownExpiresAt).toEqual(new Date('2024-05-02T10:00:00Z'));
      expect((await update({ triggeredAt: new Date('2024-05-03T00:00:00Z') })).cooldownExpiresAt).toEqual(
        new Date('2024-05-04T00:00:00Z'),
      );
      expect((await update({ cooldownHours: null })).cooldownExpiresAt).toBeNull();
      expect(
        (await update({ cooldownHours: '2', cooldownExpiresAt: new Date('2020-01-01T00:00:00Z') })).cooldownExpiresAt,
      ).toEqual(new Date('2024-05-03T02:00:00Z'));
    });
  });

  describe('updated_at and last_updated', () => {
    const past = new Date('2020-01-01T00:00:00Z');
    const isRecent = (d: Date) => d.getTime() > Date.now() - 10 * 60_000 && d.getTime() <= Date.now() + 60_000;

    it('updated_at advances on update of trades, orders, daily_performance, daily_pnl, breakers and kill switches', async () => {
      const { db } = target;
      const [trade] = await db
        .insert(t.trades)
        .values({
          tradeId: 'U-1',
          symbol: 'BTCUSDT',
          exchange: 'binance',
          side: 'long',
          action: 'open',
          entryPrice: '100',
          quantity: '1',
          updatedAt: past,
        })
        .returning();
      const [order] = await db
        .insert(t.orders)
        .values({
          clientOrderId: 'U-1',
          symbol: 'BTCUSDT',
          exchange: 'binance',
          side: 'buy',
          orderType: 'market',
          quantity: '1',
          updatedAt: past,
        })
        .returning();
      const [performance] = await db
        .insert(t.dailyPerformance)
        .values({ date: '2024-01-01', exchange: 'binance', updatedAt: past })
        .returning();
      const [pnl] = await db
        .insert(t.dailyPnl)
        .values({ date: '2019-01-01', balanceStart: '1', balanceEnd: '1', updatedAt: past })
        .returning();
      const [breaker] = await db
        .insert(t.circuitBreakerEvents)
        .values({ reason: 'u', triggerType: 'manual', updatedAt: past })
        .returning();
      const [killSwitch] = await db
        .insert(t.killSwitchEvents)
        .values({
          reason: 'u',
          triggerSource: 'manual',
          activatedBy: 'test',
          updatedAt: past,
        })
        .returning();
      for (const row of [trade, order, performance, pnl, breaker, killSwitch]) expect(row!.updatedAt).toEqual(past);

      const updated = [
        (await db.update(t.trades).set({ fee: '1' }).where(eq(t.trades.id, trade!.id)).returning())[0]!,
        (await db.update(t.orders).set({ status: 'open' }).where(eq(t.orders.id, order!.id)).returning())[0]!,
        (
          await db
            .update(t.dailyPerformance)
            .set({ totalTrades: 1 })
            .where(eq(t.dailyPerformance.id, performance!.id))
            .returning()
        )[0]!,
        (await db.update(t.dailyPnl).set({ totalTrades: 1 }).where(eq(t.dailyPnl.id, pnl!.id)).returning())[0]!,
        (
          await db
            .update(t.circuitBreakerEvents)
            .set({ severity: 'critical' })
            .where(eq(t.circuitBreakerEvents.id, breaker!.id))
            .returning()
        )[0]!,
        (
          await db
            .update(t.killSwitchEvents)
            .set({ recoveryNotes: 'n' })
            .where(eq(t.killSwitchEvents.id, killSwitch!.id))
            .returning()
        )[0]!,
      ];
      for (const row of updated) {
        expect(row.updatedAt.getTime()).toBeGreaterThan(past.getTime());
        expect(isRecent(row.updatedAt), row.updatedAt.toISOString()).toBe(true);
      }
      // A statement that writes updated_at itself does not win.
      const [forced] = await db.update(t.trades).set({ updatedAt: past }).where(eq(t.trades.id, trade!.id)).returning();
      expect(isRecent(forced!.updatedAt)).toBe(true);
    });

    it('positions.last_updated advances on update (positions has no updated_at)', async () => {
      const [position] = await target.db
        .insert(t.positions)
        .values({
          symbol: 'BTCUSDT',
          exchange: 'binance',
          side: 'long',
          entryPrice: '100',
          quantity: '1',
          margin: '100',
          lastUpdated: past,
        })
        .returning();
      expect(position!.lastUpdated).toEqual(past);
      const [updated] = await target.db
        .update(t.positions)
        .set({ currentPrice: '101' })
        .where(eq(t.positions.id, position!.id))
        .returning();
      expect(updated!.lastUpdated.getTime()).toBeGreaterThan(past.getTime());
      expect(isRecent(updated!.lastUpdated)).toBe(true);
    });

    it('every trigger function carries a comment', async () => {
      const rows = rowsOf<{ name: string; comment: string | null }>(
        await target.db.execute(sql`
        SELECT p.proname AS name, obj_description(p.oid, 'pg_proc') AS comment
          FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace AND p.prorettype = 'trigger'::regtype`),
      );
      expect(rows.map((r) => r.name).sort()).toEqual([
        'classify_fear_greed',
        'derive_funding_rate_metrics',
        'maintain_funding_rates_latest',
        'maintain_ohlcv_data_summaries',
        'maintain_ohlcv_latest',
        'record_inserted_rows',
        'set_circuit_breaker_cooldown_expiry',
        'set_last_updated',
        'set_updated_at',
      ]);
      for (const row of rows) expect(row.comment, row.name).toBeTruthy();
    });
  });
});
