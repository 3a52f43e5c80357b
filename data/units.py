"""Unit names in documents → the units of the đảng bộ, read as a clerk reads them.

A cell may name one unit, several ("A; B", "A và B", "A, B", two lines), every
chi bộ ("Các chi bộ trực thuộc"), a lead plus every chi bộ ("A và các chi bộ"), a
list under a colon ("Các sở: Tài chính, Nội vụ"), or lead and cooperating units
("Chủ trì: A; phối hợp: B"). A comma or "và" is not a separator by itself: names
contain both ("Sở Văn hóa, Thể thao và Du lịch"). Known names are matched first
(the longest wins); otherwise a piece of text starts a new unit only when it
begins like an organisation name (Ban, Sở, Chi bộ, Đảng ủy, UBND, …), and a piece
that does not continues the name before it. Spellings vary (dash/hyphen, "Chi bộ"
prefix or not, uỷ/ủy, case, spaces); matching is done on ``unit_key``. An unknown
name is reported whole, never dropped and never cut into fragments.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from data.text import clean, expand_abbreviations, fold, unit_key

# A unit cell longer than this is prose: reading it as names costs more than it is worth
# (the list splitter is cubic in the length), and no real list of owners is this long.
MAX_UNIT_CELL = 600


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    is_chi_bo: bool = True
    aliases: tuple[str, ...] = ()


# The units of the Đảng bộ Văn phòng UBND tỉnh (the sample office); seeded into an
# empty store so a fresh install reads the sample plan. Offices add their own.
DEFAULT_UNITS: tuple[UnitInfo, ...] = (
    UnitInfo("hcqt", "Chi bộ Hành chính – Quản trị", aliases=("HC-QT", "HCQT")),
    UnitInfo("thnc", "Chi bộ Tổng hợp – Nội chính", aliases=("TH-NC", "THNC")),
    UnitInfo(
        "ktvx", "Chi bộ Kinh tế ngành – Văn xã", aliases=("KTN-VX", "KTVX", "Kinh tế – Văn xã")
    ),
    UnitInfo("thhcc", "Chi bộ Tin học – Hành chính công", aliases=("TH-HCC", "THHCC")),
    UnitInfo("ubkt", "Ủy ban Kiểm tra Đảng ủy", is_chi_bo=False, aliases=("UBKT", "UBKT Đảng ủy")),
)

# Folded words that begin an organisation's name (longest first, so "bo chi huy"
# wins over "bo"). A piece of a cell beginning with one of these, capitalised as
# a name is, starts a new unit; any other piece continues the name before it.
_HEAD_NOUNS = sorted(
    (
        "ban",
        "bo",
        "bo chi huy",
        "so",
        "chi bo",
        "dang uy",
        "dang bo",
        "dang doan",
        "ban can su",
        "uy ban",
        "ubnd",
        "hdnd",
        "ubmttq",
        "uy ban nhan dan",
        "hoi dong nhan dan",
        "van phong",
        "tinh uy",
        "huyen uy",
        "thanh uy",
        "thi uy",
        "hoi",
        "doan",
        "mat tran",
        "cong an",
        "truong",
        "trung tam",
        "cac",
        "phong",
        "cuc",
        "chi cuc",
        "vien",
        "toa an",
        "lien doan",
        "cong doan",
        "bao",
        "dai",
        "kho bac",
        "ngan hang",
        "benh vien",
    ),
    key=len,
    reverse=True,
)
_HEAD = re.compile(r"^(?:" + "|".join(re.escape(h) for h in _HEAD_NOUNS) + r")\b")
_CHI_BO = re.compile(r"^chi bo\b")

_ALL_CHI_BO = re.compile(r"^(cac|toan bo cac|tat ca cac) chi bo( truc thuoc)?( dang uy)?$")
_LEAD_AND_ALL = re.compile(r"^(?P<lead>.+?)\s+(va|cung) cac chi bo( truc thuoc)?( dang uy)?$")
# Hard separators (";", a line break) and soft ones ("," "và" "cùng"), kept in the split.
_SPLIT = re.compile(r"(\s*;\s*|\s*\n\s*|\s*,\s*|\s+và\s+|\s+cùng\s+|\s+với\s+)", re.IGNORECASE)
# Scope words: who does it, not who it is.
_PARENS = re.compile(r"\s*\([^()]*\)")
_SCOPE = re.compile(
    r"\s*,?\s*(?:\b(?:theo|trong phạm vi|căn cứ)\s+(?:chức năng|thẩm quyền|lĩnh vực|nhiệm vụ|"
    r"phạm vi)\b[^;\n]*|\bđối với\b[^;\n]*|\btrình\b[^;\n]*?\bcùng cấp\b|"
    r"\btrình\s+cấp\s+(?:có\s+)?thẩm quyền\b[^;\n]*|"
    r"\b(?:tham mưu|thực hiện|triển khai)\s*$)",
    re.IGNORECASE,
)
_LEAD_WORD = re.compile(r"\s+chủ trì\s*(?=[,;.\n]|$)", re.IGNORECASE)
_ROLE_LABEL = re.compile(
    r"(?:^|(?<=[\s;.,\n]))(?P<role>(?:(?:cơ quan|đơn vị)\s+)?(?:chủ trì|phối hợp))\s*:\s*"
    r"|(?:^|(?<=[\s;.,\n]))(?P<with>phối hợp với)\s+",
    re.IGNORECASE,
)
# "Sở A (chủ trì)", "Sở A chủ trì; Sở B phối hợp": the marker follows the names it qualifies.
_ROLE_PAREN = re.compile(
    r"\s*\(\s*(?P<role>chủ trì|phối hợp)\s*\)|\s+(?P<bare>chủ trì|phối hợp)(?=\s*(?:[;,.\n]|$))",
    re.IGNORECASE,
)
# "Các sở: Tài chính, Nội vụ" / "UBND các huyện: Tam Đường, Sìn Hồ"
_COLON_LIST = re.compile(
    r"^(?P<before>.*?)\b(?P<cac>[Cc]ác)\s+(?P<noun>[^:;\n]{1,30}?)\s*:\s*(?P<items>.+)$", re.DOTALL
)
_TRIM = " \t.;,:-–—"


@dataclass(frozen=True)
class Resolution:
    units: tuple[str, ...] = ()  # unit codes, lead first, no duplicates
    unknown: tuple[str, ...] = ()  # names as written that match no unit
    empty: bool = False
    cooperating: tuple[str, ...] = ()  # codes the cell marks "phối hợp"
    unknown_cooperating: tuple[str, ...] = ()
    all_chi_bo: bool = False  # the cell said "các chi bộ" (empty when the office has none yet)


def is_chi_bo_name(name: str) -> bool:
    """ "Chi bộ …" (any spelling): a chi bộ, which "các chi bộ" includes."""
    return bool(_CHI_BO.match(fold(name)))


def derive_code(name: str, taken: Collection[str]) -> str:
    """A short lowercase ASCII code from a unit name, unique against ``taken``.

    The initials of the words after the head noun ("Chi bộ Hành chính – Quản trị"
    → "hcqt", "Ban Tuyên giáo và Dân vận Tỉnh ủy" → "tgdvtu"); the head noun's own
    initials when nothing follows; a digit is added while the code is taken.
    """
    key = fold(name)
    head = _HEAD.match(key)
    rest = key[head.end() :] if head else key
    words = [w for w in re.split(r"[^a-z0-9]+", rest) if w and w not in {"va", "cua"}]
    if not words:
        words = [w for w in re.split(r"[^a-z0-9]+", key) if w]
    code = "".join(w if w.isdigit() else w[0] for w in words)[:12] or "dv"
    taken_keys = {t.casefold() for t in taken}
    if code not in taken_keys:
        return code
    number = 2
    while f"{code}{number}" in taken_keys:
        number += 1
    return f"{code}{number}"


def _starts_name(piece: str) -> bool:
    """Whether a piece of a cell begins an organisation's name ("Sở …", "UBND …", "Các …")."""
    text = piece.strip(_TRIM)
    if not text or not text[0].isupper():
        return False  # "phường", "ngành", "đoàn thể tỉnh": the list goes on inside one name
    return bool(_HEAD.match(fold(text)))


