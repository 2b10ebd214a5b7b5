/** Errors this library throws on purpose, and a reader for the driver error beneath Drizzle's wrapper. */

/** Base class of this library's errors: catch `IftbDbError` to handle them all. */
export class IftbDbError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A second open position for the same (symbol, exchange, side) was refused by the database. */
export class PositionAlreadyOpenError extends IftbDbError {
  constructor(readonly symbol: string, readonly exchange: string, readonly side: string, options?: ErrorOptions) {
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
      return { code: fields.code, message: fields.message ?? '', constraint: fields.constraint_name ?? fields.constraint };
    }
  }
  return undefined;
}
