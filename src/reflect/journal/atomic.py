"""`replace_file`: the one temp, fsync, rename, fsync sequence, on str paths (standard library).

Standard library `os` only, so the quick note writer (daily/quick.py) and
`write_atomic` (journal/files.py) replace a file in exactly one way.
"""

import os

# Every temp file reflect leaves in a folder starts so; doctor and conversions look for it.
TEMP_PREFIX = ".reflect-tmp-"
_ATTEMPTS = 100


def replace_file(folder: str, target: str, data: bytes) -> None:
    """Replace `target` (in `folder`) by `data` so readers see the old or the new file, never a mix.

    The bytes go to a private (0600) temp file in the same folder, are
    fsynced, and the temp file is renamed over the target; then the folder
    is fsynced so the rename survives a crash. OSError when any step fails;
    the temp file is gone then and the target as it was.
    """
    fd, temp = create_temp(folder)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(temp, target)
        temp = ""
    finally:
        if fd >= 0:
            os.close(fd)
        if temp:
            try:  # noqa: SIM105 - contextlib would cost the quick writer an import
                os.unlink(temp)
            except OSError:
                pass
    fsync_dir(folder)


def create_temp(folder: str) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(_ATTEMPTS):
        temp = os.path.join(folder, f"{TEMP_PREFIX}{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temp, flags, 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make a rename in `folder` durable; a file system that cannot is left as it is."""
    # contextlib.suppress would cost this module's callers an import at start-up.
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
