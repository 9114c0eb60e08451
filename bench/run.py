"""`make bench`: load Ponder's main pages with wrk against a large data set.

    .venv/bin/python bench/run.py [--duration 10] [--connections 16] [--skip-queries]

1. Creates the PostgreSQL database (createdb via psql) if missing, migrates,
   builds the data set (`build_bench_data --skip-existing`), collectstatic.
2. Installs wrk with apt-get if it is missing (sudo when not root).
3. Starts two gunicorns in production settings (DEBUG off, manifest static
   files, CSP, every middleware) over plain HTTP on loopback: Ponder on :8400
   and the baseline (bench/baseline_wsgi.py: the same settings, a trivial
   view, no database) on :8401.
4. Signs in a participant and a facilitator through the real sign-in form and
   passes their cookies (session and CSRF, as a browser would) to wrk.
5. For each page: checks it answers 200, a short warm-up, then
   `wrk -t2 -c16 -d10s --latency` with bench/percentiles.lua for p95.
6. Counts each page's SQL queries (Django test client) in the 1,000-member
   cohort and in a 10-member one.
7. Prints a Markdown table, and stops both gunicorns. Shares are of the
   faster of the two baseline runs.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
LUA = ROOT / "bench" / "percentiles.lua"
APP_PORT, BASELINE_PORT = 8400, 8401
PASSWORD = "ponder-bench-2026"  # facilitation/management/commands/build_bench_data.py
PARTICIPANT = "bench-p0001@bench.example"
FACILITATOR = "bench-facilitator@bench.example"
THING_SLUG = None  # read from the database

# (label, path, who, small-cohort path for the query count)
PAGES = [
    ("Cohort page", "/c/bench-big/", "participant", "/c/bench-small-01/"),
    (
        "Thing responses (Thing 1)",
        "/c/bench-big/things/{thing}/",
        "participant",
        "/c/bench-small-01/things/{thing}/",
    ),
    (
        "Entry with 100 comments",
        "/@bench-p0002/a-hundred-comments/",
        "participant",
        "/@bench-small-01-p0002/thing-1-{thing}/",
    ),
    ("Dashboard", "/", "participant", "/"),
    (
        "Progress grid, page 2 (facilitator)",
        "/c/bench-big/progress/?page=2",
        "facilitator",
        "/c/bench-small-01/progress/",
    ),
    (
        "Cohort Atom feed",
        "/c/bench-big/feed/",
        "participant",
        "/c/bench-small-01/feed/",
    ),
    # "sceptical" is in one of the six entry bodies: about a sixth of entries.
    ("Search", "/search/?q=sceptical", "participant", "/search/?q=sceptical"),
]


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def bench_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-only-not-a-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DATABASE_CONN_MAX_AGE=str(args.conn_max_age),
        DJANGO_LOG_LEVEL="WARNING",
        PONDER_TESTING="false",
    )
    env["REDIS_URL"] = args.redis_url
    return env


def run(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def ensure_database(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    admin += ["-U", parts.username or "postgres"]
    found = subprocess.run(
        ["psql", *admin, "-d", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if found != "1":
        log(f"createdb {name}")
        subprocess.run(["createdb", *admin, name], check=True)


def ensure_wrk() -> str:
    if shutil.which("wrk"):
        return shutil.which("wrk")
    log("wrk is missing: apt-get install wrk")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk") or sys.exit("wrk did not install")


def start_gunicorn(module: str, port: int, env: dict, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), module, "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"{url} did not come up")
        time.sleep(0.3)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str, email: str, *, cold: bool = False) -> str:
    """Sign in through allauth's form; return the Cookie header a browser would
    send next: the session and the CSRF cookie (cached forms carry tokens for
    the reader's CSRF secret, core/freshness.py). `cold`: the session alone,
    so every request is a new CSRF secret and renders its fragments afresh."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/") as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/"}
    )
    with opener.open(request) as response:
        response.read()
    if not any(c.name == "sessionid" for c in jar):
        sys.exit(f"could not sign in as {email}")
    kept = [c for c in jar if c.name == "sessionid" or not cold]
    return "; ".join(f"{c.name}={c.value}" for c in kept)


def check_page(url: str, cookie: str | None) -> None:
    opener = urllib.request.build_opener(NoRedirect)
    headers = {"Cookie": cookie} if cookie else {}
    try:
        with opener.open(urllib.request.Request(url, headers=headers)) as response:
            status, size = response.status, len(response.read())
    except urllib.error.HTTPError as error:
        status, size = error.code, 0
    if status != 200:
        sys.exit(f"{url} answered {status}, not 200: not benchmarking a wrong page")
    log(f"  {url} -> 200, {size:,} bytes")


def wrk(wrk_bin: str, url: str, cookie: str | None, args, *, duration: int) -> dict:
    cmd = [wrk_bin, f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s",
           "--latency", "--timeout", "30s", "-s", str(LUA)]  # fmt: skip
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_RESULT"))
    result = {k: int(v) for k, v in (p.split("=") for p in line.split()[1:])}
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["raw"] = out
    return result


