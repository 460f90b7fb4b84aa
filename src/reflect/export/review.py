"""A summary of a week (or any range) to keep, print or share: gathered once, written in four formats.

`build_review` gathers everything from the journal as plain data, using the
same statistics as `reflect trends`; the modules beside this one only lay
that data out as markdown, HTML, JSON or CSV. A shared review is cut down
here, before any format sees it, so no format can leak what was left out.
"""

import datetime as dt
import os
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, overload

from reflect.errors import Hint, UsageError
from reflect.journal.home import Home
from reflect.journal.store import BadEntry, iter_entries
from reflect.model.dates import DateRange, days_before, week_label, week_of
from reflect.model.front import FOLLOW_UP
from reflect.model.notes import NOTE_HEADING
from reflect.model.pack import (
    AnswerValue,
    AnyPrompt,
    ChoicePrompt,
    Goal,
    NumberPrompt,
    Pack,
    ScalePrompt,
    TextPrompt,
    check_known,
)
from reflect.model.text import clean, clean_line
from reflect.packs.diff import same_meaning
from reflect.packs.library import version_key
from reflect.packs.versions import (
    Answered,
    PackVersions,
    answered_from,
    definitions_stamp,
    given_answers,
    judge_with,
    pack_versions,
)
from reflect.trends.stats import (
    Change,
    Kind,
    PackTrend,
    Period,
    PromptTrend,
    Summary,
    Trends,
    TrendsQuery,
    ValueProblem,
    load_trends,
)

if TYPE_CHECKING:
    from reflect.journal.index import Folder, Given, StoredDay

T = TypeVar("T")

HISTORY_WEEKS = 4
# An HTML summary draws a chart with a column per week; past this many, nobody reads it.
CHART_WEEKS = 1500
# Format 2 added the client's name, what the summary holds (`contains`,
# `previous_weeks`), each question's full definition, and targets with a
# direction; `reflect report` still reads format 1.
REVIEW_FORMAT = 2
REVIEW_KIND = "reflect-summary"


@dataclass(frozen=True, slots=True)
class DayAnswer:
    """One day's answer; `version` is the pack version that asked it."""

    date: dt.date
    value: AnswerValue | None
    text: str | None = None
    version: str | None = None
    question: str | None = None
    at: dt.datetime | None = None  # when it was given, where the file records it
    # A follow-up whose question's answer changed to one it is not asked for: kept, not counted.
    asked: bool = True


@dataclass(frozen=True)
class Definition:
    """What a question asked, as far as answers can be pooled: type, range, step, choices.

    Two definitions that differ only in wording, unit or target ask the same
    question; answers to them can be counted together.
    """

    kind: str
    text: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    target: Goal | None = None
    known: bool = True

    @property
    def shape(self) -> tuple[object, ...]:
        return (self.kind, self.low, self.high, self.step, self.choices)

    def asks_as(self, other: "Definition") -> bool:
        """The same question: same type, range, step and choices, where both say them.

        A summary written before definitions carried a step or choices leaves
        them out; that is no change.
        """
        if (self.kind, self.low, self.high) != (other.kind, other.low, other.high):
            return False
        if self.step is not None and other.step is not None and self.step != other.step:
            return False
        return not (self.choices and other.choices and self.choices != other.choices)

    def changes_from(self, before: "Definition") -> list[str]:
        """What changed since `before`, in words: "range 1-5 -> 0-10", "reworded"."""
        said = []
        if before.kind != self.kind:
            said.append(f"type {before.kind} -> {self.kind}")
        else:
            if (before.low, before.high) != (self.low, self.high):
                said.append(f"range {_span(before)} -> {_span(self)}")
            if None not in (before.step, self.step) and before.step != self.step:
                said.append(f"step {_num(before.step)} -> {_num(self.step)}")
            if before.choices and self.choices and before.choices != self.choices:
                said.append(f"choices {', '.join(before.choices)} -> {', '.join(self.choices)}")
        if before.text != self.text:
            said.append("reworded")
        return said


