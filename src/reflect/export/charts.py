"""Bar charts as inline SVG, read at a glance and in print: the question's range on the axis,
the target as a line marked with its direction, and every bar's value written above it.

Shared by the weekly summary's page and the coach's report, with the page style they share.
"""

from html import escape

from reflect.export.review import Definition
from reflect.model.pack import Goal
from reflect.model.text import shorten
from reflect.model.values import with_unit
from reflect.trends.stats import Summary, level
from reflect.trends.wording import number, percent

STYLE = """
@page { size: auto; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1d1d1f; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; font-size: 11pt; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .4rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta, .muted { color: #555; margin: .1rem 0; }
.shared { border-left: 4px solid #888; background: #f4f4f4; padding: .5rem .8rem; margin: 1rem 0; }
.headline { border: 1px solid #c9d3e3; background: #f3f6fb; padding: .5rem .9rem; margin: 1rem 0; }
.headline h2 { border: 0; margin: 0 0 .3rem; font-size: 1.05rem; }
.headline ul { margin: 0; padding-left: 1.1rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; }
th, td { text-align: left; padding: .25rem .4rem; border-bottom: 1px solid #e2e2e2; vertical-align: top; }
th { font-size: .85rem; color: #444; }
.prompt { break-inside: avoid; page-break-inside: avoid; margin-bottom: .8rem; }
.charts { display: flex; gap: 1.2rem; align-items: flex-end; flex-wrap: wrap; }
figure { margin: 0; }
figcaption { font-size: .75rem; color: #555; }
ul.days { margin: .2rem 0; padding-left: 1.1rem; }
.note { white-space: pre-wrap; }
svg text { font-family: inherit; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; }
  svg rect, svg line { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""

BAR = "#4a6fa5"
MET = "#3b7d3b"
MISSED = "#b5543c"
EMPTY = "#d9d9d9"
TARGET = "#222"


def headline_html(lines: list[str]) -> str:
    if not lines:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f'<div class="headline"><h2>This week at a glance</h2><ul>{items}</ul></div>'


def axis(kind: str, definition: Definition | None, known: list[float]) -> tuple[float, float]:
    """The values a chart spans: the question's own range where it has one."""
    if kind in ("yes-no", "choice"):
        return 0.0, 1.0
    low = definition.low if definition else None
    high = definition.high if definition else None
    if low is None:
        low = min(0.0, *known) if known else 0.0
    if high is None:
        high = max([low + 1.0, *known])
    return low, high


def tick(kind: str, value: float, unit: str) -> str:
    """An axis end: "100%", "1", "0 h"."""
    if kind in ("yes-no", "choice"):
        return percent(value)
    return with_unit(f"{value:g}", unit)


def shown(kind: str, value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if kind in ("yes-no", "choice"):
        return percent(value)
    return with_unit(number(value), unit)


def bar_chart(
    kind: str,
    definition: Definition | None,
    target: Goal | None,
    labels: list[str],
    summaries: list[Summary | None],
) -> str:
    """One bar per summary at its level (share of yes, mean, share of the top choice)."""
    levels = [None if s is None or not s.answered else level(s) for s in summaries]
    return bars(kind, definition, target, labels, levels)


def bars(
    kind: str,
    definition: Definition | None,
    target: Goal | None,
    labels: list[str],
    levels: list[float | None],
    words: list[str] | None = None,
) -> str:
    """Bars from the axis up to each level, each written above its bar (`words`, else the level)."""
    unit = definition.unit if definition else ""
    known = [v for v in levels if v is not None]
    low, high = axis(kind, definition, known)
    span = (high - low) or 1.0
    width = max(22, min(60, max((len(x) for x in labels), default=2) * 6 + 6))
    gap, tall, left, top, bottom = 6, 80, 34, 14, 16
    total = left + len(levels) * (width + gap) + 70
    height = top + tall + bottom

    def y(value: float) -> float:
        return round(top + tall - (min(max(value, low), high) - low) / span * tall, 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{height}" '
        f'viewBox="0 0 {total} {height}" role="img">',
        f'<line x1="{left - 3}" y1="{top}" x2="{left - 3}" y2="{top + tall}" stroke="#888"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="9" text-anchor="end" fill="#444">'
        f"{escape(tick(kind, high, unit))}</text>",
        f'<text x="{left - 6}" y="{top + tall}" font-size="9" text-anchor="end" fill="#444">'
        f"{escape(tick(kind, low, unit))}</text>",
    ]
    for i, (value, label) in enumerate(zip(levels, labels, strict=True)):
        x = left + i * (width + gap)
        said = words[i] if words is not None else shown(kind, value, unit)
        room = max(3, (width + gap) // 5)
        said = shorten(said, room)
        if value is None:
            out.append(
                f'<rect x="{x}" y="{top + tall - 2}" width="{width}" height="2" fill="{EMPTY}"/>'
            )
        else:
            bar_top = min(y(value), top + tall - 2)
            colour = BAR if target is None else (MET if target.met(value) else MISSED)
            out.append(
                f'<rect x="{x}" y="{bar_top}" width="{width}" height="{round(top + tall - bar_top, 1)}" '
                f'fill="{colour}"><title>{escape(label)}: {escape(said)}</title></rect>'
                f'<text x="{x + width / 2}" y="{bar_top - 2}" font-size="9" text-anchor="middle" '
                f'fill="#222">{escape(said)}</text>'
            )
        out.append(
            f'<text x="{x + width / 2}" y="{top + tall + 12}" font-size="8" text-anchor="middle" '
            f'fill="#555">{escape(label)}</text>'
        )
    if target is not None and kind in ("scale", "number"):
        end = left + len(levels) * (width + gap)
        ty = y(target.value)
        if target.direction == "about" and target.within:
            band_top, band_bottom = y(target.value + target.within), y(target.value - target.within)
            out.append(
                f'<rect x="{left - 3}" y="{band_top}" width="{end - left + 3}" '
                f'height="{round(band_bottom - band_top, 1)}" fill="{TARGET}" fill-opacity="0.08"/>'
            )
        out.append(
            f'<line x1="{left - 3}" y1="{ty}" x2="{end}" y2="{ty}" stroke="{TARGET}" '
            'stroke-dasharray="4 3" stroke-width="1.2"/>'
            f'<text x="{end + 3}" y="{ty + 3}" font-size="9" fill="{TARGET}">'
            f"{escape(target.sign() + ' ' + tick(kind, target.value, unit))}</text>"
        )
    out.append("</svg>")
    return "".join(out)
