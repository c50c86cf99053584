#!/usr/bin/env bash
# Sets up this machine (once) and runs every test: formatting, clippy on the server and the
# browser side, unit and integration tests on SQLite and on a real PostgreSQL server, and
# the end-to-end suite in headless Chromium with JavaScript on and off.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
# A one-shot build gains nothing from incremental caches, which on a fresh clone cost many
# gigabytes of disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
started=$(date +%s)
logs=$(mktemp -d)
passed=0
failed=0

# Adds the counts of a cargo test log to the totals.
count_cargo() {
  local p f
  p=$( (grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed' "$1" || true) | awk '{s += $4} END {print s + 0}')
  f=$( (grep -Eo '; [0-9]+ failed' "$1" || true) | awk '{s += $2} END {print s + 0}')
  passed=$((passed + p)); failed=$((failed + f))
}

step "setting up"
ensure_apt chromium
# calcurse: a real calendar app that imports the calendar feeds in the integration tests.
ensure_apt calcurse
ensure_apt sqlite3
ensure_wasm_target
ensure_wasm_bindgen
ensure_postgres
ensure_smtp_server
ensure_npm_project end2end
ensure_npm_project tests/fixtures/oidc

step "formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "the shape of app/src: floors, SQL only in repositories, file lengths (scripts/imports.py)"
python3 scripts/imports.py --check >/dev/null || python3 scripts/imports.py --check

step "clippy: server side"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "clippy: browser side (wasm32, hydrate)"
# With the profile the site's WASM build uses (scripts/build-site.sh): the build then reuses
# the build scripts and macros compiled here instead of compiling them again.
CARGO_PROFILE_DEV_STRIP=none cargo clippy -p app --lib --target wasm32-unknown-unknown \
  --no-default-features --features hydrate --target-dir target/front --quiet -- -D warnings

step "unit and integration tests (SQLite and PostgreSQL)"
status=0
cargo test --workspace 2>&1 | tee "$logs/cargo.log" || status=$?
count_cargo "$logs/cargo.log"
[ "$status" = 0 ] || { echo "cargo test failed"; echo "tests: $passed passed, $((failed > 0 ? failed : 1)) failed"; exit 1; }

step "building the site for the browser tests"
scripts/build-site.sh debug

step "end-to-end tests (Chromium, JavaScript on and off)"
status=0
(cd end2end && npx playwright test) 2>&1 | tee "$logs/e2e.log" || status=$?
# Counts from Playwright's closing lines ("  10 passed (15.7s)", "  1 failed").
p=$( (grep -Eo '^ *[0-9]+ passed' "$logs/e2e.log" || true) | tail -n 1 | awk '{print $1}')
f=$( (grep -Eo '^ *[0-9]+ failed' "$logs/e2e.log" || true) | tail -n 1 | awk '{print $1}')
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
if [ "$status" != 0 ] && [ "${f:-0}" = 0 ]; then failed=$((failed + 1)); fi

echo
echo "finished in $(( $(date +%s) - started )) s"
echo "tests: $passed passed, $failed failed"
[ "$failed" = 0 ]
