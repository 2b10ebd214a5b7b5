/** The errors upsertCandles throws: bad input rows, and a batch the database refused. */
import { databaseErrorOf, IftbDbError } from '../errors.ts';
import { ValidationError, type RowIssue } from '../validation/rows.ts';

export type CandleTable = 'ohlcv_data' | 'ohlcv';

/** Rows rejected before reaching the database; each issue's `row` is the input index. */
export class CandleValidationError extends ValidationError {
  constructor(
    issues: RowIssue[],
    readonly table: CandleTable,
  ) {
    super(issues, [...new Set(issues.map((i) => i.row!))]);
    this.message = `upsertCandles(${table}): ${this.message}`;
  }
}

/** The database refused a batch: names its input rows and keeps PostgreSQL's SQLSTATE and constraint. */
export class CandleWriteError extends IftbDbError {
  readonly code?: string;
  readonly constraint?: string;
  constructor(
    readonly table: CandleTable,
    readonly firstRow: number,
    readonly lastRow: number,
    cause: unknown,
  ) {
    const db = databaseErrorOf(cause);
    super(
      `upsertCandles(${table}): the batch of input rows ${firstRow}..${lastRow} failed: ` +
        `${db?.message ?? (cause as Error)?.message ?? String(cause)}${db ? ` (SQLSTATE ${db.code})` : ''}`,
      { cause },
    );
    this.code = db?.code;
    this.constraint = db?.constraint;
  }
}
