"""Refuse broken or hostile Office files before python-docx or openpyxl touch them.

A .docx or .xlsx is a zip of XML parts. The parsers trust the zip: a few kilobytes
can inflate to gigabytes (zip bomb), and XML may declare entities that expand
exponentially. Everything is checked here first, from the zip's own directory and
by streaming the XML parts, so a clerk gets a Vietnamese sentence instead of a
hung worker or a traceback.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring as safe_fromstring

from data.importers.errors import ImportFailure
from data.importers.limits import MAX_XML_ELEMENTS, number

MIB = 1024 * 1024
MAX_INPUT_BYTES = 100 * MIB
MAX_ENTRIES = 2000
MAX_TOTAL_UNCOMPRESSED = 100 * MIB
MAX_RATIO = 200
# A small part may legitimately compress very well (a run of empty styled cells);
# a bomb needs size to hurt, and the total is capped anyway.
RATIO_MIN_SIZE = 1 * MIB

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls, and password-protected Office files
_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def encoded(*markers: str) -> tuple[bytes, ...]:
    """Markers as bytes in every encoding an XML parser accepts, so UTF-16 cannot hide them."""
    return tuple(marker.encode(encoding) for marker in markers for encoding in _ENCODINGS)


_FORBIDDEN = encoded("<!DOCTYPE", "<!ENTITY")
# An XML parser believes the declaration: in UTF-7, "+ADw-!DOCTYPE" is "<!DOCTYPE" and
# no byte marker sees it. Office writes UTF-8 (and UTF-16 is readable too); any other
# declared or detected encoding is refused rather than decoded.
_DECLARATION = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']""")
_UTF8 = frozenset({"utf-8", "utf8"})
_UTF16 = frozenset({"utf-16", "utf16", "utf-16le", "utf-16be"})
_UTF16_STARTS = {
    codecs.BOM_UTF16_LE: "utf-16-le",
    codecs.BOM_UTF16_BE: "utf-16-be",
    b"<\x00?\x00": "utf-16-le",
    b"\x00<\x00?": "utf-16-be",
}
# UTF-32 (with or without a byte-order mark) and EBCDIC, which libxml2 detects by itself.
_OTHER_STARTS = (
    b"\x00\x00\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\x00\x00\x00<",
    b"<\x00\x00\x00",
    b"\x4c\x6f\xa7\x94",
)
_CHUNK = 1 * MIB
_OFFICE_DOCUMENT = "/officeDocument"  # ends every officeDocument relationship type
# Parts neither parser reads as XML; an SVG or an HTML altChunk may carry a harmless DOCTYPE.
_UNPARSED_TYPES = (
    "image/",
    "video/",
    "audio/",
    "application/xhtml+xml",
    "text/html",
    "message/rfc822",
)


@dataclass(frozen=True)
class OfficeKind:
    """What the clerk was expected to send, for the checks and the messages."""

    extension: str  # ".docx"
    legacy: str  # ".doc": the binary format the clerk may have sent instead
    app: str  # "Word"
    main_part: str  # where the main part usually lives
    folder: str  # where the main part must live


DOCX = OfficeKind(".docx", ".doc", "Word", "word/document.xml", "word/")
XLSX = OfficeKind(".xlsx", ".xls", "Excel", "xl/workbook.xml", "xl/")


def broken_message(kind: OfficeKind) -> str:
    return (
        f"Tệp {kind.extension} bị hỏng hoặc không phải tệp {kind.app}. "
        f"Hãy mở tệp bằng {kind.app}, chọn Lưu thành (Save As) định dạng {kind.extension} "
        "rồi gửi lại."
    )


def _suspicious(kind: OfficeKind, reason: str) -> ImportFailure:
    return ImportFailure(
        f"Tệp {kind.extension} có cấu trúc bất thường ({reason}), có thể là tệp độc hại "
        f"nên hệ thống không đọc. Nếu đây là tệp thật, hãy mở bằng {kind.app}, "
        f"lưu thành tệp {kind.extension} mới rồi gửi lại."
    )


