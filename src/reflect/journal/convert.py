"""Turning a whole journal home encrypted and back, in steps that survive being killed.

Each file is converted on its own: the new form is written atomically, then
the old one removed. A stop between the two leaves a day in both forms with
the same words; readers take the form being written, and a rerun removes the
other. encryption.toml says which way the home is going, so `reflect
doctor` can say what is left and `reflect encrypt` (or decrypt) finishes.
"""

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reflect.errors import Hint, ReflectError
from reflect.journal import crypt
from reflect.journal.atomic import TEMP_PREFIX, fsync_dir
from reflect.journal.crypt_state import CryptState
from reflect.journal.files import journal_lock, write_atomic
from reflect.journal.home import Home


@dataclass(frozen=True)
class Converted:
    """What a conversion did: files turned, and whether it resumed an earlier one."""

    files: int
    resumed: bool
    already: bool = False


@dataclass(frozen=True)
class Progress:
    """How far a stopped conversion got, for doctor."""

    state: crypt.State
    plain: int
    sealed: int
    both: int

    def advice(self) -> str | None:
        if self.state == "encrypting":
            return (
                f"encryption stopped midway ({self.plain} file(s) still in plain text); "
                "run `reflect encrypt` to finish"
            )
        if self.state == "decrypting":
            return (
                f"decryption stopped midway ({self.sealed} file(s) still encrypted); "
                "run `reflect decrypt` to finish"
            )
        if self.plain:
            return (
                f"{self.plain} private file(s) in plain text in an encrypted journal; "
                "run `reflect encrypt` to encrypt them"
            )
        return None


def private_files(home: Home, *, leftovers: bool = False) -> Iterator[Path]:
    """The files that hold private writing: entries, edits set aside, drafts and kept text,
    and every file under attachments/ (an imported photo is as private as the words).

    `leftovers`: instead, the temporary files a killed write left in those folders.
    """
    from reflect.journal.drafts import draft_dirs

    folders = [home.entries_dir, draft_dirs(home)[0], home.cache_dir, home.attachments_dir]
    for folder in folders:
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                if name.startswith(TEMP_PREFIX):
                    if leftovers:
                        yield Path(dirpath) / name
                elif (
                    not leftovers
                    and folder != home.cache_dir
                    and (
                        folder == home.attachments_dir
                        or name.endswith((".md", ".json", ".txt", ".age"))
                    )
                ):
                    yield Path(dirpath) / name


def progress(home: Home) -> Progress | None:
    """How far the home is from its state's target form; None for a plain journal."""
    state = crypt.read_state(home.root)
    if state is None:
        return None
    plain = sealed = both = 0
    for path in private_files(home):
        if path.name.endswith(crypt.SUFFIX):
            sealed += 1
            both += crypt.plain_name(path).exists()
        else:
            plain += 1
    return Progress(state.state, plain, sealed, both)


def encrypt_home(
    home: Home,
    protection: crypt.Protection | None,
    on_file: Callable[[Path], None] | None = None,
) -> Converted:
    """Encrypt every private file of the home; resume a stopped run.

    `protection` (a passphrase or an identity) protects the new journal key;
    it is only needed when the home has no encryption.toml yet. A key.age
    left by a run stopped before encryption.toml was written is reused when
    `protection` opens it. A home part-way through decryption turns back to
    encrypting.
    """
    home.ensure()
    with journal_lock(home.lock_path):
        state = crypt.read_state(home.root)
        resumed = state is not None
        if state is not None and protection is not None:
            # Another `reflect encrypt` began (or finished) since the caller saw a plain
            # journal and asked for `protection`: it must open the key that run chose.
            _refuse_other_key(home, protection)
        if state is None:
            if protection is None:
                raise ReflectError("no key to encrypt with")
            key, resumed = _reuse_or_make_key(home, protection)
            crypt.remember(home.root, key)
            state = CryptState(
                state="encrypting",
                recipient=key.recipient,
                identity=str(protection.identity) if protection.identity else None,
            )
            crypt.write_state(home.root, state)
            _settle(home, sealed=True)
        elif state.state == "encrypted" and progress_left(home) == 0:
            return Converted(0, resumed=False, already=True)
        else:
            crypt.unlock(home.root)
            _settle(home, sealed=state.sealed)
            if state.state != "encrypting":
                crypt.write_state(home.root, state.model_copy(update={"state": "encrypting"}))
        count = _convert(home, sealed=True, on_file=on_file)
        _clear_cache(home)
        state = crypt.read_state(home.root)
        assert state is not None
        crypt.write_state(home.root, state.model_copy(update={"state": "encrypted"}))
        # Editor copies a killed edit left in plain text: kept encrypted (edit_copies.py).
        crypt.secure_edit_copies(home.root)
    return Converted(count, resumed)


def _reuse_or_make_key(home: Home, protection: crypt.Protection) -> tuple[crypt.JournalKey, bool]:
    """The journal key: the one a stopped first run left in key.age, else a new one.

    Never a second key beside the first: a key.age that `protection` does
    not open is refused, since files may already be encrypted to it.
    """
    path = crypt.key_path(home.root)
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        key, text = crypt.new_key()
        write_atomic(path, protection.seal(text))
        return key, False
    except OSError as exc:
        raise crypt.LockedError(f"{path}: cannot be read ({exc.strerror})") from None
    found = protection.open(home.root, blob)
    if found is None:
        given = f"the identity {protection.identity}" if protection.identity else "this passphrase"
        raise crypt.LockedError(
            f"{path} is left from an encryption that stopped before it finished, and {given} "
            "does not open it; nothing changed. Run `reflect encrypt` with the passphrase (or "
            "--identity) chosen then; `reflect doctor` says whether any file is encrypted yet"
        )
    return found, True


