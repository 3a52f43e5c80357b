"""Text folding shared by the deadline reader, unit matching and importers.

Vietnamese documents spell the same word several ways: precomposed or combining
diacritics, the old tone placement ("uỷ", "hoà") or the new ("ủy", "hòa"), en dash
or hyphen, stray spaces. Matching happens on a *folded key* where all of those
collapse; the text shown to users is never folded.

``fold`` is the one folding function of the project. It is called for every
deadline phrase and unit name, so it is one ``str.translate`` over a table built
once (Latin letters with diacritics to their lower-case base letter, combining
marks dropped, every dash to "-", no-break space to a space); only text that is
still not ASCII after that table takes the general Unicode route.
"""

from __future__ import annotations

import re
import unicodedata

_DASH_CHARS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASHES = dict.fromkeys(map(ord, _DASH_CHARS), "-")
_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"</?\s*[a-zA-Z][^>]*>")


def _fold_table() -> dict[int, str | None]:
    """Latin letters with diacritics (and đ/Đ) to their lower-case ASCII base letter."""
    table: dict[int, str | None] = {}
    for cp in range(0xC0, 0x2000):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii() and base.isalpha():
            table[cp] = base.lower()
    for cp in range(0x300, 0x370):  # combining marks of decomposed input
        table[cp] = None
    table[ord("đ")] = table[ord("Đ")] = "d"
    table.update(_DASHES)
    table[0xA0] = " "
    return table


_FOLD = _fold_table()


def clean(text: str) -> str:
    """NFC, plain spaces, no markup tags, single spaces: the text as shown."""
    text = unicodedata.normalize("NFC", text)
    text = _TAGS.sub(" ", text).replace("\u00a0", " ").replace("**", " ")
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    """Vietnamese without diacritics ('Đảng ủy' -> 'Dang uy')."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """Matching key: no markup, no accents, lower case, one dash, single spaces."""
    if "<" in text:
        text = _TAGS.sub(" ", text)
    if "**" in text:
        text = text.replace("**", " ")
    key = text.translate(_FOLD)
    # Letters outside the table (Greek, a sign like Å, …) take the general route.
    key = key.lower() if key.isascii() else strip_accents(key).translate(_DASHES).casefold()
    return " ".join(key.split())


# Abbreviations a clerk reads as the full words ("UBND tỉnh" is "Ủy ban nhân dân tỉnh"),
# folded. Only ones that are never an ordinary word: "tư"/"TW" stay as written.
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ubmttq": "uy ban mat tran to quoc",
    "mttq": "mat tran to quoc",
    "ubkt": "uy ban kiem tra",
    "btv": "ban thuong vu",
    "bch": "ban chap hanh",
    "nn&ptnt": "nong nghiep va phat trien nong thon",
    "nnptnt": "nong nghiep va phat trien nong thon",
    "tn&mt": "tai nguyen va moi truong",
    "tnmt": "tai nguyen va moi truong",
    "gd&dt": "giao duc va dao tao",
    "gddt": "giao duc va dao tao",
    "kh&cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
    "kh&dt": "ke hoach va dau tu",
    "khdt": "ke hoach va dau tu",
    "ld-tb&xh": "lao dong-thuong binh va xa hoi",
    "ldtbxh": "lao dong-thuong binh va xa hoi",
    "vh,tt&dl": "van hoa, the thao va du lich",
    "vhtt&dl": "van hoa, the thao va du lich",
    "vhttdl": "van hoa, the thao va du lich",
    "tt&tt": "thong tin va truyen thong",
    "tttt": "thong tin va truyen thong",
    "gtvt": "giao thong van tai",
    "bhxh": "bao hiem xa hoi",
}
_ABBREVIATION = re.compile(
    r"(?<![\w&,-])("
    + "|".join(re.escape(a) for a in sorted(_ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&,-])"
)


def expand_abbreviations(key: str) -> str:
    """A folded key with its well-known abbreviations written out (``unit_key``'s twin:
    the registry matches a name under either)."""
    return _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(1)], key)


def unit_key(name: str) -> str:
    """Key for a unit name: folded, no 'chi bo' prefix, no spaces around dashes."""
    key = re.sub(r"\s*-\s*", "-", fold(name)).strip(" .,;:")
    return re.sub(r"^chi bo\s+", "", key)
