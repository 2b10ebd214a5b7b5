#!/usr/bin/env bash
# Consumer smoke test: pack @iftb/db exactly as it would be published, install
# the tarball into a scratch project, typecheck a small consumer against the
# shipped .d.ts files (module NodeNext) and run it on a fresh in-memory PGlite.
# Catches what the repository's own tests cannot: a broken exports map,
# missing files in the package, .ts specifiers left in dist/, migrations not
# found from node_modules.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/iftb-consumer-XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
dev_version() { node -p "require('$root/package.json').devDependencies['$1']"; }

echo "== npm pack (prepack builds dist/)"
(cd "$root" && npm pack --pack-destination "$scratch" >"$scratch/pack.log" 2>&1) || { cat "$scratch/pack.log"; exit 1; }
tarball="$(ls "$scratch"/*.tgz)"
contents="$(tar -tzf "$tarball")"
echo "   $(basename "$tarball"): $(wc -l <<<"$contents") files, $(du -k "$tarball" | cut -f1) kB"
for required in package/dist/index.js package/dist/index.d.ts package/drizzle/meta/_journal.json; do
  grep -qx "$required" <<<"$contents" || { echo "FAIL: $required is not in the package"; exit 1; }
done

echo "== install into a scratch project"
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
  "$tarball" "typescript@$(dev_version typescript)" "@types/node@$(dev_version @types/node)")

cat >"$app/src/main.ts" <<'TS'
import { close, createDb } from '@iftb/db';
import { migrate } from '@iftb/db/migrate';
import { isTradingAllowed } from '@iftb/db/functions';
import { ohlcvData, type NewOhlcvData } from '@iftb/db/schema';
import { ohlcvDataInsertSchema, validateRows } from '@iftb/db/validation';
import { eq } from 'drizzle-orm';

// Literal unions survive into the published types.
// @ts-expect-error '7m' is not a timeframe
const badTimeframe: NewOhlcvData['timeframe'] = '7m';
void badTimeframe;

const db = createDb(); // no URL: in-memory PGlite
try {
  const { applied } = await migrate(db);
  if (applied.length === 0) throw new Error('migrate applied nothing on an empty database');

  const candle: NewOhlcvData = {
    symbol: 'BTCUSDT', timeframe: '1h', timestamp: new Date('2025-01-01T00:00:00Z'),
    open: '94000.5', high: '94500', low: '93800.25', close: '94250.75', volume: '123.456',
  };
  const rows = validateRows(ohlcvDataInsertSchema, [candle]);
  await db.insert(ohlcvData).values(rows);
  const [stored] = await db.select().from(ohlcvData).where(eq(ohlcvData.symbol, 'BTCUSDT'));
  if (stored?.close !== '94250.75000000') throw new Error(`unexpected stored close: ${stored?.close}`);

  let rejected = '';
  try {
    validateRows(ohlcvDataInsertSchema, [{ ...candle, high: '93000' }]);
  } catch (e) {
    rejected = (e as Error).message;
  }
  if (!/high/.test(rejected)) throw new Error(`a candle with high below open was not rejected naming "high": ${rejected}`);

  const guard = await isTradingAllowed(db);
  if (!guard.allowed) throw new Error(`trading blocked on an empty database: ${guard.reason}`);
  console.log(`ok: ${applied.length} migrations, candle stored (close ${stored.close}), bad candle rejected, ` +
    `isTradingAllowed -> ${guard.allowed} (${guard.reason})`);
} finally {
  await close(db);
}
TS

echo "== typecheck and run the consumer"
(cd "$app" && npx --no-install tsc -p tsconfig.json && node dist/main.js)
