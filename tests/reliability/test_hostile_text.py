"""Markup, escape sequences and bidi controls from packs and entries are neutralised in every output."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from reflect.journal.drafts import Edit
from reflect.journal.home import Home
from reflect.journal.save import save
from tests.conftest import Run, run_in, without_index

ESC = "\x1b]52;c;SGVsbG8=\x07\x1b[31m"
BIDI = "\u202e\u2066"
HOSTILE_PACK = (
    f"""
id = "hostile"
name = "[bold]Boss[/bold] {ESC}name"
version = "1.0.0"
[[prompts]]
id = "q"
text = "Q [link=http://x.example]click[/link] {ESC}{BIDI}?"
type = "yes-no"
[[prompts]]
id = "t"
text = "Write {ESC}here"
type = "text"
[[prompts]]
id = "c"
text = "Pick"
type = "choice"
choices = ["a {ESC}", "=cmd|' /C calc'!A0"]
""".replace("\x1b", "\\u001b")
    .replace("\x07", "\\u0007")
    .replace("\u202e", "\\u202e")
    .replace("\u2066", "\\u2066")
)


def write_hostile(home: Home) -> None:
    """The hostile pack added and enabled, and a day answered and noted in its words."""
    run = run_in(home)
    pack = home.root.parent / "hostile.toml"
    pack.write_text(HOSTILE_PACK, encoding="utf-8")
    assert run(["packs", "add", str(pack), "--enable"]).exit_code == 0
    day = "2026-11-26"
    result = run(["today", "--date", day, "--no-input", "--answer", "hostile/q=yes", "--answer", "hostile/c=2",
                  "--answer", f"hostile/t=prose {ESC}{BIDI} <script>x</script> [red]r[/red]"])  # fmt: skip
    assert result.exit_code == 0, result.output
    save(home, dt.date(2026, 11, 26), [Edit("note", text=f"imported {ESC} note", time="10:00")])
    without_index(home)


@pytest.fixture
def hostile(
    home: Home, journal_templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Home:
    """A copy of the journal `write_hostile` writes once per process (no demo pack in it)."""
    if "hostile" not in journal_templates:
        template = Home(tmp_path_factory.mktemp("hostile") / "journal")
        write_hostile(template)
        journal_templates["hostile"] = template.root
    shutil.copytree(journal_templates["hostile"], home.root, symlinks=True)
    return home


OUTPUTS = [
    ["prompt", "--date", "2026-11-26"],
    ["prompt", "--date", "2026-11-26", "--json"],
    ["show", "2026-11-26"],
    ["log"],
    ["search", "prose"],
    ["history", "hostile/q"],
    ["trends", "--week", "2026-W48"],
    ["trends", "--week", "2026-W48", "--json"],
    ["packs", "list"],
    ["packs", "show", "hostile"],
    ["export", "--week", "2026-W48"],
    ["export", "--week", "2026-W48", "--format", "json"],
    ["export", "--week", "2026-W48", "--format", "csv"],
]


@pytest.mark.parametrize("command", OUTPUTS, ids=" ".join)
def test_no_control_sequence_reaches_any_output(
    hostile: Home, run: Run, command: list[str]
) -> None:
    result = run(command)
    assert result.exit_code == 0, result.output
    for bad in ("\x1b", "\x07", "\u202e", "\u2066"):
        assert bad not in result.stdout, (bad, result.stdout)
        assert bad not in result.stderr
    if command[-1] == "json" or "--json" in command:
        assert "\\u001b" not in result.stdout
        json.loads(result.stdout)


def test_html_and_csv_exports_are_inert(hostile: Home, run: Run, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    assert run(["export", "--week", "2026-W48", "--format", "html", "-o", str(page)]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\x1b" not in html and "\u202e" not in html
    table = run(["export", "--week", "2026-W48", "--format", "csv"]).stdout
    assert ",'=cmd|' /C calc'!A0," in table
