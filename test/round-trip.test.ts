/**
 * Exact round trips (SPEC 7a): every value the insert schemas accept comes
 * back from db.select() equal, on postgres.js and PGlite, under a non-UTC
 * TimeZone. The server database defaults to Europe/Amsterdam (the library's
 * connections pin UTC); the PGlite session is switched to Europe/Amsterdam
 * after open, so its reads must be exact whatever the offset (1900 in
 * Amsterdam is +00:19:32, local mean time). Plus the cases the issue found.
 *
 * ROUND_TRIP_PAYLOADS sets payloads per table and driver (default 400); FC_SEED replays a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { getTableColumns, sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, createDb, rowsOf, type Db } from '../src/db.ts';
import { createNodePgDb } from '../src/node-postgres.ts';
import { createPgliteDb } from '../src/pglite.ts';
import { getLatestFundingRate, isTradingAllowed } from '../src/functions/index.ts';
import { migrate } from '../src/migrate.ts';
import * as t from '../src/schema/index.ts';
import { compareDecimals, numberToDecimal } from '../src/validation/decimal.ts';
import { MAX_JSON_DEPTH } from '../src/validation/json.ts';
import {
  circuitBreakerEventsInsertSchema,
  ohlcvDataInsertSchema,
  systemEventsInsertSchema,
} from '../src/validation/schemas.ts';
import { schemasByTable } from '../src/validation/by-table.ts';
import { tableNames, tables, type TableName } from '../src/validation/table-list.ts';
import { freshPostgres, targets, type TestDb } from './support/db.ts';
import { ensurePartitions } from '../src/functions/ensure_partitions.ts';
import { ensureRowMonth } from './support/test-months.ts';
import { jsonEqual, planTable, triggerOwnedKeys, type TablePlan } from './support/validation-payloads.ts';

const PER_TABLE = Number(process.env.ROUND_TRIP_PAYLOADS ?? 400);
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const ZONE = 'Europe/Amsterdam';

/** A fresh database of `target` whose TimeZone is Europe/Amsterdam: the database default (server) or the session (PGlite). */
async function amsterdam(target: (typeof targets)[number]): Promise<TestDb> {
  const test = await target.open();
  if (test.sql) await test.sql.unsafe(`ALTER DATABASE "${test.name}" SET timezone = '${ZONE}'`);
  else await test.db.execute(sql.raw(`SET TimeZone = '${ZONE}'`));
  return test;
}

const nested = (depth: number) => {
  let value: unknown[] = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
};

/** Is the selected value the one the schema gave? */
function sameValue(plan: TablePlan, key: string, given: unknown, selected: unknown): boolean {
  if (given === null || selected === null) return given === selected;
  if (plan.kinds[key] === 'decimal')
    return compareDecimals(typeof given === 'number' ? numberToDecimal(given)! : String(given), String(selected)) === 0;
  if (given instanceof Date) return selected instanceof Date && selected.getTime() === given.getTime();
  if ((getTableColumns(plan.table) as Record<string, { columnType: string }>)[key]!.columnType === 'PgJsonb')
    return jsonEqual(given, selected);
  return given === selected;
}

interface Tally {
  accepted: number;
  equal: number;
  lost: string[];
}

