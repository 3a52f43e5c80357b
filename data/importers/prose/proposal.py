"""Stage 5, proposal: an owner, the action's steps and their deadlines as ``ParsedItem``s.

Every proposal has status "proposed" and keeps its sentence verbatim in ``source_text``;
nothing is sent until the office accepts it. A direction with an owner and no date is
proposed as ongoing ("thường xuyên") or needing a date, flagged for the office; a closing
sentence ("Thời gian hoàn thành: …") dates the task before it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from data.deadlines import Deadline, DeadlineKind
from data.importers.interpret import ParsedItem
from data.importers.prose.dates import (
    _ONGOING_WORDS,
    NO_PERIOD_NOTE,
    _Mark,
    at_each_session,
    period_unsaid,
)
from data.importers.prose.owner import _NARRATIVE, _VERB_AT, _Owner
from data.text import clean, fold
from data.units import UnitRegistry

PROPOSED = "proposed"  # data.domain.TaskStatus.PROPOSED
APPENDIX = "Văn bản"  # ``ParsedItem.appendix`` of a task read from the text

# The document a sentence asks for ("ban hành Kế hoạch …", "xây dựng Đề án …"): its
# product, shown beside the task and asked for with the /done (as a table's "Sản phẩm").
_PRODUCTS = {
    "ke hoach": "Kế hoạch",
    "bao cao": "Báo cáo",
    "de an": "Đề án",
    "quyet dinh": "Quyết định",
    "chuong trinh": "Chương trình",
    "quy che": "Quy chế",
    "quy dinh": "Quy định",
    "nghi quyet": "Nghị quyết",
    "chi thi": "Chỉ thị",
    "huong dan": "Hướng dẫn",
    "to trinh": "Tờ trình",
}
_PRODUCT = re.compile(
    r"\b(?:ban hanh|xay dung|trinh|soan thao|du thao|hoan thien)\s+(" + "|".join(_PRODUCTS) + r")\b"
)


def product_named(title: str) -> str:
    """The document a proposal's words ask for ("Kế hoạch"), or "" when none is named."""
    match = _PRODUCT.search(fold(title))
    return _PRODUCTS[match.group(1)] if match else ""


# "… và báo cáo kết quả …", ", tổng hợp, báo cáo …" before a periodic date
_AND_REPORT = re.compile(r",? và (?=(?:tổng hợp(?:,| và)? )?báo cáo\b)")
_REPORT_STEP = re.compile(r"(?:tổng hợp(?:,| và)? )?(?:báo cáo|trình)\b")
_STEP_VERB = re.compile(r",?\s*\b(?:trình|báo cáo|gửi|nộp|ban hành|hoàn thành|tổ chức)\b")
# "Văn phòng Tỉnh ủy theo dõi, đôn đốc; định kỳ … báo cáo": the watching is the report's
_ONLY_WATCH = re.compile(
    r"^(?:chu tri,? )?(?:phoi hop (?:voi|cung) [^;]{0,60}? )?"
    r"(?:(?:huong dan|theo doi|don doc|kiem tra|giam sat)(?:,| va)? ?)+"
    r"(?:(?:viec )?thuc hien\b.*"
    # "theo dõi, đôn đốc các cơ quan, đơn vị triển khai thực hiện Kế hoạch này": the same watch
    r"|[^;]{0,80}?\btrien khai(?: thuc hien)? (?:ke hoach|chi thi|ket luan|nghi quyet|de an)"
    r"(?: nay)?)?$"
)


