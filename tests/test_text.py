"""data.text: the one fold of the project, and the text helpers around it."""

from __future__ import annotations

import unicodedata

import pytest

from data.text import clean, fold, strip_accents, unit_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Đảng uỷ – Ủy ban", "dang uy - uy ban"),
        ("<b>Thời  gian</b>", "thoi gian"),
        ("**Quý II/2026**", "quy ii/2026"),
        ("a\u00a0b", "a b"),
        ("  THƯỜNG   XUYÊN \n", "thuong xuyen"),
        ("Năm 2026\u20142030", "nam 2026-2030"),
        ("Hòa – Hoà", "hoa - hoa"),
        ("\u212b\u212a", "ak"),  # the Ångström and Kelvin signs fold like their letters
        ("İ ß", "i ss"),
        ("Ωμέγα", "ωμεγα"),
        ("", ""),
    ],
)
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key


def test_fold_ignores_the_unicode_form() -> None:
    for text in ("Quý II/2026", "Theo chỉ đạo của Tỉnh uỷ", "Thực hiện thường xuyên", "Ωμέγα"):
        nfd = unicodedata.normalize("NFD", text)
        assert nfd != text
        assert fold(nfd) == fold(text)


def test_fold_is_idempotent() -> None:
    for text in ("Đảng uỷ – Ủy ban", "<i>Quý  II</i>/2026", "Ωμέγα ǰ"):
        assert fold(fold(text)) == fold(text)


def test_clean_keeps_diacritics_and_case() -> None:
    assert clean("<b>Đảng  uỷ</b>\u00a0**Ủy ban**") == "Đảng uỷ Ủy ban"
    assert clean(unicodedata.normalize("NFD", "Tỉnh ủy")) == "Tỉnh ủy"


def test_strip_accents() -> None:
    assert strip_accents("Đảng ủy") == "Dang uy"
    assert strip_accents("Quý II") == "Quy II"


def test_unit_key() -> None:
    assert unit_key("Chi bộ Kinh tế ngành – Văn xã") == "kinh te nganh-van xa"
    assert unit_key("Chi bộ Tổng hợp - Nội chính.") == "tong hop-noi chinh"
