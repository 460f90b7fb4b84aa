"""One question's history: every answer with its date, and a sparkline for numbers.

Rich draws it in a terminal; for a pipe or a file the same text is written
without Rich (`history_text`), since a long history costs Rich a
millisecond a row.
"""

from typing import Any

from reflect.lookback.queries import Answer, History
from reflect.model.pack import heading_for
from reflect.model.text import clean, clean_line
from reflect.render.plain import one_cell, two_column_table, wrap
from reflect.render.spark import sparkline


def follow_up_heading(answer: Answer) -> str:
    """The follow-up as the version that asked it worded it (its own `given` line's)."""
    definition = answer.follow_up_definition
    asked = definition.prompt if definition is not None else None
    if asked is not None and asked.follow_up is not None:
        return heading_for(asked.follow_up.text)
    return "Follow-up"


def history_rows(found: History, *, newest_first: bool) -> list[tuple[str, str]]:
    """The table's rows as plain text, exactly as `history_view` words them."""
    rows: list[tuple[str, str]] = []
    answers = found.answers[::-1] if newest_first else found.answers
    current = found.question.text if found.question is not None else None
    # Most answers share their value and definition: each distinct one is worded once.
    worded: dict[tuple[str, str | None, int], str] = {}
    for answer in answers:
        reason = answer.misfit or answer.apart
        words = (answer.shown, reason, id(answer.definition))
        text = worded.get(words)
        if text is None:
            text = clean(answer.shown)
            if reason:
                text += f"  (left out: {clean(reason)})"
            asked = answer.definition.prompt if answer.definition is not None else None
            if asked is not None and asked.text != current:
                text += f"\n  asked as: {clean_line(asked.text)}"
            worded[words] = text
        if answer.follow_up:
            text += f"\n↳ {clean(follow_up_heading(answer))}: {clean(answer.follow_up)}"
        rows.append((str(answer.date), text))
    return rows


def _facts(found: History) -> str:
    summary = found.summary()
    facts = [f"{summary['count']} answer(s)"]
    if "yes" in summary:
        facts.append(f"yes {summary['yes']}, no {summary['no']}")
    if "mean" in summary:
        facts.append(
            f"average {summary['mean']:g}, lowest {summary['min']}, highest {summary['max']}"
        )
    misfits = sum(1 for a in found.answers if a.misfit)
    apart = sum(1 for a in found.answers if a.apart and not a.misfit)
    if misfits:
        facts.append(f"{misfits} left out (they don't fit the question)")
    if apart:
        facts.append(f"{apart} left out (given when the question meant something else)")
    return " · ".join(facts)


def _spark(found: History, width: int) -> tuple[str, str, str] | None:
    """The sparkline between the first and last answers' dates, or None."""
    scale = found.scale()
    numbers = found.numbers()
    if scale is None or not numbers or not found.answers:
        return None
    first, last = found.answers[0].date, found.answers[-1].date
    return f"{first} ", sparkline(numbers, *scale, width=max(10, width - 24)), f" {last}"


def history_text(found: History, *, newest_first: bool, width: int) -> str | None:
    """Everything `history_view` draws, as Rich draws it without colour; None when Rich must."""
    table = two_column_table(
        ("date", "answer"), history_rows(found, newest_first=newest_first), width
    )
    if table is None:
        return None
    spark = _spark(found, width)
    lines = [clean_line(found.title), f"{found.pack}/{found.prompt}", _facts(found)]
    if not one_cell("\n".join(lines)):
        return None
    if spark is not None:
        # The sparkline's marks take one cell each, as Rich measures them (a test checks).
        lines.append("".join(spark))
    lines.append("")
    out: list[str] = []
    for line in lines:
        out.extend(wrap(line, width))
    return "".join(f"{line}\n" for line in out) + table


def history_view(found: History, *, newest_first: bool, width: int) -> list[Any]:
    """The question, its summary and sparkline, and every answer."""
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = [Text(clean_line(found.title), style="bold")]
    parts.append(Text(f"{found.pack}/{found.prompt}", style="dim"))
    parts.append(Text(_facts(found)))
    spark = _spark(found, width)
    if spark is not None:
        first, marks, last = spark
        line = Text(first)
        line.append(marks, style="cyan")
        line.append(last)
        parts.append(line)
    parts.append(Text(""))
    rows = Table(show_header=True, box=None, padding=(0, 2, 0, 0), expand=False)
    rows.add_column("date", no_wrap=True)
    rows.add_column("answer")
    answers = found.answers[::-1] if newest_first else found.answers
    current = found.question.text if found.question is not None else None
    for answer in answers:
        text = Text(clean(answer.shown))
        reason = answer.misfit or answer.apart
        if reason:
            text.append(f"  (left out: {clean(reason)})", style="yellow")
        asked = answer.definition.prompt if answer.definition is not None else None
        if asked is not None and asked.text != current:
            text.append(f"\n  asked as: {clean_line(asked.text)}", style="dim")
        if answer.follow_up:
            text.append("\n↳ ")
            text.append(clean(follow_up_heading(answer)) + ": ", style="dim")
            text.append(clean(answer.follow_up), style="dim")
        rows.add_row(Text(str(answer.date)), text)
    parts.append(rows)
    return parts
