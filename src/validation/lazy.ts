/**
 * Stand-ins for objects built on first use, so importing the validation
 * entry builds no zod schema (drizzle-zod plus prepared CHECK rules cost
 * about 15 MiB and a few hundred ms for all 54). The stand-in answers every
 * property, `in` and `instanceof` from the real object, and its methods run
 * on the real object, so it behaves as the schema itself.
 */
type AnyFunction = (...args: unknown[]) => unknown;

export function lazy<T extends object>(build: () => T): T {
  let real: T | undefined;
  const target = () => (real ??= build());
  const bound = new WeakMap<AnyFunction, AnyFunction>();
  return new Proxy(Object.create(null) as T, {
    get(_, key) {
      const r = target();
      const value: unknown = Reflect.get(r, key, r);
      if (typeof value !== 'function') return value;
      let method = bound.get(value as AnyFunction);
      if (!method) bound.set(value as AnyFunction, (method = (value as AnyFunction).bind(r)));
      return method;
    },
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    // Reported configurable: a proxy may not claim a fixed property its (empty) target lacks.
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
  });
}

/** A function of one key computed once per key. */
export function memoise<K, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key)!;
  };
}
