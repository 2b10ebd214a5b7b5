/**
 * What kind of database adoption is looking at, read from the catalogs before
 * anything is touched: empty, already the library's, the seed's legacy schema,
 * or something else (refused, with every difference named).
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db.ts';
import { lastAppliedWhen, type SqlRunner } from '../migrate.ts';
import { readMigrations } from '../migration-files.ts';
import { LEGACY_FUNCTIONS, LEGACY_TABLES, LEGACY_TRIGGERS, LEGACY_VIEWS } from './legacy-catalog.ts';

/** Schemas adoption creates: the legacy tables' waiting room, and where rule breakers go when asked. */
export const LEGACY_SCHEMA = 'iftb_legacy';
export const QUARANTINE_SCHEMA = 'iftb_quarantine';

export interface PublicObjects {
  /** table -> column -> format_type() */
  tables: Map<string, Map<string, string>>;
  views: string[];
  /** regprocedure text -> owning extension, if any */
  functions: Map<string, string | null>;
  /** "table.trigger" */
  triggers: string[];
}

export type DatabaseState =
  | { kind: 'empty' }
  | { kind: 'library'; pending: string[] }
  | { kind: 'legacy'; objects: PublicObjects; notes: string[] }
  | { kind: 'unknown'; problems: string[] };

const rows = async <T>(tx: SqlRunner, query: ReturnType<typeof sql>) => rowsOf<T>(await tx.execute(query));

export async function readPublicObjects(tx: SqlRunner): Promise<PublicObjects> {
  const columns = await rows<{ t: string; c: string; type: string }>(
    tx,
    sql`
    SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY c.relname, a.attnum`,
  );
  const tables = new Map<string, Map<string, string>>();
  for (const r of columns) {
    if (!tables.has(r.t)) tables.set(r.t, new Map());
    tables.get(r.t)!.set(r.c, r.type);
  }
  const views = (
    await rows<{ v: string }>(
      tx,
      sql`
    SELECT relname AS v FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('v', 'm') ORDER BY 1`,
    )
  ).map((r) => r.v);
  const functions = new Map(
    (
      await rows<{ f: string; ext: string | null }>(
        tx,
        sql`
    SELECT p.oid::regprocedure::text AS f,
           (SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
             WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') AS ext
      FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1`,
      )
    ).map((r) => [r.f, r.ext]),
  );
  const triggers = (
    await rows<{ t: string }>(
      tx,
      sql`
    SELECT c.relname || '.' || t.tgname AS t FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal ORDER BY 1`,
    )
  ).map((r) => r.t);
  return { tables, views, functions, triggers };
}

export async function inspectDatabase(tx: SqlRunner, migrationsFolder?: string): Promise<DatabaseState> {
  const objects = await readPublicObjects(tx);
  const shipped = readMigrations(migrationsFolder);
  const last = await lastAppliedWhen(tx, shipped);
  if (last !== undefined) {
    return { kind: 'library', pending: shipped.filter((m) => m.when > last).map((m) => m.tag) };
  }
  if (!objects.tables.size && !objects.views.length && !objects.functions.size) return { kind: 'empty' };

  const problems: string[] = [];
  const notes: string[] = [];
  for (const [table, legacyColumns] of Object.entries(LEGACY_TABLES)) {
    const found = objects.tables.get(table);
    if (!found) {
      problems.push(`table ${table} of the legacy schema is missing`);
      continue;
    }
    for (const [column, type] of Object.entries(legacyColumns)) {
      const actual = found.get(column);
      if (actual === undefined) problems.push(`column ${table}.${column} of the legacy schema is missing`);
      else if (actual !== type) problems.push(`column ${table}.${column} is ${actual}; the legacy schema has ${type}`);
    }
    for (const column of found.keys()) {
      if (!(column in legacyColumns)) problems.push(`column ${table}.${column} is not part of the legacy schema`);
    }
  }
  for (const table of objects.tables.keys()) {
    if (!(table in LEGACY_TABLES)) problems.push(`table ${table} is not part of the legacy schema`);
  }
  const compare = (kind: string, present: Iterable<string>, expected: readonly string[]) => {
    const have = new Set(present);
    for (const name of have)
      if (!expected.includes(name)) problems.push(`${kind} ${name} is not part of the legacy schema`);
    for (const name of expected)
      if (!have.has(name)) notes.push(`${kind} ${name} of the legacy schema is already gone`);
  };
  compare('view', objects.views, LEGACY_VIEWS);
  compare('function', objects.functions.keys(), LEGACY_FUNCTIONS);
  compare(
    'trigger',
    objects.triggers,
    Object.entries(LEGACY_TRIGGERS).flatMap(([table, names]) => names.map((n) => `${table}.${n}`)),
  );
  const schemas = await rows<{ n: string }>(
    tx,
    sql`
    SELECT nspname AS n FROM pg_namespace WHERE nspname IN (${LEGACY_SCHEMA}, ${QUARANTINE_SCHEMA})`,
  );
  for (const { n } of schemas)
    problems.push(`schema ${n} already exists (left by an earlier adoption?): move or drop it first`);
  return problems.length ? { kind: 'unknown', problems } : { kind: 'legacy', objects, notes };
}
