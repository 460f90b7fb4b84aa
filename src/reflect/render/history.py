"""One question's history: every answer with its date, and a sparkline for numbers."""

from typing import Any

from rich.table import Table
from rich.text import Text

from reflect.lookback.queries import History, shown_value
from reflect.model.pack import heading_for
from reflect.model.text import clean, clean_line
from reflect.trends.wording import sparkline


def history_view(found: History, *, newest_first: bool, width: int) -> list[Any]:
    parts: list[Any] = [Text(clean_line(found.title), style="bold")]
    parts.append(Text(f"{found.pack}/{found.prompt}", style="dim"))
    summary = found.summary()
    facts = [f"{summary['count']} answer(s)"]
    if "yes" in summary:
        facts.append(f"yes {summary['yes']}, no {summary['no']}")
    if "mean" in summary:
        facts.append(
            f"average {summary['mean']:g}, lowest {summary['min']}, highest {summary['max']}"
        )
    if summary.get("left_out"):
        facts.append(f"{summary['left_out']} left out (they don't fit the question)")
    parts.append(Text(" · ".join(facts)))
    scale = found.scale()
    numbers = found.numbers()
    if scale is not None and numbers and found.answers:
        first, last = found.answers[0].date, found.answers[-1].date
        line = Text(f"{first} ")
        line.append(sparkline(numbers, *scale, width=max(10, width - 24)), style="cyan")
        line.append(f" {last}")
        parts.append(line)
    table = Table(show_header=True, box=None, padding=(0, 2, 0, 0), expand=False)
    table.add_column("date", no_wrap=True)
    table.add_column("answer")
    answers = found.answers[::-1] if newest_first else found.answers
    for answer in answers:
        text = Text(clean(shown_value(found, answer.value)))
        if answer.misfit:
            text.append(f"  (left out: {clean(answer.misfit)})", style="yellow")
        if answer.follow_up and found.question is not None and found.question.follow_up:
            text.append("\n↳ ")
            text.append(clean(heading_for(found.question.follow_up.text)) + ": ", style="dim")
            text.append(clean(answer.follow_up), style="dim")
        table.add_row(Text(str(answer.date)), text)
    parts.append(Text(""))
    parts.append(table)
    return parts