# "định kỳ báo cáo …" with no period after it ("định kỳ hằng quý", "định kỳ 6 tháng" are read)
_NO_PERIOD = re.compile(
    r"^(?:[^;,]{0,60} )?dinh ky(?! (?:hang|moi|\d|sau|ba|hai|mot|truoc|vao|tu)\b)"
    r"(?!.*\b(?:thuong xuyen|lien tuc)\b)"
    # "… báo cáo … về Ban Thường trực … định kỳ và đột xuất.": periodic, the period unsaid
    r"|\bdinh ky (?:va|hoac) (?:dot xuat|khi co yeu cau)\b"
    # "Thực hiện chế độ thông tin, báo cáo theo định kỳ của Chương trình.": the same
    r"|\bbao cao (?:theo )?dinh ky\b(?! (?:hang|moi|\d|sau|ba|hai|mot|truoc|vao|tu)\b)"
)
# "…; đồng thời rà soát …" after the last date: another duty with no date of its own
_ALSO = re.compile(r"^\s*[;,]\s*(?:đồng thời|ngoài ra|bên cạnh đó)\s*,?\s+(?=\w)", re.IGNORECASE)
# "… sơ tán người dân trước ngày 22/11/2026; bố trí lực lượng canh gác …": in a news story, after
# the last date a ";" and a verb of work open a step of its own, undated
_NEXT_STEP = re.compile(
    r"^\s*;\s*(?=(?:bố trí|chuẩn bị|xây dựng|triển khai|rà soát|tuyên truyền|hướng dẫn"
    r"|tổ chức|kiểm tra|tham mưu|vận động)\s)"
)


# "…; bảo đảm an toàn …", "…; tránh lãng phí", "…; nhằm …": a part that only says how or why
# the work before it is done, no step of its own
_MANNER = re.compile(
    r"^(?:bao dam|dam bao|tranh|nham|de|gop phan|khong de|huong toi|tao dieu kien"
    r"|phat huy (?:quyen|vai tro|tinh than|truyen thong))\b"  # "…; phát huy quyền và nghĩa vụ …"
)
# "…; đồng thời rà soát …": the joining word before a step of its own
_JOIN = re.compile(r"^(?:đồng thời|ngoài ra|bên cạnh đó|sau đó)\s*,?\s+", re.IGNORECASE)


def own_step(part: str) -> bool:
    """Whether a part after ";" is a step of its own: it opens with a verb of work ("biên soạn
    tài liệu …", "đồng thời rà soát …"), not a list going on ("…; hộ nghèo, người có công"),
    a state ("…; là …") or how or why the work is done ("…; bảo đảm …", "…; tránh …")."""
    piece = _JOIN.sub("", part.strip(" ,."))
    verb = _VERB_AT.match(piece[:1].lower() + piece[1:])
    return (
        verb is not None
        and verb.group(0) not in _NARRATIVE
        and len(piece.split()) >= 3
        and not _MANNER.match(fold(piece))
    )


# "chủ trì phối hợp với các thành viên … thực hiện các nhiệm vụ liên quan đến tuyên truyền …":
# whatever work comes under a heading, nothing a clerk can track
_ONLY_RELATED = re.compile(
    r"^(?:chu (?:dong|tri),? )?(?:phoi hop (?:voi|cung) [^;]{0,80}? )?"
    r"(?:trien khai,? )?thuc hien (?:cac |nhung )?(?:nhiem vu|cong viec|viec) (?:co )?lien quan\b"
)


def _semicolon_steps(text: str) -> list[str]:
    """ "khởi động lại …; hoàn thiện pháp lý …; khởi công …": the steps of a story's sentence cut
    at ";" where each part opens with its own verb of work (a part that does not goes on with
    the one before); a last part that reports or delivers the work ("…; báo cáo … trước ngày
    …") is that work's, never cut off."""
    steps: list[str] = []
    for part in (p.strip(" ,.") for p in text.split(";")):
        if steps and (not own_step(part) or _REPORT_STEP.match(part) or delivery_line(fold(part))):
            steps[-1] = f"{steps[-1]}; {part}"
        elif part:
            steps.append(part)
    return steps or [text]


# "báo cáo kết quả (về …)": the report of the work just named, not a deliverable of its own
_RESULTS_REPORT = re.compile(r"^bao cao ket qua(?: xu ly| kiem tra| thuc hien)?(?: ve| cho| len)\b")


def _one_report(action: str, steps: list[_Mark]) -> list[_Mark]:
    """ "báo cáo … định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/11)": two
    periods of one report are one step (the first period kept, the other noted)."""
    out: list[_Mark] = []
    for mark in steps:
        last = out[-1] if out else None
        between = action[last.end : mark.start] if last else ""
        if (
            last is not None
            and last.deadline.kind is DeadlineKind.RECURRING
            and mark.deadline.kind is DeadlineKind.RECURRING
            and re.fullmatch(r"[\s,]*(?:và|hoặc)?\s*", between)
        ):
            note = f"Văn bản còn ghi «{mark.deadline.raw}»."
            kept = replace(last.deadline, note=" ".join(filter(None, (last.deadline.note, note))))
            out[-1] = _Mark(last.start, mark.end, kept)
            continue
        out.append(mark)
    return out


