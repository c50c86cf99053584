#!/usr/bin/env python3
"""Load benchmark for Trellis: a large seeded practice, the release server, and wrk.

Run through scripts/bench.sh, which installs wrk, builds the release server and site,
and checks the WASM size budget first. For each engine it seeds (once; kept under
target/bench) a practice with `server seed-practice`, starts the release server on it,
signs in a counselor and a partner, and then runs wrk at 32 connections against:

  ceiling    a static 404 from the same server (/pkg/...): what the server does for free
  dashboard  the counselor's caseload (GET /)
  case       one case page's overview (GET /cases/ID)
  case-hw    the same case's program and homework section (GET /cases/ID/homework)
  homework   the partner's home with their homework list (GET /)
  submit     homework submissions (POST /api/save_homework), each a new version saved
             with synchronous=FULL on SQLite

Each target runs `--runs` times in turn (ceiling first in every round, so all share
the server's state), and the table reports medians. It also samples the server's
resident memory during the load, and checks that every acknowledged submission is in
the database afterwards. Then the scale check: the dashboard at two practice sizes.

Last, the targets: each page at 40% of the ceiling or more with a p99 of 25 ms or less,
memory under load at 60 MiB or less, the dashboard at the large practice within 1.2x of
the small one, the browser's WASM at 100 KB brotli or less; met or not. For each page that
misses, perf samples the whole machine while wrk loads that page, and the report says
where the CPU time went (SQLite, the server's own code, the allocator, the kernel...) and
the next step for the largest parts (`--no-profile` skips this).
"""

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# TRELLIS_BENCH_BIN runs another build (to compare two versions on the same practice).
BIN = os.environ.get("TRELLIS_BENCH_BIN") or os.path.join(ROOT, "target", "release", "server")
WORK = os.path.join(ROOT, "target", "bench")
PG_ADMIN = "postgres://trellis_test:trellis_test@127.0.0.1:{port}/{db}"
PASSWORD = "trellis-bench"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def pg_port():
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    return out.split()[2]


def psql(sql, db="postgres"):
    return subprocess.run(
        ["su", "postgres", "-c", f"psql -p {pg_port()} -d {db} -qtAc \"{sql}\""],
        capture_output=True, text=True, check=True,
    ).stdout.strip()


class Practice:
    """A seeded practice on one engine, kept between runs."""

    def __init__(self, engine, couples, seed):
        self.engine, self.couples, self.seed = engine, couples, seed
        self.name = f"{engine}-{couples}-s{seed}"
        self.dir = os.path.join(WORK, self.name)
        self.pg_db = f"trellis_bench_{couples}_s{seed}"

    def env(self):
        env = dict(os.environ, TRELLIS_DATA_DIR=self.dir, RUST_LOG="warn")
        env.pop("TRELLIS_DEMO", None)
        if self.engine == "postgres":
            env["DATABASE_URL"] = PG_ADMIN.format(port=pg_port(), db=self.pg_db)
        else:
            env.pop("DATABASE_URL", None)
        return env

    def ensure_seeded(self):
        marker = os.path.join(self.dir, "seeded")
        if os.path.exists(marker):
            log(f"using the practice seeded earlier in {self.dir}")
            return
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        if self.engine == "postgres":
            psql(f"drop database if exists {self.pg_db} with (force)")
            psql(f"create database {self.pg_db} owner trellis_test")
        log(f"seeding {self.couples} couples on {self.engine} (seed {self.seed})")
        started = time.time()
        subprocess.run(
            [BIN, "seed-practice", "--couples", str(self.couples), "--seed", str(self.seed)],
            env=self.env(), check=True,
        )
        with open(marker, "w") as f:
            f.write(f"{time.time() - started:.1f}\n")

    def seed_seconds(self):
        with open(os.path.join(self.dir, "seeded")) as f:
            return float(f.read())

    def count_submissions(self, assignment_id):
        if self.engine == "postgres":
            return int(psql(
                f"select count(*) from submission where assignment_id = '{assignment_id}'",
                self.pg_db))
        conn = sqlite3.connect(os.path.join(self.dir, "trellis.db"))
        try:
            return conn.execute(
                "select count(*) from submission where assignment_id = ?", (assignment_id,)
            ).fetchone()[0]
        finally:
            conn.close()


