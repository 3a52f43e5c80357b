"""The console's units page: a page of units (with their aliases and chats), searched.

A province has thousands of units: the page shows ``PAGE`` of them. The search
matches the code, the name or an alias, accents folded; it reads the names and
aliases (two short columns each) and then only the page's units with their chats.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data.models import Chat, Unit, UnitAlias
from data.text import fold

PAGE = 50


def unit_page(
    session: Session, query: str, page: int, size: int = PAGE
) -> tuple[list[Unit], list[Chat], int]:
    """(this page's units in registry order with their aliases, their chats and the
    office's, how many units match)."""
    wanted = fold(query.strip())
    rows = session.execute(select(Unit.id, Unit.code, Unit.name).order_by(Unit.id)).all()
    if wanted:
        aliased = {
            unit_id
            for unit_id, alias in session.execute(select(UnitAlias.unit_id, UnitAlias.alias))
            if wanted in fold(alias)
        }
        ids = [
            r.id
            for r in rows
            if wanted in r.code.lower() or wanted in fold(r.name) or r.id in aliased
        ]
    else:
        ids = [r.id for r in rows]
    shown = ids[(page - 1) * size : page * size]
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
    return units, chats, len(ids)
