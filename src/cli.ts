/**
 * The `iftb-db` command: a subcommand dispatcher, so deploy tooling gets one
 * entry point. Each command reads its database from the environment
 * (DATABASE_URL, else PGLITE_DIR for an embedded PGlite folder).
 */
import { close, createDb, type Db } from './db.ts';
import { migrate } from './migrate.ts';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

type Command = { summary: string; run(args: string[], io: CliIo): Promise<number> };

/** DATABASE_URL (postgres.js), else PGLITE_DIR (PGlite, loaded only then). */
async function openDatabase(io: CliIo): Promise<Db> {
  const onNotice = (m: string) => io.out(`NOTICE: ${m}`);
  if (io.env.DATABASE_URL) return createDb(io.env.DATABASE_URL, { max: 1, onNotice });
  if (io.env.PGLITE_DIR) {
    const { createPgliteDb } = await import('./pglite.ts');
    return createPgliteDb(io.env.PGLITE_DIR);
  }
  throw new Error('set DATABASE_URL (postgres://...) or PGLITE_DIR (an embedded PGlite folder)');
}

async function withDatabase(io: CliIo, work: (db: Db) => Promise<number>): Promise<number> {
  const db = await openDatabase(io);
  try {
    return await work(db);
  } finally {
    await close(db);
  }
}

export const commands: Record<string, Command> = {
  migrate: {
    summary: 'migrate [--to <tag>]  apply pending library migrations (advisory lock, one transaction)',
    run: (args, io) =>
      withDatabase(io, async (db) => {
        const at = args.indexOf('--to');
        const { applied } = await migrate(db, at >= 0 ? { to: args[at + 1] } : {});
        io.out(applied.length ? `applied ${applied.length}: ${applied.join(', ')}` : 'nothing to apply');
        return 0;
      }),
  },
  adopt: {
    summary:
      "adopt [--dry-run] [--quarantine] [--url=...]  bring a database built by the seed's psql migrations to this schema",
    run: async (args, io) => (await import('./adopt/cli.ts')).adoptCommand(args, io),
  },
};

function usage(io: CliIo): void {
  io.err(
    'usage: iftb-db <command>\n' +
      Object.values(commands)
        .map((c) => `  ${c.summary}`)
        .join('\n'),
  );
}

/** Runs one command; returns the process exit code. Errors are printed in full, never thrown. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    usage(io);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    // MigrationError's message already carries the migration, statement and SQLSTATE.
    io.err(e instanceof Error ? e.message : String(e));
    return 1;
  }
}
