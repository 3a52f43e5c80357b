"""The reader's words: modifiers, fillers, numbers, plausibility windows, the phrase-level
classes (done, waiting, ongoing, horizon, references) and the rewrites of words around a
phrase that name no date ("Đợt 2:", "17 giờ 00", "hai quý đầu năm")."""

from __future__ import annotations

import re

# --- plausibility windows -------------------------------------------------------------

_PAST_YEARS = 10  # a deadline this many years before the document is still believable
_FUTURE_YEARS = 30  # "tầm nhìn đến năm 2050" in a 2022 document
_TYPO_WINDOW = 5  # a one-digit fix must land this close to the document's year
_TERM_YEARS = 5  # one Party term (nhiệm kỳ): the plausible length of a truncated range
_MAX_SPAN = 30  # a longer "Năm A - B" range is a typo
_UNIT_WORDS = 12  # a unit name is short; a longer text starting with one is a sentence
_BORROW_GAP = 20  # "tháng 3 - 6/2026": a yearless mention borrows the year this close by
_PROSE_LEAD = 3  # this many words before the first mention make the phrase a sentence

_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[a-z0-9%]+")

# --- vocabulary -----------------------------------------------------------------------

_MOD_CATEGORY = {
    "truoc": "before",
    "cham nhat": "by",
    "muon nhat": "by",
    "khong qua": "by",
    "khong muon hon": "by",
    "khong cham hon": "by",
    "han chot": "by",
    "han cuoi": "by",
    "thoi han": "by",
    "han": "by",
    "den het": "to",
    "den cuoi": "to",
    "toi het": "to",
    "den": "to",
    "toi": "to",
    "trong suot": "in",
    "trong": "in",
    "vao": "in",
    "cuoi": "in",
    "het": "in",
    "hoan thanh": "in",
    "xong": "in",
    "bat dau tu": "from",
    "bat dau": "from",
    "ke tu": "from",
    "tinh tu": "from",
    "tu": "from",
    "dau": "vague",
    "giua": "vague",
    "sau": "after",
}
_MODS = "|".join(sorted(_MOD_CATEGORY, key=len, reverse=True))

# Understood words besides the mentions and recognised phrases (see the module doc).
_FILLER_TEXT = (
    "hoan thanh thuc hien trinh bao cao xong trong vong vao ngay la va cua cac nay"
    " thoi gian han tien do nam thang quy tuan truoc cham nhat den toi het cuoi tu ke"
    " tinh bat dau trien khai to chuc ban hanh gui nop duoc lan dot ket thuc tham muu"
    " lam viec phan dau nhung"
)
_FILLERS = frozenset(f"{' '.join(_MOD_CATEGORY)} {_FILLER_TEXT}".split())
_WORD_NUMBER = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
    "tam": 8, "chin": 9, "muoi": 10, "muoi hai": 12,
}  # fmt: skip
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_ROMAN_OUT = ("", "I", "II", "III", "IV")
_UNIT_WORD = {"ngay": "ngày", "tuan": "tuần", "thang": "tháng", "nam": "năm", "quy": "quý"}
# --- phrase-level classes ---------------------------------------------------------------

