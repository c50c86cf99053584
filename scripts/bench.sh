#!/usr/bin/env bash
# The benchmarks (not part of scripts/test.sh; they take a while and want a quiet machine):
# builds the release server and site, checks the browser bundle against its size budget,
# then runs scripts/bench.py: seeded practices on SQLite and PostgreSQL under wrk.
# Usage: scripts/bench.sh [bench.py options, e.g. --couples 10000 --scale 1000,100000]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_apt wrk linux-perf
ensure_wasm_target
ensure_wasm_bindgen
ensure_wasm_opt
ensure_postgres

step "building the release site and server"
scripts/build-site.sh release

step "browser bundle size (budget: 100 KB brotli, WASM and JS together)"
node scripts/bundle-size.mjs target/site/pkg 100

step "load benchmarks"
exec python3 scripts/bench.py "$@"
