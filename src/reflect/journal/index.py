"""The index of the journal: what every look-back command needs from each day, kept in SQLite.

Each entry file is read once through the reader (`read_entry_file`) into a
`Day`: its answers with the pack version that asked them, its tags, the prose
under each heading (with the `PACK/PROMPT` a section is tied to) and above
the first one. Days are stored by file with the
file's size, modification and change times and inode; before any question
the files in the range asked about are looked at again, and any whose four
numbers moved is read again. So the index is never trusted over the files:
an edit, a file replaced by another of the same size with its time restored
(its inode and change time still move), a new or removed file or year folder
are all seen on the next run. A file the reader refuses is never stored: it
comes back as a `BadEntry` every time, as if there were no index at all.

Trends and the calendar read the stored days themselves; search asks which
days may match (their prose is kept folded by `fold`, the matcher's own
folding, in a full-text table) and matches them from what is kept of them
(docs/performance.md, "Search").
"""

import contextlib
import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reflect.journal import crypt
from reflect.journal.home import Home
from reflect.journal.index_store import Damaged, close_index, discard, is_damage, open_index
from reflect.journal.looked import UNSETTLED, Key, folder_seal, looked_at
from reflect.journal.looked import entry_names as _entry_names
from reflect.journal.looked import folder_print as _print
from reflect.model.keys import FOLLOW_UP, Unfit
from reflect.model.notes import NOTE_HEADING
from reflect.model.text import fold

if TYPE_CHECKING:
    from reflect.journal.entry import Entry
    from reflect.journal.store import BadEntry
    from reflect.model.pack import AnswerValue

T = TypeVar("T")
INDEX_VERSION = 12
# A file changed within this long of being read may change again within the
# same tick of a coarse clock without its numbers moving: it is stored, but
# read again next time.
SETTLED_NS = 2_000_000_000
# Parsing is what a cold index costs; with this many files to read in one
# year, the machine's other cores share the work.
PARALLEL_MIN = 100

SCHEMA = """
CREATE TABLE days (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    folder TEXT NOT NULL,
    name TEXT NOT NULL,
    date INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    ctime INTEGER NOT NULL,
    written INTEGER NOT NULL,
    given_for TEXT,
    data TEXT NOT NULL,
    UNIQUE (folder, name)
);
CREATE INDEX days_by_date ON days (date);
CREATE TABLE answers (
    day INTEGER NOT NULL,
    pack TEXT NOT NULL,
    prompt TEXT NOT NULL,
    value TEXT NOT NULL,
    version TEXT
);
CREATE INDEX answers_by_prompt ON answers (pack, prompt, value, version);
CREATE INDEX answers_by_day ON answers (day);
CREATE TABLE sections (
    day INTEGER NOT NULL,
    position INTEGER NOT NULL,
    heading TEXT NOT NULL,
    prose TEXT NOT NULL,
    key TEXT
);
CREATE INDEX sections_by_heading ON sections (heading, day);
CREATE INDEX sections_by_key ON sections (key, day);
CREATE INDEX sections_by_day ON sections (day, position);
CREATE TABLE tags (day INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE INDEX tags_by_tag ON tags (tag, day);
CREATE INDEX tags_by_day ON tags (day);
CREATE TABLE packs (day INTEGER NOT NULL, pack TEXT NOT NULL);
CREATE INDEX packs_by_pack ON packs (pack, day);
CREATE INDEX packs_by_day ON packs (day);
CREATE TABLE given (
    day INTEGER NOT NULL,
    position INTEGER NOT NULL,
    pack TEXT NOT NULL,
    prompt TEXT NOT NULL,
    value TEXT NOT NULL,
    version TEXT,
    follow_up TEXT,
    prose INTEGER NOT NULL,
    follow_up_version TEXT
);
CREATE INDEX given_by_prompt ON given (pack, prompt, day);
CREATE INDEX given_by_day ON given (day, position);
CREATE TABLE folders (name TEXT PRIMARY KEY, print TEXT NOT NULL);
CREATE TABLE vocab (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE prose USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE prose_terms USING fts5vocab(prose, 'row')
"""
# The folders that have rows, each found by one search of the (folder, name) index.
_STORED_FOLDERS = """
WITH RECURSIVE stored (folder) AS (
    SELECT min(folder) FROM days
    UNION ALL
    SELECT (SELECT min(folder) FROM days WHERE folder > stored.folder)
    FROM stored WHERE stored.folder IS NOT NULL
)
SELECT folder FROM stored WHERE folder IS NOT NULL
"""
# How many times one run starts the index again before a fault is taken for a bug, not damage.
MOST_REBUILDS = 3
# Above this many words of the index holding a query's word, the full-text
# index no longer narrows the search: the folded prose is scanned instead.
MOST_TERMS = 200


@dataclass(frozen=True, slots=True)
class Day:
    """What the index keeps of one day's entry; read from an `Entry`, never from raw text.

    `sections` are (heading, prose, key): `key` is the `PACK/PROMPT[/follow-up]`
    a section is tied to (format 2), None for notes and unmarked sections.
    """

    date: dt.date
    path: str
    written: bool
    tags: tuple[str, ...]
    all_tags: tuple[str, ...]
    packs: dict[str, str]
    pack_ids: tuple[str, ...]
    pack_versions: dict[str, list[str]]
    answers: dict[str, dict[str, "AnswerValue"]]
    versions: dict[str, str | None]
    raw_packs: dict[str, str]
    preamble: str
    sections: tuple[tuple[str, str, str | None], ...]
    wording_packs: tuple[str, ...] = ()

    @classmethod
    def from_entry(cls, entry: "Entry", path: str) -> "Day":
        preamble, sections = entry.split()
        answers = {pack: dict(values) for pack, values in entry.front.answers.items()}
        tied = [s.key for s in sections if s.key is not None]
        keys = {f"{p}/{q}" for p, values in answers.items() for q in values}
        keys.update("/".join(key.split("/")[:2]) for key in tied)
        keys.update("/".join(key.split("/")[:2]) for key in entry.front.given)
        keys.update(key for key in [*tied, *entry.front.given] if key.endswith(f"/{FOLLOW_UP}"))
        return cls(
            date=entry.date,
            path=path,
            written=not entry.is_empty(),
            tags=tuple(entry.front.tags),
            all_tags=tuple(entry.all_tags()),
            packs=entry.front.versions(),
            pack_ids=tuple(entry.front.pack_ids()),
            pack_versions={
                pack: sorted(entry.front.versions_of(pack)) for pack in entry.front.pack_ids()
            },
            answers=answers,
            versions={
                key: entry.answer_version(*key.split("/", 1)) for key in sorted(keys) if "/" in key
            },
            raw_packs=dict(entry.front.packs),
            preamble=preamble,
            sections=tuple((s.heading, s.prose, s.key) for s in sections),
            wording_packs=tuple(entry.wording_packs()),
        )

    def answer_version(self, pack_id: str, prompt_id: str) -> str | None:
        """The pack version that asked this answer, as `Entry.answer_version` gives it."""
        key = f"{pack_id}/{prompt_id}"
        if key in self.versions:
            return self.versions[key]
        return self.raw_packs.get(pack_id)


