"""The action stage: a sentence cut into clauses where a new owner starts, and a duty cut into
its steps.

A clause ends where the next one names its own owner: after ";" ("…; Ban Tổ chức Huyện ủy
tham mưu …"), after an issuer's lead-in ("… có ý kiến chỉ đạo như sau: Giao …"), after a dated
step and a comma. A colon list ("Sở Y tế: chủ trì …; chỉ đạo …") gives one duty a step that
opens with its own verb. Dates written first ("Quý 1 năm 2026 hoàn thành …", a timetable line
"- Tháng 5/2027: …") are moved after the step they close, and a programme's "(… chuẩn bị)" puts
the body that prepares an item first, so the owner and the deadline stages read them in order.
"""

from __future__ import annotations

import re

from data.deadlines import Deadline
from data.importers.prose import speech
from data.importers.prose.dates import DateReading
from data.importers.prose.events import event_for
from data.importers.prose.not_tasks import aim, any_work, closing_article
from data.importers.prose.owner import (
    _DOCUMENT_NUMBER,
    _LEAD_WORD,
    _VERB_AT,
    OwnerReading,
    _Owner,
    _starts_org,
    congress_schedule,
)
from data.importers.prose.proposal import _JOIN, own_step
from data.importers.prose.segment import _OFF, _ON, _aligned_fold, _plain, _sentences
from data.text import fold
from data.units import Resolution

# "…, Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau: Giao Sở …": the issuer's lead-in ends at
# the colon; what follows is the direction.
_LEAD_IN = re.compile(
    r"(?:nhu sau|chi dao|ket luan|y kien)\s*:\s+(?=\S)"
    # "Chỉ thị nêu rõ: Để …, Ban Bí thư yêu cầu …": a rendering's frame before the text itself
    r"|^(?:noi dung )?(?:chi thi|thong tri|cong van|ket luan|thong bao|nghi quyet|van ban)"
    r"(?: so \S+)? neu(?: ro)?\s*:\s+(?=\S)"
    # "Công văn nêu rõ, để thực hiện nghiêm túc …, Ban Thường vụ Tỉnh ủy yêu cầu …": the same
    r"|^(?:noi dung )?(?:chi thi|thong tri|cong van|ket luan|thong bao|nghi quyet|van ban)"
    r"(?: so \S+)? neu(?: ro)?,\s+(?=\S)"
    r"|:\s+(?=(?:giao|de nghi|yeu cau|chi dao) )"  # "Về lĩnh vực Tư pháp: Đề nghị UBND tỉnh …"
    # "Kết luận cuộc họp, đồng chí Phó Bí thư yêu cầu: Ban Tuyên giáo … ; Ban cán sự đảng …":
    # the speaker's cue and a colon, then bodies that name themselves
    r"|\b(?:yeu cau|de nghi|giao)\s*:\s+(?=\S)"
    # "… đồng chí chỉ đạo thực hiện tốt một số nội dung … đó là: Các ngành, đoàn thể …"
    r"|\bdo la\s*:\s+(?=\S)"
    # "Về đề nghị bổ sung biên chế giáo viên: Sở Nội vụ nghiên cứu, trả lời …"
    r"|^(?:\d{1,2}[.)] )?ve [^:;]{3,150}:\s+(?=\S)"
    # "…, Thường trực Tỉnh ủy đánh giá cao …, đồng thời giao Ban cán sự đảng …", "Về các dự án
    # trọng điểm, thống nhất giao Ban Quản lý …": the body after "giao" starts the direction
    r"|[,;]\s+(?:dong thoi |thong nhat |nhat tri |va )?(?=giao )"
    # "Ban Thường vụ Tỉnh ủy đồng ý về chủ trương và giao Ban Cán sự Đảng UBND tỉnh …"
    r"|\s+va\s+(?=giao )"
    # "Thời gian … không còn nhiều, do vậy, trong quá trình chuẩn bị …, các Ban … khẩn trương
    # rà soát …": the conclusion after "do vậy" names its own owner
    r"|,\s+(?:do vay|vi vay|do do|vi the|cho nen),\s+(?=\S)"
    # "… đồng chí Chủ tịch … chỉ đạo các chuyên môn … thực hiện tốt các nội dung như: Triển khai
    # …": in a story, the speaker's lead ends at the colon (read only there: ``_clauses``)
    r"|(?:(?<=noi dung )|(?<=nhiem vu )|(?<=cong viec )|(?<=van de ))nhu\s*:\s+(?=\S)"
    # "…, vì vậy các ngành, địa phương cần phối hợp …": the same, no comma before the bodies
    r"|,\s+(?:do vay|vi vay|do do|vi the|cho nen)\s+(?=(?:cac|nhung|toan the) )"
)

