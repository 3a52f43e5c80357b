"""Tasks written in sentences: the Thông báo, Kết luận, Chỉ thị, Nghị quyết, Công văn or the
Kế hoạch in numbered paragraphs, read as a clerk reads them.

A clerk reading "Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì phối hợp với Đảng ủy UBND tỉnh …
tham mưu …; trình Thường trực Tỉnh ủy **trước ngày 01/3/2026**" notes one task: an owner,
what is to be done, a deadline. This package proposes those tasks; nothing it reads is sent
anywhere until the office accepts it (status "proposed", the sentence kept verbatim).

The reader is a pipeline, one module per stage (each with its own tests in
tests/test_prose.py and the corpus score in tests/prose_score.py):

1. ``segment``  — paragraphs, numbered items and headings, sentences;
2. ``owner``    — who: a heading or intro that names a body, a cue ("Giao …", "Đề nghị …",
   "Yêu cầu …", "X có trách nhiệm …", "X: …"), the registry, a collective list;
3. action       — the words after the owner, cut into steps at each deadline (``reader``);
4. ``dates``    — the dated and periodic phrases, each read by ``data.deadlines``
   (``events``: a time written elsewhere, an event's or a holiday's span);
5. ``proposal`` — ``ParsedItem``s, flagged where the office must add an owner or a date.

``reader.ProseReader`` runs the stages; ``kind`` tells a Kế hoạch from a Thông báo.
"""

from __future__ import annotations

from data.importers.prose.kind import DocumentKind, document_kind, find_opening_date
from data.importers.prose.proposal import APPENDIX, PROPOSED
from data.importers.prose.reader import ProseReader, propose_tasks, read_prose

__all__ = [
    "APPENDIX",
    "PROPOSED",
    "DocumentKind",
    "ProseReader",
    "document_kind",
    "find_opening_date",
    "propose_tasks",
    "read_prose",
]
