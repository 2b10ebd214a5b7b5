/**
 * What a column's SQL type cannot say: its unit (the column comment), an
 * inclusive range (a CHECK built by `columnChecks`) and how a BEFORE trigger
 * sets it (the insert and update schemas refuse it). Each note is carried by
 * its column's builder (see _columns.ts: `NOTES.<builder>` by the builder
 * itself, a one-off by `withNote()` at the column), and each table file
 * exports `<table>ColumnNotes = notesOf(<table>Columns)`, keyed by the
 * columns' TypeScript keys: plain data read through normal imports by
 * comments, validation and docs.
 */
export interface ColumnNote {
  /** Human unit, written into the column comment. */
  readonly unit?: string;
  /** Inclusive range every non-null value must fall in (enforced by a `<table>_<column>_range` CHECK). */
  readonly range?: { readonly min?: number; readonly max?: number };
  /** How a BEFORE trigger sets the column; writes must leave it out. */
  readonly setBy?: string;
}

/** The notes of one table or view, by column key; columns without a note are left out. */
export type ColumnNotes = Readonly<Record<string, ColumnNote>>;

/** Units shared by tables and views, each spelled once; they become column comments. */
export const UNITS = {
  price: 'price, quote currency per unit of base currency',
  amount: 'amount in quote currency (e.g. USDT)',
  quantity: 'quantity in base currency',
  percentPoints: 'percentage points (12.5 = 12.5 %)',
  fundingFraction: 'fraction per funding period (0.0001 = 0.01 %)',
  fundingBps: 'basis points per funding period',
  fractionPerYear: 'fraction per year',
  minutes: 'minutes',
} as const;

/** The note of each unit-bearing builder in _columns.ts, by the builder's name. */
export const NOTES = {
  price: { unit: UNITS.price },
  amount: { unit: UNITS.amount },
  quantity: { unit: UNITS.quantity },
  score: { unit: 'fraction in [0,1] (0.75 = 75 %)', range: { min: 0, max: 1 } },
  percentPoints: { unit: UNITS.percentPoints },
  fundingFraction: { unit: UNITS.fundingFraction },
  leverage: { unit: 'leverage multiplier (x)' },
  indexPoints: { unit: 'index points, 0 (extreme fear) to 100 (extreme greed)', range: { min: 0, max: 100 } },
  nonNegativeInt: { range: { min: 0 } },
  millis: { unit: 'milliseconds', range: { min: 0 } },
  minutes: { unit: UNITS.minutes },
  tokens: { unit: 'tokens', range: { min: 0 } },
  usdCost: { unit: 'US dollars', range: { min: 0 } },
  temperature: { unit: 'sampling temperature, 0 to 2', range: { min: 0, max: 2 } },
} as const satisfies ColumnNotes;

/** The column comment: its unit, and how a trigger sets it. */
export function noteComment(note: ColumnNote | undefined): string | undefined {
  const parts = [note?.unit, note?.setBy && `set by trigger: ${note.setBy}`].filter(Boolean);
  return parts.length ? parts.join('; ') : undefined;
}

/** The note of the column with SQL name `name` among `columns` (keyed as `notes` is). */
export function noteNamed(
  notes: ColumnNotes | undefined,
  columns: Readonly<Record<string, { name: string }>>,
  name: string,
): ColumnNote | undefined {
  const key = Object.keys(columns).find((k) => columns[k]!.name === name);
  return key === undefined ? undefined : notes?.[key];
}
