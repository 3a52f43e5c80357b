"""The clause stage of the prose reader: a sentence cut where a new owner starts, a duty cut
into its steps, dates written first moved after the step they close."""

from __future__ import annotations

from datetime import date

from data.importers.prose import ProseReader
from data.importers.prose.clauses import (
    colon_duties,
    duty_steps,
    ends_lead_in,
    front_dates,
    periodic_report,
    preparer_first,
)
from data.text import fold
from data.units import UnitRegistry


def _reader() -> ProseReader:
    return ProseReader(UnitRegistry([]), date(2027, 1, 10))


def test_a_clause_after_a_semicolon_that_names_its_owner_is_cut() -> None:
    assert _reader()._clauses("Sở Tài chính rà soát kinh phí; Sở Nội vụ hướng dẫn tuyển dụng.") == [
        "Sở Tài chính rà soát kinh phí.",
        "Sở Nội vụ hướng dẫn tuyển dụng.",
    ]


def test_a_step_of_the_same_owner_or_the_object_of_a_directing_verb_stays() -> None:
    reader = _reader()
    same = "Sở Tài chính rà soát kinh phí; hướng dẫn các huyện lập dự toán."
    directed = "Sở A đôn đốc các sở, ngành; UBND các huyện khẩn trương báo cáo."
    assert reader._clauses(same) == [same]
    assert reader._clauses(directed) == [directed]


def test_the_issuer_lead_in_ends_at_its_colon() -> None:
    sentence = (
        "Sau khi nghe báo cáo, Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau: "
        "Giao Sở Y tế kiểm tra các cơ sở."
    )
    assert _reader()._clauses(sentence) == [
        "Sau khi nghe báo cáo, Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau:",
        "Giao Sở Y tế kiểm tra các cơ sở.",
    ]
    assert ends_lead_in(fold("Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau:"))
    assert not ends_lead_in(fold("Sở Y tế kiểm tra các cơ sở:"))


def test_a_dated_step_closes_at_the_comma_before_the_next_body() -> None:
    reader = _reader()
    assert reader._clauses(
        "Sở Tư pháp hoàn thành dự thảo quy chế trước ngày 15/3/2027, Sở Nội vụ thẩm định, "
        "trình UBND tỉnh."
    ) == [
        "Sở Tư pháp hoàn thành dự thảo quy chế trước ngày 15/3/2027.",
        "Sở Nội vụ thẩm định, trình UBND tỉnh.",
    ]
    undated = "Sở Tư pháp hoàn thành dự thảo quy chế, Sở Nội vụ thẩm định."
    assert reader._clauses(undated) == [undated]


def test_a_colon_list_gives_its_duties_and_a_bracket_does_not_cut() -> None:
    assert colon_duties(
        ": chủ trì tổ chức chiến dịch; chỉ đạo các cơ sở y tế (trạm, phòng khám; bệnh viện) "
        "trước ngày 10/4/2027; định kỳ báo cáo."
    ) == [
        "chủ trì tổ chức chiến dịch",
        "chỉ đạo các cơ sở y tế (trạm, phòng khám; bệnh viện) trước ngày 10/4/2027",
        "định kỳ báo cáo",
    ]
    assert colon_duties("chủ trì tổ chức chiến dịch; chỉ đạo các cơ sở") == []


def test_a_part_that_only_goes_on_with_a_list_stays_with_the_step_before() -> None:
    assert _reader()._standalone(
        ["Tham mưu tổ chức hội nghị", "biên soạn tài liệu trước ngày 20/4/2027", "hộ nghèo"]
    ) == ["Tham mưu tổ chức hội nghị", "biên soạn tài liệu trước ngày 20/4/2027; hộ nghèo"]


def test_an_undated_duty_is_cut_where_each_part_opens_with_a_verb() -> None:
    assert duty_steps("chăm lo đời sống nhân dân; chú ý chăm lo các gia đình chính sách") == [
        "chăm lo đời sống nhân dân",
        "chú ý chăm lo các gia đình chính sách",
    ]
    listed = "hỗ trợ các đối tượng: hộ nghèo; người có công"
    assert duty_steps(listed) == [listed]
    assert duty_steps("Cụ thể: Chỉ đạo rà soát quy hoạch; tổ chức kiểm tra các dự án") == [
        "Chỉ đạo rà soát quy hoạch",
        "tổ chức kiểm tra các dự án",
    ]


