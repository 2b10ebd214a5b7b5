/**
 * The one evaluator of CHECK expression trees (src/schema/_rules.ts) in
 * JavaScript, used by the validation schemas and by the tests alike; the SQL
 * of the same tree is what PostgreSQL evaluates. Semantics are PostgreSQL's:
 * three-valued logic with null for UNKNOWN, exact decimal comparison and
 * arithmetic, GREATEST/LEAST ignoring NULLs, 'NaN' above every number.
 *
 * A tree is first prepared once (columns resolved to row keys, each node's
 * value type fixed, decimal literals written as decimal strings) into steps
 * of a single shape, which `run` walks per row. No code is generated: it
 * runs under a Content-Security-Policy without 'unsafe-eval'.
 */
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Column } from 'drizzle-orm';
import { IftbDbError } from '../errors.ts';
import { isTimestamptz } from '../schema/_columns.ts';
import { columnsReadBy, type CmpOp, type Expr } from '../schema/_rules.ts';
import { addDecimals, compareDecimals, decimalSign, multiplyDecimals, numberToDecimal } from './decimal.ts';

/** How values of a column compare: as exact decimals, as instants, or as themselves. */
export type ValueClass = 'decimal' | 'time' | 'other';
/** How an omitted insert column is filled: a known value, now(), or unknown (left to the database). */
export type Fill = { kind: 'value'; value: unknown } | { kind: 'now' } | { kind: 'unknown' };
export interface ColumnInfo {
  key: string;
  valueClass: ValueClass;
  fill: Fill;
}
/** Inserts fill omitted columns from their defaults; updates know only the keys they set. */
export type Mode = 'insert' | 'update';
export type ColumnInfoOf = (column: PgColumn) => ColumnInfo;
type Row = Record<string, unknown>;

export const valueClassOf = (column: Column): ValueClass =>
  column.columnType === 'PgNumeric' ? 'decimal' : isTimestamptz(column) ? 'time' : 'other';

// Step kinds.
const READ = 0;
const CONSTANT = 1;
const COMPARE = 2;
/** A decimal compared with the literal 0: its sign, without a comparison. */
const SIGN = 3;
const IN_LIST = 4;
const IS_NULL = 5;
const AND = 6;
const OR = 7;
const NOT = 8;
const GREATEST = 9;
const LEAST = 10;
const ADD = 11;
const MULTIPLY = 12;
const LATER = 13;

const DECIMAL = 0;
const TIME = 1;
const OTHER = 2;
const CLASS = { decimal: DECIMAL, time: TIME, other: OTHER } as const;

const EQ = 0;
const NE = 1;
const LT = 2;
const LE = 3;
const GT = 4;
const GE = 5;
const TEST: Record<CmpOp, number> = { '=': EQ, '<>': NE, '<': LT, '<=': LE, '>': GT, '>=': GE };

/**
 * One prepared node. Every step has the same fields (unused ones hold null or
 * 0), so `run` sees one object shape and V8 keeps its property reads fast.
 */
export class Step {
  constructor(
    readonly kind: number,
    /** READ: the row key. */
    readonly key: string,
    /** CONSTANT: the value; READ: the value of an omitted key; IN_LIST: the Set; LATER: milliseconds. */
    readonly value: unknown,
    /** COMPARE, GREATEST, LEAST, ADD, MULTIPLY: how values compare (DECIMAL, TIME or OTHER). */
    readonly valueClass: number,
    /** COMPARE, SIGN: EQ, NE, LT, LE, GT or GE. */
    readonly test: number,
    /** READ: an omitted key reads now(); IS_NULL: IS NOT NULL; SIGN: the literal 0 is on the left. */
    readonly flag: boolean,
    readonly left: Step | null,
    readonly right: Step | null,
    readonly items: readonly Step[],
  ) {}
}

const NONE: readonly Step[] = [];
const step = (
  kind: number,
  init: Partial<Pick<Step, 'key' | 'value' | 'valueClass' | 'test' | 'flag' | 'left' | 'right' | 'items'>>,
) =>
  new Step(
    kind,
    init.key ?? '',
    init.value ?? null,
    init.valueClass ?? OTHER,
    init.test ?? 0,
    init.flag ?? false,
    init.left ?? null,
    init.right ?? null,
    init.items ?? NONE,
  );

