"""Importers keep everything, or say what they did not: jrnl, Day One with its media, Daylio."""

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from reflect.journal.home import Home
from reflect.journal.store import entry_path, read_entry

from .conftest import DATA, Run

# Made by jrnl v4.6 itself (pip install jrnl, in a throwaway venv): nine entries written
# with `jrnl 2026-11-20 09:05: ...`, then `jrnl --format json > jrnl-v4.6-export.json`.
JRNL = DATA / "jrnl-v4.6-export.json"
# Day One's export zip, unzipped: one JSON per journal, media named by md5 in their folders.
DAYONE = DATA / "dayone"
DAYLIO = DATA / "daylio-export.csv"
RENAMED = "Renamed tags (a tag is one word without spaces, # or commas): "


def text_of(home: Home, day: str) -> str:
    return entry_path(home, dt.date.fromisoformat(day)).read_text(encoding="utf-8")


def notes(home: Home, day: str) -> list[tuple[str, str]]:
    entry = read_entry(home, dt.date.fromisoformat(day))
    assert entry is not None
    return [(n.time, n.text) for n in entry.notes()]


def every_file(home: Home) -> dict[str, bytes]:
    return {str(p.relative_to(home.root)): p.read_bytes() for p in sorted(home.root.rglob("*.*"))}


# -- jrnl, from the real tool -----------------------------------------------------------


def test_the_jrnl_fixture_was_written_by_jrnl() -> None:
    data = json.loads(JRNL.read_text(encoding="utf-8"))
    assert set(data) == {"tags", "entries"}
    assert data["tags"]["@c#"] == 1
    for item in data["entries"]:
        assert set(item) == {"title", "body", "date", "time", "tags", "starred"}


