"""Reading one phrase: rewrite, status, recurrence, mentions, unknown words, then the kind."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from data.deadlines import spoken
from data.deadlines.kinds import Deadline, DeadlineKind, _Cand, _dmy, _join, _Problem
from data.deadlines.recurrence import _recurring
from data.deadlines.shapes import _choose, _scan
from data.deadlines.vocabulary import (
    _CLAUSE_END,
    _DIGITS,
    _DONE,
    _FILLERS,
    _HEADER,
    _HORIZON,
    _IN_PROGRESS,
    _ONGOING,
    _PAREN,
    _PERIODIC_ONLY,
    _PROSE_LEAD,
    _REFERENCE,
    _REWRITES,
    _SEASON,
    _UNIT,
    _UNIT_WORDS,
    _WAITING,
    _WORDS,
)
from data.text import clean, fold

# --- the reading ----------------------------------------------------------------------


def _shown(raw: str) -> str:
    text = clean(raw)
    return text if len(text) <= 80 else text[:79] + "…"


def _apply_fix(raw: str, key: str, fix: tuple[int, int, str] | None) -> str | None:
    """The phrase as written, with the digits of ``fix`` replaced: the suggestion."""
    if fix is None:
        return None
    start, end, replacement = fix
    if start < 0:
        return replacement
    display = clean(raw)
    in_key = list(_DIGITS.finditer(key))
    in_display = list(_DIGITS.finditer(display))
    if [t.group() for t in in_key] != [t.group() for t in in_display]:
        return None
    inside = [i for i, t in enumerate(in_key) if t.start() >= start and t.end() <= end]
    if not inside:
        return None
    i, j = inside[0], inside[-1]
    return display[: in_display[i].start()] + replacement + display[in_display[j].end() :]


def _unreadable(raw: str, note: str, suggestion: str | None = None) -> Deadline:
    return Deadline(DeadlineKind.UNREADABLE, raw, note=note, suggestion=suggestion)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _suggestion(best: _Cand) -> str:
    """The reading written as a phrase the reader understands on its own."""
    if best.kind is DeadlineKind.TERM and best.start and best.due:
        if best.shape in ("range", "years"):
            text = f"năm {best.start.year} - {best.due.year}"
        else:
            text = f"từ ngày {_dmy(best.start)} đến ngày {_dmy(best.due)}"
    elif best.kind is DeadlineKind.FROM and best.start:
        text = f"từ ngày {_dmy(best.start)}"
    elif best.label and best.due == best.last and best.mod not in ("before", "after"):
        text = best.label()
    else:
        text = f"ngày {_dmy(best.due or best.start or date.min)}"
    return text[0].upper() + text[1:]


def _unknown_words(raw: str, masked: str, best: _Cand, cands: list[_Cand]) -> list[str]:
    """Words of a deadline cell the reader does not understand (empty for a sentence)."""
    if len(cands) == 1 and not (masked[: best.pos] + masked[best.end :]).strip(" .,;:()-"):
        return []  # the phrase is its one mention
    spans = [(c.pos, c.end) for c in cands]
    if all(w in _FILLERS for w in _WORDS.findall(_blank(masked, spans))):
        return []  # the common case: nothing but mentions and fillers
    for pattern in (_ONGOING, _HORIZON):
        spans.extend((m.start(), m.end()) for m in pattern.finditer(masked))
    for m in _WAITING.finditer(masked):  # "theo chỉ đạo của Tỉnh ủy": the whole clause
        end = _CLAUSE_END.search(masked, m.end())
        spans.append((m.start(), end.start() if end else len(masked)))
    rest = _blank(masked, spans)
    first = min(c.pos for c in cands) if cands else best.pos
    lead = _WORDS.findall(rest[:first])
    if len(lead) >= _PROSE_LEAD and any(w not in _FILLERS for w in lead):
        return []  # a sentence naming its task before its deadline
    unknown = {w for w in _WORDS.findall(rest) if w not in _FILLERS}
    if not unknown:
        return []
    runs: list[list[str]] = [[]]  # consecutive unknown words, as written
    for word in clean(raw).split():
        if set(_WORDS.findall(fold(word))) & unknown:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    shown = [" ".join(run).strip(".,;:()[]«»\"' ") for run in runs if run]
    return shown or sorted(unknown)


def _rewrite(phrase: str) -> tuple[str, list[str]]:
    notes: list[str] = []
    for pattern, replacement, note in _REWRITES:
        matches = list(pattern.finditer(phrase))
        if not matches:
            continue
        last = matches[-1]  # "từ 8 giờ ngày … đến 17 giờ ngày …": the deadline's hour
        if note:
            notes.append(note.format(last.group(1).strip(" :") if last.groups() else ""))
        phrase = pattern.sub(replacement, phrase)
    return clean(phrase), notes


def parse_deadline(phrase: str, doc_date: date) -> Deadline:
    """Read one deadline phrase as the office clerk would, relative to the document's date."""
    raw = phrase.strip()
    text, notes = _rewrite(raw)
    try:
        read = _parse(text, doc_date)
    except (ValueError, OverflowError):  # a date past year 9999 or before year 1
        why = "Thời hạn rơi ra ngoài lịch (trước năm 1 hoặc sau năm 9999); cần kiểm tra."
        return _unreadable(raw, why)
    if read.kind.is_dated:
        # "Năm 2027 (sau khi Bộ ban hành hướng dẫn)": read, and the words in brackets kept
        kept = " ".join(notes)
        notes += [
            f"Văn bản ghi kèm: «{m.group(1).strip()}»."
            for m in _PAREN.finditer(raw)
            if m.group(1).strip() not in kept  # "(nếu cần)": noted once, as a condition
        ]
    if text == raw and not notes:
        return read
    shown = [n if n.endswith(".") else f"{n[:1].upper()}{n[1:]}." for n in notes]
    return replace(read, raw=raw, note=_join(read.note, *shown))


