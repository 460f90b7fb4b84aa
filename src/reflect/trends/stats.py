"""Statistics over the journal as plain data: per-prompt summaries by period, consistency, tags.

Nothing here prints or draws: `reflect trends` renders these numbers and the
weekly export reuses them. A value that does not fit its prompt is counted
and reported, never mixed into a mean. History belongs to the prompt:
answers to prompts a pack no longer has, or to packs since disabled or
removed, still count for the periods they were given, marked retired.
"""

import datetime as dt
import math
import os
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, overload

from reflect.errors import Hint, UsageError
from reflect.journal.cache import DayRecord, use_days, written_run_before
from reflect.journal.home import Home
from reflect.journal.store import BadEntry
from reflect.model.dates import (
    DateRange,
    DaySet,
    days_before,
    month_label,
    month_of,
    week_label,
    week_of,
)
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
    heading_for,
    misfit,
)
from reflect.packs.diff import definition_words, meaning, same_meaning
from reflect.packs.library import version_key
from reflect.packs.versions import PackVersions

By = Literal["day", "week", "month"]
Kind = Literal["yes-no", "scale", "number", "choice", "text"]
Key = tuple[str, str]
# 2: `path` for `file`, `answer_count` for `answers`; trends 3: `target` the goal, as export's.
TRENDS_FORMAT = 3
CALENDAR_FORMAT = 3
LAST_DAYS = 7
# A hundred years by month fits; a hundred years by day would cost gigabytes for no reader.
MAX_PERIODS = 1500


# -- periods -------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One column of a trend: a day, an ISO week or a month, clipped to the range.

    `partial` says the clipping cut it short, as with a range that starts mid-week.
    """

    start: dt.date
    end: dt.date
    label: str
    partial: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Periods(Sequence[Period]):
    """The periods that cover a range, in order; weeks are ISO weeks, Monday to Sunday.

    Each is made when it is read: a century by week is 5,000 periods, and a
    summary of it holds none of them.
    """

    __slots__ = ("_by", "_count", "_first", "_span")

    def __init__(self, span: DateRange, by: By) -> None:
        self._span, self._by = span, by
        if by == "day":
            self._first = span.start.toordinal()
        elif by == "week":
            self._first = week_of(span.start).start.toordinal()
        else:
            self._first = _month_number(span.start)
        self._count = self.index_of(span.end) + 1

    def index_of(self, day: dt.date) -> int:
        """The position of the period a day of the range falls in."""
        if self._by == "day":
            return day.toordinal() - self._first
        if self._by == "week":
            return (day.toordinal() - self._first) // 7
        return _month_number(day) - self._first

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Period: ...
    @overload
    def __getitem__(self, index: slice) -> list[Period]: ...
    def __getitem__(self, index: int | slice) -> Period | list[Period]:
        if isinstance(index, slice):
            return [self._made(i) for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("no such period")
        return self._made(index)

    def __iter__(self) -> Iterator[Period]:
        return (self._made(i) for i in range(self._count))

    def _made(self, index: int) -> Period:
        if self._by == "day":
            day = dt.date.fromordinal(self._first + index)
            whole, label = DateRange(day, day), day.isoformat()
        elif self._by == "week":
            day = dt.date.fromordinal(self._first + 7 * index)
            whole, label = week_of(day), week_label(day)
        else:
            year, month = divmod(self._first + index, 12)
            day = dt.date(year, month + 1, 1)
            whole, label = month_of(day), month_label(day)
        span = self._span
        start, end = max(whole.start, span.start), min(whole.end, span.end)
        return Period(start, end, label, partial=(start, end) != (whole.start, whole.end))


def _month_number(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def periods(span: DateRange, by: By) -> list[Period]:
    """The periods that cover a range, in order, each made at once."""
    return list(Periods(span, by))


def default_by(span: DateRange) -> By:
    """Days for up to a week, weeks for up to half a year, months beyond."""
    if span.days <= 7:
        return "day"
    if span.days <= 182:
        return "week"
    return "month"


# -- summaries, one kind per prompt type ------------------------------------------


@dataclass(frozen=True)
class YesNoSummary:
    """Days answered, and how many of them were yes."""

    answered: int
    yes: int

    @property
    def share(self) -> float | None:
        return self.yes / self.answered if self.answered else None


@dataclass(frozen=True)
class NumberSummary:
    """For scale and number prompts: mean, min and max, and where a target is set, the distance."""

    answered: int
    mean: float | None
    min: float | None
    max: float | None
    target: Goal | None = None

    @property
    def distance(self) -> float | None:
        """The mean minus the target's value: negative when below it."""
        if self.mean is None or self.target is None:
            return None
        return self.mean - self.target.value

    @property
    def met(self) -> bool | None:
        """Whether the mean meets the target, in its direction (at least, at most, about)."""
        if self.mean is None or self.target is None:
            return None
        return self.target.met(self.mean)


@dataclass(frozen=True)
class ChoiceSummary:
    """How often each answer was chosen, most frequent first."""

    answered: int
    counts: Mapping[str, int]

    @property
    def top(self) -> str | None:
        return next(iter(self.counts), None)

    @property
    def share(self) -> float | None:
        top = self.top
        return None if top is None else self.share_of(top)

    def share_of(self, choice: str) -> float | None:
        return self.counts.get(choice, 0) / self.answered if self.answered else None


@dataclass(frozen=True)
class TextSummary:
    """Days a text prompt was answered, and the words written."""

    answered: int
    words: int


Summary = YesNoSummary | NumberSummary | ChoiceSummary | TextSummary


def summarize_yes_no(values: Iterable[bool]) -> YesNoSummary:
    answers = list(values)
    return YesNoSummary(len(answers), sum(1 for v in answers if v))