# "Kế hoạch số 147-KH/TU ngày 14/12/2021", "ngày 10/02/2022 của Bộ Chính trị": the
# date of a cited document, never a deadline.
_REFERENCE = re.compile(
    r"\bso \d+[\w./-]*(?: ?,)? ?(?:ngay )?\d{1,2} ?[/.-] ?\d{1,2} ?[/.-] ?\d{2,5}"
    r"|\bngay \d{1,2} ?[/.-] ?\d{1,2} ?[/.-] ?\d{2,5}(?= ?,? cua\b)"
)
# "tầm nhìn đến năm 2045", "định hướng đến năm 2035": a horizon, not a deadline; read
# only when the phrase has nothing else.
_HORIZON = re.compile(r"\b(?:tam nhin|dinh huong)(?: (?:den|toi))?(?: nam)? \d{4}")
_DONE = re.compile(
    r"(?:da|da duoc|da co) (?:tham muu )?(?:ban hanh|hoan thanh|thuc hien|trien khai|to chuc"
    r"|trinh|phe duyet|xong|ky|thong qua|xay dung|gui|bao cao|cong bo|ket thuc|nop|ke hoach"
    r"|van ban|quyet dinh)\b|(?:da )?xong\.?$|da hoan tat\b"
)
_IN_PROGRESS = re.compile(r"dang (?:thuc hien|trien khai|to chuc|xay dung)\b")
# Counted from an event that has no date yet: "sau khi Đề án được phê duyệt", "kể từ
# ngày nhận đơn", "trước ngày khai mạc Đại hội", "theo chỉ đạo của Tỉnh ủy".
_WAITING = re.compile(
    r"\b(?:theo (?:su )?(?:chi dao|huong dan|yeu cau|ke hoach|lo trinh|quy dinh|thong bao"
    r"|tien do|phan cong|chu truong|de nghi|van ban|lich|ket luan|nghi quyet)"
    r"|(?:ngay )?sau khi|(?:ke )?tu khi|truoc khi|ngay khi|khi (?:co|duoc|nhan|ban hanh"
    r"|trung uong|tinh uy|cap tren|phat sinh|can|nao)|cho (?:chi dao|huong dan|y kien|van ban)"
    r"|(?:truoc|sau|ke tu|tinh tu|cham nhat|den|toi) (?:ngay|dip|thoi diem) (?!\d)[a-z]+"
    r"|(?:truoc|sau) (?:dai hoi|ky hop|hoi nghi)"
    r"|phat sinh)\b"
)
_ONGOING = re.compile(
    r"\b(?:thuong xuyen|lien tuc|lau dai|(?:cac|nhung) nam tiep theo|nam tiep theo|tro di"
    r"|(?:trong |xuyen )?suot qua trinh|(?:trong|xuyen suot|gan voi) qua trinh)\b"
)
_UNIT = re.compile(
    r"(?:cac )?(?:chi bo|dang uy|dang bo|uy ban|ubnd|ubkt|hdnd|van phong|huyen uy|tinh uy"
    r"|thanh uy|cap uy|ban (?!hanh\b)|so |phong |cong doan|doan thanh nien|mat tran"
    r"|hoi dong|bo )"
)
_HEADER = re.compile(
    r"(?:thoi gian|thoi han|tien do|han)(?: (?:trinh|hoan thanh|thuc hien|bat dau|ket thuc))?"
    r"|don vi(?: (?:tham muu|chu tri|thuc hien|phoi hop))?|nhiem vu|noi dung|tt|stt|ghi chu"
)
_PERIODIC_ONLY = re.compile(r"\bdinh ky\b")
_CLAUSE_END = re.compile(r"[,;.)]|$")

