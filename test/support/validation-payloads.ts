/**
 * Insert payloads for the validation property tests, generated from the
 * column metadata and CHECK rules of each table: a valid seed row, then a few
 * mutations — boundary values per column type (numeric digits at p-s and s and
 * one over, int32 and safe-integer limits, varchar at n and n+1 code points,
 * calendar and timestamp limits, JSON and non-JSON values), value-list near
 * misses, nulls and omissions, rule literals and the units around them, and
 * pairs of columns a rule compares set equal or one unit apart.
 *
 * A candidate value can carry a tag: 'stricter' means the schema rejects it on
 * purpose although PostgreSQL may store it (the documented format rules, typed
 * JSON shapes, unsafe integers); 'trigger' means a trigger replaces the value,
 * so PostgreSQL's verdict says nothing about it.
 */
import fc from 'fast-check';
import { getTableColumns, type Column } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { isTimestamptz } from '../../src/schema/_columns.ts';
import { tableColumnNotes } from '../../src/schema/column-notes.ts';
import * as schemaTables from '../../src/schema/tables.ts';
import { columnsReadBy, keysOf, type Expr } from '../../src/schema/_rules.ts';
import { jsonShapes } from '../../src/validation/json-shapes.ts';
import { MAX_JSON_DEPTH } from '../../src/validation/json.ts';
import { rulesOf } from '../../src/validation/row-checks.ts';
import { fromScaledInteger, numberToDecimal, toScaledInteger } from '../../src/validation/decimal.ts';
import { EARLIEST_TIMESTAMP as EARLIEST, LATEST_TIMESTAMP as LATEST } from '../../src/validation/time.ts';

export type Tag = 'stricter' | 'trigger';
export interface Candidate {
  value: unknown;
  tag?: Tag;
  note?: string;
}
export interface Payload {
  row: Record<string, unknown>;
  tags: Set<Tag>;
  notes: string[];
}
export const OMIT = Symbol('omit');

type Meta = Column & { precision?: number; scale?: number; length?: number; enumValues?: string[] };
type Kind = 'decimal' | 'int' | 'time' | 'other';

const T0 = Date.parse('2024-01-15T12:00:00.000Z');
const c = (value: unknown, tag?: Tag, note?: string): Candidate => ({ value, tag, note });
const constants = (values: unknown[], tag?: Tag, note?: string) =>
  fc.constantFrom(...values.map((v) => c(v, tag, note)));

// ---- column candidates ----------------------------------------------------

function literalsOf(e: Expr, column: Column, out: unknown[] = []): unknown[] {
  if (e.kind === 'cmp') {
    if (e.left.kind === 'col' && e.left.column.name === column.name && e.right.kind === 'lit') out.push(e.right.value);
    if (e.right.kind === 'col' && e.right.column.name === column.name && e.left.kind === 'lit') out.push(e.left.value);
    literalsOf(e.left, column, out);
    literalsOf(e.right, column, out);
  } else if (e.kind === 'in' || e.kind === 'isNull' || e.kind === 'not' || e.kind === 'later')
    literalsOf(e.expr, column, out);
  else if (e.kind !== 'col' && e.kind !== 'lit') for (const i of e.items) literalsOf(i, column, out);
  return out;
}