def summarize_numbers(values: Iterable[float], target: Goal | None = None) -> NumberSummary:
    numbers = list(values)
    if not numbers:
        return NumberSummary(0, None, None, None, target)
    return NumberSummary(
        len(numbers), math.fsum(numbers) / len(numbers), min(numbers), max(numbers), target
    )


def summarize_choices(values: Iterable[str], choices: Sequence[str] = ()) -> ChoiceSummary:
    """Ties go to the answer the prompt lists first, then alphabetically."""
    counts = Counter(values)
    order = {choice: i for i, choice in enumerate(choices)}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0]))
    return ChoiceSummary(sum(counts.values()), dict(ranked))


def summarize_text(words: Iterable[int]) -> TextSummary:
    """`words` holds the words written on each day the prompt was answered."""
    days = [n for n in words if n > 0]
    return TextSummary(len(days), sum(days))


def level(summary: Summary, follow: str | None = None) -> float | None:
    """The one number a row's change and sparkline follow.

    Yes-no: the share of yes. Scale and number: the mean. Choice: the share of
    `follow` (the range's most frequent answer). Text: the words written.
    """
    if isinstance(summary, YesNoSummary):
        return summary.share
    if isinstance(summary, NumberSummary):
        return summary.mean
    if isinstance(summary, ChoiceSummary):
        return summary.share_of(follow) if follow is not None else summary.share
    return float(summary.words) if summary.answered else None


@dataclass(frozen=True)
class Change:
    """The move between the last two periods that have answers."""

    before: str
    after: str
    delta: float


def change(labels: Sequence[str], levels: Sequence[float | None]) -> Change | None:
    """The move between the last two periods with a level, read back from the end."""
    if len(labels) != len(levels):
        raise ValueError("a label for each level")
    found: list[int] = []
    at = len(levels)
    while at and len(found) < 2:
        at -= 1
        if levels[at] is not None:
            found.append(at)
    if len(found) < 2:
        return None
    after, before = found
    new, old = levels[after], levels[before]
    assert new is not None and old is not None
    return Change(labels[before], labels[after], new - old)


class _Labels(Sequence[str]):
    """The periods' labels, each read when asked for."""

    __slots__ = ("_periods",)

    def __init__(self, periods: Sequence[Period]) -> None:
        self._periods = periods

    def __len__(self) -> int:
        return len(self._periods)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [p.label for p in self._periods[index]]
        return self._periods[index].label


# -- rows, packs and the whole picture ------------------------------------------------


@dataclass(frozen=True)
class PromptTrend:
    """One prompt's row: a summary per period, the whole range, and the change.

    `text` is None when the prompt is no longer in any pack we can read; such a
    row is labelled by pack and prompt id and its type is read from its values.
    """

    pack: str
    prompt: str
    text: str | None
    kind: Kind
    retired: bool
    unit: str
    target: Goal | None
    bounds: tuple[float, float] | None
    periods: list[Summary]
    overall: Summary
    follow: str | None
    change: Change | None
    skipped: int
    versions: tuple[str, ...] = ()
    earlier: str | None = None
    definition: AnyPrompt | None = None
    # With `TrendsQuery.levels_only`: each period's level, `periods` being empty.
    period_levels: Sequence[float | None] | None = None

    @property
    def label(self) -> str:
        return self.text if self.text is not None else f"{self.pack}/{self.prompt}"

    @property
    def apart(self) -> bool:
        """Whether this row holds answers given when the question meant something else."""
        return self.earlier is not None

    @property
    def levels(self) -> Sequence[float | None]:
        if self.period_levels is not None:
            return self.period_levels
        return [level(summary, self.follow) for summary in self.periods]


@dataclass(frozen=True)
class PackTrend:
    id: str
    name: str | None
    retired: bool
    prompts: list[PromptTrend]


@dataclass(frozen=True)
class Consistency:
    """How regularly the journal was written, up to the range's end or today, whichever is first."""

    days: int
    written: int
    last_days: int
    current_streak: int
    longest_streak: int


@dataclass(frozen=True)
class ValueProblem:
    """A stored value that does not fit its prompt: reported and left out of the numbers."""

    path: str
    date: dt.date
    pack: str
    prompt: str
    value: object
    message: str

    def line_text(self) -> str:
        return f"{self.path}: {self.pack}/{self.prompt}: {self.message}; skipped"


@dataclass(frozen=True)
class TrendsQuery:
    """What a caller asks of the answers: which packs, which range, by what, and a filter."""

    packs: Mapping[str, Pack]  # every pack that can be read, enabled or not
    enabled: Sequence[str]  # the enabled ids, in order
    span: DateRange
    by: By
    today: dt.date
    pack: str | None = None  # only this pack's prompts
    prompt: Key | None = None  # only this prompt
    tags: int = 10  # how many of the most used tags
    most: int | None = MAX_PERIODS  # the most periods; None for a summary not drawn as a table
    # Only each period's level, not its summary (`PromptTrend.periods` left empty): what a
    # summary of years needs, folded in as the days stream by, so it does not grow with them.
    levels_only: bool = False


@dataclass(frozen=True)
class Trends:
    span: DateRange
    by: By
    periods: Sequence[Period]
    packs: list[PackTrend]
    consistency: Consistency
    tags: list[tuple[str, int]]
    problems: list[ValueProblem]
    skipped_files: list[BadEntry]

    @property
    def answered(self) -> int:
        """Answers counted in the range, over every row shown."""
        return sum(row.overall.answered for pack in self.packs for row in pack.prompts)

    @property
    def is_empty(self) -> bool:
        return self.consistency.written == 0 and self.answered == 0 and not self.problems


