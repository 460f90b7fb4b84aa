"""Shell completion through the protocol the shells' scripts speak (`_REFLECT_COMPLETE`)."""

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reflect.cli import app
from reflect.journal.home import Home
from reflect.model import dates

from .conftest import Run, answer


def bash(line: str) -> list[str]:
    """What bash's completion function gets for the command line typed so far."""
    words = line.split(" ")
    result = CliRunner().invoke(
        app,
        [],
        prog_name="reflect",
        env={
            "_REFLECT_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
        },
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout.splitlines()


def test_commands_and_options_complete() -> None:
    assert bash("reflect ex") == ["export"]
    assert bash("reflect packs en") == ["enable"]
    assert bash("reflect import ") == ["jrnl", "dayone", "daylio"]
    assert bash("reflect export --fo") == ["--format"]
    assert bash("reflect export --format ") == ["md", "html", "json", "csv"]


def test_pack_ids_complete(demo: Home) -> None:
    assert "demo" in bash("reflect packs disable ")
    assert bash("reflect packs enable gr") == ["growth-mindset"]
    assert bash("reflect trends --pack de") == ["demo"]


def test_pack_and_prompt_complete_with_follow_ups(demo: Home) -> None:
    found = bash("reflect today --answer demo/")
    assert "demo/mood" in found
    assert "demo/threatened/follow-up" in found
    assert "demo/mood/follow-up" not in found
    assert "demo/mood" in bash("reflect log --where demo/m")
    assert "demo/mood" in bash("reflect history demo/m")


def test_follow_ups_complete_only_where_they_are_accepted(demo: Home) -> None:
    for line in (
        "reflect history demo/",
        "reflect log --where demo/",
        "reflect search x --prompt demo/",
        "reflect import daylio f.csv --prompt demo/",
    ):
        found = bash(line)
        assert "demo/threatened" in found, line
        assert not [key for key in found if key.endswith("/follow-up")], line


def test_days_complete_to_words_then_the_days_written(demo: Home) -> None:
    assert bash("reflect show ") == ["today", "yesterday"]
    assert bash("reflect today --date y") == ["yesterday"]
    answer(demo, "2026-11-09", "mood=2")
    answer(demo, "2026-11-13", "mood=4")
    answer(demo, "2025-01-02", "mood=4")
    assert bash("reflect show 2026-11") == ["2026-11-13", "2026-11-09"]
    assert bash("reflect log --since 2") == ["2026-11-13", "2026-11-09", "2025-01-02"]


def test_weeks_complete_to_words_recent_weeks_and_a_years_weeks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A fixed today: the machine's, read twice, could fall on two weeks at midnight on a Sunday.
    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 11, 29))
    found = bash("reflect export --week ")
    assert found[:3] == ["this", "last", "2026-W48"]
    assert len(found) == 14
    assert bash("reflect export --week 2026-W4") == [f"2026-W{n}" for n in range(40, 50)]
    assert bash("reflect trends --week 2025-W5") == ["2025-W50", "2025-W51", "2025-W52"]
    assert bash("reflect trends --week 2026-W53") == ["2026-W53"]


def test_home_given_on_the_line_is_the_one_completed_from(tmp_path: Path, run: Run) -> None:
    os.environ.pop("REFLECT_HOME")
    other = tmp_path / "other"
    (other / "packs").mkdir(parents=True)
    shutil.copy(Path(__file__).parent / "data" / "demo.toml", other / "packs" / "demo.toml")
    assert "demo" in bash(f"reflect --home {other} packs enable d")


def test_a_broken_pack_never_breaks_completion(home: Home) -> None:
    home.ensure()
    (home.packs_dir / "bad.toml").write_text("id = [\n", encoding="utf-8")
    assert bash("reflect packs enable gr") == ["growth-mindset"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_a_script(shell: str) -> None:
    result = CliRunner().invoke(
        app, [], prog_name="reflect", env={"_REFLECT_COMPLETE": f"source_{shell}"}
    )
    assert result.exit_code == 0, result.output
    assert f"_REFLECT_COMPLETE=complete_{shell}" in result.stdout
    assert "reflect" in result.stdout


def test_zsh_and_fish_complete_the_same_values(demo: Home) -> None:
    runner = CliRunner()
    zsh = runner.invoke(
        app,
        [],
        prog_name="reflect",
        env={
            "_REFLECT_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "reflect packs enable de",
        },
    )
    assert zsh.exit_code == 0, zsh.output
    assert zsh.stdout == "_arguments '*: :((\"demo\"))'\n"
    fish = runner.invoke(
        app,
        [],
        prog_name="reflect",
        env={
            "_REFLECT_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": "reflect export --week la",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        },
    )
    assert fish.exit_code == 0, fish.output
    assert fish.stdout == "last\n"


def test_install_and_show_completion_are_offered(run: Run) -> None:
    result = run(["--help"])
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_help_shows_no_type_hints_on_flags(run: Run) -> None:
    for args in (["--help"], ["today", "--help"], ["log", "--help"], ["packs", "enable", "-h"]):
        result = run(args)
        assert result.exit_code == 0, result.output
        assert "<bool>" not in result.stdout
        assert "list[" not in result.stdout
    assert "-t, --tag <str> " in run(["log", "--help"]).stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_tab_completes_in_a_real_bash(demo: Home, tmp_path: Path) -> None:
    """bash itself, with the script `reflect --show-completion` prints, completes a pack id."""
    pexpect = pytest.importorskip("pexpect")
    script = CliRunner().invoke(
        app, [], prog_name="reflect", env={"_REFLECT_COMPLETE": "source_bash"}
    )
    (tmp_path / "complete.bash").write_text(script.stdout, encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PS1": "$ ",
        "INPUTRC": "/dev/null",
    }
    shell = pexpect.spawn("bash", ["--norc", "--noprofile"], env=env, encoding="utf-8", timeout=20)
    try:
        shell.expect_exact("$ ")
        shell.sendline(f"source {tmp_path / 'complete.bash'}")
        shell.expect_exact("$ ")
        shell.send("reflect packs disable de\t")
        shell.expect_exact("reflect packs disable demo")
        shell.send("\x15")  # clear the line
        shell.send("reflect export --format ht\t")
        shell.expect_exact("reflect export --format html")
    finally:
        shell.close(force=True)


@pytest.mark.parametrize(
    ("cword", "message"),
    [
        ("abc", "reflect: COMP_CWORD 'abc' is not a word number; bash sets it when completing\n"),
        ("-1", "reflect: COMP_CWORD '-1' is not a word number; bash sets it when completing\n"),
        (None, "reflect: bash completion needs COMP_WORDS and COMP_CWORD, which bash sets\n"),
    ],
)
def test_a_completion_request_bash_never_sends_is_one_line(cword: str | None, message: str) -> None:
    result = CliRunner().invoke(
        app,
        [],
        prog_name="reflect",
        env={
            "_REFLECT_COMPLETE": "complete_bash",
            "COMP_WORDS": "reflect today",
            "COMP_CWORD": cword,
        },
    )
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == message
