/**
 * Safety under concurrency on the real server: racing bot instances cannot
 * open the same position twice, and a kill switch blocks every guard call
 * that starts after it commits.
 */
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, createDb, type Db } from '../src/db.ts';
import { IftbDbError, PositionAlreadyOpenError } from '../src/errors.ts';
import { killSwitchEvents, positions } from '../src/schema/index.ts';
import { openPosition, type NewOpenPosition } from '../src/trading/open-position.ts';
import { freshPostgres, type TestDb } from './support/db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await freshPostgres();
});
afterAll(() => t?.dispose());

/** `n` separate connections, each already connected, so the work that follows starts together. */
async function connections(n: number): Promise<Db[]> {
  const dbs = Array.from({ length: n }, () => createDb(t.url!, { max: 1 }));
  await Promise.all(dbs.map((db) => db.execute(sql`SELECT 1`)));
  return dbs;
}

describe('opening the same position from 50 connections at once', () => {
  const position: NewOpenPosition = {
    symbol: 'BTCUSDT',
    exchange: 'binance',
    side: 'long',
    entryPrice: '50000',
    quantity: '0.01',
    margin: '500',
  };

  it('opens exactly one; the other 49 get PositionAlreadyOpenError', async () => {
    const dbs = await connections(50);
    try {
      const outcomes = await Promise.allSettled(dbs.map((db) => openPosition(db, position)));
      const opened = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(opened).toHaveLength(1);
      expect(refused).toHaveLength(49);
      for (const error of refused) {
        expect(error).toBeInstanceOf(PositionAlreadyOpenError);
        expect(error).toBeInstanceOf(IftbDbError);
        expect(error).toMatchObject({ symbol: 'BTCUSDT', exchange: 'binance', side: 'long' });
        expect((error as Error).message).toBe(
          'a long position on BTCUSDT at binance is already open; close it before opening another',
        );
      }
      const rows = await t.db.select().from(positions).where(eq(positions.symbol, 'BTCUSDT'));
      expect(rows).toEqual([opened[0]!.value]);
    } finally {
      await Promise.all(dbs.map(close));
    }
  });

  it('opens the other side, and the same side again once the first is closed', async () => {
    const short = await openPosition(t.db, { ...position, side: 'short' });
    expect(short.status).toBe('open');
    await t.db
      .update(positions)
      .set({ status: 'closed' })
      .where(sql`${positions.symbol} = 'BTCUSDT' AND ${positions.side} = 'long'`);
    const reopened = await openPosition(t.db, position);
    expect(reopened).toMatchObject({ side: 'long', status: 'open' });
  });
});

describe('a kill switch activated while 20 clients call is_trading_allowed() in a loop', () => {
  it('blocks every call that starts after the activation commits', async () => {
    const client = postgres(t.url!, { max: 20, onnotice: () => {} });
    try {
      await Promise.all(Array.from({ length: 20 }, () => client`SELECT 1`));
      const calls: { startedAt: number; finishedAt: number; allowed: boolean; reason: string }[] = [];
      let stopAt = Infinity;
      const loop = async () => {
        while (performance.now() < stopAt) {
          const startedAt = performance.now();
          const [row] = await client<{ allowed: boolean; reason: string }[]>`SELECT * FROM is_trading_allowed()`;
          calls.push({ startedAt, finishedAt: performance.now(), allowed: row!.allowed, reason: row!.reason });
        }
      };
      const loops = Array.from({ length: 20 }, loop);

      await new Promise((resolve) => setTimeout(resolve, 300));
      const activationStarted = performance.now();
      await t.db.insert(killSwitchEvents).values({
        reason: 'concurrency test',
        triggerSource: 'manual',
        activatedBy: 'test',
      });
      const committedAt = performance.now();
      stopAt = committedAt + 500;
      await Promise.all(loops);

      const before = calls.filter((c) => c.finishedAt < activationStarted);
      const after = calls.filter((c) => c.startedAt > committedAt);
      expect(before.length).toBeGreaterThan(20);
      expect(after.length).toBeGreaterThan(20);
      expect(before.every((c) => c.allowed)).toBe(true);
      const leaked = after.filter((c) => c.allowed || !c.reason.startsWith('Kill switch active'));
      expect(leaked).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
