"""The store's index: what trends and the calendar need from each day, read without packs.

A `DayRecord` keeps a day's structured answers, tags, pack versions and the
number of words under each heading; prose itself is left in the file.
"""

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from reflect.entry import Entry
from reflect.errors import ReflectError
from reflect.home import Home
from reflect.models import AnswerValue
from reflect.store import BadEntry, entry_years, read_entry_file, year_files

_NOTE_HEADING = re.compile(r"^Notes \(\d{2}:\d{2}\)$")


@dataclass(frozen=True, slots=True)
class DayRecord:
    """One day's entry as trends read it."""

    date: dt.date
    path: str
    written: bool
    tags: tuple[str, ...]
    packs: Mapping[str, str]
    answers: Mapping[str, Mapping[str, AnswerValue]]
    words: Mapping[str, int]

    @property
    def answer_count(self) -> int:
        """Structured answers plus prose answers (sections other than free notes)."""
        prose = sum(1 for heading, n in self.words.items() if n and not is_note(heading))
        return sum(len(values) for values in self.answers.values()) + prose


def is_note(heading: str) -> bool:
    return _NOTE_HEADING.match(heading) is not None


def day_record(entry: Entry, path: str) -> DayRecord:
    _, sections = entry.split()
    words: dict[str, int] = {}
    for section in sections:
        words[section.heading] = words.get(section.heading, 0) + len(section.prose.split())
    return DayRecord(
        date=entry.date,
        path=path,
        written=not entry.is_empty(),
        tags=tuple(entry.front.tags),
        packs=dict(entry.front.packs),
        answers={pack: dict(values) for pack, values in entry.front.answers.items()},
        words=words,
    )


def iter_days(
    home: Home,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    newest_first: bool = False,
) -> Iterator[DayRecord | BadEntry]:
    """Each day in a range, in date order; unreadable files come out as BadEntry."""
    years = entry_years(home)
    if newest_first:
        years.reverse()
    for year, folder in years:
        if (since and year < since.year) or (until and year > until.year):
            continue
        files = year_files(folder)
        if newest_first:
            files.reverse()
        for day, path in files:
            if (since and day < since) or (until and day > until):
                continue
            try:
                entry = read_entry_file(path, day)
            except ReflectError as exc:
                yield BadEntry(path, str(exc))
                continue
            if entry is not None:
                yield day_record(entry, str(path))


def written_run_before(home: Home, day: dt.date) -> list[dt.date]:
    """The days written one after another up to the day before `day`, newest first."""
    run: list[dt.date] = []
    try:
        expected = day - dt.timedelta(days=1)
    except OverflowError:
        return run
    for item in iter_days(home, until=expected, newest_first=True):
        if isinstance(item, BadEntry) or item.date != expected or not item.written:
            break
        run.append(expected)
        expected -= dt.timedelta(days=1)
    return run