def _day_data(day: Day) -> dict[str, Any]:
    return {
        "written": day.written,
        "tags": list(day.tags),
        "all_tags": list(day.all_tags),
        "packs": day.packs,
        "pack_ids": list(day.pack_ids),
        "pack_versions": day.pack_versions,
        "answers": day.answers,
        # Why a value fits no question (a bad `given` line, a list): JSON keeps only its text.
        "unfit": {
            f"{pack}/{prompt}": value.reason
            for pack, values in day.answers.items()
            for prompt, value in values.items()
            if isinstance(value, Unfit)
        },
        "versions": day.versions,
        "raw_packs": day.raw_packs,
        "wording_packs": list(day.wording_packs),
        "preamble": day.preamble,
        "words": words_by_heading(day.sections),
    }


_DAY_KEYS = frozenset(
    [
        "written",
        "tags",
        "all_tags",
        "packs",
        "pack_ids",
        "pack_versions",
        "answers",
        "unfit",
        "versions",
        "raw_packs",
        "preamble",
        "words",
    ]
)


# What JSON gives back for each type an answer's value has (`AnswerValue`).
_ANSWER_TYPES = frozenset([bool, int, float, str])


def stored_answers(data: dict[str, Any]) -> dict[str, dict[str, "AnswerValue"]]:
    """A stored day's answers as its entry has them: a value that fits no question is
    `Unfit` again, with the reason the entry gave."""
    answers: dict[str, dict[str, AnswerValue]] = data["answers"]
    unfit: dict[str, str] = data["unfit"]
    # Checked here, not left to the readers: judging a day's answers (`given`) takes a value of
    # any type and keeps what it made of it, so a list where a number was stored would hide the
    # day from every later search and history. Only a value that fits no question, with its
    # reason beside it, may be something else.
    for pack, values in answers.items():
        for prompt, value in values.items():
            if type(value) not in _ANSWER_TYPES and f"{pack}/{prompt}" not in unfit:
                raise Damaged(f"a stored answer to {pack}/{prompt} is no answer's value")
    if not unfit:
        return answers
    if not {*map(type, unfit.values())} <= {str}:
        raise Damaged("a stored reason is not text")
    return {
        pack: {
            prompt: Unfit(value, reason)
            if (reason := unfit.get(f"{pack}/{prompt}")) is not None
            else value
            for prompt, value in values.items()
        }
        for pack, values in answers.items()
    }


# Ids asked for at once, as many `?` in each `IN (...)`. A shorter chunk is padded with its
# first id, so that each such statement has one text: SQLite keeps each text's compiled
# program, and a century of year folders, each a chunk of its own length, held 7 MB of them.
CHUNK = 500
_MARKS = ",".join("?" * CHUNK)


def _padded(chunk: list[int]) -> list[int]:
    """A chunk of at most CHUNK ids as `_MARKS` takes them: the same ids, the first again."""
    return chunk + chunk[:1] * (CHUNK - len(chunk))


def _load(data: str) -> dict[str, Any]:
    """A day's stored data, or `Damaged` when it is not what `_day_data` stored."""
    try:
        found = json.loads(data)
    except (ValueError, TypeError) as exc:
        raise Damaged(f"a day's data is not JSON: {exc}") from exc
    if not isinstance(found, dict) or not found.keys() >= _DAY_KEYS:
        raise Damaged("a day's data lacks its keys")
    return found


def words_by_heading(sections: Iterable[tuple[str, str, str | None]]) -> list[tuple[str, int]]:
    """Each section's name (its tie, else its heading; once, in order) and its number of words.

    Prose tied to its question counts under its id, whatever the heading says.
    """
    words: dict[str, int] = {}
    for heading, prose, key in sections:
        name = key or heading
        words[name] = words.get(name, 0) + len(prose.split())
    return list(words.items())


def _folded(day: Day) -> str:
    return fold("\n".join([day.preamble, *(prose for _, prose, _ in day.sections)]))


# (pack, prompt, value as JSON, version, follow-up prose, whether the value is prose)
# pack, prompt, value (JSON), version, follow-up prose, prose or not, the follow-up's version
Given = tuple[str, str, str, str | None, str | None, int, str | None]
# An answer to one question as `given` reads it: a date ordinal, then Given without its key.
GivenTo = tuple[int, str, str | None, str | None, int, str | None]


# A file's path, its Day and folded prose, or the reason the reader refused it.
Parsed = tuple[str, tuple[Day, str] | None, str | None]


def _parse(job: tuple[str, str]) -> Parsed:
    """A file's Day, or the reason the reader refuses it (also run in worker processes)."""
    from reflect.errors import ReflectError
    from reflect.journal.store import read_entry_file

    path, day = job
    try:
        entry = read_entry_file(Path(path), dt.date.fromisoformat(day))
    except ReflectError as exc:
        return path, None, str(exc)
    if entry is None:
        return path, None, None
    day_found = Day.from_entry(entry, path)
    return path, (day_found, _folded(day_found)), None


