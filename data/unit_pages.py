"""The console's units page: a page of units (with their aliases and chats), searched.

A province has thousands of units: the page shows ``PAGE`` of them, counted and cut by
the database. The search matches the code, the name or an alias, accents folded, over
an index of the registry's folded names kept per process while the registry stands
still (units are added and named rarely; the mark is one statement of index steps),
then reads only the page's units with their chats.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from data.models import Chat, Unit, UnitAlias
from data.text import fold
from data.unit_store import registry_mark

PAGE = 50


@dataclass(frozen=True)
class _Searchable:
    """The registry as a search reads it: (unit id, every key of the unit folded and
    joined by new lines, which a folded query never holds), in registry order."""

    mark: tuple[int, ...]
    units: tuple[tuple[int, str], ...]


# the store (its engine; gone with it) -> the registry's search index
_KEPT: weakref.WeakKeyDictionary[Engine, _Searchable] = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


def _searchable(session: Session) -> _Searchable:
    """The registry's folded names and aliases, read again only when a unit or an
    alias was added (a province's 10,000 names folded once, not at every search)."""
    where = session.get_bind().engine
    mark = registry_mark(session)
    with _KEPT_LOCK:
        kept = _KEPT.get(where)
    if kept is not None and kept.mark == mark:
        return kept
    keys: dict[int, list[str]] = {}
    for unit_id, code, name in session.execute(
        select(Unit.id, Unit.code, Unit.name).order_by(Unit.id)
    ):
        keys[unit_id] = [code.lower(), fold(name)]
    for unit_id, alias in session.execute(select(UnitAlias.unit_id, UnitAlias.alias)):
        if unit_id in keys:
            keys[unit_id].append(fold(alias))
    found = _Searchable(mark, tuple((i, "\n".join(k)) for i, k in keys.items()))
    with _KEPT_LOCK:
        _KEPT[where] = found
    return found


def unit_page(
    session: Session, query: str, page: int, size: int = PAGE
) -> tuple[list[Unit], list[Chat], int]:
    """(this page's units in registry order with their aliases, their chats and the
    office's, how many units match)."""
    wanted = fold(query.strip())
    if not wanted:  # a page of the registry: counted and cut by the database
        count = session.scalar(select(func.count()).select_from(Unit)) or 0
        chosen = select(Unit.id).order_by(Unit.id).offset((page - 1) * size).limit(size)
        return (*_page_of(session, list(session.scalars(chosen))), count)
    ids = [unit_id for unit_id, keys in _searchable(session).units if wanted in keys]
    return (*_page_of(session, ids[(page - 1) * size : page * size]), len(ids))


def _page_of(session: Session, shown: list[int]) -> tuple[list[Unit], list[Chat]]:
    """The page's units with their aliases, and their chats and the office's."""
    units = list(
        session.scalars(
            select(Unit)
            .where(Unit.id.in_(shown))
            .options(selectinload(Unit.aliases))
            .order_by(Unit.id)
        )
    )
    chats = list(
        session.scalars(
            select(Chat)
            .where(Chat.unit_id.in_(shown) | Chat.unit_id.is_(None))
            .options(selectinload(Chat.unit))
            .order_by(Chat.id)
        )
    )
    return units, chats
