/**
 * Every table takes a valid row, and every CHECK, unique key, foreign key and
 * NOT NULL rejects a bad row with its SQLSTATE and its own name. Violating
 * rows for the CHECKs are found by search: mutate the valid row, one column
 * then two, until the rule's own expression tree says that CHECK (and only
 * that one) fails; then PostgreSQL must agree. The rule evaluator the
 * validation schemas run (src/validation/evaluate.ts) is held to PostgreSQL
 * on random rows, rule by rule.
 */
import fc from 'fast-check';
import { monthlyPartitioned } from '../src/schema/partitions.ts';
import { isTimestamptz } from '../src/schema/_columns.ts';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { eq, is, like, sql, SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tables from '../src/schema/tables.ts';
import { columnsReadBy, exprToSql, keysOf, ruleOf, type Rule } from '../src/schema/_rules.ts';
import { evaluate } from '../src/validation/evaluate.ts';
import { targets, type TestDb } from './support/db.ts';
import { databaseErrorOf } from '../src/errors.ts';
import { validRows, type TableName } from './support/fixtures.ts';

const tableNames = Object.keys(validRows) as TableName[];
const tableOf = (n: TableName) => tables[n] as unknown as PgTable;
/**
 * Columns a BEFORE trigger sets (so an insert cannot break their checks) or
 * vets with its own clearer error (22023 for a NaN funding input).
 */
const triggerOwned = new Set([
  'fear_greed_index.classification',
  'circuit_breaker_events.cooldown_expires_at',
  'funding_rates.rate',
  'funding_rates.mark_price',
  'funding_rates.index_price',
  'funding_rates.rate_bps',
  'funding_rates.annualized_rate',
  'funding_rates.premium',
]);

type Row = Record<string, unknown>;

function candidates(c: PgColumn): unknown[] {
  const values: unknown[] = c.notNull ? [] : [null];
  switch (isTimestamptz(c) ? 'PgTimestamp' : c.columnType) {
    case 'PgNumeric':
      return [...values, '-1', '0', '-0.0001', '0.5', '1.5', '2.5', '101', '1000', 'NaN'];
    case 'PgInteger':
      return [...values, -1, 0, 1, 101, 126, 200];
    case 'PgTimestamp':
      return [
        ...values,
        new Date('2000-01-01T00:00:00Z'),
        new Date('2100-01-01T00:00:00Z'),
        new Date('0001-01-01T00:00:00Z'),
        new Date('9999-12-31T00:00:00Z'),
      ];
    case 'PgDateString':
      return [...values, '2000-01-01', '2100-01-01'];
    case 'PgBoolean':
      return [...values, true, false];
    default:
      return [
        ...values,
        ...((c as { enumValues?: string[] }).enumValues ?? []),
        'bogus',
        'vetoed',
        'deactivated',
        'close',
        'limit',
        'stop_market',
      ];
  }
}

/** The row as PostgreSQL would see it, keyed by SQL column name, defaults applied. */
function asStored(table: PgTable, row: Row): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const c of getTableConfig(table).columns) {
    const key = keysOf(table).get(c.name)!;
    let v = row[key];
    if (v === undefined) v = c.default === undefined ? null : is(c.default, SQL) ? new Date() : c.default;
    out.set(c.name, v);
  }
  return out;
}

/**
 * A mutation of `base` that breaks `target`. Prefer one that breaks nothing
 * else; some rules cannot fail alone (total_trades >= 0 drags winning_trades
 * <= total_trades with it), so then take any, and report every rule it breaks.
 */