# prctl(2): the signal a process gets when the thread that started it ends.
PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Start of a worker: it ends with the reflect that started it, even one killed outright.

    On Linux the kernel sends it SIGKILL then; elsewhere a thread looks
    for the parent every second. Workers only read files: nothing is left
    half-done by their end. Ctrl-C is the parent's to handle (it stops the
    pool and exits 130): a worker stopped in the middle of a file would
    otherwise hand back that file as unreadable.
    """
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        import threading

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # gone before the above took hold
        os._exit(1)


class _Parsers:
    """Worker processes, started only when a cold index has enough files to read."""

    def __init__(self) -> None:
        self.pool: Any = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def parse(self, jobs: list[tuple[str, str]]) -> Iterable[Parsed]:
        workers = min(os.cpu_count() or 1, 8)
        if len(jobs) >= PARALLEL_MIN and workers >= 2:
            import multiprocessing

            if "fork" in multiprocessing.get_all_start_methods():
                from concurrent.futures import ProcessPoolExecutor

                try:
                    if self.pool is None:
                        context = multiprocessing.get_context("fork")
                        self.pool = ProcessPoolExecutor(
                            max_workers=workers,
                            mp_context=context,
                            initializer=_die_with_parent,
                            initargs=(os.getpid(),),
                        )
                    return list(self.pool.map(_parse, jobs, chunksize=32))
                except (OSError, RuntimeError):
                    self.close()  # no workers to be had: read the files one by one
        return map(_parse, jobs)


@dataclass(frozen=True)
class Folder:
    """A year folder under entries/."""

    name: str
    year: int
    path: Path


def _looked_at(base: str, names: Sequence[str], low: str, high: str) -> dict[str, Key | None]:
    """`looked_at` with this module's `SETTLED_NS` (tests change it to store files just written)."""
    return looked_at(base, names, low, high, SETTLED_NS)


def _folder_seal(base: str, names: Sequence[str]) -> str | None:
    """`folder_seal` with this module's `SETTLED_NS`."""
    return folder_seal(base, names, SETTLED_NS)


