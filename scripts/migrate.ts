/** `npm run db:migrate`: migrate DATABASE_URL (or ./.pgdata), printing any failure in full. */
import { close, createDb } from '../src/db.ts';
import { migrate } from '../src/migrate.ts';

const url = process.env.DATABASE_URL;
const db = createDb(url, { dataDir: process.env.PGLITE_DIR ?? './.pgdata', onNotice: (m) => console.log(`NOTICE: ${m}`) });
try {
  const { applied } = await migrate(db, { to: process.argv[2] });
  console.log(applied.length ? `applied ${applied.length}: ${applied.join(', ')}` : 'nothing to apply');
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await close(db);
}