# An action that only says "carry it out" ("Giám đốc Sở … triển khai thực hiện."): a pointer
# to the task already proposed, not another one.
_DOCUMENT_WORD = (
    r"(?:nghi quyet|quyet dinh|chi thi|ke hoach|ket luan|thong bao|cong van|van ban"
    r"|chuong trinh|quy dinh|quy che|de an)"
)
_ONLY_CARRY_OUT = re.compile(
    # "Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết.": the closing article
    r"^(?:khan truong |nghiem tuc )?(?:(?:trien khai|to chuc),? )*(?:thuc hien|thi hanh)"
    r"(?: nghiem tuc| nghiem)?(?: (?:(?:noi dung|van ban|y kien) (?:nay|tren)"
    r"|(?:cac noi dung |noi dung )?" + _DOCUMENT_WORD + r"(?: nay| tren)?))?"
    r"(?: tren dia ban(?: \w+)?)?[ ./]*$"  # "… thực hiện Quy định này trên địa bàn."
    # "Đề nghị các tổ chức thành viên nghiêm túc thực hiện, bảo đảm tiến độ, chất lượng theo kế
    # hoạch./": the closing exhortation, no work of its own
    r"|^(?:khan truong |nghiem tuc )?(?:trien khai |to chuc )?thuc hien(?: nghiem tuc)?,? "
    r"(?:bao dam|dam bao) (?:dung )?(?:tien do|chat luong|hieu qua|thoi gian)\b[^;]{0,60}$"
    # "Thực hiện các nhiệm vụ khác có liên quan khi được Trưởng ban phân công": whatever comes,
    # nothing a clerk can track
    r"|^(?:thuc hien|lam|giai quyet) (?:cac |nhung )?(?:nhiem vu|cong viec|viec) khac\b[^;]{0,90}$"
    # "Tổ công tác tự giải thể sau khi hoàn thành nhiệm vụ": no task of its own
    r"|^hoan thanh (?:tot )?(?:cac )?nhiem vu(?: duoc giao)?[ ./]*$"
    # "… trong thời gian tới cần tập trung cao hơn nữa để thực hiện các nhiệm vụ nghiêm túc, đầy
    # đủ, … theo kế hoạch … đề ra": an exhortation over every duty, no work of its own
    r"|^(?:trong )?(?:thoi gian toi,? )?(?:can |phai )?tap trung (?:cao hon nua |cao do |hon nua )?"
    r"(?:de )?(?:thuc hien|hoan thanh) (?:tot |nghiem tuc )?(?:cac |nhung )?nhiem vu"
    r"(?: (?:nghiem tuc|day du|co hieu luc|hieu luc|hieu qua|duoc giao|de ra|theo ke hoach)\b"
    r"[^;]{0,100})?[ ./]*$"
    # "Giao Thường trực HĐND … giám sát thực hiện Nghị quyết.", "Giao Văn phòng theo dõi, đôn
    # đốc các đơn vị thực hiện nội dung Thông báo này": the closing article again (a plan's
    # "Ủy ban Kiểm tra theo dõi, kiểm tra, giám sát việc thực hiện Kế hoạch này" is a duty)
    r"|^(?:tham gia |phoi hop )?"
    r"(?:giam sat|theo doi,? (?:va )?don doc|don doc,? (?:va )?theo doi|theo doi|don doc)"
    r" (?:(?:cac|nhung) [^;.]{0,40}? )?(?:viec )?(?:thuc hien|trien khai)(?: thuc hien)?"
    r" (?:(?:cac )?noi dung )?" + _DOCUMENT_WORD + r"(?: ket luan)?(?: nay| neu tren| tren)?[ ./]*$"
    # "… theo chức năng, nhiệm vụ lãnh đạo triển khai thực hiện Đề án sau khi được ban hành."
    r"|^(?:lanh dao,? (?:chi dao )?|chi dao )?(?:to chuc )?trien khai(?: thuc hien)? (?:de an"
    r"|nghi quyet|chi thi|ke hoach|ket luan|chuong trinh)(?: nay)?(?: sau khi (?:duoc )?"
    r"(?:ban hanh|phe duyet))?[ ./]*$"
)


