"""Trends for people: a table per pack, a row per prompt, a column per period.

Colour only ever repeats what a symbol or number already says (✓/✗, arrows),
so the tables read the same with NO_COLOR or in a pipe.
"""

import datetime as dt
import re
from collections.abc import Sequence

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from reflect.model.text import clean_line
from reflect.model.values import with_unit
from reflect.render.spark import NO_DATA, sparkline
from reflect.trends.stats import (
    ChoiceSummary,
    NumberSummary,
    PackTrend,
    Period,
    PromptTrend,
    Summary,
    Trends,
    YesNoSummary,
)
from reflect.trends.wording import change_words, number, percent

QUESTION_MIN = 20
QUESTION_COMFORT = 30
CHANGE_WIDTH = 6
CHOICE_WIDTH = 8
GAP = 2  # between columns: one space of padding, one of the box's divider
KEY = (
    "yes-no: days yes/answered · scale, number: mean, ✓ target met · "
    "choice: top answer, its share · text: days, words"
)
DAY_KEY = "✓ target met · text: words written"
_SCALE_NOTE = re.compile(r"\s*\([^()]*\)$")


def cell(
    row: PromptTrend, summary: Summary, *, one_day: bool = False, min_max: bool = False
) -> Text:
    """One period's summary, fitted to the prompt's type; a single day shows the answer itself."""
    if summary.answered == 0:
        return Text(NO_DATA, style="dim")
    if isinstance(summary, YesNoSummary):
        if one_day:
            return Text("yes" if summary.yes else "no")
        return Text(f"{summary.yes}/{summary.answered}")
    if isinstance(summary, NumberSummary):
        shown = f"{summary.mean:g}" if one_day else number(summary.mean or 0)
        text = Text(with_unit(shown, clean_line(row.unit)))
        if summary.met is not None:
            text.append("✓" if summary.met else "✗", style="green" if summary.met else "red")
        if min_max and not one_day and summary.min is not None and summary.max is not None:
            text.append(f"\n{summary.min:g}-{summary.max:g}", style="dim")
        return text
    if isinstance(summary, ChoiceSummary):
        answer = clean_line(summary.top or "")
        if one_day:
            return Text(answer)
        text = Text(percent(summary.share or 0))
        text.append("\n" + answer, style="dim")
        return text
    if one_day:
        return Text(f"{summary.words}w")
    return Text(f"{summary.answered}d {summary.words}w")


def change_text(row: PromptTrend) -> Text:
    """The arrow and delta; green or red only when a target says which way is better."""
    delta = row.change.delta if row.change else None
    words = change_words(row.kind, delta, clean_line(row.unit), compact=True)
    if row.target is None or not words.startswith(("▲", "▼")):
        return Text(words)
    levels = [v for v in row.levels if v is not None]
    before, after = levels[-2], levels[-1]
    better = row.target.shortfall(after) < row.target.shortfall(before)
    return Text(words, style="green" if better else "red")


def row_sparkline(row: PromptTrend, levels: Sequence[float | None]) -> str:
    """One block per period, scaled to the prompt's range (or the values' own when it has none)."""
    values = [v for v in levels if v is not None]
    if not values:
        return NO_DATA * len(levels)
    low, high = row.bounds if row.bounds else (min(values), max(values))
    return sparkline(levels, low, high)


def period_heading(period: Period, one_year: bool) -> str:
    """W48, Nov, or "Thu" over "26" for a day; with the year when the periods span two."""
    label = period.label
    if period.start == period.end and len(label) == 10:
        return f"{period.start:%a}\n{period.start.day:02d}"
    if one_year:
        label = label.split("-", 1)[1] if "-W" in label else f"{period.start:%b}"
    return label + ("*" if period.partial else "")


def _one_year(periods: Sequence[Period]) -> bool:
    return periods[0].start.year == periods[-1].end.year


def question(row: PromptTrend) -> str:
    """The prompt's text without a closing note on its scale, which the numbers make plain."""
    label = clean_line(row.label)
    return _SCALE_NOTE.sub("", label) or label


def _label(row: PromptTrend, pack: PackTrend) -> Text:
    text = Text(question(row))
    if row.earlier is not None:
        text.append(f" ({clean_line(row.earlier)})", style="dim")
    if row.follow is not None:
        text.append(f" (trend: {clean_line(row.follow)})", style="dim")
    if row.target is not None and row.earlier is None:
        text.append(f" (target {row.target.words(clean_line(row.unit))})", style="dim")
    if row.retired and not pack.retired:
        text.append(" retired", style="dim italic")
    return text


def _width(result: Trends, index: int, one_year: bool, min_max: bool, choice: int) -> int:
    """A period column's width: its heading's or its widest cell's, choices cut to `choice`."""
    period = result.periods[index]
    one_day = period.days == 1
    found = [len(line) for line in period_heading(period, one_year).split("\n")]
    for pack in result.packs:
        for row in pack.prompts:
            text = cell(row, row.periods[index], one_day=one_day, min_max=min_max).plain
            lines = [len(line) for line in text.split("\n")]
            if row.kind == "choice":
                lines = [min(n, 0 if one_day else choice) for n in lines]
            found.extend(lines)
    return max(found)


