"""What the rows of a plan's tables mean: headers, section headings, tasks, targets.

Readers give a grid; this module reads it the way a clerk reads the printed
appendix: a repeated header row after a page break is skipped, a row with only an
empty-TT tail of text continues the row above, bold rows are section headings
(kept as the task's section path), numbering restarts per section, Phụ lục 1 rows
are targets (chỉ tiêu) inheriting their group's unit from the row above.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from data.deadlines import Deadline, DeadlineKind, parse_deadline
from data.importers.grid import Cell, Grid, Row
from data.text import clean, fold, unit_key
from data.units import UnitInfo, UnitRegistry


class Role(StrEnum):
    REF = "ref"
    TITLE = "title"
    UNIT = "unit"
    DEADLINE = "deadline"
    VALUE = "value"
    COOP = "coop"  # "Phối hợp": cooperating units
    PRODUCT = "product"  # "Sản phẩm" / "Kết quả": the deliverable
    EXTRA = "extra"


@dataclass(frozen=True)
class ImportWarning:
    where: str
    message: str


@dataclass
class ParsedItem:
    kind: str  # "task" | "target"
    appendix: str
    section: tuple[str, ...]
    ref: str
    title: str
    unit_text: str
    units: tuple[str, ...]
    deadline: Deadline
    origin: str
    value: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    source_key: str = ""
    unknown_units: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()  # unit codes of the "phối hợp" units
    unknown_cooperating: tuple[str, ...] = ()  # their names as written, when not known
    # Read from the document's sentences (data.importers.prose), not from a table: the
    # sentence(s) verbatim, and "proposed" until the office accepts it.
    source_text: str = ""
    proposed: bool = False
    review_note: str = ""  # why the office should look at it before accepting
    product: str = ""  # the "Sản phẩm"/"Kết quả" cell: what the task delivers

    @property
    def needs_review(self) -> bool:
        return (
            self.deadline.kind is DeadlineKind.UNREADABLE
            or bool(self.unknown_units)
            or (self.kind == "task" and not self.units)
            or bool(self.review_note)
        )

    @property
    def status(self) -> str:
        if self.proposed:
            return "proposed"  # data.domain.TaskStatus.PROPOSED
        return "done" if self.deadline.kind is DeadlineKind.DONE else "open"

    @property
    def where(self) -> str:
        ref = f" (TT {self.ref})" if self.ref else " (không có TT)"
        return f"{self.appendix or 'Bảng'}, {self.origin}{ref}"


@dataclass
class ParsedDocument:
    title: str
    doc_date: date
    items: list[ParsedItem]
    warnings: list[ImportWarning]
    # Every unknown owner or cooperating name, cleaned, once per unit_key, in order met:
    # the units a new office has to create (``--add-units``) before re-reading.
    new_unit_names: tuple[str, ...] = ()
    kind: str = ""  # data.importers.prose.DocumentKind: ke_hoach, thong_bao, ket_luan, …
    # Tasks read from the text around (or instead of) the tables: status "proposed",
    # never reminded until the office accepts them. Not in ``items``.
    proposals: list[ParsedItem] = field(default_factory=list)
    sentences_read: int = 0  # sentences of the body the prose reader read for proposals

    def grouped_proposals(
        self, units: Iterable[UnitInfo] = ()
    ) -> list[tuple[str, list[ParsedItem]]]:
        """Proposals under their owner (its registry names, else the names as written),
        owners in the order met; those without an owner last, for the office to assign."""
        names = {u.code: u.name for u in units}
        groups: dict[tuple[str, ...], list[ParsedItem]] = {}
        for item in self.proposals:
            groups.setdefault((*item.units, *item.unknown_units), []).append(item)
        named = [
            (", ".join(names.get(k, k) for k in key), items) for key, items in groups.items() if key
        ]
        unowned = groups.get((), [])
        return named + ([("(chưa rõ đơn vị: văn phòng chỉ định)", unowned)] if unowned else [])

    @property
    def tasks(self) -> list[ParsedItem]:
        return [i for i in self.items if i.kind == "task"]

    @property
    def targets(self) -> list[ParsedItem]:
        return [i for i in self.items if i.kind == "target"]


_APPENDIX = re.compile(r"\bphu luc\s*(?:so\s*)?([0-9]+(?![0-9])|[ivx]+\b)")
_ROMAN = re.compile(r"^[IVXL]+$")
_LETTER = re.compile(r"^[A-H]$")
_NUMBER = re.compile(r"^\d+\.?$")
_DOTTED = re.compile(r"^\d+(\.\d+)+\.?$")
_REF_IN_TEXT = re.compile(r"^(?P<ref>[IVXL]+|[A-H]|\d+(?:\.\d+)*)[.)]?\s+(?P<rest>\S.*)$")
_BULLET = re.compile(r"^[-+•*–]\s")
_DOC_DATE = re.compile(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")
_YEAR_RANGE = re.compile(r"(\d{4})\s*-\s*(\d{4})")


def _role(header: str) -> Role | None:
    key = fold(header).strip(" :.")
    if key in {"tt", "stt", "so tt", "s tt", "so thu tu", "thu tu"}:
        return Role.REF
    if "phoi hop" in key and "chu tri" not in key:
        return Role.COOP
    if key.startswith(("san pham", "ket qua", "hinh thuc san pham", "hinh thuc van ban")):
        return Role.PRODUCT
    if (
        key.startswith(("nhiem vu", "noi dung", "ten ", "chi tieu", "cong viec", "danh muc"))
        or key == "ten"
    ):
        return Role.TITLE
    if key.startswith(("thoi gian", "thoi han", "tien do", "han ")) or "hoan thanh" in key:
        return Role.DEADLINE
    if key.startswith(("don vi", "co quan")) or "chu tri" in key or "tham muu" in key:
        return Role.UNIT
    if key.startswith(("muc tieu", "gia tri", "chi so")):
        return Role.VALUE
    return None


def _header_columns(row: Row) -> dict[Role, int] | None:
    """Column roles if ``row`` is a header row (TT · Nhiệm vụ · Đơn vị · Thời gian …)."""
    roles: dict[Role, int] = {}
    for index, cell in enumerate(row.cells):
        if not cell.text or len(cell.text) > 80:
            continue
        role = _role(cell.text)
        if role is None or role is Role.EXTRA:
            continue
        roles.setdefault(role, index)
    if Role.TITLE in roles and len(roles) >= 3 and (Role.UNIT in roles or Role.DEADLINE in roles):
        return roles
    return None


def _closes_table(row: Row) -> bool:
    """The signature block or the distribution list ("Nơi nhận:", "T/M ĐẢNG ỦY", "KT. BÍ THƯ")."""
    first = next((c.text for c in row.cells if c.text), "")
    return fold(first).startswith(_CLOSING)


_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$|^\(?[A-H]\)?$|^\(\d{1,2}\) ?= ?.*$")


def _column_numbers(row: Row) -> bool:
    """ "(1) (2) (3) (4)" or "1 2 3 4": the row under a header that numbers its columns."""
    texts = [c.text.strip() for c in row.cells if c.text.strip()]
    if len(texts) < 3 or not all(_COLUMN_NUMBER.match(t) for t in texts):
        return False
    numbers = [int(n) for t in texts for n in re.findall(r"\d+", t)[:1]]
    return numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def _heading_level(ref: str) -> int:
    if _LETTER.match(ref) and not _ROMAN.match(ref):
        return 1
    if _ROMAN.match(ref):
        return 2
    if _NUMBER.match(ref):
        return 3
    if _DOTTED.match(ref):
        return 3 + ref.strip(".").count(".")
    return 3


@dataclass
class _Heading:
    level: int
    ref: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.ref}. {self.title}" if self.ref else self.title


class _AppendixState:
    def __init__(self, name: str) -> None:
        self.name = name
        self.columns: dict[Role, int] | None = None
        self.extra_columns: dict[int, str] = {}
        self.headings: list[_Heading] = []
        self.last: ParsedItem | _Heading | None = None
        self.last_unit_text = ""
        self.is_targets = False
        self.value_header = ""
        self.last_ref = ""
        self.target_group: ParsedItem | None = None
        self.after_header = False  # the row before was the header (a second header row may follow)
        self.fresh_block = False  # no data row yet in this table (a page of a PDF conversion)
        self.parent: _Heading | None = None  # a numbered row turned heading by its sub-items
        self.closed = False  # the signature block ended the table; skip until a new header


@dataclass
class _Source:
    """The cells a task was read from, kept while a page-break fragment may still extend them."""

    base_title: str
    unit: str
    coop: str
    deadline: str
    product: str
    deliverables: int = 1


# Sub-items of a numbered row: "- …", "+ …", "• …", "a) …".
_SUBITEM = re.compile(r"^(?:[-+•–]\s*|[a-zđ][).]\s+)")
_SUB_REF = re.compile(r"^[a-zđ][).]?$|^[-+•–]$")
# Rows that close the task table: the signature block and the distribution list.
_CLOSING = ("noi nhan", "t/m ", "tm. ", "tm ", "t/m.", "k/t ", "kt. ", "kt ", "bi thu", "luu:")
_SMALL_TABLE = 6  # rows; a table this small without a header is a letterhead or signature box


def _glue(first: str, second: str, sep: str = " ") -> str:
    """Text cut at a page end and its continuation ("Trước ngày 30/6/" + "2026")."""
    if not first or not second:
        return first or second
    if first.endswith("/") or second.startswith("/"):
        return first + second
    return f"{first}{sep}{second}"


class Interpreter:
    def __init__(self, units: UnitRegistry, doc_date: date) -> None:
        self.units = units
        self.doc_date = doc_date
        self.items: list[ParsedItem] = []
        self.warnings: list[ImportWarning] = []
        self._keys: Counter[str] = Counter()
        self._sources: dict[int, _Source] = {}
        self._pending: ParsedItem | None = None  # its warnings wait until no fragment can follow
        self._quiet_ref: set[int] = set()  # sub-items: no TT of their own, and that is fine
        self._no_chi_bo: set[int] = set()  # said "các chi bộ" while the office has none yet

    def run(self, grid: Grid) -> None:
        state = _AppendixState("")
        for block in grid.blocks:
            for line in block.caption:
                match = _APPENDIX.search(fold(line))
                if match:
                    self._flush()
                    state = _AppendixState(f"Phụ lục {match.group(1).upper()}")
            has_header = any(_header_columns(row) is not None for row in block.rows)
            if state.columns is None and not has_header and len(block.rows) <= _SMALL_TABLE:
                continue  # letterhead, signature or "Nơi nhận" box: never tasks
            state.fresh_block = True
            for row in block.rows:
                self._row(state, row)
        self._flush()

    # -- one row -------------------------------------------------------------

    def _row(self, state: _AppendixState, row: Row) -> None:
        columns = _header_columns(row)
        if columns is not None:
            state.closed = False
            if state.columns is None or columns != state.columns:
                self._set_columns(state, row, columns)
            state.after_header = True
            return  # a repeated header after a page break is just skipped
        if state.columns is not None and state.after_header and self._sub_header(state, row):
            return
        if state.columns is not None and state.after_header and _column_numbers(row):
            return  # "(1) (2) (3) …" under the header numbers the columns: no task
        state.after_header = False
        if state.columns is not None and _closes_table(row):
            self._flush()
            state.columns = None  # signature, "Nơi nhận": the table is over
            state.last = None
            state.closed = True
            return
        if state.columns is None and state.closed:
            return
        if state.columns is None:
            if any(c.text for c in row.cells):
                self.warnings.append(
                    ImportWarning(
                        f"{state.name or 'Bảng'}, {row.origin}",
                        "Bỏ qua hàng nằm trước hàng tiêu đề của bảng (không biết cột nào là "
                        "nhiệm vụ, đơn vị, thời gian).",
                    )
                )
            return

        def cell(role: Role) -> Cell:
            index = state.columns.get(role) if state.columns else None
            if index is None or index >= len(row.cells):
                return Cell("")
            return row.cells[index]

        ref_cell, title_cell = cell(Role.REF), cell(Role.TITLE)
        unit_cell, deadline_cell, value_cell = (
            cell(Role.UNIT),
            cell(Role.DEADLINE),
            cell(Role.VALUE),
        )
        coop_cell, product_cell = cell(Role.COOP), cell(Role.PRODUCT)
        ref = clean(ref_cell.text)
        title = clean(title_cell.text)
        if not any(c.text for c in row.cells):
            return
        fresh, state.fresh_block = state.fresh_block, False
        if (
            fresh
            and not state.is_targets
            and not ref
            and not ref_cell.merged_from_above
            and isinstance(state.last, ParsedItem)
            and not _SUBITEM.match(title)
            and not title_cell.bold
        ):
            # A row cut at the page end: its rest opens the next page's table, TT empty.
            self._join_fragment(
                state.last, title, unit_cell.text, coop_cell.text, deadline_cell.text
            )
            return
        if not title and ref and not (unit_cell.text or deadline_cell.text or value_cell.text):
            # A heading written whole in the first cell: "<b>III Về môi trường</b>".
            match = _REF_IN_TEXT.match(ref)
            ref, title = (match.group("ref"), match.group("rest")) if match else ("", ref)
            self._heading(state, ref, title)
            return

        bold_title = title_cell.bold or (ref_cell.bold and bool(ref))
        nothing_else = not (unit_cell.text or deadline_cell.text or value_cell.text)

        if (
            product_cell.text
            and isinstance(state.last, ParsedItem)
            and id(state.last) in self._sources
            and (title_cell.merged_from_above or not (ref or title))
        ):
            # One TT, several deliverables: each row is a task named by its product.
            self._deliverable(
                state, row, state.last, unit_cell, coop_cell, deadline_cell, product_cell
            )
            return

        # A merged cell (.docx/.xlsx) carries its anchor's text: the row is in that group.
        bare_text = not (
            ref or unit_cell.text or deadline_cell.text or value_cell.text or coop_cell.text
        )
        if bare_text and title and not _BULLET.match(title):
            # Page-break tail of the row above; a bold one after a task is a new heading.
            if bold_title and not isinstance(state.last, _Heading):
                self._heading(state, "", title)
            else:
                self._continue(state, title, row)
            return
        if (
            not deadline_cell.text
            and not value_cell.text
            and (bold_title or (nothing_else and (_ROMAN.match(ref) or _LETTER.match(ref))))
        ):
            self._heading(state, ref.rstrip("."), title)
            return
        if state.is_targets:
            self._target(state, row, ref, title, unit_cell, value_cell)
        else:
            self._task(state, row, ref, title, unit_cell, deadline_cell, coop_cell, product_cell)

    def _set_columns(self, state: _AppendixState, row: Row, columns: dict[Role, int]) -> None:
        state.columns = columns
        state.is_targets = Role.VALUE in columns or fold(
            row.cells[columns[Role.TITLE]].text
        ).startswith("chi tieu")
        value = columns.get(Role.VALUE)
        state.value_header = row.cells[value].text if value is not None else ""
        state.extra_columns = {
            i: clean(c.text)
            for i, c in enumerate(row.cells)
            if c.text and i not in columns.values()
        }

    def _sub_header(self, state: _AppendixState, row: Row) -> bool:
        """The second header row under a spanning one: "Cơ quan" over "Chủ trì" | "Phối hợp"."""
        roles: dict[Role, int] = {}
        for index, c in enumerate(row.cells):
            if not c.text or c.merged_from_above or c.merged_from_left:
                continue
            role = _role(c.text) if len(c.text) <= 40 else None
            if role not in {Role.UNIT, Role.COOP, Role.DEADLINE, Role.PRODUCT, Role.VALUE}:
                return False
            assert role is not None
            roles.setdefault(role, index)
        if not roles or state.columns is None:
            return False
        columns = dict(state.columns)
        columns.update(roles)
        self._set_columns(state, row, columns)
        state.extra_columns = {
            i: h for i, h in state.extra_columns.items() if i not in columns.values()
        }
        return True

    def _heading(self, state: _AppendixState, ref: str, title: str) -> None:
        self._flush()
        level = (
            _heading_level(ref) if ref else (state.headings[-1].level + 1 if state.headings else 3)
        )
        while state.headings and state.headings[-1].level >= level:
            state.headings.pop()
        heading = _Heading(level, ref, title)
        state.headings.append(heading)
        state.last = heading
        state.target_group = None
        state.parent = None

    def _continue(self, state: _AppendixState, text: str, row: Row) -> None:
        last = state.last
        if isinstance(last, (_Heading, ParsedItem)):
            last.title = f"{last.title} {text}"
            source = self._sources.get(id(last))
            if source is not None:
                source.base_title = f"{source.base_title} {text}"
        else:
            self.warnings.append(
                ImportWarning(
                    f"{state.name or 'Bảng'}, {row.origin}",
                    f"Dòng chữ không thuộc nhiệm vụ nào, đã bỏ qua: «{text[:80]}»",
                )
            )

    def _join_fragment(
        self, item: ParsedItem, title: str, unit: str, coop: str, deadline: str
    ) -> None:
        """Every fragment of a row cut by a page break joins the row above, cell by cell."""
        source = self._sources.get(id(item))
        if title:
            item.title = _glue(item.title, title)
            if source is not None:
                source.base_title = _glue(source.base_title, title)
        if source is None:
            return
        if unit or coop:
            source.unit = _glue(source.unit, unit, "\n")
            source.coop = _glue(source.coop, coop, "\n")
            self._apply_units(item, source)
        if deadline:
            source.deadline = _glue(source.deadline, clean(deadline))
            item.deadline = parse_deadline(source.deadline, self.doc_date)

    def _apply_units(self, item: ParsedItem, source: _Source) -> None:
        lead = self.units.resolve(source.unit)
        coop = self.units.resolve(source.coop)
        item.unit_text = source.unit
        item.units = lead.units
        item.unknown_units = lead.unknown
        cooperating = (*lead.cooperating, *coop.units, *coop.cooperating)
        item.cooperating = tuple(c for c in dict.fromkeys(cooperating) if c not in item.units)
        item.unknown_cooperating = tuple(
            dict.fromkeys((*lead.unknown_cooperating, *coop.unknown, *coop.unknown_cooperating))
        )
        if (lead.all_chi_bo or coop.all_chi_bo) and not self.units.chi_bo_codes:
            self._no_chi_bo.add(id(item))
        else:
            self._no_chi_bo.discard(id(item))

    def _extras(self, state: _AppendixState, row: Row) -> dict[str, str]:
        return {
            header: clean(row.cells[i].text)
            for i, header in state.extra_columns.items()
            if i < len(row.cells) and row.cells[i].text
        }

    def _key(self, state: _AppendixState, ref: str) -> str:
        path = "/".join(h.ref or fold(h.title)[:24] for h in state.headings)
        base = f"{state.name}|{path}|{ref}"
        self._keys[base] += 1
        return f"{base}|{self._keys[base]}"

    def _task(
        self,
        state: _AppendixState,
        row: Row,
        ref: str,
        title: str,
        unit_cell: Cell,
        deadline_cell: Cell,
        coop_cell: Cell,
        product_cell: Cell,
    ) -> None:
        is_sub = (not ref and bool(_SUBITEM.match(title))) or bool(_SUB_REF.match(ref))
        parent = self._pending
        if (
            is_sub
            and parent is not None
            and parent is state.last
            and (unit_cell.text or deadline_cell.text)
            and (
                not parent.unit_text
                or (not parent.deadline.raw and deadline_cell.text and unit_cell.merged_from_above)
            )
        ):
            # The numbered row above only names the work; its sub-items carry units and
            # deadlines: it is a heading and they are the tasks.
            self.items.remove(parent)
            self._sources.pop(id(parent), None)
            self._pending = None
            state.last_ref = ""
            self._heading(state, parent.ref.rstrip("."), parent.title)
            state.parent = state.headings[-1]
        elif not is_sub and state.parent is not None:
            if state.headings and state.headings[-1] is state.parent:
                state.headings.pop()
            state.parent = None
        self._flush()
        sub_item = is_sub and state.parent is not None
        if sub_item and not ref:
            marker = _SUBITEM.match(title)
            assert marker is not None
            letter = marker.group(0).strip()
            ref = letter if letter[:1].isalpha() else ""
            title = title[marker.end() :].strip()
        deadline_text = clean(deadline_cell.text)
        deadline = parse_deadline(deadline_text, self.doc_date)
        if not sub_item:
            self._check_numbering(state, ref, row)
        product = clean(product_cell.text)
        item = ParsedItem(
            kind="task",
            appendix=state.name,
            section=tuple(h.label for h in state.headings),
            ref=ref,
            title=title,
            unit_text="",
            units=(),
            deadline=deadline,
            origin=row.origin,
            extra=self._extras(state, row),
            source_key=self._key(state, ref),
            product=product,
        )
        source = _Source(title, unit_cell.text, coop_cell.text, deadline_text, product)
        self._sources[id(item)] = source
        self._apply_units(item, source)
        if sub_item:
            self._quiet_ref.add(id(item))
        self._add(state, item)

    def _deliverable(
        self,
        state: _AppendixState,
        row: Row,
        previous: ParsedItem,
        unit_cell: Cell,
        coop_cell: Cell,
        deadline_cell: Cell,
        product_cell: Cell,
    ) -> None:
        """Another deliverable of the task above: its own product, units and deadline."""
        first = self._sources[id(previous)]
        if first.deliverables == 1 and first.product:
            previous.title = f"{first.base_title} — {first.product}"
        first.deliverables += 1
        self._flush()
        product = clean(product_cell.text)
        deadline_text = clean(deadline_cell.text)
        item = ParsedItem(
            kind="task",
            appendix=state.name,
            section=previous.section,
            ref=previous.ref,
            title=f"{first.base_title} — {product}",
            unit_text="",
            units=(),
            deadline=parse_deadline(deadline_text, self.doc_date),
            origin=row.origin,
            extra=self._extras(state, row),
            source_key=self._key(state, previous.ref),
            product=product,
        )
        source = _Source(
            first.base_title,
            unit_cell.text or first.unit,
            coop_cell.text or (first.coop if not unit_cell.text else ""),
            deadline_text,
            product,
            first.deliverables,
        )
        self._sources[id(item)] = source
        self._apply_units(item, source)
        if id(previous) in self._quiet_ref:
            self._quiet_ref.add(id(item))
        self._add(state, item)

    def _check_numbering(self, state: _AppendixState, ref: str, row: Row) -> None:
        """ "4.0" after "3.9" under heading 3 is a typo for "3.10": say so, keep the row."""
        parent = state.headings[-1].ref if state.headings else ""
        match = re.fullmatch(r"(\d+)\.(\d+)\.?", ref)
        if match and parent.isdigit() and match.group(1) != parent:
            previous = re.fullmatch(rf"{parent}\.(\d+)\.?", state.last_ref)
            guess = f"{parent}.{int(previous.group(1)) + 1}" if previous else f"{parent}.?"
            self.warnings.append(
                ImportWarning(
                    f"{state.name or 'Bảng'}, {row.origin} (TT {ref})",
                    f"Số TT «{ref}» không thuộc mục {parent}; có thể là «{guess}». "
                    "Đã nhập theo số ghi trong văn bản.",
                )
            )
        state.last_ref = ref

    def _target(
        self,
        state: _AppendixState,
        row: Row,
        ref: str,
        title: str,
        unit_cell: Cell,
        value_cell: Cell,
    ) -> None:
        self._flush()
        unit_text = unit_cell.text or state.last_unit_text  # a group's unit covers the rows below
        state.last_unit_text = unit_text
        label = title.lstrip("-–+• ").strip()
        group = state.target_group
        if title.startswith("+") and group is not None:
            # "+ Mẫu giáo" under "- Tỷ lệ huy động học sinh …:" is that rate for that level;
            # a "-" line with no value of its own only labels the "+" lines under it.
            if not group.value and group in self.items:
                self.items.remove(group)
            label = f"{group.title.rstrip(': ')} — {label}"
        resolution = self.units.resolve(unit_text)
        item = ParsedItem(
            kind="target",
            appendix=state.name,
            section=tuple(h.label for h in state.headings),
            ref=ref,
            title=label,
            unit_text=unit_text,
            units=resolution.units,
            deadline=self._target_deadline(state.value_header),
            origin=row.origin,
            value=clean(value_cell.text) or None,
            extra=self._extras(state, row),
            source_key=self._key(state, ref),
            unknown_units=resolution.unknown,
            cooperating=resolution.cooperating,
            unknown_cooperating=resolution.unknown_cooperating,
        )
        self.items.append(item)
        state.last = item
        if not title.startswith("+"):
            state.target_group = item
        self._warn_units(item)

    def _target_deadline(self, header: str) -> Deadline:
        match = _YEAR_RANGE.search(header)
        if match:
            return parse_deadline(f"Năm {match.group(1)} - {match.group(2)}", self.doc_date)
        return Deadline(DeadlineKind.ONGOING, raw="", note="Chỉ tiêu: theo dõi định kỳ")

    def _add(self, state: _AppendixState, item: ParsedItem) -> None:
        self.items.append(item)
        state.last = item
        self._pending = item

    def _flush(self) -> None:
        """The warnings of the last task, once no page-break fragment can change it."""
        item, self._pending = self._pending, None
        if item is None:
            return
        if item.deadline.kind is DeadlineKind.UNREADABLE:
            hint = f" Gợi ý: «{item.deadline.suggestion}»." if item.deadline.suggestion else ""
            raw = item.deadline.raw or "(trống)"
            note = (item.deadline.note or "không rõ").rstrip(".")
            self.warnings.append(
                ImportWarning(
                    item.where,
                    f"Không đọc được thời hạn «{raw}»: {note}.{hint}"
                    " Nhiệm vụ đã nhập, chờ văn phòng xem lại; chưa nhắc.",
                )
            )
        if not item.ref and id(item) not in self._quiet_ref:
            self.warnings.append(
                ImportWarning(item.where, f"Nhiệm vụ không có số TT: «{item.title[:80]}»")
            )
        self._warn_units(item)

    def _warn_units(self, item: ParsedItem) -> None:
        for name in (*item.unknown_units, *item.unknown_cooperating):
            self.warnings.append(
                ImportWarning(
                    item.where,
                    f"Không nhận ra đơn vị «{name}». Thêm đơn vị hoặc bí danh bằng "
                    "«nhacviec units add»/«nhacviec units alias» rồi nhập lại.",
                )
            )
        if id(item) in self._no_chi_bo:
            self.warnings.append(
                ImportWarning(
                    item.where,
                    "Văn bản giao cho «các chi bộ» nhưng danh sách đơn vị chưa có chi bộ nào. "
                    "Thêm các chi bộ (tên bắt đầu bằng «Chi bộ») rồi nhập lại.",
                )
            )
        no_unit = item.kind == "task" and not item.units and not item.unknown_units
        if no_unit and id(item) not in self._no_chi_bo:
            self.warnings.append(
                ImportWarning(item.where, "Nhiệm vụ không ghi đơn vị tham mưu/chủ trì.")
            )


_DOC_TYPES = (
    "ke hoach",
    "ket luan",
    "thong bao",
    "nghi quyet",
    "chuong trinh",
    "bao cao",
    "chi thi",
)


def document_title(prose: list[str]) -> str:
    """ "KẾ HOẠCH thực hiện …": the document type line and the line that says what it is."""
    for index, line in enumerate(prose[:40]):
        if fold(line).startswith(_DOC_TYPES):
            if len(line) < 20 and index + 1 < len(prose):
                return f"{line} {prose[index + 1]}"
            return line
    return next((line for line in prose if len(line) > 3 and not _letterhead(line)), "")


_LETTERHEAD = re.compile(
    r"^(?:uy ban nhan dan|ubnd|hoi dong nhan dan|dang cong san|cong hoa xa hoi|doc lap\b"
    r"|dang bo|dang uy|tinh uy|huyen uy|thanh uy|so:|so \d|ban (?:chap hanh|thuong vu)\b"
    r"|[^,]{2,40}, ngay \d|-{3,}|\*+$)"
)


def _letterhead(line: str) -> bool:
    """ "ỦY BAN NHÂN DÂN TỈNH …", "Số: 12/KH-UBND", "Hòa Bình, ngày …": not the title."""
    return bool(_LETTERHEAD.match(fold(line).strip(" *#")))


def find_doc_date(prose: list[str]) -> date | None:
    """The document's date from its header ("…, ngày 12 tháng 02 năm 2026")."""
    for line in prose[:40]:
        match = _DOC_DATE.search(fold(line))
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


