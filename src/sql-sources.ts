/**
 * The hand-written SQL objects, in dependency order, grouped by the custom
 * migration that first created them. Each file holds the whole definition
 * (CREATE OR REPLACE ... and its COMMENT ON), statements separated by
 * `--> statement-breakpoint`. scripts/sql-objects.ts writes migrations from
 * these files and checks that the migrated database matches them.
 */
export const sqlSources = {
  /** Trigger functions and their CREATE TRIGGERs (src/functions/triggers). */
  triggers: [] as string[],
  /** SQL functions (src/functions). */
  functions: [] as string[],
  /** Views, dependencies first (src/views). */
  views: [] as string[],
  /** Roles and grants (src/roles). */
  roles: [] as string[],
} satisfies Record<string, string[]>;

export type SqlSourceGroup = keyof typeof sqlSources;
