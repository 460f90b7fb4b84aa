"""What a day's entry holds, as plain data: for `show`, `log` and their --json."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reflect.journal.entry import Entry
from reflect.journal.home import Home
from reflect.journal.store import read_entry
from reflect.model.front import answer_key
from reflect.model.pack import Pack, TextPrompt, heading_for
from reflect.model.text import clean
from reflect.packs.schedule import Asked


def text_answers(entry: Entry, packs: dict[str, Pack]) -> dict[str, dict[str, str]]:
    """Prose answers to text prompts: sections tied to their id, else under their wording.

    A tied section is kept whether or not its pack still asks the question.
    """
    found: dict[str, dict[str, str]] = {}
    for key, prose in entry.tied().items():
        pack_id, prompt_id, *follow = key.split("/")
        if prose and not follow:
            found.setdefault(pack_id, {})[prompt_id] = prose
    for pack_id in entry.front.pack_ids():
        pack = packs.get(pack_id)
        if pack is None:
            continue
        for prompt in pack.prompts:
            if isinstance(prompt, TextPrompt) and prompt.id not in found.get(pack_id, {}):
                text = entry.prose_for(answer_key(pack_id, prompt.id), [heading_for(prompt.text)])
                if text:
                    found.setdefault(pack_id, {})[prompt.id] = text
    return found


def all_answers(entry: Entry, packs: dict[str, Pack]) -> dict[str, dict[str, Any]]:
    answers: dict[str, dict[str, Any]] = {k: dict(v) for k, v in entry.front.answers.items()}
    for pack_id, values in text_answers(entry, packs).items():
        answers.setdefault(pack_id, {}).update(values)
    return answers


def entry_data(entry: Entry, packs: dict[str, Pack], path: str) -> dict[str, Any]:
    """The JSON shape of one day (keys pinned by a test)."""
    _, sections = entry.split()
    return {
        "date": entry.date.isoformat(),
        "path": path,
        "tags": list(entry.front.tags),
        "packs": entry.front.versions(),
        "answers": all_answers(entry, packs),
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
    done = 0
    for item in asked:
        if isinstance(item.prompt, TextPrompt):
            key = answer_key(item.pack.id, item.prompt.id)
            done += bool(entry.prose_for(key, [heading_for(item.prompt.text)]))
        else:
            done += entry.answer(item.pack.id, item.prompt.id) is not None
    return DayStatus(done, len(asked))
