"""A rendering's speech: who speaks, the speaker's cue and turn, the parts of what is said."""

from __future__ import annotations

from data.importers.prose import speech
from data.importers.prose.segment import _aligned_fold
from data.text import fold


def test_a_person_speaks_a_text_told_does_not() -> None:
    assert speech.speaks("Phát biểu kết luận, đồng chí Bí thư Tỉnh ủy đề nghị các cấp ủy …")
    assert speech.speaks("Sau khi nghe báo cáo, ông Lê Văn Tám yêu cầu các cơ quan …")
    assert speech.speaks("Thường trực HĐND huyện đánh giá cao …; đề nghị UBND huyện …")
    assert not speech.speaks("UBND tỉnh vừa ban hành Công văn số 12/UBND-KT yêu cầu các sở …")
    assert not speech.speaks("Các sở, ngành tập trung rà soát hồ sơ.")


def test_the_speakers_cue_and_turn() -> None:
    assert speech.spoken_to(fold("Đồng chí Bí thư đề nghị"))
    assert speech.spoken_to(fold("Đối với các ban tham mưu của Tỉnh ủy,"))
    assert not speech.spoken_to(fold("Trong năm 2027,"))
    turned = speech.turn(_aligned_fold("Thường trực HĐND đánh giá cao …; đồng thời yêu cầu UBND …"))
    assert turned is not None
    assert speech.turn(_aligned_fold("… chỉ ra những hạn chế và yêu cầu cơ quan soạn thảo …"))
    assert speech.turn(_aligned_fold("Sở Y tế tổng hợp, đề nghị Bộ Y tế xem xét.")) is None


def test_a_charge_and_the_parts_between_semicolons() -> None:
    assert speech.charge("chịu trách nhiệm về số liệu báo cáo")
    assert not speech.charge("chịu trách nhiệm tổ chức hội nghị")
    assert speech.semicolon_parts("a b; c (d; e); f.") == ["a b", "c (d; e)", "f."]


def _read(text: str) -> list[tuple[str, str]]:
    from datetime import date

    from data.importers.prose import propose_tasks
    from data.units import UnitRegistry

    return [
        (t.unit_text, t.title) for t in propose_tasks(text, UnitRegistry([]), date(2027, 1, 10))
    ]


def test_a_commune_named_after_the_cue_owns_the_duty_even_after_a_time() -> None:
    assert _read(
        "Qua kiểm tra, Thường trực Huyện ủy đề nghị xã Phú Lâm cần khắc phục ngay tình trạng "
        "chậm cấp giấy chứng nhận quyền sử dụng đất."
    ) == [("Xã Phú Lâm", "Khắc phục ngay tình trạng chậm cấp giấy chứng nhận quyền sử dụng đất")]
    assert _read(
        "Đồng chí Bí thư đề nghị trong thời gian tới xã Phú Lâm cần khắc phục ngay tình trạng "
        "chậm cấp giấy chứng nhận quyền sử dụng đất."
    ) == [("Xã Phú Lâm", "Khắc phục ngay tình trạng chậm cấp giấy chứng nhận quyền sử dụng đất")]
    # a place that is only where the meeting was held names no owner
    assert _read("Sáng 12/1, Thường trực Huyện ủy làm việc tại xã Phú Lâm.") == []


def test_the_bodies_after_the_speakers_cue_and_colon_are_addressed() -> None:
    assert _read(
        "Kết luận cuộc họp, đồng chí Chủ tịch UBND huyện đề nghị: các xã khẩn trương hoàn thành "
        "việc chi trả tiền hỗ trợ cho người dân; phòng Lao động - Thương binh và Xã hội hướng "
        "dẫn hồ sơ thanh quyết toán."
    ) == [
        ("các xã", "Khẩn trương hoàn thành việc chi trả tiền hỗ trợ cho người dân"),
        ("Phòng Lao động - Thương binh và Xã hội", "Hướng dẫn hồ sơ thanh quyết toán"),
    ]


def test_the_speech_that_opens_the_sentence_and_a_speaker_with_titles_and_company() -> None:
    assert _read(
        "Phát biểu tại buổi làm việc đồng chí Lê Văn Hùng – Phó Bí thư Thường trực Huyện ủy và "
        "đoàn công tác của huyện đề nghị xã Phú Lâm cần chủ động phòng chống dịch bệnh trên đàn "
        "gia súc."
    ) == [("Xã Phú Lâm", "Chủ động phòng chống dịch bệnh trên đàn gia súc")]
    assert _read(
        "Cụ thể, UBND thành phố yêu cầu các địa phương rà soát, thống kê đầy đủ các công trình "
        "vi phạm, xác định rõ trách nhiệm của người đứng đầu."
    ) == [
        ("Các địa phương", "Rà soát, thống kê đầy đủ các công trình vi phạm"),
        ("Các địa phương", "Xác định rõ trách nhiệm của người đứng đầu"),
    ]
    # the speech told, with no one addressed, gives no owner
    assert _read("Phát biểu tại buổi làm việc, đồng chí Lê Văn Hùng đánh giá cao kết quả.") == []


