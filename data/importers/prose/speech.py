"""A portal's or a newspaper's story of a leader's conclusion or direction: who speaks, to
whom, and the steps of what is said.

On the blind batches most documents are such a rendering ("Phát biểu kết luận, đồng chí Bí thư
Tỉnh ủy đề nghị các cấp ủy, chính quyền … tập trung …; yêu cầu Sở X khẩn trương …"). The
speaker owns nothing; the addressee owns each step of the direction; the next sentences of
that speech go on with it. Whether the text is a rendering is the document kind's call
(``kind.is_rendering``); these rules only read what the speaker says.
"""

from __future__ import annotations

import re

from data.importers.prose.owner import _PERSON
from data.text import clean, fold

# "Đồng chí Bí thư …", "Chủ tịch UBND tỉnh …", "Thường trực HĐND thành phố …": a person or a
# standing body speaks
_SPEAKER_WORDS = re.compile(
    r"\b(?:dong chi|d/c|bi thu|(?:pho )?chu tich|truong ban|giam doc|bo truong"
    r"|thu tuong|to truong|truong doan|thuong truc)\b"
)
# "UBND tỉnh vừa ban hành Công văn số … yêu cầu …": a text told, not a speech
_TEXT_TOLD = re.compile(r"\b(?:ban hanh|cong van|van ban|quyet dinh|thong bao) so\b|\bban hanh\b")


def speaks(text: str) -> bool:
    """Whether a paragraph gives a person's words ("đồng chí …", "ông Lê Văn Tám …", "Thường
    trực HĐND huyện …"), never the story of a text issued ("… ban hành Công văn số …")."""
    folded = fold(text)
    said = bool(_SPEAKER_WORDS.search(folded) or _PERSON.search(text))
    return said and not _TEXT_TOLD.search(folded)


# "Theo Chủ tịch UBND tỉnh, …", "Theo đồng chí Bí thư, …": a speaker's words told by the story
_TOLD_BY = re.compile(
    r"^theo (?:dong chi|d/c|ong|ba|(?:pho )?chu tich|(?:pho )?bi thu|(?:pho )?thu tuong"
    r"|bo truong|giam doc|truong ban)\b[^,;:]{0,80},"
)


def told_by(folded: str) -> bool:
    """Whether a folded clause opens with the speaker whose words the story tells."""
    return bool(_TOLD_BY.match(folded))


def led_by_speaker(text: str) -> bool:
    """ "Kết luận hội nghị, đồng chí Bí thư … nhấn mạnh một số công việc … như sau:": a lead
    whose items are the speaker's directions."""
    return bool(_SPEAKER_WORDS.search(fold(text)) or _PERSON.search(text))


# "… đề nghị / yêu cầu / giao / lưu ý X …", or the body the speaker turns to ("Đối với các ban
# tham mưu của Tỉnh ủy, a; b; c")
# ("hội nghị giao ban", "giao ban với …", "giao thông", "giao lưu" are no "giao" of a duty;
# "giao Ban Thường vụ …" is)
_SPOKEN_TO = re.compile(
    r"\b(?:yeu cau|de nghi|luu y|chi dao(?= (?:cac |cong an |ubnd |uy ban |so |phong |ban ))"
    r"|(?<!nghi )giao(?! ban (?:voi|dinh ky|tuan|thang|quy)\b| ban$| (?:thong|luu|dich|tiep)\b))"
    r"\b|^doi voi\b"
)


def spoken_to(cue: str) -> bool:
    """Whether the folded words before an owner address it as the speaker's ``cue`` does."""
    return bool(_SPOKEN_TO.search(cue))


# "…; đề nghị UBND thành phố …", "…; đồng thời yêu cầu các chi bộ …", "… đánh giá cao …, đồng
# thời chỉ ra những hạn chế … và yêu cầu cơ quan … tiếp thu …": the speaker turns from
# appraisal to direction
_TURN = re.compile(
    r";\s+(?:dong thoi,? )?(?=(?:de nghi|yeu cau|luu y) )"
    r"|(?:,\s+dong thoi,?|\s+va)\s+(?=(?:de nghi|yeu cau|chi dao) )"
)


def turn(aligned: str) -> re.Match[str] | None:
    """Where the speaker turns to a direction, in the aligned folded sentence."""
    return _TURN.search(aligned)


# "…; chịu trách nhiệm về số liệu báo cáo …": a charge that answers for the work, no work
_CHARGE = re.compile(r"^(?:chiu|co) trach nhiem (?:ve|truoc)\b")


def charge(step: str) -> bool:
    return bool(_CHARGE.match(fold(step)))


def semicolon_parts(text: str) -> list[str]:
    """The parts of a text between the ";" outside brackets."""
    out, depth, at = [], 0, 0
    for index, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == ";" and depth == 0:
            out.append(text[at:index])
            at = index + 1
    out.append(text[at:])
    return [part.strip() for part in out if part.strip(" .")]


