"""Sending speed of the running bot: the real ``nhacviec run`` against a fake Bot API.

    python benchmarks/bench_dispatch.py [--groups 1000] [--postgres] [--timeout 400]

A fresh store (SQLite in a temporary directory, or a fresh schema in the PostgreSQL
``test`` database with ``--postgres``) holds the sample plan and ``--groups`` group
chats bound round-robin to the units that have a digest today, plus the office's
chat. The bot is started as ``python -m bot`` (what ``nhacviec run`` runs) with
``NHACVIEC_SCAN_TIME=00:00`` so today's scan is due at once (catch-up), and
``TELEGRAM_BASE_URL`` at a fake Bot API on 127.0.0.1 that enforces Telegram's flood
limits (30 messages/s overall, 20/min per group) and counts every 429 our pacing
provokes (``tests/fakes/telegram_server.py``).

Reported: messages delivered, seconds from the first to the last, messages per
second and its ratio to Telegram's 30/s (overall, and for the groups' digests alone:
the office's chat gets several messages, which wait for its 20-a-minute slots), the
time from start to the first message, the busiest and the median second, and the
429s our pacing provoked. ``--timeline`` prints the messages of each second.

A measurement, not a test: it asserts nothing about speed. Today must be a working
day in Vietnam (no digest goes out otherwise). The machine's load shows in the
numbers: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from data import chat_store, db, revisions, unit_store  # noqa: E402
from data.clock import local_date  # noqa: E402
from data.domain import ChatAddress, ChatRole  # noqa: E402
from data.importers import LoadedFile, load_document  # noqa: E402
from data.units import UnitRegistry  # noqa: E402
from jobs.channels import split_message  # noqa: E402
from jobs.scan import run_scan  # noqa: E402
from tests.fakes.telegram_server import FakeBotApi  # noqa: E402

TELEGRAM_PER_SECOND = 30
SAMPLE = ROOT / "data" / "samples" / "ke_hoach_mau.txt"
SAMPLE_DATE = date(2026, 4, 1)
TOKEN = "123456:BENCH-token-never-logged-anywhere-x"
ADMIN_CHAT = "-1000000"


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_url(base: str) -> str:
    """A fresh schema in the ``test`` database; the bot reaches it through search_path."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = db.make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return f"{base}?options=-csearch_path%3D{schema}"


def prepare(url: str, groups: int, now: datetime) -> int:
    """The store with the sample plan and ``groups`` groups; how many messages are due."""
    runtime = Runtime.open(Settings(database_url=url, telegram_bot_token=None))
    try:
        parsed = load_document(
            LoadedFile(SAMPLE.name, SAMPLE.suffix, SAMPLE.read_bytes()),
            UnitRegistry.default(),
            doc_date=SAMPLE_DATE,
            today=SAMPLE_DATE,
        )
        today = local_date(now)
        with db.transaction(runtime.sessions) as session:
            unit_store.ensure_default_units(session)  # the sample office's units
            revisions.save_document(session, parsed, key="kh", source_name="", sha256="", now=now)
            units = {u.code: u for u in unit_store.list_units(session)}
            chat_store.bind_chat(
                session, ChatAddress("telegram", ADMIN_CHAT), ChatRole.ADMIN, None, now
            )
            # which units have a digest today (asked with one group each)
            for code, unit in units.items():
                address = ChatAddress("telegram", f"probe-{code}")
                chat_store.bind_chat(session, address, ChatRole.UNIT, unit, now)
            plan = run_scan(
                session, today, now, runtime.calendar, runtime.settings.policy, dry_run=True
            )
            with_digest = sorted({m.unit for m in plan.messages if m.unit is not None})
            if not with_digest:
                raise SystemExit(f"{today}: no unit has a digest today (not a working day?)")
            for chat in chat_store.list_chats(session):
                if chat.chat_id.startswith("probe-"):
                    session.delete(chat)
            session.flush()
            for i in range(groups):
                address = ChatAddress("telegram", str(-1_000_001 - i))
                unit = units[with_digest[i % len(with_digest)]]
                chat_store.bind_chat(session, address, ChatRole.UNIT, unit, now)
            plan = run_scan(
                session, today, now, runtime.calendar, runtime.settings.policy, dry_run=True
            )
            return sum(
                len(split_message(m.text, 4096)) for m in plan.messages if m.destination is not None
            )
    finally:
        runtime.close()


