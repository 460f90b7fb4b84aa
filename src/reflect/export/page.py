"""A review as one self-contained HTML page: inline CSS and SVG, no scripts, no fonts, no network.

It prints on A4 and Letter alike. Every piece of text, the person's and the
pack's, is escaped, so an entry holding `<script>` shows as text.
"""

import datetime as dt
from html import escape

from reflect.export.charts import STYLE, bars, headline_html
from reflect.export.review import (
    NOT_ASKED,
    DayAnswer,
    Definition,
    PromptReview,
    Review,
    unreadable_files,
)
from reflect.trends.wording import change_words, summary_text, target_text, value_text


def review_html(review: Review) -> str:
    span = review.span
    body = [
        f"<h1>Review of {escape(review.label)}</h1>",
        f'<p class="meta">{span.start:%A %d %B %Y} to {span.end:%A %d %B %Y}. '
        f"Days written: {review.days_written} of {span.days}.</p>",
    ]
    if review.client:
        body.insert(1, f'<p class="meta">From {escape(review.client)}.</p>')
    if review.shared:
        kept = (
            "the answers and statistics of " + ", ".join(escape(p.name) for p in review.packs)
            if review.packs
            else "no answers (none in the range)"
        )
        body.append(
            f'<p class="shared">Shared summary: {kept}, for '
            f"{escape('; '.join(review.contains))}. "
            f"Left out: {escape(', '.join(review.left_out))}.</p>"
        )
    body.append(headline_html(headline(review)))
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
                f"<li>{a.date:%a %d %b}, {escape(a.question)}"
                f"{_said(a.value)} "
                f"({escape(a.reason)})</li>"
                for a in review.left_out_answers
            )
            + "</ul>"
        )
    unreadable = unreadable_files(review)
    if unreadable:
        body.append("<h2>Files that could not be read</h2>")
        body.append(
            '<p class="muted">Their days are missing from this summary.</p><ul class="days">'
            + "".join(f"<li>{escape(path)}: {escape(error)}</li>" for path, error in unreadable)
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
            f"<td>{escape(summary_text(p.summary, p.unit))}</td>"
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
                f"<li>{d.date:%a %d %b}: {escape(d.text or '')}"
                f"{'' if d.asked else escape(NOT_ASKED)}</li>"
                for d in prompt.follow_ups
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


def headline(review: Review) -> list[str]:
    """The week at a glance: targets met or missed, then the answers that moved most."""
    said = [
        f"{p.text} — {target_text(p.summary, p.unit, p.target)}"
        for pack in review.packs
        for p in pack.prompts
        if target_text(p.summary, p.unit, p.target)
    ]
    moves = []
    for pack in review.packs:
        for p in pack.prompts:
            if p.change is None or p.kind == "text" or abs(p.change.delta) < 1e-9:
                continue
            low, high = p.bounds or (0.0, 1.0)
            scale = 1.0 if p.kind in ("yes-no", "choice") else ((high - low) or 1.0)
            moves.append((abs(p.change.delta) / scale, p))
    moves.sort(key=lambda m: -m[0])
    for _, p in moves[:3]:
        assert p.change is not None
        said.append(
            f"{p.text} — {change_words(p.kind, p.change.delta, p.unit)} since {p.change.before}"
        )
    return said


def _figure(caption: str, svg: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _prompt_definition(prompt: PromptReview) -> Definition:
    if prompt.definition is not None:
        return prompt.definition
    low, high = prompt.bounds or (None, None)
    return Definition(prompt.kind, prompt.text, prompt.unit, low, high, target=prompt.target)


def _days_chart(prompt: PromptReview, start: dt.date, days: int) -> str:
    by_date = {d.date: d.value for d in prompt.days}
    dates = [start + dt.timedelta(days=n) for n in range(days)]
    levels: list[float | None] = []
    for day in dates:
        value = by_date.get(day)
        if isinstance(value, bool):
            levels.append(1.0 if value else 0.0)
        elif isinstance(value, (int, float)):
            levels.append(float(value))
        elif isinstance(value, str):
            levels.append(1.0)
        else:
            levels.append(None)
    labels = [f"{d:%a}"[:2] if days <= 7 else f"{d.day}" for d in dates]
    words = [
        "" if by_date.get(d) is None else value_text(prompt.kind, by_date.get(d), prompt.unit)
        for d in dates
    ]
    return bars(prompt.kind, _prompt_definition(prompt), prompt.target, labels, levels, words)


def _weeks_chart(prompt: PromptReview) -> str:
    levels = [value for _, value in prompt.weeks]
    labels = [label.split("-")[-1] for label, _ in prompt.weeks]
    return bars(prompt.kind, _prompt_definition(prompt), prompt.target, labels, levels)


def _said(value: object) -> str:
    """`: value` after a left-out answer's question; nothing for one with no value."""
    text = "" if value is None else str(value)
    return f": {escape(text)}" if text else ""
