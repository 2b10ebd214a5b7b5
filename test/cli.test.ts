/** The `iftb-db` command: a subcommand dispatcher whose migrate prints what it applied or the full error. */
import { describe, expect, it } from 'vitest';
import { commands, runCli, type CliIo } from '../src/cli.ts';
import { readMigrations } from '../src/migration-files.ts';
import { emptyDatabase } from './support/db.ts';

function io(env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l) };
  return { io: value, out, err };
}

describe('iftb-db', () => {
  it('lists its commands and exits 2 on an unknown one', async () => {
    const { io: cli, err } = io({});
    expect(await runCli(['nope'], cli)).toBe(2);
    expect(err.join('\n')).toMatch(/usage: iftb-db <command>\n {2}migrate/);
    expect(Object.keys(commands)).toContain('migrate');
  });

  it('migrate applies everything, then nothing, on DATABASE_URL', async () => {
    const empty = await emptyDatabase();
    try {
      const first = io({ DATABASE_URL: empty.url });
      expect(await runCli(['migrate', '--to', readMigrations()[1]!.tag], first.io)).toBe(0);
      expect(first.out.at(-1)).toBe(
        `applied 2: ${readMigrations()
          .slice(0, 2)
          .map((m) => m.tag)
          .join(', ')}`,
      );
      const rest = io({ DATABASE_URL: empty.url });
      expect(await runCli(['migrate'], rest.io)).toBe(0);
      const again = io({ DATABASE_URL: empty.url });
      expect(await runCli(['migrate'], again.io)).toBe(0);
      expect(again.out.at(-1)).toBe('nothing to apply');
    } finally {
      await empty.drop();
    }
  });

  it('prints the cause and exits 1 when it cannot run', async () => {
    const { io: cli, err } = io({});
    expect(await runCli(['migrate'], cli)).toBe(1);
    expect(err[0]).toMatch(/set DATABASE_URL/);
    const bad = io({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/iftb_no_such_database_w12' });
    expect(await runCli(['migrate'], bad.io)).toBe(1);
    expect(bad.err[0]).toMatch(/iftb_no_such_database_w12/);
  });
});
