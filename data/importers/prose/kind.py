"""What a document is ("KẾ HOẠCH", "THÔNG BÁO" …) and the date a notice opens with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from data.importers.prose.segment import _MARKUP
from data.text import clean, fold


class DocumentKind(StrEnum):
    """What a document is, from its heading."""

    KE_HOACH = "ke_hoach"
    THONG_BAO = "thong_bao"
    KET_LUAN = "ket_luan"
    CHI_THI = "chi_thi"
    THONG_TRI = "thong_tri"  # a Thông tri directs as a Chỉ thị does
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
    ("thong tri", DocumentKind.THONG_TRI),
    ("nghi quyet", DocumentKind.NGHI_QUYET),
)


# "Kết luận tại buổi làm việc, …", "Kết luận hội nghị, …": a speech opens a story's sentence
_SPEECH_LINE = re.compile(r"^ket luan (?:tai|hoi nghi|buoi|phien|cuoc)\b[^,;:.]{0,60},")
_PORTAL_TITLE = re.compile(r"^(?:toan van|tai file|tai ve)\s*:?\s*(?=\S+ \S+ \d{1,4}[-/])")


def document_kind(lines: Sequence[str]) -> DocumentKind:
    """The kind named by the heading ("KẾ HOẠCH", "THÔNG BÁO", "KẾT LUẬN" …)."""
    head = [clean(_MARKUP.sub(" ", line)).strip("#* ") for line in lines[:40]]
    head = [line for line in head if line]
    for upper_only in (True, False):
        for line in head[:20]:
            if upper_only and line != line.upper():
                continue
            if not upper_only and line.endswith((".", ":")) and len(line.split()) > 15:
                # "Kết luận hội nghị, đồng chí Bí thư … đề nghị …", "… nhấn mạnh một số công
                # việc trọng tâm …, cụ thể như sau:": a sentence of a story
                continue
            if not upper_only and _SPEECH_LINE.match(fold(line)) and len(line.split()) > 15:
                # "Kết luận tại buổi làm việc, đồng chí … yêu cầu …," where the page stops: the
                # speech a story tells, never the document's kind
                continue
            # "Toàn văn Kết luận 221-KL/TW …", "Tải file Kết luận …", "TOÀN VĂN: KẾT LUẬN 155-KL/TW
            # …": a legal portal's title names the text it gives whole
            key = _PORTAL_TITLE.sub("", fold(line))
            for word, kind in _KIND_WORDS:
                if key == word or key.startswith(word + " "):
                    return kind
    return DocumentKind.OTHER


# A news or Party site's rendering names the kind only in its opening sentences: "Ban Thường vụ
# Tỉnh ủy đã ban hành Chỉ thị số 35-CT/TU …", "Ban Bí thư ra Chỉ thị …", "Đó là nội dung Chỉ thị
# số 02-CT/TU …", "Chỉ thị nêu rõ: …" (never "Thực hiện Chỉ thị số …", which names another text)
_REPORTED_KIND = re.compile(
    r"\b(?:ban hanh|ra|noi dung) (?P<kind>chi thi|thong tri)\b"
    r"|(?:^|, )(?P<opening>chi thi|thong tri)(?: so \S+)? (?:neu ro|yeu cau)\b"
)


def reported_kind(lines: Sequence[str]) -> DocumentKind:
    """The kind a rendering of a Chỉ thị or Thông tri names in its first lines, or OTHER."""
    head = [fold(clean(_MARKUP.sub(" ", line))).strip("#* ") for line in lines[:40]]
    for key in [line for line in head if line][:4]:
        match = _REPORTED_KIND.search(key)
        if match:
            word = match["kind"] or match["opening"]
            return DocumentKind.CHI_THI if word == "chi thi" else DocumentKind.THONG_TRI
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


_TITLE_YEAR = re.compile(r"\bnam (\d{4})[ .]*$")


def programme_year(lines: Sequence[str]) -> int | None:
    """ "CHƯƠNG TRÌNH kiểm tra, giám sát … năm 2018": the year a plan or programme is for
    (its items dated by month alone fall in that year, whenever it was signed)."""
    head = [clean(_MARKUP.sub(" ", line)).strip("#* ") for line in lines[:40]]
    head = [line for line in head if line]
    for index, line in enumerate(head[:20]):
        key = fold(line)
        if line != line.upper() or not key.startswith(("ke hoach", "chuong trinh")):
            continue
        for title in head[index : index + 4]:
            match = _TITLE_YEAR.search(fold(title))
            if match:
                return int(match.group(1))
        return None
    return None


_STATE_BODY = re.compile(r"^(?P<body>hoi dong nhan dan|uy ban nhan dan)(?P<rest>(?: .+)?)$")
_PLACE = re.compile(r"^(?:tinh|huyen|thanh pho|thi xa|quan|xa|phuong|thi tran) \S")
_SHORT = {"hoi dong nhan dan": "hdnd", "uy ban nhan dan": "ubnd"}


def state_issuers(lines: Sequence[str]) -> list[str]:
    """ "HỘI ĐỒNG NHÂN DÂN / TỈNH TUYÊN QUANG", "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH / VĂN PHÒNG":
    the State body whose letterhead the document bears (folded, full and short spellings). It
    resolves or decides; the bodies it names do the work, so it owns no task of its own."""
    # the letterhead is written in capitals: "Ủy ban nhân dân thành phố và các huyện tổ chức
    # …" in the body is an owner
    written = [clean(_MARKUP.sub(" ", line)).strip("#* ") for line in lines[:30]]
    head = [fold(line) for line in written if line and line == line.upper()]
    out: list[str] = []
    for index, line in enumerate(head[:20]):
        match = _STATE_BODY.match(line)
        if match is None:
            continue
        rest = match.group("rest").strip()
        if not rest and index + 1 < len(head) and _PLACE.match(head[index + 1]):
            rest = head[index + 1]
        if not _PLACE.match(rest):
            continue
        place = re.split(r"\s+(?:khoa|ky hop)\b", rest)[0].strip()
        standing = [line for line in head[index + 1 : index + 3] if line == "thuong truc"]
        for body in (match.group("body"), _SHORT[match.group("body")]):
            # "HỘI ĐỒNG NHÂN DÂN / TỈNH BÌNH THUẬN / THƯỜNG TRỰC": its standing body speaks
            for name in (f"{body} {place}", *(f"thuong truc {body} {place}" for _ in standing)):
                if name not in out:
                    out.append(name)
    return out


# The official layout a text of the office itself bears ("Số: 4812/UBND-NL1", "CỘNG HÒA XÃ HỘI
# CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM", "Kính gửi: …"); a news or Party site's story
# of a meeting bears none of it
_LETTERHEAD = re.compile(
    r"^(?:so\s*:\s*\S*\d|cong hoa xa hoi chu nghia viet nam|dang cong san viet nam"
    r"|kinh gui\s*:|v/v\b)"
)


def is_rendering(lines: Sequence[str]) -> bool:
    """Whether the text is a portal's or a newspaper's story of a leader's conclusion or
    direction (no document kind in its heading, no official layout): there the speaker's
    sentences are the directions themselves."""
    if document_kind(lines) is not DocumentKind.OTHER:
        return False
    head = [fold(clean(_MARKUP.sub(" ", line))).strip("#* ") for line in lines[:20]]
    return not any(_LETTERHEAD.match(line) for line in head)
