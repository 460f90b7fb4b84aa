"""Reading back: search, log filters, one question's history, and on this day."""

import datetime as dt
import json
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reflect.errors import UsageError
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from reflect.lookback.queries import Matcher, same_date_earlier
from reflect.render.search import clip
from reflect.render.spark import sparkline

from .conftest import Build, Run, run_in, without_index
from .conftest import answer as save_answer


def write_entry(home: Home, day: str, front: str = "", body: str = "") -> None:
    """An entry file as a person (or an older version of a pack) left it."""
    path = entry_path(home, dt.date.fromisoformat(day))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ndate: {day}\nformat: 1\n{front}---\n{body}", encoding="utf-8")


def three_days(home: Home) -> None:
    """Three days in two years, answered through the command line."""
    run = run_in(home)
    answers = {
        "2025-11-25": ["mood=3", "share=60"],
        "2026-11-24": ["mood=2", "threatened=y", "share=40", "where=meeting"],
        "2026-11-25": ["mood=4", "threatened=n", "share=70", "gratitude=Coffee at the café"],
    }
    for day, values in answers.items():
        args = ["today", "--date", day, "--no-input"]
        for answer in values:
            args += ["--answer", answer]
        assert run(args).exit_code == 0
    run(["write", "--date", "2026-11-24", "Zoë's proposal was picked over mine.", "--tag", "team"])
    run(["write", "--date", "2026-11-25", "CAFE plans with Ana; straße closed.", "--tag", "Team"])
    without_index(home)


@pytest.fixture
def journal(demo: Home, built_once: Callable[[Build], Home]) -> Home:
    """`three_days`, written once per process and copied for each test."""
    return built_once(three_days)


# -- matching ----------------------------------------------------------------------


def test_matching_ignores_case_and_accents_and_maps_spans_back() -> None:
    assert Matcher("cafe").spans("Le Café, CAFÉ") == [(3, 7), (9, 13)]
    assert Matcher("Café").spans("cafe") == [(0, 4)]
    assert Matcher("zoe").spans("Zoë") == [(0, 3)]
    # Decomposed input: e followed by a combining acute accent.
    assert Matcher("cafe").spans("cafe\u0301!") == [(0, 5)]
    # Folding can make a text longer: ß is "ss".
    assert Matcher("strasse").spans("die Straße") == [(4, 10)]
    assert Matcher("ss").spans("ß") == [(0, 1)]
    assert Matcher("nothing").spans("something else") == []


def test_a_regex_matches_the_text_as_written_and_folded() -> None:
    matcher = Matcher(r"caf(e|é)s?\b", regex=True)
    assert matcher.spans("Cafés and cafe") == [(0, 5), (10, 14)]
    assert Matcher("zoe", regex=True).spans("Zoë") == [(0, 3)]
    assert Matcher("^$", regex=True).spans("x") == []


@pytest.mark.parametrize("pattern", ["(", "[a-", "*x", "a{2,1}"])
def test_a_bad_regex_is_a_usage_error(pattern: str) -> None:
    with pytest.raises(UsageError, match="is not a valid regular expression"):
        Matcher(pattern, regex=True)


def test_an_empty_query_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="QUERY is empty"):
        Matcher("  ")


def test_clip_keeps_the_match_in_view() -> None:
    text = "a" * 50 + "NEEDLE" + "b" * 50
    shown, spans = clip(text, [(50, 56)], 30)
    assert len(shown) == 30
    assert shown.startswith("…") and shown.endswith("…")
    (start, end), *_ = spans
    assert shown[start:end] == "NEEDLE"
    assert clip("short", [(0, 5)], 30) == ("short", [(0, 5)])
    shown, spans = clip("NEEDLE" + "b" * 50, [(0, 6)], 30)
    assert shown.startswith("NEEDLE") and spans == [(0, 6)]


# -- search ------------------------------------------------------------------------


