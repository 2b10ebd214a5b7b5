/**
 * The insert schemas agree with PostgreSQL. For every table, generated
 * payloads (valid rows and near misses at every boundary, see
 * support/validation-payloads.ts) go through the zod schema and through a real
 * Drizzle insert inside a rolled-back savepoint. Agreement: the schema accepts
 * exactly when PostgreSQL stores the row with every value the payload set
 * unchanged. Server target only (savepoints on a real PostgreSQL).
 *
 * VALIDATION_PAYLOADS sets payloads per table (default 1200); FC_SEED replays a run.
 */
import { ensureRowMonth } from './support/test-months.ts';
import fc from 'fast-check';
import { sql, getTableColumns, TransactionRollbackError, type Column } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareDecimals, numberToDecimal } from '../src/validation/decimal.ts';
import { schemasByTable } from '../src/validation/by-table.ts';
import { tableNames, tables, type TableName } from '../src/validation/table-list.ts';
import type { Db } from '../src/db.ts';
import { freshPostgres, type TestDb } from './support/db.ts';
import { jsonEqual, planTable, triggerOwnedKeys, type Payload, type TablePlan } from './support/validation-payloads.ts';

const PER_TABLE = Number(process.env.VALIDATION_PAYLOADS ?? 1200);
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);

type Stored = Record<string, string | null>;
type Outcome = { ok: true; stored: Stored } | { ok: false; error: string };

/** RETURNING every column as text (timestamps as epoch milliseconds, exactly). */
function returningOf(plan: TablePlan) {
  const columns = getTableColumns(plan.table) as Record<string, Column>;
  return Object.fromEntries(
    Object.entries(columns).map(([key, col]) => [
      key,
      plan.kinds[key] === 'time'
        ? sql<string | null>`(extract(epoch from ${col}) * 1000)::text`
        : sql<string | null>`${col}::text`,
    ]),
  );
}

async function insertAndRollBack(
  tx: Db,
  plan: TablePlan,
  row: Record<string, unknown>,
  returning: ReturnType<typeof returningOf>,
): Promise<Outcome> {
  let stored: Stored | undefined;
  try {
    await tx.transaction(async (sp) => {
      // A partitioned table's month must exist first, as for any write: the rules are what is compared.
      await ensureRowMonth(sp, plan.table, row);
      const [r] = await sp
        .insert(plan.table)
        .values(row as never)
        .returning(returning);
      stored = r as Stored;
      sp.rollback();
    });
  } catch (error) {
    if (error instanceof TransactionRollbackError && stored) return { ok: true, stored };
    const e = error as { message?: string; cause?: { message?: string } };
    return { ok: false, error: e.cause?.message ?? e.message ?? String(error) };
  }
  return { ok: false, error: 'no row returned' };
}

/** Is `text` (PostgreSQL's output) exactly the value the payload gave? */
function storedAsGiven(plan: TablePlan, key: string, given: unknown, text: string | null): boolean {
  if (given === null) return text === null;
  if (text === null) return false;
  try {
    switch (plan.kinds[key]) {
      case 'decimal': {
        const decimal = typeof given === 'number' ? numberToDecimal(given) : String(given);
        return decimal !== undefined && compareDecimals(decimal, text) === 0;
      }
      case 'time':
        return given instanceof Date && compareDecimals(String(given.getTime()), text) === 0;
      case 'int':
        return String(given) === text;
      default: {
        const column = (getTableColumns(plan.table) as Record<string, Column>)[key]!;
        if (column.columnType === 'PgJsonb') return jsonEqual(given, JSON.parse(text));
        return String(given) === text && (typeof given === 'string' || typeof given === 'boolean');
      }
    }
  } catch {
    return false;
  }
}

interface Tally {
  tried: number;
  accepted: number;
  rejected: number;
  stricter: number;
  stricterStored: number;
  trigger: number;
  disagreements: string[];
}

const describeValue = (v: unknown): string => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : `Date(${v.toISOString()})`;
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'object' && v !== null) {
    try {
      return JSON.stringify(v).slice(0, 80);
    } catch {
      return '[unserializable]';
    }
  }
  return String(v);
};

async function check(db: Db, name: TableName): Promise<Tally> {
  const plan = planTable(name, tables[name], triggerOwnedKeys(tables[name]));
  const schema = schemasByTable[name].insert;
  expect(schema.safeParse(plan.seed).success, `${name}: seed row is valid`).toBe(true);
  const payloads: Payload[] = fc.sample(plan.payloads, { numRuns: PER_TABLE, seed: SEED + tableNames.indexOf(name) });
  const returning = returningOf(plan);
  const tally: Tally = {
    tried: 0,
    accepted: 0,
    rejected: 0,
    stricter: 0,
    stricterStored: 0,
    trigger: 0,
    disagreements: [],
  };
  await db
    .transaction(async (tx) => {
      for (const payload of payloads) {
        const parsed = schema.safeParse(payload.row);
        const outcome = await insertAndRollBack(
          tx as unknown as Db,
          plan,
          parsed.success ? parsed.data : payload.row,
          returning,
        );
        const given = parsed.success ? (parsed.data as Record<string, unknown>) : payload.row;
        const changed = outcome.ok
          ? Object.keys(given).filter(
              (k) =>
                given[k] !== undefined &&
                !plan.triggerOwned.has(k) &&
                !storedAsGiven(plan, k, given[k], outcome.stored[k]!),
            )
          : [];
        const stored = outcome.ok && changed.length === 0;
        tally.tried++;
        if (parsed.success) tally.accepted++;
        else tally.rejected++;
        const why = () =>
          [
            `payload ${Object.entries(payload.row)
              .map(([k, v]) => `${k}=${describeValue(v)}`)
              .join(', ')}`,
            parsed.success
              ? 'schema: accepted'
              : `schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
            outcome.ok
              ? changed.length
                ? `postgres stored changed values: ${changed.map((k) => `${k}=${outcome.stored[k]}`).join(', ')}`
                : 'postgres: stored'
              : `postgres: ${outcome.error}`,
          ].join('\n    ');
        if (payload.tags.has('trigger')) {
          tally.trigger++;
          continue;
        }
        if (payload.tags.has('stricter')) {
          tally.stricter++;
          if (stored) tally.stricterStored++;
          if (parsed.success)
            tally.disagreements.push(
              `schema accepted a value it must refuse (${payload.notes.join('; ')})\n    ${why()}`,
            );
          continue;
        }
        if (parsed.success !== stored) {
          tally.disagreements.push(
            `${parsed.success ? 'schema accepted, postgres did not store it' : 'schema rejected, postgres stored it'}\n    ${why()}`,
          );
        }
      }
      tx.rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
  return tally;
}

describe('insert schemas agree with PostgreSQL', () => {
  let pg: TestDb;
  beforeAll(async () => {
    pg = await freshPostgres();
  });
  afterAll(async () => {
    await pg?.dispose();
  });

  it.each(tableNames)(
    '%s',
    async (name) => {
      const t = await check(pg.db, name);
      console.log(
        `${name.padEnd(22)} ${t.tried} payloads: schema accepted ${t.accepted}, rejected ${t.rejected}` +
          ` (stricter by design ${t.stricter}, of which PostgreSQL stored ${t.stricterStored}; trigger-owned ${t.trigger});` +
          ` disagreements ${t.disagreements.length} [seed ${SEED}]`,
      );
      expect(t.tried).toBeGreaterThanOrEqual(Math.min(PER_TABLE, 1000));
      expect(t.disagreements.slice(0, 10), `${t.disagreements.length} disagreement(s), seed ${SEED}`).toEqual([]);
    },
    180_000,
  );
});
