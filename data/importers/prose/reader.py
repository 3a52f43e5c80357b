"""The driver of the pipeline, one paragraph at a time:

segment → scope → clauses → owner → not_tasks / collective → dates → proposal.

``ProseReader.read`` walks the paragraphs (``segment``), keeps the document's ``Outline``
(``scope``: headings, the sections they open, the owners their intros name), and hands each
paragraph to ``_paragraph``: its sentences cut into clauses (``clauses``), each clause's owner
and the action after it (``owner``), the rules that say it is no task (``not_tasks``,
``collective`` for a direction to everyone), its dated phrases (``dates``, ``events``), then
the proposals (``proposal``). The stages are mixins of ``ProseReader`` where they read the
owners or the dates the other stages found, and plain functions where they read only text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from data.deadlines import Deadline, DeadlineKind
from data.importers.interpret import ParsedItem
from data.importers.prose import collective, not_tasks, scope, speech
from data.importers.prose.clauses import (
    _LOWER_HEAD,
    ClauseCutting,
    colon_duties,
    duty_steps,
    ends_lead_in,
    opens_step,
    periodic_report,
    share_line,
    shared_lead,
)
from data.importers.prose.dates import _Mark, action_steps
from data.importers.prose.events import EventReading, status_as_of, told
from data.importers.prose.kind import (
    DocumentKind,
    document_kind,
    is_rendering,
    programme_year,
    reported_kind,
)
from data.importers.prose.owner import _EVERYONE, _VERB_AT, _Issuers, _Owner, aside_span
from data.importers.prose.proposal import (
    _ONLY_CARRY_OUT,
    _ONLY_RELATED,
    Proposing,
    _bare_duty,
    dates_the_task_before,
    delivery_line,
    own_step,
)
from data.importers.prose.segment import (
    _MARKER,
    _aligned_fold,
    _level,
    _paragraphs,
    _plain,
    _plain_with_marks,
    _sentences,
    _strip_marker,
    _with_labels,
)
from data.text import fold
from data.units import UnitRegistry

# "Chỉ đạo Sở … xây dựng …" at the head of a duty under an addressee
_DIRECTS_BODY = re.compile(r"^(?:lãnh đạo,? )?chỉ đạo\s+(?=\S)", re.IGNORECASE)
# "Đối với đề án trồng cây ăn quả, …": the topic a sentence of the speech turns to
_TOPIC = re.compile(r"(?:Đối với|Về) [^,;:.]{3,80},\s+")
# "… đồng chí Chủ tịch UBND huyện đề nghị:": the speaker's cue closes the clause with a colon
_CUE_COLON = re.compile(r"\b(?:de nghi|yeu cau)\s*:$|\bchi dao\b.*\bdo la\s*:$")
# "UBND TP yêu cầu lực lượng công an …": a body that speaks, then its cue (never a bare "Giao X")
_BODY_CUE = re.compile(r"\S\s+(?:yêu cầu|đề nghị|chỉ đạo)\s", re.IGNORECASE)
_GIAO = re.compile(r"(?<![\wÀ-ỹ])[Gg]iao(?![\wÀ-ỹ])")
# "UBND xã Sơn Thủy thông báo thời gian treo cờ Tổ quốc …", "… thông báo lịch nghỉ …": a notice
# of arrangements, its items addressed to those it names
# "UBND xã … thông báo thời gian treo cờ … cụ thể như sau:", "… thông báo đến các cơ quan, đơn vị
# …": the body announces arrangements in its own words
_ANNOUNCES = re.compile(
    r"\bthong bao (?:den |cho |toi )?[^.:;]{0,150}?(?:cu the )?nhu sau\s*:"
    r"|\bthong bao (?:den|toi) (?:cac|toan the)\b"
)
# A Thông báo that tells a meeting's conclusions or a leader's views (its head names them)
_SPOKEN_NOTICE = re.compile(
    r"\b(?:ket luan|y kien|chi dao|giao ban|hoi nghi|cuoc hop|phien hop|buoi lam viec)\b"
)
# "Thời gian trang trí, tuyên truyền:" standing alone, a lead of the times below
_TIME_LEAD = re.compile(r"^thoi gian\b[^.;:]{0,60}:\s*$")
_LETTER_CONTENT = frozenset(("theo do", "trong do"))
_THEREFORE = frozenset(("do do", "vi vay", "do vay", "vi the", "cho nen"))
# "… chỉ đạo các chuyên môn, đơn vị …", "… yêu cầu các phòng …": the cue before the addressee
_COLON_LEAD_CUE = re.compile(r"(?<![\wÀ-ỹ])(?:chỉ đạo|yêu cầu|đề nghị|giao)\s+(?=\S)")
_BACK_REFERENCE = frozenset(("so", "ban", "bo", "van phong", "cuc", "trung tam", "phong"))
# "Sở này", "cơ quan này", "đơn vị này": a body word and "này" point back to the body just named
_THIS_BODY = frozenset((*_BACK_REFERENCE, "co quan", "don vi"))


def _refers_back(owner_text: str) -> bool:
    """A bare body word ("Sở …") or a body word with "này" ("Sở này xây dựng …")."""
    words = fold(owner_text)
    if words.endswith(" nay"):
        return words.removesuffix(" nay") in _THIS_BODY
    return words in _BACK_REFERENCE


# "- Hình thức tổ chức: …", "- Điểm cầu Trung ương (trực tiếp): …", "- Địa điểm: …" under a
# time section: how and where the event is held, no one's work
_SETTING = re.compile(r"(?:hinh thuc(?: to chuc)?|dia diem|diem cau|phuong thuc)\b[^:]{0,40}:")
# The head of a Party or State body's name: "Đảng uỷ Toà án nhân dân tối cao", "Bộ Tư pháp"
_BODY_HEAD = re.compile(
    r"(?:cac )?(?:dang uy|dang doan|ban can su|ban |bo |so |uy ban|ubnd|hdnd|hoi dong nhan dan"
    r"|van phong|chinh phu|tinh uy|thanh uy|huyen uy|quan uy|thi uy|cong an|mat tran)"
)


def _marker_kind(marker: re.Match[str]) -> str:
    """Which kind of marker ("(1)", "a)", "1.", "-" …) opens a paragraph."""
    return next((k for k in ("paren", "sub", "num", "roman", "letter", "article", "bullet")
                 if marker.group(k)), "")  # fmt: skip


# "… theo một số nguyên tắc chính sau:", "… theo các nguyên tắc như sau:": the items are rules
_PRINCIPLES_LEAD = re.compile(
    r"\btheo (?:cac |mot so |nhung )?nguyen tac(?: chinh| co ban| chung)?(?: nhu)? sau\s*:$"
)
# "KẾT LUẬNCỦA BỘ CHÍNH TRỊ, BAN BÍ THƯvề …": a page that drops the title's line breaks glues
# the kind to the issuer (no space), then the subject in lower case
_GLUED_TITLE = re.compile(
    r"(?:KẾT LUẬN|KẾ HOẠCH|THÔNG BÁO|CHỈ THỊ|NGHỊ QUYẾT|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|HƯỚNG DẪN"
    r"|THÔNG TRI)(?:CỦA|VỀ)\b"
)
# "… CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc …": the letterhead's cells
_LETTERHEAD_LINE = re.compile(r"cong hoa xa hoi chu nghia viet nam\W+doc lap\b")
# "Kính gửi:", "Kính gửi: Các chi bộ trực thuộc": a letter's addressees
_ADDRESSED = re.compile(r"kinh gui\s*:")
# "Hướng dẫn 4 thủ tục hành chính của Đảng bao gồm:": a list of the parts of something
_LISTS_PARTS = re.compile(r"\b(?:bao gom|gom co)\s*:$")

# Deeper than any heading: skipping at it, every heading below ends the skip
_ALL_LEVELS = 99.0


def _short_part(plain: str) -> bool:
    """ "Mục đích, yêu cầu", "Tổ chức thực hiện": a part's name on its own line, unnumbered."""
    bare = plain.rstrip(" *")
    return bool(bare) and bare[-1] not in ".:;!?,…" and len(bare.split()) <= 6


