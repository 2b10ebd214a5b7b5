/**
 * Throwaway PostgreSQL 15 servers (a primary, hot standbys from
 * pg_basebackup) and PgBouncer, from the Debian packages, on free ports in
 * temp dirs. As root every binary runs as the `postgres` OS user, since
 * PostgreSQL and PgBouncer refuse to run as root. Never touches port 5432.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort } from '../../scripts/pg-server.ts';

const run = promisify(execFile);
const PG_BIN = process.env.IFTB_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PGBOUNCER = process.env.IFTB_PGBOUNCER ?? '/usr/sbin/pgbouncer';
const asRoot = userInfo().uid === 0;

/** Why servers cannot be started here, or undefined when they can. */
export function missingPostgres(): string | undefined {
  if (!existsSync(join(PG_BIN, 'pg_ctl')))
    return `no PostgreSQL binaries in ${PG_BIN} (Debian: apt-get install postgresql-15)`;
  if (asRoot && (!existsSync('/usr/sbin/runuser') || !/^postgres:/m.test(readFileSync('/etc/passwd', 'utf8')))) {
    return 'running as root without runuser and a postgres OS user to run the servers as';
  }
  return undefined;
}

/** Why PgBouncer cannot be started here, or undefined when it can. */
export function missingPgbouncer(): string | undefined {
  return existsSync(PGBOUNCER) ? missingPostgres() : `no ${PGBOUNCER} (Debian: apt-get install pgbouncer)`;
}