def _num(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def _span(definition: Definition) -> str:
    if definition.low is None and definition.high is None:
        return "any"
    return f"{_num(definition.low)}-{_num(definition.high)}"


def definition_of(prompt: AnyPrompt) -> Definition:
    low = high = step = None
    unit = ""
    target = None
    if isinstance(prompt, ScalePrompt):
        low, high, step = float(prompt.min), float(prompt.max), float(prompt.step)
    if isinstance(prompt, NumberPrompt):
        low = None if prompt.min is None else float(prompt.min)
        high = None if prompt.max is None else float(prompt.max)
    if isinstance(prompt, (ScalePrompt, NumberPrompt)):
        unit, target = clean_line(prompt.unit), prompt.goal
    choices = (
        tuple(clean_line(c) for c in prompt.choices) if isinstance(prompt, ChoicePrompt) else ()
    )
    return Definition(prompt.type, clean_line(prompt.text), unit, low, high, step, choices, target)


def unreadable_files(review: "Review") -> list[tuple[str, str]]:
    """The files the summary could not read: each one's path in the journal and why.

    Named inside the summary itself, not only on the terminal, so a reader of
    the summary knows which days are missing. The path starts at `entries/`
    (a summary may be shared: it does not name the writer's home folder).
    """
    found = []
    for bad in review.skipped_files:
        parts = bad.path.parts
        at = max((i for i, part in enumerate(parts) if part == "entries"), default=None)
        shown = "/".join(parts[at:]) if at is not None else bad.path.name
        reason = bad.error.removeprefix(str(bad.path)).lstrip(": ").strip() or bad.error
        if review.shared:  # the reason may quote the file's words: a shared summary keeps them
            reason = "could not be read"
        found.append((shown, clean_line(reason)))
    return found


@dataclass(frozen=True, slots=True)
class LeftOut:
    """An answer the statistics leave out, and why: named in every format, never dropped."""

    date: dt.date
    pack: str
    prompt: str
    question: str
    value: object
    version: str | None
    reason: str
    at: dt.datetime | None = None
    # The type of the definition the answer was read by (the version that asked it, where
    # kept); empty only when no version of the question is known.
    type: str = ""


@dataclass(frozen=True)
class PromptReview:
    """One question over the range: its statistics, its answers by day, and the weeks before."""

    pack: str
    id: str
    text: str
    kind: Kind
    unit: str
    target: Goal | None
    bounds: tuple[float, float] | None
    retired: bool
    summary: Summary
    change: Change | None
    # Each week's label and level, made as they are read (`Weeks`) or a list.
    weeks: Sequence[tuple[str, float | None]]
    # Made as they are read (`Again`), or a list: read them as often as needed, never index.
    days: Iterable[DayAnswer]
    follow_up: str | None
    follow_ups: Iterable[DayAnswer] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    earlier: str | None = None
    definition: Definition | None = None

    @property
    def title(self) -> str:
        """The question, and for answers given when it meant something else, which definition."""
        return f"{self.text} ({self.earlier})" if self.earlier else self.text

    @property
    def met(self) -> bool | None:
        return getattr(self.summary, "met", None)


@dataclass(frozen=True)
class PackReview:
    id: str
    name: str
    versions: list[str]
    retired: bool
    prompts: list[PromptReview]


@dataclass(frozen=True, slots=True)
class Note:
    date: dt.date
    time: str
    text: str


@dataclass(frozen=True)
class Review:
    span: DateRange
    label: str
    client: str | None
    previous_weeks: int
    shared: bool
    include_text: bool
    days_written: int
    packs: list[PackReview]
    notes: Iterable[Note]  # made as they are read, as a question's days are
    tags: list[tuple[str, int]]
    left_out: list[str]
    skipped_files: list[BadEntry]
    left_out_answers: list[LeftOut] = field(default_factory=list)
    # What the days are read from (the index) is closed by this, once the review is written.
    closing: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def close(self) -> None:
        if self.closing is not None:
            self.closing()

    def __enter__(self) -> "Review":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def contains(self) -> list[str]:
        """What the summary holds, in words, for its opening lines."""
        days = "day" if self.span.days == 1 else "days"
        held = [
            f"{self.label} only ({self.span.days} {days}, {self.span.start} to {self.span.end})"
        ]
        if self.previous_weeks:
            held.append(f"the level of each question in the {self.previous_weeks} week(s) before")
        return held


def range_label(span: DateRange) -> str:
    """ "2026-W48" for an ISO week, else "2026-11-01 to 2026-11-14"."""
    if week_of(span.start) == span:
        return week_label(span.start)
    return f"{span.start} to {span.end}"


def check_length(span: DateRange, fmt: str, previous: int = HISTORY_WEEKS) -> None:
    """Refuse, before any reading, a range too long for the format's week-by-week chart."""
    weeks = ((span.end - span.start).days + 7 + span.start.weekday()) // 7 + max(previous, 0)
    if fmt == "html" and weeks > CHART_WEEKS:
        raise UsageError(
            f"an html summary charts every week, and {span.start} to {span.end} is {weeks:,} "
            f"weeks, more than {CHART_WEEKS:,}",
            hint=Hint("html-range"),
        )


@dataclass(frozen=True)
class ReviewQuery:
    """What a summary covers and for whom: the range, the packs, and what it may show."""

    packs: Mapping[str, Pack]  # every pack that can be read, enabled or not
    enabled: Sequence[str]  # the enabled ids, in order
    span: DateRange
    today: dt.date
    only: Sequence[str] = ()  # only these packs (--pack); --share needs them
    share: bool = False  # a summary for a coach: no prose unless include_text, no tags
    include_text: bool = False
    client: str | None = None  # whose summary it is (--name)
    previous_weeks: int | None = None  # weeks before the range; None for the default
    # When each answer was given (csv has a column for it): read from every file, as the
    # index keeps no times. Without them the range's answers come from the index.
    times: bool = True


def build_review(home: Home, query: ReviewQuery) -> Review:
    """Everything a summary of the range shows, already cut down when it is to be shared.

    Three steps: gather what the journal holds for the range, keep what this
    summary may show, and shape it into the review the formats lay out.

    What is one item a day (each question's answers and follow-ups, the free
    notes) is not held: from the index (`times=False`) it is read again, a
    year at a time, each time a format writes it, so none of it grows with
    the range (the trends passes it starts with still do). Close the review
    (or use it as a context manager) when written: it holds the index open
    until then.
    """
    span, only, share, include_text = query.span, query.only, query.share, query.include_text
    previous_weeks, packs = query.previous_weeks, query.packs
    if share and not only:
        raise UsageError(
            "--share needs --pack for each pack your coach should see, e.g. --pack partnership"
        )
    with_text = include_text or not share
    # A shared summary holds the chosen range and nothing before it unless asked.
    previous = previous_weeks if previous_weeks is not None else (0 if share else HISTORY_WEEKS)
    if previous < 0:
        raise UsageError("--with-previous takes a number of weeks, 0 or more")
    current, history = _trends(home, query, previous)
    answered = {pack.id for pack in current.packs}
    for pack_id in only:
        if pack_id not in answered:
            check_known(packs, pack_id)
    kept = _keep(current, history, only, previous)
    reader = None if query.times else _Reader(home, span, pack_versions(home))
    try:
        found = _gather(home, query, current, kept, reader, only, with_text)
    except BaseException:
        if reader is not None:
            reader.close()
        raise
    show_notes = with_text and (include_text or not only)
    notes: Iterable[Note] = []
    if show_notes:
        notes = found.notes if reader is None else Again(reader.notes)
    return Review(
        span=span,
        label=range_label(span),
        client=clean_line(query.client) if query.client else None,
        previous_weeks=previous,
        shared=share,
        include_text=with_text,
        days_written=found.days_written,
        packs=[_shape_pack(pack, found, reader, with_text) for pack in kept],
        # Free notes belong to no pack: --pack leaves them out unless --include-text asks.
        notes=notes,
        tags=[] if share else current.tags,
        left_out=_left_out(share, include_text, previous),
        skipped_files=current.skipped_files,
        left_out_answers=found.left_out,
        closing=reader.close if reader is not None else None,
    )


class Again(Generic[T]):
    """Items made again each time they are read, never held: a summary's days, one by one.

    Read as often as a format needs (a test of whether there are any, then the
    items); each reading reads the journal again.
    """

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], Iterator[T]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[T]:
        return self._make()

    def __bool__(self) -> bool:
        items = self._make()
        try:
            return next(items, _NOTHING) is not _NOTHING
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()