_HOUR_BEFORE = r"\btrước\s+(?=\d{1,2} ?(?:giờ|h)(?: ?\d{2})?(?: ?phút)?,?\s*ngày\b)"
# Words around a phrase that name no date: rewritten away before reading, kept in the note.
_REWRITES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    # "Đợt 2: Từ ngày 01/3 …": the batch's number is no date
    (re.compile(r"^\s*((?:Đợt|đợt|ĐỢT|Giai đoạn|giai đoạn|Lần|lần) (?:\d{1,2}|[IVX]{1,4})\s*:)\s*"),
     "", "{0}"),
    # "đến 17 giờ 00, ngày 20/01/2027": the hour of the last day
    # "trước 17 giờ ngày 15/3": by that hour of that day, not the day before
    (re.compile(_HOUR_BEFORE, re.IGNORECASE), "chậm nhất ", ""),
    # "vào lúc 16h00 ngày 20/4/2027": "lúc" goes with the hour
    (re.compile(r"\b(?:lúc\s+)?(\d{1,2} ?(?:giờ|h)(?: ?\d{2}(?: ?phút)?)?),?\s*(?=ngày\b)",
                re.IGNORECASE),
     "", "hạn lúc {0}"),
    # "trong hai quý đầu năm 2027": the first two quarters
    (re.compile(r"\b(?:hai|2) quý đầu (năm \d{4})", re.IGNORECASE), r"Quý I và Quý II \1", ""),
    (re.compile(r"\b(?:hai|2) quý cuối (năm \d{4})", re.IGNORECASE), r"Quý III và Quý IV \1", ""),
    # "Năm 2027 và nhiệm vụ thường xuyên": due, then ongoing
    (re.compile(r"\b(và|, ?)\s*(?:là )?nhiệm vụ thường xuyên", re.IGNORECASE),
     r"\1 thường xuyên", ""),
    # "Quý I/2025 (nếu cần, …)": a conditional duty keeps its date, the condition noted
    (re.compile(r"\s*\(((?:nếu|khi|trường hợp) (?:cần|có|thấy cần)\b[^()]*)\)", re.IGNORECASE),
     "", "việc có điều kiện: «{0}»"),
    # "từ thứ Tư ngày 30/4/2025 đến hết Chủ nhật ngày 04/5/2025": the weekday names the day
    # "ngày thứ Sáu 20/4/2027", "thứ 6, ngày 20/4/2027": the weekday before the date too (never
    # "sau 20/4", "after", which "Sáu" folds to; never "Kỳ họp thứ 6, ngày …", an ordinal)
    (re.compile(r"\b(?:thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật)\s*,?\s+"
                r"(?=ngày\b|\d{1,2} ?[/.-] ?\d{1,2})", re.IGNORECASE),
     "", ""),
    (re.compile(r"(?<![^\W\d_] )(?<!\w)thứ [2-7]\s*,?\s+(?=ngày\b|\d{1,2} ?[/.-] ?\d{1,2})",
                re.IGNORECASE),
     "", ""),
    (re.compile(r"\b(ngày|vào|lúc)\s+thứ [2-7]\s*,?\s+(?=ngày\b|\d{1,2} ?[/.-] ?\d{1,2})",
                re.IGNORECASE),
     r"\1 ", ""),
    # "sau ngày bầu cử 15/3/2026", "trước ngày khai giảng 05/9/2027": the day an event is
    # named by, then its date; the date is read as any day's, the event kept as a note
    (re.compile(r"(?<!\d )\bngày ((?!(?:tháng|làm|kể|tính|từ|thứ)\b)[^\W\d_]+"
                r"(?: (?!(?:kể|tính|từ|ngày)\b)[^\W\d_]+){0,5}?)\s*,?\s+"
                r"(?=\d{1,2} ?[/.-] ?\d{1,2} ?[/.-] ?\d{4})", re.IGNORECASE),
     "ngày ", "ngày {0}"),
    # "sáng ngày 05/9/2025", "vào tối ngày 01/9/2025": the time of day of that day
    (re.compile(r"\b(?:sáng|chiều|tối|trưa|đêm)\s+(?=ngày\b)", re.IGNORECASE), "", ""),
    # "vào mùng 2 Tết Mậu Tý (8-2)": a lunar day, then its solar day in brackets: the solar
    # day is read, the lunar one kept as a note
    (re.compile(r"\b((?:ngày )?(?:mùng|mồng) \d{1,2}(?: tháng (?:Giêng|giêng|Chạp|chạp|\d{1,2}))?"
                r"(?: Tết)?(?: (?:năm )?[A-ZĐ][^\W\d_]* [A-ZĐ][^\W\d_]*)?)\s*"
                r"\((\d{1,2} ?[-/.] ?\d{1,2}(?: ?[-/.] ?\d{4})?)\)", re.IGNORECASE),
     r"ngày \2", "theo âm lịch: «{0}»"),
    # "trước ngày 10/02/2026 (tức ngày 23 tháng Chạp năm Ất Tỵ)", "(mùng 7 Tết)": the same day
    # in the lunar calendar, kept as a note
    (re.compile(r"\s*\(((?:tức|nhằm|tức là)\b[^()]*|(?:ngày )?(?:mùng|mồng) \d{1,2}\b[^()]*"
                r"|[^()]*\btháng (?:Chạp|Giêng|chạp|giêng)\b[^()]*)\)", re.IGNORECASE),
     "", "theo âm lịch: «{0}»"),
)  # fmt: skip
_PAREN = re.compile(r"\(([^()]{3,})\)")

# "mùa mưa", "mùa mưa bão", "mùa khô", "mùa lũ": a season of the year has no day of its own
_SEASON = re.compile(r"\bmua (?:mua|kho|lu|bao|nang|han)\b(?: bao| lu)?")
