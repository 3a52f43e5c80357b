"""The deadline reader against phrases with known readings (tests/data/deadlines.tsv)."""

from __future__ import annotations

import csv
import unicodedata
from datetime import date, datetime, time
from pathlib import Path
from typing import NamedTuple

import pytest
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from data.deadlines import Deadline, DeadlineKind, parse_deadline

TABLE = Path(__file__).resolve().parent / "data" / "deadlines.tsv"


class Row(NamedTuple):
    phrase: str
    doc_date: date
    kind: DeadlineKind
    start: date | None
    due: date | None
    rrule: str | None
    note: str


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _rows() -> list[Row]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert header == ["phrase", "doc_date", "kind", "start", "due", "rrule", "note"]
        rows = []
        for cells in reader:
            cells += [""] * (7 - len(cells))
            phrase, doc, kind, start, due, rule, note = cells
            rows.append(
                Row(
                    phrase,
                    date.fromisoformat(doc),
                    DeadlineKind(kind),
                    _day(start),
                    _day(due),
                    rule or None,
                    note,
                )
            )
    return rows


ROWS = _rows()


def _occurrences(rule: str, doc_date: date) -> list[date]:
    """A recurrence's due dates in the year after the document: rules compare by these."""
    start = datetime.combine(doc_date, time())  # rrule dates are floating (no zone)
    found = rrulestr(rule, dtstart=start).between(start, start + relativedelta(years=1), inc=True)
    return [d.date() for d in found]


def test_table_is_big_enough() -> None:
    assert len(ROWS) >= 60 + 25
    assert {r.kind for r in ROWS} == set(DeadlineKind)


@pytest.mark.parametrize("row", ROWS, ids=[f"{i}:{r.phrase[:40]}" for i, r in enumerate(ROWS)])
def test_reading(row: Row) -> None:
    got = parse_deadline(row.phrase, row.doc_date)
    assert (got.kind, got.start, got.due) == (row.kind, row.start, row.due), got
    assert got.raw == row.phrase.strip()
    if row.kind is DeadlineKind.RECURRING:
        assert row.rrule, "a recurring test row needs its rule"
        assert got.rrule, got
        assert "DTSTART" not in got.rrule
        expected = _occurrences(row.rrule, row.doc_date)
        assert expected, "a recurrence with no date in a year is a broken test row"
        assert _occurrences(got.rrule, row.doc_date) == expected
    else:
        assert got.rrule is None
    if row.kind is DeadlineKind.UNREADABLE:
        assert got.note
        assert got.note.strip()


@pytest.mark.parametrize(
    ("phrase", "suggestion"),
    [
        ("Năm 2026-203", "Năm 2026 - 2030"),
        ("Năm 2026 - 203", "Năm 2026 - 2030"),
        ("Năm 2025-203", "Năm 2025 - 2030"),
        ("Năm 2030 - 2026", "Năm 2026 - 2030"),
        ("Năm 2206", "Năm 2026"),
        ("Quý II/2206", "Quý II/2026"),
        ("ngày 31/02/2026", "ngày 28/02/2026"),
        ("trước ngày 31/02/2026", "trước ngày 28/02/2026"),
        ("ngày 12/31/2026", "ngày 31/12/2026"),
    ],
)
def test_suggestion(phrase: str, suggestion: str) -> None:
    got = parse_deadline(phrase, date(2026, 4, 1))
    assert got.kind is DeadlineKind.UNREADABLE
    assert got.suggestion == suggestion
    assert got.note


def test_truncated_year_note_explains() -> None:
    got = parse_deadline("Năm 2026-203", date(2026, 4, 1))
    assert got.note is not None
    assert "203" in got.note
    assert "thiếu chữ số" in got.note


@pytest.mark.parametrize(
    "phrase",
    ["", "   ", "Chi bộ Kinh tế ngành – Văn xã", "Các chi bộ trực thuộc", "xin chào", "Định kỳ"],
)
def test_no_suggestion_when_none_is_plausible(phrase: str) -> None:
    got = parse_deadline(phrase, date(2026, 4, 1))
    assert got.kind is DeadlineKind.UNREADABLE
    assert got.suggestion is None
    assert got.note


