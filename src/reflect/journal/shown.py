"""Text a look-back command wrote to a pipe, kept under a print of everything it came from.

A history over a long journal costs the full command line most of a second,
a JSON export of ten years seconds (importing Typer and pydantic, the query,
the text), although each writes the same text until a file, a pack or
reflect itself changes. So the full command line keeps the text it wrote in
`<home>/.cache/history/` (one file a question; an export's question is its
range and today, `reflect.render.quick_export.export_key`), under a print of
everything that text came from, and the light paths
(`reflect.render.quick_history`, `reflect.render.quick_export`) write it
again when that print still holds, importing only the standard library. The
print covers:

- every entry file (name, size, modification and change time, inode: the
  index's own check, `reflect.journal.looked`), none changed within the last
  two seconds;
- every pack file the definitions are read from, config.toml, and
  reflect's own source files (the same numbers, none changed within the
  last two seconds either), the metadata reflect's version is read from
  (an editable install changes it, not the sources) and Python's version;
- the question as typed, the page width and the output's encoding.

A plain journal only: no print is taken of an encrypted one, whose kept
texts go with its plain index (`index_store`), nor while an editor copy a
killed edit left waits (the full command line secures those and says so).
The full command line keeps its text (`keep`) only when it wrote nothing on
stderr and the print held from before it looked to after it wrote.
"""

import codecs
import hashlib
import os
import stat
import sys
import time

import reflect
from reflect.journal.looked import SETTLED_NS, entry_names, folder_print, folder_seal, looked_at

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import BinaryIO

    from reflect.journal.home import Home

FOLDER = "history"
# The most a kept text holds: a history of a hundred years is a few megabytes, a JSON export
# of a hundred years about 80 (written and read in pieces, never held whole).
MAX_KEPT_BYTES = 256 * 2**20
EDIT_PREFIX = ".reflect-edit-"  # journal/edit_copies.PREFIX (a test keeps them equal)
# The print this process took before handing over to the full command line, which keeps its
# text under it: (journal folder, question, width, print); set by the light history.
handed: tuple[str, str, int, str] | None = None


def keep(home: "Home", key: str, width: int, text: str) -> None:
    """Keep the text the full command line wrote for a history, when this run's print holds.

    The caller has written nothing on stderr. Nothing is kept when this
    process did not look first (`main`), or anything it looked at moved.
    """
    keeper = Keeper.start(home, key, width)
    if keeper is not None:
        keeper.write(text)
        keeper.finish()


class Keeper:
    """A kept text written as the full command line writes it, so a long one is never held whole.

    The bytes go to a private temporary file in the cache, hashed as they
    come; `finish` writes the head (the print and the sum, of fixed length) and
    renames it into place when the print still holds, else removes it.
    Every failure leaves nothing: a cache, and this run has answered.
    """

    def __init__(self, handed: tuple[str, str, int, str], fd: int, temp: str) -> None:
        self.root, self.key, self.width, self.seen = handed
        self.folder = os.path.join(self.root, ".cache", FOLDER)
        self.target = os.path.join(self.folder, _name(self.key))
        self.fd, self.temp = fd, temp
        self.sum = hashlib.blake2b(digest_size=16)
        self.size = 0

    @classmethod
    def start(cls, home: "Home", key: str, width: int) -> "Keeper | None":
        """A keeper when this process looked first (`handed`) for this question; else None."""
        if handed is None or handed[:3] != (os.fspath(home.root), key, width):
            return None
        root, _, _, seen = handed
        if os.path.lexists(os.path.join(root, "encryption.toml")):
            # Encrypted since this process looked: not a byte of plain text in its cache, not
            # even while the text is written (a run killed then would leave it).
            return None
        from pathlib import Path

        from reflect.errors import StorageError
        from reflect.journal.atomic import create_temp
        from reflect.journal.files import ensure_private_dir

        folder = os.path.join(root, ".cache", FOLDER)
        try:
            ensure_private_dir(Path(folder))
            fd, temp = create_temp(folder)
            os.fchmod(fd, 0o600)
            # Room for the head, written once the sum is known.
            os.write(fd, b" " * _head_length(seen))
        except (OSError, StorageError):
            return None
        return cls(handed, fd, temp)

    def write(self, text: str) -> None:
        """Add text as written to the output; past `MAX_KEPT_BYTES` nothing will be kept."""
        if self.fd < 0:
            return
        data = text.encode("utf-8", "surrogateescape")
        self.size += len(data)
        if self.size > MAX_KEPT_BYTES:
            self.abandon()
            return
        self.sum.update(data)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view) :]
        except OSError:
            self.abandon()

    def finish(self) -> None:
        """Put the text in place when everything it came from is still as it was looked at."""
        if self.fd < 0:
            return
        if looked(self.root, self.key, self.width) != self.seen:
            self.abandon()
            return
        from reflect.journal.atomic import fsync_dir

        head = f"{self.seen} {self.sum.hexdigest()}\n".encode()
        try:
            os.pwrite(self.fd, head, 0)
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = -1
            os.replace(self.temp, self.target)
            fsync_dir(self.folder)
        except OSError:
            self.abandon()
            return
        if os.path.lexists(os.path.join(self.root, "encryption.toml")):
            # `reflect encrypt` began (and perhaps cleared the cache) since this run looked:
            # its marker comes before it clears, so looking once more after writing leaves
            # nothing plain.
            discard(self.root)

    def abandon(self) -> None:
        """Keep nothing of this text."""
        if self.fd >= 0:
            try:  # noqa: SIM105 - contextlib would cost the light path an import
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1
        try:  # noqa: SIM105
            os.unlink(self.temp)
        except OSError:
            pass


