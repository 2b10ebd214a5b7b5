/**
 * The hand-written SQL objects, one per file, found by folder and ordered by
 * what each declares it needs. Each file holds the whole definition
 * (CREATE OR REPLACE ... and its COMMENT ON), statements separated by
 * `--> statement-breakpoint`, and is named after the object it defines.
 * A file that needs another object defined here says so in a header line
 * before its first statement:
 *
 *   -- depends: ohlcv_data_series, v_other_view
 *
 * Tables need no header: the Drizzle migrations create them first.
 * scripts/sql-objects.ts writes migrations from these files and checks that
 * the migrated database matches them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IftbDbError } from './errors.ts';

/**
 * The folders, in the order they are applied: views may read functions, and
 * roles come last because roles.sql grants on whatever exists by then.
 */
export const sqlSourceFolders = {
  /** Trigger functions and their CREATE TRIGGERs. */
  triggers: 'src/triggers',
  /** SQL functions, beside their typed wrappers. */
  functions: 'src/functions',
  /** Views, beside their pgView declarations. */
  views: 'src/views',
  /** Roles and grants. */
  roles: 'src/roles',
} as const;

export type SqlSourceGroup = keyof typeof sqlSourceFolders;

/** The SQL sources cannot be ordered; the message names the file. */
export class SqlSourceOrderError extends IftbDbError {}

const DEPENDS = /^--\s*depends:(.*)$/;

/** The object a file defines: its file name without `.sql`. */
export function sqlObjectName(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.sql$/, '');
}

/** The names in a source's `-- depends:` lines, read up to its first statement. */
export function declaredDependencies(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed && !trimmed.startsWith('--')) break;
    const match = DEPENDS.exec(trimmed);
    for (const name of (match?.[1] ?? '').split(',')) if (name.trim()) names.push(name.trim());
  }
  return names;
}

/** A source without its `-- depends:` lines, as it is applied and migrated. */
export function withoutDependsHeader(text: string): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() && !l.trim().startsWith('--'));
  const head = lines.slice(0, first < 0 ? lines.length : first).filter((l) => !DEPENDS.test(l.trim()));
  return [...head, ...(first < 0 ? [] : lines.slice(first))].join('\n');
}

/**
 * Each folder's files, dependencies first. Ties go by file name, so the order
 * is the same on every machine. A dependency that names no source, one in a
 * later folder, or a cycle is an error naming the file.
 */
export function loadSqlSources(root: string): Record<SqlSourceGroup, string[]> {
  const groups = Object.keys(sqlSourceFolders) as SqlSourceGroup[];
  const groupOf = new Map<string, number>();
  const fileOf = new Map<string, string>();
  const needs = new Map<string, string[]>();
  const listed = groups.map((group, index) => {
    const folder = sqlSourceFolders[group];
    const files = readdirSync(join(root, folder))
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => `${folder}/${f}`);
    for (const file of files) {
      const name = sqlObjectName(file);
      const other = fileOf.get(name);
      if (other) throw new SqlSourceOrderError(`${file}: ${name} is already defined by ${other}`);
      fileOf.set(name, file);
      groupOf.set(name, index);
      needs.set(name, declaredDependencies(readFileSync(join(root, file), 'utf8')));
    }
    return files;
  });
  for (const [name, deps] of needs) {
    for (const dep of deps) {
      const at = groupOf.get(dep);
      const file = fileOf.get(name)!;
      if (at === undefined) throw new SqlSourceOrderError(`${file}: depends on ${dep}, which no SQL source defines`);
      if (at > groupOf.get(name)!)
        throw new SqlSourceOrderError(`${file}: depends on ${dep} (${fileOf.get(dep)}), a folder applied after it`);
    }
  }
  return Object.fromEntries(
    groups.map((group, index) => [group, dependencyOrder(listed[index]!, needs, groupOf, index)]),
  ) as Record<SqlSourceGroup, string[]>;
}

/** Kahn's sort of one folder, taking the first ready file by name each step. */
function dependencyOrder(
  files: string[],
  needs: Map<string, string[]>,
  groupOf: Map<string, number>,
  group: number,
): string[] {
  const waitingOn = new Map(
    files.map((f) => {
      const name = sqlObjectName(f);
      return [f, new Set(needs.get(name)!.filter((d) => groupOf.get(d) === group && d !== name))];
    }),
  );
  const selfDependent = files.find((f) => needs.get(sqlObjectName(f))!.includes(sqlObjectName(f)));
  if (selfDependent) throw new SqlSourceOrderError(`${selfDependent}: depends on itself`);
  const order: string[] = [];
  while (waitingOn.size) {
    const ready = [...waitingOn].find(([, deps]) => deps.size === 0)?.[0];
    if (!ready) throw new SqlSourceOrderError(cycleMessage(waitingOn));
    order.push(ready);
    waitingOn.delete(ready);
    for (const deps of waitingOn.values()) deps.delete(sqlObjectName(ready));
  }
  return order;
}

/** Walks the files left waiting until one repeats: that file and the cycle it is on. */
function cycleMessage(waitingOn: Map<string, Set<string>>): string {
  const fileOf = new Map([...waitingOn.keys()].map((f) => [sqlObjectName(f), f]));
  const path: string[] = [];
  let name = sqlObjectName(waitingOn.keys().next().value!);
  while (!path.includes(name)) {
    path.push(name);
    name = [...waitingOn.get(fileOf.get(name)!)!][0]!;
  }
  const cycle = [...path.slice(path.indexOf(name)), name];
  return `${fileOf.get(name)}: a cycle of -- depends: ${cycle.join(' -> ')}`;
}

/** Every .sql file under src/ outside the source folders: a source that would be silently left out. */
export function strayedSqlFiles(root: string): string[] {
  const folders = new Set<string>(Object.values(sqlSourceFolders));
  return (readdirSync(join(root, 'src'), { recursive: true }) as string[])
    .map((f) => `src/${f.split('\\').join('/')}`)
    .filter((f) => f.endsWith('.sql') && !folders.has(f.replace(/\/[^/]*$/, '')));
}

const root = resolve(import.meta.dirname, '..');
const strayed = strayedSqlFiles(root);
if (strayed.length)
  throw new SqlSourceOrderError(
    `SQL files outside ${Object.values(sqlSourceFolders).join(', ')}: ${strayed.join(', ')}`,
  );

/** The SQL sources by folder, each in dependency order (paths relative to the package root). */
export const sqlSources = loadSqlSources(root);