function findViolation(
  table: PgTable,
  base: Row,
  target: Rule,
  all: Rule[],
): { row: Row; breaks: string[] } | undefined {
  const { columns, name } = getTableConfig(table);
  const keys = keysOf(table);
  const readsOf = [...columnsReadBy(target.expr)]
    .map((c) => columns.find((x) => x.name === c.name)!)
    .filter((c) => !triggerOwned.has(`${name}.${c.name}`));
  const broken = (row: Row) => {
    const stored = asStored(table, row);
    const read = (c: PgColumn) => stored.get(c.name) as never;
    return all.filter((r) => evaluate(r.expr, read) === false).map((r) => r.name);
  };
  let fallback: { row: Row; breaks: string[] } | undefined;
  const consider = (row: Row) => {
    const breaks = broken(row);
    if (!breaks.includes(target.name)) return false;
    if (breaks.length === 1) return true;
    fallback ??= { row, breaks };
    return false;
  };
  for (const a of readsOf) {
    for (const va of candidates(a)) {
      const one = { ...base, [keys.get(a.name)!]: va };
      if (consider(one)) return { row: one, breaks: [target.name] };
      for (const b of readsOf.filter((x) => x !== a)) {
        for (const vb of candidates(b)) {
          const two = { ...one, [keys.get(b.name)!]: vb };
          if (consider(two)) return { row: two, breaks: [target.name] };
        }
      }
    }
  }
  return fallback;
}

/** The valid row with its unique keys made unique by `tag`. */
function distinct(name: TableName, tag: string): Row {
  const row: Row = { ...validRows[name] };
  if (name === 'trades') row.tradeId = tag;
  if (name === 'orders') row.clientOrderId = tag;
  if (name === 'positions') row.status = 'closed';
  return row;
}

async function rejection(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (e) {
    // Anything but a database error (a driver or code failure) fails the test as itself.
    const db = databaseErrorOf(e);
    if (!db) throw e;
    return db;
  }
  return undefined;
}

