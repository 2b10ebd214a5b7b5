/**
 * The bench's server and databases: DATABASE_URL, else an embedded server
 * (scripts/pg-server.ts), with a fresh `iftb_bench` database (and others,
 * `iftb_bench_<suffix>`, for the big reads and section 4) migrated by our
 * migrator and dropped at the end. Also describes the machine.
 */
import { cpus, totalmem } from 'node:os';
import postgres from 'postgres';
import { close, createDb, type Db } from '../src/db.ts';
import { migrate, type MigrateOptions } from '../src/migrate.ts';
import { startServer, withDatabase, type PgServer } from '../scripts/pg-server.ts';

/**
 * Every database the bench creates is named after this prefix (BENCH_DB_PREFIX,
 * default iftb_bench), so two runs on one shared server can keep apart: the
 * bench drops its databases by name, first and last.
 */
export const BENCH_DB = process.env.BENCH_DB_PREFIX || 'iftb_bench';

export interface BenchDatabase {
  /** Drizzle over postgres.js, as the bot uses it. */
  db: Db;
  /** A raw postgres.js client (COPY, timing loops), one connection. */
  sql: postgres.Sql;
}

export interface Bench extends BenchDatabase {
  server: PgServer;
  /**
   * Another fresh database on the same server, named `${BENCH_DB}_${suffix}`,
   * migrated (up to `to` when given), dropped by dispose().
   */
  openDatabase(suffix: string, options?: Pick<MigrateOptions, 'to'>): Promise<BenchDatabase>;
  dispose(): Promise<void>;
}

const quiet = { onnotice: () => {} };

export interface BenchOptions {
  /** jit for every bench database (ALTER DATABASE ... SET jit); default: the server's setting. */
  jit?: 'on' | 'off';
}

export async function openBench(benchOptions: BenchOptions = {}): Promise<Bench> {
  const server = await startServer();
  const admin = postgres(server.adminUrl, { max: 1, ...quiet });
  const opened: { name: string; db: Db; sql: postgres.Sql }[] = [];
  const create = async (name: string, options: Pick<MigrateOptions, 'to'> = {}): Promise<BenchDatabase> => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    if (benchOptions.jit) await admin.unsafe(`ALTER DATABASE "${name}" SET jit = ${benchOptions.jit}`);
    const url = withDatabase(server.adminUrl, name);
    const db = createDb(url, { max: 2 });
    await migrate(db, options);
    const sql = postgres(url, { max: 1, ...quiet });
    opened.push({ name, db, sql });
    return { db, sql };
  };
  const openDatabase = (suffix: string, options?: Pick<MigrateOptions, 'to'>) =>
    create(`${BENCH_DB}_${suffix}`, options);
  const main = await create(BENCH_DB);
  return {
    ...main,
    server,
    openDatabase,
    dispose: async () => {
      for (const { name, db, sql } of opened) {
        await close(db);
        await sql.end();
        await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
      await admin.end();
      await server.stop();
    },
  };
}

/** One line naming the machine and the server, for the report. */
export async function describeMachine(bench: Bench): Promise<string> {
  const [row] = await bench.sql<
    { version: string; shared_buffers: string; fsync: string; synchronous_commit: string; jit: string }[]
  >`
    SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers,
           current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit,
           current_setting('jit') AS jit`;
  const cpu = cpus();
  return (
    `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; ` +
    `Node ${process.version}; PostgreSQL ${row!.version} (${bench.server.kind}; shared_buffers ${row!.shared_buffers}, ` +
    `fsync ${row!.fsync}, synchronous_commit ${row!.synchronous_commit}, jit ${row!.jit})`
  );
}
