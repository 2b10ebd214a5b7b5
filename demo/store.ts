/**
 * Every write of the demo goes through the tables' zod insert schemas
 * (validateRows), as the bot's writes should: an insert validates the new row,
 * an update validates the whole row it leaves behind (so the rules across
 * columns, such as exit after entry, still hold).
 */
import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Db } from '../src/db.ts';
import { validateRows } from '../src/validation/index.ts';

type Table = PgTable & { id: PgColumn };

export function store(db: Db) {
  async function insert<T extends Table>(
    table: T,
    schema: z.ZodType,
    rows: T['$inferInsert'][],
  ): Promise<T['$inferSelect'][]> {
    const valid = validateRows(schema, rows) as T['$inferInsert'][];
    // Drizzle's generic insert types need a concrete table; the schema did the checking.
    return (await (db.insert(table as PgTable) as any).values(valid).returning()) as T['$inferSelect'][];
  }
  return {
    insert,
    async insertOne<T extends Table>(table: T, schema: z.ZodType, row: T['$inferInsert']): Promise<T['$inferSelect']> {
      return (await insert(table, schema, [row]))[0]!;
    },
    /** Update `current` with `patch`, after validating the resulting row with the insert schema. */
    async update<T extends Table>(
      table: T,
      schema: z.ZodType,
      current: T['$inferSelect'] & { id: number },
      patch: Partial<T['$inferInsert']>,
    ): Promise<T['$inferSelect']> {
      const { id, ...rest } = current as Record<string, unknown>;
      validateRows(schema, [{ ...rest, ...patch }]);
      const rows = await (db.update(table as PgTable) as any).set(patch).where(eq(table.id, id)).returning();
      return rows[0] as T['$inferSelect'];
    },
  };
}

export type Store = ReturnType<typeof store>;
