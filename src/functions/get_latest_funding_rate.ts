import { sql } from 'drizzle-orm';
import { rowsOf, type AnyDb } from '../db.ts';
import { read } from './_execute.ts';
import { textArgument, toDate } from './_arguments.ts';

export interface LatestFundingRateArgs {
  symbol: string;
  /** Default 'binance'. */
  exchange?: string;
}

export interface LatestFundingRate {
  /** Fraction per funding period (0.0001 = 0.01 %). */
  rate: string;
  /** Basis points per funding period. */
  rateBps: string | null;
  /** Fraction per year; null when the funding interval is unknown. */
  annualizedRate: string | null;
  timestamp: Date;
}

/** The newest funding rate of a symbol on an exchange; null when there is none. */
export async function getLatestFundingRate(
  db: AnyDb,
  { symbol, exchange = 'binance' }: LatestFundingRateArgs,
): Promise<LatestFundingRate | null> {
  const fn = 'getLatestFundingRate';
  const result = await read(
    db,
    'getLatestFundingRate',
    sql`SELECT rate, rate_bps, annualized_rate, "timestamp"
    FROM get_latest_funding_rate(${textArgument(fn, 'symbol', symbol)}::text, ${textArgument(fn, 'exchange', exchange)}::text)`,
  );
  const row = rowsOf<{ rate: string; rate_bps: string | null; annualized_rate: string | null; timestamp: unknown }>(
    result,
  )[0];
  return row
    ? { rate: row.rate, rateBps: row.rate_bps, annualizedRate: row.annualized_rate, timestamp: toDate(row.timestamp) }
    : null;
}
