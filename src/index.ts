/** @iftb/db: typed tables, views, validation, SQL function wrappers and migrations. */
export * from './schema/index.ts';
export * from './views/index.ts';
export * from './functions/index.ts';
export * from './validation/index.ts';
export { createDb, createReplicatedDb, primaryOf, close, rowsOf, type Db, type Schema, type CreateDbOptions, type ReplicatedDbOptions } from './db.ts';
export { migrate, readMigrations, MigrationError, MigrationLockTimeoutError, DEFAULT_MIGRATION_LOCK_TIMEOUT_MS, MIGRATION_LOCK_KEY, migrationsFolder, type LockHolder, type Migration, type MigrateOptions, type MigrateResult } from './migrate.ts';
export { IftbDbError, PositionAlreadyOpenError, ConnectionLostError, databaseErrorOf, connectionLossOf } from './errors.ts';
export { openPosition, type NewOpenPosition } from './trading/open-position.ts';
export { upsertCandles, CandleValidationError, CandleWriteError, DEFAULT_BATCH_SIZE, type CandleTable, type CandleRows, type UpsertCandlesOptions, type UpsertCandlesResult } from './ingest/upsert-candles.ts';
export { adoptLegacyDatabase, AdoptionRefusedError, type AdoptOptions, type AdoptReport, type RowProblem, type TableCount } from './adopt/index.ts';
