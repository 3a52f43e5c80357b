"""Stage 1, segment: the text as paragraphs, numbered items and headings, then sentences.

Lines are joined back into paragraphs (a line that does not end a sentence goes on when the
next starts in lower case, or when the text is wrapped at a page width); footnotes and the
distribution list ("Nơi nhận") and signature end the body. Bold marks (``**…**``, ``<b>…</b>``)
are kept inside the text as ``_ON``/``_OFF``: a document that bolds its deadlines is read by
those marks only. Markers ("Điều 2.", "I-", "2.", "2.1.", "(1)", "a)", "-") give each paragraph
a level.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from data.text import clean, fold

_ON, _OFF = "\x01", "\x02"  # a bold mark's ends, kept inside the text while reading
_MARKUP = re.compile(r"</?b>|\*+", re.IGNORECASE)
_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_FOOTNOTE = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s")
_RULE = re.compile(r"^[-_=*\s]{3,}$")
_END = re.compile(r"^(noi nhan|t/m |tm\. |k/t |kt\. |luu:)")
_TERMINAL = ".:;!?"
# "TRƯỞNG BAN", "CHÁNH VĂN PHÒNG" alone on a line: the signature, with no "T/M" above it
_SIGNER_TITLE = re.compile(
    r"(?:pho )?(?:truong ban|bi thu|chanh van phong|chu tich|giam doc|chu nhiem|truong phong)"
    r"(?: thuong truc)?"
)
_CAPITAL = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴ"
# Markers of headings and items: "I-", "A-", "1.", "2.1-", "(1)", "a)", "a.", "-", "+"; as a web
# page renders them too: "1/ Các chi bộ …", "1.Chỉ đạo …" (no space after the number).
_MARKER = re.compile(
    r"^(?P<marker>\((?P<paren>\d{1,2})\)|(?P<article>Điều \d{1,3})[.:]|(?P<roman>[IVX]{1,5})[.-]"
    r"|(?P<letter>[A-H])-"
    r"|(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})(?:[.)-]?(?=\s)|/(?=\s)|\.(?=[" + _CAPITAL + r"]))"
    r"|(?P<sub>[a-zđ])(?:\)|\.(?=\s))|(?P<bullet>[-+•–]))\s*"
)


# A line that ends on a word no heading ends on ("… giám sát của", "1. Thường trực") goes on
# on the next line, whatever case that line starts in.
_OPEN_END = re.compile(
    r"(?:^|\s)(?:của|và|với|cho|các|những|về|tại|trong|theo|để|là|có|được|đối|từ|đến|hoặc"
    r"|nhằm|bằng|thuộc|trên|giữa|do|mà|thường trực|ủy ban|uỷ ban|hội đồng|đảng ủy|đảng uỷ"
    # "Căn cứ Quyết định số" then "2907/QĐ-UBND ngày …": a document's number goes on below
    r"|(?i:quyết định|công văn|kế hoạch|nghị quyết|chỉ thị|thông báo|văn bản|tờ trình|báo cáo"
    r"|hướng dẫn|kết luận|thông tư|nghị định) số)$"
)


@dataclass
class _Para:
    text: str  # clean, with bold marks as _ON/_OFF; "\t" for a table or the signature
    line: int
    last: str = ""  # its last physical line (a wrapped line is as long as the page)
    written: str = ""  # the lines as written, when the text was put together from labels


# "- Cơ quan chủ trì: Tiểu ban Văn kiện.", "- Phối hợp: …", "- Thời gian: tháng 8/2025.": the
# label lines a plan puts under each numbered piece of work
_LABEL_LINE = re.compile(
    r"^[-+•–]\s*(?P<label>(?:(?:cơ quan|đơn vị|bộ phận) )?(?:chủ trì|phối hợp|thực hiện)"
    r"|(?:thời gian|tiến độ|thời hạn)(?: hoàn thành| thực hiện)?"
    # "- Thành phần: …", "- Kết quả: Biên bản …": lines of the same piece of work, not read
    r"|thành phần|kết quả|sản phẩm|địa điểm)\s*:\s*(?P<value>.+?)[.;]?$",
    re.IGNORECASE,
)
# "1.1. Nội dung: Hiệp thương về …" above its label lines: the label names the work
_WORK_LABEL = re.compile(r"^(?:nội dung|công việc)\s*:\s*", re.IGNORECASE)
# "Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025 - 95 ngày trước …)": the obligation
_AT_LATEST = re.compile(r"\bchậm nhất (?:là )?(?:ngày )?\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{4})?", re.I)


def _with_labels(paras: list[_Para], is_verb: Callable[[str], bool]) -> list[_Para]:
    """A numbered piece of work and the label lines under it ("- Cơ quan chủ trì: X", "-
    Cơ quan phối hợp: Y", "- Thời gian: …") as the one sentence a clerk reads from them: "X
    chủ trì, phối hợp với Y <the work>, <the time>." (the lines kept as written)."""
    out: list[_Para] = []
    i = 0
    while i < len(paras):
        para, j = paras[i], i + 1
        labels: list[re.Match[str]] = []
        while j < len(paras) and paras[j].text != "\t":
            found = _LABEL_LINE.match(_plain(paras[j].text))
            if not found:
                break
            labels.append(found)
            j += 1
        marker = _MARKER.match(_plain(para.text)) if para.text != "\t" else None
        by_label = {fold(m["label"]).split()[-1]: m["value"].strip() for m in labels}
        lead = by_label.get("tri") or by_label.get("hien")
        start = marker.end() if marker else 0
        labelled = _WORK_LABEL.match(_plain(para.text)[start:]) if para.text != "\t" else None
        if (marker is None and not labelled) or (marker and marker.group("bullet")) or not lead:
            out.append(para)
            i += 1
            continue
        work = _plain(para.text)[start + (labelled.end() if labelled else 0) :].strip(" .;:")
        text = f"{marker.group().strip()} {lead} chủ trì" if marker else f"{lead} chủ trì"
        if by_label.get("hop"):
            text += f", phối hợp với {by_label['hop']}"
        work = f"{work[:1].lower()}{work[1:]}"
        # "Công tác tuyên truyền …": a noun, which the list of bodies before it would swallow
        text += f" {work}" if is_verb(work) else f" thực hiện {work}"
        when = next(
            (m["value"].strip() for m in labels if fold(m["label"])[:3] in ("tho", "tie")), ""
        )
        latest = _AT_LATEST.search(when)
        when = latest.group() if latest else when
        # "Nội dung: Lựa chọn …. Tổng hợp …. Không đưa …": the time dates the first sentence,
        # the work's own; the ones after it say more of it
        first = re.search(r"\.\s+(?=[A-ZĐÀ-Ỹ])", work) if labelled else None
        more = work[first.start() :] if first else ""
        text = text[: len(text) - len(more)]
        if when:
            bare = re.match(r"(?:tháng|quý|năm|6 tháng|sáu tháng)\b", when, re.IGNORECASE)
            text += f", {'trong ' if bare else ''}{when[:1].lower()}{when[1:]}"
        text += more
        written = " ".join(_plain(p.text) for p in paras[i:j])
        out.append(_Para(f"{text}.", para.line, f"{text}.", written))
        i = j
    return out


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
        if fold(_plain(text)).startswith(("noi nhan", "t/m ", "tm. ", "k/t ", "kt. ")) or (
            _SIGNER_TITLE.fullmatch(fold(_plain(text))) and _plain(text).isupper()
        ):
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
    start = _plain(text)
    if tail.endswith(";") and start[:1].islower() and not _MARKER.match(start):
        return True  # "… trong công tác;" then "tiếp tục thực hiện …": the same item goes on
    if not tail or tail[-1] in _TERMINAL:
        return False
    marker = _MARKER.match(start)
    count = re.match(r"\d{1,2}\s+(\w)", start)
    if marker and marker.group("num") and count and count.group(1).islower():
        return True  # "… có ít nhất" then "01 mô hình trong năm 2017.": a count, not an item
    if not start or marker:
        return False
    letters = [c for c in start if c.isalpha()]
    if len(letters) > 3 and start == start.upper() and not re.match(r"[IVXLC]+\b", start):
        return False  # "QUYẾT NGHỊ:", "KẾ HOẠCH": a line of capitals stands alone
    if start[0].islower() or tail[-1] in ",-–":
        return True
    numbered = _MARKER.match(_plain(previous.text))
    if numbered and numbered.group("bullet"):
        return True  # "+ … kè bờ tây Sông" then "Lô đoạn từ …": a dashed item is never a heading
    wrapped = width >= 40 and len(_plain(previous.last)) >= 0.8 * width
    last = _plain(previous.last)
    capitals = last == last.upper()  # "ĐẢNG ỦY" above "Lai Châu, ngày …": a letterhead line
    wrapped = wrapped or (not capitals and bool(_OPEN_END.search(last.lower())))
    if numbered and not numbered.group("bullet") and previous.last == previous.text and not wrapped:
        return False  # "4. Các nghị quyết chuyên đề …" then "Để triển khai …": a heading
    return wrapped or (width >= 40 and len(_plain(previous.last)) >= 0.7 * width)


def _level(match: re.Match[str]) -> float:
    if match.group("letter"):
        return 0
    if match.group("roman") or match.group("article"):
        return 1
    if match.group("num"):
        return 2 + match.group("num").count(".")
    if match.group("paren"):
        return 6
    if match.group("sub"):
        return 7
    return 8 if match.group("marker") in "-–•" else 9


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    folded = fold(ch)
    return folded[:1] if folded else " "


@lru_cache(maxsize=1024)
def _aligned_fold(text: str) -> str:
    """``fold`` letter by letter: the same length, so spans map back to the text (cached:
    the owner, clause and date stages fold the same sentence several times)."""
    return "".join(_fold_char(ch) for ch in text)


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


_SENTENCE_END = re.compile(rf"(?<=[.!?…])[{_OFF}\"”’)]*\s+(?=[{_ON}(\"“]?[A-ZÀ-ỸĐ])")


# The longest sentence in the seeds and the corpus is ~1,400 characters. The clause and
# date stages look back from each comma, so their cost grows with the square of a
# sentence's length: a longer "sentence" (hundreds of names in a row, or hostile input) is
# read in pieces cut at its last ";" or "," before this length, so reading stays linear.
MAX_SENTENCE_CHARS = 2_000


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    at = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 4) : match.start()]
        if re.search(r"(?:\b[A-ZĐ]|TP|Tp|Đ/c|đ/c)\.$", before.replace(_OFF, "")):
            continue  # "TP. Lai Châu", an initial
        following = text[match.end() : match.end() + 1]
        if before.endswith(("...", "…")) and following.islower():
            continue  # "…, nhà thầu thi công... đẩy nhanh …": a list left open, not an end
        out.extend(_pieces(text[at : match.end()].strip()))
        at = match.end()
    out.extend(_pieces(text[at:].strip()))
    return [s for s in out if s]


def _pieces(sentence: str) -> list[str]:
    """``sentence`` itself, or cut after its last ";", "," or space within the limit."""
    out = []
    while len(sentence) > MAX_SENTENCE_CHARS:
        window = sentence[:MAX_SENTENCE_CHARS]
        cut = max(window.rfind("; "), window.rfind(", "))
        cut = cut + 1 if cut > 0 else window.rfind(" ")
        cut = cut if cut > 0 else MAX_SENTENCE_CHARS
        out.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    out.append(sentence)
    return out