# What a rendering tells that is no one's duty, though a body stands before a verb. The rules
# below hold only for a clause no cue addresses ("đề nghị / yêu cầu / giao X …" make X's words a
# duty, whatever its verb): the reader asks ``spoken_to`` first.

# "Chủ tịch UBND tỉnh đánh giá: Năm 2019 …", "… ghi nhận, biểu dương kết quả …", "… cảm ơn …":
# the speaker's appraisal or thanks ("đánh giá kết quả …" with its object is work, not this)
_APPRAISAL = re.compile(
    r"^(?:da |cung )?(?:danh gia\s*[:,]|(?:danh gia cao|danh gia (?:rang|la)|ghi nhan"
    r"|bieu duong|hoan nghenh|chuc mung|(?:tran trong )?cam on|khen ngoi|tuyen duong"
    # "… chia sẻ những khó khăn …", "thăm hỏi, động viên …": the speaker's sympathy, no work
    r"|chia se (?:voi )?(?:nhung )?kho khan|tham hoi|dong vien (?:can bo|cong nhan|nhan dan|ba con"
    r"|cac))\b)"
)
# "Đảng ủy xã cho biết sẽ …", "khẳng định: Chính quyền xã sẽ tập trung …", "UBND huyện đề xuất
# …", "Thành phố sẽ hỗ trợ …": what a body reports it did, does or will do, or asks for itself
# (read with its accents: folded, "sẽ" is "se" of "chia sẻ" and "đang" is "Đảng")
_OWN_WORD = re.compile(
    r"^(?:(?:cho biết|khẳng định|thông tin|báo cáo|nêu rõ)\b[ :,]*(?:[^,;:]{0,60}? )?"
    r"(?:sẽ|đã|đang)\b|(?:\S+ ){0,4}?(?:cũng )?sẽ (?!được\b)\S|(?:đã|đang) (?!được\b)\S"
    r"|(?:đề xuất|kiến nghị|xin|phản ánh|bày tỏ|cho rằng|cho biết)\b"
    # "Một số xã đã cơ bản hoàn thành gieo cấy …": some of the bodies, what they did told
    r"|(?:một số|nhiều|hầu hết|phần lớn) (?:\S+ ){0,3}?(?:đã|đang) (?!được\b)\S)"
)
# "HĐND xã tổ chức kỳ họp thứ 10 …", "Thường trực huyện ủy … làm trưởng đoàn đến thăm và làm
# việc tại xã …": the meeting or the visit the story is about (undated: a meeting set for a
# date is a duty)
_THE_NEWS = re.compile(
    r"^(?:lam truong doan|dan dau doan|(?:da )?(?:di|den) (?:kiem|tham|khao sat)\b"
    r"|(?:da )?(?:co buoi )?(?:den )?(?:tham,? (?:va )?)?"
    r"(?:lam viec|kiem tra thuc te) (?:voi|tai)\b"
    r"|(?:da )?to chuc (?:thanh cong (?:\S+ ){1,4}|(?:ky hop|hoi nghi|phien hop) (?:lan )?thu\b)"
    # "Ban Chỉ đạo … huyện thành lập 4 Tổ kiểm tra …" with no cue: the body's own act, the news
    r"|(?:da |vua )?thanh lap (?:\d+ |cac )?(?:to|doan|ban|hoi dong)\b"
    # "Các đại biểu tham gia ý kiến tại cuộc họp": what the meeting discussed
    r"|(?:tham gia y kien|thao luan|gop y) (?:tai|trong|vao|ve)\b)"
)


# "Các thành viên UBND huyện cho ý kiến vào một số vấn đề như: …": what the meeting discussed
# (never "nghe" alone: folded, it is also "Bến Nghé", "nghề")
_AGENDA_CUE = re.compile(r"\b(?:cho y kien|thao luan|gop y)\b")
# "Hội nghị … được xác định là kênh thông tin quan trọng, góp phần tăng cường …": the aim of
# what is told, never a duty
_PURPOSE_CUE = re.compile(r"\b(?:gop phan|nham|duoc xac dinh la\b.*)[ ,]*$")
# "Chi bộ xóm Sòng hiện có 19 đảng viên, …": the reporter's background, a count
_BACKGROUND_CUE = re.compile(r"\bhien (?:dang )?co \d")


def reported(action: str, *, said_before: str = "", dated: bool = False) -> bool:
    """Whether an unaddressed clause of a rendering (its words from the verb, as written) is the
    speaker's appraisal, a body's own report, promise or request, the meeting the story tells
    or what it discussed (``said_before``: the folded words before the verb; ``dated``: the
    clause names a date, so a meeting or a report in it is one still to come)."""
    what = fold(action)
    own = _OWN_WORD.match(clean(action).lower())
    news = not dated and (_THE_NEWS.match(what) or _AGENDA_CUE.search(said_before))
    aim = _PURPOSE_CUE.search(said_before) or _BACKGROUND_CUE.search(said_before)
    return bool(_APPRAISAL.match(what) or own or news or aim)


