import { sql } from 'drizzle-orm';
import type { AnyDb } from '../db.ts';
import { onlyRow, read } from './_execute.ts';
import { textArgument, timeframeArgument, type Timeframe } from './_arguments.ts';

export interface LatestOhlcvPriceArgs {
  symbol: string;
  /** Candle timeframe; default '1m'. */
  timeframe?: Timeframe;
}

/**
 * Close of the newest `ohlcv_data` candle of (symbol, timeframe) on any
 * exchange, as a decimal string; null when there is none.
 */
export async function getLatestOhlcvPrice(
  db: AnyDb,
  { symbol, timeframe = '1m' }: LatestOhlcvPriceArgs,
): Promise<string | null> {
  const fn = 'getLatestOhlcvPrice';
  const result = await read(
    db,
    fn,
    sql`SELECT get_latest_ohlcv_price(
    ${textArgument(fn, 'symbol', symbol)}::text,
    ${timeframeArgument(fn, timeframe)}::text) AS price`,
  );
  return onlyRow<{ price: string | null }>(result, fn).price;
}
