"""Where the journal's index is kept: one SQLite file under `<home>/.cache/`, private to the user.

Everything that touches the file itself lives here, so the index can later
be kept another way (serialized and encrypted like the entries, or only in
memory) without the code that fills and asks it changing. The file is a
cache: one that cannot be read is deleted and started again, and one that
cannot be written is replaced by a database in memory for this run.
"""

import contextlib
import os
import re
import shutil
import sqlite3
from pathlib import Path

from reflect.errors import ReflectError, StorageError
from reflect.journal.files import ensure_private_dir, read_bounded, write_atomic
from reflect.journal.home import Home

INDEX_NAME = "index.sqlite3"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is a cache made by reflect; it is rebuilt when missing.\n"
)
# How long a reader waits for another reflect that is writing the index.
BUSY_SECONDS = 10.0


def index_path(home: Home) -> Path:
    return home.cache_dir / INDEX_NAME


def open_index(
    home: Home, schema: str, version: int, *, in_memory: bool = False
) -> sqlite3.Connection:
    """The index database with `schema` in place; a damaged or outdated file is started again.

    `in_memory` (or a cache folder that cannot be written) gives a database
    that lasts only as long as this run.
    """
    if in_memory:
        return _open_memory(schema, version)
    # Imported here: the shell greeting reads the index without loading encryption.
    from reflect.journal import crypt

    if crypt.read_state(home.root) is not None:
        return _open_sealed(home, schema, version)
    path = index_path(home)
    try:
        _prepare(home)
        return _open_file(path, schema, version)
    except (OSError, StorageError, sqlite3.Error):
        pass
    discard(home)
    try:
        return _open_file(path, schema, version)
    except (OSError, StorageError, sqlite3.Error):
        return _open_memory(schema, version)


# Far more than a century of days makes; a larger file is no index of ours, and is rebuilt.
MAX_SEALED_INDEX_BYTES = 1 << 30


def sealed_path(home: Home) -> Path:
    """Where an encrypted journal keeps its index: the database's bytes, encrypted with age."""
    return home.cache_dir / f"{INDEX_NAME}.age"


def _open_sealed(home: Home, schema: str, version: int) -> sqlite3.Connection:
    """An encrypted journal's index, decrypted into memory; never a plain file on disk.

    `close_index` writes it back, encrypted, when this run changed it.
    """
    from reflect.journal import crypt

    _discard_plain(home)
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        _prepare(home)
        db.deserialize(_sealed_bytes(sealed_path(home)))
        _ready(db, schema, version)
    except crypt.LockedError:
        db.close()
        raise
    except (OSError, ReflectError, sqlite3.Error):
        db.close()
        return _open_memory(schema, version)
    return db


# The sealed index this process last decrypted: (its path, what `_signature` gave for it, the
# key that opened it, the database's bytes, the file's first bytes). A command that opens the
# index more than once (trends asks for its days, then for the streak before them) decrypts it once.
_opened: tuple[str, tuple[int, ...], object, bytes | bytearray, bytes] | None = None
# An age file's header and payload nonce (well within this), drawn afresh each time it is written.
_HEAD_BYTES = 256