async def measure(url: str, expected: int, timeout: float, log: IO[bytes]) -> dict[str, object]:
    async with FakeBotApi() as fake:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": fake.base_url,
            "NHACVIEC_DATABASE_URL": url,
            "NHACVIEC_SCAN_TIME": "00:00",
            "NHACVIEC_LOG_LEVEL": "WARNING",
        }
        env.pop("ZALO_BOT_TOKEN", None)
        env.pop("NHACVIEC_ZALO_BOT_TOKEN", None)
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=env, stdout=log, stderr=log
        )
        try:
            deadline = started + timeout
            quiet_since = time.monotonic()
            seen = 0
            while time.monotonic() < deadline and proc.returncode is None:
                await asyncio.sleep(0.2)
                if len(fake.delivered) != seen:
                    seen, quiet_since = len(fake.delivered), time.monotonic()
                if seen >= expected and time.monotonic() - quiet_since > 2.0:
                    break  # everything arrived and nothing more came for 2 s
            cpu = cpu_seconds(proc.pid)
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(proc.wait(), 15)
            except TimeoutError:
                proc.kill()
                await proc.wait()
    delivered = fake.delivered
    if not delivered:
        raise SystemExit(f"nothing was delivered; see the bot's log: {log.name}")
    rate = fake.rate()
    # the groups' digests (one message each): the office's chat gets several, and those
    # wait for its 20-a-minute slots whatever the overall pace
    per_chat = Counter(d.chat_id for d in delivered)
    single = [d.at for d in delivered if per_chat[d.chat_id] == 1]
    digests = (len(single) - 1) / (single[-1] - single[0]) if len(single) > 1 else 0.0
    per_second = Counter(int(d.at - delivered[0].at) for d in delivered)
    steady = sorted(per_second.values())[len(per_second) // 2] if per_second else 0
    return {
        "expected": expected,
        "delivered": len(delivered),
        "distinct": len({(d.chat_id, d.text) for d in delivered}),
        "first_after_start_s": round(delivered[0].at - started, 2),
        "span_s": round(delivered[-1].at - delivered[0].at, 2),
        "msg_per_s": round(rate, 2),
        "ratio_to_limit": round(rate / TELEGRAM_PER_SECOND, 3),
        "digests_msg_per_s": round(digests, 2),
        "digests_ratio": round(digests / TELEGRAM_PER_SECOND, 3),
        "median_second": steady,
        "busiest_second": fake.busiest(1.0),
        "provoked_429": fake.provoked,
        "bot_cpu_ms_per_msg": round(cpu * 1000 / len(delivered), 2),
        "timed_out": len(delivered) < expected,
        "per_second": [per_second[i] for i in range(max(per_second) + 1)] if per_second else [],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true", help="the store on PostgreSQL")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "NHACVIEC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument("--timeout", type=float, default=400.0, help="seconds to wait at most")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--timeline", action="store_true", help="messages in each second")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-dispatch-"))
    url = (
        postgres_url(args.postgres_url) if args.postgres else f"sqlite:///{workdir / 'nv.sqlite3'}"
    )
    expected = prepare(url, args.groups, datetime.now(UTC))
    with open(workdir / "bot.log", "wb") as log:
        result = asyncio.run(measure(url, expected, args.timeout, log))
    result["store"] = "postgresql" if args.postgres else "sqlite"
    ratio = result["ratio_to_limit"]
    assert isinstance(ratio, float)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['delivered']}/{expected} messages ({result['store']}) in "
            f"{result['span_s']} s: {result['msg_per_s']} msg/s = "
            f"{ratio:.1%} of Telegram's {TELEGRAM_PER_SECOND}/s (the groups' digests: "
            f"{result['digests_msg_per_s']} msg/s = {result['digests_ratio']:.1%}); "
            f"first after {result['first_after_start_s']} s; busiest second "
            f"{result['busiest_second']}, median second {result['median_second']}; "
            f"429 provoked: {result['provoked_429']}; the bot's CPU: "
            f"{result['bot_cpu_ms_per_msg']} ms a message (start-up included)"
        )
        if args.timeline:
            seconds = result["per_second"]
            assert isinstance(seconds, list)
            print("per second:", " ".join(str(n) for n in seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