# "Về hoàn thiện Đề án: …": a topic label before the direction
_LABEL = re.compile(r"^(?:Về|VỀ) [^:;.]{2,80}:\s+(?=\S)")

# "Sau khi xem xét, Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau:": a lead-in that only opens
_LEAD_IN_END = re.compile(r"(?:nhu sau|chi dao|ket luan|y kien|sau)\s*:?\s*$")


def ends_lead_in(folded: str) -> bool:
    """ "… có ý kiến chỉ đạo như sau:": the folded sentence only leads in to what follows."""
    return bool(_LEAD_IN_END.search(folded))


# "…; phòng NN&PTNT tham mưu …": a body's head word written in lower case before its name
_LOWER_HEAD = re.compile(
    r"(?:phòng|sở|ban|trung tâm|văn phòng) [A-ZĐ]"
    r"|(?:hai|ba|bốn) (?:ban|phòng|tổ) [A-ZĐ]"  # "…; hai ban HĐND xã tăng cường …"
)

# "Sở A đôn đốc các sở, ngành; UBND các huyện khẩn trương …": the list after ";" is still the
# object of the verb that directs others, not a new clause with its own owner.
_DIRECTS = re.compile(r"^(?:don doc|chi dao|huong dan|yeu cau|de nghi) ")

# "định kỳ báo cáo Ủy ban nhân dân tỉnh …": a periodic duty, its period said or not
_PERIODIC_DUTY = re.compile(r"^(?:[^;,]{0,30} )?dinh ky\b")

# The issuer's standing committee or its standing members, never the whole "Ban Chấp hành"
_STANDING = re.compile(r"^(?:ban thuong vu|ban thuong truc|thuong truc|thuong vu)\b")

# "Nghe báo cáo … (Ban Tổ chức Tỉnh ủy chủ trì chuẩn bị).": a work programme's item, the body
# that prepares it in brackets at its end
_PREPARED_BY = re.compile(
    r"^(?P<work>.+?)\s*\((?P<who>[^()]{5,160}?)\s+chuẩn bị\)\s*(?P<end>[.;]?)$"
)


def preparer_first(clause: str) -> str:
    """ "Cho ý kiến về Đề án … (Ban cán sự đảng UBND tỉnh chuẩn bị)." → "Ban cán sự đảng UBND
    tỉnh chuẩn bị cho ý kiến về Đề án …": the body that prepares it is its owner."""
    prepared = _PREPARED_BY.match(clause)
    if prepared is None or not _starts_org(prepared["who"]):
        return clause
    work = prepared["work"].strip(" ,")
    return f"{prepared['who']} chuẩn bị {work[:1].lower()}{work[1:]}{prepared['end']}"


# "Riêng các bộ Công an, …; UBND TP Hà Nội, Thủ tướng yêu cầu có báo cáo hỏa tốc …": bodies
# set apart before the speaker's cue, which names no one after it
_SET_APART = re.compile(
    r"^(?P<mark>\W*)(?P<head>Riêng|RIÊNG|Đối với riêng|Đối với)\s+"
    r"(?P<who>(?:[^.]|\.(?=\S)){3,240}?),\s+"
    r"(?P<speaker>(?:(?:Phó )?Thủ tướng(?: Chính phủ)?|(?:Phó )?Chủ tịch [^,;.]{2,50}?"
    r"|(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) [^,;.]{2,40}?|Bộ trưởng [^,;.]{2,50}?))\s+"
    r"(?P<cue>yêu cầu|đề nghị|giao|chỉ đạo)\s+(?P<rest>.+)$",
    re.DOTALL,
)


# "Đối với Sở Y tế, …", "Đối với các sở, ngành, …": bodies, never "Đối với các dự án …"
_BODIES_SET_APART = re.compile(
    r"(?:Sở|Bộ|UBND|Ủy ban|Uỷ ban|Công an|Ban|Phòng|Văn phòng|Cục|Chi cục)\b"
    r"|các (?:sở|bộ|ban|ngành|huyện|xã|địa phương|cơ quan|đơn vị|UBND|Ủy ban)\b"
)


def set_apart_first(clause: str) -> str:
    """ "Riêng Sở Y tế, Công an tỉnh, Chủ tịch UBND tỉnh yêu cầu có báo cáo …" → "Chủ tịch
    UBND tỉnh yêu cầu Sở Y tế, Công an tỉnh có báo cáo …": the bodies set apart are the cue's
    addressees (a cue that names its own, "… yêu cầu Sở X …", is left as it is)."""
    apart = _SET_APART.match(clause)
    if apart is None or not _starts_org(apart["who"]) or _starts_org(apart["rest"]):
        return clause
    if apart["head"] == "Đối với" and not _BODIES_SET_APART.match(apart["who"]):
        return clause  # "Đối với các dự án chậm tiến độ, UBND tỉnh yêu cầu …": a case, no body
    # "yêu cầu có báo cáo hỏa tốc …": the bodies' report
    rest = re.sub(r"^có (?=(?:báo cáo|văn bản|kế hoạch|ý kiến)\b)", "", apart["rest"])
    return f"{apart['mark']}{apart['speaker']} {apart['cue']} {apart['who']} {rest}"


