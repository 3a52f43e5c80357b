"""The console's units page: a page of units (with their aliases and chats), searched.

A province has thousands of units: the page shows ``PAGE`` of them, counted and cut by
the database. The search matches the code, the name or an alias, accents folded; it
reads the names and aliases (two short columns each, each folded once per process) and
then only the page's units with their chats.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from data.models import Chat, Unit, UnitAlias
from data.text import fold

PAGE = 50


@lru_cache(maxsize=32768)
def _folded(text: str) -> str:
    """A name's or alias's search key, folded once per process (a province's 5,000 names
    were folded again by every search)."""
    return fold(text)


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
    rows = session.execute(select(Unit.id, Unit.code, Unit.name).order_by(Unit.id)).all()
    aliased = {
        unit_id
        for unit_id, alias in session.execute(select(UnitAlias.unit_id, UnitAlias.alias))
        if wanted in _folded(alias)
    }
    ids = [
        r.id
        for r in rows
        if wanted in r.code.lower() or wanted in _folded(r.name) or r.id in aliased
    ]
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
