// Writes brotli (.br) and gzip (.gz) copies beside the browser bundle's files, which the
// server sends to browsers that accept them (tower-http's precompressed ServeDir).
// Usage: node scripts/precompress.mjs DIR
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dir = process.argv[2];
for (const name of readdirSync(dir).filter((n) => /\.(wasm|js|css)$/.test(n))) {
  const raw = readFileSync(join(dir, name));
  writeFileSync(
    join(dir, `${name}.br`),
    brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
  );
  writeFileSync(join(dir, `${name}.gz`), gzipSync(raw, { level: 9 }));
}