describe.each(targets)('constraints on $name', ({ open }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it.each(tableNames)('%s takes a valid row through the query builder', async (name) => {
    const [row] = await t.db
      .insert(tableOf(name))
      .values(validRows[name] as never)
      .returning();
    expect(row).toMatchObject({ id: expect.any(Number) });
  });

  const checks = tableNames.flatMap((name) =>
    getTableConfig(tableOf(name)).checks.map((c) => ({ name, check: c.name })),
  );
  it.each(checks)('$name rejects a row breaking $check (23514)', async ({ name, check }) => {
    const table = tableOf(name);
    const rules = getTableConfig(table).checks.map((c) => ruleOf(c)!);
    const target = rules.find((r) => r.name === check)!;
    expect(target, `${check} was not built with ruleCheck()`).toBeDefined();
    const found = findViolation(table, validRows[name], target, rules);
    if (!found) {
      // Only checks on trigger-owned columns cannot be violated by an insert.
      expect(
        [...columnsReadBy(target.expr)].every((c) => triggerOwned.has(`${getTableConfig(table).name}.${c.name}`)),
      ).toBe(true);
      return;
    }
    const err = await rejection(() => t.db.insert(table).values(found.row as never));
    expect(err, `accepted ${JSON.stringify(found.row)}`).toMatchObject({ code: '23514' });
    expect(found.breaks).toContain(err!.constraint);
  });

  it('the rule evaluator agrees with PostgreSQL on random rows, for every CHECK', async () => {
    const decimal = fc.oneof(
      fc.constantFrom('0', '1', '-1', '0.5', '1.00000001', '100', '125', '2', 'NaN'),
      fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((v) => (Number(v) / 1e4).toFixed(4)),
    );
    const arbitraryOf = (c: PgColumn): fc.Arbitrary<unknown> => {
      switch (isTimestamptz(c) ? 'PgTimestamp' : c.columnType) {
        case 'PgNumeric':
          return decimal;
        case 'PgTimestamp':
          return fc.integer({ min: 0, max: 5 }).map((ms) => new Date(Date.UTC(2026, 0, 1) + ms * 60_000));
        case 'PgDateString':
          return fc.constantFrom('2026-01-01', '2026-01-02');
        case 'PgBoolean':
          return fc.boolean();
        case 'PgInteger':
        case 'PgBigInt53':
          return fc.integer({ min: -2, max: 130 });
        default:
          return fc.constantFrom(...(c.enumValues ?? []), 'other', 'a');
      }
    };
    // Unconstrained types, so a random value is never refused by a column's precision.
    const typeOf = (c: PgColumn) =>
      c.columnType === 'PgNumeric' ? 'numeric' : c.columnType === 'PgVarchar' ? 'text' : c.getSQLType();
    // Booleans stay booleans: a driver that knows the parameter is boolean serializes the string 'true' as false.
    const param = (v: unknown) =>
      v === null || typeof v === 'boolean' ? v : v instanceof Date ? v.toISOString() : String(v);
    let compared = 0;
    for (const [i, name] of tableNames.entries()) {
      for (const check of getTableConfig(tableOf(name)).checks) {
        const rule = ruleOf(check)!;
        const columns = [...columnsReadBy(rule.expr)];
        // Rules hold the columns Drizzle passes to the table callback; the table's own carry the types.
        const built = columns.map((c) => getTableConfig(tableOf(name)).columns.find((x) => x.name === c.name)!);
        const rows = fc.sample(fc.tuple(...built.map((c) => fc.option(arbitraryOf(c), { freq: 4 }))), {
          numRuns: 40,
          seed: 16 + i,
        });
        const values = sql.join(
          rows.map(
            (row, n) =>
              sql`(${n}::int${sql.join(columns.map((_, k) => sql`, ${param(row[k])}::${sql.raw(typeOf(built[k]!))}`))})`,
          ),
          sql`, `,
        );
        const names = sql.raw(columns.map((c) => `"${c.name}"`).join(', '));
        const result = await t.db.execute(
          sql`SELECT n, (${sql.raw(exprToSql(rule.expr))}) AS verdict FROM (VALUES ${values}) AS v(n, ${names}) ORDER BY n`,
        );
        const verdicts = ((result as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as {
          verdict: boolean | null;
        }[];
        rows.forEach((row, n) => {
          const ours = evaluate(rule.expr, (c) => row[columns.indexOf(c)] as never);
          expect(ours, `${check.name} on ${JSON.stringify(row)}`).toBe(verdicts[n]!.verdict);
          compared++;
        });
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  const required = tableNames.flatMap((name) =>
    getTableConfig(tableOf(name))
      .columns.filter((c) => c.notNull && !c.hasDefault && !c.primary && c.generatedIdentity === undefined)
      .map((c) => ({ name, column: c.name, key: keysOf(tableOf(name)).get(c.name)! })),
  );
  it.each(required)('$name.$column is NOT NULL (23502)', async ({ name, column, key }) => {
    const err = await rejection(() => t.db.insert(tableOf(name)).values({ ...validRows[name], [key]: null } as never));
    // A NULL partition key is refused by tuple routing (no partition for it, 23514) before NOT NULL is checked.
    const partitionColumn = (monthlyPartitioned as Record<string, string>)[getTableConfig(tableOf(name)).name];
    expect(err?.code).toBe(partitionColumn === column ? '23514' : '23502');
  });

  it.each([
    ['ohlcv', 'ohlcv_candle_key'],
    ['ohlcvData', 'ohlcv_data_candle_key'],
    ['fearGreedIndex', 'fear_greed_index_timestamp_key'],
    ['fundingRates', 'funding_rates_key'],
    ['trades', 'trades_trade_id_key'],
    ['positions', 'positions_one_open_per_side'],
    ['orders', 'orders_client_order_id_key'],
    ['accountSnapshots', 'account_snapshots_key'],
    ['dailyPnl', 'daily_pnl_date_key'],
    ['dailyPerformance', 'daily_performance_date_exchange_key'],
  ] as const)('%s rejects a duplicate of its key %s (23505)', async (name, key) => {
    const err = await rejection(() => t.db.insert(tableOf(name)).values(validRows[name] as never));
    // A partitioned table's duplicate is caught by its month's partition of the key (<table>_pYYYYMM_pkey).
    const table = getTableConfig(tableOf(name)).name;
    expect(err).toMatchObject({ code: '23505' });
    expect(err!.constraint).toMatch(new RegExp(`^(${key}|${table}_p\\d{6}_pkey)$`));
  });

  it('orders: (exchange, exchange_order_id) is unique when set, free when null', async () => {
    const { orders } = tables;
    await t.db.insert(orders).values({ ...validRows.orders, clientOrderId: 'C-x1', exchangeOrderId: 'E-1' });
    const err = await rejection(() =>
      t.db.insert(orders).values({ ...validRows.orders, clientOrderId: 'C-x2', exchangeOrderId: 'E-1' }),
    );
    expect(err).toMatchObject({ code: '23505', constraint: 'orders_exchange_order_id_key' });
    await t.db
      .insert(orders)
      .values({ ...validRows.orders, clientOrderId: 'C-x3', exchangeOrderId: 'E-1', exchange: 'bybit' });
    await t.db.insert(orders).values({ ...validRows.orders, clientOrderId: 'C-x4' });
    await t.db.insert(orders).values({ ...validRows.orders, clientOrderId: 'C-x5' });
    const stored = await t.db
      .select({ id: orders.clientOrderId, exchange: orders.exchange, exchangeOrderId: orders.exchangeOrderId })
      .from(orders)
      .where(like(orders.clientOrderId, 'C-x%'))
      .orderBy(orders.clientOrderId);
    expect(stored).toEqual([
      { id: 'C-x1', exchange: 'binance', exchangeOrderId: 'E-1' },
      { id: 'C-x3', exchange: 'bybit', exchangeOrderId: 'E-1' },
      { id: 'C-x4', exchange: 'binance', exchangeOrderId: null },
      { id: 'C-x5', exchange: 'binance', exchangeOrderId: null },
    ]);
  });

  it('positions: one open position per (symbol, exchange, side), any number closed', async () => {
    const { positions } = tables;
    await t.db.insert(positions).values({ ...validRows.positions, status: 'closed' });
    await t.db.insert(positions).values({ ...validRows.positions, status: 'closed' });
    await t.db.insert(positions).values({ ...validRows.positions, side: 'short' });
    await t.db.insert(positions).values({ ...validRows.positions, exchange: 'bybit' });
    const stored = await t.db
      .select({ side: positions.side, exchange: positions.exchange, status: positions.status })
      .from(positions)
      .where(eq(positions.symbol, validRows.positions.symbol));
    const open = stored
      .filter((p) => p.status === 'open')
      .map((p) => `${p.side}@${p.exchange}`)
      .sort();
    // long@binance is the valid row the first test stored.
    expect(open).toEqual(['long@binance', 'long@bybit', 'short@binance']);
    expect(stored.filter((p) => p.status === 'closed')).toHaveLength(2);
  });

  const fks = tableNames.flatMap((name) => getTableConfig(tableOf(name)).foreignKeys.map((fk) => ({ name, fk })));
  it.each(fks.map(({ name, fk }) => ({ name, constraint: fk.getName(), fk })))(
    '$name rejects a dangling $constraint (23503) and nulls it when the parent goes',
    async ({ name, fk }) => {
      const table = tableOf(name);
      const ref = fk.reference();
      const [col] = ref.columns,
        [parentCol] = ref.foreignColumns;
      const key = keysOf(table).get(col!.name)!;
      const parent = ref.foreignTable;
      const parentName = tableNames.find((n) => tableOf(n) === parent)!;
      const missing = col!.columnType === 'PgVarchar' ? 'missing-parent' : 987_654_321;
      const err = await rejection(() =>
        t.db.insert(table).values({ ...distinct(name, 'dangling'), [key]: missing } as never),
      );
      expect(err).toMatchObject({ code: '23503', constraint: fk.getName() });

      const [p] = await t.db
        .insert(parent)
        .values(distinct(parentName, `parent-${fk.getName()}`) as never)
        .returning();
      const parentKey = keysOf(parent).get(parentCol!.name)!;
      const childRow = { ...distinct(name, `child-${fk.getName()}`), [key]: (p as Row)[parentKey] };
      const [child] = await t.db
        .insert(table)
        .values(childRow as never)
        .returning();
      await t.db.delete(parent).where(eq(parent[parentKey as never] as PgColumn, (p as Row)[parentKey]));
      const idCol = (table as unknown as { id: PgColumn }).id;
      const [after] = await t.db
        .select()
        .from(table)
        .where(eq(idCol, (child as Row).id));
      expect((after as Row)[key]).toBeNull();
    },
  );
});
