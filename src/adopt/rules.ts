/**
 * Which legacy rows the library's tables would refuse, found before any row
 * is copied and read from the new tables' own catalog (so a rule added by a
 * later migration is checked with no change here): NOT NULL, every CHECK,
 * unique keys, foreign keys, column types narrower than the legacy ones, a
 * legacy value with no column to go to, and BEFORE INSERT triggers that would
 * store something other than the legacy value. Each finding is a row of the
 * temporary table adopt_offenders (tbl, id, rule).
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db.ts';
import { IftbDbError } from '../errors.ts';
import type { SqlRunner } from '../migrate.ts';
import { LEGACY_SCHEMA } from './inspect.ts';

export interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  identity: boolean;
}
export interface TableMapping {
  table: string;
  legacy: ColumnInfo[];
  target: ColumnInfo[];
  /** Columns copied as they are (present on both sides). */
  shared: string[];
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const run = async <T = Record<string, unknown>>(tx: SqlRunner, text: string) =>
  rowsOf<T>(await tx.execute(sql.raw(text)));

export async function catalogColumns(tx: SqlRunner, schema: string, table: string): Promise<ColumnInfo[]> {
  const found = await run<{ name: string; type: string; not_null: boolean; def: string | null; identity: string }>(
    tx,
    `
    SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
           pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity AS identity
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = to_regclass(${literal(`${ident(schema)}.${ident(table)}`)}) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
  );
  return found.map((c) => ({
    name: c.name,
    type: c.type,
    notNull: c.not_null,
    default: c.def,
    identity: c.identity !== '' || /^nextval\(/.test(c.def ?? ''),
  }));
}

const INTEGERS = ['smallint', 'integer', 'bigint'];
/** Type changes a plain INSERT ... SELECT performs exactly, whatever the value. */
function widensExactly(from: string, to: string): boolean {
  const wider = { smallint: 1, integer: 2, bigint: 3 } as Record<string, number>;
  if (INTEGERS.includes(from) && INTEGERS.includes(to)) return wider[from]! <= wider[to]!;
  if (to === 'numeric') return INTEGERS.includes(from) || /^numeric(\(|$)/.test(from);
  if (to === 'text' || to === 'character varying') return /^(character varying|text)(\(|$)/.test(from);
  return false;
}

/**
 * A predicate over the legacy column that is true for values the target type
 * cannot hold exactly, or undefined when every value fits. Throws for a type
 * change adoption does not know how to check.
 */
export function typeMismatch(
  column: string,
  from: string,
  to: string,
): { rule: string; predicate: string } | undefined {
  if (from === to || widensExactly(from, to)) return undefined;
  const base = from.replace(/\(.*\)$/, '');
  const c = ident(column);
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(to);
  if (numeric && ['numeric', ...INTEGERS].includes(base)) {
    const [, p, s] = numeric.map(Number);
    return {
      rule: `${column} ${to}: value does not fit exactly`,
      predicate: `${c} = 'NaN' OR abs(${c}) >= 1e${p! - s!} OR round(${c}, ${s}) <> ${c}`,
    };
  }
  const varchar = /^character varying\((\d+)\)$/.exec(to);
  if (varchar && ['character varying', 'text'].includes(base)) {
    return {
      rule: `${column} ${to}: longer than ${varchar[1]} characters`,
      predicate: `char_length(${c}) > ${varchar[1]}`,
    };
  }
  throw new IftbDbError(`column ${column}: no exact copy from ${from} to ${to}`);
}

/**
 * The legacy rows as the target table would see them: shared columns as they
 * are, target-only columns as their default (identity columns left null), and
 * the legacy id as __id for reports.
 */
function mappedRows(m: TableMapping): string {
  const select = m.target.map((c) => {
    if (m.shared.includes(c.name)) return `l.${ident(c.name)}`;
    return `${c.identity || c.default === null ? 'NULL' : c.default}::${c.type} AS ${ident(c.name)}`;
  });
  return `(SELECT l.id AS __id, ${select.join(', ')} FROM ${ident(LEGACY_SCHEMA)}.${ident(m.table)} l) m`;
}

const record = (m: TableMapping, rule: string, query: string) =>
  `INSERT INTO adopt_offenders (tbl, id, rule) SELECT ${literal(m.table)}, __id, ${literal(rule)} FROM (${query}) x`;

/** Statements that fill adopt_offenders for one table (all but the trigger trial). */
export async function ruleStatements(tx: SqlRunner, m: TableMapping): Promise<string[]> {
  const rows = mappedRows(m);
  const legacyRows = `${ident(LEGACY_SCHEMA)}.${ident(m.table)} l`;
  const out: string[] = [];
  for (const c of m.legacy.filter((x) => !m.shared.includes(x.name))) {
    // A value equal to the column's default loses nothing; nextval() is never evaluated (sequences ignore rollback).
    const unchanged = c.default === null || c.identity ? '' : ` AND l.${ident(c.name)} IS DISTINCT FROM ${c.default}`;
    out.push(
      record(
        m,
        `${c.name}: no column for it in the library's schema`,
        `SELECT l.id AS __id FROM ${legacyRows} WHERE l.${ident(c.name)} IS NOT NULL${unchanged}`,
      ),
    );
  }
  for (const c of m.target.filter((x) => m.shared.includes(x.name))) {
    const legacyType = m.legacy.find((x) => x.name === c.name)!.type;
    const mismatch = typeMismatch(c.name, legacyType, c.type);
    if (mismatch) out.push(record(m, mismatch.rule, `SELECT __id FROM ${rows} WHERE ${mismatch.predicate}`));
    if (c.notNull && !c.identity)
      out.push(record(m, `${c.name} NOT NULL`, `SELECT __id FROM ${rows} WHERE ${ident(c.name)} IS NULL`));
  }
  const target = literal(`public.${ident(m.table)}`);
  const checks = await run<{ name: string; expr: string }>(
    tx,
    `
    SELECT conname AS name, pg_get_expr(conbin, conrelid) AS expr FROM pg_constraint
     WHERE conrelid = ${target}::regclass AND contype = 'c' ORDER BY conname`,
  );
  for (const k of checks) out.push(record(m, k.name, `SELECT __id FROM ${rows} WHERE NOT (${k.expr})`));

  // Unique keys (constraints and unique indexes on plain columns); the lowest id of a duplicate group stays.
  const uniques = await run<{ name: string; cols: string[]; pred: string | null; nulls_equal: boolean }>(
    tx,
    `
    SELECT c.relname AS name, array_agg(a.attname ORDER BY k.n) AS cols, pg_get_expr(i.indpred, i.indrelid) AS pred,
           coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_equal
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indrelid = ${target}::regclass AND i.indisunique AND i.indexprs IS NULL
     GROUP BY c.relname, i.indpred, i.indrelid, i.indexrelid, to_jsonb(i) ORDER BY 1`,
  );
  for (const u of uniques) {
    const cols = u.cols.map(ident).join(', ');
    const conditions = [
      ...(u.nulls_equal ? [] : u.cols.map((c) => `${ident(c)} IS NOT NULL`)),
      ...(u.pred ? [`(${u.pred})`] : []),
    ];
    out.push(
      record(
        m,
        u.name,
        `SELECT __id FROM (SELECT __id, row_number() OVER (PARTITION BY ${cols} ORDER BY __id) AS n
      FROM ${rows}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}) d WHERE n > 1`,
      ),
    );
  }

  const foreign = await run<{ name: string; cols: string[]; ref_table: string; ref_cols: string[] }>(
    tx,
    `
    SELECT k.conname AS name, r.relname AS ref_table,
           (SELECT array_agg(attname ORDER BY n) FROM unnest(k.conkey) WITH ORDINALITY u(num, n)
              JOIN pg_attribute ON attrelid = k.conrelid AND attnum = u.num) AS cols,
           (SELECT array_agg(attname ORDER BY n) FROM unnest(k.confkey) WITH ORDINALITY u(num, n)
              JOIN pg_attribute ON attrelid = k.confrelid AND attnum = u.num) AS ref_cols
      FROM pg_constraint k JOIN pg_class r ON r.oid = k.confrelid
     WHERE k.conrelid = ${target}::regclass AND k.contype = 'f' ORDER BY 1`,
  );
  for (const f of foreign) {
    // The referenced rows will be the legacy ones when that table is adopted too, else whatever public holds.
    const [legacyRef] = await run<{ t: string | null }>(
      tx,
      `SELECT to_regclass(${literal(`${ident(LEGACY_SCHEMA)}.${ident(f.ref_table)}`)})::text AS t`,
    );
    const refTable = legacyRef?.t ? `${ident(LEGACY_SCHEMA)}.${ident(f.ref_table)}` : `public.${ident(f.ref_table)}`;
    const match = f.cols.map((c, i) => `r.${ident(f.ref_cols[i]!)} = m.${ident(c)}`).join(' AND ');
    out.push(
      record(
        m,
        f.name,
        `SELECT __id FROM ${rows} WHERE ${f.cols.map((c) => `m.${ident(c)} IS NOT NULL`).join(' AND ')}
      AND NOT EXISTS (SELECT 1 FROM ${refTable} r WHERE ${match})`,
      ),
    );
  }
  return out;
}

