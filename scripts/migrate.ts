/** `npm run db:migrate [tag]`: `iftb-db migrate` on DATABASE_URL, else ./.pgdata (PGlite). */
import { runCli } from '../src/cli.ts';

const to = process.argv[2];
process.exitCode = await runCli(['migrate', ...(to ? ['--to', to] : [])], {
  env: { PGLITE_DIR: './.pgdata', ...process.env },
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
