"""The not-a-task rules of the prose reader, each through sentences of the class it stands for
(and a duty of the same shape that must stay a task)."""

from __future__ import annotations

import pytest

from data.importers.prose.not_tasks import (
    about_line,
    adds_to_report,
    agenda,
    aims_heading,
    closing_article,
    figures,
    headline,
    issuer_view,
    meeting_held,
    names_only,
    note,
    only_joins,
    only_oversees,
    only_support,
    prohibition,
    signer_line,
    subject_line,
)
from data.text import fold


@pytest.mark.parametrize(
    "sentence",
    [
        "Chánh Văn phòng, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.",
        "Các ban, ngành căn cứ Kế hoạch này triển khai thực hiện./.",
        "Thường trực HĐND tỉnh có trách nhiệm tổ chức thực hiện, giám sát việc thực hiện "
        "Nghị quyết này.",
    ],
)
def test_the_closing_article_is_no_task(sentence: str) -> None:
    assert closing_article(fold(sentence))


def test_a_duty_to_carry_out_named_work_is_not_the_closing_article() -> None:
    assert not closing_article(fold("Sở Tư pháp có trách nhiệm thực hiện rà soát văn bản."))


@pytest.mark.parametrize(
    "sentence",
    [
        "(Theo Công văn số 6202/UBND-KT, ngày 23/11/2023)",
        "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.",
        "Trên đây là Kế hoạch triển khai Nghị quyết của Ban Thường vụ Huyện ủy.",
        "Chỉ thị này được phổ biến đến chi bộ.",
        "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Văn phòng.",
    ],
)
def test_sources_and_closing_formulas_are_about_the_text(sentence: str) -> None:
    assert about_line(fold(sentence))


def test_a_subject_line_says_what_the_text_is_about() -> None:
    assert subject_line(fold("Về việc triển khai công tác phòng, chống thiên tai"))
    assert about_line(fold("Chỉ đạo về việc tăng cường quản lý đất đai"))
    assert not subject_line(fold("Rà soát việc triển khai công tác phòng, chống thiên tai"))


def test_taking_part_with_no_work_of_its_own() -> None:
    assert only_joins(fold("phối hợp giám sát."))
    assert only_joins(fold("quan tâm, xem xét./."))
    assert not only_joins(fold("phối hợp kiểm tra các cơ sở kinh doanh xăng dầu."))


def test_support_as_everyone_owes_it() -> None:
    assert only_support(fold("có trách nhiệm phối hợp chặt chẽ với ngành y tế"))
    assert only_support(fold("tạo điều kiện thuận lợi cho các doanh nghiệp"))
    assert not only_support(fold("tổ chức kiểm tra an toàn thực phẩm"))


def test_the_office_watch_without_a_report() -> None:
    assert only_oversees(fold("theo dõi, đôn đốc các cơ quan chuẩn bị nội dung."))
    assert not only_oversees(fold("theo dõi, đôn đốc, tổng hợp kết quả báo cáo UBND tỉnh."))


def test_an_addition_to_a_report() -> None:
    assert adds_to_report(fold("Đề nghị các đảng bộ ghi rõ danh sách kèm theo báo cáo."))
    assert not adds_to_report(fold("Đề nghị các đảng bộ gửi báo cáo trước ngày 10/5."))


def test_a_session_agenda() -> None:
    assert agenda(fold("Tại kỳ họp thường lệ giữa năm: xem xét báo cáo công tác nửa năm"))
    assert agenda(fold("nghe tờ trình về dự toán ngân sách"))
    assert not agenda(fold("chuẩn bị báo cáo công tác nửa năm"))


def test_the_issuer_view_and_notes() -> None:
    assert issuer_view(fold("Cơ bản thống nhất với nội dung Đề án."))
    assert issuer_view(fold("Đánh giá cao kết quả đạt được của các huyện."))
    assert note(fold("Lưu ý: Việc tổ chức hội nghị cũng được tổ chức trực tuyến."))
    assert note(fold("Theo quy định, Hội nghị được thực hiện mỗi năm một lần."))
    assert not issuer_view(fold("Thống kê số hộ nghèo trên địa bàn."))
    assert not note(fold("Chú trọng công tác tuyên truyền."))


def test_a_meeting_as_news() -> None:
    assert meeting_held(fold("chủ trì cuộc họp về công tác chuẩn bị bầu cử"))
    assert not meeting_held(fold("chủ trì tổ chức hội thi cán bộ dân vận khéo"))


def test_figures_and_prohibitions() -> None:
    assert figures(fold("Tổng số 1.177 hộ với 5.941 khẩu"))
    assert figures(fold("1.033 hộ, kinh phí 20.229,8 triệu đồng"))
    assert not figures(fold("hỗ trợ 1.033 hộ nghèo sửa nhà"))
    assert prohibition(fold("Cán bộ, đảng viên không sử dụng ngân sách để biếu tặng"))
    assert prohibition(fold("nghiêm cấm sử dụng xe công đi lễ hội"))
    assert not prohibition(fold("kiểm tra việc sử dụng xe công; không để xảy ra sai phạm"))


def test_sections_of_aims_hold_no_task() -> None:
    assert aims_heading(fold("Mục đích, yêu cầu"))
    assert aims_heading(fold("QUAN ĐIỂM"))
    assert not aims_heading(fold("Mục tiêu, nhiệm vụ và giải pháp"))
    assert not aims_heading(fold("Tổ chức thực hiện"))


def test_a_signer_title_line() -> None:
    assert signer_line(fold("TRƯỞNG BAN TỔ CHỨC TỈNH ỦY, kiêm Trưởng Ban Bảo vệ sức khỏe"))
    assert signer_line(fold("KT. CHỦ TỊCH"))
    assert not signer_line(fold("Chủ tịch UBND các huyện chỉ đạo rà soát."))


def test_names_with_no_work_and_headlines() -> None:
    assert names_only("Các cơ quan, địa phương,")
    assert not names_only("Các cơ quan, địa phương rà soát,")
    assert headline("Ban Bí thư ra Chỉ thị cấm biếu, tặng quà Tết")
    assert not headline("Ban Bí thư yêu cầu các cấp ủy thực hiện nghiêm.")
