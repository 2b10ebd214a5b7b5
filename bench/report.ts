/** The bench's single result table: one row per figure, with its baseline, ratio and goal. */

export interface Figure {
  section: string;
  measure: string;
  result: string;
  /** What the result is compared with, and that figure. */
  baseline?: string;
  ratio?: string;
  goal?: string;
  /** undefined = no goal; 'n/a' when the figure could not be measured. */
  met?: boolean | 'n/a';
}

/** A table of its own (a matrix of figures), printed after the main one; its verdicts join the summary. */
export interface ExtraTable {
  /** Short name, for the summary of missed goals. */
  name: string;
  title: string;
  head: string[];
  rows: string[][];
  verdicts: { label: string; met: boolean | 'n/a' }[];
}

export class Report {
  readonly figures: Figure[] = [];
  readonly tables: ExtraTable[] = [];

  add(figure: Figure): void {
    this.figures.push(figure);
    const verdict = figure.met === undefined ? '' : ` [${verdictOf(figure.met)}]`;
    console.error(
      `  ${figure.section} | ${figure.measure}: ${figure.result}${figure.ratio ? ` (${figure.ratio})` : ''}${verdict}`,
    );
  }

  /** A figure whose SQL object is missing from the migrations (being written by someone else). */
  missing(section: string, measure: string, goal?: string): void {
    this.add({ section, measure, result: 'n/a (missing)', goal, met: goal ? 'n/a' : undefined });
  }

  addTable(table: ExtraTable): void {
    this.tables.push(table);
    console.error(`  ${table.title}\n${markdownTable(table.head, table.rows)}`);
  }

  /** Labels of the goals missed, in the main table and the extra ones. */
  missed(): string[] {
    return [
      ...this.figures.filter((f) => f.met === false).map((f) => `${f.section} / ${f.measure}`),
      ...this.tables.flatMap((t) => t.verdicts.filter((v) => v.met === false).map((v) => `${t.name} / ${v.label}`)),
    ];
  }

  /** Markdown tables, pasteable into the README: the main one, then each extra one under its title. */
  render(): string {
    const head = ['Section', 'Measure', 'Result', 'Compared with', 'Ratio', 'Goal', 'Met'];
    const rows = this.figures.map((f) => [
      f.section,
      f.measure,
      f.result,
      f.baseline ?? '',
      f.ratio ?? '',
      f.goal ?? '',
      f.met === undefined ? '' : verdictOf(f.met),
    ]);
    return [
      markdownTable(head, rows),
      ...this.tables.map((t) => `\n${t.title}\n\n${markdownTable(t.head, t.rows)}`),
    ].join('\n');
  }
}

function markdownTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${head.map((_, i) => (cells[i] ?? '').padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const verdictOf = (met: boolean | 'n/a') => (met === 'n/a' ? 'n/a' : met ? 'met' : 'MISSED');

// ---- formatting -------------------------------------------------------------

export const rate = (rowsPerSecond: number) => `${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s`;
export const ms = (milliseconds: number) =>
  milliseconds >= 100
    ? `${Math.round(milliseconds).toLocaleString('en-US')} ms`
    : milliseconds >= 1
      ? `${milliseconds.toFixed(2)} ms`
      : `${milliseconds.toFixed(3)} ms`;
export const times = (ratio: number) =>
  `${ratio >= 10 ? Math.round(ratio).toLocaleString('en-US') : ratio.toFixed(2)}x`;
export const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
export const count = (n: number) => n.toLocaleString('en-US');