def _refuse_other_key(home: Home, protection: crypt.Protection) -> None:
    """LockedError unless `protection` opens key.age, as it was given to protect it."""
    path = crypt.key_path(home.root)
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise crypt.LockedError(f"{path}: cannot be read ({exc.strerror})") from None
    if protection.open(home.root, blob) is None:
        given = f"the identity {protection.identity}" if protection.identity else "this passphrase"
        raise crypt.LockedError(
            f"another reflect encrypted {home.root} meanwhile, and {given} does not open its "
            "key; nothing changed. The journal opens with what that run was given",
            hint=Hint("rotate"),
        )


def decrypt_home(home: Home, on_file: Callable[[Path], None] | None = None) -> Converted:
    """Write every private file back in plain text, then drop the key; resume a stopped run."""
    with journal_lock(home.lock_path):
        state = crypt.read_state(home.root)
        if state is None:
            crypt.key_path(home.root).unlink(missing_ok=True)
            return Converted(0, resumed=False, already=True)
        crypt.unlock(home.root)
        resumed = state.state == "decrypting"
        _settle(home, sealed=state.sealed)
        if state.state != "decrypting":
            crypt.write_state(home.root, state.model_copy(update={"state": "decrypting"}))
        count = _convert(home, sealed=False, on_file=on_file)
        _clear_cache(home)
        crypt.write_state(home.root, None)
        crypt.key_path(home.root).unlink(missing_ok=True)
        fsync_dir(home.root)
    return Converted(count, resumed)


def change_key(home: Home, protection: crypt.Protection) -> None:
    """Protect the journal key with a new passphrase or identity; the files stay as they are.

    Refused when `protection` already opens key.age (rotating to the same
    passphrase changes nothing). The marker names the new identity (keeping
    the old one) before key.age is replaced, so a stop at any point leaves a
    key that opens.
    """
    with journal_lock(home.lock_path):
        state = crypt.read_state(home.root)
        if state is None:
            raise ReflectError("the journal is not encrypted", hint=Hint("encrypt"))
        key = crypt.unlock(home.root)
        assert key is not None
        try:
            current = crypt.key_path(home.root).read_bytes()
        except OSError:
            current = b""
        identity = protection.identity
        final = {"identity": str(identity) if identity else None, "previous_identity": None}
        if current and protection.open(home.root, current) is not None:
            if state.previous_identity is not None:
                # A rotation to this very protection stopped after key.age was rewritten.
                crypt.write_state(home.root, state.model_copy(update=final))
                return
            what = (
                f"the identity {protection.identity} already protects"
                if protection.identity
                else "the new passphrase is the one that already protects"
            )
            raise ReflectError(f"{what} the journal's key; nothing changed")
        # A stopped rotation named its target already: the identity opening key.age is the old one.
        old = state.previous_identity or state.identity
        text = f"# public key: {key.recipient}\n{key.secret}\n"
        blob = protection.seal(text)
        crypt.write_state(
            home.root,
            state.model_copy(
                update={"identity": str(identity) if identity else old, "previous_identity": old}
            ),
        )
        write_atomic(crypt.key_path(home.root), blob)
        crypt.write_state(home.root, state.model_copy(update=final))


def progress_left(home: Home) -> int:
    found = progress(home)
    return 0 if found is None else found.plain


def _settle(home: Home, *, sealed: bool) -> None:
    """Days left in both forms by a stop: keep the form that was being written.

    Temporary files left by a killed write go too (under the lock no writer
    holds one): in a journal being encrypted they may hold plain text.
    """
    for path in list(private_files(home, leftovers=True)):
        path.unlink(missing_ok=True)
    for path in list(private_files(home)):
        is_sealed = path.name.endswith(crypt.SUFFIX)
        twin = crypt.plain_name(path) if is_sealed else crypt.age_name(path)
        if is_sealed == sealed and twin.exists():
            if _same_words(path, twin):
                twin.unlink()
            else:
                # Not a stop's leftover: a day restored from a backup or written by
                # another program beside its other form. Both are kept; the twin
                # under a name of its own, converted with the rest.
                twin.rename(_kept_name(twin))
            fsync_dir(twin.parent)


def _same_words(path: Path, twin: Path) -> bool:
    """Whether a day's two forms hold the same bytes once both are plain."""
    try:
        one, other = path.read_bytes(), twin.read_bytes()
        if path.name.endswith(crypt.SUFFIX):
            one = crypt.open_bytes(path, one)
        else:
            other = crypt.open_bytes(twin, other)
    except (OSError, ReflectError):
        return False
    return one == other


def _kept_name(path: Path) -> Path:
    """DATE.other-TIMESTAMP.md (or .md.age): beside the day, never read as the day."""
    import datetime as dt

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = path.name
    stem, rest = name.split(".", 1)
    return path.with_name(f"{stem}.other-{stamp}.{rest}")


def _convert(home: Home, *, sealed: bool, on_file: Callable[[Path], None] | None) -> int:
    count = 0
    for path in list(private_files(home)):
        if path.name.endswith(crypt.SUFFIX) == sealed:
            continue
        data = path.read_bytes()
        if sealed:
            target = crypt.age_name(path)
            write_atomic(target, crypt.key_for(path).seal(data))
        else:
            target = crypt.plain_name(path)
            write_atomic(target, crypt.open_bytes(path, data))
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        fsync_dir(path.parent)
        count += 1
        if on_file is not None:
            on_file(target)
    return count


def _clear_cache(home: Home) -> None:
    """The cache is rebuilt in the new form; nothing of the old one may stay behind."""
    import shutil

    cache = home.cache_dir
    if not cache.is_dir():
        return
    for path in cache.iterdir():
        if path.name in ("CACHEDIR.TAG", ".gitignore"):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    fsync_dir(cache)
