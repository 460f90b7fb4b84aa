"""Safe file writing: private permissions, atomic replace, and a journal-wide lock."""

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from reflect.errors import StorageError

TEMP_PREFIX = ".reflect-tmp-"


def ensure_private_dir(path: Path) -> None:
    """Create a folder (and parents) readable only by the user; leave existing ones alone."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create {path}: {_reason(exc)}") from exc


def write_atomic(
    path: Path, text: str, *, make_folder: bool = True, encoding: str = "utf-8"
) -> None:
    """Replace path with text so that readers see the old or the new file, never a mix.

    The text goes to a temporary file in the same folder, is flushed and
    fsynced, then renamed over the target. A target that is a symlink is
    written through to the file it points at, so synced folders keep their link.
    The journal's own folders are made as needed; a file the person named
    (`make_folder=False`) must go in a folder that exists.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    if make_folder:
        ensure_private_dir(folder)
    elif not folder.is_dir():
        raise StorageError(f"cannot write {path}: the folder {folder} does not exist")
    data = text.encode(encoding)
    fd = -1
    temp = ""
    try:
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(temp, target)
        temp = ""
        _fsync_dir(folder)
    except OSError as exc:
        raise StorageError(
            f"could not save {path}: {_reason(exc)}; the previous version is unchanged"
        ) from exc
    finally:
        if fd >= 0:
            os.close(fd)
        if temp:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


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
