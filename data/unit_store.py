"""The units of the đảng bộ as the store keeps them: added, aliased, found by any
name, and the registry the importers read names with (``data.units``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session, selectinload

from data.models import Unit, UnitAlias
from data.text import unit_key
from data.units import DEFAULT_UNITS, UnitInfo, UnitRegistry, plan_new_units

# -- units ---------------------------------------------------------------------


def add_unit(session: Session, info: UnitInfo) -> Unit:
    unit = Unit(code=info.code, name=info.name, is_chi_bo=info.is_chi_bo)
    session.add(unit)
    for alias in dict.fromkeys((info.name, *info.aliases)):
        add_alias(session, unit, alias)
    session.flush()
    return unit


def add_alias(session: Session, unit: Unit, alias: str) -> None:
    key = unit_key(alias)
    if session.scalar(select(UnitAlias).where(UnitAlias.key == key)) is None:
        unit.aliases.append(UnitAlias(alias=alias, key=key))


def ensure_default_units(session: Session, defaults: Iterable[UnitInfo] = DEFAULT_UNITS) -> bool:
    """Seed the sample office's units into an empty store; True when it did."""
    if session.scalar(select(func.count()).select_from(Unit)):
        return False
    for info in defaults:
        add_unit(session, info)
    return True


def registry_mark_columns() -> tuple[Any, Any, Any]:
    """The registry's mark as three index steps (units counted, newest unit, newest alias):
    it moves whenever a unit or an alias is added, so what was read of the names still
    holds while it stands (``registry_mark``; the console's ``store_mark`` holds it too)."""
    return (
        select(func.count()).select_from(Unit).scalar_subquery(),
        select(func.max(Unit.id)).scalar_subquery(),
        select(func.max(UnitAlias.id)).scalar_subquery(),
    )


def registry_mark(session: Session) -> tuple[int, ...]:
    row = session.execute(select(*registry_mark_columns())).one()
    return tuple(int(value or 0) for value in row)


def list_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.id)))


def unit_names(session: Session) -> dict[str, str]:
    """Unit code → name, in registry order (two columns, not objects: an office may have
    thousands of units and every morning and office command names them)."""
    rows = session.execute(select(Unit.code, Unit.name).order_by(Unit.id)).all()
    return {row.code: row.name for row in rows}


def unit_names_upto(session: Session, limit: int) -> dict[str, str] | None:
    """``unit_names`` when there are at most ``limit`` units, else ``None`` (a province's
    thousands are typed, not listed): at most ``limit + 1`` rows read."""
    rows = session.execute(select(Unit.code, Unit.name).order_by(Unit.id).limit(limit + 1)).all()
    return None if len(rows) > limit else {row.code: row.name for row in rows}


def find_unit(session: Session, text: str) -> Unit | None:
    """A unit by its code, its name or any alias (spelling variants folded)."""
    wanted = text.strip()
    unit = session.scalar(select(Unit).where(Unit.code == wanted))
    if unit is not None:
        return unit
    alias = session.scalar(
        select(UnitAlias)
        .where(UnitAlias.key == unit_key(wanted))
        .options(selectinload(UnitAlias.unit))
    )
    if alias is not None:
        return alias.unit
    info = load_registry(session).lookup(wanted)  # e.g. the code typed in capitals
    return session.scalar(select(Unit).where(Unit.code == info.code)) if info else None


def add_units_named(session: Session, names: Iterable[str]) -> list[UnitInfo]:
    """A new office's units, from the names its plan uses (see ``plan_new_units``)."""
    added = plan_new_units(names, load_registry(session))
    for info in added:
        add_unit(session, info)
    return added


def load_registry(session: Session) -> UnitRegistry:
    units = session.scalars(select(Unit).options(selectinload(Unit.aliases)).order_by(Unit.id))
    return UnitRegistry(
        [UnitInfo(u.code, u.name, u.is_chi_bo, tuple(a.alias for a in u.aliases)) for u in units]
    )