def check_archive(data: bytes, kind: OfficeKind) -> None:
    """Raise ImportFailure unless ``data`` is a sane zip holding a ``kind`` document."""
    if not data:
        raise ImportFailure(
            f"Tệp {kind.extension} trống (0 byte). Hãy kiểm tra lại tệp rồi gửi lại."
        )
    if len(data) > MAX_INPUT_BYTES:
        raise ImportFailure(
            f"Tệp {kind.extension} quá lớn ({len(data) / MIB:.0f} MB); giới hạn là 100 MB."
        )
    if data.startswith(_OLE_MAGIC):
        raise ImportFailure(
            f"Tệp này là tệp {kind.app} kiểu cũ ({kind.legacy}) hoặc đã đặt mật khẩu, "
            f"hệ thống chưa đọc được. Hãy mở bằng {kind.app}, bỏ mật khẩu (nếu có), "
            f"lưu lại dưới dạng {kind.extension} rồi gửi lại."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFailure(broken_message(kind)) from exc
    with archive:
        infos = archive.infolist()
        _check_sizes(infos, kind)
        names = {info.filename for info in infos}
        _check_main_part(archive, names, kind)
        try:
            _check_xml_parts(archive, infos, kind)
        except ImportFailure:
            raise
        except Exception as exc:  # CRC errors, truncated streams, bad [Content_Types].xml
            raise ImportFailure(broken_message(kind)) from exc


def _check_sizes(infos: list[zipfile.ZipInfo], kind: OfficeKind) -> None:
    if len(infos) > MAX_ENTRIES:
        raise _suspicious(kind, "hơn 2.000 thành phần bên trong")
    if sum(info.file_size for info in infos) > MAX_TOTAL_UNCOMPRESSED:
        raise _suspicious(kind, "dung lượng khi giải nén vượt quá 100 MB")
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportFailure(
                f"Tệp {kind.extension} có phần bị mã hóa. Hãy mở bằng {kind.app}, "
                f"bỏ mật khẩu, lưu lại rồi gửi lại."
            )
        if info.file_size > RATIO_MIN_SIZE and (
            info.compress_size == 0 or info.file_size / info.compress_size > MAX_RATIO
        ):
            raise _suspicious(kind, f"tỷ lệ nén bất thường ở phần '{info.filename}'")


def _check_main_part(archive: zipfile.ZipFile, names: set[str], kind: OfficeKind) -> None:
    """The main part must exist where the package relationships say it is."""
    main = kind.main_part
    if "_rels/.rels" in names:
        target = main_target(archive.read("_rels/.rels"))
        if target is not None:
            main = target
    if main in names and main.startswith(kind.folder):
        return
    other = XLSX if kind is DOCX else DOCX
    if other.main_part in names:
        raise ImportFailure(
            f"Tệp gửi lên là tệp {other.app} ({other.extension}), không phải tệp {kind.app} "
            f"({kind.extension}). Hãy chọn đúng loại tệp rồi gửi lại."
        )
    raise ImportFailure(
        f"Tệp không phải tệp {kind.app} ({kind.extension}): không tìm thấy phần nội dung "
        f"chính ({kind.main_part}). Hãy mở bằng {kind.app}, lưu lại dưới dạng "
        f"{kind.extension} rồi gửi lại."
    )


def main_target(rels: bytes) -> str | None:
    try:
        root = parse_small_xml(rels)
    except Exception:
        return None  # python-docx/openpyxl will fail on it later with the broken message
    for rel in root:
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return posixpath.normpath(target.lstrip("/")) if target else None
    return None


def parse_small_xml(xml: bytes) -> Element:
    """Parse a package part with DTDs forbidden outright."""
    return safe_fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)  # type: ignore[no-any-return]


def _content_types(
    archive: zipfile.ZipFile, names: set[str], kind: OfficeKind
) -> tuple[dict[str, str], dict[str, str]]:
    """(extension -> type, part name -> type) from [Content_Types].xml."""
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    if "[Content_Types].xml" not in names:
        return defaults, overrides
    raw = archive.read("[Content_Types].xml")
    _refuse_markers(raw, "[Content_Types].xml", kind)
    for node in parse_small_xml(raw):
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "Default":
            defaults[node.get("Extension", "").lower()] = node.get("ContentType", "")
        elif tag == "Override":
            overrides[node.get("PartName", "").lstrip("/")] = node.get("ContentType", "")
    return defaults, overrides


