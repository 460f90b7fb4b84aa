"""Editor copies: the text `reflect edit` and `:e` hand to an editor, and what a killed run left.

Each copy lives in a private folder of its own in the journal home
(`.reflect-edit-XXXX/`, 0700), locked (flock) by the reflect that made it
and by the editor it runs, which inherits the lock. When both are gone the
lock is gone: a folder that can be locked was left by a run that was
killed (SIGKILL, a crash, power lost) while the editor was open. Nothing
can run after a SIGKILL, so the next command that opens an encrypted
journal secures such copies: their text is kept, encrypted, in the recovery
folder (unless the day's entry already holds exactly that text), and the
plain copy is removed.
"""

import contextlib
import datetime as dt
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reflect.errors import ReflectError
from reflect.journal.home import Home

PREFIX = ".reflect-edit-"
# Lock descriptors of the copies this process has open; the editor it starts inherits them.
_held: set[int] = set()


@dataclass(frozen=True)
class Secured:
    """A copy a killed edit left: where it was, and where its text is kept (None: nothing new)."""

    copy: Path
    kept: Path | None


def held_locks() -> tuple[int, ...]:
    """The descriptors an editor started now must inherit, so a killed reflect's copy stays locked."""
    return tuple(sorted(_held))


@contextlib.contextmanager
def edit_copy(home: Home, name: str) -> Iterator[Path]:
    """An empty private file named `name` in a locked folder of its own in the home.

    The folder goes afterwards with whatever an editor left beside the copy
    (backup files); it stays, unlocked, only while the copy itself is still
    there (a copy the caller could not keep elsewhere).
    """
    home.ensure()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=home.root))
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _held.add(fd)
        path = folder / name
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        yield path
    finally:
        _held.discard(fd)
        if not (folder / name).exists():
            shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def leftovers(home: Home) -> list[Path]:
    """Copies no running reflect or editor holds: folders nobody locks, and older loose files."""
    found: list[Path] = []
    for place in sorted(home.root.glob(PREFIX + "*")):
        if place.is_symlink():
            continue
        if place.is_file():
            found.append(place)  # written by a reflect before copies had folders
        elif place.is_dir() and not _in_use(place):
            found.extend(sorted(p for p in place.iterdir() if p.is_file() and not p.is_symlink()))
    return found


def in_use(home: Home) -> list[Path]:
    """Folders of editing sessions running now (another terminal, or an editor left open)."""
    return [p for p in sorted(home.root.glob(PREFIX + "*")) if p.is_dir() and _in_use(p)]


def _in_use(folder: Path) -> bool:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return True  # cannot tell: leave it alone
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def secure_leftovers(home: Home) -> list[Secured]:
    """Keep the text of every copy a killed edit left, encrypted, and remove the plain copies.

    Called once the journal's key is at hand. In each folder the copy
    itself (named like the entry, or `text.md`) is kept first, then any
    other non-empty text file the editor left beside it (an autosave
    `#…#`, a backup); files that are not text (a vim `.swp`) and empty ones
    are removed. The folder goes only when everything worth keeping is
    kept: a copy that cannot be kept (a full disk) stays where it is, for
    the next command or `reflect doctor` to name; nothing here raises.
    """
    secured: list[Secured] = []
    groups: dict[Path, list[Path]] = {}
    for copy in leftovers(home):
        groups.setdefault(copy if copy.parent == home.root else copy.parent, []).append(copy)
    for place, copies in groups.items():
        copies.sort(key=lambda p: (not _is_copy(p), p.name))
        day = next((_copy_day(p) for p in copies if _copy_day(p) is not None), None)
        seen: list[bytes] = []
        whole = True
        for copy in copies:
            done = _secure_one(home, copy, day, seen, primary=_is_copy(copy) or place == copy)
            if done is None:
                whole = False
            elif done is not False:
                secured.append(done)
        if whole and place != home.root and place.is_dir():
            shutil.rmtree(place, ignore_errors=True)
    return secured


def _secure_one(
    home: Home, copy: Path, day: dt.date | None, seen: list[bytes], *, primary: bool
) -> "Secured | Literal[False] | None":
    """Keep one file's text; the Secured record, False (removed, nothing to say), None (stays)."""
    from reflect.journal.drafts import keep_bytes

    try:
        raw = copy.read_bytes()
    except OSError:
        return None
    if not primary and (not raw.strip() or not _is_text(raw)):
        copy.unlink(missing_ok=True)  # an editor's own file (swap, lock), or empty
        return False
    if not primary and any(raw == earlier for earlier in seen):
        copy.unlink(missing_ok=True)
        return False
    kept: Path | None = None
    if raw.strip() and not _already_saved(home, day, raw):
        kept = keep_bytes(home, raw, f"edit-{_keep_stem(copy, day)}")
        if kept is None:
            return None
    seen.append(raw)
    copy.unlink(missing_ok=True)
    if not primary and kept is None:
        return False
    return Secured(copy, kept)


def _is_copy(path: Path) -> bool:
    """Whether a file is the copy reflect made (named like the entry, or `text.md`)."""
    return path.name == "text.md" or _copy_day(path) is not None


def _copy_day(path: Path) -> dt.date | None:
    """The day of an entry copy (`2026-11-20.md`; a loose older copy `.reflect-edit-DAY-…`)."""
    name = path.name.removeprefix(PREFIX)
    if not name.endswith(".md"):
        return None
    try:
        return dt.date.fromisoformat(name[:10])
    except ValueError:
        return None


def _keep_stem(copy: Path, day: dt.date | None) -> str:
    stem = copy.stem.removeprefix(PREFIX)
    return stem if _copy_day(copy) is not None or day is None else f"{day}-{stem.strip('#.~')}"


def _is_text(raw: bytes) -> bool:
    if b"\0" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _already_saved(home: Home, day: dt.date | None, raw: bytes) -> bool:
    """Whether the day the copy was of already holds exactly this text."""
    from reflect.journal import crypt
    from reflect.journal.store import existing_entry_path

    if day is None:
        return False
    path = existing_entry_path(home, day)
    try:
        return crypt.read_file(path) == raw
    except (OSError, ReflectError):
        return False
