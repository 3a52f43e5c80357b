"""The office console at province scale: every page over real HTTP, on PostgreSQL.

    python benchmarks/bench_console.py [--tasks 200000] [--units 5000] [--db postgresql|sqlite]
                                       [--runs 10] [--concurrent 20] [--keep] [--name NAME]
                                       [--reuse NAME] [--pages /,/tasks,…] [--cli-report]

The store is filled like ``bench_scan`` (synthetic tasks, one owner part each, due
dates 2021–2030, past ones 99.9 % done); a console user is added and the console
(``nhacviec web``, uvicorn) runs in its own process. The benchmark signs in over HTTP
and asks each page ``--runs`` times: p50 / p95, the first (cold) request, the console
process's CPU time per request (steadier than the wall on a shared machine), the bytes
of the answer, and the console process's RSS after the page (its peak so far too). The
baseline, in the same run, is the queue page (it reads the session and a capped list);
each page's p95 is printed against it. Then ``--concurrent`` dashboards at once: all
answered, p95, CPU per request, and the RSS afterwards.

Goals (issue 25, 200k tasks / 5,000 units): every page p95 ≤ 1 s and ≤ 10× the
baseline; no page over 500 KB; 20 dashboards at once p95 ≤ 3 s; the console under
400 MB RSS through every page and the .xlsx download. ``--cli-report``: ``nhacviec
report --xlsx`` (peak RSS, time) against reading every live owner part with one
SELECT, and against one SELECT of only the rows the report lists (this year's).
``--keep`` leaves the store in place (``--name`` names it), ``--reuse NAME`` measures
it again (binding a chat to every unit, as ``bench_scan`` does).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_scan  # noqa: E402

from data import db, users  # noqa: E402
from data.users import UserRole  # noqa: E402

LOGIN, PASSWORD = "bench", "bench-password-1"
BASELINE = "/queue"
PAGES = (
    BASELINE,
    "/",
    "/?from=01/01/2021&to=31/12/2030",
    "/tasks",
    "/tasks?q=nhiem+vu+1234",
    "/tasks?q=%23150000",
    "/tasks?unit=u0042",
    "/tasks?status=open&kind=term",
    "/tasks/150000",
    "/units",
    "/units?q=chi+bo+42",
    "/extensions",
    "/documents",
    "/report",
    "/report.xlsx",
)
LIMIT_BYTES = 500_000
DOWNLOAD_RUNS = 2  # the .xlsx: its time is the rows', its RSS the point


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def database_url(kind: str, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{name}"
    return f"{bench_scan.POSTGRES}?options=-csearch_path%3D{name}"


def create_store(kind: str, name: str) -> str:
    """An empty store under a chosen name (PostgreSQL: a new schema; SQLite: a path)."""
    if kind == "postgresql":
        from sqlalchemy import text

        admin = db.make_engine(bench_scan.POSTGRES)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        admin.dispose()
    return name


def prepare(kind: str, name: str) -> None:
    """A console user (office role) in the store."""
    from bot.web.auth import hash_password

    engine = db.make_engine(database_url(kind, name))
    with db.transaction(db.session_factory(engine)) as session:
        if users.find_user(session, LOGIN) is None:
            users.add_user(
                session, LOGIN, hash_password(PASSWORD), UserRole.OFFICE, datetime.now(UTC)
            )
    engine.dispose()


def rss_mb(pid: int) -> tuple[float, float]:
    """(now, peak) resident memory of a process, in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far: steadier than wall time on a shared
    machine (the other sessions' load stretches the wall, not the work)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_console(kind: str, name: str, data_dir: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "NHACVIEC_DATABASE_URL": database_url(kind, name),
        "NHACVIEC_DATA_DIR": data_dir,
        "NHACVIEC_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "web", "--listen", f"127.0.0.1:{port}"],
        cwd=data_dir,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(f"{base}/login", timeout=2)
            return process, base
        except httpx.HTTPError:
            if process.poll() is not None:
                raise RuntimeError("the console stopped at start") from None
            time.sleep(0.2)
    raise RuntimeError("the console did not start")


def sign_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=600, follow_redirects=False)
    form = client.get("/login").text
    found = re.search(r'name="csrf" value="([^"]+)"', form)
    assert found, "no CSRF token on the login page"
    answer = client.post(
        "/login",
        data={"login": LOGIN, "password": PASSWORD, "csrf": found.group(1), "next": "/"},
    )
    assert answer.status_code == 303, (answer.status_code, answer.text[:300])
    return client


