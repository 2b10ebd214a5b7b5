/**
 * jsonb values: what JSON.stringify (Drizzle's jsonb encoder) writes and
 * PostgreSQL stores without change. Rejected because they would be dropped,
 * changed or refused on the way: undefined (dropped, or null in arrays),
 * functions, symbols, BigInt (throws), NaN and ±Infinity (become null), Dates
 * and other class instances (become strings or {}), array holes, symbol keys,
 * circular references, strings or keys with NUL (refused by jsonb) or unpaired
 * surrogates (refused as \ud800 escapes), nesting deeper than MAX_JSON_DEPTH.
 */
import { z } from 'zod';
import { textProblem } from './text.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Deepest nesting accepted: JSON.stringify, PostgreSQL's jsonb parser and
 * PGlite's result parser all recurse, and fail somewhere between 1,000 and
 * 5,000 levels (measured); no real payload comes near.
 */
export const MAX_JSON_DEPTH = 1000;

export interface JsonProblem {
  path: (string | number)[];
  message: string;
}

const kindOf = (v: unknown) =>
  v === undefined ? 'undefined' : typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v;

/** The first reason `value` is not a JSON value that jsonb stores unchanged. */
export function jsonProblem(
  value: unknown,
  path: (string | number)[] = [],
  parents: object[] = [],
): JsonProblem | undefined {
  switch (typeof value) {
    case 'boolean':
      return undefined;
    case 'string': {
      const problem = textProblem(value);
      return problem ? { path, message: `JSON string ${problem}` } : undefined;
    }
    case 'number':
      return Number.isFinite(value)
        ? undefined
        : { path, message: `${value} is not a JSON number (it would be stored as null)` };
    case 'object': {
      if (value === null) return undefined;
      if (parents.includes(value)) return { path, message: 'circular reference' };
      if (parents.length >= MAX_JSON_DEPTH) {
        return {
          path,
          message: `nested deeper than ${MAX_JSON_DEPTH} arrays/objects (drivers parse JSON recursively and would overflow the stack)`,
        };
      }
      parents.push(value);
      try {
        return Array.isArray(value) ? arrayProblem(value, path, parents) : objectProblem(value, path, parents);
      } finally {
        parents.pop();
      }
    }
    default:
      return { path, message: `${kindOf(value)} is not a JSON value` };
  }
}

function arrayProblem(value: unknown[], path: (string | number)[], parents: object[]): JsonProblem | undefined {
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) return { path: [...path, i], message: 'array hole (it would be stored as null)' };
    const problem = jsonProblem(value[i], [...path, i], parents);
    if (problem) return problem;
  }
  return undefined;
}

function objectProblem(value: object, path: (string | number)[], parents: object[]): JsonProblem | undefined {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    return { path, message: `${kindOf(value)} is not a plain JSON object (JSON.stringify would not keep it as is)` };
  }
  if (Object.getOwnPropertySymbols(value).length)
    return { path, message: 'symbol keys are not JSON (they would be dropped)' };
  for (const key of Object.keys(value)) {
    const keyProblem = textProblem(key);
    if (keyProblem) return { path: [...path, key], message: `JSON key ${keyProblem}` };
    const problem = jsonProblem((value as Record<string, unknown>)[key], [...path, key], parents);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * A jsonb field: any JSON value, then `shape` (the type the schema file gives
 * the column). The value passes through as given, so nothing is stripped
 * (only a null-prototype object at the top becomes an equal plain object).
 */
export function jsonField<T>(shape?: z.ZodType<T>): z.ZodType<T, T> {
  return z.custom<T>().check((payload) => {
    // Nullable columns take null before this runs (drizzle-zod's .nullable());
    // here null would reach a NOT NULL column as SQL NULL.
    if (payload.value === undefined || payload.value === null) {
      payload.issues.push({
        code: 'custom',
        input: payload.value,
        message: `required: a JSON value (${payload.value} is not allowed here)`,
      });
      return;
    }
    const problem = jsonProblem(payload.value);
    if (problem) {
      payload.issues.push({ code: 'custom', input: payload.value, path: problem.path, message: problem.message });
      return;
    }
    // Drizzle's insert cannot take a null-prototype object as a column value
    // (its entity check reads .constructor); a plain copy is the same JSON.
    const value = payload.value as unknown;
    if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === null)
      payload.value = { ...value } as T;
    if (!shape) return;
    const shaped = shape.safeParse(payload.value);
    if (!shaped.success) {
      for (const issue of shaped.error.issues) {
        payload.issues.push({
          code: 'custom',
          input: payload.value,
          path: issue.path as PropertyKey[],
          message: issue.message,
        });
      }
    }
  }) as unknown as z.ZodType<T, T>;
}

// Shapes. Values are already known to be JSON when these run.
/** A JSON object (not an array). */
export const jsonObject = z.record(z.string(), z.unknown());
/** A list of strings. */
export const stringList = z.array(z.string());
/** A list of JSON objects. */
export const objectList = z.array(jsonObject);
/** An object whose values are numbers. */
export const numberRecord = z.record(z.string(), z.number());
