"""Parsing the dates people type: days (YYYY-MM-DD, today, yesterday), ISO weeks, months, ranges.

Dates are calendar days: time zones and daylight-saving changes never enter.
"""

import datetime as dt
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from reflect.errors import UsageError

_ISO_WEEK = re.compile(r"^(\d{4})-?w(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
DEFAULT_WEEKS = 4


def today() -> dt.date:
    return dt.date.today()


def parse_day(text: str | None, *, option: str = "date", now: dt.date | None = None) -> dt.date:
    """A day from the command line; None means today."""
    now = now or today()
    if text is None:
        return now
    word = text.strip().lower()
    if word == "today":
        return now
    if word == "yesterday":
        return now - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a day: use YYYY-MM-DD (e.g. 2026-11-26), today or yesterday"
        ) from None


def day_bounds(
    since: str | None,
    until: str | None,
    *,
    options: tuple[str, str] = ("--since", "--until"),
    now: dt.date | None = None,
) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a command's range options give, either open; refused if reversed."""
    first, last = options
    start = parse_day(since, option=first, now=now) if since is not None else None
    end = parse_day(until, option=last, now=now) if until is not None else None
    check_order(start, end, options)
    return start, end


def check_order(
    start: dt.date | None, end: dt.date | None, options: tuple[str, str] = ("--since", "--until")
) -> None:
    """The one refusal of a range whose first day comes after its last."""
    if start is not None and end is not None and start > end:
        raise UsageError(f"{options[0]} {start} is after {options[1]} {end}: swap them")


@dataclass(frozen=True)
class DateRange:
    """The days from start to end, both included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start} to {self.end}"


def days_before(day: dt.date, days: int) -> dt.date:
    """The day `days` before `day`, or the calendar's first day when that is further back."""
    if day.toordinal() - 1 <= days:
        return dt.date.min
    return day - dt.timedelta(days=days)


class DaySet(Collection[dt.date]):
    """A set of days held as one byte a day over the span they cover, read back in order.

    A century written every day is 36,500 bytes here, against some megabytes
    as a set of dates.
    """

    __slots__ = ("_count", "_first", "_held")

    def __init__(self, days: Iterable[dt.date] = ()) -> None:
        self._first, self._held, self._count = 0, bytearray(), 0
        self.update(days)

    def add(self, day: dt.date) -> None:
        at = day.toordinal()
        held = self._held
        if not held:
            self._first, held = at, bytearray(1)
            self._held = held
        elif at < self._first:
            # Room below for as many again: days added going back cost a copy now and then.
            room = self._first - at + len(held)
            self._held = held = bytearray(room) + held
            self._first -= room
        elif at - self._first >= len(held):
            held.extend(bytes(max(at - self._first + 1, 2 * len(held)) - len(held)))
        i = at - self._first
        if not held[i]:
            held[i] = 1
            self._count += 1

    def update(self, days: Iterable[dt.date]) -> None:
        for day in days:
            self.add(day)

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            return False
        i = day.toordinal() - self._first
        return 0 <= i < len(self._held) and self._held[i] == 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dt.date]:
        return self.between(dt.date.min, dt.date.max)

    def between(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """The days held from start to end, both included, in date order."""
        held, first = self._held, self._first
        i = max(start.toordinal() - first, 0)
        stop = min(end.toordinal() - first + 1, len(held))
        while i < stop:
            i = held.find(1, i, stop)
            if i < 0:
                return
            yield dt.date.fromordinal(first + i)
            i += 1


def week_of(day: dt.date) -> DateRange:
    """The ISO week (Monday to Sunday) a day falls in."""
    monday = day - dt.timedelta(days=day.weekday())
    return DateRange(monday, monday + dt.timedelta(days=6))


def week_label(day: dt.date) -> str:
    """ "2026-W48"; the year is the ISO year, so 2027-01-03 is in 2026-W53."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_in(year: int) -> int:
    """52 or 53: 28 December is always in the last ISO week of its year."""
    return dt.date(year, 12, 28).isocalendar().week


def month_of(day: dt.date) -> DateRange:
    first = day.replace(day=1)
    if first.month == 12:
        return DateRange(first, first.replace(day=31))
    return DateRange(first, first.replace(month=first.month + 1) - dt.timedelta(days=1))


def month_label(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def parse_week(text: str, *, option: str = "--week", now: dt.date | None = None) -> DateRange:
    """An ISO week: 2026-W48 (or 2026W48), this or last."""
    now = now or today()
    word = text.strip().lower()
    if word == "this":
        return week_of(now)
    if word == "last":
        return week_of(now - dt.timedelta(days=7))
    match = _ISO_WEEK.match(word)
    if match:
        year, week = int(match.group(1)), int(match.group(2))
        if year >= 1 and week == 53 and weeks_in(year) == 52:
            raise UsageError(f"{option} {text!r}: {year} has 52 ISO weeks, not 53")
        try:
            return week_of(dt.date.fromisocalendar(year, week, 1))
        except (ValueError, OverflowError):
            pass
    raise UsageError(f"{option} {text!r} is not a week: use YYYY-Www (e.g. 2026-W48), this or last")


def parse_month(text: str, *, option: str = "--month", now: dt.date | None = None) -> DateRange:
    """A calendar month: 2026-11, this or last."""
    now = now or today()
    word = text.strip().lower()
    if word == "this":
        return month_of(now)
    if word == "last":
        return month_of(now.replace(day=1) - dt.timedelta(days=1))
    match = _MONTH.match(word)
    if match and int(match.group(1)) >= 1 and 1 <= int(match.group(2)) <= 12:
        return month_of(dt.date(int(match.group(1)), int(match.group(2)), 1))
    raise UsageError(f"{option} {text!r} is not a month: use YYYY-MM (e.g. 2026-11), this or last")


def pick_range(
    *,
    week: str | None = None,
    month: str | None = None,
    since: str | None = None,
    until: str | None = None,
    now: dt.date | None = None,
) -> DateRange:
    """The range the options name; with none, the last four weeks up to today.

    --until alone gives the four weeks ending that day's week; --since alone
    runs to today.
    """
    now = now or today()
    given = [name for name, value in (("--week", week), ("--month", month)) if value is not None]
    if since is not None or until is not None:
        given.append("--since/--until")
    if len(given) > 1:
        raise UsageError(f"{' and '.join(given)} cannot be used together: choose one")
    if week is not None:
        return parse_week(week, now=now)
    if month is not None:
        return parse_month(month, now=now)
    end = parse_day(until, option="--until", now=now)
    if since is not None:
        start = parse_day(since, option="--since", now=now)
    else:
        start = week_of(end).start - dt.timedelta(weeks=DEFAULT_WEEKS - 1)
    if start > end and until is None:
        raise UsageError(f"--since {start} is after today: give --until as well")
    check_order(start, end)
    return DateRange(start, end)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday_name(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]
