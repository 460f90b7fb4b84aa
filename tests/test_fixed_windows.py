"""Commands over a fixed window read what the window needs, and answer as a full read would.

The walk back through a streak reads a stretch of days at a time, on-this-day
looks for the date's file with one `lstat` a year, and the year folders are
listed without a path for each: each is compared here with the plain reading
it replaces, on journals hypothesis draws (written, empty and refused days,
files in another year's folder, links to nothing).
"""

import datetime as dt
import os
import sqlite3
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reflect.journal import cache
from reflect.journal.cache import iter_days, written_run_before
from reflect.journal.home import Home
from reflect.journal.index_store import index_path
from reflect.journal.store import BadEntry, entry_years, existing_entry_path, year_names
from reflect.lookback.queries import on_this_day, same_date_earlier

from .conftest import Run, d

FIRST = dt.date(2023, 12, 1)
SPAN = 100  # days from FIRST: three year folders

# What a day's file holds: a day written, an empty one, one the reader refuses.
TEXTS = {
    "written": "---\ndate: {day}\nformat: 1\n---\nA line.\n",
    "empty": "---\ndate: {day}\nformat: 1\n---\n",
    "broken": "---\ndate: [\n---\n",
}
KINDS = st.sampled_from(["written", "written", "written", "empty", "broken", "elsewhere", "link"])


def lay_out(root: Path, days: dict[int, str]) -> Home:
    """A journal with a file of each kind on each day (offsets from FIRST)."""
    home = Home(root).ensure()
    for offset, kind in days.items():
        day = FIRST + dt.timedelta(days=offset)
        folder = home.entries_dir / f"{day.year:04d}"
        if kind == "elsewhere":  # in the folder of the year before, as a mistaken move leaves it
            folder = home.entries_dir / f"{day.year - 1:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{day.isoformat()}.md"
        if kind == "link":
            path.symlink_to(folder / "nowhere.md")
        else:
            text = TEXTS["written" if kind == "elsewhere" else kind]
            path.write_text(text.format(day=day.isoformat()), encoding="utf-8")
    return home


def walked(home: Home, day: dt.date) -> list[dt.date]:
    """The run before `day` as read from every day up to it, newest first."""
    run: list[dt.date] = []
    expected = day - dt.timedelta(days=1)
    for item in iter_days(home, until=expected, newest_first=True):
        if isinstance(item, BadEntry) or item.date != expected or not item.written:
            break
        run.append(expected)
        expected -= dt.timedelta(days=1)
    return run


journals = st.dictionaries(st.integers(0, SPAN - 1), KINDS, max_size=SPAN)


@given(
    days=journals,
    # Long stretches of written days, so that runs cross folders and stretches.
    runs=st.lists(st.tuples(st.integers(0, SPAN - 1), st.integers(1, 60)), max_size=3),
    before=st.integers(0, SPAN + 5),
    first_stretch=st.integers(1, 40),
)
def test_the_walk_back_through_a_run_finds_what_reading_every_day_finds(
    days: dict[int, str], runs: list[tuple[int, int]], before: int, first_stretch: int
) -> None:
    for start, length in runs:
        for offset in range(start, min(start + length, SPAN)):
            days.setdefault(offset, "written")
    with tempfile.TemporaryDirectory() as folder:
        home = lay_out(Path(folder), days)
        day = FIRST + dt.timedelta(days=before)
        expected = walked(home, day)
        with mock.patch.object(cache, "FIRST_STRETCH_DAYS", first_stretch):
            assert written_run_before(home, day) == expected
            # And from an index built by the walk itself, not by the full read.
            index_path(home).unlink()
            assert written_run_before(home, day) == expected


def test_a_long_run_is_read_back_in_full_across_year_folders(home: Home) -> None:
    days = {offset: "written" for offset in range(SPAN)}
    lay_out(home.root, days)
    day = FIRST + dt.timedelta(days=SPAN)
    run = written_run_before(home, day)
    assert len(run) == SPAN and run[0] == day - dt.timedelta(days=1) and run[-1] == FIRST


