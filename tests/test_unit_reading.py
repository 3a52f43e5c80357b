"""Owner units read as a clerk reads them (``UnitRegistry.resolve``, ``load_document``)."""

from __future__ import annotations

from datetime import date

import pytest

from data.importers import LoadedFile, load_document
from data.units import UnitInfo, UnitRegistry, derive_code, is_chi_bo_name

EMPTY = UnitRegistry([])


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        # A comma or "và" inside one name is not a separator.
        ("Ban Tuyên giáo và Dân vận Tỉnh ủy", ("Ban Tuyên giáo và Dân vận Tỉnh ủy",)),
        ("Chi bộ Phòng Kế hoạch, Tài chính", ("Chi bộ Phòng Kế hoạch, Tài chính",)),
        ("Sở Văn hóa, Thể thao và Du lịch", ("Sở Văn hóa, Thể thao và Du lịch",)),
        ("UBND các xã, phường", ("UBND các xã, phường",)),
        ("Các ban, ngành, đoàn thể tỉnh", ("Các ban, ngành, đoàn thể tỉnh",)),
        # ... and splits only where a new organisation name begins.
        (
            "Ban Tuyên giáo và Dân vận Tỉnh ủy, Sở Văn hóa, Thể thao và Du lịch và UBND các xã",
            (
                "Ban Tuyên giáo và Dân vận Tỉnh ủy",
                "Sở Văn hóa, Thể thao và Du lịch",
                "UBND các xã",
            ),
        ),
        (
            "Sở Nội vụ, Công an tỉnh và Bộ Chỉ huy Quân sự tỉnh",
            ("Sở Nội vụ", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
        ),
        ("Văn phòng Tỉnh ủy; Hội Nông dân tỉnh", ("Văn phòng Tỉnh ủy", "Hội Nông dân tỉnh")),
        # Lists under a colon.
        ("Các sở: Tài chính, Nội vụ, Xây dựng", ("Sở Tài chính", "Sở Nội vụ", "Sở Xây dựng")),
        (
            "UBND các huyện: Tam Đường, Sìn Hồ và Phong Thổ",
            ("UBND huyện Tam Đường", "UBND huyện Sìn Hồ", "UBND huyện Phong Thổ"),
        ),
        ("Các sở:\n- Tài chính;\n- Nội vụ.", ("Sở Tài chính", "Sở Nội vụ")),
        # Two lines of one cell are two units; a wrapped name stays one.
        ("Văn phòng Tỉnh ủy\nBan Tổ chức Tỉnh ủy", ("Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy")),
        ("Sở Văn hóa, Thể\nthao và Du lịch", ("Sở Văn hóa, Thể thao và Du lịch",)),
        ("Ban Tuyên giáo và\nDân vận Tỉnh ủy", ("Ban Tuyên giáo và Dân vận Tỉnh ủy",)),
        # Scope words and trailing punctuation are not part of a name.
        ("Sở Nội vụ (đối với cấp tỉnh).", ("Sở Nội vụ",)),
        ("Các sở, ngành theo chức năng, nhiệm vụ được giao", ("Các sở, ngành",)),
        ("Đảng ủy các xã trình Ban Thường vụ cùng cấp;", ("Đảng ủy các xã",)),
        ("UBND tỉnh, đối với nội dung thuộc thẩm quyền", ("UBND tỉnh",)),
    ],
)
def test_unknown_names_are_whole_names(cell: str, names: tuple[str, ...]) -> None:
    resolution = EMPTY.resolve(cell)
    assert resolution.units == ()
    assert resolution.unknown == names


OFFICE = UnitRegistry(
    [
        UnitInfo("btgdv", "Ban Tuyên giáo và Dân vận Tỉnh ủy", False),
        UnitInfo("svhttdl", "Sở Văn hóa, Thể thao và Du lịch", False),
        UnitInfo("vh", "Sở Văn hóa", False),
        UnitInfo("stc", "Sở Tài chính", False, aliases=("STC",)),
        UnitInfo("snv", "Sở Nội vụ", False),
        UnitInfo("khtc", "Chi bộ Phòng Kế hoạch, Tài chính"),
        UnitInfo("vp", "Chi bộ Văn phòng"),
    ]
)


@pytest.mark.parametrize(
    ("cell", "codes", "unknown"),
    [
        # The registry first; the longest known name wins.
        ("Sở Văn hóa, Thể thao và Du lịch", ("svhttdl",), ()),
        ("Sở Văn hóa; Sở Tài chính", ("vh", "stc"), ()),
        ("Ban Tuyên giáo và Dân vận Tỉnh uỷ và Sở Tài chính", ("btgdv", "stc"), ()),
        ("Phòng Kế hoạch, Tài chính, Văn phòng", ("khtc", "vp"), ()),
        ("Sở Tài chính, Sở Xây dựng", ("stc",), ("Sở Xây dựng",)),
        ("Các sở: Tài chính, Nội vụ, Công Thương", ("stc", "snv"), ("Sở Công Thương",)),
        ("Ban Tuyên giáo và Dân vận\nTỉnh ủy", ("btgdv",), ()),
        # "các chi bộ" means this office's chi bộ (names starting with "Chi bộ").
        ("Các chi bộ trực thuộc", ("khtc", "vp"), ()),
        ("Sở Nội vụ và các chi bộ", ("snv", "khtc", "vp"), ()),
    ],
)
def test_known_names_first(cell: str, codes: tuple[str, ...], unknown: tuple[str, ...]) -> None:
    resolution = OFFICE.resolve(cell)
    assert resolution.units == codes
    assert resolution.unknown == unknown


