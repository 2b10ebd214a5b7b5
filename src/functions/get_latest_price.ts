import { sql } from 'drizzle-orm';
import type { AnyDb } from '../db.ts';
import { onlyRow, read } from './_execute.ts';
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
  const result = await read(
    db,
    fn,
    sql`SELECT get_latest_price(
    ${textArgument(fn, 'symbol', symbol)}::text,
    ${textArgument(fn, 'exchange', exchange)}::text,
    ${timeframeArgument(fn, timeframe)}::text) AS price`,
  );
  return onlyRow<{ price: string | null }>(result, fn).price;
}
