"""The not-a-task rules of the prose reader, each through sentences of the class it stands for
and a duty of the same shape that must stay a task."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from data.importers.prose import not_tasks
from data.text import fold

# (rule, sentence, whether the rule says it is no task)
CASES: list[tuple[Callable[[str], bool], str, bool]] = [
    (not_tasks.designated, "Chi bộ thôn 3 được Đảng ủy xã chọn là đơn vị đại hội điểm.", True),
    (not_tasks.designated, "Trường THCS được lựa chọn làm điểm chuyển đổi số của huyện.", True),
    (not_tasks.designated, "Chi bộ thôn 3 chọn nội dung sinh hoạt chuyên đề quý II.", False),
    (
        not_tasks.planned_event,
        "Theo đó kỳ họp dự kiến được tổ chức vào ngày 05/7/2026 để kiện toàn nhân sự.",
        True,
    ),
    (not_tasks.planned_event, "Kỳ họp thứ hai dự kiến tổ chức trong 01 ngày.", True),
    (not_tasks.planned_event, "Văn phòng chuẩn bị tài liệu kỳ họp trước ngày 01/7/2026.", False),
    (
        not_tasks.closing_article,
        "Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.",
        True,
    ),
    (not_tasks.closing_article, "Các ban, ngành căn cứ Kế hoạch này triển khai thực hiện./.", True),
    (
        not_tasks.closing_article,
        "Thường trực HĐND tỉnh có trách nhiệm tổ chức thực hiện, giám sát việc thực hiện "
        "Nghị quyết này.",
        True,
    ),
    (not_tasks.closing_article, "Sở Tư pháp có trách nhiệm thực hiện rà soát văn bản.", False),
    (not_tasks.about_line, "(Theo Công văn số 6202/UBND-KT, ngày 23/11/2023)", True),
    (not_tasks.about_line, "Văn phòng UBND tỉnh thông báo để các cơ quan biết, thực hiện./.", True),
    (not_tasks.about_line, "Trên đây là Kế hoạch triển khai Nghị quyết của Huyện ủy.", True),
    (not_tasks.about_line, "Chỉ thị này được phổ biến đến chi bộ.", True),
    (not_tasks.about_line, "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh.", True),
    (not_tasks.about_line, "Chỉ đạo về việc tăng cường quản lý đất đai", True),
    (not_tasks.about_line, "Văn phòng UBND tỉnh tổng hợp ý kiến các cơ quan.", False),
    (not_tasks.subject_line, "Về việc triển khai công tác phòng, chống thiên tai", True),
    (not_tasks.subject_line, "Rà soát việc triển khai công tác phòng, chống thiên tai", False),
    (not_tasks.only_joins, "phối hợp giám sát.", True),
    (not_tasks.only_joins, "quan tâm, xem xét./.", True),
    (not_tasks.only_joins, "phối hợp kiểm tra các cơ sở kinh doanh xăng dầu.", False),
    (not_tasks.only_support, "có trách nhiệm phối hợp chặt chẽ với ngành y tế", True),
    (not_tasks.only_support, "tạo điều kiện thuận lợi cho các doanh nghiệp", True),
    (not_tasks.only_support, "tổ chức kiểm tra an toàn thực phẩm", False),
    (not_tasks.only_oversees, "theo dõi, đôn đốc các cơ quan chuẩn bị nội dung.", True),
    (not_tasks.only_oversees, "theo dõi, đôn đốc, tổng hợp kết quả báo cáo UBND tỉnh.", False),
    (not_tasks.adds_to_report, "Đề nghị các đảng bộ ghi rõ danh sách kèm theo báo cáo.", True),
    (not_tasks.adds_to_report, "Đề nghị các đảng bộ gửi báo cáo trước ngày 10/5.", False),
    (not_tasks.agenda, "Tại kỳ họp thường lệ giữa năm: xem xét báo cáo công tác nửa năm", True),
    (not_tasks.agenda, "nghe tờ trình về dự toán ngân sách", True),
    (not_tasks.agenda, "chuẩn bị báo cáo công tác nửa năm", False),
    (not_tasks.issuer_view, "Cơ bản thống nhất với nội dung Đề án.", True),
    (not_tasks.issuer_view, "Đánh giá cao kết quả đạt được của các huyện.", True),
    (not_tasks.issuer_view, "Thống kê số hộ nghèo trên địa bàn.", False),
    (not_tasks.note, "Lưu ý: Việc tổ chức hội nghị cũng được tổ chức trực tuyến.", True),
    (not_tasks.note, "Theo quy định, Hội nghị được thực hiện mỗi năm một lần.", True),
    (not_tasks.note, "Chú trọng công tác tuyên truyền.", False),
    (not_tasks.meeting_held, "chủ trì cuộc họp về công tác chuẩn bị bầu cử", True),
    (not_tasks.meeting_held, "chủ trì tổ chức hội thi cán bộ dân vận khéo", False),
    (not_tasks.figures, "Tổng số 1.177 hộ với 5.941 khẩu", True),
    (not_tasks.figures, "1.033 hộ, kinh phí 20.229,8 triệu đồng", True),
    (not_tasks.figures, "hỗ trợ 1.033 hộ nghèo sửa nhà", False),
    (not_tasks.prohibition, "Cán bộ, đảng viên không sử dụng ngân sách để biếu tặng", True),
    (not_tasks.prohibition, "nghiêm cấm sử dụng xe công đi lễ hội", True),
    (not_tasks.prohibition, "kiểm tra việc sử dụng xe công; không để xảy ra sai phạm", False),
    (not_tasks.aims_heading, "Mục đích, yêu cầu", True),
    (not_tasks.aims_heading, "QUAN ĐIỂM", True),
    (not_tasks.aims_heading, "Mục tiêu, nhiệm vụ và giải pháp", False),
    (not_tasks.aims_heading, "Tổ chức thực hiện", False),
    (not_tasks.signer_line, "TRƯỞNG BAN TỔ CHỨC TỈNH ỦY, kiêm Trưởng Ban Bảo vệ sức khỏe", True),
    (not_tasks.signer_line, "KT. CHỦ TỊCH", True),
    (not_tasks.signer_line, "Chủ tịch UBND các huyện chỉ đạo rà soát.", False),
    # official texts an office imports (batch 57, 58)
    (not_tasks.only_oversees, "đôn đốc, kiểm tra việc thực hiện Chỉ thị này.", True),
    (not_tasks.only_oversees, "theo dõi, đôn đốc, chỉ đạo các chợ thực hiện niêm yết giá.", False),
    (
        not_tasks.only_joins,
        "tiếp tục quan tâm lãnh đạo, chỉ đạo, tạo điều kiện để các phòng của Sở hoàn thành tốt",
        True,
    ),
    (not_tasks.only_joins, "quan tâm lãnh đạo, chỉ đạo việc bồi dưỡng cán bộ văn thư.", False),
    (not_tasks.only_connective, "Ngoài ra,", True),
    (not_tasks.only_connective, "Ngoài ra, rà soát danh sách hộ nghèo.", False),
    (
        not_tasks.announced_event,
        "Theo đó, Văn phòng Huyện ủy tổ chức 01 lớp bồi dưỡng nghiệp vụ cho các chi bộ.",
        True,
    ),
    (not_tasks.announced_event, "Theo đó, các chi bộ tổ chức hội nghị quán triệt.", False),
    (not_tasks.standard, "Đảm bảo chất lượng nước sạch đạt yêu cầu.", True),
    (not_tasks.standard, "Tuân thủ đầy đủ các quy định về phòng cháy.", True),
    (not_tasks.standard, "Khuyến khích các hộ dân lắp điện mặt trời.", True),
    (not_tasks.standard, "Bảo đảm kinh phí cho đội văn nghệ xã.", False),
    (not_tasks.standard, "Thực hiện đầy đủ quyền, nghĩa vụ của chủ đầu tư theo quy định.", True),
    (not_tasks.standard, "Chịu trách nhiệm trước pháp luật nếu để xảy ra sai phạm.", True),
    (not_tasks.standard, "Chịu trách nhiệm tổ chức hội nghị tổng kết.", False),
    (
        not_tasks.planned_event,
        "Hội nghị sơ kết dự kiến tổ chức vào cuối tháng 6/2027 tại hội trường huyện.",
        True,
    ),
    (not_tasks.planned_event, "Hội nghị sơ kết cần được chuẩn bị chu đáo.", False),
    (not_tasks.aims_heading, "Về đánh giá tình hình hoạt động năm 2026", True),
    (not_tasks.aims_heading, "Kết quả đạt được", True),
    (not_tasks.aims_heading, "Đánh giá cán bộ cuối năm", False),
    # a rendering: the exhortation that closes a speech, work with no object, a caption, a look
    # back; and the duty of the same shape
    (not_tasks.aim, "đoàn kết, thống nhất vượt qua khó khăn hoàn thành tốt nhiệm vụ đề ra", True),
    (not_tasks.aim, "nỗ lực phấn đấu hoàn thành xuất sắc nhiệm vụ được giao...", True),
    (not_tasks.aim, "phấn đấu hoàn thành 100% chỉ tiêu thu ngân sách năm 2027", False),
    (
        not_tasks.any_work,
        "tập trung cao độ triển khai các công việc với tinh thần khẩn trương",
        True,
    ),
    (not_tasks.any_work, "triển khai các công việc chuẩn bị Đại hội Hội Nông dân", False),
    (not_tasks.presides, "chủ trì buổi làm việc.", True),
    (not_tasks.presides, "Hội nghị giao ban định kỳ tháng 1-2027", True),
    (not_tasks.presides, "tổ chức hội nghị sơ kết trước ngày 30/6/2027", False),
    (not_tasks.issuer_view, "Đó là báo cáo của Đảng ủy xã trong buổi làm việc", True),
    (not_tasks.only_joins, "quan tâm thực hiện./.", True),
    (not_tasks.only_joins, "quan tâm chỉ đạo rà soát hồ sơ đất đai", False),
]


@pytest.mark.parametrize(
    ("rule", "sentence", "no_task"),
    CASES,
    ids=[sentence[:40] for _, sentence, _ in CASES],
)
def test_each_rule_on_its_class_and_on_a_duty_of_the_same_shape(
    rule: Callable[[str], bool], sentence: str, no_task: bool
) -> None:
    assert rule(fold(sentence)) is no_task


def test_names_with_no_work_and_headlines_read_the_plain_text() -> None:
    assert not_tasks.names_only("Các cơ quan, địa phương,")
    assert not not_tasks.names_only("Các cơ quan, địa phương rà soát,")
    assert not_tasks.headline("Ban Bí thư ra Chỉ thị cấm biếu, tặng quà Tết")
    assert not not_tasks.headline("Ban Bí thư yêu cầu các cấp ủy thực hiện nghiêm.")


def test_a_page_cut_in_the_middle_of_a_word_is_told_from_a_sentence_that_ends() -> None:
    assert not_tasks.cut_off("- Tập trung chỉ đạo các đi")
    assert not_tasks.cut_off(
        "Ban Cán sự Đảng UBND tỉnh khẩn trương hoàn thành các nội dung tại kỳ h"
    )
    assert not not_tasks.cut_off("- Tập trung chỉ đạo các địa phương.")
    assert not not_tasks.cut_off("Tăng cường phòng, chống dịch bệnh./")