def _check_xml_parts(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], kind: OfficeKind
) -> None:
    """Refuse any part a parser might read that declares a DOCTYPE or an entity.

    The parsers are only partly safe on their own: python-docx (and openpyxl for
    small parts) use lxml with resolve_entities=False, which loads no external
    entity and leaves text references unexpanded, yet still expands internal
    entities inside attribute values, bounded only by libxml2's amplification
    limit; openpyxl parses sheets with defusedxml. No Office application writes a
    DTD, so refusing one outright costs nothing and does not depend on versions.
    """
    names = {info.filename for info in infos}
    defaults, overrides = _content_types(archive, names, kind)
    elements = 0
    for info in infos:
        if info.is_dir():
            continue
        extension = posixpath.splitext(info.filename)[1].lstrip(".").lower()
        content_type = overrides.get(info.filename, defaults.get(extension, ""))
        if content_type.startswith(_UNPARSED_TYPES):
            continue
        elements = _scan_part(archive, info, kind, elements)


def _scan_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, kind: OfficeKind, elements: int
) -> int:
    """One streaming pass over a part: its encoding, DTD markers, and elements so far.

    ``<`` not followed by ``/`` bounds the elements a parser would build (comments,
    CDATA and UTF-16 bytes only overcount), so the count stops a part that would
    fill memory as a tree before any parser sees it.
    """
    overlap = max(len(marker) for marker in _FORBIDDEN)
    tail = b""
    with archive.open(info) as stream:
        first = True
        while chunk := stream.read(_CHUNK):
            if first:
                _check_encoding(chunk, info.filename, kind)
                first = False
            window = tail + chunk
            if any(marker in window for marker in _FORBIDDEN):
                raise _suspicious(kind, f"phần '{info.filename}' chứa khai báo DOCTYPE/ENTITY")
            elements += chunk.count(b"<") - chunk.count(b"</")
            if elements > MAX_XML_ELEMENTS:
                raise ImportFailure(
                    f"Tệp {kind.extension} quá lớn để nhập: hơn {number(MAX_XML_ELEMENTS)} "
                    f"thành phần XML (đến phần '{info.filename}'; giới hạn "
                    f"{number(MAX_XML_ELEMENTS)}, một kế hoạch thật chỉ khoảng 150.000). "
                    "Hãy tách tệp hoặc chỉ giữ các bảng, phụ lục cần nhập rồi gửi lại."
                )
            tail = window[-overlap:]
    return elements


def declared_encoding(head: bytes) -> str | None:
    """The encoding an XML parser would read ``head``'s part in, lower case; None if not XML.

    UTF-8 is what a part without a declaration is read in.
    """
    for start in _OTHER_STARTS:
        if head.startswith(start):
            return "ucs-4/ebcdic"
    for start, codec in _UTF16_STARTS.items():
        if head.startswith(start):
            text = head[:400].decode(codec, errors="ignore").lstrip("\ufeff")
            match = _DECLARATION.match(text.encode("ascii", errors="replace"))
            return match.group(1).decode("ascii").lower() if match else "utf-16"
    match = _DECLARATION.match(head.removeprefix(codecs.BOM_UTF8))
    if match is None:
        return "utf-8" if head.startswith(codecs.BOM_UTF8) or head[:1] == b"<" else None
    return match.group(1).decode("ascii", errors="replace").lower()


def _check_encoding(head: bytes, name: str, kind: OfficeKind) -> None:
    encoding = declared_encoding(head)
    if encoding is None or encoding in _UTF8:
        return
    if encoding in _UTF16 and head.startswith(tuple(_UTF16_STARTS)):
        return
    raise _suspicious(kind, f"phần '{name}' dùng bảng mã {encoding!r}, không phải UTF-8/UTF-16")


def part_contains(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, markers: tuple[bytes, ...]
) -> bool:
    """Stream one part looking for any marker, never holding more than a chunk in memory."""
    overlap = max(len(marker) for marker in markers)
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in markers):
                return True
            tail = window[-overlap:]
    return False


def _refuse_markers(data: bytes, name: str, kind: OfficeKind) -> None:
    _check_encoding(data[:_CHUNK], name, kind)
    if any(marker in data for marker in _FORBIDDEN):
        raise _suspicious(kind, f"phần '{name}' chứa khai báo DOCTYPE/ENTITY")


@contextmanager
def parser_errors(kind: OfficeKind) -> Iterator[None]:
    """Whatever the parser raises on a file that passed the checks, the clerk sees a sentence."""
    try:
        yield
    except ImportFailure:
        raise
    except Exception as exc:
        raise ImportFailure(broken_message(kind)) from exc
