"""`make bench`: the main pages under mixed traffic, at 1,000 and 5,000 participants.

    .venv/bin/python bench/run.py [--participants 1000,5000] [--duration 10]
        [--sessions 1000] [--write-every 20] [--single-reader] [--skip-queries]

For each size (PARTICIPANTS in the environment, or --participants):

1. Its own PostgreSQL database (`<name>_<size>`, created via psql if missing),
   migrated, `build_bench_data --participants N --skip-existing` (timed),
   collectstatic.
2. bench/mixed_plan.py empties the cache and makes --sessions signed-in
   participant sessions (and 20 of the facilitator's) straight in the session
   store, each with its own CSRF cookie, plus 500 entries to comment on.
   Then each page's SQL queries (Django test client, cache emptied) in the
   big cohort and in a 10-member one, before any traffic.
3. Two gunicorns in production settings (DEBUG off, manifest static files,
   CSP, every middleware) over plain HTTP on loopback: Ponder on --port and
   the baseline (bench/baseline_wsgi.py: the same settings, a trivial view, no
   database) on the next port.
4. The baseline, then each page, then the baseline again: a short warm-up and
   `wrk -t2 -c16 -d10s --latency` with bench/mixed.lua, which rotates the
   sessions and makes every --write-every-th request a write (a comment through
   the comment form or an autosave through the editor's JSON endpoint), and
   counts reads, writes and errors. Drafts' versions are read from the
   database before each page, so no autosave conflicts with the last run's.
5. --single-reader: each page again the old way (one participant signed in
   through the sign-in form, the same cookies every request, no writes).
6. Prints a Markdown table per size and stops both gunicorns (also on failure).
   Shares are of the faster of the two baseline runs of that size.
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
MIXED_LUA = ROOT / "bench" / "mixed.lua"
PASSWORD = "ponder-bench-2026"  # facilitation/management/commands/build_bench_data.py
PARTICIPANT = "bench-p0001@bench.example"
FACILITATOR = "bench-facilitator@bench.example"
BASELINE = "Baseline (trivial view, no database)"
BASELINE_AGAIN = "Baseline (again, at the end)"

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
    ("People page", "/c/bench-big/people/", "participant", "/c/bench-small-01/people/"),
    ("Notifications", "/notifications/", "participant", "/notifications/"),
    (
        "Cohort Atom feed",
        "/c/bench-big/feed/",
        "participant",
        "/c/bench-small-01/feed/",
    ),
    # "tried" (stemmed "tri", as "try") is in about half the entries; the rare
    # word in one entry of 500 (build_bench_data's RARE_WORD).
    ("Search, common word", "/search/?q=tried", "participant", "/search/?q=tried"),
    (
        "Search, rare word",
        "/search/?q=serendipity",
        "participant",
        "/search/?q=serendipity",
    ),
]


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def bench_env(args, database_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url or args.database_url,
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


def sign_in(base: str, email: str) -> str:
    """Sign in through allauth's form; return the Cookie header a browser would
    send next: the session and the CSRF cookie."""
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
    return "; ".join(f"{c.name}={c.value}" for c in jar)


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


def wrk(wrk_bin: str, url: str, args, *, duration: int, cookie=None, mixed=None):
    """One wrk run; `mixed`: (plan file, reader kind) for bench/mixed.lua."""
    script = MIXED_LUA if mixed else LUA
    cmd = [wrk_bin, f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s",
           "--latency", "--timeout", "30s", "-s", str(script)]  # fmt: skip
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd.append(url)
    if mixed:
        cmd += ["--", str(mixed[0]), mixed[1], str(args.write_every), str(args.threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict:
    """The numbers of percentiles.lua's or mixed.lua's done() lines."""
    result = {}
    for line in out.splitlines():
        if line.startswith(("BENCH_RESULT", "MIXED_RESULT")):
            pairs = (p.split("=", 1) for p in line.split()[1:])
            result.update({k: v if k == "statuses" else int(v) for k, v in pairs})
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def size_database_url(url: str, participants: int) -> str:
    """Each size its own database: `ponder_bench` becomes `ponder_bench_5000`."""
    parts = urllib.parse.urlsplit(url)
    return parts._replace(path=f"{parts.path}_{participants}").geturl()


def refresh_draft_versions(plan: Path, database_url: str) -> None:
    """The drafts' versions as the database has them now: the last run's
    autosaves moved them on (a stale one would be an edit conflict)."""
    parts = urllib.parse.urlsplit(database_url)
    rows = subprocess.run(
        ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
         "-U", parts.username or "postgres", "-d", parts.path.lstrip("/"), "-tAF", " ",
         "-c", "SELECT '/@' || u.username || '/' || e.slug || '/autosave/', e.version "
         "FROM journal_entry e JOIN auth_user u ON u.id = e.author_id "
         "WHERE e.status = 'draft' AND u.username LIKE 'bench-p%'"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    versions = dict(line.split() for line in rows.splitlines() if line.strip())
    plan.write_text("".join(
        f"{' '.join([*f[:4], versions.get(f[3], f[4])])}\n" if f[0] == "participant"
        else f"{' '.join(f)}\n"
        for f in (line.split() for line in plan.read_text().splitlines())
    ))  # fmt: skip


def plan_cookies(plan: Path) -> dict[str, str]:
    """The first participant's and facilitator's cookies, to check the pages."""
    cookies = {}
    for line in plan.read_text().splitlines():
        f = line.split()
        if f[0] in ("participant", "facilitator") and f[0] not in cookies:
            cookies[f[0]] = f"sessionid={f[1]}; csrftoken={f[2]}"
    return cookies


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


def prepare(args, participants: int, plan: Path) -> tuple[dict, list, float]:
    """The size's database, data, static files and sessions; its environment,
    pages and how long the data took to build."""
    url = size_database_url(args.database_url, participants)
    env = bench_env(args, url)
    ensure_database(url)
    log(f"{participants:,} participants: migrate")
    run([PYTHON, "manage.py", "migrate", "--noinput"], env, stdout=subprocess.DEVNULL)
    started = time.monotonic()
    run([PYTHON, "manage.py", "build_bench_data", "--skip-existing",
         "--participants", str(participants)], env)  # fmt: skip
    built = time.monotonic() - started
    run([PYTHON, "manage.py", "collectstatic", "--noinput"], env,
        stdout=subprocess.DEVNULL)  # fmt: skip
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
    run([PYTHON, "-m", "bench.mixed_plan", str(plan),
         "--sessions", str(args.sessions)], env)  # fmt: skip
    return env, pages, built


def load_pages(args, wrk_bin: str, env: dict, pages: list, plan: Path) -> dict:
    """The baseline, every page under mixed traffic, the baseline again; with
    --single-reader each page once more the old way."""
    app, baseline = (
        f"http://127.0.0.1:{args.port}",
        f"http://127.0.0.1:{args.port + 1}/baseline/",
    )
    servers = [
        start_gunicorn("config.wsgi", args.port, env, args.workers),
        start_gunicorn("bench.baseline_wsgi", args.port + 1, env, args.workers),
    ]
    results, single = {}, {}
    try:
        wait_for(f"{app}/healthz")
        wait_for(baseline)
        cookies = plan_cookies(plan)
        for _, path, who, _ in pages:
            check_page(app + path, cookies[who])
        results[BASELINE] = measure(args, wrk_bin, BASELINE, baseline)
        for label, path, who, _ in pages:
            refresh_draft_versions(plan, env["DATABASE_URL"])
            results[label] = measure(args, wrk_bin, label, app + path, (plan, who))
        results[BASELINE_AGAIN] = measure(args, wrk_bin, BASELINE_AGAIN, baseline)
        if args.single_reader:
            signed_in = {
                "participant": sign_in(app, PARTICIPANT),
                "facilitator": sign_in(app, FACILITATOR),
            }
            for label, path, who, _ in pages:
                single[label] = measure(
                    args, wrk_bin, f"{label} (one reader)", app + path,
                    cookie=signed_in[who],
                )  # fmt: skip
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
        log("gunicorns stopped")
    return {"results": results, "single": single}


def measure(args, wrk_bin, label, url, mixed=None, cookie=None) -> dict:
    wrk(wrk_bin, url, args, duration=args.warmup, cookie=cookie, mixed=mixed)
    r = wrk(wrk_bin, url, args, duration=args.duration, cookie=cookie, mixed=mixed)
    writes = (
        f", writes {r['comments']} comments + {r['autosaves']} autosaves, "
        f"errors {r['errors']} ({r['statuses']})"
        if mixed
        else ""
    )
    log(f"  {label}: {r['rps']:.0f} req/s, p50 {ms(r['p50_us'])} ms, "
        f"p95 {ms(r['p95_us'])} ms{writes}")  # fmt: skip
    return r


def verdict(r: dict, share: float, q: dict | None) -> str:
    misses = []
    if share < 0.10:
        misses.append("< 10% of baseline")
    if r["p95_us"] >= 100_000:
        misses.append("p95 >= 100 ms")
    if q and q["small"] != q["big"]:
        misses.append("queries grow")
    if r.get("errors") or r["errors_status"] or r["errors_other"]:
        misses.append("errors")
    return "misses: " + ", ".join(misses) if misses else "meets"


def table(size: dict) -> list[str]:
    """One size's Markdown table: a row per page, the baselines first and last."""
    results, single, queries = size["results"], size["single"], size["queries"]
    base_rps = max(results[BASELINE]["rps"], results[BASELINE_AGAIN]["rps"])
    n = f"{size['participants']:,}"
    lines = [
        f"| Page | Requests/s | p50 ms | p95 ms | Share of baseline | Writes ok "
        f"| Errors | One reader: req/s (share) | Queries (10 / {n}) | Target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, r in results.items():
        share = r["rps"] / base_rps
        q = queries.get(label)
        one = single.get(label)
        is_base = label.startswith("Baseline")
        lines.append(" | ".join([
            f"| {label}", f"{r['rps']:.0f}", ms(r["p50_us"]), ms(r["p95_us"]),
            f"{share:.1%}",
            "-" if is_base else f"{r['comments'] + r['autosaves']}",
            "-" if is_base else f"{r['errors'] + r['errors_other']}",
            f"{one['rps']:.0f} ({one['rps'] / base_rps:.1%})" if one else "-",
            f"{q['small']} / {q['big']}" if q else "-",
            "-" if is_base else verdict(r, share, q),
        ]) + " |")  # fmt: skip
    return lines


def print_report(sizes: list[dict], args) -> None:
    print()
    print(f"Machine: {os.cpu_count()} CPUs, {mem_gib():.0f} GiB. "
          f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency "
          f"(+{args.warmup}s warm-up), {args.sessions} sessions in rotation, "
          f"a write every {args.write_every} requests; gunicorn --workers "
          f"{args.workers}, DATABASE_CONN_MAX_AGE={args.conn_max_age}, "
          f"REDIS_URL={args.redis_url or '(none)'}")  # fmt: skip
    for size in sizes:
        print()
        print(f"{size['participants']:,} participants: data built in "
              f"{size['built']:.1f}s; load average before {size['load'][0]:.2f}, "
              f"after {size['load'][1]:.2f} (1 min)")  # fmt: skip
        print()
        print("\n".join(table(size)))
    errors = [
        f"{size['participants']} {label}: {r['statuses']}"
        for size in sizes
        for label, r in size["results"].items()
        if r.get("errors")
    ]
    if errors:
        print()
        print("Error statuses: " + "; ".join(errors))


def participant_sizes(text: str) -> list[int]:
    return [int(part) for part in text.replace(",", " ").split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ponder_bench"
        ),
        help="each size gets its own database: this name with _<size> added",
    )
    parser.add_argument(
        "--participants",
        type=participant_sizes,
        default=participant_sizes(os.environ.get("PARTICIPANTS") or "1000,5000"),
        help="sizes of the big cohort, e.g. 1000,5000 (or PARTICIPANTS=)",
    )
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--write-every", type=int, default=20)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8400, help="the baseline: +1")
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
        "--single-reader",
        action="store_true",
        help="also each page the old way: one reader, same cookies, no writes",
    )
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument(
        "--only", help="bench only the pages whose label contains this text"
    )
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    started = time.monotonic()
    wrk_bin = ensure_wrk()
    sizes = []
    for participants in args.participants:
        plan = Path(f"/tmp/ponder-bench-{args.port}-{participants}.plan")
        env, pages, built = prepare(args, participants, plan)
        # Counted before the load: its writes leave notifications and
        # readings in the big cohort that the small one does not have.
        if not args.skip_queries:
            log("counting each page's queries")
        queries = {} if args.skip_queries else count_queries(env, pages)
        load_before = os.getloadavg()[0]
        loaded = load_pages(args, wrk_bin, env, pages, plan)
        load_after = os.getloadavg()[0]
        sizes.append({
            "participants": participants, "built": built, **loaded,
            "queries": queries, "load": (load_before, load_after),
        })  # fmt: skip
    print_report(sizes, args)
    print()
    print(f"Total run time {time.monotonic() - started:.0f}s.")
    if args.json:
        Path(args.json).write_text(json.dumps(sizes, indent=2, default=str))


if __name__ == "__main__":
    main()
