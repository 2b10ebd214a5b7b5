/**
 * The insert, update and select schemas of every table, from one loop over
 * src/schema/tables.ts, each built on first use (see lazy.ts).
 */
import { tableColumnNotes } from '../schema/column-notes.ts';
import { tableSchemas, type TableSchemas } from './factory.ts';
import { lazy, memoise } from './lazy.ts';
import { tableNames, tables, type TableName, type TableOf } from './table-list.ts';

const built = memoise((name: TableName) => tableSchemas(name, tables[name], tableColumnNotes[name]));
const kinds = ['insert', 'update', 'select'] as const;

/** The three schemas of every table, keyed by the table's export name. */
export const schemasByTable = Object.fromEntries(
  tableNames.map((name) => [
    name,
    Object.fromEntries(kinds.map((kind) => [kind, lazy(() => built(name)[kind] as object)])),
  ]),
) as unknown as { [N in TableName]: TableSchemas<TableOf<N>> };
