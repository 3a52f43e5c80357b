"""Text folding shared by the deadline reader, unit matching and importers.

Vietnamese documents spell the same word several ways: precomposed or combining
diacritics, the old tone placement ("uỷ", "hoà") or the new ("ủy", "hòa"), en dash
or hyphen, stray spaces. Matching happens on a *folded key* where all of those
collapse; the text shown to users is never folded.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)
_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"</?\s*[a-zA-Z][^>]*>")


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
    text = strip_accents(clean(text)).translate(_DASHES).casefold()
    return _SPACES.sub(" ", text).strip()


def unit_key(name: str) -> str:
    """Key for a unit name: folded, no 'chi bo' prefix, no spaces around dashes."""
    key = re.sub(r"\s*-\s*", "-", fold(name)).strip(" .,;:")
    return re.sub(r"^chi bo\s+", "", key)
