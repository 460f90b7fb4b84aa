"""`reflect import`: jrnl's and Day One's exports come in once, kept whole, and safe to show."""

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from reflect.daily.importer import SourceEntry, parse_jrnl
from reflect.journal.entry import parse_entry, serialize
from reflect.journal.home import Home
from reflect.journal.store import entry_path, read_entry
from reflect.model.text import clean

from .conftest import DATA, Run

JRNL = DATA / "jrnl-export.json"
DAYONE = DATA / "dayone-export.json"


def day_text(home: Home, day: str) -> str:
    return entry_path(home, dt.date.fromisoformat(day)).read_text(encoding="utf-8")


def all_files(home: Home) -> dict[str, str]:
    return {
        str(p.relative_to(home.root)): p.read_text(encoding="utf-8")
        for p in sorted(home.entries_dir.rglob("*.md"))
    }


# -- jrnl --------------------------------------------------------------------------


def test_jrnl_export_comes_in_with_a_closing_count(home: Home, run: Run) -> None:
    result = run(["import", "jrnl", str(JRNL)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Imported 9 entries on 6 days (6 new) from {JRNL}.\n"
        "Renamed tags (a tag is one word without spaces, # or commas): "
        "## was dropped (nothing valid left).\n"
    )
    assert result.stderr == ""
    assert sorted(p.name for p in home.entries_dir.rglob("*.md")) == [
        "2023-11-26.md",
        "2024-02-29.md",
        "2025-03-14.md",
        "2025-11-26.md",
        "2026-03-14.md",
        "2026-11-26.md",
    ]


def test_several_entries_on_one_day_become_timestamped_notes(home: Home, run: Run) -> None:
    run(["import", "jrnl", str(JRNL)])
    entry = read_entry(home, dt.date(2025, 11, 26))
    assert entry is not None
    assert [(n.time, n.text) for n in entry.notes()] == [
        (
            "09:05",
            "Standup with Zoë.\n\nShe shipped the café search fix before me and I noticed "
            "the pang. @team @growth",
        ),
        (
            "17:40",
            "★ Gave credit in the review.\n\nTold the group the idea was Zoë's, not mine; "
            "it felt better than I expected. @team",
        ),
    ]
    # The star marks its own entry, not the whole day.
    assert entry.front.tags == ["team", "growth"]
    assert len(entry.front.imported) == 2
    assert entry.front.imported[0].startswith("jrnl:2025-11-26T09:05:")


def test_unicode_tags_and_heading_lines_survive(home: Home, run: Run) -> None:
    run(["import", "jrnl", str(JRNL)])
    danish = read_entry(home, dt.date(2023, 11, 26))
    assert danish is not None and danish.front.tags == ["språk"]
    assert "Første dag." in danish.notes()[0].text
    late = day_text(home, "2025-03-14")
    # jrnl's body had a markdown heading; it stays prose of the note, not a section of ours.
    assert "\n\\## What I will do instead\n" in late
    entry = parse_entry(late, "x.md", dt.date(2025, 3, 14))
    assert [s.heading for s in entry.split()[1]] == ["Notes (19:20)"]
    assert "## What I will do instead" in entry.notes()[0].text
    assert serialize(entry) == late


def test_importing_the_same_file_twice_adds_nothing(home: Home, run: Run) -> None:
    run(["import", "jrnl", str(JRNL)])
    before = all_files(home)
    again = run(["import", "jrnl", str(JRNL)])
    assert again.exit_code == 0, again.output
    assert again.stdout == (
        f"Imported 0 entries on 0 days from {JRNL}.\n"
        "Skipped 9 entries on 6 days: 9 already imported.\n"
    )
    assert all_files(home) == before


def test_editing_an_imported_note_does_not_bring_it_back(home: Home, run: Run) -> None:
    run(["import", "jrnl", str(JRNL)])
    path = entry_path(home, dt.date(2025, 11, 26))
    path.write_text(
        path.read_text(encoding="utf-8").replace("café search fix", "cafe search fix"),
        encoding="utf-8",
    )
    again = run(["import", "jrnl", str(JRNL)])
    assert "9 already imported" in again.stdout
    assert path.read_text(encoding="utf-8").count("## Notes") == 2


def test_import_joins_a_day_already_written(demo: Home, run: Run) -> None:
    run(["today", "--date", "2025-11-26", "--no-input", "--answer", "mood=4"])
    run(["write", "--date", "2025-11-26", "Written in reflect.", "--tag", "team"])
    result = run(["import", "jrnl", str(JRNL)])
    assert "on 6 days (5 new)" in result.stdout
    entry = read_entry(demo, dt.date(2025, 11, 26))
    assert entry is not None
    assert entry.answer("demo", "mood") == 4
    assert [n.text.split("\n")[0] for n in entry.notes()] == [
        "Written in reflect.",
        "Standup with Zoë.",
        "★ Gave credit in the review.",
    ]
    assert entry.front.tags == ["team", "growth"]


def test_an_unreadable_day_is_skipped_and_named(home: Home, run: Run) -> None:
    path = entry_path(home, dt.date(2025, 11, 26))
    path.parent.mkdir(parents=True)
    path.write_text("---\ndate: [\n---\n", encoding="utf-8")
    result = run(["import", "jrnl", str(JRNL)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Imported 7 entries on 5 days (5 new) from {JRNL}.\n"
        "Skipped 2 entries on 1 day: 2 the day's file cannot be read.\n"
        "Renamed tags (a tag is one word without spaces, # or commas): "
        "## was dropped (nothing valid left).\n"
    )
    assert result.stderr.startswith(f"reflect: skipped a day: {path}")
    assert path.read_text(encoding="utf-8") == "---\ndate: [\n---\n"


def test_import_json_keys_are_pinned(home: Home, run: Run) -> None:
    data = json.loads(run(["import", "jrnl", str(JRNL), "--json"]).stdout)
    assert data == {
        "format": 2,
        "source": "jrnl",
        "path": str(JRNL),
        "imported": {"entries": 9, "days": 6, "new_days": 6, "attachments": 0},
        "skipped": {"entries": 0, "days": 0, "why": {}},
        "not_kept": {},
        "renamed_tags": {"##": ""},
        "notes": [],
        "unreadable": [],
        "not_copied": [],
    }
    again = json.loads(run(["import", "jrnl", str(JRNL), "--json"]).stdout)
    assert again["skipped"] == {"entries": 9, "days": 6, "why": {"already imported": 9}}


def test_jrnl_entries_without_a_date_or_text_are_skipped_with_why(
    home: Home, run: Run, tmp_path: Path
) -> None:
    export = tmp_path / "odd.json"
    export.write_text(
        json.dumps(
            {
                "tags": {},
                "entries": [
                    {"title": "No date", "body": "", "date": "someday", "time": "09:00"},
                    {"title": "", "body": "  ", "date": "2026-01-02", "time": "09:00"},
                    {"title": "Fine.", "body": "", "date": "2026-01-02", "time": "10:00"},
                    "not an entry",
                ],
            }
        ),
        encoding="utf-8",
    )
    result = run(["import", "jrnl", str(export)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Imported 1 entry on 1 day (1 new) from {export}.",
        "Skipped 3 entries: 2 no readable date, 1 empty.",
    ]


def test_imported_text_cannot_drive_the_terminal(home: Home) -> None:
    item = SourceEntry(
        "jrnl:2026-01-02T09:00:abc",
        dt.datetime(2026, 1, 2, 9, 0),
        "Title \x1b[31mred\x1b[0m\u202e",
        "Body \x1b]52;c;SGVsbG8=\x07 end\x07",
        starred=True,
    )
    assert item.note() == "★ Title red\n\nBody  end"
    assert clean("a\x1b[1;31mb\x1b[0mc\x1bMd") == "abcd"


def test_the_fixture_is_a_real_jrnl_export() -> None:
    data = json.loads(JRNL.read_text(encoding="utf-8"))
    assert set(data) == {"tags", "entries"}
    assert set(data["entries"][0]) == {"title", "body", "date", "time", "tags", "starred"}
    export = parse_jrnl(JRNL.read_bytes(), "x")
    assert len(export.entries) == 9 and not export.skipped


# -- Day One -------------------------------------------------------------------------


def test_dayone_export_keeps_local_times_titles_tags_and_stars(home: Home, run: Run) -> None:
    result = run(["import", "dayone", str(DAYONE)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Imported 4 entries on 3 days (3 new) from {DAYONE}.\n"
        "Not kept: 1 photo(s) not in the export.\n"
        "Renamed tags (a tag is one word without spaces, # or commas): "
        "Team offsite became Team-offsite.\n"
        "Note: import the .zip, or the .json with its photos, videos and audios folders "
        "beside it, to bring the attachments in.\n"
    )
    # 23:30 UTC on 25 November was half past midnight on the 26th in Copenhagen.
    entry = read_entry(home, dt.date(2025, 11, 26))
    assert entry is not None
    assert [(n.time, n.text) for n in entry.notes()] == [
        (
            "00:30",
            "★ Late thoughts after the offsite\n\n"
            "We agreed on the plan. I asked Ana what success means to her (not a title)!\n\n"
            "1\\. Listen first\n2\\. Then decide - together\n\n"
            "Journal: dayone-export · Place: Nørrebro, Copenhagen, Capital Region, Denmark "
            "(55.6761, 12.5683) · Weather: Cloudy, 4.1 °C",
        ),
        (
            "17:05",
            "Told Jonas his review was the best one this quarter. He looked surprised; "
            "I should say it more often.\n\nJournal: dayone-export",
        ),
    ]
    assert entry.front.tags == ["Team-offsite", "growth", "team"]
    assert entry.front.imported == [
        "dayone:8F3C2D1A4B5E4F6A9B0C1D2E3F4A5B6C",
        "dayone:0A1B2C3D4E5F60718293A4B5C6D7E8F9",
    ]
    leap = read_entry(home, dt.date(2024, 2, 29))
    assert leap is not None
    (note,) = leap.notes()
    assert note.time == "09:00"
    assert note.text == (
        "Leap day notes\n\n## Not a heading of ours\nPasted from a terminal: done.\n\n"
        "Journal: dayone-export"
    )
    # A photo alone is an entry, and says its photo was not in the export.
    (photo,) = read_entry(home, dt.date(2026, 1, 10)).notes()  # type: ignore[union-attr]
    assert photo.text == "(a photo not in the export)\n\nJournal: dayone-export"


def test_dayone_import_is_idempotent_and_reads_the_zip(
    home: Home, run: Run, tmp_path: Path
) -> None:
    archive = tmp_path / "Export - Journal.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(DAYONE, "Journal.json")
        zipped.writestr("photos/3c1f9d2b8e7a6c5d4b3a2f1e0d9c8b7a.jpeg", b"\xff\xd8")
    first = run(["import", "dayone", str(archive)])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("Imported 4 entries on 3 days (3 new)")
    assert "Copied 1 attachment into attachments/." in first.stdout
    before = all_files(home)
    again = run(["import", "dayone", str(DAYONE)])
    assert again.stdout.splitlines()[1] == "Skipped 4 entries on 3 days: 4 already imported."
    assert all_files(home) == before


# -- files that are not exports -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "content", "message"),
    [
        ("jrnl", None, "no such file"),
        ("jrnl", "{not json", "is not JSON (Expecting property name enclosed in double quotes"),
        ("jrnl", '{"journal": []}', 'is not a jrnl JSON export (no "entries" list at the top)'),
        ("jrnl", "[1, 2]", "is not a jrnl JSON export"),
        ("dayone", '{"entries": {}}', "is not a Day One JSON export"),
        ("jrnl", DAYONE, "looks like a Day One export; use `reflect import dayone`"),
        ("dayone", JRNL, "looks like a jrnl export; use `reflect import jrnl`"),
        ("dayone", b"PK\x03\x04broken", "is a damaged zip file"),
        ("jrnl", b"\xff\xfe{}", "is not UTF-8 text"),
    ],
)
def test_a_bad_file_is_one_line_and_exit_1(
    home: Home, run: Run, tmp_path: Path, source: str, content: object, message: str
) -> None:
    path = tmp_path / "export.json"
    if isinstance(content, Path):
        shutil.copy(content, path)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    result = run(["import", source, str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"reflect: {path}: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert not home.entries_dir.exists() or not any(home.entries_dir.rglob("*.md"))


def test_the_progress_bar_counts_to_the_total() -> None:
    from reflect.render.progress import progress_bar

    seen = []
    with progress_bar(3, "Importing") as advance:
        for _ in range(3):
            advance(1)
            seen.append(1)
    assert seen == [1, 1, 1]


def test_a_dash_reads_the_export_from_standard_input(home: Home, run: Run) -> None:
    piped = run(["import", "jrnl", "-", "--json"], input=JRNL.read_text(encoding="utf-8"))
    assert piped.exit_code == 0, piped.output
    assert json.loads(piped.stdout)["imported"]["entries"] == 9
    assert json.loads(piped.stdout)["path"] == "-"
    again = run(["import", "jrnl", "-"], input=JRNL.read_text(encoding="utf-8"))
    assert again.exit_code == 0, again.output
    assert "Skipped 9 entries on 6 days: 9 already imported." in again.stdout
