"""Format 1 journals: read with no action, recovered through packs/.versions, migrated safely."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path, read_entry

from .conftest import DATA, Run

FIXTURES = DATA / "format1"
DAYS = ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]


@pytest.fixture
def old(demo: Home) -> Home:
    """A format 1 journal: demo 1.0.0 installed, 0.9.0 (other wordings) kept in .versions."""
    shutil.copytree(FIXTURES / "entries", demo.entries_dir, dirs_exist_ok=True)
    versions = demo.packs_dir / ".versions"
    versions.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "demo-0.9.0.toml", versions / "demo-0.9.0.toml")
    return demo


def files(home: Home) -> dict[str, bytes]:
    return {day: path(home, day).read_bytes() for day in DAYS}


def path(home: Home, day: str) -> Path:
    return entry_path(home, dt.date.fromisoformat(day))


def test_format_1_days_read_with_no_action(old: Home, run: Run) -> None:
    before = files(old)
    result = run(["history", "demo/gratitude", "--json"])
    assert result.exit_code == 0, result.output
    answers = json.loads(result.stdout)["answers"]
    # 2026-11-20 answered under 0.9.0's wording: found through packs/.versions.
    assert [(a["date"], a["value"], a["version"]) for a in answers] == [
        ("2026-11-21", "Coffee with Ana.", "1.0.0"),
        ("2026-11-20", "The walk home.", "0.9.0"),
    ]
    assert "2026-11-23.md" in result.stderr
    assert all(a["left_out_reason"] is None for a in answers)
    threatened = json.loads(run(["history", "demo/threatened", "--json"]).stdout)["answers"]
    assert threatened[0]["follow_up"] == (
        "Sam's launch. It stung for a minute,\nthen I asked how I could help."
    )
    shown = json.loads(run(["show", "2026-11-21", "--json"]).stdout)
    assert shown["answers"] == {"demo": {"mood": 4, "share": 70, "gratitude": "Coffee with Ana."}}
    assert shown["tags"] == ["team", "launch"]
    assert files(old) == before


def test_doctor_reports_format_1_files_and_what_migrating_does(old: Home, run: Run) -> None:
    result = run(["doctor"])
    assert result.exit_code == 1  # the broken file is a problem
    lines = result.stdout.splitlines()
    assert (
        f"info: {path(old, '2026-11-20')}: entry format 1: migrating ties 2 section(s) to their "
        "questions; records the version of 5 answer(s); leaves 1 section(s) under their own "
        "heading; reflect doctor --fix (or reflect migrate) upgrades it; prose is never changed"
    ) in lines
    assert any(
        line.startswith(f"info: {path(old, '2026-11-22')}: entry format 1: migrating marks it")
        for line in lines
    )
    assert any(line.startswith(f"problem: {path(old, '2026-11-23')}:6:") for line in lines)


def test_migrate_keeps_every_byte_of_prose_and_is_idempotent(old: Home, run: Run) -> None:
    before = files(old)
    dry = run(["migrate", "--dry-run"])
    assert dry.exit_code == 1 and files(old) == before
    assert "3 file(s) would migrate, 0 already current, 1 left alone" in dry.stderr
    result = run(["migrate"])
    assert result.exit_code == 1, result.output
    assert f"{path(old, '2026-11-23')}:6: front matter is not valid YAML" in result.stderr
    assert result.stderr.endswith("3 file(s) migrated, 0 already current, 1 left alone\n")
    after = files(old)
    assert after["2026-11-23"] == before["2026-11-23"]
    for day in DAYS[:3]:
        old_lines = before[day].decode().split("---\n", 2)[-1].splitlines()
        new_lines = after[day].decode().split("---\n", 2)[-1].splitlines()
        # Lines are only inserted: the old body is the new one with the ties taken out.
        assert [line for line in new_lines if not line.startswith("<!-- reflect:")] == old_lines
        assert path(old, day).stat().st_mode & 0o777 == 0o600
    again = run(["migrate"])
    assert again.stderr.endswith("0 file(s) migrated, 3 already current, 1 left alone\n")
    assert files(old) == after
    entry = read_entry(old, dt.date(2026, 11, 20))
    assert entry is not None
    assert entry.tied() == {
        "demo/threatened/follow-up": "Sam's launch. It stung for a minute,\nthen I asked how I could help.",
        "demo/gratitude": "The walk home.",
    }
    assert entry.prose("Thoughts") == "A heading of my own."
    assert entry.answer_version("demo", "gratitude") == "0.9.0"
    assert entry.answer_version("demo", "mood") == "0.9.0"
    # Obsidian's properties and the person's comment are still there, byte for byte.
    text = after["2026-11-21"].decode()
    assert "# written after the planning meeting\naliases: [Planning]\ncssclasses:\n" in text
    assert "tags: [team, '#launch']\n" in text


def test_doctor_fix_migrates_too(old: Home, run: Run) -> None:
    result = run(["doctor", "--fix"])
    assert "entry format 1: migrating" in result.stdout and "(fixed)" in result.stdout
    entry = read_entry(old, dt.date(2026, 11, 21))
    assert entry is not None and entry.front.format == 2


def test_a_write_upgrades_a_format_1_day_without_relabelling_its_answers(
    old: Home, run: Run
) -> None:
    result = run(["today", "--date", "2026-11-20", "--no-input", "--answer", "hours=3"])
    assert result.exit_code == 0, result.output
    entry = read_entry(old, dt.date(2026, 11, 20))
    assert entry is not None and entry.front.format == 2
    assert entry.answer_version("demo", "hours") == "1.0.0"
    assert entry.answer_version("demo", "mood") == "0.9.0"
    answers = json.loads(run(["history", "demo/gratitude", "--json"]).stdout)["answers"]
    assert ("2026-11-20", "0.9.0") in [(a["date"], a["version"]) for a in answers]
    # Answering the gratitude again replaces the old section's words, now tied, and labels
    # them with the version asking now, instead of adding a second section.
    run(["today", "--date", "2026-11-20", "--no-input", "--answer", "gratitude=And the rain."])
    entry = read_entry(old, dt.date(2026, 11, 20))
    assert entry is not None
    assert entry.prose_for("demo/gratitude") == "And the rain."
    assert entry.answer_version("demo", "gratitude") == "1.0.0"
    assert entry.body.count("## ") == 4


def test_every_fixture_that_parses_writes_back_byte_for_byte() -> None:
    for day in DAYS[:3]:
        text = (FIXTURES / "entries" / "2026" / f"{day}.md").read_text(encoding="utf-8")
        entry = parse_entry(text, day, dt.date.fromisoformat(day))
        from reflect.journal.entry import serialize

        assert serialize(entry) == text
