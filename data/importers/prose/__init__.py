"""Tasks written in sentences: the Thông báo, Kết luận, Chỉ thị, Nghị quyết, Công văn or the
Kế hoạch in numbered paragraphs, read as a clerk reads them.

A clerk reading "Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì phối hợp với Đảng ủy UBND tỉnh …
tham mưu …; trình Thường trực Tỉnh ủy **trước ngày 01/3/2026**" notes one task: an owner,
what is to be done, a deadline. This package proposes those tasks; nothing it reads is sent
anywhere until the office accepts it (status "proposed", the sentence kept verbatim).

The reader is a pipeline, one module per stage, each with its own tests
(tests/test_prose_<stage>.py, tests/test_prose_stages.py) and the corpus score in
tests/prose_score.py:

1. ``segment``    — paragraphs, numbered items and headings, sentences;
2. ``scope``      — where a paragraph stands: the headings above it, the sections they open
   (aims hold no task, a time heading dates the items below) and the owner a heading or an
   intro names for the items below it;
3. ``clauses``    — a sentence cut into clauses where a new owner starts, a colon list or a
   duty cut into steps, a date written first moved after the step it closes;
4. ``owner``      — who: a cue ("Giao …", "Đề nghị …", "Yêu cầu …", "X có trách nhiệm …",
   "X: …"), the registry, a collective list, the issuer (who owns nothing);
5. ``not_tasks``  — the rules that say a clause is no task (closing article, subject line,
   the issuer's view, agenda, support, figures, prohibitions, a meeting already held …);
   ``collective`` — when a direction to everyone ("các cấp ủy, tổ chức đảng …") is a duty;
   ``speech`` — a portal's or a newspaper's story of a leader's direction: who speaks, the
   speaker's turn to the addressee, the steps of what is said;
6. ``dates``      — the dated and periodic phrases, each read by ``data.deadlines``
   (``events``: a time written elsewhere, an event's or a holiday's span);
7. ``proposal``   — ``ParsedItem``s, a later sentence that dates or delivers the task before,
   flagged where the office must add an owner or a date.

``reader.ProseReader`` drives the stages paragraph by paragraph; ``kind`` tells a Kế hoạch
from a Thông báo, and an office's text from a story of one (``is_rendering``).
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
