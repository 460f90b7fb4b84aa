"""Hostile pack, entry, tag and client-file text reaches no sink raw; joiners that spell words stay.

Every sink (terminal, markdown, HTML, CSV, JSON) gets text through the one
cleaning function, `reflect.model.text.clean`, which removes only what acts
on a terminal or reorders what is shown.
"""

import json
from pathlib import Path

import pytest

from reflect.journal.home import Home
from tests.conftest import Run

RAW = ("\x1b", "\x07", "\u202e", "\u2066", "[2J")
UNITS_PACK = r"""
id = "units"
name = "Units"
version = "1.0.0"
[schedule]
per_day = 0
[[prompts]]
id = "s"
text = "Scale"
type = "scale"
min = 0
max = 10
unit = "\u001b[2J\u202e"
target = 5
pin = true
[[prompts]]
id = "n"
text = "Num"
type = "number"
unit = "\u001b]52;c;aGk=\u0007"
pin = true
[[prompts]]
id = "c"
text = "Pick"
type = "choice"
choices = ["a \u001b[2J", "b \u202e", "<img src=x onerror=alert(1)>"]
pin = true
"""


@pytest.fixture
def units(home: Home, run: Run, tmp_path: Path) -> Home:
    pack = tmp_path / "units.toml"
    pack.write_text(UNITS_PACK, encoding="utf-8")
    assert run(["packs", "add", str(pack), "--enable"]).exit_code == 0
    for other in ("daily", "growth-mindset", "partnership"):
        run(["packs", "disable", other])
    return home


def assert_inert(text: str) -> None:
    for bad in RAW:
        assert bad not in text, (bad, text)


def test_interactive_today_shows_units_and_choices_as_text(units: Home, run: Run) -> None:
    result = run(["today", "--date", "2026-11-26"], input="3\n4\n1\n")
    assert result.exit_code == 0, result.output
    assert "[3/3] Pick" in result.stdout
    assert_inert(result.stdout + result.stderr)


@pytest.mark.parametrize("extra", [[], ["--json"], ["--by", "day"]])
def test_trends_show_units_and_choices_as_text(units: Home, run: Run, extra: list[str]) -> None:
    for day, answers in (("2026-11-24", "3\n4\n1\n"), ("2026-11-26", "7\n5\n3\n")):
        assert run(["today", "--date", day], input=answers).exit_code == 0
    result = run(["trends", "--since", "2026-11-20", "--until", "2026-11-30", *extra])
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout + result.stderr)


def test_md_export_escapes_tags_and_choices(units: Home, run: Run) -> None:
    run(["today", "--date", "2026-11-26"], input="3\n4\n3\n")
    run(["write", "x", "--date", "2026-11-26", "--tag", "<script>alert(1)</script>"])
    md = run(["export", "--from", "2026-11-20", "--to", "2026-11-30"]).stdout
    assert "\\<script>" in md
    assert "<script>" not in md.replace("\\<", "") and "<img" not in md.replace("\\<", "")
    assert_inert(md)


def client_file(run: Run, tmp_path: Path, name: str, label: str) -> Path:
    path = tmp_path / f"{name}.json"
    result = run(["export", "--from", "2026-11-20", "--to", "2026-11-30", "--share",
                  "--pack", "units", "--format", "json", "-o", str(path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text(encoding="utf-8"))
    data["range"]["label"] = label
    for pack in data["packs"]:
        pack["id"] = pack["id"]
        for prompt in pack["prompts"]:
            prompt["text"] = "<img src=x onerror=alert(1)> \x1b[2J" + prompt["text"]
            prompt["unit"] = "\x1b]52;c;aGk=\x07"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["table", "md", "json"])
def test_report_shows_client_files_as_text(units: Home, run: Run, tmp_path: Path, fmt: str) -> None:
    run(["today", "--date", "2026-11-26"], input="3\n4\n3\n")
    files = [
        client_file(run, tmp_path, "ana", "\x1b]52;c;aGk=\x07week <script>alert(1)</script>"),
        client_file(run, tmp_path, "ben", "\u202eweek\x1b[2J"),
    ]
    result = run(["report", *map(str, files), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout + result.stderr)
    if fmt == "md":
        inert = result.stdout.replace("\\<", "")
        assert "<script>" not in inert and "<img" not in inert


def test_joiners_that_spell_words_survive_every_sink(home: Home, run: Run, tmp_path: Path) -> None:
    family = "👨\u200d👩\u200d👧"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # Persian, with a ZWNJ
    assert run(["write", f"{family} {persian}", "--date", "2026-11-26"]).exit_code == 0
    for fmt in ("md", "json", "csv", "html"):
        out = tmp_path / f"x.{fmt}"
        result = run(["export", "--from", "2026-11-20", "--to", "2026-11-30", "--format", fmt,
                      "-o", str(out)])  # fmt: skip
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        if fmt != "csv":
            assert family in text and persian in text, fmt
    shown = run(["show", "2026-11-26", "--json"]).stdout
    assert family in json.loads(shown)["notes"][0]["text"]
