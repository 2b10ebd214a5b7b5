import { sql } from 'drizzle-orm';
import { primaryOf, rowsOf, type AnyDb } from '../db.ts';
import { databaseErrorOf, IftbDbError } from '../errors.ts';
import { execute } from './_execute.ts';
import { FunctionArgumentError, toDate } from './_arguments.ts';

const fn = 'applyRetention';

/**
 * The tables retention covers and their default horizons (apply_retention
 * holds the same list). Candles, LLM analyses and trades as the seed asks;
 * funding rates and system events (the audit trail) are kept as long as
 * trades; the raw LLM call log and the other decision inputs (technical
 * signals, ML predictions) as long as LLM analyses. Trades age by exit_time,
 * so an open trade is never removed.
 */
export const RETENTION_DEFAULTS = {
  ohlcv: '90 days',
  ohlcv_data: '90 days',
  funding_rates: '365 days',
  llm_analysis_log: '30 days',
  system_events: '365 days',
  llm_analyses: '30 days',
  technical_signals: '30 days',
  ml_predictions: '30 days',
  trades: '365 days',
} as const;

export type RetentionTable = keyof typeof RETENTION_DEFAULTS;

/**
 * Horizon per table, over the defaults: a PostgreSQL interval text of at
 * least one day ('90 days', '6 months'), or null to keep the table whole.
 */
export type RetentionPolicy = Partial<Record<RetentionTable, string | null>>;

export interface RetentionAction {
  table: RetentionTable;
  /** The dropped partition; null when rows were deleted or kept. */
  partition: string | null;
  /** Partition bounds [rangeStart, rangeEnd), or the oldest and newest time of the rows. */
  rangeStart: Date;
  rangeEnd: Date;
  rows: number;
  /** false: `rows` is the planner's count of a dropped partition (counting would cost as much as the drop). */
  rowsExact: boolean;
  /** Space returned at once (dropped partitions); null for deleted rows, whose space VACUUM reuses later. */
  bytes: number | null;
  /** kept_referenced: rows past their horizon that a foreign key still points at (a trading decision's analysis, an order's trade). */
  action: 'dropped' | 'deleted' | 'kept_referenced';
  /** now() - horizon: what is older goes. */
  cutoff: Date;
}

/** The policy's shape, checked before it reaches the database (which checks the intervals). */
function policyArgument(policy: unknown): RetentionPolicy {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
    throw new FunctionArgumentError(
      fn,
      'policy',
      `must be an object of table name -> interval text or null, got ${JSON.stringify(policy)}`,
    );
  }
  for (const [key, horizon] of Object.entries(policy)) {
    if (!Object.hasOwn(RETENTION_DEFAULTS, key)) {
      throw new FunctionArgumentError(
        fn,
        `policy.${key}`,
        `is not a table retention covers (${Object.keys(RETENTION_DEFAULTS).join(', ')})`,
      );
    }
    if (horizon !== null && typeof horizon !== 'string') {
      throw new FunctionArgumentError(
        fn,
        `policy.${key}`,
        `must be an interval text such as '90 days' or null, got ${JSON.stringify(horizon)}`,
      );
    }
  }
  return policy as RetentionPolicy;
}

/** A bigint count from either driver, exactly. */
function count(value: unknown, field: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n))
    throw new IftbDbError(`${fn}: unreadable ${field} from the database: ${JSON.stringify(value)}`);
  return n;
}

/**
 * Applies the retention policy in one transaction (apply_retention, see its
 * comment and the README's Security section): drops whole partitions past each table's
 * horizon, deletes older rows of unpartitioned tables unless a foreign key
 * still points at them, and returns one entry per action. `dryRun` returns
 * the same report and changes nothing. Run it as a member of
 * iftb_maintenance (or the migrating role); the bot and the analyst may not.
 */
export async function applyRetention(
  db: AnyDb,
  policy: RetentionPolicy = {},
  { dryRun = false }: { dryRun?: boolean } = {},
): Promise<RetentionAction[]> {
  const checked = policyArgument(policy);
  if (typeof dryRun !== 'boolean')
    throw new FunctionArgumentError(fn, 'dryRun', `must be true or false, got ${JSON.stringify(dryRun)}`);
  let result: Awaited<ReturnType<typeof execute>>;
  try {
    result = await execute(
      primaryOf(db),
      fn,
      sql`SELECT * FROM apply_retention(${JSON.stringify(checked)}::jsonb, ${dryRun}::boolean)`,
    );
  } catch (e) {
    // The database's own check of the intervals names the key.
    const error = databaseErrorOf(e);
    const key = error?.code === '22023' ? /policy key "([^"]+)": (.*)$/s.exec(error.message) : null;
    if (key) throw new FunctionArgumentError(fn, `policy.${key[1]}`, key[2]!, { cause: e });
    throw e;
  }
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    table: r.table_name as RetentionTable,
    partition: (r.partition_name as string | null) ?? null,
    rangeStart: toDate(r.range_start),
    rangeEnd: toDate(r.range_end),
    rows: count(r.row_count, 'row_count'),
    rowsExact: r.rows_exact as boolean,
    bytes: r.bytes == null ? null : count(r.bytes, 'bytes'),
    action: r.action as RetentionAction['action'],
    cutoff: toDate(r.cutoff),
  }));
}
