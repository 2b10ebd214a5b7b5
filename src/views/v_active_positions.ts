/** The v_active_positions view, typed for the query builder (SQL in ./v_active_positions.sql). */
import { pgView } from 'drizzle-orm/pg-core';
import { minutes, notesOf, score } from '../schema/_columns.ts';
import { positionColumns } from '../schema/position-columns.ts';

const vActivePositionsColumns = {
  ...positionColumns(),
  /** From the linked trade; null without one. */
  signalScore: score('signal_score'),
  technicalScore: score('technical_score'),
  llmScore: score('llm_score'),
  /** Whole minutes since entry_time, rounded down. */
  minutesHeld: minutes('minutes_held').notNull(),
};

/** Units of v_active_positions's columns, read off its column builders (see notesOf in _columns.ts). */
export const vActivePositionsColumnNotes = notesOf(vActivePositionsColumns);

/** Every open position with its linked trade's scores and how long it has been held. */
export const vActivePositions = pgView('v_active_positions', vActivePositionsColumns).existing();

export type ActivePositionsRow = typeof vActivePositions.$inferSelect;