_NOTHING = object()


class _Reader:
    """The index, open while a summary is written: each question's answers and the free notes
    read from it a year at a time, in date order, each year through its freshness guard (a
    file changed since the index was filled is read again, never trusted)."""

    def __init__(self, home: Home, span: DateRange, versions: PackVersions) -> None:
        from reflect.journal.index import Index

        self.span, self.versions = span, versions
        self.stamp = definitions_stamp(home)
        self.judge = judge_with(versions)
        self.index = Index(home)
        # Closed with the review, or when it is let go unclosed.
        self._finalizer = weakref.finalize(self, self.index.close)
        self._known: dict[Given, Answered] = {}
        # The index's generation each year folder was last brought up to date in.
        self._synced: dict[str, int] = {}
        # ... and every day of it judged by the definitions as they are now.
        self._judged: dict[str, int] = {}
        # Each year folder's first and last day id, and the generation they were read in.
        self._ids: dict[str, tuple[int, tuple[int | None, int | None]]] = {}
        self.in_row = _RowMatcher()

    def close(self) -> None:
        self._finalizer()

    def answered(self, row: "Given") -> Answered:
        # Most answers recur (a mood of 4 under 1.0.0): each is read once, and shared,
        # which is safe as what becomes of an answer depends on it alone.
        # Words (a prose answer, a follow-up) hardly recur: not looked for (that would hash
        # them), nor kept (a century's would fill it).
        if row[4] is not None or row[5]:
            return answered_from(row, self.versions)
        found = self._known.get(row)
        if found is None:
            found = answered_from(row, self.versions)
            if len(self._known) < MOST_KNOWN:
                self._known[row] = found
        return found

    def _year(self, folder: "Folder", work: Callable[[], T]) -> T:
        """`work` on one year folder's rows, in the index's guard. The folder is brought up to
        date (each file looked at, one changed since read again) the first time this run reads
        it, and again whenever the index was replaced since: not once per question."""
        index = self.index
        while True:
            if self._synced.get(folder.name) != index.generation:
                found = index.fresh_folder(folder, self.span.start, self.span.end, work)[1]
                self._synced[folder.name] = index.generation
                return found
            generation = index.generation
            found = index.read(work)
            if generation == index.generation:
                return found

    def days(self) -> Iterator["_Day"]:
        """The range's readable days as the index keeps them, the same as `_entry_days` but
        for the times answers were given: a year at a time, each file looked at first, and
        read in the index's guard, so damage found in it is read again from the files."""
        index, span, answered = self.index, self.span, self.answered

        def day_of(date: dt.date, day: "StoredDay", rows: list["Given"]) -> _Day:
            return _Day(
                date,
                [answered(row) for row in rows],
                {pack_id: day.versions_of(pack_id) for pack_id in day.pack_ids()},
                [
                    Note(date, match.group(1) or "", clean(section.prose))
                    for section in day.sections()
                    if (match := NOTE_HEADING.match(section.heading))
                ],
                bool(day.data["written"]),
            )

        for folder in index.folders(span.start, span.end):

            def year(name: str = folder.name) -> list[_Day]:
                ids = index.day_ids([name], span.start, span.end)[::-1]
                found = [
                    day_of(date, day, rows)
                    for date, _, day, rows in index.stored(ids, self.stamp, self.judge)
                ]
                self._judged[name] = index.generation
                return found

            yield from self._year(folder, year)

    def answers(
        self, pack: str, prompt: str, *, follow_ups: bool = False
    ) -> Iterator[tuple[dt.date, Answered]]:
        """Every answer to one question in the range, in date order (as the days give them);
        with `follow_ups`, only the answers that have one."""
        index, span, answered = self.index, self.span, self.answered
        for folder in index.folders(span.start, span.end):

            def year(name: str = folder.name) -> list[tuple[dt.date, Answered]]:
                # Every day of the folder was judged when it was last read whole (`days`), in
                # this index: judged again only where the index was replaced since.
                generation = index.generation
                judged = self._judged.get(name) == generation
                ids = self._ids.get(name)
                if ids is None or ids[0] != generation:
                    ids = self._ids[name] = (generation, index.folder_ids(name))
                found = index.given_in_folder(
                    name, pack, prompt, (span.start, span.end), self.stamp,
                    None if judged else self.judge, follow_ups=follow_ups, ids=ids[1],
                    check=False,
                )  # fmt: skip
                self._judged[name] = index.generation
                # Made here, in the guard: a value that does not decode is damage, read again.
                return [
                    (dt.date.fromordinal(date), answered((pack, prompt, *rest)))  # type: ignore[arg-type]
                    for date, *rest in found
                ]

            yield from self._year(folder, year)

    def notes(self) -> Iterator[Note]:
        """The range's free notes, in date order, as `days` reads them."""
        index, span = self.index, self.span
        for folder in index.folders(span.start, span.end):

            def year(name: str = folder.name) -> list[tuple[int, str, str]]:
                return index.notes_in_folder(name, span.start, span.end)

            for date, heading, prose in self._year(folder, year):
                if match := NOTE_HEADING.match(heading):
                    yield Note(dt.date.fromordinal(date), match.group(1) or "", clean(prose))


