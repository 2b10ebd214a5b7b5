/**
 * The table's CHECK constraints as row checks. Each CHECK's expression tree
 * (`ruleOf`, src/schema/_rules.ts) is prepared once per table and mode and run
 * per row by the rule evaluator (evaluate.ts): a CHECK fails only when its
 * expression is false, never when it is unknown (NULL).
 *
 * Inserts: an omitted column takes its Drizzle default (a literal, or the
 * current time for now()); a rule reading an omitted column whose default is
 * computed elsewhere (e.g. by a trigger) is left to the database.
 * Updates: a rule runs only when every column it reads is in the update.
 */
import { getTableColumns, is, SQL, type Column } from 'drizzle-orm';
import { getTableConfig, PgDialect, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { IftbDbError } from '../errors.ts';
import { asImplication, columnsReadBy, ruleInWords, ruleOf, type Expr, type Rule } from '../schema/_rules.ts';
import { prepare, run, valueClassOf, type ColumnInfo, type Fill, type Mode } from './evaluate.ts';

export type { Mode } from './evaluate.ts';
type Row = Record<string, unknown>;

/** One rule (or one part of an AND rule) judged on a row. */
export interface RowCheck {
  /** Constraint name. */
  name: string;
  /** TypeScript keys of the columns the rule reads. */
  keys: string[];
  /** Keys whose absence means the rule cannot be judged here. */
  skipWhenAbsent: string[];
  /** Three-valued result: false = violated. */
  test(row: Row): boolean | null;
  /** Issue path and message for a row that violates the rule. */
  explain(row: Row): { key: string; message: string };
}

/** The row checks of one table for inserts or updates. */
export interface RowChecks {
  checks: RowCheck[];
  /** Fast path: true when no rule fails (rules with absent keys skipped as in `skipWhenAbsent`). */
  allPass(row: Row): boolean;
}

const dialect = new PgDialect();
/** The text of an SQL default without parameters (`now()`), as PostgreSQL will receive it. */
function sqlText(s: SQL): string | undefined {
  const { sql, params } = dialect.sqlToQuery(s);
  return params.length ? undefined : sql.trim();
}

const NOW = /^(now\(\)|current_timestamp|transaction_timestamp\(\))$/i;

function fillOf(column: Column): Fill {
  const fromSql = (s: SQL): Fill => (NOW.test(sqlText(s) ?? '') ? { kind: 'now' } : { kind: 'unknown' });
  if (column.default !== undefined)
    return is(column.default, SQL) ? fromSql(column.default) : { kind: 'value', value: column.default };
  if (column.defaultFn) {
    // $defaultFn runs per insert; only an SQL now() is predictable here.
    const value = column.defaultFn();
    return is(value, SQL) ? fromSql(value) : { kind: 'unknown' };
  }
  return { kind: 'value', value: null };
}

/** First column an expression reads, in reading order. */
function firstColumn(e: Expr): PgColumn | undefined {
  switch (e.kind) {
    case 'col':
      return e.column;
    case 'lit':
      return undefined;
    case 'cmp':
      return firstColumn(e.left) ?? firstColumn(e.right);
    case 'in':
    case 'isNull':
    case 'not':
    case 'later':
      return firstColumn(e.expr);
    default:
      for (const i of e.items) {
        const c = firstColumn(i);
        if (c) return c;
      }
      return undefined;
  }
}

/** The top-level parts of an AND; each is judged on its own (the AND fails when any part is false). */
const conjuncts = (e: Expr): Expr[] => (e.kind === 'and' ? e.items.flatMap(conjuncts) : [e]);

/** Every CHECK of `table` with its rule; throws for a CHECK written without `ruleCheck()`. */
export function rulesOf(table: PgTable): Rule[] {
  const { name, checks } = getTableConfig(table);
  return checks.map((c) => {
    const r = ruleOf(c);
    if (!r)
      throw new IftbDbError(`${name}.${c.name}: CHECK has no rule (write it with ruleCheck() in src/schema/_rules.ts)`);
    return r;
  });
}

/**
 * Row checks for `table`. `skip` names rules a field schema already enforces
 * (value lists behind z.enum, NaN behind the decimal fields); `extra` are
 * checks from elsewhere (the limits triggers enforce).
 */
export function rowChecks(
  table: PgTable,
  mode: Mode,
  skip: (r: Rule) => boolean = () => false,
  extra: RowCheck[] = [],
): RowChecks {
  const columns = getTableColumns(table) as Record<string, Column>;
  const infoByName = new Map<string, ColumnInfo>(
    Object.entries(columns).map(([key, c]) => [
      c.name,
      {
        key,
        valueClass: valueClassOf(c),
        fill: fillOf(c),
      },
    ]),
  );
  const info = (column: PgColumn) => {
    const found = infoByName.get(column.name);
    if (!found) throw new IftbDbError(`rule column ${column.name} is not a column of ${getTableConfig(table).name}`);
    return found;
  };
  const keyOf = (c: PgColumn) => info(c).key;
  const fillByKey = new Map([...infoByName.values()].map((i) => [i.key, i.fill]));
  const parts = rulesOf(table)
    .filter((r) => !skip(r))
    .flatMap((r) => {
      const pieces = conjuncts(r.expr);
      const whole = pieces.length > 1 ? ruleInWords(r.expr, keyOf) : undefined;
      return pieces.map((part) => ({ rule: r, part, whole }));
    });
  const checks = parts.map(({ rule, part, whole }): RowCheck => {
    const keys = [...new Set([...columnsReadBy(part)].map(keyOf))];
    const implication = asImplication(part);
    // What an implication requires, piece by piece, to point at the missing one.
    const required = implication
      ? conjuncts(implication.conclusion).map((e) => ({ e, step: prepare(e, info, mode) }))
      : [];
    const step = prepare(part, info, mode);
    return {
      name: rule.name,
      keys,
      skipWhenAbsent: mode === 'update' ? keys : keys.filter((k) => fillByKey.get(k)!.kind === 'unknown'),
      test: (row) => run(step, row) as boolean | null,
      explain(row) {
        const focus = required.find((r) => run(r.step, row) === false)?.e ?? implication?.conclusion ?? part;
        return {
          key: keyOf(firstColumn(focus) ?? firstColumn(part)!),
          message: `${ruleInWords(part, keyOf)} does not hold (CHECK ${rule.name}${whole ? `: ${whole}` : ''})`,
        };
      },
    };
  });
  // The common all-valid row: one loop over the prepared steps, no issue objects.
  const steps = parts.map(({ part }) => prepare(part, info, mode));
  const guards = checks.map((c) => c.skipWhenAbsent);
  const present = (row: Row, keys: string[]) => {
    for (let i = 0; i < keys.length; i++) if (row[keys[i]!] === undefined) return false;
    return true;
  };
  const allPass = (row: Row) => {
    for (let i = 0; i < steps.length; i++) if (present(row, guards[i]!) && run(steps[i]!, row) === false) return false;
    for (const r of extra) if (present(row, r.skipWhenAbsent) && r.test(row) === false) return false;
    return true;
  };
  return { checks: [...checks, ...extra], allPass };
}
