/**
 * Legacy databases for the adoption tests: the seed's schema (test/fixtures/legacy)
 * with months of rows, built once per test file and cloned per test.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { adoptLegacyDatabase } from '../../src/adopt/index.ts';
import { createDb, rowsOf, type Db } from '../../src/db.ts';
import { withDatabase } from '../../scripts/pg-server.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/legacy/${name}`, import.meta.url), 'utf8');
/** The legacy schema, then its functions, triggers and views, then the rows. */
export const legacyScript = () => ['tables.sql', 'objects.sql', 'rows.sql'].map(fixture).join('\n');

const admin = () => postgres(inject('adminUrl'), { max: 1, onnotice: () => {} });

/** Build a legacy template database; clone() gives a fresh copy of it. */
export async function legacyTemplate() {
  const template = `iftb_legacy_${randomBytes(5).toString('hex')}`;
  const a = admin();
  await a.unsafe(`CREATE DATABASE "${template}"`);
  const t = postgres(withDatabase(inject('adminUrl'), template), { max: 1, onnotice: () => {} });
  await t.unsafe(legacyScript());
  await t.end();
  const made: string[] = [];
  return {
    async clone(): Promise<{ name: string; url: string; db: Db; raw: postgres.Sql }> {
      const name = `iftb_t_${randomBytes(6).toString('hex')}`;
      await a.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      made.push(name);
      const url = withDatabase(inject('adminUrl'), name);
      return { name, url, db: createDb(url, { max: 2 }), raw: postgres(url, { max: 2, onnotice: () => {} }) };
    },
    async drop() {
      for (const name of [...made, template]) await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/**
 * Everything a change could touch: every schema's tables with a digest of
 * their rows, sequences' positions, and the catalog's definitions.
 */
export async function fingerprint(db: Db): Promise<Record<string, string>> {
  const q = async (text: string) => rowsOf<{ k: string; v: string }>(await db.execute(sql.raw(text)));
  const out: Record<string, string> = {};
  const tables =
    await q(`SELECT n.nspname || '.' || c.relname AS k, '' AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1`);
  for (const { k } of tables) {
    const [row] = await q(
      `SELECT '${k}' AS k, count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS v FROM ${k} t`,
    );
    out[`rows ${k}`] = row!.v;
  }
  for (const r of await q(`SELECT 'seq ' || n.nspname || '.' || c.relname AS k, pg_sequence_last_value(c.oid)::text AS v
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S'`))
    out[r.k] = r.v ?? 'unused';
  for (const r of await q(definitionsQuery)) out[r.k] = r.v;
  return out;
}

/**
 * Definitions in schema public as PostgreSQL prints them: what "indistinguishable" compares.
 * Monthly partitions follow the data (which months exist), so only their parents are compared.
 */
export const definitionsQuery = `
  SELECT 'column ' || c.relname || '.' || a.attname AS k,
         format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attidentity::text
         || ' #' || a.attnum || ' ' || coalesce(col_description(c.oid, a.attnum), '') AS v
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT 'constraint ' || k.conrelid::regclass || '.' || k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k
   WHERE k.connamespace = 'public'::regnamespace AND NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = k.conrelid AND c.relispartition)
  UNION ALL SELECT 'index ' || i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public'
     AND NOT EXISTS (SELECT FROM pg_class c WHERE c.relname = i.tablename AND c.relnamespace = 'public'::regnamespace AND c.relispartition)
  UNION ALL SELECT 'view ' || viewname, definition FROM pg_views WHERE schemaname = 'public'
  UNION ALL SELECT 'function ' || p.oid::regprocedure, pg_get_functiondef(p.oid) || coalesce(p.proacl::text, '') || coalesce(obj_description(p.oid, 'pg_proc'), '')
    FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f'
  UNION ALL SELECT 'trigger ' || tgrelid::regclass || '.' || tgname, pg_get_triggerdef(oid) || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal AND tgparentid = 0
  UNION ALL SELECT 'grants ' || relname, coalesce(relacl::text, '') || coalesce(obj_description(oid, 'pg_class'), '') FROM pg_class
   WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'S') AND NOT relispartition
  UNION ALL SELECT 'schema ' || nspname, coalesce(nspacl::text, '') FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' AND nspname <> 'information_schema'
  UNION ALL SELECT 'extension ' || extname, extversion FROM pg_extension`;

/**
 * The legacy database adopted (rule breakers quarantined), then emptied so the
 * behaviour suites start from empty tables; identity sequences stay past the
 * legacy ids, as on a real adopted database.
 */
export async function adoptedTemplate(db: Db): Promise<void> {
  const client = (db as unknown as { $client: postgres.Sql }).$client;
  await client.unsafe(legacyScript());
  await adoptLegacyDatabase(db, { quarantine: true });
  const tables = await rowsOf<{ t: string }>(
    await db.execute(
      sql.raw(
        `SELECT string_agg(format('%I', relname), ', ') AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')`,
      ),
    ),
  );
  await db.execute(sql.raw(`TRUNCATE ${tables[0]!.t}`));
  await db.execute(sql.raw('DROP SCHEMA iftb_quarantine CASCADE'));
}
