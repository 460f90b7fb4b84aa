"""Editor copies: the text `reflect edit` and `:e` hand to an editor, and what a killed run left.

Each copy lives in a private folder of its own in the journal home
(`.reflect-edit-XXXX/`, 0700), locked (flock) by the reflect that made it
and by the editor it runs, which inherits the lock. When both are gone the
lock is gone: a folder that can be locked was left by a run that was
killed (SIGKILL, a crash, power lost) while the editor was open. Nothing
can run after a SIGKILL, so the next command that opens the journal (given
its key, when it is encrypted) secures such copies: their text is moved into
the recovery folder, encrypted like the journal (unless the day's entry
already holds exactly that text), and the copy is removed.

A copy of a day's entry carries, in its folder's name, a tag of the entry
file it started from (`.reflect-edit-<tag>-XXXX/`), and the kept text
carries it on (`.recovery/edit-DAY-from-<tag>-STAMP.txt`): the next
`reflect edit DAY` puts the kept text back in the editor, as it was when
the entry has not changed since, beside the entry's newer text when it has
(`kept_edits`, daily/edit.py). The tag is a hash of the bytes on disk (the
ciphertext, in an encrypted journal), so it tells nothing of the text.
"""

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reflect.errors import ReflectError, StorageError
from reflect.journal.home import Home
from reflect.journal.store import MAX_ENTRY_BYTES

PREFIX = ".reflect-edit-"
# The most a copy (a day, with kept text below it) or a file beside it is read: the entry
# limit twice over. A larger file is no copy of a day: it stays where it is, named.
MAX_COPY_BYTES = 2 * MAX_ENTRY_BYTES
# Lock descriptors of the copies this process has open; the editor it starts inherits them.
_held: set[int] = set()


NEW = "new"  # the tag of a day that had no entry when its edit began
_TAG = re.compile(r"[0-9a-f]{16}|" + NEW)
_KEPT = re.compile(
    r"edit-(?P<day>\d{4}-\d{2}-\d{2})(?:-from-(?P<base>[0-9a-f]{16}|new))?-.+\.txt(?:\.age)?"
)


@dataclass(frozen=True)
class Secured:
    """A copy a killed edit left: where it was, and where its text is kept (None: nothing new)."""

    copy: Path
    kept: Path | None
    # The day whose entry the copy was of, when it was one.
    day: dt.date | None = None
    # Whether the journal is encrypted (the copy was plain text in an encrypted journal).
    sealed: bool = False
    # The text could not be kept (a full disk, where encrypting needs room): the copy stays.
    stays: bool = False
    # Larger than MAX_COPY_BYTES, so never read: it stays, untouched, for the person.
    too_large: int | None = None

    def where(self) -> str:
        """What became of the text, in words: where it is kept and how to get it back."""
        from reflect.journal import crypt

        if self.too_large is not None:
            size = (
                f"{self.too_large // 2**20} MB"
                if self.too_large >= 2**20
                else f"{self.too_large // 1024} KB"
            )
            return (
                f"it is larger than reflect reads ({size}), so it stays there untouched: open "
                "it, copy what you want into `reflect edit`, then delete it"
            )
        if self.stays:
            how = "kept encrypted (is the disk full?)" if self.sealed else "moved to .recovery"
            where = ", so it stays there in plain text" if self.sealed else ", so it stays there"
            return f"its text could not be {how}{where}; the next command tries again"
        if self.kept is None:
            return "the entry already held its text"
        how = "kept, encrypted," if self.kept.name.endswith(crypt.SUFFIX) else "kept"
        back = f"; `reflect edit {self.day}` puts it back in the editor" if self.day else ""
        return f"its text is {how} in {self.kept}{back}"

    def removed(self, *, named: bool = False) -> str:
        what = "the plain copy" if self.sealed else "the copy"
        return f"{what} ({self.copy}) is removed" if named else f"{what} is removed"