@dataclass(frozen=True)
class _Gathered:
    """What a pass over the range's readable days keeps: a few figures, and what is left out.

    Each day is read and let go; only with `times` (csv, read from the files)
    are each question's answers and the notes held.
    """

    versions_seen: dict[str, set[str]]  # the versions of each pack that asked
    days_written: int
    left_out: list[LeftOut]
    notes: list[Note]  # with `times` only
    mine: dict[int, list[tuple[dt.date, Answered]]]  # with `times` only: by id of _KeptPrompt
    # The questions with a follow-up in the range: the others' are not looked for.
    followed: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class _KeptPrompt:
    row: PromptTrend
    weeks: Sequence[tuple[str, float | None]]


@dataclass(frozen=True)
class _KeptPack:
    trend: PackTrend
    prompts: list[_KeptPrompt]


def _trends(home: Home, query: ReviewQuery, previous: int) -> tuple[Trends, Trends]:
    """The range week by week, and the range with the weeks before it."""
    span, packs, enabled, today = query.span, query.packs, query.enabled, query.today
    # Of the range's own pass only each question's figures over the whole range are used:
    # the same whatever the periods (each is the range's values in date order), and months
    # hold a quarter of the summaries weeks would.
    # Both passes keep only each period's level, folded in as the days stream by.
    current = load_trends(
        home, TrendsQuery(packs, enabled, span, "month", today, most=None, levels_only=True)
    )
    # With no weeks before the range (a shared summary) no question shows its weeks.
    history = current
    if previous:
        history_span = DateRange(days_before(span.start, 7 * previous), span.end)
        earlier = TrendsQuery(
            packs, enabled, history_span, "week", today, most=None, levels_only=True
        )
        history = load_trends(home, earlier)
    return current, history