def consistency(written: Collection[dt.date], span: DateRange, today: dt.date) -> Consistency:
    """Days written in the range, on how many of the last seven, and streaks.

    Counting stops at today for a range that runs into the future. A streak is
    a run of days written; runs are measured in full, so `written` should hold
    the days before the range that a run touching it began on. The current
    streak ends on the last day counted, or the day before it when that last
    day is today and nothing is written yet: the day is not over.
    """
    end = min(span.end, today)
    if end < span.start:
        return Consistency(0, 0, 0, 0, 0)
    days = (end - span.start).days + 1
    if not isinstance(written, DaySet):
        written = DaySet(written)
    # The calendar's first days have fewer days before them than the last seven.
    last = sum(
        1 for i in range(min(LAST_DAYS, end.toordinal())) if end - dt.timedelta(days=i) in written
    )
    current_end = end if end in written or end != today else end - dt.timedelta(days=1)
    current = _run_back(written, current_end)
    longest = run = 0
    previous: dt.date | None = None
    in_range = 0
    for day in written.between(span.start, end):
        in_range += 1
        if previous is None or (day - previous).days != 1:
            run = _run_back(written, day - dt.timedelta(days=1)) + 1
        else:
            run += 1
        longest = max(longest, run)
        previous = day
    return Consistency(days, in_range, last, current, longest)


def _run_back(written: Collection[dt.date], day: dt.date) -> int:
    count = 0
    while day in written:
        count += 1
        try:
            day -= dt.timedelta(days=1)
        except OverflowError:
            break
    return count


def top_tags(counts: Mapping[str, int], limit: int = 10) -> list[tuple[str, int]]:
    """The most used tags, most days first, then by name."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


# A row: the prompt, and the meaning of its definition when that is not today's ("" for today's).
RowKey = tuple[str, str, tuple[object, ...]]
MAIN: tuple[object, ...] = ()


# Every finite float is a whole multiple of 2**-1074: as such a multiple, a sum is an exact
# integer, and dividing it back is rounded once, as `math.fsum` rounds the same sum.
_SCALE = 1074
# Distinct numbers whose scaled form is kept; past this many, each is worked out again.
_MOST_SCALED = 20_000


def _scaled(value: float, known: dict[object, int]) -> int | None:
    """The value as a whole multiple of 2**-1074, or None when it is not finite."""
    if isinstance(value, int):
        found = int(value) << _SCALE
    elif not math.isfinite(value):
        return None
    else:
        top, bottom = value.as_integer_ratio()
        found = (top << _SCALE) // bottom
    if len(known) < _MOST_SCALED:
        known[value] = found
    return found


class _OutOfOrder(Exception):
    """A day came after a later period's days: the levels kept so far are not final."""


class _Acc:
    """A stretch's values (a period, or the whole range) folded in as they come, in the
    figures each summary keeps: how many, how many yes, their exact sum, the least and the
    most, each choice's count, the words written."""

    __slots__ = ("count", "counts", "exact", "high", "low", "odd", "words", "yes")

    def __init__(self) -> None:
        self.count = self.yes = self.exact = self.words = 0
        self.odd: list[float] | None = None  # not finite: summed by `math.fsum` as before
        self.low: Any = None
        self.high: Any = None
        self.counts: Counter[str] | None = None

    def add(self, value: Any, known: dict[object, int]) -> None:
        self.count += 1
        if value:
            self.yes += 1
        if isinstance(value, str):
            if self.counts is None:
                self.counts = Counter()
            self.counts[value] += 1
            return
        # The first of equal values is kept, as `min` and `max` keep it.
        low = self.low
        if low is None or value < low:
            self.low = value
        high = self.high
        if high is None or value > high:
            self.high = value
        scaled = known.get(value)
        if scaled is None:
            scaled = _scaled(value, known)
            if scaled is None:
                self.odd = [*(self.odd or []), value]
                return
        self.exact += scaled

    def merge(self, other: "_Acc") -> None:
        """`other`'s values, which came after these, folded in."""
        self.count += other.count
        self.yes += other.yes
        self.exact += other.exact
        self.words += other.words
        if other.odd:
            self.odd = [*(self.odd or []), *other.odd]
        if other.low is not None and (self.low is None or other.low < self.low):
            self.low = other.low
        if other.high is not None and (self.high is None or other.high > self.high):
            self.high = other.high
        if other.counts:
            if self.counts is None:
                self.counts = Counter()
            self.counts.update(other.counts)

    def add_words(self, words: int) -> None:
        if words > 0:
            self.count += 1
            self.words += words

    @property
    def total(self) -> float:
        """The values' sum, as `math.fsum` gives it."""
        if self.odd:
            return math.fsum([self.exact / (1 << _SCALE), *self.odd])
        return self.exact / (1 << _SCALE)

    def summary(self, kind: Kind, target: Goal | None, choices: Sequence[str]) -> Summary:
        if kind == "yes-no":
            return YesNoSummary(self.count, self.yes)
        if kind in ("scale", "number"):
            if not self.count:
                return NumberSummary(0, None, None, None, target)
            return NumberSummary(self.count, self.total / self.count, self.low, self.high, target)
        if kind == "choice":
            return _ranked(self.counts or Counter(), choices)
        return TextSummary(self.count, self.words)

    def level(self, text: bool) -> float | None:
        """The period's level, whatever its type but choice (which follows the range's top)."""
        if not self.count:
            return None
        if text:
            return float(self.words)
        return self.total / self.count


