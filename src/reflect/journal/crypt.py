"""Encryption at rest: the journal's private files as age ciphertext, and the key that opens them.

An encrypted home holds `encryption.toml` (its state and how the key is
protected: nothing secret) and `key.age`, the journal's own age identity,
itself encrypted with a passphrase (scrypt) or to the person's age or SSH
identity. Every private file is encrypted to that journal key and named
with `.age` added (`entries/2026/2026-11-26.md.age`), so the standard `age`
tool reads any of them. Changing the passphrase rewrites `key.age` only.

A file's name says its form: the one rule is that a path ending in `.age`
is read and written through this module. Nothing here imports pyrage until
a key is actually needed, so the start-up path stays light.
"""

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from reflect.errors import ConfigError, ReflectError, newer_format, newer_than, raises_on_ctrl_c

if TYPE_CHECKING:
    import subprocess

    from reflect.journal.agefile import X25519Opener
    from reflect.journal.crypt_state import CryptState
    from reflect.journal.edit_copies import Secured

MARKER = "encryption.toml"
KEY_FILE = "key.age"
SUFFIX = ".age"
PASSPHRASE_ENV = "REFLECT_PASSPHRASE"
# The new passphrase of `reflect encrypt --rotate` for scripts: never the one that opens the key.
NEW_PASSPHRASE_ENV = "REFLECT_NEW_PASSPHRASE"
# Set by reflect for the processes it starts itself (git's merge driver during
# `reflect sync`), so they open the journal without asking again.
KEY_ENV = "REFLECT_JOURNAL_KEY"
CRYPT_FORMAT = 1
# Bytes a passphrase_command may print: a passphrase, and the lines a password manager adds
# after it (`pass show`), hold far less; a command printing without end (`yes`) is stopped here.
PASSPHRASE_OUTPUT_LIMIT = 64 * 1024
# Seconds a passphrase_command may take (a password manager waiting for a PIN or a touch).
PASSPHRASE_TIMEOUT = 30.0
ATTEMPTS = 3

State = Literal["encrypting", "encrypted", "decrypting"]


class LockedError(ReflectError):
    """The journal is encrypted and no key could be had (none given, or the wrong one)."""


class Interrupted(LockedError):
    """Ctrl-C (or a signal turned into it) while the key was being fetched: nothing changed."""

    def __init__(self, message: str, exit_code: int = 130) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class TooMuchWork(LockedError):
    """A passphrase key.age asks for more scrypt work than age accepts (passfile.py)."""


class KeyUnreadable(LockedError):
    """key.age is damaged: no passphrase opens it, so none is asked for again."""


# encryption.toml and key.age are a few hundred bytes; read bounded and without blocking,
# so a FIFO or a link to a device in their place is an error, not a hang.
_SMALL_FILE_BYTES = 1 << 20


def marker_path(root: Path) -> Path:
    return root / MARKER


def key_path(root: Path) -> Path:
    return root / KEY_FILE


_states: dict[str, tuple[tuple[int, int], "CryptState"]] = {}


def read_state(root: Path) -> "CryptState | None":
    """The home's encryption state, None for a plain journal; cheap to call per file."""
    path = marker_path(root)
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _states.get(str(path))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    import tomllib

    from pydantic import ValidationError

    from reflect.journal.crypt_state import CryptState
    from reflect.journal.files import read_bounded

    try:
        data = tomllib.loads(read_bounded(path, _SMALL_FILE_BYTES).decode("utf-8"))
        if (found := newer_than(data, CRYPT_FORMAT)) is not None:
            raise ConfigError(f"{path}: {newer_format('encryption', found, CRYPT_FORMAT)}")
        state = CryptState.model_validate(data)
    except UnicodeDecodeError as exc:
        from reflect.model.text import not_utf8

        raise ConfigError(f"{path}: {not_utf8(exc)}") from None
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot be read ({exc.strerror or exc}); `reflect doctor` explains"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc}); `reflect doctor` explains") from None
    except ValidationError as exc:
        from reflect.model.problems import validation_problems

        problems = validation_problems(str(path), exc)
        raise ConfigError("; ".join(p.line_text() for p in problems)) from None
    _states[str(path)] = (stamp, state)
    return state


