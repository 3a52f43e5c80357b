"""The files units send with their parts: what is accepted, where the bytes go, the reads.

A file is judged by its bytes, never by its name or caption: a PDF, a Word or Excel
file (an Office zip, checked like an imported plan so a zip bomb never inflates), a PNG
or a JPEG, at most 20 MB (Telegram's bot download limit). The bytes are kept under
``<data_dir>/files/<sha256>`` (beside the store, so ``nhacviec backup`` can copy the
directory; one content sent twice is kept once); the row (``PartFile``) says whose part,
the sanitised name, the type read, who sent it and when.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data.db import among
from data.domain import TaskStatus
from data.models import Assignment, PartFile, Task, Unit

if TYPE_CHECKING:  # the importers load when a file is checked, not with the report's reads
    from data.importers.archive import OfficeKind

MIB = 1024 * 1024
MAX_FILE_BYTES = 20 * MIB
MAX_NAME_CHARS = 120
FOLDER = "files"


class FileKind(StrEnum):
    PDF = "application/pdf"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    PNG = "image/png"
    JPEG = "image/jpeg"


_EXTENSIONS: dict[FileKind, tuple[str, ...]] = {
    FileKind.PDF: (".pdf",),
    FileKind.DOCX: (".docx",),
    FileKind.XLSX: (".xlsx",),
    FileKind.PNG: (".png",),
    FileKind.JPEG: (".jpg", ".jpeg"),
}
_WORDS = {
    FileKind.PDF: "PDF",
    FileKind.DOCX: "Word (.docx)",
    FileKind.XLSX: "Excel (.xlsx)",
    FileKind.PNG: "ảnh PNG",
    FileKind.JPEG: "ảnh JPEG",
}
ALLOWED_TEXT = "PDF, Word (.docx), Excel (.xlsx), ảnh PNG hoặc JPEG"
_MAGIC = (
    (b"%PDF-", FileKind.PDF),
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"\xff\xd8\xff", FileKind.JPEG),
)
_ZIP = b"PK\x03\x04"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


class FileRefused(Exception):
    """Why a file is not kept; the message is Vietnamese, for the unit that sent it."""


@dataclass(frozen=True)
class Accepted:
    """A file that passed every check: its sanitised name, its type, its hash."""

    name: str
    kind: FileKind
    size: int
    sha256: str


def clean_name(name: str, kind: FileKind) -> str:
    """The name kept and shown: one plain file name; a path in it is refused, not trimmed."""
    name = unicodedata.normalize("NFC", name).strip()
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise FileRefused(
            "Tên tệp không hợp lệ (có đường dẫn «/», «\\» hoặc «..»). "
            "Hãy đổi tên tệp cho gọn (ví dụ: Bao_cao.pdf) rồi gửi lại."
        )
    name = " ".join(_UNSAFE.sub("_", name).split()).lstrip(". ")
    stem, extension = os.path.splitext(name)
    if not stem:
        stem, extension = "tep", _EXTENSIONS[kind][0]
    return stem[: MAX_NAME_CHARS - len(extension)] + extension


def sniff(content: bytes, name: str) -> FileKind:
    """The type the bytes are, when it is one the office takes and the name agrees."""
    size = len(content)
    if size == 0:
        raise FileRefused("Tệp trống (0 byte). Hãy kiểm tra lại tệp rồi gửi lại.")
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            f"Tệp quá lớn ({size / MIB:.1f} MB); giới hạn là 20 MB. "
            "Hãy nén hoặc tách tệp rồi gửi lại."
        )
    extension = os.path.splitext(name)[1].lower()
    kind = next((k for magic, k in _MAGIC if content.startswith(magic)), None)
    if kind is None and content.startswith(_ZIP):
        from data.importers.archive import DOCX, XLSX

        kind = _office(content, XLSX if extension == ".xlsx" else DOCX)
    if kind is None:
        raise FileRefused(
            f"Nội dung tệp «{name or 'không tên'}» không phải {ALLOWED_TEXT} "
            "(hệ thống đọc loại tệp từ nội dung, không từ tên). Hãy gửi đúng loại tệp."
        )
    if extension and extension not in _EXTENSIONS[kind]:
        raise FileRefused(
            f"Tệp «{name}» mang đuôi {extension} nhưng nội dung là {_WORDS[kind]}. "
            "Hãy đặt đúng đuôi tệp rồi gửi lại."
        )
    return kind


def _office(content: bytes, office: OfficeKind) -> FileKind:
    from data.importers.archive import DOCX, check_archive
    from data.importers.errors import ImportFailure

    try:
        check_archive(content, office)
        with zipfile.ZipFile(BytesIO(content)) as archive:
            if "[Content_Types].xml" not in archive.namelist():
                raise ImportFailure(
                    f"Tệp {office.extension} thiếu [Content_Types].xml, không phải tệp "
                    f"{office.app}. Hãy lưu lại bằng {office.app} rồi gửi lại."
                )
    except ImportFailure as failure:
        raise FileRefused(str(failure)) from failure
    except zipfile.BadZipFile as exc:
        raise FileRefused(f"Tệp {office.extension} bị hỏng. Hãy lưu lại rồi gửi lại.") from exc
    return FileKind.DOCX if office is DOCX else FileKind.XLSX


def accept(content: bytes, name: str) -> Accepted:
    """Check a file (raises ``FileRefused``) and hash it. CPU work: call it off the loop."""
    kind = sniff(content, name)
    shown = clean_name(name, kind) if name else clean_name("", kind)
    return Accepted(shown, kind, len(content), hashlib.sha256(content).hexdigest())


def path_of(data_dir: Path, sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a sha256")
    return data_dir / FOLDER / sha256


def keep(data_dir: Path, accepted: Accepted, content: bytes) -> Path:
    """Write the bytes once under their hash, atomically (a crash leaves no half file)."""
    path = path_of(data_dir, accepted.sha256)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def files_of(session: Session, part_ids: Collection[int]) -> dict[int, list[PartFile]]:
    """Each part's files, oldest first."""
    if not part_ids:
        return {}
    found: dict[int, list[PartFile]] = {}
    rows = session.scalars(
        select(PartFile).where(PartFile.assignment_id.in_(part_ids)).order_by(PartFile.id)
    )
    for row in rows:
        if row.assignment_id is not None:  # always: selected by it
            found.setdefault(row.assignment_id, []).append(row)
    return found