# Everyone of a kind: "các địa phương", "các sở, ngành liên quan" ends the name before it and
# names no one ("Bộ Công Thương, các địa phương" is Bộ Công Thương, with everyone).
_COLLECTIVE = re.compile(
    r"^\s*(?:cac |toan bo cac )(?:dia phuong|don vi|co quan|so|so, (?:ban, )?nganh)"
    r"(?: (?:lien quan|co lien quan|khac))?\s*$"
)


def _split_repeated_head(name: str) -> list[str]:
    """ "Sở Y tế Sở Xây dựng" (a lost line break): two names, cut where the head repeats."""
    words = name.split()
    if len(words) < 4 or not _HEAD.match(fold(name)):
        return [name]
    head = words[0]
    cuts = [k for k in range(2, len(words)) if words[k] == head and k + 1 < len(words)]
    if not cuts or head.lower() in ("các", "ban"):
        return [name]
    bounds = [0, *cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in pairwise(bounds)]


def _strip_scope(text: str) -> str:
    text = _PARENS.sub("", text)
    text = _SCOPE.sub("", text)
    return _LEAD_WORD.sub("", text)


@dataclass
class _Collected:
    codes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    all_chi_bo: bool = False


@dataclass
class UnitRegistry:
    units: list[UnitInfo] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_key: dict[str, UnitInfo] = {}
        self._by_long_key: dict[str, UnitInfo] = {}  # abbreviations written out
        for unit in self.units:
            for name in (unit.name, unit.code, *unit.aliases):
                key = unit_key(name)
                self._by_key.setdefault(key, unit)
                self._by_long_key.setdefault(expand_abbreviations(key), unit)

    @classmethod
    def default(cls) -> UnitRegistry:
        return cls(list(DEFAULT_UNITS))

    def lookup(self, text: str) -> UnitInfo | None:
        """The unit a code, a name or any alias names (any spelling, abbreviated or
        written out: "UBND tỉnh" / "Ủy ban nhân dân tỉnh"), or None."""
        key = unit_key(text)
        found = self._by_key.get(key)
        if found is None and self._by_long_key:
            found = self._by_long_key.get(expand_abbreviations(key))
        return found

    def by_code(self, code: str) -> UnitInfo | None:
        return next((u for u in self.units if u.code == code), None)

    @property
    def chi_bo_codes(self) -> tuple[str, ...]:
        return tuple(u.code for u in self.units if u.is_chi_bo)

    # -- reading a cell --------------------------------------------------------

    def resolve(self, cell: str) -> Resolution:
        """The units a cell names: lead units, then those it marks as cooperating."""
        text = clean(cell)
        if not text:
            return Resolution(empty=True)
        if len(text) > MAX_UNIT_CELL:  # a paragraph, not a list of names: one unknown, quoted
            return Resolution(unknown=(text[:120].rstrip() + "…",))
        lead_parts, coop_parts = _split_roles(cell)
        lead, coop = _Collected(), _Collected()
        for part in lead_parts:
            self._collect(part, lead)
        for part in coop_parts:
            self._collect(part, coop)
        if not any((lead.codes, lead.unknown, lead.all_chi_bo, coop.codes, coop.unknown)):
            return Resolution(empty=True)
        codes = _unique(lead.codes)
        coop_codes = tuple(c for c in _unique(coop.codes) if c not in codes)
        return Resolution(
            units=codes,
            unknown=_unique_names(lead.unknown),
            cooperating=coop_codes,
            unknown_cooperating=_unique_names(coop.unknown),
            all_chi_bo=lead.all_chi_bo or coop.all_chi_bo,
        )

    def _collect(self, text: str, into: _Collected) -> None:
        lines = [line.strip(_TRIM) for line in _join_wrapped_lines(_strip_scope(text))]
        lines = [line for line in lines if line]
        i = 0
        while i < len(lines):
            # The longest run of lines that is one known name (a name wrapped in the cell).
            for j in range(len(lines), i + 1, -1):
                unit = self.lookup(" ".join(lines[i:j]))
                if unit:
                    into.codes.append(unit.code)
                    i = j
                    break
            else:
                self._collect_line(lines[i], into)
                i += 1

    def _collect_line(self, line: str, into: _Collected) -> None:
        whole = self.lookup(line)
        if whole:
            into.codes.append(whole.code)
            return
        key = fold(line)
        if _ALL_CHI_BO.match(key):
            into.all_chi_bo = True
            into.codes.extend(self.chi_bo_codes)
            return
        lead = _LEAD_AND_ALL.match(key)
        if lead:
            self._collect_list(line[: len(lead.group("lead"))], into)
            into.all_chi_bo = True
            into.codes.extend(self.chi_bo_codes)
            return
        colon = _COLON_LIST.match(line)
        if colon and ":" not in colon.group("before"):
            self._collect_colon_list(colon, into)
            return
        self._collect_list(line, into)

    def _collect_colon_list(self, match: re.Match[str], into: _Collected) -> None:
        before = match.group("before").strip()
        noun = match.group("noun").strip()
        prefix = f"{before} {noun}" if before else noun[:1].upper() + noun[1:]
        for item in _compound_items(_SPLIT.split(match.group("items"))):
            item = item.strip(_TRIM)
            if not item:
                continue
            if fold(item).startswith(fold(noun)) or fold(item).startswith(fold(prefix)):
                name = item[:1].upper() + item[1:] if not before else item
            else:
                name = f"{prefix} {item}"
            unit = self.lookup(name) or self.lookup(item)
            if unit:
                into.codes.append(unit.code)
            else:
                into.unknown.append(name)

    def _collect_list(self, text: str, into: _Collected) -> None:
        parts = _SPLIT.split(text)
        pieces = parts[::2]
        seps = ["", *parts[1::2]]  # seps[i] stands before pieces[i]
        i = 0
        while i < len(pieces):
            if not pieces[i].strip(_TRIM):
                i += 1
                continue
            found = self._longest_known(pieces, seps, i)
            if found is not None:
                unit, i = found
                into.codes.append(unit.code)
                continue
            continues = i + 1 < len(pieces) and self._continues(pieces, seps, i + 1)
            if _ALL_CHI_BO.match(fold(pieces[i]).strip(_TRIM)) and not continues:
                into.all_chi_bo = True
                into.codes.extend(self.chi_bo_codes)
                i += 1
                continue
            # An unknown name: it runs on until a piece begins a new name or a known one.
            j = i + 1
            while j < len(pieces) and self._continues(pieces, seps, j):
                j += 1
            name = _join(pieces, seps, i, j).strip(_TRIM)
            if name and not (i > 0 and _COLLECTIVE.match(fold(name))):
                into.unknown.extend(_split_repeated_head(name))
            i = j

    def _continues(self, pieces: list[str], seps: list[str], j: int) -> bool:
        """Whether piece ``j`` goes on with the name before it rather than starting one."""
        return not (
            seps[j].strip() == ";"
            or _starts_name(pieces[j])
            or (pieces[j].strip(_TRIM).startswith("các ") and _COLLECTIVE.match(fold(pieces[j])))
            or _ALL_CHI_BO.match(fold(pieces[j]).strip(_TRIM))
            or self._longest_known(pieces, seps, j) is not None
        )

    def _longest_known(
        self, pieces: list[str], seps: list[str], start: int
    ) -> tuple[UnitInfo, int] | None:
        if not self._by_key:
            return None
        for end in range(len(pieces), start, -1):
            unit = self.lookup(_join(pieces, seps, start, end))
            if unit:
                return unit, end
        return None