def count_queries(env: dict, pages: list[tuple[str, str, str, str]]) -> dict:
    """Each page's SQL query count, big cohort and small, via the test client."""
    script = ROOT / "bench" / "querycount.py"
    spec = json.dumps([[label, path, who, small] for label, path, who, small in pages])
    out = subprocess.run(
        [PYTHON, str(script), spec], env=env, cwd=ROOT, capture_output=True,
        text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def mem_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def ms(us: int) -> str:
    return f"{us / 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ponder_bench"
        ),
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    # The defaults are docs/DEPLOY.md's production set-up.
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="DATABASE_CONN_MAX_AGE"
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="REDIS_URL (the cache and sessions); empty for a cache in each process",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="send no CSRF cookie: no request reuses another's cached HTML",
    )
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument(
        "--only", help="bench only the pages whose label contains this text"
    )
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    started = time.monotonic()
    load_before = f"{os.getloadavg()[0]:.2f}"
    env = bench_env(args)

    ensure_database(args.database_url)
    log("migrate")
    run([PYTHON, "manage.py", "migrate", "--noinput"], env, stdout=subprocess.DEVNULL)
    log("build_bench_data --skip-existing")
    run([PYTHON, "manage.py", "build_bench_data", "--skip-existing"], env)
    log("collectstatic")
    run(
        [PYTHON, "manage.py", "collectstatic", "--noinput"],
        env,
        stdout=subprocess.DEVNULL,
    )
    wrk_bin = ensure_wrk()
    thing = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from programmes.models import Thing; print(Thing.objects.get("
         "programme__slug='bench-23-things', number=1).slug)"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    pages = [
        (lab, p.format(thing=thing), who, s.format(thing=thing))
        for lab, p, who, s in PAGES
        if not args.only or args.only.lower() in lab.lower()
    ]

    servers = []
    try:
        log(
            f"gunicorn config.wsgi on :{APP_PORT}, "
            f"bench.baseline_wsgi on :{BASELINE_PORT}"
        )
        servers.append(start_gunicorn("config.wsgi", APP_PORT, env, args.workers))
        servers.append(
            start_gunicorn("bench.baseline_wsgi", BASELINE_PORT, env, args.workers)
        )
        app, baseline = (
            f"http://127.0.0.1:{APP_PORT}",
            f"http://127.0.0.1:{BASELINE_PORT}",
        )
        wait_for(f"{app}/healthz")
        wait_for(f"{baseline}/baseline/")
        cookies = {
            "participant": sign_in(app, PARTICIPANT, cold=args.cold),
            "facilitator": sign_in(app, FACILITATOR, cold=args.cold),
            None: None,
        }
        targets = [
            ("Baseline (trivial view, no database)", f"{baseline}/baseline/", None)
        ]
        targets += [(label, app + path, who) for label, path, who, _ in pages]
        for _, url, who in targets:
            check_page(url, cookies[who])

        results = {}
        for label, url, who in targets:
            wrk(wrk_bin, url, cookies[who], args, duration=args.warmup)
            results[label] = wrk(
                wrk_bin, url, cookies[who], args, duration=args.duration
            )
            r = results[label]
            log(
                f"  {label}: {r['rps']:.0f} req/s, p50 {ms(r['p50_us'])} ms, "
                f"p95 {ms(r['p95_us'])} ms, "
                f"errors {r['errors_status']}/{r['errors_other']}"
            )
        # The baseline again at the end: how much the machine drifted.
        label = "Baseline (again, at the end)"
        url = f"{baseline}/baseline/"
        wrk(wrk_bin, url, None, args, duration=args.warmup)
        results[label] = wrk(wrk_bin, url, None, args, duration=args.duration)
        log(f"  {label}: {results[label]['rps']:.0f} req/s")
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
        log("gunicorns stopped")

    queries = {} if args.skip_queries else count_queries(env, pages)

    # The machine drifts during a run: shares are of the faster baseline run,
    # so a page never looks better for having met a slow moment.
    base_rps = max(
        results["Baseline (trivial view, no database)"]["rps"],
        results["Baseline (again, at the end)"]["rps"],
    )
    print()
    print(
        f"Machine: {os.cpu_count()} CPUs, {mem_gib():.0f} GiB; load average "
        f"before {load_before}, after {os.getloadavg()[0]:.2f} (1 min)"
    )
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency "
          f"(+{args.warmup}s warm-up), gunicorn --workers {args.workers}, "
          f"DATABASE_CONN_MAX_AGE={args.conn_max_age}, "
          f"REDIS_URL={args.redis_url or '(none)'}")  # fmt: skip
    print()
    print(
        "| Page | Requests/s | p50 ms | p95 ms | p99 ms | Share of baseline "
        "| Queries (10 / 1,000 members) | Target |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, r in results.items():
        share = r["rps"] / base_rps
        q = queries.get(label)
        qtext = f"{q['small']} / {q['big']}" if q else "-"
        if label.startswith("Baseline"):
            verdict = "-"
        else:
            misses = []
            if share < 0.10:
                misses.append("< 10% of baseline")
            if r["p95_us"] >= 100_000:
                misses.append("p95 >= 100 ms")
            if q and q["small"] != q["big"]:
                misses.append("queries grow")
            if r["errors_status"] or r["errors_other"]:
                misses.append("errors")
            verdict = "misses: " + ", ".join(misses) if misses else "meets"
        print(f"| {label} | {r['rps']:.0f} | {ms(r['p50_us'])} | {ms(r['p95_us'])} | "
              f"{ms(r['p99_us'])} | {share:.0%} | {qtext} | {verdict} |")  # fmt: skip
    print()
    print(f"Total run time {time.monotonic() - started:.0f}s.")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"results": results, "queries": queries}, indent=2, default=str)
        )


if __name__ == "__main__":
    main()