def _gather(
    home: Home,
    query: ReviewQuery,
    current: Trends,
    kept: list[_KeptPack],
    reader: "_Reader | None",
    only: Sequence[str],
    with_text: bool,
) -> _Gathered:
    """One pass over the range's days: the versions that asked, the days written, and every
    answer no kept question holds (each day let go once looked at)."""
    span = query.span
    problems = [p for p in current.problems if not (only and p.pack not in only)]
    rows: dict[tuple[str, str], list[_KeptPrompt]] = {}
    for pack in kept:
        for prompt in pack.prompts:
            rows.setdefault((pack.trend.id, prompt.row.prompt), []).append(prompt)
    reported = {(p.date, p.pack, p.prompt) for p in problems}
    asked: dict[tuple[dt.date, str, str], Answered] = {}
    in_row = reader.in_row if reader is not None else _RowMatcher()
    versions_seen: dict[str, set[str]] = {}
    notes: list[Note] = []
    mine: dict[int, list[tuple[dt.date, Answered]]] = {}
    left: list[LeftOut] = []
    followed: set[tuple[str, str]] = set()
    written = 0
    days = _entry_days(home, span, pack_versions(home)) if reader is None else reader.days()
    for day in days:
        for pack_id, seen in day.versions.items():
            versions_seen.setdefault(pack_id, set()).update(seen)
        if reader is None:
            notes.extend(day.notes)
        written += day.written
        date = day.date
        for a in day.answers:
            key = (date, a.pack, a.prompt)
            if key in reported:
                asked[key] = a
            if a.follow_up:
                followed.add((a.pack, a.prompt))
            shown = False
            for prompt in rows.get((a.pack, a.prompt), ()):
                if in_row(prompt.row, a):
                    shown = True
                    if reader is None:
                        mine.setdefault(id(prompt), []).append((date, a))
            if shown or (only and a.pack not in only):
                continue
            if key not in reported and (with_text or not a.prose):
                left.append(_left_out_value(date, a))
            if a.follow_up and with_text:
                left.append(_left_out_follow_up(date, a))
    found = [
        _reported(problem, asked.get((problem.date, problem.pack, problem.prompt)), with_text)
        for problem in problems
    ]
    return _Gathered(
        versions_seen,
        written,
        sorted([*found, *left], key=lambda a: (a.date, a.pack, a.prompt)),
        notes,
        mine,
        followed,
    )


@dataclass(frozen=True)
class _Day:
    """What a summary keeps of one readable day of its range."""

    date: dt.date
    answers: list[Answered]
    versions: dict[str, list[str]]  # the versions of each pack that asked
    notes: list[Note]
    written: bool


# Distinct answers kept to be shared between days; past this many, each is read again.
MOST_KNOWN = 20_000