def measure_pages(
    client: httpx.Client, pid: int, pages: list[str], runs: int
) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for path in pages:
        times, size, status = [], 0, 0
        cpu = cpu_seconds(pid)
        for _ in range(min(runs, DOWNLOAD_RUNS) if path.startswith("/report.xlsx") else runs):
            started = time.perf_counter()
            answer = client.get(path)
            times.append(time.perf_counter() - started)
            size, status = len(answer.content), answer.status_code
        cpu = (cpu_seconds(pid) - cpu) / len(times)
        now, peak = rss_mb(pid)
        results[path] = {
            "cpu": cpu,
            "first": times[0],
            "p50": statistics.median(times),
            "p95": pct(times, 0.95),
            "max": max(times),
            "bytes": size,
            "status": status,
            "rss": now,
            "peak": peak,
        }
        r = results[path]
        print(
            f"{path[:40]:<40} {r['status']:>4} {r['p50'] * 1000:>8.0f} {r['p95'] * 1000:>8.0f} "
            f"{r['first'] * 1000:>8.0f} {cpu * 1000:>7.0f} {r['bytes'] / 1024:>9.1f} {now:>7.0f} "
            f"{peak:>7.0f}",
            flush=True,
        )
    return results


def concurrent(base: str, cookies: httpx.Cookies, pid: int, n: int) -> None:
    def one(_: int) -> tuple[float, int]:
        with httpx.Client(base_url=base, timeout=600, cookies=cookies) as client:
            started = time.perf_counter()
            status = client.get("/").status_code
            return time.perf_counter() - started, status

    started, cpu = time.perf_counter(), cpu_seconds(pid)
    with ThreadPoolExecutor(n) as pool:
        answers = list(pool.map(one, range(n)))
    wall, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu
    times = [t for t, _ in answers]
    failed = sum(1 for _, s in answers if s != 200)
    now, peak = rss_mb(pid)
    print(
        f"{n} dashboards at once: {n - failed}/{n} answered 200, p50 "
        f"{statistics.median(times) * 1000:.0f} ms, p95 {pct(times, 0.95) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms (wall {wall:.1f} s, console CPU {cpu * 1000 / n:.0f} ms "
        f"a request); RSS {now:.0f} MB, peak {peak:.0f} MB",
        flush=True,
    )


def cli_report(kind: str, name: str, data_dir: str) -> None:
    """``nhacviec report --xlsx`` against one SELECT of the same rows, each in its own
    process (which prints its own peak RSS)."""
    env = {**os.environ, "NHACVIEC_DATABASE_URL": database_url(kind, name)}
    env["NHACVIEC_DATA_DIR"] = data_dir
    target = str(Path(data_dir) / "report.xlsx")
    found = {}
    for label, argv in (
        ("one SELECT", [sys.executable, __file__, "--select", kind, name]),
        ("its rows", [sys.executable, __file__, "--select", kind, name, "period"]),
        ("report --xlsx", [sys.executable, __file__, "--cli", "report", "--xlsx", target]),
    ):
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=data_dir, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            print(f"{label}: failed {done.stderr[-500:]}")
            return
        said = json.loads(done.stdout.strip().splitlines()[-1])
        found[label] = elapsed
        print(
            f"{label:>14}: {elapsed:6.1f} s, peak RSS {said['rss_mb']:.0f} MB "
            f"{said.get('note', '')}",
            flush=True,
        )
    print(
        f"report --xlsx / one SELECT: {found['report --xlsx'] / found['one SELECT']:.1f}× "
        f"(/ one SELECT of its own rows: {found['report --xlsx'] / found['its rows']:.1f}×)"
    )


def run_cli(argv: list[str]) -> None:
    """The command line in this process, then its peak RSS."""
    from bot.cli import main as cli

    code = cli(argv)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"code": code, "rss_mb": peak}))


