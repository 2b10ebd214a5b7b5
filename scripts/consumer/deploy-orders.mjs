// Every deploy order of a bot with tables of its own: library v1 -> v2 (v2's
// migration was generated BEFORE the bot's first one) and bot migrations
// B1 -> B2, deployed with the library's bin or drizzle-kit and the shipped
// config, and the bot's own drizzle-kit. After each order: every migration
// applied exactly once, each in its own journal; a second deploy applies
// nothing. Runs on DATABASE_URL's server (when set) and on PGlite.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [libV1, libV2] = [process.env.LIB_V1_DIR, process.env.LIB_V2_DIR];
const installed = 'node_modules/@iftb/db';
const library = { v1: libV1, v2: libV2 };
const botMigrations = { b1: 'bot-migrations/1', b2: 'bot-migrations/2' };

function install(version, bot) {
  rmSync(installed, { recursive: true, force: true });
  cpSync(library[version], installed, { recursive: true });
  rmSync('drizzle', { recursive: true, force: true });
  cpSync(botMigrations[bot], 'drizzle', { recursive: true });
}

/** sha256 of each migration in journal order, as drizzle records them. */
function hashes(folder) {
  const { entries } = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8'));
  return entries.map((e) =>
    createHash('sha256')
      .update(readFileSync(join(folder, `${e.tag}.sql`), 'utf8'))
      .digest('hex'),
  );
}

function run(args, env) {
  try {
    return execFileSync('npx', ['--no-install', ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${args.join(' ')} failed:\n${e.stdout}\n${e.stderr}`);
  }
}
const steps = {
  'library (iftb-db migrate)': (env) => run(['iftb-db', 'migrate'], env),
  'library (drizzle-kit + shipped config)': (env) =>
    run(['drizzle-kit', 'migrate', '--config', `${installed}/drizzle.config.mjs`], env),
  'bot (drizzle-kit)': (env) => run(['drizzle-kit', 'migrate'], env),
};
const L = { bin: 'library (iftb-db migrate)', kit: 'library (drizzle-kit + shipped config)' };
const BOT = 'bot (drizzle-kit)';

const orders = {
  'upgrade, library first': [['v1', 'b1'], L.bin, BOT, ['v2', 'b2'], L.kit, BOT],
  'upgrade, bot first': [['v1', 'b1'], L.kit, BOT, ['v2', 'b2'], BOT, L.bin],
  'v1 library alone, then v2 with the bot': [['v1', 'b1'], L.kit, ['v2', 'b2'], L.bin, BOT],
  'fresh at v2': [['v2', 'b2'], L.kit, BOT],
};

/** A fresh database per order: { env, query(sql), drop() }. */
const targets = [];
if (process.env.DATABASE_URL) {
  const { default: postgres } = await import('postgres');
  targets.push({
    name: 'postgres',
    async open(i) {
      const name = `iftb_consumer_${process.pid}_${i}`;
      const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`);
      await admin.unsafe(`CREATE DATABASE ${name}`);
      const url = new URL(process.env.DATABASE_URL);
      url.pathname = `/${name}`;
      return {
        env: { ...process.env, DATABASE_URL: url.toString() },
        async query(text) {
          const c = postgres(url.toString(), { max: 1, onnotice: () => {} });
          try {
            return await c.unsafe(text);
          } finally {
            await c.end();
          }
        },
        async drop() {
          await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await admin.end();
        },
      };
    },
  });
} else {
  console.log('   DATABASE_URL unset: deploy orders run on PGlite only');
}
targets.push({
  name: 'pglite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'iftb-consumer-pglite-'));
    const { DATABASE_URL, ...env } = process.env;
    return {
      env: { ...env, PGLITE_DIR: dir },
      async query(text) {
        const { PGlite } = await import('@electric-sql/pglite');
        const db = new PGlite(dir);
        try {
          return (await db.query(text)).rows;
        } finally {
          await db.close();
        }
      },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

const expectedLibrary = hashes(join(libV2, 'drizzle'));
const expectedBot = hashes(botMigrations.b2);
const journal = async (t, table) => (await t.query(`SELECT hash FROM drizzle.${table} ORDER BY id`)).map((r) => r.hash);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

let i = 0;
for (const target of targets) {
  for (const [order, plan] of Object.entries(orders)) {
    const t = await target.open(i++);
    try {
      for (const step of plan) Array.isArray(step) ? install(...step) : steps[step](t.env);
      const [lib, bot] = [await journal(t, '__iftb_db_migrations'), await journal(t, '__drizzle_migrations')];
      if (!same(lib, expectedLibrary))
        throw new Error(`library journal: ${lib.length} rows, expected the ${expectedLibrary.length} of v2 once each`);
      if (!same(bot, expectedBot)) throw new Error(`bot journal: ${bot.length} rows, expected ${expectedBot.length}`);
      const tables = (
        await t.query(
          `SELECT to_regclass('library_v2_marker') AS v2, to_regclass('trade_notes') AS b1, to_regclass('trade_tags') AS b2`,
        )
      )[0];
      if (!tables.v2 || !tables.b1 || !tables.b2) throw new Error(`missing tables: ${JSON.stringify(tables)}`);
      // A second deploy of everything applies nothing.
      const again = steps[L.bin](t.env);
      if (!/nothing to apply/.test(again)) throw new Error(`second library deploy: ${again}`);
      steps[L.kit](t.env);
      steps[BOT](t.env);
      if (
        !same(await journal(t, '__iftb_db_migrations'), lib) ||
        !same(await journal(t, '__drizzle_migrations'), bot)
      ) {
        throw new Error('a second deploy changed a journal');
      }
      console.log(`   ok ${target.name}, ${order}: ${lib.length} library + ${bot.length} bot migrations, each once`);
    } catch (e) {
      throw new Error(`${target.name}, ${order}: ${e.message}`);
    } finally {
      await t.drop();
    }
  }
}