def write_state(root: Path, state: "CryptState | None") -> None:
    """Record the state atomically; None removes the marker (the journal is plain again)."""
    from reflect.journal.atomic import fsync_dir
    from reflect.journal.files import write_atomic

    path = marker_path(root)
    if state is None:
        path.unlink(missing_ok=True)
        fsync_dir(root)
        return
    import tomli_w

    data = state.model_dump(exclude_none=True)
    write_atomic(
        path, "# How this journal is encrypted; see docs/privacy.md.\n" + tomli_w.dumps(data)
    )


def sealed(root: Path) -> bool:
    """Whether new files in this home are written encrypted."""
    state = read_state(root)
    return state is not None and state.sealed


def age_name(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def plain_name(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(SUFFIX))


def form(root: Path, path: Path) -> Path:
    """The name a private file has in this home: with `.age` when the home is encrypted."""
    return age_name(path) if sealed(root) else path


@dataclass(frozen=True)
class JournalKey:
    """The journal's age identity, held in memory only while a command runs."""

    secret: str
    recipient: str

    def seal(self, data: bytes) -> bytes:
        import pyrage

        recipient = pyrage.x25519.Recipient.from_str(self.recipient)
        return bytes(pyrage.encrypt(data, [recipient]))

    @cached_property
    def _identity(self) -> Any:
        """Parsed once per command, not once per file."""
        import pyrage

        return pyrage.x25519.Identity.from_str(self.secret)

    @cached_property
    def _opener(self) -> "X25519Opener | None":
        """Opens the journal's files without pyrage's cost per call (agefile.py)."""
        from reflect.journal.agefile import Unreadable, X25519Opener

        try:
            return X25519Opener(self.secret, self.recipient)
        except (Unreadable, ValueError):
            return None

    def open(self, data: bytes, where: object) -> bytes:
        plain = self.open_buffer(data, where)
        return plain if isinstance(plain, bytes) else bytes(plain)

    def open_buffer(self, data: bytes, where: object) -> bytes | bytearray:
        """What `open` gives, a file of more than one chunk left in the buffer it was
        decrypted into rather than copied once more (the index: tens of megabytes)."""
        opener = self._opener
        if opener is not None and (plain := opener.open(data)) is not None:
            return plain
        import pyrage

        from reflect.journal.agefile import header_refused

        if not header_refused(data):
            try:
                return bytes(pyrage.decrypt(data, [self._identity]))
            except pyrage.DecryptError:
                pass
        raise ReflectError(
            f"{where}: cannot be decrypted with this journal's key (damaged, or "
            "encrypted by another key); `age -d` can try other keys"
        )


# The terminal asks for a passphrase through this, installed by the command
# line; it is told why it is asked again (a wrong passphrase) and returns None
# when it cannot ask (no terminal, --no-input).
Asker = Callable[[Path, str | None], str | None]
_keys: dict[str, JournalKey] = {}
# Why the key could not be had, so a command asks (or runs passphrase_command) once, not per file.
_failed: dict[str, LockedError] = {}
_asker: Asker | None = None
# In a worker process (a copy forked to read files): only the keys it was started with.
_held_only = False


def held_keys_only() -> None:
    """From now on this process uses only the keys it holds: it asks no one for another
    (no terminal, no passphrase_command, no keyring) and writes nothing to unlock one.

    Called in a forked copy that reads files for its parent; what it cannot
    open is left for the parent, which unlocked the journal before the fork.
    """
    global _held_only, _asker
    _held_only = True
    _asker = None


def begin_command(asker: Asker | None) -> None:
    """A new command: keys of earlier commands in this process are forgotten."""
    global _asker
    _keys.clear()
    _failed.clear()
    _secured.clear()
    _looked.clear()
    _asker = asker


def _root_key(root: Path) -> str:
    return os.path.realpath(root)


def unlock(root: Path, *, ask: bool = True) -> JournalKey | None:
    """The journal's key, asking for it once per command; None for a plain journal.

    The passphrase comes from REFLECT_PASSPHRASE, else config's
    passphrase_command, else the OS keyring when the person opted in, else
    the terminal (asked again after a mistake). Raises LockedError when none
    gives the key.
    """
    state = read_state(root)
    if state is None:
        return None
    name = _root_key(root)
    if name in _keys:
        return _keys[name]
    if name in _failed:
        raise _failed[name]
    if _held_only:
        raise LockedError(f"the journal at {root} was not unlocked before this process started")
    try:
        key, _ = _obtain(root, state, ask=ask)
    except LockedError as exc:
        # Also when not to ask (--no-input): nothing later in the command asks instead.
        _failed[name] = exc
        raise
    _keys[name] = key
    secure_edit_copies(root)
    return key


# Editor copies a killed `reflect edit` left, secured by this command.
_secured: list["Secured"] = []
# The homes whose editor copies this command has looked at already.
_looked: set[str] = set()


def secure_edit_copies(root: Path) -> None:
    """Keep what a killed edit left in the recovery folder, encrypted once the key is here.

    A plain journal's copies are kept the same way (in plain text), so the
    next `reflect edit` of the day offers them in both (edit_copies.py).
    """
    name = _root_key(root)
    if name in _looked and read_state(root) is None:
        return
    _looked.add(name)
    if not any(root.glob(".reflect-edit-*")):
        return
    from reflect.journal.edit_copies import secure_leftovers
    from reflect.journal.home import Home

    _secured.extend(secure_leftovers(Home(root)))


def secure_plain_edit_copies(root: Path) -> None:
    """secure_edit_copies for a plain journal; an encrypted one's wait for its key (unlock)."""
    try:
        plain = read_state(root) is None
    except ReflectError:
        return  # a broken encryption.toml: doctor says so, and nothing here is touched
    if plain:
        secure_edit_copies(root)


def secured_copies() -> list["Secured"]:
    """The editor copies this command found left by a killed edit, and where each is kept."""
    return list(_secured)


def unlock_other(root: Path, state_text: str, blob: bytes) -> JournalKey:
    """The key another machine encrypted this journal with (its encryption.toml and key.age).

    It is opened the way this home's own key would be (REFLECT_PASSPHRASE,
    passphrase_command, the keyring, the terminal) and held for the rest of
    the command; LockedError when nothing here opens it.
    """
    import tomllib

    from pydantic import ValidationError

    from reflect.journal.crypt_state import CryptState

    try:
        state = CryptState.model_validate(tomllib.loads(state_text))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise LockedError(f"the other machine's {MARKER} cannot be read ({exc})") from None
    key, _ = _obtain(root, state, ask=True, blob=blob)
    remember(root, key)
    return key


def _obtain(
    root: Path, state: "CryptState", *, ask: bool, blob: bytes | None = None
) -> tuple[JournalKey, str]:
    handed = key_from_env()
    if handed is not None and handed.recipient == state.recipient:
        return handed, "the reflect that started this process"
    blob = _read_key_file(root) if blob is None else blob
    if not uses_passphrase(blob):
        return _open_with_identities(root, state, blob)
    from reflect.journal.config import load_config

    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return _open_with_passphrase(root, blob, env), f"the {PASSPHRASE_ENV} variable"
    from reflect.journal.home import Home

    config = load_config(Home(root))
    if config.passphrase_command:
        phrase = _run_passphrase_command(
            config.passphrase_command, config.passphrase_timeout or PASSPHRASE_TIMEOUT
        )
        return _open_with_passphrase(root, blob, phrase), "passphrase_command in config.toml"
    if config.keyring:
        stored = keyring_get(root)
        if stored is not None:
            try:
                return _open_with_passphrase(root, blob, stored), "the OS keyring"
            except LockedError:
                pass  # a stale keyring entry: ask instead
    if ask and _asker is not None:
        why: str | None = None
        for _ in range(ATTEMPTS):
            typed = _asker(root, why)
            if typed is None:
                break
            try:
                key = _open_with_passphrase(root, blob, typed)
            except (TooMuchWork, KeyUnreadable):
                raise
            except LockedError:
                why = "that passphrase does not open this journal; try again"
                continue
            if config.keyring:
                keyring_set(root, typed)
            return key, "the passphrase you typed"
        else:
            raise LockedError(
                "the passphrase does not open this journal (3 tries); nothing changed"
            )
    raise LockedError(
        f"the journal at {root} is encrypted: run this in a terminal to type the passphrase, "
        f"or set passphrase_command in config.toml (or {PASSPHRASE_ENV} for scripts)"
    )


def _read_key_file(root: Path) -> bytes:
    from reflect.journal.files import read_bounded

    path = key_path(root)
    try:
        return read_bounded(path, _SMALL_FILE_BYTES)
    except OSError as exc:
        raise LockedError(
            f"{path}: the journal's key cannot be read ({exc.strerror}); "
            "restore it from a backup (see docs/privacy.md)"
        ) from None


def _key_from_text(text: str, where: Path) -> JournalKey:
    import pyrage

    for line in text.splitlines():
        if line.startswith("AGE-SECRET-KEY-"):
            identity = pyrage.x25519.Identity.from_str(line.strip())
            return JournalKey(line.strip(), str(identity.to_public()))
    raise LockedError(f"{where}: holds no age identity; restore it from a backup")


def _open_with_passphrase(root: Path, blob: bytes, phrase: str) -> JournalKey:
    """The key in a passphrase key.age, opened here at whatever scrypt cost it was written with.

    Not pyrage's passphrase decryption: that one refuses a work factor far
    above what this machine manages in a second at the moment (passfile.py).
    """
    from reflect.journal import passfile

    try:
        text = passfile.decrypt(blob, phrase).decode("utf-8")
    except passfile.TooMuchWork as exc:
        raise TooMuchWork(
            f"{key_path(root)}: {exc}, so neither reflect nor age opens it; it was not written "
            "by reflect or age: restore key.age from a backup"
        ) from None
    except passfile.Unreadable as exc:
        raise KeyUnreadable(
            f"{key_path(root)}: cannot be read ({exc}); restore it from a backup"
        ) from None
    except (passfile.WrongPassphrase, UnicodeDecodeError):
        raise LockedError(f"the passphrase does not open {key_path(root)}") from None
    return _key_from_text(text, key_path(root))


def uses_passphrase(blob: bytes) -> bool:
    """Whether an age file is encrypted with a passphrase (its header has an scrypt stanza)."""
    header = blob.split(b"\n---", 1)[0]
    return b"\n-> scrypt " in header


def _open_with_identities(root: Path, state: "CryptState", blob: bytes) -> tuple[JournalKey, str]:
    """Open key.age with the identity file; a rotation stopped midway may have left the old one."""
    import pyrage

    if not (state.identity or state.previous_identity):
        raise LockedError(f"{marker_path(root)}: names no identity file to open {key_path(root)}")
    opener, problem = _identity_opening(root, state, blob)
    if opener is None:
        raise LockedError(f"the identity file {state.identity} {problem}")
    try:
        text = pyrage.decrypt(blob, [load_identity(Path(opener))]).decode("utf-8")
    except (pyrage.DecryptError, UnicodeDecodeError):
        raise LockedError(f"the identity file {opener} does not open {key_path(root)}") from None
    return _key_from_text(text, key_path(root)), f"the identity file {opener}"


def load_identity(path: Path) -> Any:
    """An age identity file (AGE-SECRET-KEY-...) or an unencrypted SSH private key."""
    import pyrage

    try:
        raw = _read_identity(path)
    except OSError as exc:
        raise LockedError(f"{path}: the identity file cannot be read ({exc.strerror})") from None
    text = raw.decode("utf-8", errors="replace")
    for line in text.splitlines():
        if line.startswith("AGE-SECRET-KEY-"):
            return pyrage.x25519.Identity.from_str(line.strip())
    try:
        return pyrage.ssh.Identity.from_buffer(raw)
    except (pyrage.IdentityError, ValueError) as exc:
        raise LockedError(
            f"{path}: not an age identity or an unencrypted SSH key ({exc})"
        ) from None


def _read_identity(path: Path) -> bytes:
    """An identity file's bytes, bounded: a link to /dev/zero ends in an error, not in all
    the memory there is, and a FIFO no one writes to reads as empty instead of hanging."""
    from reflect.journal.files import read_bounded

    return read_bounded(path.expanduser(), _SMALL_FILE_BYTES, special=True)


def identity_recipient(path: Path) -> Any:
    """The public side of an identity file: derived for age keys, read from KEY.pub for SSH."""
    import pyrage

    identity = load_identity(path)
    if isinstance(identity, pyrage.x25519.Identity):
        return identity.to_public()
    public = path.expanduser().with_name(path.name + ".pub")
    try:
        return pyrage.ssh.Recipient.from_str(public.read_text(encoding="utf-8").strip())
    except OSError as exc:
        raise LockedError(
            f"{public}: an SSH identity needs its public key beside it ({exc.strerror})"
        ) from None
    except (pyrage.RecipientError, ValueError) as exc:
        raise LockedError(f"{public}: not an SSH public key age can use ({exc})") from None


def _run_passphrase_command(command: str, timeout: float) -> str:
    """The first line the command prints; it may take `timeout` seconds (a password manager
    waiting for a touch or a PIN), then it is stopped. Ctrl-C stops it too (KeyboardInterrupt).

    Its stdin and stderr are the terminal's (a command that asks for a PIN
    there is seen and read). It runs in a session of its own, so Ctrl-C
    reaches reflect, which stops it; and when it exits (or is stopped),
    every process it left behind in its process group is killed too, so
    nothing outlives the command holding its output or the passphrase. A
    daemon that starts its own session (gpg-agent) is not in that group.
    """
    import shlex
    import subprocess

    stopped = f"stopped while passphrase_command {command!r} ran; nothing changed"
    interrupted: list[int] = []
    let_go = _hold_ctrl_c(interrupted)
    try:
        process = subprocess.Popen(
            shlex.split(command), stdout=subprocess.PIPE, start_new_session=True
        )
    except (OSError, ValueError) as exc:
        let_go()
        raise LockedError(f"passphrase_command {command!r} could not run ({exc})") from None
    except BaseException:
        let_go()
        raise
    try:
        let_go()  # inside the try: a Ctrl-C from here on stops the command
        if interrupted:
            raise KeyboardInterrupt
        done = _output_until_exit(process, timeout)
    except KeyboardInterrupt as exc:
        _stop(process)
        code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else 130
        raise Interrupted(stopped, code) from None
    except BaseException:
        _stop(process)
        raise
    finally:
        if process.stdout is not None:
            process.stdout.close()
    if done is None:
        _stop(process)
        raise LockedError(
            f"passphrase_command {command!r} gave no passphrase within {timeout:g} s and was "
            "stopped; check it in a shell, or raise passphrase_timeout in config.toml"
        )
    output, returncode = done
    if len(output) > PASSPHRASE_OUTPUT_LIMIT:
        raise LockedError(
            f"passphrase_command {command!r} printed more than "
            f"{PASSPHRASE_OUTPUT_LIMIT // 1024} KiB and was stopped; check it in a shell"
        )
    if returncode != 0:
        raise LockedError(
            f"passphrase_command {command!r} failed (exit {returncode}); check it in a shell"
        )
    try:
        text = output.decode("utf-8")
    except UnicodeDecodeError:
        raise LockedError(
            f"passphrase_command {command!r} printed something that is not UTF-8 text; "
            "check it in a shell"
        ) from None
    # The first line, as password managers print it (`pass show` adds metadata lines after).
    # Split at "\n" only (a "\r" before it dropped): not str.splitlines, which also breaks at
    # U+2028, U+0085 and \x1c-\x1e, characters a passphrase may hold and age keeps.
    phrase = text.split("\n", 1)[0].removesuffix("\r")
    if not phrase:
        raise LockedError(f"passphrase_command {command!r} printed no passphrase")
    return phrase


def _hold_ctrl_c(came: list[int]) -> Callable[[], None]:
    """Note Ctrl-C in `came` instead of raising it, until the returned function is called.

    A KeyboardInterrupt raised inside Popen, after the fork, would leave the
    command running in its own session with nothing to stop it. Where Ctrl-C
    does not raise KeyboardInterrupt (ignored, another handler, not the main
    thread), nothing changes.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.getsignal(signal.SIGINT)
    if not raises_on_ctrl_c(previous):
        return lambda: None
    signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))

    def let_go() -> None:
        signal.signal(signal.SIGINT, previous)

    return let_go


def _stop(process: "subprocess.Popen[bytes]") -> int:
    """Kill the command's process group (what it left running too), then reap it; its status.

    The group is the command's own (start_new_session), named by its pid,
    which stays reserved until the command is reaped here: the kill cannot
    reach an unrelated process that took the number over.
    """
    import signal

    with contextlib.suppress(OSError):
        if os.getpgid(process.pid) == process.pid != os.getpgrp():
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
    return process.wait()


def _output_until_exit(
    process: "subprocess.Popen[bytes]", timeout: float
) -> tuple[bytes, int] | None:
    """What the process printed by the time it exited, and its status; None on timeout.

    Output past PASSPHRASE_OUTPUT_LIMIT stops the process at once: what is
    returned then is longer than the limit, with its status once stopped.
    """
    import selectors
    import subprocess
    import time

    assert process.stdout is not None
    out = process.stdout.fileno()
    deadline = time.monotonic() + timeout
    exited: int | None
    try:
        exited = os.pidfd_open(process.pid)
    except (AttributeError, OSError):
        exited = None  # not Linux: the end of its output stands for its exit
    data = bytearray()
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(out, selectors.EVENT_READ, "out")
            if exited is not None:
                selector.register(exited, selectors.EVENT_READ, "exit")
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                for ready, _ in selector.select(left):
                    if ready.data == "exit":
                        # Whatever it wrote is in the pipe already; a background child
                        # holding the pipe open is not waited for: it is killed.
                        os.set_blocking(out, False)
                        with contextlib.suppress(BlockingIOError):
                            while len(data) <= PASSPHRASE_OUTPUT_LIMIT and (
                                chunk := os.read(out, 65536)
                            ):
                                data += chunk
                        # Exited, and left unreaped while its group is killed (_stop).
                        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
                        return bytes(data), _stop(process)
                    chunk = os.read(out, 65536)
                    if not chunk:
                        selector.unregister(out)
                        if exited is None:
                            try:
                                left = max(deadline - time.monotonic(), 0)
                                return bytes(data), process.wait(timeout=left)
                            except subprocess.TimeoutExpired:
                                return None
                    data += chunk
                    if len(data) > PASSPHRASE_OUTPUT_LIMIT:
                        return bytes(data), _stop(process)
    finally:
        if exited is not None:
            os.close(exited)


KEYRING_SERVICE = "reflect"


def keyring_get(root: Path) -> str | None:
    try:
        import keyring
    except ImportError:
        raise LockedError(
            "config.toml asks for the OS keyring, but the keyring package is not installed: "
            "pip install 'reflect[keyring]'"
        ) from None
    try:
        value = keyring.get_password(KEYRING_SERVICE, os.path.realpath(root))
    # Its backends raise their own errors (no backend on a headless machine, a locked
    # wallet, D-Bus), not all of them keyring.errors.KeyringError.
    except Exception as exc:
        raise LockedError(
            f"config.toml asks for the OS keyring, but it cannot be read ({exc or type(exc).__name__})"
        ) from None
    return value if isinstance(value, str) else None


def keyring_set(root: Path, phrase: str) -> None:
    import keyring

    keyring.set_password(KEYRING_SERVICE, os.path.realpath(root), phrase)


def key_from_env() -> JournalKey | None:
    """The key a parent reflect handed to this process, if any."""
    secret = os.environ.get(KEY_ENV, "").strip()
    if not secret:
        return None
    import pyrage

    try:
        return JournalKey(secret, str(pyrage.x25519.Identity.from_str(secret).to_public()))
    except (pyrage.IdentityError, ValueError):
        return None


def child_env(root: Path) -> dict[str, str]:
    """What a process reflect starts needs to open this journal: its key, when unlocked."""
    key = _keys.get(_root_key(root))
    return {KEY_ENV: key.secret} if key is not None else {}


def _held_key(target: str) -> JournalKey | None:
    for name, key in _keys.items():
        if target.startswith(name + os.sep):
            return key
    return None


def key_for(path: str | Path) -> JournalKey:
    """The key of the journal home a file belongs to, unlocking it on first use."""
    # The plain absolute path first: realpath costs a system call per folder, per file.
    held = _held_key(os.path.abspath(path)) or _held_key(os.path.realpath(path))
    if held is not None:
        return held
    for parent in Path(os.path.realpath(path)).parents:
        if marker_path(parent).exists():
            found = unlock(parent)
            if found is not None:
                return found
    raise LockedError(f"{path}: encrypted, and no encrypted journal around it to take a key from")


def seal_to_journal(root: Path, data: bytes) -> bytes:
    """`data` encrypted to an encrypted journal's key, with or without the key at hand.

    Encrypting needs only the key's public half, the recipient in
    encryption.toml: text typed while the journal stays locked (a wrong
    passphrase, none at all) is kept this way, and read once it opens.
    """
    state = read_state(root)
    if state is None:
        raise ReflectError(f"{root}: the journal is not encrypted")
    held = _keys.get(_root_key(root))
    return JournalKey("", state.recipient if held is None else held.recipient).seal(data)


def seal_for(path: Path, data: bytes) -> bytes:
    """What a file named `path` holds on disk: ciphertext when its name ends in `.age`."""
    if not path.name.endswith(SUFFIX):
        return data
    return key_for(path).seal(data)


def open_bytes(path: Path, data: bytes) -> bytes:
    """A file's contents as written: decrypted when its name ends in `.age`."""
    if not path.name.endswith(SUFFIX):
        return data
    return key_for(path).open(data, path)


def read_file(path: Path) -> bytes:
    return open_bytes(path, path.read_bytes())


def new_key() -> tuple[JournalKey, str]:
    """A fresh journal key, and its identity file's text (what `age -i` reads)."""
    import datetime as dt

    import pyrage

    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text = f"# created: {stamp}\n# public key: {public}\n{identity}\n"
    return JournalKey(str(identity), public), text


@dataclass(frozen=True)
class Protection:
    """What protects the journal key: a passphrase, or an age or SSH identity file."""

    passphrase: str | None = None
    identity: Path | None = None

    def seal(self, text: str) -> bytes:
        """The journal key's identity text, encrypted with this protection."""
        import pyrage

        if self.identity is not None:
            return bytes(pyrage.encrypt(text.encode("utf-8"), [identity_recipient(self.identity)]))
        assert self.passphrase is not None
        from reflect.journal import passfile

        # At age's fixed work factor, not one timed on this machine (passfile.py).
        return passfile.encrypt(text.encode("utf-8"), self.passphrase)

    def open(self, root: Path, blob: bytes) -> JournalKey | None:
        """The journal key in `blob` (key.age) if this protection opens it, else None."""
        import pyrage

        try:
            if self.identity is not None:
                if uses_passphrase(blob):
                    return None
                text = pyrage.decrypt(blob, [load_identity(self.identity)]).decode("utf-8")
                return _key_from_text(text, key_path(root))
            if not uses_passphrase(blob) or self.passphrase is None:
                return None
            return _open_with_passphrase(root, blob, self.passphrase)
        except (pyrage.DecryptError, UnicodeDecodeError, LockedError):
            return None

    def describe(self) -> str:
        return f"the identity {self.identity}" if self.identity else "the new passphrase"


def remember(root: Path, key: JournalKey) -> None:
    """Hold a key just made or reopened, for the rest of this command."""
    _keys[_root_key(root)] = key


@dataclass(frozen=True)
class Status:
    """What `reflect status` says: whether the journal is encrypted and what opens it unasked."""

    home: Path
    state: str
    protected_by: str | None
    unlocks_unasked: list[str]
    unfinished_rotation: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "format": 1,
            "home": str(self.home),
            "encryption": self.state,
            "protected_by": self.protected_by,
            "unlocks_without_asking": self.unlocks_unasked,
            "unfinished_rotation": self.unfinished_rotation,
        }

    def lines(self) -> list[str]:
        words = {
            "none": "not encrypted: entries are plain markdown (`reflect encrypt` encrypts them)",
            "encrypted": "encrypted with age",
            "encrypting": "encryption stopped midway: run `reflect encrypt` to finish",
            "decrypting": "decryption stopped midway: run `reflect decrypt` to finish",
        }
        out = [f"Journal: {self.home}", f"Encryption: {words[self.state]}"]
        if self.protected_by:
            out.append(f"Key: {KEY_FILE}, protected by {self.protected_by}")
        if self.unfinished_rotation:
            out.append(f"Rotation: {self.unfinished_rotation}")
        if self.state != "none":
            if self.unlocks_unasked:
                out.append("Unlocked without asking by: " + "; ".join(self.unlocks_unasked))
            else:
                out.append("Unlocked without asking by: nothing; each command asks")
        return out


