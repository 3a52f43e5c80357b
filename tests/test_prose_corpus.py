"""The prose reader on public documents it was not written for (tests/data/prose/).

The clerk's lists were written before the reader ran; ``python -m tests.prose_score -v``
prints the table. These floors hold the score: raise them when the reader improves,
never lower them to let a change through.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.prose_score import (
    BLIND,
    CORPUS,
    blind_names,
    blind_overlap,
    blind_pages,
    blind_scores,
    blind_total,
    deadline_phrases,
    names,
    score,
    table_plans,
    total,
)

# main after prose4 and prose5 (batch 36 promoted): 735 right, 10 extra; batch 38 (the former
# blind batch 3) joined with 55 right, 10 extra under that reader; 828 / 13 with its rules;
# 854 / 12 of 977 after prose7 (each step of a colon list a task; two lists re-aligned);
# 991 / 12 of 1027 after prose11-official (batches 57, 58: official texts an office imports);
# 1053 / 16 of 1097 with prose9 (batches 54-55 of renderings joined with 51 right, 4 extra;
# three lists re-aligned to "several steps, several tasks"); 1078 / 16 of 1129 after
# prose13-owners (batch 62, owners a clerk reads: 12/45, 10 extra at first sight, then 23/45, 0;
# batch 63 written after those rules: 4/8, 2 extra at first sight, then 6/8, 0): 1084 / 16 of 1135;
# with prose12-steps (batches 60-61 of renderings whose duties are comma-joined steps, first
# seen at 14/55 and 12/37 with 4 and 7 extra, their own 7 extras now; two more lists re-aligned;
# one page both sessions took dropped from batch 60): 1145 / 23 of 1357;
# 1156 / 22 of 1228 with prose14-render2 (batches 64-65 of renderings, five pages other
# sessions took too dropped; on the older batches the speaker's appraisal, a body's own report
# or promise, the meeting itself and its agenda are no tasks: 1146 right, 20 extra on the
# older batches); 1220 / 22 of 1291 with prose16-official2 (batch 68 of official texts, 53/71
# with 2 extra at first sight, then 63/71 with none; one more right in batch 36); 1232 / 22 of
# 1303 with its batch 69 (five more, written after those rules: 12/14, none extra, at first sight);
# 1233 with the aside rule (", bên cạnh việc …," is no name and no date); 1258 / 22 of 1341
# with prose15-dates (batches 66-67 of dates inside running sentences: 11/44 and 2/6 at first
# sight, 16/44 with none extra after the rules; the older batches +6)
# 1283 / 25 of 1372 with prose18-partyplan (batch 72, four Party texts' "Tổ chức thực hiện":
# 23/47 with 4 extra at first sight, 25/47 with 3 after the rules; extras up only by its own)
# 1285 / 25 of 1374 with its batch 73 (Kết luận 212-KL/TW, written after those rules: 2/8);
# with prose17-state (batch 70 of State letters and a Chủ tịch's conclusions: 11/32 with 3 extra
# at first sight, 14/32 after the rules "Sở này …", "GĐ các sở …", "Phó Chủ tịch <name> yêu cầu,
# …"; batch 71, written after them: 7/15 with 1 extra at first sight, 8/15): 1308 / 29 of 1404
# with prose20-official (batch 76, ten official Party and State texts: 44/88 with 32 extra at
# first sight, 64/88 with 5 after its rules; batch 77, four more of the class held back and never
# read for failures: 28/47 with 26 extra, the same after; the older batches unchanged at 1308 /
# 29, so the extras up by the new batches' own 5 + 26): 1400 / 60 of 1544
# with prose19-recall (batch 74, twelve renderings whose undated directions with an owner were
# never proposed: 11/28 with 6 extra at first sight, 20/28 with none after its rules; batch 75, nine
# more held back and never read for failures: 6/27 with 3 extra, 8/27 with 4 after; the older
# batches 1308 -> 1341 right, 29 -> 30 extra: a page cut in mid-word, "… nghiêm túc nhìn nhận vấn
# đề, tiếp thu các ý kiến chỉ đạo, góp ý c", whose owner is now read; batches 76-77 unchanged):
# 1461 / 65 of 1619
# with prose21-state (batch 78, eleven State directives and letters — Chủ tịch UBND tỉnh, Thủ
# tướng, Văn phòng Chính phủ, a Bộ, a Sở, a Phòng: 28/47 with 2 extra at first sight, 33/47 with 2
# after its rules; batch 79, seven more held back and never read for failures: 7/25 with 3 extra,
# the same after; the older batches 1461 -> 1464 right, extras unchanged at 65, so the extras up
# by the new batches' own 2 + 3): 1504 / 70 of 1674
# seven lists re-aligned to "a work and its dated report are one task" (tests/data/prose/README.md,
# the lead's choice; the reader unchanged): 1511/1901, 70 extra
# with prose22-recall2 (batch 80, thirteen commune and district letters and notices and
# renderings: 17/34 with 12 extra at first sight, 25/34 with 7 after its rules; batch 81, nine more
# held back and never read for failures: 0/9 with 5 extra, the same after; the older batches
# 1461 -> 1477 right, 65 -> 65 extra, so the extras up by the new batches' own 7 + 5): 1502 / 77;
# merged with prose21-state's batches 78-79 and re-aligned lists (1511 / 70 of 1901), batch 80 at
# 26/34 with 4 extra: the older batches 1511 -> 1527 right, 70 extra unchanged: 1553 / 79 of 1944
RIGHT_AT_LEAST = 1553
EXTRA_AT_MOST = 79


def test_corpus_is_large_enough() -> None:
    assert len(names()) >= 15


def test_corpus_score_holds() -> None:
    t = total([score(n) for n in names()])
    assert t.right >= RIGHT_AT_LEAST, f"{t.right}/{t.expected} right"
    assert t.extra <= EXTRA_AT_MOST, f"{t.extra} extra of {t.proposals}"


def test_the_training_corpus_stays_read() -> None:
    """The documents the reader was taught on: at least three tasks in four right and at most
    one extra proposal in ten. Not issue 20's must-show 1, which asks 80 % of documents never
    seen (the blind batches: ``blind_total``); this corpus grows with each new batch's first,
    lower reading (79 % on 2026-12-08), so it guards against a collapse, not for the goal."""
    t = total([score(n) for n in names()])
    assert t.recall >= 0.75 and t.extra_share <= 0.10


def test_table_plans_and_deadline_phrases_hold() -> None:
    tables, phrases = table_plans(), deadline_phrases()
    assert tables.share >= 0.95, tables.wrong
    assert phrases.share >= 0.95 and phrases.silent == 0, phrases.wrong


@pytest.mark.parametrize("batch", sorted(BLIND))
def test_a_blind_batch_is_read_and_scored_apart(batch: int) -> None:
    """A blind batch parses, every listed task is scored, and no other figure has it.

    No floor here: ``blind_total(n)`` is read by the lead at the end of a session, never
    tuned for.
    """
    held = blind_names(batch)
    assert len(held) >= 20
    others = [blind_names(b) for b in BLIND if b != batch]
    assert not set(held) & set(names()).union(*others)
    # the same page twice (a training helper may not look here): drop the training copy
    taken = blind_pages()
    assert not taken, f"training documents whose page is a blind one (drop them): {taken}"
    # the same document through another address (its words, not its page)
    copied = blind_overlap()
    assert not copied, f"training documents whose text is a blind one's (drop them): {copied}"
    scores = blind_scores(batch)
    for s in scores:
        spec = json.loads((BLIND[batch] / f"{s.name}.expected.json").read_text(encoding="utf-8"))
        assert s.expected == len(spec["tasks"]) > 0, s.name
        assert s.right + len(s.wrong) + len(s.missed) == s.expected, s.name
    t = blind_total(batch)
    # >= 60: batches 4 and 5 lost 40 and 20 tasks to pages the training helpers had taken
    assert t.expected == sum(s.expected for s in scores) >= 60


def test_a_blind_text_under_another_address_is_found(tmp_path: Path) -> None:
    """A blind document saved again from another site (a legal library's copy of a
    portal's Kết luận, cut where the store cut it) is named by ``blind_overlap``; a
    document that only shares boilerplate is not. The test reads the blind text as code
    and prints none of it."""
    blind = sorted(BLIND[max(BLIND)].glob("*.txt"))[0].read_text(encoding="utf-8")
    body = [line for line in blind.splitlines() if line and not line.startswith("# ")]
    half = " ".join(body)[: max(600, len(" ".join(body)) // 2)]
    (tmp_path / "copy.txt").write_text(f"# Nguồn: elsewhere.example\n{half}\n", encoding="utf-8")
    other = sorted(CORPUS.glob("*.txt"))[0].read_text(encoding="utf-8")
    (tmp_path / "other.txt").write_text(other, encoding="utf-8")
    assert blind_overlap(tmp_path) == ["copy"]
