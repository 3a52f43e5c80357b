"""Vietnamese message texts: what a chi bộ secretary reads in ten seconds.

Plain text (no Markdown/HTML), so a sender can post it with no parse mode and no
escaping. An empty input renders as ``""``: the caller sends nothing. A long text
(the weekly summary of a big đảng bộ) is cut into platform-sized messages by
``jobs.channels.split_message`` when it is sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from data.taskview import Owed, TaskView
from jobs.plan import DigestItem, Reason, UnitWeek, WeeklySummary, urgency_key

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
FOOTER = "Trả lời /done <số> khi hoàn thành, /chitiet <số> để xem chi tiết."
TITLE_LIMIT = 90
# What a composed text may grow to: one Telegram message (4,096) with room to spare.
TEXT_LIMIT = 3800

# (reason, header, command listing the whole section when it is cut)
_SECTIONS = (
    (Reason.OVERDUE, "🔴 Quá hạn", "/quahan"),
    (Reason.DUE_TODAY, "🟠 Đến hạn hôm nay", "/homnay"),
    (Reason.LADDER, "🟡 Sắp đến hạn", "/thangnay"),
    (Reason.UNREPORTED, "🟣 Chưa báo cáo tiến độ quý này (nhắc lại)", "/tiendo"),
    (Reason.CHECKIN, "🔵 Rà soát định kỳ: báo cáo tiến độ quý này", "/tiendo"),
)
# How a unit answers the quarter's check-in (any platform; Telegram: a reply works too).
CHECKIN_HOW = (
    "Báo cáo tiến độ: /capnhat <số> [phần trăm] <nội dung>, "
    "ví dụ /capnhat {n} 50% đã trình dự thảo."
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_WORDED_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def weekday_name(d: dt.date) -> str:
    return WEEKDAYS[d.weekday()]


def format_date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def day_label(d: dt.date) -> str:
    """'Thứ Hai, 06/04/2026'."""
    return f"{weekday_name(d)}, {format_date(d)}"


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """At most ``limit`` characters, cut on a word boundary with '…'."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a word boundary not too far back; else cut the long word
        cut = cut[:space]
    return cut.rstrip(" ,;:.–-") + "…"


def written_differs(raw: str, due: dt.date | None) -> bool:
    """Whether the deadline as written says more than the date we understood.

    Hidden only when the phrase holds exactly one date and it is that one
    ("chậm nhất ngày 20/3/2026"); "Quý II/2026" or "trước ngày 01/3/2026" are shown.
    """
    raw = raw.strip()
    if not raw:
        return False
    if due is None:
        return True
    found = [*_NUMERIC_DATE.findall(raw), *_WORDED_DATE.findall(raw)]
    if len(found) != 1:
        return True
    day, month, year = (int(part) for part in found[0])
    try:
        return dt.date(year, month, day) != due
    except ValueError:
        return True


def _as_written(item: DigestItem) -> str | None:
    if written_differs(item.raw_deadline, item.due):
        return f'theo văn bản: "{_SPACES.sub(" ", item.raw_deadline).strip()}"'
    return None


def _details(item: DigestItem) -> str:
    parts: list[str] = []
    due = format_date(item.due) if item.due is not None else None
    if item.reason is Reason.OVERDUE:
        parts.append(f"quá hạn {item.days} ngày" + (f"; hạn {due}" if due else ""))
    elif item.reason is Reason.DUE_TODAY:
        parts.append(f"hạn hôm nay, {due}" if due else "hạn hôm nay")
    elif item.reason is Reason.LADDER:
        parts.append(f"còn {item.days} ngày" + (f", hạn {due}" if due else ""))
    elif item.reason is Reason.UNREPORTED:
        parts.append(f"chưa báo cáo tiến độ, {item.days} ngày sau kỳ rà soát")
    elif due:
        parts.append(f"hạn cuối {due}")
    written = _as_written(item)
    if written:
        parts.append(written)
    return "; ".join(parts)


def _line(item: DigestItem, suffix: str = "") -> str:
    details = _details(item)
    return f"• #{item.number} {shorten(item.title)}" + (f" ({details})" if details else "") + suffix


