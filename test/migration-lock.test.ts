/**
 * Another session holding the migration's advisory lock makes migrate wait
 * at most `lockTimeoutMs`, then fail with a message naming that session.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IftbDbError } from '../src/errors.ts';
import { FunctionArgumentError } from '../src/functions/_arguments.ts';
import {
  DEFAULT_MIGRATION_LOCK_TIMEOUT_MS,
  migrate,
  MIGRATION_LOCK_KEY,
  MigrationLockTimeoutError,
} from '../src/migrate.ts';
import { freshPostgres, type TestDb } from './support/db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await freshPostgres();
});
afterAll(async () => {
  await t.dispose();
});

describe('the migration lock held by another login', () => {
  it('times out after lockTimeoutMs naming the pid, user and application holding it; then migrates once it is free', async () => {
    const squatter = postgres(t.url!, {
      max: 1,
      onnotice: () => {},
      connection: { application_name: 'stuck-deployer' },
    });
    try {
      const [{ pid }] = await squatter<[{ pid: number }]>`SELECT pg_backend_pid() AS pid`;
      await squatter`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
      const started = Date.now();
      const error = await migrate(t.db, { lockTimeoutMs: 400 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const waited = Date.now() - started;
      expect(error).toBeInstanceOf(MigrationLockTimeoutError);
      expect(error).toBeInstanceOf(IftbDbError);
      const { holders, message } = error as MigrationLockTimeoutError;
      expect(holders).toMatchObject([{ pid, user: 'postgres', application: 'stuck-deployer' }]);
      expect(message).toContain(`waited 400 ms for the migration lock`);
      expect(message).toContain(`held by pid ${pid} (user postgres, application "stuck-deployer"`);
      expect(waited).toBeGreaterThanOrEqual(400);
      expect(waited).toBeLessThan(10_000);
      await squatter`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
      expect(await migrate(t.db, { lockTimeoutMs: 400 })).toEqual({ applied: [] });
    } finally {
      await squatter.end();
    }
  });

  it('waits 60 s by default, and refuses a timeout that is not a positive integer', async () => {
    expect(DEFAULT_MIGRATION_LOCK_TIMEOUT_MS).toBe(60_000);
    for (const lockTimeoutMs of [0, -5, 1.5, Number.NaN]) {
      await expect(migrate(t.db, { lockTimeoutMs })).rejects.toThrow(FunctionArgumentError);
    }
  });
});
