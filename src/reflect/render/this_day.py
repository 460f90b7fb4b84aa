"""On this day: earlier years' entries for one date, most recent year first."""

import datetime as dt
from typing import Any

from rich.rule import Rule

from reflect.journal.entry import Entry
from reflect.packs.versions import Answered
from reflect.render.day import entry_view


def this_day_view(day: dt.date, entries: list[tuple[Entry, list[Answered], str]]) -> list[Any]:
    parts: list[Any] = []
    for entry, answers, path in entries:
        years = day.year - entry.date.year
        label = f"{entry.date.year}: {years} year{'s' if years != 1 else ''} ago"
        if (entry.date.month, entry.date.day) != (day.month, day.day):
            label += f" (on {entry.date:%d %B})"
        parts.append(Rule(label, align="left", style="dim"))
        parts.extend(entry_view(entry, answers, path))
        parts.append("")
    return parts
