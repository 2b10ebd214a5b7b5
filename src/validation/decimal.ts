/**
 * numeric(p,s) values as exact decimal strings.
 *
 * Accepted: plain decimal strings `^-?\d+(\.\d+)?$` and finite JS numbers.
 * A number is taken at its shortest round-trip decimal form (`String(n)`,
 * with exponent notation expanded exactly: 1e-7 -> "0.0000001"), then checked
 * like a string. The output is always the decimal string.
 * Rejected: whitespace, a leading '+', '.5' and '5.', exponents, NaN,
 * Infinity, anything else. PostgreSQL would read some of these, but they are
 * not the decimal strings this library passes around, and NaN would pass every
 * price CHECK (NaN sorts above all numbers).
 * Digits: at most p-s before the point (leading zeros do not count) and at
 * most s after it (trailing zeros do not count: '1.500000000' fits
 * numeric(20,8) exactly). More significant fractional digits are an error,
 * never rounded. At most 16,383 digits may be written after the point, as in
 * PostgreSQL (leading zeros before it are unlimited there too).
 */

/** NUMERIC_DSCALE_MAX: more digits after the point fail with "value overflows numeric format". */
const MAX_WRITTEN_FRACTION_DIGITS = 16383;
const ZERO = 48;
const NINE = 57;
const MINUS = 45;
const DOT = 46;
const PLUS = 43;
const N_UPPER = 78;
const N_LOWER = 110;

/** Why `text` is not a numeric(precision, scale) value; undefined when it is. */
export function decimalProblem(text: string, precision: number, scale: number): string | undefined {
  const end = text.length;
  let i = text.charCodeAt(0) === MINUS ? 1 : 0;
  const intStart = i;
  let firstSignificant = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    if (firstSignificant < 0 && c !== ZERO) firstSignificant = i;
  }
  const intEnd = i;
  if (intEnd === intStart) return notPlain(text);
  let fractionDigits = 0;
  if (i < end) {
    if (text.charCodeAt(i) !== DOT || i + 1 === end) return notPlain(text);
    for (i++; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < ZERO || c > NINE) return notPlain(text);
      if (c !== ZERO) fractionDigits = i - intEnd;
    }
  }
  // PostgreSQL's own limit, before any typmod: its numeric input keeps every
  // digit written after the point, trailing zeros included.
  const writtenFractionDigits = i - intEnd - 1;
  if (writtenFractionDigits > MAX_WRITTEN_FRACTION_DIGITS) {
    return `PostgreSQL reads at most ${MAX_WRITTEN_FRACTION_DIGITS} digits after the decimal point (trailing zeros included), got ${writtenFractionDigits}`;
  }
  const integerDigits = firstSignificant < 0 ? 0 : intEnd - firstSignificant;
  if (integerDigits > precision - scale) {
    return `numeric(${precision},${scale}) allows at most ${precision - scale} digits before the decimal point, got ${integerDigits} in "${text}"`;
  }
  if (fractionDigits > scale) {
    return `numeric(${precision},${scale}) allows at most ${scale} digits after the decimal point, got ${fractionDigits} in "${text}" (values are never rounded)`;
  }
  return undefined;
}

const notPlain = (text: string) =>
  `expected a plain decimal string like "123.45" (no spaces, '+', exponent, NaN or Infinity), got ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)}`;

/**
 * The shortest round-trip decimal form of a finite number, exponent expanded
 * exactly; undefined for NaN and ±Infinity.
 */