function decimalCandidates(p: number, s: number, literals: unknown[]): fc.Arbitrary<Candidate> {
  const I = p - s;
  const unit = 1n;
  const max = 10n ** BigInt(p) - 1n;
  const at = (v: bigint) => fromScaledInteger(v, s);
  const one = 10n ** BigInt(s);
  const boundaries = [
    '0',
    '1',
    '2',
    '-1',
    '0.5',
    '10',
    at(unit),
    at(-unit),
    at(one + unit),
    at(one - unit),
    at(max),
    at(-max),
    at(max + unit),
    at(-max - unit),
    `1${'0'.repeat(I)}`,
    `0.${'0'.repeat(s)}1`,
    `1.${'0'.repeat(s)}5`,
    `1.${'0'.repeat(s + 2)}`,
    `1.${'0'.repeat(16383)}`,
    `1.${'0'.repeat(16384)}`,
    `${at(max)}0`,
    `${at(max)}1`,
    '0001.5',
    `${'0'.repeat(I + 3)}1`,
    '-0',
    '-0.0',
    '00',
    ...literals.flatMap((l) => {
      const v = toScaledInteger(String(l), s);
      return v === undefined ? [] : [at(v), at(v + unit), at(v - unit)];
    }),
  ];
  const random = fc
    .tuple(fc.bigInt({ min: -(10n ** BigInt(p + 1)), max: 10n ** BigInt(p + 1) }), fc.integer({ min: 0, max: s + 1 }))
    .map(([v, f]) => c(fromScaledInteger(v, f)));
  const numbers = constants([
    0,
    1,
    -1,
    0.5,
    0.1,
    0.30000000000000004,
    1e-7,
    1.5e-9,
    123.456,
    1e12,
    99999999999.99,
    1e21,
    -0,
    2 ** 53,
    5e-324,
    1e-8,
    0.00000001,
  ]);
  const doubles = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e13, max: 1e13 }).map((d) => c(d));
  const garbage = constants(['abc', '', '1.2.3', '--1', '1,5', '١']);
  // PostgreSQL reads these (hex, octal, binary and underscores since 16); the schema takes plain decimals only.
  const stricter = constants(
    [
      'NaN',
      'nan',
      ' 1',
      '1 ',
      '+1',
      '1e2',
      '1E-2',
      '.5',
      '5.',
      'Infinity',
      '-Infinity',
      '0x10',
      '0o17',
      '0b101',
      '1_000',
      NaN,
      Infinity,
      -Infinity,
    ],
    'stricter',
    'decimal format',
  );
  return fc.oneof(
    { weight: 10, arbitrary: constants([...new Set(boundaries)]) },
    { weight: 4, arbitrary: random },
    { weight: 3, arbitrary: numbers },
    { weight: 1, arbitrary: doubles },
    { weight: 1, arbitrary: garbage },
    { weight: 1, arbitrary: stricter },
  );
}

function integerCandidates(literals: unknown[], bits: 32 | 53): fc.Arbitrary<Candidate> {
  const around = literals.flatMap((l) => (typeof l === 'number' ? [l - 1, l, l + 1] : []));
  const limits =
    bits === 32
      ? [2147483647, 2147483648, -2147483648, -2147483649, 2 ** 53, 2 ** 63]
      : [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 63, -(2 ** 63) * 2];
  return fc.oneof(
    {
      weight: 8,
      arbitrary: constants([0, 1, -1, 2, 100, 101, 125, 126, -0, 1.5, NaN, Infinity, ...limits, ...around]),
    },
    { weight: 3, arbitrary: fc.integer({ min: -1000, max: 1000 }).map((v) => c(v)) },
    { weight: 1, arbitrary: fc.integer().map((v) => c(v)) },
    // Exactly representable but past 2^53: PostgreSQL stores it, the schema refuses (ids must round-trip).
    ...(bits === 53
      ? [{ weight: 1, arbitrary: constants([2 ** 53, -(2 ** 53), 2 ** 60], 'stricter', 'unsafe integer') }]
      : []),
  );
}

const codeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
  maxLength: 8,
});

function stringCandidates(length?: number): fc.Arbitrary<Candidate> {
  const n = length ?? 40;
  const fixed = [
    '',
    'a',
    'BTCUSDT',
    'x'.repeat(n),
    '😀'.repeat(n),
    'é'.repeat(n),
    'e\u0301'.repeat(Math.floor(n / 2)),
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udc00',
    '\udc00\ud800',
    '😀\ud83d',
  ];
  if (length !== undefined)
    fixed.push('x'.repeat(n + 1), '😀'.repeat(n + 1), 'é'.repeat(n + 1), `${'😀'.repeat(n - 1)}ab`);
  else fixed.push('x'.repeat(5000));
  return fc.oneof(
    { weight: 6, arbitrary: constants(fixed) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: n + 1 }).map((v) => c(v)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: n + 2 }).map((v) => c(v)) },
    { weight: 1, arbitrary: codeUnits.map((v) => c(v)) },
  );
}

function enumCandidates(values: string[]): fc.Arbitrary<Candidate> {
  const near = values.flatMap((v) => [v.toUpperCase(), `${v} `, ` ${v}`, `${v}x`, v.slice(0, -1)]);
  return fc.oneof({ weight: 4, arbitrary: constants(values) }, { weight: 1, arbitrary: constants([...near, '']) });
}