def test_a_date_written_first_closes_the_step_it_opens() -> None:
    assert front_dates(
        "Quý 1 năm 2027 hoàn thành phê duyệt quy hoạch; 6 tháng đầu năm 2027 hoàn thành rà soát."
    ) == (
        "hoàn thành phê duyệt quy hoạch trong Quý 1 năm 2027; hoàn thành rà soát trong 6 tháng "
        "đầu năm 2027."
    )


def test_a_timetable_line_puts_its_date_after_the_duty() -> None:
    assert (
        front_dates("Trước ngày 15/4/2027: các chi bộ hoàn thành đại hội.")
        == "các chi bộ hoàn thành đại hội trước ngày 15/4/2027."
    )
    assert (
        front_dates("Tháng 5/2027: Ban Tổ chức tổng hợp kết quả.")
        == "Ban Tổ chức tổng hợp kết quả trong tháng 5/2027."
    )
    assert (
        front_dates("Từ ngày 05/02/2027 - 08/02/2027: các chi bộ trực Tết.")
        == "các chi bộ trực Tết từ ngày 05/02/2027 đến ngày 08/02/2027."
    )


def test_the_body_that_prepares_a_programme_item_comes_first() -> None:
    assert (
        preparer_first("Cho ý kiến về Đề án du lịch (Ban cán sự đảng UBND tỉnh chuẩn bị).")
        == "Ban cán sự đảng UBND tỉnh chuẩn bị cho ý kiến về Đề án du lịch."
    )
    unnamed = "Cho ý kiến về Đề án (dự kiến chuẩn bị)."
    assert preparer_first(unnamed) == unnamed


def test_a_paragraph_in_reading_order_keeps_each_changed_clause_as_written() -> None:
    reader = _reader()
    assert reader._in_order(
        "Quý 1 năm 2027 hoàn thành rà soát. Các sở chịu trách nhiệm thi hành Quyết định này./.", ""
    ) == (
        ["hoàn thành rà soát trong Quý 1 năm 2027."],
        [("hoàn thành rà soát trong Quý 1 năm 2027.", "Quý 1 năm 2027 hoàn thành rà soát.")],
    )
    # a heading's time dates the undated clause only
    sentences, _ = reader._in_order(
        "Tuyên truyền về bầu cử. Gửi báo cáo trước ngày 10/5/2027.", "trong tháng 5/2027"
    )
    assert sentences == [
        "Tuyên truyền về bầu cử, trong tháng 5/2027.",
        "Gửi báo cáo trước ngày 10/5/2027.",
    ]


def test_a_rendered_letters_frame_ends_at_its_comma_and_a_comma_before_the_verb_closes_a_list() -> (
    None
):
    reader = _reader()
    framed = "Công văn nêu rõ, để bảo đảm an toàn, Ban Thường vụ yêu cầu các chi bộ tạm dừng họp."
    assert reader._clauses(framed) == [
        "Công văn nêu rõ,",
        "để bảo đảm an toàn, Ban Thường vụ yêu cầu các chi bộ tạm dừng họp.",
    ]
    listed = (
        "Sở Nội vụ tổng hợp nhu cầu đối với các sở; Ủy ban nhân dân cấp xã (gồm các phòng), gửi "
        "Sở Tài chính trước ngày 20/4/2027."
    )
    assert reader._clauses(listed) == [listed]


def test_a_sentence_that_is_the_periodic_report_of_the_work_before() -> None:
    assert periodic_report(fold("Thực hiện chế độ thông tin, báo cáo theo định kỳ của Đề án."))
    assert periodic_report(fold("Định kỳ báo cáo kết quả về Sở Y tế."))
    assert not periodic_report(fold("Báo cáo kết quả về Sở Y tế trước ngày 10/5/2027."))
