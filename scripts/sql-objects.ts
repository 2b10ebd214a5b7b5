/**
 * Keeps the hand-written SQL (the src/**\/*.sql that src/sql-sources.ts finds and orders) and
 * the comments derived from the schema in step with the migrations.
 *
 *   tsx scripts/sql-objects.ts check          # exit 1 if a source is not migrated
 *   tsx scripts/sql-objects.ts new <name>     # new custom migration with what changed
 *   tsx scripts/sql-objects.ts write <tag> <group...>
 *        # rewrite an UNRELEASED custom migration from whole groups
 *        # (group "comments" = COMMENT ON for tables and their unit columns,
 *        #  group "viewComments" = COMMENT ON for the views' unit columns)
 *
 * The check migrates a scratch PGlite, snapshots every definition as
 * PostgreSQL renders it (functions, views, triggers, comments), re-applies all
 * sources and comments, and snapshots again: any difference is a source the
 * migrations do not carry.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getTableColumns, is } from 'drizzle-orm';
import { getTableConfig, getViewConfig, PgView, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { PGlite } from '@electric-sql/pglite';
import { close } from '../src/db.ts';
import { createPgliteDb } from '../src/pglite.ts';
import { noteComment, noteNamed, type ColumnNotes } from '../src/schema/_notes.ts';
import { tableColumnNotes } from '../src/schema/column-notes.ts';
import { viewColumnNotes } from '../src/views/column-notes.ts';
import { sqlLiteral } from '../src/schema/_rules.ts';
import { tableComments } from '../src/schema/comments.ts';
import * as tables from '../src/schema/tables.ts';
import * as summaries from '../src/schema/summaries.ts';
import * as views from '../src/views/index.ts';
import { sqlSources, withoutDependsHeader, type SqlSourceGroup } from '../src/sql-sources.ts';
import { migrate } from '../src/migrate.ts';

const root = resolve(import.meta.dirname, '..');
const BREAK = '--> statement-breakpoint';

/** A COMMENT ON statement and the object it comments, named as the snapshot below names it. */
interface CommentEntry {
  object: string;
  statement: string;
}

function columnComments(
  relation: string,
  columns: PgColumn[],
  commentOf: (c: PgColumn) => string | undefined,
): CommentEntry[] {
  return columns.flatMap((c) => {
    const comment = commentOf(c);
    return comment
      ? [
          {
            object: `comment on ${relation}.${c.name}`,
            statement: `COMMENT ON COLUMN "${relation}"."${c.name}" IS ${sqlLiteral(comment)};`,
          },
        ]
      : [];
  });
}

/** COMMENT ON for every table and every table column with a unit or a trigger-set value. */
function tableCommentEntries(): CommentEntry[] {
  const all = { ...tables, ...summaries } as unknown as Record<string, PgTable>;
  const notesOf: Record<string, ColumnNotes> = { ...tableColumnNotes, ...summaries.summaryColumnNotes };
  return Object.entries({ ...tableComments, ...summaries.summaryComments }).flatMap(([key, text]) => {
    const table = all[key]!;
    const { name, columns } = getTableConfig(table);
    const byKey = getTableColumns(table);
    return [
      { object: `comment on ${name}`, statement: `COMMENT ON TABLE "${name}" IS ${sqlLiteral(text)};` },
      ...columnComments(name, columns, (c) => noteComment(noteNamed(notesOf[key], byKey, c.name))),
    ];
  });
}

/**
 * COMMENT ON for every view column with a unit: the unit only, since no
 * trigger writes a view (the views' own comments live in their .sql).
 */
function viewColumnCommentEntries(): CommentEntry[] {
  return Object.entries(views as Record<string, unknown>)
    .filter((entry): entry is [keyof typeof viewColumnNotes, PgView] => is(entry[1], PgView))
    .flatMap(([key, v]) => {
      const { name, selectedFields } = getViewConfig(v);
      const columns = selectedFields as Record<string, PgColumn>;
      return columnComments(
        name,
        Object.values(columns),
        (c) => noteNamed(viewColumnNotes[key], columns, c.name)?.unit,
      );
    });
}

/**
 * Statement groups in dependency order: table comments, then the hand-written
 * SQL by group, with view column comments right after the views.
 */
type Group = SqlSourceGroup | 'comments' | 'viewComments';
const allGroups: Group[] = [
  'comments',
  ...(Object.keys(sqlSources) as SqlSourceGroup[]).flatMap((g): Group[] =>
    g === 'views' ? ['views', 'viewComments'] : [g],
  ),
];
const commentGroups: Partial<Record<Group, () => CommentEntry[]>> = {
  comments: tableCommentEntries,
  viewComments: viewColumnCommentEntries,
};

/** The statements of one source file (its `-- depends:` header is for ordering only). */
function fileStatements(file: string): string[] {
  return withoutDependsHeader(readFileSync(join(root, file), 'utf8'))
    .split(BREAK)
    .map((s) => s.trim())
    .filter(Boolean);
}

function groupStatements(group: Group): string[] {
  const comments = commentGroups[group];
  return comments ? comments().map((e) => e.statement) : sqlSources[group as SqlSourceGroup].flatMap(fileStatements);
}