class Server:
    def __init__(self, practice, port):
        self.practice, self.port = practice, port
        self.base = f"http://127.0.0.1:{port}"
        env = practice.env()
        env.update(LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
                   LEPTOS_SITE_ROOT=os.path.join(ROOT, "target", "site"))
        self.log = open(os.path.join(practice.dir, "server.log"), "w")
        self.proc = subprocess.Popen([BIN], env=env, stdout=self.log, stderr=self.log)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise SystemExit("the server did not answer /healthz within 30 s")

    def rss_kib(self, field="VmRSS"):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def reset_high_water_mark(self):
        """Starts the kernel's high-water mark (VmHWM) again from the present size. Signing
        in hashes each password with Argon2, which holds 19 MiB for a moment, so without
        this the mark would be the bench's two sign-ins, not the load."""
        with open(f"/proc/{self.proc.pid}/clear_refs", "w") as f:
            f.write("5")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()

    def request(self, path, cookie=None, data=None):
        headers = {"Accept": "text/html", "Sec-Fetch-Site": "same-origin"}
        if cookie:
            headers["Cookie"] = cookie
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            resp = opener.open(req, timeout=30)
        except urllib.error.HTTPError as e:
            resp = e
        return resp.status, resp.headers, resp.read().decode("utf-8", "replace")

    def sign_in(self, email):
        status, headers, _ = self.request(
            "/api/sign_in", data={"email": email, "password": PASSWORD})
        for value in headers.get_all("Set-Cookie") or []:
            if value.startswith("trellis_session="):
                return value.split(";")[0]
        raise SystemExit(f"signing in as {email} failed ({status})")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, cookie, duration, connections, script=None, env=None):
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s",
           "-H", "Accept: text/html", "-H", f"Cookie: {cookie or 'none=0'}",
           "-H", "Sec-Fetch-Site: same-origin"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True,
                         env=dict(os.environ, **(env or {}))).stdout
    def latency(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(m.group(1)) * UNITS[m.group(2)]
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50), "p99": latency(99),
        "requests": total,
        "non2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


POST_SCRIPT = """
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
"""


def targets(server):
    """Signs in and finds the pages to load: the first case on counselor 1's dashboard,
    and the first open homework of one of that counselor's partners."""
    counselor = server.sign_in("counselor1@bench.trellis.test")
    _, _, page = server.request("/", counselor)
    case = re.search(rf"/cases/({UUID})", page)
    if not case:
        raise SystemExit("the counselor's dashboard lists no case")
    # The first partner (of the first few couples) with open homework that takes a submission.
    for n in range(100):
        partner = server.sign_in(f"p{n}-1@bench.trellis.test")
        _, _, home = server.request("/", partner)
        for assignment in re.findall(rf"/homework/({UUID})", home):
            _, _, form = server.request(f"/homework/{assignment}", partner)
            keys = re.findall(r'<textarea[^>]*name="answers\[([^\]]+)\]"', form)
            if not keys:
                continue
            data = {"assignment_id": assignment,
                    f"answers[{keys[0]}]": "Benchmark answer: I kept my word.",
                    "visibility": "counselor", "intent": "submit"}
            status, _, _ = server.request("/api/save_homework", partner, data)
            if status < 400:
                body = urllib.parse.urlencode(data)
                break
        else:
            continue
        break
    else:
        raise SystemExit("no partner among the first 100 couples has homework to submit")
    return {
        "ceiling": ("/pkg/not-a-file.js", None, None),
        "dashboard": ("/", counselor, None),
        "case": (f"/cases/{case.group(1)}", counselor, None),
        "case-hw": (f"/cases/{case.group(1)}/homework", counselor, None),
        "homework": ("/", partner, None),
        "submit": ("/api/save_homework", partner, body),
    }, assignment


