/** Argument checks and result normalisation shared by the function wrappers. */
import { IftbDbError } from '../errors.ts';
import { parseTimestamptz } from '../timestamptz.ts';
import { TIMEFRAMES } from '../schema/enums.ts';
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
