"""What a day's entry holds, as plain data: for `show`, `log` and their --json."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reflect.journal.entry import Entry, MarkerLine
from reflect.journal.home import Home
from reflect.journal.store import read_entry
from reflect.model.text import clean, shorten
from reflect.packs.schedule import Asked
from reflect.packs.versions import Answered, pack_versions


def all_answers(answers: list[Answered]) -> dict[str, dict[str, Any]]:
    """Answers by pack and prompt id: stored values, and prose for text prompts."""
    found: dict[str, dict[str, Any]] = {}
    for given in answers:
        found.setdefault(given.pack, {})[given.prompt] = given.value
    return found


def given_data(given: Answered) -> dict[str, Any]:
    """One answer with the question as it was asked (keys pinned by a test)."""
    definition = given.definition
    return {
        "pack": given.pack,
        "prompt": given.prompt,
        "question": definition.text,
        "type": definition.prompt.type if definition.prompt is not None else None,
        "version": definition.version,
        "defined_in": definition.defined_in,
        "definition_source": definition.source,
        "in_pack": definition.in_pack,
        "value": given.value,
        "shown": given.shown,
        "fits": given.misfit is None,
        "follow_up": given.follow_up,
        "follow_up_version": given.follow_up_definition.version if given.follow_up else None,
    }


def entry_data(entry: Entry, answers: list[Answered], path: str) -> dict[str, Any]:
    """The JSON shape of one day (keys pinned by a test)."""
    _, sections = entry.split()
    return {
        "date": entry.date.isoformat(),
        "path": path,
        "tags": list(entry.front.tags),
        "packs": entry.front.versions(),
        "answers": all_answers(answers),
        "questions": [given_data(given) for given in answers],
        "sections": [{"heading": s.heading, "text": s.prose} for s in sections],
        "notes": [{"time": n.time, "text": n.text} for n in entry.notes()],
    }


SHOW_FORMAT = 2
ON_THIS_DAY_FORMAT = 3
LOG_FORMAT = 2


def show_data(entry: Entry, answers: list[Answered], path: str) -> dict[str, Any]:
    """`reflect show --json`: one day."""
    return {"format": SHOW_FORMAT, **entry_data(entry, answers, path)}


def on_this_day_data(
    day: dt.date, found: list[tuple[Entry, list[Answered], str]]
) -> dict[str, Any]:
    """`reflect show --on-this-day --json`: the date, and each earlier year's day as `show` has it."""
    return {
        "format": ON_THIS_DAY_FORMAT,
        "date": day.isoformat(),
        "entries": [
            {**entry_data(entry, answers, path), "years_ago": day.year - entry.date.year}
            for entry, answers, path in found
        ],
    }


def log_data(entries: list[Entry]) -> dict[str, Any]:
    """`reflect log --json`: a line per day; counts are `*_count`, never `answers` or `notes`."""
    return {
        "format": LOG_FORMAT,
        "days": [
            {
                "date": e.date.isoformat(),
                "answer_count": e.answer_count,
                "note_count": len(e.notes()),
                "tags": list(e.front.tags),
                "preview": prose_line(e),
            }
            for e in entries
        ],
    }


def prose_line(entry: Entry, width: int = 60) -> str:
    """A one-line taste of the day's prose, for `log`."""
    preamble, sections = entry.split()
    pieces = [preamble.strip(), *(s.prose for s in sections)]
    text = " ".join(" ".join(clean(p).split()) for p in pieces if p)
    return shorten(text, width)


@dataclass(frozen=True)
class DayStatus:
    answered: int
    total: int


def day_status(home: Home, day: dt.date, asked: list[Asked]) -> DayStatus:
    """How many of the day's questions have an answer."""
    entry = read_entry(home, day)
    if entry is None:
        return DayStatus(0, len(asked))
    shared = pack_versions(home).shared_wordings(entry.front.pack_ids())
    done = sum(entry.has_answer(item.pack.id, item.prompt, shared) for item in asked)
    return DayStatus(done, len(asked))


def untied_markers(entry: Entry) -> list[MarkerLine]:
    """The comments in a day's file that look like a tie but tie nothing (under a `#` or
    `###` heading, below other text): their answers read as prose."""
    return [found for found in entry.markers() if not found.tie or found.key is None]