@dataclass(frozen=True)
class KeptEdit:
    """The text of a day's edit that a killed reflect left, kept in the recovery folder.

    `base` is the tag of the entry file the edit started from (None when
    that is not known: a copy the editor left beside it, or one kept by an
    older reflect); `text` is None when it cannot be read as UTF-8 here.
    """

    path: Path
    base: str | None
    text: str | None


def entry_tag(raw: bytes | None) -> str:
    """A short tag of an entry file's bytes on disk (NEW when there is none): a version stamp."""
    return NEW if raw is None else hashlib.sha256(raw).hexdigest()[:16]


def held_locks() -> tuple[int, ...]:
    """The descriptors an editor started now must inherit, so a killed reflect's copy stays locked."""
    return tuple(sorted(_held))


@contextlib.contextmanager
def edit_copy(home: Home, name: str, base: str | None = None) -> Iterator[Path]:
    """An empty private file named `name` in a locked folder of its own in the home.

    `base` (entry_tag) names the entry file the copy starts from. The folder
    goes afterwards with whatever an editor left beside the copy (backup
    files); it stays, unlocked, only while the copy itself is still there (a
    copy the caller could not keep elsewhere).
    """
    home.ensure()
    prefix = PREFIX if base is None else f"{PREFIX}{base}-"
    try:
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=home.root))
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise _no_copy(home, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _held.add(fd)
        path = folder / name
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as exc:
            raise _no_copy(home, exc) from None
        yield path
    finally:
        _held.discard(fd)
        if not (folder / name).exists():
            shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def write_copy(home: Home, path: Path, text: str) -> None:
    """Put the text an editor opens in its copy; StorageError (a full disk) says so in words."""
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise _no_copy(home, exc) from None


def _no_copy(home: Home, exc: OSError) -> StorageError:
    from reflect.journal.files import storage_reason

    return StorageError(
        f"cannot make the private copy an editor works on in {home.root}: "
        f"{storage_reason(exc)}; nothing was changed"
    )


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
    """Move the text of every copy a killed edit left into the recovery folder.

    Called when a command opens the journal (once its key is at hand, when
    it is encrypted). Each folder is locked while it is dealt with, so two
    commands starting at once never keep the same text twice, and a folder
    an editing session still holds is left alone. In each folder the copy
    itself (named like the entry, or `text.md`) is kept first, then any
    other non-empty text file the editor left beside it (an autosave `#…#`,
    a backup); files that are not text (a vim `.swp`) and empty ones are
    removed. The folder goes only when everything worth keeping is kept: a
    copy that cannot be kept (a full disk, where encrypting needs room)
    stays where it is, for the next command or `reflect doctor` to name;
    nothing here raises.
    """
    secured: list[Secured] = []
    for place in sorted(home.root.glob(PREFIX + "*")):
        if place.is_symlink():
            continue
        if place.is_file():  # written by a reflect before copies had folders
            secured.extend(_secure_group(home, place, [place], None))
            continue
        with _lock_if_free(place) as free:
            if not free:
                continue
            copies = sorted(p for p in place.iterdir() if p.is_file() and not p.is_symlink())
            if copies:  # an empty folder may be a copy being made now: never removed
                secured.extend(_secure_group(home, place, copies, base_of(place)))
    return secured


@contextlib.contextmanager
def _lock_if_free(folder: Path) -> Iterator[bool]:
    """Hold a copy's folder lock for the block, if no editing session holds it."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield False  # gone, or cannot tell: leave it alone
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def base_of(folder: Path) -> str | None:
    """The tag of the entry file an edit copy's folder started from, when its name has one."""
    tag, _, rest = folder.name.removeprefix(PREFIX).partition("-")
    return tag if rest and _TAG.fullmatch(tag) else None


def _secure_group(home: Home, place: Path, copies: list[Path], base: str | None) -> list[Secured]:
    copies.sort(key=lambda p: (not _is_copy(p), p.name))
    day = next((_copy_day(p) for p in copies if _copy_day(p) is not None), None)
    secured: list[Secured] = []
    seen: list[bytes] = []
    whole = True
    for copy in copies:
        primary = _is_copy(copy) or place == copy
        done = _secure_one(home, copy, day, seen, primary=primary, base=base if primary else None)
        if done is None or (done is not False and done.stays):
            whole = False
        if done:
            secured.append(done)
    if whole and place != home.root and place.is_dir():
        shutil.rmtree(place, ignore_errors=True)
    return secured


def _secure_one(
    home: Home,
    copy: Path,
    day: dt.date | None,
    seen: list[bytes],
    *,
    primary: bool,
    base: str | None,
) -> "Secured | Literal[False] | None":
    """Keep one file's text; the Secured record (`stays` when it could not be kept), False
    (removed, nothing to say), None (unreadable: it stays, and doctor names it)."""
    from reflect.journal import crypt
    from reflect.journal.drafts import keep_file
    from reflect.journal.files import TooLarge, read_bounded

    try:
        raw = read_bounded(copy, MAX_COPY_BYTES)
    except TooLarge:
        sealed = crypt.sealed(home.root)
        return Secured(copy, None, day, sealed, stays=True, too_large=MAX_COPY_BYTES)
    except OSError:
        return None
    if not primary and (not raw.strip() or not _is_text(raw)):
        copy.unlink(missing_ok=True)  # an editor's own file (swap, lock), or empty
        return False
    if not primary and any(raw == earlier for earlier in seen):
        copy.unlink(missing_ok=True)
        return False
    seen.append(raw)
    sealed = crypt.sealed(home.root)
    if not raw.strip() or _already_saved(home, day, raw):
        copy.unlink(missing_ok=True)
        return Secured(copy, None, day, sealed) if primary else False
    # The same text kept already (an edit killed again before the day was saved) is kept once.
    twins = _kept_twins(home, day, raw)
    same = next((twin for twin in twins if twin.base == base), None)
    if same is not None or (twins and not primary):
        copy.unlink(missing_ok=True)
        return Secured(copy, (same or twins[0]).path, day, sealed) if primary else False
    label = f"edit-{day}-from-{base}" if base and day else f"edit-{_keep_stem(copy, day)}"
    # A rename in a plain journal (no room needed); encrypted, then removed, in an encrypted one.
    kept = keep_file(home, copy, label, raw)
    if kept == copy:
        return Secured(copy, None, day, sealed, stays=True)
    for twin in twins:  # the same text, kept now with the entry this later edit began from
        twin.path.unlink(missing_ok=True)
    return Secured(copy, kept, day, sealed)


def _kept_twins(home: Home, day: dt.date | None, raw: bytes) -> list[KeptEdit]:
    """The day's kept edits (kept_edits) holding exactly these bytes."""
    if day is None:
        return []
    return [k for k in kept_edits(home, day) if k.text is not None and k.text.encode() == raw]


def kept_edit_day(path: Path) -> dt.date | None:
    """The day of an edit's text kept in the recovery folder, None for other kept text."""
    match = _KEPT.fullmatch(path.name)
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match["day"])
    except ValueError:
        return None


def kept_edits(home: Home, day: dt.date) -> list[KeptEdit]:
    """The text of the day's edits that killed reflects left (secure_leftovers), oldest first."""
    from reflect.journal import crypt
    from reflect.journal.drafts import kept_texts
    from reflect.journal.files import read_bounded

    found: list[KeptEdit] = []
    for path in kept_texts(home):
        match = _KEPT.fullmatch(path.name)
        if match is None or kept_edit_day(path) != day:
            continue
        try:
            raw = read_bounded(path, MAX_COPY_BYTES)
            text: str | None = crypt.open_bytes(path, raw).decode("utf-8")
        except UnicodeDecodeError:
            text = None
        except (OSError, ReflectError):
            continue  # gone meanwhile, too large, or another key's: doctor names it
        found.append(KeptEdit(path, match["base"], text))
    return found


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
