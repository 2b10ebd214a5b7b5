/**
 * A reference evaluator for the CHECK expression trees of src/schema/_rules.ts,
 * three-valued like PostgreSQL and written for clarity, not speed: the tests
 * hold the compiled validation (src/validation/rule-code.ts, decimal.ts) and
 * the database to it.
 */
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Expr } from '../../src/schema/_rules.ts';

type Value = string | number | boolean | Date | null;

const isNaNText = (s: string) => s.toLowerCase() === 'nan';

/** Exact comparison of two plain decimal strings (no exponent); 'NaN' sorts last, as in PostgreSQL. */
export function compareDecimal(a: string, b: string): number {
  if (isNaNText(a) || isNaNText(b)) return Number(isNaNText(a)) - Number(isNaNText(b));
  const [ai = '0', af = ''] = a.replace(/^\+/, '').split('.');
  const [bi = '0', bf = ''] = b.replace(/^\+/, '').split('.');
  const width = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(width, '0'));
  const y = BigInt(bi + bf.padEnd(width, '0'));
  // "-0.5" -> ai = "-0" -> BigInt("-05") = -5n: the sign survives.
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Does the expression yield a `numeric` value (held as a decimal string)? */
const isDecimal = (e: Expr): boolean =>
  e.kind === 'col' ? e.column.columnType === 'PgNumeric'
    : e.kind === 'greatest' || e.kind === 'least' || e.kind === 'add' || e.kind === 'mul' ? e.items.some(isDecimal) : false;

/** Exact arithmetic on decimal strings, by scaling both to integers. */
function arithmetic(op: 'add' | 'mul', a: string, b: string): string {
  const [ai = '0', af = ''] = a.split('.');
  const [bi = '0', bf = ''] = b.split('.');
  const xs = BigInt(ai + af), ys = BigInt(bi + bf); // "-0.5" -> BigInt("-05"): the sign survives
  const scale = op === 'mul' ? af.length + bf.length : Math.max(af.length, bf.length);
  const v = op === 'mul' ? xs * ys : xs * 10n ** BigInt(scale - af.length) + ys * 10n ** BigInt(scale - bf.length);
  const digits = (v < 0n ? -v : v).toString().padStart(scale + 1, '0');
  return `${v < 0n ? '-' : ''}${scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
}

function compare(a: Exclude<Value, null>, b: Exclude<Value, null>, decimal: boolean): number {
  if (decimal) return compareDecimal(String(a), String(b));
  if (a instanceof Date || b instanceof Date) return +a - +b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

/** Evaluate `e` against a row keyed by TypeScript property names. */
export function evaluate(e: Expr, read: (c: PgColumn) => Value): boolean | null | Value {
  switch (e.kind) {
    case 'col': return read(e.column);
    case 'lit': return e.value;
    case 'cmp': {
      const l = evaluate(e.left, read) as Value, r = evaluate(e.right, read) as Value;
      if (l === null || r === null) return null;
      const c = compare(l, r, isDecimal(e.left) || isDecimal(e.right));
      return { '=': c === 0, '<>': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[e.op];
    }
    case 'in': {
      const v = evaluate(e.expr, read);
      return v === null ? null : e.values.includes(String(v));
    }
    case 'isNull': return (evaluate(e.expr, read) === null) !== e.negated;
    case 'and': {
      let unknown = false;
      for (const i of e.items) { const v = evaluate(i, read); if (v === false) return false; if (v === null) unknown = true; }
      return unknown ? null : true;
    }
    case 'or': {
      let unknown = false;
      for (const i of e.items) { const v = evaluate(i, read); if (v === true) return true; if (v === null) unknown = true; }
      return unknown ? null : false;
    }
    case 'not': { const v = evaluate(e.expr, read); return v === null ? null : !v; }
    case 'greatest': case 'least': {
      // PostgreSQL's GREATEST/LEAST ignore NULL arguments.
      let best: Value = null;
      for (const i of e.items) {
        const v = evaluate(i, read) as Value;
        if (v === null) continue;
        const c = best === null ? 0 : compare(v, best, isDecimal(e));
        if (best === null || (e.kind === 'greatest' ? c > 0 : c < 0)) best = v;
      }
      return best;
    }
    case 'later': {
      const v = evaluate(e.expr, read) as Value;
      return v === null ? null : new Date(+v + e.minutes * 60_000);
    }
    case 'add': case 'mul': {
      const values = e.items.map((i) => evaluate(i, read) as Value);
      if (values.includes(null)) return null;
      // NaN in, NaN out, as in PostgreSQL.
      return isDecimal(e)
        ? values.map(String).reduce((a, b) => (isNaNText(a) || isNaNText(b) ? 'NaN' : arithmetic(e.kind, a, b)))
        : values.map(Number).reduce((a, b) => (e.kind === 'add' ? a + b : a * b));
    }
  }
}
