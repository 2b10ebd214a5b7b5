/**
 * The tables range-partitioned by UTC calendar month on their time column,
 * declared once. Drizzle has no notion of partitioning (drizzle-kit neither
 * generates nor checks PARTITION BY), so: migration 0019 built them,
 * ensure_partitions()/premake_partitions() accept exactly these, db:check
 * compares this list with the migrated catalog, and the docs show it.
 * Partition `<table>_pYYYYMM` holds [YYYY-MM-01 00:00 UTC, next month);
 * there is no default partition.
 */
export const monthlyPartitioned = {
  ohlcv: 'timestamp',
  ohlcv_data: 'timestamp',
  funding_rates: 'timestamp',
  llm_analysis_log: 'created_at',
  system_events: 'created_at',
} as const;

export type PartitionedTable = keyof typeof monthlyPartitioned;

/** The partition of `table` holding `month` (any instant in it): `<table>_pYYYYMM`, years before 1 suffixed `bc`. */
export function partitionName(table: PartitionedTable, month: Date): string {
  const year = month.getUTCFullYear();
  const bc = year < 1;
  const shown = bc ? 1 - year : year;
  return `${table}_p${String(shown).padStart(4, '0')}${String(month.getUTCMonth() + 1).padStart(2, '0')}${bc ? 'bc' : ''}`;
}
