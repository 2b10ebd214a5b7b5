// The bot's own tables, next to the library's: a foreign key to trades.id
// and a relation from the bot's table to the library's (relations() on a
// library table would replace the library's own relations in the types). Only this file is the bot's drizzle-kit schema, so
// generate never emits a library table (it sees `trades` only as a reference).
import { relations } from 'drizzle-orm';
import { bigint, index, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { trades } from '@iftb/db/schema';

export const tradeNotes = pgTable(
  'trade_notes',
  {
    id: serial('id').primaryKey(),
    tradeId: bigint('trade_id', { mode: 'number' })
      .notNull()
      .references(() => trades.id, { onDelete: 'cascade' }),
    note: text('note').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('trade_notes_trade_id_idx').on(t.tradeId)],
);

export const tradeNotesRelations = relations(tradeNotes, ({ one }) => ({
  trade: one(trades, { fields: [tradeNotes.tradeId], references: [trades.id] }),
}));

// Added in the bot's second release.
export const tradeTags = pgTable('trade_tags', {
  id: serial('id').primaryKey(),
  tradeId: bigint('trade_id', { mode: 'number' })
    .notNull()
    .references(() => trades.id),
  tag: text('tag').notNull(),
});
