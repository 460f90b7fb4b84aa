"""Trend statistics over a small journal, with every number worked out by hand."""

import datetime as dt
from collections.abc import Sequence

import pytest

from reflect.errors import PackNotFound
from reflect.journal.cache import iter_days
from reflect.journal.entry import Entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path, update_entry
from reflect.model.dates import DateRange
from reflect.model.pack import AnswerValue, Goal
from reflect.packs.library import readable_packs
from reflect.trends.stats import (
    By,
    ChoiceSummary,
    NumberSummary,
    Period,
    PromptTrend,
    TextSummary,
    Trends,
    TrendsQuery,
    YesNoSummary,
    change,
    consistency,
    default_by,
    load_trends,
    periods,
    summarize_choices,
    summarize_numbers,
    summarize_text,
    summarize_yes_no,
    trends,
)

from .conftest import answer, d, write

THURSDAY = dt.date(2026, 11, 19)  # "today" in 2026-W47, in the middle of `fortnight`
W46_W47 = DateRange(dt.date(2026, 11, 9), dt.date(2026, 11, 22))


def compute(
    home: Home,
    span: DateRange = W46_W47,
    by: By = "week",
    *,
    enabled: Sequence[str] = ("demo",),
    today: dt.date = THURSDAY,
    pack: str | None = None,
    prompt: tuple[str, str] | None = None,
) -> Trends:
    packs, errors = readable_packs(home)
    assert errors == []
    return load_trends(home, TrendsQuery(packs, enabled, span, by, today, pack=pack, prompt=prompt))


def store_value(home: Home, day: str, pack: str, prompt: str, value: AnswerValue) -> None:
    """A stored answer to a prompt no current pack has (an older version, or a removed pack)."""

    def change(entry: Entry) -> None:
        entry.set_answer(pack, "0.9.0", prompt, value)

    update_entry(home, d(day), change)


def rows(result: Trends) -> dict[str, PromptTrend]:
    return {f"{row.pack}/{row.prompt}": row for pack in result.packs for row in pack.prompts}


# -- each prompt type, by hand ----------------------------------------------------------


def test_scale_mean_min_max_by_week(fortnight: Home) -> None:
    mood = rows(compute(fortnight))["demo/mood"]
    assert mood.kind == "scale" and not mood.retired
    assert mood.periods == [
        NumberSummary(answered=3, mean=3.0, min=2, max=4),  # (2 + 3 + 4) / 3
        NumberSummary(answered=3, mean=4.0, min=3, max=5),  # (5 + 4 + 3) / 3
    ]
    assert mood.overall == NumberSummary(answered=6, mean=3.5, min=2, max=5)
    assert mood.change is not None
    assert (mood.change.before, mood.change.after, mood.change.delta) == (
        "2026-W46",
        "2026-W47",
        1.0,
    )


def test_scale_with_a_target_gives_the_distance_and_whether_it_was_met(fortnight: Home) -> None:
    share = rows(compute(fortnight))["demo/share"]
    first, second = share.periods
    assert isinstance(first, NumberSummary) and isinstance(second, NumberSummary)
    assert (first.mean, first.distance, first.met) == (55.0, -15.0, False)  # (50 + 60) / 2
    assert (second.mean, second.distance, second.met) == (75.0, 5.0, True)  # (80 + 70) / 2
    assert share.target == Goal(70) and share.unit == "%"
    assert share.change is not None and share.change.delta == 20.0


def test_yes_no_share_of_yes_among_days_answered(fortnight: Home) -> None:
    threatened = rows(compute(fortnight))["demo/threatened"]
    assert threatened.periods == [YesNoSummary(3, 2), YesNoSummary(3, 1)]
    first, second = threatened.periods
    assert isinstance(first, YesNoSummary) and isinstance(second, YesNoSummary)
    assert first.share == pytest.approx(2 / 3) and second.share == pytest.approx(1 / 3)
    assert threatened.change is not None
    assert threatened.change.delta == pytest.approx(-1 / 3)


