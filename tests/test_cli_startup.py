"""The command line starts light (issue 21): ``bot.cli`` and the commands that need no
store import neither the bot's runtime, Telegram, openpyxl nor the web console."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["telegram", "openpyxl", "bot.runtime", "bot.service", "starlette", "docx", "pydantic"]

PROBE = """
import json, sys
import bot.cli
from bot.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {roots})), file=sys.stderr)
"""


def loaded(*argv: str) -> set[str]:
    roots = {name.split(".")[0] for name in HEAVY}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(roots=roots), *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return [name for name in HEAVY if name in modules]


def test_help_imports_nothing_heavy() -> None:
    assert heavy_in(loaded("--help")) == []


def test_deadline_imports_nothing_heavy() -> None:
    assert heavy_in(loaded("deadline", "Quý II/2026", "--json")) == []


def test_a_command_that_needs_the_store_still_gets_it() -> None:
    assert "bot.runtime" in loaded("migrate", "--help")


def test_the_command_table_names_each_command_where_it_is_defined() -> None:
    """``bot.cli.COMMANDS`` (read for --help and to pick the module to import) agrees
    with what each command module defines: a command added to a module is listed."""
    import argparse
    import importlib

    from bot.cli import COMMANDS, _date, today

    for module in {m for m, _text in COMMANDS.values()}:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(module).add_parsers(sub, _date, today)
        listed = {name for name, (m, _text) in COMMANDS.items() if m == module}
        assert set(sub.choices) == listed, module
