import { sql } from 'drizzle-orm';
import { rowsOf, type AnyDb } from '../db.ts';
import { execute } from './_execute.ts';
import { textArgument, timeframeArgument, type Timeframe } from './_arguments.ts';

export interface LatestPriceArgs {
  symbol: string;
  exchange: string;
  /** Candle timeframe; default '1m'. */
  timeframe?: Timeframe;
}

/** Close of the newest `ohlcv` candle of the series, as a decimal string; null when there is none. */
export async function getLatestPrice(
  db: AnyDb,
  { symbol, exchange, timeframe = '1m' }: LatestPriceArgs,
): Promise<string | null> {
  const fn = 'getLatestPrice';
  const result = await execute(
    db,
    'getLatestPrice',
    sql`SELECT get_latest_price(
    ${textArgument(fn, 'symbol', symbol)}::text,
    ${textArgument(fn, 'exchange', exchange)}::text,
    ${timeframeArgument(fn, timeframe)}::text) AS price`,
  );
  return rowsOf<{ price: string | null }>(result)[0]?.price ?? null;
}
