# Shared setup steps for scripts/run.sh and scripts/test.sh. Every step checks first and
# installs only what is missing, so a second run starts at once.
# shellcheck shell=bash

export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

apt_updated=0
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "installing ${missing[*]} (apt)"
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
ensure_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    step "installing wasm-bindgen-cli $want (about 3 minutes)"
    cargo install wasm-bindgen-cli --version "$want" --quiet
  fi
}

# Debian's binaryen is too old for current rustc output; npm's binaryen ships a good wasm-opt.
ensure_wasm_opt() {
  if ! command -v wasm-opt >/dev/null 2>&1; then
    step "installing wasm-opt (npm binaryen)"
    npm install --silent --no-audit --no-fund --prefix .tools binaryen@132.0.0 >/dev/null
  fi
}

ensure_cargo_leptos() {
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "0.3.10" ]; then
    step "installing cargo-leptos 0.3.10 (about 18 minutes, once)"
    cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads --quiet
  fi
}

ensure_npm_project() {
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    step "installing npm packages in $dir"
    (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
}

# Starts the local PostgreSQL server (installing it if needed) and exports
# TRELLIS_TEST_PG_URL for a role that may create the per-test databases.
ensure_postgres() {
  ensure_apt postgresql
  local cluster
  cluster=$(pg_lsclusters -h | head -n 1)
  if [ -z "$cluster" ]; then
    local version
    version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    pg_createcluster "$version" main >/dev/null
    cluster=$(pg_lsclusters -h | head -n 1)
  fi
  local version name port status
  read -r version name port status _ <<<"$cluster"
  if [ "$status" != online ]; then
    pg_ctlcluster "$version" "$name" start
  fi
  su postgres -c "psql -p $port -qtAc \"select 1 from pg_roles where rolname = 'trellis_test'\"" | grep -q 1 ||
    su postgres -c "psql -p $port -qc \"create role trellis_test login createdb password 'trellis_test'\""
  # Each integration test makes its own database; clear those left by earlier runs.
  su postgres -c "psql -p $port -qtAc \"select datname from pg_database where datname like 'trellis_test_%'\"" |
    while read -r db; do
      [ -n "$db" ] && { su postgres -c "dropdb -p $port --if-exists --force $db" || true; }
    done
  export TRELLIS_TEST_PG_URL="postgres://trellis_test:trellis_test@127.0.0.1:$port/postgres"
}

# A real SMTP server for the email tests: aiosmtpd (PyPI) in a virtual environment of its own,
# beside icalendar (PyPI), the real iCalendar parser the calendar-feed tests read feeds with.
# Exports TRELLIS_TEST_PYTHON, the interpreter the tests start them with.
ensure_smtp_server() {
  local venv="$PWD/.tools/smtp"
  if ! "$venv/bin/python" -c 'import aiosmtpd' >/dev/null 2>&1; then
    step "installing aiosmtpd (a real SMTP server for the email tests)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check aiosmtpd==1.4.6
  fi
  if ! "$venv/bin/python" -c 'import icalendar' >/dev/null 2>&1; then
    step "installing icalendar (a real iCalendar parser for the calendar-feed tests)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check icalendar==7.3.2
  fi
  export TRELLIS_TEST_PYTHON="$venv/bin/python"
}
