"""`reflect write "note"` (or a note piped in) done before the full command line loads.

A note is the most frequent write and should cost about what starting
Python costs. This module appends one to today's entry with the standard
library only (no Typer, pydantic, Rich or YAML) when it can tell the result
is exactly what the full command line would write:

- a plain (not encrypted) journal whose config.toml is the one a full
  `write` or `today` last read without complaint (its size, times and inode
  are kept in `<home>/.cache/written`);
- today's file absent, or starting with the very front matter the full
  command line last wrote to that file (also kept there: a front matter the
  entry reader accepted, in format 2, with LF line ends and no BOM). A note
  leaves the front matter as it is and is appended to the body with the
  rules `Entry` uses (journal/prose.py);
- the journal lock free at once (else the full command line waits for it);
  the two points above are looked at once it is held.

Anything else (an empty note, an option, an encrypted journal, a file edited
by hand since, a failed write) leaves everything as it was and returns, and
the full command line does the whole job, with its messages and recovery
drafts. tests/test_quick_write.py drives both over random days and notes and
compares the bytes written, the exit codes and both output streams.
"""

import os
import sys
import time

from reflect.daily.kept import file_key
from reflect.journal.atomic import replace_file
from reflect.journal.home_root import journal_root

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NoReturn

STAMP_NAME = "written"
# The first line of that file: its format.
STAMP_FIRST = "reflect written 1"
STAMP_MAX_BYTES = 2 * 2**20
# journal/store.py's MAX_ENTRY_BYTES (a test keeps them equal).
MAX_ENTRY_BYTES = 16 * 1024 * 1024
# What the full command line writes above the first note of a new day (a test pins it).
NEW_HEAD = "---\ndate: {day}\nformat: 2\n---\n"


def remember(root: str, config: list[int] | None, path: str, head: str | None) -> None:
    """Keep what the quick path may trust: config.toml as read, and a day's front matter as written.

    `config` None keeps the config key already kept; `head` None keeps no
    day. A cache that cannot be written is done without.
    """
    cache = os.path.join(root, ".cache")
    kept = _load(cache)
    if config is None:
        config = kept[0] if kept is not None else None
    if config is None or "\n" in path:
        return
    day = f"{path}\n{head}" if head is not None else ""
    data = f"{STAMP_FIRST}\n{' '.join(map(str, config))}\n{day}"
    if kept is not None and kept == (config, path if head is not None else None, head):
        return
    try:
        encoded = data.encode("utf-8")
    except UnicodeEncodeError:
        return  # a home named in bytes that are not UTF-8: done without
    try:
        os.makedirs(cache, mode=0o700, exist_ok=True)
        stamp = os.path.join(cache, STAMP_NAME)
        if os.path.isdir(stamp) and not os.path.islink(stamp):
            os.rmdir(stamp)  # an empty folder in its place; one holding anything stays
        elif os.path.islink(stamp) or (os.path.lexists(stamp) and not os.path.isfile(stamp)):
            os.unlink(stamp)  # only ever our own file: never written through a link
        replace_file(cache, stamp, encoded)
    except OSError:
        return


def _load(cache: str) -> tuple[list[int], str | None, str | None] | None:
    """The kept config key, day file and its front matter (text, no JSON: it loads faster)."""
    path = os.path.join(cache, STAMP_NAME)
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
        try:
            st = os.fstat(fd)
            if not _regular(st.st_mode) or st.st_size > STAMP_MAX_BYTES:
                return None
            text = os.read(fd, STAMP_MAX_BYTES).decode("utf-8")
        finally:
            os.close(fd)
        first, config, *rest = text.split("\n", 3)
        key = [int(n) for n in config.split(" ")]
    except (OSError, ValueError):
        return None
    if first != STAMP_FIRST or len(key) != 4:
        return None
    if len(rest) != 2:
        return key, None, None
    return key, rest[0], rest[1]


def clock() -> time.struct_time:
    """Now, in local time (a test sets it)."""
    return time.localtime()


def note_heading(day: str, now: time.struct_time) -> str:
    """The heading of a note written now without --time: `Notes (HH:MM)` (daily/session.note_time)."""
    return f"Notes ({now.tm_hour:02d}:{now.tm_min:02d})" if day == _day(now) else "Notes"


def _day(when: time.struct_time) -> str:
    return f"{when.tm_year:04d}-{when.tm_mon:02d}-{when.tm_mday:02d}"


def write_note(root: str, text: str) -> str | None:
    """Append `text` as a note of today to the journal at `root`; the file's path, or None.

    None means nothing was changed and the full command line must do it.
    """
    # Here, not at the top: the quick `today --answer` shares this module, not its prose.
    from reflect.journal.prose import normalize_prose

    if not normalize_prose(text):
        return None  # the full command line refuses it, in its words
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    entries = os.path.join(root, "entries")
    if not all(os.path.isdir(p) for p in (root, entries, os.path.join(root, "packs"))):
        return None
    now = clock()
    day = _day(now)
    folder = os.path.join(entries, day[:4])
    path = os.path.join(folder, f"{day}.md")
    lock = try_lock(os.path.join(root, ".reflect.lock"))
    if lock is None:
        return None
    try:
        # Looked at under the lock: an encryption or a config change another terminal
        # made while this one waited is finished by now, and seen.
        kept = trusted(root, path)
        written = (
            None if kept is None else _append(path, folder, day, text, note_heading(day, now), kept)
        )
    finally:
        os.close(lock)  # closing the descriptor releases the lock
    if written is None:
        return None
    if written:
        remember(root, None, path, written)
    return path