def render_digest(
    unit_name: str,
    items: Sequence[DigestItem],
    today: dt.date,
    *,
    max_per_section: int = 15,
) -> str:
    """The morning message of one unit; "" when there is nothing to say.

    Items are grouped by urgency; a section longer than ``max_per_section`` ends
    with how many more there are and the command that lists them all, so the
    message stays short enough to read (and to fit one chat message).
    """
    if not items:
        return ""
    lines = [f"☀️ Nhắc việc sáng {day_label(today)} — {unit_name}"]
    for reason, header, command in _SECTIONS:
        section = sorted((item for item in items if item.reason is reason), key=urgency_key)
        if not section:
            continue
        lines += ["", f"{header} ({len(section)}):"]
        lines += [_line(item) for item in section[:max_per_section]]
        hidden = len(section) - max_per_section
        if hidden > 0:
            lines.append(f"… và {hidden} việc khác, gõ {command} để xem đủ.")
        if reason in (Reason.CHECKIN, Reason.UNREPORTED):
            lines.append(CHECKIN_HOW.format(n=section[0].number))
    lines += ["", FOOTER]
    return "\n".join(lines)


def _unit(unit_names: Mapping[str, str], code: str) -> str:
    return unit_names.get(code, code)


def render_escalation(
    items: Sequence[DigestItem],
    unit_names: Mapping[str, str],
    today: dt.date,
    *,
    max_items: int = 30,
    max_units: int = 25,
    limit: int = TEXT_LIMIT,
) -> str:
    """Overdue items for the supervising chat, grouped by lead unit; "" if none.

    A short list is shown whole. A long one (a big đảng bộ after a holiday) becomes
    the totals per unit (most items first, at most ``max_units``), the ``max_items``
    latest items, and where the whole list is (/baocao); the text never exceeds
    ``limit`` characters.
    """
    if not items:
        return ""
    by_unit: defaultdict[str, list[DigestItem]] = defaultdict(list)
    for item in items:
        by_unit[item.units[0] if item.units else ""].append(item)
    what = "quá hạn"
    if any(item.reason is Reason.UNREPORTED for item in items):
        what = "quá hạn hoặc chưa báo cáo tiến độ quý"
    head = f"⚠️ Nhiệm vụ {what} cần đôn đốc — {day_label(today)}"

    def name(code: str) -> str:
        return _unit(unit_names, code) if code else "Chưa rõ đơn vị"

    def line(item: DigestItem) -> str:
        partners = [_unit(unit_names, u) for u in item.units[1:]]
        return _line(item, f" — phối hợp: {', '.join(partners)}" if partners else "")

    if len(items) <= max_items:
        lines = [head, f"{len(items)} nhiệm vụ, theo đơn vị chủ trì:"]
        ordered = sorted(by_unit.items(), key=lambda kv: name(kv[0]).casefold())
        for code, unit_items in ordered:
            lines += ["", f"▪️ {name(code)} ({len(unit_items)}):"]
            lines += [line(item) for item in sorted(unit_items, key=urgency_key)]
        text = "\n".join(lines)
        if len(text) <= limit:
            return text
    units = sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), name(kv[0]).casefold()))
    lines = [head, f"{len(items)} nhiệm vụ quá hạn ở {len(units)} đơn vị chủ trì."]
    lines += ["", "▪️ Theo đơn vị (nhiều việc nhất trước):"]
    shown_units = [
        f"• {name(code)}: {len(unit_items)} việc, trễ nhất {_latest(unit_items)} ngày"
        for code, unit_items in units[:max_units]
    ]
    rest = units[max_units:]
    if rest:
        shown_units.append(f"… và {len(rest)} đơn vị khác ({sum(len(v) for _, v in rest)} việc).")
    latest = sorted(items, key=urgency_key)[:max_items]
    shown_items = [f"{line(item)} — {name(item.units[0] if item.units else '')}" for item in latest]
    tail = ["", "xem đầy đủ: /baocao"]
    lines = fit_lines(lines, shown_units, [], limit - len("\n".join(tail)) - 1)
    lines = fit_lines(lines, ["", f"▪️ Quá hạn lâu nhất ({len(latest)}/{len(items)}):"], [], limit)
    lines = fit_lines(lines, shown_items, [], limit - len("\n".join(tail)) - 1)
    return "\n".join(lines + tail)


def _latest(items: Sequence[DigestItem]) -> int:
    return max(item.days or 0 for item in items)


def fit_lines(lines: list[str], more: Sequence[str], tail: Sequence[str], limit: int) -> list[str]:
    """``lines`` plus as many of ``more`` as keep the joined text within ``limit``."""
    size = len("\n".join(lines))
    kept = list(lines)
    for extra in more:
        if size + 1 + len(extra) > limit:
            break
        kept.append(extra)
        size += 1 + len(extra)
    return kept + list(tail)