class _Series:
    """One row's answers over the range, and by period: each period's values folded in as
    they come, and with `levels_only` let go once the days have moved past it (its level
    kept, or for choices each choice's count, the level following the range's top, and its
    figures folded into the whole range's)."""

    __slots__ = ("accs", "answered", "at", "chosen", "levels", "open", "overall", "size", "text")

    def __init__(self, size: int, levels_only: bool, text: bool) -> None:
        self.overall = _Acc()
        self.text, self.size, self.at = text, size, -1
        self.accs: dict[int, _Acc] | None = None if levels_only else {}
        self.open: _Acc | None = None
        self.levels: array[float] | None = None
        self.answered: array[int] | None = None
        self.chosen: dict[str, array[int]] | None = None

    def period(self, index: int) -> _Acc:
        if self.accs is not None:
            found = self.accs.get(index)
            if found is None:
                found = self.accs[index] = _Acc()
            return found
        if index != self.at:
            if index < self.at:
                raise _OutOfOrder
            self.close()
            self.at, self.open = index, _Acc()
        assert self.open is not None
        return self.open

    def add(self, index: int, value: Any, known: dict[object, int]) -> None:
        acc = self.open if index == self.at and self.open is not None else self.period(index)
        acc.add(value, known)

    def add_words(self, index: int, words: int) -> None:
        self.period(index).add_words(words)

    def whole(self) -> _Acc:
        """The figures of the whole range: each period's, in order, folded together."""
        if self.accs is not None:
            overall = _Acc()
            for index in sorted(self.accs):
                overall.merge(self.accs[index])
            return overall
        self.close()
        return self.overall

    def close(self) -> None:
        """The open period's figures kept as its level (or its choices' counts), it let go."""
        acc, index = self.open, self.at
        if acc is None:
            return
        self.open = None
        self.overall.merge(acc)
        if acc.counts is not None:
            if self.answered is None or self.chosen is None:
                self.answered, self.chosen = array("q", bytes(8 * self.size)), {}
            self.answered[index] = acc.count
            for choice, count in acc.counts.items():
                held = self.chosen.get(choice)
                if held is None:
                    held = self.chosen[choice] = array("q", bytes(8 * self.size))
                held[index] = count
            return
        if self.levels is None:
            self.levels = array("d", [math.nan]) * self.size
        found = acc.level(self.text)
        self.levels[index] = math.nan if found is None else found

    def summaries(self, kind: Kind, target: Goal | None, choices: Sequence[str]) -> list[Summary]:
        assert self.accs is not None
        empty = _Acc()
        return [self.accs.get(i, empty).summary(kind, target, choices) for i in range(self.size)]

    def period_levels(self, follow: str | None) -> Sequence[float | None]:
        """Each period's level (`levels_only`), None where nothing was answered."""
        self.close()
        if self.answered is not None and self.chosen is not None:
            top = self.chosen.get(follow) if follow is not None else None
            return [
                (top[i] if top is not None else 0) / n if n else None
                for i, n in enumerate(self.answered)
            ]
        if self.levels is None:
            return [None] * self.size
        return _Levels(self.levels)


class _Levels(Sequence[float | None]):
    """Levels kept as doubles, NaN for a period with no answer, read as floats and None."""

    __slots__ = ("_held",)

    def __init__(self, held: "array[float]") -> None:
        self._held = held

    def __len__(self) -> int:
        return len(self._held)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [None if v != v else v for v in self._held[index]]
        value = self._held[index]
        return None if value != value else value

    def __iter__(self) -> Iterator[float | None]:
        return (None if v != v else v for v in self._held)


def _ranked(counts: Mapping[str, int], choices: Sequence[str]) -> ChoiceSummary:
    order = {choice: i for i, choice in enumerate(choices)}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0]))
    return ChoiceSummary(sum(counts.values()), dict(ranked))


class _Unknowns:
    """The values a prompt no readable pack has was given, until their type is settled.

    Each value is folded as it comes into a series for its kind, and held as
    three numbers (the day, which of the distinct values seen, the file's folder)
    to report the values of the kinds that lose: a century of answers to a
    retired question is then a few hundred kilobytes.
    """

    __slots__ = (
        "days",
        "files",
        "folders",
        "kinds",
        "latest",
        "names",
        "periods",
        "seen",
        "values",
    )

    def __init__(self) -> None:
        self.kinds: dict[Kind, tuple[int, _Series]] = {}  # in the order first seen
        self.latest: tuple[int, Kind] | None = None  # the day and kind of the latest value
        self.days = array("q")
        self.values, self.files = array("q"), array("q")
        # Each distinct value, by its number; a float's sign too, as 0.0 == -0.0 but each is
        # reported as its file has it.
        self.seen: dict[tuple[type, AnswerValue, float], int] = {}
        # Each file's folder, by its number, and the file's name where it is not the day's own.
        self.folders: dict[str, int] = {}
        self.names: dict[int, str] = {}

    def add(self, c: "_Collector", index: int, day: DayRecord, value: AnswerValue) -> None:
        kind = _kind_of(value)
        held = self.kinds.get(kind)
        if held is None:
            held = (0, c.new_series(text=False))
        self.kinds[kind] = (held[0] + 1, held[1])
        date = day.date.toordinal()
        if self.latest is None or date > self.latest[0]:
            self.latest = (date, kind)
        if not (isinstance(value, float) and not math.isfinite(value)):
            held[1].add(index, value, c.scaled)
        self.days.append(date)
        sign = math.copysign(1.0, value) if isinstance(value, float) else 1.0
        self.values.append(self.seen.setdefault((value.__class__, value, sign), len(self.seen)))
        folder, sep, name = day.path.rpartition(os.sep)
        self.files.append(self.folders.setdefault(folder + sep, len(self.folders)))
        if name != f"{day.date.isoformat()}.md":
            self.names[len(self.days) - 1] = name

    def kind(self) -> Kind:
        """The kind most values have; the latest value's on a tie."""
        assert self.latest is not None
        latest = self.latest[1]
        return max(self.kinds, key=lambda k: (self.kinds[k][0], k == latest))

    def items(self) -> Iterator[tuple[dt.date, str, AnswerValue]]:
        """Each value held, in the order given, with its day and its file."""
        values = [value for _, value, _ in self.seen]
        folders = list(self.folders)
        for i, (date, value, file) in enumerate(
            zip(self.days, self.values, self.files, strict=True)
        ):
            day = dt.date.fromordinal(date)
            name = self.names.get(i, f"{day.isoformat()}.md")
            yield day, folders[file] + name, values[value]


