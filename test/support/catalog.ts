/** What a migrated database holds, read from the catalogs, normalised so engines compare equal; partitions follow their parent. */
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../src/db.ts';

export interface Catalog {
  tables: Record<string, { columns: string[]; constraints: string[]; indexes: string[] }>;
  views: string[];
  functions: string[];
  triggers: string[];
}

const q = async <T>(db: Db, text: string) => rowsOf<T>(await db.execute(sql.raw(text)));

export async function readCatalog(db: Db): Promise<Catalog> {
  const columns = await q<{ t: string; d: string }>(
    db,
    `
    SELECT c.relname AS t, a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END AS d
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum`,
  );
  const constraints = await q<{ t: string; d: string }>(
    db,
    `
    SELECT c.relname AS t, k.conname || ' ' || k.contype::text AS d
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND NOT c.relispartition AND k.contype IN ('c', 'u', 'f', 'p') ORDER BY 1, 2`,
  );
  const indexes = await q<{ t: string; d: string }>(
    db,
    `
    SELECT i.tablename AS t, i.indexname AS d FROM pg_indexes i
      JOIN pg_class c ON c.relname = i.tablename AND c.relnamespace = 'public'::regnamespace
     WHERE i.schemaname = 'public' AND NOT c.relispartition ORDER BY 1, 2`,
  );
  const tables: Catalog['tables'] = {};
  const entry = (t: string) => (tables[t] ??= { columns: [], constraints: [], indexes: [] });
  for (const r of columns) entry(r.t).columns.push(r.d);
  for (const r of constraints) entry(r.t).constraints.push(r.d);
  for (const r of indexes) entry(r.t).indexes.push(r.d);
  const names = async (text: string) => (await q<{ n: string }>(db, text)).map((r) => r.n);
  return {
    tables,
    views: await names(`SELECT viewname AS n FROM pg_views WHERE schemaname = 'public' ORDER BY 1`),
    functions: await names(`SELECT p.proname AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                             WHERE n.nspname = 'public' ORDER BY 1`),
    // A partition's clone of its parent's trigger (tgparentid) follows the parent.
    triggers: await names(`SELECT tgrelid::regclass::text || '.' || tgname AS n FROM pg_trigger
                            WHERE NOT tgisinternal AND tgparentid = 0 ORDER BY 1`),
  };
}
