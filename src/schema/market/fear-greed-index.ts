/**
 * The fear_greed_index table: Crypto Fear & Greed Index readings.
 *
 * Triggers acting on it (SQL in src/triggers/, attached by the
 * migrations): fear_greed_index_classify (classify_fear_greed, BEFORE INSERT OR UPDATE: sets classification).
 */
import { sql } from 'drizzle-orm';
import { index, pgTable, unique, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id, indexPoints, notesOf, oneOf, timestamptz, withNote } from '../_columns.ts';
import { columnChecks } from '../_rules.ts';
import { FEAR_GREED_CLASSES } from '../enums.ts';

/** COMMENT ON TABLE text (scripts/sql-objects.ts writes it). */
export const fearGreedIndexComment =
  'Crypto Fear & Greed Index readings (0-100); classification is derived from value by trigger.';

const fearGreedIndexColumns = {
  id: id(),
  timestamp: timestamptz('timestamp').notNull(),
  value: indexPoints('value').notNull(),
  /** Derived from `value`; inserts send NULL and the trigger fills it in before NOT NULL is checked. */
  classification: withNote(oneOf('classification', FEAR_GREED_CLASSES), {
    setBy:
      'classify_fear_greed, from value (<=25 extreme_fear, <=45 fear, <=55 neutral, <=75 greed, else extreme_greed)',
  })
    .notNull()
    .$defaultFn(() => sql`NULL`),
  valueYesterday: indexPoints('value_yesterday'),
  valueLastWeek: indexPoints('value_last_week'),
  valueLastMonth: indexPoints('value_last_month'),
  volatilityScore: indexPoints('volatility_score'),
  marketMomentumScore: indexPoints('market_momentum_score'),
  socialMediaScore: indexPoints('social_media_score'),
  surveysScore: indexPoints('surveys_score'),
  dominanceScore: indexPoints('dominance_score'),
  trendsScore: indexPoints('trends_score'),
  dataSource: varchar('data_source', { length: 50 }).default('alternative.me'),
  ...createdAt,
};

/** Units, ranges and trigger-set columns of fear_greed_index, read off its column builders (see notesOf in _columns.ts). */
export const fearGreedIndexColumnNotes = notesOf(fearGreedIndexColumns);

/** Crypto Fear & Greed Index readings (seed 004). */
export const fearGreedIndex = pgTable('fear_greed_index', fearGreedIndexColumns, (t) => [
  // One reading per instant; scanned backward it also serves "latest reading"
  // (get_latest_fear_greed), so the reference's timestamp desc index is dropped.
  unique('fear_greed_index_timestamp_key').on(t.timestamp),
  index('fear_greed_index_value_idx').on(t.value),
  index('fear_greed_index_classification_idx').on(t.classification),
  index('fear_greed_index_created_idx').on(t.createdAt.desc().nullsFirst()),
  index('fear_greed_index_fear_time_idx')
    .on(t.timestamp.desc().nullsFirst())
    .where(sql`${t.classification} IN ('extreme_fear', 'fear')`),
  index('fear_greed_index_greed_time_idx')
    .on(t.timestamp.desc().nullsFirst())
    .where(sql`${t.classification} IN ('extreme_greed', 'greed')`),
  ...columnChecks('fear_greed_index', t, fearGreedIndexColumnNotes),
]);

export type FearGreedIndex = typeof fearGreedIndex.$inferSelect;
/** Without classification: the trigger sets it (the insert schema refuses it too). */
export type NewFearGreedIndex = Omit<typeof fearGreedIndex.$inferInsert, 'classification'>;