# "Quý 1 năm 2026 hoàn thành phê duyệt …; 6 tháng đầu năm 2026 hoàn thành rà soát …": a date
# that opens a step, before its verb
_FRONT_DATE = re.compile(
    r"(?:^|(?<=[;:] ))(?P<date>(?:Quý|quý|QUÝ) (?:[IVX]{1,4}|[1-4])(?:/\d{4}| năm \d{4})?"
    r"|(?:6|[Ss]áu) tháng (?:đầu|cuối) năm \d{4}|[Tt]háng \d{1,2}(?:/\d{4}| năm \d{4})"
    r"|[Nn]ăm \d{4}),?\s+(?P<step>(?:hoàn thành|hoàn tất|xong|tổ chức|triển khai|ban hành"
    r"|tiến hành|thực hiện)\b[^;]*?)(?P<end>[;.]?\s*(?=;|$))"
)


def colon_duties(action: str) -> list[str]:
    """ ": chủ trì …; chỉ đạo … trước ngày 10/4/2024; định kỳ báo cáo …" → its duties (a ";"
    inside brackets does not cut)."""
    text = action.strip()
    if not text.startswith(":") or ";" not in text:
        return []
    return [d.strip(" .") for d in speech.semicolon_parts(text[1:]) if len(d.split()) >= 2]


# A timetable line: "- Trước ngày 15/4/2027: các chi bộ hoàn thành …", "- Tháng 5/2027: Ban Tổ
# chức …", "- Từ ngày 01/6 đến ngày 30/6/2027: …": the date, a colon, then who does what
_DAY = r"\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{4})?"

_TIMETABLE = re.compile(
    r"^(?P<date>(?:(?:[Tt]rước|[Cc]hậm nhất|[Tt]rong) )?(?:ngày " + _DAY + r"|(?P<bare>(?:[Tt]háng "
    r"\d{1,2}|[Qq]uý (?:[IV]{1,3}|[1-4]))(?:[/.-]\d{4}| năm \d{4})?))"
    r"|[Tt]ừ ngày \d{1,2}(?:[/.-]\d{1,2})?(?:[/.-]\d{4})? đến (?:ngày )?"
    + _DAY
    # "- Từ ngày 05/02/2026 - 08/02/2026: …": the span with a dash
    + r"|(?P<dash>[Tt]ừ ngày "
    + _DAY
    + r") ?[-–] ?(?:ngày )?(?P<last>"
    + _DAY
    + r")"
    # "- Từ ngày 04/02/2026: X họp …" before "- Từ ngày 05/02/2026 …": the step's own day
    + r"|[Tt]ừ (?P<day>ngày "
    + _DAY
    + r"))"
    r"\s*:\s+(?P<rest>\S.*?)(?P<end>[.;]?)$"
)

# "Giao Sở A, Sở B chủ trì … xây dựng quy trình …, cụ thể:" then "- Sở A đối với thủ tục số 03;":
# the lead's work shared out, each line naming the body that does it and the part it does
_SHARED_LEAD = re.compile(r",?\s*(?:cụ thể(?: như sau)?|như sau)\s*:\s*$", re.IGNORECASE)
_SHARE_LINE = re.compile(r"^(?P<body>[A-ZĐ][^,;:()]{2,80}?)\s+(?P<part>đối với\s.+)$")


def shared_lead(lead: str) -> str | None:
    """ "xây dựng quy trình nội bộ …, cụ thể:" → the work the lines below share out."""
    found = _SHARED_LEAD.search(lead)
    return lead[: found.start()].strip(" ,") if found else None


def share_line(line: str) -> re.Match[str] | None:
    """ "Sở Tài chính đối với thủ tục hành chính số 03 …": a body and its part, no verb."""
    found = _SHARE_LINE.match(line.strip())
    if found is None or not _starts_org(found["body"]) or _VERB_AT.search(found["body"]):
        return None
    return found


# "Trong đó, một số nhiệm vụ nổi bật như:", "Cụ thể:": the label of the list of steps after it
_LIST_LABEL = re.compile(r"^(?:trong do|cu the)\b[^:;.]{0,60}:\s*(?=\S)")


