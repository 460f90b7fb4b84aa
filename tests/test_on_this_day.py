"""On this day over many years: the most recent years by default, and a day drawn without Rich."""

import datetime as dt
import json
from io import StringIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from reflect.journal.home import Home
from reflect.journal.store import entry_path, read_entry
from reflect.lookback.queries import on_this_day
from reflect.packs.versions import given_answers, pack_versions
from reflect.render.day import entry_text, entry_view
from reflect.render.plain import answer_table, markdown_text
from reflect.render.this_day import this_day_text, this_day_view

from .conftest import Run, search_in_process
from .conftest import answer as save_answer
from .test_cli import imported_by
from .test_lookback import write_entry


def drawn(parts: list[object], width: int) -> str:
    """What Rich writes for these parts into a file: no colour, as a pipe gets it."""
    out = StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False, markup=False)
    for part in parts:
        console.print(part)
    return out.getvalue()


def every_year(home: Home, first: int, last: int, day: str = "11-26") -> None:
    for year in range(first, last + 1):
        write_entry(home, f"{year}-{day}", body=f"\n## Notes\n\nWritten in {year}.\n")


# -- the most recent years, and --all ------------------------------------------------


def test_a_long_journal_shows_its_ten_most_recent_years_and_says_how_many_more(
    demo: Home, run: Run
) -> None:
    every_year(demo, 2010, 2025)
    result = run(["show", "--on-this-day", "2026-11-26"])
    assert result.exit_code == 0, result.output
    labels = [line.split(" ─")[0] for line in result.stdout.splitlines() if " ──" in line]
    assert labels == [f"{year}: {2026 - year} year{'s' * (year != 2025)} ago" for year in
                      range(2025, 2015, -1)]  # fmt: skip
    assert "Written in 2016." in result.stdout
    assert "Written in 2015." not in result.stdout
    assert result.stderr == (
        "6 more earlier years on 26 November; "
        "`reflect show --on-this-day 2026-11-26 --all` shows them.\n"
    )
    every = run(["show", "--on-this-day", "2026-11-26", "--all"])
    assert every.exit_code == 0, every.output
    assert every.stdout.startswith(result.stdout)
    assert every.stdout.count(" ago ──") == 16
    assert "Written in 2010." in every.stdout
    assert every.stderr == ""


