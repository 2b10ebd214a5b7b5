/** Validate one row or a batch, with one error that names every bad row and field. */
import type { z } from 'zod';
import { IftbDbError } from '../errors.ts';

export interface RowIssue {
  /** Index of the row in the batch (absent for a single row). */
  row?: number;
  /** Field path, e.g. ['high'] or ['decisionReasons', 'a', 0]; [] for the whole row. */
  path: PropertyKey[];
  /** Readable location: `rows[3].high`, or `high` for a single row. */
  where: string;
  message: string;
  /** zod issue code ('custom' for CHECK rules and column rules). */
  code: string;
  /** The CHECK constraint a rule issue comes from. */
  constraint?: string;
}

/** How many issues the message lists; `issues` always holds all of them. */
const LISTED = 100;

export class ValidationError extends IftbDbError {
  constructor(
    readonly issues: RowIssue[],
    readonly badRows: number[] = [],
  ) {
    const head = badRows.length ? `${badRows.length} invalid row(s)` : 'invalid row';
    const lines = issues.slice(0, LISTED).map((i) => `  ${i.where}: ${i.message}`);
    if (issues.length > LISTED) lines.push(`  ... and ${issues.length - LISTED} more (see error.issues)`);
    super(`${head}:\n${lines.join('\n')}`);
  }
}

const segment = (p: PropertyKey) =>
  typeof p === 'number'
    ? `[${p}]`
    : /^[A-Za-z_$][\w$]*$/.test(String(p))
      ? `.${String(p)}`
      : `[${JSON.stringify(String(p))}]`;

/** One issue about batch row `row` (a single row when undefined), located as `rows[3].high` or `high`. */
export function rowIssue(
  row: number | undefined,
  path: PropertyKey[],
  message: string,
  code = 'custom',
  constraint?: string,
): RowIssue {
  const base = row === undefined ? '' : `rows[${row}]`;
  const where = (base + path.map(segment).join('')).replace(/^\./, '') || (row === undefined ? 'row' : base);
  return { row, path, where, message, code, ...(constraint ? { constraint } : {}) };
}

/** A caller-chosen id: the database assigns ids, and a chosen one collides with a later sequence value. */
export const assignedIdIssue = (row?: number): RowIssue =>
  rowIssue(row, ['id'], 'ids are assigned by the database; omit id');

/** zod's issues as row issues, keeping the CHECK constraint a rule issue names. */
export function toRowIssues(error: z.ZodError, row?: number): RowIssue[] {
  return error.issues.map((i) =>
    rowIssue(row, i.path, i.message, i.code, (i as { params?: { constraint?: string } }).params?.constraint),
  );
}

/** Parse one row; throws a ValidationError naming each bad field. */
export function validateRow<S extends z.ZodType>(schema: S, row: unknown): z.output<S> {
  const result = schema.safeParse(row);
  if (!result.success) throw new ValidationError(toRowIssues(result.error));
  return result.data;
}

/** Parse every row; throws one ValidationError listing every bad row by index and field. */
export function validateRows<S extends z.ZodType>(schema: S, rows: readonly unknown[]): z.output<S>[] {
  const out: z.output<S>[] = new Array(rows.length);
  let issues: RowIssue[] | undefined;
  const badRows: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const result = schema.safeParse(rows[i]);
    if (result.success) out[i] = result.data;
    else {
      (issues ??= []).push(...toRowIssues(result.error, i));
      badRows.push(i);
    }
  }
  if (issues) throw new ValidationError(issues, badRows);
  return out;
}
