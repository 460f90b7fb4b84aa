"""The README's examples for importing and for other tools, run as written."""

import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reflect.cli import app
from reflect.journal.home import Home

from .conftest import DATA, Run

ROOT = Path(__file__).resolve().parents[1]


def section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def blocks(text: str, kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", text, flags=re.DOTALL)


def sessions(block: str) -> list[tuple[list[str], str]]:
    """Each `$ reflect ...` line of a console block, with the output shown under it."""
    found: list[tuple[list[str], str]] = []
    for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
        command, _, output = chunk.partition("\n")
        found.append((shlex.split(command), output))
    return found


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def run_console(run: Run, text: str, monkeypatch: pytest.MonkeyPatch, home: Home) -> int:
    """Run every console block as written, each in a journal of its own."""
    ran = 0
    for number, block in enumerate(blocks(text, "console")):
        if number:
            monkeypatch.setenv("REFLECT_HOME", str(home.root.with_name(f"journal-{number}")))
        for argv, expected in sessions(block):
            assert argv[0] == "reflect"
            result = run(argv[1:])
            assert result.exit_code == 0, result.output
            assert result.output == expected, argv
            ran += 1
    monkeypatch.setenv("REFLECT_HOME", str(home.root))
    return ran


def test_the_import_examples(
    home: Home, run: Run, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zipfile.ZipFile(workdir / "Export - Journal.zip", "w") as zipped:
        for path in sorted((DATA / "dayone").rglob("*")):
            if path.is_file():
                zipped.write(path, path.relative_to(DATA / "dayone").as_posix())
    shutil.copy(DATA / "daylio-export.csv", workdir / "daylio_export.csv")
    assert run_console(run, section("Bringing in another journal"), monkeypatch, home) == 3


@pytest.mark.slow
def test_the_spreadsheet_examples(
    home: Home, run: Run, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pandas")
    for day, mood in (("2026-11-23", "4"), ("2026-11-24", "2"), ("2026-11-26", "3")):
        answered = run(["today", "--date", day, "--no-input", "--answer", f"daily/mood={mood}"])
        assert answered.exit_code == 0, answered.output
    text = section("With other tools")
    assert run_console(run, text, monkeypatch, home) == 2
    assert (workdir / "week-for-excel.csv").read_bytes().startswith(b"\xef\xbb\xbfdate,")
    (code,) = blocks(text, "python")
    printed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=workdir
    )
    assert printed.stdout == "3.0\n"


@pytest.mark.slow
def test_the_completion_example_loads_in_bash(home: Home, workdir: Path) -> None:
    text = section("With other tools")
    (line,) = blocks(text, "sh")
    assert line == 'eval "$(_REFLECT_COMPLETE=source_bash reflect)"\n'
    for shell in ("bash", "zsh", "fish"):
        script = CliRunner().invoke(
            app, [], prog_name="reflect", env={"_REFLECT_COMPLETE": f"source_{shell}"}
        )
        assert script.exit_code == 0 and f"complete_{shell}" in script.stdout
    if shutil.which("bash") is None:
        return
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    shown = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", f"{line}complete -p reflect"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert shown.stdout.startswith("complete -o default -F _reflect_completion reflect")