def _parse(raw: str, doc_date: date) -> Deadline:
    key = fold(raw)
    if not key.strip(" .,;:-*_/"):
        return _unreadable(raw, "Ô thời hạn để trống nên không có gì để nhắc; cần nhập thời hạn.")
    if _HEADER.fullmatch(key):
        return _unreadable(raw, f"«{_shown(raw)}» là tiêu đề cột, không phải thời hạn.")
    if _DONE.match(key):
        return Deadline(DeadlineKind.DONE, raw)
    masked = key
    if "so " in key or "cua" in key:
        masked = _REFERENCE.sub(lambda m: " " * len(m.group()), key)
    recur = _recurring(masked)
    if isinstance(recur, _Problem):
        return _unreadable(raw, recur.note)
    if recur is not None:
        masked = _blank(masked, recur.spans)
    tet = spoken.before_tet(raw, masked, doc_date)
    if tet is not None and (recur is None or recur.rule is None):
        return tet  # "trước Tết Nguyên đán": the eve of the next Tết
    cands = _scan(masked, doc_date)
    if "tam nhin" in masked or "dinh huong" in masked:
        horizonless = _scan(_HORIZON.sub(lambda m: " " * len(m.group()), masked), doc_date)
        cands = horizonless or cands
    best, several = _choose(cands)
    if best is not None and best.problem is not None:
        return _unreadable(raw, best.problem.note, _apply_fix(raw, key, best.problem.fix))
    if recur is not None and recur.rule is not None:
        start = until = None
        if best is not None and best.kind is DeadlineKind.TERM:
            start, until = best.start, best.due
        elif best is not None and best.kind is DeadlineKind.FROM:
            start = best.start
        elif best is not None and best.shape in ("year", "half", "quarter", "month"):
            # "Năm 2027 và hằng năm" starts then; whether it also ends then is unsaid.
            start = best.first
        rule = recur.rule + (f";UNTIL={until:%Y%m%d}" if until else "")
        return Deadline(DeadlineKind.RECURRING, raw, start=start, rrule=rule, note=recur.note)
    ongoing = _ONGOING.search(masked) is not None
    if best is not None:
        season = _SEASON.search(masked)
        if season and best.kind in (DeadlineKind.DUE, DeadlineKind.TERM):
            # "trước mùa mưa năm 2018": a season has no date of its own (the rainy season is
            # not the year's end); flagged with the year as the hint, never read silently
            why = (
                f"Thời hạn theo mùa («{_shown(raw[season.start() : season.end()])}») không có "
                "ngày cụ thể; cần nhập ngày."
            )
            return _unreadable(raw, why, _suggestion(best))
        if best.kind in (DeadlineKind.DUE, DeadlineKind.TERM, DeadlineKind.FROM):
            unknown = _unknown_words(raw, masked, best, cands)
            if unknown:
                hint = _suggestion(best)
                why = (
                    f"Thời hạn có chữ chưa hiểu được («{'», «'.join(unknown)}»): có thể là "
                    f"«{hint}» nhưng những chữ đó có thể làm đổi thời hạn; cần kiểm tra."
                )
                return _unreadable(raw, why, hint)
        note = _join(best.note, several)
        if ongoing and best.kind in (DeadlineKind.DUE, DeadlineKind.TERM):
            return Deadline(
                DeadlineKind.DUE_THEN_ONGOING, raw, start=best.start, due=best.due, note=note
            )
        return Deadline(best.kind, raw, start=best.start, due=best.due, note=note)
    if ongoing:
        return Deadline(DeadlineKind.ONGOING, raw)
    if recur is not None:  # "hằng ngày"
        return Deadline(DeadlineKind.ONGOING, raw, note=recur.note)
    if _IN_PROGRESS.match(key):
        note = "Đang thực hiện: theo dõi như việc thường xuyên."
        return Deadline(DeadlineKind.ONGOING, raw, note=note)
    no_day = spoken.undated_season(raw, masked, _shown(raw))
    if no_day is not None:
        return no_day  # "xong trước mùa mưa bão": no day of its own
    day_only = spoken.day_without_month(raw, masked, doc_date)
    if day_only is not None:
        return day_only  # "trước ngày 15": which month?
    week = spoken.within_week(raw, masked, doc_date)
    if week is not None:
        return week  # "trong tuần này": which day ends the week?
    if _WAITING.search(masked):
        return Deadline(DeadlineKind.WAITING, raw)
    if _PERIODIC_ONLY.search(masked):
        note = "Ghi «định kỳ» nhưng không nói chu kỳ (hằng tháng, hằng quý, hằng năm…); cần ghi rõ."
        return _unreadable(raw, note)
    if _UNIT.match(key) and key.count(" ") < _UNIT_WORDS:
        note = (
            f"Ô thời hạn ghi tên đơn vị «{_shown(raw)}» chứ không phải thời hạn "
            "(có thể bị lệch cột); cần nhập lại thời hạn."
        )
        return _unreadable(raw, note)
    note = f"Không nhận ra thời hạn trong «{_shown(raw)}»; cần ghi rõ ngày, tháng, quý hoặc năm."
    return _unreadable(raw, note)