class Index:
    """The journal's index, opened for one run; use as a context manager."""

    def __init__(self, home: Home) -> None:
        self.home = home
        self._entries = os.fspath(home.entries_dir)
        # An encrypted journal's key is had before any worker process starts: they inherit it.
        crypt.unlock(home.root)
        self.sealed = crypt.sealed(home.root)
        self.db = open_index(home, SCHEMA, INDEX_VERSION)
        self.parsers = _Parsers()
        self._gone_checked = False
        self._forgotten = False
        self._worded = False
        # Moves when the database was replaced, so what was synced before must be again.
        self.generation = 0
        self.files_read = 0
        # Year folders listed for this run and not yet brought up to date: listed once.
        self._listed: dict[str, list[str]] = {}
        # Rows per folder as `missing` counted them; forgotten on every write and replacement.
        self._rows: dict[str, int] | None = None

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.parsers.close()
        close_index(self.home, self.db)

    # -- keeping it fresh ---------------------------------------------------------

    def folders(self, since: dt.date | None, until: dt.date | None) -> list[Folder]:
        """The year folders a range reads; rows of folders that are gone are dropped first."""
        from reflect.journal.store import year_names

        every = year_names(self.home)
        if not self._gone_checked:
            self._guarded(lambda: self._drop_gone({name for _, name in every}))
            self._gone_checked = True
        root = self.home.entries_dir
        return [
            Folder(name, year, root / name)
            for year, name in every
            if not ((since and year < since.year) or (until and year > until.year))
        ]

    def _drop_gone_folder(self, name: str) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM folders WHERE name = ?", (name,))
            ids = [
                row[0] for row in self.db.execute("SELECT id FROM days WHERE folder = ?", (name,))
            ]
            self._delete(ids)

    def _drop_gone(self, present: set[str]) -> None:
        # One look into the (folder, name) index per folder stored, not a walk over every
        # day: what this costs follows the year folders, not the days.
        stored = [row[0] for row in self.db.execute(_STORED_FOLDERS)]
        gone = [name for name in stored if name not in present]
        if not gone:
            return
        with self._transaction():
            for name in gone:
                self.db.execute("DELETE FROM folders WHERE name = ?", (name,))
                ids = [
                    row[0]
                    for row in self.db.execute("SELECT id FROM days WHERE folder = ?", (name,))
                ]
                self._delete(ids)

    def entry_names(self, folder: Folder) -> list[str]:
        """The names of a year folder's entry files, sorted (OSError when it cannot be listed);
        the next `sync` of the folder takes this listing rather than listing it again."""
        names = self._listed[folder.name] = _entry_names(folder.path, self.sealed)
        return names

    def missing(self, folder: Folder, names: Sequence[str]) -> int:
        """About how many of these files of a year folder (in a range) have no row.

        When they are the whole folder as `entry_names` listed it, its rows are
        counted with every other folder's in one pass over the (folder, name)
        index: counting a hundred folders' rows by date read every row.
        """
        if names and len(names) == len(self._listed.get(folder.name, ())):
            counts = self._guarded(self._folder_rows)
            return len(names) - counts.get(folder.name, 0)
        where, args = _range(
            dt.date.fromisoformat(names[-1][:10]) if names else None,
            dt.date.fromisoformat(names[0][:10]) if names else None,
        )
        stored = self._guarded(
            lambda: self.db.execute(
                f"SELECT count(*) FROM days WHERE folder = ? AND {where}", [folder.name, *args]
            ).fetchone()[0]
        )
        return len(names) - int(stored)

    def _folder_rows(self) -> dict[str, int]:
        """How many rows each folder has, counted once until the index is written."""
        if self._rows is None:
            self._rows = dict(self.db.execute("SELECT folder, count(*) FROM days GROUP BY folder"))
        return self._rows

    def sync(
        self, folder: Folder, since: dt.date | None = None, until: dt.date | None = None
    ) -> list["BadEntry"]:
        """Bring one year folder's rows in a range up to date; the files the reader refuses."""
        return self._guarded(lambda: self._sync(folder, since, until))

    def _guarded(self, work: Callable[[], T]) -> T:
        """Run work on the index; a damaged index is deleted and built again, and the work redone.

        An index that cannot be written now (busy past the wait, read-only,
        a full disk) is replaced by one in memory for the rest of the run.
        The work redone finds the new index empty: callers that read see
        `generation` move and fill it again (see `fresh`).
        """
        try:
            return work()
        except sqlite3.Error as exc:
            if self.generation >= MOST_REBUILDS:
                raise
            self._replace(damaged=is_damage(exc))
        return work()

    def _replace(self, *, damaged: bool) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        if damaged:
            discard(self.home)
        self.db = open_index(self.home, SCHEMA, INDEX_VERSION, in_memory=not damaged)
        self.generation += 1
        self._gone_checked = False
        self._rows = None

    def read(self, work: Callable[[], T]) -> T:
        """Read the index with `work`, guarded: what cannot be what was stored is damage.

        Stored JSON that does not decode, a key missing, a value of the wrong
        type: all are taken as damage, as SQLite's own reports are. Types are
        not checked as a day is read (that would cost about what decoding it
        does): what `work` does with a stored value of another type than
        reflect stored fails, and is caught here. So `work` must finish using
        what it read, or check what it hands out (see `reflect.journal.cache`).
        """

        def decoding() -> T:
            try:
                return work()
            except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
                raise Damaged(f"the index holds what reflect did not store: {exc!r}") from exc

        return self._guarded(decoding)

    def fresh(
        self, since: dt.date | None, until: dt.date | None, work: Callable[[], T]
    ) -> tuple[list["BadEntry"], T]:
        """Bring a range up to date, then read it with `work`; the files the reader refuses.

        Damage found while reading deletes the index: the range is filled
        again in the one built in its place, and read again, so the answer is
        the one a run without an index gives.
        """
        while True:
            generation = self.generation
            bad = self.refresh(since, until)
            found = self.read(work)
            if generation == self.generation:
                return bad, found

    def fresh_folder(
        self, folder: Folder, since: dt.date | None, until: dt.date | None, work: Callable[[], T]
    ) -> tuple[list["BadEntry"], T]:
        """`fresh` for one year folder."""
        while True:
            generation = self.generation
            bad = self.sync(folder, since, until)
            found = self.read(work)
            if generation == self.generation:
                return bad, found

    def _sync(
        self, folder: Folder, since: dt.date | None, until: dt.date | None
    ) -> list["BadEntry"]:
        from reflect.journal.store import BadEntry, unreadable_year

        # Looking at every file is what a fresh index costs: plain strings, no pathlib.
        try:
            files = self._listed.pop(folder.name, None) or _entry_names(folder.path, self.sealed)
        except OSError as exc:
            # Its days are left out and said so, as the reader does; their rows go.
            self._drop_gone_folder(folder.name)
            return [unreadable_year(folder.path, exc)]
        low = since.isoformat() if since else ""
        high = until.isoformat() if until else "~"
        base = f"{os.fspath(folder.path)}{os.sep}"
        kept = self._seal(folder.name)
        # The whole folder in range and sealed before: its print alone tells whether it moved.
        whole = bool(files) and low <= files[0][:10] and files[-1][:10] <= high
        if kept is not None and whole and kept == _folder_seal(base, files):
            return []
        keys = _looked_at(base, files, low, high)
        # The whole folder looked at, every file settled: when its names and numbers are
        # those it had when every file of it was last stored, no row can be stale.
        seal = _print(keys) if len(keys) == len(files) else None
        if seal is not None and kept == seal:
            return []
        # name: (size, mtime, inode, ctime, id), as SQLite gives them: no tuple built per row.
        stored: dict[str, tuple[int, int, int, int, int]] = {
            row[0]: row[1:]
            for row in self.db.execute(
                "SELECT name, size, mtime, inode, ctime, id FROM days WHERE folder = ?",
                (folder.name,),
            )
        }
        present = set(files)
        drop = [known[4] for name, known in stored.items() if name not in present]
        jobs: list[tuple[str, str]] = []
        for name, looked in keys.items():
            known = stored.get(name)
            if looked is None or known is None or known[:4] != looked or looked[1] == UNSETTLED:
                jobs.append((base + name, name[:10]))
        if not drop and not jobs:
            if seal is not None:  # the rows were right: only the print was missing or old
                with self._transaction():
                    self._keep_seal(folder.name, seal)
            return []
        self.files_read += len(jobs)
        bad: list[BadEntry] = []
        parsed = self.parsers.parse(jobs)
        with self._transaction():
            self._delete(drop)
            for path_text, found, error in parsed:
                name = Path(path_text).name
                # By name, inside the transaction: another reflect may have stored it meanwhile.
                self._delete(
                    [
                        row[0]
                        for row in self.db.execute(
                            "SELECT id FROM days WHERE folder = ? AND name = ?",
                            (folder.name, name),
                        )
                    ]
                )
                if error is not None:
                    bad.append(BadEntry(Path(path_text), error))
                seen = keys.get(name)
                if found is not None and seen is not None:
                    self._insert(folder.name, name, seen, *found)
                else:
                    seal = None  # a file without a row: looked at again next time
            self._keep_seal(folder.name, seal)
        return bad

    def _keep_seal(self, folder: str, seal: str | None) -> None:
        self.db.execute("DELETE FROM folders WHERE name = ?", (folder,))
        if seal is not None:
            self.db.execute("INSERT INTO folders (name, print) VALUES (?, ?)", (folder, seal))

    def _seal(self, folder: str) -> str | None:
        row = self.db.execute("SELECT print FROM folders WHERE name = ?", (folder,)).fetchone()
        return None if row is None else str(row[0])

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write to the index, all or nothing.

        A full-text index keeps a deleted row's words in its segments until
        they are merged: when rows went, the segments are merged at once, so a
        deleted day's words leave the file (as `secure_delete` does for the
        tables).
        """
        self._forgotten = False
        self._worded = False
        self._rows = None
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            if self._forgotten:
                self.db.execute("INSERT INTO prose (prose) VALUES ('optimize')")
            if self._forgotten or self._worded:
                # Each word and how many days hold it, as the full-text index says now: kept
                # apart from it, so that a search sees when it lost rows (`prose_ids`).
                self.db.execute("DELETE FROM vocab")
                self.db.execute("INSERT INTO vocab (term, docs) SELECT term, doc FROM prose_terms")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _delete(self, ids: Sequence[int]) -> None:
        for row_id in ids:
            self.db.execute("DELETE FROM days WHERE id = ?", (row_id,))
            self.db.execute("DELETE FROM answers WHERE day = ?", (row_id,))
            self.db.execute("DELETE FROM sections WHERE day = ?", (row_id,))
            self.db.execute("DELETE FROM given WHERE day = ?", (row_id,))
            self.db.execute("DELETE FROM tags WHERE day = ?", (row_id,))
            self.db.execute("DELETE FROM packs WHERE day = ?", (row_id,))
            self.db.execute("DELETE FROM prose WHERE rowid = ?", (row_id,))
            self._forgotten = True

    def _insert(self, folder: str, name: str, key: Key, day: Day, folded: str) -> None:
        size, mtime, inode, ctime = key
        cursor = self.db.execute(
            "INSERT INTO days (folder, name, date, size, mtime, inode, ctime, written, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                folder,
                name,
                day.date.toordinal(),
                size,
                mtime,
                inode,
                ctime,
                int(day.written),
                json.dumps(_day_data(day), separators=(",", ":")),
            ),
        )
        row_id = cursor.lastrowid
        self.db.executemany(
            "INSERT INTO answers (day, pack, prompt, value, version) VALUES (?, ?, ?, ?, ?)",
            [
                (row_id, pack, prompt, json.dumps(value), day.answer_version(pack, prompt))
                for pack, values in day.answers.items()
                for prompt, value in values.items()
            ],
        )
        self.db.executemany(
            "INSERT INTO sections (day, position, heading, prose, key) VALUES (?, ?, ?, ?, ?)",
            [
                (row_id, n, heading, prose, key)
                for n, (heading, prose, key) in enumerate(day.sections)
            ],
        )
        self.db.execute("INSERT INTO prose (rowid, text) VALUES (?, ?)", (row_id, folded))
        self._worded = True
        self.db.executemany(
            "INSERT INTO tags (day, tag) VALUES (?, ?)",
            [(row_id, tag) for tag in dict.fromkeys(fold(tag) for tag in day.all_tags)],
        )
        self.db.executemany(
            "INSERT INTO packs (day, pack) VALUES (?, ?)",
            [(row_id, pack) for pack in dict.fromkeys(day.pack_ids)],
        )

    def refresh(
        self, since: dt.date | None = None, until: dt.date | None = None
    ) -> list["BadEntry"]:
        """Bring every folder in a range up to date; the files the reader refuses, in date order."""
        while True:
            generation = self.generation
            bad: list[BadEntry] = []
            for folder in self.folders(since, until):
                bad.extend(self.sync(folder, since, until))
            if generation == self.generation:
                return bad

    # -- reading it ---------------------------------------------------------------

    def path_of(self, folder: str, name: str) -> str:
        return f"{self._entries}{os.sep}{folder}{os.sep}{name}"

    def day_ids(
        self, folders: Sequence[str], since: dt.date | None, until: dt.date | None
    ) -> list[int]:
        """The ids of the stored days of some folders in a range, newest first."""
        where, args = _range(since, until)
        marks = ",".join("?" * len(folders))
        return [
            row[0]
            for row in self.db.execute(
                f"SELECT id FROM days WHERE {where} AND folder IN ({marks})"
                " ORDER BY date DESC, folder DESC",
                [*args, *folders],
            )
        ]

    def records(
        self, since: dt.date | None, until: dt.date | None, folder: str, *, newest_first: bool
    ) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
        """(date ordinal, folder, name, data) rows of one folder, without prose."""
        where, args = _range(since, until)
        order = "DESC" if newest_first else "ASC"
        for date, name, data in self.db.execute(
            f"SELECT date, name, data FROM days WHERE {where} AND folder = ? ORDER BY date {order}",
            [*args, folder],
        ):
            yield date, folder, name, _load(data)

    def prose_ids(self, words: Sequence[str], folders: Sequence[str]) -> set[int]:
        """Ids of days in some folders whose folded prose holds every folded word.

        The set holds every day whose prose lines the matcher would find, and
        perhaps more (the words on different lines). A word is found inside
        longer ones ("light" in "spotlight"), so the full-text index is asked
        for the days holding any of its words that contain each token of the
        query's word; the folded prose of those days alone is then scanned.
        A token held by too many words to narrow anything leaves that to the
        scan.
        """
        marks = ",".join("?" * len(folders))
        groups: list[str] = []
        for word in words:
            for token in query_tokens(word):
                terms = self.db.execute(
                    "SELECT term, docs FROM vocab WHERE instr(term, ?) > 0", (token,)
                ).fetchall()
                if not terms:
                    return self._nowhere(words, folders)
                if len(terms) <= MOST_TERMS:
                    self._check_terms(terms)
                    groups.append("(" + " OR ".join(_quoted(term) for term, _ in terms) + ")")
        scan = " AND ".join("instr(p.text, ?) > 0" for _ in words)
        if groups:
            query = (
                "SELECT p.rowid FROM prose p JOIN days d ON d.id = p.rowid"
                f" WHERE prose MATCH ? AND d.folder IN ({marks}) AND {scan}"
            )
            args = [" AND ".join(groups), *folders, *words]
        else:
            query = (
                "SELECT p.rowid FROM prose p JOIN days d ON d.id = p.rowid"
                f" WHERE d.folder IN ({marks}) AND {scan}"
            )
            args = [*folders, *words]
        found = {row[0] for row in self.db.execute(query, args)}
        if not found and groups:
            return self._nowhere(words, folders)
        return found

    def _check_terms(self, terms: Sequence[tuple[str, int]]) -> None:
        """`Damaged` when the full-text index finds fewer days for a word than it held when last
        written: pages of it were lost, and it would leave days out silently."""
        for term, docs in terms:
            found = self.db.execute(
                "SELECT count(*) FROM prose WHERE prose MATCH ?", (_quoted(term),)
            ).fetchone()[0]
            if found != docs:
                raise Damaged(
                    f"the full-text index finds {found} days for a word it held on {docs}"
                )

    def _nowhere(self, words: Sequence[str], folders: Sequence[str]) -> set[int]:
        """No day at all, once the stored prose itself says so: `Damaged` if it holds the words.

        A full-text index whose pages were lost answers nothing, silently, for
        the words they held; "no matches" is never said on its word alone.
        The scan reads the folded prose, as a common word's search does.
        """
        marks = ",".join("?" * len(folders))
        scan = " AND ".join("instr(c.c0, ?) > 0" for _ in words)
        found = self.db.execute(
            "SELECT 1 FROM prose_content c JOIN days d ON d.id = c.id"
            f" WHERE d.folder IN ({marks}) AND {scan} LIMIT 1",
            [*folders, *words],
        ).fetchone()
        if found is not None:
            raise Damaged("the full-text index lost words the stored prose holds")
        return set()

    def answer_ids(self, keep: Any, folders: Sequence[str]) -> set[int]:
        """Ids of days in some folders with an answer that `keep(pack, prompt, value, version)`
        accepts; each distinct answer is judged once, and only the chosen ones' days fetched."""
        chosen = [
            (pack, prompt, value, version)
            for pack, prompt, value, version in self._distinct_answers()
            if keep(pack, prompt, json.loads(value), version)
        ]
        marks = ",".join("?" * len(folders))
        ids: set[int] = set()
        for pack, prompt, value, version in chosen:
            ids.update(
                row[0]
                for row in self.db.execute(
                    "SELECT a.day FROM answers a JOIN days d ON d.id = a.day"
                    " WHERE a.pack = ? AND a.prompt = ? AND a.value = ? AND a.version IS ?"
                    f" AND d.folder IN ({marks})",
                    [pack, prompt, value, version, *folders],
                )
            )
        return ids

    def _distinct_answers(self) -> Iterator[tuple[str, str, str, str | None]]:
        """Each distinct (pack, prompt, value, version) of the answers, in the order of their index.

        Each found by one seek in `answers_by_prompt` past the one before, not by
        reading every row: a 100-year journal holds a quarter of a million
        answers and about 200 distinct ones (SELECT DISTINCT took 0.03 s of a
        warm search). Each seek is on equal leading columns and one column
        greater, which SQLite finds without stepping over the equal rows.
        """
        after = self.db.execute(
            "SELECT pack, prompt, value, version FROM answers"
            " ORDER BY pack, prompt, value, version LIMIT 1"
        ).fetchone()
        while after is not None:
            yield after
            pack, prompt, value, version = after
            # NULL sorts first: the versions after it are those that are not NULL.
            later = self.db.execute(
                "SELECT version FROM answers WHERE pack = ? AND prompt = ? AND value = ?"
                + (" AND version IS NOT NULL" if version is None else " AND version > ?")
                + " ORDER BY version LIMIT 1",
                (pack, prompt, value) if version is None else (pack, prompt, value, version),
            ).fetchone()
            if later is not None:
                after = (pack, prompt, value, later[0])
                continue
            row = self.db.execute(
                "SELECT value, version FROM answers WHERE pack = ? AND prompt = ? AND value > ?"
                " ORDER BY value, version LIMIT 1",
                (pack, prompt, value),
            ).fetchone()
            if row is not None:
                after = (pack, prompt, *row)
                continue
            row = self.db.execute(
                "SELECT prompt, value, version FROM answers WHERE pack = ? AND prompt > ?"
                " ORDER BY prompt, value, version LIMIT 1",
                (pack, prompt),
            ).fetchone()
            if row is not None:
                after = (pack, *row)
                continue
            after = self.db.execute(
                "SELECT pack, prompt, value, version FROM answers WHERE pack > ?"
                " ORDER BY pack, prompt, value, version LIMIT 1",
                (pack,),
            ).fetchone()

    def given(
        self,
        pack: str,
        prompt: str,
        since: dt.date | None,
        until: dt.date | None,
        stamp: str,
        judge: Callable[["StoredDay"], list[Given]],
    ) -> tuple[list["BadEntry"], list[GivenTo]]:
        """Every answer to one question in a range, oldest first, and the files the reader refuses.

        `judge` reads a day's answers by their definitions, which `stamp`
        names: days stored or judged since under other definitions are
        judged again first, so what is kept always follows the files and the
        packs as they are now.
        """

        def judged_then_read() -> list[GivenTo]:
            judged = [
                (day, judge(stored)) for day, stored in self.days_to_judge(stamp, since, until)
            ]
            if judged:
                self.keep_given(judged, stamp)
            found = self.given_to(pack, prompt, since, until)
            for value in {answer[1] for answer in found}:
                json.loads(value)  # each distinct value once: one that does not decode is damage
            return found

        return self.fresh(since, until, judged_then_read)

    def days_to_judge(
        self, stamp: str, since: dt.date | None, until: dt.date | None, folder: str | None = None
    ) -> Iterator[tuple[int, "StoredDay"]]:
        """The stored days in a range (of one year folder, if named) whose answers were not yet
        judged by definitions `stamp`."""
        where, args = _range(since, until)
        if folder is not None:
            # Along the folder's rows, never the range's dates: a year at a time over a
            # century would read every date of it a hundred times.
            where, args = _range(since, until, "+")
            where, args = f"{where} AND folder = ?", [*args, folder]
        rows = self.db.execute(
            f"SELECT id, data FROM days WHERE {where} AND given_for IS NOT ?", [*args, stamp]
        ).fetchall()
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            sections: dict[int, list[tuple[str, str, str | None]]] = {}
            for day, heading, prose, key in self.db.execute(
                f"SELECT day, heading, prose, key FROM sections WHERE day IN ({_MARKS})"
                " ORDER BY day, position",
                _padded([row[0] for row in chunk]),
            ):
                sections.setdefault(day, []).append((heading, prose, key))
            for day, data in chunk:
                yield day, StoredDay(_load(data), sections.get(day, []))

    def keep_given(self, judged: Iterable[tuple[int, list[Given]]], stamp: str) -> None:
        """Store each day's answers as `given_answers` read them under definitions `stamp`."""
        with self._transaction():
            for day, given in judged:
                # Ids are never reused: a day read again meanwhile by another reflect is gone.
                if self.db.execute("SELECT 1 FROM days WHERE id = ?", (day,)).fetchone() is None:
                    continue
                self.db.execute("DELETE FROM given WHERE day = ?", (day,))
                self.db.executemany(
                    "INSERT INTO given"
                    " (day, position, pack, prompt, value, version, follow_up, prose,"
                    " follow_up_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(day, n, *row) for n, row in enumerate(given)],
                )
                self.db.execute("UPDATE days SET given_for = ? WHERE id = ?", (stamp, day))

    def given_to(
        self, pack: str, prompt: str, since: dt.date | None, until: dt.date | None
    ) -> list[GivenTo]:
        """Every stored answer to one question in a range, oldest first.

        Its pack and prompt, the same in every row, are not read: 0.035 s of
        a 100-year history's 26,414 rows.
        """
        where, args = _range(since, until, "d.")
        rows: list[GivenTo] = self.db.execute(
            "SELECT d.date, g.value, g.version, g.follow_up, g.prose, g.follow_up_version"
            " FROM given g JOIN days d ON d.id = g.day"
            f" WHERE g.pack = ? AND g.prompt = ? AND {where}"
            " ORDER BY d.date, d.folder, g.position",
            [pack, prompt, *args],
        ).fetchall()
        return rows

    def given_in_folder(
        self,
        folder: str,
        pack: str,
        prompt: str,
        span: tuple[dt.date, dt.date],
        stamp: str,
        judge: Callable[["StoredDay"], list[Given]] | None,
        *,
        follow_ups: bool = False,
        ids: tuple[int | None, int | None] | None = None,
        check: bool = True,
    ) -> list[GivenTo]:
        """Every stored answer to one question in a range of one year folder, in the order
        `stored` gives the folder's days (by date), each day's in its file's order.

        With `judge`, days not yet judged by definitions `stamp` are judged first (see
        `given`); without, the caller knows they all are. Read in the guard of
        `fresh_folder`: a year at a time, never a century's rows at once. `follow_ups`:
        only the answers with a follow-up. `ids`: the folder's first and last day id, as
        `folder_ids` gives them, when the caller has them. `check=False` when the caller
        decodes every value inside the same guard.
        """
        since, until = span
        if judge is not None:
            judged = [
                (day, judge(stored))
                for day, stored in self.days_to_judge(stamp, since, until, folder)
            ]
            if judged:
                self.keep_given(judged, stamp)
        # The question's answers along `given_by_prompt`, between the first and the last id of
        # the folder's days (a folder is mostly stored at once: its ids are close together),
        # each kept when its day is of the folder and the range: a year's cost, however long
        # the range, and no look-up per day.
        low, high = ids if ids is not None and judge is None else self.folder_ids(folder)
        if low is None:
            return []
        where, args = _range(since, until, "+d.")
        only = " AND g.follow_up <> ''" if follow_ups else ""
        rows: list[GivenTo] = self.db.execute(
            "SELECT d.date, g.value, g.version, g.follow_up, g.prose, g.follow_up_version"
            " FROM given g CROSS JOIN days d ON d.id = g.day"
            f" WHERE g.pack = ? AND g.prompt = ? AND g.day BETWEEN ? AND ? AND d.folder = ? AND {where}"
            f"{only} ORDER BY d.date, d.id, g.position",
            [pack, prompt, low, high, folder, *args],
        ).fetchall()
        if check:
            for value in {row[1] for row in rows}:
                json.loads(value)  # each distinct value once: one that does not decode is damage
        return rows

    def folder_ids(self, folder: str) -> tuple[int | None, int | None]:
        """The first and the last day id of a year folder (None, None when it has none)."""
        low, high = self.db.execute(
            "SELECT min(id), max(id) FROM days WHERE folder = ?", (folder,)
        ).fetchone()
        return low, high

    def notes_in_folder(
        self, folder: str, since: dt.date | None, until: dt.date | None
    ) -> list[tuple[int, str, str]]:
        """(date ordinal, heading, prose) of the sections of one year folder's days in a range
        that may be free notes (their heading starts "Notes"), by date and file order."""
        where, args = _range(since, until, "+d.")
        rows: list[tuple[int, str, str]] = self.db.execute(
            "SELECT d.date, s.heading, s.prose FROM days d CROSS JOIN sections s ON s.day = d.id"
            f" WHERE d.folder = ? AND {where} AND s.heading LIKE 'Notes%'"
            " ORDER BY d.date, d.id, s.position",
            [folder, *args],
        ).fetchall()
        return rows

    def stored(
        self, ids: Sequence[int], stamp: str, judge: Callable[["StoredDay"], list[Given]]
    ) -> Iterator[tuple[dt.date, str, "StoredDay", list[Given]]]:
        """(date, file path, day, its answers) of the stored days with these ids, in their order.

        Days not yet judged by definitions `stamp` are judged first (see `given`).
        """
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            padded = _padded(chunk)
            rows = {
                row[0]: row[1:]
                for row in self.db.execute(
                    f"SELECT id, date, folder, name, data, given_for FROM days WHERE id IN ({_MARKS})",
                    padded,
                )
            }
            sections: dict[int, list[tuple[str, str, str | None]]] = {}
            for day_id, heading, prose, key in self.db.execute(
                f"SELECT day, heading, prose, key FROM sections WHERE day IN ({_MARKS})"
                " ORDER BY day, position",
                padded,
            ):
                sections.setdefault(day_id, []).append((heading, prose, key))
            days = {
                day_id: StoredDay(_load(row[3]), sections.get(day_id, []))
                for day_id, row in rows.items()
            }
            judged = [(i, judge(days[i])) for i, row in rows.items() if row[4] != stamp]
            if judged:
                self.keep_given(judged, stamp)
            given: dict[int, list[Given]] = {}
            for day_id, *answer in self.db.execute(
                "SELECT day, pack, prompt, value, version, follow_up, prose, follow_up_version"
                " FROM given"
                f" WHERE day IN ({_MARKS}) ORDER BY day, position",
                padded,
            ):
                given.setdefault(day_id, []).append(tuple(answer))
            for day_id in chunk:
                if day_id in rows:
                    date, folder, name, _, _ = rows[day_id]
                    yield (
                        dt.date.fromordinal(date),
                        self.path_of(folder, name),
                        days[day_id],
                        given.get(day_id, []),
                    )

    def chosen_days(
        self,
        since: dt.date | None,
        until: dt.date | None,
        *,
        tags: Sequence[str] = (),
        pack: str | None = None,
        answered: Sequence[tuple[str, str]] = (),
    ) -> list[tuple[dt.date, str]]:
        """(date, file path) of the stored days in a range, newest first, that have every tag
        (folded), the pack, and an answer to each of `answered`'s questions."""
        where, args = _range(since, until, "d.")
        for tag in tags:
            where += " AND d.id IN (SELECT day FROM tags WHERE tag = ?)"
            args.append(fold(tag))
        if pack is not None:
            where += " AND d.id IN (SELECT day FROM packs WHERE pack = ?)"
            args.append(pack)
        for pack_id, prompt_id in answered:
            where += " AND d.id IN (SELECT day FROM answers WHERE pack = ? AND prompt = ?)"
            args.extend([pack_id, prompt_id])
        return [
            (dt.date.fromordinal(date), self.path_of(folder, name))
            for date, folder, name in self.db.execute(
                f"SELECT d.date, d.folder, d.name FROM days d WHERE {where}"
                " ORDER BY d.date DESC, d.folder DESC",
                args,
            )
        ]

    def newest_first(
        self, ids: Iterable[int], since: dt.date | None, until: dt.date | None
    ) -> list[int]:
        """The days with these ids in a range, newest first (as `day_ids` orders them)."""
        wanted = list(ids)
        where, args = _range(since, until)
        found: list[tuple[int, str, int]] = []
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            found += self.db.execute(
                f"SELECT date, folder, id FROM days WHERE {where} AND id IN ({_MARKS})",
                [*args, *_padded(chunk)],
            ).fetchall()
        found.sort(reverse=True)
        return [row[2] for row in found]

    def paths(self, ids: Sequence[int]) -> list[tuple[dt.date, str]]:
        """(date, file path) of the stored days with these ids, newest first."""
        found: list[tuple[int, str, str, str]] = []
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            found += self.db.execute(
                f"SELECT date, folder, name, folder FROM days WHERE id IN ({_MARKS})",
                _padded(chunk),
            ).fetchall()
        found.sort(key=lambda row: (row[0], row[1]), reverse=True)
        return [
            (dt.date.fromordinal(date), self.path_of(folder, name))
            for date, folder, name, _ in found
        ]