const SNAPSHOT = `
  SELECT 'function ' || p.oid::regprocedure::text AS object,
         pg_get_functiondef(p.oid) || coalesce(E'\\n-- ' || obj_description(p.oid, 'pg_proc'), '') AS definition
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'view ' || c.relname, pg_get_viewdef(c.oid, true) || coalesce(E'\\n-- ' || obj_description(c.oid, 'pg_class'), '')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
  UNION ALL
  SELECT 'trigger ' || t.tgname || ' on ' || t.tgrelid::regclass::text, pg_get_triggerdef(t.oid)
    FROM pg_trigger t WHERE NOT t.tgisinternal
  UNION ALL
  SELECT 'comment on ' || d.objoid::regclass::text || coalesce('.' || a.attname, ''), d.description
    FROM pg_description d
    JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
     AND (c.relkind IN ('r', 'p') OR (c.relkind = 'v' AND d.objsubid > 0))
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    LEFT JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid AND d.objsubid > 0
  UNION ALL
  SELECT 'grant on ' || c.relname, coalesce(c.relacl::text, '')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'p', 'S')
  UNION ALL
  SELECT 'grant on function ' || p.oid::regprocedure::text, coalesce(p.proacl::text, '')
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = 'public'`;

async function snapshot(pg: PGlite): Promise<Map<string, string>> {
  const { rows } = await pg.query<{ object: string; definition: string }>(SNAPSHOT);
  return new Map(rows.map((r) => [r.object, r.definition]));
}

/** Objects whose source or comment differs from what the migrations create. */
export async function staleObjects(): Promise<{ stale: string[]; failed: string[] }> {
  const db = createPgliteDb();
  const pg = (db as unknown as { $client: PGlite }).$client;
  try {
    await migrate(db);
    const before = await snapshot(pg);
    const failed: string[] = [];
    for (const group of allGroups) {
      for (const statement of groupStatements(group)) {
        try {
          await pg.exec(statement);
        } catch (e) {
          failed.push(`${statement.split('\n')[0]}: ${(e as Error).message}`);
        }
      }
    }
    const after = await snapshot(pg);
    const stale = [...new Set([...before.keys(), ...after.keys()])]
      .filter((k) => before.get(k) !== after.get(k))
      .sort();
    return { stale, failed };
  } finally {
    await close(db);
  }
}

function writeMigration(tag: string, statements: string[]) {
  const file = join(root, 'drizzle', `${tag}.sql`);
  writeFileSync(file, statements.map((s) => `${s}\n${BREAK}`).join('\n') + '\n');
  console.log(`wrote ${statements.length} statements to drizzle/${tag}.sql`);
}

/**
 * The statements that bring the stale objects up to their sources: the source
 * file of each changed function, trigger or view and the statement of each
 * changed comment, in dependency order (CREATE OR REPLACE and COMMENT ON are
 * idempotent). A changed grant re-applies the roles group.
 */
function carrying(stale: string[]): string[] {
  const files = new Set<string>();
  const comments = new Set<string>();
  const groups = new Set<Group>();
  const sourceOf = (group: SqlSourceGroup, pattern: RegExp) =>
    sqlSources[group].find((f) => pattern.test(readFileSync(join(root, f), 'utf8')));
  const commented = new Set(Object.values(commentGroups).flatMap((entries) => entries().map((e) => e.object)));
  for (const object of stale) {
    const [kind, name = ''] = object.split(' ');
    const bare = name.replace(/\(.*$/, '');
    const file =
      kind === 'function'
        ? (sourceOf('functions', new RegExp(`FUNCTION ${bare}\\(`)) ??
          sourceOf('triggers', new RegExp(`FUNCTION ${bare}\\(`)))
        : kind === 'trigger'
          ? sourceOf('triggers', new RegExp(`TRIGGER ${bare} `))
          : kind === 'view'
            ? sourceOf('views', new RegExp(`VIEW ${bare} `))
            : undefined;
    if (file) files.add(file);
    else if (kind === 'comment' && commented.has(object)) comments.add(object);
    else
      groups.add(
        kind === 'grant'
          ? 'roles'
          : kind === 'comment'
            ? 'comments'
            : kind === 'trigger'
              ? 'triggers'
              : kind === 'view'
                ? 'views'
                : 'functions',
      );
  }
  return allGroups.flatMap((g) => {
    if (groups.has(g)) return groupStatements(g);
    const entries = commentGroups[g];
    if (entries)
      return entries()
        .filter((e) => comments.has(e.object))
        .map((e) => e.statement);
    return sqlSources[g as SqlSourceGroup].filter((f) => files.has(f)).flatMap(fileStatements);
  });
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'check') {
    const { stale, failed } = await staleObjects();
    for (const f of failed) console.error(`source does not apply over the migrations: ${f}`);
    for (const s of stale) console.error(`not carried by a migration: ${s}`);
    if (stale.length || failed.length) {
      console.error('run `tsx scripts/sql-objects.ts new <name>` to write a migration carrying them');
      process.exitCode = 1;
    }
  } else if (command === 'write') {
    const [tag, ...groups] = args;
    if (!tag || !groups.length) throw new Error('usage: write <tag> <group...>');
    writeMigration(
      tag,
      groups.flatMap((g) => groupStatements(g as Group)),
    );
  } else if (command === 'new') {
    const name = args[0];
    if (!name) throw new Error('usage: new <name>');
    const { stale, failed } = await staleObjects();
    if (failed.length) throw new Error(`sources that do not apply over the migrations:\n${failed.join('\n')}`);
    if (!stale.length) {
      console.log('nothing to migrate');
      return;
    }
    execFileSync('npx', ['--no-install', 'drizzle-kit', 'generate', '--custom', `--name=${name}`], {
      cwd: root,
      stdio: 'inherit',
    });
    const tag = readdirSync(join(root, 'drizzle'))
      .filter((f) => f.endsWith(`_${name}.sql`))
      .sort()
      .at(-1)!
      .replace(/\.sql$/, '');
    writeMigration(tag, carrying(stale));
    console.log('review it: a view whose columns changed needs DROP VIEW ... CASCADE and its dependents recreated');
  } else {
    throw new Error('usage: check | new <name> | write <tag> <group...>');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
