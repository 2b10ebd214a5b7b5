/**
 * What only the database knows: views, functions, triggers and partitioning as PostgreSQL
 * reports them after the bundled migrations ran on a scratch in-memory PGlite.
 * Everything is ordered by name, so the docs come out the same on every run.
 */
import { sql } from 'drizzle-orm';
import { close, rowsOf } from '../../src/db.ts';
import { createPgliteDb } from '../../src/pglite.ts';
import { migrate } from '../../src/migrate.ts';

export interface ViewInfo {
  name: string;
  comment: string | null;
  columns: { name: string; type: string; comment: string | null }[];
}
export interface FunctionInfo {
  name: string;
  args: string;
  result: string;
  comment: string | null;
  volatility: 'immutable' | 'stable' | 'volatile';
  isTrigger: boolean;
}
export interface TriggerInfo {
  table: string;
  name: string;
  definition: string;
  functionName: string;
}
/** A partitioned table: its partition key as PostgreSQL prints it, e.g. `RANGE ("timestamp")`. */
export interface PartitionInfo {
  table: string;
  key: string;
}
export interface Catalog {
  views: ViewInfo[];
  functions: FunctionInfo[];
  triggers: TriggerInfo[];
  partitioned: PartitionInfo[];
}

const VIEW_COLUMNS = `
  SELECT c.relname AS view, obj_description(c.oid, 'pg_class') AS view_comment,
         a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, col_description(c.oid, a.attnum) AS comment
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE c.relkind IN ('v', 'm')
   ORDER BY c.relname, a.attnum`;

const FUNCTIONS = `
  SELECT p.proname AS name, pg_get_function_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS result,
         obj_description(p.oid, 'pg_proc') AS comment, p.provolatile AS volatility,
         p.prorettype = 'trigger'::regtype AS is_trigger
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public'
   WHERE p.prokind = 'f'
   ORDER BY p.proname, pg_get_function_identity_arguments(p.oid)`;

const TRIGGERS = `
  SELECT c.relname AS table, t.tgname AS name, pg_get_triggerdef(t.oid) AS definition, p.proname AS function_name
    FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    JOIN pg_proc p ON p.oid = t.tgfoid
   WHERE NOT t.tgisinternal
   ORDER BY c.relname, t.tgname`;

const PARTITIONED = `
  SELECT c.relname AS table, pg_get_partkeydef(c.oid) AS key
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
   WHERE c.relkind = 'p'
   ORDER BY c.relname`;

const VOLATILITY = { i: 'immutable', s: 'stable', v: 'volatile' } as const;

export async function readCatalog(): Promise<Catalog> {
  const db = createPgliteDb();
  try {
    await migrate(db);
    const query = async <T>(text: string) => rowsOf<T>(await db.execute(sql.raw(text)));

    const views = new Map<string, ViewInfo>();
    type ViewRow = { view: string; view_comment: string | null; name: string; type: string; comment: string | null };
    for (const r of await query<ViewRow>(VIEW_COLUMNS)) {
      const view = views.get(r.view) ?? { name: r.view, comment: r.view_comment, columns: [] };
      view.columns.push({ name: r.name, type: r.type, comment: r.comment });
      views.set(r.view, view);
    }

    type FunctionRow = Omit<FunctionInfo, 'volatility' | 'isTrigger'> & {
      volatility: keyof typeof VOLATILITY;
      is_trigger: boolean;
    };
    const functions = (await query<FunctionRow>(FUNCTIONS)).map((r) => ({
      name: r.name,
      args: r.args,
      result: r.result,
      comment: r.comment,
      volatility: VOLATILITY[r.volatility],
      isTrigger: r.is_trigger,
    }));

    type TriggerRow = { table: string; name: string; definition: string; function_name: string };
    const triggers = (await query<TriggerRow>(TRIGGERS)).map((r) => ({
      table: r.table,
      name: r.name,
      definition: r.definition,
      functionName: r.function_name,
    }));
    const partitioned = await query<PartitionInfo>(PARTITIONED);
    return { views: [...views.values()], functions, triggers, partitioned };
  } finally {
    await close(db);
  }
}
