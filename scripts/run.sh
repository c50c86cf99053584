#!/usr/bin/env bash
# Sets up this machine (once) and runs Trellis at http://127.0.0.1:3000 on the embedded
# SQLite database in ./data. With TRELLIS_DEMO=1 an empty database gets the demo practice;
# without it, the first visit creates the first administrator.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_wasm_target
ensure_wasm_bindgen
ensure_wasm_opt
ensure_cargo_leptos

step "building and serving Trellis (release) at http://127.0.0.1:3000"
exec cargo leptos serve --release