def test_search_finds_notes_and_answers_most_recent_first(journal: Home, run: Run) -> None:
    result = run(["search", "cafe"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "2026-11-25 Wednesday  #Team",
        "  One line of gratitude  Coffee at the café",
        f"  {note_heading(journal, '2026-11-25')}  CAFE plans with Ana; straße closed.",
    ]
    assert result.stderr == "2 matching line(s) on 1 day(s).\n"


def note_heading(home: Home, day: str) -> str:
    """The heading `reflect write` gave a note (with the time it was written, on the day itself)."""
    text = entry_path(home, dt.date.fromisoformat(day)).read_text(encoding="utf-8")
    return next(line[3:] for line in text.splitlines() if line.startswith("## Notes"))


def test_search_json_keys_are_pinned(journal: Home, run: Run) -> None:
    result = run(["search", "ZOE", "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert set(document) == {"format", "days"} and document["format"] == 2
    data = document["days"]
    assert [set(day) for day in data] == [{"date", "path", "tags", "matches"}]
    (match,) = data[0]["matches"]
    assert set(match) == {"where", "pack", "prompt", "text", "spans"}
    assert match["text"] == "Zoë's proposal was picked over mine."
    assert match["spans"] == [[0, 3]]
    assert match["pack"] is None and match["prompt"] is None
    assert data[0]["date"] == "2026-11-24"


def test_search_answers_by_their_shown_value(journal: Home, run: Run) -> None:
    data = json.loads(run(["search", "meeting", "--json"]).stdout)["days"]
    assert [
        (d["date"], m["where"], m["pack"], m["prompt"]) for d in data for m in d["matches"]
    ] == [("2026-11-24", "Where did the best conversation happen?", "demo", "where")]
    data = json.loads(run(["search", "70%", "--json"]).stdout)["days"]
    assert [d["date"] for d in data] == ["2026-11-25"]


def test_search_filters(journal: Home, run: Run) -> None:
    def dates(*args: str) -> list[str]:
        result = run(["search", *args, "--json"])
        assert result.exit_code == 0, result.output
        return [day["date"] for day in json.loads(result.stdout)["days"]]

    assert dates("a", "--since", "2026-11-25") == ["2026-11-25"]
    assert dates(".", "--regex", "--until", "2026-11-24") == ["2026-11-24", "2025-11-25"]
    assert dates("a", "--tag", "team") == ["2026-11-25", "2026-11-24"]
    assert dates("a", "--tag", "team", "--tag", "other") == []
    assert dates("4", "--prompt", "demo/mood") == ["2026-11-25"]
    assert dates("4", "--prompt", "demo/share") == ["2026-11-24"]
    assert dates("coffee", "--pack", "demo") == ["2026-11-25"]
    assert dates("ana", "--pack", "demo") == []
    assert dates("^(zo|ca)", "--regex") == ["2026-11-25", "2026-11-24"]


def test_search_reports_a_bad_regex_in_one_line(journal: Home, run: Run) -> None:
    result = run(["search", "(unclosed", "--regex"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "reflect: --regex '(unclosed' is not a valid regular expression: missing ) at position 9\n"
    )


def test_search_with_a_bad_prompt_key_or_no_match(journal: Home, run: Run) -> None:
    bad = run(["search", "x", "--prompt", "mood"])
    assert bad.exit_code == 2
    assert "expected PACK/PROMPT" in bad.stderr
    none = run(["search", "kangaroo"])
    assert none.exit_code == 0
    assert none.stdout == "No matches for 'kangaroo'.\n"
    assert json.loads(run(["search", "kangaroo", "--json"]).stdout) == {"format": 2, "days": []}


def test_search_names_unreadable_files_and_goes_on(journal: Home, run: Run) -> None:
    write_entry(journal, "2026-11-26", front="answers: [\n")
    result = run(["search", "zoe"])
    assert result.exit_code == 0
    assert "2026-11-24" in result.stdout
    assert "2026-11-26.md" in result.stderr and "not valid YAML" in result.stderr


def test_search_shows_untrusted_text_safely(demo: Home, run: Run) -> None:
    write_entry(demo, "2026-11-26", body="\nA \x1b[31mred\x1b[0m word [bold]x[/bold]\n")
    result = run(["search", "red"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "[bold]x[/bold]" in result.stdout


# -- log filters -------------------------------------------------------------------


def log_dates(run: Run, *args: str) -> list[str]:
    result = run(["log", *args, "--json"])
    assert result.exit_code == 0, result.output
    return [day["date"] for day in json.loads(result.stdout)["days"]]


def test_log_filters_by_tag_pack_and_answer(journal: Home, run: Run) -> None:
    assert log_dates(run, "--tag", "TEAM") == ["2026-11-25", "2026-11-24"]
    assert log_dates(run, "--pack", "demo", "-n", "2") == ["2026-11-25", "2026-11-24"]
    assert log_dates(run, "--pack", "growth-mindset") == []
    assert log_dates(run, "--where", "demo/threatened=yes") == ["2026-11-24"]
    assert log_dates(run, "--where", "demo/threatened=n") == ["2026-11-25"]
    assert log_dates(run, "--where", "demo/share=60%") == ["2025-11-25"]
    assert log_dates(run, "--where", "demo/where=meet") == ["2026-11-24"]
    assert log_dates(run, "--where", "demo/where=2") == ["2026-11-24"]
    assert log_dates(run, "--where", "demo/gratitude=CAFE") == ["2026-11-25"]
    assert log_dates(run, "--where", "demo/mood=4", "--tag", "team") == ["2026-11-25"]
    assert log_dates(run, "--where", "demo/mood=4", "--where", "demo/share=40") == []


def test_log_where_compares_numbers(journal: Home, run: Run) -> None:
    assert log_dates(run, "--where", "demo/mood<=2") == ["2026-11-24"]
    assert log_dates(run, "--where", "demo/mood<3") == ["2026-11-24"]
    assert log_dates(run, "--where", "demo/mood>=3") == ["2026-11-25", "2025-11-25"]
    assert log_dates(run, "--where", "demo/mood>3") == ["2026-11-25"]
    assert log_dates(run, "--where", "demo/share>=55", "--where", "demo/share<65") == ["2025-11-25"]
    assert log_dates(run, "--where", "demo/mood!=2") == ["2026-11-25", "2025-11-25"]
    # A day that did not answer never matches, not even !=.
    assert log_dates(run, "--where", "demo/threatened!=yes") == ["2026-11-25"]
    assert log_dates(run, "--where", "demo/where!=chat") == ["2026-11-24"]


def test_log_filter_reads_past_days_that_do_not_match(journal: Home, run: Run) -> None:
    assert log_dates(run, "--where", "demo/mood=3", "-n", "1") == ["2025-11-25"]


def test_log_where_works_with_the_built_in_packs(home: Home, run: Run) -> None:
    key = "growth-mindset/threatened-by-success"
    run(["today", "--date", "2026-11-20", "--no-input", "--answer", f"{key}=yes"])
    run(["today", "--date", "2026-11-21", "--no-input", "--answer", f"{key}=no"])
    assert log_dates(run, "--where", f"{key}=yes") == ["2026-11-20"]
    result = run(["log", "--where", f"{key}=yes"])
    assert result.stdout.startswith("2026-11-20   1 answer(s)")


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("demo/mood", "expected PACK/PROMPT=VALUE"),
        ("mood=3", "expected PACK/PROMPT"),
        (
            "x>3",
            "--where 'x>3': 'x' is not PACK/PROMPT; expected PACK/PROMPT=VALUE "
            "(or !=, <, <=, >, >=), e.g. growth-mindset/threatened-by-success=yes or daily/mood<=2",
        ),
        ("demo/mood=9", "--where demo/mood: 9 is outside 1-5"),
        ("demo/threatened=maybe", "'maybe' is not yes or no"),
        ("demo/threatened<2", "< compares numbers, and demo/threatened is a yes-no question"),
        ("demo/mood<=two", "--where demo/mood<=two: 'two' is not a number"),
        ("demo/mood>=nan", "'nan' is not a number"),
        ("demo/mood>=1_0", "--where demo/mood>=1_0: '1_0' is not a number"),
        ("demo/mood>=10", "--where demo/mood>=10: 10 is outside 1-5"),
        ("demo/mood<0", "--where demo/mood<0: 0 is outside 1-5"),
        ("demo/share>200", "--where demo/share>200: 200 is outside 0-100%"),
    ],
)
def test_log_where_errors_are_usage_errors(
    journal: Home, run: Run, where: str, message: str
) -> None:
    result = run(["log", "--where", where])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_log_says_when_nothing_matches(journal: Home, run: Run) -> None:
    result = run(["log", "--tag", "absent"])
    assert result.exit_code == 0
    assert result.stdout == "No days match.\n"


# -- history -----------------------------------------------------------------------


def test_history_json_keys_and_order(journal: Home, run: Run) -> None:
    result = run(["history", "demo/mood", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "format",
        "pack",
        "prompt",
        "question",
        "type",
        "in_pack",
        "summary",
        "answers",
    }
    assert data["format"] == 2
    assert data["question"] == "How was your mood today?"
    assert data["type"] == "scale" and data["in_pack"] is True
    assert data["summary"] == {"count": 3, "mean": 3.0, "min": 2, "max": 4}
    assert [set(a) for a in data["answers"]] == [
        {
            "date",
            "value",
            "shown",
            "follow_up",
            "version",
            "question",
            "defined_in",
            "fits",
            "counted",
            "left_out_reason",
        }
    ] * 3
    assert [(a["date"], a["value"]) for a in data["answers"]] == [
        ("2026-11-25", 4),
        ("2026-11-24", 2),
        ("2025-11-25", 3),
    ]
    oldest = json.loads(run(["history", "demo/mood", "--json", "--oldest-first"]).stdout)
    assert [a["date"] for a in oldest["answers"]] == ["2025-11-25", "2026-11-24", "2026-11-25"]
    since = json.loads(run(["history", "demo/mood", "--json", "--since", "2026-01-01"]).stdout)
    assert len(since["answers"]) == 2


def test_history_for_people_has_a_sparkline(journal: Home, run: Run) -> None:
    result = run(["history", "demo/mood", "--oldest-first"])
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[:4] == [
        "How was your mood today?",
        "demo/mood",
        "3 answer(s) · average 3, lowest 2, highest 4",
        "2025-11-25 ▅▃▆ 2026-11-25",
    ]
    assert lines[5:] == ["date        answer", "2025-11-25  3", "2026-11-24  2", "2026-11-25  4"]


def test_history_of_yes_no_carries_the_follow_up(demo: Home, run: Run) -> None:
    write_entry(
        demo,
        "2026-11-24",
        front="packs:\n  demo: 1.0.0\nanswers:\n  demo:\n    threatened: true\n",
        body="\n## Whose, and what was the pang about?\n\nSam's, at the review.\n",
    )
    data = json.loads(run(["history", "demo/threatened", "--json"]).stdout)
    assert data["summary"] == {"count": 1, "yes": 1, "no": 0}
    assert data["answers"] == [
        {
            "date": "2026-11-24",
            "value": True,
            "shown": "yes",
            "follow_up": "Sam's, at the review.",
            "version": "1.0.0",
            "question": "Did someone's success feel threatening today?",
            "defined_in": "1.0.0",
            "fits": True,
            "counted": True,
            "left_out_reason": None,
        }
    ]
    shown = run(["history", "demo/threatened"]).stdout
    assert "yes" in shown and "Sam's, at the review." in shown
    assert "▁" not in shown


def test_history_outlives_a_pack_upgrade(demo: Home, run: Run) -> None:
    # Version 0.9 of the demo pack asked "energy"; the installed 1.0.0 no longer has it.
    write_entry(demo, "2026-01-05", front="packs: {demo: 0.9.0}\nanswers: {demo: {energy: 2}}\n")
    write_entry(demo, "2026-01-06", front="packs: {demo: 0.9.0}\nanswers: {demo: {energy: 5}}\n")
    write_entry(demo, "2026-01-07", front="packs: {demo: 1.0.0}\nanswers: {demo: {mood: 3}}\n")
    result = run(["history", "demo/energy", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["in_pack"] is False and data["question"] is None and data["type"] is None
    assert [(a["date"], a["value"], a["version"]) for a in data["answers"]] == [
        ("2026-01-06", 5, "0.9.0"),
        ("2026-01-05", 2, "0.9.0"),
    ]
    shown = run(["history", "demo/energy", "--oldest-first"]).stdout
    assert shown.splitlines()[0] == "demo/energy (no longer in the pack)"
    assert "2026-01-05 ▁█ 2026-01-06" in shown
    assert log_dates(run, "--where", "demo/energy=5") == ["2026-01-06"]
    assert (
        json.loads(run(["search", "5", "--prompt", "demo/energy", "--json"]).stdout)["days"][0][
            "matches"
        ][0]["where"]
        == "demo/energy"
    )


def test_history_of_an_unknown_question(demo: Home, run: Run) -> None:
    result = run(["history", "demo/nope"])
    assert result.exit_code == 1
    assert result.stderr.startswith("reflect: pack 'demo' has no prompt 'nope'")
    assert "its prompts are mood, threatened, share" in result.stderr
    gone = run(["history", "gone/mood"])
    assert gone.exit_code == 1 and gone.stderr == (
        "reflect: no pack with id 'gone' and no entry answers 'gone/mood'; "
        "`reflect packs list` shows the packs\n"
    )
    empty = run(["history", "demo/hours"])
    assert empty.exit_code == 0
    assert empty.stdout == "No answers yet to demo/hours.\n"


def test_sparkline_scales_and_buckets() -> None:
    assert sparkline([1, 2, 3, 4, 5], 1, 5) == "▁▃▅▆█"
    assert sparkline([0, 100], 0, 100) == "▁█"
    assert sparkline([3, 3], 3, 3) == "▅▅"
    assert sparkline([], 0, 1) == ""
    assert len(sparkline([float(i) for i in range(500)], 0, 499, width=50)) == 50


# -- on this day -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "kept"),
    [
        ("2026-11-25", ["2025-11-25"]),
        # A common year's 28 February brings back earlier leap days too.
        ("2025-02-28", ["2024-02-29", "2024-02-28", "2023-02-28"]),
        # A leap year's 28 February does not: 29 February comes tomorrow.
        ("2028-02-28", ["2025-02-28", "2024-02-28", "2023-02-28"]),
        ("2028-02-29", ["2024-02-29"]),
        ("2025-03-01", ["2024-03-01"]),
    ],
)
def test_on_this_day_across_leap_days(demo: Home, run: Run, today: str, kept: list[str]) -> None:
    for day in (
        "2023-02-28",
        "2024-02-28",
        "2024-02-29",
        "2024-03-01",
        "2025-02-28",
        "2025-11-25",
        "2028-02-27",
    ):
        write_entry(demo, day, body=f"\nWritten on {day}.\n")
    result = run(["show", "--on-this-day", today, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["format"], document["date"]) == (3, today)
    data = document["entries"]
    assert [d["date"] for d in data] == [d for d in kept if d < today]
    if data:
        assert set(data[0]) == {
            "date",
            "path",
            "tags",
            "packs",
            "answers",
            "questions",
            "sections",
            "notes",
            "years_ago",
        }


def test_same_date_earlier_never_includes_this_year() -> None:
    keeps = same_date_earlier(dt.date(2025, 2, 28))
    assert keeps(dt.date(2024, 2, 29))
    assert not keeps(dt.date(2025, 2, 28))
    assert not keeps(dt.date(2026, 2, 28))


def test_on_this_day_for_people(journal: Home, run: Run) -> None:
    write_entry(journal, "2024-02-29", body="\nLeap day walk.\n")
    result = run(["show", "--on-this-day", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("2025: 1 year ago ──")
    assert "Tuesday 25 November 2025" in result.stdout
    leap = run(["show", "--on-this-day", "2025-02-28"])
    assert leap.stdout.splitlines()[0].startswith("2024: 1 year ago (on 29 February) ──")
    assert "Leap day walk." in leap.stdout
    none = run(["show", "--on-this-day", "2026-01-01"])
    assert none.exit_code == 0
    assert none.stdout == "Nothing written on 01 January in earlier years.\n"


def test_several_words_match_in_any_order_each_highlighted() -> None:
    matcher = Matcher("took my idea")
    text = "the they-took-my-idea pang"
    assert matcher.spans(text) == [(9, 13), (14, 16), (17, 21)]
    assert Matcher("idea pang").spans("pang about an idea") == [(0, 4), (14, 18)]
    assert Matcher("idea kangaroo").spans("an idea") == []


def test_clip_starts_at_a_word() -> None:
    text = "Noticed the they-took-my-idea pang when Jonas presented the café search fix."
    shown, spans = clip(text, [(60, 64)], 40)
    assert shown.startswith("…") and not shown[1].isspace()
    assert shown[1:].split()[0] in text.split()
    assert shown[spans[0][0] : spans[0][1]] == "café"


def test_log_counts_notes_on_days_without_answers(demo: Home, run: Run) -> None:
    run(["write", "--date", "2026-11-24", "First."])
    run(["write", "--date", "2026-11-24", "Second."])
    run(["today", "--date", "2026-11-25", "--no-input", "--answer", "mood=4"])
    assert run(["log"]).stdout.splitlines() == [
        "2026-11-25   1 answer(s)  ",
        "2026-11-24   2 note(s)    First. Second.",
    ]


@given(
    text=st.text(st.sampled_from("ab cé"), min_size=1, max_size=200),
    start=st.integers(0, 199),
    length=st.integers(1, 10),
    room=st.integers(20, 80),
)
def test_clip_never_overflows_and_keeps_the_first_match_whole(
    text: str, start: int, length: int, room: int
) -> None:
    start = min(start, len(text) - 1)
    end = min(start + length, len(text))
    shown, spans = clip(text, [(start, end)], room)
    assert len(shown) <= max(room, len(text) if len(text) <= room else room)
    (a, b), *_ = spans
    assert shown[a:b] == text[start:end]


def test_history_leaves_out_values_that_do_not_fit(demo: Home, run: Run) -> None:
    for day, mood in (("2026-11-23", "3"), ("2026-11-24", "5")):
        assert (
            run(["today", "--date", day, "--no-input", "--answer", f"mood={mood}"]).exit_code == 0
        )
    path = entry_path(demo, dt.date(2026, 11, 24))
    path.write_text(
        path.read_text(encoding="utf-8").replace("mood: 5", "mood: 9"), encoding="utf-8"
    )
    data = json.loads(run(["history", "demo/mood", "--json"]).stdout)
    assert data["summary"] == {"count": 1, "left_out_count": 1, "mean": 3, "min": 3, "max": 3}
    assert [a["fits"] for a in data["answers"]] == [False, True]  # newest first
    shown = run(["history", "demo/mood"]).stdout
    assert "1 left out (they don't fit the question)" in shown
    assert "9  (left out: 9 is outside 1-5)" in shown


ascii_text = st.text(st.sampled_from("ab cdefghij  klmnopqrst-.,'…"), max_size=300)


@settings(deadline=None)
@given(text=ascii_text, width=st.integers(min_value=1, max_value=120))
def test_plain_lines_wrap_exactly_as_rich_draws_them(text: str, width: int) -> None:
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    from reflect.render.plain import wrap

    out = StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, markup=False).print(
        Text(text)
    )
    assert "".join(f"{line}\n" for line in wrap(text, width)) == out.getvalue()


@given(
    text=st.text(st.sampled_from("ab cdefghij    klm-.…é\t"), max_size=300),
    width=st.integers(min_value=1, max_value=120),
    fold=st.booleans(),
)
def test_wrapping_by_rfind_cuts_where_wrapping_word_by_word_does(
    text: str, width: int, fold: bool
) -> None:
    from reflect.render.plain import _wrap_any, wrap

    assert wrap(text, width, fold=fold) == _wrap_any(text, width, fold=fold)


@settings(deadline=None)
@given(
    where=st.text(st.sampled_from("Notes (09:00) what did you"), max_size=90),
    text=ascii_text.filter(lambda t: "a" in t),
    tags=st.lists(st.sampled_from(["team", "launch", "one-to-one"]), max_size=2),
    width=st.integers(min_value=20, max_value=120),
    first=st.booleans(),
)
def test_plain_search_results_are_what_rich_draws(
    where: str, text: str, tags: list[str], width: int, first: bool
) -> None:
    from io import StringIO

    from rich.console import Console

    from reflect.lookback.queries import DayHits, Hit, Line
    from reflect.render.plain import day_hits_lines
    from reflect.render.search import day_hits_view

    spans = Matcher("a").spans(text)
    day = DayHits(dt.date(2026, 11, 24), "x.md", tags, [Hit(Line(where, text), spans)])
    out = StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False, markup=False)
    for part in day_hits_view(day, width, first=first):
        console.print(part)
    assert day_hits_lines(day, width, first=first) == out.getvalue()


cell_text = st.text(st.sampled_from("ab cdefghij  klmnopqrst-.,'…↳é\n"), max_size=120)


@settings(deadline=None)
@given(
    rows=st.lists(st.tuples(st.sampled_from(["2026-11-20", "2026-11-21"]), cell_text), max_size=6),
    width=st.integers(min_value=30, max_value=120),
)
def test_plain_tables_are_what_rich_draws(rows: list[tuple[str, str]], width: int) -> None:
    from io import StringIO

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from reflect.render.plain import two_column_table

    table = Table(show_header=True, box=None, padding=(0, 2, 0, 0), expand=False)
    table.add_column("date", no_wrap=True)
    table.add_column("answer")
    for date, answer in rows:
        table.add_row(Text(date), Text(answer))
    out = StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, markup=False).print(table)
    assert two_column_table(("date", "answer"), rows, width) == out.getvalue()


def test_log_counts_text_answers_and_follow_ups(journal: Home, run: Run) -> None:
    """2026-11-25: mood, threatened, share and the gratitude text; 2026-11-24 adds a follow-up."""
    result = run(["today", "--date", "2026-11-24", "--no-input", "--answer",
                  "demo/threatened/follow-up=Sam's launch"])  # fmt: skip
    assert result.exit_code == 0, result.output
    days = json.loads(run(["log", "--json"]).stdout)["days"]
    counts = {day["date"]: day["answer_count"] for day in days}
    assert counts == {"2026-11-25": 4, "2026-11-24": 5, "2025-11-25": 2}
    assert "2026-11-25   4 answer(s)" in run(["log"]).stdout


@pytest.mark.parametrize(
    "command",
    [
        ["log"],
        ["search", "coffee"],
        ["history", "demo/mood"],
        ["trends"],
        ["export", "--from", "2026-11-20", "--to", "2026-11-10"],
    ],
)
def test_a_reversed_range_is_refused_by_every_command_alike(
    journal: None, run: Run, command: list[str]
) -> None:
    """One check of the order: before, search and history printed "No answers yet"."""
    args = (
        command
        if command[0] == "export"
        else [*command, "--since", "2026-11-20", "--until", "2026-11-10"]
    )
    result = run(args)
    first, last = ("--from", "--to") if command[0] == "export" else ("--since", "--until")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.strip().endswith(
        f"{first} 2026-11-20 is after {last} 2026-11-10: swap them"
    )


def test_answer_count_is_answers_given_in_today_log_and_calendar(demo: Home, run: Run) -> None:
    """Three values and a written answer are 4 answers everywhere (log counted values only: 3)."""
    args = ["today", "--date", "2026-11-24", "--no-input"]
    for answer in ["mood=2", "threatened=y", "share=40", "gratitude=Coffee at the café"]:
        args += ["--answer", answer]
    saved = run(args)
    assert saved.exit_code == 0, saved.output
    assert saved.stderr.startswith("Saved 4 answer(s) to ")
    assert run(["write", "--date", "2026-11-24", "A note is not an answer."]).exit_code == 0
    log = run(["log"])
    assert log.exit_code == 0, log.output
    assert log.stdout.startswith("2026-11-24   4 answer(s)  ")
    day = json.loads(run(["log", "--json"]).stdout)["days"][0]
    assert (day["answer_count"], day["note_count"]) == (4, 1)
    calendar = json.loads(run(["calendar", "--year", "2026", "--json"]).stdout)
    counted = [d["answer_count"] for d in calendar["days"] if d["date"] == "2026-11-24"]
    assert counted == [4]


def test_where_text_equals_is_contains_and_not_equals_is_does_not_contain(
    journal: Home, run: Run
) -> None:
    save_answer(journal, "2026-11-20", "gratitude=Tea with a FRIEND")
    save_answer(journal, "2026-11-21", "gratitude=a quiet walk")
    span = ["--since", "2026-11-20", "--until", "2026-11-21"]
    assert log_dates(run, "--where", "demo/gratitude=friend", *span) == ["2026-11-20"]
    assert log_dates(run, "--where", "demo/gratitude!=friend", *span) == ["2026-11-21"]


def test_an_answer_written_with_underscores_is_no_number(journal: Home, run: Run) -> None:
    result = run(["today", "--no-input", "--date", "2026-11-20", "--answer", "demo/share=1_0"])
    assert result.exit_code != 0
    assert "'1_0' is not a number" in result.output


def test_sparkline_marks_take_one_cell_as_rich_measures_them() -> None:
    """The plain history writes its sparkline without Rich, so each mark must be one cell."""
    from rich.cells import cell_len

    from reflect.render.spark import NO_DATA, SPARKS

    assert [cell_len(mark) for mark in SPARKS + NO_DATA] == [1] * (len(SPARKS) + 1)


@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=12))
def test_one_cell_refuses_a_tab_and_every_character_from_u0300_but_two(text: str) -> None:
    from reflect.render.plain import one_cell

    rest = text.replace("…", "").replace("↳", "")
    assert one_cell(text) == all(c != "\t" and ord(c) < 0x300 for c in rest)


def test_one_cell_on_the_edges_of_its_range() -> None:
    from reflect.render.plain import one_cell

    assert one_cell("") and one_cell("plain") and one_cell("é … ↳ \u02ff")
    assert not one_cell("a\tb") and not one_cell("\u0300") and not one_cell("月")
    assert not one_cell("…\t") and not one_cell("\U0010ffff")


@settings(deadline=None)
@given(
    answers=st.lists(
        st.tuples(st.integers(min_value=1, max_value=5), st.one_of(st.none(), cell_text)),
        min_size=1,
        max_size=8,
    ),
    width=st.integers(min_value=30, max_value=120),
)
def test_plain_history_is_what_rich_draws(
    answers: list[tuple[int, str | None]], width: int
) -> None:
    import datetime as dt
    from io import StringIO

    from rich.console import Console

    from reflect.lookback.queries import Answer, History
    from reflect.model.pack import ScalePrompt
    from reflect.render.history import history_text, history_view

    question = ScalePrompt(id="mood", text="How is your mood?", type="scale", min=1, max=5)
    found = History("daily", "mood", question)
    for day, (value, follow_up) in enumerate(answers, start=1):
        found.answers.append(
            Answer(dt.date(2026, 11, day), value, follow_up, None, shown=str(value))
        )
    out = StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False, markup=False)
    for part in history_view(found, newest_first=True, width=width):
        console.print(part)
    assert history_text(found, newest_first=True, width=width) == out.getvalue()