/** The copy statement: shared columns, ids kept. */
export function copyStatement(m: TableMapping, where = ''): string {
  const cols = m.shared.map(ident).join(', ');
  return `INSERT INTO public.${ident(m.table)} (${cols}) OVERRIDING SYSTEM VALUE
    SELECT ${m.shared.map((c) => `l.${ident(c)}`).join(', ')} FROM ${ident(LEGACY_SCHEMA)}.${ident(m.table)} l ${where} ORDER BY l.id`;
}

/** BEFORE INSERT row triggers of the target table (tgtype bits: 1 row, 2 before, 4 insert). */
export async function insertTriggers(tx: SqlRunner, table: string): Promise<string[]> {
  return (
    await run<{ n: string }>(
      tx,
      `
    SELECT tgname AS n FROM pg_trigger WHERE tgrelid = ${literal(`public.${ident(table)}`)}::regclass
       AND NOT tgisinternal AND tgtype & 7 = 7 ORDER BY 1`,
    )
  ).map((r) => r.n);
}

/**
 * Copy the rows not yet reported inside a savepoint, let the triggers run,
 * note every row whose stored value differs from the legacy one, roll back,
 * and record those rows.
 */
export async function triggerTrial(tx: SqlRunner, m: TableMapping, triggers: string[]): Promise<void> {
  const pending = `WHERE l.id NOT IN (SELECT id FROM adopt_offenders WHERE tbl = ${literal(m.table)})`;
  const rule = (c: string) => literal(`${c}: trigger ${triggers.join(', ')} would store another value`);
  await tx.execute(sql.raw('SAVEPOINT adopt_trigger_trial'));
  let changed: { id: string; rule: string }[];
  try {
    await tx.execute(sql.raw(copyStatement(m, pending)));
    changed = await run(
      tx,
      m.shared
        .map(
          (c) => `SELECT n.id::text AS id, ${rule(c)} AS rule
      FROM public.${ident(m.table)} n JOIN ${ident(LEGACY_SCHEMA)}.${ident(m.table)} l USING (id)
     WHERE n.${ident(c)} IS DISTINCT FROM l.${ident(c)}`,
        )
        .join(' UNION ALL '),
    );
  } finally {
    await tx.execute(sql.raw('ROLLBACK TO SAVEPOINT adopt_trigger_trial'));
    await tx.execute(sql.raw('RELEASE SAVEPOINT adopt_trigger_trial'));
  }
  if (changed.length) {
    await tx.execute(sql`INSERT INTO adopt_offenders (tbl, id, rule)
      SELECT ${m.table}, (e ->> 'id')::bigint, e ->> 'rule' FROM jsonb_array_elements(${JSON.stringify(changed)}::jsonb) e`);
  }
}
