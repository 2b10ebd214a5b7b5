/** Argument checks and result normalisation shared by the function wrappers. */
import { IftbDbError } from '../errors.ts';
import { parseTimestamptz } from '../timestamptz.ts';
import { TIMEFRAMES } from '../schema/enums.ts';
import { monthlyPartitioned, type PartitionedTable } from '../schema/partitions.ts';
import { textProblem } from '../validation/text.ts';

export type Timeframe = (typeof TIMEFRAMES)[number];

/** A wrapper was called with a bad argument; `argument` names it (e.g. "currentPrice"). */
export class FunctionArgumentError extends IftbDbError {
  constructor(
    readonly fn: string,
    readonly argument: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${fn}: ${argument} ${problem}`, options);
  }
}

/** A text argument: a string PostgreSQL can carry unchanged (valid Unicode, no NUL). */
export function textArgument(fn: string, argument: string, value: unknown): string {
  if (typeof value !== 'string') throw new FunctionArgumentError(fn, argument, `must be a string, got ${typeof value}`);
  const problem = textProblem(value);
  if (problem) throw new FunctionArgumentError(fn, argument, problem);
  return value;
}

export function timeframeArgument(fn: string, value: unknown): Timeframe {
  if (!(TIMEFRAMES as readonly unknown[]).includes(value)) {
    throw new FunctionArgumentError(
      fn,
      'timeframe',
      `must be one of ${TIMEFRAMES.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as Timeframe;
}

/** A timestamptz from either driver: a Date, or PostgreSQL's text form, read exactly (parseTimestamptz). */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const date = typeof value === 'string' ? parseTimestamptz(value) : undefined;
  if (date) return date;
  throw new IftbDbError(`unreadable timestamp from the database: ${JSON.stringify(value)}`);
}

/** The table argument: one of the monthly partitioned tables. */
export function partitionedTableArgument(fn: string, value: unknown): PartitionedTable {
  if (typeof value !== 'string' || !Object.hasOwn(monthlyPartitioned, value)) {
    throw new FunctionArgumentError(
      fn,
      'table',
      `must be one of ${Object.keys(monthlyPartitioned).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as PartitionedTable;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * An instant as PostgreSQL timestamptz input, in UTC, exact to the
 * millisecond, for every year a Date holds (years before 1 as BC, after
 * 9999 with more digits): Date#toISOString's "+010000-..." is not input
 * PostgreSQL reads.
 */
export function timestamptzLiteral(instant: Date): string {
  const y = instant.getUTCFullYear();
  const bc = y < 1;
  return (
    `${pad(bc ? 1 - y : y, 4)}-${pad(instant.getUTCMonth() + 1, 2)}-${pad(instant.getUTCDate(), 2)} ` +
    `${pad(instant.getUTCHours(), 2)}:${pad(instant.getUTCMinutes(), 2)}:${pad(instant.getUTCSeconds(), 2)}.` +
    `${pad(instant.getUTCMilliseconds(), 3)}+00${bc ? ' BC' : ''}`
  );
}

export function instantArgument(fn: string, argument: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new FunctionArgumentError(
      fn,
      argument,
      `must be a valid Date, got ${value instanceof Date ? 'an invalid Date' : typeof value}`,
    );
  }
  return value;
}
