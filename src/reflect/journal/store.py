"""Entry files on disk: one markdown file per day under entries/YYYY/, written atomically."""

import datetime as dt
import errno
import os
import re
import shlex
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reflect.errors import EntryError, ReflectError, Unwritable
from reflect.journal import crypt
from reflect.journal.entry import Entry, parse_entry, serialize
from reflect.journal.files import NotAFile, TooLarge, journal_lock, read_bounded, write_atomic
from reflect.journal.home import Home
from reflect.journal.names import ENTRY_FILE
from reflect.model.sections import entry_relpath
from reflect.model.text import not_utf8

_YEAR = re.compile(r"\d{4}", re.ASCII)
MAX_ENTRY_BYTES = 16 * 1024 * 1024


def entry_path(home: Home, day: dt.date) -> Path:
    """Where the day's entry is written: `YYYY-MM-DD.md`, or `.md.age` in an encrypted home."""
    return crypt.form(home.root, home.entries_dir / entry_relpath(day))


def other_form(path: Path) -> Path:
    """The same day's file in the other form (plain for encrypted and back)."""
    return crypt.plain_name(path) if path.name.endswith(crypt.SUFFIX) else crypt.age_name(path)


def existing_entry_path(home: Home, day: dt.date) -> Path:
    """The day's file as it is on disk now.

    While a home is half converted a day may be in either form; when both
    exist (a conversion or a write stopped between writing one and removing
    the other), the form being written is the newer one and wins.
    """
    path = entry_path(home, day)
    if path.exists() or crypt.read_state(home.root) is None:
        return path
    other = other_form(path)
    return other if other.exists() else path


def read_entry(home: Home, day: dt.date) -> Entry | None:
    """The day's entry, None when there is none; EntryError when the file is broken."""
    return read_entry_file(existing_entry_path(home, day), day)


