import { getTableColumns, sql } from 'drizzle-orm';
import { primaryOf, type AnyDb } from '../db.ts';
import { execute, onlyRow } from './_execute.ts';
import { dailyPnl, type DailyPnl } from '../schema/index.ts';
import { FunctionArgumentError } from './_arguments.ts';

const fn = 'calculateDailyPnl';

/** The UTC calendar date "YYYY-MM-DD" of a day argument. */
export function utcDay(day: string | Date): string {
  if (day instanceof Date) {
    if (Number.isNaN(day.getTime())) throw new FunctionArgumentError(fn, 'day', 'is an invalid Date');
    const iso = day.toISOString();
    if (!/^\d{4}-/.test(iso)) throw new FunctionArgumentError(fn, 'day', `must fall in years 0001-9999, got ${iso}`);
    day = iso.slice(0, 10);
  }
  const match = typeof day === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  if (!match)
    throw new FunctionArgumentError(fn, 'day', `must be a Date or a "YYYY-MM-DD" string, got ${JSON.stringify(day)}`);
  const [year, month, date] = match.slice(1).map(Number) as [number, number, number];
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, date);
  if (year < 1 || probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== date) {
    throw new FunctionArgumentError(fn, 'day', `is not a calendar date: ${day}`);
  }
  return day as string;
}

/**
 * Recomputes one UTC day of `daily_pnl` (see calculate_daily_pnl's comment),
 * upserts it and returns the row exactly as `db.select().from(dailyPnl)`
 * would. A Date means its UTC calendar date.
 */
export async function calculateDailyPnl(db: AnyDb, day: string | Date): Promise<DailyPnl> {
  const result = await execute(
    primaryOf(db),
    'calculateDailyPnl',
    sql`SELECT * FROM calculate_daily_pnl(${utcDay(day)}::date)`,
  );
  const raw = onlyRow<Record<string, unknown>>(result, 'calculateDailyPnl');
  // Each column through its Drizzle mapper, so types match the table's select.
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(dailyPnl))) {
    const value = raw[column.name];
    row[key] = value == null ? null : column.mapFromDriverValue(value);
  }
  return row as DailyPnl;
}
