/**
 * What the upsert is measured against: raw COPY (the fastest way rows can
 * enter PostgreSQL), the reference design's per-row select-then-insert-or-
 * update, and the obvious alternative, Drizzle's multi-row VALUES upsert.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Db } from '../src/db.ts';
import { ohlcvData, type NewOhlcvData } from '../src/schema/index.ts';

/** ohlcv_data columns COPY fills, [TS key, SQL name]: all but the identity id and created_at, which take their defaults. */
const COPY_COLUMNS = Object.entries(getTableColumns(ohlcvData))
  .filter(([key, column]) => column.generatedIdentity === undefined && key !== 'createdAt')
  .map(([key, column]) => [key, column.name] as const);

const special = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value).replace(special, (c) => escapes[c]!);
}

function* copyChunks(rows: Iterable<NewOhlcvData>): Generator<string> {
  let chunk = '';
  let n = 0;
  for (const row of rows) {
    const r = row as unknown as Record<string, unknown>;
    chunk += `${COPY_COLUMNS.map(([key]) => field(r[key])).join('\t')}\n`;
    if (++n === 1000) {
      yield chunk;
      chunk = '';
      n = 0;
    }
  }
  if (chunk) yield chunk;
}

/** COPY rows into `table` (an ohlcv_data-shaped table) as one stream. */
export async function copyCandles(sql: postgres.Sql, table: string, rows: Iterable<NewOhlcvData>): Promise<void> {
  const columns = COPY_COLUMNS.map(([, name]) => `"${name}"`).join(', ');
  const writable = await sql.unsafe(`COPY ${table} (${columns}) FROM STDIN`).writable();
  await pipeline(Readable.from(copyChunks(rows)), writable);
}

/**
 * The reference design's write path: for each candle, SELECT it by its key,
 * then UPDATE it or INSERT it, each statement in its own transaction.
 */
export async function naiveUpsert(
  db: Db,
  rows: Iterable<NewOhlcvData>,
): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  for (const row of rows) {
    const [found] = await db
      .select({ id: ohlcvData.id })
      .from(ohlcvData)
      .where(
        and(
          eq(ohlcvData.symbol, row.symbol),
          eq(ohlcvData.timeframe, row.timeframe),
          eq(ohlcvData.exchange, row.exchange ?? 'binance'),
          eq(ohlcvData.timestamp, row.timestamp),
        ),
      )
      .limit(1);
    if (found) {
      await db.update(ohlcvData).set(row).where(eq(ohlcvData.id, found.id));
      updated++;
    } else {
      await db.insert(ohlcvData).values(row);
      inserted++;
    }
  }
  return { inserted, updated };
}

/** Rows per multi-row VALUES statement: 17 columns x 3,800 = 64,600 of the 65,535 bind parameters. */
const VALUES_BATCH = 3_800;
const EXCLUDED = Object.fromEntries(
  (
    [
      'open',
      'high',
      'low',
      'close',
      'volume',
      'quoteVolume',
      'tradesCount',
      'takerBuyVolume',
      'takerBuyQuoteVolume',
      'isComplete',
      'hasGaps',
      'dataSource',
    ] as const
  ).map((key) => [key, sql.raw(`EXCLUDED."${ohlcvData[key].name}"`)]),
);

/** Drizzle's `insert().values([...]).onConflictDoUpdate()`, batched under the bind-parameter limit. */
export async function valuesUpsert(db: Db, rows: Iterable<NewOhlcvData>): Promise<void> {
  await db.transaction(async (tx) => {
    let batch: NewOhlcvData[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await tx
        .insert(ohlcvData)
        .values(batch)
        .onConflictDoUpdate({
          target: [ohlcvData.symbol, ohlcvData.timeframe, ohlcvData.exchange, ohlcvData.timestamp],
          set: EXCLUDED,
        });
      batch = [];
    };
    for (const row of rows) {
      batch.push(row);
      if (batch.length === VALUES_BATCH) await flush();
    }
    await flush();
  });
}