@dataclass
class _Collector:
    packs: Mapping[str, Pack]
    span: DateRange
    periods: Periods
    only_pack: str | None
    only_prompt: Key | None
    versions: PackVersions | None = None
    levels_only: bool = False
    known: dict[Key, AnyPrompt] = field(init=False)
    latest: dict[Key, AnyPrompt | None] = field(default_factory=dict)
    fits: dict[tuple[Key, str | None, type, AnswerValue], str | None] = field(default_factory=dict)
    values: dict[RowKey, _Series] = field(default_factory=dict)
    words: dict[RowKey, _Series] = field(default_factory=dict)
    scaled: dict[object, int] = field(default_factory=dict)
    apart: dict[RowKey, tuple[AnyPrompt, set[str]]] = field(default_factory=dict)
    asked_in: dict[RowKey, set[str]] = field(default_factory=dict)
    placed: dict[tuple[Key, str | None], tuple[AnyPrompt | None, RowKey | None]] = field(
        default_factory=dict
    )
    wordings: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    headings: dict[tuple[str, str | None], list[tuple[str, str, RowKey, TextPrompt]]] = field(
        default_factory=dict
    )
    unknown: dict[Key, _Unknowns] = field(default_factory=dict)
    skipped: Counter[Key] = field(default_factory=Counter)
    problems: list[ValueProblem] = field(default_factory=list)
    tags: Counter[str] = field(default_factory=Counter)
    written: DaySet = field(default_factory=DaySet)
    bad: list[BadEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.known = {(p.id, q.id): q for p in self.packs.values() for q in p.prompts}

    def wanted(self, key: Key) -> bool:
        if self.only_prompt is not None:
            return key == self.only_prompt
        return self.only_pack is None or key[0] == self.only_pack

    def now(self, key: Key) -> AnyPrompt | None:
        """The prompt as asked today, or as last asked when its pack dropped it."""
        if key in self.known:
            return self.known[key]
        if key not in self.latest:
            found = self.versions.latest(*key).prompt if self.versions is not None else None
            self.latest[key] = found
        return self.latest[key]

    def then(self, key: Key, version: str | None) -> tuple[AnyPrompt | None, str | None]:
        """The definition an answer given under `version` is judged by, and that version."""
        if self.versions is None:
            return self.known.get(key), version
        definition = self.versions.definition(key[0], key[1], version)
        if definition.prompt is not None and definition.source == "exact":
            return definition.prompt, version
        return self.now(key), version

    def row_key(self, key: Key, asked: AnyPrompt) -> RowKey:
        """The row an answer belongs to: today's, or one per meaning the question had before."""
        current = self.now(key)
        if current is None or asked is current or same_meaning(current, asked):
            return (*key, MAIN)
        return (*key, meaning(asked))

    def counted(self, row: RowKey, asked: AnyPrompt, version: str | None) -> None:
        """Note the version an answer counted in a row was given under."""
        if row[2] == MAIN:
            if version:
                self.asked_in.setdefault(row, set()).add(version)
            return
        held = self.apart.get(row)
        if held is None:
            self.apart[row] = (asked, {version} if version else set())
        elif version:
            held[1].add(version)

    def series(self, store: dict[RowKey, _Series], key: RowKey) -> _Series:
        found = store.get(key)
        if found is None:
            found = store[key] = self.new_series(text=store is self.words)
        return found

    def new_series(self, *, text: bool) -> _Series:
        return _Series(len(self.periods), self.levels_only, text)

    def add(self, day: DayRecord) -> None:
        if day.written:
            self.written.add(day.date)
        if not self.span.start <= day.date <= self.span.end:
            return
        index = self.periods.index_of(day.date)
        self.tags.update(set(day.tags))
        for pack_id, answers in day.answers.items():
            for prompt_id, value in answers.items():
                key = (pack_id, prompt_id)
                if not self.wanted(key):
                    continue
                version = day.version_of(pack_id, prompt_id)
                # Which definition and row a version's answers go to: decided once per version.
                placed = self.placed.get((key, version))
                if placed is None:
                    prompt, _ = self.then(key, version)
                    row = self.row_key(key, prompt) if prompt is not None else None
                    placed = self.placed[(key, version)] = (prompt, row)
                prompt, row = placed
                if prompt is None or row is None:
                    held = self.unknown.get(key)
                    if held is None:
                        held = self.unknown[key] = _Unknowns()
                    held.add(self, index, day, value)
                    continue
                # The same few values come back day after day: check each once.
                checked = (key, version, value.__class__, value)
                try:
                    problem = self.fits[checked]
                except KeyError:
                    problem = self.fits[checked] = misfit(prompt, value)
                if problem is not None:
                    self.report(key, day.date, day.path, value, problem)
                    continue
                self.counted(row, prompt, version)
                self.series(self.values, row).add(index, value, self.scaled)
        for pack_id in day.packs:
            self.add_words(day, index, pack_id)

    def add_words(self, day: DayRecord, index: int, pack_id: str) -> None:
        """Words written to each text question, read by the version that asked it.

        Prose tied to its question (format 2) counts under its id; format 1
        prose under the wording of the day's version of the pack.
        """
        done: set[str] = set()
        prefix = f"{pack_id}/"
        for name, count in day.words.items():
            prompt_id = name[len(prefix) :] if name.startswith(prefix) else ""
            if not prompt_id or "/" in prompt_id or not count:
                continue
            done.add(prompt_id)
            key = (pack_id, prompt_id)
            if not self.wanted(key):
                continue
            version = day.version_of(pack_id, prompt_id)
            prompt, _ = self.then(key, version)
            if isinstance(prompt, TextPrompt):
                row = self.row_key(key, prompt)
                self.counted(row, prompt, version)
                self.series(self.words, row).add_words(index, count)
            elif prompt is not None:
                message = (
                    f"written as text ({count} words), the question asks for {prompt.describe()}"
                )
                self.report(key, day.date, day.path, count, message)
        if pack_id not in day.wording_packs:
            return  # format 2: a section under a question's words with no comment is prose
        version = day.packs.get(pack_id)
        rows = self.text_rows(pack_id, version)
        # The wording of the day's version first; then any wording another version
        # gave the question (a day whose version is not kept, or a reworded heading).
        primary = {heading for _, heading, _, _ in rows}
        # A heading two questions had is nobody's answer (`PackVersions.shared_wordings`).
        claimed: set[str] = set(self.versions.shared_wordings(day.packs) if self.versions else ())
        for prompt_id, heading, row, prompt in rows:
            if prompt_id in done:
                continue
            words = day.words.get(heading) if heading not in claimed else None
            if not words:
                for other in self.other_wordings(pack_id, prompt_id):
                    if other not in primary and other not in claimed and day.words.get(other):
                        heading, words = other, day.words[other]
                        break
            if words:
                claimed.add(heading)
                done.add(prompt_id)
                self.counted(row, prompt, version)
                self.series(self.words, row).add_words(index, words)

    def other_wordings(self, pack_id: str, prompt_id: str) -> list[str]:
        """Every heading a kept version of the pack gave a text question, newest first."""
        key = (pack_id, prompt_id)
        found = self.wordings.get(key)
        if found is None:
            packs = list(self.versions.kept(pack_id).values()) if self.versions else []
            if pack_id in self.packs:
                packs.append(self.packs[pack_id])
            packs.sort(key=lambda p: version_key(p.version), reverse=True)
            asked = [p.prompt(prompt_id) for p in packs]
            headings = [heading_for(q.text) for q in asked if isinstance(q, TextPrompt)]
            found = self.wordings[key] = list(dict.fromkeys(headings))
        return found

    def text_rows(
        self, pack_id: str, version: str | None
    ) -> list[tuple[str, str, RowKey, TextPrompt]]:
        """The heading, row and definition of each text question a version asked, worked out once."""
        found = self.headings.get((pack_id, version))
        if found is None:
            found = []
            for prompt_id in self.text_prompts(pack_id, version):
                key = (pack_id, prompt_id)
                prompt, _ = self.then(key, version)
                if self.wanted(key) and isinstance(prompt, TextPrompt):
                    row = self.row_key(key, prompt)
                    found.append((prompt_id, heading_for(prompt.text), row, prompt))
            self.headings[(pack_id, version)] = found
        return found

    def text_prompts(self, pack_id: str, version: str | None) -> list[str]:
        packs: list[Pack] = []
        if self.versions is not None and version is not None:
            then = self.versions.at(pack_id, version)
            if then is not None:
                packs.append(then)
        if pack_id in self.packs:
            packs.append(self.packs[pack_id])
        ids = [q.id for pack in packs for q in pack.prompts if isinstance(q, TextPrompt)]
        return list(dict.fromkeys(ids))

    def report(self, key: Key, day: dt.date, path: str, value: object, message: str) -> None:
        self.skipped[key] += 1
        self.problems.append(ValueProblem(path, day, key[0], key[1], value, message))


def trends(
    days: Iterable[DayRecord | BadEntry],
    query: TrendsQuery,
    *,
    written_before: Iterable[dt.date] = (),
    versions: PackVersions | None = None,
) -> Trends:
    """Everything `reflect trends` shows, from the days of a range.

    `days` may hold days before the range: they count only towards "the last
    seven days" and streaks. `written_before` adds days written earlier still,
    so a streak that began long ago is measured in full. With `versions`, each
    answer is judged by the definition it was given under, and answers given
    when a question meant something else (another type, range, step, unit or
    target) get a row of their own.
    """
    span = query.span
    collector = _Collector(
        query.packs,
        span,
        Periods(span, query.by),
        query.pack,
        query.prompt,
        versions,
        query.levels_only,
    )
    for day in days:
        if isinstance(day, BadEntry):
            collector.bad.append(day)
        else:
            collector.add(day)
    collector.written.update(written_before)
    rows = _pack_rows(collector, query.enabled)
    collector.problems.sort(key=lambda p: (p.date, p.pack, p.prompt))
    return Trends(
        span=span,
        by=query.by,
        periods=collector.periods,
        packs=rows,
        consistency=consistency(collector.written, span, query.today),
        tags=top_tags(collector.tags, query.tags),
        problems=collector.problems,
        skipped_files=collector.bad,
    )


def _pack_rows(c: _Collector, enabled: Sequence[str]) -> list[PackTrend]:
    seen: set[str] = {k[0] for k in c.values} | {k[0] for k in c.words}
    seen |= {k[0] for k in c.unknown} | {k[0] for k in c.skipped}
    order = [p for p in enabled if p in c.packs] + sorted(
        p for p in (seen | set(c.packs)) if p not in enabled or p not in c.packs
    )
    result = []
    for pack_id in order:
        if c.only_pack is not None and pack_id != c.only_pack:
            continue
        if c.only_prompt is not None and pack_id != c.only_prompt[0]:
            continue
        pack = c.packs.get(pack_id)
        retired = pack is None or pack_id not in enabled
        rows: list[PromptTrend] = []
        asked_now = [q.id for q in pack.prompts] if pack is not None else []
        answered = sorted(
            {k[1] for k in (*c.values, *c.words) if k[0] == pack_id} - set(asked_now)
        ) + sorted({k[1] for k in c.skipped if k[0] == pack_id} - set(asked_now))
        for prompt_id in dict.fromkeys([*asked_now, *answered]):
            key = (pack_id, prompt_id)
            prompt = c.now(key)
            if prompt is None or not c.wanted(key):
                continue
            in_pack = prompt_id in asked_now
            has_data = any(k[:2] == key for k in (*c.values, *c.words)) or key in c.skipped
            gone = retired or not in_pack
            if has_data or not gone or c.only_prompt == key:
                rows.append(_known_row(c, (*key, MAIN), prompt, gone))
            for row_key, (asked, seen_in) in c.apart.items():
                if row_key[:2] == key:
                    earlier = _earlier(asked, seen_in)
                    rows.append(_known_row(c, row_key, asked, gone, seen_in, earlier))
        unknown = sorted(key for key in c.unknown if key[0] == pack_id)
        rows.extend(_unknown_row(c, key) for key in unknown)
        if rows:
            result.append(PackTrend(pack_id, pack.name if pack else None, retired, rows))
    return result


@dataclass(frozen=True)
class _Question:
    """What a row says about its prompt, whether a pack still has it or not."""

    text: str | None
    kind: Kind
    retired: bool
    unit: str = ""
    target: Goal | None = None
    bounds: tuple[float, float] | None = None
    choices: Sequence[str] = ()


def _earlier(asked: AnyPrompt, versions: set[str]) -> str:
    """How a row of answers given under an earlier meaning of the question is labelled."""
    listed = ", ".join(sorted(versions, key=version_key)) or "an earlier version"
    return f"as asked in {listed}: {definition_words(asked)}"


def _known_row(
    c: _Collector,
    row_key: RowKey,
    prompt: AnyPrompt,
    retired: bool,
    seen_in: set[str] | None = None,
    earlier: str | None = None,
) -> PromptTrend:
    key = (row_key[0], row_key[1])
    question = _Question(prompt.text, prompt.type, retired)
    text = isinstance(prompt, TextPrompt)
    found = (c.words if text else c.values).get(row_key)
    series = found if found is not None else c.new_series(text=text)
    if isinstance(prompt, (ScalePrompt, NumberPrompt)):
        bounds = (
            (prompt.min, prompt.max) if prompt.min is not None and prompt.max is not None else None
        )
        question = replace(question, unit=prompt.unit, target=prompt.goal, bounds=bounds)
    elif isinstance(prompt, ChoicePrompt):
        question = replace(question, bounds=(0.0, 1.0), choices=prompt.choices)
    elif not isinstance(prompt, TextPrompt):
        question = replace(question, bounds=(0.0, 1.0))
    row = _row(c, key, question, series)
    if earlier is None:
        listed = tuple(sorted(c.asked_in.get(row_key, ()), key=version_key))
        return replace(row, definition=prompt, versions=listed)
    listed = tuple(sorted(seen_in or (), key=version_key))
    return replace(row, skipped=0, versions=listed, earlier=earlier, definition=prompt)


def _kind_of(value: object) -> Kind:
    if isinstance(value, bool):
        return "yes-no"
    if isinstance(value, (int, float)):
        return "number"
    return "choice"


_KIND_WORDS = {"yes-no": "true or false", "number": "a number", "choice": "a word or phrase"}


def _unknown_row(c: _Collector, key: Key) -> PromptTrend:
    """A prompt no readable pack has: its type is the one most of its values have."""
    held = c.unknown[key]
    kind = held.kind()
    for date, path, value in held.items():
        if _kind_of(value) != kind:
            message = (
                f"expected {_KIND_WORDS[kind]} like its other answers (the prompt is no longer "
                f"in a pack), found {value!r}"
            )
            c.report(key, date, path, value, message)
        elif isinstance(value, float) and not math.isfinite(value):
            c.report(key, date, path, value, f"expected a finite number, found {value!r}")
    series = held.kinds[kind][1]
    bounds = (0.0, 1.0) if kind != "number" else None
    return _row(c, key, _Question(None, kind, retired=True, bounds=bounds), series)


def _row(c: _Collector, key: Key, question: _Question, series: _Series) -> PromptTrend:
    kind, target, choices = question.kind, question.target, question.choices
    overall = series.whole().summary(kind, target, choices)
    follow = overall.top if isinstance(overall, ChoiceSummary) else None
    summaries: list[Summary] = []
    levels: Sequence[float | None]
    if c.levels_only:
        levels = series.period_levels(follow)
    else:
        summaries = series.summaries(kind, target, choices)
        levels = [level(s, follow) for s in summaries]
    return PromptTrend(
        pack=key[0],
        prompt=key[1],
        text=question.text,
        kind=kind,
        retired=question.retired,
        unit=question.unit,
        target=target,
        bounds=question.bounds,
        periods=summaries,
        overall=overall,
        follow=follow,
        change=change(_Labels(c.periods), levels),
        skipped=c.skipped[key],
        period_levels=levels if c.levels_only else None,
    )


# -- the calendar --------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    """A day written, with how much was answered; `level` (1-4) shades it in the heatmap."""

    date: dt.date
    answers: int
    words: int
    level: int


@dataclass(frozen=True)
class CalendarYear:
    """A year's days written; its consistency counts up to today in the current year."""

    year: int
    days: list[CalendarDay]
    consistency: Consistency
    max_answers: int
    skipped_files: list[BadEntry]


def shade(answers: int, most: int) -> int:
    """1 to 4, by the day's answers as a share of the year's most answered day."""
    if most <= 0:
        return 1
    return max(1, math.ceil(4 * answers / most))


def calendar(
    days: Iterable[DayRecord | BadEntry],
    year: int,
    *,
    today: dt.date,
    written_before: Iterable[dt.date] = (),
) -> CalendarYear:
    """The days written in a year, each with a shade, and the year's consistency."""
    span = DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))
    counted: list[tuple[dt.date, int, int]] = []
    written = set(written_before)
    bad: list[BadEntry] = []
    for day in days:
        if isinstance(day, BadEntry):
            bad.append(day)
        elif day.written:
            written.add(day.date)
            if day.date in span:
                counted.append((day.date, day.answer_count, sum(day.words.values())))
    most = max((answers for _, answers, _ in counted), default=0)
    return CalendarYear(
        year=year,
        days=[CalendarDay(d, a, w, shade(a, most)) for d, a, w in sorted(counted)],
        consistency=consistency(written, span, today),
        max_answers=most,
        skipped_files=bad,
    )