def _entry_days(home: Home, span: DateRange, versions: PackVersions) -> Iterator[_Day]:
    """The range's readable days, each file read through the reader (with answer times)."""
    for entry in iter_entries(home, span.start, span.end):
        if isinstance(entry, BadEntry):
            continue
        yield _Day(
            entry.date,
            given_answers(entry, versions),
            {pack_id: list(entry.front.versions_of(pack_id)) for pack_id in entry.front.pack_ids()},
            [Note(entry.date, n.time, clean(n.text)) for n in entry.notes()],
            not entry.is_empty(),
        )


def _keep(current: Trends, history: Trends, only: Sequence[str], previous: int) -> list[_KeptPack]:
    """The packs and questions a summary shows: the chosen packs, the questions answered."""
    weeks_by_key = {
        (pack.id, row.prompt, row.earlier): Weeks(history.periods, row.levels)
        for pack in history.packs
        for row in pack.prompts
    }
    kept = []
    for pack_trend in current.packs:
        if only and pack_trend.id not in only:
            continue
        prompts = [
            _KeptPrompt(
                row,
                weeks_by_key.get((pack_trend.id, row.prompt, row.earlier), []) if previous else [],
            )
            for row in pack_trend.prompts
            if row.overall.answered != 0
        ]
        if prompts:
            kept.append(_KeptPack(pack_trend, prompts))
    return kept


# With True: only the answers with a follow-up (others may come too).
Mine = Callable[[bool], Iterable[tuple[dt.date, Answered]]]


def _mine(pack: str, kept: _KeptPrompt, found: _Gathered, reader: "_Reader | None") -> Mine:
    """How a question's answers of the range are read, each time they are written."""
    if reader is None:
        held = found.mine.get(id(kept), [])
        return lambda follow_ups: held
    row, in_row = kept.row, reader.in_row
    followed = (pack, row.prompt) in found.followed
    return lambda follow_ups: (
        pair
        for pair in (
            reader.answers(pack, row.prompt, follow_ups=follow_ups)
            if followed or not follow_ups
            else ()
        )
        if in_row(row, pair[1])
    )


def _shape_pack(
    kept: _KeptPack, found: _Gathered, reader: "_Reader | None", with_text: bool
) -> PackReview:
    pack = kept.trend
    seen = sorted(found.versions_seen.get(pack.id, ()), key=version_key)
    prompts = [
        _shape_prompt(pack.id, prompt, _mine(pack.id, prompt, found, reader), with_text)
        for prompt in kept.prompts
    ]
    return PackReview(pack.id, clean_line(pack.name or pack.id), seen, pack.retired, prompts)


def _shape_prompt(pack: str, kept: _KeptPrompt, mine: Mine, with_text: bool) -> PromptReview:
    row = kept.row
    follow = row.definition.follow_up if row.definition is not None else None
    return PromptReview(
        pack=pack,
        id=row.prompt,
        text=clean_line(row.label),
        kind=row.kind,
        unit=clean_line(row.unit),
        target=row.target,
        bounds=row.bounds,
        retired=row.retired,
        summary=row.overall,
        change=_week_change(kept.weeks),
        weeks=kept.weeks,
        days=Again(lambda: _answers(mine(False), with_text)),
        follow_up=clean_line(follow.text) if follow is not None else None,
        follow_ups=Again(lambda: _follow_ups(mine(True))) if with_text else [],
        versions=list(row.versions),
        earlier=clean_line(row.earlier) if row.earlier is not None else None,
        definition=definition_of(row.definition) if row.definition else None,
    )


class Weeks(Sequence[tuple[str, float | None]]):
    """Each week's label and level, the pairs made as they are read from the periods and
    the levels kept, so a summary of years holds no pair per week."""

    __slots__ = ("_levels", "_periods")

    def __init__(self, periods: Sequence[Period], levels: Sequence[float | None]) -> None:
        if len(periods) != len(levels):
            raise ValueError("a level for each week")
        self._periods, self._levels = periods, levels

    def __len__(self) -> int:
        return len(self._levels)

    @overload
    def __getitem__(self, index: int) -> tuple[str, float | None]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, float | None]]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[str, float | None] | list[tuple[str, float | None]]:
        if isinstance(index, slice):
            return list(
                zip((p.label for p in self._periods[index]), self._levels[index], strict=True)
            )
        return self._periods[index].label, self._levels[index]

    def __iter__(self) -> Iterator[tuple[str, float | None]]:
        return zip((p.label for p in self._periods), self._levels, strict=True)


