/**
 * Bulk candle upsert: the bot's hot write path.
 *
 * Each batch is ONE statement, `INSERT ... SELECT FROM unnest(<one array
 * parameter per column>) ON CONFLICT (natural key) DO UPDATE`: one bind
 * parameter per column at any batch size, the same SQL on postgres.js and
 * PGlite. Chosen by measurement (bench/, README): multi-row VALUES through
 * Drizzle was 5x slower, json_to_recordset and a COPY-staged temp table
 * were no faster within the noise of this machine, and COPY is not
 * available through Drizzle on every driver. A batch expected to be all new
 * candles (a live feed's usual batch) is first tried as a plain INSERT in a
 * savepoint, which the server writes as fast as COPY (see NewRowsGuess).
 *
 * Semantics, identical to upserting the rows one at a time in input order:
 * - the last occurrence of a natural key wins. Within a batch the earlier
 *   duplicates are dropped before the write (PostgreSQL refuses to update one
 *   row twice in a statement); across batches the later batch simply updates;
 * - every input row counts once: `inserted` = keys that were new,
 *   `updated` = rows that replaced an existing candle (including an earlier
 *   row of the same input, and an update that changes no value), so
 *   `inserted + updated` = number of input rows whatever the batch size;
 * - an omitted column gets the value a plain INSERT would give it (exchange
 *   'binance', is_complete true, ...); on conflict every non-key column is
 *   replaced, created_at keeps the first insert's time;
 * - all or nothing: the call runs in one transaction (a savepoint inside a
 *   caller's transaction), so a bad row leaves no partial write;
 * - overlapping calls do not deadlock: each batch is written in natural-key
 *   order, so calls whose input fits one batch lock rows in one global
 *   order; a call over several batches can still lose a deadlock to another
 *   (its earlier batches hold locks the other needs), and then an array
 *   input is written again from the start (nothing of the lost attempt
 *   stays). The retry runs alone: every call holds a shared advisory lock
 *   of its table, a retry an exclusive one, so it waits for the calls in
 *   flight and cannot deadlock with them again. A one-shot input (generator,
 *   stream) cannot be read twice: it fails with CandleWriteError, SQLSTATE
 *   40P01, and the caller retries.
 * Memory holds at most two batches: one being written, one being read.
 *
 * Partitions (the candle tables are partitioned by UTC month, without a
 * default partition): the months an input needs are created on demand and
 * remembered per database handle, so a steady feed asks once a month. An
 * array input's months are made before the write's transaction, in a short
 * one of their own; a streamed input or a caller's transaction makes them
 * batch by batch inside the write. Counting cannot use xmax (a partitioned
 * table refuses system columns in RETURNING): the record_inserted_rows
 * statement trigger reports the rows each INSERT inserted.
 */