def load_calendar(home: Home, year: int, *, today: dt.date) -> CalendarYear:
    """The calendar of one year of the journal in `home`, reading only that year's files."""
    start = dt.date(year, 1, 1)
    written_before = written_run_before(home, start)
    return use_days(
        home,
        start,
        dt.date(year, 12, 31),
        lambda days: calendar(days, year, today=today, written_before=written_before),
    )


# -- JSON ------------------------------------------------------------------------------


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def summary_data(summary: Summary) -> dict[str, Any]:
    """One summary as JSON; the keys depend only on the prompt's type."""
    if isinstance(summary, YesNoSummary):
        return {"answered": summary.answered, "yes": summary.yes, "share": _number(summary.share)}
    if isinstance(summary, NumberSummary):
        return {
            "answered": summary.answered,
            "mean": _number(summary.mean),
            "min": summary.min,
            "max": summary.max,
            "distance": _number(summary.distance),
            "met": summary.met,
        }
    if isinstance(summary, ChoiceSummary):
        return {
            "answered": summary.answered,
            "top": summary.top,
            "share": _number(summary.share),
            "counts": dict(summary.counts),
        }
    return {"answered": summary.answered, "words": summary.words}


def trends_data(result: Trends) -> dict[str, Any]:
    """The JSON shape of `reflect trends --json` (keys pinned by a test)."""
    return {
        "format": TRENDS_FORMAT,
        "range": {
            "start": result.span.start.isoformat(),
            "end": result.span.end.isoformat(),
            "by": result.by,
        },
        "periods": [
            {
                "label": p.label,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "days": p.days,
                "partial": p.partial,
            }
            for p in result.periods
        ],
        "packs": [
            {
                "id": pack.id,
                "name": pack.name,
                "retired": pack.retired,
                "prompts": [_row_data(row) for row in pack.prompts],
            }
            for pack in result.packs
        ],
        "consistency": {
            "days": result.consistency.days,
            "written": result.consistency.written,
            "last_7_days": result.consistency.last_days,
            "current_streak": result.consistency.current_streak,
            "longest_streak": result.consistency.longest_streak,
        },
        "tags": [{"tag": tag, "days": days} for tag, days in result.tags],
        "problems": [
            {
                "path": p.path,
                "date": p.date.isoformat(),
                "pack": p.pack,
                "prompt": p.prompt,
                "value": p.value,
                "message": p.message,
            }
            for p in result.problems
        ],
        "skipped_files": [{"path": str(b.path), "error": b.error} for b in result.skipped_files],
    }