def read_entry_file(path: Path, day: dt.date) -> Entry | None:
    """The entry in a file named for `day`, None when there is none; EntryError when broken.

    A day's file is in its year's folder: one found in another year folder
    (a folder renamed, a file moved by hand) is not that day's entry, for
    any command; it is reported, with the move that puts it back, every time
    its folder is read. A link to nothing is reported too.
    """
    folder = path.parent.name
    if _YEAR.fullmatch(folder) and folder != f"{day.year:04d}":
        right = path.parent.parent / f"{day.year:04d}" / path.name
        raise EntryError(
            f"{path}: a day of {day.year:04d} in the {folder} folder; left alone"
            f" (move it: mkdir -p {shlex.quote(str(right.parent))}"
            f" && mv {shlex.quote(str(path))} {shlex.quote(str(right))})"
        )
    try:
        raw = read_bounded(path, MAX_ENTRY_BYTES)
    except FileNotFoundError:
        if path.is_symlink():
            raise EntryError(f"{path}: a link to a file that does not exist; left alone") from None
        return None
    except IsADirectoryError:
        raise EntryError(f"{path}: is a folder, not an entry file") from None
    except TooLarge:
        raise EntryError(f"{path}: larger than {MAX_ENTRY_BYTES // 2**20} MB; left alone") from None
    except NotAFile as exc:
        raise EntryError(f"{path}: {exc.strerror}; left alone") from None
    except OSError as exc:
        raise EntryError(f"{path}: cannot be read ({exc.strerror})") from None
    if path.name.endswith(crypt.SUFFIX):
        try:
            raw = crypt.open_bytes(path, raw)
        except crypt.LockedError:
            raise
        except ReflectError as exc:
            raise EntryError(str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EntryError(f"{path}: {not_utf8(exc)}") from None
    return parse_entry(text, str(path), day)


def update_entry(home: Home, day: dt.date, change: Callable[[Entry], None]) -> Entry:
    """Read the day's entry (or start one), apply a change, and save it, under the lock.

    The read happens inside the lock, so two terminals writing to the same day
    each see the other's words. A broken file raises EntryError and is never
    overwritten. Nothing is written when the change leaves the text as it was.
    """
    home.ensure()
    path = entry_path(home, day)
    with journal_lock(home.lock_path):
        found = existing_entry_path(home, day)
        entry = read_entry_file(found, day) or Entry.new(day)
        before = serialize(entry) if found == path and path.exists() else None
        change(entry)
        after = serialize(entry)
        if after != before:
            check_readable(after, path, entry)
            write_atomic(path, after)
            drop_other_form(path)
    return entry


def check_readable(text: str, path: Path, entry: Entry) -> None:
    """Refuse to write a day its own reader would refuse or read differently.

    The writer is held to the reader's rules by running the reader: the size
    limit and the body's checks here; `serialize` already refused a front
    matter that would not read back the same.
    """
    size = len(text.encode("utf-8"))
    if size > MAX_ENTRY_BYTES:
        raise Unwritable(
            f"{path}: this change would make the day larger than "
            f"{MAX_ENTRY_BYTES // 2**20} MB, more than reflect reads; nothing was saved"
        )
    try:
        parse_entry(text, str(path), entry.date)
    except EntryError as exc:
        raise Unwritable(
            f"this change would leave a day reflect cannot read ({exc}); nothing was saved"
        ) from None


def drop_other_form(path: Path) -> None:
    """After writing a day's file, remove its copy in the other form, if a conversion left one."""
    other = other_form(path)
    if other.exists():
        other.unlink()


@dataclass(frozen=True)
class BadEntry:
    """A file in the journal that could not be read; reported, never rewritten."""

    path: Path
    error: str


def entry_years(home: Home) -> list[tuple[int, Path]]:
    """The year folders under entries/, oldest first; other names are left alone."""
    root = home.entries_dir
    return [(year, root / name) for year, name in year_names(home)]


def year_names(home: Home) -> list[tuple[int, str]]:
    """The year folders under entries/ as (year, name), oldest first, without a path for each.

    A folder's kind comes with the listing (no `stat` for each, as there is
    for a link, which counts when it leads to a folder): a long journal's
    hundred year folders cost a command that reads one of them next to nothing.
    """
    root = home.entries_dir
    try:
        with os.scandir(root) as listing:
            named = [item for item in listing if _YEAR.fullmatch(item.name)]
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise EntryError(
            f"{root}: is not a folder; move it aside so reflect can make one"
        ) from None
    except OSError as exc:
        raise EntryError(
            f"{root}: cannot be read ({exc.strerror}); check its permissions"
        ) from None
    return sorted((int(item.name), item.name) for item in named if _is_dir(item))


def _is_dir(item: os.DirEntry[str]) -> bool:
    """`Path.is_dir` of a listed name: False for a link to nothing or a loop, as it says."""
    try:
        return item.is_dir()
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return False
        raise


def year_files(folder: Path, sealed: bool = False) -> list[tuple[dt.date, Path]]:
    """The entry files in one year folder, oldest first; other files are ignored.

    A day found in both forms (a conversion stopped midway) is listed once,
    in the form being written (`sealed`: encrypted). OSError when the folder
    cannot be listed.
    """
    found: dict[dt.date, Path] = {}
    for name in sorted(os.listdir(folder)):
        match = ENTRY_FILE.fullmatch(name)
        if not match:
            continue
        try:
            day = dt.date.fromisoformat(match.group(1))
        except ValueError:
            continue
        if day not in found or bool(match.group(2)) == sealed:
            found[day] = folder / name
    return sorted(found.items())


def unreadable_year(folder: Path, exc: OSError) -> BadEntry:
    return BadEntry(
        folder,
        f"{folder}: the year folder cannot be read ({exc.strerror}); its days are left out",
    )


def entry_files(
    home: Home, since: dt.date | None = None, until: dt.date | None = None
) -> Iterator[tuple[dt.date, Path]]:
    """Every entry file's date and path in a range, oldest first; only those years are listed."""
    sealed = crypt.sealed(home.root)
    for year, folder in entry_years(home):
        if (since and year < since.year) or (until and year > until.year):
            continue
        try:
            files = year_files(folder, sealed)
        except OSError:
            # read_each reports the folder itself.
            yield dt.date(year, 1, 1), folder
            continue
        for day, path in files:
            if not ((since and day < since) or (until and day > until)):
                yield day, path


def read_each(files: Iterable[tuple[dt.date, Path]]) -> Iterator[Entry | BadEntry]:
    """The entries of these files in their order; unreadable files come out as BadEntry."""
    for day, path in files:
        if ENTRY_FILE.fullmatch(path.name) is None:
            try:
                os.listdir(path)
            except OSError as exc:
                yield unreadable_year(path, exc)
            continue
        try:
            entry = read_entry_file(path, day)
        except crypt.LockedError:
            raise  # no key: not one bad file but the whole journal unread
        except ReflectError as exc:
            yield BadEntry(path, str(exc))
            continue
        if entry is not None:
            yield entry


def iter_entries(
    home: Home, since: dt.date | None = None, until: dt.date | None = None
) -> Iterator[Entry | BadEntry]:
    """Entries in a date range, oldest first; unreadable files come out as BadEntry."""
    return read_each(entry_files(home, since, until))


def recent_entries(
    home: Home,
    count: int,
    since: dt.date | None = None,
    until: dt.date | None = None,
    keep: Callable[[Entry], bool] | None = None,
) -> tuple[list[Entry], list[BadEntry]]:
    """The newest `count` readable entries in a range that `keep` accepts, newest first.

    Files are read newest first and only until `count` entries are found.
    """
    entries: list[Entry] = []
    bad: list[BadEntry] = []
    for item in read_each(reversed(list(entry_files(home, since, until)))):
        if isinstance(item, BadEntry):
            bad.append(item)
        elif keep is None or keep(item):
            entries.append(item)
            if len(entries) >= count:
                break
    return entries, bad
