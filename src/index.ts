/**
 * @iftb/db: what a server bot uses at run time: the connection, the tables,
 * views and function wrappers, the guarded writes, migrations and errors.
 * Validation (zod) is `@iftb/db/validation`, loaded only by those who use it;
 * node-postgres and PGlite have their own entry points.
 */
export * from './schema/index.ts';
export * from './views/index.ts';
export * from './functions/index.ts';
export * from './ingest/index.ts';
export {
  createDb,
  createReplicatedDb,
  primaryOf,
  close,
  type Db,
  type AnyDb,
  type Schema,
  type CreateDbOptions,
  type ReplicatedDbOptions,
  type WrapClient,
} from './db.ts';
export {
  migrate,
  MigrationError,
  MigrationLockTimeoutError,
  type LockHolder,
  type MigrateOptions,
  type MigrateResult,
} from './migrate.ts';
export {
  IftbDbError,
  PositionAlreadyOpenError,
  ConnectionLostError,
  MissingPartitionError,
  databaseErrorOf,
  connectionLossOf,
  type DatabaseErrorFields,
} from './errors.ts';
export { ValidationError, type RowIssue } from './validation/rows.ts';
export { openPosition, type NewOpenPosition } from './trading/open-position.ts';