def calendar_data(year: CalendarYear) -> dict[str, Any]:
    """The JSON shape of `reflect calendar --json` (keys pinned by a test)."""
    c = year.consistency
    return {
        "format": CALENDAR_FORMAT,
        "year": year.year,
        "written": c.written,
        "days_counted": c.days,
        "longest_streak": c.longest_streak,
        "max_answers": year.max_answers,
        "days": [
            {
                "date": d.date.isoformat(),
                "answer_count": d.answers,
                "words": d.words,
                "shade": d.level,
            }
            for d in year.days
        ],
        "skipped_files": [{"path": str(b.path), "error": b.error} for b in year.skipped_files],
    }


def _row_data(row: PromptTrend) -> dict[str, Any]:
    return {
        "id": row.prompt,
        "text": row.text,
        "type": row.kind,
        "retired": row.retired,
        "unit": row.unit,
        "target": None if row.target is None else row.target.data(),
        "follows": row.follow,
        "periods": [summary_data(s) for s in row.periods],
        "overall": summary_data(row.overall),
        "change": change_data(row.change),
        "skipped": row.skipped,
        "earlier": row.earlier,
        "versions": list(row.versions),
    }


def change_data(found: Change | None) -> dict[str, Any] | None:
    """A change as JSON: the periods it runs between and by how much."""
    if found is None:
        return None
    return {"from": found.before, "to": found.after, "delta": _number(found.delta)}


