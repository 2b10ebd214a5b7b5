/**
 * Limits the database enforces in triggers rather than CHECKs: a value the
 * trigger derives must fit its column, or the insert fails. CHECK rules come
 * from the schema (row-checks.ts); these mirror the trigger's arithmetic exactly (integers
 * scaled by 10^8, BigInt), and the property tests hold them to the real
 * trigger. Source: src/triggers/derive_funding_rate_metrics.sql.
 */
import type { Column } from 'drizzle-orm';
import { fundingRates } from '../schema/market/index.ts';
import { toScaledInteger } from './decimal.ts';
import type { Mode, RowCheck } from './row-checks.ts';

type Row = Record<string, unknown>;

/** A numeric(p,8) decimal string as an integer count of 10^-8 (the field has checked it has at most 8 places). */
const scaled8 = (text: string): bigint => toScaledInteger(text, 8)!;
const abs = (x: bigint) => (x < 0n ? -x : x);
const E8 = 100_000_000n;

/** |rate| x 8760 / interval, rounded half up to 6 places, in millionths (as the trigger computes it). */
const annualizedMillionths = (rate: string, intervalHours: number) =>
  (abs(scaled8(rate)) * 8760n * 2_000_000n + BigInt(intervalHours) * E8) / (2n * BigInt(intervalHours) * E8);

/** |mark - index| / index, rounded half up to 8 places, in units of 10^-8 (as the trigger computes it). */
const premiumUnits = (mark: string, index: string) => {
  const m = scaled8(mark),
    x = scaled8(index);
  return (abs(m - x) * 2n * E8 + x) / (2n * x);
};

const LIMIT = 10_000_000_000n; // 10^10 units: 10000 for numeric(10,6), 100 for numeric(10,8)

/** A limit a trigger enforces, read from the row by TypeScript key. */
interface TriggerLimit {
  name: string;
  keys: string[];
  test(read: (key: string) => unknown): boolean | null;
  explain(read: (key: string) => unknown): { key: string; message: string };
}

const fundingRateLimits: TriggerLimit[] = [
  {
    name: 'funding_rates annualized_rate (trigger)',
    keys: ['rate', 'fundingIntervalHours'],
    test(read) {
      const rate = read('rate'),
        hours = read('fundingIntervalHours');
      if (rate === null || hours === null || (hours as number) <= 0) return null;
      return annualizedMillionths(rate as string, hours as number) < LIMIT;
    },
    explain: (read) => ({
      key: 'rate',
      message: `rate ${read('rate')} every ${read('fundingIntervalHours')} h annualizes to ${Number(annualizedMillionths(read('rate') as string, read('fundingIntervalHours') as number)) / 1e6}, beyond annualized_rate numeric(10,6) (|value| < 10000), which the funding_rates trigger derives; rate is a fraction per period (0.0001 = 0.01 %)`,
    }),
  },
  {
    name: 'funding_rates premium (trigger)',
    keys: ['markPrice', 'indexPrice'],
    test(read) {
      const mark = read('markPrice'),
        index = read('indexPrice');
      if (mark === null || index === null || scaled8(index as string) <= 0n) return null;
      return premiumUnits(mark as string, index as string) < LIMIT;
    },
    explain: (read) => ({
      key: 'markPrice',
      message: `(markPrice ${read('markPrice')} - indexPrice ${read('indexPrice')}) / indexPrice is beyond premium numeric(10,8) (|value| < 100), which the funding_rates trigger derives`,
    }),
  },
];

const byTable = new Map<object, TriggerLimit[]>([[fundingRates, fundingRateLimits]]);

/** The trigger-derived limits of `table` as row checks for `mode`. */
export function triggerLimitChecks(table: object, columns: Record<string, Column>, mode: Mode): RowCheck[] {
  return (byTable.get(table) ?? []).map((d) => {
    // Inserts: an omitted column takes its literal default; updates judge only complete sets.
    const reader = (row: Row) => (key: string) => {
      const v = row[key];
      return v !== undefined ? v : mode === 'insert' ? (columns[key]?.default ?? null) : null;
    };
    return {
      name: d.name,
      keys: d.keys,
      skipWhenAbsent: mode === 'update' ? d.keys : [],
      test: (row) => d.test(reader(row)),
      explain: (row) => d.explain(reader(row)),
    };
  });
}
