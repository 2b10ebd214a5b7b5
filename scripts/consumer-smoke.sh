#!/usr/bin/env bash
# Consumer smoke test: pack @iftb/db exactly as it would be published and use
# it from a scratch TypeScript bot that has tables of its own (a foreign key
# to trades.id, relations, its own drizzle-kit generate and journal):
# - the bot's drizzle-kit generate emits only the bot's tables, and its drift
#   checks are green;
# - every deploy order of library v1 -> v2 (v2's migration generated before
#   the bot's, simulated) and the bot's two migrations applies each migration
#   exactly once (scripts/consumer/deploy-orders.mjs);
# - the bot runs on postgres.js, node-postgres and PGlite against the
#   shipped .d.ts files (module NodeNext).
# DATABASE_URL (a server where we may create databases) enables the server
# drivers; without it only PGlite runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fixtures="$root/scripts/consumer"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/iftb-consumer-XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
version_of() { node -p "const p = require('$root/package.json'); (p.devDependencies['$1'] ?? p.dependencies['$1'])"; }

echo "== npm pack (prepack builds dist/)"
(cd "$root" && npm pack --pack-destination "$scratch" >"$scratch/pack.log" 2>&1) || { cat "$scratch/pack.log"; exit 1; }
tarball="$(ls "$scratch"/*.tgz)"
contents="$(tar -tzf "$tarball")"
echo "   $(basename "$tarball"): $(wc -l <<<"$contents") files, $(du -k "$tarball" | cut -f1) kB"
for required in package/dist/index.js package/dist/index.d.ts package/dist/bin.js package/dist/pglite.js \
  package/dist/node-postgres.js package/drizzle.config.mjs package/drizzle/meta/_journal.json package/docs/contract.md; do
  grep -qx "$required" <<<"$contents" || { echo "FAIL: $required is not in the package"; exit 1; }
done

echo "== library v2: v1 plus a migration generated before the bot's (its journal 'when' is just after v1's last)"
mkdir -p "$scratch/lib-v1" && tar -xzf "$tarball" -C "$scratch/lib-v1" --strip-components=1
cp -r "$scratch/lib-v1" "$scratch/lib-v2"
node - "$scratch/lib-v2" <<'JS'
const fs = require('fs'), dir = process.argv[2];
const journalPath = `${dir}/drizzle/meta/_journal.json`, journal = JSON.parse(fs.readFileSync(journalPath, 'utf8'));
const last = journal.entries.at(-1), idx = last.idx + 1, tag = `${String(idx).padStart(4, '0')}_library_v2`;
journal.entries.push({ ...last, idx, tag, when: last.when + 1 });
fs.writeFileSync(journalPath, JSON.stringify(journal, null, 2));
fs.writeFileSync(`${dir}/drizzle/${tag}.sql`, 'CREATE TABLE "library_v2_marker" ("id" integer PRIMARY KEY);\n');
const pkg = JSON.parse(fs.readFileSync(`${dir}/package.json`, 'utf8'));
fs.writeFileSync(`${dir}/package.json`, JSON.stringify({ ...pkg, version: '0.2.0' }, null, 2));
JS

echo "== install v1 into a scratch bot"
app="$scratch/app"
mkdir -p "$app/src"
cat >"$app/package.json" <<'JSON'
{ "name": "iftb-consumer-smoke", "private": true, "type": "module" }
JSON
cat >"$app/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
    "strict": true, "skipLibCheck": true, "outDir": "dist", "types": ["node"]
  },
  "include": ["src"]
}
JSON
(cd "$app" && npm install --no-audit --no-fund --prefer-offline --loglevel=error \
  "$tarball" "typescript@$(version_of typescript)" "@types/node@$(version_of @types/node)" \
  "drizzle-kit@$(version_of drizzle-kit)" "drizzle-orm@$(version_of drizzle-orm)" "postgres@$(version_of postgres)" \
  "pg@$(version_of pg)" "@types/pg@$(version_of @types/pg)" "@electric-sql/pglite@$(version_of @electric-sql/pglite)")
cp "$fixtures/drizzle.config.ts" "$app/"
cp "$fixtures/main.ts" "$app/src/main.ts"

echo "== the bot generates its migrations: its own tables only, drift checks green"
generate() {
  cp "$fixtures/schema.$1.ts" "$app/src/schema.ts"
  (cd "$app" && npx --no-install drizzle-kit generate --name="$2" >/dev/null)
  local file; file="$(ls "$app"/drizzle/*_"$2".sql)"
  local created; created="$(grep -o 'CREATE TABLE "[a-z_]*"' "$file" | sort | tr '\n' ' ')"
  [ "$created" = "$3" ] || { echo "FAIL: $file creates: $created (expected: $3)"; cat "$file"; exit 1; }
  grep -q 'REFERENCES "public"."trades"("id")' "$file" || { echo "FAIL: $file has no foreign key to trades"; exit 1; }
  mkdir -p "$app/bot-migrations/$4" && cp -r "$app/drizzle/." "$app/bot-migrations/$4/"
  echo "   $(basename "$file"): $created"
}
generate v1 trade_notes 'CREATE TABLE "trade_notes" ' 1
generate v2 trade_tags 'CREATE TABLE "trade_tags" ' 2
(cd "$app" && npx --no-install drizzle-kit generate | grep -q 'No schema changes') || { echo 'FAIL: the bot has schema drift'; exit 1; }
(cd "$app" && npx --no-install drizzle-kit check >/dev/null)
echo "   no schema changes; drizzle-kit check ok"

echo "== every deploy order: each migration once, in its own journal"
(cd "$app" && LIB_V1_DIR="$scratch/lib-v1" LIB_V2_DIR="$scratch/lib-v2" node "$fixtures/deploy-orders.mjs")

echo "== typecheck and run the bot on each driver (library v2)"
rm -rf "$app/node_modules/@iftb/db" && cp -r "$scratch/lib-v2" "$app/node_modules/@iftb/db"
(cd "$app" && npx --no-install tsc -p tsconfig.json)
fresh_database() {
  (cd "$app" && node --input-type=module -e "
    import postgres from 'postgres';
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe('DROP DATABASE IF EXISTS $1 WITH (FORCE)');
    await admin.unsafe('CREATE DATABASE $1');
    await admin.end();
    const url = new URL(process.env.DATABASE_URL); url.pathname = '/$1'; console.log(url.toString());")
}
drop_database() {
  (cd "$app" && node --input-type=module -e "
    import postgres from 'postgres';
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe('DROP DATABASE IF EXISTS $1 WITH (FORCE)'); await admin.end();")
}
if [ -n "${DATABASE_URL:-}" ]; then
  for driver in postgres-js node-postgres; do
    db="iftb_consumer_$$_${driver//-/_}"
    (cd "$app" && DATABASE_URL="$(fresh_database "$db")" node dist/main.js "$driver") || { drop_database "$db"; exit 1; }
    drop_database "$db"
  done
else
  echo "   DATABASE_URL unset: postgres.js and node-postgres skipped"
fi
(cd "$app" && env -u DATABASE_URL node dist/main.js pglite)
