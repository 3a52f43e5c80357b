"""The clause stage of the prose reader: a sentence cut where a new owner starts, a duty cut
into its steps, dates written first moved after the step they close."""

from __future__ import annotations

from datetime import date

from data.importers.prose import ProseReader
from data.importers.prose.clauses import (
    colon_duties,
    comma_steps,
    duty_steps,
    ends_lead_in,
    front_dates,
    opens_step,
    periodic_report,
    preparer_first,
    unfinished,
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


def test_a_comma_opens_a_step_where_a_verb_brings_an_object_of_its_own() -> None:
    assert comma_steps(
        "khẩn trương hoàn thiện hồ sơ đất đai, bố trí đủ kinh phí cho dự án, kiện toàn tổ công tác"
    ) == [
        "khẩn trương hoàn thiện hồ sơ đất đai",
        "bố trí đủ kinh phí cho dự án",
        "kiện toàn tổ công tác",
    ]
    # the same shape, but verbs that share the object after the last of them: one step
    assert comma_steps("rà soát, bổ sung, hoàn thiện hồ sơ đất đai") == [
        "rà soát, bổ sung, hoàn thiện hồ sơ đất đai"
    ]
    assert comma_steps("lãnh đạo, chỉ đạo thực hiện tốt việc thu ngân sách") == [
        "lãnh đạo, chỉ đạo thực hiện tốt việc thu ngân sách"
    ]


def test_and_or_at_the_same_time_after_a_comma_open_a_step_too() -> None:
    assert comma_steps(
        "nâng cấp tuyến đường liên thôn, đồng thời xây dựng phương án phòng chống lụt bão"
    ) == ["nâng cấp tuyến đường liên thôn", "xây dựng phương án phòng chống lụt bão"]
    assert comma_steps("củng cố đội dân phòng và bổ sung trang thiết bị chữa cháy") == [
        "củng cố đội dân phòng",
        "bổ sung trang thiết bị chữa cháy",
    ]
    # "và" between verbs that share one object, or a verb whose object is the next step's
    assert comma_steps("tìm kiếm và loại bỏ vật chứa nước") == ["tìm kiếm và loại bỏ vật chứa nước"]
    assert comma_steps("đề nghị Sở Tài chính xem xét, giải quyết kiến nghị của xã") == [
        "đề nghị Sở Tài chính xem xét, giải quyết kiến nghị của xã"
    ]


def test_a_list_of_objects_a_manner_a_purpose_or_a_delivery_never_opens_a_step() -> None:
    # objects that begin with a verb, after "về" or a word for the cases listed
    assert comma_steps("tuyên truyền về phòng chống ma túy, xây dựng gia đình văn hóa") == [
        "tuyên truyền về phòng chống ma túy, xây dựng gia đình văn hóa"
    ]
    assert comma_steps(
        "xử lý dứt điểm các trường hợp lấn chiếm vỉa hè, xây dựng nhà tạm trái phép"
    ) == ["xử lý dứt điểm các trường hợp lấn chiếm vỉa hè, xây dựng nhà tạm trái phép"]
    # how, why, and the delivery of the work just named
    for duty in (
        "sửa chữa các phòng học xuống cấp, bảo đảm an toàn cho học sinh",
        "rà soát danh sách hộ nghèo để tổ chức thăm hỏi, tặng quà các hộ khó khăn",
        "hoàn chỉnh dự thảo đề án sắp xếp thôn, trình Ban Thường vụ Huyện ủy cho ý kiến",
        "tiếp thu ý kiến các đại biểu, hoàn chỉnh dự thảo báo cáo chính trị",
        "phát triển mô hình trồng dược liệu, nâng cao thu nhập cho người dân",
    ):
        assert comma_steps(duty) == [duty]


def test_a_step_after_words_that_only_name_work_or_a_manner_is_no_step() -> None:
    # "sự lãnh đạo", "tuần tra" name work, "theo thẩm quyền" a manner: the verbs go on
    for duty in (
        "tăng cường sự lãnh đạo, chỉ đạo sâu sát của chi bộ",
        "tăng cường tuần tra, kiểm soát, xử lý nghiêm các vi phạm giao thông",
        "lập phương án, xử lý theo thẩm quyền, báo cáo kết quả",
        "thành lập, công khai và vận hành đường dây nóng tiếp nhận phản ánh",
    ):
        assert comma_steps(duty) == [duty]
    # a bracket's inside never cuts
    assert comma_steps("tổ chức hội nghị (mời đại diện các xã, chuẩn bị tài liệu) tại huyện") == [
        "tổ chức hội nghị (mời đại diện các xã, chuẩn bị tài liệu) tại huyện"
    ]


def test_a_speakers_direction_gives_each_comma_step_to_its_addressee() -> None:
    tasks = _reader().read(
        "Phát biểu kết luận, đồng chí Bí thư Huyện ủy đề nghị Đảng ủy xã Tân Lập khẩn trương "
        "hoàn thiện hồ sơ đất đai, bố trí đủ kinh phí cho dự án; rà soát, bổ sung quy hoạch cán "
        "bộ."
    )
    assert [t.title for t in tasks] == [
        "Khẩn trương hoàn thiện hồ sơ đất đai",
        "Bố trí đủ kinh phí cho dự án",
        "Rà soát, bổ sung quy hoạch cán bộ",
    ]
    assert {t.unit_text for t in tasks} == {"Đảng ủy xã Tân Lập"}


def test_a_lower_case_body_after_a_semicolon_names_its_own_clause() -> None:
    assert _reader()._clauses(
        "Các xã đẩy nhanh tiến độ trồng rừng; phòng Tài chính - Kế hoạch thẩm định kinh phí."
    ) == [
        "Các xã đẩy nhanh tiến độ trồng rừng.",
        "phòng Tài chính - Kế hoạch thẩm định kinh phí.",
    ]
    # a lower-case word that is no body's head stays in the step
    same = "Các xã đẩy nhanh tiến độ trồng rừng; phòng chống cháy rừng mùa khô."
    assert _reader()._clauses(same) == [same]


def test_where_the_page_stops_in_a_list_of_verbs_the_last_step_is_unfinished() -> None:
    assert unfinished("kiểm tra các điểm trường, tập trung")
    # a step whose object is there, or a verb list that shares its object, is finished
    assert not unfinished("rà soát, bổ sung quy hoạch cán bộ")
    assert not unfinished("quản lý đất đai trên địa b")


def test_bodies_counted_before_their_name_after_a_semicolon_open_their_own_clause() -> None:
    assert _reader()._clauses(
        "UBND xã giải quyết dứt điểm các kiến nghị; hai ban HĐND xã tăng cường giám sát."
    ) == ["UBND xã giải quyết dứt điểm các kiến nghị.", "hai ban HĐND xã tăng cường giám sát."]
    # a number that counts things, not bodies, goes on with the step
    same = "UBND xã giải quyết dứt điểm các kiến nghị; hai tuyến đường liên thôn."
    assert _reader()._clauses(same) == [same]


def test_verbs_of_work_the_owner_stage_does_not_need_still_open_a_step() -> None:
    assert comma_steps(
        "kiểm tra các tuyến phố chính, có biện pháp xử lý nghiêm các hộ kinh doanh vi phạm"
    ) == ["kiểm tra các tuyến phố chính", "có biện pháp xử lý nghiêm các hộ kinh doanh vi phạm"]
    assert comma_steps(
        "tuyên truyền lịch thời vụ trên loa truyền thanh, động viên nông dân xuống giống đúng lịch"
    ) == [
        "tuyên truyền lịch thời vụ trên loa truyền thanh",
        "động viên nông dân xuống giống đúng lịch",
    ]
    # "có" alone is a state, no step
    assert comma_steps("kiểm tra các hồ chứa, có nhiều hồ đã xuống cấp") == [
        "kiểm tra các hồ chứa, có nhiều hồ đã xuống cấp"
    ]


def test_a_speakers_semicolon_step_that_opens_with_a_verb_of_work_is_its_own() -> None:
    tasks = _reader().read(
        "Phát biểu kết luận, đồng chí Chủ tịch UBND tỉnh đề nghị các địa phương theo dõi chặt chẽ "
        "diễn biến của bão; thông báo kịp thời cho ngư dân đang hoạt động trên biển."
    )
    assert [t.title for t in tasks] == [
        "Theo dõi chặt chẽ diễn biến của bão",
        "Thông báo kịp thời cho ngư dân đang hoạt động trên biển",
    ]


def test_the_work_of_records_and_procedures_opens_a_step() -> None:
    for step in (
        "tái cấu trúc quy trình cung cấp dịch vụ công trực tuyến",
        "niêm yết công khai nội dung thủ tục hành chính",
        "số hóa hồ sơ, dữ liệu về hoạt động xây dựng",
        "ghi chép đầy đủ thông tin, số liệu thu thập",
    ):
        assert opens_step(step), step
    # the same words as a thing's name, not the work: no step of its own
    assert not opens_step("hệ thống tích hợp dữ liệu dùng chung")
    assert not opens_step("hồ sơ số hóa của các xã")
