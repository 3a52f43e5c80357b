"""Stage 2, owner: who a sentence assigns its work to.

A sentence's owner opens it ("Chi bộ Hành chính – Quản trị tham mưu …", "Riêng UBND huyện X
…", "Đối với …, Đảng ủy UBND tỉnh khẩn trương …") or follows a cue ("Giao …", "Yêu cầu …",
"Đề nghị …", "… ban hành chỉ thị yêu cầu …", "Chỉ thị yêu cầu …"): organisation names up to
the first lower-case verb, read by ``UnitRegistry.resolve`` piece by piece ("chủ trì" /
"phối hợp với" give lead and cooperating units). A heading or an intro that is only a name
("2. Sở Tài chính:") owns the items under it. The issuing body only ever assigns. A list
opening with every level ("các cấp ủy, chính quyền, …") is one collective owner: the office
names who; a list led by a named body keeps its named bodies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from data.importers.prose.kind import state_issuers
from data.importers.prose.segment import _MARKUP, _aligned_fold
from data.text import fold, unit_key
from data.units import Resolution, UnitRegistry

# Words that begin an organisation's name (as in data.units, but with their diacritics:
# "Bảo tồn" is no "Báo", "Đại hội" no "Đài"), plus the collective words a direction to
# everyone opens with. Matched on ``_lower``.
_HEAD_WORDS = sorted(
    (
        "ban", "bộ", "sở", "chi bộ", "đảng ủy", "đảng bộ", "đảng đoàn", "ban cán sự", "ủy ban",
        "ubnd", "hđnd", "ubkt", "ubmttq", "văn phòng", "tỉnh ủy", "huyện ủy", "thành ủy",
        "thị ủy", "hội", "đoàn", "mặt trận", "công an", "trường", "trung tâm", "các", "phòng",
        "cục", "chi cục", "viện", "tòa án", "liên đoàn", "công đoàn", "báo", "đài", "kho bạc",
        "ngân hàng", "bệnh viện", "cấp ủy", "thường trực", "đồng chí", "ủy viên", "hội đồng",
        "chủ tịch", "giám đốc", "thủ trưởng", "người đứng đầu", "trưởng ban",
        # "Công ty Điện lực …", "Trạm Y tế xã", "Tổ công tác", "Công chức Văn hóa - Xã hội"
        "công ty", "tổng công ty", "tập đoàn", "trạm", "tổ công tác", "tổ giúp việc",
        "tổ đại biểu", "tổ dân phố", "công chức", "tổ biên tập",
        "chánh văn phòng", "ubmttq", "mttq", "quận ủy", "bí thư các", "bí thư chi bộ", "tiểu ban",
        "hạt kiểm lâm", "chuyên viên", "bưu điện",  # "phối hợp Bưu điện tỉnh tuyên truyền …"
        "học viện",  # "Giao Học viện Chính trị quốc gia Hồ Chí Minh chủ trì …"
        # the tax offices since 2025: "Giao Thuế thành phố Hà Nội …", "Thuế tỉnh", "Thuế cơ sở 3"
        "thuế tỉnh", "thuế thành phố", "thuế cơ sở",
        "cơ quan trung ương",  # "Cơ quan Trung ương Mặt trận Tổ quốc Việt Nam giúp …"
        # "1. Cơ quan, đơn vị trường học báo cáo …": kinds of bodies listed, an item's own owner
        "cơ quan, đơn vị", "cơ quan, tổ chức",
        # a head's title as a story shortens it: "GĐ các sở …", "CT UBND các xã", "PCT UBND …"
        "gđ", "tgđ", "ct ubnd", "pct ubnd",
    ),
    key=len,
    reverse=True,
)  # fmt: skip


# "Các doanh nghiệp viễn thông", "Các chủ đầu tư …", "Các Sở, ban, ngành cấp tỉnh": a kind of
# body a plan's heading may name as the owner of the duties under it
_BODY_KIND = re.compile(
    r"^(?:so(?:,| va) (?:ban|nganh)|doanh nghiep|hop tac xa|chu dau tu|chu rung|co quan|don vi"
    r"|to chuc chinh tri)\b"
)


# "Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông, vận tải … trên địa bàn Tỉnh":
# the fields a kind of body works in and its place, no words of a duty
_KIND_QUALIFIER = re.compile(
    r"\s+(?:hoạt động\s+)?trong (?:các )?lĩnh vực\s[^;:.]*?(?=\s+trên địa bàn\b|$)"
    r"|\s+trên địa bàn\b[^;:.]*$"
)


# ", bên cạnh việc tập trung thực hiện … trong quý II, cần chú trọng …", ", ngoài việc …, phải …":
# an aside on the work already in hand, between the addressee and the duty it is asked
_ASIDE = re.compile(
    r",\s*(?:bên cạnh|ngoài|cùng với) việc [^;:.]*?,\s*"
    r"(?=(?:cần|phải|còn|cũng|đồng thời|tiếp tục|chú trọng|tập trung)\b)"
)


def aside_span(plain: str, before: int) -> tuple[int, int] | None:
    """Where an aside on the work in hand (", bên cạnh việc …,") lies before the duty that
    starts at ``before``: its dates are that work's, not the duty's."""
    for found in _ASIDE.finditer(plain, 0):
        if found.end() == before:
            return found.start(), found.end()
    return None


def _lower(text: str) -> str:
    """Lower case with one spelling of "ủy" ("uỷ" → "ủy"), the same length as ``text``."""
    return text.lower().replace("uỷ", "ủy").replace("oà", "òa").replace("oá", "óa")


# Spelled as ``_lower`` spells the text it is matched on ("đoàn" → "đòan"), or "Đảng đoàn",
# "Liên đoàn", "Công đoàn", "Đoàn Thanh niên" would never open a name. "Ban hành", "Báo cáo",
# "Bộ định mức", "phòng, chống": a verb or a thing that begins like a body, not a body.
_NOT_A_BODY = (
    r"(?!(?<=ban) hành|(?<=báo) cáo|(?<=bộ) (?:định mức|tiêu chí|chỉ số|hồ sơ|máy)\b"
    r"|(?<=phòng),? (?:chống|ngừa)|(?<=các) (?:báo cáo|nội dung|nhiệm vụ|giải pháp|chỉ tiêu"
    r"|mục tiêu|văn bản|dự án|công trình|chương trình|kế hoạch|chính sách|hoạt động|quy định"
    r"|đề án|vấn đề|ý kiến)\b)"
)
_HEAD_AT = re.compile(
    r"(?:"
    + "|".join(re.escape(_lower(h)) for h in _HEAD_WORDS)
    + r")(?![\wÀ-ỹ])"
    + _NOT_A_BODY
    # "cấp cơ sở và đảng viên", "cấp Quận ủy, Huyện ủy …": a level addressed (never "cấp kinh phí")
    + r"|cấp (?=cơ sở|huyện|xã|tỉnh|trên|dưới|quận|thị|thành|đảng|ủy)"
)


def congress_schedule(text: str) -> bool:
    """ "đại hội đảng bộ cơ sở hoàn thành từ tháng 4 - 6": a clause that opens with the
    congress of a party body (its owner)."""
    return _CONGRESS_OF.match(text) is not None


def _starts_org(text: str, *, object_of_cue: bool = False) -> bool:
    """Whether ``text`` opens with an organisation's name ("Ban …", "Chi bộ …", "các …").

    After a cue ("đề nghị cấp ủy các chi bộ …", "giao ban thường vụ các tỉnh ủy …") the
    name may be written in lower case: the cue says an owner follows.
    """
    key = _lower(text)
    if object_of_cue and _CUED_HEAD.match(key):
        return True  # "đề nghị đội ngũ tuyên truyền viên …", "yêu cầu cơ quan xây dựng báo cáo …"
    if _NAMED_PLACE.match(text):
        return True  # "đề nghị xã Hòa Chính cần …": a commune or district named is its authorities
    if _COUNTED.match(text):
        return True  # "hai ban HĐND xã tăng cường …": bodies counted, then their name
    if not _HEAD_AT.match(key):
        return False
    if object_of_cue:
        return True
    return text[:1].isupper() or key.startswith(("các ", "chi bộ ", "đồng chí ", "chủ tịch "))


# "… về Sở Tài nguyên và Môi trường … để sở tổ chức thẩm định …": a bare kind of body after
# "để" (then a verb, never "sở, ngành"), the one of that kind the sentence has just named
_BARE_KIND = re.compile(
    r"(?P<purpose>(?:để|nhằm)\s+)(?P<kind>sở|bộ|cục|ban|phòng)\s+(?=[^\W\d_])", re.I
)


def _named_again(step: str, said: str) -> str:
    """``step`` with a bare "sở"/"bộ"/… after "để" written as the full name of the last body of
    that kind in ``said``; ``step`` as it is when ``said`` names none."""
    bare = _BARE_KIND.match(step)
    if bare is None or not said:
        return step
    kind = bare["kind"].lower()
    rest = step[bare.end() :]
    if rest[:1].isupper():  # "để Sở Tài chính …": already named
        return step
    names = list(re.finditer(rf"\b{kind.capitalize()} (?=[A-ZĐ])", said))
    if not names:
        return step
    name = _NAME_END.split(said[names[-1].start() :], maxsplit=1)[0].strip()
    return f"{bare['purpose']}{name} {rest}"


# where a body's name ends in running text: a mark, or a word of time, purpose or work
_NAME_END = re.compile(
    r"\s*[,;.:()]|\s+(?=(?:trước|để|nhằm|trong|chậm|theo|về|ngày|từ|sau|trình|tổng hợp|chủ trì"
    r"|phối hợp|kèm|xem xét|thẩm định)\b)"
)


# "hai ban HĐND xã", "02 Ban HĐND xã", "ba tổ công tác": a number of bodies, then their name
_COUNTED = re.compile(r"(?:[Hh]ai|[Bb]a|[Bb]ốn|0?[2-9]) (?:[Bb]an|[Pp]hòng|[Tt]ổ) [A-ZĐ]")
# "xã Hòa Chính", "huyện Đầm Hà": a place by its proper name, after a cue the body that runs it
_NAMED_PLACE = re.compile(r"(?:[Xx]ã|[Pp]hường|[Tt]hị trấn|[Hh]uyện|[Tt]hị xã|[Qq]uận) [A-ZĐ]")
# "đề nghị trong thời gian tới xã …", "yêu cầu từ nay đến cuối năm các ngành …": a time between
# the cue and the body it names
_TIME_BEFORE_OBJECT = re.compile(
    # "chỉ đạo khẩn từ nay đến cuối năm 2012 (nhất là dịp Tết …), Công an TP …": urgency, the span
    # and its aside, then who
    r"(?:khẩn,?\s+)?(?:trong )?(?:thời gian tới|thời gian sắp tới|từ nay đến cuối năm(?: \d{4})?"
    r"|trong năm \d{4})(?:\s+\([^()]{0,120}\))?,?\s+"
)
# Bodies named only after a cue, where the words would otherwise open a sentence's subject
# ("yêu cầu nhà thầu đẩy nhanh …", "yêu cầu lực lượng công an mở đợt …", "chủ đầu tư …")
_CUED_HEAD = re.compile(r"(?:đội ngũ|cơ quan|nhà thầu|lực lượng|chủ đầu tư|địa phương)(?:\s|$)")
# "tuyên truyền viên", "báo cáo viên": a verb that names a post
_POST = re.compile(r"\s+viên\b")
# "các xã, thị trấn, các đơn vị", "các huyện, thành ủy, đảng ủy trực thuộc": the communes or
# districts of the level that speaks, one collective owner the office names who (never a Party
# body's list "các huyện ủy, …" or the people "các xã viên")
_TERRITORIES = re.compile(
    # "các thôn, xóm, trường học, …, các cơ quan đơn vị và nhân dân": the hamlets lead it
    r"^(?:cac|tat ca cac|mot so) (?:xa|huyen|phuong|thi tran|thi xa|quan|thon|xom|ap|khu pho"
    r"|to dan pho|khoi pho)\b"
    r"(?! (?:uy|vien|doi|hoi)\b)"
)
# "Xã cần …", "Trước mắt, huyện cần …", "Địa phương phải …": a bare territory, the subject of
# what it needs to do
_PLACE = (
    r"(?:[Xx]ã|[Hh]uyện|[Tt]ỉnh|[Tt]hành phố|[Tt]hị xã|[Pp]hường|[Tt]hị trấn|[Đđ]ịa phương"
    r"|[Cc]ơ sở)"
)
_BARE_TERRITORY = re.compile(
    # "Xã, phường phải tổ chức giao ban …" (a quote may open it): the places, one owner
    rf"[\"“]?(?P<name>{_PLACE}(?:,\s*{_PLACE})*)"
    r"(?=\s+(?:cũng |vẫn |còn )?(?:cần|phải)\s+[^\W\d]+)"
)
# "Đại hội Đảng bộ xã Tân Việt dự kiến tổ chức trước ngày 25.3", "đại hội các chi bộ trực thuộc
# … hoàn thành trước ngày 15.2": a congress's schedule is the work of the party body holding it
_CONGRESS_OF = re.compile(
    r"(?:[Đđ]ại hội|ĐẠI HỘI) (?:(?:[Đđ]ại biểu|đảng|Đảng) )?"
    r"(?P<name>(?:các )?(?:[Đđ]ảng bộ|[Cc]hi bộ|[Cc]hi, đảng bộ|[Cc]hi - đảng bộ)"
    r"(?: [^\W\d][\w-]*){0,12}?)"
    r"(?= (?:dự kiến|sẽ|tổ chức|hoàn thành|diễn ra|được tổ chức|trước|trong|từ|vào|lần thứ)\b"
    r"|,| \()"
)
# Between a cue and its addressee: "yêu cầu trong thời gian tới các xã …", "đề nghị, sau hội
# nghị này, các huyện …" (the time of the work, no part of the name)
_CUE_TIME = re.compile(
    r"\s*,?\s*(?:trong thời gian tới|thời gian tới|từ nay về sau|sau hội nghị(?: này)?"
    r"|sau (?:cuộc|buổi) (?:họp|làm việc)(?: này)?)\s*,?\s+"
    r"|\s*,\s+(?=[^,;:.]{3,60},\s)"
)


# Pieces of an owner list that name no one in particular.
_GENERIC = re.compile(
    r"^(?:cac |nhung |toan the |tat ca (?:cac )?)?(?:cap(?! uy cac chi bo| (?:quan|huyen|thi|tinh"
    r"|thanh) uy)\b|nganh\b|dia phuong\b"
    r"|co quan\b|don vi\b|chinh quyen\b|so, ban\b|so ban\b|ban, nganh\b|to chuc dang\b"
    r"|to chuc co so dang\b|chi(?:,| va) dang bo\b|dong chi\b|uy vien\b|can bo\b|dang vien\b"
    r"|nguoi dung dau\b"
    r"|thu truong\b|doan the\b|hoi vien\b|doan vien\b|nhan dan\b|ca he thong chinh tri\b"
    # "cán bộ, công chức, viên chức": everyone; "Công chức Văn hóa - Xã hội" is one post
    r"|cong chuc\b(?! (?:van hoa|tu phap|dia chinh|tai chinh|ke toan|van phong|chi huy"
    r"|xay dung|nong nghiep|giao thong|moi truong|lao dong|thong tin)))"
)
# A list that opens with these addresses every level ("các cấp ủy, chính quyền, Mặt trận …"):
# one collective owner, however many bodies it goes on to name.
_EVERYONE = re.compile(
    r"^(?:cac |toan the )?(?:cap\b|to chuc (?:co so )?dang\b|chinh quyen\b|nganh\b"
    r"|dia phuong\b|co quan\b|don vi\b|can bo\b|dang vien\b"
    # "các cơ sở Đảng", "các chi, đảng bộ trực thuộc": every Party body below, as "tổ chức đảng"
    r"|co so dang\b|chi,? dang bo\b)"
)
# The body that issues the document: it assigns, it owns nothing.
_ISSUER = re.compile(
    r"^(?:ban chap hanh\b|hoi nghi\b|tinh uy$|ban thuong vu (?:tinh|huyen|thanh|quan|thi) uy$)"
)
_ISSUER_SENTENCE = re.compile(
    r"(?:^|[;,] )(?P<org>[^;,]{3,80}?) (?:ban hanh|xay dung) ke hoach (?:thuc hien )?"
)
# The issuer's sentence names this plan: "… xây dựng kế hoạch (thực hiện) như sau:"
_THIS_PLAN = re.compile(r"\bnhu sau\b|:\s*$")
_SIGNER = re.compile(r"^t ?/ ?m\.? (?P<org>.+)$")

_ROLE_WORDS = ("chủ trì", "phối hợp với", "phối hợp cùng", "phối hợp", "cùng với")
_CUES = ("giao nhiệm vụ cho", "giao cho", "đề nghị", "yêu cầu", "giao")
# Lower-case words that end an owner list: what the owner is to do. Spelled as written.
_VERBS = tuple(
    sorted(
        (
            "chủ trì", "phối hợp", "tham mưu", "có trách nhiệm", "chịu trách nhiệm",
            "khẩn trương", "nhanh chóng", "tập trung", "tiếp tục", "hoàn chỉnh", "hoàn thiện",
            "hoàn thành",
            "tiếp thu", "xây dựng", "tổ chức", "triển khai", "thực hiện", "lãnh đạo",
            "chỉ đạo", "rà soát", "nghiên cứu", "xem xét", "chuẩn bị", "báo cáo", "trình",
            "theo dõi", "kiểm tra", "giám sát", "đôn đốc", "phát huy", "nêu cao", "ban hành",
            "quán triệt", "tuyên truyền", "làm tốt", "tăng cường", "đẩy mạnh", "chủ động",
            "kịp thời", "phấn đấu", "bố trí", "cụ thể hóa", "cụ thể hoá", "hướng dẫn",
            "tích cực", "sớm", "bảo đảm", "đảm bảo", "cần", "phải", "cập nhật", "đề xuất",
            "gửi", "nộp", "đề nghị", "yêu cầu", "giao", "giao cho", "giao nhiệm vụ cho", "bám sát",
            "tiến hành", "có nhiệm vụ", "quyết liệt", "đầu tư", "nhận được", "vừa", "sẽ",
            "chọn", "lựa chọn",
            "căn cứ", "duy trì",
            "quan tâm", "chấp hành", "thường xuyên", "khắc phục", "giải quyết", "đổi mới",
            "nâng cao", "vận động", "phổ biến", "học tập", "sơ kết", "tổng kết", "đánh giá",
            "chuyển", "cung cấp", "tổng hợp", "thẩm định", "trực tiếp", "nghiêm túc",
            "đã", "đang", "vẫn", "chưa", "thống nhất", "nhất trí", "chúc mừng", "biểu dương",
            "ghi nhận", "nhận định", "thảo luận", "kết luận", "họp", "là", "được", "có",
            "tham gia", "đánh giá cao", "cơ bản thống nhất", "hoan nghênh", "ban hành",
            "cơ bản nhất trí", "khởi công", "khởi động", "định hình",
            "bàn giao", "hoàn tất", "tiếp nhận", "phê duyệt", "soạn thảo", "trả lời", "xử lý",
            "sửa chữa", "nghiệm thu", "công bố", "điều chỉnh", "bổ sung", "sửa đổi", "lập",
            "nêu gương", "gương mẫu", "làm việc", "nghe", "đẩy nhanh", "đồng ý",
            "cơ bản đồng ý", "kiện toàn", "biên soạn", "định hướng", "mở chuyên mục",
            "mở chuyên trang", "thành lập", "phân công", "phản ánh", "điều động", "sắp xếp",
            "hỗ trợ", "tập huấn", "đưa", "tán thành", "chú trọng", "chú ý", "coi trọng",
            "có ý kiến", "trao đổi", "xác định", "phát hiện", "nhân rộng", "phân tích",
            "phát biểu", "làm rõ", "đi sâu", "nêu rõ", "nhấn mạnh", "lưu ý", "tiết kiệm",
            "sâu sát", "bám nắm", "đồng chủ trì", "cho rằng", "cho biết",
            "tuân thủ",
            # "Yêu cầu các cấp uỷ, … các cơ quan chức năng trong quá trình triển khai …"
            "trong quá trình",
            "tạm dừng", "tạm ngừng",  # "Ban Thường vụ các huyện ủy tạm dừng tổ chức đại hội"
            "thông qua", "làm trưởng đoàn",  # "UBND xã thông qua báo cáo …" at the meeting told
            "mở các chuyên trang",  # "Sở Văn hóa …: Tiếp tục chỉ đạo …; mở các chuyên trang"
            # "yêu cầu lực lượng công an mở đợt cao điểm …", "… Công an TP phối hợp … truy quét":
            # the work of an order's addressee ends its name as the verbs above do
            "mở đợt", "mở các đợt", "tấn công", "truy quét", "trấn áp", "kiểm soát", "nắm bắt",
            "nắm chắc",
            "huy động", "áp dụng", "kéo giảm", "đối thoại", "rút kinh nghiệm",
            # "đề nghị các cơ quan, đơn vị, …, Ban nhân dân các ấp treo Quốc kỳ từ …": a notice's
            # work on flags and streets ends the addressees' names
            "treo", "tháo dỡ", "dọn dẹp", "trang trí", "thu gom",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
_NARRATIVE = frozenset(
    (
        "đã", "đang", "vẫn", "chưa", "thống nhất", "nhất trí", "chúc mừng", "biểu dương",
        "ghi nhận", "nhận định", "thảo luận", "kết luận", "họp", "là", "được", "có",
        "nhận được", "vừa", "chọn", "lựa chọn", "đánh giá cao", "cơ bản thống nhất",
        "hoan nghênh", "làm việc", "nghe", "đồng ý", "cơ bản đồng ý", "cơ bản nhất trí",
        "tán thành",  # "Hội đồng nhân dân tỉnh tán thành nội dung Báo cáo …": the body's view
        "phát biểu",  # "Đồng chí Chủ tịch UBND tỉnh phát biểu chỉ đạo tại hội nghị": the news
        "thông qua", "làm trưởng đoàn",  # "UBND xã thông qua báo cáo …": the meeting told
        "đồng chủ trì",  # "Đồng chí …, đồng chí … đồng chủ trì hội nghị": the meeting told
        "cho rằng",  # "Chủ tịch UBND huyện … cho rằng, kết quả đạt được là khả quan": a view
        "cho biết",  # "đồng chí cho biết từ nay đến cuối năm, thường trực … sẽ …": told
    )
)  # fmt: skip
# "Chỉ đạo Sở Tài nguyên và Môi trường: …" at the head of an item: the addressee directs that
# body, which does the work (read only when it names a body, never "chỉ đạo xây dựng …").
_START_CUES = ("chỉ đạo",)
# A document's number ("Công văn số 703/UBND-TN") is never part of a body's name: the sentence
# tells of a document issued, it assigns nothing.
_DOCUMENT_NUMBER = re.compile(r"\b(?:số|so) ?\d|\d+ ?/ ?[A-ZĐ]{2,}")
_ISSUED = re.compile(
    r"(?:vừa |đã )?(?:ban hành|banh|có|gửi) (?:Công văn|Công điện|công điện|Văn bản|Chỉ thị|"
    r"Kế hoạch|Quyết định|"
    r"Thông báo|Nghị quyết|Kết luận|Hướng dẫn|Thông tri|công văn|văn bản|chỉ thị|kế hoạch|"
    r"quyết định|thông báo|nghị quyết|kết luận|hướng dẫn|thông tri) (?:số\b|[Vv]/[Vv]\b|về việc\b)"
    # "Văn phòng UBND tỉnh có văn bản truyền đạt ý kiến của …": a letter told, as with its number
    r"|(?:vừa |đã )?có (?:văn bản|công văn|thông báo) (?:truyền đạt|thông báo)\b"
)  # "UBND quận ban hành Văn bản v/v Tham gia …": told, as with its number
# "bà Hồ Thị Nguyên Thảo - Phó Chủ tịch UBND tỉnh đề nghị Sở TN&MT …": a person assigns
_PERSON = re.compile(r"(?:[Ôô]ng|[Bb]à) [A-ZĐÀ-Ỹ]")
# "Thủ tướng giao …", "Phó Chủ tịch UBND tỉnh Hồ Quang Bửu yêu cầu …": an office-holder who
# assigns, then the cue; the object owns the work
# A portal's rendering of a conclusion: "Đồng chí đề nghị Tổ biên tập …", "đồng chí Trưởng Tiểu
# ban yêu cầu Văn phòng …", "Đồng chí Bí thư Tỉnh ủy lưu ý Ủy ban Kiểm tra …", "Ông cũng đề nghị
# UBND huyện …": the speaker.
_ROLE_SUBJECT = re.compile(
    r"(?:(?:Phó )?Thủ tướng(?: Chính phủ)?|(?:Phó )?[Cc]hủ tịch (?:Thường trực )?"
    # ("Chủ tịch UBND TP.HCM Lê Hoàng Quân vừa chỉ đạo …": a dot inside a name ends nothing)
    r"(?:UBND|Ủy ban nhân dân|HĐND)(?:[^,;:.]|\.(?=\w)){0,40}?(?: vừa| đã)?"
    # "Phó Bí thư Huyện ủy, Đinh Minh Dũng, Trưởng đoàn công tác yêu cầu …": the name, the role
    r"|(?:Phó )?Bí thư[^,;:.]{0,40}?(?:,\s+[A-ZĐ][^,;:.]{0,40}?){0,2}"
    # the title, then the person's own name: "Phó Chủ tịch Nguyễn Văn Khôi yêu cầu, …"
    r"|(?:Phó )?[Cc]hủ tịch(?: [A-ZĐÀ-Ỹ][a-zà-ỹ]+){2,4}"
    r"(?:,\s+[A-ZĐÀ-Ỹ][^,;:.]{0,40}?){0,2}"
    # "lãnh đạo Huyện ủy Định Hóa đã đề nghị …": a body's leaders (never the verb "lãnh đạo,
    # chỉ đạo …"), then the cue
    r"|[Ll]ãnh đạo (?=[A-ZĐÀ-Ỹ])[^,;:.]{0,60}?(?: đã| cũng| vừa)?)\s+"
    r"(?:giao(?! ban\b)|(?:yêu cầu|đề nghị),?|chỉ đạo)\s+"  # "yêu cầu, Chủ tịch UBND các quận …"
    # (a name, then titles after commas: "đồng chí Nguyễn Minh Hải, Huyện ủy viên, Bí thư …")
    r"|(?:[Đđ]ồng chí|[Đđ]/[Cc]|[Ôô]ng|[Bb]à(?! con))"
    r"(?:\s+[^,;:.\"“]{0,90}?(?:,\s+[A-ZĐÀ-Ỹ][^,;:.\"“]{0,60}?){0,3})?\s+"
    r"(?:giao nhiệm vụ cho|giao cho|giao(?! ban\b)|yêu cầu|đề nghị|lưu ý|nhấn mạnh)\s+"
)
_DELEGATES_SPEAK = re.compile(
    r"^(?:[^,.;]{0,20} )?(?:thao luan|phat bieu|tham luan|gop y|cho y kien)\b"
)
# "… phối hợp với các đơn vị có liên quan tham gia ý kiến": a generic list ends at "liên quan"
_RELATED_END = re.compile(r"(?<![\wÀ-ỹ])(?:có )?liên quan(?![\wÀ-ỹ])")
# "Các cơ quan tham mưu, giúp việc Tỉnh ủy chuẩn bị …": a kind of body, not its verb
_VERB_AT = re.compile(
    # ("Chủ tịch UBND huyện cùng lãnh đạo Ủy ban MTTQ …": the leaders, no verb; never "Bộ Ngoại
    # giao": a ministry's name, not the cue "giao")
    r"(?<![\wÀ-ỹ])(?!(?<=cơ quan )tham mưu)(?!(?<=cùng )lãnh đạo\s+[A-ZĐÀ-Ỹ])(?!(?<=Ngoại )giao)(?:"
    + "|".join(re.escape(v) for v in _VERBS)
    + r")(?![\wÀ-ỹ])"
)
# Adverbials before the subject: "Ngay sau Hội nghị này,", "Đối với Dự án …,".
_ADVERBIAL_OPENING = re.compile(
    # "Để …" folds as "Đề nghị …" and "Đề xuất …" do: those are cues, not a purpose
    r"^(?:ngay sau|sau khi|doi voi|tren co so|can cu|de (?!nghi\b|xuat\b)|dong thoi|ben canh do"
    # "Qua giám sát, Thường trực HĐND huyện đề nghị …", "Qua kiểm tra, …": what led to it
    r"|qua (?:giam sat|kiem tra|lam viec|khao sat|thao luan|nghe bao cao)\b|cu the,"
    r"|trong|tu nay den"
    r"|ngay |nham |thuc hien |ngoai ra|sau khi xem xet|theo do|tai |dinh ky|tu ngay"
    # "Theo nội dung Công văn 309-CV/ĐU năm 2025, Đảng ủy Chính phủ yêu cầu …": the text told
    r"|theo (?:noi dung|tinh than) "
    # "Thống nhất dự thảo kế hoạch …, Phó Chủ tịch … chỉ đạo …": the view, then who speaks
    r"|thong nhat (?=[^,;]{3,120}, (?:[Pp]ho |[Cc]hu tich|[Bb]i thu|[Dd]ong chi|[Oo]ng |[Bb]a ))"
    r"|do do,|vi vay,|do vay,"  # "Do đó, cấp ủy và tổ chức đảng trong huyện cần …"
    r"|truoc mat,"  # "Trước mắt, huyện cần tập trung …"
    # "Trên tinh thần tiếp thu các ý kiến …, yêu cầu …", "Qua kiểm tra, đề nghị …": a frame
    r"|tren tinh than |qua (?:kiem tra|nghe|thao luan|theo doi|danh gia)\b"
    r"|thoi gian toi|tu nay den"
    # "Chậm nhất ngày 15/10/2025, các chi bộ …", "Hằng năm, Ban Thường vụ …": a time first
    r"|(?:cham nhat|muon nhat|truoc)(?: la)? ngay |(?:hang|moi) (?:nam|quy|thang|tuan),"
    # "Phát biểu kết luận hội nghị, đồng chí …", "Chiều 20/11/2026, Chủ tịch UBND tỉnh …"
    # "Phát biểu tại đây, Bí thư …", "Kết luận tại Hội nghị, …": where the speech was given
    r"|phat bieu (?:ket luan|chi dao|tai)|ket luan (?:hoi nghi|buoi|phien|cuoc|tai)|ben canh viec"
    r"|(?:vao )?(?:sang|chieu|toi|trua) "
    r"(?:ngay )?\d|vao ngay \d)"
)
# "Các đơn vị được chỉ đạo …", "UBND các xã được yêu cầu …": a direction told in the passive
_PASSIVE_CUE = re.compile(r"(?P<who>.+?)\s+được (?:chỉ đạo|yêu cầu|đề nghị|phân công)$")
_THEREFORE = ("do do,", "vi vay,", "do vay,", "vi the,", "cho nen,")
# A frame of a few words before the first comma ("Với yêu cầu đó,", "Chia sẻ với những khó khăn
# của địa phương,"): no stop, colon or semicolon inside
_FRAME_COMMA = re.compile(r"(?P<frame>(?:[^,;:.()]|\.(?=\w)){3,90}),\s+")
_SPEAKER_IN_FRAME = re.compile(r"\b(?:dong chi|d/c|bi thu|chu tich|ong|ba|thu tuong|giam doc)\b")
# "… lãnh đạo Huyện uỷ, UBND huyện cũng đã …", "… đều đã …": what was done, told
_TOLD_AFTER = re.compile(r"[^;:.]{0,60}?\s(?:cũng|đều) (?:đã|đang)\s")
# "(Baoquangngai.vn)- ", "(QBĐT) - ", "CTTĐT - ": a news site's tag, no part of the sentence
_NEWS_TAG = re.compile(r"\([^()\s]{2,30}\)\s*[-–]\s*|[A-ZĐ][A-ZĐ.]{1,11}\s+[-–]\s+")
# "Ngày 23/11/2020 Huyện ủy …" (no comma): the day, then the subject
_DAY_FIRST = re.compile(
    r"(?:[Nn]gày|[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa)\s+(?:ngày\s+)?[\d/.-]{3,12}\s+"
)
# "Đối với các ban tham mưu của Tỉnh ủy": the body a sentence turns to (no verb in it)
_FOR_BODY = re.compile(r"[Đđ]ối với (?P<org>[^,;:.]{3,100}),\s+")
# "… nhấn mạnh việc …", "… lưu ý …": a speaker stresses a direction
_STRESS = ("nhấn mạnh", "lưu ý")
# "Phát biểu kết luận (hội nghị) …", "Kết luận buổi làm việc …": a speech opens the sentence
_SPEECH_OPENING = re.compile(
    r"^(?:phat bieu (?:ket luan|chi dao|tai)|ket luan (?:hoi nghi|buoi|phien|cuoc|tai))"
)
# "Đối với …, thì X …", "Trường hợp … thì X …", "Nếu … thì X …": a case, then its body
_THEN = re.compile(
    r"^(?:doi voi|truong hop|neu)\b[^;:.]{3,200}? thi (?!(?:tran|xa|truong|hanh|diem|sinh)\b)(?=\w)"
)  # never "thị trấn", "thị xã", "thị trường", "thi hành"
# "cấp Quận ủy, Huyện ủy …"; "Đặc biệt các xã tiếp tục …", "Nhất là, các huyện …": a word of
# emphasis before the subject, no frame of its own
_LEAD_WORD = re.compile(
    r"^(?:rieng|dong thoi|ngoai ra|con|va|cap|(?:dac biet|nhat la|truoc het),?) "
)
_CHI_BO_COMMITTEE = re.compile(r"\b[Cc]ấp (?:ủy|uỷ)\s+(?=các chi bộ)")


# "… ban hành chỉ thị yêu cầu", "… có ý kiến chỉ đạo như sau: giao": a cue after the issuing.
_ISSUED_CUE = re.compile(
    r"(?:vừa |đã |cũng )?(?:ban hành|có) (?:chỉ thị|công văn|công điện|văn bản|kế hoạch|thông báo"
    r"|quyết định|kết luận)(?: (?:khẩn|hỏa tốc|hoả tốc|khẩn cấp))?(?: số \S+)?,? "
    r"(?:giao nhiệm vụ cho|giao cho|yêu cầu|đề nghị|giao) ",
    re.IGNORECASE,
)


_CUE_INSIDE = re.compile(r"(?<![\wÀ-ỹ])(?:giao|yêu cầu|đề nghị)(?![\wÀ-ỹ])")
_DOCUMENT_CUE = re.compile(
    r"(?:Chỉ thị|Thông tri|Kế hoạch|Quyết định|Thông báo|Công văn|Văn bản|Nghị quyết|Kết luận)"
    r"(?: này)? (?:giao nhiệm vụ cho|giao cho|yêu cầu|đề nghị|giao) "
    # "Phiên họp thống nhất phân công các đồng chí Thường trực HĐND huyện dự kỳ họp …", "Hội nghị
    # giao …": the meeting's decision names who does the work
    r"|(?:Phiên họp|Hội nghị|Cuộc họp|Buổi làm việc)(?: đã)?(?: thống nhất| nhất trí)?"
    r" (?:phân công|giao nhiệm vụ cho|giao cho|giao) "
)


# "Các Sở", "Ủy ban nhân dân các thành phố", "các huyện ủy": a list word before ": A, B, C"
_LIST_WORD = re.compile(r"(?:^|\s)(?:các|những)\s+[^\s,;:]+(?:\s+[^\s,;:]+)?\s*$")


def _capital_names(text: str) -> bool:
    """ "Xây dựng, Tài chính, Nông nghiệp và Môi trường": each piece opens in capitals."""
    text = re.split(r",?\s+(?:theo|căn cứ) chức năng\b", text)[0]  # the scope, not a name
    pieces = [p.strip() for p in re.split(r",|;|\s+và\s+(?=[A-ZĐÀ-Ỹ])", text) if p.strip()]
    return len(pieces) >= 2 and all(p[:1].isupper() for p in pieces)


# "UBND huyện Vũ Thư di dời …", "UBND các huyện, thành phố rà soát …": a name ends with its
# place ("huyện Vũ Thư"); a lower-case word after it is the verb, whatever verb it is (the verb
# list cannot hold them all). Words that go on with the name or qualify it are not verbs.
_PLACE_AT = re.compile(
    r"(?<![\wÀ-ỹ])(?:tỉnh|huyện|thành phố|thị xã|xã|quận|phường|thị trấn)(?![\wÀ-ỹ])"
)
_GOES_ON = frozenset(
    (
        "và", "với", "cùng", "trên", "trong", "thuộc", "có", "được", "khóa", "khoá", "của",
        "nơi", "tại", "vùng", "ven", "phía", "giáp", "đã", "liên", "đang", "là", "về", "theo",
        "nhiệm", "giai", "năm", "mới", "cũ", "ủy", "uỷ", "đoàn", "hội", "tỉnh", "huyện", "xã",
        "cũng", "luôn", "thì", "nay", "này", "đó", "giúp",
        "phụ",  # "đồng chí Phó Chủ tịch UBND huyện phụ trách nông nghiệp": the holder's field
    )
)  # fmt: skip


# The bodies a place qualifies: "UBND huyện …", "Công an tỉnh", "UBND các huyện, thành phố"
_PLACE_OF = re.compile(
    r"(?:^|\s)(?:ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan|cong an|dang uy)(?: cac)? $"
    r"|(?:ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan|cong an|dang uy)(?: cac)? [^;:.]*"
    r"(?:, | va )$"
)


def _place_end(plain: str, start: int, end: int) -> int | None:
    """Where a name that ends with its place stops before ``end``, or None."""
    folded = _aligned_fold(plain).lower()  # once per sentence (cached): slices stay linear
    for match in _PLACE_AT.finditer(plain, start, end):
        before = folded[max(start, match.start() - 120) : match.start()]
        if not _PLACE_OF.search(before):
            continue  # "… hợp tác với các tỉnh Bắc Lào mở rộng …": no body of that place
        # the place's own name in capitals ("huyện Vũ Thư"), then the first lower-case word
        comma = False
        for word in re.finditer(r"\S+", plain[match.end() : end + 1]):
            text = word.group().strip(",;:()")
            at = match.end() + word.start()
            if comma and _starts_org(plain[at:]) and not _PLACE_AT.match(plain, at):
                break  # "UBND phường An Khánh, Ban Quản lý …": the list's next body, no place
            comma = word.group().endswith(",")
            if text[:1].isupper() or plain.count("(", match.end(), at) > plain.count(
                ")", match.end(), at
            ):
                continue  # "Văn phòng UBND tỉnh (Trung tâm Công báo)": a bracket's gloss
            if _PLACE_AT.match(plain, at):
                break  # "…, thành phố Long Khánh, thành phố Biên Hòa": the list goes on
            if text and text[0].isalpha() and text not in _GOES_ON and at < end + 1:
                return at
            break
    return None


_SPEAKER = re.compile(r"\s(?:thông báo|kết luận)(?: như sau| nội dung sau)?\s*$")
# "Các cơ quan: Sở Công Thương, Công an tỉnh": the list word before names written in full
_LIST_LABEL = re.compile(r"^(?:các|Các|CÁC|những|Những) [^:,;]{1,30}:\s*")
# "5. Đề nghị Ủy ban MTTQ Việt Nam tỉnh và các đoàn thể tỉnh", "3. Giao Ban Tổ chức:": the cue
# before the name, the body named owns the duties below
_DUTY_OF = re.compile(
    r"^(?:(?:trách nhiệm|nhiệm vụ|phân công)(?: của| cho)?|đối với|đề nghị|yêu cầu"
    r"|giao(?: nhiệm vụ)?(?: cho)?)\s+",
    re.I,
)


# The first word of an office-holder's title, never of a person's name ("Đồng chí Phó Bí thư")
_TITLE_WORDS = "Phó|Bí|Chủ|Trưởng|Giám|Ủy|Uỷ|Thường|Chánh|Tổng|Cục|Vụ|Thủ|Chỉ|Chuyên|Cán|Kế"


@dataclass
class _Owner:
    text: str = ""  # the owner words as written
    resolution: Resolution = field(default_factory=Resolution)
    broad: bool = False  # addressed to everyone ("các cấp, các ngành …")
    issuer: bool = False
    spoken: bool = False  # a speaker's direction that names no addressee

    @property
    def named(self) -> bool:
        r = self.resolution
        return bool(r.units or r.unknown or r.all_chi_bo)


# "Đảng ủy Ủy ban MTTQ và các đoàn thể tỉnh", "Đảng đoàn MTTQ và các đoàn thể thành phố": the
# Front's party body and the unions of its level are one owner, named so
_FRONT = re.compile(
    r"\b(?:mttq|mat tran(?: to quoc)?(?: viet nam)?)(?: (?:tinh|huyen|thanh pho|xa))?$"
)
_FRONT_AND_UNIONS = re.compile(
    r"^cac doan the(?: chinh tri - xa hoi)?(?: (?:tinh|huyen|thanh pho|quan|thi xa|xa|phuong))?$"
)


def _pieces(text: str) -> list[str]:
    """An owner list cut where a new organisation name begins ("…, các cơ quan")."""
    parts = re.split(r"(\s*,?\s*nhất là\s+|\s*[,;]\s*|\s+và\s+|\s+cùng\s+)", text)
    pieces = [parts[0]]
    for sep, piece in zip(parts[1::2], parts[2::2], strict=True):
        unions = sep.strip() == "và" and _FRONT_AND_UNIONS.match(fold(piece))
        if unions and _FRONT.search(fold(pieces[-1])):  # "Đảng đoàn MTTQ và các đoàn thể tỉnh"
            pieces[-1] = f"{pieces[-1]}{sep}{piece}"
            continue
        # "Ban Tuyên giáo các tỉnh ủy; văn phòng đảng ủy các ban, bộ, ngành:": after ";" a new
        # body's name, its head word written in lower case as the list goes on ("các …" as is)
        lower_head = piece[:1].islower() and not fold(piece).startswith("cac ")
        if sep.strip() == ";" and lower_head and _HEAD_AT.match(_lower(piece)):
            piece = piece[:1].upper() + piece[1:]
        generic = bool(_GENERIC.match(fold(piece)))
        if _starts_org(piece) or generic or sep.strip() == ";" or "nhất là" in sep:
            pieces.append(piece)
        else:
            pieces[-1] = f"{pieces[-1]}{sep}{piece}"
    return [p.strip(" ,;.") for p in pieces if p.strip(" ,;.")]


class _Issuers:
    def __init__(self) -> None:
        self.exact: set[str] = set()
        self.prefix: set[str] = set()

    def __call__(self, name: str) -> bool:
        key = unit_key(name)
        if _ISSUER.match(key) or key in self.exact:
            return True
        return any(key == p or p.startswith(key + " ") for p in self.prefix)


class OwnerReading:
    """The owner stage of ``ProseReader``."""

    units: UnitRegistry
    doc_date: date
    issuers: _Issuers
    rendering: bool  # a portal's or a newspaper's story (set by the reader)

    def _name_only(self, text: str, *, heading: bool = False) -> _Owner | None:
        """The owner a heading or an intro names when it is only a name ("Sở Tài chính:")."""
        name = text.strip(" :.*")
        # "1. Trách nhiệm của Sở Xây dựng", "Nhiệm vụ của Ban Tổ chức", "Đối với Đảng ủy UBND
        # tỉnh": the heading names the body whose duties follow
        name = _DUTY_OF.sub("", name)
        bare = re.sub(r"^(?:các|Các|CÁC)\s+", "", name)  # "Các khâu đột phá" names no body
        # "(các Ban quản lý rừng …)": a gloss; "… hoạt động trong lĩnh vực xây dựng, giao thông,
        # … trên địa bàn Tỉnh": the fields and the place say which, not more of a sentence
        words = _KIND_QUALIFIER.sub("", re.sub(r"\([^()]*\)", "", name)).split()
        kind = bare != name and bool(_BODY_KIND.match(fold(bare))) and len(words) <= 14
        if kind and heading and name:
            # "4. Các doanh nghiệp viễn thông", "5. Các chủ đầu tư xây dựng và kinh doanh hạ tầng
            # Khu công nghiệp" over dashed duties: a kind of body (its words may hold a verb),
            # one collective owner the office names who
            of_kind = self._read_owner(name)
            if of_kind.named or of_kind.broad:
                return of_kind if not of_kind.issuer else None
            return _Owner(name, Resolution(unknown=(name,)), broad=True)
        if not name or len(name) > 120 or _VERB_AT.search(name):
            return None
        if not _starts_org(name) or (bare != name and not _starts_org(bare[:1].upper() + bare[1:])):
            return None
        if _HEAD_AT.match(_lower(bare)) and _lower(bare).startswith("các "):
            return None
        owner = self._read_owner(name)
        if owner.issuer and not owner.named and not _ISSUER.match(unit_key(name)):
            # "1. Ban Tuyên giáo Tỉnh ủy" in the Ban Tuyên giáo's own plan: the issuer's share
            # of the work, each duty under it tracked as its own (never "Ban Chấp hành")
            found = self.units.resolve(name)
            if not (found.units or found.unknown):
                found = Resolution(unknown=(name,))
            return _Owner(name, found)
        return owner if owner.named and not owner.issuer else None

    def _owner(self, plain: str) -> tuple[_Owner, int, str]:
        """The owner a sentence opens with, where its action starts, and its adverbial."""
        adverbial, start = self._adverbial(plain)
        cue = self._cue_at(plain, start)
        if cue:  # "Giao Đảng ủy UBND tỉnh hoàn thiện …"
            return self._object(plain, start + cue, adverbial)
        directed = self._cue_at(plain, start, _START_CUES)
        if directed:  # "Chỉ đạo Sở Tài nguyên và Môi trường: Thường xuyên kiểm tra …"
            found = self._object(plain, start + directed, adverbial)
            if found[0].named and not found[0].broad:
                return found
        person = _PERSON.match(plain, start) or re.compile(r"[^,]{3,40}, ").match(plain, start)
        if person and not _PERSON.match(plain, start):
            person = _PERSON.match(plain, person.end())  # "Về vấn đề này, bà … đề nghị Sở …"
        if person:  # "bà …, Phó Chủ tịch UBND tỉnh đề nghị Sở …"
            inside = _CUE_INSIDE.search(plain, start, start + 160)
            if inside:
                return self._object(plain, inside.end() + 1, adverbial)
        role = _ROLE_SUBJECT.match(plain, start)
        if role:  # "Theo đó, Thủ tướng giao Bộ GTVT chủ trì …": the one who assigns, a cue
            return self._spoken(plain, role.end(), adverbial)
        by_document = _DOCUMENT_CUE.match(plain, start)
        if by_document:  # "Chỉ thị yêu cầu UBND các huyện, thành phố chỉ đạo …"
            return self._object(plain, by_document.end(), adverbial)
        case = self._turned_to(plain)
        if case and start == 0:
            # "Đối với các ban tham mưu của Tỉnh ủy, tập trung thẩm định …": the body the
            # sentence turns to does the work it goes on to name
            turned = self._read_owner(case["org"][:1].upper() + case["org"][1:], cued=True)
            if (turned.named or turned.broad) and not turned.issuer:
                return turned, case.end(), ""  # the case names the owner, nothing more
        lead = re.compile(r"[^,;]{3,30}, ").match(plain, start)  # "Theo kế hoạch, đại hội …"
        congress = _CONGRESS_OF.match(plain, start) or (
            _CONGRESS_OF.match(plain, lead.end()) if lead else None
        )
        told = congress and re.search(
            r"\b(?:đã|vừa)\b", plain[congress.end() : congress.end() + 80]
        )
        if congress and not told:  # the clause keeps "Đại hội …" for its title: the body owns it
            name = congress["name"][:1].upper() + congress["name"][1:]
            return _Owner(congress["name"], Resolution(unknown=(name,))), start, adverbial
        bare = _BARE_TERRITORY.match(plain, start)
        if bare:  # "Trước mắt, huyện cần tập trung …": the territory does what it needs to
            name = bare["name"][:1].upper() + bare["name"][1:]
            return _Owner(bare["name"], Resolution(unknown=(name,))), bare.end(), adverbial
        then = fold(adverbial).endswith(" thi")  # "… thì cơ quan, tổ chức, đơn vị …"
        # "Do đó, cấp uỷ và tổ chức đảng …": the bodies the conclusion names, in lower case
        then = then or f"{fold(adverbial).strip()}," in _THEREFORE
        if not _starts_org(plain[start:], object_of_cue=then) and not (
            then and _GENERIC.match(fold(plain[start:]))
        ):
            return _Owner(), 0, adverbial
        span_end = self._owner_end(plain, start)
        if span_end is None or span_end == start:
            return _Owner(), 0, adverbial
        subject = plain[start:span_end].strip(" ,")
        issued = _ISSUED_CUE.match(plain, span_end)
        if issued:  # "Chủ tịch UBND tỉnh ban hành chỉ thị yêu cầu Thủ trưởng các sở …"
            return self._object(plain, issued.end(), adverbial)
        verb = _VERB_AT.match(plain, span_end)
        word = verb.group(0) if verb else ""
        passive = _PASSIVE_CUE.match(subject)
        if passive:
            # "Các đơn vị được chỉ đạo làm việc cả ngày nghỉ để …": the body directed does the work
            told_to = self._read_owner(passive["who"])
            if (told_to.named or told_to.broad) and not told_to.issuer:
                return told_to, span_end, adverbial
        if word in _CUES:  # "Ban Chấp hành … đề nghị các đảng ủy …": the object owns it
            return self._object(plain, span_end + len(word) + 1, adverbial)
        told_cue = self._cue_at(plain, span_end + len(word) + 1) if word in ("vừa", "đã") else 0
        if told_cue:  # "UBND tỉnh … vừa yêu cầu UBND các địa phương …": the object owns it
            return self._object(plain, span_end + len(word) + 1 + told_cue, adverbial)
        then_cue = re.match(r",\s*", plain[span_end + len(word) :]) if word else None
        if then_cue and word in ("quán triệt", "nhấn mạnh", "lưu ý", "kết luận"):
            # "Chủ tịch UBND huyện quán triệt, yêu cầu các cơ quan chuyên môn …": the speaker's
            # second verb is the cue, its object owns the work
            at = span_end + len(word) + then_cue.end()
            if self._cue_at(plain, at):
                return self._object(plain, at + self._cue_at(plain, at), adverbial)
        if word in _STRESS:  # "Thường trực HĐND thành phố cũng nhấn mạnh việc tiết kiệm …"
            return self._spoken(plain, span_end + len(word) + 1, adverbial)
        after = span_end + len(word) + 1
        if word == "chỉ đạo" and self.rendering and _starts_org(plain[after:], object_of_cue=True):
            # "Bên cạnh đó, UBND TP chỉ đạo công an các quận, huyện … tăng cường tuần tra …" in a
            # story: the body that directs answers for it, the one it names stands beside it
            found = self._object(plain, after, adverbial)
            if found[0].named and not found[0].broad:
                return self._directing(self._read_owner(subject), found[0]), found[1], adverbial
        if word == "chỉ đạo" and self.issuers(subject) and _starts_org(plain[after:]):
            # "Ủy ban nhân dân tỉnh chỉ đạo Sở Y tế kiểm tra …" in the UBND's own text: the
            # issuer directs, the body it names does the work
            found = self._object(plain, after, adverbial)
            if found[0].named and not found[0].broad:
                return found
        if re.search(r"\bngày \d|\d{1,2}/\d{1,2}/\d{4}", subject):
            # "Báo Nghệ An ngày 16/11/2024 có bài phản ánh …": what was reported, no owner
            return _Owner(), 0, adverbial
        if _SPEAKER.search(subject):
            # "…, Sở Nội vụ thông báo như sau:": who speaks, not who does the items below
            return _Owner(issuer=True), 0, adverbial
        if (
            _DOCUMENT_NUMBER.search(subject)
            or _ISSUED.match(plain, span_end)
            or _ISSUED.search(subject)
        ):
            # "Ngày 26/5, UBND tỉnh ban hành Công văn số …": a document issued, no task
            return _Owner(issuer=True), 0, adverbial
        # "Các quận ủy … chọn 01 chi bộ làm điểm": a duty; "Ban Thường vụ Huyện ủy (cũng) chọn
        # Chi bộ …": the issuer's choice reported
        choose = word in ("chọn", "lựa chọn") and not self.issuers(subject)
        choose = choose and not subject.endswith((" cũng", " đã", " đã chọn"))
        # "Thường trực Thành ủy sẽ trực tiếp làm việc …": the leadership's own intention
        standing = re.match(
            r"(?:ban thuong vu|ban thuong truc|thuong truc|thuong vu)\b", fold(subject)
        )
        if word == "sẽ" and standing:
            return _Owner(issuer=True), 0, adverbial
        if word == "họp" and standing:
            # "Ban Thường trực … họp với … vào ngày 04/02/2026": the standing body's own meeting,
            # a step of its own when a date follows (the reader decides), else narration
            return _Owner(subject, issuer=True), span_end, adverbial
        delegates = re.match(r"(?:cac )?(?:dai bieu|thanh vien)\b", fold(subject))
        if delegates and (
            _DELEGATES_SPEAK.search(fold(plain[span_end:]))
            or re.search(r"\bduoc nghe\b", fold(subject))
        ):  # "Các đại biểu tập trung thảo luận, làm rõ …", "… được nghe dự thảo …": told
            return _Owner(issuer=True), 0, adverbial
        if word in _NARRATIVE and not choose:  # "Ban Chấp hành … đã thảo luận", "… nhận định"
            return _Owner(issuer=True), 0, adverbial
        if _TOLD_AFTER.match(plain, span_end):
            # "Các Đ/c lãnh đạo Huyện uỷ, UBND huyện cũng đã thẳng thắn phê bình …": told
            return _Owner(issuer=True), 0, adverbial
        return self._read_owner(subject), span_end, adverbial

    def _spoken(self, plain: str, at: int, adverbial: str) -> tuple[_Owner, int, str]:
        """The addressee after a speaker's cue, or (none named: "… chỉ đạo khẩn trương hoàn
        thành các thủ tục …", "… nhấn mạnh việc tiết kiệm nguồn chi …") a direction that is
        still the speaker's, its owner for the office to name."""
        colon = re.match(r"\s*:\s*", plain[at - 1 :])
        if colon:
            # "… nhấn mạnh: Trên tinh thần …, yêu cầu Tiểu ban …", "… nhấn mạnh: Xã cần …": the
            # words after the colon name their own owner
            after = at - 1 + colon.end()
            owner, start, inner = self._owner(plain[after:])
            if owner.named or owner.broad:
                return owner, after + start, inner or adverbial
        found = self._object(plain, at, adverbial)
        if found[0].named or found[0].broad or _starts_org(plain[at:], object_of_cue=True):
            return found
        if not _VERB_AT.match(plain, at) and not re.match(r"(?:việc|rằng|là)\b", plain[at:]):
            return found  # "… giao nhiệm vụ cho …" cut, a name the reader does not know
        rest = re.match(r"(?:việc|rằng|là)?\s*:?\s*", plain[at:])
        return _Owner(spoken=True), at + (rest.end() if rest else 0), adverbial

    def _object(self, plain: str, at: int, adverbial: str) -> tuple[_Owner, int, str]:
        between = _CUE_TIME.match(plain, at)
        if between and _starts_org(plain[between.end() :], object_of_cue=True):
            # "đề nghị, sau hội nghị này, các huyện …": the addressee after the time of the work
            at = between.end()
            if plain[between.start() : at].count(",") == 2 and not re.match(
                r"\s*,\s*(?:sau|trong|từ|ngay)\b", plain[between.start() :]
            ):
                return _Owner(), 0, adverbial  # ", A, B …": a list going on, not a time
        when = _TIME_BEFORE_OBJECT.match(plain, at)
        if when and _starts_org(plain[when.end() :], object_of_cue=True):
            at = when.end()  # "đề nghị từ nay đến cuối năm các ngành …": the time, then who
        aside = _ASIDE.search(plain, at)
        if aside and _starts_org(plain[at:], object_of_cue=True):
            # "yêu cầu các Đảng bộ trực thuộc Tỉnh ủy, bên cạnh việc tập trung … trong quý II, cần
            # chú trọng …": the work already in hand is no part of the name nor of the new duty
            name = plain[at : aside.start()]
            if name.strip() and not _VERB_AT.search(name):
                owner = self._read_owner(name[:1].upper() + name[1:], cued=True)
                if owner.named or owner.broad:
                    return owner, aside.end(), adverbial
        end = self._owner_end(plain, at)
        if end is None or not _starts_org(plain[at:], object_of_cue=True):
            return _Owner(), 0, adverbial
        inner = re.match(r"\s*chỉ đạo\s+", plain[end:])
        if inner and _starts_org(plain[end + inner.end() :]):
            # "Đề nghị UBND tỉnh chỉ đạo Bộ Chỉ huy Quân sự tỉnh phối hợp …": the body directed
            # does the work; "chỉ đạo các ngành chức năng" names no one, the addressee keeps it
            found = self._object(plain, end + inner.end(), adverbial)
            if found[0].named and not found[0].broad:
                outer = self._read_owner(plain[at:end][:1].upper() + plain[at + 1 : end])
                return self._directing(outer, found[0]), found[1], adverbial
        name = plain[at:end]
        return self._read_owner(name[:1].upper() + name[1:], cued=True), end, adverbial

    @staticmethod
    def _directing(addressee: _Owner, directed: _Owner) -> _Owner:
        """ "UBND tỉnh chỉ đạo Bộ Chỉ huy Quân sự tỉnh …": the addressee answers for it, the body
        it directs does the work and is shown beside it (as a cooperating unit)."""
        a, d = addressee.resolution, directed.resolution
        return _Owner(
            addressee.text,
            Resolution(
                units=a.units,
                unknown=a.unknown,
                cooperating=tuple(dict.fromkeys((*a.cooperating, *d.units))),
                unknown_cooperating=tuple(dict.fromkeys((*a.unknown_cooperating, *d.unknown))),
                all_chi_bo=a.all_chi_bo,
            ),
            broad=addressee.broad,
        )

    def _turned_to(self, plain: str) -> re.Match[str] | None:
        """ "Đối với các ban tham mưu của Tỉnh ủy, tập trung …": the body a sentence turns to,
        when no other body, cue or speaker follows the comma."""
        case = _FOR_BODY.match(plain)
        if case is None or not _starts_org(case["org"], object_of_cue=True):
            return None
        rest = plain[case.end() :]
        if _starts_org(rest) or self._cue_at(rest, 0) or _ROLE_SUBJECT.match(rest):
            return None
        # the work follows at once ("…, tập trung …"), never a list going on ("…, thị trấn thì")
        return case if _VERB_AT.match(_lower(rest[:1]) + rest[1:]) else None

    def _adverbial(self, plain: str) -> tuple[str, int]:
        """ "Ngay sau Hội nghị này, yêu cầu …", "Đối với Dự án …, Đảng ủy UBND tỉnh …"."""
        tag = _NEWS_TAG.match(plain)
        if tag:  # "(Baoquangngai.vn)- Chủ tịch UBND tỉnh vừa có công văn giao …"
            adverbial, start = self._adverbial(plain[tag.end() :])
            return adverbial, tag.end() + start
        day = _DAY_FIRST.match(plain)
        if day and _starts_org(plain[day.end() :]):
            return plain[: day.end()].strip(), day.end()  # "Ngày 23/11/2020 Huyện ủy đã …"
        if self._cue_at(plain, 0) or self._turned_to(plain):
            return "", 0  # "Đề nghị Công đoàn …, Đoàn …": a cue, never the "Để …" it folds to
        key = _aligned_fold(plain)
        lead = _LEAD_WORD.match(key)
        if lead and self._cue_at(plain, lead.end()):
            return "", lead.end()  # "Đồng thời đề nghị, sau hội nghị này, các huyện …"
        if lead and _starts_org(plain[lead.end() :]):
            return "", lead.end()  # "Riêng UBND huyện Quế Sơn theo dõi …"
        then = _THEN.match(key)
        after = plain[then.end() :] if then else ""
        if then and (_starts_org(after, object_of_cue=True) or _GENERIC.match(fold(after))):
            # "Đối với vụ việc ở nơi công tác thì cơ quan, tổ chức, đơn vị … có trách nhiệm …":
            # the case, then "thì" and the body that answers for it
            return plain[: then.end()].strip(), then.end()
        if not _ADVERBIAL_OPENING.match(key):
            return self._framed_speaker(plain)
        if _SPEECH_OPENING.match(key):
            # "Phát biểu chỉ đạo tại hội nghị đồng chí Chủ tịch UBND tỉnh yêu cầu …": the speech
            # that opens the sentence ends where its speaker begins, comma or none
            for space in re.finditer(r"\s(?=(?:[Đđ]ồng chí|[Đđ]/[Cc]|[Ôô]ng|[Bb]à) )", plain[:160]):
                if "," in plain[: space.start()]:
                    break
                if _ROLE_SUBJECT.match(plain, space.end()):
                    return plain[: space.start()], space.end()
        for comma in re.finditer(r",\s*", plain[:400]):
            rest = comma.end()
            if _ROLE_SUBJECT.match(plain, rest):  # "Theo đó, Thủ tướng giao Bộ GTVT …"
                return plain[: comma.start()], rest
            if _CUE_INSIDE.search(plain[: comma.start()]):
                break  # "Theo đó, chủ tịch UBND tỉnh giao Sở A phối hợp với B, C": no adverbial
            if _starts_org(plain[rest:]) or plain[rest:].startswith(("chủ tịch ", "đồng chí ")):
                return plain[: comma.start()], rest
            if key.startswith(_THEREFORE) and re.match(r"(?:cấp|các) ", _lower(plain[rest:])):
                # "Do đó, cấp uỷ và tổ chức đảng trong huyện cần …": the bodies, in lower case
                return plain[: comma.start()], rest
            if _BARE_TERRITORY.match(plain, rest):  # "Trước mắt, huyện cần …"
                return plain[: comma.start()], rest
            if self._cue_at(plain, rest):
                return plain[: comma.start()], rest
        grounds = re.match(r"(?:can cu|tren co so) ", key)
        verb = _VERB_AT.search(plain, grounds.end()) if grounds else None
        if verb and "," not in plain[: verb.start()]:
            # "Căn cứ Chương trình giám sát … xây dựng Kế hoạch …": no subject, the heading's
            return plain[: verb.start()].strip(), verb.start()
        return "", 0

    @staticmethod
    def _framed_speaker(plain: str) -> tuple[str, int]:
        """ "Với yêu cầu đó, đồng chí Phó Bí thư … đề nghị …", "Chia sẻ với những khó khăn của
        địa phương, Bí thư Thành ủy … yêu cầu …", "Về nhiệm vụ trong thời gian tới, đồng chí Chủ
        tịch UBND xã đề nghị …": a short frame of any words, then the speaker and the cue (the
        frame names no cue of its own and is no sentence of its own)."""
        # ("Sau các vụ cướp giật …, để giữ vững …, Chủ tịch UBND TP.HCM … chỉ đạo …": up to three
        # frames, each a few words)
        at = 0
        for _ in range(3):
            comma = _FRAME_COMMA.match(plain, at)
            if comma is None or _SPEAKER_IN_FRAME.search(fold(comma.group("frame"))):
                # "Đó là ý kiến chỉ đạo của Đ/c … – Bí thư Huyện uỷ, …": the speaker's own words
                return "", 0
            if _ROLE_SUBJECT.match(plain, comma.end()):
                return plain[: comma.end()].rstrip(" ,"), comma.end()
            at = comma.end()
        return "", 0

    @staticmethod
    def _cue_at(plain: str, at: int, cues: tuple[str, ...] = _CUES) -> int:
        """Length of a cue ("Giao ", "Yêu cầu ", "Đề nghị ") at ``at``, or 0."""
        lower = plain[at:].lower()
        for cue in cues:
            if lower.startswith(cue + " "):
                return len(cue) + 1
            if lower.startswith(cue + ", ") and _CUE_TIME.match(plain, at + len(cue)):
                return len(cue)  # "đề nghị, sau hội nghị này, các huyện …"
        return 0

    def _owner_end(self, plain: str, start: int) -> int | None:
        """Where the owner words end: the first lower-case verb (role words included)."""
        at = self._known_prefix(plain, start)
        while True:
            verb = _VERB_AT.search(plain, at)
            colon = plain.find(":", at, verb.start() if verb else len(plain))
            if plain.startswith("://", colon):  # "… tại https://…": an address, no owner's colon
                colon = -1
            names = re.match(r":\s*([^,;.]+)", plain[colon:]) if colon >= 0 else None
            listed = names is not None and all(w[:1].isupper() for w in names.group(1).split())
            # "Các Sở: Xây dựng, Tài chính, …": a list word, then names each opening in capitals
            listed = listed or (
                colon >= 0
                and bool(_LIST_WORD.search(_lower(plain[start:colon])))
                and _capital_names(plain[colon + 1 : verb.start() if verb else len(plain)])
            )
            if 0 < colon - start <= 120 and ";" not in plain[start:colon] and not listed:
                return colon  # "Sở Tài nguyên và Môi trường: Thường xuyên kiểm tra …"
            if verb is None:
                return _place_end(plain, at, len(plain))
            related = _RELATED_END.search(plain, at, verb.start())
            goes_on = ("phối hợp", ",", "và ")  # "các cơ quan liên quan và UBND các huyện …"
            if related and not plain[related.end() :].lstrip().startswith(goes_on):
                return related.end()  # "… các đơn vị có liên quan tham gia ý kiến …"
            word = verb.group(0)
            if plain.count("(", start, verb.start()) > plain.count(")", start, verb.start()):
                # "Các cán bộ tham dự (theo hình thức trực tiếp và trực tuyến) chuẩn bị …": a word
                # in the name's bracket ends nothing
                at = verb.end()
                continue
            alone = not re.match(r"\s+(?:với|cùng)\b", plain[verb.end() :])
            # "các sở, ngành phối hợp Bưu điện tỉnh tuyên truyền …": a body named right after a
            # bare "phối hợp" is a cooperating body, as after "phối hợp với"
            alone = alone and not _starts_org(plain[verb.end() :].lstrip())
            if word == "phối hợp" and alone and verb.start() > start:
                return verb.start()  # "các Ban, Văn phòng Huyện ủy phối hợp, tham mưu …"
            if word == "chủ trì" or word.startswith("phối hợp"):
                at = verb.end()
                rest = plain[at:].lstrip(" ,")
                for role in _ROLE_WORDS:
                    if rest.startswith(role):
                        at = len(plain) - len(rest) + len(role)
                        break
                if not word.startswith("phối hợp") and not rest.startswith("phối hợp"):
                    return at
                at = self._known_prefix(plain, len(plain) - len(plain[at:].lstrip(" ,")))
                continue
            before = _lower(plain[max(start, verb.start() - 8) : verb.start()])
            after = _lower(plain[verb.end() : verb.end() + 20])
            if _POST.match(plain, verb.end()):
                at = verb.end()  # "đội ngũ tuyên truyền viên, báo cáo viên": still the name
                continue
            listed = before.endswith(("quan, ", "quan và ", "vị, ", "vị và "))
            if word == "tổ chức" and (
                listed or re.match(r" (?:cơ sở )?đảng\b| chính trị| thành viên", after)
            ):
                at = verb.end()  # "Các cấp ủy, tổ chức đảng, …": still the list of names
                continue
            if word == "đầu tư" and before.endswith(("dự án ", "và ", "chủ ")):
                at = verb.end()  # "Ban Quản lý dự án đầu tư xây dựng …", "Các chủ đầu tư …"
                continue
            if word == "giao" and re.match(r" (?:thông|lưu|dịch|thương|hữu)\b", after):
                at = verb.end()  # "… công trình giao thông tỉnh": no cue, still the name
                continue
            nouns = ("công ", "chương ", "quy ", "tờ ", "lộ ", "quá ")  # "quá trình": no verb
            if word == "trình" and before.endswith(nouns):
                at = verb.end()  # "… các công trình giao thông tỉnh": a noun, still the name
                continue
            if word == "xây dựng" and before.endswith("đầu tư "):
                at = verb.end()  # "Ban Quản lý dự án đầu tư xây dựng các công trình …"
                continue
            # "Đoàn kiểm tra liên ngành", "Tổ giám sát": the verb names the body; "Ban Chỉ đạo
            # Trung ương về tổng kết Nghị quyết 18": still the name after "về"
            tense = word in ("đã", "đang", "sẽ", "vừa", "vẫn", "chưa")  # "Tiểu ban đã …": told
            # "các phòng ban nghiêm túc …": a list of kinds of office, no "Ban …" named
            kind_list = _lower(plain[max(start, verb.start() - 12) : verb.start()]).endswith(
                ("phòng ban ", "phòng, ban ")
            )
            if (
                not tense
                and not kind_list
                and before.endswith(
                    ("các ", "những ", "ban ", "ủy ban ", "được ", "đòan ", "tổ ", " về ")
                )
            ):
                at = verb.end()  # "các tổ chức đảng", "Ủy ban kiểm tra": still the name
                continue
            if word in ("có", "là", "được") and verb.start() > start:
                at = verb.end()  # "… có liên quan", "… được khen thưởng": still the name
                continue
            return _place_end(plain, at, verb.start()) or verb.start()

    def _known_prefix(self, plain: str, start: int) -> int:
        """The end of the longest registry unit named at ``start`` (or ``start``)."""
        ends = [m.start() for m in re.finditer(r"(?=[\s,;]|$)", plain[start : start + 90])]
        for end in sorted(set(ends), reverse=True):
            if end and self.units.lookup(plain[start : start + end]) is not None:
                return start + end
        return start

    def _read_owner(self, text: str, *, cued: bool = False) -> _Owner:
        text = _CHI_BO_COMMITTEE.sub("", text.strip(" ,;:"))
        # "Sở Kế hoạch và Đầu tư - cơ quan thường trực … giúp Ban …": the body, not its role
        text = re.split(r"\s+[-–]\s+cơ quan\b|,\s*cơ quan thường trực\b|\s+giúp\s(?!việc)", text)[0]
        # "Các Sở: Xây dựng, Tài chính theo chức năng, nhiệm vụ": the scope, not the name
        text = re.split(r",?\s+(?:theo|căn cứ|trên cơ sở) chức năng\b", text)[0]
        label = _LIST_LABEL.match(text)
        if label and _starts_org(text[label.end() :]):
            text = text[label.end() :]  # "Các cơ quan: Sở A, Chi cục B": the names themselves
        # "Sở GD-ĐT chủ trì, phối hợp Bưu điện tỉnh, UBND các huyện …": a bare "phối hợp" in the
        # owner words names the cooperating bodies as "phối hợp với" does
        parts = re.split(
            r"\s*,?\s*phối hợp (?:với|cùng)\s+|\s*,?\s*phối hợp\s+(?!với\b|cùng\b)",
            text,
            maxsplit=1,
        )
        lead_text = re.sub(r"\s*,?\s*chủ trì(?:\s*,?\s*phối hợp)?\s*,?$", "", parts[0]).strip()
        coop_text = parts[1] if len(parts) > 1 else ""
        person = re.match(
            r"(?:[Đđ]ồng chí|[Đđ]/[Cc]) (?!(?:"
            + _TITLE_WORDS
            + r")\b)(?=(?:[A-ZĐ][^\W\d_]*\s?){2})",
            lead_text,
        )
        if person and cued:
            # "Giao đồng chí Nguyễn Văn A – Phó Chủ tịch …": a person the cue names, the owner
            # (never the speaker a sentence opens with: "Đồng chí Lê …, Bí thư … phát biểu …")
            named = lead_text[person.end() :].strip(" ,")
            return _Owner(text, Resolution(unknown=(named,)))
        if re.match(r"dong chi (?:pho )?(?:chu tich|giam doc|truong)\b", fold(lead_text)):
            # "Đồng chí Chủ tịch Ủy ban nhân dân xã chỉ đạo …": one office-holder, the owner
            holder = lead_text.split(" ", 2)[2]
            return _Owner(text, Resolution(unknown=(holder[:1].upper() + holder[1:],)))
        if cued and _CUED_HEAD.match(_lower(lead_text)):
            # "đề nghị đội ngũ tuyên truyền viên, báo cáo viên của tỉnh …": one group the cue
            # names, the owner
            return _Owner(text, Resolution(unknown=(lead_text[:1].upper() + lead_text[1:],)))
        group = re.match(r"(?:cac|toan the cac) dong chi (?!cap uy\b)\S", fold(lead_text))
        if cued and group and len(_pieces(lead_text)) == 1:
            # "các đồng chí tham dự hội nghị", "các đồng chí Ủy viên Ban Thường vụ phụ trách địa
            # bàn": a group the words name, one collective owner (a bare "các đồng chí" is all)
            return _Owner(text, Resolution(unknown=(lead_text[:1].upper() + lead_text[1:],)))
        if _TERRITORIES.match(fold(lead_text)):
            # "các xã, thị trấn, các đơn vị cần …": the communes, one collective owner
            return _Owner(text, Resolution(unknown=(lead_text[:1].upper() + lead_text[1:],)))
        if re.match(r"(?:nguoi dung dau|thu truong)\b", fold(lead_text)):
            # "Người đứng đầu cơ quan, đơn vị": one owner, every office's head
            return _Owner(text, Resolution(unknown=(lead_text[:1].upper() + lead_text[1:],)))
        lead, broad_lead, issuer = self._specific(lead_text)
        coop, _, _ = self._specific(coop_text)
        proper = [p for p in lead if not _lower(p).startswith("các ")]
        pieces = _pieces(lead_text)
        led_by_everyone = bool(pieces) and bool(_EVERYONE.match(fold(pieces[0])))
        if broad_lead and (not proper or led_by_everyone):
            # "các đảng ủy trực thuộc, các cơ quan, đơn vị, địa phương": everyone
            return _Owner(text, broad=True)
        # "Ủy ban MTTQ tỉnh, Thủ trưởng các sở, ban, ngành, …": the named bodies own it
        if not lead:
            return _Owner(text, issuer=issuer)
        # Each named piece on its own: "Chủ tịch UBND các huyện: A, B; Giám đốc Sở …" is a
        # colon list and then another body, not one more name of the list.
        reads = [self.units.resolve(piece) for piece in lead]
        coop_read = self.units.resolve("; ".join(lead) + "; phối hợp: " + "; ".join(coop))
        units = tuple(dict.fromkeys(c for r in reads for c in r.units))
        # "Các sở, ban, ngành, đơn vị cấp tỉnh, UBND các huyện …": the collective words that lead
        # the list are owners too, kept as written for the office to name who (never dropped)
        leading: list[str] = []
        for piece in pieces:
            if not _GENERIC.match(fold(piece)):
                break
            leading.append(piece.strip(" ,;"))
        collective = (", ".join(leading),) if leading else ()
        return _Owner(
            text,
            Resolution(
                units=units,
                unknown=tuple(dict.fromkeys((*collective, *(n for r in reads for n in r.unknown)))),
                cooperating=tuple(c for c in coop_read.cooperating if c not in units),
                unknown_cooperating=coop_read.unknown_cooperating if coop else (),
                all_chi_bo=any(r.all_chi_bo for r in reads),
            ),
        )

    def _specific(self, text: str) -> tuple[list[str], bool, bool]:
        """The pieces of an owner list that name someone; whether one named everyone, or
        the issuing body."""
        specific, broad, issuer = [], False, False
        for piece in _pieces(text):
            if _GENERIC.match(fold(piece)):
                broad = True
            elif self.issuers(piece):
                issuer = True
            elif _starts_org(piece) or self.units.lookup(piece) is not None:
                specific.append(piece)
        return specific, broad, issuer

    def _purpose_owner(self, step: str, said: str = "") -> tuple[_Owner, str] | None:
        """A later step handed to another body ("để Ban Tuyên giáo Tỉnh ủy tổng hợp, trình …"):
        that body and its work. A bare "để sở thẩm định, trình …" is the body of that kind the
        sentence named before it (``said``: "gửi hồ sơ về Sở Tài nguyên và Môi trường trước ngày
        28-10 để sở …")."""
        step = _named_again(step, said)
        purpose = re.match(r"(?:để|nhằm|cho)\s+", step)
        if purpose is None or not _starts_org(step[purpose.end() :]):
            return None
        owner, action_at, _ = self._owner(step[purpose.end() :])
        if not owner.named or owner.issuer or action_at <= 0:
            return None
        return owner, step[purpose.end() + action_at :]

    def _signed_by(self, raw: Sequence[str]) -> None:
        """The issuer, from the signature ("T/M BAN THƯỜNG VỤ") and the state letterhead."""
        for line in raw:
            match = _SIGNER.match(fold(_MARKUP.sub(" ", line)).strip("#* "))
            if match:
                self.issuers.exact.add(unit_key(match.group("org").split(" - ")[0]))
        for name in state_issuers(raw):  # "HỘI ĐỒNG NHÂN DÂN / TỈNH TUYÊN QUANG": it resolves
            self.issuers.prefix.add(unit_key(name))

    def _issuer_sentence(self, plain: str) -> None:
        """ "…, UBND tỉnh ban hành Kế hoạch …" near the top: the body that issues this plan."""
        key = _aligned_fold(plain)
        match = _ISSUER_SENTENCE.search(key)
        # "…, UBND tỉnh ban hành Kế hoạch …", "Ban Tổ chức xây dựng kế hoạch như sau:": this
        # plan; "Văn phòng Tỉnh ủy xây dựng kế hoạch đảm bảo kinh phí …; …" is a duty
        if match and "ban hanh" not in match.group() and not _THIS_PLAN.search(key, match.end()):
            match = None
        if match:
            org = plain[match.start("org") : match.end("org")]
            # "Ban Chỉ đạo có nhiệm vụ: Hàng năm xây dựng kế hoạch": a duty, not the issuer
            if _starts_org(org) and ":" not in org and not _VERB_AT.search(org):
                self.issuers.prefix.add(unit_key(org))
