/**
 * Reads PostgreSQL's text form of a timestamptz exactly, whatever the year and
 * the offset: "2024-01-02 03:04:05.123456+00", "0050-01-01 00:00:00+00",
 * "1900-01-01 00:19:32+00:19:32" (local mean time), "10000-01-01 01:00:00+00",
 * "0001-01-01 00:00:00+00 BC", "infinity". `new Date(text)` (what Drizzle
 * does) reads years below 100 as 19xx/20xx, drops offset seconds and refuses
 * five-digit years. Dates hold milliseconds: microseconds are truncated.
 */

const TIMESTAMPTZ =
  /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/;
/** What the library returns for PostgreSQL's ±infinity: the JS Date extremes. */
export const INFINITY_DATE = 8.64e15;

/** The instant of a timestamptz text; undefined when the text is not one (or lies beyond JS Dates). */
export function parseTimestamptz(text: string): Date | undefined {
  if (text === 'infinity') return new Date(INFINITY_DATE);
  if (text === '-infinity') return new Date(-INFINITY_DATE);
  const m = TIMESTAMPTZ.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hours, minutes, seconds, fraction = '', sign, offH = '0', offM = '0', offS = '0', bc] = m;
  const date = new Date(0);
  // ISO years: 1 BC is year 0, 2 BC is -1.
  date.setUTCFullYear(bc ? 1 - Number(year) : Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offset = (Number(offH) * 3600 + Number(offM) * 60 + Number(offS)) * (sign === '-' ? -1 : 1);
  const time = date.getTime() - offset * 1000;
  return Number.isNaN(time) || Math.abs(time) > INFINITY_DATE ? undefined : new Date(time);
}