def duty_steps(action: str) -> list[str]:
    """An undated duty cut at ";" where each part opens with its own verb ("chăm lo …;
    chú ý …"), never where a part only goes on with a list ("…; hộ nghèo, người có công")."""
    label = _LIST_LABEL.match(_aligned_fold(action))
    if label:  # "Trong đó, một số nhiệm vụ nổi bật như: Chỉ đạo …; tổ chức …"
        action = action[label.end() :]
    parts = [p.strip(" ,") for p in action.split(";")]
    if len(parts) < 2 or not all(len(p.split()) >= 3 and _VERB_AT.match(p) for p in parts[1:]):
        return [action]
    return [p for p in parts if p]


# "…, nhất là …", "tuyên truyền về A, B, C", "các nội dung như: …": words after which the parts
# between commas are the objects of one step, never steps of their own
_LISTS_OBJECTS = re.compile(
    r"(?<!\w)(?:ve|nhu|gom|bao gom|la|nhat la|dac biet la|trong do|ke ca|doi voi"
    # "xử lý nghiêm các trường hợp kinh doanh …, xây dựng công trình trái phép …": the cases
    r"|truong hop|hanh vi|tinh trang)(?!\w)"
)
# Words that say how well, not what: "thống kê đầy đủ", "xử lý kịp thời", "thực hiện tốt"
_MANNER_WORDS = re.compile(
    r"(?<!\w)(?:tot|day du|kip thoi|nghiem tuc|quyet liet|chat che|(?:co )?hieu qua|ngay"
    r"|thuong xuyen|ky luong|ky|dong bo|manh me|triet de|hon nua|lien tuc)(?!\w)"
)
# "xử lý theo thẩm quyền": a verb's manner or place, no object of its own
_PREPOSITION = re.compile(r"^(?:theo|voi|tai|trong|tren|den|tu|bang|o|vao)\b")
# "tiếp thu ý kiến …, hoàn thiện …": comments taken in for the next step, no object of its own
_NO_OWN_OBJECT = re.compile(r"^(?:tiep thu|lang nghe)\b")
# "…, nâng cao thu nhập cho Nhân dân": the aim of the step before it
_AIM_PART = re.compile(
    r"^(?:nang cao|cai thien|on dinh) (?:thu nhap|doi song|sinh ke|chat luong cuoc song)\b"
)
# Where a step may end inside a sentence: a comma, ", đồng thời", ", và" or a bare "và"
_STEP_JOINT = re.compile(r",\s+(?:(?:đồng thời|và)\s+)?|\s+và\s+")


# "theo dõi tình hình sinh trưởng, phát triển của lúa": a verb's word used as a noun before "của"
_OF_NOUN = re.compile(r"\s*\S+(?: \S+)? của\b")
# "…, trình …", "…, báo cáo …": the delivery of the work just named, not a step of its own
_DELIVERY = re.compile(r"^(?:kip thoi |dinh ky )?(?:trinh|gui|nop|bao cao)\b")
# "… để rút ra bài học và xây dựng …", "… nhằm …": a purpose goes on to the end of the duty
_PURPOSE = re.compile(r"(?<![\wÀ-ỹ])(?:để|nhằm)(?![\wÀ-ỹ])", re.IGNORECASE)


# Verbs of work the owner stage need not know (they never end a body's name there), known here
# to tell a verb list ("tăng cường tuần tra, kiểm soát, xử lý …") from a step with an object
_MORE_VERBS = re.compile(
    r"(?:tuần tra|kiểm soát|chỉnh sửa|thống kê|phân loại|công khai|tìm kiếm|loại bỏ|tháo gỡ"
    r"|củng cố|cải tạo|nâng cấp|quản lý|phát triển|chăm lo|chăm sóc|giữ vững|nắm chắc|nắm bắt"
    r"|vận hành|ký|điều chỉnh|kiên quyết|chấn chỉnh|khai thác|bảo vệ|thanh tra|thông báo"
    r"|động viên|có (?:biện pháp|phương án|kế hoạch|văn bản)"
    # the work of records and procedures: "tái cấu trúc quy trình …", "niêm yết công khai …"
    r"|tái cấu trúc|niêm yết|số hóa|chuẩn hóa|ghi chép|tích hợp|bình ổn)(?![\wÀ-ỹ])"
)


def _verb_at(text: str) -> re.Match[str] | None:
    lowered = text[:1].lower() + text[1:]
    return _VERB_AT.match(lowered) or _MORE_VERBS.match(lowered)


# "(hơn nữa) sự …", "công tác …": words that make a verb a noun, no object by themselves
_NOMINAL = re.compile(r"^(?:hơn nữa\s+)?(?:sự|công tác|việc|hoạt động)\s+", re.IGNORECASE)


def _only_verbs(text: str) -> bool:
    """ "sự lãnh đạo", "công tác kiểm tra": the words name only work, no object of their own."""
    rest = _NOMINAL.sub("", text.strip(" ,"))
    while verb := _verb_at(rest):
        rest = re.sub(r"^[\s,]*(?:và\s+|hoặc\s+)?", "", rest[verb.end() :])
    return not rest