def test_choice_most_frequent_and_its_share(fortnight: Home) -> None:
    where = rows(compute(fortnight))["demo/where"]
    first, second = where.periods
    assert isinstance(first, ChoiceSummary) and isinstance(second, ChoiceSummary)
    # A tie (one meeting, one chat) goes to the answer the prompt lists first.
    assert (first.top, first.share, dict(first.counts)) == (
        "meeting",
        0.5,
        {"meeting": 1, "chat": 1},
    )
    assert second.top == "meeting" and second.share == pytest.approx(2 / 3)
    assert dict(second.counts) == {"meeting": 2, "one-to-one": 1}
    # The change and the sparkline follow the range's most frequent answer: meeting, 3 of 5.
    assert where.follow == "meeting"
    assert where.levels == [0.5, pytest.approx(2 / 3)]
    assert where.change is not None and where.change.delta == pytest.approx(1 / 6)


def test_number_mean_and_unit(fortnight: Home) -> None:
    hours = rows(compute(fortnight))["demo/hours"]
    assert hours.kind == "number" and hours.unit == "h" and hours.target is None
    assert hours.periods == [
        NumberSummary(answered=2, mean=7.0, min=6, max=8),
        NumberSummary(answered=1, mean=7.5, min=7.5, max=7.5),
    ]


def test_text_days_answered_and_words(fortnight: Home) -> None:
    gratitude = rows(compute(fortnight))["demo/gratitude"]
    # "Tea with the team" and "A quiet morning"; then "Sun". Notes are not answers.
    assert gratitude.periods == [TextSummary(2, 7), TextSummary(1, 1)]
    assert gratitude.change is not None and gratitude.change.delta == -6


def test_prompts_never_answered_still_have_a_row_in_an_enabled_pack(fortnight: Home) -> None:
    rot = rows(compute(fortnight))["demo/rot-a"]
    assert rot.periods == [YesNoSummary(0, 0), YesNoSummary(0, 0)]
    assert rot.change is None and rot.levels == [None, None]
    assert [row.prompt for row in compute(fortnight).packs[0].prompts] == [
        "mood",
        "threatened",
        "share",
        "where",
        "hours",
        "gratitude",
        "rot-a",
        "rot-b",
        "friday",
    ]


def test_consistency_and_tags(fortnight: Home) -> None:
    result = compute(fortnight)
    c = result.consistency
    # 9 to 19 November counted (today is the 19th): written on 9, 11, 13, 16, 17, 19.
    assert (c.days, c.written) == (11, 6)
    assert c.last_days == 4  # 13 to 19: the 13th, 16th, 17th and 19th
    assert (c.current_streak, c.longest_streak) == (1, 2)
    assert result.tags == [("team", 2), ("launch", 1)]


def test_filters_by_pack_and_prompt(fortnight: Home) -> None:
    only = compute(fortnight, prompt=("demo", "mood"))
    assert list(rows(only)) == ["demo/mood"]
    assert [row.prompt for row in compute(fortnight, pack="demo").packs[0].prompts][:2] == [
        "mood",
        "threatened",
    ]
    with pytest.raises(PackNotFound, match="no pack with id 'other'"):
        compute(fortnight, pack="other")
    with pytest.raises(PackNotFound, match="pack 'demo' has no prompt 'nope'"):
        compute(fortnight, prompt=("demo", "nope"))


# -- periods and ranges -------------------------------------------------------------------


def test_partial_first_and_last_weeks_are_clipped_and_marked() -> None:
    found = periods(DateRange(d("2026-11-04"), d("2026-11-20")), "week")
    assert found == [
        Period(d("2026-11-04"), d("2026-11-08"), "2026-W45", partial=True),
        Period(d("2026-11-09"), d("2026-11-15"), "2026-W46", partial=False),
        Period(d("2026-11-16"), d("2026-11-20"), "2026-W47", partial=True),
    ]
    assert [p.days for p in found] == [5, 7, 5]


