/**
 * `npm run db:check`: fails when the committed migrations, docs and API
 * report disagree with the code. Each step prints what it checked; the first failure sets the
 * exit code but the remaining steps still run, so one run shows every problem.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { staleObjects } from './sql-objects.ts';

type Step = { name: string; run(): Promise<void> | void };
const root = resolve(import.meta.dirname, '..');

/**
 * drizzle-kit generate into a scratch copy of drizzle/: a new migration means
 * drift. drizzle-kit wants relative paths (it prefixes "./" to `out`) and may
 * exit 0 on failure, so success is its own "No schema changes" line.
 */
function schemaDrift() {
  const scratch = mkdtempSync(join(tmpdir(), 'iftb-drift-'));
  try {
    cpSync(join(root, 'drizzle'), join(scratch, 'drizzle'), { recursive: true });
    writeFileSync(
      join(scratch, 'drizzle.config.mjs'),
      `export default ${JSON.stringify({
        dialect: 'postgresql',
        schema: relative(scratch, join(root, 'src/schema/index.ts')),
        out: './drizzle',
      })};\n`,
    );
    const output = execFileSync(
      join(root, 'node_modules/.bin/drizzle-kit'),
      ['generate', '--config=drizzle.config.mjs'],
      { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
    );
    if (output.includes('No schema changes')) return;
    const written = readdirSync(join(scratch, 'drizzle'))
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .at(-1);
    throw new Error(
      `drizzle-kit generate writes a new migration (${written}): run ` +
        '`npm run db:generate -- --name=<what changed>` and commit it\n' +
        output.split('\n').slice(-5).join('\n'),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function drizzleKitCheck() {
  execFileSync('npx', ['--no-install', 'drizzle-kit', 'check'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}

/** Functions, views, triggers, grants and comments: sources against a migrated database. */
async function sqlObjects() {
  const { stale, failed } = await staleObjects();
  const problems = [
    ...failed.map((f) => `source does not apply over the migrations: ${f}`),
    ...stale.map((s) => `not carried by a migration: ${s}`),
  ];
  if (problems.length) throw new Error(`${problems.join('\n')}\nrun \`tsx scripts/sql-objects.ts new <name>\``);
}

const steps: Step[] = [
  { name: 'schema drift (drizzle-kit generate)', run: schemaDrift },
  { name: 'drizzle-kit check', run: drizzleKitCheck },
  { name: 'SQL sources and comments migrated', run: sqlObjects },
  { name: 'docs/schema.md and docs/erd.md up to date', run: async () => (await import('./docs.ts')).assertDocsFresh() },
  {
    name: 'api/exports.md lists the public API',
    run: async () => (await import('./api-report.ts')).assertApiReportFresh(),
  },
];

let failed = false;
for (const step of steps) {
  try {
    await step.run();
    console.log(`ok   ${step.name}`);
  } catch (e) {
    failed = true;
    const err = e as Error & { stdout?: Buffer; stderr?: Buffer };
    console.error(`FAIL ${step.name}\n${err.message}${err.stderr ? `\n${err.stderr}` : ''}`);
  }
}
process.exitCode = failed ? 1 : 0;
