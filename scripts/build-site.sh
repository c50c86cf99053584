#!/usr/bin/env bash
# Builds what `cargo leptos build` builds, without needing cargo-leptos installed:
# the browser bundle (WASM + JS) into target/site/pkg, the stylesheet, the static assets,
# and the server binary. Usage: scripts/build-site.sh [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:-debug}"
site=target/site
pkg="$site/pkg"
mkdir -p "$pkg"
# Compressed copies belong to one build; never serve a stale one beside a new bundle.
rm -f "$pkg"/*.br "$pkg"/*.gz

if [ "$profile" = release ]; then
  cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features \
    --features hydrate --profile wasm-release --target-dir target/front
  wasm=target/front/wasm32-unknown-unknown/wasm-release/app.wasm
else
  # The dev profile strips symbols (Cargo.toml); wasm-bindgen reads the WASM's custom
  # sections, so the browser's build keeps them.
  CARGO_PROFILE_DEV_STRIP=none cargo build -p app --lib --target wasm32-unknown-unknown \
    --no-default-features --features hydrate --target-dir target/front
  wasm=target/front/wasm32-unknown-unknown/debug/app.wasm
fi

wasm-bindgen --target web --out-name trellis --out-dir "$pkg" --no-typescript "$wasm"
mv -f "$pkg/trellis_bg.wasm" "$pkg/trellis.wasm"
if [ "$profile" = release ]; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$pkg/trellis.wasm" -o "$pkg/trellis.wasm"
fi

cp style/main.css "$pkg/trellis.css"
cp -R style/assets/. "$site/"
if [ "$profile" = release ]; then
  node scripts/precompress.mjs "$pkg"
fi

if [ "$profile" = release ]; then
  cargo build -p server --release
else
  # The workspace's features, as `cargo test --workspace` resolves them: after the tests the
  # server is linked from what they already compiled, instead of compiling it a second time
  # with the narrower features of `-p server` (minutes, and half a gigabyte of disk).
  cargo build --workspace --bins
fi
echo "site built in $site ($profile): $(du -h "$pkg/trellis.wasm" | cut -f1) wasm"
