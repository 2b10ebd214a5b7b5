/**
 * A backend terminated (pg_terminate_backend) in the middle of a library
 * call or of a transaction on createDb(url)'s Db: the caller gets a
 * ConnectionLostError naming what ran, the process does not crash (postgres.js
 * 3.4.9 alone ends it with "Cannot read properties of null (reading 'write')"),
 * nothing half-done is committed, and the same Db works on the next call.
 */
import { asc, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { close, createDb, rowsOf, type Db } from '../src/db.ts';
import { ConnectionLostError, IftbDbError } from '../src/errors.ts';
import { upsertCandles } from '../src/ingest/upsert-candles.ts';
import { migrate } from '../src/migrate.ts';
import { readMigrations } from '../src/migration-files.ts';
import { ohlcvData, type NewOhlcvData } from '../src/schema/index.ts';
import { emptyDatabase, freshPostgres, type TestDb } from './support/db.ts';
import { getLatestPrice, isTradingAllowed } from '../src/functions/index.ts';
import { backendPid, crashWatch, terminateUnnoticed, terminateWhen } from './support/faults.ts';

const watch = crashWatch();
let admin: postgres.Sql;
beforeAll(() => {
  admin = postgres(inject('adminUrl'), { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await admin.end();
});
beforeEach(() => watch.start());
afterEach(async () => {
  expect(await watch.stop()).toEqual([]);
});

/** The error `work` rejects with (handled at once: it may fail before the test awaits it). */
function failure(work: Promise<unknown>): Promise<Error> {
  return work.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error) => e,
  );
}

/** Every code in an error's cause chain. */
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

const candles = (n: number): NewOhlcvData[] =>
  Array.from({ length: n }, (_, i) => ({
    symbol: 'BTCUSDT',
    timeframe: '1m',
    timestamp: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
    open: '100',
    high: '200',
    low: '50',
    close: '150.5',
    volume: '3',
  }));

describe('a terminated backend', () => {
  let t: TestDb;
  let db: Db;
  let pid: number;
  beforeAll(async () => {
    t = await freshPostgres();
  });
  afterAll(async () => {
    await t.dispose();
  });
  beforeEach(async () => {
    db = createDb(t.url!, { max: 1 });
    pid = await backendPid(db);
  });
  afterEach(async () => {
    await close(db);
  });

  it('in a transaction running a statement: ConnectionLostError, then the Db works again', async () => {
    const work = failure(
      db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_sleep(5)`);
      }),
    );
    await terminateWhen(admin, t.name, pid, (a) => a.query.includes('pg_sleep'));
    const error = await work;
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error).toBeInstanceOf(IftbDbError);
    expect(error.message).toMatch(
      /^transaction: the connection to PostgreSQL was lost \(.*CONNECTION_CLOSED.*\); nothing of its transaction was committed$/,
    );
    expect(causeCodes(error)).toContain('CONNECTION_CLOSED');
    expect(rowsOf(await db.execute(sql`SELECT 1 AS one`))).toEqual([{ one: 1 }]);
  });

  it('in a transaction between statements: the next statement is refused, never sent', async () => {
    const work = failure(
      db.transaction(async (tx) => {
        await tx.insert(ohlcvData).values(candles(1));
        await new Promise((r) => setTimeout(r, 1_000));
        await tx.execute(sql`SELECT 1`);
      }),
    );
    await terminateWhen(admin, t.name, pid, (a) => a.state === 'idle in transaction');
    const error = await work;
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(await db.$count(ohlcvData)).toBe(0);
  });

  it('in a nested transaction (savepoint): ConnectionLostError from the outer call', async () => {
    const work = failure(
      db.transaction(async (tx) => {
        await tx.transaction(async (inner) => {
          await inner.execute(sql`SELECT pg_sleep(5)`);
        });
      }),
    );
    await terminateWhen(admin, t.name, pid, (a) => a.query.includes('pg_sleep'));
    expect(await work).toBeInstanceOf(ConnectionLostError);
    expect(rowsOf(await db.execute(sql`SELECT 2 AS two`))).toEqual([{ two: 2 }]);
  });

  it('on an idle connection the server ended (a restart, a failover): the guard and the reads answer, asked once more', async () => {
    // The scenario is real: a plain query queued on the dead connection fails.
    terminateUnnoticed(inject('adminUrl'), pid);
    await expect(db.execute(sql`SELECT 1`)).rejects.toThrow();
    pid = await backendPid(db);
    terminateUnnoticed(inject('adminUrl'), pid);
    expect(await isTradingAllowed(db)).toEqual({ allowed: true, reason: 'Trading allowed', cooldownExpires: null });
    pid = await backendPid(db);
    terminateUnnoticed(inject('adminUrl'), pid);
    expect(await getLatestPrice(db, { symbol: 'BTCUSDT', exchange: 'binance' })).toBeNull();
  });

  it('in a transaction, a read is not asked again: ConnectionLostError naming it', async () => {
    const work = failure(
      db.transaction(async (tx) => {
        terminateUnnoticed(inject('adminUrl'), pid);
        await isTradingAllowed(tx);
      }),
    );
    const error = await work;
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error.message).toMatch(/^isTradingAllowed: the connection to PostgreSQL was lost/);
    expect(await isTradingAllowed(db)).toMatchObject({ allowed: true });
  });

  it('during upsertCandles of 200,000 rows: names the batch, commits nothing; a rerun writes exactly 200,000', async () => {
    await db.delete(ohlcvData);
    const rows = candles(200_000);
    const work = failure(upsertCandles(db, rows, { table: 'ohlcv_data' }));
    await terminateWhen(
      admin,
      t.name,
      pid,
      (a) => a.state === 'active' && a.query.includes('INSERT INTO "ohlcv_data"'),
      300,
    );
    const error = await work;
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error.message).toMatch(
      /^upsertCandles\(ohlcv_data\) writing the batch of input rows \d+\.\.\d+: the connection to PostgreSQL was lost/,
    );
    expect(await db.$count(ohlcvData)).toBe(0);
    expect(await upsertCandles(db, rows, { table: 'ohlcv_data' })).toEqual({ inserted: 200_000, updated: 0 });
    const stored = await db
      .select({ timestamp: ohlcvData.timestamp })
      .from(ohlcvData)
      .orderBy(asc(ohlcvData.timestamp));
    expect(stored.map((r) => r.timestamp.getTime())).toEqual(rows.map((r) => r.timestamp.getTime()));
    // Two 200k-row writes, each keeping the read models current: beyond the default minute on a loaded 2-core machine.
  }, 240_000);
});

describe('a terminated backend during migrate', () => {
  it('names the migration and statement, applies nothing; a rerun applies each pending migration once', async () => {
    const tags = readMigrations().map((m) => m.tag);
    const target = await emptyDatabase();
    const db = createDb(target.url, { max: 1 });
    const blocker = postgres(target.url, { max: 1, onnotice: () => {} });
    try {
      expect((await migrate(db, { to: '0005_roles' })).applied).toEqual(tags.slice(0, 6));
      // 0006 starts with ALTER TABLE funding_rates: hold that table so migrate waits mid-way.
      const reserved = await blocker.reserve();
      await reserved`BEGIN`;
      await reserved`LOCK TABLE funding_rates IN ACCESS EXCLUSIVE MODE`;
      const pid = await backendPid(db);
      const work = failure(migrate(db));
      await terminateWhen(
        admin,
        target.name,
        pid,
        (a) => a.wait_event_type === 'Lock' && a.query.includes('funding_rates'),
      );
      const error = await work;
      await reserved`ROLLBACK`;
      reserved.release();
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect(error.message).toMatch(
        /^migrate \(migration 0006_numeric_not_nan, statement 1 of \d+\): the connection to PostgreSQL was lost/,
      );
      const journal = async () =>
        rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__iftb_db_migrations`))[0]!.n;
      expect(await journal()).toBe(6);
      expect((await migrate(db)).applied).toEqual(tags.slice(6));
      expect(await journal()).toBe(tags.length);
    } finally {
      await close(db);
      await blocker.end();
      await target.drop();
    }
  });
});