def test_unit_note_names_the_unit() -> None:
    got = parse_deadline("Chi bộ Kinh tế ngành – Văn xã", date(2026, 4, 1))
    assert got.note is not None
    assert "Chi bộ Kinh tế ngành – Văn xã" in got.note
    assert "đơn vị" in got.note


def test_year_from_document_is_noted() -> None:
    got = parse_deadline("trước ngày 20/12", date(2026, 2, 12))
    assert got.due == date(2026, 12, 19)
    assert got.note is not None
    assert "2026" in got.note


def test_several_deadlines_take_the_earliest_with_a_note() -> None:
    got = parse_deadline(
        "trình Ban Thường vụ vào ngày 24/02/2026, trình Hội đồng nhân dân tại kỳ họp "
        "cuối tháng 02/2026 và trình Ban Chấp hành vào ngày 23/02/2026",
        date(2026, 2, 12),
    )
    assert got.due == date(2026, 2, 23)
    assert got.note


def test_pure_same_input_same_output() -> None:
    doc = date(2026, 4, 1)
    for row in ROWS:
        first = parse_deadline(row.phrase, row.doc_date)
        assert parse_deadline(row.phrase, row.doc_date) == first
    # only the given date counts: the same phrase against two documents
    assert parse_deadline("Quý II", doc).due == date(2026, 6, 30)
    assert parse_deadline("Quý II", date(2031, 1, 5)).due == date(2031, 6, 30)
    assert parse_deadline("trong vòng 30 ngày kể từ ngày ký", date(2020, 1, 1)).due == date(
        2020, 1, 31
    )


def test_to_json_keys() -> None:
    got = parse_deadline("Năm 2026 - 2030", date(2026, 4, 1))
    data = got.to_json()
    assert set(data) == {"kind", "start", "due", "rrule", "raw", "note"}
    assert data["kind"] == "term"
    assert data["start"] == "2026-01-01"
    assert data["due"] == "2030-12-31"
    assert data["raw"] == "Năm 2026 - 2030"


def test_raw_is_stripped_phrase() -> None:
    got = parse_deadline("  Quý I/2026 \n", date(2026, 2, 12))
    assert got.raw == "Quý I/2026"
    assert isinstance(got, Deadline)


def test_decomposed_unicode_reads_like_precomposed() -> None:
    doc = date(2026, 4, 1)
    for phrase in ("Quý II/2026", "Theo chỉ đạo của Tỉnh uỷ", "Thực hiện thường xuyên"):
        nfd = unicodedata.normalize("NFD", phrase)
        assert nfd != phrase
        a, b = parse_deadline(phrase, doc), parse_deadline(nfd, doc)
        assert (a.kind, a.start, a.due) == (b.kind, b.start, b.due)


def test_reference_dates_are_not_deadlines() -> None:
    got = parse_deadline(
        "Thực hiện Nghị quyết số 08-NQ/TU, ngày 20/5/2021 của Ban Chấp hành Đảng bộ tỉnh",
        date(2026, 4, 1),
    )
    assert got.due != date(2021, 5, 20)
    assert got.kind is DeadlineKind.UNREADABLE


def test_recurrence_with_a_term_is_bounded() -> None:
    got = parse_deadline("Hằng năm, giai đoạn 2026-2030", date(2026, 4, 1))
    assert got.kind is DeadlineKind.RECURRING
    assert got.start == date(2026, 1, 1)
    assert got.rrule is not None
    start = datetime.combine(date(2026, 1, 1), time())
    assert [d.year for d in rrulestr(got.rrule, dtstart=start)] == [2026, 2027, 2028, 2029, 2030]