def _week_change(weeks: Sequence[tuple[str, float | None]]) -> Change | None:
    """This period against the week before it, when both were answered."""
    if len(weeks) < 2 or weeks[-1][1] is None or weeks[-2][1] is None:
        return None
    before, after = weeks[-2][1], weeks[-1][1]
    return Change(weeks[-2][0], weeks[-1][0], after - before)


FORMAT_OF_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                    ".json": "json", ".csv": "csv"}  # fmt: skip


def is_stdout(output: Path | str | None) -> bool:
    """Whether -o names standard output: none given, `-`, or /dev/stdout by any of its names.

    Written with the terminal's own stream, never by replacing the file the
    shell opened for it (`>> log.txt` keeps the log).
    """
    from reflect.journal.files import named_descriptor

    return output is None or str(output) == "-" or named_descriptor(output) == 1


def output_file(output: str) -> Path:
    """The file -o names (stdout aside): an empty name and a folder's (a trailing /) refused."""
    if not output.strip():
        raise UsageError("-o needs a file name, such as review.md, or - for stdout")
    if output.endswith(("/", os.sep)):
        raise UsageError(f"-o {output} names a folder: give a file name, such as {output}review.md")
    return Path(output)


def _stream(output: Path) -> bool:
    """A pipe, a device or a descriptor (`/dev/fd/3`): a stream like stdout, named without an
    extension, so the default format is for it too."""
    import stat

    from reflect.journal.files import named_descriptor

    if named_descriptor(output) is not None:
        return True
    try:
        mode = output.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def output_format(given: str | None, output: Path | None, *, default: str = "md") -> str:
    """The format a summary (or a report) is written in: --format, else -o's extension, else `default`.

    The one rule for `export` and `report`. A --format that contradicts the
    extension is refused rather than writing markdown into review.html; a
    file whose extension names no format (.txt, .gz, none) needs --format.
    `default` is for stdout (no -o, or `-`) and other streams (a named pipe,
    a device, /dev/fd/N).
    """
    if is_stdout(output):
        return given or default
    assert output is not None
    implied = FORMAT_OF_SUFFIX.get(output.suffix.lower())
    if not given and not implied and _stream(output):
        return default
    if not given and not implied:
        what = f"the extension {output.suffix} names no format" if output.suffix else "no extension"
        raise UsageError(
            f"-o {output}: {what}; name the file .md, .html, .json or .csv, or add --format"
        )
    if given and implied and given != implied:
        rename = (
            f", or name the file {output.with_suffix('.' + given).name}"
            if given in FORMAT_OF_SUFFIX.values()
            else ""
        )
        raise UsageError(
            f"-o {output} reads as {implied} but --format is {given}: drop --format{rename}"
        )
    return given or implied or default


class _RowMatcher:
    """Whether an answer's definition is the one a row summarises: same meaning, and it fits.

    Thousands of answers share a handful of definitions, so each pair of
    definitions is compared once.
    """

    def __init__(self) -> None:
        self._same: dict[tuple[int, int], bool] = {}
        # Most answers recur (the index's are shared, see `_Reader.answered`), and each is
        # matched once in the pass over the days and again as its question is written: each
        # pair is judged once. The answer is kept with its verdict, so its id stays its own.
        self._judged: dict[tuple[int, int], tuple[Answered, bool]] = {}

    def __call__(self, row: PromptTrend, answer: Answered) -> bool:
        key = (id(row), id(answer))
        judged = self._judged.get(key)
        if judged is not None and judged[0] is answer:
            return judged[1]
        fits = self._fits(row, answer)
        # Words hardly recur: not kept; past the bound, each answer is judged again.
        if answer.follow_up is None and not answer.prose and len(self._judged) < MOST_KNOWN:
            self._judged[key] = (answer, fits)
        return fits

    def _fits(self, row: PromptTrend, answer: Answered) -> bool:
        if answer.misfit is not None:
            return False
        asked = answer.definition.prompt
        if row.definition is None or asked is None:
            return row.definition is None
        if answer.prose != isinstance(row.definition, TextPrompt):
            return False
        # Both definitions live as long as the review is built, so their ids stay theirs.
        pair = (id(row.definition), id(asked))
        same = self._same.get(pair)
        if same is None:
            same = self._same[pair] = same_meaning(row.definition, asked)
        return same


