/**
 * Rules: CHECK constraints written once as small expression trees. A rule is
 * a name and a tree (`Rule`); `ruleCheck` turns it into the named CHECK of the
 * table and keeps the tree beside it (`ruleOf`), so the validation layer
 * evaluates exactly the rule the database enforces (src/validation/evaluate.ts,
 * with SQL's three-valued logic: a CHECK passes unless its expression is
 * false) and the docs and error messages word it (`ruleInWords`).
 */
import { Column, getTableColumns, is, sql, type SQL } from 'drizzle-orm';
import { check, type Check, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { IftbDbError } from '../errors.ts';
import type { ColumnNotes } from './_notes.ts';

export type Literal = string | number | boolean;
export type Expr =
  | { kind: 'col'; column: PgColumn }
  | { kind: 'lit'; value: Literal }
  | { kind: 'cmp'; op: CmpOp; left: Expr; right: Expr }
  | { kind: 'in'; expr: Expr; values: readonly string[] }
  | { kind: 'isNull'; expr: Expr; negated: boolean }
  | { kind: 'and' | 'or'; items: Expr[] }
  | { kind: 'not'; expr: Expr }
  | { kind: 'greatest' | 'least'; items: Expr[] }
  /** Sum or product of integers or numerics (exact, NULL if any item is NULL). */
  | { kind: 'add' | 'mul'; items: Expr[] }
  /** A timestamp moved later by a whole number of minutes. */
  | { kind: 'later'; expr: Expr; minutes: number };
export type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
type Operand = Expr | PgColumn | Literal;

const toExpr = (x: Operand): Expr =>
  is(x, Column)
    ? { kind: 'col', column: x as PgColumn }
    : typeof x === 'object'
      ? (x as Expr)
      : { kind: 'lit', value: x };
const cmp =
  (op: CmpOp) =>
  (a: Operand, b: Operand): Expr => ({ kind: 'cmp', op, left: toExpr(a), right: toExpr(b) });

export const eq = cmp('=');
export const ne = cmp('<>');
export const lt = cmp('<');
export const lte = cmp('<=');
export const gt = cmp('>');
export const gte = cmp('>=');
export const inList = (a: Operand, values: readonly string[]): Expr => ({ kind: 'in', expr: toExpr(a), values });
export const isNull = (a: Operand): Expr => ({ kind: 'isNull', expr: toExpr(a), negated: false });
export const isNotNull = (a: Operand): Expr => ({ kind: 'isNull', expr: toExpr(a), negated: true });
export const and = (...items: Operand[]): Expr => ({ kind: 'and', items: items.map(toExpr) });
export const or = (...items: Operand[]): Expr => ({ kind: 'or', items: items.map(toExpr) });
export const not = (a: Operand): Expr => ({ kind: 'not', expr: toExpr(a) });
export const greatest = (...items: Operand[]): Expr => ({ kind: 'greatest', items: items.map(toExpr) });
export const least = (...items: Operand[]): Expr => ({ kind: 'least', items: items.map(toExpr) });
export const plus = (...items: Operand[]): Expr => ({ kind: 'add', items: items.map(toExpr) });
export const times = (...items: Operand[]): Expr => ({ kind: 'mul', items: items.map(toExpr) });
export const minutesAfter = (a: Operand, minutes: number): Expr => ({ kind: 'later', expr: toExpr(a), minutes });
/** `a implies b`, written as SQL `(NOT a) OR b`. */
export const implies = (a: Operand, b: Operand): Expr => or(not(a), b);

// ---- SQL -------------------------------------------------------------------

/** A string as an SQL literal. */
export const sqlLiteral = (s: string) => `'${s.replaceAll("'", "''")}'`;
const litSql = (v: Literal) => (typeof v === 'string' ? sqlLiteral(v) : String(v));

/** An integer column as numeric: a sum of two int4 counts must not overflow int4 where validation's exact sum passes. */
const exactOperand = (e: Expr) =>
  e.kind === 'col' && e.column.dataType === 'number' ? `${exprToSql(e)}::numeric` : exprToSql(e);

export function exprToSql(e: Expr): string {
  switch (e.kind) {
    case 'col':
      return `"${e.column.name}"`;
    case 'lit':
      return litSql(e.value);
    case 'cmp':
      return `${exprToSql(e.left)} ${e.op} ${exprToSql(e.right)}`;
    case 'in':
      return `${exprToSql(e.expr)} IN (${e.values.map(sqlLiteral).join(', ')})`;
    case 'isNull':
      return `${exprToSql(e.expr)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'and':
    case 'or':
      return e.items.map((i) => `(${exprToSql(i)})`).join(` ${e.kind.toUpperCase()} `);
    case 'not':
      return `NOT (${exprToSql(e.expr)})`;
    case 'greatest':
    case 'least':
      return `${e.kind.toUpperCase()}(${e.items.map(exprToSql).join(', ')})`;
    case 'add':
    case 'mul':
      return `(${e.items.map(exactOperand).join(e.kind === 'add' ? ' + ' : ' * ')})`;
    case 'later':
      return `(${exprToSql(e.expr)} + interval '${e.minutes} minutes')`;
  }
}

// ---- registry: CHECK -> rule ------------------------------------------------

/** A CHECK constraint as a name and an expression tree. */
export interface Rule {
  name: string;
  expr: Expr;
}
const ruleBySql = new WeakMap<SQL, Rule>();

/** The named CHECK of a rule; the rule stays readable from the CHECK (`ruleOf`). */
export function ruleCheck(name: string, expr: Expr) {
  if (Buffer.byteLength(name) > 63) throw new IftbDbError(`constraint name over 63 bytes: ${name}`);
  const body = sql.raw(exprToSql(expr));
  ruleBySql.set(body, { name, expr });
  return check(name, body);
}

/** The rule behind a CHECK built by `ruleCheck()`; undefined for foreign checks. */
export const ruleOf = (c: Check): Rule | undefined => ruleBySql.get(c.value);

/**
 * A column's value list. Drizzle hands the table callback plain PgColumns
 * (without their type's own fields), so read it from the table's column.
 */
const enumValuesOf = (column: PgColumn): readonly string[] | undefined =>
  Object.values(getTableColumns(column.table)).find((c) => c.name === column.name)?.enumValues;

/**
 * The checks every table gets from its columns: a value-list CHECK for each
 * `oneOf` column and a range CHECK for each column whose note (the table's
 * `<table>ColumnNotes`, read off its builders by `notesOf`) gives a range.
 */
export function columnChecks(table: string, columns: Record<string, PgColumn>, notes: ColumnNotes) {
  const unknown = Object.keys(notes).filter((key) => !(key in columns));
  if (unknown.length)
    throw new IftbDbError(`${table}: column notes name no column of the table: ${unknown.join(', ')}`);
  const out: ReturnType<typeof check>[] = [];
  // numeric accepts 'NaN', which sorts above every number and so passes
  // `price > 0` and the like: one CHECK per table keeps it out of all of them.
  const numerics = Object.values(columns).filter((c) => c.columnType === 'PgNumeric');
  if (numerics.length) out.push(ruleCheck(`${table}_numbers_not_nan`, and(...numerics.map((c) => ne(c, 'NaN')))));
  for (const [key, column] of Object.entries(columns)) {
    const values = enumValuesOf(column);
    if (values?.length) out.push(ruleCheck(`${table}_${column.name}_allowed`, inList(column, values)));
    const range = notes[key]?.range;
    if (range) {
      const parts: Expr[] = [];
      if (range.min !== undefined) parts.push(gte(column, range.min));
      if (range.max !== undefined) parts.push(lte(column, range.max));
      out.push(ruleCheck(`${table}_${column.name}_range`, parts.length === 1 ? parts[0]! : and(...parts)));
    }
  }
  return out;
}

/** Columns an expression reads. */
export function columnsReadBy(e: Expr, out = new Set<PgColumn>()): Set<PgColumn> {
  if (e.kind === 'col') out.add(e.column);
  else if (e.kind === 'cmp') {
    columnsReadBy(e.left, out);
    columnsReadBy(e.right, out);
  } else if (e.kind === 'in' || e.kind === 'isNull' || e.kind === 'not' || e.kind === 'later')
    columnsReadBy(e.expr, out);
  else if (e.kind !== 'lit') for (const i of e.items) columnsReadBy(i, out);
  return out;
}

/** `(NOT a) OR b`, the tree `implies(a, b)` builds. */
export function asImplication(e: Expr): { premise: Expr; conclusion: Expr } | undefined {
  if (e.kind !== 'or' || e.items.length !== 2) return undefined;
  const [first, second] = e.items;
  return first?.kind === 'not' && second ? { premise: first.expr, conclusion: second } : undefined;
}

/**
 * A rule in words, columns named by `nameOf` (TypeScript keys in error
 * messages, SQL names in the docs); `implies(a, b)` reads "a requires b".
 */
export function ruleInWords(e: Expr, nameOf: (c: PgColumn) => string): string {
  const implication = asImplication(e);
  return implication
    ? `${exprInWords(implication.premise, nameOf)} requires ${exprInWords(implication.conclusion, nameOf)}`
    : exprInWords(e, nameOf);
}

function exprInWords(e: Expr, nameOf: (c: PgColumn) => string): string {
  const w = (x: Expr) => exprInWords(x, nameOf);
  switch (e.kind) {
    case 'col':
      return nameOf(e.column);
    case 'lit':
      return typeof e.value === 'string' ? `'${e.value}'` : String(e.value);
    case 'cmp':
      return `${w(e.left)} ${e.op === '<>' ? '!=' : e.op} ${w(e.right)}`;
    case 'in':
      return `${w(e.expr)} one of ${e.values.join(', ')}`;
    case 'isNull':
      return `${w(e.expr)} ${e.negated ? 'is set' : 'is null'}`;
    case 'and':
    case 'or':
      return e.items.map((i) => (i.kind === 'and' || i.kind === 'or' ? `(${w(i)})` : w(i))).join(` ${e.kind} `);
    case 'not':
      return e.expr.kind === 'or' || e.expr.kind === 'and' ? `not (${w(e.expr)})` : `not ${w(e.expr)}`;
    case 'greatest':
    case 'least':
      return `${e.kind}(${e.items.map(w).join(', ')})`;
    case 'add':
    case 'mul':
      return `(${e.items.map(w).join(e.kind === 'add' ? ' + ' : ' * ')})`;
    case 'later':
      return `${w(e.expr)} + ${e.minutes} minutes`;
  }
}

/**
 * Map a table's SQL column names to their TypeScript keys. Rules hold the
 * ExtraConfigColumns Drizzle passed to the table callback, so match by name.
 */
export function keysOf(table: PgTable): Map<string, string> {
  return new Map(Object.entries(getTableColumns(table)).map(([k, c]) => [c.name, k]));
}