WEEKLY_UNITS = 30  # units listed in the weekly summary, each part of it
WEEKLY_NUMBERS = 12  # task numbers listed per unit owing progress reports


def render_weekly(
    summary: WeeklySummary,
    unit_names: Mapping[str, str],
    today: dt.date,
    *,
    max_review: int = 30,
    max_units: int = WEEKLY_UNITS,
    limit: int = TEXT_LIMIT,
) -> str:
    """The admin's Monday picture: counts per unit (most overdue first), then review.

    At most ``max_units`` units and ``max_review`` review items are listed, the total
    always; the rest is in the report (/baocao). Never over ``limit`` characters.
    """
    week = f"{summary.week_start:%d/%m}–{format_date(summary.week_end)}"
    lines = [f"📊 Tổng hợp tuần {week} — {day_label(today)}"]
    rows = sorted(
        summary.units.items(),
        key=lambda kv: (-kv[1].overdue, _unit(unit_names, kv[0]).casefold()),
    )
    lines.append("")
    if rows:
        lines.append("Theo đơn vị (xong từ đầu tuần trước; đến hạn trong tuần này):")
    else:
        lines.append("Không có việc nào đến hạn, quá hạn hay vừa hoàn thành.")
    total = f"Toàn đảng bộ (mỗi việc tính một lần): {_counts(summary.total)}" if rows else ""
    review_head = (
        ["", f"🔎 Cần xem lại thời hạn hoặc đơn vị ({len(summary.review)}):"]
        if summary.review
        else []
    )
    reserve = len(total) + sum(len(x) + 1 for x in review_head) + 200
    unit_lines = [f"• {_unit(unit_names, code)}: {_counts(c)}" for code, c in rows[:max_units]]
    kept = fit_lines(lines, unit_lines, [], limit - reserve)
    hidden = len(rows) - (len(kept) - len(lines))
    lines = kept
    if hidden > 0:
        lines.append(f"… và {hidden} đơn vị khác, gõ /baocao để nhận báo cáo đầy đủ.")
    if total:
        lines.append(total)
    if summary.review:
        lines += review_head
        review = [_review_line(t, unit_names) for t in summary.review[:max_review]]
        kept = fit_lines(lines, review, [], limit - 80)
        hidden = len(summary.review) - (len(kept) - len(lines))
        lines = kept
        if hidden > 0:
            lines.append(f"… và {hidden} việc khác, gõ /baocao để nhận báo cáo đầy đủ.")
    if summary.unreported:
        owed = sorted(summary.unreported.items(), key=lambda kv: -kv[1].count)
        count = sum(unit.count for _, unit in owed)
        lines += ["", f"📝 Chưa báo cáo tiến độ việc dài hạn quý này ({count}):"]
        owed_lines = [
            unreported_line(_unit(unit_names, code), unit, WEEKLY_NUMBERS)
            for code, unit in owed[:max_units]
        ]
        kept = fit_lines(lines, owed_lines, [], limit - 80)
        if len(kept) - len(lines) < len(owed):
            lines = [*kept, "… xem đủ: /tiendo hoặc /baocao."]
        else:
            lines = kept
    return "\n".join(lines)


def unreported_line(unit_name: str, owed: Owed, shown: int) -> str:
    """A unit owing progress reports: its first ``shown`` task numbers, then how many more."""
    listed = owed.numbers[:shown]
    more = f" … (+{owed.count - len(listed)})" if owed.count > len(listed) else ""
    return f"• {unit_name}: " + ", ".join(f"#{n}" for n in listed) + more


def _counts(week: UnitWeek) -> str:
    counts = (
        ("xong", week.done),
        ("đến hạn", week.due_this_week),
        ("quá hạn", week.overdue),
        ("chờ chỉ đạo", week.waiting),
        ("cần xem lại", week.needs_review),
    )
    return " · ".join(f"{label} {n}" for label, n in counts if n) or "không có"


def _review_line(t: TaskView, unit_names: Mapping[str, str]) -> str:
    units = ", ".join(_unit(unit_names, u) for u in t.units) or "chưa rõ đơn vị"
    raw = _SPACES.sub(" ", t.raw_deadline).strip()
    written = f'thời hạn: "{raw}"' if raw else "chưa có thời hạn"
    return f"• #{t.number} {shorten(t.chat_title)} — {units}; {written}"