def _bare_duty(folded: str) -> str:
    """The folded action without "theo chức năng, nhiệm vụ (được giao)" before its verb."""
    return re.sub(r"^\s*(?:theo|can cu) chuc nang,? nhiem vu(?: duoc giao)?,?\s*", "", folded)


def _split_lead(first: str) -> tuple[str, str]:
    """ "Hoàn thiện điều chỉnh Quy hoạch tỉnh, trình Ban Thường vụ …" → the work, the step."""
    # "có trách nhiệm ban hành …; chủ trì …": the duty words are no work of their own
    first = re.sub(r"^\s*(?:có|chịu) (?:trách nhiệm|nhiệm vụ)\s*:?\s+", "", first)
    matches = list(_STEP_VERB.finditer(first))
    if not matches or matches[-1].start() == 0:
        return "", first
    last = matches[-1]
    return first[: last.start()].strip(" ,;"), first[last.start() :].strip(" ,;")


def _title(text: str, context: str) -> str:
    # "Thứ hai, lấy ý kiến …": the ordinal only counts the duties
    text = re.sub(
        r"^(?:thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)|một là|hai là|ba là)"
        r"\s*[,:]\s*",
        "",
        clean(text),
        flags=re.IGNORECASE,
    )
    text = re.sub(r"\s*\(\s*\)", "", text)  # the brackets a deadline was read from
    text = re.sub(r"^(?:có|chịu) (?:trách nhiệm|nhiệm vụ)\s*:?\s+", "", clean(text).strip(" ,;:."))
    text = re.sub(r"^(?:cần|phải)\s+(?=\S+ )", "", text)  # "… cần tập trung …": the duty's verb
    text = re.sub(r"\s+([,;.])", r"\1", text)
    text = re.sub(r"([,;])\1+", r"\1", text)
    if context:
        text = f"{context}, {text}"
    return text[:1].upper() + text[1:]


def _year_of_object(
    action: str, pieces: list[str], steps: list[_Mark]
) -> tuple[list[str], list[_Mark]]:
    """ "hoàn thành dự toán thu năm 2026 trước ngày 25/12/2026": a bare year right before an
    exact date of that year names what is done (the year's budget), not a step of its own."""
    out_pieces: list[str] = []
    out_steps: list[_Mark] = []
    carry = ""
    for i, (piece, mark) in enumerate(zip(pieces, steps, strict=True)):
        later = steps[i + 1] if i + 1 < len(steps) else None
        year, exact = mark.deadline, later.deadline if later else None
        if (
            later is not None
            and exact is not None
            and not re.sub(r"[\W_]+", "", pieces[i + 1])
            and re.match(r"nam \d{4}$", fold(year.raw).strip())
            and year.due is not None
            and exact.kind is DeadlineKind.DUE
            and exact.due is not None
            and exact.due.year == year.due.year
        ):
            carry = f"{carry}{piece}{action[mark.start : mark.end]}"
            continue
        out_pieces.append(carry + piece)
        out_steps.append(mark)
        carry = ""
    return out_pieces, out_steps


# A sentence that only dates the task before it.
_CLOSING = re.compile(
    r"^(?:thoi (?:gian|han)(?: (?:hoan thanh|thuc hien|bao cao))?\b(?! toi)|viec nay\b"
    r"|yeu cau (?:hoan (?:thanh|thien)|gui|nop|bao cao)\b|bao cao yeu cau\b"
    r"|han (?:hoan thanh|chot)|hoan thanh (?:truoc|trong|cham nhat)|tien do\b"
    # "Số liệu phải được gửi về Bộ Nội vụ trước 30/8.": the product of the step before, its
    # delivery and its date
    r"|(?:so lieu|ket qua|ho so|san pham|danh sach|bao cao)(?: \w+){0,3}? (?:phai|can)"
    r" (?:duoc )?(?:gui|nop|trinh|chuyen)\b)"
)


def dates_the_task_before(folded: str) -> bool:
    """ "Thời gian hoàn thành: trước ngày 10/11/2026.", "Việc này cần xong trước …": a
    sentence that only dates the task before it."""
    return bool(_CLOSING.match(folded))


