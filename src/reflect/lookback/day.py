"""What a day's entry holds, as plain data: for `show`, `log` and their --json."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reflect.journal.entry import Entry
from reflect.journal.home import Home
from reflect.journal.store import read_entry
from reflect.model.text import clean
from reflect.packs.schedule import Asked
from reflect.packs.versions import Answered


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
        "definition": definition.source,
        "in_pack": definition.in_pack,
        "value": given.value,
        "shown": given.shown,
        "fits": given.misfit is None,
        "follow_up": given.follow_up,
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


def preview(entry: Entry, width: int = 60) -> str:
    """A one-line taste of the day's prose, for `log`."""
    preamble, sections = entry.split()
    pieces = [preamble.strip(), *(s.prose for s in sections)]
    text = " ".join(" ".join(clean(p).split()) for p in pieces if p)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class DayStatus:
    answered: int
    total: int


def day_status(home: Home, day: dt.date, asked: list[Asked]) -> DayStatus:
    """How many of the day's questions have an answer."""
    entry = read_entry(home, day)
    if entry is None:
        return DayStatus(0, len(asked))
    done = sum(entry.has_answer(item.pack.id, item.prompt) for item in asked)
    return DayStatus(done, len(asked))