/** Runs a binary, as the postgres OS user when we are root. */
async function runAs(command: string, args: string[]): Promise<string> {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  try {
    return (await run(file, argv, { maxBuffer: 16 << 20 })).stdout;
  } catch (e) {
    const { stderr, stdout } = e as { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr || stdout || (e as Error).message}`);
  }
}

/** A temp dir owned by whoever runs the servers. */
function tempDir(label: string): string {
  const dir = join('/tmp', `iftb-${label}-${randomBytes(5).toString('hex')}`);
  mkdirSync(dir, { mode: 0o700 });
  if (asRoot) chownSync(dir, ...postgresUser());
  return dir;
}

/** uid and gid of the postgres OS user. */
function postgresUser(): [number, number] {
  const ids = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'))
    ?.split(':');
  if (!ids) throw new Error('no postgres OS user to run the servers as');
  return [Number(ids[2]), Number(ids[3])];
}

export interface PgNode {
  readonly port: number;
  readonly dataDir: string;
  /** URL of `database` on this node as `user` (trust auth on 127.0.0.1). */
  url(database?: string, user?: string): string;
  /** `fast` = clean shutdown; `immediate` = like a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Ends a standby's recovery: it becomes a read-write primary. */
  promote(): Promise<void>;
  /** Stops the server if running and deletes its directory. */
  destroy(): Promise<void>;
}

// Small and fast: a test server, not a production one.
const SERVER_SETTINGS = {
  listen_addresses: '127.0.0.1',
  shared_buffers: '16MB',
  fsync: 'off',
  full_page_writes: 'off',
  max_connections: '60',
  wal_level: 'replica',
  max_wal_senders: '4',
  hot_standby: 'on',
  wal_receiver_status_interval: '1s',
  log_min_messages: 'warning',
};

function node(dir: string, port: number): PgNode {
  const dataDir = join(dir, 'data');
  const ctl = (...args: string[]) => runAs(join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-w', '-t', '60', ...args]);
  let running = true;
  return {
    port,
    dataDir,
    url: (database = 'postgres', user = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${database}`,
    stop: async (mode = 'fast') => {
      await ctl('stop', '-m', mode);
      running = false;
    },
    promote: async () => {
      await ctl('promote');
    },
    destroy: async () => {
      if (running) await ctl('stop', '-m', 'immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startNode(dir: string, port: number, settings: Record<string, string>): Promise<PgNode> {
  const conf = Object.entries({ ...SERVER_SETTINGS, ...settings, port: String(port), unix_socket_directories: dir })
    .map(([k, v]) => `${k} = '${v}'`)
    .join('\n');
  const dataDir = join(dir, 'data');
  writeFileSync(
    join(dataDir, 'postgresql.conf'),
    `${readFileSync(join(dataDir, 'postgresql.conf'), 'utf8')}\n${conf}\n`,
  );
  await runAs(join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-w', '-t', '60', '-l', join(dir, 'server.log'), 'start']);
  return node(dir, port);
}

/** A new primary, ready for standbys (wal_level replica, trust for replication on 127.0.0.1). */
export async function startPrimary(): Promise<PgNode> {
  const dir = tempDir('cluster-primary');
  await runAs(join(PG_BIN, 'initdb'), [
    '-D',
    join(dir, 'data'),
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  return startNode(dir, await freePort(), { cluster_name: 'primary' });
}

/**
 * A hot standby of `primary`, streaming from it (pg_basebackup -R), named
 * `name`. `synchronous`: the primary then acknowledges a commit only once
 * this standby has flushed it, so an acknowledged commit survives a failover.
 */
export async function startStandby(primary: PgNode, name: string, { synchronous = false } = {}): Promise<PgNode> {
  const dir = tempDir('cluster-standby');
  await runAs(join(PG_BIN, 'pg_basebackup'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    join(dir, 'data'),
    '-R',
    '-X',
    'stream',
    '--checkpoint=fast',
    '--no-sync',
  ]);
  // cluster_name doubles as the walreceiver's application_name (synchronous_standby_names matches it).
  const standby = await startNode(dir, await freePort(), { cluster_name: name });
  const admin = postgres(primary.url(), { max: 1, onnotice: () => {} });
  try {
    if (synchronous) {
      await admin.unsafe(`ALTER SYSTEM SET synchronous_standby_names = '"${name}"'`);
      await admin`SELECT pg_reload_conf()`;
    }
    for (let i = 0; ; i++) {
      const [row] = await admin`SELECT state, sync_state FROM pg_stat_replication WHERE application_name = ${name}`;
      if (row?.state === 'streaming' && (!synchronous || row.sync_state === 'sync')) break;
      if (i === 300) throw new Error(`standby ${name} does not stream from the primary`);
      await sleep(100);
    }
  } finally {
    await admin.end();
  }
  return standby;
}

export interface Pooler {
  readonly port: number;
  /** URL of `database` through the pooler. */
  url(database: string, user: string, password?: string): string;
  stop(): Promise<void>;
}

/**
 * PgBouncer in transaction pooling mode in front of `upstream`
 * (`postgres://user:password@host:port/...`): any database, the listed
 * users. Clients are trusted (a test pooler); the plain passwords are what
 * PgBouncer logs in upstream with (SCRAM or md5).
 */
export async function startPgbouncer(
  upstream: string,
  users: Record<string, string>,
  { poolSize = 4 } = {},
): Promise<Pooler> {
  reapOrphanedPgbouncers();
  const dir = tempDir('cluster-pgbouncer');
  // Which test process owns this pooler: a run killed before its teardown leaves a daemon the next run stops.
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const port = await freePort();
  const target = new URL(upstream);
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  writeFileSync(
    join(dir, 'users.txt'),
    Object.entries(users)
      .map(([u, p]) => `${quote(u)} ${quote(p)}`)
      .join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432}`,
      '[pgbouncer]',
      `listen_addr = 127.0.0.1`,
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 200',
      'server_idle_timeout = 10',
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
    ].join('\n') + '\n',
  );
  if (asRoot) for (const f of ['users.txt', 'pgbouncer.ini']) chownSync(join(dir, f), ...postgresUser());
  await runAs(PGBOUNCER, ['-d', join(dir, 'pgbouncer.ini')]);
  await waitForPort(port);
  return {
    port,
    url: (database, user, password = users[user]) =>
      `postgres://${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      const pid = Number(readFileSync(join(dir, 'pgbouncer.pid'), 'utf8'));
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        /* already gone */
      }
      for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stops the PgBouncer daemons of earlier test processes that died before stopping them. */
function reapOrphanedPgbouncers(): void {
  for (const name of readdirSync('/tmp').filter((n) => n.startsWith('iftb-cluster-pgbouncer-'))) {
    const dir = join('/tmp', name);
    const read = (file: string) => Number(existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : NaN);
    const owner = read('owner.pid');
    if (!Number.isInteger(owner) || alive(owner)) continue;
    const pid = read('pgbouncer.pid');
    if (Number.isInteger(pid) && alive(pid)) process.kill(pid, 'SIGINT');
    rmSync(dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}
