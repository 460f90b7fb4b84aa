"""`reflect calendar`: a year of days written, shaded by how much was answered."""

import datetime as dt
import json

from reflect.daily.session import add_note
from reflect.journal.cache import iter_days
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from reflect.trends.stats import calendar, shade

from .conftest import Run, answer, d, write


def year_2025(home: Home) -> None:
    answer(home, "2025-01-01", "mood=3")  # a Wednesday: 1 answer
    answer(home, "2025-01-02", "mood=4", "threatened=n", "share=70", "where=chat")  # 4: the most
    add_note(home, d("2025-03-15"), "Only a note today.", [])  # a Saturday: written, no answers
    answer(home, "2025-06-30", "mood=2", "where=meeting", "hours=3")  # a Monday: 3
    answer(home, "2025-12-31", "mood=5", "hours=1")  # a Wednesday: 2


def test_the_calendar_at_80_columns(demo: Home, run: Run) -> None:
    year_2025(demo)
    result = run(["calendar", "--year", "2025"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == (
        "2025  wrote on 5 of 365 days · longest streak 2 days\n"
        "    Jan Feb Mar  Apr May Jun  Jul Aug  Sep Oct Nov  Dec\n"
        "Mon  ·························▓··························\n"
        "Tue  ····················································\n"
        "Wed ░···················································▒\n"
        "Thu █···················································\n"
        "Fri ····················································\n"
        "Sat ··········░·········································\n"
        "Sun ····················································\n"
        "    · none  ░▒▓█ few to most answers (the most: 4 on one day)\n"
    )


def test_a_54_week_year_still_fits_80_columns(demo: Home, run: Run) -> None:
    # 2012 starts on a Sunday and, being a leap year, ends on a Monday: 54 columns of weeks.
    answer(demo, "2012-01-01", "mood=3")
    answer(demo, "2012-12-31", "mood=3")
    result = run(["calendar", "--year", "2012"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert max(len(row) for row in rows) <= 80
    assert rows[2] == "Mon  " + "·" * 52 + "█"
    assert rows[8] == "Sun █" + "·" * 52


def test_days_after_today_are_left_blank() -> None:
    year = calendar([], 2026, today=d("2026-01-07"))
    assert year.consistency.days == 7 and year.days == []


def test_shades_are_shares_of_the_most_answered_day() -> None:
    assert [shade(n, 8) for n in (0, 1, 2, 3, 4, 5, 6, 7, 8)] == [1, 1, 1, 2, 2, 3, 3, 4, 4]
    assert shade(0, 0) == 1


def test_the_calendar_takes_plain_records(demo: Home) -> None:
    year_2025(demo)
    year = calendar(iter_days(demo), 2025, today=d("2026-11-26"))
    assert [(day.date.isoformat(), day.answers, day.level) for day in year.days] == [
        ("2025-01-01", 1, 1),
        ("2025-01-02", 4, 4),
        ("2025-03-15", 0, 1),
        ("2025-06-30", 3, 3),
        ("2025-12-31", 2, 2),
    ]
    assert year.max_answers == 4 and year.consistency.longest_streak == 2


def test_json_keys_are_stable(demo: Home, run: Run) -> None:
    year_2025(demo)
    result = run(["calendar", "--year", "2025", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "format",
        "year",
        "written",
        "days_counted",
        "longest_streak",
        "max_answers",
        "days",
        "skipped_files",
    ]
    assert (data["format"], data["year"], data["written"], data["days_counted"]) == (
        3,
        2025,
        5,
        365,
    )
    assert data["days"][2] == {"date": "2025-03-15", "answer_count": 0, "words": 4, "shade": 1}


def test_an_empty_journal_says_so(demo: Home, run: Run) -> None:
    result = run(["calendar"])
    assert result.exit_code == 0
    assert result.stdout == "Nothing written yet. `reflect today` starts.\n"
    assert result.stderr == ""


def test_a_year_without_entries_is_an_empty_calendar(demo: Home, run: Run) -> None:
    answer(demo, "2025-06-30", "mood=2")
    result = run(["calendar", "--year", "2024"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2024  wrote on 0 of 366 days · longest streak 0 days\n")


def test_broken_files_are_named_and_skipped(demo: Home, run: Run) -> None:
    year_2025(demo)
    write(demo, "2025-02-01", "---\ndate: 2025-02-02\n---\n")
    result = run(["calendar", "--year", "2025"])
    assert result.exit_code == 0, result.output
    path = entry_path(demo, dt.date(2025, 2, 1))
    assert result.stderr == (
        f"reflect: skipped {path}: front matter says date 2025-02-02 but the file is named for "
        "2025-02-01; rename the file or fix the date\n"
    )
    assert "wrote on 5 of 365 days" in result.stdout


def test_a_year_out_of_range_is_a_usage_error(run: Run) -> None:
    result = run(["calendar", "--year", "0"])
    assert result.exit_code == 2