import { getTableName, sql, type SQL } from 'drizzle-orm';
import { getTableConfig, PgTransaction, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { primaryOf, rowsOf, type AnyDb } from '../db.ts';
import { databaseErrorOf, IftbDbError, lostDuring, missingPartitionOf } from '../errors.ts';
import { FunctionArgumentError, timestamptzLiteral } from '../functions/_arguments.ts';
import { ohlcv, ohlcvData, type NewOhlcv, type NewOhlcvData } from '../schema/index.ts';
import { assignedIdIssue, rowIssue, toRowIssues, type RowIssue } from '../validation/rows.ts';
import { CandleValidationError, CandleWriteError, type CandleTable } from './errors.ts';
import { BadValue, ingestColumns, selectExpr, type IngestColumn } from './columns.ts';
import { unnestSource } from './unnest.ts';

export { CandleValidationError, CandleWriteError, type CandleTable } from './errors.ts';
/** The insert row each candle table takes. */
export interface CandleRows {
  ohlcv_data: NewOhlcvData;
  ohlcv: NewOhlcv;
}

export interface UpsertCandlesOptions<T extends CandleTable> {
  table: T;
  /** Check every row with the table's zod insert schema first (default true). */
  validate?: boolean;
  /** Distinct candles per statement (default 5,000). */
  batchSize?: number;
}

export interface UpsertCandlesResult {
  inserted: number;
  updated: number;
}

export const DEFAULT_BATCH_SIZE = 5_000;
/** Rows read between event-loop turns while a batch is in flight. */
const YIELD_EVERY = 256;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Issues collected before giving up on a bad input (nothing is written). */
const MAX_ISSUES = 100;
/** Attempts of a call that keeps losing deadlocks (a retry runs alone, so two normally suffice). */
const DEADLOCK_ATTEMPTS = 5;
/** First number of the advisory lock pair of upsertCandles; the second is the table's. */
const WRITERS_LOCK_CLASS = 720_531_817;

/** The natural key ON CONFLICT names: the table's primary key `<table>_candle_key`, read from the schema. */
function candleKey(table: PgTable): PgColumn[] {
  const { name, primaryKeys } = getTableConfig(table);
  const key = primaryKeys.find((k) => k.getName() === `${name}_candle_key`);
  if (!key) throw new IftbDbError(`upsertCandles: ${name} has no ${name}_candle_key`);
  return key.columns;
}

// The zod schemas load on the first validating call: a bot that never validates here never loads zod.
// The key is read from the table's config on first use too (getTableConfig builds every CHECK of the table).
interface Target {
  table: PgTable;
  schema(): Promise<z.ZodType>;
  lockId: number;
}
const TARGETS: Record<CandleTable, Target> = {
  ohlcv_data: {
    table: ohlcvData,
    schema: async () => (await import('../validation/schemas.ts')).ohlcvDataInsertSchema,
    lockId: 1,
  },
  ohlcv: { table: ohlcv, schema: async () => (await import('../validation/schemas.ts')).ohlcvInsertSchema, lockId: 2 },
};

interface Plan {
  columns: IngestColumn[];
  keyColumns: IngestColumn[];
  timestamp: IngestColumn;
  statement(source: SQL): SQL;
  /** The same rows, plain INSERT: for a batch believed all new. */
  insertOnly(source: SQL): SQL;
}
/** What the record_inserted_rows trigger left for this transaction: the rows the last INSERT inserted. */
const INSERTED_ROWS = sql`SELECT current_setting('iftb.inserted_rows', true) AS inserted`;
const plans = new Map<CandleTable, Plan>();

function planFor(name: CandleTable): Plan {
  const cached = plans.get(name);
  if (cached) return cached;
  const { table } = TARGETS[name];
  const key = candleKey(table);
  const columns = ingestColumns(table, key);
  const q = (c: IngestColumn) => `"${c.name}"`;
  const keyColumns = key.map((k) => columns.find((c) => c.name === k.name)!);
  const insertList = sql.raw(columns.map(q).join(', '));
  const selectList = sql.join(columns.map(selectExpr), sql`, `);
  const updates = sql.raw(
    columns
      .filter((c) => !c.isKey && !c.sqlDefault)
      .map((c) => `${q(c)} = EXCLUDED.${q(c)}`)
      .join(', '),
  );
  const conflict = sql.raw(keyColumns.map(q).join(', '));
  const into = sql.raw(`"${getTableName(table)}"`);
  // A partitioned table cannot return xmax (0A000), so the rows a statement
  // inserted are counted by the record_inserted_rows trigger (an AFTER
  // INSERT statement trigger: its transition table holds only the rows
  // inserted, not those ON CONFLICT updated) and read right after.
  const plan: Plan = {
    columns,
    keyColumns,
    timestamp: keyColumns.find((c) => c.isTimestamp)!,
    statement: (source) => sql`INSERT INTO ${into} (${insertList})
      SELECT ${selectList} FROM ${source}
      ON CONFLICT (${conflict}) DO UPDATE SET ${updates}`,
    insertOnly: (source) => sql`INSERT INTO ${into} (${insertList}) SELECT ${selectList} FROM ${source}`,
  };
  plans.set(name, plan);
  return plan;
}

/**
 * What upsertCandles has learnt about a table through one database handle:
 * - the UTC months known to have a partition, so a steady feed asks the
 *   database once a month (a month retention dropped since is found out by
 *   the write, MissingPartitionError, and ensured again);
 * - whether its batches have lately been all new (NewRowsGuess).
 */
interface Learnt {
  months: Set<number>;
  guess: NewRowsGuess;
}
const learntPerHandle = new WeakMap<object, Record<CandleTable, Learnt>>();
function learntOf(db: object, table: CandleTable): Learnt {
  let perTable = learntPerHandle.get(db);
  if (!perTable) {
    const fresh = (): Learnt => ({ months: new Set(), guess: { allNew: true } });
    learntPerHandle.set(db, (perTable = { ohlcv: fresh(), ohlcv_data: fresh() }));
  }
  return perTable[table];
}

/** The start (epoch ms) of the UTC month holding `ms`; any year a Date holds. */
function monthStart(ms: number): number {
  const d = new Date(ms);
  d.setUTCDate(1);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

/** Start and end (epoch ms) of the month holding the last instant asked about: most rows fall in the same month. */
function monthTracker(): (ms: number) => number {
  let lo = NaN;
  let hi = NaN;
  return (ms) => {
    if (!(ms >= lo && ms < hi)) {
      lo = monthStart(ms);
      const next = new Date(lo);
      next.setUTCMonth(next.getUTCMonth() + 1);
      hi = next.getTime();
    }
    return lo;
  };
}

/** Create the partitions of `months` (month starts) that do not exist yet: one statement. */
async function ensureMonths(db: AnyDb, table: CandleTable, months: Iterable<number>): Promise<void> {
  const literals = [...months].map((m) => `"${timestamptzLiteral(new Date(m))}"`);
  if (!literals.length) return;
  await db.execute(sql`SELECT count(*) FROM unnest(${`{${literals.join(',')}}`}::timestamptz[]) AS m,
    ensure_partitions(${`public.${table}`}::regclass, m, m)`);
}

/**
 * Before the write's transaction, the months of an array input that are not
 * known yet, in one short transaction of their own: creating a partition
 * inside the write would hold its lock on the parent until the write commits.
 */
async function ensureInputMonths(
  db: AnyDb,
  table: CandleTable,
  rows: readonly unknown[],
  known: Set<number>,
): Promise<void> {
  const key = planFor(table).timestamp.key;
  const monthOf = monthTracker();
  const missing = new Set<number>();
  for (const row of rows) {
    const t = (row as Record<string, unknown> | null)?.[key];
    // Anything but a valid Date is left to validation, which names the row.
    if (!(t instanceof Date)) continue;
    const ms = t.getTime();
    if (Number.isNaN(ms)) continue;
    const month = monthOf(ms);
    if (!known.has(month)) missing.add(month);
  }
  if (!missing.size) return;
  try {
    await ensureMonths(db, table, missing);
  } catch (e) {
    throw lostDuring(`upsertCandles(${table}) creating the partitions of its months`, e) ?? e;
  }
  for (const m of missing) known.add(m);
}

/** A row to write and its input index (for error messages). */
interface Entry {
  row: Record<string, unknown>;
  at: number;
}
/** One batch: distinct natural keys (last occurrence wins), the input rows it stands for, the UTC months it touches. */
interface Batch {
  rows: Map<string, Entry>;
  inputRows: number;
  first: number;
  months: Set<number>;
}

/**
 * A batch's rows in natural-key order (the key strings' order), so that
 * concurrent writers take their row locks in one order. Chronological input
 * of one series is already in order: checked in one pass, not sorted.
 */
function inKeyOrder(rows: Map<string, Entry>): Entry[] {
  const keys = [...rows.keys()];
  let sorted = true;
  for (let i = 1; sorted && i < keys.length; i++) sorted = keys[i - 1]! < keys[i]!;
  if (!sorted) keys.sort();
  return keys.map((k) => rows.get(k)!);
}

/**
 * Whether the next batch is expected to hold only new candles. Such a batch
 * is written by a plain INSERT, which costs the server less than ON CONFLICT
 * (measured: 15-20 % per row) and is counted without asking; a key already
 * stored (23505) undoes it and the batch is upserted. After that the
 * following batches, and calls through the same handle, are upserted
 * directly until one updates nothing: a re-import of stored candles, or a
 * live feed that rewrites its newest candles, does not pay for failed tries.
 */
interface NewRowsGuess {
  allNew: boolean;
}

/**
 * Serialize a batch now (synchronously, while the previous batch is still
 * being written) and return the function that sends it, resolving to the
 * number of rows inserted.
 */
function prepareBatch(
  db: AnyDb,
  plan: Plan,
  batch: Batch,
  table: CandleTable,
  guess: NewRowsGuess,
): () => Promise<number> {
  const entries = inKeyOrder(batch.rows);
  let source: SQL;
  try {
    source = unnestSource(
      plan.columns,
      entries.map((e) => e.row),
    );
  } catch (e) {
    if (!(e instanceof BadValue)) throw e;
    throw new CandleValidationError([rowIssue(entries[e.position]!.at, [e.field], e.message)], table);
  }
  return async () => {
    if (guess.allNew) {
      try {
        // In a savepoint, so that a key already stored undoes only this try.
        await db.transaction(async (savepoint) => {
          await savepoint.execute(plan.insertOnly(source));
        });
        return entries.length;
      } catch (e) {
        if (databaseErrorOf(e)?.code !== '23505') throw e;
        guess.allNew = false;
      }
    }
    // One after the other, never pipelined: a second query queued on the
    // transaction's connection when the server goes away is never settled
    // by postgres.js, and upsertCandles would hang instead of failing.
    await db.execute(plan.statement(source));
    const counted = await db.execute(INSERTED_ROWS);
    const inserted = rowsOf<{ inserted: string | null }>(counted)[0]?.inserted;
    if (inserted === null || inserted === undefined || inserted === '') {
      throw new IftbDbError(
        `upsertCandles(${table}): the record_inserted_rows trigger did not report the rows inserted: run migrate()`,
      );
    }
    // A batch with nothing to update makes the next one try the plain INSERT again.
    guess.allNew = Number(inserted) === entries.length;
    return Number(inserted);
  };
}

/**
 * Insert candles, or update them on their natural key (symbol, exchange,
 * timeframe, timestamp: the table's unique `<table>_candle_key`). `rows` may
 * be an array, any iterable or an async iterable.
 * Throws CandleValidationError (rows named by input index and field) before
 * writing anything, or CandleWriteError naming the failed batch's input rows.
 */
export async function upsertCandles<T extends CandleTable>(
  db: AnyDb,
  rows: Iterable<CandleRows[T]> | AsyncIterable<CandleRows[T]>,
  options: UpsertCandlesOptions<T>,
): Promise<UpsertCandlesResult> {
  const { table, validate = true, batchSize = DEFAULT_BATCH_SIZE } = options;
  if (typeof table !== 'string' || !Object.hasOwn(TARGETS, table)) {
    throw new FunctionArgumentError(
      'upsertCandles',
      'table',
      `must be 'ohlcv_data' or 'ohlcv', got ${JSON.stringify(table)}`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new FunctionArgumentError('upsertCandles', 'batchSize', `must be a positive integer, got ${batchSize}`);
  }
  // Only an array can be read again, and a caller's transaction is the caller's to retry.
  const primary = primaryOf(db);
  const retryable = Array.isArray(rows) && !(primary instanceof PgTransaction);
  const { months: known, guess } = learntOf(primary, table);
  let deadlocks = 0;
  let partitionRetried = false;
  for (;;) {
    const exclusive = deadlocks > 0;
    const ensuredHere = new Set<number>();
    try {
      if (retryable) await ensureInputMonths(primary, table, rows as readonly unknown[], known);
      const result = await primary.transaction(async (tx) => {
        const lockArgs = sql`${WRITERS_LOCK_CLASS}::int, ${TARGETS[table].lockId}::int`;
        await tx.execute(
          exclusive
            ? sql`SELECT pg_advisory_xact_lock(${lockArgs})`
            : sql`SELECT pg_advisory_xact_lock_shared(${lockArgs})`,
        );
        return writeCandles(tx, rows, table, validate, batchSize, known, ensuredHere, guess);
      });
      // Months created inside the write exist once it committed.
      for (const m of ensuredHere) known.add(m);
      return result;
    } catch (e) {
      // A deadlock's lost attempt rolled back and released its locks.
      if (retryable && deadlocks + 1 < DEADLOCK_ATTEMPTS && databaseErrorOf(e)?.code === '40P01') {
        deadlocks++;
        continue;
      }
      // A month known here was dropped since (retention): forget what we knew and ensure again, once.
      if (missingPartitionOf(e)) {
        known.clear();
        if (retryable && !partitionRetried) {
          partitionRetried = true;
          continue;
        }
        throw missingPartitionOf(e);
      }
      throw lostDuring(`upsertCandles(${table})`, e) ?? e;
    }
  }
}

/** One attempt of upsertCandles inside its transaction `tx`. */
async function writeCandles<T extends CandleTable>(
  tx: AnyDb,
  rows: Iterable<CandleRows[T]> | AsyncIterable<CandleRows[T]>,
  table: T,
  validate: boolean,
  batchSize: number,
  known: ReadonlySet<number>,
  ensuredHere: Set<number>,
  guess: NewRowsGuess,
): Promise<UpsertCandlesResult> {
  const plan = planFor(table);
  const timestampKey = plan.timestamp.key;
  const monthOf = monthTracker();
  const schema = validate ? await TARGETS[table].schema() : undefined;
  /** The natural key as a string; NUL cannot occur in stored text, so it separates safely. */
  const keyOf = (row: Record<string, unknown>) => {
    let key = '';
    for (const c of plan.keyColumns) {
      const v = row[c.key] === undefined && c.fallback ? c.fallback() : row[c.key];
      key += `${v instanceof Date ? v.getTime() : String(v)}\u0000`;
    }
    return key;
  };

  const total: UpsertCandlesResult = { inserted: 0, updated: 0 };
  const issues: RowIssue[] = [];
  let inFlight: Promise<void> | undefined;
  let batch: Batch = { rows: new Map(), inputRows: 0, first: 0, months: new Set() };
  let index = 0;

  const settle = async () => {
    const pending = inFlight;
    inFlight = undefined;
    await pending;
  };
  const flush = async () => {
    if (issues.length) throw new CandleValidationError(issues, table);
    if (batch.inputRows === 0) return;
    const full = batch;
    batch = { rows: new Map(), inputRows: 0, first: index, months: new Set() };
    const send = prepareBatch(tx, plan, full, table, guess);
    // Only now wait for the previous batch, then send this one and go on
    // reading: the server writes one batch while we prepare the next.
    await settle();
    // Months neither known nor ensured before the transaction (a streamed
    // input, a caller's transaction): created here, committed with the write.
    const missing = [...full.months].filter((m) => !known.has(m) && !ensuredHere.has(m));
    if (missing.length) {
      try {
        await ensureMonths(tx, table, missing);
      } catch (e) {
        throw (
          lostDuring(
            `upsertCandles(${table}) creating the partitions of input rows ${full.first}..${full.first + full.inputRows - 1}`,
            e,
          ) ?? e
        );
      }
      for (const m of missing) ensuredHere.add(m);
    }
    inFlight = send().then(
      (inserted) => {
        total.inserted += inserted;
        total.updated += full.inputRows - inserted;
      },
      (e: unknown) => {
        const last = full.first + full.inputRows - 1;
        throw (
          lostDuring(`upsertCandles(${table}) writing the batch of input rows ${full.first}..${last}`, e) ??
          missingPartitionOf(e) ??
          new CandleWriteError(table, full.first, last, e)
        );
      },
    );
    inFlight.catch(() => {}); // awaited in settle(); this only marks it handled
  };
  const add = (row: Record<string, unknown>, at: number) => {
    // Map.set keeps one entry per key, holding the last row.
    batch.rows.set(keyOf(row), { row, at });
    batch.inputRows++;
    const t = row[timestampKey];
    if (t instanceof Date && !Number.isNaN(t.getTime())) batch.months.add(monthOf(t.getTime()));
  };
  /** Take one input row; true when the batch is full. */
  const accept = (input: unknown): boolean => {
    const at = index++;
    if (input === null || typeof input !== 'object') {
      issues.push(rowIssue(at, [], `expected an object, got ${input === null ? 'null' : typeof input}`));
    } else if ((input as { id?: unknown }).id !== undefined) {
      issues.push(assignedIdIssue(at));
    } else if (schema) {
      const parsed = schema.safeParse(input);
      if (parsed.success) add(parsed.data as Record<string, unknown>, at);
      else issues.push(...toRowIssues(parsed.error, at));
    } else add(input as Record<string, unknown>, at);
    if (issues.length >= MAX_ISSUES) throw new CandleValidationError(issues, table);
    return batch.rows.size >= batchSize;
  };

  /**
   * While a batch is in flight, let the event loop run now and then:
   * postgres.js sends an unprepared statement's parameters only after the
   * server has described it, a reply that would otherwise wait, with the
   * server idle, until the whole next batch had been read (measured: 20 %
   * of the run time).
   */
  let sinceYield = 0;
  const dueToYield = () => inFlight !== undefined && ++sinceYield % YIELD_EVERY === 0;

  try {
    // Plain loops, awaiting only when needed: an await per row costs a microtask each.
    if (Symbol.iterator in rows) {
      for (const input of rows) {
        if (accept(input)) await flush();
        else if (dueToYield()) await yieldToIo();
      }
    } else {
      for await (const input of rows) {
        if (accept(input)) await flush();
        else if (dueToYield()) await yieldToIo();
      }
    }
    await flush();
    await settle();
  } finally {
    await inFlight?.catch(() => {});
  }
  return total;
}
