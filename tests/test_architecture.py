"""The layers, checked from the imports: data ← jobs ← bot, no circles, SQL only in data/.

Every import counts, including those inside functions and under TYPE_CHECKING: a
lazy import is still a dependency, and a circle hidden that way is still a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"data": 0, "jobs": 1, "bot": 2}
# Names of sqlalchemy that build statements; outside data/ none may be imported.
SQL_BUILDERS = {
    "select",
    "insert",
    "update",
    "delete",
    "func",
    "text",
    "or_",
    "and_",
    "not_",
    "exists",
    "union",
    "literal",
    "column",
    "table",
}
SQL_METHODS = {"query", "execute", "scalar", "scalars"}  # session.<these>(…) outside data/


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # Alembic's own scripts
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import statement in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names]


def _project_target(module: str, names: list[str]) -> list[str]:
    """The project modules an import reaches (``from data import store`` → data.store)."""
    targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
    if not targets and module in MODULES:
        targets = [module]
    return targets


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for module, names in _imports(path):
            for target in _project_target(module, names):
                if target != name:
                    graph[name].add(target)
    return graph


GRAPH = _graph()


def test_the_walk_finds_the_packages() -> None:
    assert {"data.store", "jobs.plan", "bot.service", "bot.runtime"} <= set(MODULES)
    assert "data.store" in GRAPH["bot.service"]  # the checker sees real edges


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    layer = LAYERS[module.split(".")[0]]
    upward = [t for t in GRAPH[module] if LAYERS[t.split(".")[0]] > layer]
    assert not upward, f"{module} imports a higher layer: {upward}"


def test_no_import_circles() -> None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)
    assert not circles, f"import circles: {circles}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.startswith("data")))
def test_sql_is_built_only_in_data(module: str) -> None:
    path = MODULES[module]
    for imported, names in _imports(path):
        if imported == "sqlalchemy" or imported.startswith("sqlalchemy."):
            builders = SQL_BUILDERS.intersection(names)
            assert not builders, f"{module} builds SQL with {sorted(builders)} from {imported}"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "session"
        ):
            pytest.fail(f"{module}:{node.lineno} runs SQL (session.{node.func.attr})")


def test_the_checker_catches_a_violation(tmp_path: Path) -> None:
    """The rules above can fail: a module written the forbidden way is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from sqlalchemy import select\nfrom bot.service import ChatService\n", encoding="utf-8"
    )
    imports = dict(_imports(bad))
    assert SQL_BUILDERS.intersection(imports["sqlalchemy"]) == {"select"}
    assert _project_target("bot.service", imports["bot.service"]) == ["bot.service"]


# The office's verbs live in bot/actions: nothing else changes a part, tells a chat
# through the outbox, or writes the audit log (one verb, one place).
PART_MUTATORS = {
    "mark_part",
    "mark_task",
    "extend_part",
    "set_confidential",
    "report_part",
    "confirm_part",
    "return_part",
    "record_update",
    "attach_file",
    "decide",
    "request_extension",
    "accept_proposal",
    "reject_proposal",
    "edit_proposal",
    "set_owners",
    "set_deadline",
}
GUARDED = {"parts": PART_MUTATORS, "outbox": {"enqueue"}, "chat_store": {"audit"}}


def _guarded_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.attr in GUARDED.get(node.func.value.id, ())
        ):
            found.append(f"{node.func.value.id}.{node.func.attr}:{node.lineno}")
    for imported, names in _imports(path):
        short = imported.rsplit(".", 1)[-1]
        found += [f"from {imported} import {n}" for n in names if n in GUARDED.get(short, ())]
    return found


@pytest.mark.parametrize(
    "module", sorted(m for m in MODULES if m.startswith("bot.") and not m.startswith("bot.actions"))
)
def test_only_the_verbs_change_parts_tell_chats_or_audit(module: str) -> None:
    assert not _guarded_calls(MODULES[module]), f"{module} bypasses bot.actions"


def test_the_verb_guard_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from data import parts, outbox\nparts.mark_part(t, p, c, done=True)\n"
        "outbox.enqueue(s, [], n)\nfrom data.chat_store import audit\n",
        encoding="utf-8",
    )
    assert len(_guarded_calls(bad)) == 3


def test_the_chat_service_stays_thin() -> None:
    """Parse, call a verb, render: no method of the chat service over 60 lines, and no
    decision made by reading an answer's words (``answer.startswith("Đã …")``)."""
    tree = ast.parse(MODULES["bot.service"].read_text(encoding="utf-8"))
    long = [
        f"{n.name} ({n.end_lineno - n.lineno + 1} lines)"
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef) and (n.end_lineno or 0) - n.lineno + 1 > 60
    ]
    assert not long, long
    reads_words = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "startswith"
        and any(
            isinstance(arg, ast.Constant | ast.Tuple)
            and any(
                isinstance(c, ast.Constant) and str(c.value)[:1].isupper()
                for c in ([arg] if isinstance(arg, ast.Constant) else arg.elts)
            )
            for arg in node.args
        )
    ]
    assert not reads_words, f"bot/service.py decides by an answer's words at {reads_words}"