def _verb_end(text: str) -> bool:
    """ "báo cáo UBND tỉnh xem xét, giải quyết …": the words end with a verb whose object comes
    after the comma ("tiến độ thực hiện", "tiến độ triển khai" name a pace, no verb list)."""
    words = text.strip(" ,").split()
    for n in (1, 2, 3):
        tail = " ".join(words[-n:]) if len(words) >= n else ""
        found = _verb_at(tail) if tail else None
        if found is not None and found.end() == len(tail):
            return fold(tail) not in ("thuc hien", "trien khai")
    return False


def _has_object(segment: str) -> bool:
    """Whether the words before a comma name what the step works on: "đẩy nhanh tiến độ thực
    hiện" or "hỗ trợ người dân" do; "rà soát", "thực hiện tốt", "tăng cường sự lãnh đạo" or
    "xử lý theo thẩm quyền" (a verb list that shares the next object, a manner) not."""
    rest = segment.strip(" ,")
    if _NO_OWN_OBJECT.search(fold(rest)):
        return False
    while verb := _verb_at(rest):
        rest = re.sub(r"^[\s,]*(?:và\s+|hoặc\s+)?", "", rest[verb.end() :])
    what = _MANNER_WORDS.sub(" ", fold(rest)).split()
    return (
        len(what) >= 2
        and not _PREPOSITION.match(" ".join(what))
        and not _only_verbs(rest)
        and not _verb_end(rest)
    )


def opens_step(part: str) -> bool:
    """ "chuẩn bị tốt …", "quản lý đất đai …": a verb of work opens a step of its own."""
    if _AIM_PART.match(fold(part).strip(" ,")):
        return False
    if own_step(part):
        return True
    plain = _JOIN.sub("", part.strip(" ,."))
    return _MORE_VERBS.match(plain[:1].lower() + plain[1:]) is not None and len(plain.split()) >= 3


def unfinished(step: str) -> bool:
    """ "rà soát công việc, tập trung" where the page stops: its last words are a verb whose
    object was cut off."""
    head, comma, last = step.rpartition(",")
    return bool(comma and head.strip()) and _only_verbs(last)


def comma_steps(duty: str) -> list[str]:
    """A duty cut where a comma (", đồng thời", "và") opens a new step: a verb of work with an
    object of its own after words that have their own ("đẩy nhanh tiến độ giải ngân vốn …, chuẩn
    bị tốt các điều kiện …, kiện toàn bộ máy …" is three duties). Verbs that share one object
    ("rà soát, bổ sung quy hoạch cán bộ"), a list of objects ("tuyên truyền về A, B, C"), how or
    why the work is done ("…, bảo đảm …", "… để …"), its delivery ("…, trình …") and a
    bracket's inside never cut."""
    brackets = [i for i, ch in enumerate(duty) if ch in "()"]
    joints = [
        found
        for found in _STEP_JOINT.finditer(duty)
        if not sum(1 if duty[i] == "(" else -1 for i in brackets if i < found.start())
    ]  # never "(A, B)": inside a bracket
    bounds = [0, *(j.end() for j in joints)]
    parts = [
        duty[a : j.start() if j else len(duty)]
        for a, j in zip(bounds, [*joints, None], strict=True)
    ]
    steps: list[str] = []
    at, joint, segment = 0, "", ""
    for index, found in enumerate([*joints, None]):
        end = found.start() if found else len(duty)
        part = duty[at:end]
        # "…, thường xuyên nắm bắt, theo dõi các thôn …": verbs that share the object after them
        # open one step, as a verb with its object does
        shared = (
            index + 1 < len(parts)
            and _verb_at(part.strip(" ,")) is not None
            and not _has_object(part)
            and len(part.split()) <= 4
            and opens_step(parts[index + 1])
            and _has_object(parts[index + 1])
        )
        if steps and not (
            opens_step(part)
            and (_has_object(part) or shared)
            and not _OF_NOUN.match(part)  # "…, phát triển của lúa": a noun, no step
            and not _OF_NOUN.match(segment)
            and _verb_at(segment.strip(" ,")) is not None  # not an item of a list of objects
            and _has_object(segment)
            and not _DELIVERY.match(fold(part))
            and not _LISTS_OBJECTS.search(fold(steps[-1]))
            and not _PURPOSE.search(steps[-1])
        ):
            steps[-1] = f"{steps[-1]}{joint}{part}"
        else:
            steps.append(part)
        segment = part
        if found:
            at, joint = found.end(), found.group()
    return [s.strip(" ,") for s in steps if s.strip(" ,")]