def test_week_53_of_2026_runs_into_2027() -> None:
    found = periods(DateRange(d("2026-12-20"), d("2027-01-10")), "week")
    assert [(p.label, p.start, p.end, p.partial) for p in found] == [
        ("2026-W51", d("2026-12-20"), d("2026-12-20"), True),
        ("2026-W52", d("2026-12-21"), d("2026-12-27"), False),
        ("2026-W53", d("2026-12-28"), d("2027-01-03"), False),
        ("2027-W01", d("2027-01-04"), d("2027-01-10"), False),
    ]
    months = periods(DateRange(d("2026-12-20"), d("2027-01-10")), "month")
    assert [(p.label, p.days, p.partial) for p in months] == [
        ("2026-12", 12, True),
        ("2027-01", 10, True),
    ]


def test_answers_across_new_year_fall_in_week_53(demo: Home) -> None:
    answer(demo, "2026-12-31", "mood=2")
    answer(demo, "2027-01-02", "mood=4")
    answer(demo, "2027-01-04", "mood=5")
    span = DateRange(d("2026-12-28"), d("2027-01-10"))
    result = compute(demo, span, today=d("2027-01-10"))
    assert [p.label for p in result.periods] == ["2026-W53", "2027-W01"]
    assert rows(result)["demo/mood"].periods == [
        NumberSummary(2, 3.0, 2, 4),
        NumberSummary(1, 5.0, 5, 5),
    ]


def test_days_with_gaps(demo: Home) -> None:
    answer(demo, "2026-11-02", "threatened=y")
    answer(demo, "2026-11-04", "threatened=n")
    result = compute(
        demo, DateRange(d("2026-11-02"), d("2026-11-05")), "day", today=d("2026-11-30")
    )
    assert [p.label for p in result.periods] == [
        "2026-11-02",
        "2026-11-03",
        "2026-11-04",
        "2026-11-05",
    ]
    threatened = rows(result)["demo/threatened"]
    assert threatened.periods == [
        YesNoSummary(1, 1),
        YesNoSummary(0, 0),
        YesNoSummary(1, 0),
        YesNoSummary(0, 0),
    ]
    assert threatened.levels == [1.0, None, 0.0, None]
    c = result.consistency
    assert (c.days, c.written, c.current_streak, c.longest_streak) == (4, 2, 0, 1)


def test_one_day(demo: Home) -> None:
    answer(demo, "2026-11-18", "mood=4", "where=chat")
    result = compute(demo, DateRange(d("2026-11-18"), d("2026-11-18")), "day")
    mood = rows(result)["demo/mood"]
    assert mood.periods == [NumberSummary(1, 4.0, 4, 4)] and mood.change is None
    assert rows(result)["demo/where"].overall == ChoiceSummary(1, {"chat": 1})
    c = result.consistency
    assert (c.days, c.written, c.last_days, c.current_streak, c.longest_streak) == (1, 1, 1, 1, 1)


def test_an_empty_journal(demo: Home) -> None:
    result = compute(demo)
    assert result.is_empty
    assert result.tags == [] and result.problems == [] and result.skipped_files == []
    assert rows(result)["demo/mood"].overall == NumberSummary(0, None, None, None)


def test_the_default_by_suits_the_length_of_the_range() -> None:
    assert default_by(DateRange(d("2026-11-23"), d("2026-11-29"))) == "day"
    assert default_by(DateRange(d("2026-11-23"), d("2026-11-30"))) == "week"
    assert default_by(DateRange(d("2026-11-02"), d("2026-11-26"))) == "week"
    assert default_by(DateRange(d("2026-01-01"), d("2026-12-31"))) == "month"


@pytest.mark.usefixtures("berlin")
def test_daylight_saving_changes_leave_days_whole(demo: Home) -> None:
    # Berlin loses an hour on 29 March 2026 and gains one on 25 October 2026.
    for day in ("2026-03-28", "2026-03-29", "2026-03-30", "2026-10-24", "2026-10-25", "2026-10-26"):
        answer(demo, day, "mood=3")
    spring = compute(
        demo, DateRange(d("2026-03-27"), d("2026-03-31")), "day", today=d("2026-04-01")
    )
    assert [s.answered for s in rows(spring)["demo/mood"].periods] == [0, 1, 1, 1, 0]
    assert spring.consistency.longest_streak == 3
    autumn = compute(
        demo, DateRange(d("2026-10-19"), d("2026-11-01")), "week", today=d("2026-11-02")
    )
    assert [p.days for p in autumn.periods] == [7, 7]
    assert [s.answered for s in rows(autumn)["demo/mood"].periods] == [2, 1]