def describe(root: Path) -> Status:
    """The journal's encryption and what unlocks it without a question; asks for nothing."""
    from reflect.journal.config import load_config
    from reflect.journal.home import Home

    state = read_state(root)
    if state is None:
        return Status(root, "none", None, [])
    try:
        blob = key_path(root).read_bytes()
    except OSError:
        return Status(root, state.state, f"nothing: {KEY_FILE} is missing", [])
    unasked: list[str] = []
    if key_from_env() is not None:
        unasked.append(f"the {KEY_ENV} variable (set by a reflect that started this process)")
    if uses_passphrase(blob):
        protected = "a passphrase"
        if os.environ.get(PASSPHRASE_ENV):
            unasked.append(f"the {PASSPHRASE_ENV} variable")
        config = load_config(Home(root))
        if config.passphrase_command:
            unasked.append(f"passphrase_command {config.passphrase_command!r}")
        if config.keyring:
            unasked.append(
                "the OS keyring (keyring = true): anyone logged in as you can read the journal"
            )
    else:
        opener, problem = _identity_opening(root, state, blob)
        if opener is None:
            protected = f"the identity file {state.identity}, which {problem}"
        else:
            protected = f"the identity file {opener}"
            unasked.append(f"the identity file {opener}: whoever can read it can read the journal")
    return Status(root, state.state, protected, unasked, rotation_left(root, state, blob))


