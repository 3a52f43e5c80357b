"""Unit names in documents → the units of the đảng bộ.

A cell may name one unit, several ("A; B", "A và B", "A, B"), every chi bộ ("Các
chi bộ trực thuộc"), or a lead plus every chi bộ ("A và các chi bộ"). Spellings
vary (dash/hyphen, "Chi bộ" prefix or not, uỷ/ủy, case, spaces); matching is done
on ``unit_key``. An unknown name is reported, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from data.text import clean, fold, unit_key


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    is_chi_bo: bool = True
    aliases: tuple[str, ...] = ()


# The units of the Đảng bộ Văn phòng UBND tỉnh (the sample office); seeded into an
# empty store so a fresh install reads the sample plan. Offices add their own.
DEFAULT_UNITS: tuple[UnitInfo, ...] = (
    UnitInfo("hcqt", "Chi bộ Hành chính – Quản trị", aliases=("HC-QT", "HCQT")),
    UnitInfo("thnc", "Chi bộ Tổng hợp – Nội chính", aliases=("TH-NC", "THNC")),
    UnitInfo(
        "ktvx", "Chi bộ Kinh tế ngành – Văn xã", aliases=("KTN-VX", "KTVX", "Kinh tế – Văn xã")
    ),
    UnitInfo("thhcc", "Chi bộ Tin học – Hành chính công", aliases=("TH-HCC", "THHCC")),
    UnitInfo("ubkt", "Ủy ban Kiểm tra Đảng ủy", is_chi_bo=False, aliases=("UBKT", "UBKT Đảng ủy")),
)

_ALL_CHI_BO = re.compile(r"^(cac|toan bo cac|tat ca cac) chi bo( truc thuoc)?( dang uy)?$")
_LEAD_AND_ALL = re.compile(r"^(?P<lead>.+?)\s+(va|cung) cac chi bo( truc thuoc)?$")
_SEPARATORS = re.compile(r"\s*(?:;|,|\s+và\s+|\s+cùng\s+|\n)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Resolution:
    units: tuple[str, ...] = ()  # unit codes, lead first, no duplicates
    unknown: tuple[str, ...] = ()  # names as written that match no unit
    empty: bool = False


@dataclass
class UnitRegistry:
    units: list[UnitInfo] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_key: dict[str, UnitInfo] = {}
        for unit in self.units:
            for name in (unit.name, unit.code, *unit.aliases):
                self._by_key[unit_key(name)] = unit

    @classmethod
    def default(cls) -> UnitRegistry:
        return cls(list(DEFAULT_UNITS))

    def lookup(self, name: str) -> UnitInfo | None:
        return self._by_key.get(unit_key(name))

    def by_code(self, code: str) -> UnitInfo | None:
        return next((u for u in self.units if u.code == code), None)

    @property
    def chi_bo_codes(self) -> tuple[str, ...]:
        return tuple(u.code for u in self.units if u.is_chi_bo)

    def resolve(self, cell: str) -> Resolution:
        text = clean(cell)
        if not text:
            return Resolution(empty=True)
        whole = self.lookup(text)
        if whole:
            return Resolution((whole.code,))
        key = fold(text).strip(" .;,")
        if _ALL_CHI_BO.match(key):
            return Resolution(self.chi_bo_codes)
        lead = _LEAD_AND_ALL.match(key)
        if lead:
            first = self.resolve(text[: len(lead.group("lead"))])
            return Resolution(_unique((*first.units, *self.chi_bo_codes)), first.unknown)
        return self._resolve_list(text)

    def _resolve_list(self, text: str) -> Resolution:
        pieces = [p for p in _SEPARATORS.split(text) if p.strip(" .")]
        codes: list[str] = []
        unknown: list[str] = []
        i = 0
        while i < len(pieces):
            # Greedy: the longest run of pieces that is itself one unit name
            # ("Ban Tuyên giáo và Dân vận" contains a "và").
            for j in range(len(pieces), i, -1):
                unit = self.lookup(" và ".join(pieces[i:j]))
                if unit:
                    codes.append(unit.code)
                    i = j
                    break
            else:
                if _ALL_CHI_BO.match(fold(pieces[i])):
                    codes.extend(self.chi_bo_codes)
                else:
                    unknown.append(pieces[i])
                i += 1
        return Resolution(_unique(codes), tuple(unknown))


def _unique(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(codes))
