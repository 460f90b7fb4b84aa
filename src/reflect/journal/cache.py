"""The store's index: what trends and the calendar need from each day, read without packs.

A `DayRecord` keeps a day's structured answers, tags, pack versions and the
number of words under each heading; prose itself is left in the file.

Parsing YAML is most of the cost of reading a long journal, so records are
kept in a cache under `<home>/.cache/index/`, one file per year, each entry
keyed by its file's size and modification time. The cache is never the
source of truth: a record whose file changed is read again, a cache that
cannot be read is rebuilt, and one that cannot be written is done without.
"""

import contextlib
import datetime as dt
import json
import os
import re
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reflect.errors import ReflectError, StorageError
from reflect.journal.entry import Entry
from reflect.journal.files import write_atomic
from reflect.journal.home import Home
from reflect.journal.store import (
    BadEntry,
    entry_years,
    read_entry_file,
    unreadable_year,
    year_files,
)
from reflect.model.pack import AnswerValue

# 3: the reader refuses bent front matter, aliases and huge numbers that
# earlier records were read with, so those records are read again.
INDEX_FORMAT = 3
# A file changed within this long of being read may change again within the
# same tick of a coarse clock without its size or time moving: not cached yet.
SETTLED_NS = 2_000_000_000
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is a cache made by reflect; it is rebuilt when missing.\n"
)

_NOTE_HEADING = re.compile(r"^Notes \(\d{2}:\d{2}\)$")


@dataclass(frozen=True, slots=True)
class DayRecord:
    """One day's entry as trends read it."""

    date: dt.date
    path: str
    written: bool
    tags: tuple[str, ...]
    packs: Mapping[str, str]
    answers: Mapping[str, Mapping[str, AnswerValue]]
    words: Mapping[str, int]

    @property
    def answer_count(self) -> int:
        """Structured answers plus prose answers (sections other than free notes)."""
        prose = sum(1 for heading, n in self.words.items() if n and not is_note(heading))
        return sum(len(values) for values in self.answers.values()) + prose


def is_note(heading: str) -> bool:
    return _NOTE_HEADING.match(heading) is not None


def day_record(entry: Entry, path: str) -> DayRecord:
    _, sections = entry.split()
    words: dict[str, int] = {}
    for section in sections:
        # Prose tied to its question counts under its id, whatever the heading says.
        name = section.key or section.heading
        words[name] = words.get(name, 0) + len(section.prose.split())
    return DayRecord(
        date=entry.date,
        path=path,
        written=not entry.is_empty(),
        tags=tuple(entry.front.tags),
        packs=entry.front.versions(),
        answers={pack: dict(values) for pack, values in entry.front.answers.items()},
        words=words,
    )


def iter_days(
    home: Home,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    newest_first: bool = False,
) -> Iterator[DayRecord | BadEntry]:
    """Each day in a range, in date order; unreadable files come out as BadEntry."""
    every = entry_years(home)
    forget_years(home, {folder.name for _, folder in every})
    years = [
        folder
        for year, folder in every
        if not ((since and year < since.year) or (until and year > until.year))
    ]
    if newest_first:
        years.reverse()
    with _Parsers() as parsers:
        # The workers parse the next years' stale files while this process
        # reads the current one; only a few years' caches are held at once.
        ahead: deque[_Year] = deque()
        upcoming = iter(years)
        while True:
            while len(ahead) < LOOKAHEAD_YEARS and (folder := next(upcoming, None)) is not None:
                ahead.append(_Year.prepare(home, folder, since, until, newest_first, parsers))
            if not ahead:
                return
            year = ahead.popleft()
            try:
                yield from year.read()
            finally:
                year.index.save()


LOOKAHEAD_YEARS = 3


def forget_years(home: Home, kept: set[str]) -> None:
    """Remove the cached records of year folders that are gone: deleted words leave the cache too."""
    folder = home.cache_dir / "index"
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.endswith(".json") and name.removesuffix(".json") not in kept:
            with contextlib.suppress(OSError):
                (folder / name).unlink()


@dataclass
class _Year:
    """One year folder on its way through iter_days: its cache, its files, its parse jobs."""

    index: "_YearIndex"
    files: list[tuple[dt.date, Path]]
    parsed: Iterator["Parsed"] | None
    jobs: int
    problem: BadEntry | None = None

    @classmethod
    def prepare(
        cls,
        home: Home,
        folder: Path,
        since: dt.date | None,
        until: dt.date | None,
        newest_first: bool,
        parsers: "_Parsers",
    ) -> "_Year":
        try:
            every = year_files(folder)
        except OSError as exc:
            return cls(
                _YearIndex(home, folder.name, set()), [], iter(()), 0, unreadable_year(folder, exc)
            )
        files = [
            (day, path)
            for day, path in every
            if not ((since and day < since) or (until and day > until))
        ]
        if newest_first:
            files.reverse()
        index = _YearIndex(home, folder.name, {path.name for _, path in every})
        jobs = index.stale(files)
        return cls(index, files, parsers.parse(jobs), len(jobs))

    def read(self) -> Iterator[DayRecord | BadEntry]:
        if self.problem is not None:
            yield self.problem
        if self.parsed is not None:
            self.index.prime(list(self.parsed))
        for day, path in self.files:
            found = self.index.read(day, path)
            if found is not None:
                yield found