def _head_length(seen: str) -> int:
    """The length of a kept text's first line: the print, a space, the sum, a newline."""
    return len(seen) + 1 + 2 * 16 + 1


def discard(root: str) -> None:
    """Remove every kept text (an encrypted journal keeps none in plain text)."""
    import shutil

    shutil.rmtree(os.path.join(root, ".cache", FOLDER), ignore_errors=True)


def _name(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def kept(root: str, key: str, seen: str) -> str | None:
    """The text kept for a question under this print, whole; None when there is none."""
    found = kept_file(root, key, seen)
    if found is None:
        return None
    with found:
        try:
            return found.read().decode("utf-8")
        except (OSError, UnicodeError):
            return None


# How much of a kept text is read at a time when it is checked or written out in pieces.
CHUNK = 2**20


def kept_file(root: str, key: str, seen: str) -> "BinaryIO | None":
    """The text kept for a question under this print, open at its first byte; None when none.

    Its sum and its UTF-8 are checked first, a piece at a time, so a long
    text can be written out in pieces, never held whole.
    """
    path = os.path.join(root, ".cache", FOLDER, _name(key))
    try:
        # Without blocking or following a link: a FIFO or a link in its place is no kept text.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    found = open(fd, "rb")  # noqa: SIM115 - handed to the caller, open
    try:
        st = os.fstat(found.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_KEPT_BYTES + 256:
            raise ValueError
        # The print, a space, the sum, a newline: never a whole file without a newline.
        head = found.readline(_head_length(seen))
        if not head.startswith(f"{seen} ".encode()):
            raise ValueError
        start = found.tell()
        digest = hashlib.blake2b(digest_size=16)
        decoder = codecs.getincrementaldecoder("utf-8")()
        size = 0
        while chunk := found.read(CHUNK):
            size += len(chunk)
            if size > MAX_KEPT_BYTES:
                raise ValueError
            digest.update(chunk)
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        if head != f"{seen} {digest.hexdigest()}\n".encode():
            raise ValueError  # damaged since it was kept
        found.seek(start)
    except (OSError, ValueError):  # UnicodeError is a ValueError
        found.close()
        return None
    return found


SOURCES = os.path.dirname(reflect.__file__)
"""reflect's own source folder: its `.py` and `.toml` files are in every print."""


def pack_folders(root: str) -> list[str]:
    """Where pack definitions are read from: `builtin_dir`, the home's packs, their archive."""
    package = os.path.dirname(reflect.__file__)
    builtin = os.path.join(package, "prompts")
    if not os.path.isdir(builtin):
        # A source checkout: prompts/ beside src/.
        builtin = os.path.join(
            os.path.dirname(os.path.dirname(os.path.realpath(package))), "prompts"
        )
    packs = os.path.join(root, "packs")
    return [builtin, packs, os.path.join(packs, ".versions")]


def looked(root: str, key: str, width: int) -> str | None:
    """The print of everything a history's text comes from; None when the full path must answer."""
    if os.path.lexists(os.path.join(root, "encryption.toml")):
        return None
    try:
        if any(name.startswith(EDIT_PREFIX) for name in os.listdir(root)):
            return None
    except OSError:
        return None
    out = sys.stdout
    digest = hashlib.sha256(
        repr(
            (
                sys.version,
                root,
                key,
                width,
                getattr(out, "encoding", None),
                getattr(out, "errors", None),
            )
        ).encode("utf-8", "surrogateescape")
    )
    years = _years(os.path.join(root, "entries"))
    if years is None:
        return None
    for name, seal in years:
        digest.update(f"\n{name} {seal}".encode())
    # Like an entry, a file changed within a coarse clock's tick may change again unseen.
    settled = time.time_ns() - SETTLED_NS
    numbers = _numbers(os.path.join(root, "config.toml"))
    if not _settled(numbers, settled):
        return None
    for number in numbers:
        digest.update(f" {number}".encode())
    for folder in [*pack_folders(root), SOURCES]:
        files = _files_print(folder, settled)
        if files is None:
            return None
        digest.update(files.encode("utf-8", "surrogateescape"))
    installed = _installed_print(settled)
    if installed is None:
        return None
    digest.update(installed.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _installed_print(settled: int) -> str | None:
    """The names and numbers of every `reflect-*` metadata folder on `sys.path`, as text.

    An export names reflect's version (`importlib.metadata`, which reads the
    first of these), and installing again under a new version changes it
    without touching a source file. Listing the folders costs far less than
    importing importlib.metadata. None when one changed after `settled`.
    """
    seen: list[str] = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in sorted(names):
            low = name.lower()
            if low.startswith("reflect-") and low.endswith((".dist-info", ".egg-info")):
                path = os.path.join(entry, name)
                for where in (path, os.path.join(path, "METADATA"), os.path.join(path, "PKG-INFO")):
                    numbers = _numbers(where)
                    if not _settled(numbers, settled):
                        return None
                    seen.append(f"{where} {numbers}")
    return "\n" + "\n".join(seen)


def _settled(numbers: tuple[int, ...], settled: int) -> bool:
    """Whether a file's modification and change times are both older than `settled`."""
    return len(numbers) < 4 or (numbers[1] <= settled and numbers[3] <= settled)


# A journal of this many year folders has each looked at by two processes (`intwo.in_two`)
# where there are two cores: every file's numbers, some 365 a folder, are most of its cost.
TWO_YEARS = 16


def _years(entries: str) -> list[tuple[str, str]] | None:
    """Each year folder's name and print (`folder_print`); None when one cannot be had."""
    try:
        names = os.listdir(entries)
    except FileNotFoundError:
        return []
    except OSError:
        return None
    years = sorted(name for name in names if len(name) == 4 and name.isascii() and name.isdigit())
    seals: Iterable[str | None]
    if len(years) >= TWO_YEARS and _cores() > 1:
        from reflect.journal.intwo import in_two

        seals = in_two([os.path.join(entries, name) for name in years], _year_seal)
    else:
        seals = map(_year_seal, [os.path.join(entries, name) for name in years])
    found: list[tuple[str, str]] = []
    for name, seal in zip(years, seals, strict=True):
        if seal is None:
            return None
        if seal:  # "": not a folder
            found.append((name, seal))
    return found


def _year_seal(folder: str) -> str | None:
    """A year folder's print; "" when it is no folder, None when it cannot be had."""
    from pathlib import Path

    if not os.path.isdir(folder):
        return ""
    try:
        files = entry_names(Path(folder))
    except OSError:
        return None
    # The same print, without a key built for each file where the folder opens once.
    seal = folder_seal(folder + os.sep, files)
    if seal is None and os.stat not in os.supports_dir_fd:
        seal = folder_print(looked_at(folder + os.sep, files, "", "~"))
    return seal


def _cores() -> int:
    """The cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _numbers(path: str) -> tuple[int, ...]:
    try:
        st = os.stat(path)
    except OSError:
        return (-1,)
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def _files_print(folder: str, settled: int) -> str | None:
    """The names and numbers of the `.toml` and `.py` files under a folder, as text.

    None when one of them changed after `settled`.
    """
    seen: list[str] = []
    for where, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            if name.endswith((".toml", ".py")):
                path = os.path.join(where, name)
                numbers = _numbers(path)
                if not _settled(numbers, settled):
                    return None
                seen.append(f"{path} {numbers}")
    return "\n" + "\n".join(seen)