function dayCandidates(): fc.Arbitrary<Candidate> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: constants([
        '2024-01-15',
        '2024-02-29',
        '2023-02-29',
        '2023-02-28',
        '0001-01-01',
        '0000-12-31',
        '9999-12-31',
        '2024-13-01',
        '2024-00-10',
        '2024-04-31',
        '2024-04-30',
        '1900-02-29',
        '2000-02-29',
        'abc',
        '',
      ]),
    },
    {
      weight: 2,
      arbitrary: fc
        .date({ min: new Date(EARLIEST), max: new Date(LATEST), noInvalidDate: true })
        .map((d) => c(d.toISOString().slice(0, 10))),
    },
    // PostgreSQL reads these too; the schema takes only 'YYYY-MM-DD' from 0001 to 9999.
    {
      weight: 1,
      arbitrary: constants(
        [
          '10000-01-01',
          '2024-1-5',
          ' 2024-01-15',
          '2024-01-15 ',
          'epoch',
          'today',
          'infinity',
          '20240115',
          'January 15, 2024',
          '2024-01-15 BC',
        ],
        'stricter',
        'day format',
      ),
    },
  );
}

function timeCandidates(): fc.Arbitrary<Candidate> {
  const d = (t: number) => new Date(t);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: constants([
        d(T0),
        d(T0 + 1),
        d(T0 - 1),
        d(T0 + 86_400_000),
        d(EARLIEST),
        d(EARLIEST - 1),
        d(LATEST),
        d(LATEST + 1),
        d(NaN),
        d(0),
        d(8.64e15),
        d(-8.64e15),
      ]),
    },
    // Years JavaScript reads as 19xx/20xx from text, and instants whose local
    // time in Europe/Amsterdam has an offset with seconds (local mean time).
    {
      weight: 2,
      arbitrary: constants(
        [
          '0001-06-01T12:00:00.001Z',
          '0050-03-01T00:00:00Z',
          '0099-12-31T23:59:59.999Z',
          '0100-01-01T00:00:00Z',
          '1900-01-01T00:00:00Z',
          '1937-06-30T12:00:00.5Z',
          '9999-12-31T23:00:00Z',
        ].map((iso) => new Date(iso)),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.date({ min: new Date(EARLIEST - 86_400_000), max: new Date(LATEST + 86_400_000) }).map((v) => c(v)),
    },
    { weight: 1, arbitrary: fc.date().map((v) => c(v)) },
  );
}

/** An array inside an array, `depth` levels in all. */
function nested(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

class Point {
  constructor(public x = 1) {}
}

function jsonCandidates(shape: { safeParse(v: unknown): { success: boolean } } | undefined): fc.Arbitrary<Candidate> {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const nullProto = Object.assign(Object.create(null) as object, { a: 1 });
  const valid = fc.oneof(
    constants([
      {},
      { a: 1 },
      { a: { b: [1, 'x', null, true] } },
      ['a', 'b'],
      [{ a: 1 }],
      { rsi: 55.5, macd: -0.25 },
      nullProto,
      { '': 0 },
      { a: -0 },
      { big: 1e300, tiny: 5e-324 },
    ]),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((v) => c(v)),
    fc
      .dictionary(fc.string({ maxLength: 6 }), fc.double({ noNaN: true, noDefaultInfinity: true }), { maxKeys: 4 })
      .map((v) => c(v)),
    fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }).map((v) => c(v)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => c(v)),
    constants([nested(MAX_JSON_DEPTH)]),
  );
  const notJson = constants([
    { a: undefined },
    { a: NaN },
    { a: Infinity },
    { d: new Date(0) },
    { b: 10n },
    { f: () => 1 },
    [1, undefined],
    // biome-ignore lint/suspicious/noSparseArray: an array hole is the input under test
    [1, , 2],
    nested(10_000),
    { s: 'a\u0000' },
    { s: '\ud800' },
    { '\u0000k': 1 },
    { 'k\udc00': 1 },
    new Map([[1, 2]]),
    cyclic,
  ]);
  // JSON.stringify writes these as plain objects, so PostgreSQL stores an equal value; the schema refuses them.
  const notPlain = constants(
    [new Point(), { [Symbol('s')]: 1, a: 1 }, { nested: { p: new Point() } }],
    'stricter',
    'non-plain JSON object',
  );
  // PostgreSQL stores this one; deeper ones overflow some driver's or its own recursion.
  const tooDeep = constants([nested(MAX_JSON_DEPTH + 1)], 'stricter', 'JSON nesting');
  // JSON, but not the column's typed shape: PostgreSQL stores it, the schema refuses it.
  const shaped = valid.map((cand) =>
    shape && cand.value !== null && !shape.safeParse(cand.value).success
      ? { ...cand, tag: 'stricter' as const, note: 'JSON shape' }
      : cand,
  );
  return fc.oneof(
    { weight: 8, arbitrary: shaped },
    { weight: 2, arbitrary: notJson },
    { weight: 1, arbitrary: notPlain },
    { weight: 1, arbitrary: tooDeep },
  );
}

