/**
 * docs/scale-out.md against the migrated catalog: the rules a Citus
 * distribution by symbol and TimescaleDB hypertables (or monthly partitions)
 * impose that can be checked without either engine. The placement table is
 * read from the document itself, so the plan is written once.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db.ts';
import { freshPostgres, type TestDb } from './support/db.ts';

const doc = readFileSync(new URL('../docs/scale-out.md', import.meta.url), 'utf8');
type Placement = 'distributed' | 'reference' | 'local';
const plan = new Map(
  [...doc.matchAll(/^\| `(\w+)` \| (distributed|reference|local) \| (?:`(\w+)`|—) \|$/gm)].map(
    ([, table, placement, time]) => [table!, { placement: placement as Placement, time }],
  ),
);
const placed = (p: Placement) => [...plan].filter(([, v]) => v.placement === p).map(([t]) => t);
/** What the document says monthly partitioning will cover (the other helper's plan). */
const EXPECTED_TIME_PARTITIONED = ['funding_rates', 'llm_analysis_log', 'ohlcv', 'ohlcv_data', 'system_events'];

interface UniqueKey {
  table: string;
  name: string;
  columns: string[];
  primary: boolean;
}
interface ForeignKey {
  table: string;
  name: string;
  references: string;
}
interface Column {
  table: string;
  name: string;
  type: string;
  notNull: boolean;
}

describe('docs/scale-out.md holds for the schema', () => {
  let t: TestDb;
  let tables: string[];
  let columns: Column[];
  let uniqueKeys: UniqueKey[];
  let foreignKeys: ForeignKey[];
  let partitionKeys: Map<string, string[]>;
  const q = async <T>(text: string) => rowsOf<T>(await t.db.execute(sql.raw(text)));
  const column = (table: string, name: string) => columns.find((c) => c.table === table && c.name === name);
  /** Which unique keys of `table` lack `column`, the surrogate primary key set aside. */
  const keysWithout = (table: string, column: string) =>
    uniqueKeys.filter((k) => k.table === table && !k.primary && !k.columns.includes(column)).map((k) => k.name);

  beforeAll(async () => {
    t = await freshPostgres();
    // Top-level tables only: a partition follows its parent.
    const ofPublic = `c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition`;
    tables = (await q<{ n: string }>(`SELECT relname AS n FROM pg_class c WHERE ${ofPublic} ORDER BY 1`)).map(
      (r) => r.n,
    );
    columns =
      await q<Column>(`SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
        a.attnotnull AS "notNull" FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE ${ofPublic} AND a.attnum > 0 AND NOT a.attisdropped`);
    // Unique constraints and unique indexes alike (a partial unique index counts too).
    uniqueKeys =
      await q<UniqueKey>(`SELECT c.relname AS "table", i.indexrelid::regclass::text AS name, i.indisprimary AS primary,
        ARRAY(SELECT a.attname::text FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k) AS columns
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE ${ofPublic} AND i.indisunique`);
    foreignKeys =
      await q<ForeignKey>(`SELECT c.relname AS "table", k.conname AS name, k.confrelid::regclass::text AS "references"
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE ${ofPublic} AND k.contype = 'f'`);
    partitionKeys = new Map(
      (
        await q<{ t: string; cols: string[] }>(`SELECT c.relname AS t,
        ARRAY(SELECT a.attname::text FROM unnest(p.partattrs) k JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k) AS cols
      FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE ${ofPublic}`)
      ).map((r) => [r.t, r.cols]),
    );
  });
  afterAll(async () => t?.dispose());

  it('places every table exactly once (rule 1)', () => {
    expect([...plan.keys()].sort()).toEqual(tables);
    expect(doc.match(/^\| `\w+` \|/gm)?.length).toBeGreaterThanOrEqual(plan.size);
  });

  it('distributed tables: NOT NULL symbol, every unique key but the surrogate one contains it, the surrogate key is id (+ time) (rule 2)', () => {
    expect(placed('distributed').length).toBeGreaterThan(0);
    for (const table of placed('distributed')) {
      expect(column(table, 'symbol'), table).toMatchObject({ notNull: true });
      expect(keysWithout(table, 'symbol'), table).toEqual([]);
      // The primary key is either the surrogate id (+ the partition column) or a natural key holding symbol.
      const primary = uniqueKeys.find((k) => k.table === table && k.primary);
      const surrogate =
        primary?.columns.filter((c) => c !== 'id' && !(partitionKeys.get(table) ?? []).includes(c)).length === 0;
      expect(surrogate || primary?.columns.includes('symbol'), `${table}: ${primary?.columns.join(', ')}`).toBe(true);
    }
  });

  it('no foreign key leads to or from a distributed table; reference tables reference only reference tables (rules 3, 4)', () => {
    const distributed = new Set(placed('distributed'));
    const reference = new Set(placed('reference'));
    expect(
      foreignKeys.filter((k) => distributed.has(k.table) || distributed.has(k.references)).map((k) => k.name),
    ).toEqual([]);
    expect(
      foreignKeys.filter((k) => reference.has(k.table) && !reference.has(k.references)).map((k) => k.name),
    ).toEqual([]);
  });

  it('time columns are NOT NULL timestamptz in every unique key, and are what any table is partitioned by (rule 5)', () => {
    const timed = [...plan].filter(([, v]) => v.time).map(([table, v]) => [table, v.time!] as const);
    expect(timed.map(([table]) => table).sort()).toEqual(EXPECTED_TIME_PARTITIONED);
    for (const [table, time] of timed) {
      expect(column(table, time), table).toMatchObject({ type: 'timestamp with time zone', notNull: true });
      expect(keysWithout(table, time), table).toEqual([]);
    }
    // Read from the catalog, so this holds before and after monthly partitioning lands.
    for (const [table, key] of partitionKeys) expect([table, key]).toEqual([table, [plan.get(table)?.time]]);
  });

  it('lists every view and function that runs WITH RECURSIVE over a distributed table (rule 6)', async () => {
    const distributed = placed('distributed');
    const definitions = await q<{ name: string; body: string }>(`
      SELECT p.proname AS name, p.prosrc AS body FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
      UNION ALL
      SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')`);
    const reads = (body: string, name: string) => new RegExp(`\\b${name}\\b`).test(body);
    const recursive = definitions.filter(
      (d) => /WITH\s+RECURSIVE/i.test(d.body) && distributed.some((table) => reads(d.body, table)),
    );
    const usesRecursive = definitions.filter((d) =>
      recursive.some((r) => r.name !== d.name && reads(d.body, `${r.name}\\(`)),
    );
    const section = doc.slice(doc.indexOf('## What would not run on Citus'), doc.indexOf('## The TimescaleDB path'));
    // None left since the market readers read the read models; any new one must be listed.
    for (const { name } of [...recursive, ...usesRecursive]) expect(section, name).toContain(`| \`${name}\` |`);
  });
});