def test_each_sentence_of_a_speakers_colon_list_is_cut_into_its_steps() -> None:
    assert _read(
        "Phát biểu tại buổi làm việc, đồng chí Bí thư Huyện ủy đề nghị xã Phú Lâm: chủ động "
        "triển khai nghị quyết đại hội. Tăng cường tuyên truyền về phòng chống ma túy; tập trung "
        "lãnh đạo, tổ chức lại sản xuất cho nhân dân, tuyên truyền cho người dân tránh tư tưởng "
        "trông chờ."
    ) == [
        ("Xã Phú Lâm", "Chủ động triển khai nghị quyết đại hội"),
        ("Xã Phú Lâm", "Tăng cường tuyên truyền về phòng chống ma túy"),
        ("Xã Phú Lâm", "Tập trung lãnh đạo, tổ chức lại sản xuất cho nhân dân"),
        ("Xã Phú Lâm", "Tuyên truyền cho người dân tránh tư tưởng trông chờ"),
    ]
    # a colon list in an office's own text keeps one duty a sentence
    assert (
        len(
            _read(
                "Giao Phòng Nội vụ: Chủ trì rà soát hồ sơ cán bộ, tổng hợp danh sách đề nghị khen "
                "thưởng."
            )
        )
        == 1
    )


def test_a_body_that_passes_a_report_or_leads_the_delegation_is_the_meeting_told() -> None:
    assert _read("Tại phiên họp, UBND xã thông qua báo cáo kết quả giải quyết kiến nghị.") == []
    assert _read("Đồng chí Lê Văn Hùng làm trưởng đoàn đến làm việc tại xã Phú Lâm.") == []
    # the same shape with a verb of work is a duty
    assert _read(
        "Thường trực HĐND đề nghị UBND xã rà soát báo cáo kết quả giải quyết kiến nghị."
    ) == [("UBND xã", "Rà soát báo cáo kết quả giải quyết kiến nghị")]


def test_a_speakers_direction_that_lists_its_items_after_that_is_and_a_colon() -> None:
    assert _read(
        "Qua đó đồng chí chỉ đạo thực hiện tốt một số nội dung trong thời gian tới đó là: Các "
        "ngành, đoàn thể tuyên truyền, vận động nhân dân chuyển đổi cây trồng; tăng cường công tác "
        "phòng chống cháy rừng."
    ) == [
        ("Các ngành, đoàn thể", "Tuyên truyền, vận động nhân dân chuyển đổi cây trồng"),
        ("Các ngành, đoàn thể", "Tăng cường công tác phòng chống cháy rừng"),
    ]
    # "đó là:" in a told sentence with no direction names no duty
    assert _read("Kết quả nổi bật đó là: Các ngành, đoàn thể đã hoàn thành kế hoạch năm.") == []


def test_at_the_same_time_names_more_bodies_of_the_direction_in_a_story() -> None:
    tasks = _read(
        "Cụ thể, UBND thành phố yêu cầu các địa phương kiểm tra tất cả các công trình xây dựng."
        "\n\nĐồng thời, các địa phương và đơn vị liên quan rà soát, thống kê đầy đủ các công "
        "trình vi phạm, công khai danh mục công trình vi phạm."
    )
    assert [title for _, title in tasks] == [
        "Kiểm tra tất cả các công trình xây dựng",
        "Rà soát, thống kê đầy đủ các công trình vi phạm",
        "Công khai danh mục công trình vi phạm",
    ]
    # a collective with no direction before it and no joining word stays a courtesy
    assert _read("Các địa phương và đơn vị liên quan quan tâm thực hiện.") == []


def test_a_sentence_of_the_speech_that_turns_to_a_topic_goes_on_with_the_addressee() -> None:
    tasks = _read(
        "Kết luận cuộc họp, đồng chí Chủ tịch UBND huyện đề nghị Phòng Nông nghiệp rà soát diện "
        "tích lúa bị ngập. Đối với đề án trồng cây dược liệu, tiếp tục hoàn thiện hồ sơ giao đất; "
        "đẩy nhanh tiến độ các mô hình điểm."
    )
    assert [title for _, title in tasks] == [
        "Rà soát diện tích lúa bị ngập",
        "Tiếp tục hoàn thiện hồ sơ giao đất",
        "Đẩy nhanh tiến độ các mô hình điểm",
    ]
    assert {owner for owner, _ in tasks} == {"Phòng Nông nghiệp"}
    # a topic with no work after it is no duty
    assert (
        len(
            _read(
                "Kết luận cuộc họp, đồng chí Chủ tịch UBND huyện đề nghị Phòng Nông nghiệp rà soát "
                "diện tích lúa bị ngập. Đối với đề án trồng cây dược liệu, kết quả còn thấp."
            )
        )
        == 1
    )


def test_a_sentence_of_the_speech_may_open_with_a_verb_the_owner_stage_does_not_need() -> None:
    tasks = _read(
        "Phát biểu kết luận, đồng chí Bí thư Huyện ủy đề nghị xã Phú Lâm cần chú trọng công tác "
        "vệ sinh môi trường. Quản lý tốt hành lang an toàn giao thông. Có biện pháp bảo vệ an "
        "toàn cho người dân vùng trũng."
    )
    assert [title for _, title in tasks] == [
        "Chú trọng công tác vệ sinh môi trường",
        "Quản lý tốt hành lang an toàn giao thông",
        "Có biện pháp bảo vệ an toàn cho người dân vùng trũng",
    ]
    # a state after the direction ("Có nhiều …") is no duty
    state = (
        "Phát biểu kết luận, đồng chí Bí thư Huyện ủy đề nghị xã Phú Lâm cần chú trọng công tác "
        "vệ sinh môi trường. Có nhiều hộ dân chưa chấp hành."
    )
    assert len(_read(state)) == 1