def _fit(result: Trends, width: int, one_year: bool, min_max: bool) -> list[int]:
    """The widths of as many of the latest periods as fit beside a readable question column."""
    widths: list[int] = []
    used = QUESTION_MIN + GAP + CHANGE_WIDTH + GAP
    for index in reversed(range(len(result.periods))):
        w = _width(result, index, one_year, min_max, choice=0)
        trend = max(len("trend"), len(widths) + 1)
        if widths and used + w + GAP + trend > width:
            break
        used += w + GAP
        widths.insert(0, w)
    return widths


def _widen_for_choices(widths: list[int], wanted: list[int], width: int) -> list[int]:
    """Room left beside a comfortable question column goes to showing more of each choice."""
    spare = width - QUESTION_COMFORT - GAP - _others(widths)
    widths = list(widths)
    for index in reversed(range(len(widths))):
        extra = max(0, min(wanted[index] - widths[index], spare))
        widths[index] += extra
        spare -= extra
    return widths


def _others(widths: Sequence[int]) -> int:
    """The width of everything but the question column."""
    return sum(w + GAP for w in widths) + CHANGE_WIDTH + GAP + max(len("trend"), len(widths))


def pack_table(
    pack: PackTrend,
    periods: Sequence[Period],
    widths: Sequence[int],
    *,
    one_year: bool = True,
    question_width: int | None = None,
    min_max: bool = False,
) -> Table:
    """One pack's prompts over the latest periods (those given, with their column widths)."""
    title = Text(clean_line(pack.name) if pack.name else pack.id, style="bold")
    if pack.name:
        title.append(f" ({pack.id})", style="dim")
    if pack.retired:
        title.append(" retired", style="dim italic")
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, GAP - 1, 0, 0),
    )
    table.add_column("question", min_width=QUESTION_MIN, width=question_width)
    for period, width in zip(periods, widths, strict=True):
        table.add_column(
            period_heading(period, one_year),
            justify="right",
            no_wrap=True,
            overflow="ellipsis",
            width=width,
        )
    table.add_column("change", justify="right", no_wrap=True, min_width=CHANGE_WIDTH)
    table.add_column("trend", no_wrap=True)
    shown = len(periods)
    for row in pack.prompts:
        cells = [
            cell(row, summary, one_day=period.days == 1, min_max=min_max)
            for period, summary in zip(periods, row.periods[-shown:], strict=True)
        ]
        table.add_row(
            _label(row, pack),
            *cells,
            change_text(row),
            Text(row_sparkline(row, row.levels[-shown:])),
        )
    return table


def trends_view(result: Trends, *, width: int, min_max: bool = False) -> list[RenderableType]:
    """Everything `reflect trends` draws, top to bottom."""
    span = result.span
    header = Text(f"Trends from {_day(span.start)} to {_day(span.end)}", style="bold")
    header.append(f", by {result.by}")
    parts: list[RenderableType] = [header]
    one_year = _one_year(result.periods)
    widths = _fit(result, width, one_year, min_max)
    shown = len(widths)
    first = len(result.periods) - shown
    wanted = [_width(result, first + i, one_year, min_max, CHOICE_WIDTH) for i in range(shown)]
    widths = _widen_for_choices(widths, wanted, width)
    periods = result.periods[-shown:]
    if shown < len(result.periods):
        parts.append(
            Text(
                f"The last {shown} of {len(result.periods)} {result.by}s fit this wide: "
                "a shorter range, a longer --by or a wider terminal shows more.",
                style="dim",
            )
        )
    # Every table gets the same question column, so the periods line up from pack to pack.
    longest = max(len(_label(row, pack).plain) for pack in result.packs for row in pack.prompts)
    question_width = max(QUESTION_MIN, min(longest, width - _others(widths) - GAP))
    for pack in result.packs:
        parts.append(Text(""))
        parts.append(
            pack_table(
                pack,
                periods,
                widths,
                one_year=one_year,
                question_width=question_width,
                min_max=min_max,
            )
        )
    parts.append(Text(""))
    parts.append(Text(DAY_KEY if result.by == "day" else KEY, style="dim"))
    if any(p.partial for p in periods):
        parts.append(
            Text(f"* a partial {result.by}: the range covers only part of it", style="dim")
        )
    parts.append(Text(""))
    parts.append(summary_grid(result))
    return parts


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def summary_grid(result: Trends) -> Table:
    """Consistency, tags and what was left out, below the tables."""
    c = result.consistency
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row(
        "Consistency",
        Text(
            f"wrote on {c.written} of {c.days} days · answered {c.last_days} of the last 7 · "
            f"streak {_days(c.current_streak)}, longest {_days(c.longest_streak)}"
        ),
    )
    if result.tags:
        grid.add_row(
            "Tags", Text(" · ".join(f"#{clean_line(tag)} {days}" for tag, days in result.tags))
        )
    if result.problems:
        count = len(result.problems)
        grid.add_row(
            "Left out",
            Text(
                f"{count} answer{'s' if count != 1 else ''} that "
                f"{'do' if count != 1 else 'does'} not fit the prompt: "
                "named on stderr and in --json"
            ),
        )
    return grid
