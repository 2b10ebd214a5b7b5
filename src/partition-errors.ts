/**
 * Every query of a Db built by this library (and of its transactions) reports
 * a write into a month without a partition as MissingPartitionError, naming
 * the table, the month and the remedy, instead of PostgreSQL's bare "no
 * partition of relation ... found for row" under Drizzle's wrapper. Done on
 * the Drizzle session, the one layer every driver's queries pass: its
 * prepared queries, and the session of each transaction it opens.
 */
import { missingPartitionOf } from './errors.ts';

type Fn = (...args: unknown[]) => unknown;
const rethrow = (e: unknown): never => {
  throw missingPartitionOf(e) ?? e;
};
const RUNS = new Set<PropertyKey>(['execute', 'all', 'values', 'get']);

/** A prepared query whose runs map the error. */
function preparedQuery(query: object): object {
  return new Proxy(query, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (!RUNS.has(key) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as Fn).apply(receiver, args);
        return result instanceof Promise ? result.catch(rethrow) : result;
      };
    },
  });
}

/** A transaction (any driver's PgTransaction) whose queries, and nested transactions', map the error. */
function transaction<T extends object>(tx: T): T {
  const t = tx as T & { session: object; transaction: Fn };
  t.session = session(t.session);
  const nested = t.transaction.bind(t);
  t.transaction = (work: unknown, ...rest: unknown[]) =>
    nested((inner: object) => (work as Fn)(transaction(inner)), ...rest);
  return tx;
}

function session<S extends object>(s: S): S {
  return new Proxy(s, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (key === 'prepareQuery')
        return (...args: unknown[]) => preparedQuery((value as Fn).apply(receiver, args) as object);
      if (key === 'transaction') {
        return (work: unknown, ...rest: unknown[]) =>
          (value as Fn).call(receiver, (tx: object) => (work as Fn)(transaction(tx)), ...rest);
      }
      return value;
    },
  });
}

/** Install the mapping on a Drizzle database (a no-op for a wrapper without its own session, e.g. withReplicas). */
export function mapMissingPartitions(db: unknown): void {
  const d = db as { session?: object; _?: { session?: object } };
  if (!d.session || typeof d.session !== 'object') return;
  d.session = session(d.session);
  if (d._ && typeof d._ === 'object') d._.session = d.session;
}
