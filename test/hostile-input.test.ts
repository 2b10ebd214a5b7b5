/**
 * Hostile strings at the SQL boundary: the typed wrappers and openPosition
 * bind every value as a parameter, so each call either returns a normal
 * result (stored values round-trip exactly) or fails with a clear error that
 * names the argument. Afterwards every table is still there.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db.ts';
import { IftbDbError } from '../src/errors.ts';
import {
  calculateDailyPnl,
  calculatePositionPnl,
  FunctionArgumentError,
  getLatestFundingRate,
  getLatestOhlcvPrice,
  getLatestPrice,
  isTradingAllowed,
  type Timeframe,
} from '../src/functions/index.ts';
import * as tables from '../src/schema/tables.ts';
import { summaryComments } from '../src/schema/summaries.ts';
import { openPosition, type NewOpenPosition } from '../src/trading/open-position.ts';
import { ValidationError } from '../src/validation/index.ts';
import { targets, type TestDb } from './support/db.ts';

/** The market read models (src/schema/summaries.ts), tables besides the domain tables. */
const READ_MODEL_COUNT = Object.keys(summaryComments).length;

const HOSTILE: Record<string, string> = {
  quotes: `O'Brien "quoted" \`tick\``,
  injection: `'; DROP TABLE trades; --`,
  dollarQuoted: '$$; DROP TABLE positions; $$',
  commentOpen: 'BTC/* x',
  backslashes: 'C:\\temp\\0\\x00',
  nul: 'BTC\u0000USDT',
  long: 'A'.repeat(10_000),
  unicode: 'ビットコイン₿ Ωμ 🚀',
  rightToLeft: 'USDT\u202eCTB',
  loneSurrogate: 'BTC\ud800',
  empty: '',
};

const position: NewOpenPosition = {
  symbol: 'BTCUSDT',
  exchange: 'binance',
  side: 'long',
  entryPrice: '50000',
  quantity: '0.01',
  margin: '500',
};

/** The argument a clear error names, or undefined for any other error. */
function namedArgument(error: unknown): string | undefined {
  if (error instanceof FunctionArgumentError) return error.argument;
  if (error instanceof ValidationError) return [...new Set(error.issues.map((i) => i.where))].join(', ');
  return undefined;
}

describe.each(targets)('hostile input ($name)', ({ open }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t?.dispose());

  /** Each wrapper argument that takes a string, with the call that passes `v` to it. */
  const calls = (): Record<string, [argument: string, call: (v: string, i: number) => Promise<unknown>]> => ({
    'isTradingAllowed(symbol)': ['symbol', (v) => isTradingAllowed(t.db, { symbol: v })],
    'getLatestPrice(symbol)': ['symbol', (v) => getLatestPrice(t.db, { symbol: v, exchange: 'binance' })],
    'getLatestPrice(exchange)': ['exchange', (v) => getLatestPrice(t.db, { symbol: 'BTCUSDT', exchange: v })],
    'getLatestPrice(timeframe)': [
      'timeframe',
      (v) => getLatestPrice(t.db, { symbol: 'BTCUSDT', exchange: 'binance', timeframe: v as Timeframe }),
    ],
    'getLatestOhlcvPrice(symbol)': ['symbol', (v) => getLatestOhlcvPrice(t.db, { symbol: v })],
    'getLatestFundingRate(symbol)': ['symbol', (v) => getLatestFundingRate(t.db, { symbol: v })],
    'getLatestFundingRate(exchange)': [
      'exchange',
      (v) => getLatestFundingRate(t.db, { symbol: 'BTCUSDT', exchange: v }),
    ],
    'calculatePositionPnl(currentPrice)': [
      'currentPrice',
      (v) => calculatePositionPnl(t.db, { positionId: 1, currentPrice: v }),
    ],
    'calculateDailyPnl(day)': ['day', (v) => calculateDailyPnl(t.db, v)],
    'openPosition(symbol)': ['symbol', (v) => openPosition(t.db, { ...position, symbol: v })],
    'openPosition(exchange)': [
      'exchange',
      (v, i) => openPosition(t.db, { ...position, symbol: `HOSTILE${i}`, exchange: v }),
    ],
    'openPosition(entryPrice)': [
      'entryPrice',
      (v) => openPosition(t.db, { ...position, symbol: 'ETHUSDT', entryPrice: v }),
    ],
  });

  it.each(Object.entries(HOSTILE))('%s: a normal result or an error naming the argument', async (_, value) => {
    const index = Object.values(HOSTILE).indexOf(value);
    for (const [name, [argument, call]] of Object.entries(calls())) {
      const outcome = await call(value, index).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      if ('error' in outcome) {
        expect(namedArgument(outcome.error), `${name}: ${String(outcome.error)}`).toBe(argument);
        expect((outcome.error as Error).message, name).toContain(argument);
        expect(outcome.error, name).toBeInstanceOf(IftbDbError);
      } else if (name.startsWith('openPosition')) {
        // Stored exactly as given: nothing escaped, trimmed, truncated or replaced.
        expect(outcome.result, name).toMatchObject(
          name === 'openPosition(symbol)' ? { symbol: value } : { exchange: value },
        );
      } else if (name.startsWith('isTradingAllowed')) {
        expect(outcome.result, name).toEqual({ allowed: true, reason: 'Trading allowed', cooldownExpires: null });
      } else {
        expect(outcome.result, name).toBeNull();
      }
    }
  });

  it('turned the strings PostgreSQL cannot store, and over-long ones, into errors before the database', async () => {
    const rejected = async (v: string) =>
      openPosition(t.db, { ...position, symbol: v }).then(() => undefined, namedArgument);
    expect(await rejected(HOSTILE.nul!)).toBe('symbol');
    expect(await rejected(HOSTILE.long!)).toBe('symbol');
    expect(await rejected(HOSTILE.loneSurrogate!)).toBe('symbol');
    expect(await rejected(HOSTILE.injection!)).toBe('symbol'); // 24 characters for a varchar(20)
    await expect(isTradingAllowed(t.db, { symbol: HOSTILE.nul! })).rejects.toThrow(/isTradingAllowed: symbol .*NUL/);
    await expect(isTradingAllowed(t.db, { symbol: HOSTILE.loneSurrogate! })).rejects.toThrow(
      /isTradingAllowed: symbol .*surrogate/,
    );
  });

  it('left every table in place, holding only the positions opened', async () => {
    const present = rowsOf<{ relname: string }>(
      await t.db.execute(sql`
      SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition`),
    );
    expect(present).toHaveLength(Object.keys(tables).length + READ_MODEL_COUNT);
    const opened = await t.db.select().from(tables.positions);
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.every((p) => p.status === 'open')).toBe(true);
    expect(await t.db.$count(tables.trades)).toBe(0);
  });
});