// ---- tables -----------------------------------------------------------------

export interface TablePlan {
  name: string;
  table: PgTable;
  keys: string[];
  seed: Record<string, unknown>;
  kinds: Record<string, Kind>;
  scales: Record<string, number>;
  /** Column keys the insert triggers replace (their stored value is not the payload's). */
  triggerOwned: Set<string>;
  payloads: fc.Arbitrary<Payload>;
}

export function planTable(name: string, table: PgTable, triggerOwned: string[]): TablePlan {
  const columns = getTableColumns(table) as Record<string, Meta>;
  const config = getTableConfig(table);
  const foreign = new Set(config.foreignKeys.flatMap((fk) => fk.reference().columns.map((col) => col.name)));
  const rules = rulesOf(table);
  const keyByName = keysOf(table);
  const keys = Object.keys(columns);
  const seed: Record<string, unknown> = {};
  const kinds: Record<string, Kind> = {};
  const scales: Record<string, number> = {};
  const arbs: Record<string, fc.Arbitrary<Candidate>> = {};
  const shapes =
    (jsonShapes as Record<string, Record<string, { safeParse(v: unknown): { success: boolean } }>>)[name] ?? {};
  const owned = new Set(triggerOwned);

  for (const [key, col] of Object.entries(columns)) {
    const literals = rules.flatMap((r) => literalsOf(r.expr, col));
    let arb: fc.Arbitrary<Candidate>;
    let base: unknown;
    kinds[key] = 'other';
    switch (isTimestamptz(col) ? 'PgTimestamp' : col.columnType) {
      case 'PgNumeric':
        kinds[key] = 'decimal';
        scales[key] = col.scale ?? 0;
        base = '1';
        arb = decimalCandidates(col.precision!, col.scale ?? 0, literals);
        break;
      case 'PgInteger':
        kinds[key] = 'int';
        base = 1;
        arb = integerCandidates(literals, 32);
        break;
      case 'PgBigInt53':
        kinds[key] = 'int';
        base = 1;
        arb =
          key === 'id'
            ? fc.oneof(
                fc.integer({ min: 1, max: 2 ** 31 }).map((v) => c(v)),
                integerCandidates([], 53),
              )
            : integerCandidates(literals, 53);
        break;
      case 'PgBoolean':
        base = false;
        arb = constants([true, false]);
        break;
      case 'PgVarchar':
        base = col.enumValues?.length ? col.enumValues[0] : 'x';
        arb = col.enumValues?.length ? enumCandidates(col.enumValues) : stringCandidates(col.length);
        break;
      case 'PgText':
        base = 'text';
        arb = stringCandidates();
        break;
      case 'PgDateString':
        base = '2024-01-15';
        arb = dayCandidates();
        break;
      case 'PgTimestamp':
        kinds[key] = 'time';
        base = new Date(T0);
        arb = timeCandidates();
        break;
      case 'PgJsonb':
        base = {};
        arb = jsonCandidates(shapes[key]);
        break;
      default:
        throw new Error(`${name}.${key}: no generator for ${col.columnType}`);
    }
    // Foreign keys stay null: referential integrity is the database's job, not zod's.
    if (foreign.has(col.name)) arb = constants([null]);
    arbs[key] = fc.oneof(
      { weight: 8, arbitrary: arb },
      { weight: 1, arbitrary: constants([null]) },
      { weight: 1, arbitrary: constants([OMIT]) },
    );
    // Mostly left out: a trigger replaces whatever the payload sets.
    if (owned.has(key)) {
      arbs[key] = fc.oneof(
        { weight: 9, arbitrary: constants([OMIT]) },
        {
          weight: 1,
          arbitrary: arbs[key]!.map((cand) => ({
            ...cand,
            tag: 'trigger' as const,
            note: `${key} is set by a trigger`,
          })),
        },
      );
    }
    if (col.notNull && !col.hasDefault) seed[key] = base;
  }

  // Pairs of same-kind columns a rule compares: set equal, or one unit apart.
  const pairs: [string, string][] = [];
  for (const r of rules) {
    const used = [...new Set(readKeys(r.expr, keyByName))];
    for (const a of used)
      for (const b of used) if (a !== b && kinds[a] === kinds[b] && kinds[a] !== 'other') pairs.push([a, b]);
  }

  type Mutation =
    | { kind: 'set'; key: string; cand: Candidate }
    | { kind: 'relate'; a: string; b: string; delta: number };
  const set = (key: string) => arbs[key]!.map((cand): Mutation => ({ kind: 'set', key, cand }));
  const mutation = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...keys).chain(set) },
    ...(pairs.length
      ? [
          {
            weight: 3,
            arbitrary: fc
              .tuple(fc.constantFrom(...pairs), fc.constantFrom(-1, 0, 0, 1))
              .map(([[a, b], delta]): Mutation => ({ kind: 'relate', a, b, delta })),
          },
        ]
      : []),
  );
  const focus = rules.length
    ? fc.constantFrom(...rules).chain((r) => fc.tuple(...[...new Set(readKeys(r.expr, keyByName))].map(set)))
    : fc.constant([] as Mutation[]);
  const payloads = fc
    .tuple(fc.option(focus, { freq: 2 }), fc.array(mutation, { maxLength: 4 }))
    .map(([focused, rest]) => {
      const row: Record<string, unknown> = { ...seed };
      const tagged = new Map<string, Candidate>(); // the tag of the value each key ends up with
      for (const m of [...(focused ?? []), ...rest]) {
        if (m.kind === 'set') {
          if (m.cand.value === OMIT) delete row[m.key];
          else row[m.key] = m.cand.value;
          if (m.cand.tag && m.cand.value !== OMIT) tagged.set(m.key, m.cand);
          else tagged.delete(m.key);
        } else {
          const shifted = shift(row[m.a], kinds[m.a]!, scales[m.a] ?? 0, m.delta);
          if (shifted === undefined || owned.has(m.b)) continue;
          row[m.b] = shifted;
          const source = tagged.get(m.a);
          if (source) tagged.set(m.b, source);
          else tagged.delete(m.b);
        }
      }
      return {
        row,
        tags: new Set([...tagged.values()].map((t) => t.tag!)),
        notes: [...tagged].map(([k, t]) => `${k}: ${t.note}`),
      };
    });
  return { name, table, keys, seed, kinds, scales, triggerOwned: owned, payloads };
}

