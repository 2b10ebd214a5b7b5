/**
 * The adopt command: `npm run db:adopt -- [--dry-run] [--quarantine]` (and
 * `npx iftb-db adopt ...`, dispatched by src/cli.ts). Returns the exit code.
 */
import { close, createDb } from '../db.ts';
import { adoptLegacyDatabase, AdoptionRefusedError } from './adopt.ts';

export const ADOPT_USAGE = `usage: adopt [--dry-run] [--quarantine] [--url=postgres://...]
  Brings a database built by the seed's psql migrations 001-004 to the library's schema
  in one transaction, keeping every row and id. DATABASE_URL (or --url) names the database.
  --dry-run     print the plan and the row report, change nothing
  --quarantine  move rows that break the library's rules to schema iftb_quarantine instead of refusing`;

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

const consoleIo: CommandIo = { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env };

export async function adoptCommand(args: string[], io: CommandIo = consoleIo): Promise<number> {
  const flags = new Set(args.filter((a) => !a.startsWith('--url=')));
  const unknown = [...flags].filter((a) => !['--dry-run', '--quarantine', '--help', '-h'].includes(a));
  if (unknown.length || flags.has('--help') || flags.has('-h')) {
    (unknown.length ? io.err : io.out)(
      `${unknown.length ? `unknown argument ${unknown.join(' ')}\n` : ''}${ADOPT_USAGE}`,
    );
    return unknown.length ? 2 : 0;
  }
  const url = args.find((a) => a.startsWith('--url='))?.slice('--url='.length) ?? io.env.DATABASE_URL;
  if (!url) {
    io.err(`adopt needs a server: set DATABASE_URL or pass --url=postgres://...\n${ADOPT_USAGE}`);
    return 2;
  }
  const db = createDb(url, { max: 1, onNotice: (m) => io.out(`NOTICE: ${m}`) });
  try {
    await adoptLegacyDatabase(db, {
      dryRun: flags.has('--dry-run'),
      quarantine: flags.has('--quarantine'),
      log: io.out,
    });
    return 0;
  } catch (e) {
    io.err(
      e instanceof AdoptionRefusedError
        ? e.message
        : `adoption failed, nothing changed: ${e instanceof Error ? e.message : String(e)}`,
    );
    return 1;
  } finally {
    await close(db);
  }
}
