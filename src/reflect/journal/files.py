"""Files through pathlib: `write_atomic`, private folders, bounded reads, the journal lock.

Every replace ends in journal/atomic.py.
"""

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from reflect.errors import StorageError
from reflect.journal.atomic import TEMP_PREFIX, create_temp, fsync_dir, replace_file


def ensure_private_dir(path: Path) -> None:
    """Create a folder (and parents) readable only by the user; leave existing ones alone.

    Every folder made here is 0700, the parents too (mkdir's `parents=True`
    would give them the umask's mode, e.g. a world-readable state folder).
    """
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=0o700, exist_ok=True)
        path.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create {path}: {_reason(exc)}") from exc


def write_atomic(
    path: Path, text: str | bytes, *, make_folder: bool = True, encoding: str = "utf-8"
) -> None:
    """Replace path with text so that readers see the old or the new file, never a mix.

    Text for a name ending in `.age` is encrypted with its journal's key
    first (journal/crypt.py); bytes are written as they are.

    The text goes to a temporary file in the same folder, is flushed and
    fsynced, then renamed over the target. A target that is a symlink is
    written through to the file it points at, so synced folders keep their link.
    The journal's own folders are made as needed; a file the person named
    (`make_folder=False`) must go in a folder that exists, and one that names
    an open descriptor (/dev/stderr, /dev/fd/3) is written to that descriptor,
    as the shell opened it: appending after `>>`, into a pipe.
    """
    data = _encoded(path, text, encoding)
    descriptor = None if make_folder else named_descriptor(path)
    if descriptor is not None:
        _write_fd(descriptor, path, data)
        return
    target = Path(os.path.realpath(path))
    if _special(target, path, through=not make_folder):
        _write_through(target, path, data)
        return
    folder = target.parent
    if make_folder:
        ensure_private_dir(folder)
    elif not folder.is_dir():
        raise StorageError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        replace_file(str(folder), str(target), data)
    except OSError as exc:
        raise StorageError(
            f"could not save {path}: {_reason(exc)}; the previous version is unchanged"
        ) from exc


def write_atomic_pieces(path: Path, fill: Callable[[Callable[[str], object]], None]) -> None:
    """`write_atomic(path, text, make_folder=False)` for text made in pieces, each written as
    it comes rather than held whole: `fill` hands every piece, in order, to the function it
    is given.

    A file is replaced only once all of its text is written and fsynced: when `fill` fails,
    the temporary file is gone and the target as it was. A descriptor (/dev/fd/3) or a
    device or FIFO the person named is written through, as `write_atomic` does. A name
    ending in `.age` is encrypted whole, so its text is held first.
    """
    if path.name.endswith(".age"):
        pieces: list[str] = []
        fill(pieces.append)
        write_atomic(path, "".join(pieces), make_folder=False)
        return
    descriptor = named_descriptor(path)
    target = Path(os.path.realpath(path))
    if descriptor is not None or _special(target, path, through=True):
        _fill_through(descriptor, target, path, fill)
        return
    folder = target.parent
    if not folder.is_dir():
        raise StorageError(f"cannot write {path}: the folder {folder} does not exist")
    temp = ""
    try:
        fd, temp = create_temp(str(folder))
        try:
            os.fchmod(fd, 0o600)
            fill(lambda text: _write_all(fd, text.encode("utf-8")))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
        temp = ""
        fsync_dir(str(folder))
    except OSError as exc:
        raise StorageError(
            f"could not save {path}: {_reason(exc)}; the previous version is unchanged"
        ) from exc
    finally:
        if temp:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _fill_through(
    descriptor: int | None,
    target: Path,
    path: Path,
    fill: Callable[[Callable[[str], object]], None],
) -> None:
    try:
        fd = descriptor
        if fd is None:
            fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        try:
            written = fd
            fill(lambda text: _write_all(written, text.encode("utf-8")))
        finally:
            if descriptor is None:
                os.close(fd)
    except OSError as exc:
        raise StorageError(f"could not write {path}: {_reason(exc)}") from exc


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _encoded(path: Path, text: str | bytes, encoding: str) -> bytes:
    """The bytes to write: text encoded, and encrypted for a name ending in `.age`."""
    if isinstance(text, bytes):
        return text
    data = text.encode(encoding)
    if path.name.endswith(".age"):
        from reflect.journal.crypt import seal_for

        data = seal_for(path, data)
    return data


class NotAFile(OSError):
    """A FIFO, socket or device where a regular file was expected."""


class TooLarge(OSError):
    """More bytes than the reader takes."""


