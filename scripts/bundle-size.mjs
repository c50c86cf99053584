// Reports the raw, gzip (level 9) and brotli (quality 11) size of the browser bundle, and
// fails when the brotli total is over the budget in KB (1 KB = 1000 bytes).
// Usage: node scripts/bundle-size.mjs DIR BUDGET_KB
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const [dir, budget] = process.argv.slice(2);
let total = 0;
for (const name of readdirSync(dir).filter((n) => /\.(wasm|js)$/.test(n)).sort()) {
  const raw = readFileSync(join(dir, name));
  const gz = gzipSync(raw, { level: 9 }).length;
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  }).length;
  total += br;
  console.log(`${name.padEnd(14)} raw ${raw.length} B  gzip ${gz} B  brotli ${br} B`);
}
console.log(`total brotli ${(total / 1000).toFixed(1)} KB (budget ${budget} KB)`);
if (total > Number(budget) * 1000) {
  console.error("the browser bundle is over its size budget");
  process.exit(1);
}