def load(server, page, seconds, args):
    """wrk against one target (a page, or the submission POST) for `seconds`."""
    path, cookie, body = page
    return wrk(server.base + path, cookie, seconds, args.connections,
               POST_FILE if body else None, {"BENCH_BODY": body or ""})


def measure(practice, args, names):
    server = Server(practice, args.port)
    try:
        pages, assignment = targets(server)
        # Warm up every target so the first round is not the only one with cold caches.
        for name in names:
            load(server, pages[name], 2, args)
        before = practice.count_submissions(assignment)
        server.reset_high_water_mark()
        peak = [0]
        anon, file = [0], [0]
        stop = threading.Event()
        def sample():
            while not stop.is_set():
                rss = server.rss_kib()
                if rss > peak[0]:
                    peak[0] = rss
                    anon[0], file[0] = server.rss_kib("RssAnon"), server.rss_kib("RssFile")
                time.sleep(0.2)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        results = {name: [] for name in names}
        acknowledged = 0
        for r in range(args.runs):
            for name in names:
                res = load(server, pages[name], args.duration, args)
                if name != "ceiling" and (res["non2xx"] or res["socket_errors"]
                                          or res["requests"] == 0):
                    raise SystemExit(f"{name}: {res['requests']} answers, {res['non2xx']} "
                                     f"error responses, {res['socket_errors']} socket errors "
                                     f"(see {practice.dir}/server.log)")
                if name == "submit":
                    acknowledged += res["requests"]
                results[name].append(res)
                log(f"  {practice.name} round {r + 1} {name:<9} {res['rps']:>9.0f} req/s "
                    f"p50 {res['p50']:6.2f} ms p99 {res['p99']:6.2f} ms")
        stop.set()
        sampler.join()
        stored = practice.count_submissions(assignment) - before
        return {
            "results": results,
            "rss_peak_mib": peak[0] / 1024,
            "hwm_mib": server.rss_kib("VmHWM") / 1024,
            "anon_mib": anon[0] / 1024,
            "file_mib": file[0] / 1024,
            "acknowledged": acknowledged,
            "stored": stored,
        }
    finally:
        server.stop()


# What the CPU was doing, read from perf's (command, library, symbol) of each sample, and
# what would make that part smaller. The first rule that matches a sample takes it.
PARTS = [
    ("wrk, the load generator (it shares the cores, in the ceiling's runs too)",
     lambda comm, dso, sym: comm == "wrk", None),
    ("PostgreSQL's own processes (planning and running the statements)",
     lambda comm, dso, sym: comm.startswith("postgres"),
     "the page's statements on PostgreSQL: EXPLAIN ANALYZE each one the page runs "
     "(tests/budgets lists them) and read fewer rows"),
    ("the memory allocator (glibc malloc and free)",
     lambda comm, dso, sym: "libc" in dso and re.match(
         r"(_int_|__libc_|malloc|free|cfree|realloc|calloc|unlink_chunk|tcache|sysmalloc)", sym),
     "fewer allocations per request: sqlx's Any driver copies every row it reads into an "
     "AnyRow; pools typed per engine (SqlitePool, PgPool) would read rows without the copy"),
    ("copying and comparing memory (libc mem* functions)",
     lambda comm, dso, sym: "libc" in dso and re.match(r"_*mem", sym),
     "fewer copies: the Any driver's row copy (as above), and the page's HTML is built in "
     "pieces and joined; a buffer sized for the page would copy it once"),
    ("the kernel (network, scheduling and thread wake-ups)",
     lambda comm, dso, sym: "kernel" in dso,
     "fewer thread crossings: each SQLite statement is handed to its connection's thread "
     "and back (a wake-up each way); fewer statements per page, or a connection held by "
     "the request's own thread"),
    ("SQLite running the statements (the connections' threads)",
     lambda comm, dso, sym: comm.startswith("sqlx-sqlite"),
     "the statements' own work: fewer rows and index pages read (counts kept on rows, "
     "partial indexes), and the page cache sized so those pages stay in memory"),
    ("the server's Rust code (routing, sessions, rendering the page)",
     lambda comm, dso, sym: comm.startswith("tokio") or comm == "server",
     "the render: time the page's view on its own, and allocate less while rendering"),
    ("everything else", lambda comm, dso, sym: True, None),
]


