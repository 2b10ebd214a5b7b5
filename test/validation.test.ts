/**
 * The validation layer on its own: names and completeness of the generated
 * schemas, error messages (field and rule named), numbers vs strings,
 * text/JSON/time limits, insert defaults and partial updates, validateRows,
 * and the row checks the evaluator runs (held to PostgreSQL in constraints.test.ts).
 */
import fc from 'fast-check';
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, pgTable } from 'drizzle-orm/pg-core';
import { tableColumnNotes } from '../src/schema/column-notes.ts';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import * as entry from '../src/index.ts';
import { id, notesOf, noteOf, price, score, withNote } from '../src/schema/_columns.ts';
import { NOTES } from '../src/schema/_notes.ts';
import { columnChecks, exprToSql, ruleOf } from '../src/schema/_rules.ts';
import type {
  NewCircuitBreakerEvent,
  NewFearGreedIndex,
  NewFundingRate,
  NewOhlcvData,
  NewTrade,
} from '../src/schema/index.ts';
import * as validation from '../src/validation/index.ts';
import { compareDecimals, decimalProblem, numberToDecimal, toScaledInteger } from '../src/validation/decimal.ts';
import { schemasByTable } from '../src/validation/by-table.ts';
import {
  fundingRatesInsertSchema,
  killSwitchEventsUpdateSchema,
  llmAnalysesInsertSchema,
  mlPredictionsInsertSchema,
  ohlcvDataInsertSchema,
  ohlcvDataUpdateSchema,
  ordersInsertSchema,
  positionsInsertSchema,
  systemEventsInsertSchema,
  tradesInsertSchema,
  tradesUpdateSchema,
  tradingDecisionsInsertSchema,
  dailyPnlInsertSchema,
  validateRow,
  validateRows,
  ValidationError,
} from '../src/validation/index.ts';
import { rulesOf } from '../src/validation/row-checks.ts';
import { tableNames, tables } from '../src/validation/table-list.ts';

const candle = {
  symbol: 'BTCUSDT',
  timeframe: '1h',
  timestamp: new Date('2024-01-15T12:00:00Z'),
  open: '42000.5',
  high: '42100',
  low: '41900.25',
  close: '42050',
  volume: '12.5',
} as const;

/** The issues of a failed parse as `path: message` lines. */
function issuesOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
const accepts = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;

describe('generated schemas', () => {
  it('every table has insert, update and select schemas, exported by name from the validation entry only (the root entry loads no zod)', () => {
    for (const name of tableNames) {
      for (const kind of ['Insert', 'Update', 'Select'] as const) {
        const exported = (validation as Record<string, unknown>)[`${name}${kind}Schema`];
        expect(exported, `${name}${kind}Schema`).toBe(schemasByTable[name][kind.toLowerCase() as 'insert']);
        expect(
          (entry as Record<string, unknown>)[`${name}${kind}Schema`],
          `entry ${name}${kind}Schema`,
        ).toBeUndefined();
      }
    }
    expect(tableNames).toHaveLength(18);
  });

  it('every CHECK of every table has its rule', () => {
    for (const name of tableNames) {
      const { checks } = getTableConfig(tables[name]);
      expect(checks.length, name).toBeGreaterThan(0);
      for (const check of checks) expect(ruleOf(check), `${name}.${check.name}`).toBeDefined();
      expect(() => rulesOf(tables[name])).not.toThrow();
    }
  });

  it('types follow the table: the parsed row is the insert type, numerics take numbers in', () => {
    type Parsed = z.output<typeof ohlcvDataInsertSchema>;
    expectTypeOf<Parsed>().toExtend<NewOhlcvData>();
    expectTypeOf<Parsed['open']>().toEqualTypeOf<string>();
    expectTypeOf<Parsed['quoteVolume']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<z.input<typeof ohlcvDataInsertSchema>['open']>().toEqualTypeOf<string | number>();
    expectTypeOf<z.output<typeof tradesInsertSchema>>().toExtend<NewTrade>();
    // Columns a trigger sets are left out of the insert types, as the insert schemas refuse them.
    expectTypeOf<NewFundingRate>().not.toHaveProperty('rateBps');
    expectTypeOf<NewFearGreedIndex>().not.toHaveProperty('classification');
    expectTypeOf<NewCircuitBreakerEvent>().not.toHaveProperty('cooldownExpiresAt');
    expectTypeOf<z.output<typeof validation.fundingRatesInsertSchema>>().toExtend<NewFundingRate>();
    expectTypeOf<z.output<typeof tradesUpdateSchema>['entryPrice']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<z.input<typeof validation.ohlcvDataSelectSchema>['open']>().toEqualTypeOf<string>();
    expectTypeOf<z.output<typeof validation.ohlcvDataSelectSchema>['quoteVolume']>().toEqualTypeOf<string | null>();
    expectTypeOf<z.output<typeof validation.fearGreedIndexSelectSchema>['classification']>().toEqualTypeOf<
      'extreme_fear' | 'fear' | 'neutral' | 'greed' | 'extreme_greed'
    >();
  });
});