def _identity_opening(root: Path, state: "CryptState", blob: bytes) -> tuple[str | None, str]:
    """Which identity file named in encryption.toml opens key.age; else why the first does not."""
    import pyrage

    problems: list[str] = []
    for name in (state.identity, state.previous_identity):
        if not name:
            continue
        try:
            _read_identity(Path(name))
        except OSError as exc:
            problems.append(f"cannot be read ({exc.strerror})")
            continue
        try:
            pyrage.decrypt(blob, [load_identity(Path(name))])
        except (pyrage.DecryptError, LockedError):
            problems.append(f"does not open {KEY_FILE}")
            continue
        return name, ""
    return None, problems[0] if problems else "is not named in encryption.toml"


def rotation_left(root: Path, state: "CryptState", blob: bytes) -> str | None:
    """What a `reflect encrypt --rotate` stopped midway left to do, None when none was stopped."""
    if state.previous_identity is None:
        return None
    if uses_passphrase(blob):
        return (
            "a change to a passphrase stopped before it was recorded: run "
            "`reflect encrypt --rotate` with that passphrase to finish"
        )
    opener, _ = _identity_opening(root, state, blob)
    target = state.identity
    if opener is not None and opener == state.previous_identity and target != opener:
        return (
            f"a change to the identity {target} stopped before {KEY_FILE} was rewritten (the "
            f"old identity still opens it): run `reflect encrypt --rotate --identity {target}` "
            "to finish"
        )
    if opener is not None and opener == state.previous_identity:
        return (
            f"a change to a passphrase stopped before {KEY_FILE} was rewritten (the identity "
            f"{opener} still opens it): run `reflect encrypt --rotate` to finish"
        )
    return (
        f"a change to the identity {target} stopped before it was recorded: run "
        f"`reflect encrypt --rotate --identity {target}` to finish"
    )