/** The TypeScript keys of the columns a rule reads. */
const readKeys = (e: Expr, keyByName: Map<string, string>) => [...columnsReadBy(e)].map((c) => keyByName.get(c.name)!);

/** `value` moved by `delta` units of its column (the last decimal place, 1, or 1 ms). */
function shift(value: unknown, kind: Kind, scale: number, delta: number): unknown {
  if (value === null || value === undefined) return undefined;
  if (kind === 'decimal') {
    const text = typeof value === 'number' ? numberToDecimal(value) : typeof value === 'string' ? value : undefined;
    const v = text === undefined ? undefined : toScaledInteger(text, scale);
    return v === undefined ? undefined : fromScaledInteger(v + BigInt(delta), scale);
  }
  if (kind === 'int') return typeof value === 'number' && Number.isSafeInteger(value) ? value + delta : undefined;
  if (kind === 'time')
    return value instanceof Date && !Number.isNaN(value.getTime()) ? new Date(value.getTime() + delta) : undefined;
  return undefined;
}

/** Is `stored` (a parsed jsonb value) the JSON value `given`, key for key? */
export function jsonEqual(given: unknown, stored: unknown): boolean {
  if (given === null || typeof given !== 'object') return given === stored;
  if (Array.isArray(given)) {
    if (!Array.isArray(stored) || given.length !== stored.length) return false;
    for (let i = 0; i < given.length; i++) if (!(i in given) || !jsonEqual(given[i], stored[i])) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(given);
  if (
    (proto !== Object.prototype && proto !== null) ||
    typeof stored !== 'object' ||
    stored === null ||
    Array.isArray(stored)
  )
    return false;
  const keys = Object.keys(given);
  return (
    keys.length === Object.keys(stored).length &&
    keys.every(
      (k) => k in stored && jsonEqual((given as Record<string, unknown>)[k], (stored as Record<string, unknown>)[k]),
    )
  );
}

/** Columns an insert trigger overwrites (`setBy` in the table's column notes): their stored value is the trigger's. */
export function triggerOwnedKeys(table: PgTable): string[] {
  const name = Object.entries(schemaTables).find(([, t]) => t === table)?.[0] as keyof typeof tableColumnNotes;
  const notes = tableColumnNotes[name] ?? {};
  return Object.keys(getTableColumns(table)).filter((key) => notes[key]?.setBy);
}