# -- reading the journal -----------------------------------------------------------------


def load_trends(home: Home, query: TrendsQuery) -> Trends:
    """Trends for a range of the journal in `home`, reading only the days they need.

    Beside the range itself that is the week before its end (for "the last
    seven days") and, when the journal was written every day up to the range,
    the days back to the start of that streak. `most` limits the periods
    (None: any number, for a summary that is not drawn as a table).
    """
    span, by, today = query.span, query.by, query.today
    count = len(Periods(span, by))
    if query.most is not None and count > query.most:
        raise UsageError(
            f"by {by} from {span.start} to {span.end} is {count} periods, more than {MAX_PERIODS}",
            hint=Hint("fewer-periods"),
        )
    end = min(span.end, today)
    window = min(span.start, days_before(end, LAST_DAYS - 1))
    from reflect.packs.versions import pack_versions

    written_before = written_run_before(home, window)
    versions = pack_versions(home)

    def use(days: Iterable[DayRecord | BadEntry]) -> Trends:
        return trends(days, query, written_before=written_before, versions=versions)

    try:
        result = use_days(home, window, span.end, use)
    except _OutOfOrder:
        # A day out of date order (a file in another year's folder): each period kept whole.
        query = replace(query, levels_only=False)
        result = use_days(home, window, span.end, use)
    if not result.packs:
        _check_filter(query.packs, query.pack, query.prompt)
    return result


def _check_filter(packs: Mapping[str, Pack], pack: str | None, prompt: Key | None) -> None:
    """A filter that names nothing known and matched no answers is a mistake worth saying."""
    if prompt is not None:
        check_known(packs, *prompt)
    elif pack is not None:
        check_known(packs, pack)
