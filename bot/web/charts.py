"""Charts drawn on the server as SVG: no script, readable by screen readers and tests.

Each bar segment carries a ``<title>`` ("Chi bộ A — Hoàn thành đúng hạn: 3") and a
``data-status``/``data-count`` pair; the chart as a whole has ``role="img"`` and a
label saying what it shows.

The drawing is narrow (400 units) with each unit's name on its own line above its
bar, so on a phone (about 360 px for the chart) the text stays above 11 px and a
long name is not squeezed into a column; the stylesheet caps its width on a desktop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from data.vocabulary import PART_STATUS, PART_STATUS_SHORT, STATUS_COLOR
from jobs.compose import shorten
from jobs.report import DATED_STATUSES, PartStatus

WIDTH = 400
FONT = 14  # in drawing units: 14 × 360/400 ≈ 12.6 px on a phone
NAME_LIMIT = 48  # characters of a unit's name on its line


@dataclass(frozen=True)
class UnitBar:
    name: str
    counts: dict[PartStatus, int]


def status_chart(bars: Sequence[UnitBar], *, width: int = WIDTH) -> str:
    """Stacked horizontal bars, one per unit under its name, of the four statuses."""
    name_h, bar_h, gap, top = FONT + 6, 18, 10, 2 * (FONT + 8) + 6
    plot = width - 44  # room for the total after the longest bar
    biggest = max((sum(b.counts.values()) for b in bars), default=0) or 1
    row = name_h + bar_h + gap
    height = top + len(bars) * row + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-label="Biểu đồ bốn trạng thái theo đơn vị">'
    ]
    for index, status in enumerate(DATED_STATUSES):  # the legend, two by two
        x, y = (index % 2) * (width // 2), 2 + (index // 2) * (FONT + 8)
        out.append(
            f'<rect x="{x}" y="{y + 2}" width="{FONT}" height="{FONT}" '
            f'fill="{STATUS_COLOR[status]}"/>'
            f'<text x="{x + FONT + 6}" y="{y + FONT}" font-size="{FONT}">'
            f"{escape(PART_STATUS_SHORT[status])}</text>"
        )
    for index, bar in enumerate(bars):
        y = top + index * row
        out.append(
            f'<text x="0" y="{y + FONT}" font-size="{FONT}" font-weight="600">'
            f"{escape(shorten(bar.name, NAME_LIMIT))}</text>"
        )
        y_bar = y + name_h
        x_at = 0.0
        total = 0
        for status in DATED_STATUSES:
            count = bar.counts.get(status, 0)
            total += count
            if not count:
                continue
            w = plot * count / biggest
            tip = f"{bar.name} — {PART_STATUS[status]}: {count}"
            out.append(
                f'<rect x="{x_at:.1f}" y="{y_bar}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{STATUS_COLOR[status]}" data-status="{status.value}" data-count="{count}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            x_at += w
        out.append(
            f'<text x="{x_at + 4:.1f}" y="{y_bar + bar_h - 4}" font-size="{FONT}">{total}</text>'
        )
    out.append("</svg>")
    return "".join(out)
