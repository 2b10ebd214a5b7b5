/**
 * Second step of `npm run build` (after tsc has written the .d.ts files):
 * bundles every entry point of package.json "exports" and "bin" into dist/,
 * so importing `@iftb/db` loads a handful of files instead of Node resolving
 * and loading each of our ~50 modules one by one. Dependencies stay external.
 * Code used by several entry points goes into shared chunks (splitting), so
 * a table or an error class is one object whichever entry a bot imports it
 * from: `instanceof` and Drizzle's table identity hold across entries.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

/** src/ files built into the paths package.json "exports" and "bin" point at. */
function entrySources(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { default: string }>;
    bin: Record<string, string>;
  };
  const targets = [
    ...Object.values(pkg.exports).map((t) => (typeof t === 'string' ? t : t.default)),
    ...Object.values(pkg.bin),
  ];
  return targets
    .filter((t) => t.startsWith('./dist/') && t.endsWith('.js'))
    .map((t) => join(root, t.replace('./dist/', 'src/').replace(/\.js$/, '.ts')));
}

const rootEntry = join(root, 'src/index.ts');

/**
 * Every other entry point also imports the root entry (for its side effects
 * only), so the modules the root reaches are shared by every entry and land
 * in one or two chunks: `import '@iftb/db'` loads three files instead of a
 * dozen chunks split by which entries happen to share them (measured: 1.3x
 * -> 1.2x of the baseline). A subpath entry such as `@iftb/db/schema` in turn
 * loads all of the root's code, which costs it no more than the root import.
 */
const rootInEveryEntry: Plugin = {
  name: 'root-in-every-entry',
  setup(b) {
    const others = new Set(entrySources().filter((e) => e !== rootEntry));
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!others.has(args.path)) return undefined;
      return { contents: `${readFileSync(args.path, 'utf8')}\nimport ${JSON.stringify(rootEntry)};\n`, loader: 'ts' };
    });
  },
};

const result = await build({
  entryPoints: entrySources(),
  plugins: [rootInEveryEntry],
  outdir: dist,
  outbase: join(root, 'src'),
  // Chunks sit in dist/ itself: migration-files.ts finds the shipped
  // drizzle/ folder as `../drizzle` from its own file (checked below).
  chunkNames: '_chunks-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  absWorkingDir: root,
});

// A file that locates drizzle/ from import.meta.url must sit directly in dist/.
for (const [output, meta] of Object.entries(result.metafile.outputs)) {
  const readsMigrations = Object.keys(meta.inputs).some((input) => input.endsWith('src/migration-files.ts'));
  if (readsMigrations && dirname(resolve(root, output)) !== dist) {
    throw new Error(
      `${relative(root, output)} holds migration-files.ts but is not directly in dist/: '../drizzle' would miss the shipped migrations`,
    );
  }
}
