/**
 * The tables as the code declares them (src/schema): columns with units and
 * defaults, every CHECK in words, unique constraints, indexes and foreign
 * keys. Order follows the declarations (src/schema/comments.ts lists the
 * tables by domain), so the docs read like the schema.
 */
import { Column, is, Param, SQL, StringChunk } from 'drizzle-orm';
import { getTableConfig, type IndexedColumn, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { tableColumnNotes } from '../../src/schema/column-notes.ts';
import { columnsReadBy, keysOf, ruleInWords, ruleOf, type Expr } from '../../src/schema/_rules.ts';
import { tableComments } from '../../src/schema/comments.ts';
import * as tables from '../../src/schema/tables.ts';

export interface ColumnDoc {
  name: string;
  key: string;
  type: string;
  notNull: boolean;
  primaryKey: boolean;
  /** SQL default as written in the schema; undefined when none. */
  defaultValue?: string;
  /** Set by the application on insert ($defaultFn), e.g. a NULL a trigger replaces. */
  appDefault?: string;
  identity: boolean;
  unit?: string;
  rules: string[];
}
export interface TableDoc {
  name: string;
  key: string;
  comment: string;
  columns: ColumnDoc[];
  /** CHECKs over several columns: name and sentence. */
  crossRules: { name: string; text: string }[];
  /** A primary key over several columns (a single-column one is marked on its column). */
  primaryKey?: { name: string; columns: string[] };
  uniques: { name: string; columns: string[] }[];
  indexes: { name: string; unique: boolean; method: string; columns: string[]; where?: string }[];
  foreignKeys: { name: string; columns: string[]; table: string; foreignColumns: string[]; onDelete: string }[];
}

/** SQL text of a Drizzle `sql` fragment as the schema wrote it, columns by name. */
export function sqlText(chunk: unknown): string {
  if (is(chunk, SQL)) return chunk.queryChunks.map(sqlText).join('');
  if (is(chunk, StringChunk)) return chunk.value.join('');
  if (is(chunk, Column)) return chunk.name;
  if (is(chunk, Param)) return String(chunk.value);
  if (Array.isArray(chunk)) return chunk.map(sqlText).join('');
  return String(chunk ?? '');
}

const byName = (c: PgColumn) => c.name;

/** A rule in words with SQL column names; a column's value list as the list itself. */
function sentence(e: Expr): string {
  if (e.kind === 'in' && e.expr.kind === 'col') return `one of: ${e.values.map((v) => `\`${v}\``).join(', ')}`;
  return ruleInWords(e, byName);
}

function literal(value: unknown, sqlType: string): string {
  if (is(value, SQL)) return sqlText(value);
  if (typeof value === 'string') return /char|text/.test(sqlType) ? `'${value}'` : value;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return String(value);
}

function indexColumn(c: unknown): string {
  if (is(c, SQL)) return sqlText(c);
  const col = c as IndexedColumn;
  const { order, nulls } = col.indexConfig ?? {};
  const desc = order === 'desc';
  // Only non-default null placement is worth stating: DESC implies NULLS FIRST.
  const odd = nulls && (desc ? nulls === 'last' : nulls === 'first') ? ` nulls ${nulls}` : '';
  return `${col.name}${desc ? ' desc' : ''}${odd}`;
}

export function tableDocs(): TableDoc[] {
  return Object.entries(tableComments).map(([key, comment]) => {
    const table = (tables as unknown as Record<string, PgTable>)[key]!;
    const config = getTableConfig(table);
    const keyOf = keysOf(table);
    const rulesByColumn = new Map<string, string[]>();
    const crossRules: TableDoc['crossRules'] = [];
    for (const check of config.checks) {
      const rule = ruleOf(check);
      if (!rule) {
        crossRules.push({ name: check.name, text: sqlText(check.value) });
        continue;
      }
      const cols = [...columnsReadBy(rule.expr)];
      if (cols.length === 1) {
        const list = rulesByColumn.get(cols[0]!.name) ?? [];
        list.push(sentence(rule.expr));
        rulesByColumn.set(cols[0]!.name, list);
      } else {
        crossRules.push({ name: rule.name, text: sentence(rule.expr) });
      }
    }
    const notes = tableColumnNotes[key as keyof typeof tableColumnNotes];
    const columns = config.columns.map((c): ColumnDoc => {
      const note = notes[keyOf.get(c.name) ?? c.name];
      const type = c.getSQLType();
      const appDefault = c.defaultFn ? literal(c.defaultFn(), type) : undefined;
      return {
        name: c.name,
        key: keyOf.get(c.name) ?? c.name,
        type,
        notNull: c.notNull,
        primaryKey: c.primary,
        defaultValue: c.default === undefined ? undefined : literal(c.default, type),
        appDefault,
        identity: c.generatedIdentity !== undefined,
        unit: note?.unit,
        rules: [
          ...(rulesByColumn.get(c.name) ?? []),
          ...(note?.setBy ? [`set by trigger ${note.setBy}; writes leave it out`] : []),
        ],
      };
    });
    return {
      name: config.name,
      key,
      comment,
      columns,
      crossRules,
      primaryKey: config.primaryKeys.map((k) => ({ name: k.getName(), columns: k.columns.map(byName) }))[0],
      uniques: config.uniqueConstraints.map((u) => ({ name: u.getName() ?? '', columns: u.columns.map(byName) })),
      indexes: config.indexes.map((i) => ({
        name: i.config.name ?? '',
        unique: i.config.unique,
        method: i.config.method ?? 'btree',
        columns: i.config.columns.map(indexColumn),
        where: i.config.where && sqlText(i.config.where),
      })),
      foreignKeys: config.foreignKeys.map((f) => {
        const ref = f.reference();
        return {
          name: f.getName(),
          columns: ref.columns.map(byName),
          table: getTableConfig(ref.foreignTable).name,
          foreignColumns: ref.foreignColumns.map(byName),
          onDelete: f.onDelete ?? 'no action',
        };
      }),
    };
  });
}
