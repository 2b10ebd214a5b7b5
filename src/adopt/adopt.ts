/**
 * Adoption: a database built by the seed's psql migrations 001-004 becomes
 * the library's schema in place, in ONE transaction (killed at any point, the
 * database is exactly as it was):
 *
 * 1. lock (the migration advisory lock) and inspect: refuse anything that is
 *    neither the legacy schema nor the library's;
 * 2. drop the legacy views, triggers and functions, move the legacy tables
 *    to schema iftb_legacy;
 * 3. run the library's migrations (journal included) in the same transaction;
 * 4. find every legacy row a rule of the new tables would refuse (read from
 *    the catalog, see rules.ts): refuse, or with `quarantine` move those rows
 *    to schema iftb_quarantine;
 * 5. copy the rows with their ids, set identity sequences past the highest
 *    legacy id, drop iftb_legacy.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db.ts';
import { IftbDbError } from '../errors.ts';
import { monthlyPartitioned } from '../schema/partitions.ts';
import { lockMigrations, migrateInTransaction, type SqlRunner } from '../migrate.ts';
import { inspectDatabase, LEGACY_SCHEMA, QUARANTINE_SCHEMA, type PublicObjects } from './inspect.ts';
import { LEGACY_TABLES } from './legacy-catalog.ts';
import {
  catalogColumns,
  copyStatement,
  insertTriggers,
  ruleStatements,
  triggerTrial,
  typeMismatch,
  type TableMapping,
} from './rules.ts';

export interface AdoptOptions {
  /** Move rows that break the library's rules to schema iftb_quarantine and go on (default: refuse). */
  quarantine?: boolean;
  /** Print the plan and the row report, then roll everything back. */
  dryRun?: boolean;
  /** Receives the plan and progress, one line at a time; adoption waits for a returned promise. */
  log?: (line: string) => void | Promise<void>;
  migrationsFolder?: string;
}

/** A legacy row the library's schema would refuse, and the rule (constraint name or description). */
export interface RowProblem {
  table: string;
  id: number;
  rule: string;
}

export interface TableCount {
  legacy: number;
  copied: number;
  quarantined: number;
}

export interface AdoptReport {
  outcome: 'adopted' | 'dry-run' | 'nothing-to-do' | 'empty';
  message: string;
  plan: string[];
  problems: RowProblem[];
  /** Per legacy table (adopted and dry-run only). */
  tables: Record<string, TableCount>;
  /** Library migrations applied (recorded in its journal). */
  applied: string[];
}

/** Adoption refused and changed nothing: `problems` names schema differences, `rows` the rule breakers. */
export class AdoptionRefusedError extends IftbDbError {
  constructor(
    message: string,
    readonly problems: string[],
    readonly rows: RowProblem[] = [],
  ) {
    super(message);
  }
}

