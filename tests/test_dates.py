"""Days, ISO weeks, months and ranges as people type them."""

import datetime as dt

import pytest

from reflect.errors import UsageError
from reflect.model.dates import (
    DateRange,
    parse_day,
    parse_month,
    parse_week,
    pick_range,
    week_label,
    weeks_in,
)

THURSDAY = dt.date(2026, 11, 26)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-W48", "2026-11-23", "2026-11-29"),
        ("2026w48", "2026-11-23", "2026-11-29"),
        ("2026-W1", "2025-12-29", "2026-01-04"),
        ("2026-W53", "2026-12-28", "2027-01-03"),
        ("2027-W01", "2027-01-04", "2027-01-10"),
        ("2020-W53", "2020-12-28", "2021-01-03"),
        ("this", "2026-11-23", "2026-11-29"),
        ("last", "2026-11-16", "2026-11-22"),
        (" LAST ", "2026-11-16", "2026-11-22"),
    ],
)
def test_weeks_are_iso_weeks_monday_to_sunday(text: str, start: str, end: str) -> None:
    assert parse_week(text, now=THURSDAY) == DateRange(d(start), d(end))


def test_2026_has_53_weeks_and_its_last_days_belong_to_it() -> None:
    assert weeks_in(2026) == 53 and weeks_in(2025) == 52 and weeks_in(2027) == 52
    assert week_label(d("2027-01-03")) == "2026-W53"
    assert week_label(d("2027-01-04")) == "2027-W01"
    assert week_label(d("2025-12-29")) == "2026-W01"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-W53", "--week '2025-W53': 2025 has 52 ISO weeks, not 53"),
        (
            "2026-W54",
            "--week '2026-W54' is not a week: use YYYY-Www (e.g. 2026-W48), this or last",
        ),
        ("2026-W00", "--week '2026-W00' is not a week: use YYYY-Www (e.g. 2026-W48), this or last"),
        ("next", "--week 'next' is not a week: use YYYY-Www (e.g. 2026-W48), this or last"),
        ("2026-11", "--week '2026-11' is not a week: use YYYY-Www (e.g. 2026-W48), this or last"),
    ],
)
def test_bad_weeks_say_what_to_type(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_week(text, now=THURSDAY)
    assert str(caught.value) == message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", "2026-11-01", "2026-11-30"),
        ("2026-12", "2026-12-01", "2026-12-31"),
        ("2028-02", "2028-02-01", "2028-02-29"),
        ("2026-2", "2026-02-01", "2026-02-28"),
        ("this", "2026-11-01", "2026-11-30"),
        ("last", "2026-10-01", "2026-10-31"),
        ("9999-12", "9999-12-01", "9999-12-31"),
    ],
)
def test_months(text: str, start: str, end: str) -> None:
    assert parse_month(text, now=THURSDAY) == DateRange(d(start), d(end))


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026", "November", "2026-11-01"])
def test_bad_months(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_month(text)
    assert str(caught.value) == (
        f"--month {text!r} is not a month: use YYYY-MM (e.g. 2026-11), this or last"
    )


def test_days_accept_words_relative_to_now() -> None:
    assert parse_day("today", now=THURSDAY) == THURSDAY
    assert parse_day("Yesterday", now=THURSDAY) == d("2026-11-25")
    assert parse_day(None, now=THURSDAY) == THURSDAY
    assert parse_day("2026-03-29") == d("2026-03-29")


def test_the_default_range_is_the_last_four_weeks_up_to_today() -> None:
    assert pick_range(now=THURSDAY) == DateRange(d("2026-11-02"), THURSDAY)
    assert pick_range(now=THURSDAY).days == 25


def test_since_and_until() -> None:
    assert pick_range(since="2026-11-20", now=THURSDAY) == DateRange(d("2026-11-20"), THURSDAY)
    assert pick_range(until="2026-11-01", now=THURSDAY) == DateRange(
        d("2026-10-05"), d("2026-11-01")
    )
    assert pick_range(since="yesterday", until="today", now=THURSDAY).days == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"week": "this", "month": "this"}, "--week and --month cannot be used together"),
        ({"week": "this", "since": "2026-11-01"}, "--week and --since/--until cannot be used"),
        ({"since": "2026-11-30", "until": "2026-11-01"}, "--since 2026-11-30 is after --until"),
        ({"until": "soon"}, "--until 'soon' is not a day"),
        ({"since": "2026-12-01"}, "--since 2026-12-01 is after today: give --until as well"),
    ],
)
def test_ranges_that_make_no_sense(options: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        pick_range(now=THURSDAY, **options)


@pytest.mark.usefixtures("berlin")
def test_daylight_saving_changes_do_not_move_days() -> None:
    spring = parse_week("2026-W13")
    autumn = parse_week("2026-W43")
    assert spring == DateRange(d("2026-03-23"), d("2026-03-29")) and spring.days == 7
    assert autumn == DateRange(d("2026-10-19"), d("2026-10-25")) and autumn.days == 7
