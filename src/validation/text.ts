/**
 * Strings as PostgreSQL stores them: UTF-8 text without NUL, varchar(n)
 * lengths counted in characters (code points, so '😀' is 1, not 2 UTF-16
 * units), and `date` columns as real calendar days 'YYYY-MM-DD'.
 */

type WellFormed = { isWellFormed(): boolean };

/**
 * Why `s` cannot be stored unchanged in a text column. PostgreSQL rejects NUL;
 * an unpaired surrogate would reach it as U+FFFD (the string changes).
 */
export function textProblem(s: string): string | undefined {
  if (!(s as unknown as WellFormed).isWellFormed())
    return 'contains an unpaired UTF-16 surrogate, which is not valid Unicode and cannot be stored unchanged';
  if (s.includes('\u0000')) return 'contains the NUL character (U+0000), which PostgreSQL text cannot store';
  return undefined;
}

/** Characters as PostgreSQL counts them (code points). */
function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Why `s` does not fit varchar(max); undefined when it does. */
export function varcharProblem(s: string, max: number): string | undefined {
  const problem = textProblem(s);
  if (problem) return problem;
  // UTF-16 length >= code points, so only long strings need counting.
  if (s.length > max) {
    const n = codePointLength(s);
    if (n > max) return `varchar(${max}) allows at most ${max} characters, got ${n}`;
  }
  return undefined;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;

/** Why `s` is not a calendar day 'YYYY-MM-DD' from 0001-01-01 to 9999-12-31. */
export function dayProblem(s: string): string | undefined {
  const m = DAY.exec(s);
  if (!m) return `expected a day as 'YYYY-MM-DD', got ${JSON.stringify(s)}`;
  const year = Number(m[1]),
    month = Number(m[2]),
    day = Number(m[3]);
  if (year < 1) return `there is no year 0000 (1 BC is followed by AD 1), got '${s}'`;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return `'${s}' is not a calendar day`;
  return undefined;
}