def test_the_walk_reads_only_the_stretches_it_needs(home: Home) -> None:
    days = {offset: "written" for offset in range(SPAN)}
    del days[80]  # a gap: the run before the last day is 19 days long
    lay_out(home.root, days)
    assert len(written_run_before(home, FIRST + dt.timedelta(days=SPAN))) == 19
    with sqlite3.connect(index_path(home)) as db:
        stored = db.execute("SELECT count(*) FROM days").fetchone()[0]
    # The first stretch (32 days) and nothing before it: not the whole of 2024's folder.
    assert stored == cache.FIRST_STRETCH_DAYS - 1


@given(days=journals, on=st.integers(0, SPAN + 400), years=st.sampled_from([None, 1]))
def test_on_this_day_finds_the_files_a_full_look_finds(
    days: dict[int, str], on: int, years: int | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = lay_out(Path(folder), days)
        day = FIRST + dt.timedelta(days=on)
        keeps = same_date_earlier(day)
        wanted: list[dt.date] = []
        for year, _ in entry_years(home):
            for month, mday in dict.fromkeys([(day.month, day.day), (2, 29)]):
                try:
                    other = dt.date(year, month, mday)
                except ValueError:
                    continue
                path = existing_entry_path(home, other)
                if keeps(other) and (path.exists() or path.is_symlink()):
                    wanted.append(other)
        found = on_this_day(home, day, years=years)
        more = max(0, len({other.year for other in wanted}) - (years or len(wanted)))
        shown = sorted(wanted)[more:] if years else sorted(wanted)
        read = [entry.date for entry in found.entries]
        read += [d(item.path.name[:10]) for item in found.bad]
        assert (sorted(read), found.more) == (shown, more)
        assert all(
            item.path == existing_entry_path(home, d(item.path.name[:10])) for item in found.bad
        )


def test_on_this_day_looks_once_for_each_year_folder(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    lay_out(home.root, {0: "written", 365: "written"})  # 2023-12-01 and 2024-11-30
    for year in range(1900, 2023):
        (home.entries_dir / f"{year}").mkdir()
    looked: list[str] = []
    real = os.lstat

    def lstat(path: str, **kwargs: object) -> os.stat_result:
        looked.append(path)
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "lstat", lstat)
    found = on_this_day(home, d("2026-12-01"))
    assert [entry.date for entry in found.entries] == [d("2023-12-01")]
    assert len(looked) == 2024 - 1900 + 1  # one a year folder; 2025 and 2026 have none


def test_year_folders_are_listed_as_a_path_would_see_them(home: Home) -> None:
    entries = home.ensure().entries_dir
    entries.mkdir(exist_ok=True)
    (entries / "2024").mkdir()
    (entries / "1999").write_text("a file, not a folder", encoding="utf-8")
    (entries / "2001").symlink_to(entries / "2024")  # a link to a folder counts
    (entries / "2002").symlink_to(entries / "gone")  # a link to nothing does not
    (entries / "2003").symlink_to(entries / "2003")  # nor a link to itself
    (entries / "notes").mkdir()
    (entries / "20245").mkdir()
    by_path = sorted(
        (int(path.name), path.name)
        for path in entries.iterdir()
        if len(path.name) == 4 and path.name.isdigit() and path.is_dir()
    )
    assert year_names(home) == by_path == [(2001, "2001"), (2024, "2024")]
    assert entry_years(home) == [(year, entries / name) for year, name in by_path]


def test_a_year_folder_removed_leaves_the_index_on_a_fixed_window(home: Home, run: Run) -> None:
    lay_out(home.root, {0: "written", 40: "written", 99: "written"})
    result = run(["search", "line"])  # every day into the index
    assert result.exit_code == 0, result.output
    with sqlite3.connect(index_path(home)) as db:
        assert db.execute("SELECT DISTINCT folder FROM days ORDER BY folder").fetchall() == [
            ("2023",),
            ("2024",),
        ]
    for path in (home.entries_dir / "2023").iterdir():
        path.unlink()
    (home.entries_dir / "2023").rmdir()
    result = run(["calendar", "--year", "2024"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(index_path(home)) as db:
        assert db.execute("SELECT DISTINCT folder FROM days").fetchall() == [("2024",)]