def trusted(root: str, path: str) -> tuple[list[int], str | None, str | None] | None:
    """What `<home>/.cache/written` keeps, when the journal is plain and config.toml as kept."""
    if os.path.lexists(os.path.join(root, "encryption.toml")) or os.path.lexists(path + ".age"):
        return None
    kept = _load(os.path.join(root, ".cache"))
    config = file_key(os.path.join(root, "config.toml"))
    if kept is None or config is None or kept[0] != config:
        return None
    return kept


def _append(
    path: str,
    folder: str,
    day: str,
    text: str,
    heading: str,
    kept: tuple[list[int], str | None, str | None],
) -> str | None:
    """Under the lock: write the day with the note added; its front matter, or None if not done."""
    from reflect.journal.prose import append_section

    day_text = open_day(path, day, kept)
    if day_text is None:
        return None
    head, body = day_text
    data = (head + append_section(body, heading, text)).encode("utf-8")
    return head if write_day(folder, path, data) else None


def open_day(
    path: str, day: str, kept: tuple[list[int], str | None, str | None]
) -> tuple[str, str] | None:
    """Under the lock: the day file's front matter and body; None when the full command line must look.

    A new day gets the front matter the full command line writes; a day
    that exists must start with the front matter kept for it (`kept`, from
    `trusted`), with LF line ends and no BOM.
    """
    old = read_day(path)
    if old is None:
        return None
    if old == "":
        return NEW_HEAD.format(day=day), ""
    head = kept[2] if kept[1] == path and kept[2] is not None else ""
    if not whole_head(head) or not old.startswith(head):
        return None
    if "\r" in old or old.startswith("\ufeff"):
        return None
    return head, old[len(head) :]


def write_day(folder: str, path: str, data: bytes) -> bool:
    """Under the lock: the day file replaced by `data` (its year folder made); whether it was."""
    if len(data) > MAX_ENTRY_BYTES:
        return False
    try:
        if not os.path.isdir(folder):
            os.mkdir(folder, 0o700)
        replace_file(folder, path, data)
    except OSError:
        return False
    return True


def whole_head(head: str) -> bool:
    """Whether `head` is a whole front matter block in format 2: `---` first, a closing line last.

    A front matter's first closing line ends it, so no cut-short copy of one
    passes: the file's front matter is never taken for part of its body.
    """
    if not head.startswith("---\n") or not head.endswith("\n") or len(head) < 8:
        return False
    if "\nformat: 2\n" not in head:
        return False  # kept by a newer reflect (a downgrade since), in a format not ours
    last = head[:-1].rsplit("\n", 1)[-1].rstrip(" \t")
    return last in ("---", "...")


def read_day(path: str) -> str | None:
    """A day file's text; "" when there is none; None when the full command line must look."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return "" if not os.path.lexists(path) else None
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not _regular(st.st_mode) or st.st_size > MAX_ENTRY_BYTES or st.st_size == 0:
            return None
        raw = b""
        while chunk := os.read(fd, MAX_ENTRY_BYTES + 1 - len(raw)):
            raw += chunk
            if len(raw) > MAX_ENTRY_BYTES:
                return None
        return raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)


def _regular(mode: int) -> bool:
    return (mode & 0o170000) == 0o100000


def try_lock(path: str) -> int | None:
    """The journal lock (the same flock the full command line's filelock takes), if free now."""
    try:
        import fcntl
    except ImportError:
        return None
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
            os.fchmod(fd, 0o600)
        except FileExistsError:
            fd = os.open(path, flags)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(fd).st_nlink == 0:
            raise OSError("the lock file was removed")
    except OSError:
        os.close(fd)
        return None
    return fd


def main(args: list[str], home_option: str | None) -> None:
    """Write the note and exit, or return (having changed nothing) for the full command line."""
    if len(args) == 1 and args[0] and not args[0].startswith("-"):
        text: str | None = args[0]
    elif not args and not sys.stdin.isatty():
        text = None
    else:
        return
    root = journal_root(home_option)
    if root is None or not says_as_click(root):
        return
    if text is None:
        raw = sys.stdin.buffer.read(MAX_ENTRY_BYTES + 1)
        try:
            text = raw.decode("utf-8") if len(raw) <= MAX_ENTRY_BYTES else None
        except UnicodeDecodeError:
            text = None
        if text is None:
            _give_back(raw)
            return
        path = write_note(root, text)
        if path is None:
            _give_back(raw)
            return
    else:
        path = write_note(root, text)
        if path is None:
            return
    done(f"Note saved in {path}")


def done(message: str) -> "NoReturn":
    """Say on stderr what was saved and exit 0; 1 where stderr cannot be written, as the full path."""
    try:
        sys.stderr.write(f"{message}\n")
        sys.stderr.flush()
    except OSError:
        # Saved, but not said (stderr on a full disk): the full command line ends so too.
        raise SystemExit(1) from None
    raise SystemExit(0)


def _give_back(raw: bytes) -> None:
    """Stdin as it was, for the full command line to read."""
    import io

    sys.stdin = io.TextIOWrapper(io.BytesIO(raw), encoding=sys.stdin.encoding)


def says_as_click(root: str) -> bool:
    """Whether a line naming a file under `root` reaches stderr as the full command line's would.

    Click writes UTF-8 to a stream whose encoding is ASCII (`PYTHONIOENCODING=ascii`) where
    Python writes `\\xe9`; a home named in ASCII is written alike by both.
    """
    if root.isascii():
        return True
    import codecs

    encoding = getattr(sys.stderr, "encoding", None)
    try:
        return not isinstance(encoding, str) or codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return False
