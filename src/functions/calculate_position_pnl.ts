import { sql } from 'drizzle-orm';
import { rowsOf, type AnyDb } from '../db.ts';
import { read } from './_execute.ts';
import { FunctionArgumentError } from './_arguments.ts';

export interface PositionPnlArgs {
  positionId: number;
  /** Mark price as a decimal string, > 0 (e.g. "64250.5"). */
  currentPrice: string;
}

export interface PositionPnl {
  /** Quote currency, 8 places: (current − entry) × quantity for long, reversed for short. */
  unrealizedPnl: string;
  /** Return on margin in percentage points, 4 places: price move % × leverage; null when leverage is null. */
  unrealizedPnlPct: string | null;
}

const POSITIVE_DECIMAL = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** Unrealized P&L of a position at `currentPrice`; null for an unknown position. */
export async function calculatePositionPnl(
  db: AnyDb,
  { positionId, currentPrice }: PositionPnlArgs,
): Promise<PositionPnl | null> {
  const fn = 'calculatePositionPnl';
  if (!Number.isSafeInteger(positionId) || positionId <= 0) {
    throw new FunctionArgumentError(fn, 'positionId', `must be a positive integer id, got ${String(positionId)}`);
  }
  if (typeof currentPrice !== 'string' || !POSITIVE_DECIMAL.test(currentPrice) || !/[1-9]/.test(currentPrice)) {
    throw new FunctionArgumentError(
      fn,
      'currentPrice',
      `must be a positive decimal string such as "64250.5", got ${JSON.stringify(currentPrice)}`,
    );
  }
  const result = await read(
    db,
    'calculatePositionPnl',
    sql`SELECT unrealized_pnl, unrealized_pnl_pct
    FROM calculate_position_pnl(${positionId}::bigint, ${currentPrice}::numeric)`,
  );
  const row = rowsOf<{ unrealized_pnl: string; unrealized_pnl_pct: string | null }>(result)[0];
  return row ? { unrealizedPnl: row.unrealized_pnl, unrealizedPnlPct: row.unrealized_pnl_pct } : null;
}
