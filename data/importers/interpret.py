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
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from data.deadlines import Deadline, DeadlineKind, parse_deadline
from data.importers.grid import Cell, Grid, Row
from data.text import clean, fold
from data.units import UnitRegistry


class Role(StrEnum):
    REF = "ref"
    TITLE = "title"
    UNIT = "unit"
    DEADLINE = "deadline"
    VALUE = "value"
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

    @property
    def needs_review(self) -> bool:
        return (
            self.deadline.kind is DeadlineKind.UNREADABLE
            or bool(self.unknown_units)
            or (self.kind == "task" and not self.units)
        )

    @property
    def status(self) -> str:
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
    if "phoi hop" in key:
        return Role.EXTRA
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


class Interpreter:
    def __init__(self, units: UnitRegistry, doc_date: date) -> None:
        self.units = units
        self.doc_date = doc_date
        self.items: list[ParsedItem] = []
        self.warnings: list[ImportWarning] = []
        self._keys: Counter[str] = Counter()

    def run(self, grid: Grid) -> None:
        state = _AppendixState("")
        for block in grid.blocks:
            for line in block.caption:
                match = _APPENDIX.search(fold(line))
                if match:
                    state = _AppendixState(f"Phụ lục {match.group(1).upper()}")
            for row in block.rows:
                self._row(state, row)

    # -- one row -------------------------------------------------------------

    def _row(self, state: _AppendixState, row: Row) -> None:
        columns = _header_columns(row)
        if columns is not None:
            if state.columns is None or columns != state.columns:
                state.columns = columns
                state.is_targets = Role.VALUE in columns or fold(
                    row.cells[columns[Role.TITLE]].text
                ).startswith("chi tieu")
                value = columns.get(Role.VALUE)
                state.value_header = row.cells[value].text if value is not None else ""
                state.extra_columns = {
                    i: c.text
                    for i, c in enumerate(row.cells)
                    if c.text and i not in columns.values()
                }
            return  # a repeated header after a page break is just skipped
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
        ref = ref_cell.text.strip()
        title = title_cell.text
        if not any(c.text for c in row.cells):
            return
        if not title and ref and not (unit_cell.text or deadline_cell.text or value_cell.text):
            # A heading written whole in the first cell: "<b>III Về môi trường</b>".
            match = _REF_IN_TEXT.match(ref)
            ref, title = (match.group("ref"), match.group("rest")) if match else ("", ref)
            self._heading(state, ref, title)
            return

        bold_title = title_cell.bold or (ref_cell.bold and bool(ref))
        nothing_else = not (unit_cell.text or deadline_cell.text or value_cell.text)

        # A merged cell (.docx/.xlsx) carries its anchor's text: the row is in that group.
        bare_text = not (ref or unit_cell.text or deadline_cell.text or value_cell.text)
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
            self._task(state, row, ref, title, unit_cell, deadline_cell)

    def _heading(self, state: _AppendixState, ref: str, title: str) -> None:
        level = (
            _heading_level(ref) if ref else (state.headings[-1].level + 1 if state.headings else 3)
        )
        while state.headings and state.headings[-1].level >= level:
            state.headings.pop()
        heading = _Heading(level, ref, title)
        state.headings.append(heading)
        state.last = heading
        state.target_group = None

    def _continue(self, state: _AppendixState, text: str, row: Row) -> None:
        last = state.last
        if isinstance(last, (_Heading, ParsedItem)):
            last.title = f"{last.title} {text}"
        else:
            self.warnings.append(
                ImportWarning(
                    f"{state.name or 'Bảng'}, {row.origin}",
                    f"Dòng chữ không thuộc nhiệm vụ nào, đã bỏ qua: «{text[:80]}»",
                )
            )

    def _extras(self, state: _AppendixState, row: Row) -> dict[str, str]:
        return {
            header: row.cells[i].text
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
    ) -> None:
        resolution = self.units.resolve(unit_cell.text)
        deadline = parse_deadline(deadline_cell.text, self.doc_date)
        self._check_numbering(state, ref, row)
        item = ParsedItem(
            kind="task",
            appendix=state.name,
            section=tuple(h.label for h in state.headings),
            ref=ref,
            title=title,
            unit_text=unit_cell.text,
            units=resolution.units,
            deadline=deadline,
            origin=row.origin,
            extra=self._extras(state, row),
            source_key=self._key(state, ref),
            unknown_units=resolution.unknown,
        )
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
            value=value_cell.text or None,
            extra=self._extras(state, row),
            source_key=self._key(state, ref),
            unknown_units=resolution.unknown,
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
        if not item.ref:
            self.warnings.append(
                ImportWarning(item.where, f"Nhiệm vụ không có số TT: «{item.title[:80]}»")
            )
        self._warn_units(item)

    def _warn_units(self, item: ParsedItem) -> None:
        for name in item.unknown_units:
            self.warnings.append(
                ImportWarning(
                    item.where,
                    f"Không nhận ra đơn vị «{name}». Thêm đơn vị hoặc bí danh bằng "
                    "«nhacviec units add»/«nhacviec units alias» rồi nhập lại.",
                )
            )
        if item.kind == "task" and not item.units and not item.unknown_units:
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
    return next((line for line in prose if len(line) > 3), "")


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


def interpret_grid(grid: Grid, units: UnitRegistry, doc_date: date) -> ParsedDocument:
    interpreter = Interpreter(units, doc_date)
    interpreter.run(grid)
    for item in interpreter.items:
        item.title = clean(item.title)
    return ParsedDocument(
        document_title(grid.prose), doc_date, interpreter.items, interpreter.warnings
    )
