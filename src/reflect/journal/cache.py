"""What trends and the calendar read of each day, served from the journal's index.

A `DayRecord` keeps a day's structured answers, tags, pack versions and the
number of words under each heading; prose itself stays in the index's other
tables. Every range is brought up to date from the files before it is read
(see `reflect.journal.index`), one year folder at a time, so a long range is
read as a stream.
"""

import contextlib
import datetime as dt
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from reflect.errors import ReflectError
from reflect.journal.home import Home
from reflect.journal.index import Folder, Index, stored_answers
from reflect.journal.index_store import Damaged, discard
from reflect.journal.store import BadEntry
from reflect.model.notes import count_answers
from reflect.model.pack import AnswerValue


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
    # The pack version that asked each answer, by "PACK/PROMPT" (format 2 keeps one per answer).
    given: Mapping[str, str | None] = field(default_factory=dict)
    # The packs whose prose may stand under a heading alone (`Entry.wording_packs`).
    wording_packs: tuple[str, ...] = ()

    def version_of(self, pack_id: str, prompt_id: str) -> str | None:
        """The pack version that asked an answer on this day."""
        key = f"{pack_id}/{prompt_id}"
        return self.given[key] if key in self.given else self.packs.get(pack_id)

    @property
    def answer_count(self) -> int:
        """Answers given this day, values and written answers alike (`model.notes.count_answers`)."""
        values = sum(len(values) for values in self.answers.values())
        return count_answers(values, (name for name, n in self.words.items() if n))


def _record(index: Index, date: int, folder: str, name: str, data: dict[str, Any]) -> DayRecord:
    tags, wording_packs = data["tags"], data["wording_packs"]
    if type(tags) is not list or type(wording_packs) is not list or type(data["packs"]) is not dict:
        # Text would pass for a list of letters, a list for a mapping's keys; the rest
        # trips where it is used (`use_days`).
        raise Damaged("a day's tags or packs are not of the types reflect stored")
    return DayRecord(
        date=dt.date.fromordinal(date),
        path=index.path_of(folder, name),
        written=bool(data["written"]),
        tags=tuple(tags),
        packs=data["packs"],
        answers=stored_answers(data),
        words={heading: int(count) for heading, count in data["words"]},
        given=data.get("versions", {}),
        wording_packs=tuple(wording_packs),
    )


def _rows(
    index: Index, since: dt.date | None, until: dt.date | None, folder: Folder, newest_first: bool
) -> list[tuple[str, DayRecord]]:
    """(file name, record) of one folder's stored days in a range."""
    return [
        (row[2], _record(index, *row))
        for row in index.records(since, until, folder.name, newest_first=newest_first)
    ]


def iter_days(
    home: Home,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    newest_first: bool = False,
) -> Generator[DayRecord | BadEntry, None, None]:
    """Each day in a range, in date order; unreadable files come out as BadEntry."""
    with Index(home) as index:
        chosen = index.folders(since, until)
        if newest_first:
            chosen.reverse()
        for folder in chosen:
            yield from _folder_days(index, folder, since, until, newest_first)


def _folder_days(
    index: Index, folder: Folder, since: dt.date | None, until: dt.date | None, newest_first: bool
) -> list[DayRecord | BadEntry]:
    """The days of one year folder in a range, in date order, unreadable files in their place.

    Read whole before any is given: damage found in the index is rebuilt
    from the files before anything of it is shown.
    """
    refused, rows = index.fresh_folder(
        folder, since, until, partial(_rows, index, since, until, folder, newest_first)
    )
    if not refused:
        return [record for _, record in rows]
    bad = {item.path.name: item for item in refused}
    # Unreadable files take their place in date order among the others.
    merged: list[tuple[str, DayRecord | BadEntry]] = list(rows)
    merged.extend(bad.items())
    merged.sort(key=lambda pair: pair[0], reverse=newest_first)
    return [item for _, item in merged]


T = TypeVar("T")

# What a stored value of another type than reflect stored raises where it is used.
_TRIPS = (AttributeError, IndexError, KeyError, TypeError, ValueError)


def use_days(
    home: Home,
    since: dt.date | None,
    until: dt.date | None,
    use: Callable[[Iterable[DayRecord | BadEntry]], T],
) -> T:
    """`use` of `iter_days(home, since, until)`, its use of the days inside the index's guard.

    A record holds a day's stored data as decoded, its types not checked
    (that would cost about what decoding it does). An error of the kinds a
    value of another type raises, while `use` runs, is taken as damage: the
    index is deleted and `use` runs once more, on days built again from the
    files. What fails then is not the index's doing, and is raised.
    """
    days = iter_days(home, since, until)
    try:
        return use(days)
    except _TRIPS as exc:
        if isinstance(exc, ReflectError):
            raise
    finally:
        days.close()
    discard(home)
    return use(iter_days(home, since, until))


# The days the walk back through a run reads first; each further stretch is twice as long.
FIRST_STRETCH_DAYS = 32


def written_run_before(home: Home, day: dt.date) -> list[dt.date]:
    """The days written one after another up to the day before `day`, newest first.

    Reads back a stretch of days at a time, each twice as long as the one
    before, and stops at the first gap, so it costs the length of the run,
    not of the journal or of a year folder. The days come in the order
    `iter_days(home, until=day - 1, newest_first=True)` gives them (see
    `_newest_first`), so a refused file or one in another year's folder
    ends the run where it would there.
    """
    run: list[dt.date] = []
    try:
        expected = day - dt.timedelta(days=1)
    except OverflowError:
        return run
    with Index(home) as index:
        for item in _newest_first(index, expected):
            if isinstance(item, BadEntry) or item.date != expected or not item.written:
                break
            run.append(expected)
            try:
                expected -= dt.timedelta(days=1)
            except OverflowError:
                break
    return run


def _newest_first(index: Index, until: dt.date) -> Iterator[DayRecord | BadEntry]:
    """`iter_days(home, until=until, newest_first=True)`, each year folder read a stretch at a time.

    A folder's days come newest first by file name, so the stretches (the
    newest up to `until`, then each below the one before, the last open
    below) give, one after another, just what the whole folder gives.
    """
    stretch = FIRST_STRETCH_DAYS
    for folder in reversed(index.folders(None, until)):
        # The first stretch also takes the files named for later days up to `until`.
        high: dt.date | None = until
        top: dt.date | None = until
        if folder.year < dt.MINYEAR:
            top = None  # no day of its own: the whole folder at once
        elif folder.year < until.year:
            top = dt.date(folder.year, 12, 31)
        while high is not None:
            low: dt.date | None = None
            if top is not None:
                with contextlib.suppress(OverflowError):
                    low = top - dt.timedelta(days=stretch - 1)
            if low is not None and low.year < folder.year:
                low = None  # the rest of the folder, its files named for earlier years too
            yield from _folder_days(index, folder, low, high, True)
            stretch *= 2
            high = top = None
            if low is not None:
                with contextlib.suppress(OverflowError):
                    high = top = low - dt.timedelta(days=1)
