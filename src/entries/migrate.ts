/** `@iftb/db/migrate`: the library's migrations, for deploy code. */
export {
  migrate,
  MigrationError,
  MigrationLockTimeoutError,
  migrationsFolder,
  MIGRATIONS_SCHEMA,
  MIGRATIONS_TABLE,
  DEFAULT_MIGRATION_LOCK_TIMEOUT_MS,
  type LockHolder,
  type MigrateOptions,
  type MigrateResult,
} from '../migrate.ts';
