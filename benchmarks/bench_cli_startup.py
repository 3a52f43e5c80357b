"""How fast the command line starts, against importing SQLAlchemy, in the same run.

    python benchmarks/bench_cli_startup.py [--runs 7]

Each of ``python -c "import sqlalchemy"`` (the baseline), ``nhacviec --help`` and
``nhacviec deadline "Quý II/2026" --json`` runs ``--runs`` times in fresh processes,
interleaved (so a busy machine slows all three alike); the median wall time of each
is printed with its ratio to the baseline. Goal: both commands ≤ 2× the baseline
(issue 21). Exit code 1 when a ratio is above 2.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CLI = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"
CASES = {
    "import sqlalchemy": [sys.executable, "-c", "import sqlalchemy"],
    "nhacviec --help": [sys.executable, "-c", CLI, "--help"],
    "nhacviec deadline": [sys.executable, "-c", CLI, "deadline", "Quý II/2026", "--json"],
}
GOAL = 2.0


def once(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for command in CASES.values():  # warm the file cache
        once(command)
    for _ in range(runs):
        for name, command in CASES.items():
            times[name].append(once(command))
    base = statistics.median(times["import sqlalchemy"])
    worst = 0.0
    for name, found in times.items():
        median = statistics.median(found)
        ratio = median / base
        if name != "import sqlalchemy":
            worst = max(worst, ratio)
        print(f"{name:<20} median {median * 1000:7.0f} ms   {ratio:4.2f}× the baseline")
    print(f"worst ratio {worst:.2f} (goal ≤ {GOAL})")
    return 0 if worst <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