def perf_profile(server, pages, name, args, seconds):
    """Samples the whole machine with perf while wrk loads one target (so PostgreSQL's
    processes count too), and says where the CPU time went: by part (PARTS), with each
    part's next step, and the symbols that took the most."""
    data = os.path.join(server.practice.dir, f"perf-{name}.data")
    load(server, pages[name], 1, args)
    perf = subprocess.Popen(["perf", "record", "-q", "-a", "-F", "999", "-o", data],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    res = load(server, pages[name], seconds, args)
    perf.send_signal(signal.SIGINT)
    perf.wait()
    if not os.path.exists(data):
        return (f"perf could not sample the machine while loading {name} (it needs root, or "
                f"kernel.perf_event_paranoid at -1).\n")
    out = subprocess.run(
        ["perf", "report", "-i", data, "--stdio", "--no-children", "-g", "none",
         "--sort", "comm,dso,sym", "-t", "|", "--percent-limit", "0"],
        capture_output=True, text=True).stdout
    os.remove(data)
    parts = {label: 0.0 for label, _, _ in PARTS}
    symbols = []
    for line in out.splitlines():
        cols = [c.strip() for c in line.split("|")]
        if len(cols) != 4 or not cols[0].endswith("%"):
            continue
        share, comm, dso = float(cols[0][:-1]), cols[1], cols[2]
        sym = re.sub(r"^\[.\]\s*", "", cols[3])
        if comm == "swapper":
            continue  # idle
        for label, test, _ in PARTS:
            if test(comm, dso, sym):
                parts[label] += share
                break
        symbols.append((share, comm, sym))
    lines = [f"#### Where the time goes: {name} on {server.practice.engine} "
             f"(perf, whole machine, {seconds} s: {res['rps']:,.0f} req/s, "
             f"p99 {res['p99']:.2f} ms under perf)", "",
             "| share of CPU samples | part |", "|---:|---|"]
    for label, share in sorted(parts.items(), key=lambda x: -x[1]):
        if share >= 0.5:
            lines.append(f"| {share:.1f}% | {label} |")
    top = sorted(symbols, reverse=True)[:10]
    lines += ["", "Top symbols: " + "; ".join(f"{sym[:60]} ({comm}) {share:.1f}%"
                                               for share, comm, sym in top), ""]
    steps = [(parts[label], label, step) for label, _, step in PARTS if step]
    steps.sort(reverse=True)
    lines.append("Next steps, largest part first:")
    lines += [f"{i + 1}. {step} ({label}: {share:.1f}%)."
              for i, (share, label, step) in enumerate(steps[:2])]
    lines.append("")
    return "\n".join(lines)


def profile(practice, args):
    """`--profile TARGET`: where one target's time goes, printed."""
    server = Server(practice, args.port)
    try:
        pages, _ = targets(server)
        print(perf_profile(server, pages, args.profile, args, args.duration))
    finally:
        server.stop()


# The targets (issue 18): each page at 40% of the ceiling or more with a p99 of
# 25 ms or less, the server's memory under load at 60 MiB or less, the dashboard at the
# large practice within 1.2x of the small one, and the browser's WASM at 100 KB brotli.
PAGES = {"dashboard": "counselor dashboard", "case": "case page, overview",
         "case-hw": "case page, homework section", "homework": "partner home"}
SHARE_TARGET = 0.40
P99_TARGET_MS = 25.0
RSS_TARGET_MIB = 60.0
SCALE_TARGET = 1.2
WASM_TARGET_KB = 100.0


def page_targets(engine, m):
    """The rows of the targets table for one engine, and the pages that missed."""
    res = m["results"]
    ceiling = median([r["rps"] for r in res["ceiling"]])
    rows, missed = [], []
    for name, label in PAGES.items():
        share = median([r["rps"] for r in res[name]]) / ceiling
        p99 = median([r["p99"] for r in res[name]])
        met = share >= SHARE_TARGET and p99 <= P99_TARGET_MS
        if not met:
            missed.append(name)
        rows.append(f"| {label}, {engine}: >= {SHARE_TARGET:.0%} of the ceiling, p99 <= "
                    f"{P99_TARGET_MS:.0f} ms | {share:.1%}, {p99:.1f} ms | "
                    f"{'met' if met else 'not met'} |")
    worst = max(m["rss_peak_mib"], m["hwm_mib"])
    rows.append(f"| memory under load, {engine}: <= {RSS_TARGET_MIB:.0f} MiB | peak "
                f"{m['rss_peak_mib']:.1f}, high-water mark {m['hwm_mib']:.1f} MiB | "
                f"{'met' if worst <= RSS_TARGET_MIB else 'not met'} |")
    return rows, missed


def wasm_kb():
    """The browser bundle's brotli size in KB, the WASM alone and with its JavaScript, when
    scripts/bench.sh has built the site."""
    pkg = os.path.join(ROOT, "target", "site", "pkg")
    if not os.path.isdir(pkg) or not any(n.endswith(".wasm") for n in os.listdir(pkg)):
        return None
    out = subprocess.run(["node", os.path.join(ROOT, "scripts", "bundle-size.mjs"), pkg,
                          "1000000"], capture_output=True, text=True, check=True).stdout
    wasm = sum(int(b) for b in re.findall(r"\.wasm\s.*brotli (\d+) B", out))
    return wasm / 1000, float(re.search(r"total brotli ([\d.]+) KB", out).group(1))


def targets_report(args, summary, scale_rows):
    """The targets table, then a profile of each page that missed its target."""
    rows, missed = [], {}
    for engine, m in summary.items():
        engine_rows, missed[engine] = page_targets(engine, m)
        rows += engine_rows
    rows += scale_rows
    kb = wasm_kb()
    if kb is None:
        rows.append(f"| browser bundle: WASM <= {WASM_TARGET_KB:.0f} KB brotli | not built "
                    f"(scripts/bench.sh builds it) | |")
    else:
        rows.append(f"| browser bundle: WASM <= {WASM_TARGET_KB:.0f} KB brotli | {kb[0]:.1f} KB "
                    f"({kb[1]:.1f} KB with its JavaScript) | "
                    f"{'met' if kb[0] <= WASM_TARGET_KB else 'not met'} |")
    out = ["### Targets", "", "| target | measured | |", "|---|---|---|", *rows, ""]
    if args.no_profile or not any(missed.values()):
        return "\n".join(out)
    if shutil.which("perf") is None:
        out.append("perf is not installed (Debian's linux-perf): no profiles.\n")
        return "\n".join(out)
    for engine, names in missed.items():
        if not names:
            continue
        server = Server(Practice(engine, args.couples, args.seed), args.port)
        try:
            pages, _ = targets(server)
            for name in names:
                log(f"  profiling {name} on {engine}")
                out.append(perf_profile(server, pages, name, args, args.profile_seconds))
        finally:
            server.stop()
    return "\n".join(out)


def median(xs):
    return statistics.median(xs)


def table(engine, couples, m):
    res = m["results"]
    ceiling = median([r["rps"] for r in res["ceiling"]])
    lines = [f"### {engine}, {couples:,} couples", "",
             "| target | req/s | p50 ms | p99 ms | of ceiling |", "|---|---:|---:|---:|---:|"]
    for name, runs in res.items():
        rps = median([r["rps"] for r in runs])
        lines.append(f"| {name} | {rps:,.0f} | {median([r['p50'] for r in runs]):.2f} | "
                     f"{median([r['p99'] for r in runs]):.2f} | {rps / ceiling:.0%} |")
    lines += ["", f"Server memory under load: peak RSS {m['rss_peak_mib']:.1f} MiB "
              f"(sampled every 0.2 s; at that moment {m['anon_mib']:.1f} MiB private and "
              f"{m['file_mib']:.1f} MiB of the server's own file, its code), high-water mark "
              f"{m['hwm_mib']:.1f} MiB (reset after the sign-ins and warm-up).",
              f"Submissions acknowledged: {m['acknowledged']:,}; in the database afterwards: "
              f"{m['stored']:,} (requests still in flight when wrk stopped may add a few).", ""]
    return "\n".join(lines)


POST_FILE = os.path.join(WORK, "post.lua")


LIGHTHOUSE = os.path.join(ROOT, ".tools", "lighthouse", "node_modules", ".bin", "lighthouse")
BUDGET = {"performance": 98, "accessibility": 100, "best-practices": 95}


class DemoPractice(Practice):
    """A fresh demo practice (TRELLIS_DEMO=1) for Lighthouse: real pages with real content."""

    def __init__(self):
        super().__init__("sqlite", 0, 0)
        self.name = "lighthouse-demo"
        self.dir = os.path.join(WORK, self.name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)

    def env(self):
        return dict(super().env(), TRELLIS_DEMO="1")


def lighthouse(args):
    """Lighthouse (mobile settings, its default) on the sign-in page, the counselor's
    dashboard and a partner's homework, in Debian's Chromium; median score of `runs`."""
    server = Server(DemoPractice(), args.port)
    try:
        def demo_session(email):
            status, headers, _ = server.request(
                "/api/sign_in", data={"email": email, "password": "trellis-demo"})
            for value in headers.get_all("Set-Cookie") or []:
                if value.startswith("trellis_session="):
                    return value.split(";")[0]
            raise SystemExit(f"signing in as {email} failed ({status})")
        counselor = demo_session("counselor@demo.trellis.test")
        alex = demo_session("alex@demo.trellis.test")
        _, _, home = server.request("/", alex)
        homework = re.findall(rf"/homework/({UUID})", home)[0]
        pages = [("sign-in", "/login", None), ("counselor dashboard", "/", counselor),
                 ("partner homework", f"/homework/{homework}", alex)]
        lines = ["### Lighthouse (mobile), demo practice", "",
                 "| page | performance | accessibility | best practices |", "|---|---:|---:|---:|"]
        failures = []
        for label, path, cookie in pages:
            scores = {k: [] for k in BUDGET}
            for _ in range(args.lighthouse_runs):
                out = os.path.join(WORK, "lighthouse.json")
                cmd = [LIGHTHOUSE, server.base + path, "--quiet", "--output=json",
                       f"--output-path={out}", "--only-categories=" + ",".join(BUDGET),
                       "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                       "--disable-background-networking --disable-component-update "
                       "--disable-sync --no-first-run"]
                if cookie:
                    cmd.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
                subprocess.run(cmd, check=True, env=dict(os.environ, CHROME_PATH="/usr/bin/chromium"))
                with open(out) as f:
                    report = json.load(f)
                for k in BUDGET:
                    scores[k].append(round(report["categories"][k]["score"] * 100))
                # What fell short, for whoever fixes it.
                for audit in report["audits"].values():
                    if audit.get("score") is not None and audit["score"] < 0.9 and \
                            audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"):
                        log(f"  {label}: {audit['id']} scored {audit['score']}: "
                            f"{audit.get('displayValue', '')}")
            got = {k: median(v) for k, v in scores.items()}
            log(f"  {label}: {got}")
            lines.append(f"| {label} | {got['performance']:.0f} | {got['accessibility']:.0f} | "
                         f"{got['best-practices']:.0f} |")
            failures += [f"{label} {k} {got[k]:.0f} < {BUDGET[k]}" for k in BUDGET if got[k] < BUDGET[k]]
        lines += ["", "Budget: performance >= 98, accessibility 100, best practices >= 95: " +
                  ("met." if not failures else "NOT met: " + "; ".join(failures)), ""]
        return "\n".join(lines), failures
    finally:
        server.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--couples", type=int, default=10_000)
    p.add_argument("--scale", default="1000,100000",
                   help="two practice sizes for the dashboard scale check ('' to skip)")
    p.add_argument("--engines", default="sqlite,postgres")
    p.add_argument("--scale-engines", default="sqlite")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--port", type=int, default=3979)
    p.add_argument("--lighthouse-runs", type=int, default=3,
                   help="Lighthouse runs per page (0 to skip Lighthouse)")
    p.add_argument("--only", choices=["load", "lighthouse", "seed"],
                   help="run just one part (seed: only seed the practices the load runs use)")
    p.add_argument("--no-profile", action="store_true",
                   help="skip the profile of each page that misses its target")
    p.add_argument("--profile-seconds", type=int, default=5,
                   help="how long each missed page is profiled (default 5)")
    p.add_argument("--profile", metavar="TARGET",
                   help="instead of the benchmark, profile one target (e.g. dashboard) with "
                        "perf on the first engine and print where the CPU time goes")
    args = p.parse_args()
    os.makedirs(WORK, exist_ok=True)
    with open(POST_FILE, "w") as f:
        f.write(POST_SCRIPT)
    report = [f"# Trellis benchmark, {time.strftime('%Y-%m-%d %H:%M')} UTC", "",
              f"wrk, 1 thread, {args.connections} connections, {args.duration} s per run, "
              f"median of {args.runs} runs; {os.cpu_count()} CPU cores shared by wrk and the server.",
              ""]
    if args.only == "seed":
        sizes = [args.couples] + [int(x) for x in filter(None, args.scale.split(","))]
        for engine in args.engines.split(","):
            for couples in sizes:
                if engine in args.scale_engines.split(",") or couples == args.couples:
                    Practice(engine, couples, args.seed).ensure_seeded()
        return
    if args.profile:
        practice = Practice(args.engines.split(",")[0], args.couples, args.seed)
        practice.ensure_seeded()
        profile(practice, args)
        return
    summary = {}
    failures = []
    if args.only != "load" and args.lighthouse_runs > 0:
        text, failures = lighthouse(args)
        report.append(text)
    if args.only == "lighthouse":
        args.engines, args.scale = "", ""
    for engine in filter(None, args.engines.split(",")):
        practice = Practice(engine, args.couples, args.seed)
        practice.ensure_seeded()
        m = measure(practice, args, ["ceiling", "dashboard", "case", "case-hw", "homework", "submit"])
        report.append(f"Seeding took {practice.seed_seconds():.0f} s.\n")
        report.append(table(engine, args.couples, m))
        summary[engine] = m
    scale_rows = []
    if args.scale:
        small, large = (int(x) for x in args.scale.split(","))
        for engine in args.scale_engines.split(","):
            got = {}
            for couples in (small, large):
                practice = Practice(engine, couples, args.seed)
                practice.ensure_seeded()
                got[couples] = measure(practice, args, ["ceiling", "dashboard"])
            d = {c: median([r["p50"] for r in got[c]["results"]["dashboard"]]) for c in got}
            d99 = {c: median([r["p99"] for r in got[c]["results"]["dashboard"]]) for c in got}
            report += [f"### Dashboard scale, {engine}", "",
                       f"| couples | dashboard req/s | p50 ms | p99 ms |", "|---:|---:|---:|---:|"]
            for c in (small, large):
                rps = median([r["rps"] for r in got[c]["results"]["dashboard"]])
                report.append(f"| {c:,} | {rps:,.0f} | {d[c]:.2f} | {d99[c]:.2f} |")
            report += ["", f"p50 at {large:,} couples is {d[large] / d[small]:.2f}x that at "
                       f"{small:,}; p99 {d99[large] / d99[small]:.2f}x.", ""]
            worst = max(d[large] / d[small], d99[large] / d99[small])
            scale_rows.append(
                f"| dashboard at {large:,} couples within {SCALE_TARGET}x of {small:,}, "
                f"{engine} | p50 {d[large] / d[small]:.2f}x, p99 {d99[large] / d99[small]:.2f}x | "
                f"{'met' if worst <= SCALE_TARGET else 'not met'} |")
    if summary:
        report.append(targets_report(args, summary, scale_rows))
    text = "\n".join(report)
    print(text)
    out = os.path.join(WORK, f"results-{time.strftime('%Y%m%d-%H%M%S')}.md")
    with open(out, "w") as f:
        f.write(text + "\n")
    log(f"written to {out}")
    if failures:
        raise SystemExit("over budget: " + "; ".join(failures))


if __name__ == "__main__":
    main()
