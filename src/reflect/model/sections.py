"""Which sections of a day answer a question, and where a day's file lies.

One rule for the entry reader and for the greeting, which answers from the
index without loading the entry format: so this module imports nothing of
reflect but the note heading, and nothing outside the standard library.
"""

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from reflect.model.notes import NOTE_HEADING


class Headed(Protocol):
    """A section as any reader holds it: its heading and the key its marker ties it to."""

    @property
    def heading(self) -> str: ...

    @property
    def key(self) -> str | None: ...


class QuestionWords(NamedTuple):
    """The words a question's prose may stand under with no marker (format 1 days): the
    wordings it had before, less those another question of its pack also had (prose under
    those is nobody's for sure, never read or replaced as this answer)."""

    older: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()

    def headings(self, now: str) -> list[str]:
        """The headings that answer the question, `now` (its wording as asked) first."""
        others = set(self.shared)
        return [heading for heading in [now, *self.older] if heading not in others]


NO_OTHER_WORDS = QuestionWords()


def answering(
    sections: Sequence[Headed],
    key: str,
    headings: Iterable[str],
    wording_packs: Callable[[], Collection[str]],
) -> list[int]:
    """The sections answering `PACK/PROMPT[/follow-up]`: those tied to `key` (two if the file
    has the marker twice); else the first unmarked one under one of its wordings, when the
    question's pack may be answered by wording alone (`wording_packs`, asked only then)."""
    found = [index for index, section in enumerate(sections) if section.key == key]
    if found or key.split("/", 1)[0] not in wording_packs():
        return found
    wordings = set(headings)
    for index, section in enumerate(sections):
        if (
            section.key is None
            and NOTE_HEADING.match(section.heading) is None
            and section.heading in wordings
        ):
            return [index]
    return []


def entry_relpath(day: dt.date) -> Path:
    """A day's plain file inside the entries folder: `YYYY/YYYY-MM-DD.md`."""
    # Four-digit years always (strftime writes 226 for the year 226), as the reader lists them.
    stamp = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    return Path(stamp[:4]) / f"{stamp}.md"