def test_every_jrnl_entry_is_kept(home: Home, run: Run) -> None:
    result = run(["import", "jrnl", str(JRNL)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Imported 9 entries on 4 days (4 new) from {JRNL}.\n{RENAMED}@c# became c.\n"
    )
    assert result.stderr == ""
    # Two identical entries inside one export are two entries.
    assert (
        notes(home, "2026-11-20")[1:]
        == [
            (
                "17:40",
                "Gave credit in the review.\n\nTold the group the idea was Zoë's, not mine. @team",
            )
        ]
        * 2
    )
    assert (
        notes(home, "2026-11-23") == [("10:00", "Duplicate check.\n\nExactly the same words.")] * 2
    )
    # An entry of a tag only is kept, as written.
    assert notes(home, "2026-11-21")[0] == ("08:00", "@meeting")
    day = read_entry(home, dt.date(2026, 11, 21))
    assert day is not None and day.front.tags == ["meeting", "c", "språk", "rust"]
    # Starred is the entry's, not the day's.
    assert notes(home, "2026-11-22") == [
        ("21:00", "★ Starred one. A good day."),
        ("22:00", "Not starred.\n\nSame day, ordinary note."),
    ]
    starred_day = read_entry(home, dt.date(2026, 11, 22))
    assert starred_day is not None and starred_day.front.tags == []


def test_a_jrnl_reimport_adds_nothing_and_reports_nothing_renamed(home: Home, run: Run) -> None:
    run(["import", "jrnl", str(JRNL)])
    before = every_file(home)
    again = run(["import", "jrnl", str(JRNL)])
    assert again.stdout == (
        f"Imported 0 entries on 0 days from {JRNL}.\n"
        "Skipped 9 entries on 4 days: 9 already imported.\n"
    )
    assert every_file(home) == before


def test_a_jrnl_entry_of_tags_alone_is_its_tags(home: Home, run: Run, tmp_path: Path) -> None:
    export = tmp_path / "tags.json"
    entry = {"title": "", "body": "", "date": "2026-01-02", "time": "09:00"}
    export.write_text(
        json.dumps({"entries": [{**entry, "tags": ["@standup", "@team"], "starred": False}]}),
        encoding="utf-8",
    )
    result = run(["import", "jrnl", str(export)])
    assert result.exit_code == 0, result.output
    assert notes(home, "2026-01-02") == [("09:00", "@standup @team")]


# -- Day One, in the real zip layout ------------------------------------------------------


@pytest.fixture
def dayone_zip(tmp_path: Path) -> Path:
    archive = tmp_path / "Export - All Entries (2026-11-26).zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(DAYONE.rglob("*")):
            if path.is_file():
                zipped.write(path, path.relative_to(DAYONE).as_posix())
    return archive


DAYONE_SUMMARY = [
    "Imported 4 entries on 3 days (3 new) from {file}.",
    "Copied 4 attachments into attachments/.",
    "Not kept: 1 isPinned (a Day One field reflect does not keep), "
    "1 userActivity (a Day One field reflect does not keep).",
    f"{RENAMED}one to one became one-to-one.",
]


def test_dayone_media_are_copied_and_linked(home: Home, run: Run, dayone_zip: Path) -> None:
    result = run(["import", "dayone", str(dayone_zip), "--tz", "America/New_York"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        *(line.format(file=dayone_zip) for line in DAYONE_SUMMARY),
        "Note: 1 entry has no time zone; read in America/New_York.",
    ]
    copied = sorted(p.relative_to(home.root).as_posix() for p in home.attachments_dir.rglob("*.*"))
    assert copied == sorted(
        f"attachments/2026/{p.name}" for p in DAYONE.glob("*/*") if p.parent.name != "."
    )
    for path in home.attachments_dir.rglob("*.*"):
        original = next(DAYONE.glob(f"*/{path.name}"))
        assert path.read_bytes() == original.read_bytes()
        assert path.stat().st_mode & 0o777 == 0o600
    assert (home.attachments_dir / "2026").stat().st_mode & 0o777 == 0o700
    assert home.attachments_dir.stat().st_mode & 0o777 == 0o700
    walk = text_of(home, "2026-11-20")
    links = re.findall(r"\]\((\.\./\.\./attachments/[^)]+)\)", walk)
    assert len(links) == 3
    folder = entry_path(home, dt.date(2026, 11, 20)).parent
    assert all((folder / link).resolve().is_file() for link in links)
    # The photo and the video stand where the text put them; the unplaced photo follows.
    assert notes(home, "2026-11-20")[1] == (
        "19:45",
        "★ Harbour walk\n\nWalked the team to the harbour after the retro.\n\n"
        "![photo](../../attachments/2026/d49f26062a1b1f1670726f9612b0aefe.jpeg)\n\n"
        "The wind took the notes; we kept the ideas.\n\n"
        "![video](../../attachments/2026/c320cbfbf62e3398a4ed523520617398.mov)\n\n"
        "![photo](../../attachments/2026/b4b960cf2a31af5a4a5faa71e4ccc035.png)\n\n"
        "Journal: Journal · Place: Nyhavn, Copenhagen, Capital Region, Denmark "
        "(55.6867, 12.5939) · Weather: Windy, 6.5 °C",
    )
    assert "dayone-moment" not in walk


def test_dayone_keeps_all_day_journal_names_and_zones(
    home: Home, run: Run, dayone_zip: Path
) -> None:
    run(["import", "dayone", str(dayone_zip), "--tz", "America/New_York"])
    # Another journal in the same export says which.
    assert notes(home, "2026-11-20")[0] == (
        "10:30",
        "Asked Jonas what success means to him this quarter.\n\nJournal: Work",
    )
    # An all-day entry has no time of its own.
    assert "\n## Notes\n\nOffsite day two" in text_of(home, "2026-11-22")
    assert notes(home, "2026-11-22")[0][0] == ""
    assert "![audio](../../attachments/2026/e73c8b4c2db26a3e9b81c1df16bb16a4.m4a)" in text_of(
        home, "2026-11-22"
    )
    # 07:15 UTC, read in New York as --tz said.
    assert notes(home, "2026-11-23")[0][0] == "02:15"


def test_without_tz_the_machine_zone_is_named(
    home: Home, run: Run, dayone_zip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        result = run(["import", "dayone", str(dayone_zip)])
    finally:
        monkeypatch.undo()
        time.tzset()
    assert result.stdout.splitlines()[-1] == (
        "Note: 1 entry has no time zone; read in this machine's (UTC); --tz ZONE sets another."
    )


def test_dayone_reimport_copies_and_adds_nothing(home: Home, run: Run, dayone_zip: Path) -> None:
    run(["import", "dayone", str(dayone_zip), "--tz", "UTC"])
    before = every_file(home)
    again = run(["import", "dayone", str(dayone_zip), "--tz", "UTC"])
    assert again.stdout == (
        f"Imported 0 entries on 0 days from {dayone_zip}.\n"
        "Skipped 4 entries on 3 days: 4 already imported.\n"
    )
    assert every_file(home) == before


def test_the_json_inside_brings_the_media_beside_it(home: Home, run: Run, tmp_path: Path) -> None:
    unzipped = tmp_path / "export"
    shutil.copytree(DAYONE, unzipped)
    result = run(["import", "dayone", str(unzipped / "Journal.json"), "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    assert "Copied 4 attachments into attachments/." in result.stdout
    assert len(list(home.attachments_dir.rglob("*.*"))) == 4


def test_the_json_alone_says_its_media_stayed_behind(home: Home, run: Run, tmp_path: Path) -> None:
    alone = tmp_path / "Journal.json"
    shutil.copy(DAYONE / "Journal.json", alone)
    result = run(["import", "dayone", str(alone), "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    assert "Not kept: 2 photo(s) not in the export, 1 isPinned" in result.stdout
    assert "1 video(s) not in the export, 1 audio(s) not in the export" in result.stdout
    assert "Skipped nothing." not in result.stdout
    assert "(a photo not in the export)" in text_of(home, "2026-11-20")
    assert not home.attachments_dir.exists()


def test_a_zip_over_the_limit_points_at_the_json_inside(
    home: Home, run: Run, dayone_zip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reflect.daily.importer.MAX_EXPORT_BYTES", 100)
    result = run(["import", "dayone", str(dayone_zip)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reflect: {dayone_zip}: larger than 0 MB, more than reflect imports at once; "
        "unzip it and import the journal's .json "
        "inside (`reflect import dayone Journal.json`); its photos, videos and audios "
        "folders beside it come along\n"
    )


def test_a_bad_time_zone_is_a_usage_error(home: Home, run: Run, dayone_zip: Path) -> None:
    result = run(["import", "dayone", str(dayone_zip), "--tz", "Mars/Olympus"])
    assert result.exit_code == 2
    assert result.stderr == (
        "reflect: --tz 'Mars/Olympus' is not a time zone: use a name such as "
        "Europe/Copenhagen or UTC\n"
    )


def test_dayone_import_json_keys(home: Home, run: Run, dayone_zip: Path) -> None:
    data = json.loads(run(["import", "dayone", str(dayone_zip), "--json"]).stdout)
    assert data["imported"] == {"entries": 4, "days": 3, "new_days": 3, "attachments": 4}
    assert data["not_kept"] == {
        "isPinned (a Day One field reflect does not keep)": 1,
        "userActivity (a Day One field reflect does not keep)": 1,
    }
    assert data["renamed_tags"] == {"one to one": "one-to-one"}
    assert data["notes"][0].startswith("1 entry has no time zone")


# -- Daylio ----------------------------------------------------------------------------


def test_daylio_moods_activities_and_notes(demo: Home, run: Run) -> None:
    result = run(["import", "daylio", str(DAYLIO)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Imported 5 entries on 4 days (4 new) from {DAYLIO}.",
        "Not kept: 1 mood with no number (the note keeps it).",
        f"{RENAMED}sport & fitness became sport-&-fitness, c# became c, "
        "sleep early became sleep-early, good meal became good-meal.",
        "Note: mood 'sleepy' has no number on daily/mood; map it with --mood 'sleepy=N'.",
        "Note: 3 day(s) got a daily/mood answer.",
    ]
    moods = {}
    for day in ("2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"):
        entry = read_entry(demo, dt.date.fromisoformat(day))
        assert entry is not None
        moods[day] = entry.answer("daily", "mood")
    # good, awful, a custom mood with no number, then the day's latest: rad.
    assert moods == {"2026-11-23": 4, "2026-11-24": 1, "2026-11-25": None, "2026-11-26": 5}
    assert notes(demo, "2026-11-26") == [
        ("08:10", "Mood: meh · Activities: work, sleep early"),
        (
            "21:05",
            "Launch day\n\nShipped it.\nThanked Sam in front of everyone, and meant it.\n\n"
            "Mood: rad · Activities: work, friends, good meal",
        ),
    ]
    assert notes(demo, "2026-11-23") == [
        ("00:00", "Gym\n\nMood: good · Activities: sport & fitness, c#")
    ]
    assert notes(demo, "2026-11-25") == [
        (
            "12:30",
            'Short night; the "big" meeting, moved again.\n\nMood: sleepy · Activities: reading',
        )
    ]
    assert notes(demo, "2026-11-24") == [("23:59", "Mood: awful")]
    day = read_entry(demo, dt.date(2026, 11, 26))
    assert day is not None and day.front.tags == ["work", "sleep-early", "friends", "good-meal"]


def test_daylio_is_idempotent_and_a_mood_mapping_fills_in_later(home: Home, run: Run) -> None:
    run(["import", "daylio", str(DAYLIO)])
    before = every_file(home)
    again = run(["import", "daylio", str(DAYLIO)])
    assert "Skipped 5 entries on 4 days: 5 already imported." in again.stdout
    assert every_file(home) == before
    mapped = run(["import", "daylio", str(DAYLIO), "--mood", "Sleepy=2"])
    assert mapped.exit_code == 0, mapped.output
    assert mapped.stdout.splitlines()[-1] == "Note: 1 day(s) got a daily/mood answer."
    entry = read_entry(home, dt.date(2026, 11, 25))
    assert entry is not None and entry.answer("daily", "mood") == 2
    assert entry.notes()[0].text.count("Short night") == 1


def test_daylio_answers_an_existing_day_only_where_it_is_open(home: Home, run: Run) -> None:
    run(["today", "--date", "2026-11-26", "--no-input", "--answer", "daily/mood=2"])
    result = run(["import", "daylio", str(DAYLIO)])
    assert "Note: 1 day(s) already had a different daily/mood answer; it was kept." in result.stdout
    entry = read_entry(home, dt.date(2026, 11, 26))
    assert entry is not None and entry.answer("daily", "mood") == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--mood", "sleepy"], 2, "--mood 'sleepy': expected NAME=N, e.g. --mood sleepy=2"),
        (["--mood", "sleepy=9"], 2, "--mood sleepy=9: 9 is outside 1-5"),
        (
            ["--prompt", "daily/gratitude"],
            2,
            "reflect: --prompt daily/gratitude: is a text question; moods answer a scale or "
            "number question, e.g. daily/mood (the default)\n",
        ),
        (
            ["--prompt", "nope"],
            2,
            "reflect: --prompt 'nope': expected PACK/PROMPT, the scale or number question that "
            "moods answer, e.g. daily/mood (the default)\n",
        ),
        (
            ["--prompt", "nope/mood"],
            1,
            "reflect: no pack with id 'nope'; `reflect packs list` shows the packs\n",
        ),
    ],
)
def test_daylio_options_are_checked(
    home: Home, run: Run, args: list[str], code: int, message: str
) -> None:
    result = run(["import", "daylio", str(DAYLIO), *args])
    assert result.exit_code == code
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not home.entries_dir.exists() or not any(home.entries_dir.rglob("*.md"))


def test_a_csv_that_is_not_daylio_is_refused(home: Home, run: Run, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("date,mood\n2026-11-26,rad\n", encoding="utf-8")
    result = run(["import", "daylio", str(other)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reflect: {other}: is not a Daylio CSV export (no full_date, weekday, time, activities, "
        "note_title, note column); expected Daylio's CSV export (Settings > Export entries > CSV)\n"
    )


def test_daylio_times_are_read_in_either_clock() -> None:
    from reflect.daily.daylio import _time

    assert _time("9:05 pm") == dt.time(21, 5)
    assert _time("12:00 am") == dt.time(0, 0)
    assert _time("12:30 PM") == dt.time(12, 30)
    assert _time("7:15 a.m.") == dt.time(7, 15)
    assert _time("21:05") == dt.time(21, 5)
    assert _time("13:00 pm") is None
    assert _time("soon") is None


def test_a_sync_merge_keeps_duplicate_and_untimed_notes() -> None:
    from reflect.sync.merge import merge_entry

    base = "---\ndate: 2026-11-23\nformat: 1\n---\n\n## Notes (10:00)\n\nSame words.\n\n## Notes (10:00)\n\nSame words.\n"
    ours = base + "\n## Notes\n\nWritten after the fact.\n"
    theirs = base + "\n## Notes (12:00)\n\nAt lunch.\n"
    merged = merge_entry(base, ours, theirs, "2026-11-23.md").text
    headings = [line for line in merged.splitlines() if line.startswith("## ")]
    assert headings == ["## Notes", "## Notes (10:00)", "## Notes (10:00)", "## Notes (12:00)"]
    dropped_one = base.rsplit("\n## Notes (10:00)", 1)[0] + "\n"
    after = merge_entry(base, dropped_one, theirs, "2026-11-23.md").text
    assert after.count("## Notes (10:00)") == 1


def test_a_media_file_that_cannot_be_read_is_counted_not_linked(
    home: Home, run: Run, tmp_path: Path
) -> None:
    archive = tmp_path / "damaged.zip"
    photo = next(DAYONE.glob("photos/*.jpeg"))
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(DAYONE / "Journal.json", "Journal.json")
        zipped.writestr(f"photos/{photo.name}", photo.read_bytes())
    raw = bytearray(archive.read_bytes())
    at = raw.find(photo.read_bytes())
    raw[at] ^= 0xFF  # the stored bytes no longer match their CRC
    archive.write_bytes(bytes(raw))
    result = run(["import", "dayone", str(archive), "--tz", "UTC"])
    assert result.exit_code == 1, result.output
    assert "1 photo(s) that could not be copied" in result.stdout
    member = f"photos/{photo.name}"
    assert result.stderr == f"reflect: could not copy {member}: Bad CRC-32 for file '{member}'\n"
    assert f"(a photo that could not be copied: {photo.name})" in text_of(home, "2026-11-20")
    assert f"attachments/2026/{photo.name}" not in text_of(home, "2026-11-20")


def test_jrnl_tags_are_read_as_jrnl_reads_them(home: Home, run: Run, tmp_path: Path) -> None:
    export = tmp_path / "tags.json"
    entry = {"title": "Plan", "body": "Call @ space later.", "date": "2026-01-02", "time": "09:00"}
    tags = ["@work", "#home", "@#plan", "@ space", "@c#", "@@x", "unmarked", "@a.b", "@1.5"]
    export.write_text(
        json.dumps({"entries": [{**entry, "tags": tags, "starred": False}]}), encoding="utf-8"
    )
    result = run(["import", "jrnl", str(export), "--json"])
    assert result.exit_code == 0, result.output
    # The mark is jrnl's, not the name's; what jrnl reads as no tag at all is dropped.
    assert json.loads(result.stdout)["renamed_tags"] == {
        "@#plan": "plan",
        "@ space": "",
        "@c#": "c",
        "@@x": "",
        "@a.b": "a",
        "@1.5": "1",
    }
    day = read_entry(home, dt.date(2026, 1, 2))
    assert day is not None
    assert day.front.tags == ["work", "home", "plan", "c", "unmarked", "a", "1"]
    assert notes(home, "2026-01-02") == [("09:00", "Plan\n\nCall @ space later.")]


def test_a_hash_in_a_dayone_tag_is_part_of_it_and_its_renaming_is_reported(
    home: Home, run: Run, tmp_path: Path
) -> None:
    export = tmp_path / "Journal.json"
    entry = {"uuid": "A1", "creationDate": "2026-01-02T09:00:00Z", "timeZone": "UTC"}
    export.write_text(
        json.dumps({"entries": [{**entry, "text": "x", "tags": ["#home", "work"]}]}),
        encoding="utf-8",
    )
    result = run(["import", "dayone", str(export)])
    assert result.exit_code == 0, result.output
    assert f"{RENAMED}#home became home." in result.stdout.splitlines()


def test_a_bad_time_is_named_as_a_bad_time(home: Home, run: Run, tmp_path: Path) -> None:
    jrnl = tmp_path / "jrnl.json"
    entries = [
        {"title": "a", "body": "", "date": "2026-01-02", "time": "25:99", "tags": []},
        {"title": "b", "body": "", "date": "2026-13-02", "time": "09:00", "tags": []},
    ]
    jrnl.write_text(json.dumps({"entries": entries}), encoding="utf-8")
    result = run(["import", "jrnl", str(jrnl)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "Skipped 2 entries: 1 a time that is no time of day, 1 no readable date."
    )
    dayone = tmp_path / "Journal.json"
    dayone.write_text(
        json.dumps({"entries": [{"uuid": "A1", "creationDate": "2026-01-02T25:99:00Z"}]}),
        encoding="utf-8",
    )
    result = run(["import", "dayone", str(dayone)])
    assert "Skipped 1 entry: 1 a time that is no time of day." in result.stdout
    daylio = tmp_path / "daylio.csv"
    daylio.write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2026-01-02,January 2,Friday,25:99,good,,,\n",
        encoding="utf-8",
    )
    result = run(["import", "daylio", str(daylio)])
    assert "Skipped 1 entry: 1 a time that is no time of day." in result.stdout


def test_a_dayone_zone_that_is_none_is_named(home: Home, run: Run, tmp_path: Path) -> None:
    export = tmp_path / "Journal.json"
    entry = {"creationDate": "2026-01-02T09:00:00Z", "text": "x"}
    export.write_text(
        json.dumps(
            {
                "entries": [
                    {**entry, "uuid": "A1", "timeZone": "Mars/Olympus"},
                    {**entry, "uuid": "A2", "timeZone": "Mars/Olympus"},
                    {**entry, "uuid": "A3"},
                ]
            }
        ),
        encoding="utf-8",
    )
    result = run(["import", "dayone", str(export), "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "Note: 1 entry has no time zone; read in UTC.",
        "Note: 2 entries name a time zone that is none ('Mars/Olympus'); read in UTC.",
        "Skipped nothing.",
    ]


def test_imported_notes_take_their_place_in_time_among_the_days_notes(
    home: Home, run: Run, tmp_path: Path
) -> None:
    for time, text in (("09:00", "Standup."), ("18:00", "Dinner.")):
        result = run(["write", text, "--date", "2026-01-02", "--time", time])
        assert result.exit_code == 0, result.output
    before = text_of(home, "2026-01-02")
    export = tmp_path / "jrnl.json"
    entries = [
        {"title": title, "body": "", "date": "2026-01-02", "time": time, "tags": []}
        for time, title in (("20:00", "Late."), ("07:00", "Early."), ("12:00", "Lunch."))
    ]
    export.write_text(json.dumps({"entries": entries}), encoding="utf-8")
    result = run(["import", "jrnl", str(export)])
    assert result.exit_code == 0, result.output
    assert notes(home, "2026-01-02") == [
        ("07:00", "Early."),
        ("09:00", "Standup."),
        ("12:00", "Lunch."),
        ("18:00", "Dinner."),
        ("20:00", "Late."),
    ]
    after = text_of(home, "2026-01-02")
    for kept in ("## Notes (09:00)\n\nStandup.\n", "## Notes (18:00)\n\nDinner.\n"):
        assert kept in before and kept in after
    # An all-day entry comes before the timed notes.
    dayone = tmp_path / "Journal.json"
    dayone.write_text(
        json.dumps(
            {
                "entries": [
                    {
                        "uuid": "A1",
                        "creationDate": "2026-01-02T10:00:00Z",
                        "timeZone": "UTC",
                        "isAllDay": True,
                        "text": "Offsite.",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    assert run(["import", "dayone", str(dayone)]).exit_code == 0
    assert [time for time, _ in notes(home, "2026-01-02")] == [
        "", "07:00", "09:00", "12:00", "18:00", "20:00"
    ]  # fmt: skip
