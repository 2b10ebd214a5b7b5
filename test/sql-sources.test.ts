/**
 * The SQL sources' order comes from their `-- depends:` headers: the headers
 * must name every other source object a body uses, each file must define the
 * object it is named after (its wrapper shares the name), and a bad header
 * is an error naming the file.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  declaredDependencies,
  loadSqlSources,
  SqlSourceOrderError,
  sqlObjectName,
  sqlSourceFolders,
  sqlSources,
  strayedSqlFiles,
  withoutDependsHeader,
} from '../src/sql-sources.ts';

const root = resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const allFiles = Object.values(sqlSources).flat();
/** The objects a source may use; roles.sql defines none (it grants, after every other folder). */
const objectNames = [...sqlSources.triggers, ...sqlSources.functions, ...sqlSources.views].map(sqlObjectName);

/**
 * What a source runs, without comments and COMMENT ON statements: a comment
 * may mention an object the code never touches.
 */
function code(text: string): string {
  return text
    .split('--> statement-breakpoint')
    .map((statement) => statement.replace(/\/\*[\s\S]*?\*\//g, '').replace(/--.*$/gm, ''))
    .filter((statement) => !/^\s*COMMENT\s+ON\b/i.test(statement))
    .join('\n');
}

describe('the SQL sources in the repository', () => {
  it('every source object a body uses is declared in its -- depends: header', () => {
    // roles.sql needs no header: it is applied after every other folder and grants on whatever exists.
    const undeclared = Object.entries(sqlSources)
      .filter(([group]) => group !== 'roles')
      .flatMap(([, files]) => files)
      .flatMap((file) => {
        const name = sqlObjectName(file);
        const declared = declaredDependencies(read(file));
        const body = code(read(file));
        return objectNames
          .filter((other) => other !== name && new RegExp(`\\b${other}\\b`).test(body))
          .filter((other) => !declared.includes(other))
          .map((other) => `${file} uses ${other}`);
      });
    expect(undeclared).toEqual([]);
  });

  it('every header names an object its body uses (no stale dependency)', () => {
    const stale = allFiles.flatMap((file) => {
      const body = code(read(file));
      return declaredDependencies(read(file))
        .filter((dep) => !new RegExp(`\\b${dep}\\b`).test(body))
        .map((dep) => `${file} declares ${dep}`);
    });
    expect(stale).toEqual([]);
  });

  it('every file comes after what it depends on', () => {
    const position = new Map(allFiles.map((f, i) => [sqlObjectName(f), i]));
    for (const [i, file] of allFiles.entries()) {
      for (const dep of declaredDependencies(read(file))) expect(position.get(dep), file).toBeLessThan(i);
    }
  });

  it('every function, trigger and view file defines the object it is named after', () => {
    const kinds = { functions: 'FUNCTION', triggers: 'FUNCTION', views: 'VIEW' } as const;
    for (const [group, keyword] of Object.entries(kinds)) {
      for (const file of sqlSources[group as keyof typeof kinds]) {
        const defined = new RegExp(`CREATE OR REPLACE ${keyword} (\\w+)`).exec(read(file))?.[1];
        expect(defined, file).toBe(sqlObjectName(file));
      }
    }
  });

  it.each(['functions', 'views'] as const)('every typed %s wrapper sits beside the .sql of the same name', (kind) => {
    const folder = join(root, sqlSourceFolders[kind]);
    const wrappers = readdirSync(folder).filter((f) => /^[a-z]\w*\.ts$/.test(f) && f !== 'index.ts');
    // Helpers are named with a hyphen or a leading _; every view is typed, some functions are internal.
    const named = wrappers.map((w) => `${sqlSourceFolders[kind]}/${w.replace(/\.ts$/, '.sql')}`);
    expect(named.length).toBeGreaterThan(0);
    for (const file of named) expect(sqlSources[kind], file).toContain(file);
    if (kind === 'views') expect([...sqlSources.views].sort()).toEqual(named.sort());
  });

  it('no .sql file under src/ lies outside the source folders', () => {
    expect(strayedSqlFiles(root)).toEqual([]);
  });
});

describe('ordering by -- depends:', () => {
  let scratch: string | undefined;
  afterEach(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  /** A package root holding the given sources (path -> text) and empty source folders. */
  function sources(files: Record<string, string>): string {
    scratch = mkdtempSync(join(tmpdir(), 'sql-sources-'));
    for (const folder of Object.values(sqlSourceFolders)) mkdirSync(join(scratch, folder), { recursive: true });
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    }
    return scratch;
  }

  it('puts dependencies first, and otherwise orders by file name', () => {
    const dir = sources({
      'src/functions/a.sql': '-- depends: c\nSELECT 1;',
      'src/functions/b.sql': 'SELECT 1;',
      'src/functions/c.sql': '-- some note\n-- depends: d, b\nSELECT 1;',
      'src/functions/d.sql': 'SELECT 1;',
      'src/views/v.sql': '-- depends: a\nSELECT 1;',
    });
    const order = loadSqlSources(dir);
    expect(order.functions).toEqual([
      'src/functions/b.sql',
      'src/functions/d.sql',
      'src/functions/c.sql',
      'src/functions/a.sql',
    ]);
    expect(order.views).toEqual(['src/views/v.sql']);
    expect(loadSqlSources(dir)).toEqual(order);
  });

  it('refuses an unknown dependency, naming the file', () => {
    const dir = sources({ 'src/functions/a.sql': '-- depends: nowhere\nSELECT 1;' });
    expect(() => loadSqlSources(dir)).toThrow(SqlSourceOrderError);
    expect(() => loadSqlSources(dir)).toThrow('src/functions/a.sql: depends on nowhere, which no SQL source defines');
  });

  it('refuses a cycle, naming a file on it', () => {
    const dir = sources({
      'src/functions/a.sql': '-- depends: b\nSELECT 1;',
      'src/functions/b.sql': '-- depends: c\nSELECT 1;',
      'src/functions/c.sql': '-- depends: b\nSELECT 1;',
    });
    expect(() => loadSqlSources(dir)).toThrow('src/functions/b.sql: a cycle of -- depends: b -> c -> b');
  });

  it('refuses a dependency on a folder applied later', () => {
    const dir = sources({ 'src/functions/f.sql': '-- depends: v\nSELECT 1;', 'src/views/v.sql': 'SELECT 1;' });
    expect(() => loadSqlSources(dir)).toThrow('src/functions/f.sql: depends on v (src/views/v.sql)');
  });

  it('refuses two files defining one name', () => {
    const dir = sources({ 'src/triggers/x.sql': 'SELECT 1;', 'src/functions/x.sql': 'SELECT 1;' });
    expect(() => loadSqlSources(dir)).toThrow('src/functions/x.sql: x is already defined by src/triggers/x.sql');
  });

  it('finds a .sql file left outside the source folders', () => {
    const dir = sources({ 'src/functions/triggers/t.sql': 'SELECT 1;' });
    expect(strayedSqlFiles(dir)).toEqual(['src/functions/triggers/t.sql']);
  });

  it('reads the header only before the first statement, and applies the source without it', () => {
    const text = '-- depends: a\n-- why\nCREATE VIEW v AS SELECT 1;\n-- depends: late\n';
    expect(declaredDependencies(text)).toEqual(['a']);
    expect(withoutDependsHeader(text)).toBe('-- why\nCREATE VIEW v AS SELECT 1;\n-- depends: late\n');
  });
});