# Names of a body that hold "và" or a comma ("Các Bộ: Tài chính, Giáo dục và Đào tạo"): one
# item of a colon list, not two.
_COMPOUNDS = frozenset(
    (
        "giao duc va dao tao", "khoa hoc va cong nghe", "tai nguyen va moi truong",
        "nong nghiep va phat trien nong thon", "nong nghiep va moi truong",
        "thong tin va truyen thong", "ke hoach va dau tu", "van hoa, the thao va du lich",
        "van hoa va the thao", "lao dong - thuong binh va xa hoi", "dan toc va ton giao",
        "tuyen giao va dan van", "khoa hoc va ky thuat", "xay dung va phat trien",
    )
)  # fmt: skip


def _compound_items(parts: list[str]) -> list[str]:
    """The items of a ``_SPLIT`` split, with the known compound names joined back."""
    pieces, seps = parts[::2], ["", *parts[1::2]]
    out: list[str] = []
    i = 0
    while i < len(pieces):
        for width in (3, 2):
            joined = _join(pieces, seps, i, i + width) if i + width <= len(pieces) else ""
            if joined and fold(joined.strip(_TRIM)) in _COMPOUNDS:
                out.append(joined)
                i += width
                break
        else:
            out.append(pieces[i])
            i += 1
    return out