const isNaNLiteral = (e: Expr) => e.kind === 'lit' && typeof e.value === 'string' && e.value.toLowerCase() === 'nan';
const isZeroLiteral = (e: Expr) =>
  e.kind === 'lit' && typeof e.value !== 'boolean' && e.value !== '' && !isNaNLiteral(e) && Number(e.value) === 0;
/** A value as a decimal string (numbers at their shortest round-trip form). */
const decimalText = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? (numberToDecimal(v) ?? String(v)) : String(v);

/** Prepares expression trees for one table and mode. */
class Preparer {
  constructor(
    private readonly info: ColumnInfoOf,
    private readonly mode: Mode,
  ) {}

  classOf(e: Expr): ValueClass {
    if (e.kind === 'col') return this.info(e.column).valueClass;
    if (e.kind === 'later') return 'time';
    if (e.kind !== 'greatest' && e.kind !== 'least' && e.kind !== 'add' && e.kind !== 'mul') return 'other';
    const classes = e.items.map((i) => this.classOf(i));
    return classes.includes('decimal') ? 'decimal' : classes.includes('time') ? 'time' : 'other';
  }

  /** The step of `e`; `as` is the class of the comparison or function a literal takes part in. */
  prepare(e: Expr, as: ValueClass = 'other'): Step {
    switch (e.kind) {
      case 'col': {
        const { key, fill } = this.info(e.column);
        const omitted: Fill = this.mode === 'update' ? { kind: 'unknown' } : fill;
        return step(READ, {
          key,
          value: omitted.kind === 'value' ? (omitted.value ?? null) : null,
          flag: omitted.kind === 'now',
        });
      }
      case 'lit':
        return step(CONSTANT, { value: as === 'decimal' ? decimalText(e.value) : e.value });
      case 'cmp':
        return this.comparison(e.op, e.left, e.right);
      case 'in':
        return step(IN_LIST, { value: new Set(e.values), left: this.prepare(e.expr) });
      case 'isNull':
        return step(IS_NULL, { flag: e.negated, left: this.prepare(e.expr) });
      case 'not':
        return step(NOT, { left: this.prepare(e.expr) });
      case 'and':
      case 'or':
        return step(e.kind === 'and' ? AND : OR, { items: e.items.map((i) => this.prepare(i)) });
      case 'greatest':
      case 'least': {
        const c = this.classOf(e);
        return step(e.kind === 'greatest' ? GREATEST : LEAST, {
          valueClass: CLASS[c],
          items: e.items.map((i) => this.prepare(i, c)),
        });
      }
      case 'later':
        return step(LATER, { value: e.minutes * 60_000, left: this.prepare(e.expr) });
      case 'add':
      case 'mul': {
        // Integers stay far below 2^53 here (int4 sums and products of two); numerics are exact.
        const c = this.classOf(e);
        if (c === 'time') throw new IftbDbError('rules do no arithmetic on timestamps');
        return step(e.kind === 'add' ? ADD : MULTIPLY, {
          valueClass: CLASS[c],
          items: e.items.map((i) => this.prepare(i, c)),
        });
      }
    }
  }

  private comparison(op: CmpOp, left: Expr, right: Expr): Step {
    const a = this.classOf(left);
    const b = this.classOf(right);
    const c: ValueClass =
      a === 'decimal' || b === 'decimal' ? 'decimal' : a === 'time' || b === 'time' ? 'time' : 'other';
    // x op 0 on a decimal is a question about x's sign (most price rules).
    if (c === 'decimal' && isZeroLiteral(right)) return step(SIGN, { test: TEST[op], left: this.prepare(left, c) });
    if (c === 'decimal' && isZeroLiteral(left))
      return step(SIGN, { test: TEST[op], flag: true, left: this.prepare(right, c) });
    return step(COMPARE, {
      test: TEST[op],
      valueClass: CLASS[c],
      left: this.prepare(left, c),
      right: this.prepare(right, c),
    });
  }
}

/** `e` prepared for rows keyed as `info` says; `mode` decides how omitted keys read. */
export function prepare(e: Expr, info: ColumnInfoOf, mode: Mode): Step {
  return new Preparer(info, mode).prepare(e);
}