class DryRunRollback extends Error {
  constructor(readonly report: AdoptReport) {
    super('dry run: rolled back');
  }
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const exec = (tx: SqlRunner, text: string) => tx.execute(sql.raw(text));
const query = async <T>(tx: SqlRunner, text: string) => rowsOf<T>(await tx.execute(sql.raw(text)));
/** Rows listed per table and rule in messages; the report keeps them all. */
const LISTED_PER_RULE = 20;

export async function adoptLegacyDatabase(db: Db, options: AdoptOptions = {}): Promise<AdoptReport> {
  const log = async (line: string) => {
    await options.log?.(line);
  };
  try {
    return await db.transaction(async (tx) => {
      await lockMigrations(tx);
      const state = await inspectDatabase(tx, options.migrationsFolder);
      const nothing = async (outcome: 'nothing-to-do' | 'empty', message: string): Promise<AdoptReport> => {
        await log(message);
        return { outcome, message, plan: [], problems: [], tables: {}, applied: [] };
      };
      if (state.kind === 'empty')
        return nothing(
          'empty',
          'The database is empty: nothing to adopt. Create the schema with migrate(db) (npm run db:migrate).',
        );
      if (state.kind === 'library') {
        return nothing(
          'nothing-to-do',
          state.pending.length
            ? `Already managed by the library (its migration journal is present); ${state.pending.length} migration(s) pending: run migrate(db) (npm run db:migrate).`
            : "Already at the library's current schema (adopted or migrated): nothing to do.",
        );
      }
      if (state.kind === 'unknown') {
        throw new AdoptionRefusedError(
          `refused, nothing changed: the database is neither the legacy IFTB schema (seed migrations 001-004) nor the library's:\n${state.problems.map((p) => `  - ${p}`).join('\n')}`,
          state.problems,
        );
      }
      for (const note of state.notes) await log(`note: ${note}`);
      const report = await adoptLegacy(tx, state.objects, options, log);
      if (options.dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (e) {
    if (e instanceof DryRunRollback) return e.report;
    throw e;
  }
}

async function adoptLegacy(
  tx: SqlRunner,
  objects: PublicObjects,
  options: AdoptOptions,
  log: (line: string) => Promise<void>,
): Promise<AdoptReport> {
  const plan: string[] = [];
  const step = async (line: string, ...statements: string[]) => {
    plan.push(line);
    await log(`plan: ${line}`);
    for (const s of statements) await exec(tx, s);
  };
  const tables = Object.keys(LEGACY_TABLES);

  if (objects.views.length)
    await step(
      `drop legacy views ${objects.views.join(', ')}`,
      `DROP VIEW ${objects.views.map((v) => `public.${ident(v)}`).join(', ')}`,
    );
  if (objects.triggers.length) {
    await step(
      `drop legacy triggers ${objects.triggers.join(', ')}`,
      ...objects.triggers.map((t) => {
        const [table, name] = t.split('.') as [string, string];
        return `DROP TRIGGER ${ident(name)} ON public.${ident(table)}`;
      }),
    );
  }
  const plainFunctions = [...objects.functions].filter(([, ext]) => !ext).map(([f]) => f);
  const extensions = [...new Set([...objects.functions.values()].filter((e): e is string => !!e))];
  if (plainFunctions.length)
    await step(
      `drop legacy functions ${plainFunctions.join(', ')}`,
      `DROP FUNCTION ${plainFunctions.map((f) => `public.${f}`).join(', ')}`,
    );
  for (const ext of extensions)
    await step(
      `drop extension ${ext} (its functions in public are part of the legacy schema)`,
      `DROP EXTENSION ${ident(ext)}`,
    );
  await step(
    `move tables ${tables.join(', ')} to schema ${LEGACY_SCHEMA}`,
    `CREATE SCHEMA ${ident(LEGACY_SCHEMA)}`,
    ...tables.map((t) => `ALTER TABLE public.${ident(t)} SET SCHEMA ${ident(LEGACY_SCHEMA)}`),
  );

  const { applied } = await migrateInTransaction(tx, { migrationsFolder: options.migrationsFolder });
  plan.push(
    `apply the library's migrations ${applied.at(0)} .. ${applied.at(-1)} (${applied.length}) and record them in its journal`,
  );
  await log(`plan: ${plan.at(-1)}`);

  // Map each legacy table onto its library table; a type change adoption cannot check exactly is refused.
  const mappings: TableMapping[] = [];
  const schemaProblems: string[] = [];
  for (const table of tables) {
    const legacy = await catalogColumns(tx, LEGACY_SCHEMA, table);
    const target = await catalogColumns(tx, 'public', table);
    const shared = target.filter((c) => legacy.some((l) => l.name === c.name)).map((c) => c.name);
    for (const name of shared) {
      try {
        typeMismatch(name, legacy.find((l) => l.name === name)!.type, target.find((c) => c.name === name)!.type);
      } catch (e) {
        schemaProblems.push(`${table}.${(e as Error).message}`);
      }
    }
    mappings.push({ table, legacy, target, shared });
  }
  if (schemaProblems.length)
    throw new AdoptionRefusedError(
      `refused, nothing changed:\n${schemaProblems.map((p) => `  - ${p}`).join('\n')}`,
      schemaProblems,
    );

  // The monthly partitions the legacy rows need (migrate made this month and the next 12 only).
  const made: string[] = [];
  for (const m of mappings) {
    const column = (monthlyPartitioned as Record<string, string>)[m.table];
    if (!column || !m.shared.includes(column)) continue;
    const value = `l.${ident(column)}::timestamptz`;
    made.push(
      ...(
        await query<{ name: string }>(
          tx,
          `SELECT ensure_partitions('public.${ident(m.table)}'::regclass, min(${value}), max(${value})) AS name
      FROM ${ident(LEGACY_SCHEMA)}.${ident(m.table)} l WHERE l.${ident(column)} IS NOT NULL GROUP BY date_trunc('month', ${value})`,
        )
      ).map((r) => r.name),
    );
  }
  if (made.length) {
    plan.push(`create the ${made.length} monthly partition(s) the legacy rows need`);
    await log(`plan: ${plan.at(-1)}`);
  }

  await exec(
    tx,
    'CREATE TEMPORARY TABLE adopt_offenders (tbl text NOT NULL, id bigint NOT NULL, rule text NOT NULL) ON COMMIT DROP',
  );
  for (const m of mappings) {
    if (!m.target.length) {
      // No library table at all: every row is one without a home.
      await exec(
        tx,
        `INSERT INTO adopt_offenders SELECT '${m.table}', id, 'table ${m.table} has no place in the library''s schema' FROM ${ident(LEGACY_SCHEMA)}.${ident(m.table)}`,
      );
      continue;
    }
    for (const statement of await ruleStatements(tx, m)) await exec(tx, statement);
    const triggers = await insertTriggers(tx, m.table);
    if (triggers.length) {
      await triggerTrial(tx, m, triggers).catch((e: unknown) => {
        const reason = `${m.table}: trigger ${triggers.join(', ')} refuses a legacy row: ${e instanceof Error ? e.message : String(e)}`;
        throw new AdoptionRefusedError(`refused, nothing changed: ${reason}`, [reason]);
      });
    }
  }
  const problems = (
    await query<{ tbl: string; id: string; rule: string }>(
      tx,
      'SELECT DISTINCT tbl, id, rule FROM adopt_offenders ORDER BY tbl, id, rule',
    )
  ).map((r) => ({ table: r.tbl, id: Number(r.id), rule: r.rule }));

  const counts: Record<string, TableCount> = {};
  const maxIds: Record<string, number | null> = {};
  for (const m of mappings) {
    const [c] = await query<{ n: string; max: string | null }>(
      tx,
      `SELECT count(*) AS n, max(id) AS max FROM ${ident(LEGACY_SCHEMA)}.${ident(m.table)}`,
    );
    const quarantined = new Set(problems.filter((p) => p.table === m.table).map((p) => p.id)).size;
    counts[m.table] = { legacy: Number(c!.n), copied: Number(c!.n) - quarantined, quarantined };
    maxIds[m.table] = c!.max === null ? null : Number(c!.max);
  }
  const rowReport = describeProblems(problems);
  await log(rowReport);
  for (const [t, c] of Object.entries(counts)) {
    if (!mappings.find((m) => m.table === t)!.target.length) {
      plan.push(
        `${t} has no place in the library's schema: ${c.legacy ? `its ${c.legacy} row(s) break rules` : 'empty, dropped'}`,
      );
      await log(`plan: ${plan.at(-1)}`);
      continue;
    }
    plan.push(
      `copy ${t}: ${c.copied} of ${c.legacy} rows, ids kept${c.quarantined ? `; ${c.quarantined} row(s) break rules${options.quarantine ? ` to ${QUARANTINE_SCHEMA}.${t}` : ''}` : ''}`,
    );
    await log(`plan: ${plan.at(-1)}`);
  }
  plan.push(`set identity sequences past the highest legacy id, drop schema ${LEGACY_SCHEMA}`);
  await log(`plan: ${plan.at(-1)}`);
  const report = (outcome: AdoptReport['outcome'], message: string): AdoptReport => ({
    outcome,
    message,
    plan,
    problems,
    tables: counts,
    applied,
  });

  const offendingRows = new Set(problems.map((p) => `${p.table}:${p.id}`)).size;
  if (options.dryRun) {
    const message = `Dry run: rolled back, nothing changed. ${problems.length ? `${offendingRows} row(s) break rules: adoption would ${options.quarantine ? 'quarantine them' : 'refuse (adopt with quarantine to move them aside)'}.` : 'Adoption would succeed.'}`;
    await log(message);
    return report('dry-run', message);
  }
  if (problems.length && !options.quarantine) {
    throw new AdoptionRefusedError(
      `refused, nothing changed: ${rowReport}\nFix these rows in the legacy database, or adopt with quarantine to move them to schema ${QUARANTINE_SCHEMA}.`,
      [],
      problems,
    );
  }
  if (problems.length) await quarantine(tx, mappings, log);

  for (const m of await copyOrder(tx, mappings)) {
    await exec(tx, copyStatement(m));
    const [stored] = await query<{ n: string }>(tx, `SELECT count(*) AS n FROM public.${ident(m.table)}`);
    if (Number(stored!.n) !== counts[m.table]!.copied) {
      const reason = `${m.table} holds ${stored!.n} rows after the copy, expected ${counts[m.table]!.copied}`;
      throw new AdoptionRefusedError(`refused, nothing changed: ${reason}`, [reason]);
    }
    if (maxIds[m.table] !== null && m.target.some((c) => c.name === 'id' && c.identity)) {
      // Past the highest legacy id, quarantined rows included, so their ids stay free.
      await exec(tx, `SELECT setval(pg_get_serial_sequence('public.${ident(m.table)}', 'id'), ${maxIds[m.table]})`);
    }
    await log(`copied ${m.table}: ${counts[m.table]!.copied} rows`);
  }
  await exec(tx, `DROP SCHEMA ${ident(LEGACY_SCHEMA)} CASCADE`);
  const copied = Object.values(counts).reduce((n, c) => n + c.copied, 0);
  const message =
    `Adopted: ${copied} rows in ${mappings.length} tables, ids kept; ${applied.length} library migrations recorded` +
    (problems.length ? `; ${offendingRows} rows moved to schema ${QUARANTINE_SCHEMA}.` : '.');
  await log(message);
  return report('adopted', message);
}

/** Rule breakers into iftb_quarantine.<table>: the legacy columns plus the rules each row breaks. */
async function quarantine(tx: SqlRunner, mappings: TableMapping[], log: (line: string) => Promise<void>) {
  await exec(tx, `CREATE SCHEMA ${ident(QUARANTINE_SCHEMA)}`);
  const affected = (await query<{ tbl: string }>(tx, 'SELECT DISTINCT tbl FROM adopt_offenders ORDER BY 1')).map(
    (r) => r.tbl,
  );
  for (const table of affected.filter((t) => mappings.some((m) => m.table === t))) {
    const q = `${ident(QUARANTINE_SCHEMA)}.${ident(table)}`;
    const legacy = `${ident(LEGACY_SCHEMA)}.${ident(table)}`;
    await exec(tx, `CREATE TABLE ${q} (LIKE ${legacy})`);
    await exec(
      tx,
      `ALTER TABLE ${q} ADD COLUMN quarantine_rules text[] NOT NULL, ADD COLUMN quarantined_at timestamptz NOT NULL DEFAULT now()`,
    );
    await exec(
      tx,
      `INSERT INTO ${q} SELECT l.*, r.rules FROM ${legacy} l
      JOIN (SELECT id, array_agg(DISTINCT rule ORDER BY rule) AS rules FROM adopt_offenders WHERE tbl = '${table}' GROUP BY id) r USING (id)`,
    );
    await exec(tx, `DELETE FROM ${legacy} WHERE id IN (SELECT id FROM adopt_offenders WHERE tbl = '${table}')`);
    await log(`quarantined rows of ${table} in ${QUARANTINE_SCHEMA}.${table}`);
  }
}

/** Tables referenced by foreign keys are filled before the tables referring to them. */
async function copyOrder(tx: SqlRunner, mappings: TableMapping[]): Promise<TableMapping[]> {
  const refs = await query<{ t: string; r: string }>(
    tx,
    `SELECT c.relname AS t, r.relname AS r
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
   WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace AND k.conrelid <> k.confrelid`,
  );
  const pending = mappings.filter((m) => m.target.length);
  const ordered: TableMapping[] = [];
  while (pending.length) {
    const next = pending.findIndex((m) => !refs.some((f) => f.t === m.table && pending.some((p) => p.table === f.r)));
    ordered.push(...pending.splice(next < 0 ? 0 : next, 1));
  }
  return ordered;
}

function describeProblems(problems: RowProblem[]): string {
  if (!problems.length) return "row report: every legacy row fits the library's rules";
  const groups = new Map<string, number[]>();
  for (const p of problems) {
    const key = `${p.table}: ${p.rule}`;
    groups.set(key, [...(groups.get(key) ?? []), p.id]);
  }
  const lines = [...groups].map(
    ([key, ids]) =>
      `  ${key}: id ${ids.slice(0, LISTED_PER_RULE).join(', ')}${ids.length > LISTED_PER_RULE ? ` and ${ids.length - LISTED_PER_RULE} more` : ''}`,
  );
  return `row report: ${new Set(problems.map((p) => `${p.table}:${p.id}`)).size} legacy row(s) break the library's rules (table: rule: ids)\n${lines.join('\n')}`;
}
