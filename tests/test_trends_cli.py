"""`reflect trends` on the command line: exact tables, JSON keys, messages and exit codes."""

import io
import json
import re

import pytest

from reflect.journal.home import Home
from reflect.journal.store import entry_path
from reflect.model.dates import DateRange
from reflect.packs.library import readable_packs
from reflect.trends.stats import TrendsQuery, load_trends

from .conftest import Run, answer, d, write

# A range wholly in the past, so the day the tests run does not move the numbers.
FORTNIGHT = ["trends", "--since", "2026-11-09", "--until", "2026-11-22"]


def lines(text: str) -> str:
    """Rich pads table lines to the full width; the comparison is about what is written."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def test_a_table_per_pack_at_80_columns(fortnight: Home, run: Run) -> None:
    result = run(FORTNIGHT, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert lines(result.stdout) == (
        "Trends from Mon 9 Nov 2026 to Sun 22 Nov 2026, by week\n"
        "\n"
        "Demo pack (demo)\n"
        "question                                             W46      W47  change  trend\n"
        "────────────────────────────────────────────────────────────────────────────────\n"
        "How was your mood today?                             3.0      4.0   ▲ 1.0  ▅▆\n"
        "Did someone's success feel threatening today?        2/3      1/3   ▼ 33%  ▆▃\n"
        "What share of today did you spend partnering?       55%✗     75%✓   ▲ 20%  ▅▆\n"
        "(target at least 70%)\n"
        "Where did the best conversation happen? (trend:      50%      67%   ▲ 17%  ▅▆\n"
        "meeting)                                         meeting  meeting\n"
        "How many hours of focused work?                     7.0h     7.5h  ▲ 0.5h  ▃▃\n"
        "One line of gratitude                              2d 7w    1d 1w    ▼ 6w  █▁\n"
        "Rotating question A?                                   ·        ·          ··\n"
        "Rotating question B?                                   ·        ·          ··\n"
        "What will you carry into next week?                    ·        ·          ··\n"
        "\n"
        "yes-no: days yes/answered · scale, number: mean, ✓ target met · choice: top\n"
        "answer, its share · text: days, words\n"
        "\n"
        "Consistency  wrote on 6 of 14 days · answered 3 of the last 7 · streak 0 days,\n"
        "             longest 2 days\n"
        "Tags         #team 2 · #launch 1\n"
    )


def test_one_week_by_day_shows_each_answer(fortnight: Home, run: Run) -> None:
    result = run(["trends", "--week", "2026-W47", "--prompt", "demo/share"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == (
        "Trends from Mon 16 Nov 2026 to Sun 22 Nov 2026, by day\n"
        "\n"
        "Demo pack (demo)\n"
        "                             Mon   Tue  Wed  Thu  Fri  Sat  Sun\n"
        "question                      16    17   18   19   20   21   22  change  trend\n"
        "────────────────────────────────────────────────────────────────────────────────\n"
        "What share of today did     80%✓  70%✓    ·    ·    ·    ·    ·   ▼ 10%  ▇▆·····\n"
        "you spend partnering?\n"
        "(target at least 70%)\n"
        "\n"
        "✓ target met · text: words written\n"
        "\n"
        "Consistency  wrote on 3 of 7 days · answered 3 of the last 7 · streak 0 days,\n"
        "             longest 2 days\n"
        "Tags         #team 2 · #launch 1\n"
    )


def test_retired_prompts_and_left_out_values_at_100_columns(demo: Home, run: Run) -> None:
    answer(demo, "2026-11-10", "mood=4")
    write(
        demo,
        "2026-11-11",
        "---\ndate: 2026-11-11\npacks: {demo: 0.9.0, focus: 1.0.0}\nanswers:\n"
        "  demo:\n    mood: great\n    old-question: true\n  focus:\n    deep-work: 2.5\n---\n",
    )
    answer(demo, "2026-11-17", "mood=2")
    result = run([*FORTNIGHT, "--min-max"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    path = entry_path(demo, d("2026-11-11"))
    assert result.stderr == (
        f"reflect: {path}: demo/mood: expected a number from 1-5, found 'great'; skipped\n"
    )
    shown = lines(result.stdout)
    assert (
        "How was your mood today?                                                 4.0  2.0   ▼ 2.0  ▆▃\n"
        "                                                                         4-4  2-2\n"
    ) in shown
    assert (
        "demo/old-question retired                                                1/1    ·          █·\n"
        in shown
    )
    assert shown.endswith(
        "focus retired\n"
        "question                                                                 W46  W47  change  trend\n"
        "────────────────────────────────────────────────────────────────────────────────────────────────\n"
        "focus/deep-work                                                          2.5    ·          ▅·\n"
        "                                                                     2.5-2.5\n"
        "\n"
        "yes-no: days yes/answered · scale, number: mean, ✓ target met · choice: top answer, its share ·\n"
        "text: days, words\n"
        "\n"
        "Consistency  wrote on 3 of 14 days · answered 1 of the last 7 · streak 0 days, longest 2 days\n"
        "Left out     1 answer that does not fit the prompt: named on stderr and in --json\n"
    )


def test_json_keys_are_stable(fortnight: Home, run: Run) -> None:
    result = run([*FORTNIGHT, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "format",
        "range",
        "periods",
        "packs",
        "consistency",
        "tags",
        "problems",
        "skipped_files",
    ]
    assert data["format"] == 3
    assert data["range"] == {"start": "2026-11-09", "end": "2026-11-22", "by": "week"}
    assert data["periods"][0] == {
        "label": "2026-W46",
        "start": "2026-11-09",
        "end": "2026-11-15",
        "days": 7,
        "partial": False,
    }
    (pack,) = data["packs"]
    assert list(pack) == ["id", "name", "retired", "prompts"]
    by_id = {row["id"]: row for row in pack["prompts"]}
    assert list(by_id["share"]) == [
        "id",
        "text",
        "type",
        "retired",
        "unit",
        "target",
        "follows",
        "periods",
        "overall",
        "change",
        "skipped",
        "earlier",
        "versions",
    ]
    assert by_id["share"]["target"] == {"value": 70.0, "direction": "at-least", "within": 0.0}
    assert by_id["share"]["periods"] == [
        {"answered": 2, "mean": 55.0, "min": 50, "max": 60, "distance": -15.0, "met": False},
        {"answered": 2, "mean": 75.0, "min": 70, "max": 80, "distance": 5.0, "met": True},
    ]
    assert by_id["share"]["change"] == {"from": "2026-W46", "to": "2026-W47", "delta": 20.0}
    assert by_id["threatened"]["overall"] == {"answered": 6, "yes": 3, "share": 0.5}
    assert by_id["where"]["periods"][1] == {
        "answered": 3,
        "top": "meeting",
        "share": 0.6667,
        "counts": {"meeting": 2, "one-to-one": 1},
    }
    assert by_id["where"]["follows"] == "meeting"
    assert by_id["gratitude"]["overall"] == {"answered": 3, "words": 8}
    assert by_id["rot-a"]["change"] is None
    assert data["consistency"] == {
        "days": 14,
        "written": 6,
        "last_7_days": 3,
        "current_streak": 0,
        "longest_streak": 2,
    }
    assert data["tags"] == [{"tag": "team", "days": 2}, {"tag": "launch", "days": 1}]
    assert data["problems"] == [] and data["skipped_files"] == []


def test_json_names_problems_and_broken_files(demo: Home, run: Run) -> None:
    write(demo, "2026-11-10", "---\ndate: 2026-11-10\nanswers:\n  demo:\n    mood: 9\n---\n")
    write(demo, "2026-11-12", "---\ndate: [\n---\n")
    result = run([*FORTNIGHT, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["problems"] == [
        {
            "path": str(entry_path(demo, d("2026-11-10"))),
            "date": "2026-11-10",
            "pack": "demo",
            "prompt": "mood",
            "value": 9,
            "message": "9 is outside 1-5",
        }
    ]
    (broken,) = data["skipped_files"]
    assert list(broken) == ["path", "error"]
    assert broken["path"] == str(entry_path(demo, d("2026-11-12")))
    assert result.stderr.splitlines()[0].startswith(f"reflect: skipped {broken['path']}:")


def test_an_empty_journal_says_so_and_succeeds(demo: Home, run: Run) -> None:
    result = run(["trends"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Nothing written yet. `reflect today` starts.\n"
    assert result.stderr == ""


def test_an_empty_range_in_a_journal_with_entries(demo: Home, run: Run) -> None:
    answer(demo, "2026-10-01", "mood=3")
    result = run(FORTNIGHT)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Nothing written from 2026-11-09 to 2026-11-22. `reflect log` lists the days you wrote.\n"
    )


def test_broken_entry_files_are_named_on_stderr_and_skipped(fortnight: Home, run: Run) -> None:
    broken = entry_path(fortnight, d("2026-11-12"))
    broken.write_text("---\ndate: 2026-11-12\nanswers: {demo: {mood: [}\n---\n", encoding="utf-8")
    result = run(FORTNIGHT, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert (
        result.stderr.startswith(f"reflect: skipped {broken}:")
        and "not valid YAML" in result.stderr
    )
    assert len(result.stderr.splitlines()) == 1
    assert "How was your mood today?                             3.0      4.0" in result.stdout


def test_many_left_out_values_are_summed_up_after_ten(demo: Home, run: Run) -> None:
    for day in range(1, 13):
        write(
            demo,
            f"2026-10-{day:02d}",
            f"---\ndate: 2026-10-{day:02d}\nanswers: {{demo: {{mood: x}}}}\n---\n",
        )
    result = run(["trends", "--month", "2026-10"])
    assert result.exit_code == 0, result.output
    errors = result.stderr.splitlines()
    assert len(errors) == 11
    assert errors[-1] == (
        "reflect: ... and 2 more answers that do not fit their prompt; --json lists them all"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--week", "2026-W54"],
            "--week '2026-W54' is not a week: use YYYY-Www (e.g. 2026-W48), this or last",
        ),
        (
            ["--month", "2026-13"],
            "--month '2026-13' is not a month: use YYYY-MM (e.g. 2026-11), this or last",
        ),
        (
            ["--since", "soon"],
            "--since 'soon' is not a day: use YYYY-MM-DD (e.g. 2026-11-26), today or yesterday",
        ),
        (
            ["--week", "this", "--month", "this"],
            "--week and --month cannot be used together: choose one",
        ),
        (
            ["--prompt", "mood"],
            "--prompt 'mood': expected PACK/PROMPT, e.g. growth-mindset/threatened-by-success",
        ),
        (
            ["--pack", "daily", "--prompt", "demo/mood"],
            "--prompt demo/mood is not in --pack daily: give one or the other",
        ),
    ],
)
def test_bad_options_are_usage_errors_in_one_line(
    demo: Home, run: Run, args: list[str], message: str
) -> None:
    result = run(["trends", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"reflect: {message}\n"


def test_an_unknown_pack_is_an_error(demo: Home, run: Run) -> None:
    result = run([*FORTNIGHT, "--pack", "nope"])
    assert result.exit_code == 1
    assert (
        result.stderr == "reflect: no pack with id 'nope'; `reflect packs list` shows the packs\n"
    )


def test_a_bad_by_is_typers_usage_error(demo: Home, run: Run) -> None:
    result = run(["trends", "--by", "year"])
    assert result.exit_code == 2
    assert "'year' is not one of 'day', 'week', 'month'" in result.stderr


def test_more_periods_than_fit_show_the_latest(fortnight: Home, run: Run) -> None:
    result = run([*FORTNIGHT, "--by", "day"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "The last 8 of 14 days fit this wide: a shorter range, a longer --by or a wider "
    )


def sgr_codes(text: str) -> set[str]:
    """The display attributes a terminal is asked for: 1 bold, 2 dim, 3 italic, 3x/9x/38 colours."""
    return {code for group in re.findall(r"\x1b\[([0-9;]*)m", text) for code in group.split(";")}


def test_no_color_is_respected(fortnight: Home, run: Run) -> None:
    assert "\x1b[" not in run(FORTNIGHT).stdout  # not a terminal
    plain = run(FORTNIGHT, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert sgr_codes(plain.stdout) <= {"0", "1", "2", "3"}  # bold, dim and italic only
    coloured = run(FORTNIGHT, env={"NO_COLOR": None, "FORCE_COLOR": "1"})
    assert sgr_codes(coloured.stdout) - {"0", "1", "2", "3"}


def test_colour_only_repeats_what_the_text_says(fortnight: Home) -> None:
    """With the escape codes taken out, the coloured table is the plain one, character for character."""
    from rich.console import Console

    from reflect.render.trends import trends_view

    packs, _ = readable_packs(fortnight)
    span = DateRange(d("2026-11-09"), d("2026-11-22"))
    result = load_trends(fortnight, TrendsQuery(packs, ["demo"], span, "week", d("2026-11-19")))
    outputs = []
    for colour in (None, "truecolor"):
        out = io.StringIO()
        console = Console(
            width=90, file=out, color_system=colour, force_terminal=colour is not None
        )
        for part in trends_view(result, width=90):
            console.print(part)
        outputs.append(out.getvalue())
    plain, coloured = outputs
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_more_periods_than_anyone_reads_is_a_usage_error(demo: Home, run: Run) -> None:
    result = run(["trends", "--since", "2020-01-01", "--until", "2026-11-22", "--by", "day"])
    assert result.exit_code == 2
    assert result.stderr == (
        "reflect: by day from 2020-01-01 to 2026-11-22 is 2518 periods, more than 1500: "
        "choose a longer --by or a shorter range\n"
    )


def test_json_on_stdout_is_complete_and_ends_with_a_newline(fortnight: Home, run: Run) -> None:
    result = run([*FORTNIGHT, "--json"])
    assert result.stdout.endswith("}\n")
    assert json.loads(result.stdout)["range"]["by"] == "week"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["trends", "--since", "0001-01-01", "--until", "0001-01-01", "--by", "week"], "Nothing"),
        (["trends", "--since", "0001-01-01", "--until", "0001-01-03", "--by", "day"], "Nothing"),
        (["trends", "--since", "9999-12-01", "--until", "9999-12-31", "--by", "week"], "Nothing"),
        (["export", "--since", "0001-01-01", "--until", "0001-01-07", "--with-previous", "3"], "#"),
        (["export", "--since", "9999-12-25", "--until", "9999-12-31"], "#"),
    ],
)
def test_ranges_at_the_calendars_ends_are_summed_up(
    fortnight: Home, run: Run, args: list[str], said: str
) -> None:
    """The last seven days, or the weeks before, of the calendar's first days reach before
    it: counted as far as it goes."""
    result = run(args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith(said), result.stdout