describe('column notes', () => {
  // Pure numbers: a ratio or an indicator reading has no unit to state.
  const dimensionless = new Set([
    'dailyPerformance.sharpeRatio',
    'dailyPerformance.profitFactor',
    'dailyPnl.profitFactor',
    'dailyPnl.sharpeRatio',
    'dailyPnl.sortinoRatio',
    'dailyPnl.calmarRatio',
    'technicalSignals.rsiValue',
    'technicalSignals.bbPosition',
    // Hours, stated by its name; kept as migrated.
    'circuitBreakerEvents.cooldownHours',
  ]);

  it("every numeric column has a unit in its table file's notes (a plain numeric() needs withNote)", () => {
    const missing = tableNames.flatMap((name) =>
      Object.entries(getTableColumns(tables[name]))
        .filter(([key, column]) => column.getSQLType().startsWith('numeric') && !tableColumnNotes[name][key]?.unit)
        .map(([key]) => `${name}.${key}`)
        .filter((column) => !dimensionless.has(column)),
    );
    expect(missing).toEqual([]);
  });

  it("a builder's note survives Drizzle's modifiers, and withNote adds to it", () => {
    expect(noteOf(score('scratch_score').notNull().default('0.5'))).toBe(NOTES.score);
    expect(noteOf(withNote(price('scratch_price'), { setBy: 'a trigger' }).notNull().default('1'))).toEqual({
      ...NOTES.price,
      setBy: 'a trigger',
    });
  });

  it('a score column gets its 0..1 range CHECK from its builder alone, without a hand-written note', () => {
    const scratchColumns = { id: id(), confidence: score('confidence').notNull().default('0.5') };
    const scratchNotes = notesOf(scratchColumns);
    expect(scratchNotes).toEqual({ confidence: NOTES.score });
    const scratch = pgTable('scratch_scored', scratchColumns, (t) => columnChecks('scratch_scored', t, scratchNotes));
    const range = getTableConfig(scratch).checks.find((c) => c.name === 'scratch_scored_confidence_range');
    expect(range && exprToSql(ruleOf(range)!.expr)).toBe('("confidence" >= 0) AND ("confidence" <= 1)');
  });
});