export function numberToDecimal(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s.charCodeAt(0) === MINUS;
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const point = (dot < 0 ? mantissa.length : dot) + exponent; // position of the decimal point in `digits`
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${body}` : body;
}

/**
 * Exact comparison of two decimal strings, without allocation (the hot path of
 * every CHECK on a numeric column). Takes the plain decimals `decimalProblem`
 * accepts, and also what PostgreSQL prints or reads besides: a leading '+' and
 * 'NaN', which sorts above every number (as in PostgreSQL).
 */
export function compareDecimals(a: string, b: string): number {
  const a0 = a.charCodeAt(0),
    b0 = b.charCodeAt(0);
  if (a0 === N_UPPER || a0 === N_LOWER || b0 === N_UPPER || b0 === N_LOWER)
    return Number(isNaNText(a)) - Number(isNaNText(b));
  if (a0 === PLUS) return compareDecimals(a.slice(1), b);
  if (b0 === PLUS) return compareDecimals(a, b.slice(1));
  const aNeg = a0 === MINUS;
  const bNeg = b0 === MINUS;
  if (aNeg !== bNeg) return isZero(a) && isZero(b) ? 0 : aNeg ? -1 : 1; // '-0' = '0'
  if (!aNeg && a.length === b.length && alignedWithoutLeadingZero(a, b)) return a === b ? 0 : a < b ? -1 : 1;
  const magnitude = compareMagnitudes(a, aNeg ? 1 : 0, b, bNeg ? 1 : 0);
  return aNeg ? 0 - magnitude : magnitude; // 0 - 0 is 0; -0 would fail Object.is(…, 0)
}

const isNaNText = (s: string) => s.length === 3 && s.toLowerCase() === 'nan';

/**
 * Same length, point at the same place, no leading zero: the digits line up,
 * so string order is numeric order. Exchange feeds format a series' prices
 * alike ('42000.10000000'), so most comparisons end here.
 */
function alignedWithoutLeadingZero(a: string, b: string): boolean {
  const dot = a.indexOf('.');
  if (dot !== b.indexOf('.')) return false;
  const intDigits = dot < 0 ? a.length : dot;
  return intDigits === 1 || (a.charCodeAt(0) !== ZERO && b.charCodeAt(0) !== ZERO);
}

/** Compare |a| and |b|, their digits starting at `ai` and `bi`. */
function compareMagnitudes(a: string, ai: number, b: string, bi: number): number {
  const al = a.length,
    bl = b.length;
  // Skip leading zeros, keeping the last digit before the point.
  while (ai < al - 1 && a.charCodeAt(ai) === ZERO && a.charCodeAt(ai + 1) !== DOT) ai++;
  while (bi < bl - 1 && b.charCodeAt(bi) === ZERO && b.charCodeAt(bi + 1) !== DOT) bi++;
  let ad = ai;
  while (ad < al && a.charCodeAt(ad) !== DOT) ad++;
  let bd = bi;
  while (bd < bl && b.charCodeAt(bd) !== DOT) bd++;
  if (ad - ai !== bd - bi) return ad - ai < bd - bi ? -1 : 1;
  for (; ai < ad; ai++, bi++) {
    const d = a.charCodeAt(ai) - b.charCodeAt(bi);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  // Fractions, the shorter one padded with zeros.
  for (let x = ad + 1, y = bd + 1; x < al || y < bl; x++, y++) {
    const cx = x < al ? a.charCodeAt(x) : ZERO;
    const cy = y < bl ? b.charCodeAt(y) : ZERO;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
  return 0;
}

/** Sign of a decimal string (as compareDecimals(s, '0') would give it): -1, 0 or 1; NaN is above zero. */
export function decimalSign(s: string): number {
  const first = s.charCodeAt(0);
  if (first === N_UPPER || first === N_LOWER) return 1;
  return isZero(s) ? 0 : first === MINUS ? -1 : 1;
}

function isZero(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > ZERO && c <= NINE) return false;
  }
  return true;
}

/** Digits written after the point: "1.250" -> 3, "7" -> 0. */
export function writtenScale(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * A plain decimal string as an integer count of 10^-scale: ("-1.25", 4) ->
 * -12500n. Undefined when `text` is not a plain decimal or has significant
 * digits past `scale` (nothing is rounded).
 */
export function toScaledInteger(text: string, scale: number): bigint | undefined {
  const m = PLAIN.exec(text);
  if (!m) return undefined;
  const fraction = (m[3] ?? '').padEnd(scale, '0');
  for (let i = scale; i < fraction.length; i++) if (fraction.charCodeAt(i) !== ZERO) return undefined;
  const value = BigInt(m[2]! + fraction.slice(0, scale));
  return m[1] === '-' ? -value : value;
}
const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** The decimal string of an integer count of 10^-scale: (-12500n, 4) -> "-1.2500". */
export function fromScaledInteger(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const body = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${body}` : body;
}

/** Exact sum of two decimal strings (NaN in, NaN out, as in PostgreSQL). */
export function addDecimals(a: string, b: string): string {
  if (isNaNText(a) || isNaNText(b)) return 'NaN';
  const scale = Math.max(writtenScale(a), writtenScale(b));
  return fromScaledInteger(toScaledInteger(a, scale)! + toScaledInteger(b, scale)!, scale);
}

/** Exact product of two decimal strings (NaN in, NaN out, as in PostgreSQL). */
export function multiplyDecimals(a: string, b: string): string {
  if (isNaNText(a) || isNaNText(b)) return 'NaN';
  const as = writtenScale(a),
    bs = writtenScale(b);
  return fromScaledInteger(toScaledInteger(a, as)! * toScaledInteger(b, bs)!, as + bs);
}