def read_bounded(path: Path, limit: int, *, special: bool = False) -> bytes:
    """A file's bytes, never more than `limit` (TooLarge past it), and never hanging.

    The file is opened without blocking, so a FIFO named like a journal file
    is refused (NotAFile) instead of waiting forever for a writer. With
    `special`, a FIFO or a character device (a pipe, /dev/stdin) is read too,
    still at most `limit` bytes, so /dev/zero ends in TooLarge.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(info.st_mode):
            if not special or not (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
                raise NotAFile(errno.EINVAL, _kind(info.st_mode), str(path))
            os.set_blocking(fd, True)
        elif info.st_size > limit:
            raise TooLarge(errno.EFBIG, f"larger than {limit // 2**20} MB", str(path))
        chunks: list[bytes] = []
        total = 0
        # A regular file in one read of its size (and one more byte, to see it grew), so a
        # large one is not put together from pieces; the rest as it comes.
        step = info.st_size + 1 if stat.S_ISREG(info.st_mode) else 1 << 20
        while True:
            chunk = os.read(fd, min(step, limit + 1 - total))
            step = 1 << 20
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise TooLarge(errno.EFBIG, f"larger than {limit // 2**20} MB", str(path))
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    return "is not a regular file"


def _special(target: Path, path: Path, *, through: bool) -> bool:
    """True for a FIFO or terminal/device the person named, to be written through.

    Such a file is never replaced by a regular one (run as root, that would
    swap a device node for a file of private text); inside the journal, or
    for any other kind (socket, block device, folder), the write is refused.
    """
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    if stat.S_ISREG(mode):
        return False
    if through and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        return True
    raise StorageError(f"cannot write {path}: {_kind(mode)}; left as it is")


# Names of a process's open descriptors. Resolved, they name the file the shell
# opened (replacing it would lose what `>>` appends to) or a pipe's "pipe:[N]".
_DESCRIPTOR_NAMES = {"/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR_FOLDERS = ("/dev/fd/", "/proc/self/fd/")


def named_descriptor(path: Path | str) -> int | None:
    """The descriptor a path names (/dev/stdout, /dev/fd/N, /proc/self/fd/N), else None."""
    text = str(path)
    if text in _DESCRIPTOR_NAMES:
        return _DESCRIPTOR_NAMES[text]
    for folder in _DESCRIPTOR_FOLDERS:
        number = text.removeprefix(folder)
        if number != text and number.isdigit() and number.isascii():
            return int(number)
    return None


def _write_fd(fd: int, path: Path, data: bytes) -> None:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise StorageError(f"could not write {path}: {_reason(exc)}") from exc


def _write_through(target: Path, path: Path, data: bytes) -> None:
    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        raise StorageError(f"could not write {path}: {_reason(exc)}") from exc


# A copy moves this much at a time, so a large file never sits in memory whole.
COPY_CHUNK = 1 << 20


def stream_to_temp(
    source: IO[bytes], folder: Path, limit: int, feed: Callable[[bytes], object]
) -> Path:
    """Copy a stream into a private temp file in `folder`, in chunks, fsynced; its path.

    Each chunk is also given to `feed` (a hash's update). More than `limit`
    bytes raise TooLarge; on any error the temp file is gone.
    """
    ensure_private_dir(folder)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, 0o600)
        total = 0
        while chunk := source.read(min(COPY_CHUNK, limit + 1 - total)):
            total += len(chunk)
            if total > limit:
                raise TooLarge(errno.EFBIG, f"larger than {limit // 2**20} MB", temp)
            feed(chunk)
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    os.close(fd)
    return Path(temp)


def place_new(temp: Path, target: Path) -> bool:
    """Give a temp file its name unless that name is taken: never over another file.

    True when placed (the temp name is gone); False when `target` exists,
    and the temp file is left for the caller.
    """
    try:
        os.link(temp, target)
    except FileExistsError:
        return False
    except OSError:
        # A file system without hard links: the check and the rename are apart.
        if target.exists():
            return False
        os.replace(temp, target)
    else:
        os.unlink(temp)
    fsync_dir(target.parent)
    return True


def same_bytes(path: Path, digest: str) -> bool:
    """Whether a file's sha256 is `digest`, read in chunks."""
    import hashlib

    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(COPY_CHUNK):
            sha.update(chunk)
    return sha.hexdigest() == digest


def storage_reason(exc: OSError) -> str:
    """Why a file could not be written, in words, with what to do for the common causes."""
    return _reason(exc)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full; free some space and try again"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; check the journal folder's owner and permissions"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    return exc.strerror or str(exc)


@contextlib.contextmanager
def journal_lock(lock_path: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold the journal's lock so two terminals writing at once never lose a word."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path), mode=0o600)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise StorageError(
            f"another reflect is still writing (lock {lock_path} held for {timeout:.0f}s); "
            "try again when it finishes"
        ) from None
    except OSError as exc:
        raise StorageError(f"cannot lock the journal at {lock_path}: {_reason(exc)}") from exc
    try:
        yield
    finally:
        lock.release()