def _join(pieces: list[str], seps: list[str], start: int, end: int) -> str:
    out = pieces[start]
    for k in range(start + 1, end):
        out += seps[k] + pieces[k]
    return out


def _split_roles(cell: str) -> tuple[list[str], list[str]]:
    """ "Chủ trì: A; phối hợp: B" and "A (chủ trì), B (phối hợp)" → ([A], [B])."""
    lead: list[str] = []
    coop: list[str] = []
    labels = list(_ROLE_LABEL.finditer(cell))
    if labels:
        head = cell[: labels[0].start()]
        if head.strip(_TRIM):
            lead.append(head)
        for index, label in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(cell)
            body = cell[label.end() : end]
            role = (label.group("role") or label.group("with")).lower()
            (coop if "phối hợp" in role else lead).append(body)
        return lead, coop
    markers = list(_ROLE_PAREN.finditer(cell))
    if markers:
        # A marker qualifies the names before it, back to the previous marker.
        previous = 0
        for marker in markers:
            body = cell[previous : marker.start()]
            role = (marker.group("role") or marker.group("bare")).lower()
            (coop if role == "phối hợp" else lead).append(body)
            previous = marker.end()
        if cell[previous:].strip(_TRIM):
            lead.append(cell[previous:])
        return lead, coop
    return [cell], []


