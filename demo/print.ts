/** Console output of the demo: section headers, progress lines and aligned tables. */

const tty = process.stdout.isTTY === true;

export const say = (text = '') => console.log(text);
export const section = (title: string) => say(`\n== ${title}`);

/** A progress counter: rewritten in place on a terminal, one final line otherwise. */
export function progress(label: string, total: number) {
  let last = -1;
  return (done: number) => {
    const pct = Math.floor((done / total) * 100);
    if (tty && pct !== last) process.stdout.write(`\r   ${label}: ${done}/${total} (${pct} %)`);
    last = pct;
    if (done >= total) {
      if (tty) process.stdout.write('\r\x1b[2K');
      say(`   ${label}: ${total}/${total}`);
    }
  };
}

/** A decimal string (or number) with `digits` places and thousands separators; '' for null. */
export function num(value: string | number | null | undefined, digits = 2, signed = false): string {
  if (value === null || value === undefined) return '';
  const n = Number(value);
  const text = n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return signed && n > 0 ? `+${text}` : text;
}

/** "2025-06-11 14:37" in UTC. */
export const utc = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '');
export const hhmm = (d: Date) => d.toISOString().slice(11, 16);

export interface Col<R> {
  label: string;
  value: (row: R) => string;
  right?: boolean;
}

/** An aligned text table with a header rule. */
export function table<R>(rows: R[], cols: Col<R>[]) {
  const cells = rows.map((r) => cols.map((c) => c.value(r)));
  const widths = cols.map((c, i) => Math.max(c.label.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    '   ' +
    values
      .map((v, i) => (cols[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  say(line(cols.map((c) => c.label)));
  say('   ' + widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of cells) say(line(r));
}

/** A one-row result as "label  value" lines. */
export function record(pairs: [string, string][]) {
  const width = Math.max(...pairs.map(([k]) => k.length));
  for (const [k, v] of pairs) say(`   ${k.padEnd(width)}  ${v}`);
}
