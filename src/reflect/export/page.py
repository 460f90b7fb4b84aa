"""A review as one self-contained HTML page: inline CSS and SVG, no scripts, no fonts, no network.

It prints on A4 and Letter alike. Every piece of text, the person's and the
pack's, is escaped, so an entry holding `<script>` shows as text.
"""

import datetime as dt
from html import escape

from reflect.export.review import DayAnswer, PromptReview, Review
from reflect.trends.wording import change_words, summary_text, target_text, value_text

STYLE = """
@page { size: auto; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1d1d1f; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; font-size: 11pt; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .4rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta, .muted { color: #555; }
.shared { border-left: 4px solid #888; background: #f4f4f4; padding: .5rem .8rem; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; }
th, td { text-align: left; padding: .25rem .4rem; border-bottom: 1px solid #e2e2e2; vertical-align: top; }
th { font-size: .85rem; color: #444; }
.prompt { break-inside: avoid; page-break-inside: avoid; margin-bottom: .8rem; }
.charts { display: flex; gap: 1.2rem; align-items: flex-end; flex-wrap: wrap; }
.charts figure { margin: 0; }
.charts figcaption { font-size: .75rem; color: #555; }
ul.days { margin: .2rem 0; padding-left: 1.1rem; }
.note { white-space: pre-wrap; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
"""

BAR = "#4a6fa5"
EMPTY = "#d9d9d9"