describe('numeric(p,s)', () => {
  const open = (value: unknown) =>
    ohlcvDataInsertSchema.safeParse({ ...candle, low: '0.00000001', high: '999999999999.99999999', open: value });

  it('takes plain decimal strings within p-s integer and s fractional digits', () => {
    for (const ok of [
      '1',
      '0.5',
      '999999999999.99999999',
      '-999999999999.99999999',
      '-0',
      '0001.5',
      '1.50000000000',
      '0.00000001',
    ]) {
      expect(accepts(ohlcvDataInsertSchema, { ...candle, quoteVolume: ok }), ok).toBe(true);
    }
    expect(issuesOf(ohlcvDataInsertSchema, { ...candle, open: '1000000000000' })).toEqual([
      'open: numeric(20,8) allows at most 12 digits before the decimal point, got 13 in "1000000000000"',
    ]);
    expect(issuesOf(ohlcvDataInsertSchema, { ...candle, open: '1.123456789' })[0]).toBe(
      'open: numeric(20,8) allows at most 8 digits after the decimal point, got 9 in "1.123456789" (values are never rounded)',
    );
  });

  it('keeps trailing zeros beyond the scale (the value is exact) and never rounds', () => {
    const parsed = open('42000.500000000000');
    expect(parsed.success && parsed.data.open).toBe('42000.500000000000');
    expect(open('42000.500000001').success).toBe(false);
  });

  it('rejects garbage, whitespace, signs, exponents, NaN and Infinity', () => {
    for (const bad of [
      '',
      'abc',
      ' 1',
      '1 ',
      '+1',
      '1e5',
      '1E-2',
      '.5',
      '5.',
      'NaN',
      'Infinity',
      '-Infinity',
      '1,5',
      '--1',
      '0x10',
    ]) {
      const issues = issuesOf(ohlcvDataInsertSchema, { ...candle, open: bad });
      expect(issues[0], JSON.stringify(bad)).toMatch(/^open: expected a plain decimal string/);
    }
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(issuesOf(ohlcvDataInsertSchema, { ...candle, open: bad })[0]).toMatch(/^open: .* is not a decimal value/);
    }
  });

  it('converts finite numbers through their shortest round-trip decimal, then applies the same rules', () => {
    const out = (n: number) => {
      const r = open(n);
      return r.success ? r.data.open : r.error.issues[0]!.message;
    };
    expect(out(42000.5)).toBe('42000.5');
    expect(out(0.1)).toBe('0.1');
    expect(out(1e-7)).toBe('0.0000001');
    expect(out(123456789012.5)).toBe('123456789012.5');
    expect(out(1e12)).toMatch(/at most 12 digits before/);
    expect(out(1.5e-9)).toMatch(/at most 8 digits after/);
    expect(out(0.30000000000000004)).toMatch(/at most 8 digits after/);
    expect(numberToDecimal(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimal(-1.5e-9)).toBe('-0.0000000015');
    expect(numberToDecimal(-0)).toBe('0');
    expect(numberToDecimal(NaN)).toBeUndefined();
  });

  it('number conversion is exact: the decimal reads back as the same double, never in exponent form', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = numberToDecimal(n)!;
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 2000 },
    );
  });

  it('compareDecimals agrees with comparing the exact scaled integers', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.stringMatching(/^0{0,3}\d{1,14}$/), fc.option(fc.stringMatching(/^\d{1,10}$/)))
      .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}`);
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const x = toScaledInteger(a, 10)!,
          y = toScaledInteger(b, 10)!;
        expect(Math.sign(compareDecimals(a, b))).toBe(x === y ? 0 : x < y ? -1 : 1);
      }),
      { numRuns: 5000 },
    );
    expect(compareDecimals('-0', '0.000')).toBe(0);
    expect(compareDecimals('1.50', '1.5')).toBe(0);
    expect(compareDecimals('-1.50', '-1.5')).toBe(0); // 0, never -0 (toBe is Object.is)
    // What PostgreSQL prints or reads besides plain decimals: NaN sorts above every number.
    expect(compareDecimals('NaN', '99999')).toBe(1);
    expect(compareDecimals('-1', 'nan')).toBe(-1);
    expect(compareDecimals('NaN', 'NaN')).toBe(0);
    expect(compareDecimals('+1.5', '1.50')).toBe(0);
    expect(decimalProblem('00000000000001.5', 20, 8)).toBeUndefined();
  });
});

describe('integers, text, time', () => {
  it('integer columns take safe integers within int32; bigint ids safe integers', () => {
    const count = (n: unknown) => accepts(ohlcvDataInsertSchema, { ...candle, tradesCount: n });
    expect(count(2147483647)).toBe(true);
    expect(count(2147483648)).toBe(false);
    expect(count(-1)).toBe(false); // trades_count >= 0
    expect(count(1.5)).toBe(false);
    expect(count('5')).toBe(false);
    expect(accepts(ohlcvDataInsertSchema, { ...candle, id: Number.MAX_SAFE_INTEGER })).toBe(true);
    expect(accepts(ohlcvDataInsertSchema, { ...candle, id: 2 ** 53 })).toBe(false);
  });

  it('varchar(n) counts characters as PostgreSQL does (code points), text refuses NUL and lone surrogates', () => {
    expect(accepts(ohlcvDataInsertSchema, { ...candle, symbol: '😀'.repeat(20) })).toBe(true);
    expect(issuesOf(ohlcvDataInsertSchema, { ...candle, symbol: '😀'.repeat(21) })).toEqual([
      'symbol: varchar(20) allows at most 20 characters, got 21',
    ]);
    expect(issuesOf(ohlcvDataInsertSchema, { ...candle, symbol: 'BTC\u0000' })[0]).toMatch(
      /^symbol: contains the NUL character/,
    );
    expect(issuesOf(ohlcvDataInsertSchema, { ...candle, symbol: 'BTC\ud800' })[0]).toMatch(
      /^symbol: contains an unpaired UTF-16 surrogate/,
    );
    const analysis = { symbol: 'BTC', sentiment: 'bullish', confidence: '0.5', model: 'm', summary: 'ok\u0000' };
    expect(issuesOf(llmAnalysesInsertSchema, analysis)[0]).toMatch(/^summary: contains the NUL character/);
  });

  it('timestamps are valid Dates from year 1 to 9999; ISO strings are refused', () => {
    const at = (timestamp: unknown) => issuesOf(ohlcvDataInsertSchema, { ...candle, timestamp });
    expect(at(new Date('9999-12-31T23:59:59.999Z'))).toEqual([]);
    expect(at(new Date('0001-01-01T00:00:00.000Z'))).toEqual([]);
    expect(at(new Date(Date.parse('0001-01-01T00:00:00.000Z') - 1))[0]).toMatch(
      /^timestamp: must lie between 0001-01-01/,
    );
    expect(at(new Date(Date.parse('9999-12-31T23:59:59.999Z') + 1))[0]).toMatch(/^timestamp: must lie between/);
    expect(at(new Date(NaN))).toHaveLength(1);
    expect(at('2024-01-15T12:00:00Z')).toHaveLength(1);
  });

  it('date columns take real calendar days as YYYY-MM-DD', () => {
    const day = (date: string) => accepts(dailyPnlInsertSchema, { date, balanceStart: '1', balanceEnd: '1' });
    expect(day('2024-02-29')).toBe(true);
    expect(day('2023-02-29')).toBe(false);
    expect(day('2024-04-31')).toBe(false);
    expect(day('0000-01-01')).toBe(false);
    expect(day('2024-1-5')).toBe(false);
    expect(day('10000-01-01')).toBe(false);
  });

  it('unknown keys are errors, not silently dropped', () => {
    expect(issuesOf(ohlcvDataInsertSchema, { ...candle, quote_volume: '1' })).toEqual([
      ': Unrecognized key: "quote_volume"',
    ]);
  });
});

describe('jsonb', () => {
  const event = (details: unknown) =>
    issuesOf(systemEventsInsertSchema, { eventType: 'e', severity: 'info', message: 'm', details });

  it('accepts JSON values of the typed shape', () => {
    expect(event({ a: 1, b: [1, 'x', null, true], c: { d: -0.5 } })).toEqual([]);
    expect(
      accepts(tradingDecisionsInsertSchema, {
        symbol: 'X',
        action: 'long',
        confidence: '0.5',
        reasonsJson: ['rsi', 'macd'],
      }),
    ).toBe(true);
    const nullProto = Object.assign(Object.create(null) as object, { a: 1 });
    const parsed = systemEventsInsertSchema.parse({
      eventType: 'e',
      severity: 'info',
      message: 'm',
      details: nullProto,
    });
    expect(Object.getPrototypeOf(parsed.details)).toBe(Object.prototype); // Drizzle cannot insert null-prototype objects
  });

  it('rejects what JSON.stringify or jsonb would drop, change or refuse, naming the path', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: [unknown, RegExp][] = [
      [{ a: undefined }, /^details\.a: undefined is not a JSON value/],
      [{ a: NaN }, /^details\.a: NaN is not a JSON number/],
      [{ a: Infinity }, /^details\.a: Infinity is not a JSON number/],
      [{ d: new Date(0) }, /^details\.d: Date is not a plain JSON object/],
      [{ b: 10n }, /^details\.b: bigint is not a JSON value/],
      [{ f: () => 1 }, /^details\.f: function is not a JSON value/],
      [{ list: [1, undefined] }, /^details\.list\.1: undefined/],
      // eslint-disable-next-line no-sparse-arrays
      // biome-ignore lint/suspicious/noSparseArray: an array hole is the input under test
      [{ list: [1, , 2] }, /^details\.list\.1: array hole/],
      [{ s: 'a\u0000' }, /^details\.s: JSON string contains the NUL character/],
      [{ s: '\ud800' }, /^details\.s: JSON string contains an unpaired/],
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the NUL is the key under test
      [{ 'k\u0000': 1 }, /^details\.k\u0000: JSON key contains the NUL/],
      [new Map(), /^details: Map is not a plain JSON object/],
      [cyclic, /^details\.self: circular reference/],
      [{ [Symbol('s')]: 1 }, /^details: symbol keys are not JSON/],
    ];
    for (const [value, message] of cases) expect(event(value)[0], String(message)).toMatch(message);
  });

  it('checks the shapes the schema files type', () => {
    const prediction = (featureImportanceJson: unknown) =>
      issuesOf(mlPredictionsInsertSchema, {
        symbol: 'X',
        action: 'long',
        confidence: '0.5',
        modelVersion: 'v1',
        featureImportanceJson,
      });
    expect(prediction({ rsi: 0.4 })).toEqual([]);
    expect(prediction({ rsi: 'high' })[0]).toMatch(/^featureImportanceJson\.rsi: /);
    expect(prediction([1, 2])).toHaveLength(1);
    expect(event([1, 2])).toHaveLength(1);
    const trade = {
      tradeId: 't',
      symbol: 'X',
      exchange: 'b',
      side: 'long',
      action: 'open',
      entryPrice: '1',
      quantity: '1',
    };
    expect(
      accepts(tradesInsertSchema, { ...trade, llmAnalysis: { sentiment: 'bullish', confidence: 0.8, extra: [1] } }),
    ).toBe(true);
    expect(issuesOf(tradesInsertSchema, { ...trade, llmAnalysis: { confidence: '0.8' } })[0]).toMatch(
      /^llmAnalysis\.confidence: /,
    );
  });
});

describe('CHECK rules', () => {
  it('name the field, the rule in words and the constraint', () => {
    expect(issuesOf(ohlcvDataInsertSchema, { ...candle, high: '41000' })).toEqual([
      'high: high >= greatest(open, close, low) does not hold (CHECK ohlcv_data_high_is_highest)',
    ]);
    expect(issuesOf(ohlcvDataInsertSchema, { ...candle, low: '0', open: '1', close: '1' })).toEqual([
      'low: low > 0 does not hold (CHECK ohlcv_data_prices_positive: open > 0 and high > 0 and low > 0 and close > 0)',
    ]);
    const order = { clientOrderId: 'c', symbol: 'X', exchange: 'b', side: 'buy', orderType: 'limit', quantity: '1' };
    expect(issuesOf(ordersInsertSchema, { ...order, price: '10', filledQuantity: '1.00000001' })).toEqual([
      'filledQuantity: filledQuantity <= quantity does not hold (CHECK orders_filled_within_quantity: filledQuantity >= 0 and filledQuantity <= quantity)',
    ]);
    expect(issuesOf(ordersInsertSchema, order)).toEqual([
      'price: orderType one of limit, stop_limit, take_profit_limit requires price is set does not hold (CHECK orders_priced_type_has_price)',
    ]);
    const decision = { symbol: 'X', action: 'long', confidence: '0.5', reasonsJson: {} };
    expect(issuesOf(tradingDecisionsInsertSchema, { ...decision, vetoed: true })).toEqual([
      'vetoReason: vetoed = true requires vetoReason is set does not hold (CHECK trading_decisions_veto_reason_required)',
    ]);
    const trade = {
      tradeId: 't',
      symbol: 'X',
      exchange: 'b',
      side: 'long',
      action: 'open',
      entryPrice: '1',
      quantity: '1',
    };
    const entryTime = new Date('2024-01-15T12:00:00Z');
    expect(issuesOf(tradesInsertSchema, { ...trade, entryTime, exitTime: new Date(entryTime.getTime() - 1) })).toEqual([
      'exitTime: exitTime >= entryTime does not hold (CHECK trades_exit_after_entry)',
    ]);
    expect(accepts(tradesInsertSchema, { ...trade, entryTime, exitTime: entryTime })).toBe(true);
  });

  it('carry the constraint name in the issue params', () => {
    const result = ohlcvDataInsertSchema.safeParse({ ...candle, high: '1' });
    expect(result.success).toBe(false);
    expect((result.error!.issues[0] as { params?: unknown }).params).toEqual({
      constraint: 'ohlcv_data_high_is_highest',
    });
  });

  it('inserts: omitted columns take their defaults (literals, now())', () => {
    const trade = {
      tradeId: 't',
      symbol: 'X',
      exchange: 'b',
      side: 'long',
      action: 'open',
      entryPrice: '1',
      quantity: '1',
    };
    expect(issuesOf(tradesInsertSchema, { ...trade, exitTime: new Date('2000-01-01') })).toEqual([
      'exitTime: exitTime >= entryTime does not hold (CHECK trades_exit_after_entry)',
    ]);
    expect(accepts(tradesInsertSchema, { ...trade, exitTime: new Date(Date.now() + 3_600_000) })).toBe(true);
    const position = { symbol: 'X', exchange: 'b', side: 'long', entryPrice: '1', quantity: '1', margin: '0' };
    expect(accepts(positionsInsertSchema, position)).toBe(true); // leverage defaults to 1.0 > 0
    expect(accepts(positionsInsertSchema, { ...position, leverage: '0' })).toBe(false);
  });

  it('updates: a rule runs only when every column it reads is present', () => {
    expect(accepts(ohlcvDataUpdateSchema, {})).toBe(true);
    expect(accepts(ohlcvDataUpdateSchema, { high: '1' })).toBe(true);
    expect(issuesOf(ohlcvDataUpdateSchema, { open: '2', high: '1', low: '1', close: '1' })).toEqual([
      'high: high >= greatest(open, close, low) does not hold (CHECK ohlcv_data_high_is_highest)',
    ]);
    // Each part of an AND is judged on its own: low > 0 needs only low.
    expect(issuesOf(ohlcvDataUpdateSchema, { low: '0' })).toEqual([
      'low: low > 0 does not hold (CHECK ohlcv_data_prices_positive: open > 0 and high > 0 and low > 0 and close > 0)',
    ]);
    expect(accepts(tradesUpdateSchema, { exitTime: new Date('2000-01-01') })).toBe(true);
    expect(accepts(tradesUpdateSchema, { exitTime: new Date('2000-01-01'), entryTime: new Date('2001-01-01') })).toBe(
      false,
    );
    expect(accepts(killSwitchEventsUpdateSchema, { status: 'deactivated' })).toBe(true);
    expect(
      issuesOf(killSwitchEventsUpdateSchema, { status: 'deactivated', deactivatedAt: new Date(), deactivatedBy: null }),
    ).toEqual([
      "deactivatedBy: status = 'deactivated' requires deactivatedAt is set and deactivatedBy is set does not hold (CHECK kill_switch_events_deactivation_recorded)",
    ]);
    expect(accepts(tradesUpdateSchema, { symbol: null })).toBe(false); // NOT NULL stays
  });

  it('funding rates: values the trigger derives must fit their columns', () => {
    const rate = (p: Record<string, unknown>) =>
      issuesOf(fundingRatesInsertSchema, { symbol: 'X', timestamp: new Date(0), ...p });
    expect(rate({ rate: '9.13242009' })).toEqual([]);
    expect(rate({ rate: '9.13242010' })[0]).toMatch(
      /^rate: rate 9\.13242010 every 8 h annualizes to 10000\.00001, beyond annualized_rate/,
    );
    expect(rate({ rate: '0.0001', fundingIntervalHours: 169 })[0]).toMatch(
      /^fundingIntervalHours: .*funding_rates_interval_range/,
    );
    expect(rate({ rate: '0', markPrice: '100.99999999', indexPrice: '1' })).toEqual([]);
    expect(rate({ rate: '0', markPrice: '101', indexPrice: '1' })[0]).toMatch(
      /^markPrice: .* beyond premium numeric\(10,8\)/,
    );
  });
});

describe('validateRows', () => {
  it('returns typed parsed rows', () => {
    const rows = validateRows(ohlcvDataInsertSchema, [candle, { ...candle, open: 42000.5 }]);
    expectTypeOf(rows).toEqualTypeOf<z.output<typeof ohlcvDataInsertSchema>[]>();
    expect(rows.map((r) => r.open)).toEqual(['42000.5', '42000.5']);
  });

  it('throws one ValidationError listing every bad row by index and field', () => {
    const rows = [
      candle,
      { ...candle, high: '1' },
      candle,
      { ...candle, volume: 'abc', symbol: 'x'.repeat(21) },
      'nope',
    ];
    let error: unknown;
    try {
      validateRows(ohlcvDataInsertSchema, rows);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const e = error as ValidationError;
    expect(e.badRows).toEqual([1, 3, 4]);
    expect(e.issues.map((i) => i.where)).toEqual(['rows[1].high', 'rows[3].symbol', 'rows[3].volume', 'rows[4]']);
    expect(e.issues[0]).toMatchObject({
      row: 1,
      path: ['high'],
      code: 'custom',
      constraint: 'ohlcv_data_high_is_highest',
    });
    expect(e.message.split('\n')).toEqual([
      '3 invalid row(s):',
      '  rows[1].high: high >= greatest(open, close, low) does not hold (CHECK ohlcv_data_high_is_highest)',
      '  rows[3].symbol: varchar(20) allows at most 20 characters, got 21',
      '  rows[3].volume: expected a plain decimal string like "123.45" (no spaces, \'+\', exponent, NaN or Infinity), got "abc"',
      expect.stringMatching(/^ {2}rows\[4\]: .*expected object/),
    ]);
  });

  it('validateRow names the field alone', () => {
    expect(() => validateRow(ohlcvDataInsertSchema, { ...candle, open: undefined })).toThrow(
      /\n {2}open: required: numeric\(20,8\)/,
    );
    const parsed = validateRow(ohlcvDataInsertSchema, candle);
    expect(parsed.open).toBe('42000.5');
  });
});

describe('columns a trigger sets', () => {
  it('refuse a value on insert and update instead of letting the trigger replace it silently', () => {
    const { fearGreedIndexInsertSchema, fearGreedIndexUpdateSchema, circuitBreakerEventsInsertSchema } = validation;
    expect(issuesOf(fearGreedIndexInsertSchema, { timestamp: new Date(0), value: 40, classification: 'fear' })).toEqual(
      [expect.stringMatching(/^classification: set by the database \(trigger classify_fear_greed/)],
    );
    expect(issuesOf(fearGreedIndexUpdateSchema, { classification: 'greed' })[0]).toMatch(
      /^classification: set by the database/,
    );
    expect(
      issuesOf(fundingRatesInsertSchema, { symbol: 'X', timestamp: new Date(0), rate: '0.0001', rateBps: '1' })[0],
    ).toMatch(/^rateBps: set by the database \(trigger derive_funding_rate_metrics/);
    expect(
      issuesOf(circuitBreakerEventsInsertSchema, {
        reason: 'r',
        triggerType: 'manual',
        cooldownExpiresAt: new Date(),
      })[0],
    ).toMatch(/^cooldownExpiresAt: set by the database/);
    // Leaving them out (or null where nullable) is what a write does.
    expect(accepts(fearGreedIndexInsertSchema, { timestamp: new Date(0), value: 40 })).toBe(true);
    expect(
      accepts(fundingRatesInsertSchema, { symbol: 'X', timestamp: new Date(0), rate: '0.0001', premium: null }),
    ).toBe(true);
  });
});
