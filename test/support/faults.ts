/** Fault injection for the connection-loss tests: kill our own backends, and catch what would crash the process. */
import { execFileSync } from 'node:child_process';
import type postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../src/db.ts';

/** The backend pid of a single-connection Db. */
export async function backendPid(db: Db): Promise<number> {
  return rowsOf<{ pid: number }>(await db.execute(sql`SELECT pg_backend_pid() AS pid`))[0]!.pid;
}

/**
 * Wait until backend `pid` of database `database` matches `ready` in
 * pg_stat_activity (for example: running an INSERT, or waiting on a lock),
 * then terminate it. Only that pid, and only in that database: the server
 * may be shared.
 */
export async function terminateWhen(
  admin: postgres.Sql,
  database: string,
  pid: number,
  ready: (activity: { state: string; query: string; wait_event_type: string | null }) => boolean,
  settleMs = 0,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await admin<{ state: string; query: string; wait_event_type: string | null }[]>`
      SELECT state, query, wait_event_type FROM pg_stat_activity WHERE pid = ${pid} AND datname = ${database}`;
    if (row && ready(row)) break;
    if (Date.now() > deadline) throw new Error(`backend ${pid} never became ready (${JSON.stringify(row)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
  if (settleMs) await new Promise((r) => setTimeout(r, settleMs));
  const [killed] = await admin<{ ok: boolean }[]>`
    SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE pid = ${pid} AND datname = ${database}`;
  if (!killed?.ok) throw new Error(`backend ${pid} was gone before it could be terminated`);
}

/**
 * Terminate backend `pid` and wait until it is gone, blocking this process's
 * event loop meanwhile (the kill runs in a child process). Our client
 * therefore has not yet read the server's goodbye when the next query is
 * queued: that query goes to a connection that is already dead, the
 * idle-connection case of a server restart or failover, made certain.
 */
export function terminateUnnoticed(adminUrl: string, pid: number): void {
  const script = `import postgres from 'postgres';
const admin = postgres(process.env.ADMIN_URL, { max: 1, onnotice: () => {} });
const [row] = await admin\`SELECT pg_terminate_backend(\${Number(process.env.PID)}, 10000) AS ok\`;
await admin.end();
if (!row.ok) throw new Error('backend ' + process.env.PID + ' was not terminated');`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('../..', import.meta.url),
    env: { ...process.env, ADMIN_URL: adminUrl, PID: String(pid) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * Collects what would end a plain Node process (uncaught exceptions,
 * unhandled rejections) from `start()` on; `stop()` waits a moment for late
 * ones (postgres.js's crash comes from a setImmediate) and returns them.
 */
export function crashWatch() {
  const crashes: unknown[] = [];
  const onCrash = (e: unknown) => {
    crashes.push(e);
  };
  return {
    start() {
      process.on('uncaughtException', onCrash);
      process.on('unhandledRejection', onCrash);
    },
    async stop(): Promise<unknown[]> {
      await new Promise((r) => setTimeout(r, 300));
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      return crashes.splice(0);
    },
  };
}