def _join_wrapped_lines(text: str) -> list[str]:
    """Lines of a cell; a line that only continues a wrapped name or a list is joined back."""
    out: list[str] = []
    in_list = False  # after "Các sở:", the bulleted lines are its items
    for raw in text.split("\n"):
        line = raw.strip()
        bullet = re.match(r"^[-+•–]\s+", line)
        line = line[bullet.end() :] if bullet else line
        if not line:
            continue
        previous = out[-1].rstrip() if out else ""
        if out and previous.endswith(":"):
            in_list = True
        elif not bullet:
            in_list = False
        if out and (
            in_list
            or not line[0].isupper()
            or re.search(r"(?:,|\bvà|\bcùng|[-–])$", previous, re.IGNORECASE)
        ):
            joiner = "\n" if in_list or previous.endswith(",") else " "
            out[-1] = f"{out[-1]}{joiner}{line}"
        else:
            out.append(line)
    return [clean_keep_lines(line) for line in out]


def clean_keep_lines(text: str) -> str:
    """``clean`` each line, keeping the line breaks (they separate names in a cell)."""
    return "\n".join(c for c in (clean(line) for line in text.split("\n")) if c)


def _unique(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(codes))


def _unique_names(names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(unit_key(name), clean(name))
    return tuple(seen.values())


def plan_new_units(names: Iterable[str], registry: UnitRegistry) -> list[UnitInfo]:
    """The units a new office creates from the names its plan uses.

    Shortest names first; a name that reads, with those already planned, as a list of
    known units ("Chi bộ A, B" once "Chi bộ A" and "Chi bộ B" exist) is not a unit of
    its own, and one that names a planned unit another way ("Đảng ủy Ủy ban nhân dân
    tỉnh" after "Đảng ủy UBND tỉnh") is its alias. Codes are derived from the names and
    unique in the registry.
    """
    known = list(registry.units)
    taken = {u.code for u in known}
    planned: list[UnitInfo] = []
    for name in sorted(_unique_names(names), key=len):
        current = UnitRegistry([*known, *planned])
        same = current.lookup(name)
        if same is not None:
            if same in planned and unit_key(name) != unit_key(same.name):
                at = planned.index(same)
                planned[at] = UnitInfo(same.code, same.name, same.is_chi_bo, (*same.aliases, name))
            continue
        found = current.resolve(name)
        if len(found.units) > 1 and not found.unknown:
            continue  # a list of units already planned
        code = derive_code(name, taken)
        taken.add(code)
        planned.append(UnitInfo(code, name, is_chi_bo_name(name)))
    order = {name: i for i, name in enumerate(_unique_names(names))}
    return sorted(planned, key=lambda u: order.get(u.name, 0))
