/** Type-level and runtime views of the table list the validation layer loops over. */
import { is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import * as schemaTables from '../schema/tables.ts';

type Exports = typeof schemaTables;
/** Export name of every table (`ohlcvData`, `trades`, ...). */
export type TableName = { [K in keyof Exports]: Exports[K] extends PgTable ? K : never }[keyof Exports];
export type TableOf<N extends TableName> = Exports[N];
export type ColumnsOf<T extends PgTable> = T['_']['columns'];

/** Every table, keyed by its export name. */
export const tables = Object.fromEntries(Object.entries(schemaTables).filter(([, value]) => is(value, PgTable))) as {
  [N in TableName]: TableOf<N>;
};

export const tableNames = Object.keys(tables) as TableName[];
