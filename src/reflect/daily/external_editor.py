"""Handing text to the person's own editor and getting it back."""

import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import BinaryIO

from reflect.errors import ReflectError
from reflect.journal.drafts import keep_bytes, keep_file
from reflect.journal.edit_copies import edit_copy, held_locks, write_copy
from reflect.journal.home import Home
from reflect.journal.store import MAX_ENTRY_BYTES
from reflect.model.text import not_utf8


def editor_command(configured: str | None, *, private: bool = False) -> list[str]:
    """config.toml's editor, else $VISUAL, else $EDITOR, else nano or vi.

    `private` (an encrypted journal) adds the options that stop editors known
    to keep their own copies of a file from doing so (docs/privacy.md).
    """
    for candidate in (configured, os.environ.get("VISUAL"), os.environ.get("EDITOR")):
        if candidate and candidate.strip():
            command = shlex.split(candidate)
            break
    else:
        command = next(([name] for name in ("nano", "vi") if shutil.which(name)), [])
    if not command:
        raise ReflectError("no editor found: set EDITOR (for example `export EDITOR=nano`)")
    return (
        [command[0], *PRIVATE_OPTIONS.get(Path(command[0]).name, []), *command[1:]]
        if private
        else command
    )


# No swap, undo, backup or viminfo file for vim and its kin; no backup,
# auto-save or lock file for emacs.
_VIM = ["-n", "-i", "NONE", "-c", "set nobackup nowritebackup noundofile"]
PRIVATE_OPTIONS: dict[str, list[str]] = {
    **{name: _VIM for name in ("vi", "vim", "nvim", "gvim", "view", "vim.basic", "vim.tiny")},
    "emacs": ["--eval", "(setq make-backup-files nil auto-save-default nil create-lockfiles nil)"],
}


def edit_text(
    initial: str, home: Home, configured: str | None = None, *, private: bool = False
) -> str | None:
    """Open text in the editor; the edited text, or None when the editor failed untouched.

    The draft lives in a private folder in the journal home (edit_copies.py),
    so it is as safe as the journal, and is removed afterwards. When the editor fails after saving
    something, or saves text that is not UTF-8, the file is kept in the
    journal's recovery folder, byte for byte, and the ReflectError raised says
    where. `private` (an encrypted journal): see editor_command.
    """
    command = editor_command(configured, private=private)
    with edit_copy(home, "text.md") as path:
        kept: Path | None = None
        try:
            write_copy(home, path, initial)
            status = run_editor(command, path)
            raw = _read_saved(path)
            if raw is None:
                kept = path  # never read whole, never removed: the person's text
                raise ReflectError(
                    f"what the editor saved is larger than {MAX_ENTRY_BYTES // 2**20} MB, more "
                    f"than one day holds; nothing was saved, and it is left as it is in {path}"
                )
            if status != 0:
                if raw == initial.encode("utf-8"):
                    return None
                kept = keep_file(home, path, "editor")
                raise ReflectError(
                    f"the editor exited with status {status}; what it saved is kept in {kept}"
                )
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                kept = keep_file(home, path, "editor")
                raise _not_utf8(exc, "what the editor saved", kept) from None
        finally:
            if kept != path and not path.is_dir():
                path.unlink(missing_ok=True)


def _read_saved(path: Path) -> bytes | None:
    """The editor's copy, or None when it is larger than a day may be (it is not read).

    An editor (or a script standing in for one) may leave something else
    there, or nothing: a ReflectError names the copy and says so.
    """
    from reflect.journal.files import TooLarge, read_bounded

    try:
        return read_bounded(path, MAX_ENTRY_BYTES)
    except TooLarge:
        return None
    except FileNotFoundError:
        raise ReflectError(
            f"{path}: the editor removed the copy it was given; nothing was saved"
        ) from None
    except OSError as exc:
        raise ReflectError(
            f"{path}: the editor left no file to read there ({exc.strerror or exc}); "
            "nothing was saved"
        ) from None


def read_typed(home: Home, stream: BinaryIO, limit: int) -> str:
    """Text piped in, as UTF-8; a clear error, with the bytes kept, for anything else."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise ReflectError(
            f"the input is larger than {limit // 2**20} MB, more than one day holds; nothing saved"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(exc, "the input", keep_bytes(home, raw, "stdin")) from None


def _not_utf8(exc: UnicodeDecodeError, what: str, kept: Path | None) -> ReflectError:
    """The one refusal of typed text that is not UTF-8, saying where its bytes were kept."""
    where = (
        f"the text is kept as it was in {kept}: convert it to UTF-8 "
        "(e.g. `iconv -f latin1 -t utf-8`) and add it again"
        if kept
        else "nothing could be kept"
    )
    return ReflectError(f"{what} {not_utf8(exc, f'nothing was saved; {where}')}")


def run_editor(command: list[str], path: Path) -> int:
    """Run the editor on a file and wait for it; its exit status."""
    try:
        # The editor holds the copy's lock too: if reflect is killed, the copy is not
        # taken for a leftover while the editor still has it open.
        return subprocess.call([*command, str(path)], pass_fds=held_locks())
    except OSError as exc:
        raise ReflectError(
            f"could not start the editor {command[0]!r} ({exc.strerror}); set EDITOR to one that exists"
        ) from None
