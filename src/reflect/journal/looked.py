"""How the journal's entry files are looked at to tell whether the index still holds them.

Standard library only: the light history (`reflect.render.quick_history`)
asks the same question before any model loads, and `reflect.journal.index`
asks it of every year folder on every run.
"""

import array
import contextlib
import datetime as dt
import hashlib
import itertools
import os
import time
from collections.abc import Sequence
from pathlib import Path

from reflect.journal.names import ENTRY_FILE

# An encrypted entry's name ends in this (`reflect.journal.crypt.SUFFIX`; a test keeps them equal).
SUFFIX = ".age"
# A file changed within this long of being read may change again within the
# same tick of a coarse clock without its numbers moving: it is looked at again.
SETTLED_NS = 2_000_000_000
UNSETTLED = -1
# A file's size, modification time, inode and change time.
Key = tuple[int, int, int, int]


def folder_print(keys: dict[str, Key | None]) -> str | None:
    """A year folder's files' names and numbers in a few bytes; None when one is not settled."""
    values = list(keys.values())
    if None in values:
        return None
    numbers = list(itertools.chain.from_iterable(values))  # type: ignore[arg-type]  # no None
    if UNSETTLED in numbers[1::4]:
        return None
    return _digest(keys, numbers)


def _digest(names: Sequence[str] | dict[str, Key | None], numbers: list[int]) -> str:
    digest = hashlib.blake2b("/".join(names).encode(), digest_size=16)
    try:
        # Eight bytes a number, packed in C: writing 124,000 numbers as text cost more.
        digest.update(array.array("q", numbers).tobytes())
    except OverflowError:  # an inode past 2**63
        digest.update(("\n" + ",".join(map(str, numbers))).encode())
    return digest.hexdigest()


def folder_seal(base: str, names: Sequence[str], settled_ns: int | None = None) -> str | None:
    """`folder_print(looked_at(base, names, ...))` for every one of `names`, sooner.

    None when a file cannot be looked at or is not settled (there is then no
    print) and where files cannot be looked at from their folder opened once.
    An unchanged folder is what most runs find: this spares building each
    file's numbers apart, which cost as much as looking at the files.
    """
    if os.stat not in os.supports_dir_fd:
        return None
    settled = time.time_ns() - (SETTLED_NS if settled_ns is None else settled_ns)
    stat = os.stat
    try:
        folder = os.open(base, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        found = [stat(name, dir_fd=folder) for name in names]
    except OSError:
        return None
    finally:
        os.close(folder)
    numbers = [
        number for st in found for number in (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
    ]
    if names and (max(numbers[1::4]) > settled or max(numbers[3::4]) > settled):
        return None
    return _digest(names, numbers)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_days(leap: bool) -> frozenset[str]:
    """`MM-DD.md` and `MM-DD.md.age` of every day of a year."""
    lengths = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    days = [f"{m:02d}-{d:02d}.md" for m, n in enumerate(lengths, 1) for d in range(1, n + 1)]
    return frozenset([*days, *(day + SUFFIX for day in days)])


_LEAP_DAYS = _month_days(True)
_COMMON_DAYS = _month_days(False)
_LEAP_PLAIN = frozenset(name for name in _LEAP_DAYS if not name.endswith(SUFFIX))
_COMMON_PLAIN = frozenset(name for name in _COMMON_DAYS if not name.endswith(SUFFIX))


def year_days(year: str) -> tuple[str, frozenset[str]]:
    """A year folder's entry file names as `YYYY-` and what follows it for each of its days.

    The name of a day of the year is the prefix and one of the names after it: checked at
    once, without a name made for each day. No prefix when the folder is not a year.
    """
    try:
        first = dt.date(int(year), 1, 1)
    except ValueError:
        return "", frozenset()
    # As `date.isoformat` writes the year: four digits.
    return first.isoformat()[:5], _LEAP_DAYS if _is_leap(first.year) else _COMMON_DAYS


def looked_at(
    base: str, names: Sequence[str], low: str, high: str, settled_ns: int | None = None
) -> dict[str, Key | None]:
    """The size, times and inode of each file of a year folder in a range (None: gone).

    A time within `SETTLED_NS` of now is `UNSETTLED`. The files are looked at
    from the folder opened once (`dir_fd`), which spares resolving its path
    for each of them: the same numbers, in less time on a long journal.
    """
    keys: dict[str, Key | None] = {}
    settled = time.time_ns() - (SETTLED_NS if settled_ns is None else settled_ns)
    stat = os.stat
    folder: int | None = None
    if os.stat in os.supports_dir_fd:
        with contextlib.suppress(OSError):
            folder = os.open(base, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    # Names are relative to the open folder; by full path when it could not be opened.
    prefix = "" if folder is not None else base
    try:
        for name in names:
            if not low <= name[:10] <= high:
                continue
            try:
                st = stat(prefix + name, dir_fd=folder)
            except OSError:
                keys[name] = None
                continue
            key: Key = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
            if st.st_mtime_ns > settled or st.st_ctime_ns > settled:
                key = (st.st_size, UNSETTLED, st.st_ino, st.st_ctime_ns)
            keys[name] = key
    finally:
        if folder is not None:
            os.close(folder)
    return keys


def entry_names(folder: Path, sealed: bool = False) -> list[str]:
    """The names of the entry files in a year folder (YYYY-MM-DD.md, a real day), sorted.

    In an encrypted journal they end in `.age`; a day left in both forms by a
    stopped conversion is listed once, in the form being written (`sealed`).
    OSError when the folder cannot be listed.
    """
    names = os.listdir(folder)
    prefix, days = year_days(folder.name)
    # The common folder: every name a day of its year, none encrypted, so none twice.
    if (
        prefix
        and {name[:5] for name in names} == {prefix}
        and {name[5:] for name in names} <= (_LEAP_PLAIN if days is _LEAP_DAYS else _COMMON_PLAIN)
    ):
        names.sort()
        return names
    found: dict[str, str] = {}
    for name in names:
        if name[:5] != prefix or name[5:] not in days:
            if not ENTRY_FILE.fullmatch(name):
                continue
            try:
                dt.date.fromisoformat(name[:10])
            except ValueError:
                continue
        if name[:10] not in found or name.endswith(SUFFIX) == sealed:
            found[name[:10]] = name
    return sorted(found.values())