def front_dates(clause: str) -> str:
    """The clause with each opening date moved after its step ("… hoàn thành phê duyệt …
    trong Quý 1 năm 2026"), so each date closes the step it opens; a timetable line's date
    goes after the duty it times."""
    if _ON in clause or _OFF in clause:
        return clause
    line = _TIMETABLE.match(clause)
    if line:
        when = line["date"][:1].lower() + line["date"][1:]
        if line["bare"] and not when.startswith(("trong", "trước", "chậm")):
            when = f"trong {when}"
        if line["dash"]:
            when = f"{line['dash'][:1].lower()}{line['dash'][1:]} đến ngày {line['last']}"
        if line["day"]:
            when = f"vào {line['day']}"
        return f"{line['rest']} {when}{line['end']}"
    return _FRONT_DATE.sub(lambda m: f"{m['step']} trong {m['date']}{m['end']}", clause)


# "Thực hiện chế độ thông tin, báo cáo theo định kỳ …", "Định kỳ báo cáo kết quả về Sở …": a
# sentence that is the periodic report of the work before it (not a rule: a task of its own)
_PERIODIC_REPORT = re.compile(
    r"^(?:thuc hien )?(?:che do )?(?:thong tin,? )?(?:bao cao (?:theo )?dinh ky|dinh ky bao cao)\b"
)


def periodic_report(folded: str) -> bool:
    """Whether an unowned sentence after a duty is its periodic report."""
    return bool(_PERIODIC_REPORT.match(folded))


