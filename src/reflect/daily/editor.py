"""Handing text to the person's own editor and getting it back."""

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from reflect.errors import ReflectError


def editor_command(configured: str | None) -> list[str]:
    """config.toml's editor, else $VISUAL, else $EDITOR, else nano or vi."""
    for candidate in (configured, os.environ.get("VISUAL"), os.environ.get("EDITOR")):
        if candidate and candidate.strip():
            return shlex.split(candidate)
    for fallback in ("nano", "vi"):
        if shutil.which(fallback):
            return [fallback]
    raise ReflectError("no editor found: set EDITOR (for example `export EDITOR=nano`)")


def edit_text(initial: str, folder: Path, configured: str | None = None) -> str | None:
    """Open text in the editor; the edited text, or None when the editor failed.

    The draft lives in the journal home (private), so it is as safe as the journal.
    """
    command = editor_command(configured)
    fd, name = tempfile.mkstemp(prefix=".reflect-edit-", suffix=".md", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(initial)
        status = run_editor(command, path)
        if status != 0:
            return None
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)


def run_editor(command: list[str], path: Path) -> int:
    """Run the editor on a file and wait for it; its exit status."""
    try:
        return subprocess.call([*command, str(path)])
    except OSError as exc:
        raise ReflectError(
            f"could not start the editor {command[0]!r} ({exc.strerror}); set EDITOR to one that exists"
        ) from None
