"""Charts drawn on the server as SVG: no script, readable by screen readers and tests.

Each bar segment carries a ``<title>`` ("Chi bộ A — Hoàn thành đúng hạn: 3") and a
``data-status``/``data-count`` pair; the chart as a whole has ``role="img"`` and a
label saying what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from jobs.report import DATED_STATUSES, STATUS_LABELS, PartStatus

COLORS = {
    PartStatus.DONE_ON_TIME: "#2e7d32",
    PartStatus.DONE_LATE: "#f9a825",
    PartStatus.IN_TERM: "#1565c0",
    PartStatus.OVERDUE: "#c62828",
}


@dataclass(frozen=True)
class UnitBar:
    name: str
    counts: dict[PartStatus, int]


def status_chart(bars: Sequence[UnitBar], *, width: int = 640) -> str:
    """Stacked horizontal bars, one per unit, of the four statuses."""
    label_width, row, gap, top = 210, 22, 8, 52
    plot = width - label_width - 40
    biggest = max((sum(b.counts.values()) for b in bars), default=0) or 1
    height = top + len(bars) * (row + gap) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-label="Biểu đồ bốn trạng thái theo đơn vị">'
    ]
    for index, status in enumerate(DATED_STATUSES):  # the legend, two by two
        x, y = (index % 2) * (width // 2), 4 + (index // 2) * 18
        out.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLORS[status]}"/>'
            f'<text x="{x + 16}" y="{y + 11}" font-size="11">'
            f"{escape(STATUS_LABELS[status])}</text>"
        )
    for index, bar in enumerate(bars):
        y = top + index * (row + gap)
        name = bar.name if len(bar.name) <= 34 else bar.name[:33] + "…"
        out.append(
            f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"{escape(name)}</text>"
        )
        x_at = float(label_width)
        total = 0
        for status in DATED_STATUSES:
            count = bar.counts.get(status, 0)
            total += count
            if not count:
                continue
            w = plot * count / biggest
            tip = f"{bar.name} — {STATUS_LABELS[status]}: {count}"
            out.append(
                f'<rect x="{x_at:.1f}" y="{y}" width="{w:.1f}" height="{row}" '
                f'fill="{COLORS[status]}" data-status="{status.value}" data-count="{count}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            x_at += w
        out.append(f'<text x="{x_at + 4:.1f}" y="{y + 15}" font-size="11">{total}</text>')
    out.append("</svg>")
    return "".join(out)