# A slice of the 2026 plan (seed 004, Phụ lục 1-4): TT, task, unit, deadline column.
SAMPLE_TABLE = [
    ("1", "Đề án sắp xếp, kiện toàn thôn bản, tổ dân phố gắn với sắp xếp lại chi bộ, ban công tác Mặt trận thôn bản, tổ dân phố.", "Chi bộ Kinh tế ngành – Văn xã", "Quý II/2026"),  # noqa: E501
    ("2", "Nghị quyết về phát triển nông nghiệp hàng hóa, dược liệu theo hướng kinh tế xanh, giai đoạn 2026 - 2030.", "Chi bộ Kinh tế ngành – Văn xã", "Tháng 3/2026"),  # noqa: E501
    ("3", "Nghị quyết về phát triển du lịch giai đoạn 2026 - 2030, định hướng đến năm 2035.", "Chi bộ Kinh tế ngành – Văn xã", "Đã tham mưu ban hành"),  # noqa: E501
    ("2", "Nghị quyết về tăng cường công tác phổ biến, giáo dục pháp luật trên địa bàn tỉnh giai đoạn 2026 - 2030.", "Chi bộ Tổng hợp – Nội chính", "Đã ban hành"),  # noqa: E501
    ("2.4", "Tăng cường bảo vệ nền tảng tư tưởng của Đảng; nâng cao nhận thức, tinh thần cảnh giác cho cán bộ, đảng viên và Nhân dân", "Các chi bộ trực thuộc", "Thực hiện thường xuyên"),  # noqa: E501
    ("2.9", "Triển khai thực hiện chiến lược của Trung ương về công tác tư tưởng trong bối cảnh chuyển đổi số theo chỉ đạo của Đảng cấp trên", "Chi bộ Hành chính – Quản trị", "Khi có chỉ đạo, hướng dẫn"),  # noqa: E501
    ("3.1", 'Nghiên cứu, vận dụng lý luận xây dựng Đảng về đạo đức, xây dựng Đảng thật sự "là đạo đức, là văn minh" trong tình hình mới', "Các chi bộ trực thuộc", "Năm 2026 - 2029"),  # noqa: E501
    ("4.1", "Tiếp tục hoàn thiện, nâng cao hiệu lực, hiệu quả hoạt động tổ chức bộ máy cơ quan gắn với chuyên đổi số.", "Chi bộ Hành chính – Quản trị", "Quý I/2026"),  # noqa: E501
    ("4.4", "Tiếp tục rà soát, sửa đổi, bổ sung các quy định về chức năng, nhiệm vụ, tổ chức bộ máy; tiếp tục sắp xếp, tinh gọn tổ chức bên trong cơ quan, đơn vị ở địa phương.", "Chi bộ Hành chính – Quản trị", "Sau khi có văn bản của Trung ương"),  # noqa: E501
    ("4.5", "Tham mưu tiếp tục rà soát, hoàn thiện việc phân định thẩm quyền, trách nhiệm giữa cấp tỉnh, cấp xã.", "Chi bộ Tổng hợp – Nội chính", "Thường xuyên"),  # noqa: E501
    ("4.8", "Tham mưu tiếp tục thực hiện có hiệu quả, nâng cao chất lượng hoạt động của tổ chức bộ máy mới của cơ quan thanh tra.", "Chi bộ Tổng hợp – Nội chính", "Theo chỉ đạo của Tỉnh ủy"),  # noqa: E501
    ("4.9", "Tham mưu chỉ đạo thực hiện số hóa tài liệu, quản lý và sử dụng hiệu quả trụ sở, tài sản sau sắp xếp tổ chức.", "Chi bộ Tổng hợp – Nội chính; Kinh tế ngành - Văn xã", "Từ tháng 6/2026"),  # noqa: E501
    ("4.10", "Tham mưu triển khai Quy định của Đảng, Nhà nước về quản lý biên chế của hệ thống chính trị theo hướng phân cấp quản lý biên chế cho các cấp uỷ trực thuộc Trung ương.", "Chi bộ Tổng hợp – Nội chính", "Theo chỉ đạo của Tỉnh uỷ"),  # noqa: E501
    ("5.4", "Triển khai thực hiện quy định của Ban Bí thư về chức năng, nhiệm vụ của đảng bộ, chi bộ cơ sở trong các loại hình tổ chức cơ sở đảng.", "Chi bộ Hành chính – Quản trị", "Theo chỉ đạo của Đảng cấp trên"),  # noqa: E501
    ("6.1", "Tập trung xây dựng đội ngũ cán bộ các cấp đủ phẩm chất, năng lực và uy tín, ngang tầm nhiệm vụ.", "Chi bộ Hành chính – Quản trị", "Năm 2027 và thực hiện thường xuyên"),  # noqa: E501
    ("8.3", "Triển khai Chương trình quốc gia về giáo dục liêm chính", "Chi bộ Hành chính – Quản trị", "Sau khi có chỉ đạo, hướng dẫn"),  # noqa: E501
    ("8.6", "Triển khai thiết chế mới của Trung ương về kiểm soát quyền lực, phòng, chống tham nhũng, tiêu cực", "Chi bộ Hành chính – Quản trị", "Quý IV/2026"),  # noqa: E501
    ("9.2", "Tham gia hệ thống Công pháp luật quốc gia", "Chi bộ Hành chính – Quản trị", "Năm 2026 - 2030"),  # noqa: E501
    ("9.3", "Hoàn thiện các đề án vị trí việc làm gắn với cơ cấu lại và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức", "Chi bộ Hành chính – Quản trị", "Năm 2026"),  # noqa: E501
    ("11.1", "Triển khai thực hiện Kết luận của Bộ Chính trị về việc đẩy mạnh thực hiện Nghị quyết của Ban Chấp hành Trung ương về tiếp tục phát huy truyền thống, sức mạnh đại đoàn kết toàn dân tộc, xây dựng đất nước ta ngày càng phồn vinh, hạnh phúc.", "Chi bộ Hành chính – Quản trị", "Theo chỉ đạo, hướng dẫn của Đảng cấp trên"),  # noqa: E501
    ("11.2", "Tổng kết Quy chế công tác dân vận của hệ thống chính trị.", "Chi bộ Hành chính – Quản trị", "Tháng 6/2026"),  # noqa: E501
    ("2.3", "Triển khai Chương trình quốc gia Tăng năng suất lao động xã hội.", "Chi bộ Kinh tế ngành – Văn xã", "Năm 2026 - 2031"),  # noqa: E501
    ("2.4", "Phối hợp với Bộ Xây dựng tham mưu xây dựng Đề án quản lý thị trường bất động sản phát triển lành mạnh, đáp ứng nhu cầu nhà ở của người dân.", "Chi bộ Kinh tế ngành – Văn xã", "Năm 2026 - 2027"),  # noqa: E501
    ("2.24", "Phối hợp với Bộ Xây dựng tham mưu thành lập, sử dụng hiệu quả quỹ nhà ở quốc gia.", "Chi bộ Kinh tế ngành – Văn xã", "Năm 2026 - 2035"),  # noqa: E501
    ("3.4", "Triển khai thực hiện Đề án của Trung ương về hoàn thiện cơ chế quản lý hiệu quả, bền vững tài nguyên rừng gắn với bảo vệ đa dạng sinh học.", "Chi bộ Kinh tế ngành – Văn xã", "Từ khi ban hành đề án"),  # noqa: E501
    ("1.1", "Triển khai Chương trình mục tiêu quốc gia về phát triển văn hóa giai đoạn 2025 - 2035; phát triển các ngành công nghiệp văn hóa.", "Chi bộ Kinh tế ngành – Văn xã", "Năm 2025 - 2035"),  # noqa: E501
    ("1", "Cao tốc Bảo Hà (Lào Cai) - Lai Châu (CT13).", "Chi bộ Kinh tế ngành – Văn xã", "Năm 2026-2030"),  # noqa: E501
    ("4", "Hầm đường bộ qua đèo Hoàng Liên.", "Chi bộ Kinh tế ngành – Văn xã", "Hoàn thành năm 2027"),  # noqa: E501
    ("3", "Hoàn chỉnh đầu tư 11 trường phổ thông nội trú liên cấp các xã biên giới và một số xã có địa bàn đi lại khó khăn.", "Chi bộ Kinh tế ngành – Văn xã", "Năm 2026-2027"),  # noqa: E501
    ("2", "Bảo tàng tỉnh.", "Chi bộ Kinh tế ngành – Văn xã", "Năm 2026-203"),
    ("2", "Thu ngân sách nhà nước trên địa bàn phân đấu đến năm 2030", "> 4.500 tỷ đồng", "Chi bộ Kinh tế ngành – Văn xã"),  # noqa: E501
]  # fmt: skip
KNOWN_BAD = {"Năm 2026-203", "Chi bộ Kinh tế ngành – Văn xã"}


def test_sample_table_deadline_column() -> None:
    doc = date(2026, 4, 1)
    unreadable = set()
    for _ref, _task, _unit, deadline in SAMPLE_TABLE:
        got = parse_deadline(deadline, doc)
        if got.kind is DeadlineKind.UNREADABLE:
            unreadable.add(deadline)
            assert got.note
    assert unreadable == KNOWN_BAD