def _signature(path: str) -> tuple[int, ...]:
    """What moves when the file is replaced (reflect writes it by rename) or changed in place."""
    info = os.stat(path)
    return (info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _sealed_bytes(path: Path) -> bytes | bytearray:
    """The sealed index's database, decrypted: kept for this process while the file stays.

    Only what was read from a file whose numbers did not move while it was
    read is kept; a file changed, replaced or gone since is read again.
    """
    from reflect.journal import crypt

    global _opened
    name = os.fspath(path)
    key = crypt.key_for(path)
    before = _signature(name)
    if _opened is not None and _opened[:3] == (name, before, key) and _head(name) == _opened[4]:
        return _opened[3]
    _opened = None
    # Bounded and without blocking: a FIFO or a link to /dev/zero in its place is no index.
    sealed = read_bounded(path, MAX_SEALED_INDEX_BYTES)
    plain = key.open_buffer(sealed, path)
    if _signature(name) == before:
        _opened = (name, before, key, plain, sealed[:_HEAD_BYTES])
    return plain


def _head(name: str) -> bytes:
    """The file's first bytes: its age header and nonce, new each time the file is encrypted.

    Compared as well as the numbers, which do not always move: a clock that
    ticks every few milliseconds (Linux before 6.13) gives a file rewritten
    in place the same times, and a file system may give a new file the
    number of one just deleted.
    """
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        return os.read(fd, _HEAD_BYTES)
    finally:
        os.close(fd)


def close_index(home: Home, db: sqlite3.Connection) -> None:
    """Close the index; an encrypted journal's is first written back, encrypted, if it changed."""
    from reflect.journal import crypt

    global _opened
    try:
        if db.total_changes and crypt.sealed(home.root) and not db.in_transaction:
            path = sealed_path(home)
            _opened = None
            with contextlib.suppress(OSError, ReflectError):
                write_atomic(path, crypt.key_for(path).seal(db.serialize()))
    finally:
        db.close()


def _discard_plain(home: Home) -> None:
    """A plain index left in an encrypted journal (copied in, or from before) goes,
    and with it the histories' text kept in plain (`reflect.journal.shown`)."""
    from reflect.journal.shown import discard as discard_histories

    discard_histories(os.fspath(home.root))
    path = index_path(home)
    for name in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            name.unlink()


class Damaged(sqlite3.DatabaseError):
    """What the index holds cannot be what reflect stored: bad JSON, a missing key, a table gone."""


# SQLite's words for a file that is not what reflect wrote (the errors carry no code of their own).
_DAMAGE_WORDS = ("malformed", "could not decode", "no such table", "no such column", "corrupt")


def is_damage(exc: BaseException) -> bool:
    """Whether the index was found damaged (as opposed to busy, read-only or full).

    Damage is what SQLite reports as such, text it cannot decode, a table or
    column missing, and what reflect finds wrong in what it stored (`Damaged`).
    """
    if isinstance(exc, Damaged):
        return True
    if not isinstance(exc, sqlite3.Error):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    # The extended codes (SQLITE_CORRUPT_VTAB, _INDEX, _SEQUENCE) keep the primary one in the low byte.
    if code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    if any(word in str(exc).lower() for word in _DAMAGE_WORDS):
        return True
    return code is None and type(exc) is sqlite3.DatabaseError


def discard(home: Home) -> None:
    """Delete the index (and SQLite's side files); the next run builds it again."""
    global _opened
    _discard_plain(home)
    _opened = None
    with contextlib.suppress(OSError):
        sealed_path(home).unlink()


def _prepare(home: Home) -> None:
    cache = home.cache_dir
    ensure_private_dir(cache)
    old = cache / "index"  # the per-year JSON cache this index replaced
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old, ignore_errors=True)
    if not (cache / "CACHEDIR.TAG").exists():
        write_atomic(cache / "CACHEDIR.TAG", CACHEDIR_TAG)
        write_atomic(cache / ".gitignore", "*\n")


def _open_file(path: Path, schema: str, version: int) -> sqlite3.Connection:
    # Created private before SQLite opens it: SQLite would honour only the umask.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    # A cache: no fsync on every write. A crash of reflect still leaves it whole
    # (SQLite's journal); a damaged file after a power cut is found and rebuilt.
    db.execute("PRAGMA synchronous=OFF")
    # Deleted rows are overwritten, not left in free pages: a deleted day's words leave the file.
    db.execute("PRAGMA secure_delete=ON")
    try:
        _ready(db, schema, version)
    except sqlite3.Error:
        db.close()
        raise
    return db


def _names(schema: str) -> set[str]:
    """The tables and indexes a schema creates."""
    return set(re.findall(r"CREATE (?:VIRTUAL )?(?:TABLE|INDEX) (\w+)", schema))


def _open_memory(schema: str, version: int) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    _ready(db, schema, version)
    return db


def _ready(db: sqlite3.Connection, schema: str, version: int) -> None:
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found == version:
        missing = _names(schema) - {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if missing:
            raise Damaged(f"index without {', '.join(sorted(missing))}")
        return
    if found != 0:
        raise sqlite3.DatabaseError(f"index version {found}, expected {version}")
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] == 0:
            for statement in schema.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={int(version)}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
