// A bot using the packed library on one driver (argv[2]: postgres-js,
// node-postgres or pglite): the library's migrations through migrate(), the
// bot's through drizzle's own migrator and journal, one Drizzle database
// typed with both schemas, and the library's guarded writes and wrappers on it.
import {
  getLatestOhlcvPrice,
  IftbDbError,
  isTradingAllowed,
  openPosition,
  trades,
  upsertCandles,
  type NewOhlcvData,
} from '@iftb/db';
import { migrate } from '@iftb/db/migrate';
import * as library from '@iftb/db/schema';
import { ohlcvDataInsertSchema, validateRows, ValidationError } from '@iftb/db/validation';
import { eq } from 'drizzle-orm';
import * as bot from './schema.js';

const schema = { ...library, ...bot };
const driver = process.argv[2];
const url = process.env.DATABASE_URL;

/** The bot's own client and Drizzle database, as a bot already has them. */
async function connect() {
  if (driver === 'postgres-js') {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const { migrate: migrateBot } = await import('drizzle-orm/postgres-js/migrator');
    const client = postgres(url!, { max: 2, onnotice: () => {} });
    const db = drizzle(client, { schema });
    return { db, migrateBot: () => migrateBot(db, { migrationsFolder: 'drizzle' }), end: () => client.end() };
  }
  if (driver === 'node-postgres') {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate: migrateBot } = await import('drizzle-orm/node-postgres/migrator');
    const client = new pg.Pool({ connectionString: url, max: 2 });
    const db = drizzle(client, { schema });
    return { db, migrateBot: () => migrateBot(db, { migrationsFolder: 'drizzle' }), end: () => client.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate: migrateBot } = await import('drizzle-orm/pglite/migrator');
  const client = new PGlite();
  const db = drizzle(client, { schema });
  return { db, migrateBot: () => migrateBot(db, { migrationsFolder: 'drizzle' }), end: () => client.close() };
}

function check(ok: unknown, what: string): void {
  if (!ok) throw new Error(`consumer (${driver}): ${what}`);
}

// One object per table, view, function and error class, whichever entry point
// it is imported from (the build shares code between entries in chunks).
const rootEntry: Record<string, unknown> = await import('@iftb/db');
for (const entry of [
  '@iftb/db/schema',
  '@iftb/db/views',
  '@iftb/db/functions',
  '@iftb/db/ingest',
  '@iftb/db/migrate',
  '@iftb/db/validation',
]) {
  for (const [name, value] of Object.entries((await import(entry)) as Record<string, unknown>)) {
    check(!(name in rootEntry) || rootEntry[name] === value, `${entry} exports another ${name} than @iftb/db`);
  }
}
check(library.trades === trades, '@iftb/db/schema trades is not @iftb/db trades');

// Literal unions survive into the published types.
// @ts-expect-error '7m' is not a timeframe
const badTimeframe: NewOhlcvData['timeframe'] = '7m';
void badTimeframe;

const { db, migrateBot, end } = await connect();
try {
  const { applied } = await migrate(db);
  check(applied.length > 0, 'migrate applied nothing on an empty database');
  await migrateBot();
  check((await migrate(db)).applied.length === 0, 'a second migrate applied something');

  // The original bot's timeframes.
  const candle: NewOhlcvData = {
    symbol: 'BTCUSDT',
    timeframe: '8h',
    timestamp: new Date('2025-01-01T00:00:00Z'),
    open: '94000.5',
    high: '94500',
    low: '93800.25',
    close: '94250.75',
    volume: '123.456',
  };
  const result = await upsertCandles(
    db,
    validateRows(ohlcvDataInsertSchema, [candle, { ...candle, timeframe: '3d' }]),
    { table: 'ohlcv_data' },
  );
  check(result.inserted === 2, `upsertCandles inserted ${result.inserted}`);
  check(
    (await getLatestOhlcvPrice(db, { symbol: 'BTCUSDT', timeframe: '8h' })) === '94250.75000000',
    'latest 8h close',
  );
  let rejected: unknown;
  try {
    validateRows(ohlcvDataInsertSchema, [{ ...candle, high: '93000' }]);
  } catch (e) {
    rejected = e;
  }
  check(
    rejected instanceof ValidationError && /high/.test(rejected.message),
    'a candle with high below open was not rejected naming "high"',
  );
  check(
    rejected instanceof IftbDbError,
    'a ValidationError from @iftb/db/validation is not an IftbDbError of @iftb/db',
  );

  const position = await openPosition(db, {
    symbol: 'BTCUSDT',
    exchange: 'binance',
    side: 'long',
    entryPrice: '94000',
    quantity: '0.01',
    leverage: '3',
    margin: '313.33',
  });
  check(position.status === 'open', 'openPosition');

  // The bot's table referencing the library's, joined with types from both.
  const [trade] = await db
    .insert(trades)
    .values({
      tradeId: 't-1',
      symbol: 'BTCUSDT',
      exchange: 'binance',
      side: 'long',
      action: 'open',
      entryPrice: '94000',
      quantity: '0.01',
    })
    .returning();
  await db.insert(bot.tradeNotes).values({ tradeId: trade!.id, note: 'breakout on volume' });
  const joined = await db
    .select({ note: bot.tradeNotes.note, symbol: trades.symbol, entryPrice: trades.entryPrice })
    .from(bot.tradeNotes)
    .innerJoin(trades, eq(bot.tradeNotes.tradeId, trades.id));
  const symbol: string = joined[0]!.symbol;
  check(symbol === 'BTCUSDT' && joined[0]!.entryPrice === '94000.00000000', `typed join: ${JSON.stringify(joined)}`);
  const withTrade = await db.query.tradeNotes.findFirst({ with: { trade: true } });
  check(withTrade?.trade.tradeId === 't-1', 'relation note -> trade');

  const guard = await isTradingAllowed(db);
  check(guard.allowed, `trading blocked on an empty database: ${guard.reason}`);
  console.log(
    `   ok ${driver}: ${applied.length} library migrations + the bot's, candles (8h, 3d), position, ` +
      `bot table joined to trades, the relation note -> trade, isTradingAllowed -> ${guard.allowed}`,
  );
} finally {
  await end();
}