def test_one_year_more_is_said_in_the_singular(demo: Home, run: Run) -> None:
    every_year(demo, 2015, 2025)
    result = run(["show", "--on-this-day", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "1 more earlier year on 26 November; "
        "`reflect show --on-this-day 2026-11-26 --all` shows it.\n"
    )


def test_ten_years_or_fewer_are_all_shown_without_a_word(demo: Home, run: Run) -> None:
    every_year(demo, 2016, 2025)
    result = run(["show", "--on-this-day", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count(" ago ──") == 10
    assert result.stderr == ""


def test_json_keeps_every_year(demo: Home, run: Run) -> None:
    every_year(demo, 2010, 2025)
    result = run(["show", "--on-this-day", "2026-11-26", "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    dates = [e["date"] for e in json.loads(result.stdout)["entries"]]
    assert dates == [f"{year}-11-26" for year in range(2025, 2009, -1)]
    assert run(["show", "--on-this-day", "2026-11-26", "--json", "--all"]).stdout == result.stdout


def test_all_without_on_this_day_is_a_usage_error(demo: Home, run: Run) -> None:
    every_year(demo, 2025, 2025)
    result = run(["show", "2025-11-26", "--all"])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.strip().endswith("--all goes with --on-this-day")


def test_a_leap_day_and_the_28th_of_one_year_count_as_one_year(demo: Home) -> None:
    """On a common year's 28 February, a leap year brings two days: one year, read whole."""
    for day in ("2012-02-28", "2012-02-29", "2016-02-28", "2016-02-29", "2020-02-28", "2024-02-29"):
        write_entry(demo, day, body=f"\nWritten on {day}.\n")
    found = on_this_day(demo, dt.date(2025, 2, 28), years=2)
    assert [e.date.isoformat() for e in found.entries] == ["2024-02-29", "2020-02-28"]
    assert (found.more, found.bad) == (2, [])
    found = on_this_day(demo, dt.date(2025, 2, 28), years=3)
    assert [e.date.isoformat() for e in found.entries] == [
        "2024-02-29", "2020-02-28", "2016-02-29", "2016-02-28"
    ]  # fmt: skip
    assert found.more == 1
    everything = on_this_day(demo, dt.date(2025, 2, 28))
    assert (len(everything.entries), everything.more) == (6, 0)


def test_only_the_years_shown_are_read(demo: Home, run: Run) -> None:
    """An unreadable day among the years not shown is not read, so not reported."""
    every_year(demo, 2010, 2025)
    entry_path(demo, dt.date(2011, 11, 26)).write_text("---\ndate: [\n---\n", encoding="utf-8")
    result = run(["show", "--on-this-day", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert "2011" not in result.stderr
    every = run(["show", "--on-this-day", "2026-11-26", "--all"])
    assert every.exit_code == 0, every.output
    assert "2011-11-26.md" in every.stderr


def test_a_long_journal_costs_no_index_and_no_day_beyond_those_shown(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What grows with the years is one look in each year folder: no index, no other file."""
    import sqlite3

    from reflect.journal import store

    every_year(demo, 1927, 2025)
    for year in (1950, 2000, 2020):  # other days of the years shown and not shown
        write_entry(demo, f"{year}-11-25", body="\nThe day before.\n")
    assert run(["search", "Written"]).exit_code == 0  # an index there to be looked at
    opened: list[object] = []
    read: list[str] = []
    real_read = store.read_entry_file

    def connect(*args: object, **kwargs: object) -> None:
        opened.append(args)
        raise AssertionError("on this day opened a database")

    def read_entry_file(path: object, *args: object, **kwargs: object) -> object:
        read.append(str(path)[-13:-3])
        return real_read(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(store, "read_entry_file", read_entry_file)
    result = run(["show", "--on-this-day", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert opened == []
    assert read == [f"{year}-11-26" for year in range(2016, 2026)]
    assert result.stdout.count(" ago ──") == 10
    assert result.stderr.startswith("89 more earlier years on 26 November;")


# -- drawn without Rich into a pipe -----------------------------------------------


def a_day_a_year_ago(home: Home) -> None:
    save_answer(home, "2025-11-26", "mood=4", "where=meeting")
    save_answer(home, "2025-11-26", "gratitude=Tea with the team")


# A new Python process, as test_cli.py's history into a pipe: the full run's. The fast tier
# keeps the exact text below, and test_cli.py's `reflect prompt` and help without Rich.
@pytest.mark.slow
def test_on_this_day_into_a_pipe_is_written_without_rich(demo: Home) -> None:
    a_day_a_year_ago(demo)
    assert "rich" not in imported_by(["show", "--on-this-day", "2026-11-26"])


def test_on_this_day_into_a_pipe_is_written_exactly(demo: Home, run: Run) -> None:
    a_day_a_year_ago(demo)
    result = run(["show", "--on-this-day", "2026-11-26"], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    path = str(entry_path(demo, dt.date(2025, 11, 26)))
    lines = [
        "2025: 1 year ago " + "─" * 43,
        "Wednesday 26 November 2025",
        *(path[i : i + 60] for i in range(0, len(path), 60)),  # no space to wrap it at
        "",
        "question                                 answer   ",
        "How was your mood today?                 4        ",
        "Where did the best conversation happen?  meeting  ",
        "",
        f"{'One line of gratitude':<60}",
        "",
        f"{'Tea with the team':<60}",
        "",
    ]
    assert result.stdout == "".join(f"{line}\n" for line in lines)
    assert result.stderr == ""


def test_a_day_rich_must_draw_is_drawn_by_rich(demo: Home, run: Run) -> None:
    """A list, emphasis or a wide character: plain text cannot promise Rich's bytes."""
    write_entry(demo, "2025-11-26", body="\n- one *thing*\n- 会議\n")
    result = run(["show", "--on-this-day", "2026-11-26"], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    assert "• one thing" in result.stdout


def test_a_tag_with_an_escape_or_a_bidi_override_reaches_no_terminal(demo: Home, run: Run) -> None:
    """The tag pattern refuses spaces and brackets, not ESC c (a terminal reset) or U+202E."""
    write_entry(demo, "2025-11-26", front='tags: ["a\\ecb\\e(0", "x\\u202ey"]\n', body="\nDay.\n")
    for args in (["show", "2025-11-26"], ["show", "--on-this-day", "2026-11-26"]):
        result = run(args, env={"COLUMNS": "60"})
        assert result.exit_code == 0, result.output
        assert "Wednesday 26 November 2025  #acb(0 #xy\n" in result.stdout
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
        assert result.stderr == ""


@pytest.mark.parametrize(
    "size", [{"COLUMNS": "0"}, {"COLUMNS": "00"}, {"COLUMNS": "\u00b2"}, {"LINES": "\u00b2"}]
)
def test_columns_of_zero_is_the_usual_width_not_a_traceback_or_nothing(
    demo: Home, run: Run, size: dict[str, str]
) -> None:
    """Rich draws nothing on a page 0 wide, the plain wrap divided by the width, and a
    digit `int` refuses (`²`, which `isdigit` accepts) ended Rich's measuring in a traceback."""
    write_entry(demo, "2025-11-26", body="\nPlain words.\n")
    write_entry(demo, "2024-11-26", body="\n- a list Rich draws\n")
    for args in (
        ["show", "2025-11-26"],
        ["show", "--on-this-day", "2026-11-26"],
        ["search", "a"],
        ["trends", "--since", "2024-01-01"],
    ):
        result = run(args, env={"COLUMNS": "80", **size})
        assert result.exit_code == 0, result.output
        wide = run(args, env={"COLUMNS": "80"})
        assert result.stdout == wide.stdout
        assert result.stderr == wide.stderr
        if args[0] != "trends":
            assert "Plain words." in result.stdout
    assert "• a list Rich draws" in run(["show", "2024-11-26"], env={"COLUMNS": "0"}).stdout


# Words of every length a column meets, spaces doubled, and the characters plain text
# must leave to Rich (markup, a tab, a wide character, a control character).
_WORDS = ["a", "be", "mood", "today?", "(1 = low, 5 = great)", "x" * 30, "…", "é", "  "]
_HOSTILE = ["*", "_", "`", "[", "]", "<", "&", "|", "~", "\\", "\t", "会", "\x07", "#", "\u00a0"]
cell = st.lists(st.sampled_from(_WORDS + _HOSTILE[:3]), max_size=12).map(" ".join)


@settings(deadline=None)
@given(
    rows=st.lists(st.tuples(cell, cell), min_size=1, max_size=6),
    width=st.integers(min_value=20, max_value=120),
)
def test_plain_answer_tables_are_what_rich_draws(rows: list[tuple[str, str]], width: int) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, expand=False, box=None, padding=(0, 2, 0, 0))
    table.add_column("question")
    table.add_column("answer", no_wrap=True)
    for question, answer in rows:
        table.add_row(Text(question), Text(answer))
    plain = answer_table(("question", "answer"), rows, width)
    if plain is None:
        # Left to Rich only for markup-free reasons it names: a character or too little room.
        widest = max(len(b) for _, b in [("", "answer"), *rows]) + 2
        assert width - widest < 12 or any(
            not (a + b).isprintable() or not (a + b).isascii() for a, b in rows
        )
        return
    assert plain == drawn([table], width)


_LINES = [
    "",
    "   ",
    "A plain line of prose.",
    "Words " * 19 + "end.",
    "Went on a walk (2 km) with #team; 5 = great, 'quoted' \"too\"!",
    "x" * 130,
    "Café, naïve… done",
    'Two  spaces  between   words, "quoted" (and 3 more).',
    "## A heading",
    "### A smaller heading with (1 = low, 5 = great)",
]
_BENT = [
    "# A title",
    "## A heading ##",
    "##  two spaces",
    "####### seven",
    "- a list",
    "1. first",
    "2) second",
    "> a quote",
    "    indented code",
    " one space in",
    "two spaces out  ",
    "---",
    "===",
    "A *word* in emphasis",
    "snake_case",
    "a `code` span",
    "[a link](http://example.com)",
    "<!-- a comment -->",
    "&amp; an entity",
    "a | table | row",
    "~~struck~~",
    "tab\tinside",
    "wide 会議",
    "```",
    "non\u00a0breaking",
]


@settings(deadline=None)
@given(
    lines=st.lists(st.sampled_from(_LINES), max_size=12),
    width=st.integers(min_value=20, max_value=120),
)
def test_plain_prose_and_headings_are_what_rich_draws(lines: list[str], width: int) -> None:
    from rich.markdown import Markdown

    text = "\n".join(lines)
    if not text.strip():
        return
    plain = markdown_text(text, width)
    assert plain is not None
    assert plain == drawn([Markdown(text)], width)


@settings(deadline=None)
@given(
    lines=st.lists(st.sampled_from(_LINES + _BENT), min_size=1, max_size=12),
    width=st.integers(min_value=20, max_value=120),
)
def test_plain_prose_is_rich_s_or_left_to_rich(lines: list[str], width: int) -> None:
    from rich.markdown import Markdown

    text = "\n".join(lines)
    plain = markdown_text(text, width)
    if text.strip() and plain is not None:
        assert plain == drawn([Markdown(text)], width)
    if any(line in _BENT for line in lines):
        assert plain is None


def test_a_journal_s_days_are_drawn_as_rich_draws_them(demo: Home, run: Run) -> None:
    """Whole days: answers that fit and don't, retired questions, notes, tags, leap days."""
    save_answer(demo, "2024-02-29", "mood=2", "threatened=y", "share=40", "hours=6")
    save_answer(demo, "2024-02-29", "gratitude=Coffee with Ana, and a long talk " * 4)
    noted = run(["write", "--date", "2024-02-29", "A note about the day.", "--tag", "team"])
    assert noted.exit_code == 0, noted.output
    save_answer(demo, "2023-02-28", "mood=5", "where=chat")
    path = entry_path(demo, dt.date(2023, 2, 28))
    # A value that no longer fits, and a question the pack no longer has.
    text = path.read_text(encoding="utf-8").replace("mood: 5", "mood: 9")
    text = text.replace("demo/where: chat", "demo/where: chat\ndemo/gone: 3")
    path.write_text(text, encoding="utf-8")
    versions = pack_versions(demo)
    views = []
    for day in ("2024-02-29", "2023-02-28"):
        entry = read_entry(demo, dt.date.fromisoformat(day))
        assert entry is not None
        views.append((entry, given_answers(entry, versions), str(entry_path(demo, entry.date))))
    today = dt.date(2025, 2, 28)
    for width in (40, 50, 61, 80, 100, 140):
        plain = this_day_text(today, views, width)
        # Narrower, the answers that don't fit leave the questions too little room: Rich's own way.
        assert plain is not None or width < 80, width
        if plain is not None:
            assert plain == drawn(this_day_view(today, views), width)
        for entry, answers, where in views:
            text = entry_text(entry, answers, where, width)
            assert text is None or text == drawn(entry_view(entry, answers, where), width)
    assert plain is not None
    assert "(does not fit: " in plain
    assert "(retired)" in plain
    assert "2024: 1 year ago (on 29 February) ─" in plain


@pytest.mark.parametrize("width", [20, 60])
def test_a_long_label_or_a_narrow_page_is_left_to_rich(demo: Home, width: int) -> None:
    write_entry(demo, "2025-11-26", body="\nA line.\n")
    entry = read_entry(demo, dt.date(2025, 11, 26))
    assert entry is not None
    views = [(entry, [], "x" * 10)]
    text = this_day_text(dt.date(2026, 11, 26), views, width)
    assert text == drawn(this_day_view(dt.date(2026, 11, 26), views), width)
    assert this_day_text(dt.date(2026, 11, 26), views, 19) is None


# Two processes each: the fast tier asks the search in this process (the next test).
@pytest.mark.slow
@pytest.mark.parametrize(
    "args", [["search", "sea"], ["show", "2025-11-26"]], ids=["search", "show"]
)
def test_a_terminal_that_reports_no_width_is_the_usual_width(demo: Home, args: list[str]) -> None:
    """Standard input a terminal that was never given a size (a new pty: 0 columns) and the
    output a pipe: search and show wrap at 80 columns, as Rich does; before, a traceback."""
    import os
    import pty
    import subprocess
    import sys

    write_entry(demo, "2025-11-26", body="\nPlain words by the sea.\n")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["REFLECT_HOME"] = str(demo.root)
    seen = []
    for extra in ({}, {"COLUMNS": "80"}):
        master, slave = pty.openpty()
        try:
            done = subprocess.run(
                [sys.executable, "-m", "reflect", *args],
                env={**env, **extra},
                stdin=slave,
                capture_output=True,
                check=False,
                timeout=60,
            )
        finally:
            os.close(slave)
            os.close(master)
        seen.append((done.returncode, done.stdout, done.stderr))
    assert seen[0] == seen[1], args
    assert seen[0][0] == 0 and b"sea" in seen[0][1], seen[0]


def test_a_terminal_that_reports_no_width_is_the_usual_width_in_this_process(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search of the test above, the quick path and the full command run here, with a new
    pty (0 columns) as standard input and the output no terminal."""
    import os
    import pty

    write_entry(demo, "2025-11-26", body="\nPlain words by the sea.\n")
    monkeypatch.delenv("COLUMNS")
    master, slave = pty.openpty()
    stdin = os.dup(0)
    os.dup2(slave, 0)
    try:
        assert os.get_terminal_size(0).columns == 0
        no_width = search_in_process(demo, run, "sea")
        monkeypatch.setenv("COLUMNS", "80")
        eighty = search_in_process(demo, run, "sea")
    finally:
        os.dup2(stdin, 0)
        for fd in (stdin, slave, master):
            os.close(fd)
    assert no_width == eighty
    assert no_width[0] == no_width[1]
    assert no_width[0][0] == 0 and "sea" in no_width[0][1], no_width