def find(session: Session, file_id: int) -> PartFile | None:
    """One file with its task and unit (the console's download checks the task)."""
    return session.scalar(
        select(PartFile)
        .where(PartFile.id == file_id)
        .options(selectinload(PartFile.task), selectinload(PartFile.unit))
    )


def of_former_parts(session: Session, task_id: int) -> list[PartFile]:
    """The files a task keeps from parts it no longer has (the office named other owners,
    a re-import dropped the unit), oldest first, each with its unit."""
    return list(
        session.scalars(
            select(PartFile)
            .where(PartFile.task_id == task_id, PartFile.assignment_id.is_(None))
            .options(selectinload(PartFile.unit))
            .order_by(PartFile.id)
        )
    )


def names_of_parts(session: Session, part_ids: Collection[int]) -> dict[int, tuple[str, ...]]:
    """Each part's file names, oldest first (the report's detail sheet, one batch)."""
    found: dict[int, list[str]] = {}
    if part_ids:
        rows = session.connection().execute(
            select(PartFile.assignment_id, PartFile.name)
            .where(among(session, PartFile.assignment_id, list(part_ids)))
            .order_by(PartFile.id)
        )
        for part_id, name in rows:
            if part_id is not None:  # always: selected by it
                found.setdefault(part_id, []).append(name)
    return {k: tuple(v) for k, v in found.items()}


def names_by_task_unit(
    session: Session, numbers: Collection[int] | None = None
) -> dict[tuple[int, str], tuple[str, ...]]:
    """(task number, unit code) → its part's file names: of ``numbers``, or every task's."""
    statement = (
        select(Task.number, Unit.code, PartFile.name)
        .join(Assignment, Assignment.id == PartFile.assignment_id)
        .join(Task, Task.id == PartFile.task_id)
        .join(Unit, Unit.id == PartFile.unit_id)
        .order_by(PartFile.id)
    )
    if numbers is not None:
        statement = statement.where(Task.number.in_(list(numbers)))
    found: dict[tuple[int, str], list[str]] = {}
    for number, code, name in session.execute(statement):
        if number is not None:
            found.setdefault((number, code), []).append(name)
    return {k: tuple(v) for k, v in found.items()}


def of_removed_tasks(
    session: Session, numbers: Collection[int] | None = None
) -> list[tuple[Task, PartFile]]:
    """The files kept on removed tasks (of ``numbers``, or of every removed task; a
    dropped part's too), each with its task: what the office may purge."""
    statement = (
        select(Task, PartFile)
        .join(PartFile, PartFile.task_id == Task.id)
        .where(Task.status == TaskStatus.REMOVED)
        .order_by(Task.number, PartFile.id)
    )
    if numbers is not None:
        statement = statement.where(Task.number.in_(list(numbers)))
    return [(task, kept) for task, kept in session.execute(statement)]


def sweep(session: Session, data_dir: Path, candidates: Collection[str]) -> int:
    """Delete the stored bytes of ``candidates`` no row refers to any more (after the
    rows' deletion was committed); how many were deleted."""
    if not candidates:
        return 0
    used = set(
        session.scalars(select(PartFile.sha256).where(PartFile.sha256.in_(list(candidates))))
    )
    deleted = 0
    for sha256 in set(candidates) - used:
        path = path_of(data_dir, sha256)
        if path.exists():
            path.unlink()
            deleted += 1
    return deleted
