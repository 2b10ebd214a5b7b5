import { sql } from 'drizzle-orm';
import { primaryOf, type AnyDb } from '../db.ts';
import { onlyRow, read } from './_execute.ts';
import { textArgument, toDate } from './_arguments.ts';

export interface TradingGuard {
  allowed: boolean;
  /** 'Trading allowed', 'Kill switch active: …', or the newest blocking breaker's reason. */
  reason: string;
  /** When trading can resume; null when allowed or when a block needs manual resolution. */
  cooldownExpires: Date | null;
}

/**
 * The guard to call before every order. Without a symbol, only account-wide
 * blocks count; with one, that symbol's breakers count too. The SQL function
 * never raises (an internal failure reads as not allowed). Always asked of
 * the primary: a replica may not have seen the newest kill switch yet.
 */
export async function isTradingAllowed(db: AnyDb, { symbol }: { symbol?: string | null } = {}): Promise<TradingGuard> {
  const bound = symbol == null ? null : textArgument('isTradingAllowed', 'symbol', symbol);
  const result = await read(
    primaryOf(db),
    'isTradingAllowed',
    sql`SELECT allowed, reason, cooldown_expires FROM is_trading_allowed(${bound}::text)`,
  );
  const row = onlyRow<{ allowed: boolean; reason: string; cooldown_expires: unknown }>(result, 'isTradingAllowed');
  return {
    allowed: row.allowed,
    reason: row.reason,
    cooldownExpires: row.cooldown_expires == null ? null : toDate(row.cooldown_expires),
  };
}