# Parsing is what a cold cache costs; with this many files to parse, the
# machine's other cores share the work.
PARALLEL_MIN = 100
Parsed = tuple[str, dict[str, Any] | None, str | None]


def _parse(job: tuple[str, str]) -> Parsed:
    """A file's record data, or the reason it cannot be read (run in a worker process)."""
    path, day = job
    try:
        entry = read_entry_file(Path(path), dt.date.fromisoformat(day))
    except ReflectError as exc:
        return path, None, str(exc)
    if entry is None:
        return path, None, None
    return path, _record_data(day_record(entry, path)), None


class _Parsers:
    """Worker processes, started only when a cold cache has enough files to parse."""

    def __init__(self) -> None:
        self.pool: Any = None

    def __enter__(self) -> "_Parsers":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def parse(self, jobs: list[tuple[str, str]]) -> Iterator[Parsed] | None:
        """Results in the order of `jobs` as workers finish them; None to parse in-process."""
        workers = min(os.cpu_count() or 1, 8)
        if len(jobs) < PARALLEL_MIN or workers < 2 or "fork" not in _start_methods():
            return None
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            if self.pool is None:
                context = multiprocessing.get_context("fork")
                self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
            results: Iterator[Parsed] = self.pool.map(_parse, jobs, chunksize=32)
        except (OSError, RuntimeError):
            return None  # no workers to be had: the files are parsed one by one instead
        return results


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


class _YearIndex:
    """The cached records of one year folder's entries."""

    def __init__(self, home: Home, year: str, names: set[str]) -> None:
        self.home = home
        self.path = home.cache_dir / "index" / f"{year}.json"
        self.files = self._load()
        self.parsed: dict[str, tuple[dict[str, Any] | None, str | None]] = {}
        self.keys: dict[str, list[int] | None] = {}
        self.changed = False
        for name in set(self.files) - names:
            del self.files[name]
            self.changed = True

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT:
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

    def _key(self, path: Path) -> list[int] | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return [stat.st_size, stat.st_mtime_ns]

    def stale(self, files: list[tuple[dt.date, Path]]) -> list[tuple[str, str]]:
        """The files whose cached record is missing or out of date, as parse jobs."""
        jobs = []
        for day, path in files:
            key = self.keys[path.name] = self._key(path)
            cached = self.files.get(path.name)
            if not (isinstance(cached, list) and cached[:2] == key):
                jobs.append((os.fspath(path), day.isoformat()))
        return jobs

    def prime(self, parsed: list[Parsed]) -> None:
        """Records parsed elsewhere (by worker processes), used once by `read`."""
        self.parsed = {Path(path).name: (data, error) for path, data, error in parsed}

    def read(self, day: dt.date, path: Path) -> DayRecord | BadEntry | None:
        key = self.keys.pop(path.name) if path.name in self.keys else self._key(path)
        cached = self.files.get(path.name)
        if key and isinstance(cached, list) and cached[:2] == key:
            try:
                return _record_from(day, path, cached[2])
            except (LookupError, TypeError, ValueError, AttributeError):
                pass
        data, error = self.parsed.pop(path.name, (None, None))
        if error is not None:
            self._forget(path.name)
            return BadEntry(path, error)
        if data is not None:
            record = _record_from(day, path, data)
        else:
            try:
                entry = read_entry_file(path, day)
            except ReflectError as exc:
                self._forget(path.name)
                return BadEntry(path, str(exc))
            if entry is None:
                self._forget(path.name)
                return None
            record = day_record(entry, str(path))
            data = _record_data(record)
        if key and time.time_ns() - key[1] > SETTLED_NS:
            self.files[path.name] = [*key, data]
            self.changed = True
        return record

    def _forget(self, name: str) -> None:
        if self.files.pop(name, None) is not None:
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        text = json.dumps({"format": INDEX_FORMAT, "files": self.files}, separators=(",", ":"))
        try:
            cache = self.home.cache_dir
            if not (cache / "CACHEDIR.TAG").exists():
                write_atomic(cache / "CACHEDIR.TAG", CACHEDIR_TAG)
                write_atomic(cache / ".gitignore", "*\n")
            write_atomic(self.path, text)
        except StorageError:
            return
        self.changed = False


def _record_data(record: DayRecord) -> dict[str, Any]:
    return {
        "written": record.written,
        "tags": list(record.tags),
        "packs": dict(record.packs),
        "answers": {pack: dict(values) for pack, values in record.answers.items()},
        "words": list(record.words.items()),
    }


def _record_from(day: dt.date, path: Path, data: dict[str, Any]) -> DayRecord:
    return DayRecord(
        date=day,
        path=os.fspath(path),
        written=bool(data["written"]),
        tags=tuple(data["tags"]),
        packs=data["packs"],
        answers=data["answers"],
        words={heading: int(count) for heading, count in data["words"]},
    )


def written_run_before(home: Home, day: dt.date) -> list[dt.date]:
    """The days written one after another up to the day before `day`, newest first."""
    run: list[dt.date] = []
    try:
        expected = day - dt.timedelta(days=1)
    except OverflowError:
        return run
    for item in iter_days(home, until=expected, newest_first=True):
        if isinstance(item, BadEntry) or item.date != expected or not item.written:
            break
        run.append(expected)
        expected -= dt.timedelta(days=1)
    return run
