/**
 * v_risk_summary tells the same story as the functions the bot acts on: its
 * live breaker and kill switch counts block exactly when is_trading_allowed()
 * does, and its today / 7-day figures are calculate_daily_pnl()'s rows, in
 * UTC days whatever the session TimeZone. On the real server and PGlite.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.ts';
import { calculateDailyPnl, isTradingAllowed } from '../src/functions/index.ts';
import * as t from '../src/schema/index.ts';
import { vRiskSummary } from '../src/views/index.ts';
import { targets, type TestDb } from './support/db.ts';
import { DAY, HOUR, MIN, breaker, isoDay, utcDay } from './support/views-fixture.ts';

describe.each(targets)('v_risk_summary agrees with the functions on $name', ({ open }) => {
  let target: TestDb;
  let db: Db;
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  beforeAll(async () => {
    target = await open();
    db = target.db;
  });
  afterAll(async () => target?.dispose());

  describe('with is_trading_allowed()', () => {
    beforeEach(async () => {
      await db.delete(t.circuitBreakerEvents);
      await db.delete(t.killSwitchEvents);
    });
    const summary = async () => (await db.select().from(vRiskSummary))[0]!;

    it('nothing live: no counts, trading allowed', async () => {
      await db
        .insert(t.circuitBreakerEvents)
        .values([
          breaker('Resolved', ago(30 * MIN), 2, { status: 'resolved', resolvedAt: ago(20 * MIN) }),
          breaker('Cooldown over', ago(3 * HOUR), 1),
        ]);
      await db.insert(t.killSwitchEvents).values({
        reason: 'Cleared',
        triggerSource: 'manual',
        activatedBy: 'ops',
        activatedAt: ago(HOUR),
        status: 'deactivated',
        deactivatedAt: ago(50 * MIN),
        deactivatedBy: 'ops',
      });
      expect(await summary()).toMatchObject({ activeCircuitBreakers: 0, activeKillSwitches: 0 });
      expect(await isTradingAllowed(db)).toEqual({ allowed: true, reason: 'Trading allowed', cooldownExpires: null });
      expect((await isTradingAllowed(db, { symbol: 'BTCUSDT' })).allowed).toBe(true);
    });

    it('a cooling-down and a manual-resolution breaker: both counted, both block', async () => {
      await db.insert(t.circuitBreakerEvents).values(breaker('Daily loss limit', ago(30 * MIN), 2));
      expect((await summary()).activeCircuitBreakers).toBe(1);
      expect(await isTradingAllowed(db)).toEqual({
        allowed: false,
        reason: 'Daily loss limit',
        cooldownExpires: new Date(now.getTime() + 90 * MIN),
      });
      await db
        .insert(t.circuitBreakerEvents)
        .values(breaker('Manual halt', ago(10 * MIN), null, { triggerType: 'manual' }));
      expect((await summary()).activeCircuitBreakers).toBe(2);
      expect(await isTradingAllowed(db)).toEqual({ allowed: false, reason: 'Manual halt', cooldownExpires: null });
    });

    it('a symbol breaker: counted, and blocks only its symbol', async () => {
      await db
        .insert(t.circuitBreakerEvents)
        .values(breaker('SOL rapid loss', ago(10 * MIN), 1, { triggerType: 'rapid_loss', symbol: 'SOLUSDT' }));
      expect((await summary()).activeCircuitBreakers).toBe(1);
      expect((await isTradingAllowed(db, { symbol: 'SOLUSDT' })).allowed).toBe(false);
      expect((await isTradingAllowed(db, { symbol: 'BTCUSDT' })).allowed).toBe(true);
    });

    it('a kill switch: counted while active, and blocks; cleared, neither', async () => {
      const [ks] = await db
        .insert(t.killSwitchEvents)
        .values({
          reason: 'Security alert',
          triggerSource: 'security_alert',
          activatedBy: 'ops',
          activatedAt: ago(5 * MIN),
        })
        .returning();
      expect((await summary()).activeKillSwitches).toBe(1);
      expect((await isTradingAllowed(db)).reason).toMatch(/^Kill switch active/);
      await db
        .update(t.killSwitchEvents)
        .set({ status: 'deactivated', deactivatedAt: now, deactivatedBy: 'ops' })
        .where(sql`${t.killSwitchEvents.id} = ${ks!.id}`);
      expect((await summary()).activeKillSwitches).toBe(0);
      expect((await isTradingAllowed(db)).allowed).toBe(true);
    });

    it('a breaker expiring exactly now: neither counted nor blocking (same now() in one transaction)', async () => {
      await db.transaction(async (tx) => {
        await tx.execute(sql`
          INSERT INTO circuit_breaker_events (reason, trigger_type, triggered_at, cooldown_hours)
          VALUES ('Expires now', 'rapid_loss', now() - interval '1 hour', 1)`);
        await tx.execute(
          sql`UPDATE circuit_breaker_events SET cooldown_expires_at = now() WHERE reason = 'Expires now'`,
        );
        const txDb = tx as unknown as Db;
        expect((await txDb.select().from(vRiskSummary))[0]!.activeCircuitBreakers).toBe(0);
        expect((await isTradingAllowed(txDb)).allowed).toBe(true);
      });
    });
  });

  describe('with calculate_daily_pnl()', () => {
    const today = utcDay(now);
    /** An instant inside today's UTC day that is already past. */
    const earlierToday = (fraction: number) => new Date(today.getTime() + (now.getTime() - today.getTime()) * fraction);

    beforeAll(async () => {
      await db.insert(t.accountSnapshots).values([
        { exchange: 'binance', timestamp: new Date(today.getTime() - 2 * DAY), balance: '1000', equity: '1000' },
        {
          exchange: 'binance',
          timestamp: new Date(today.getTime() - 12 * HOUR),
          balance: '990',
          equity: '995',
          unrealizedPnl: '5',
        },
        { exchange: 'binance', timestamp: earlierToday(0.5), balance: '1010', equity: '1017.5', unrealizedPnl: '7.5' },
      ]);
      const closed = (
        tradeId: string,
        exitTime: Date,
        realizedPnl: string,
        action: 'close' | 'liquidated' = 'close',
      ) => ({
        tradeId,
        symbol: 'BTCUSDT',
        exchange: 'binance',
        side: 'long' as const,
        action,
        entryPrice: '100',
        exitPrice: '101',
        quantity: '1',
        realizedPnl,
        entryTime: new Date(exitTime.getTime() - 5 * MIN),
        exitTime,
      });
      await db
        .insert(t.trades)
        .values([
          closed('Y-1', new Date(today.getTime() - 6 * HOUR), '-10'),
          closed('D-1', earlierToday(0.25), '30'),
          closed('D-2', earlierToday(0.75), '-12.5', 'liquidated'),
        ]);
    });

    it("today's figures are calculate_daily_pnl()'s row, whatever the session TimeZone", async () => {
      const yesterday = await calculateDailyPnl(db, isoDay(utcDay(now, -1)));
      const todayRow = await calculateDailyPnl(db, today);
      // Realized 30 − 12.5 (the liquidation counts) plus the last snapshot's unrealized 7.5.
      expect(todayRow).toMatchObject({ totalPnl: '25.00000000', balanceEnd: '1010.00000000' });
      for (const zone of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
        const [row] = await db.transaction(async (tx) => {
          await tx.execute(sql.raw(`SET LOCAL TimeZone = '${zone}'`));
          return tx.select().from(vRiskSummary);
        });
        expect(row, zone).toMatchObject({
          todayPnl: todayRow.totalPnl,
          currentBalance: todayRow.balanceEnd,
          totalPnl7d: (Number(todayRow.totalPnl) + Number(yesterday.totalPnl!)).toFixed(8),
        });
        const rates = [todayRow.winRate, yesterday.winRate].filter((r) => r !== null).map(Number);
        expect(Number(row!.avgWinRate7d), zone).toBeCloseTo(rates.reduce((a, b) => a + b, 0) / rates.length, 12);
      }
    });
  });
});
