/** Errors this library throws on purpose, and a reader for the driver error beneath Drizzle's wrapper. */
import { parseTimestamptz } from './timestamptz.ts';

/** Base class of this library's errors: catch `IftbDbError` to handle them all. */
export class IftbDbError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A second open position for the same (symbol, exchange, side) was refused by the database. */
export class PositionAlreadyOpenError extends IftbDbError {
  constructor(
    readonly symbol: string,
    readonly exchange: string,
    readonly side: string,
    options?: ErrorOptions,
  ) {
    super(`a ${side} position on ${symbol} at ${exchange} is already open; close it before opening another`, options);
  }
}

/** What both drivers report for a server error (postgres.js: constraint_name; PGlite: constraint). */
export interface DatabaseErrorFields {
  code: string;
  message: string;
  constraint?: string;
}

/** The PostgreSQL error (SQLSTATE and constraint) under any wrapping, or undefined for other errors. */
export function databaseErrorOf(error: unknown): DatabaseErrorFields | undefined {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const fields = e as { code?: unknown; message?: string; constraint_name?: string; constraint?: string };
    // SQLSTATEs are five characters; Node's own errors use longer codes (ECONNREFUSED).
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) {
      return {
        code: fields.code,
        message: fields.message ?? '',
        constraint: fields.constraint_name ?? fields.constraint,
      };
    }
  }
  return undefined;
}

/** postgres.js and Node codes of a connection that closed, reset or could not be made. */
const LOST_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** SQLSTATEs of a server that ended the session: class 08, admin/crash shutdown, not accepting connections. */
const LOST_SQLSTATE = /^(08...|57P0[123])$/;

/** The error in `error`'s cause chain that says the connection was lost, or undefined. */
export function connectionLossOf(error: unknown): Error | undefined {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ConnectionLostError) return e;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (LOST_CODES.has(code) || LOST_SQLSTATE.test(code))) return e as Error;
  }
  return undefined;
}

/**
 * The connection to PostgreSQL was lost (backend terminated, server stopped
 * or restarted, network reset) while `operation` ran. Its transaction was
 * rolled back by the server, except when the loss hit the COMMIT itself:
 * then `outcome` is 'unknown'. The Db stays usable: the next call opens a
 * new connection once the server is back. `cause` is the driver's error.
 */
export class ConnectionLostError extends IftbDbError {
  constructor(
    readonly operation: string,
    cause: unknown,
    readonly outcome: 'rolled back' | 'unknown' = 'rolled back',
  ) {
    const root = innermostLoss(cause);
    super(
      `${operation}: the connection to PostgreSQL was lost (${root}); ` +
        (outcome === 'unknown'
          ? 'it was lost during COMMIT, so whether the transaction committed is unknown'
          : 'nothing of its transaction was committed'),
      { cause },
    );
  }
}

/** What a transaction lost by the connection guard (connection-guard.ts) names itself. */
export const LOST_TRANSACTION = 'transaction';

/**
 * `error` as the ConnectionLostError to throw from `operation`: a loss the
 * guard reported for a bare transaction is renamed after `operation`, a loss
 * already named by an inner call (a batch) is kept, anything else is not a
 * loss (undefined).
 */
export function lostDuring(operation: string, error: unknown): ConnectionLostError | undefined {
  if (error instanceof ConnectionLostError) {
    return error.operation === LOST_TRANSACTION ? new ConnectionLostError(operation, error, error.outcome) : error;
  }
  if (error instanceof IftbDbError || !connectionLossOf(error)) return undefined;
  return new ConnectionLostError(operation, error);
}

/** The driver's own words for a loss, however deeply wrapped. */
function innermostLoss(cause: unknown): string {
  let found: unknown = cause;
  for (let e = cause; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (!(e instanceof ConnectionLostError) && connectionLossOf(e) === e) found = e;
  }
  const { message, code } = (found ?? {}) as { message?: string; code?: string };
  return message ? `${message}${code && !message.includes(code) ? `, ${code}` : ''}` : String(found);
}

/**
 * A write found no partition for its row's month (PostgreSQL: "no partition
 * of relation ... found for row", SQLSTATE 23514): `table` is the partitioned
 * table, `month` the row's UTC month (YYYY-MM) when PostgreSQL reported the
 * key. Nothing of the statement was written.
 */
export class MissingPartitionError extends IftbDbError {
  readonly code = '23514';
  constructor(
    readonly table: string,
    readonly month: string | undefined,
    cause: unknown,
  ) {
    super(
      `${table}: no partition for ${month ? `the month ${month} (UTC)` : "the row's month"}; nothing was written. ` +
        `Create it first with ensurePartitions(db, '${table}', from, to) (upsertCandles does this for the candles it writes), ` +
        'or premakePartitions(db) for the months ahead (migrate runs it).',
      { cause },
    );
  }
}

/** The MissingPartitionError `error` stands for, or undefined when it is another error. */
export function missingPartitionOf(error: unknown): MissingPartitionError | undefined {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (e instanceof MissingPartitionError) return e;
    const { code, message, detail } = e as { code?: unknown; message?: unknown; detail?: unknown };
    if (code !== '23514' || typeof message !== 'string') continue;
    const table = /^no partition of relation "([^"]+)" found for row/.exec(message)?.[1];
    if (!table) return undefined;
    // "Partition key of the failing row contains ("timestamp") = (2031-05-05 00:00:00+00)."
    const value = typeof detail === 'string' ? /contains \([^)]*\) = \((.*)\)\.?$/.exec(detail)?.[1] : undefined;
    // A NULL partition key has no month: PostgreSQL's own error (the column is NOT NULL) stands.
    if (value === 'null') return undefined;
    const instant = value === undefined ? undefined : parseTimestamptz(value);
    const month =
      instant &&
      `${String(instant.getUTCFullYear()).padStart(4, '0')}-${String(instant.getUTCMonth() + 1).padStart(2, '0')}`;
    return new MissingPartitionError(table, month, error);
  }
  return undefined;
}
