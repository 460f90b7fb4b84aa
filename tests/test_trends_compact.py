"""What a summary of a long range holds: periods made as they are read, days written as one
byte each, a retired question's values held as numbers until their type is settled. Each is
held to the plain form it replaces."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from reflect.journal.entry import Entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path, update_entry
from reflect.model.dates import DateRange, DaySet, month_label, month_of, week_label, week_of
from reflect.model.pack import AnswerValue
from reflect.packs.library import readable_packs
from reflect.trends.stats import (
    By,
    NumberSummary,
    Period,
    Periods,
    Trends,
    TrendsQuery,
    change,
    load_trends,
)

from .conftest import d

# Days whose ranges of up to 800 days, and the weeks and months around them, fit the calendar.
days = st.dates(min_value=dt.date(1, 1, 8), max_value=dt.date(9997, 6, 30))


def plain_periods(span: DateRange, by: By) -> list[Period]:
    """The periods of a range made one after the other, as a list."""
    found: list[Period] = []
    day = span.start
    while True:
        if by == "day":
            whole, label = DateRange(day, day), day.isoformat()
        elif by == "week":
            whole, label = week_of(day), week_label(day)
        else:
            whole, label = month_of(day), month_label(day)
        start, end = max(whole.start, span.start), min(whole.end, span.end)
        found.append(Period(start, end, label, partial=(start, end) != (whole.start, whole.end)))
        if end >= span.end:
            return found
        day = end + dt.timedelta(days=1)


@given(days, st.integers(0, 800), st.sampled_from(["day", "week", "month"]), st.data())
def test_periods_made_as_read_are_the_periods_made_at_once(
    start: dt.date, length: int, by: By, data: st.DataObject
) -> None:
    span = DateRange(start, start + dt.timedelta(days=length))
    expected = plain_periods(span, by)
    made = Periods(span, by)
    assert len(made) == len(expected)
    assert list(made) == expected
    assert made[-1] == expected[-1] and made[0] == expected[0]
    ends = st.integers(-len(expected) - 2, len(expected) + 2)
    first, last = data.draw(st.tuples(ends, ends), "slice")
    assert made[first:last] == expected[first:last]
    day = span.start + dt.timedelta(days=data.draw(st.integers(0, span.days - 1), "day"))
    at = made.index_of(day)
    assert expected[at].start <= day <= expected[at].end


def test_a_period_past_either_end_is_no_period() -> None:
    made = Periods(DateRange(d("2026-11-04"), d("2026-11-20")), "week")
    assert [p.label for p in made] == ["2026-W45", "2026-W46", "2026-W47"]
    for index in (3, -4):
        try:
            made[index]
        except IndexError as exc:
            assert str(exc) == "no such period"
        else:
            raise AssertionError(f"period {index} was made")


@given(st.sets(days, max_size=60), days, days)
def test_a_day_set_holds_what_a_set_of_dates_holds(
    held: set[dt.date], start: dt.date, end: dt.date
) -> None:
    found = DaySet()
    for day in held:  # in no order: days added before the first one held grow it downwards
        found.add(day)
        found.add(day)
    assert len(found) == len(held)
    assert list(found) == sorted(held)
    assert list(found.between(start, end)) == sorted(x for x in held if start <= x <= end)
    for day in [start, end, *held]:
        assert (day in found) == (day in held)
    assert dt.datetime(2026, 1, 1) not in DaySet([d("2026-01-01")])
    assert "2026-01-01" not in found


@given(st.lists(st.one_of(st.none(), st.floats(-5, 5)), max_size=12))
def test_the_change_is_between_the_last_two_periods_with_a_level(
    levels: list[float | None],
) -> None:
    labels = [f"p{i}" for i in range(len(levels))]
    points = [(label, v) for label, v in zip(labels, levels, strict=True) if v is not None]
    found = change(labels, levels)
    if len(points) < 2:
        assert found is None
    else:
        assert found is not None
        assert (found.before, found.after) == (points[-2][0], points[-1][0])
        assert found.delta == points[-1][1] - points[-2][1]


def _retired(home: Home, values: list[tuple[str, AnswerValue]]) -> None:
    for day, value in values:

        def change(entry: Entry, value: AnswerValue = value) -> None:
            entry.set_answer("focus", "0.9.0", "deep-work", value)

        update_entry(home, d(day), change)


def _both(home: Home, span: DateRange, by: By) -> tuple[Trends, Trends]:
    packs, errors = readable_packs(home)
    assert errors == []
    today = d("2026-11-30")
    return (
        load_trends(home, TrendsQuery(packs, ["demo"], span, by, today)),
        load_trends(home, TrendsQuery(packs, ["demo"], span, by, today, levels_only=True)),
    )


def test_a_retired_questions_values_of_another_type_are_reported_with_their_files(
    demo: Home,
) -> None:
    _retired(
        demo,
        [
            ("2026-11-02", 2),
            ("2026-11-03", "many"),
            ("2026-11-09", 3.5),
            ("2026-11-10", True),
            ("2026-11-17", 4),
            ("2026-11-18", "many"),
        ],
    )
    span = DateRange(d("2026-11-02"), d("2026-11-22"))
    for result in _both(demo, span, "week"):
        (row,) = next(p for p in result.packs if p.id == "focus").prompts
        assert row.kind == "number" and row.skipped == 3
        assert row.overall == NumberSummary(3, 9.5 / 3, 2, 4)
        problems = [(p.date, p.path, p.value, p.message) for p in result.problems]
        assert problems == [
            (
                d(day),
                str(path),
                value,
                "expected a number like its other answers (the prompt is no longer in a "
                f"pack), found {value!r}",
            )
            for day, value in (("2026-11-03", "many"), ("2026-11-10", True), ("2026-11-18", "many"))
            for path in [entry_path(demo, d(day))]
        ]


def test_a_retired_questions_type_on_a_tie_is_its_latest_values(demo: Home) -> None:
    _retired(demo, [("2026-11-02", 2), ("2026-11-03", "many"), ("2026-11-04", 1)])
    _retired(demo, [("2026-11-05", "few")])  # two of each: the latest, a word, settles it
    for result in _both(demo, DateRange(d("2026-11-02"), d("2026-11-08")), "day"):
        (row,) = next(p for p in result.packs if p.id == "focus").prompts
        assert row.kind == "choice" and row.skipped == 2
        assert [p.value for p in result.problems] == [2, 1]
        assert [p.date for p in result.problems] == [d("2026-11-02"), d("2026-11-04")]


def test_a_retired_questions_negative_zero_is_reported_as_written(demo: Home) -> None:
    # 0.0 and -0.0 are equal and hash alike, but each is reported as its own file has it.
    _retired(
        demo,
        [("2026-11-02", "many"), ("2026-11-03", 0.0), ("2026-11-04", "few"), ("2026-11-05", -0.0)],
    )
    _retired(demo, [("2026-11-06", "many")])
    for result in _both(demo, DateRange(d("2026-11-02"), d("2026-11-08")), "day"):
        (row,) = next(p for p in result.packs if p.id == "focus").prompts
        assert row.kind == "choice" and row.skipped == 2
        assert [repr(p.value) for p in result.problems] == ["0.0", "-0.0"]
        assert [p.message.rpartition(", found ")[2] for p in result.problems] == ["0.0", "-0.0"]