@pytest.mark.parametrize(
    ("cell", "lead", "cooperating"),
    [
        ("Chủ trì: Sở Tài chính; phối hợp: Sở Nội vụ, Sở Văn hóa", ("stc",), ("snv", "vh")),
        ("Sở Tài chính (chủ trì), Sở Nội vụ (phối hợp)", ("stc",), ("snv",)),
        ("Sở Tài chính chủ trì, phối hợp với Sở Nội vụ", ("stc",), ("snv",)),
        ("Sở Tài chính chủ trì; Sở Nội vụ phối hợp", ("stc",), ("snv",)),
    ],
)
def test_lead_and_cooperating_in_one_cell(
    cell: str, lead: tuple[str, ...], cooperating: tuple[str, ...]
) -> None:
    resolution = OFFICE.resolve(cell)
    assert (resolution.units, resolution.cooperating) == (lead, cooperating)


def test_lookup_takes_a_code_a_name_or_an_alias() -> None:
    assert OFFICE.lookup("stc") is OFFICE.lookup("STC") is OFFICE.lookup("sở tài chính")
    assert OFFICE.lookup("Văn phòng") is OFFICE.by_code("vp")  # without "Chi bộ"
    assert EMPTY.lookup("Sở Tài chính") is None
    assert EMPTY.resolve("").empty and EMPTY.chi_bo_codes == ()


def test_derive_code_and_chi_bo_names() -> None:
    assert derive_code("Chi bộ Hành chính – Quản trị", []) == "hcqt"
    assert derive_code("Chi bộ Hành chính - Quản trị", ["hcqt"]) == "hcqt2"
    assert derive_code("Chi bộ Hành chính – Quản trị", ["hcqt", "hcqt2"]) == "hcqt3"
    assert derive_code("Ban Tuyên giáo và Dân vận Tỉnh ủy", []) == "tgdvtu"
    assert derive_code("Ủy ban Kiểm tra Đảng ủy", []) == "ktdu"
    assert derive_code("Sở Y tế", []) == "yt"
    assert derive_code("Văn phòng", []) == "vp"
    assert derive_code("Chi bộ 1", []) == "1"
    for name in ("Ủy ban Kiểm tra Đảng ủy", "Sở Văn hóa, Thể thao và Du lịch"):
        assert derive_code(name, []).isascii() and derive_code(name, []).islower()
    assert is_chi_bo_name("Chi bộ Văn phòng") and is_chi_bo_name("CHI BỘ 1")
    assert not is_chi_bo_name("Đảng bộ xã") and not is_chi_bo_name("Các chi bộ trực thuộc")


PLAN = """KẾ HOẠCH công tác năm 2026
Lai Châu, ngày 05 tháng 01 năm 2026
TT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian
1\tHọp chi bộ thường kỳ\tCác chi bộ trực thuộc\t\tHằng tháng
2\tTổng kết năm\tChi bộ Văn phòng Sở; Chi bộ Thanh tra\tCác sở: Tài chính, Nội vụ\tTháng 12/2026
3\tTuyên truyền\tBan Tuyên giáo và Dân vận Tỉnh ủy, Sở Văn hóa, Thể thao và Du lịch\t\
UBND các xã, phường\tQuý II/2026
"""


def _load(registry: UnitRegistry):  # type: ignore[no-untyped-def]
    loaded = LoadedFile("kh.txt", ".txt", PLAN.encode())
    return load_document(loaded, registry, doc_date=None, today=date(2026, 1, 5))


def test_a_new_office_collects_its_units_then_resolves_them() -> None:
    first = _load(UnitRegistry([]))
    assert first.new_unit_names == (
        "Chi bộ Văn phòng Sở",
        "Chi bộ Thanh tra",
        "Sở Tài chính",
        "Sở Nội vụ",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "Sở Văn hóa, Thể thao và Du lịch",
        "UBND các xã, phường",
    )
    messages = [w.message for w in first.warnings]
    assert any("Không nhận ra đơn vị «Chi bộ Thanh tra»" in m for m in messages)
    assert any("chưa có chi bộ nào" in m for m in messages)  # "Các chi bộ" with none yet

    units: list[UnitInfo] = []
    for name in first.new_unit_names:
        code = derive_code(name, [u.code for u in units])
        units.append(UnitInfo(code, name, is_chi_bo_name(name)))
    office = UnitRegistry(units)
    again = _load(office)
    assert again.new_unit_names == ()
    assert [(t.ref, t.units, t.cooperating) for t in again.tasks] == [
        ("1", ("vps", "tt"), ()),
        ("2", ("vps", "tt"), ("tc", "nv")),
        ("3", ("tgdvtu", "vhttdl"), ("cxp",)),
    ]
    assert not [w for w in again.warnings if "đơn vị" in w.message]


def test_a_paragraph_in_the_unit_cell_is_one_unknown_name_read_at_once() -> None:
    import time

    cell = "Sở Tài chính, Sở Nội vụ, " * 400  # 10,000 characters: took minutes before
    started = time.perf_counter()
    found = UnitRegistry.default().resolve(cell)
    assert time.perf_counter() - started < 1.0
    assert found.units == () and len(found.unknown) == 1
    assert found.unknown[0].endswith("…")