def review_html(review: Review) -> str:
    span = review.span
    body = [
        f"<h1>Review of {escape(review.label)}</h1>",
        f'<p class="meta">{span.start:%A %d %B %Y} to {span.end:%A %d %B %Y}. '
        f"Days written: {review.days_written} of {span.days}.</p>",
    ]
    if review.shared:
        kept = ", ".join(escape(p.name) for p in review.packs)
        body.append(
            f'<p class="shared">Shared summary: the answers and statistics of {kept}. '
            f"Left out: {escape(', '.join(review.left_out))}.</p>"
        )
    if not review.packs:
        body.append("<p>Nothing was answered in this range.</p>")
    for pack in review.packs:
        versions = (
            f' <span class="muted">version {escape(", ".join(pack.versions))}</span>'
            if pack.versions
            else ""
        )
        retired = " (retired)" if pack.retired else ""
        body.append(f"<h2>{escape(pack.name)}{retired}{versions}</h2>")
        body.append(_table(pack.prompts))
        body.extend(_prompt(p, span.start, span.days) for p in pack.prompts)
    if review.left_out_answers:
        body.append("<h2>Left out of the statistics</h2>")
        body.append(
            '<ul class="days">'
            + "".join(
                f"<li>{a.date:%a %d %b}, {escape(a.question)}: {escape(str(a.value))} "
                f"({escape(a.reason)})</li>"
                for a in review.left_out_answers
            )
            + "</ul>"
        )
    if review.notes:
        body.append("<h2>Notes</h2>")
        body.extend(
            f'<h3>{n.date:%a %d %b} {escape(n.time)}</h3><p class="note">{escape(n.text)}</p>'
            for n in review.notes
        )
    if review.tags:
        tags = ", ".join(f"{escape(t)} ({d})" for t, d in review.tags)
        body.append(f'<p class="muted">Tags: {tags}</p>')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Review of {escape(review.label)}</title>\n<style>{STYLE}</style>\n</head>\n"
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _table(prompts: list[PromptReview]) -> str:
    rows = []
    for p in prompts:
        delta = p.change.delta if p.change else None
        rows.append(
            "<tr>"
            f"<td>{escape(p.title)}{' (retired)' if p.retired else ''}</td>"
            f"<td>{escape(summary_text(p.summary, p.unit, p.target))}</td>"
            f"<td>{escape(target_text(p.summary, p.unit, p.target))}</td>"
            f"<td>{escape(change_words(p.kind, delta, p.unit))}</td>"
            "</tr>"
        )
    return (
        "<table><thead><tr><th>Question</th><th>This period</th><th>Target</th>"
        "<th>Change</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _prompt(prompt: PromptReview, start: dt.date, days: int) -> str:
    parts = [f'<section class="prompt"><h3>{escape(prompt.title)}</h3>']
    charts = []
    if prompt.kind != "text" and days <= 31:
        charts.append(_figure("day by day", _days_chart(prompt, start, days)))
    if len([w for w in prompt.weeks if w[1] is not None]) > 1:
        charts.append(_figure("week by week", _weeks_chart(prompt)))
    if charts:
        parts.append('<div class="charts">' + "".join(charts) + "</div>")
    items = [_day_item(prompt, d) for d in prompt.days]
    if items:
        parts.append('<ul class="days">' + "".join(items) + "</ul>")
    if prompt.follow_ups and prompt.follow_up:
        parts.append(f"<p><em>{escape(prompt.follow_up)}</em></p>")
        parts.append(
            '<ul class="days">'
            + "".join(
                f"<li>{d.date:%a %d %b}: {escape(d.text or '')}</li>" for d in prompt.follow_ups
            )
            + "</ul>"
        )
    parts.append("</section>")
    return "".join(parts)


def _day_item(prompt: PromptReview, day: DayAnswer) -> str:
    shown = day.text if day.text is not None else value_text(prompt.kind, day.value, prompt.unit)
    asked = (
        f' <span class="muted">(asked as: {escape(day.question)})</span>'
        if day.question is not None and day.question != prompt.text
        else ""
    )
    return f"<li>{day.date:%a %d %b}: {escape(shown)}{asked}</li>"


def _figure(caption: str, svg: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _height(prompt: PromptReview, value: object) -> float | None:
    """A value as a share of the chart's height, or None for no bar."""
    if isinstance(value, bool):
        return 1.0 if value else 0.08
    if isinstance(value, (int, float)):
        low, high = prompt.bounds or (0.0, max(float(value), 1.0))
        if high <= low:
            return 0.5
        return max(0.08, min(1.0, (float(value) - low) / (high - low)))
    if isinstance(value, str):
        return 0.6
    return None


def _bars(heights: list[float | None], labels: list[str], titles: list[str]) -> str:
    width, tall, gap = 22, 48, 4
    total = len(heights) * (width + gap)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{tall + 14}" '
        f'viewBox="0 0 {total} {tall + 14}" role="img">'
    ]
    for i, (height, label, title) in enumerate(zip(heights, labels, titles, strict=True)):
        x = i * (width + gap)
        if height is None:
            out.append(f'<rect x="{x}" y="{tall - 2}" width="{width}" height="2" fill="{EMPTY}"/>')
        else:
            h = round(height * tall, 1)
            out.append(
                f'<rect x="{x}" y="{tall - h}" width="{width}" height="{h}" fill="{BAR}">'
                f"<title>{escape(title)}</title></rect>"
            )
        out.append(
            f'<text x="{x + width / 2}" y="{tall + 11}" font-size="8" text-anchor="middle" '
            f'fill="#555">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _days_chart(prompt: PromptReview, start: dt.date, days: int) -> str:
    by_date = {d.date: d.value for d in prompt.days}
    dates = [start + dt.timedelta(days=n) for n in range(days)]
    heights = [_height(prompt, by_date.get(d)) for d in dates]
    labels = [f"{d:%a}"[:2] if days <= 7 else f"{d.day}" for d in dates]
    titles = [
        f"{d:%a %d %b}: {value_text(prompt.kind, by_date.get(d), prompt.unit)}" for d in dates
    ]
    return _bars(heights, labels, titles)


def _weeks_chart(prompt: PromptReview) -> str:
    levels = [value for _, value in prompt.weeks]
    known = [v for v in levels if v is not None]
    if prompt.kind in ("yes-no", "choice"):
        low, high = 0.0, 1.0
    elif prompt.bounds:
        low, high = prompt.bounds
    else:
        low, high = 0.0, max(known) if known else 1.0
    span = (high - low) or 1.0
    heights = [None if v is None else max(0.08, min(1.0, (v - low) / span)) for v in levels]
    labels = [label.split("-")[-1] for label, _ in prompt.weeks]
    titles = [f"{label}: {'—' if v is None else round(v, 2)}" for label, v in prompt.weeks]
    return _bars(heights, labels, titles)
