/**
 * What `import '@iftb/db'` costs a server bot: the time and resident memory
 * of importing the built root entry, next to drizzle-orm's postgres.js
 * driver plus postgres alone (the least a bot on this stack loads). Each
 * sample is a fresh Node process; the two alternate so machine load hits
 * both alike; medians are reported.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Report } from './report.ts';

const root = resolve(import.meta.dirname, '..');
const SAMPLES = 15;
const MiB = 1024 * 1024;

interface Sample {
  ms: number;
  rss: number;
}

function sample(specifiers: string[]): Sample {
  const code = `const t = performance.now();
    for (const s of ${JSON.stringify(specifiers)}) await import(s);
    process.stdout.write(JSON.stringify({ ms: performance.now() - t, rss: process.memoryUsage().rss }));`;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }),
  ) as Sample;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export function runImportCost(report: Report): void {
  console.error('import cost: building dist/ ...');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  const ours = [pathToFileURL(resolve(root, 'dist/index.js')).href];
  const baseline = ['drizzle-orm/postgres-js', 'postgres'];
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    b.push(sample(baseline));
    a.push(sample(ours));
  }
  const [ms, baseMs] = [median(a.map((s) => s.ms)), median(b.map((s) => s.ms))];
  const [rss, baseRss] = [median(a.map((s) => s.rss)) / MiB, median(b.map((s) => s.rss)) / MiB];
  const section = '0. Import (fresh process)';
  report.add({
    section,
    measure: `import '@iftb/db' (median of ${SAMPLES})`,
    result: `${ms.toFixed(0)} ms`,
    baseline: `drizzle-orm/postgres-js + postgres: ${baseMs.toFixed(0)} ms`,
    ratio: `${(ms / baseMs).toFixed(2)}x`,
    goal: '<= 1.3x',
    met: ms / baseMs <= 1.3,
  });
  report.add({
    section,
    measure: 'resident memory after the import',
    result: `${rss.toFixed(0)} MiB`,
    baseline: `${baseRss.toFixed(0)} MiB`,
    ratio: `+${(rss - baseRss).toFixed(1)} MiB`,
    goal: '<= +10 MiB',
    met: rss - baseRss <= 10,
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { Report } = await import('./report.ts');
  const report = new Report();
  runImportCost(report);
  console.log(report.render());
}