_BARE_ACTION = re.compile(
    r"^(?:(?:trien khai|xay dung|to chuc|thuc hien|hoan thanh|ban hanh|tham muu|ra soat)"
    r"(?:,? (?:va )?)?){1,3}$"
)


def _with_object(title: str, section: tuple[str, ...]) -> str:
    """ "Triển khai xây dựng" under the heading "Đề án chuyển đổi số": the heading is its object."""
    if not section or not _BARE_ACTION.match(fold(title).strip(" .;:")):
        return title
    heading = _REF_IN_TEXT.match(section[-1])
    obj = heading.group("rest") if heading else section[-1]
    return f"{title.rstrip(' .;:')}: {obj[:1].lower()}{obj[1:]}"


def interpret_grid(grid: Grid, units: UnitRegistry, doc_date: date) -> ParsedDocument:
    interpreter = Interpreter(units, doc_date)
    interpreter.run(grid)
    new_names: dict[str, str] = {}
    for item in interpreter.items:
        item.title = _with_object(clean(item.title), item.section)
        for name in (*item.unknown_units, *item.unknown_cooperating):
            new_names.setdefault(unit_key(name), clean(name))
    return ParsedDocument(
        document_title(grid.prose),
        doc_date,
        interpreter.items,
        interpreter.warnings,
        tuple(new_names.values()),
    )
