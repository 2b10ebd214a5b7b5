/**
 * is_trading_allowed() and its wrapper, on the real server and on PGlite:
 * kill switches, active / expired / manual / resolved breakers, several at
 * once, symbol scope, hostile arguments, and failing closed.
 */
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db.ts';
import { FunctionArgumentError, isTradingAllowed } from '../src/functions/index.ts';
import * as t from '../src/schema/index.ts';
import { targets, type TestDb } from './support/db.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const ALLOWED = { allowed: true, reason: 'Trading allowed', cooldownExpires: null };

describe.each(targets)('trading guard on $name', ({ open }) => {
  let target: TestDb;
  const ago = (ms: number) => new Date(Date.now() - ms);
  const breaker = async (values: Partial<typeof t.circuitBreakerEvents.$inferInsert>) =>
    (
      await target.db
        .insert(t.circuitBreakerEvents)
        .values({ reason: 'breaker', triggerType: 'max_daily_loss', triggeredAt: ago(MIN), ...values })
        .returning()
    )[0]!;
  const killSwitch = async (values: Partial<typeof t.killSwitchEvents.$inferInsert> = {}) =>
    (
      await target.db
        .insert(t.killSwitchEvents)
        .values({
          reason: 'operator pulled it',
          triggerSource: 'manual',
          activatedBy: 'ops',
          activatedAt: ago(MIN),
          ...values,
        })
        .returning()
    )[0]!;

  beforeAll(async () => {
    target = await open();
  });
  afterAll(async () => target?.dispose());
  beforeEach(async () => {
    await target.db.execute(sql`TRUNCATE circuit_breaker_events, kill_switch_events RESTART IDENTITY`);
  });

  it('allows trading when nothing blocks it', async () => {
    expect(await isTradingAllowed(target.db)).toEqual(ALLOWED);
    expect(await isTradingAllowed(target.db, { symbol: 'BTCUSDT' })).toEqual(ALLOWED);
  });

  it('a kill switch blocks everything until it is cleared', async () => {
    const row = await killSwitch({ reason: 'exchange outage' });
    const blocked = await isTradingAllowed(target.db, { symbol: 'BTCUSDT' });
    expect(blocked).toEqual({ allowed: false, reason: 'Kill switch active: exchange outage', cooldownExpires: null });
    expect((await isTradingAllowed(target.db)).reason).toMatch(/^Kill switch active/);

    await target.db
      .update(t.killSwitchEvents)
      .set({ status: 'deactivated', deactivatedAt: new Date(), deactivatedBy: 'ops' })
      .where(eq(t.killSwitchEvents.id, row.id));
    expect(await isTradingAllowed(target.db, { symbol: 'BTCUSDT' })).toEqual(ALLOWED);
  });

  it('a kill switch outranks breakers; the newest active one gives the reason', async () => {
    await breaker({ reason: 'daily loss' });
    await killSwitch({ reason: 'older', activatedAt: ago(2 * HOUR) });
    await killSwitch({ reason: 'newer', activatedAt: ago(HOUR) });
    expect(await isTradingAllowed(target.db)).toEqual({
      allowed: false,
      reason: 'Kill switch active: newer',
      cooldownExpires: null,
    });
  });

  it('an active breaker blocks until its cooldown expires', async () => {
    const row = await breaker({ reason: 'Max daily loss hit', cooldownHours: '2' });
    expect(await isTradingAllowed(target.db)).toEqual({
      allowed: false,
      reason: 'Max daily loss hit',
      cooldownExpires: row.cooldownExpiresAt,
    });
    expect(row.cooldownExpiresAt!.getTime()).toBe(row.triggeredAt.getTime() + 2 * HOUR);
  });

  it('an expired breaker, still marked active, no longer blocks', async () => {
    await breaker({ triggeredAt: ago(3 * HOUR), cooldownHours: '1' });
    await breaker({ triggeredAt: ago(2 * MIN), cooldownHours: '0.01' }); // 36 s
    expect(await isTradingAllowed(target.db)).toEqual(ALLOWED);
  });

  it('a breaker without cooldown blocks until resolved by hand', async () => {
    const row = await breaker({ reason: 'needs a human', triggeredAt: ago(100 * 24 * HOUR), cooldownHours: null });
    expect(await isTradingAllowed(target.db)).toEqual({
      allowed: false,
      reason: 'needs a human',
      cooldownExpires: null,
    });
    await target.db
      .update(t.circuitBreakerEvents)
      .set({ status: 'resolved', resolvedAt: new Date(), resolvedBy: 'ops' })
      .where(eq(t.circuitBreakerEvents.id, row.id));
    expect(await isTradingAllowed(target.db)).toEqual(ALLOWED);
  });

  it('ignores resolved, overridden and expired breakers', async () => {
    for (const status of ['resolved', 'overridden', 'expired'] as const) {
      await breaker({ status, cooldownHours: null });
      await breaker({ status, cooldownHours: '5' });
    }
    expect(await isTradingAllowed(target.db)).toEqual(ALLOWED);
  });

  it('several breakers: resumes at the latest expiry, with the newest reason', async () => {
    const longest = await breaker({ reason: 'drawdown', triggeredAt: ago(30 * MIN), cooldownHours: '4' });
    await breaker({ reason: 'rapid loss', triggeredAt: ago(5 * MIN), cooldownHours: '1' });
    await breaker({ reason: 'old and expired', triggeredAt: ago(10 * HOUR), cooldownHours: '1' });
    await breaker({ reason: 'resolved', triggeredAt: ago(MIN), cooldownHours: '8', status: 'resolved' });
    expect(await isTradingAllowed(target.db)).toEqual({
      allowed: false,
      reason: 'rapid loss',
      cooldownExpires: longest.cooldownExpiresAt,
    });
    // One that needs manual resolution means no time to resume at.
    await breaker({ reason: 'manual', triggeredAt: ago(20 * MIN), cooldownHours: null });
    expect(await isTradingAllowed(target.db)).toEqual({ allowed: false, reason: 'rapid loss', cooldownExpires: null });
  });

  it('a symbol breaker blocks only that symbol', async () => {
    const row = await breaker({
      reason: 'ETH consecutive losses',
      symbol: 'ETHUSDT',
      triggerType: 'consecutive_losses',
    });
    expect(await isTradingAllowed(target.db, { symbol: 'ETHUSDT' })).toEqual({
      allowed: false,
      reason: 'ETH consecutive losses',
      cooldownExpires: row.cooldownExpiresAt,
    });
    expect(await isTradingAllowed(target.db, { symbol: 'BTCUSDT' })).toEqual(ALLOWED);
    // The account-level question (no symbol) is not blocked by one symbol.
    expect(await isTradingAllowed(target.db)).toEqual(ALLOWED);
    expect(await isTradingAllowed(target.db, { symbol: null })).toEqual(ALLOWED);
  });

  it('an account-wide breaker blocks every symbol', async () => {
    await breaker({ reason: 'ETH only', symbol: 'ETHUSDT', triggeredAt: ago(2 * MIN) });
    const account = await breaker({ reason: 'account', symbol: null, triggeredAt: ago(MIN), cooldownHours: '3' });
    for (const symbol of ['BTCUSDT', 'ETHUSDT', undefined]) {
      expect(await isTradingAllowed(target.db, { symbol }), String(symbol)).toEqual({
        allowed: false,
        reason: 'account',
        cooldownExpires: account.cooldownExpiresAt,
      });
    }
  });

  it('SELECT * FROM is_trading_allowed() returns one row and never raises, whatever the symbol', async () => {
    await breaker({ reason: 'BTC only', symbol: 'BTCUSDT' });
    const [bare] = rowsOf<{ allowed: boolean; reason: string }>(
      await target.db.execute(sql`SELECT * FROM is_trading_allowed()`),
    );
    expect(bare).toMatchObject({ allowed: true, reason: 'Trading allowed' });
    const hostile = [
      "'; DROP TABLE circuit_breaker_events; --",
      "BTCUSDT' OR '1'='1",
      '%',
      '_',
      '\\',
      '"',
      '',
      ' ',
      'btcusdt',
      'BTCUSDT ',
      '🚀'.repeat(50),
      'x'.repeat(100_000),
      '$1',
      "E'\\x00'",
    ];
    for (const symbol of hostile) {
      const rows = rowsOf<{ allowed: boolean; reason: string }>(
        await target.db.execute(sql`SELECT * FROM is_trading_allowed(${symbol}::text)`),
      );
      expect(rows, symbol.slice(0, 40)).toEqual([
        expect.objectContaining({ allowed: true, reason: 'Trading allowed' }),
      ]);
      expect(await isTradingAllowed(target.db, { symbol })).toEqual(ALLOWED);
    }
    const { count } = rowsOf<{ count: number }>(
      await target.db.execute(sql`SELECT count(*)::int AS count FROM circuit_breaker_events`),
    )[0]!;
    expect(count).toBe(1);
  });

  it('the wrapper rejects a symbol PostgreSQL cannot carry, naming the argument', async () => {
    await expect(isTradingAllowed(target.db, { symbol: 'BTC\0USDT' })).rejects.toThrow(FunctionArgumentError);
    await expect(isTradingAllowed(target.db, { symbol: 42 as unknown as string })).rejects.toThrow(/symbol/);
  });

  it('fails closed instead of raising when it cannot read the events', async () => {
    const role = `iftb_guard_probe_${randomBytes(4).toString('hex')}`;
    await target.db.execute(sql.raw(`CREATE ROLE ${role} NOLOGIN`));
    try {
      await target.db.execute(sql.raw(`GRANT USAGE ON SCHEMA public TO ${role}`));
      await target.db.execute(sql.raw(`GRANT EXECUTE ON FUNCTION is_trading_allowed(text) TO ${role}`));
      const rows = await target.db.transaction(async (tx) => {
        await tx.execute(sql.raw(`SET LOCAL ROLE ${role}`));
        return rowsOf<{ allowed: boolean; reason: string; cooldown_expires: unknown }>(
          await tx.execute(sql`SELECT * FROM is_trading_allowed('BTCUSDT')`),
        );
      });
      expect(rows).toEqual([
        {
          allowed: false,
          reason: expect.stringMatching(/^Trading guard failed \(SQLSTATE 42501\): permission denied/),
          cooldown_expires: null,
        },
      ]);
    } finally {
      await target.db.execute(sql.raw(`DROP OWNED BY ${role}`));
      await target.db.execute(sql.raw(`DROP ROLE ${role}`));
    }
  });

  it('carries a comment', async () => {
    const { comment } = rowsOf<{ comment: string | null }>(
      await target.db.execute(
        sql`SELECT obj_description('is_trading_allowed(text)'::regprocedure, 'pg_proc') AS comment`,
      ),
    )[0]!;
    expect(comment).toMatch(/Kill switch active/);
  });
});