class ClauseCutting(OwnerReading, DateReading):
    """The clause and step cutting of ``ProseReader`` (it reads owners and dates to cut)."""

    events: dict[str, Deadline]
    rendering: bool  # a portal's or a newspaper's story (``kind.is_rendering``)

    def _in_order(self, text: str, frame: str) -> tuple[list[str], list[tuple[str, str]]]:
        """A paragraph's clauses as the later stages read them: the closing article left out,
        a date written first moved after its step, the body that prepares an item first, the
        heading's time ``frame`` added to an undated one; with each changed clause as read and
        as written (the proposal keeps the sentence as written)."""
        sentences = [
            c
            for s in _sentences(text)
            if not closing_article(fold(_plain(s)))
            for c in self._clauses(s)
        ]
        written: list[tuple[str, str]] = []  # a clause as read, as written
        for index, clause in enumerate(sentences):
            moved = front_dates(clause)
            moved = preparer_first(moved)  # "… (Ban cán sự đảng UBND tỉnh chuẩn bị)."
            moved = set_apart_first(moved)  # "Riêng X, Thủ tướng yêu cầu có báo cáo …"
            if frame and _plain(moved) and not self._marks(moved):
                moved = f"{moved.rstrip(' .;')}, {frame}."
            if moved != clause:
                written.append((_plain(moved), _plain(clause)))
                sentences[index] = moved
        return sentences, written

    def _clauses(self, sentence: str) -> list[str]:
        """A sentence cut where a clause after ";" names its own owner ("…; Ban Tổ chức
        Huyện ủy tham mưu …; Ủy ban kiểm tra Huyện ủy theo dõi …"), and after an issuer's
        lead-in ("… có ý kiến chỉ đạo như sau: Giao …")."""
        turned = speech.turn(_aligned_fold(sentence)) if self.rendering else None
        if turned:
            # "Thường trực HĐND thành phố đánh giá cao …; đề nghị UBND thành phố …": in a
            # rendering, the speaker's appraisal, then the direction
            addressee, action_at, _ = self._owner(_plain(sentence[turned.end() :]))
            if (addressee.named or addressee.broad) and action_at > 0:
                appraisal = sentence[: turned.start()].strip(" ,;") + "."
                return [appraisal, *self._clauses(sentence[turned.end() :])]
        label = _LABEL.match(sentence)
        if label and _starts_org(sentence[label.end() :]):
            # "Về triển khai thực hiện: Ban cán sự đảng …, Đảng đoàn … lãnh đạo …": the label,
            # then a sentence that names its own owner
            return [label.group().strip(), *self._clauses(sentence[label.end() :])]
        lead_in = _LEAD_IN.search(_aligned_fold(sentence))
        if lead_in and re.match(r",\s+(?:do vay|vi vay|do do|vi the|cho nen)\b", lead_in.group()):
            found, at, _ = self._owner(_plain(sentence[lead_in.end() :]))
            if (found.named or found.broad) and not found.issuer and at > 0:
                lead, rest = sentence[: lead_in.end()].strip(), sentence[lead_in.end() :]
                return [lead, *self._clauses(rest)]
            lead_in = None
        if (
            lead_in
            and re.match(r"nhu\s*:", lead_in.group())
            and not (self.rendering and speech.led_by_speaker(sentence[: lead_in.start()]))
        ):
            lead_in = None  # "… thực hiện các nội dung như: tuyên truyền, …": a list of objects
        if lead_in and not lead_in.group().startswith(
            ("nhu", "chi", "ket", "y ", "noi", "thong", "cong", "nghi", "van")
        ):
            cue = self._cue_at(sentence, lead_in.end()) or self._cue_at(
                sentence, lead_in.end(), ("chỉ đạo",)
            )
            before = _plain(sentence[: lead_in.start()])
            if not _starts_org(sentence[lead_in.end() + cue :], object_of_cue=True):
                lead_in = None  # "Chủ tịch UBND các huyện: Giao Thuỷ, Xuân Trường": names
            elif lead_in.group()[:1] == ":" and cue and self._name_only(before) is not None:
                # "Ủy ban nhân dân các huyện: chỉ đạo Ủy ban nhân dân cấp xã rà soát …": the
                # body before the colon answers for it, the one it directs stands beside it
                lead_in = None
            elif lead_in.group()[:1] in ",;" and _DOCUMENT_NUMBER.search(
                sentence[: lead_in.start()]
            ):
                lead_in = None  # "Ngày 08/4, Văn phòng ban hành Văn bản số 404/…, giao …": told
            elif lead_in.group()[:1] in ",;":
                found, at, _ = self._owner(_plain(sentence[lead_in.end() :]))
                action = fold(_plain(sentence[lead_in.end() :])[at:]).strip()
                named_as = re.search(r"\b(?:la|lam chu)\b", fold(found.text))
                if not found.named or at <= 0 or named_as or action.startswith(("la ", "lam chu")):
                    lead_in = None  # "… đề xuất Trung ương …, giao UBND tỉnh là cơ quan chủ quản"
        if lead_in and lead_in.end() < len(sentence):
            lead, rest = sentence[: lead_in.end()].strip(), sentence[lead_in.end() :]
            return [lead, *self._clauses(rest)]
        for comma in re.finditer(r",\s+", sentence):
            # "… gửi về … trước ngày 10/01/2015, Thường trực Tiểu ban nội dung dự thảo …": a dated
            # step closes at the comma and the next body starts its own
            following = sentence[comma.end() : comma.end() + 4].lstrip(_ON + _OFF)
            if not following[:1].isupper():
                continue  # cheap test first: the look-back below reads the whole prefix
            rest = _plain(sentence[comma.end() :])
            if not (rest[:1].isupper() and _starts_org(rest)):
                continue
            # a date that ends at the comma lies in the prefix's last words: reading only
            # those keeps a long list of names linear
            from_at = sentence.find(" ", comma.start() - 400) + 1 if comma.start() > 400 else 0
            before = _plain(sentence[from_at : comma.start()])
            dated = [m for m in self._marks(before) if m.end >= len(before) - 2]
            step = before[before.rfind(";") + 1 : dated[0].start] if dated else ""
            if len(step.split()) >= 3:
                owner, action_at, _ = self._owner(rest)
                if owner.named and not owner.issuer and action_at > 0:
                    done = sentence[: comma.start()].strip() + "."
                    return [*self._clauses(done), *self._clauses(sentence[comma.end() :])]
        if ";" not in sentence:
            return [sentence]
        head, _, _ = self._owner(_plain(sentence))
        if not (head.named or head.broad) or head.issuer:
            return [sentence]  # a narrative ("Dự hội nghị có …; …") or a list of steps
        out: list[str] = []
        at = 0
        for semi in re.finditer(";", sentence):
            rest = _plain(sentence[semi.end() :])
            owner, action_at, adverbial = self._owner(rest)
            opens = bool(adverbial) or (rest[:1].isupper() and _starts_org(rest))
            opens = opens or bool(re.match(r"(?:cấp|các) [A-ZĐ]", rest) and owner.named)
            opens = opens or congress_schedule(rest)  # "…; đại hội đảng bộ cơ sở hoàn thành …"
            # "…; Đồng thời Thường trực hướng dẫn …": a lead word, then the body that goes on
            opens = opens or (owner.named and bool(_LEAD_WORD.match(_aligned_fold(rest))))
            if not opens and _LOWER_HEAD.match(rest):
                # "…; phòng NN&PTNT tham mưu …": a body's head word in lower case, then its name
                owner, action_at, _ = self._owner(rest[:1].upper() + rest[1:])
                opens = owner.named
            # the clause before must hold its own action: "giao Chủ tịch UBND các huyện: A, B;
            # Giám đốc Sở … thực hiện" is one owner list, not two clauses
            before = _plain(sentence[at : semi.start()])
            before_at = self._owner(before)[1]
            closed = before_at > 0 and not self._directs(before[before_at:].strip())
            closed = closed or congress_schedule(re.sub(r"^[^,;]{3,30}, ", "", before))
            owner = self._issuer_duty(owner, rest, action_at) or owner
            # "… đối với các bộ …; Hội đồng nhân dân cấp tỉnh, cấp xã (…), gửi Ban Tổ chức …": a
            # comma before the verb closes a list of the sentence's objects, no owner of its own
            opens = opens and not rest[:action_at].rstrip().endswith(",")
            acts = action_at > 0 or congress_schedule(rest)  # a congress: its words are the work
            if opens and closed and owner.named and not owner.issuer and acts:
                out.append(sentence[at : semi.start()].strip() + ".")
                at = semi.end()
        out.append(sentence[at:].strip())
        return [c for c in out if c]

    def _owner_after_frame(self, plain: str) -> _Owner | None:
        """ "Quán triệt …; căn cứ vào phương hướng …, Văn phòng Trung ương Đảng và các văn phòng
        tỉnh uỷ, thành uỷ cụ thể hoá …, cần tập trung một số nhiệm vụ trọng tâm sau:": a lead
        whose frame comes first names its owner after a comma."""
        for comma in re.finditer(r",\s+", plain):
            rest = plain[comma.end() :]
            if not (rest[:1].isupper() and _starts_org(rest)):
                continue
            found, at, _ = self._owner(rest)
            if found.named and not found.issuer and at > 0:
                return found
        return None

    def _issuer_duty(self, owner: _Owner, plain: str, action_at: int) -> _Owner | None:
        """ "Ban Thường vụ Thành ủy hoàn thành kiểm điểm xong trong tháng 1/2014": the issuer's
        own standing committee with dated work of its own owns it (the office prepares it);
        the issuer that only assigns, narrates or has no date stays no owner."""
        if not owner.issuer or not owner.text or action_at <= 0:
            return None
        if not _STANDING.match(fold(owner.text)) or not self._marks(plain[action_at:]):
            return None
        found = self.units.resolve(owner.text)
        if not (found.units or found.unknown):
            found = Resolution(unknown=(owner.text.strip(" ,"),))
        return _Owner(owner.text, found)

    @staticmethod
    def _directs(action: str) -> bool:
        """ "đôn đốc các sở, ngành liên quan": a verb that directs others, then only them."""
        verb = _DIRECTS.match(_aligned_fold(action))
        return verb is not None and _starts_org(action[verb.end() :], object_of_cue=True)

    def _spoken_steps(self, action: str, cut: bool = False) -> list[str]:
        """A speaker's direction cut at ";" and at commas into the steps that open with their own
        verb ("cần quan tâm …; chuẩn bị tốt …, nâng cao …"); a charge stays with the step before
        it, an exhortation ("đoàn kết, thống nhất … hoàn thành tốt nhiệm vụ đề ra") is no step,
        nor (``cut``: the page stops in this sentence) a last step cut before its object."""
        steps: list[str] = []
        for step in self._standalone(speech.semicolon_parts(action)) or [action]:
            detailed = bool(steps) and bool(re.search(r",\s+trong đó\b", steps[-1]))
            if steps and (speech.charge(step) or detailed):
                # "… triển khai những nhiệm vụ …, trong đó tập trung …; triển khai …": the steps
                # after "trong đó" detail the duty, none is a task of its own
                steps[-1] = f"{steps[-1]}; {step}"
            else:
                steps.append(step)
        steps = [piece for step in steps for piece in comma_steps(step)]
        if cut and len(steps) > 1 and unfinished(steps[-1]):
            steps.pop()  # "…, rà soát công việc, tập trung" where the page stops
        return [s for s in steps if not aim(fold(s).strip(" ,;")) and not any_work(fold(s))]

    def _standalone(self, duties: list[str]) -> list[str]:
        """The duties of a colon list ("Ban Tuyên giáo: Tham mưu tổ chức hội nghị; biên soạn tài
        liệu …, phát hành trước ngày 20/4/2026"): each step that opens with its own verb is a
        task, with its own date or none; a part that only goes on with a list, or says how the
        work is done, stays with the step before. None when there is one step."""
        out: list[str] = []
        for duty in duties:
            own = opens_step(duty) or bool(self._marks(duty))
            own = own or bool(_PERIODIC_DUTY.match(fold(duty)))
            own = own or event_for(self.events, duty) is not None
            if out and not own:  # "…; hộ nghèo, người có công": the list goes on
                out[-1] = f"{out[-1]}; {duty}"
            elif len(out) == 1 and ";" not in out[0] and not own_step(out[0]):
                # "Phụ trách chung, chịu trách nhiệm trước …; chủ động kiểm tra …": a charge with
                # no work of its own opens the first step
                out[0] = f"{out[0]}; {duty}"
            else:
                out.append(duty)
        return out if len(out) > 1 else []