# "Giao Đảng ủy Chính phủ lãnh đạo, chỉ đạo:", "Giao Đảng ủy UBND tỉnh chỉ đạo:": an intro whose
# addressee directs the bodies its items name
_LEADS_BODIES = re.compile(r"\bgiao\b.{0,80}\bchi dao\s*:$")


# "Căn cứ kế hoạch …", "Trong quá trình thực hiện, …", "Phối hợp với …", "Báo cáo …": a
# sentence that opens so says on what basis, how, or whose work, no duty of its own
_CUE_WORD = re.compile(r"\b(?:de nghi|yeu cau|chi dao)\b")
_GIAO_CUE = re.compile(r"\b[Gg]iao(?: cho| nhiệm vụ cho)? (?=[A-ZĐ])")
_NO_DUTY_OPENING = re.compile(
    r"^(?:can cu|tren co so|trong qua trinh|phoi hop|bao cao|tong hop|trinh|gui|nop)\b"
)


class ProseReader(ClauseCutting, EventReading, Proposing):
    """One document read once: the stages as mixins, the state the paragraphs pass on."""

    def __init__(self, units: UnitRegistry, doc_date: date) -> None:
        self.units = units
        self.doc_date = doc_date
        self.items: list[ParsedItem] = []
        self.issuers = _Issuers()
        self.bold_deadlines = False
        self._keys: Counter[str] = Counter()
        self.sentences_read = 0  # for the review: how much of the text was read
        # A Chỉ thị: its numbered duties after the addressees are the directive itself, each
        # one a task of those addressees even when they are everyone ("các cấp ủy, …")
        self.directive = False
        self.notice = False
        self.rendering = False
        # a story has begun to give a letter's content ("Theo đó, X …"): its later paragraphs
        # are the letter's own directions, each step one duty
        self.letter_told = False
        self._letter_owner: _Owner | None = None
        self.programme_year: int | None = None  # "Chương trình … năm 2018"
        self._carry: _Owner | None = None  # the last body named, for "Đồng thời …" below it
        # "II. THỜI GIAN: Chiến dịch triển khai từ ngày 15/4 đến ngày 15/5/2024": the span of
        # an event the duties name ("chủ trì tổ chức chiến dịch"), by its folded name
        self.events: dict[str, Deadline] = {}
        # The last task the paragraph before proposed: a "Thời gian: tháng 5/2026." line of its
        # own below a dashed duty dates that duty
        self._previous: ParsedItem | None = None
        # Every task that paragraph proposed: "X: a; b" then "Thời hạn chậm nhất …" dates them all
        self._previous_all: list[ParsedItem] = []
        # The work a lead shares out ("Giao Sở A, Sở B … xây dựng …, cụ thể:"), for the lines
        # below it that name each body's part
        self._shared = ""

    def read(self, source: str | Sequence[str]) -> list[ParsedItem]:
        raw = source.splitlines() if isinstance(source, str) else list(source)
        self._signed_by(raw)
        paras = _with_labels(_paragraphs(source), lambda text: bool(_VERB_AT.match(text)))
        kind = document_kind(raw)
        if kind is DocumentKind.OTHER:
            kind = reported_kind(raw)  # "Ban Thường vụ … đã ban hành Chỉ thị số …": a rendering
        self.directive = kind in (DocumentKind.CHI_THI, DocumentKind.THONG_TRI)
        # A conference's notice or conclusion: "các cấp ủy, … cần tập trung …" with no date is
        # an exhortation, not a duty, unless a lead-in directs the items ("yêu cầu các … sau:")
        self.notice = kind is DocumentKind.KET_LUAN or (
            # a Thông báo of a meeting's conclusions or a leader's views, not one that announces
            # arrangements ("UBND xã thông báo thời gian treo cờ … như sau: 1. … 2. Các cơ quan,
            # đơn vị … thực hiện treo cờ …": each item a duty of those it names)
            kind is DocumentKind.THONG_BAO
            and not (
                _ANNOUNCES.search(fold(" ".join(raw[:12])))
                and not _SPOKEN_NOTICE.search(fold(" ".join(raw[:12])))
            )
        )
        # A portal's or a newspaper's story of a conference: the speaker's "đề nghị các cấp ủy,
        # tổ chức đảng tập trung …" in running text is the direction itself
        self.rendering = kind is DocumentKind.OTHER and is_rendering(raw)
        self.programme_year = programme_year(raw)
        self.bold_deadlines = any(
            self._bold_marks(_plain_with_marks(p.text)) for p in paras if p.text != "\t"
        )
        # the text's last paragraph, which a stored page may cut in the middle of a word
        last_para = max((i for i, p in enumerate(paras) if p.text != "\t"), default=-1)
        if "\t" in (p.text for p in paras):
            last_para = -1  # a table or the signature follows: the body ends whole
        outline = scope.Outline()
        item_ref = ""
        item_owner: _Owner | None = None  # the body a numbered item named, for its paragraphs
        unnumbered_aims = False  # under a "Mục đích, yêu cầu" line with no number
        parts_listed = False  # after "Hướng dẫn 4 thủ tục hành chính của Đảng bao gồm:"
        principles_of: str | None = None  # the marker of "… theo một số nguyên tắc chính sau:"
        for index, para in enumerate(paras):
            if para.text == "\t":
                break  # a table, the signature or the distribution list: the body is over
            previous, self._previous = self._previous, None
            text = para.text
            self.sentences_read += len(_sentences(text))
            plain = _plain(text)
            marker = _MARKER.match(plain)
            if index < 15 and marker is None:
                # never a numbered or dashed item: "1. Ban Thường trực … xây dựng Kế hoạch …" is
                # a duty, not the issuer saying it issues this plan
                self._issuer_sentence(plain)
            level = _level(marker) if marker else None
            body = plain[marker.end() :] if marker else plain
            if parts_listed and marker is not None and marker.group("bullet"):
                continue  # "… bao gồm:" then "- Thu nộp đảng phí.": the parts, no one's work
            parts_listed = False
            if (
                principles_of is not None
                and marker is not None
                and _marker_kind(marker) != principles_of
                and not scope.is_heading(plain, marker)
            ):
                continue  # "(2) Đẩy mạnh phân cấp, phân quyền …" under "… nguyên tắc sau:"
            principles_of = None
            if marker is None and index < 8 and _GLUED_TITLE.match(plain):
                continue  # "KẾT LUẬNCỦA BỘ CHÍNH TRỊ, BAN BÍ THƯvề một số nhiệm vụ …": the title
            if marker is None and index < 5 and _LETTERHEAD_LINE.search(fold(plain)):
                continue  # the letterhead's cells run into one line: "ỦY BAN NHÂN DÂN TỈNH … CỘNG
                # HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - … Số: … KẾ HOẠCH …", no body's words
            if marker is None and _ADDRESSED.match(fold(plain)):
                # "Kính gửi:" then "- Các đơn vị sự nghiệp công lập trực thuộc …;": the
                # addressees of a letter, no one's work (they own what the letter asks below)
                parts_listed = not plain.rstrip().endswith(";")
                continue
            if marker is None and _short_part(plain):
                # "Mục đích, yêu cầu" then "Tổ chức thực hiện" as a story renders a plan's parts,
                # unnumbered: the aims' paragraphs are no tasks, up to the next part's name
                if not_tasks.aims_heading(fold(plain)):
                    outline.skip_level, unnumbered_aims = _ALL_LEVELS, True
                    continue
                if unnumbered_aims:
                    outline.skip_level, unnumbered_aims = None, False
            if scope.is_heading(plain, marker) and marker is None:
                continue  # the letterhead, the kind and the title: no section of the body
            if index == 0 and marker is None and not_tasks.headline(plain) and len(paras) > 1:
                continue  # "Ban Bí thư ban hành Chỉ thị về …": a rendering's headline
            if self._shares_out(body, paras[index + 1].text if index + 1 < len(paras) else "\t"):
                continue  # "Giao Sở A, Sở B … xây dựng …, cụ thể:": the lines below do its work
            work_first = bool(_VERB_AT.match(body[:1].lower() + body[1:]))
            if scope.is_heading(plain, marker) and not scope.bare_duty_item(
                marker, level, paras, index, opens_work=work_first
            ):
                self._previous = None
                item_ref = ""
                wave = scope.wave_time(body, self.doc_date, lambda words: bool(self._marks(words)))
                named = self._name_only(body, heading=True) or self._everyone_heading(body)
                outline.open_heading(level, plain, body, wave, named)
                item_owner = None
                continue
            if outline.skip_level is not None:
                continue
            if marker is None and _TIME_LEAD.match(fold(plain)):
                # "Thời gian trang trí, tuyên truyền:" then "- … treo cờ Tổ quốc từ … đến …":
                # the lines below say when, as a "Thời gian" section's do
                outline.time_level = outline.item_level(None)
                continue
            if outline.time_level is not None and self._event(plain):
                continue  # "Chiến dịch triển khai từ ngày … đến ngày …": when, no one's task
            if outline.time_level is not None and marker and _SETTING.match(fold(body)):
                continue  # "- Hình thức tổ chức: Trực tiếp kết hợp trực tuyến …": how, where
            if self._holiday(plain) or self._schedule(body):
                continue  # "Cán bộ … được nghỉ lễ 05 ngày, từ … đến hết …": when, no one's task
            if marker is None and not_tasks.signer_line(fold(plain)) and not _VERB_AT.search(plain):
                continue  # "Trưởng Ban Tổ chức Tỉnh ủy, kiêm …" then the name: who signs
            if level is not None:
                outline.close_scopes(level)
            elif not_tasks.closing_summary(fold(plain)):
                # "Trên đây là Kế hoạch …. Đề nghị các cơ quan, đơn vị … Định kỳ hằng năm … báo
                # cáo …": the closing speaks to those it names, not to the last heading's body
                outline.close_scopes(0)
            own_level = outline.item_level(level)
            if marker and not marker.group("bullet"):
                item_ref = marker.group("marker").rstrip(".-)")
                if marker.group("paren"):
                    item_ref = f"({marker.group('paren')})"
            ref = item_ref
            following = paras[index + 1].text if index + 1 < len(paras) else "\t"
            intro = plain.rstrip(" )").endswith(":") or collective.leads_duties(
                plain, following, directive=self.directive, notice=self.notice
            )
            mark_text = text
            principles = _PRINCIPLES_LEAD.search(fold(plain)) is not None
            if principles:
                # "- Triển khai thực hiện phân cấp, phân quyền theo một số nguyên tắc chính sau:"
                # then "(1) Trung ương tập trung …": the work is the lead's, the items its rules
                intro, principles_of = False, _marker_kind(marker) if marker else ""
                text = mark_text = re.sub(r":\s*$", ".", text.rstrip())
            if marker:
                mark_text = _strip_marker(text, marker.end())
            share = share_line(body) if self._shared and marker is not None else None
            if share is not None:
                # "- Sở Tài chính đối với thủ tục số 03;" under "Giao Sở A, Sở B … xây dựng …, cụ
                # thể:": that body does the lead's work for its part
                mark_text = f"{share['body']} {self._shared} {share['part']}"
            else:
                self._shared = ""
            named = self._name_only(body) if intro else None
            if named is not None:  # "1. Sở Tài chính:" then "a) …", "- …": that body's duties
                outline.scopes.append(scope.Scope(own_level, named))
                continue
            before = len(self.items)
            self._previous = previous
            owner, period = self._paragraph(
                mark_text,
                para.line,
                ref,
                outline.section(),
                outline.scopes,
                intro,
                item=marker is not None or collective.ordinal(fold(plain)),
                alone=marker is None,
                frame=outline.frame[1] if outline.frame and marker is not None else "",
                above=item_owner if marker is None else None,
                cut=index == last_para and not_tasks.cut_off(plain),
            )
            if marker is not None:
                item_owner = owner if (owner.named or owner.broad) and not intro else None
            self._previous = self.items[-1] if len(self.items) > before else None
            self._previous_all = self.items[before:]
            for proposed in self.items[before:] if para.written else ():
                proposed.source_text = para.written  # the work and its label lines as written
            if intro and _LISTS_PARTS.search(fold(plain)) and not (owner.named or owner.broad):
                parts_listed = True  # "Hướng dẫn 4 thủ tục … bao gồm:": what it holds, below
            if intro:
                # "Kết luận Hội nghị, đồng chí Bí thư … nhấn mạnh một số công việc trọng tâm cần
                # tổ chức thực hiện trong tháng 9 năm 2020, cụ thể như sau:": in a rendering, the
                # speaker's items are duties, due in the time the lead gives them
                spoken = self.rendering and speech.led_by_speaker(plain)
                outline.open_intro(
                    own_level,
                    owner,
                    period,
                    collective.directs_everyone(fold(plain)),
                    spoken=spoken,
                    when=self._period(plain) if spoken else "",
                    leads_bodies=bool(_LEADS_BODIES.search(fold(plain))),
                    agreed=not_tasks.issuer_view(fold(body)) and not (owner.named or owner.broad),
                )
        self._date_events()
        return self.items

    def _everyone_heading(self, body: str) -> _Owner | None:
        """ "1. Các cấp ủy, tổ chức đảng, cơ quan, đơn vị và người đứng đầu" over numbered duties:
        everyone, each duty below their task (the office names who); never in a conference's
        notice or conclusion, where an undated direction to everyone is an exhortation."""
        name = body.strip(" :.")
        if self.notice or not name or len(name) > 120:
            return None
        owner = self._read_owner(name)  # "tổ chức đảng" holds a verb's word: the owner reads it
        whole = fold(owner.text) == fold(name)
        return owner if whole and owner.broad and _EVERYONE.match(fold(name)) else None

    def _shares_out(self, lead: str, following: str) -> bool:
        """ "Giao Sở A, Sở B chủ trì … xây dựng quy trình …, cụ thể:" over "- Sở A đối với …": the
        lead is no task, its work is kept for the lines that share it out."""
        line = _plain(following) if following != "\t" else ""
        marker = _MARKER.match(line)
        if not lead.endswith(":") or not marker or share_line(line[marker.end() :]) is None:
            return False
        owner, work_at, _ = self._owner(lead)
        work = shared_lead(lead[work_at:]) if owner.named else None
        self._shared = work or ""
        return bool(work)

    def _paragraph(
        self,
        text: str,
        line: int,
        ref: str,
        section: tuple[str, ...],
        scopes: list[scope.Scope],
        intro: bool,
        item: bool = False,
        alone: bool = False,
        frame: str = "",
        above: _Owner | None = None,
        cut: bool = False,
    ) -> tuple[_Owner, str]:
        """Proposes the paragraph's tasks; returns its owner and time frame (for an intro)."""
        inherited = scopes[-1].owner if scopes else _Owner()
        carried = above is not None and not inherited.named and own_step(_plain(text))
        if carried and above is not None:
            # "2. Các tỉnh ủy … cụ thể hóa …." then "Bố trí kinh phí, trang bị phương tiện …":
            # a paragraph that opens with its verb is one more duty of the numbered item's body
            inherited = above
        if self._carry is not None and scope.goes_on(_aligned_fold(_plain(text))):
            inherited = self._carry  # "Đồng thời kiểm tra, đôn đốc …": the body above goes on
        period = scopes[-1].period if scopes else ""
        last_owner: _Owner | None = None
        last_item: ParsedItem | None = None
        first_owner = _Owner()
        first_period = ""
        sentences, written = self._in_order(text, frame)
        first_item = len(self.items)
        pending: tuple[_Owner, str, str] | None = None  # a direction to everyone, not yet dated
        spoken_to: _Owner | None = None  # a rendering's addressee of the speaker's direction
        spoken_lead = bool(scopes and scopes[-1].spoken)  # under a speaker's "… sau:"
        speaking = speech.speaks(text)  # a person's words here, not a text told
        listing = carried  # the owner was followed by ":": each sentence after it is one duty
        colon_cue = False  # "… đề nghị:" closed the clause before: its bodies are addressed
        for number, sentence in enumerate(sentences):
            plain = _plain(sentence)
            if not plain:
                continue
            delivers = last_item is not None and delivery_line(fold(plain))
            if (
                last_item is not None
                and delivers
                and not last_item.deadline.kind.is_dated
                and (self._marks(sentence))
            ):
                # "Giao Sở A … tổng hợp báo cáo. Trình UBND tỉnh trước ngày 10/8/2018 …": the
                # same task's delivery, its date
                self._close(last_item, plain, self._marks(sentence))
                continue
            if dates_the_task_before(fold(plain)) and last_item is None and pending is not None:
                # "Giao các sở, ngành … giải trình …. Báo cáo yêu cầu gửi … trước 14 giờ, ngày
                # 05/12/2017.": the direction to everyone gets its date; the office names who
                marks = self._marks(sentence)
                if marks:
                    p_owner, p_action, p_plain = pending
                    last_item = self._propose(
                        p_owner, p_action, "", [], p_plain, line, ref, section, period,
                        inherited=False,
                    )  # fmt: skip
                    self._close(last_item, plain, marks)
                    pending = None
                    continue
            if dates_the_task_before(fold(plain)):  # "Thời gian hoàn thành: trước ngày 10/11/2026."
                target = last_item or (self.items[-1] if self.items and not scopes else None)
                if target is None and alone and number == 0:
                    target = self._previous  # "- Tổ chức hội thi …." then "Thời gian: tháng 5."
                closing = self._closing_marks(sentence)
                if target is not None or not closing:
                    closed = [target] if target is not None else []
                    if target is not None and target is self._previous:
                        # "1. Sở …: Xây dựng …; tái cấu trúc …." then "Thời hạn chậm nhất 05 ngày
                        # làm việc …": the line dates every step of the item above
                        closed = self._previous_all
                    for task in closed:
                        self._close(task, plain, closing)
                    continue
            if not_tasks.closing_article(fold(plain)) or not_tasks.about_line(fold(plain)):
                continue
            if not_tasks.only_connective(fold(plain)) or (
                alone and not_tasks.announced_event(fold(plain))
            ):
                continue  # "Đồng thời," before "giao …"; "Theo đó, … tổ chức 1 khoá tập huấn …"
            if not intro and plain.endswith(":") and ends_lead_in(fold(plain)):
                last_owner, last_item = None, None
                continue  # "Sau khi xem xét, Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau:"
            if plain.endswith(":") and number < len(sentences) - 1:
                # "… Chủ tịch UBND huyện đề nghị: các xã … ; phòng NN&PTNT …": in a story the
                # speaker's cue and a colon address the bodies the next clauses name
                colon_cue = self.rendering and bool(_CUE_COLON.search(fold(plain)))
                lead = self._colon_addressee(plain) if self.rendering else None
                if lead is not None:
                    # "… đồng chí Chủ tịch UBND xã đã thống nhất, chỉ đạo các chuyên môn, đơn vị …
                    # chủ động thực hiện tốt các nội dung như: Triển khai …. Rà soát …": the
                    # speaker's addressee owns each step the sentences after the colon open
                    last_owner = spoken_to = lead
                    last_item = None
                continue  # "Về lĩnh vực Tư pháp:" before "Đề nghị UBND tỉnh chỉ đạo …": a label
            owner, action_at, adverbial = self._owner(plain)
            if number and not (owner.named or owner.broad) and _LOWER_HEAD.match(plain):
                # "…; phòng NN&PTNT tham mưu …" cut off as a clause: the body in lower case
                owner, action_at, adverbial = self._owner(plain[:1].upper() + plain[1:])
            owner = self._issuer_duty(owner, plain, action_at) or owner
            # "Đồng thời, các địa phương và đơn vị liên quan rà soát, …" in a story: the bodies the
            # direction goes on to name, a duty as the speaker's own words would be
            joined = (
                self.rendering
                and (
                    fold(adverbial).startswith("dong thoi")
                    # "Theo Chủ tịch UBND tỉnh, quý I/2020 là …, vì vậy các ngành, địa phương
                    # cần …": the speaker's words told, their direction the speaker's own
                    or any(speech.told_by(fold(_plain(s))) for s in sentences[:number])
                    # "Đồng chí Bí thư Huyện ủy nhấn mạnh, …. Do đó, cấp uỷ và tổ chức đảng trong
                    # huyện cần …": the speaker's conclusion drawn in the speaker's own paragraph
                    or (speaking and fold(adverbial).strip(" ,") in _THEREFORE)
                )
            )
            if owner.named and _refers_back(owner.text) and last_owner is not None:
                # "… yêu cầu Sở Nông nghiệp và Môi trường theo dõi …. Sở tổng hợp thiệt hại …":
                # the bare "Sở" is the body just named
                owner = last_owner if last_owner.named else owner
            addressee = last_owner if listing and last_owner is not None else inherited
            if (
                number == 0
                and scopes
                and scopes[-1].leads_bodies
                and owner.named
                and not owner.issuer
                and fold(owner.text) != fold(inherited.text)
            ):
                # "3. Giao Đảng ủy Chính phủ lãnh đạo, chỉ đạo:" then "- Đảng uỷ Bộ Nội vụ chủ trì
                # …": the addressee answers for it, the body the item names is shown beside it
                owner = self._directing(inherited, owner)
            if (
                addressee.named
                and _DIRECTS_BODY.match(plain)
                and plain[action_at : action_at + 1] != ":"
            ):
                # "Giao Đảng ủy UBND tỉnh:" then "- Chỉ đạo Sở Văn hóa … xây dựng bộ tiêu chí
                # …": the addressee answers for it, the body it directs is shown beside it
                owner, action_at = self._directing(addressee, owner), 0
            if self.rendering and speech.appeal(fold(plain)):
                continue  # "… kêu gọi toàn Đảng, toàn dân … phấn đấu …": an appeal, an aim
            if not (owner.named or owner.broad or owner.spoken) and (
                not_tasks.issuer_view(fold(plain)) or not_tasks.note(fold(plain))
            ):
                continue  # "Cơ bản thống nhất với nội dung Đề án …": the issuer's view
            if number == 0:
                first_owner = owner
                first_period = self._period(adverbial)
            past = told(adverbial, self.doc_date)
            as_of = status_as_of(fold(plain), self.doc_date)
            if as_of and not (owner.named or owner.broad) and not self._marks(plain[as_of:]):
                # "Đến ngày 12/3/2020 trên địa bàn xã … đang …": how things stand (never "Đến
                # nay, xã đã dự thảo … và trình … vào nửa cuối tháng 2/2020": a step still dated)
                continue
            if owner.issuer or (
                past and (not self._marks(plain) or not_tasks.meeting_held(fold(plain[action_at:])))
            ):
                last_owner, last_item = None, None
                continue
            framing = intro and number < len(sentences) - 1 and sentence.rstrip().endswith(",")
            if framing and not (owner.named or owner.broad):
                # "Cụ thể đối với nhiệm vụ … trong năm 2025, giao Đảng ủy Chính phủ:": the
                # frame of the intro, cut off before its owner, is no task of its own
                continue
            if intro and number == len(sentences) - 1:
                framed = self.notice and collective.lists_duties(fold(plain))
                if framed and not (owner.named or owner.broad):  # "Quán triệt …, X … sau:"
                    owner = self._owner_after_frame(plain) or owner
                if (number or not first_owner.named) and (owner.named or owner.broad):
                    first_owner = owner  # "…. HĐND tỉnh đề nghị UBND tỉnh … công việc sau:"
                break  # the intro names who does the items; it is no task itself
            marks = self._marks(sentence)
            aside = aside_span(plain, action_at)
            if aside is not None:  # ", bên cạnh việc … trong quý II, cần …": not the duty's date
                marks = [m for m in marks if not aside[0] <= m.start < aside[1]]
            explicit = owner.named or owner.broad
            if (
                scopes
                and scopes[-1].agreed
                and not (explicit and _BODY_HEAD.match(fold(owner.text)))
            ):
                continue  # "- Toà án chuyên biệt … có chức năng giải quyết …": what is agreed
            if marks and not explicit and self._dates_the_work_above(plain, marks, section):
                continue  # "4. Chậm nhất là ngày …, việc xác minh … phải được tiến hành xong."
            if frame and not explicit and last_item is not None and not listing:
                # "- Tuyên truyền … . Tiếp tục khẳng định … (ngày 15/3/2026)." under a wave: the
                # item's later sentences say more of the one task the wave dates
                last_item.source_text = f"{last_item.source_text} {plain}"
                continue
            continued = False  # the letter's addressee carried to a paragraph with no subject
            if not explicit and not owner.spoken:
                owner = last_owner if last_owner is not None else inherited
                if (
                    last_owner is None
                    and alone
                    and self.letter_told
                    and self._letter_owner is not None
                    and not (inherited.named or inherited.broad)
                    and opens_step(plain)
                    # (never a story's intertitle, a line with no stop of its own)
                    and plain.rstrip()[-1:] in (".", ";", "…")
                ):
                    # "Trong đó, các cơ quan, đơn vị, địa phương cần …;" then "Kiên quyết xử lý
                    # …;", "Chấn chỉnh …": the letter's paragraphs with no subject go on with
                    # the body it last addressed
                    owner, continued = self._letter_owner, True
                action_at = 0
            elif self.letter_told and (owner.named or owner.broad) and not owner.issuer:
                self._letter_owner = owner
            action = plain[action_at:]
            said = len(action.split()) - len(frame.split())  # the words the page holds
            if cut and number == len(sentences) - 1 and said < not_tasks.CUT_WORDS:
                continue  # "- Tập trung chỉ đạo các đi" where the page stops: no work named yet
            what = fold(action).strip(" ,:")
            if self.rendering and not_tasks.presides(what):
                continue  # "Đồng chí … chủ trì buổi làm việc. |": a caption, the news
            if self.rendering and speech.asks_upward(fold(speech.unnamed(plain[:action_at]))):
                continue  # "UBND huyện đề nghị Tỉnh ủy, UBND tỉnh …": a request upward
            if (
                self.rendering
                and spoken_to is None
                and not spoken_lead
                and not owner.spoken
                and not speech.spoken_to(fold(plain[:action_at]))
                and speech.reported(action, said_before=fold(plain[:action_at]), dated=bool(marks))
            ):
                # "Chủ tịch UBND tỉnh đánh giá: …", "Đảng ủy xã cho biết sẽ …", "HĐND xã tổ chức
                # kỳ họp …": no cue addresses it, so it is the speaker's appraisal, a body's own
                # report or promise, or the meeting itself, never a duty the office tracks
                continue
            addendum = last_item or (self._previous if number == 0 else None)
            if not marks and addendum is not None and not_tasks.adds_to_report(fold(plain)):
                # "Đề nghị các đảng bộ … ghi rõ danh sách kèm theo báo cáo.": more of the report
                # asked above, not a task of its own
                addendum.source_text = f"{addendum.source_text} {plain}"
                continue
            if not_tasks.figures(what):
                continue  # "…: Tổng số 1.177 hộ với 5.941 khẩu": a figure or a quota, no work
            cued = speech.spoken_to(fold(plain[:action_at]))
            if not cued and not_tasks.achieved(what):
                continue  # "…, thu ngân sách đạt 94% KH.": the month's results told
            heard = number > 0 and not_tasks.at_meeting(fold(sentences[0]))
            if heard and not cued and not marks and not_tasks.reported_there(what):
                continue  # "Tại hội nghị, …. Tiểu ban … báo cáo dự thảo …": the meeting told
            if not_tasks.stance(what):
                last_owner = owner if explicit else last_owner  # "Đồng thời …" goes on with it
                continue  # "X xác định … là một trong những nhiệm vụ trọng tâm …": a stance
            if (not marks and not_tasks.standard(what)) or (
                not explicit and not_tasks.planned_event(what)
            ):
                continue  # "Đảm bảo … đạt yêu cầu"; "Kỳ họp thứ nhất … dự kiến tổ chức …"
            if not marks and not cued and not_tasks.designated(fold(plain)):
                continue  # "Đảm bảo … đạt yêu cầu"; "Kỳ họp thứ nhất … dự kiến tổ chức …"
            if not marks and (not what.strip(" .;") or not_tasks.names_only(plain)):
                continue  # "Các cơ quan, địa phương," where the source is cut: no work named
            if not marks and (
                _ONLY_CARRY_OUT.match(what)
                or not_tasks.subject_line(what)
                or not_tasks.only_oversees(what)
            ):
                after = sentences[number + 1] if number + 1 < len(sentences) else ""
                if explicit and _ONLY_CARRY_OUT.match(what) and self._marks(after):
                    # "Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện. Định kỳ hằng
                    # năm … báo cáo …": no task, but those it names do the dated duty after it
                    last_owner, last_item = owner, None
                continue
            if not_tasks.only_joins(what) or (
                not owner.named and not owner.broad and not_tasks.agenda(what)
            ):
                continue
            # "Theo đó, Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, … tiếp tục chỉ đạo …. Tiếp tục
            # thực hiện …": in a Chỉ thị the issuer's requirement to everyone is the directive
            # itself, and each sentence after it in the paragraph is one more duty of theirs
            directed = (
                self.directive
                and explicit
                and owner.broad
                and collective.requires(fold(plain[:action_at]))
            )
            if explicit:  # "giao Ban Tổ chức Thành ủy: Phối hợp …. Hướng dẫn …. Tham mưu …."
                listing = plain[action_at : action_at + 1] == ":" or directed
            if directed and not marks and collective.duties_follow(fold(plain)):
                # "… yêu cầu các cấp ủy … thực hiện tốt 7 nhiệm vụ trọng tâm. Trong đó: …": the
                # lead-in of the duties after it, no task itself
                last_owner, last_item = owner, None
                continue
            colon_list = explicit and listing and not directed
            duties = self._standalone(colon_duties(action)) if colon_list else []
            if len(duties) > 1:
                # "- Sở Y tế: chủ trì tổ chức chiến dịch; chỉ đạo … trước ngày 10/4; định kỳ báo
                # cáo …": each duty after the colon is a task, with its own date or none
                for duty in duties:
                    last_item = self._duty(owner, duty, plain, line, ref, section, period)
                    last_item = last_item or self.items[-1]
                last_owner = owner
                continue
            everyone = collective.addressed_to_all(fold(owner.text))
            if not marks and explicit and everyone and not_tasks.only_support(_bare_duty(what)):
                continue  # "Các sở, ban, ngành, UBND các huyện … phối hợp với ngành y tế …"
            in_directive = bool(scopes and scopes[-1].directive) and self.directive
            if not marks:
                each = in_directive and alone  # a directive's duty paragraph: one a sentence
                step = scope.connective_step(_aligned_fold(plain))
                dated = last_item is not None and (
                    last_item.deadline.kind.is_dated
                    or last_item.deadline.kind is DeadlineKind.RECURRING
                )
                if step and not explicit and dated and owner.named:
                    # "… hoàn thành trước ngày 15/10. Đồng thời, cắm biển cảnh báo …": another
                    # duty of the same body, with no date of its own, not more words of the
                    # dated one (after an undated duty it goes on with that duty)
                    rest = plain[step:]
                    if not not_tasks.issuer_view(fold(rest)):
                        last_item = self._propose(
                            owner, rest, "", [], plain, line, ref, section, period,
                            inherited=True,
                        )  # fmt: skip
                        continue
                reports = last_item is not None and periodic_report(fold(plain))
                if reports and last_owner is not None and not explicit:
                    # "… xây dựng kế hoạch (hoàn thành trong tháng 11/2025) …. Thực hiện chế độ
                    # thông tin, báo cáo theo định kỳ …": the item's periodic report, its own
                    last_item = self._propose(
                        last_owner, plain, "", [], plain, line, ref, section, period,
                        inherited=True,
                    )  # fmt: skip
                    continue
                # "Đối với đề án trồng cây ăn quả, tiếp tục đôn đốc …": the topic, then the work
                topic = _TOPIC.match(plain)
                work = plain[topic.end() :] if topic else plain
                joint = scope.connective_step(_aligned_fold(work))  # "Trên cơ sở đó có văn bản …"
                # "Sở GD-ĐT … đẩy mạnh công tác tuyên truyền …. Vận động giáo viên …": in a
                # story, a sentence after a named body's duty that opens with its own verb of
                # work is one more duty of that body (never "Căn cứ …", "Trong quá trình …",
                # "Phối hợp …": a basis, a manner, a hand in others' work)
                named_before = (
                    self.rendering
                    and last_item is not None
                    and last_owner is not None
                    and last_owner.named
                    and not _NO_DUTY_OPENING.match(fold(work[joint:]))
                    # a speaker's paragraph ("đề nghị xã Phố Cáo: …. Tăng cường …"): as before
                    and not _CUE_WORD.search(fold(text))
                    and not _GIAO_CUE.search(text)
                )
                if (
                    not explicit
                    and (spoken_to is not None or named_before)
                    and opens_step(work[joint:])
                    and not delivery_line(fold(work))
                ):
                    # "… yêu cầu ban soạn thảo tuân thủ hướng dẫn …. Làm rõ những kết quả …. Đi
                    # sâu phân tích …": in a rendering, each sentence after the speaker's
                    # direction that opens with its own verb is one more duty of its addressee
                    step = scope.connective_step(_aligned_fold(work))
                    last = cut and number == len(sentences) - 1
                    duty = work[step:] if step else work
                    # a speaker's sentence cut into its steps; a named body's next one kept whole
                    pieces = self._spoken_steps(duty, last) if spoken_to is not None else [duty]
                    for piece in pieces:
                        last_item = self._propose(
                            owner, piece, "", [], plain, line, ref, section, period,
                            inherited=True,
                        )  # fmt: skip
                    continue
                if (
                    not explicit
                    and not owner.spoken
                    and last_item is not None
                    and not listing
                    and not each
                ):
                    last_item.source_text = f"{last_item.source_text} {plain}"
                    continue
                # "1. Tăng cường công tác tuyên truyền …" under "… yêu cầu các cấp ủy, tổ chức
                # đảng … thực hiện tốt các nhiệm vụ sau:", or "1. Các cấp ủy, tổ chức đảng
                # quán triệt …": an item of its own is a duty of everyone, the office names who
                # "Theo đó, …", "Trong đó, các cơ quan, đơn vị, địa phương cần …": a story gives
                # the content of the letter it named, its directions
                letter = self.rendering and (
                    fold(adverbial).strip(" ,") in _LETTER_CONTENT or self.letter_told
                )
                duty_of_all = collective.duty(
                    owner,
                    what,
                    fold(plain[:action_at]),
                    explicit=explicit,
                    directive=self.directive,
                    scope_directs=bool(scopes and scopes[-1].directive) or continued,
                    notice=self.notice,
                    rendering=self.rendering,
                    spoken=spoken_to is not None or colon_cue or joined or letter,
                    own_item=item and number == 0,
                    directed=directed or continued,
                    listed=listing,
                    alone=alone,
                )
                # "… đồng thời yêu cầu triển khai thực hiện một số nội dung quan trọng sau:" then
                # "Tiếp tục tuyên truyền, treo cờ …", "Phó Chủ tịch … chỉ đạo khẩn trương hoàn
                # thành …": in a rendering, a direction that names no one is the speaker's
                # still, its owner for the office to name
                unowned = not owner.named and not owner.broad and not explicit
                spoken_item = (
                    self.rendering
                    and own_step(action)
                    and (owner.spoken or (spoken_lead and number == 0))
                )
                if (
                    (owner.broad and not duty_of_all)
                    or (unowned and not spoken_item)
                    or (not owner.named and not owner.broad and explicit)
                ):
                    last_owner, last_item = (owner if explicit else last_owner), None
                    pending = (owner, action, plain) if owner.broad else None
                    continue
                # "… tổ chức thực hiện tốt các chính sách an sinh xã hội; chú ý chăm lo các gia
                # đình chính sách": in a Chỉ thị's running prose, each step of a duty to everyone
                # is one duty (a numbered item stays one duty, however many steps it lists)
                split = owner.broad and self.directive and not item
                # "Phát biểu chỉ đạo, đồng chí … đề nghị Ban Thường vụ Huyện ủy cần quan tâm …;
                # chuẩn bị tốt …; nâng cao …": in a portal's or a newspaper's rendering, each step
                # of the speaker's direction is one duty of its addressee, an aim none
                spoken = (
                    explicit
                    and self.rendering
                    and (
                        speech.spoken_to(fold(plain[:action_at]))
                        or spoken_to is not None
                        or spoken_lead
                        or colon_cue
                        or joined
                        # "Theo đó, UBND các xã, thị trấn … tăng cường …; kiên quyết …; tổ chức
                        # …": a story gives the letter it named in the letter's own order, each
                        # step one duty of the body it names
                        or letter
                    )
                )
                if spoken and fold(adverbial).strip(" ,") in _LETTER_CONTENT:
                    self.letter_told, self._letter_owner = True, owner
                pieces = [action]
                if split:
                    pieces = duty_steps(action)
                elif spoken:
                    pieces = self._spoken_steps(action, cut and number == len(sentences) - 1)
                    last_item = None
                    # "Cụ thể, UBND TP yêu cầu lực lượng công an mở đợt …. Đồng thời, tập trung bảo
                    # đảm …": a body's cue addresses the sentences after it as a person's does
                    body_said = _BODY_CUE.search(plain[:action_at])
                    # (never "Giao Đảng ủy Chính phủ chỉ đạo Đảng ủy Bộ …": an assignment's cue)
                    body_cue = (
                        not listing
                        and body_said is not None
                        and not _GIAO.search(plain[: body_said.start() + 1])
                    )
                    if speaking or spoken_lead or body_cue:
                        spoken_to = owner
                elif listing and not explicit and self.rendering and speaking:
                    # "… đề nghị xã Phố Cáo: Chủ động …; tiếp tục …. Tăng cường …; tập trung …, thực
                    # hiện tốt …": each sentence of a speaker's colon list, cut into its steps
                    pieces = self._spoken_steps(action, cut and number == len(sentences) - 1)
                for at_piece, piece in enumerate(pieces):
                    stops = cut and number == len(sentences) - 1 and at_piece == len(pieces) - 1
                    if stops and len(piece.split()) < not_tasks.CUT_WORDS and len(pieces) > 1:
                        continue  # "…; phối hợp với các sở" where the page stops: no work yet
                    last_item = self._propose(
                        owner, piece, adverbial if explicit else "", [], plain, line, ref,
                        section, period, inherited=not explicit,
                    )  # fmt: skip
            else:
                steps = action_steps(action, marks, len(plain) - len(action))
                last_item = self._propose(
                    owner, action, adverbial if explicit else "", steps, plain, line, ref,
                    section, period, inherited=not explicit,
                )  # fmt: skip
            if explicit:
                last_owner = owner
        for proposed in self.items[first_item:]:
            for moved, clause in written:  # the sentence kept as written
                proposed.source_text = proposed.source_text.replace(moved, clause)
        self._carry = last_owner if last_owner is not None and last_owner.named else None
        return first_owner, first_period

    def _colon_addressee(self, plain: str) -> _Owner | None:
        """The body a speaker's sentence ending in a colon addresses ("… đồng chí Chủ tịch …
        chỉ đạo các chuyên môn, đơn vị … thực hiện tốt các nội dung như:"), or None (a label, a
        body's report of what it did: no person speaks)."""
        if not speech.led_by_speaker(plain):
            return None
        for cue in _COLON_LEAD_CUE.finditer(plain):
            owner, _, _ = self._object(plain, cue.end(), "")
            if (owner.named or owner.broad) and not owner.issuer:
                return owner
        return None

    def _duty(
        self,
        owner: _Owner,
        duty: str,
        source: str,
        line: int,
        ref: str,
        section: tuple[str, ...],
        period: str,
    ) -> ParsedItem | None:
        """One duty of a colon list ("Sở Y tế: a; b; c"), its owner the body before the colon
        (the one it directs, "chỉ đạo Trung tâm … tiếp nhận …", shown beside it)."""
        marks = self._marks(duty)
        what = fold(duty).strip(" ,:.")
        if not marks and (
            _ONLY_CARRY_OUT.match(what) or not_tasks.only_joins(what) or _ONLY_RELATED.match(what)
        ):
            return None
        if _DIRECTS_BODY.match(duty):
            directed, at, _ = self._owner(duty)
            if directed.named and not directed.broad and at > 0:
                owner = self._directing(owner, directed)
        steps = [_Mark(m.start, m.end, m.deadline) for m in marks]
        return self._propose(
            owner, duty, "", steps, source, line, ref, section, period, inherited=False
        )


def propose_tasks(
    source: str | Sequence[str], units: UnitRegistry, doc_date: date
) -> list[ParsedItem]:
    """Candidate tasks of a document's text (raw text, or its prose lines), status proposed."""
    return ProseReader(units, doc_date).read(source)


def read_prose(
    source: str | Sequence[str], units: UnitRegistry, doc_date: date
) -> tuple[list[ParsedItem], int]:
    """The proposals and how many sentences were read for them (the review says both)."""
    reader = ProseReader(units, doc_date)
    return reader.read(source), reader.sentences_read
