/**
 * `npm start`: the whole library at work in one command, with no server and
 * no settings. Opens the demo database (database.ts), applies the bundled
 * migrations with migrate(db), plays a deterministic three-day trading
 * session (session.ts) and prints the daily P&L, v_risk_summary and
 * v_market_data_summary.
 */
import { sql } from 'drizzle-orm';
import { migrate } from '../src/migrate.ts';
import { readMigrations } from '../src/migration-files.ts';
import { withDemoDatabase } from './database.ts';
import { say, section } from './print.ts';
import { dailyPnlReport, marketSummaryReport, riskSummaryReport, rowCountsReport } from './reports.ts';
import { playSession } from './session.ts';

const started = performance.now();
const seconds = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;
/** Midnight UTC of the current day: the session's last day is today, so v_risk_summary has a "today". */
const today = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);

say('@iftb/db demo: a deterministic three-day futures trading session (seeded prices, fixed times of day)');

await withDemoDatabase(async (db, target) => {
  say(`Database: ${target.label}`);
  for (const note of target.notes) say(`   ${note}`);

  // PGlite starts lazily: its first start (initdb of a fresh folder) is the slowest step of the demo.
  say('   starting ...');
  let t = performance.now();
  await db.execute(sql`SELECT 1`);
  say(`   ready in ${seconds(t)}`);

  section('Migrations');
  say(`   applying ${readMigrations().length} migrations with migrate(db) ...`);
  t = performance.now();
  const { applied } = await migrate(db);
  say(`   applied ${applied.length}: ${applied.join(', ') || 'none'} (${seconds(t)})`);

  const days = await playSession(db, today);
  await dailyPnlReport(db, days);
  await riskSummaryReport(db);
  await marketSummaryReport(db);
  await rowCountsReport(db);
});

say(`\nDone in ${seconds(started)}.${process.env.DATABASE_URL ? '' : ' Browse the data: npm run db:studio'}`);
