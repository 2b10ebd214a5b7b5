/**
 * A primary and a hot standby streaming from it (pg_basebackup -R), both
 * started by the test. createReplicatedDb sends view reads to the standby and
 * the guard, the P&L, openPosition, upsertCandles, migrate and every write to
 * the primary: with the standby's replay paused (a lagging replica), a kill
 * switch committed on the primary blocks the very next guard call while the
 * views on the replica still show the old state.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, createDb, createReplicatedDb, primaryOf, type Db } from '../src/db.ts';
import { calculateDailyPnl, isTradingAllowed } from '../src/functions/index.ts';
import { upsertCandles } from '../src/ingest/upsert-candles.ts';
import { migrate } from '../src/migrate.ts';
import * as t from '../src/schema/index.ts';
import { openPosition } from '../src/trading/open-position.ts';
import { vActivePositions, vRiskSummary } from '../src/views/index.ts';
import { missingPostgres, startPrimary, startStandby, type PgNode } from './support/cluster.ts';

const missing = missingPostgres();
if (missing) console.warn(`SKIPPED test/replica.test.ts: ${missing}`);

describe.skipIf(missing)('a primary with a lagging read replica', () => {
  let primary: PgNode;
  let standby: PgNode;
  let db: Db;
  let onStandby: postgres.Sql;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const replayState = async () => (await onStandby`SELECT pg_get_wal_replay_pause_state() AS s`)[0]!.s as string;
  /** Waits until the standby has replayed everything the primary wrote so far. */
  const caughtUp = async () => {
    const onPrimary = postgres(primary.url('iftb'), { max: 1, onnotice: () => {} });
    const [{ lsn }] = (await onPrimary`SELECT pg_current_wal_lsn()::text AS lsn`) as unknown as [{ lsn: string }];
    await onPrimary.end();
    for (let i = 0; i < 200; i++) {
      const [row] = await onStandby`SELECT pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn AS done`;
      if (row!.done) return;
      await sleep(50);
    }
    throw new Error('the standby did not catch up');
  };

  beforeAll(async () => {
    primary = await startPrimary();
    const admin = postgres(primary.url(), { max: 1, onnotice: () => {} });
    await admin`CREATE DATABASE iftb`;
    await admin.end();
    standby = await startStandby(primary, 'replica1');
    onStandby = postgres(standby.url('iftb'), { max: 1, onnotice: () => {} });
    db = createReplicatedDb({ primary: primary.url('iftb'), replicas: [standby.url('iftb')], max: 2 });
    await migrate(db); // a transaction: on the primary
    await db
      .insert(t.accountSnapshots)
      .values({ exchange: 'binance', timestamp: new Date(Date.now() - 86_400_000), balance: '1000', equity: '1000' });
    await caughtUp();
  });
  afterAll(async () => {
    if (onStandby && (await replayState().catch(() => 'gone')) !== 'not paused')
      await onStandby`SELECT pg_wal_replay_resume()`;
    await onStandby?.end();
    if (db) await close(db);
    await standby?.destroy();
    await primary?.destroy();
  });

  it('reads views on the replica and writes on the primary', async () => {
    expect((await onStandby`SELECT pg_is_in_recovery() AS r`)[0]!.r).toBe(true);
    expect(primaryOf(db)).not.toBe(db);
    expect(await db.select().from(vRiskSummary)).toMatchObject([{ activeKillSwitches: 0 }]);
  });

  it('a kill switch committed on the primary blocks the very next guard call while the paused replica still shows none', async () => {
    await onStandby`SELECT pg_wal_replay_pause()`;
    while ((await replayState()) !== 'paused') await sleep(20);

    await db.insert(t.killSwitchEvents).values({ reason: 'primary only', triggerSource: 'manual', activatedBy: 'ops' });
    expect(await isTradingAllowed(db, { symbol: 'BTCUSDT' })).toEqual({
      allowed: false,
      reason: 'Kill switch active: primary only',
      cooldownExpires: null,
    });
    // The replica lags: its view still says no kill switch, and so would a guard asked there.
    expect(await db.select().from(vRiskSummary)).toMatchObject([{ activeKillSwitches: 0, lastKillSwitchReason: null }]);
    const replicaOnly = createDb(standby.url('iftb'), { max: 1 });
    expect((await isTradingAllowed(replicaOnly)).allowed).toBe(true);
    await close(replicaOnly);

    // Every write still works and lands on the primary while the replica is paused.
    const position = await openPosition(db, {
      symbol: 'ETHUSDT',
      exchange: 'binance',
      side: 'short',
      entryPrice: '2000',
      quantity: '1',
      margin: '200',
    });
    expect(
      await upsertCandles(
        db,
        [
          {
            symbol: 'ETHUSDT',
            exchange: 'binance',
            timeframe: '1h',
            timestamp: new Date('2024-01-01Z'),
            open: '1',
            high: '1',
            low: '1',
            close: '1',
            volume: '1',
          },
        ],
        { table: 'ohlcv_data' },
      ),
    ).toEqual({ inserted: 1, updated: 0 });
    expect((await calculateDailyPnl(db, new Date())).balanceEnd).toBe('1000.00000000');
    expect(await db.select().from(vActivePositions)).toEqual([]);

    await onStandby`SELECT pg_wal_replay_resume()`;
    await caughtUp();
    expect(await db.select().from(vRiskSummary)).toMatchObject([
      { activeKillSwitches: 1, lastKillSwitchReason: 'primary only' },
    ]);
    expect((await db.select().from(vActivePositions)).map((p) => p.id)).toEqual([position.id]);
  });
});
