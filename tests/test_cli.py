"""The command line: JSON contracts, exit codes, messages, and the light start-up path."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from reflect.cli import app
from reflect.journal.home import Home
from reflect.journal.store import entry_path

from .conftest import Run, modules_after_each

ROOT = Path(__file__).resolve().parents[1]
DAY = "2026-11-26"


def commands(group: TyperGroup, prefix: str = "") -> list[str]:
    """Every command a user can type, as Typer composed them (groups merged or named)."""
    names = []
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            names += commands(command, f"{prefix}{name} ")
        else:
            names.append(f"{prefix}{name}")
    return names


ROOT_GROUP = typer.main.get_command(app)
assert isinstance(ROOT_GROUP, TyperGroup)
ALL = commands(ROOT_GROUP)


def test_the_command_list_is_what_the_docs_describe() -> None:
    assert {"today", "prompt", "write", "show", "log", "packs list", "packs enable"} <= set(ALL)


@pytest.mark.parametrize("command", ALL)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(
    run: Run, command: str
) -> None:
    result = run([*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example: reflect " in result.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"reflect {command}" in readme


def test_version_comes_from_the_package_metadata(run: Run) -> None:
    from importlib.metadata import version

    result = run(["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"reflect {version('reflect')}\n"


def test_python_dash_m_reads_as_reflect(home: Home) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reflect", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: reflect " in result.stdout


def test_a_bad_date_is_a_usage_error_in_one_line(run: Run) -> None:
    result = run(["prompt", "--date", "2026-13-01"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "reflect: --date '2026-13-01' is not a day: use YYYY-MM-DD (e.g. 2026-11-26), "
        "today or yesterday\n"
    )


def test_an_unknown_option_is_exit_2(run: Run) -> None:
    assert run(["today", "--nope"]).exit_code == 2


def test_first_run_uses_the_default_packs_and_writes_config(home: Home, run: Run) -> None:
    result = run(["today", "--date", DAY, "--no-input", "--answer", "daily/mood=4"])
    assert result.exit_code == 0, result.output
    assert home.config_path.read_text(encoding="utf-8") == (
        'format = 1\npacks = [\n    "daily",\n    "growth-mindset",\n    "partnership",\n]\n'
    )
    assert home.config_path.stat().st_mode & 0o777 == 0o600


def test_prompt_json_keys(demo: Home, run: Run) -> None:
    result = run(["prompt", "--date", DAY, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["format"], data["date"]) == (2, DAY)
    by_id = {item["id"]: item for item in data["prompts"]}
    assert set(by_id["share"]) == {
        "pack",
        "id",
        "text",
        "type",
        "min",
        "max",
        "step",
        "unit",
        "target",
        "pin",
    }
    assert by_id["share"]["target"] == 70 and by_id["share"]["pack"] == "demo"
    assert by_id["where"]["choices"] == ["one-to-one", "meeting", "chat"]
    assert set(by_id["gratitude"]) == {"pack", "id", "text", "type", "pin"}
    assert by_id["threatened"]["follow_up"] == {
        "when": "yes",
        "text": "Whose, and what was the pang about?",
    }


def test_prompt_plain(demo: Home, run: Run) -> None:
    result = run(["prompt", "--date", DAY])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "demo: How was your mood today? (1-5)"
    assert "demo: What share of today did you spend partnering? (0-100%, step 10)" in result.stdout


def test_pack_text_cannot_drive_the_terminal(demo: Home, run: Run) -> None:
    pack = demo.packs_dir / "demo.toml"
    text = pack.read_text(encoding="utf-8").replace(
        'text = "How was your mood today?"',
        'text = "Mood \\u001b]52;c;SGVsbG8=\\u0007[bold]now[/bold]\\u202e?"',
    )
    pack.write_text(text, encoding="utf-8")
    result = run(["prompt", "--date", DAY])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == "demo: Mood [bold]now[/bold]? (1-5)"
    listing = run(["packs", "list"])
    assert "\x1b" not in listing.stdout


def test_write_adds_timestamped_notes(demo: Home, run: Run) -> None:
    result = run(["write", "First note", "--date", DAY, "--tag", "team"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Note saved in ")
    result = run(["write", "--date", DAY], input="From stdin\n")
    assert result.exit_code == 0, result.output
    shown = json.loads(run(["show", DAY, "--json"]).stdout)
    assert [n["text"] for n in shown["notes"]] == ["First note", "From stdin"]
    assert shown["tags"] == ["team"]


def test_write_and_answers_read_only_their_own_day(demo: Home, run: Run) -> None:
    """Saving costs the same on a long journal: no other day is read, no index is built."""
    for year in (2001, 2013, 2025):
        folder = demo.entries_dir / str(year)
        folder.mkdir(parents=True)
        (folder / f"{year}-05-01.md").write_text("---\ndate: [\n---\n", encoding="utf-8")
    for args in (
        ["write", "A note", "--date", DAY],
        ["today", "--date", DAY, "--no-input", "--answer", "mood=3"],
    ):
        result = run(args)
        assert result.exit_code == 0, result.output
        # A broken day that was read would be named on stderr.
        assert "2025-05-01" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (demo.cache_dir / "index.sqlite3").exists()


def test_a_note_for_another_day_carries_no_invented_time(demo: Home, run: Run) -> None:
    assert run(["write", "After the fact", "--date", DAY]).exit_code == 0
    assert run(["write", "At lunch", "--date", DAY, "--time", "9:05"]).exit_code == 0
    text = entry_path(demo, dt.date.fromisoformat(DAY)).read_text(encoding="utf-8")
    assert "\n## Notes\n\nAfter the fact\n" in text
    assert "\n## Notes (09:05)\n\nAt lunch\n" in text
    shown = json.loads(run(["show", DAY, "--json"]).stdout)
    assert [(n["time"], n["text"]) for n in shown["notes"]] == [
        ("", "After the fact"),
        ("09:05", "At lunch"),
    ]
    bad = run(["write", "x", "--time", "25:00"])
    assert bad.exit_code == 2, "a usage error, as every other bad option"
    assert bad.stderr == "reflect: --time '25:00' is not a time of day: use HH:MM, e.g. 21:30\n"


def test_a_note_of_today_gets_the_time_now() -> None:
    from reflect.daily.session import note_time

    now = dt.datetime(2026, 11, 26, 14, 32)
    assert note_time(now.date(), None, now) == "14:32"
    assert note_time(dt.date(2026, 11, 25), None, now) == ""
    assert note_time(dt.date(2026, 11, 25), "07:00", now) == "07:00"


def test_write_refuses_empty_notes_and_bad_tags(demo: Home, run: Run) -> None:
    empty = run(["write", "   "])
    assert empty.exit_code == 1 and "the note is empty" in empty.stderr
    bad = run(["write", "x", "--tag", "#two words"])
    assert bad.exit_code == 1 and "is not a tag" in bad.stderr


def test_show_json_keys_and_types(demo: Home, run: Run) -> None:
    run(
        [
            "today",
            "--date",
            DAY,
            "--no-input",
            "--answer",
            "mood=4",
            "--answer",
            "threatened=y",
            "--answer",
            "hours=7.5",
            "--answer",
            "gratitude=Tea",
        ]
    )
    result = run(["show", DAY, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "format",
        "date",
        "path",
        "tags",
        "packs",
        "answers",
        "questions",
        "sections",
        "notes",
    }
    assert data["format"] == 2
    assert data["date"] == DAY
    assert data["answers"] == {
        "demo": {"mood": 4, "threatened": True, "hours": 7.5, "gratitude": "Tea"}
    }
    assert data["questions"][1] == {
        "pack": "demo",
        "prompt": "threatened",
        "question": "Did someone's success feel threatening today?",
        "type": "yes-no",
        "version": "1.0.0",
        "defined_in": "1.0.0",
        "definition_source": "exact",
        "in_pack": True,
        "value": True,
        "shown": "yes",
        "fits": True,
        "follow_up": None,
        "follow_up_version": None,
    }
    assert [q["prompt"] for q in data["questions"]] == ["mood", "threatened", "hours", "gratitude"]
    assert data["sections"] == [{"heading": "One line of gratitude", "text": "Tea"}]


def test_show_for_people(demo: Home, run: Run) -> None:
    run(["today", "--date", DAY, "--no-input", "--answer", "share=70", "--answer", "gratitude=Tea"])
    result = run(["show", DAY])
    assert result.exit_code == 0, result.output
    assert "Thursday 26 November 2026" in result.stdout
    assert "What share of today did you spend partnering?" in result.stdout
    assert "70%" in result.stdout
    assert "One line of gratitude" in result.stdout and "Tea" in result.stdout


def test_show_a_missing_day(demo: Home, run: Run) -> None:
    result = run(["show", "2026-01-01"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "reflect: nothing written on 2026-01-01; `reflect log` lists the days you wrote\n"
    )


def test_log_lists_days_newest_first_and_names_broken_files(demo: Home, run: Run) -> None:
    for day, mood in (("2026-11-24", 2), ("2026-11-25", 3)):
        run(["today", "--date", day, "--no-input", "--answer", f"mood={mood}"])
    run(["write", "Met Ana about the launch", "--date", "2026-11-25"])
    broken = entry_path(demo, dt.date(2026, 11, 26))
    broken.write_text("---\ndate: [\n---\n", encoding="utf-8")
    result = run(["log"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2026-11-25   1 answer(s)  Met Ana about the launch")
    assert lines[1].startswith("2026-11-24   1 answer(s)")
    assert str(broken) in result.stderr and "not valid YAML" in result.stderr
    data = json.loads(run(["log", "--json", "-n", "1"]).stdout)
    assert data == {
        "format": 2,
        "days": [
            {
                "date": "2026-11-25",
                "answer_count": 1,
                "note_count": 1,
                "tags": [],
                "preview": "Met Ana about the launch",
            }
        ],
    }


def test_log_on_an_empty_journal(run: Run) -> None:
    result = run(["log"])
    assert result.exit_code == 0
    assert result.stdout == "Nothing written yet. `reflect today` starts.\n"


def test_packs_list_enable_disable(home: Home, run: Run) -> None:
    document = json.loads(run(["packs", "list", "--json"]).stdout)
    assert document["format"] == 2
    data = document["packs"]
    assert set(data[0]) == {"id", "name", "version", "prompts", "enabled", "source", "path"}
    enabled = {d["id"] for d in data if d["enabled"]}
    assert enabled == {"daily", "growth-mindset", "partnership"}
    assert run(["packs", "enable", "co-creator"]).stdout == "co-creator enabled\n"
    assert run(["packs", "enable", "co-creator"]).stdout == "co-creator was already enabled\n"
    assert run(["packs", "disable", "daily"]).stdout == "daily disabled\n"
    data = json.loads(run(["packs", "list", "--json"]).stdout)["packs"]
    assert {d["id"] for d in data if d["enabled"]} == {
        "growth-mindset",
        "partnership",
        "co-creator",
    }
    missing = run(["packs", "enable", "nope"])
    assert missing.exit_code == 1
    assert (
        missing.stderr == "reflect: no pack with id 'nope'; `reflect packs list` shows the packs\n"
    )
    table = run(["packs", "list"]).stdout
    assert "co-creator" in table and "built-in" in table


def test_an_enabled_pack_that_vanished_is_a_warning(demo: Home, run: Run) -> None:
    demo.config_path.write_text('packs = ["demo", "gone"]\n', encoding="utf-8")
    result = run(["prompt", "--date", DAY])
    assert result.exit_code == 0
    assert "pack 'gone' is enabled but not found" in result.stderr


def test_a_broken_config_is_one_clear_line(home: Home, run: Run) -> None:
    home.ensure()
    home.config_path.write_text('packs = ["daily"]\neditr = "vim"\n', encoding="utf-8")
    result = run(["prompt"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reflect: {home.config_path}: editr: unknown key; did you mean `editor`?\n"
    )


def test_no_command_outside_a_terminal_says_what_is_left(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.model import dates

    # The command's today is the test's, also across midnight: not the clock's, read twice.
    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 11, 25))
    today = "2026-11-25"
    result = run([])
    assert result.exit_code == 0, result.output
    assert "0 of" in result.stdout and "Run `reflect today` to answer." in result.stdout
    run(["today", "--date", today, "--no-input", "--answer", "mood=3"])
    assert "1 of" in run([]).stdout


@pytest.mark.slow
def test_reflect_prompt_stays_light(demo: Home) -> None:
    code = (
        "import sys\n"
        "sys.argv = ['reflect', 'prompt']\n"
        "from reflect.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('rich', 'markdown_it', 'pygments', 'yaml', 'reflect.render') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert result.stdout.splitlines()[-1] == "[]"


def imported_by(args: list[str]) -> list[str]:
    """The modules a new `reflect` process has imported when it ends."""
    return imported_by_each([args])[0]


# Imported by every `reflect COMMAND --help`, as by `reflect --help` (checked above).
HELP_SHARED = "import reflect.main, reflect.cli"


def imported_by_each(runs: list[list[str]], shared: str = "") -> list[list[str]]:
    """The modules each `reflect ARGS` has imported when it ends, as in a new process."""
    run_reflect = (
        "import sys\n"
        "sys.argv = ['reflect', *{args!r}]\n"
        "from reflect.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    return modules_after_each([run_reflect.format(args=args) for args in runs], shared)


@pytest.mark.slow
def test_a_history_into_a_pipe_is_written_without_rich(demo: Home, run: Run) -> None:
    """A long history costs Rich a millisecond a row: a pipe gets the same text without it."""
    result = run(["today", "--no-input", "--answer", "mood=3"])
    assert result.exit_code == 0, result.output
    modules = imported_by(["history", "demo/mood"])
    assert "rich" not in modules
    # Nor the trends' summaries, built on import, for the sparkline alone (render/spark.py),
    # nor PyYAML: a warm history reads the index, and a day reflect wrote parses without it.
    assert [m for m in modules if m.startswith("reflect.trends") or m == "yaml"] == []
    shown = run(["history", "demo/mood"])
    assert shown.exit_code == 0, shown.output
    assert "1 answer(s) · average 3, lowest 3, highest 3" in shown.stdout


# Rich (with markdown_it and pygments) cost help more than the rest of start-up.
HELP_NEVER = ["markdown_it", "pygments", "rich", "sqlite3", "yaml", "reflect.render", "tomllib"]


def test_help_imports_no_rich_yaml_or_the_library() -> None:
    modules = imported_by(["--help"])
    assert [m for m in [*HELP_NEVER, "pydantic"] if m in modules] == []
    assert [m for m in modules if m.startswith("reflect.") and not m.startswith("reflect.cli")] == [
        "reflect.errors",
        "reflect.journal",
        "reflect.journal.atomic",
        "reflect.journal.files",
        "reflect.journal.home",
        "reflect.journal.home_root",
        "reflect.main",
    ]


HELP_COMMANDS = ["search", "export", "trends", "write", "today", "packs", "history", "doctor"]


@pytest.fixture(scope="module")
def help_imports() -> dict[str, list[str]]:
    """The modules each command's --help imports, as a new process would."""
    found = imported_by_each([[command, "--help"] for command in HELP_COMMANDS], HELP_SHARED)
    return dict(zip(HELP_COMMANDS, found, strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_a_command_s_help_imports_no_rich_yaml_or_the_library(
    command: str, help_imports: dict[str, list[str]]
) -> None:
    modules = help_imports[command]
    # Typer builds a pydantic adapter for an option only once a value is given (cli/app.py).
    assert [m for m in [*HELP_NEVER, "pydantic"] if m in modules] == []
    assert [m for m in modules if m.startswith(("reflect.model", "reflect.packs"))] == []


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["trends", "--by", "year"],
            "reflect: Invalid value for '--by': 'year' is not one of 'day', 'week', 'month'; see `reflect trends --help`\n",
        ),
        (
            ["today", "--home", "x"],
            "reflect: --home goes before the command: reflect --home PATH COMMAND\n",
        ),
        (["nope"], "reflect: No such command 'nope'; see `reflect --help`\n"),
        (
            ["log", "-n", "0"],
            "reflect: Invalid value for '-n': Input should be greater than or equal to 1; see `reflect log --help`\n",
        ),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(run: Run, args: list[str], line: str) -> None:
    result = run(args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == line


@pytest.mark.slow
def test_an_output_that_cannot_be_written(home: Home) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "reflect", "packs", "schema"],
            stdout=full, stderr=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "reflect: cannot write the output: No space left on device\n"


def test_input_that_ends_at_a_prompt(demo: Home, run: Run) -> None:
    demo.ensure()
    (demo.root / ".recovery").mkdir()
    (demo.root / ".recovery" / "2026-11-26-x.json").write_text(
        '{"format": 1, "date": "2026-11-26", "edits": [{"kind": "answer", "pack": "demo", '
        '"version": "1.0.0", "prompt": "mood", "value": 3}]}',
        encoding="utf-8",
    )
    result = run(["today", "--date", DAY], input="")
    assert result.exit_code == 1
    assert result.stderr.endswith("reflect: stopped: the input ended\n")


def test_show_marks_a_value_that_does_not_fit(demo: Home, run: Run) -> None:
    run(["today", "--date", DAY, "--no-input", "--answer", "share=70"])
    path = entry_path(demo, dt.date(2026, 11, 26))
    path.write_text(
        path.read_text(encoding="utf-8").replace("share: 70", "share: lots"), encoding="utf-8"
    )
    shown = run(["show", DAY]).stdout
    assert "lots  (does not fit: expected a number from 0-100%, step 10, found 'lots')" in shown
    assert "lots%" not in shown


@pytest.mark.parametrize("command", [["report"], ["packs", "validate"]])
def test_an_argument_of_several_files_is_shown_as_a_file(run: Run, command: list[str]) -> None:
    """Typer's type hint `<list[Path]>` was the help's only word for the files."""
    result = run([*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "list[" not in result.stdout
    assert "{FILE}..." in result.stdout
    assert "\n  FILE <path>  " in result.stdout


@pytest.mark.parametrize("when", ["importing", "building the commands"])
def test_ctrl_c_while_the_full_command_line_loads_is_exit_130_without_a_traceback(
    demo: Home, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """The console script loads Typer and every command group after the quick paths pass,
    then Typer builds the commands: a fifth of a second in which a Ctrl-C printed Python's
    traceback."""
    from reflect import main as console_script

    def stopped_by_ctrl_c() -> None:
        raise KeyboardInterrupt

    class Loading:
        def __getattr__(self, name: str) -> object:
            if when == "importing":
                raise KeyboardInterrupt
            return stopped_by_ctrl_c

    monkeypatch.setitem(sys.modules, "reflect.cli", Loading())
    monkeypatch.setattr(sys, "argv", ["reflect", "log"])
    with pytest.raises(SystemExit) as stopped:
        console_script.main()
    assert stopped.value.code == 130