def one_select(kind: str, name: str, rows_of: str = "all") -> None:
    """Every live owner part with its task's columns the report shows, in one SELECT;
    ``period``: only the parts this year's report lists (due this year, or undated,
    waiting, for review)."""
    from sqlalchemy import text

    wanted = "t.status IN ('open', 'done')"
    if rows_of == "period":
        year = datetime.now(UTC).year
        wanted = (
            f"a.tally IS NOT NULL AND ((a.tally = 'dated' AND a.part_due BETWEEN "
            f"'{year}-01-01' AND '{year}-12-31') OR a.tally IN ('review', 'waiting', 'undated'))"
        )
    engine = db.make_engine(database_url(kind, name))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT t.number, t.title, t.deadline_raw, t.deadline_kind, t.due_date, "
                "t.start_date, t.status, a.done_at, a.extended_to, u.code, u.name "
                "FROM tasks t JOIN assignments a ON a.task_id = t.id "
                f"JOIN units u ON u.id = a.unit_id WHERE {wanted}"
            )
        ).all()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rss_mb": peak, "note": f"({len(rows):,} rows)"}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--db", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--cli-report", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the store built (name printed)")
    parser.add_argument("--reuse", default=None, help="a store kept before (its --tasks/--units)")
    parser.add_argument("--name", default=None, help="the new store's name (PostgreSQL schema)")
    parser.add_argument("--select", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--cli", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cli:
        run_cli(args.cli)
        return
    if args.select:
        one_select(*args.select)
        return
    t0 = time.perf_counter()
    name = args.reuse
    try:
        if args.name and not args.reuse:
            name = create_store(args.db, args.name)
        with bench_scan.store(args.db, args.reuse or name) as (engine, name):
            if args.reuse:
                engine.dispose()
                bench_scan.upgrade(args.db, name)
            else:
                db.migrate(engine)
                rows = bench_scan.synthetic_rows(args.tasks, args.units)
                bench_scan.fill(engine, rows, args.units)
        prepare(args.db, name)
        print(
            f"{args.tasks:,} tasks over {args.units:,} units on {args.db} "
            f"(ready in {time.perf_counter() - t0:.0f}s)",
            flush=True,
        )
        with tempfile.TemporaryDirectory() as data_dir:
            process, base = start_console(args.db, name, data_dir)
            try:
                client = sign_in(base)
                client.get(BASELINE)  # warm: templates, the holiday table
                print(
                    f"{'page':<40} {'HTTP':>4} {'p50 ms':>8} {'p95 ms':>8} {'1st ms':>8} "
                    f"{'cpu ms':>7} {'KB':>9} {'RSS':>7} {'peak':>7}"
                )
                pages = [p for p in args.pages.split(",") if p]
                results = measure_pages(client, process.pid, pages, args.runs)
                if BASELINE in results:
                    base_p95 = results[BASELINE]["p95"]
                    worst = max(results.items(), key=lambda kv: kv[1]["p95"])
                    biggest = max(results.items(), key=lambda kv: kv[1]["bytes"])
                    print(
                        "p95 / baseline p95: "
                        + ", ".join(
                            f"{path} {r['p95'] / base_p95:.1f}×" for path, r in results.items()
                        )
                    )
                    print(
                        f"baseline {BASELINE} p95 {base_p95 * 1000:.0f} ms; slowest {worst[0]} "
                        f"p95 {worst[1]['p95'] * 1000:.0f} ms "
                        f"({worst[1]['p95'] / base_p95:.1f}× baseline); biggest {biggest[0]} "
                        f"{biggest[1]['bytes'] / 1024:.0f} KB; peak RSS "
                        f"{max(r['peak'] for r in results.values()):.0f} MB",
                        flush=True,
                    )
                if args.concurrent:
                    concurrent(base, client.cookies, process.pid, args.concurrent)
                print(json.dumps({"rss_end_mb": rss_mb(process.pid)[0]}))
            finally:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(15)
            if args.cli_report:
                cli_report(args.db, name, data_dir)
    finally:  # a failed run leaves no store behind unless asked to keep it
        if name and (args.keep or args.reuse):
            print(f"(store kept: --reuse {name})")
        elif name:
            bench_scan.drop(args.db, name)


if __name__ == "__main__":
    main()