function compare(valueClass: number, a: unknown, b: unknown): number {
  if (valueClass === DECIMAL) return compareDecimals(decimalText(a), decimalText(b));
  if (valueClass === TIME) return +(a as number) - +(b as number);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

function verdict(test: number, c: number): boolean {
  switch (test) {
    case EQ:
      return c === 0;
    case NE:
      return c !== 0;
    case LT:
      return c < 0;
    case LE:
      return c <= 0;
    case GT:
      return c > 0;
    default:
      return c >= 0;
  }
}

/**
 * The value of a step: column reads and constants answered here, without
 * entering `run` (they are most of the leaves, and this small function inlines).
 */
function valueAt(s: Step, row: Row): unknown {
  if (s.kind === READ) {
    const v = row[s.key];
    return v !== undefined ? v : s.flag ? Date.now() : s.value;
  }
  return s.kind === CONSTANT ? s.value : run(s, row);
}

/** The value of a prepared step for `row`: null is SQL NULL (UNKNOWN for a condition). */
export function run(s: Step, row: Row): unknown {
  switch (s.kind) {
    case READ: {
      const v = row[s.key];
      return v !== undefined ? v : s.flag ? Date.now() : s.value;
    }
    case CONSTANT:
      return s.value;
    case COMPARE: {
      const a = valueAt(s.left!, row);
      if (a === null) return null;
      const b = valueAt(s.right!, row);
      return b === null ? null : verdict(s.test, compare(s.valueClass, a, b));
    }
    case SIGN: {
      const a = valueAt(s.left!, row);
      if (a === null) return null;
      const sign = decimalSign(decimalText(a));
      return verdict(s.test, s.flag ? 0 - sign : sign);
    }
    case IN_LIST: {
      const a = valueAt(s.left!, row);
      return a === null ? null : (s.value as Set<string>).has(String(a));
    }
    case IS_NULL:
      return (valueAt(s.left!, row) === null) !== s.flag;
    case NOT: {
      const a = valueAt(s.left!, row);
      return a === null ? null : !a;
    }
    case AND: {
      let unknown = false;
      for (const item of s.items) {
        const v = valueAt(item, row);
        if (v === false) return false;
        if (v === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case OR: {
      let unknown = false;
      for (const item of s.items) {
        const v = valueAt(item, row);
        if (v === true) return true;
        if (v === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case GREATEST:
    case LEAST: {
      let best: unknown = null;
      for (const item of s.items) {
        const v = valueAt(item, row);
        if (v === null) continue;
        if (best === null) best = v;
        else {
          const c = compare(s.valueClass, v, best);
          if (s.kind === GREATEST ? c > 0 : c < 0) best = v;
        }
      }
      return best;
    }
    case ADD:
    case MULTIPLY: {
      let total: unknown = valueAt(s.items[0]!, row);
      for (let i = 1; i < s.items.length && total !== null; i++) {
        const v = valueAt(s.items[i]!, row);
        if (v === null) return null;
        total =
          s.valueClass === DECIMAL
            ? (s.kind === ADD ? addDecimals : multiplyDecimals)(decimalText(total), decimalText(v))
            : s.kind === ADD
              ? Number(total) + Number(v)
              : Number(total) * Number(v);
      }
      return total;
    }
    case LATER: {
      const a = valueAt(s.left!, row);
      return a === null ? null : +(a as number) + (s.value as number);
    }
    default:
      throw new IftbDbError(`unknown rule step ${s.kind}`);
  }
}

const byColumnName = new WeakMap<Expr, Step>();
const columnInfoByName: ColumnInfoOf = (c) => ({ key: c.name, valueClass: valueClassOf(c), fill: { kind: 'unknown' } });

/**
 * `e` for one row whose columns `read` gives (null for NULL): true, false, or
 * null (UNKNOWN) for a condition; the value for anything else. What a CHECK
 * does with the row: it fails only on false.
 */
export function evaluate(e: Expr, read: (column: PgColumn) => unknown): unknown {
  let s = byColumnName.get(e);
  if (!s) {
    s = prepare(e, columnInfoByName, 'update');
    byColumnName.set(e, s);
  }
  const row: Row = {};
  for (const column of columnsReadBy(e)) row[column.name] = read(column) ?? null;
  return run(s, row);
}
