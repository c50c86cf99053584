#!/usr/bin/env bash
# Measures the counselor's caseload page with many couples: starts the release server on a
# fresh SQLite practice (demo accounts), opens N couples through the real form endpoint,
# then times the first caseload page, a search and the last page over repeated requests.
# Usage: scripts/bench-caseload.sh [couples=500] [requests=50]
set -euo pipefail
cd "$(dirname "$0")/.."
couples="${1:-500}"
requests="${2:-50}"
port=3977
base="http://127.0.0.1:$port"
bin=target/release/server
[ -x "$bin" ] || cargo build -p server --release
[ -f target/site/pkg/trellis.wasm ] || scripts/build-site.sh release
data=$(mktemp -d)
TRELLIS_DEMO=1 TRELLIS_DATA_DIR="$data" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  LEPTOS_SITE_ROOT=target/site RUST_LOG=warn "$bin" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -fs "$base/healthz" > /dev/null && break; sleep 0.2; done

jar="$data/cookies"
post() { curl -fs -o /dev/null -b "$jar" -c "$jar" -H 'sec-fetch-site: same-origin' "$@"; }
post -X POST "$base/api/sign_in" --data 'email=counselor@demo.trellis.test&password=trellis-demo'
start=$(date +%s%N)
for i in $(seq "$couples"); do
  post -X POST "$base/api/create_couple" \
    --data "couple[case_name]=Bench+$i&couple[partner1_name]=Avery+$i&couple[partner1_email]=a$i@bench.test&couple[partner2_name]=Blake+$i&couple[partner2_email]=b$i@bench.test"
done
echo "opened $couples couples in $(( ($(date +%s%N) - start) / 1000000 )) ms"

# Median and 95th percentile of `requests` timed GETs of a page.
measure() {
  local times
  times=$(for _ in $(seq "$requests"); do
    curl -fs -o /dev/null -b "$jar" -H 'accept: text/html' -w '%{time_total}\n' "$base$1"
  done | sort -n)
  local median p95
  median=$(echo "$times" | awk -v n="$requests" 'NR == int((n + 1) / 2) {print $1 * 1000}')
  p95=$(echo "$times" | awk -v n="$requests" 'NR == int(n * 0.95) {print $1 * 1000}')
  printf '%-34s median %6.1f ms   p95 %6.1f ms\n' "$1" "$median" "$p95"
}
pages=$(( (couples + 2 + 24) / 25 ))
measure "/"
measure "/?q=avery+4&status=&page=1"
measure "/?q=&status=&page=$pages"
echo "server memory (RSS): $(awk '/VmRSS/ {print $2 / 1024 " MiB"}' /proc/$server/status)"