# -- values that don't fit, and history that outlived its prompt -------------------------------


def test_a_hand_edited_wrong_value_is_reported_skipped_and_the_rest_counted(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=4", "share=60")
    write(
        demo,
        "2026-11-11",
        "---\ndate: 2026-11-11\npacks: {demo: 1.0.0}\nanswers:\n  demo:\n"
        "    mood: high\n    share: 65\n    threatened: 'yes'\n    where: nowhere\n    hours: 5\n---\n",
    )
    result = compute(demo)
    found = rows(result)
    assert found["demo/mood"].overall == NumberSummary(1, 4.0, 4, 4)
    assert found["demo/mood"].skipped == 1
    assert found["demo/share"].overall == NumberSummary(1, 60.0, 60, 60, Goal(70))
    assert found["demo/hours"].overall == NumberSummary(1, 5.0, 5, 5)
    path = str(entry_path(demo, d("2026-11-11")))
    assert [(p.path, p.prompt, p.value) for p in result.problems] == [
        (path, "mood", "high"),
        (path, "share", 65),
        (path, "threatened", "yes"),
        (path, "where", "nowhere"),
    ]
    assert result.problems[0].line_text() == (
        f"{path}: demo/mood: expected a number from 1-5, found 'high'; skipped"
    )
    assert result.problems[1].message == "65 is not on the scale: use steps of 10 from 0"


def test_a_value_from_an_older_pack_version_with_another_type_is_left_out(demo: Home) -> None:
    write(
        demo,
        "2026-11-10",
        "---\ndate: 2026-11-10\npacks: {demo: 0.9.0}\nanswers:\n  demo:\n    mood: true\n---\n",
    )
    answer(demo, "2026-11-12", "mood=2")
    result = compute(demo)
    mood = rows(result)["demo/mood"]
    assert mood.overall == NumberSummary(1, 2.0, 2, 2) and mood.skipped == 1
    assert result.problems[0].message == "expected a number from 1-5, found True"


def test_answers_to_a_prompt_the_pack_dropped_still_show_retired(demo: Home) -> None:
    store_value(demo, "2026-11-10", "demo", "gone-question", True)
    store_value(demo, "2026-11-11", "demo", "gone-question", False)
    store_value(demo, "2026-11-17", "demo", "gone-question", True)
    result = compute(demo)
    gone = rows(result)["demo/gone-question"]
    assert gone.retired and gone.text is None and gone.label == "demo/gone-question"
    assert gone.kind == "yes-no"
    assert gone.periods == [YesNoSummary(2, 1), YesNoSummary(1, 1)]
    assert result.packs[0].prompts[-1] is gone  # after the pack's current prompts


def test_a_disabled_pack_shows_only_where_answered_and_is_retired(fortnight: Home) -> None:
    result = compute(fortnight, enabled=[])
    (pack,) = result.packs
    assert pack.id == "demo" and pack.retired and pack.name == "Demo pack"
    assert "demo/rot-a" not in rows(result)
    assert rows(result)["demo/mood"].retired
    assert rows(result)["demo/mood"].text == "How was your mood today?"


def test_a_removed_pack_keeps_its_history_typed_by_its_values(demo: Home) -> None:
    for day, value in (("2026-11-10", 2), ("2026-11-11", 3.5), ("2026-11-16", "many")):
        store_value(demo, day, "focus", "deep-work", value)
    result = compute(demo)
    focus = next(pack for pack in result.packs if pack.id == "focus")
    assert focus.retired and focus.name is None
    (row,) = focus.prompts
    assert row.kind == "number" and row.label == "focus/deep-work"
    assert row.periods == [NumberSummary(2, 2.75, 2, 3.5), NumberSummary(0, None, None, None)]
    assert row.skipped == 1
    assert result.problems[0].message == (
        "expected a number like its other answers (the prompt is no longer in a pack), found 'many'"
    )


# -- the plain functions the export reuses ------------------------------------------------------


def test_summaries_of_plain_values() -> None:
    assert summarize_yes_no([True, False, True, True]) == YesNoSummary(4, 3)
    numbers = summarize_numbers([1, 2, 2, 5], target=Goal(3))
    assert (numbers.mean, numbers.min, numbers.max, numbers.distance, numbers.met) == (
        2.5,
        1,
        5,
        -0.5,
        False,
    )
    assert summarize_numbers([3], target=Goal(3)).met is True
    assert summarize_numbers([3], target=Goal(3, "at-most")).met is True
    assert summarize_numbers([3.5], target=Goal(3, "at-most")).met is False
    assert summarize_numbers([3.5], target=Goal(3, "about", 0.5)).met is True
    assert summarize_numbers([2.4], target=Goal(3, "about", 0.5)).met is False
    assert summarize_choices(["b", "a", "b"], ["a", "b"]).counts == {"b": 2, "a": 1}
    assert summarize_choices(["b", "a"], ["a", "b"]).top == "a"
    assert summarize_choices(["z", "y"]).top == "y"
    assert summarize_text([12, 0, 3]) == TextSummary(2, 15)
    assert change(["a", "b", "c"], [1.0, None, None]) is None
    moved = change(["a", "b", "c"], [1.0, 3.0, None])
    assert moved is not None and (moved.before, moved.after, moved.delta) == ("a", "b", 2.0)


def test_streaks_count_today_as_not_over_yet() -> None:
    span = DateRange(d("2026-11-01"), d("2026-11-30"))
    written = {d("2026-11-17"), d("2026-11-18"), d("2026-11-19")}
    assert consistency(written, span, d("2026-11-20")).current_streak == 3
    assert consistency(written, span, d("2026-11-21")).current_streak == 0
    past = DateRange(d("2026-11-01"), d("2026-11-18"))
    assert consistency(written, past, d("2026-11-30")).current_streak == 2


def test_a_streak_that_began_before_the_range_is_counted_in_full() -> None:
    span = DateRange(d("2026-11-16"), d("2026-11-22"))
    written = {d("2026-11-13") + dt.timedelta(days=i) for i in range(6)}  # 13th to 18th
    c = consistency(written, span, d("2026-11-22"))
    assert (c.written, c.current_streak, c.longest_streak) == (3, 0, 6)


def test_the_loader_reads_back_far_enough_for_the_current_streak(demo: Home) -> None:
    for i in range(40):  # 1 October to 9 November
        answer(demo, (d("2026-10-01") + dt.timedelta(days=i)).isoformat(), "mood=3")
    result = compute(
        demo, DateRange(d("2026-11-09"), d("2026-11-10")), "day", today=d("2026-11-10")
    )
    c = result.consistency
    assert (c.days, c.written, c.last_days) == (2, 1, 6)
    assert (c.current_streak, c.longest_streak) == (40, 40)


def test_broken_files_are_skipped_and_named(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=4")
    write(demo, "2026-11-11", "---\ndate: [\n---\n")
    result = compute(demo)
    (bad,) = result.skipped_files
    assert bad.path == entry_path(demo, d("2026-11-11")) and "not valid YAML" in bad.error
    assert rows(result)["demo/mood"].overall.answered == 1


def test_days_can_be_read_in_either_direction(fortnight: Home) -> None:
    oldest = [day.date for day in iter_days(fortnight) if not hasattr(day, "error")]
    newest = [
        day.date for day in iter_days(fortnight, newest_first=True) if not hasattr(day, "error")
    ]
    assert oldest == sorted(oldest) and newest == oldest[::-1] and len(oldest) == 6


def test_trends_take_plain_records(fortnight: Home) -> None:
    packs, _ = readable_packs(fortnight)
    days = list(iter_days(fortnight))
    result = trends(days, TrendsQuery(packs, ["demo"], W46_W47, "week", THURSDAY))
    assert rows(result)["demo/mood"].overall == NumberSummary(6, 3.5, 2, 5)
