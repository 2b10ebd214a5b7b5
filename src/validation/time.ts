/**
 * timestamptz values. Date objects only (the insert type): an ISO string
 * would reach Drizzle, which calls `toISOString()` on the value, as a type
 * error. Drizzle sends `toISOString()`, which PostgreSQL reads for years 0001
 * to 9999 only (year 0 does not exist there, and the six-digit '+010000-...'
 * form is refused), so that is the accepted range. Dates hold milliseconds,
 * PostgreSQL microseconds: nothing is lost on the way in.
 */

/** 0001-01-01T00:00:00.000Z, the first instant PostgreSQL reads from toISOString(). */
export const EARLIEST_TIMESTAMP = Date.parse('0001-01-01T00:00:00.000Z');
/** 9999-12-31T23:59:59.999Z, the last instant toISOString() writes with four year digits. */
export const LATEST_TIMESTAMP = Date.parse('9999-12-31T23:59:59.999Z');

/** Why `d` cannot be stored as a timestamptz; undefined when it can. */
export function timestampProblem(d: Date): string | undefined {
  const t = d.getTime();
  if (Number.isNaN(t)) return 'is an Invalid Date';
  if (t < EARLIEST_TIMESTAMP || t > LATEST_TIMESTAMP) {
    return `must lie between 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z, got ${d.toISOString()}`;
  }
  return undefined;
}
