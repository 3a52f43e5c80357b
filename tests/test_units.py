"""Unit names as documents write them → the units of the đảng bộ."""

from __future__ import annotations

import unicodedata

import pytest

from data.units import UnitInfo, UnitRegistry, plan_new_units

ALL = ("hcqt", "thnc", "ktvx", "thhcc")


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        ("Chi bộ Hành chính – Quản trị", ("hcqt",)),
        ("Chi bộ Hành chính - Quản trị", ("hcqt",)),
        ("chi bộ hành chính—quản trị", ("hcqt",)),
        ("Hành chính  –  Quản trị", ("hcqt",)),
        ("CHI BỘ TỔNG HỢP – NỘI CHÍNH", ("thnc",)),
        ("Ủy ban Kiểm tra Đảng ủy", ("ubkt",)),
        ("Uỷ ban Kiểm tra Đảng uỷ", ("ubkt",)),
        (unicodedata.normalize("NFD", "Ủy ban Kiểm tra Đảng ủy"), ("ubkt",)),  # combining marks
        ("Chi bộ Tổng hợp – Nội chính; Kinh tế ngành - Văn xã", ("thnc", "ktvx")),
        ("Chi bộ Kinh tế ngành – Văn xã, Chi bộ Tin học – Hành chính công", ("ktvx", "thhcc")),
        ("Chi bộ Tổng hợp – Nội chính và Chi bộ Tin học – Hành chính công", ("thnc", "thhcc")),
        ("Các chi bộ trực thuộc", ALL),
        ("các chi bộ", ALL),
        ("Chi bộ Hành chính – Quản trị và các chi bộ", ALL),
        (
            "Chi bộ Tin học – Hành chính công và các chi bộ trực thuộc",
            ("thhcc", "hcqt", "thnc", "ktvx"),
        ),
        ("HC-QT", ("hcqt",)),
    ],
)
def test_resolves(cell: str, units: tuple[str, ...]) -> None:
    resolution = UnitRegistry.default().resolve(cell)
    assert resolution.units == units
    assert resolution.unknown == ()


def test_unknown_names_are_reported_not_dropped() -> None:
    resolution = UnitRegistry.default().resolve("Ban Tuyên giáo Tỉnh ủy; Chi bộ HCQT")
    assert resolution.units == ("hcqt",)
    assert resolution.unknown == ("Ban Tuyên giáo Tỉnh ủy",)


def test_a_unit_whose_name_contains_va_is_not_split() -> None:
    registry = UnitRegistry([UnitInfo("btgdv", "Ban Tuyên giáo và Dân vận Tỉnh ủy", False)])
    assert registry.resolve("Ban Tuyên giáo và Dân vận Tỉnh uỷ").units == ("btgdv",)


def test_empty_cell() -> None:
    resolution = UnitRegistry.default().resolve("  ")
    assert resolution.empty and resolution.units == ()


def test_an_abbreviated_name_is_the_same_body_written_out() -> None:
    registry = UnitRegistry(
        [
            UnitInfo("dubnd", "Đảng ủy Ủy ban nhân dân tỉnh", is_chi_bo=False),
            UnitInfo("snn", "Sở Nông nghiệp và Phát triển nông thôn", is_chi_bo=False),
            UnitInfo("mttq", "Ủy ban MTTQ Việt Nam tỉnh", is_chi_bo=False),
        ]
    )
    assert registry.resolve("Đảng ủy UBND tỉnh").units == ("dubnd",)
    assert registry.resolve("Sở NN&PTNT").units == ("snn",)
    assert registry.resolve("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh").units == ("mttq",)
    assert registry.resolve("Sở NN&PTNT; Đảng ủy UBND tỉnh").units == ("snn", "dubnd")
    # Only whole abbreviations: a name merely containing the letters is another body.
    assert registry.lookup("Đảng ủy UBNDX tỉnh") is None


def test_a_new_office_gets_one_unit_for_a_name_written_two_ways() -> None:
    names = ["Đảng ủy Ủy ban nhân dân tỉnh", "Sở Tài chính", "Đảng ủy UBND tỉnh"]
    planned = plan_new_units(names, UnitRegistry([]))
    assert [(u.name, u.aliases) for u in planned] == [
        ("Sở Tài chính", ()),
        ("Đảng ủy UBND tỉnh", ("Đảng ủy Ủy ban nhân dân tỉnh",)),
    ]