# "… kêu gọi toàn Đảng, toàn dân, toàn quân thực hiện thắng lợi nghị quyết …": an appeal to
# everyone, an aim whatever date it names
_APPEAL = re.compile(
    r"\bkeu goi (?:toan (?:dang|dan|quan|the)|nhan dan|moi (?:nguoi|tang lop)|cac tang lop"
    r"|can bo,? dang vien)\b"
    # "UBND huyện cũng khuyến cáo người dân chủ động phòng, ngừa …": advice to the public
    r"|\b(?:khuyen cao|khuyen nghi|luu y) (?:nguoi dan|nhan dan|ba con|du khach|moi nguoi)\b"
)
_DIRECTS = re.compile(r"\b(?:de nghi|yeu cau|giao|chi dao)\b")


def appeal(folded: str) -> bool:
    """Whether a clause is an appeal to everyone with no direction in it."""
    return bool(_APPEAL.search(folded)) and not _DIRECTS.search(folded)


# "UBND huyện đề nghị Tỉnh ủy, UBND tỉnh cho chủ trương …", "Địa phương cũng đề nghị thành phố
# bố trí …": a body asks the level above it; its request is no duty the office chases. Levels:
# xã/phường 1, huyện/quận/thị xã 2, thành phố 2.5 (of a province or one itself), tỉnh 3, the
# ministries and the Centre 4
_LEVELS = (
    (
        re.compile(
            r"\b(?:trung uong|chinh phu|thu tuong|cap tren|bo (?:cong an|cong thuong|tai chinh"
            r"|noi vu|ke hoach|giao thong|giao duc|y te|quoc phong|ngoai giao|tu phap|nong nghiep"
            r"|van hoa|lao dong|khoa hoc|xay dung|tai nguyen|thong tin))\b"
        ),
        4.0,
    ),
    # ("tinh thần", "tình hình", "tinh gọn" fold to "tinh" too: no province)
    (re.compile(r"\b(?:tinh|tinh uy)\b(?! (?:than|hinh|gon|te)\b)"), 3.0),
    (re.compile(r"\b(?:thanh pho|thanh uy|tp)\b"), 2.5),
    # ("các cơ quan, đơn vị" holds "quan": an office, no district)
    (re.compile(r"\b(?:huyen|(?<!co )quan|thi xa|huyen uy|quan uy|thi uy)\b"), 2.0),
    (re.compile(r"\b(?:xa|phuong|thi tran|dia phuong|co so)\b"), 1.0),
)
_ASKS = re.compile(r"\b(?:de nghi|kien nghi|xin|de xuat)\b")


def _level(words: str, last: bool) -> float | None:
    """The level of the place named last (or first) in ``words``."""
    found = [(m.start(), level) for pattern, level in _LEVELS for m in pattern.finditer(words)]
    if not found:
        return None
    return (max(found) if last else min(found))[1]


# Words that open a title or a body's kind, never a proper name ("Phó Chủ tịch", "Xã Phú Xuân"
# keeps "Xã")
_NOT_NAME = frozenset(
    (
        "Xã", "Phường", "Huyện", "Tỉnh", "Thành", "Quận", "Ủy", "Uỷ", "Đảng", "Sở", "Ban", "Bộ",
        "Phó", "Chủ", "Bí", "Trưởng", "Giám", "Thường", "Chánh", "Tổng", "Cục", "Vụ", "Thủ",
        "Đồng", "Ông", "Bà", "Đ/c", "UBND", "HĐND",
    )
)  # fmt: skip


def unnamed(text: str) -> str:
    """``text`` without its proper names: two to four capitalised words ("Phó Chủ tịch HĐND
    huyện Nguyễn Thị Phương đề nghị" → "… huyện đề nghị"); folded, "Phương" would read as a
    ward ("phuong") and the levels a request is read by are the bodies'."""
    words = text.split(" ")
    keep = [True] * len(words)
    i = 0
    while i < len(words):
        j = i
        while (
            j < len(words)
            and words[j][:1].isupper()
            and words[j][1:].islower()
            and words[j].strip(",.;:") not in _NOT_NAME
        ):
            j += 1
        if j - i >= 2:
            keep[i:j] = [False] * (j - i)
        i = max(j, i + 1)
    return " ".join(w for w, k in zip(words, keep, strict=True) if k)


def asks_upward(cue: str) -> bool:
    """Whether the folded words before a clause's work ("UBND huyện đề nghị Tỉnh ủy, UBND
    tỉnh") are a body's request to a level above its own: the asker is the place named just
    before the cue, the addressee the one named first after it."""
    asks = list(_ASKS.finditer(cue))
    if not asks:
        return False
    asker = _level(cue[: asks[-1].start()], last=True)
    asked = _level(cue[asks[-1].end() :], last=False)
    return asker is not None and asked is not None and asker < asked
