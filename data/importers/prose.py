"""Tasks written in sentences: the Thông báo, Kết luận or Kế hoạch without a task table.

A clerk reading "Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì phối hợp với Đảng ủy UBND
tỉnh … tham mưu …; trình Thường trực Tỉnh ủy **trước ngày 01/3/2026**" notes one task:
an owner, what is to be done, a deadline. This module proposes those tasks; nothing
it reads is sent anywhere until the office accepts it (``status == "proposed"``, the
sentence kept verbatim in ``source_text``).

How a document is read:

* **Paragraphs.** Lines are joined back into paragraphs (a line that does not end a
  sentence goes on when the next starts in lower case, or when the text is wrapped
  at a page width); footnotes and the distribution list ("Nơi nhận") and signature
  are dropped. Bold marks (``**…**``, ``<b>…</b>``) are kept: a document that bolds
  its deadlines is read by those marks only.
* **Structure.** Numbered headings ("I-", "2.", "2.1.") open sections; "(1)", "a)",
  "-" items sit under them. A paragraph ending with ":" is an intro: its owner goes to
  the items under it unless an item names its own. Sections "Mục đích, yêu cầu" hold
  no tasks.
* **Owners.** A sentence's owner opens it ("Chi bộ Hành chính – Quản trị tham mưu …",
  "Đối với …, Đảng ủy UBND tỉnh khẩn trương …") or follows a cue at its start ("Giao
  …", "Yêu cầu …", "Ban Chấp hành đề nghị …"): organisation names up to the first
  lower-case verb, read by ``UnitRegistry.resolve`` (registry units first, then names
  by their head nouns; "chủ trì" / "phối hợp với" give lead and cooperating units).
  The issuing body ("Ban Chấp hành Đảng bộ tỉnh", the signer's "Tỉnh ủy") only ever
  assigns. Words for everyone ("các cấp, các ngành, các địa phương", "cơ quan, đơn
  vị", "các đồng chí …") are no owner: a direction to everyone without a date is not
  proposed; with a date it is, without owner, for the office to assign.
* **Deadlines.** Each date phrase ("trước ngày 01/3/2026", "trong Quý I/2026", "tại kỳ
  họp cuối tháng 02/2026") is read by ``parse_deadline``; several in one sentence are
  several steps, one task each. A direction with an owner and no date is proposed as
  ongoing ("thường xuyên") or needing a date, flagged for the office.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from data.deadlines import Deadline, DeadlineKind, parse_deadline
from data.importers.interpret import ParsedItem
from data.text import clean, fold, unit_key
from data.units import Resolution, UnitRegistry

PROPOSED = "proposed"  # data.domain.TaskStatus.PROPOSED
APPENDIX = "Văn bản"  # ``ParsedItem.appendix`` of a task read from the text


class DocumentKind(StrEnum):
    """What a document is, from its heading."""

    KE_HOACH = "ke_hoach"
    THONG_BAO = "thong_bao"
    KET_LUAN = "ket_luan"
    CHI_THI = "chi_thi"
    NGHI_QUYET = "nghi_quyet"
    CHUONG_TRINH = "chuong_trinh_hanh_dong"
    OTHER = "khac"


_KIND_WORDS = (
    ("chuong trinh hanh dong", DocumentKind.CHUONG_TRINH),
    ("chuong trinh", DocumentKind.CHUONG_TRINH),
    ("ke hoach", DocumentKind.KE_HOACH),
    ("thong bao", DocumentKind.THONG_BAO),
    ("ket luan", DocumentKind.KET_LUAN),
    ("chi thi", DocumentKind.CHI_THI),
    ("nghi quyet", DocumentKind.NGHI_QUYET),
)


def document_kind(lines: Sequence[str]) -> DocumentKind:
    """The kind named by the heading ("KẾ HOẠCH", "THÔNG BÁO", "KẾT LUẬN" …)."""
    head = [clean(_MARKUP.sub(" ", line)).strip("#* ") for line in lines[:40]]
    head = [line for line in head if line]
    for upper_only in (True, False):
        for line in head[:20]:
            if upper_only and line != line.upper():
                continue
            key = fold(line)
            for word, kind in _KIND_WORDS:
                if key == word or key.startswith(word + " "):
                    return kind
    return DocumentKind.OTHER


_OPENING_DATE = re.compile(
    r"^ngay (\d{1,2}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(\d{4})\b"
    r"|^ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})"
)


def find_opening_date(lines: Sequence[str]) -> date | None:
    """ "Ngày 12/02/2026, Ban Chấp hành …": the date a notice or conclusion opens with."""
    for line in lines[:40]:
        match = _OPENING_DATE.match(fold(_MARKUP.sub(" ", line)).strip("#* "))
        if not match:
            continue
        day, month, year = (int(g) for g in match.groups() if g is not None)
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


# --- paragraphs ------------------------------------------------------------------------

_ON, _OFF = "\x01", "\x02"  # a bold mark's ends, kept inside the text while reading
_MARKUP = re.compile(r"</?b>|\*+", re.IGNORECASE)
_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_FOOTNOTE = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s")
_RULE = re.compile(r"^[-_=*\s]{3,}$")
_END = re.compile(r"^(noi nhan|t/m |tm\. |k/t |kt\. |luu:)")
_TERMINAL = ".:;!?"
# Markers of headings and items: "I-", "A-", "1.", "2.1-", "(1)", "a)", "-", "+".
_MARKER = re.compile(
    r"^(?P<marker>\((?P<paren>\d{1,2})\)|(?P<roman>[IVX]{1,5})[.-]|(?P<letter>[A-H])-"
    r"|(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})[.)-]?(?=\s)|(?P<sub>[a-zđ])\)|(?P<bullet>[-+•–]))\s*"
)


@dataclass
class _Para:
    text: str  # clean, with bold marks as _ON/_OFF; "\t" for a table or the signature
    line: int
    last: str = ""  # its last physical line (a wrapped line is as long as the page)


def _bold_marks(text: str) -> str:
    text = re.sub(r"<b>", _ON, text, flags=re.IGNORECASE)
    text = re.sub(r"</b>", _OFF, text, flags=re.IGNORECASE)
    out: list[str] = []
    bold = False
    for part in re.split(r"(\*{2,3})", text):
        if part.startswith("**"):
            out.append(_OFF if bold else _ON)
            bold = not bold
        else:
            out.append(part.replace("*", ""))
    return "".join(out)


def _plain(text: str) -> str:
    return clean(text.replace(_ON, "").replace(_OFF, ""))


def _paragraphs(source: str | Sequence[str]) -> list[_Para]:
    raw = source.splitlines() if isinstance(source, str) else list(source)
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(raw, start=1):
        if "\t" in line:  # a table row: the prose around tables stops there
            lines.append((number, "\t"))
            continue
        text = _SUPERSCRIPT.sub("", _FOOTNOTE.sub("\x00", line.strip()))
        text = re.sub(r"^#{1,6}\s*", "", text)
        if not text.strip() or text.startswith("\x00") or _RULE.match(text):
            continue
        lines.append((number, clean(_bold_marks(text))))
    lengths = sorted(len(t) for _, t in lines if t != "\t")
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    paras: list[_Para] = []
    for number, text in lines:
        if text == "\t":
            if paras and paras[-1].text != "\t":
                paras.append(_Para("\t", number))
            continue
        if fold(_plain(text)).startswith(("noi nhan", "t/m ", "tm. ", "k/t ", "kt. ")):
            paras.append(_Para("\t", number))
            continue
        previous = paras[-1] if paras else None
        if previous is not None and previous.text != "\t" and _goes_on(previous, text, width):
            previous.text = f"{previous.text} {text}"
            previous.last = text
        else:
            paras.append(_Para(text, number, text))
    return paras


def _goes_on(previous: _Para, text: str, width: int) -> bool:
    """Whether ``text`` continues the paragraph above (a wrapped line or a page break)."""
    tail = _plain(previous.text).rstrip(' )"”’')
    if not tail or tail[-1] in _TERMINAL:
        return False
    start = _plain(text)
    if not start or _MARKER.match(start):
        return False
    if start[0].islower() or tail[-1] in ",-–":
        return True
    numbered = _MARKER.match(_plain(previous.text))
    if numbered and not numbered.group("bullet") and previous.last == previous.text:
        return False  # "4. Các nghị quyết chuyên đề …" then "Để triển khai …": a heading
    return width >= 40 and len(_plain(previous.last)) >= 0.7 * width


# --- owners ------------------------------------------------------------------------------

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
        "chánh văn phòng", "ubmttq", "mttq",
    ),
    key=len,
    reverse=True,
)  # fmt: skip
_HEAD_AT = re.compile(r"(?:" + "|".join(re.escape(h) for h in _HEAD_WORDS) + r")(?![\wÀ-ỹ])")


def _lower(text: str) -> str:
    """Lower case with one spelling of "ủy" ("uỷ" → "ủy"), the same length as ``text``."""
    return text.lower().replace("uỷ", "ủy").replace("oà", "òa").replace("oá", "óa")


def _starts_org(text: str, *, object_of_cue: bool = False) -> bool:
    """Whether ``text`` opens with an organisation's name ("Ban …", "Chi bộ …", "các …").

    After a cue ("đề nghị cấp ủy các chi bộ …", "giao ban thường vụ các tỉnh ủy …") the
    name may be written in lower case: the cue says an owner follows.
    """
    key = _lower(text)
    if not _HEAD_AT.match(key):
        return False
    if object_of_cue:
        return True
    return text[:1].isupper() or key.startswith(("các ", "chi bộ ", "đồng chí "))


# Pieces of an owner list that name no one in particular.
_GENERIC = re.compile(
    r"^(?:cac |nhung |toan the |tat ca (?:cac )?)?(?:cap(?! uy cac chi bo)\b|nganh\b|dia phuong\b"
    r"|co quan\b|don vi\b|chinh quyen\b|so, ban\b|so ban\b|ban, nganh\b|to chuc dang\b"
    r"|to chuc co so dang\b|chi(?:,| va) dang bo\b|dong chi\b|uy vien\b|can bo\b|dang vien\b"
    r"|nguoi dung dau\b"
    r"|thu truong\b|doan the\b|hoi vien\b|doan vien\b|nhan dan\b|ca he thong chinh tri\b)"
)
# A list that opens with these addresses every level ("các cấp ủy, chính quyền, Mặt trận …"):
# one collective owner, however many bodies it goes on to name.
_EVERYONE = re.compile(
    r"^(?:cac |toan the )?(?:cap\b|to chuc (?:co so )?dang\b|chinh quyen\b|nganh\b"
    r"|dia phuong\b|co quan\b|don vi\b|can bo\b|dang vien\b)"
)
# The body that issues the document: it assigns, it owns nothing.
_ISSUER = re.compile(r"^(?:ban chap hanh\b|hoi nghi\b|tinh uy$|ban thuong vu tinh uy$)")
_ISSUER_SENTENCE = re.compile(
    r"(?:^|[;,] )(?P<org>[^;,]{3,80}?) (?:ban hanh|xay dung) ke hoach (?:thuc hien )?"
)
_SIGNER = re.compile(r"^t ?/ ?m\.? (?P<org>.+)$")

_ROLE_WORDS = ("chủ trì", "phối hợp với", "phối hợp cùng", "phối hợp", "cùng với")
_CUES = ("giao nhiệm vụ cho", "giao cho", "đề nghị", "yêu cầu", "giao")
# Lower-case words that end an owner list: what the owner is to do. Spelled as written.
_VERBS = tuple(
    sorted(
        (
            "chủ trì", "phối hợp", "tham mưu", "có trách nhiệm", "chịu trách nhiệm",
            "khẩn trương", "tập trung", "tiếp tục", "hoàn chỉnh", "hoàn thiện", "hoàn thành",
            "tiếp thu", "xây dựng", "tổ chức", "triển khai", "thực hiện", "lãnh đạo",
            "chỉ đạo", "rà soát", "nghiên cứu", "xem xét", "chuẩn bị", "báo cáo", "trình",
            "theo dõi", "kiểm tra", "giám sát", "đôn đốc", "phát huy", "nêu cao", "ban hành",
            "quán triệt", "tuyên truyền", "làm tốt", "tăng cường", "đẩy mạnh", "chủ động",
            "kịp thời", "phấn đấu", "bố trí", "cụ thể hóa", "cụ thể hoá", "hướng dẫn",
            "tích cực", "sớm", "bảo đảm", "đảm bảo", "cần", "phải", "cập nhật", "đề xuất",
            "gửi", "nộp", "đề nghị", "yêu cầu", "giao", "giao cho", "giao nhiệm vụ cho", "bám sát",
            "tiến hành", "có nhiệm vụ", "quyết liệt", "đầu tư", "nhận được", "vừa", "sẽ",
            "căn cứ", "duy trì",
            "quan tâm", "chấp hành", "thường xuyên", "khắc phục", "giải quyết", "đổi mới",
            "nâng cao", "vận động", "phổ biến", "học tập", "sơ kết", "tổng kết", "đánh giá",
            "chuyển", "cung cấp", "tổng hợp", "thẩm định", "trực tiếp", "nghiêm túc",
            "đã", "đang", "vẫn", "chưa", "thống nhất", "nhất trí", "chúc mừng", "biểu dương",
            "ghi nhận", "nhận định", "thảo luận", "kết luận", "họp", "là", "được", "có",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
_NARRATIVE = frozenset(
    (
        "đã", "đang", "vẫn", "chưa", "thống nhất", "nhất trí", "chúc mừng", "biểu dương",
        "ghi nhận", "nhận định", "thảo luận", "kết luận", "họp", "là", "được", "có",
        "nhận được", "vừa",
    )
)  # fmt: skip
_VERB_AT = re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(re.escape(v) for v in _VERBS) + r")(?![\wÀ-ỹ])")
# Adverbials before the subject: "Ngay sau Hội nghị này,", "Đối với Dự án …,".
_ADVERBIAL_OPENING = re.compile(
    r"^(?:ngay sau|sau khi|doi voi|tren co so|can cu|de |dong thoi|ben canh do|trong|tu nay den"
    r"|ngay |nham |thuc hien |ngoai ra|sau khi xem xet|theo do|tai |dinh ky|tu ngay)"
)
# "Mục đích, yêu cầu", "Mục tiêu chung": sections that state aims, not tasks.
# A sentence that only dates the task before it.
_CLOSING = re.compile(
    r"^(?:thoi (?:gian|han) (?:hoan thanh|thuc hien|bao cao)?|viec nay\b"
    r"|yeu cau hoan (?:thanh|thien)|han (?:hoan thanh|chot)|hoan thanh (?:truoc|trong|cham nhat))"
)
_LEAD_WORD = re.compile(r"^(?:rieng|dong thoi|ngoai ra|con|va) ")
_NO_TASKS = re.compile(r"^(?:muc dich|yeu cau|muc tieu|quan diem|nguyen tac|boi canh|tinh hinh)\b")
_TASK_WORDS = re.compile(r"\b(?:nhiem vu|giai phap|to chuc thuc hien)\b")
_CHI_BO_COMMITTEE = re.compile(r"\b[Cc]ấp (?:ủy|uỷ)\s+(?=các chi bộ)")


# "… ban hành chỉ thị yêu cầu", "… có ý kiến chỉ đạo như sau: giao": a cue after the issuing.
_ISSUED_CUE = re.compile(
    r"(?:vừa |đã |cũng )?(?:ban hành|có) (?:chỉ thị|công văn|văn bản|kế hoạch|thông báo"
    r"|quyết định|kết luận)(?: số \S+)?,? (?:giao nhiệm vụ cho|giao cho|yêu cầu|đề nghị|giao) ",
    re.IGNORECASE,
)


_DOCUMENT_CUE = re.compile(
    r"(?:Chỉ thị|Kế hoạch|Quyết định|Thông báo|Công văn|Văn bản|Nghị quyết|Kết luận)"
    r"(?: này)? (?:giao nhiệm vụ cho|giao cho|yêu cầu|đề nghị|giao) "
)


@dataclass
class _Owner:
    text: str = ""  # the owner words as written
    resolution: Resolution = field(default_factory=Resolution)
    broad: bool = False  # addressed to everyone ("các cấp, các ngành …")
    issuer: bool = False

    @property
    def named(self) -> bool:
        r = self.resolution
        return bool(r.units or r.unknown or r.all_chi_bo)


def _pieces(text: str) -> list[str]:
    """An owner list cut where a new organisation name begins ("…, các cơ quan")."""
    parts = re.split(r"(\s*,?\s*nhất là\s+|\s*[,;]\s*|\s+và\s+|\s+cùng\s+)", text)
    pieces = [parts[0]]
    for sep, piece in zip(parts[1::2], parts[2::2], strict=True):
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


# --- deadlines ---------------------------------------------------------------------------

_PREFIX_WORDS = frozenset(
    ("vao", "truoc", "trong", "cham", "muon", "nhat", "khong", "qua", "hoan", "thanh", "xong",
     "tai", "han", "den", "het", "cuoi", "ngay")
)  # fmt: skip
_DATE = (
    r"(?:ngay \d{1,2} ?[/.-] ?\d{1,2}(?: ?[/.-] ?\d{2,4})?"
    r"|ngay \d{1,2} thang \d{1,2}(?: nam \d{4})?"
    r"|thang \d{1,2}(?: ?[/.-] ?\d{4}| nam \d{4})|quy (?:[ivx]+|\d)(?: ?[/.-] ?\d{4}| nam \d{4})"
    r"|(?:6|sau|hai|2) (?:thang|quy) (?:dau|cuoi) nam \d{4}|nam \d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{4}"
    r"|\d{1,2}/\d{1,2}(?![/\d])"
    r"|\d{1,3} ngay (?:lam viec )?ke tu ngay (?:ky|ban hanh))"
)
_INLINE = re.compile(
    r"\b(?:(?:(?:hoan thanh|xong) )?(?:truoc|cham nhat|muon nhat|khong qua|khong muon hon"
    r"|han chot|trong vong|trong|vao|den het|het|tai ky hop(?: thu \w+)?)|hoan thanh)(?: cuoi)? "
    + _DATE
    + r"(?: ?\([^()]{3,80}\))?"  # "(sau khi Bộ ban hành hướng dẫn)": read with it, kept
)
# Periodic duties inside a sentence: "định kỳ trước ngày 25 hằng tháng", "thứ Sáu hằng tuần",
# "định kỳ hằng năm (trước ngày 15/11)", "từ ngày 1 đến ngày 5 hằng tháng", "hằng quý".
_RECUR_INLINE = re.compile(
    r"\b(?:dinh ky )?(?:(?:tu|truoc|cham nhat|vao|trong|den) )?"
    r"(?:ngay \d{1,2}(?: ?[/.-] ?\d{1,2})? (?:den (?:ngay )?\d{1,2} )?(?:cua )?"
    r"|(?:(?:sang|chieu) )?thu (?:hai|ba|tu|nam|sau|bay) |chu nhat )?"
    r"(?:hang|moi) (?:tuan|thang|quy|nam)\b"
    r"(?: ?\(? ?,? ?(?:truoc|cham nhat|vao) ngay \d{1,2}(?: ?[/.-] ?\d{1,2})?\)?)?"
    r"|\bdinh ky (?:6|sau|3|ba) thang\b"
)
_PERIODIC_VERB = re.compile(
    r"\b(?:bao cao|so ket|tong ket|kiem tra|hop|giao ban|danh gia|cap nhat|gui|nop|tong hop)\b"
)
_DATED = frozenset(
    {DeadlineKind.DUE, DeadlineKind.TERM, DeadlineKind.DUE_THEN_ONGOING, DeadlineKind.FROM}
)
_ONGOING_WORDS = re.compile(r"\b(?:thuong xuyen|lien tuc|dinh ky)\b")


@dataclass
class _Mark:
    start: int  # span in the plain sentence, the modifier words included
    end: int
    deadline: Deadline


def _aligned_fold(text: str) -> str:
    """``fold`` letter by letter: the same length, so spans map back to the text."""
    out = []
    for ch in text:
        if ch.isspace():
            out.append(" ")
            continue
        folded = fold(ch)
        out.append(folded[:1] if folded else " ")
    return "".join(out)


def _is_future(deadline: Deadline, doc_date: date) -> bool:
    when = deadline.due or deadline.start
    return deadline.kind in _DATED and when is not None and when >= doc_date


# --- the reader -------------------------------------------------------------------------


@dataclass
class _Scope:
    level: float
    owner: _Owner
    period: str = ""  # "Trong 6 tháng cuối năm 2022, …": the intro's time frame


@dataclass
class _Heading:
    level: float
    label: str


def _level(match: re.Match[str]) -> float:
    if match.group("letter"):
        return 0
    if match.group("roman"):
        return 1
    if match.group("num"):
        return 2 + match.group("num").count(".")
    if match.group("paren"):
        return 6
    if match.group("sub"):
        return 7
    return 8 if match.group("marker") in "-–•" else 9


class ProseReader:
    def __init__(self, units: UnitRegistry, doc_date: date) -> None:
        self.units = units
        self.doc_date = doc_date
        self.items: list[ParsedItem] = []
        self.issuers = _Issuers()
        self.bold_deadlines = False
        self._keys: Counter[str] = Counter()
        self.sentences_read = 0  # for the review: how much of the text was read

    # -- the document -----------------------------------------------------------------

    def read(self, source: str | Sequence[str]) -> list[ParsedItem]:
        raw = source.splitlines() if isinstance(source, str) else list(source)
        for line in raw:
            match = _SIGNER.match(fold(_MARKUP.sub(" ", line)).strip("#* "))
            if match:
                self.issuers.exact.add(unit_key(match.group("org").split(" - ")[0]))
        paras = _paragraphs(source)
        self.bold_deadlines = any(
            self._bold_marks(_plain_with_marks(p.text)) for p in paras if p.text != "\t"
        )
        headings: list[_Heading] = []
        scopes: list[_Scope] = []
        skip_level: float | None = None
        item_ref = ""
        for index, para in enumerate(paras):
            if para.text == "\t":
                break  # a table, the signature or the distribution list: the body is over
            text = para.text
            self.sentences_read += len(_sentences(text))
            plain = _plain(text)
            if index < 15:
                self._issuer_sentence(plain)
            marker = _MARKER.match(plain)
            level = _level(marker) if marker else None
            body = plain[marker.end() :] if marker else plain
            if self._is_heading(plain, marker) and marker is None:
                continue  # the letterhead, the kind and the title: no section of the body
            if self._is_heading(plain, marker):
                hl = level if level is not None else (headings[-1].level + 1 if headings else 1)
                while headings and headings[-1].level >= hl:
                    headings.pop()
                headings.append(_Heading(hl, plain))
                item_ref = ""
                scopes = [s for s in scopes if s.level < hl]
                if skip_level is not None and hl <= skip_level:
                    skip_level = None
                if _NO_TASKS.match(fold(body)) and not _TASK_WORDS.search(fold(body)):
                    skip_level = hl
                named = self._name_only(body)
                if named is not None:  # "2. Sở Khoa học và Công nghệ", "c) Bộ Y tế"
                    scopes.append(_Scope(hl, named))
                continue
            if skip_level is not None:
                continue
            if level is not None:
                scopes = [s for s in scopes if s.level < level]
            own_level = (
                level if level is not None else (headings[-1].level + 0.5 if headings else 0.5)
            )
            if marker and not marker.group("bullet"):
                item_ref = marker.group("marker").rstrip(".-)")
                if marker.group("paren"):
                    item_ref = f"({marker.group('paren')})"
            ref = item_ref
            intro = plain.rstrip(" )").endswith(":")
            mark_text = text
            if marker:
                mark_text = _strip_marker(text, marker.end())
            named = self._name_only(body) if intro else None
            if named is not None:  # "1. Sở Tài chính:" then "a) …", "- …": that body's duties
                scopes.append(_Scope(own_level, named))
                continue
            owner, period = self._paragraph(
                mark_text, para.line, ref, tuple(h.label for h in headings), scopes, intro
            )
            if intro:
                inherited = (
                    scopes[-1].owner if scopes and not owner.named and not owner.broad else owner
                )
                scopes.append(
                    _Scope(own_level, inherited, period or (scopes[-1].period if scopes else ""))
                )
        return self.items

    def _issuer_sentence(self, plain: str) -> None:
        match = _ISSUER_SENTENCE.search(_aligned_fold(plain))
        if match:
            org = plain[match.start("org") : match.end("org")]
            if _starts_org(org):
                self.issuers.prefix.add(unit_key(org))

    @staticmethod
    def _is_heading(plain: str, marker: re.Match[str] | None) -> bool:
        bare = plain.rstrip(" *")
        if not bare or bare[-1] in _TERMINAL:
            return False
        if marker and marker.group("bullet"):
            return False
        letters = [c for c in bare if c.isalpha()]
        if letters and bare == bare.upper() and len(letters) > 3:
            return True
        if marker is not None and (marker.group("roman") or marker.group("letter")):
            return True
        return marker is not None and not marker.group("paren")

    # -- one paragraph ----------------------------------------------------------------

    def _paragraph(
        self,
        text: str,
        line: int,
        ref: str,
        section: tuple[str, ...],
        scopes: list[_Scope],
        intro: bool,
    ) -> tuple[_Owner, str]:
        """Proposes the paragraph's tasks; returns its owner and time frame (for an intro)."""
        inherited = scopes[-1].owner if scopes else _Owner()
        period = scopes[-1].period if scopes else ""
        last_owner: _Owner | None = None
        last_item: ParsedItem | None = None
        first_owner = _Owner()
        first_period = ""
        sentences = [c for s in _sentences(text) for c in self._clauses(s)]
        for number, sentence in enumerate(sentences):
            plain = _plain(sentence)
            if not plain:
                continue
            if _CLOSING.match(fold(plain)):  # "Thời gian hoàn thành: trước ngày 10/11/2026."
                target = last_item or (self.items[-1] if self.items and not scopes else None)
                if target is not None or not self._marks(sentence):
                    if target is not None:
                        self._close(target, plain, self._marks(sentence))
                    continue
            owner, action_at, adverbial = self._owner(plain)
            if number == 0:
                first_owner = owner
                first_period = self._period(adverbial)
            if owner.issuer:
                last_owner, last_item = None, None
                continue
            if intro and number == len(sentences) - 1:
                break  # the intro names who does the items; it is no task itself
            marks = self._marks(sentence)
            explicit = owner.named or owner.broad
            if not explicit:
                owner = last_owner if last_owner is not None else inherited
                action_at = 0
            action = plain[action_at:]
            if not marks:
                if not explicit and last_item is not None:
                    last_item.source_text = f"{last_item.source_text} {plain}"
                    continue
                if owner.broad or not owner.named:
                    last_owner, last_item = (owner if explicit else last_owner), None
                    continue
                last_item = self._propose(
                    owner, action, adverbial if explicit else "", [], plain, line, ref,
                    section, period, inherited=not explicit,
                )  # fmt: skip
            else:
                shift = len(plain) - len(action)
                steps = [_Mark(m.start - shift, m.end - shift, m.deadline) for m in marks]
                steps = [m for m in steps if m.start >= 0]
                if not steps:  # "Định kỳ từ ngày 1 đến ngày 5 hằng tháng, các đơn vị … cập nhật"
                    steps = [_Mark(len(action), len(action), marks[-1].deadline)]
                last_item = self._propose(
                    owner, action, adverbial if explicit else "", steps, plain, line, ref,
                    section, period, inherited=not explicit,
                )  # fmt: skip
            if explicit:
                last_owner = owner
        return first_owner, first_period

    def _name_only(self, text: str) -> _Owner | None:
        """The owner a heading or an intro names when it is only a name ("Sở Tài chính:")."""
        name = text.strip(" :.*")
        bare = re.sub(r"^(?:các|Các|CÁC)\s+", "", name)  # "Các khâu đột phá" names no body
        if not name or len(name) > 120 or _VERB_AT.search(name):
            return None
        if not _starts_org(name) or (bare != name and not _starts_org(bare[:1].upper() + bare[1:])):
            return None
        if _HEAD_AT.match(_lower(bare)) and _lower(bare).startswith("các "):
            return None
        owner = self._read_owner(name)
        return owner if owner.named and not owner.issuer else None

    def _clauses(self, sentence: str) -> list[str]:
        """A sentence cut where a clause after ";" names its own owner ("…; Ban Tổ chức
        Huyện ủy tham mưu …; Ủy ban kiểm tra Huyện ủy theo dõi …")."""
        if ";" not in sentence:
            return [sentence]
        head, _, _ = self._owner(_plain(sentence))
        if not head.named or head.issuer:
            return [sentence]  # a narrative ("Dự hội nghị có …; …") or a list of steps
        out: list[str] = []
        at = 0
        for semi in re.finditer(";", sentence):
            rest = _plain(sentence[semi.end() :])
            owner, action_at, adverbial = self._owner(rest)
            opens = bool(adverbial) or (rest[:1].isupper() and _starts_org(rest))
            # the clause before must hold its own action: "giao Chủ tịch UBND các huyện: A, B;
            # Giám đốc Sở … thực hiện" is one owner list, not two clauses
            before = _plain(sentence[at : semi.start()])
            closed = self._owner(before)[1] > 0
            if opens and closed and owner.named and not owner.issuer and action_at > 0:
                out.append(sentence[at : semi.start()].strip() + ".")
                at = semi.end()
        out.append(sentence[at:].strip())
        return [c for c in out if c]

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

    def _period(self, adverbial: str) -> str:
        match = _INLINE.search(fold(adverbial)) if adverbial else None
        return adverbial[match.start() : match.end()] if match else ""

    def _owner(self, plain: str) -> tuple[_Owner, int, str]:
        """The owner a sentence opens with, where its action starts, and its adverbial."""
        adverbial, start = self._adverbial(plain)
        cue = self._cue_at(plain, start)
        if cue:  # "Giao Đảng ủy UBND tỉnh hoàn thiện …"
            return self._object(plain, start + cue, adverbial)
        by_document = _DOCUMENT_CUE.match(plain, start)
        if by_document:  # "Chỉ thị yêu cầu UBND các huyện, thành phố chỉ đạo …"
            return self._object(plain, by_document.end(), adverbial)
        if not _starts_org(plain[start:]):
            return _Owner(), 0, adverbial
        span_end = self._owner_end(plain, start)
        if span_end is None or span_end == start:
            return _Owner(), 0, adverbial
        subject = plain[start:span_end].strip(" ,")
        verb = _VERB_AT.match(plain, span_end)
        word = verb.group(0) if verb else ""
        if word in _CUES:  # "Ban Chấp hành … đề nghị các đảng ủy …": the object owns it
            return self._object(plain, span_end + len(word) + 1, adverbial)
        issued = _ISSUED_CUE.match(plain, span_end)
        if issued:  # "Chủ tịch UBND tỉnh ban hành chỉ thị yêu cầu Thủ trưởng các sở …"
            return self._object(plain, issued.end(), adverbial)
        if word in _NARRATIVE:  # "Ban Chấp hành … đã thảo luận", "… thống nhất nhận định"
            return _Owner(issuer=True), 0, adverbial
        return self._read_owner(subject), span_end, adverbial

    def _object(self, plain: str, at: int, adverbial: str) -> tuple[_Owner, int, str]:
        end = self._owner_end(plain, at)
        if end is None or not _starts_org(plain[at:], object_of_cue=True):
            return _Owner(), 0, adverbial
        name = plain[at:end]
        return self._read_owner(name[:1].upper() + name[1:]), end, adverbial

    def _adverbial(self, plain: str) -> tuple[str, int]:
        """ "Ngay sau Hội nghị này, yêu cầu …", "Đối với Dự án …, Đảng ủy UBND tỉnh …"."""
        key = _aligned_fold(plain)
        lead = _LEAD_WORD.match(key)
        if lead and _starts_org(plain[lead.end() :]):
            return "", lead.end()  # "Riêng UBND huyện Quế Sơn theo dõi …"
        if not _ADVERBIAL_OPENING.match(key):
            return "", 0
        for comma in re.finditer(r",\s*", plain[:400]):
            rest = comma.end()
            if _starts_org(plain[rest:]):
                return plain[: comma.start()], rest
            if self._cue_at(plain, rest):
                return plain[: comma.start()], rest
        return "", 0

    @staticmethod
    def _cue_at(plain: str, at: int) -> int:
        """Length of a cue ("Giao ", "Yêu cầu ", "Đề nghị ") at ``at``, or 0."""
        lower = plain[at:].lower()
        for cue in _CUES:
            if lower.startswith(cue + " "):
                return len(cue) + 1
        return 0

    def _owner_end(self, plain: str, start: int) -> int | None:
        """Where the owner words end: the first lower-case verb (role words included)."""
        at = self._known_prefix(plain, start)
        while True:
            verb = _VERB_AT.search(plain, at)
            if verb is None:
                return None
            word = verb.group(0)
            alone = not re.match(r"\s+(?:với|cùng)\b", plain[verb.end() :])
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
            if word == "tổ chức" and re.match(r" (?:cơ sở )?đảng\b| chính trị| thành viên", after):
                at = verb.end()  # "Các cấp ủy, tổ chức đảng, …": still the list of names
                continue
            if word == "đầu tư" and before.endswith(("dự án ", "và ")):
                at = verb.end()  # "Ban Quản lý dự án đầu tư xây dựng …": still the name
                continue
            if before.endswith(("các ", "những ", "ban ", "ủy ban ", "được ")):
                at = verb.end()  # "các tổ chức đảng", "Ủy ban kiểm tra": still the name
                continue
            if word in ("có", "là", "được") and verb.start() > start:
                at = verb.end()  # "… có liên quan", "… được khen thưởng": still the name
                continue
            return verb.start()

    def _known_prefix(self, plain: str, start: int) -> int:
        """The end of the longest registry unit named at ``start`` (or ``start``)."""
        ends = [m.start() for m in re.finditer(r"(?=[\s,;]|$)", plain[start : start + 90])]
        for end in sorted(set(ends), reverse=True):
            if end and self.units.lookup(plain[start : start + end]) is not None:
                return start + end
        return start

    def _read_owner(self, text: str) -> _Owner:
        text = _CHI_BO_COMMITTEE.sub("", text.strip(" ,;:"))
        # "Sở Kế hoạch và Đầu tư - cơ quan thường trực … giúp Ban …": the body, not its role
        text = re.split(r"\s+[-–]\s+cơ quan\b|,\s*cơ quan thường trực\b|\s+giúp\s", text)[0]
        parts = re.split(r"\s*,?\s*phối hợp (?:với|cùng)\s+", text, maxsplit=1)
        lead_text = re.sub(r"\s*,?\s*chủ trì\s*,?$", "", parts[0]).strip()
        coop_text = parts[1] if len(parts) > 1 else ""
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
        return _Owner(
            text,
            Resolution(
                units=units,
                unknown=tuple(dict.fromkeys(n for r in reads for n in r.unknown)),
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

    def _bold_marks(self, sentence: str) -> list[_Mark]:
        plain_marks: list[_Mark] = []
        offset = 0
        plain_parts: list[str] = []
        for match in re.finditer(rf"{_ON}([^{_OFF}]*){_OFF}?", sentence):
            before = sentence[offset : match.start()].replace(_ON, "").replace(_OFF, "")
            plain_parts.append(before)
            start = len("".join(plain_parts))
            inner = match.group(1)
            plain_parts.append(inner)
            end = start + len(inner)
            offset = match.end()
            plain_marks.append(_Mark(start, end, Deadline(DeadlineKind.UNREADABLE, inner)))
        whole = "".join(plain_parts) + sentence[offset:].replace(_ON, "").replace(_OFF, "")
        out: list[_Mark] = []
        for mark in plain_marks:
            words = whole[: mark.start].split(" ")
            taken: list[str] = []
            while words and len(taken) < 4:
                word = words[-1]
                if word and fold(word) in _PREFIX_WORDS:
                    taken.insert(0, word)
                    words.pop()
                elif not word:
                    words.pop()
                else:
                    break
            prefix = " ".join(taken)
            phrase = clean(f"{prefix} {whole[mark.start : mark.end]}")
            deadline = parse_deadline(phrase, self.doc_date)
            if not _is_future(deadline, self.doc_date):
                continue
            start = mark.start - (len(prefix) + 1 if prefix else 0)
            out.append(_Mark(max(start, 0), mark.end, deadline))
        return out

    def _marks(self, sentence: str) -> list[_Mark]:
        """The dated phrases of a sentence, as spans of its plain text."""
        plain = _plain(sentence)
        if self.bold_deadlines:
            marks = self._bold_marks(_plain_with_marks(sentence))
            return _remap(marks, _plain_with_marks(sentence), plain)
        key = _aligned_fold(plain)
        out = []
        # A periodic duty first ("trước ngày 25 hằng tháng", "hằng năm (trước ngày 15/11)"):
        # its day is never read as a single date.
        for match in _RECUR_INLINE.finditer(key):
            bare = not re.search(r"dinh ky|ngay|thu|chu nhat", match.group())
            before = key[max(0, match.start() - 30) : match.start()]
            if bare and (not _PERIODIC_VERB.search(before) or re.search(r"\d nam va $", before)):
                continue  # "kế hoạch … 5 năm và hằng năm": which plan, not when
            phrase = plain[match.start() : match.end()]
            deadline = parse_deadline(phrase, self.doc_date)
            if deadline.kind is DeadlineKind.RECURRING:
                out.append(_Mark(match.start(), match.end(), deadline))
        for match in _INLINE.finditer(key):
            if any(m.start < match.end() and match.start() < m.end for m in out):
                continue
            phrase = plain[match.start() : match.end()]
            deadline = parse_deadline(phrase, self.doc_date)
            flagged = deadline.kind is DeadlineKind.UNREADABLE and phrase.endswith(")")
            if _is_future(deadline, self.doc_date) or (flagged and deadline.suggestion):
                out.append(_Mark(match.start(), match.end(), deadline))  # flagged: for review
        return sorted(out, key=lambda m: m.start)

    # -- a proposal ---------------------------------------------------------------------

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
        titles: list[tuple[str, Deadline]] = []
        if not steps:
            titles.append((_title(action, context), self._undated(source, period)))
        else:
            pieces: list[str] = []
            at = 0
            for mark in steps:
                pieces.append(action[at : mark.start])
                at = mark.end
            tail = action[at:].strip(" ,;.")
            if tail:  # "… nhằm …", "… theo chỉ đạo của Trung ương": still the last step's
                pieces[-1] = f"{pieces[-1].rstrip(' ,;')} {tail}"
            head, semi, rest = pieces[0].rpartition(";")
            periodic = steps[0].deadline.kind is DeadlineKind.RECURRING
            if semi and periodic and len(head.split()) >= 4:
                # "tham mưu … triển khai Kế hoạch; tổ chức sơ kết hằng năm, …": the work
                # before ";" is a task of its own, the periodic duty another
                titles.append((_title(head, context), self._undated(head, period)))
                pieces[0] = rest
            lead = ""
            if len(steps) > 1:
                lead, pieces[0] = _split_lead(pieces[0])
            for piece, mark in zip(pieces, steps, strict=True):
                step = re.sub(r"^[\s,;]*(?:và|rồi|sau đó)?\s*", "", piece).strip(" ,;.")
                text = f"{lead}, {step}" if lead and step else (lead or step)
                titles.append((_title(text, context), mark.deadline))
        item: ParsedItem | None = None
        for title, deadline in titles:
            item = self._item(owner, title, deadline, source, line, ref, section, inherited)
        assert item is not None
        return item

    def _undated(self, source: str, period: str) -> Deadline:
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
            unit_text=owner.text if owner.named else "",
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
        )
        self.items.append(item)
        return item


# --- small helpers -----------------------------------------------------------------------


def _strip_marker(text: str, plain_end: int) -> str:
    """``text`` (with bold marks) without its first ``plain_end`` plain characters."""
    count = 0
    for index, ch in enumerate(text):
        if count >= plain_end and ch not in (_ON, _OFF):
            return text[index:].lstrip()
        if ch not in (_ON, _OFF):
            count += 1
    return ""


def _plain_with_marks(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _remap(marks: list[_Mark], marked: str, plain: str) -> list[_Mark]:
    """Spans of the mark-free text of ``marked`` to spans of ``plain`` (``clean``ed)."""
    bare = marked.replace(_ON, "").replace(_OFF, "")
    if bare == plain:
        return marks
    out = []
    for mark in marks:
        fragment = bare[mark.start : mark.end].strip()
        found = plain.find(fragment)
        if found >= 0:
            out.append(_Mark(found, found + len(fragment), mark.deadline))
    return out


_SENTENCE_END = re.compile(rf"(?<=[.!?…])[{_OFF}\"”’)]*\s+(?=[{_ON}(\"“]?[A-ZÀ-ỸĐ])")


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    at = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 4) : match.start()]
        if re.search(r"(?:\b[A-ZĐ]|TP|Tp|Đ/c|đ/c)\.$", before.replace(_OFF, "")):
            continue  # "TP. Lai Châu", an initial
        out.append(text[at : match.end()].strip())
        at = match.end()
    out.append(text[at:].strip())
    return [s for s in out if s]


_STEP_VERB = re.compile(r",?\s*\b(?:trình|báo cáo|gửi|nộp|ban hành|hoàn thành|tổ chức)\b")


def _split_lead(first: str) -> tuple[str, str]:
    """ "Hoàn thiện điều chỉnh Quy hoạch tỉnh, trình Ban Thường vụ …" → the work, the step."""
    matches = list(_STEP_VERB.finditer(first))
    if not matches or matches[-1].start() == 0:
        return "", first
    last = matches[-1]
    return first[: last.start()].strip(" ,;"), first[last.start() :].strip(" ,;")


def _title(text: str, context: str) -> str:
    text = re.sub(r"^(?:có|chịu) trách nhiệm\s+", "", clean(text).strip(" ,;:."))
    text = re.sub(r"\s+([,;.])", r"\1", text)
    text = re.sub(r"([,;])\1+", r"\1", text)
    if context:
        text = f"{context}, {text}"
    return text[:1].upper() + text[1:]


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
