/** Starts (or finds) the server once and migrates a template database that every test file clones. */
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { close, createDb } from '../../src/db.ts';
import { migrate } from '../../src/migrate.ts';
import { ensureTestMonths } from './test-months.ts';
import { startServer, withDatabase } from '../../scripts/pg-server.ts';
import { adoptedTemplate } from './legacy.ts';
import { missingPgbouncer, startPgbouncer, type Pooler } from './cluster.ts';

/** PgBouncer (transaction pooling) in front of the test server, for the 'pgbouncer' target. */
async function startPooler(adminUrl: string): Promise<Pooler | undefined> {
  const missing = missingPgbouncer();
  if (missing) {
    console.warn(`SKIPPED: the behaviour suites' pgbouncer target (${missing})`);
    return undefined;
  }
  const { username, password } = new URL(adminUrl);
  return startPgbouncer(adminUrl, { [decodeURIComponent(username)]: decodeURIComponent(password) });
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
    serverKind: string;
    /** The test server through PgBouncer in transaction mode (any database); '' when PgBouncer is missing. */
    poolerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startServer();
  const templateDb = `iftb_template_${process.pid}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${templateDb}"`);
  await admin.unsafe(`CREATE DATABASE "${templateDb}"`);
  const db = createDb(withDatabase(server.adminUrl, templateDb), { max: 1 });
  try {
    // IFTB_TEST_TEMPLATE=adopted: every suite runs on an adopted legacy database instead (emptied, sequences kept).
    if (process.env.IFTB_TEST_TEMPLATE === 'adopted') await adoptedTemplate(db);
    else await migrate(db);
    await ensureTestMonths(db);
  } finally {
    await close(db);
  }
  project.provide('adminUrl', server.adminUrl);
  project.provide('templateDb', templateDb);
  project.provide('serverKind', server.kind);
  const pooler = await startPooler(server.adminUrl);
  const { username, password } = new URL(server.adminUrl);
  project.provide(
    'poolerUrl',
    pooler?.url('postgres', decodeURIComponent(username), decodeURIComponent(password)) ?? '',
  );
  return async () => {
    await pooler?.stop();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${templateDb}" WITH (FORCE)`);
    await admin.end();
    await server.stop();
  };
}
