"""Parsing the dates people type: YYYY-MM-DD, today, yesterday."""

import datetime as dt

from reflect.errors import UsageError


def today() -> dt.date:
    return dt.date.today()


def parse_day(text: str | None, *, option: str = "date") -> dt.date:
    """A day from the command line; None means today."""
    if text is None:
        return today()
    word = text.strip().lower()
    if word == "today":
        return today()
    if word == "yesterday":
        return today() - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a day: use YYYY-MM-DD (e.g. 2026-11-26), today or yesterday"
        ) from None


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday_name(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]