def _quoted(term: str) -> str:
    """A term of the full-text index as an FTS5 string, matched as written."""
    return '"' + term.replace('"', '""') + '"'


_TOKENIZER: sqlite3.Connection | None = None


def query_tokens(word: str) -> list[str]:
    """The tokens the full-text index makes of a word, by its own tokenizer (so never apart).

    A database in memory of its own: the index itself is not written to.
    """
    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = sqlite3.connect(":memory:", isolation_level=None)
        _TOKENIZER.execute(
            "CREATE VIRTUAL TABLE words USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')"
        )
        _TOKENIZER.execute("CREATE VIRTUAL TABLE tokens USING fts5vocab(words, 'instance')")
    _TOKENIZER.execute("DELETE FROM words")
    _TOKENIZER.execute("INSERT INTO words (rowid, text) VALUES (1, ?)", (word,))
    found = _TOKENIZER.execute("SELECT term FROM tokens ORDER BY offset").fetchall()
    return list(dict.fromkeys(row[0] for row in found))


@dataclass(frozen=True, slots=True)
class StoredSection:
    heading: str
    prose: str
    key: str | None

    @property
    def is_note(self) -> bool:
        return NOTE_HEADING.match(self.heading) is not None


class StoredDay:
    """A day as the index keeps it, read the way `reflect.packs.versions.given_in` reads an entry."""

    def __init__(self, data: dict[str, Any], sections: list[tuple[str, str, str | None]]) -> None:
        self.data = data
        self._sections = [StoredSection(*section) for section in sections]
        # A text column keeps a blob it is given, which would be shown as bytes.
        if not {type(text) for section in sections for text in section[:2]} <= {str}:
            raise Damaged("a stored section is not text")
        # The sections' names (a question's id where prose is tied to one) as the day's data
        # counted them when both were stored: a key changed in one alone would move a written
        # answer out of every history and search judged from it.
        names = dict.fromkeys(key or heading for heading, _, key in sections)
        if [*names] != [name for name, _ in data["words"]]:
            raise Damaged("a day's sections are not those its data counted")

    @property
    def preamble(self) -> str:
        return str(self.data["preamble"])

    @property
    def tags(self) -> list[str]:
        return _listed(self.data["tags"])

    @property
    def all_tags(self) -> list[str]:
        return _listed(self.data["all_tags"])

    @cached_property
    def answers(self) -> dict[str, dict[str, "AnswerValue"]]:
        return stored_answers(self.data)

    def sections(self) -> list[StoredSection]:
        return self._sections

    def pack_ids(self) -> list[str]:
        return list(self.data["pack_ids"])

    def versions_of(self, pack_id: str) -> list[str]:
        return list(self.data["pack_versions"].get(pack_id, []))

    def answer_version(self, pack_id: str, prompt_id: str) -> str | None:
        key = f"{pack_id}/{prompt_id}"
        versions: dict[str, str | None] = self.data["versions"]
        if key in versions:
            return versions[key]
        found: str | None = self.data["raw_packs"].get(pack_id)
        return found

    def wording_packs(self) -> list[str]:
        return list(self.data["wording_packs"])


def _listed(stored: Any) -> list[str]:
    """A stored list of text, copied; text itself would pass for a list of its letters.

    Other types are found where they are used, inside the index's guard (`Index.read`).
    """
    if type(stored) is not list:
        raise Damaged("a stored list is not a list")
    return list(stored)


def _range(since: dt.date | None, until: dt.date | None, prefix: str = "") -> tuple[str, list[Any]]:
    where = "1"
    args: list[Any] = []
    if since is not None:
        where += f" AND {prefix}date >= ?"
        args.append(since.toordinal())
    if until is not None:
        where += f" AND {prefix}date <= ?"
        args.append(until.toordinal())
    return where, args


def keep_day(home: Home, day: dt.date) -> None:
    """Bring one day's file into the index, so the next status line can answer from it alone."""
    from reflect.errors import ReflectError

    with contextlib.suppress(ReflectError, sqlite3.Error, OSError), Index(home) as index:
        for folder in index.folders(day, day):
            index.sync(folder, day, day)
