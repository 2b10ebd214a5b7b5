/**
 * `npm run docs`: writes docs/schema.md and docs/erd.md from the schema code
 * and a scratch migrated database. The output has no timestamps, so the same
 * code always gives the same files; `npm run db:check` calls
 * assertDocsFresh() to fail when the committed files are stale.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { is } from 'drizzle-orm';
import { getViewConfig, PgView } from 'drizzle-orm/pg-core';
import * as functions from '../src/functions/index.ts';
import * as views from '../src/views/index.ts';
import { readCatalog, type PartitionInfo } from './docs/catalog.ts';
import { monthlyPartitioned } from '../src/schema/partitions.ts';
import { renderErd } from './docs/erd-md.ts';
import { renderSchema, type Wrappers } from './docs/schema-md.ts';
import { tableDocs } from './docs/table-docs.ts';

const root = resolve(import.meta.dirname, '..');
const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function wrappers(functionNames: string[]): Wrappers {
  const viewExports = Object.entries(views as Record<string, unknown>).filter(([, v]) => is(v, PgView));
  const fns = functions as Record<string, unknown>;
  return {
    views: new Map(viewExports.map(([key, v]) => [getViewConfig(v as PgView).name, key])),
    functions: new Map(functionNames.filter((n) => typeof fns[camel(n)] === 'function').map((n) => [n, camel(n)])),
  };
}

/**
 * drizzle-kit cannot see PARTITION BY, so the migrated partitioning is
 * compared here with its one declaration (src/schema/partitions.ts).
 */
function assertPartitioningAsDeclared(partitioned: PartitionInfo[]): void {
  const migrated = partitioned.map((p) => `${p.table}: ${p.key.replaceAll('"', '')}`).sort();
  const declared = Object.entries(monthlyPartitioned)
    .map(([table, column]) => `${table}: RANGE (${column})`)
    .sort();
  if (migrated.join('\n') !== declared.join('\n')) {
    throw new Error(
      `the migrated partitioning differs from src/schema/partitions.ts:\n  migrated: ${migrated.join(', ')}\n  declared: ${declared.join(', ')}`,
    );
  }
}

/** The generated files, path relative to the repository root -> content. */
async function renderDocs(): Promise<Map<string, string>> {
  const tables = tableDocs();
  const catalog = await readCatalog();
  assertPartitioningAsDeclared(catalog.partitioned);
  return new Map([
    ['docs/schema.md', renderSchema(tables, catalog, wrappers(catalog.functions.map((f) => f.name)))],
    ['docs/erd.md', renderErd(tables)],
  ]);
}

/** Throws naming every generated file that differs from what is on disk. */
export async function assertDocsFresh(): Promise<void> {
  const stale: string[] = [];
  for (const [path, text] of await renderDocs()) {
    const file = join(root, path);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(path);
  }
  if (stale.length) throw new Error(`stale: ${stale.join(', ')}: run \`npm run docs\` and commit the result`);
}

async function main() {
  for (const [path, text] of await renderDocs()) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    const changed = !existsSync(file) || readFileSync(file, 'utf8') !== text;
    if (changed) writeFileSync(file, text);
    console.log(`${changed ? 'wrote    ' : 'unchanged'} ${path}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