def _answers(mine: Iterable[tuple[dt.date, Answered]], with_text: bool) -> Iterator[DayAnswer]:
    # Most answers share their definition: its wording is cleaned once (they outlive the loop).
    questions: dict[int, str] = {}
    for date, answer in mine:
        version = answer.definition.version
        question = questions.get(id(answer.definition))
        if question is None:
            question = questions[id(answer.definition)] = clean_line(answer.definition.text)
        if answer.prose:
            if with_text:
                text = clean(str(answer.value))
                yield DayAnswer(date, None, text, version, question, answer.at)
            continue
        value = answer.value
        shown = clean(value) if isinstance(value, str) else value
        yield DayAnswer(date, shown, None, version, question, answer.at)


def _follow_ups(mine: Iterable[tuple[dt.date, Answered]]) -> Iterator[DayAnswer]:
    return (
        DayAnswer(
            date,
            None,
            clean(answer.follow_up),
            answer.follow_up_definition.version,
            clean_line(follow.text) if (follow := answer.follow_up_definition.follow_up) else None,
            answer.follow_up_at,
            asked=_still_asked(answer),
        )
        for date, answer in mine
        if answer.follow_up
    )


NOT_ASKED = " (no longer asked: the answer changed since; not counted)"


def _still_asked(answer: Answered) -> bool:
    """Whether the day's answer is one its follow-up is asked for (mood 2, not 5, for "<= 3").

    A follow-up written before the answer changed stays in the file and the
    summary; it is no longer counted as answered.
    """
    prompt = answer.definition.prompt
    if prompt is None or prompt.follow_up is None or answer.prose or answer.misfit is not None:
        return True
    return prompt.follow_up_applies(answer.value)


def _reported(problem: ValueProblem, answer: Answered | None, with_text: bool) -> LeftOut:
    """An answer the statistics could not count, with the question it was given to.

    Every answer of the range is in the summary: under its question, or left
    out. Besides what the statistics reported (this), that is any answer no
    kept question holds (a follow-up whose question's value was cleared, one
    given to a definition that fits nothing), with its follow-up in its own
    words: `_gather` finds those.
    """
    question = answer.definition.text if answer is not None else f"{problem.pack}/{problem.prompt}"
    version = answer.definition.version if answer is not None else None
    value = problem.value
    if answer is not None and answer.prose:
        # Prose where a value is asked: its words (the problem holds their count, which a
        # csv would put in `number` as if it were the answer), or nothing when shared
        # without text.
        value = clean(str(answer.value)) if with_text else None
    return LeftOut(
        problem.date,
        problem.pack,
        problem.prompt,
        clean_line(question),
        value,
        version,
        clean_line(problem.message),
        answer.at if answer is not None else None,
        _type_of(answer),
    )


def _left_out_value(date: dt.date, answer: Answered) -> LeftOut:
    """An answer no question of the summary holds, and why."""
    value = answer.value
    reason = answer.misfit or "it fits no question of this summary"
    return LeftOut(
        date,
        answer.pack,
        answer.prompt,
        clean_line(answer.definition.text),
        clean(value) if isinstance(value, str) else value,
        answer.definition.version,
        clean_line(reason),
        answer.at,
        _type_of(answer),
    )


def _type_of(answer: Answered | None) -> str:
    """The type of the question as the version that asked the answer defined it, or ""."""
    prompt = answer.definition.prompt if answer is not None else None
    return prompt.type if prompt is not None else ""


FOLLOWS_LEFT_OUT = "it follows an answer that is left out"


def _left_out_follow_up(date: dt.date, answer: Answered) -> LeftOut:
    """The follow-up of an answer left out: in its own words, never dropped with its question."""
    definition = answer.follow_up_definition
    follow = definition.follow_up
    return LeftOut(
        date,
        answer.pack,
        f"{answer.prompt}/{FOLLOW_UP}",
        clean_line(follow.text) if follow is not None else f"{answer.pack}/{answer.prompt}",
        clean(answer.follow_up or ""),
        definition.version,
        FOLLOWS_LEFT_OUT,
        answer.follow_up_at,
        "text",
    )


def _left_out(share: bool, include_text: bool, previous: int) -> list[str]:
    if not share:
        return []
    left = []
    if not include_text:
        left += ["prose answers and follow-ups", "free notes"]
    left += ["tags", "file names", "answers to any other pack"]
    if not previous:
        left.append("any day outside the range (earlier weeks: --with-previous N)")
    return left


__all__ = [
    "REVIEW_FORMAT",
    "REVIEW_KIND",
    "DayAnswer",
    "Definition",
    "LeftOut",
    "Note",
    "PackReview",
    "PromptReview",
    "Review",
    "build_review",
    "check_length",
    "definition_of",
    "output_format",
    "range_label",
    "unreadable_files",
]