/** Insert each accepted payload in a rolled-back savepoint and select it back; the table holds only that row there. */
async function roundTrip(db: Db, name: TableName): Promise<Tally> {
  const table = tables[name];
  const plan = planTable(name, table, triggerOwnedKeys(table));
  const schema = schemasByTable[name].insert;
  const tally: Tally = { accepted: 0, equal: 0, lost: [] };
  const payloads = fc.sample(plan.payloads, { numRuns: PER_TABLE, seed: SEED + tableNames.indexOf(name) });
  await db
    .transaction(async (tx) => {
      for (const payload of payloads) {
        const parsed = schema.safeParse(payload.row);
        if (!parsed.success) continue;
        tally.accepted++;
        const given = parsed.data as Record<string, unknown>;
        let selected: Record<string, unknown>[] = [];
        try {
          await tx.transaction(async (sp) => {
            // The month of a partitioned table's row (any year) must exist first, as for any write.
            await ensureRowMonth(sp, table, given);
            await sp.insert(table).values(given as never);
            selected = (await sp.select().from(table as typeof t.trades)) as Record<string, unknown>[];
            sp.rollback();
          });
        } catch (error) {
          if (!(error instanceof TransactionRollbackError)) {
            tally.lost.push(
              `${Object.keys(given).join(',')}: insert failed: ${(error as Error).message.slice(0, 200)}`,
            );
            continue;
          }
        }
        const changed = Object.keys(given).filter(
          (k) => given[k] !== undefined && !plan.triggerOwned.has(k) && !sameValue(plan, k, given[k], selected[0]?.[k]),
        );
        if (selected.length === 1 && changed.length === 0) tally.equal++;
        else
          tally.lost.push(
            `${selected.length} row(s); changed: ${changed.map((k) => `${k} ${String(given[k]).slice(0, 40)} -> ${String(selected[0]?.[k]).slice(0, 40)}`).join(', ')}`,
          );
      }
      tx.rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
  return tally;
}

describe.each(targets)('round trips on $name under TimeZone ' + ZONE, (target) => {
  let test: TestDb;
  beforeAll(async () => {
    test = await amsterdam(target);
  });
  afterAll(async () => {
    await test?.dispose();
  });

  it.each(tableNames)(
    'every value the %s insert schema accepts comes back from db.select() equal',
    async (name) => {
      const tally = await roundTrip(test.db, name);
      console.log(
        `${target.name} ${name.padEnd(22)} accepted ${tally.accepted} of ${PER_TABLE}, equal ${tally.equal}, lost ${tally.lost.length} [seed ${SEED}]`,
      );
      expect(tally.lost.slice(0, 5), `seed ${SEED}`).toEqual([]);
      expect(tally.accepted).toBeGreaterThan(PER_TABLE / 10);
    },
    180_000,
  );

  it('reads timestamps of years 1-99, 9999 and past it, and local-mean-time instants exactly', async () => {
    const instants = [
      '0001-01-01T00:00:00.000Z',
      '0050-06-01T12:34:56.789Z',
      '0099-12-31T23:59:59.999Z',
      '1900-01-01T00:00:00.000Z',
      '1937-06-30T23:59:59.999Z',
      '9999-12-31T23:59:59.999Z',
    ].map((iso) => new Date(iso));
    for (const instant of instants) await ensurePartitions(test.db, 'funding_rates', instant);
    await test.db
      .insert(t.fundingRates)
      .values(instants.map((timestamp, i) => ({ symbol: `S${i}`, rate: '0.0001', timestamp })));
    const rows = await test.db.select().from(t.fundingRates).orderBy(t.fundingRates.timestamp);
    expect(rows.map((r) => r.timestamp.toISOString())).toEqual(instants.map((d) => d.toISOString()));
    const latest = await getLatestFundingRate(test.db, { symbol: 'S3' });
    expect(latest?.timestamp.toISOString()).toBe('1900-01-01T00:00:00.000Z');
  });

  it('answers the guard for a breaker whose cooldown ends after year 9999', async () => {
    const breaker = circuitBreakerEventsInsertSchema.parse({
      reason: 'late',
      triggerType: 'manual',
      triggeredAt: new Date('9999-12-31T23:00:00Z'),
      cooldownHours: '2',
    });
    await test.db.insert(t.circuitBreakerEvents).values(breaker);
    const guard = await isTradingAllowed(test.db);
    expect(guard).toEqual({ allowed: false, reason: 'late', cooldownExpires: new Date(Date.UTC(10000, 0, 1, 1)) });
    const [row] = await test.db.select().from(t.circuitBreakerEvents);
    expect(row!.cooldownExpiresAt?.getTime()).toBe(Date.UTC(10000, 0, 1, 1));
  });

  it('stores jsonb nested as deep as the schemas allow', async () => {
    const deep = { levels: nested(MAX_JSON_DEPTH - 1) };
    await test.db
      .insert(t.systemEvents)
      .values(systemEventsInsertSchema.parse({ eventType: 'deep', severity: 'info', message: 'm', details: deep }));
    const [stored] = await test.db.select().from(t.systemEvents);
    expect(jsonEqual(deep, stored!.details)).toBe(true);
  });
});

describe('values PostgreSQL or a driver cannot take are refused by the schemas, naming the field', () => {
  const candle = {
    timestamp: new Date('2024-01-01T00:00:00Z'),
    symbol: 'BTCUSDT',
    timeframe: '1m',
    open: '1',
    high: '1',
    low: '1',
    close: '1',
    volume: '1',
  };

  it('refuses more digits after the point than PostgreSQL reads, trailing zeros included', () => {
    const result = ohlcvDataInsertSchema.safeParse({ ...candle, open: `1.${'0'.repeat(16384)}` });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['open', 'PostgreSQL reads at most 16383 digits after the decimal point (trailing zeros included), got 16384'],
    ]);
    expect(ohlcvDataInsertSchema.safeParse({ ...candle, open: `1.${'0'.repeat(16383)}` }).success).toBe(true);
  });

  it('refuses jsonb nested 10,000 deep with an issue instead of a stack overflow', () => {
    const result = systemEventsInsertSchema.safeParse({
      eventType: 'deep',
      severity: 'info',
      message: 'm',
      details: { levels: nested(10_000) },
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path[0]).toBe('details');
    expect(result.error!.issues[0]!.message).toMatch(/^nested deeper than 1000 arrays\/objects/);
  });
});

describe('connections the library opens pin TimeZone UTC and ISO dates', () => {
  it('on a server database whose default is ' + ZONE + ', through postgres.js and node-postgres', async () => {
    const test = await freshPostgres();
    try {
      await test.sql!.unsafe(
        `ALTER DATABASE "${test.name}" SET timezone = '${ZONE}'; ALTER DATABASE "${test.name}" SET datestyle = 'SQL, DMY'`,
      );
      for (const db of [createDb(test.url!), createNodePgDb(test.url!)]) {
        const [settings] = rowsOf<{ zone: string; style: string }>(
          await db.execute(sql`SELECT current_setting('TimeZone') AS zone, current_setting('DateStyle') AS style`),
        );
        await close(db);
        expect(settings).toEqual({ zone: 'UTC', style: 'ISO, MDY' });
      }
    } finally {
      await test.dispose();
    }
  });

  it('on a PGlite data directory whose default is ' + ZONE, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'iftb-tz-'));
    try {
      const first = createPgliteDb(dataDir);
      await migrate(first);
      await first.execute(sql.raw(`ALTER DATABASE postgres SET timezone = '${ZONE}'`));
      await close(first);
      const db = createPgliteDb(dataDir);
      const [settings] = rowsOf<{ zone: string }>(await db.execute(sql`SELECT current_setting('TimeZone') AS zone`));
      await close(db);
      expect(settings).toEqual({ zone: 'UTC' });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
