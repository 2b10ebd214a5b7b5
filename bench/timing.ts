/** Clocks for the bench: server-side query timings, client round trips, memory peaks. */
import type postgres from 'postgres';

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Wall time of `f` in milliseconds, and its result. */
export async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

let loopNumber = 0;

/**
 * Per-execution times (ms) of `query`, measured inside the server: a PL/pgSQL
 * loop runs it `n` times with a cached plan (as a prepared statement would)
 * and reads clock_timestamp() around each run. No network, no driver.
 * `query` must be a SELECT; all its rows and columns are computed.
 */
export async function serverTimes(sql: postgres.Sql, query: string, n: number): Promise<number[]> {
  const fn = `pg_temp.bench_loop_${++loopNumber}`;
  await sql.unsafe(`CREATE FUNCTION ${fn}(n int) RETURNS float8[] LANGUAGE plpgsql AS $bench$
    DECLARE t0 timestamptz; out float8[] := '{}';
    BEGIN
      FOR i IN 1..n LOOP
        t0 := clock_timestamp();
        PERFORM * FROM (${query}) q;
        out := out || (extract(epoch FROM clock_timestamp() - t0) * 1000)::float8;
      END LOOP;
      RETURN out;
    END $bench$`);
  const [row] = await sql.unsafe<{ times: number[] }[]>(`SELECT ${fn}($1) AS times`, [n]);
  return row!.times.map(Number);
}

/** Per-call round-trip times (ms) of `query` as a named prepared statement over one connection. */
export async function clientTimes(sql: postgres.Sql, query: string, n: number): Promise<number[]> {
  await sql.unsafe(query, [], { prepare: true });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await sql.unsafe(query, [], { prepare: true });
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Peak memory while `f` runs: the largest RSS and heapUsed seen by a 10 ms
 * sampler, plus the kernel's peak RSS of the process (which never resets).
 */
export async function withMemoryPeak<T>(
  f: () => Promise<T>,
): Promise<{ value: T; rss: number; heapUsed: number; maxRss: number; before: NodeJS.MemoryUsage }> {
  let rss = 0;
  let heapUsed = 0;
  const before = process.memoryUsage();
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heapUsed = Math.max(heapUsed, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 10);
  try {
    const value = await f();
    sample();
    return { value, rss, heapUsed, maxRss: process.resourceUsage().maxRSS * 1024, before };
  } finally {
    clearInterval(timer);
  }
}
