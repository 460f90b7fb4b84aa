"""On this day: earlier years' entries for one date, most recent year first.

Rich draws it in a terminal; for a pipe or a file the same text is written
without Rich (`this_day_text`) when every day can be (see `render.day`).
"""

import datetime as dt
from typing import Any

from reflect.journal.entry import Entry
from reflect.packs.versions import Answered
from reflect.render.day import entry_text, entry_view
from reflect.render.plain import printable

Found = list[tuple[Entry, list[Answered], str]]


def year_label(day: dt.date, entry: Entry) -> str:
    """`2025: 1 year ago`, and the date when it is not the same (a leap day)."""
    years = day.year - entry.date.year
    label = f"{entry.date.year}: {years} year{'s' if years != 1 else ''} ago"
    if (entry.date.month, entry.date.day) != (day.month, day.day):
        label += f" (on {entry.date:%d %B})"
    return label


def this_day_view(day: dt.date, entries: Found) -> list[Any]:
    from rich.rule import Rule

    parts: list[Any] = []
    for entry, answers, path in entries:
        parts.append(Rule(year_label(day, entry), align="left", style="dim"))
        parts.extend(entry_view(entry, answers, path))
        parts.append("")
    return parts


def this_day_text(day: dt.date, entries: Found, width: int) -> str | None:
    """Everything `this_day_view` draws, as Rich draws it without colour; None when Rich must."""
    out: list[str] = []
    for entry, answers, path in entries:
        label = year_label(day, entry)
        # Rich's rule: the label, a space, then dashes to the edge; a label too long it cuts.
        if width < 20 or len(label) > width - 2 or not printable(label):
            return None
        text = entry_text(entry, answers, path, width)
        if text is None:
            return None
        out.append(f"{label} {'─' * (width - len(label) - 1)}\n{text}\n")
    return "".join(out)