# A sentence with no owner that delivers the work of the one before ("Trình UBND tỉnh …").
_DELIVERY = re.compile(
    r"^(?:trinh|gui|nop|bao cao|ket qua (?:thuc hien )?(?:bao cao|gui|trinh))\b"
)  # "Kết quả báo cáo về Đảng ủy xã chậm nhất ngày 25/10/2025.": the delivery, its date


def delivery_line(folded: str) -> bool:
    """ "Trình UBND tỉnh trước ngày …": the delivery of the work before, with its date."""
    return bool(_DELIVERY.match(folded))


# "…, việc xác minh và trả lời … phải được tiến hành xong": when work already given is due
_WORK_DUE = re.compile(
    r"\bviec (?P<work>[^;.]{6,200}?) (?:phai|can) (?:duoc )?(?:tien hanh |thuc hien |giai quyet )?"
    r"(?:xong|hoan thanh|hoan tat|ket thuc)\b"
)


class Proposing:
    """The proposal stage of ``ProseReader``."""

    units: UnitRegistry
    items: list[ParsedItem]
    _keys: Counter[str]
    rendering: bool  # a portal's or a newspaper's story (no document kind in its heading)

    def _purpose_owner(self, step: str, said: str = "") -> tuple[_Owner, str] | None:
        """A later step handed to another body ("để Ban Tuyên giáo Tỉnh ủy tổng hợp, trình
        …"): that body and its work (read by the owner stage; none here)."""
        return None

    def _close(self, item: ParsedItem, plain: str, marks: list[_Mark]) -> None:
        """A closing sentence gives the task before it its date ("Việc này cần thực hiện
        chậm nhất trước 15/9", "Yêu cầu hoàn thiện gửi … trước ngày 20/7/2018")."""
        item.source_text = f"{item.source_text} {plain}"
        if not marks or item.deadline.kind.is_dated:
            return
        old = item.deadline.note or ""
        item.deadline = marks[-1].deadline
        note = item.review_note.replace(old, "").strip() if old else item.review_note
        if not item.deadline.kind.is_dated and item.deadline.note:
            note = f"{note} {item.deadline.note}".strip()
        item.review_note = note

    def _dates_the_work_above(
        self, plain: str, marks: list[_Mark], section: tuple[str, ...]
    ) -> bool:
        """ "Chậm nhất là ngày 08/02/2026, việc xác minh và trả lời … phải được tiến hành xong":
        a deadline for work the items above already gave (the same section, undated), named by
        its first words; they take the date and the sentence is no task of its own."""
        said = _WORK_DUE.search(fold(plain))
        if said is None:
            return False
        key = " ".join(said["work"].split()[:4])
        above = [
            i
            for i in self.items
            if i.section == section and not i.deadline.kind.is_dated and key in fold(i.title)
        ]
        for item in above:
            self._close(item, plain, marks)
        return bool(above)

    def _propose(
        self,
        owner: _Owner,
        action: str,
        adverbial: str,
        steps: list[_Mark],
        source: str,
        line: int,
        ref: str,
        section: tuple[str, ...],
        period: str,
        *,
        inherited: bool,
    ) -> ParsedItem:
        context = adverbial.strip(" ,") if fold(adverbial).startswith("doi voi") else ""
        context = re.sub(r"\s+thì$", "", context)  # "Đối với các xã thì Ban …": the case
        titles: list[tuple[str, Deadline, _Owner]] = []
        if not steps:
            titles.append((_title(action, context), self._undated(source, period, action), owner))
        else:
            steps = _one_report(action, steps)
            pieces: list[str] = []
            at = 0
            for mark in steps:
                pieces.append(action[at : mark.start])
                at = mark.end
            tail = action[at:].strip(" ,;.")
            also, later = _ALSO.match(action[at:]), ""
            if also is None and self.rendering:  # an official text's tail says how, as a rule
                also = _NEXT_STEP.match(action[at:])
                semi_next = re.match(r"\s*;\s*", action[at:])
                if also is None and semi_next and own_step(action[at + semi_next.end() :]):
                    also = semi_next  # "…; khởi công tuyến metro số 2; …": any verb of work
            if also:  # "… trước ngày 30/6/2025; đồng thời rà soát, đề xuất …": its own duty
                tail = ""
                later = action[at + also.end() :].strip(" ,;.")
            # "tuyên truyền …; định kỳ hằng quý báo cáo …": the ";" before the only date is kept
            head, semi, rest = pieces[0].rpartition(";")
            if tail:  # "… nhằm …", "… theo chỉ đạo của Trung ương": still the last step's
                pieces[-1] = f"{pieces[-1].rstrip(' ,;')} {tail}"
                if len(pieces) == 1:
                    rest = f"{rest.rstrip(' ,;')} {tail}".strip()
            periodic = steps[0].deadline.kind is DeadlineKind.RECURRING
            periodic = periodic or at_each_session(steps[0].deadline)
            periodic = periodic or period_unsaid(steps[0].deadline)
            before_mark = ";" in action[: steps[0].start]  # not "Hàng năm xây dựng …; xem xét …"
            # "… tại Kỳ họp thường kỳ", "… tại kỳ họp thường lệ giữa năm 2019": a session's report
            session = at_each_session(steps[0].deadline) or bool(
                re.match(r"(?:tai|vao) (?:cac )?ky hop\b", fold(steps[0].deadline.raw))
            )
            also = _AND_REPORT.search(pieces[0]) if session and not semi else None
            if also and re.match(r"\s*tổng hợp\b", pieces[0], re.IGNORECASE):
                also = None  # "tổng hợp kết quả … và báo cáo tại các kỳ họp": one report
            if also and len(steps) == 1:
                # "chỉ đạo, tổ chức thực hiện chương trình … và báo cáo kết quả tại Kỳ họp
                # thường kỳ": the work, then its periodic report, as after ";"
                head, semi, rest = pieces[0][: also.start()], ";", pieces[0][also.end() :]
                before_mark = True
            own_report = bool(also) and len(steps) == 1  # the session's report, a task of its own
            # "…; tổng hợp và báo cáo HĐND tỉnh kết quả … tại kỳ họp giữa năm 2019": the report
            # after ";" is a deliverable of its own, dated; the work before it is another
            # (only after a list of duties: "khẩn trương triển khai …; báo cáo … trước ngày 29/9"
            # is one task and its report)
            reports = bool(_REPORT_STEP.match(rest.strip())) and len(steps) == 1 and ";" in head
            # "kiểm tra, xác minh …; xử lý nghiêm …; báo cáo kết quả về UBND tỉnh trước ngày
            # 25/11": the report of that work's results dates the work, one task
            reports = reports and not _RESULTS_REPORT.match(fold(rest).strip())
            watch = bool(_ONLY_WATCH.match(fold(head).strip()))  # "theo dõi, đôn đốc; …"
            # "lãnh đạo triển khai thực hiện Đề án sau khi được ban hành; định kỳ …": a pointer
            # to the document, no task and no words of the periodic duty's title
            duty = _bare_duty(fold(head)).strip(" ,")
            pointer = bool(semi) and bool(_ONLY_CARRY_OUT.match(duty))
            pointer = pointer and not duty.startswith(("theo doi", "don doc", "giam sat"))
            if pointer and before_mark:
                pieces[0], head, semi = rest, "", ""
            if (
                semi
                and (periodic or reports or own_report)
                and before_mark
                and len(head.split()) >= 4
                and not watch
            ):
                # "tham mưu … triển khai Kế hoạch; tổ chức sơ kết hằng năm, …": the work
                # before ";" is a task of its own, the periodic duty another
                titles.append((_title(head, context), self._undated(head, period), owner))
                pieces[0] = rest
            pieces, steps = _year_of_object(action, pieces, steps)
            # "Định kỳ hằng tháng báo cáo …, trước ngày 05 của tháng tiếp theo": a period with
            # no words of its own before another is the same step's, the later one more exact
            kept = [
                i
                for i, piece in enumerate(pieces)
                if i == len(pieces) - 1
                or re.sub(r"[\W_]+", "", piece)
                or steps[i].deadline.kind is not DeadlineKind.RECURRING
                or steps[i + 1].deadline.kind is not DeadlineKind.RECURRING
            ]
            pieces = [pieces[i] for i in kept]
            steps = [steps[i] for i in kept]
            lead = ""
            if len(steps) > 1:
                lead, pieces[0] = _split_lead(pieces[0])
            for number, (piece, mark) in enumerate(zip(pieces, steps, strict=True)):
                step = re.sub(r"^[\s,;]*(?:và|rồi|sau đó)?\s*", "", piece).strip(" ,;.")
                said = action[: mark.start - len(piece)] if number else ""
                purpose = self._purpose_owner(step, said) if number else None
                if purpose is not None:  # "… đầu tháng 3 để Ban Tuyên giáo tổng hợp, trình …"
                    step_owner, step = purpose
                    titles.append((_title(step, context), mark.deadline, step_owner))
                    continue
                text = f"{lead}, {step}" if lead and step else (lead or step)
                if not text.strip(" ,;.:") and len(steps) > 1:
                    continue  # a date with no words of its own before the next one
                titles.append((_title(text, context), mark.deadline, owner))
            for part in _semicolon_steps(later) if later else ():
                titles.append((_title(part, context), self._undated(part, period), owner))
        item: ParsedItem | None = None
        for title, deadline, who in titles:
            item = self._item(
                who, title, deadline, source, line, ref, section, inherited and who is owner
            )
        assert item is not None
        return item

    def _undated(self, source: str, period: str, action: str = "") -> Deadline:
        if _NO_PERIOD.search(fold(action or source)):
            # "định kỳ báo cáo Ủy ban nhân dân tỉnh tiến độ": periodic, the period unsaid
            return Deadline(DeadlineKind.UNREADABLE, raw="định kỳ", note=NO_PERIOD_NOTE)
        if _ONGOING_WORDS.search(fold(source)):
            return Deadline(
                DeadlineKind.ONGOING,
                raw="",
                note="Văn bản không ghi thời hạn; đề xuất theo dõi thường xuyên.",
            )
        note = "Văn bản không ghi thời hạn; văn phòng cần nhập thời hạn hoặc chọn «thường xuyên»."
        if period:
            note += f" Đoạn dẫn ghi «{period}»."
        return Deadline(DeadlineKind.UNREADABLE, raw="", note=note, suggestion=period or None)

    def _item(
        self,
        owner: _Owner,
        title: str,
        deadline: Deadline,
        source: str,
        line: int,
        ref: str,
        section: tuple[str, ...],
        inherited: bool,
    ) -> ParsedItem:
        r = owner.resolution
        units = r.units
        notes: list[str] = []
        if owner.broad and not units and not r.unknown:
            notes.append("Văn bản giao chung (các cấp, các ngành…): cần chỉ định đơn vị.")
        elif not owner.named:
            notes.append("Câu không nêu đơn vị thực hiện: cần chỉ định đơn vị.")
        if inherited and owner.named:
            notes.append("Đơn vị lấy từ câu dẫn phía trên.")
        if deadline.kind is DeadlineKind.RECURRING:
            notes.append(deadline.note or f"Việc định kỳ («{deadline.raw}»): nhắc theo chu kỳ.")
        elif not deadline.kind.is_dated:
            notes.append(deadline.note or "Không có thời hạn.")
        if r.all_chi_bo and not self.units.chi_bo_codes:
            notes.append("Văn bản giao cho «các chi bộ» nhưng danh sách đơn vị chưa có chi bộ.")
        base = f"{APPENDIX}|{'/'.join(fold(s)[:16] for s in section)}|{ref}"
        self._keys[base] += 1
        item = ParsedItem(
            kind="task",
            appendix=APPENDIX,
            section=section,
            ref=ref,
            title=title,
            # a collective owner ("Các cấp ủy, tổ chức đảng, chính quyền") is kept as written:
            # the review groups its duties under it while the office names who
            unit_text=owner.text if owner.named or owner.broad else "",
            units=units,
            deadline=deadline,
            origin=f"dòng {line}",
            source_key=f"{base}|{self._keys[base]}",
            unknown_units=r.unknown,
            cooperating=tuple(c for c in r.cooperating if c not in units),
            unknown_cooperating=r.unknown_cooperating,
            source_text=source,
            proposed=True,
            review_note=" ".join(notes),
            product=product_named(title),
        )
        self.items.append(item)
        return item
