"""Editing a day's file in the person's own editor: on a copy, checked before it replaces the entry.

The entry file is only ever replaced atomically, under the journal lock, by
text that parses. Text that doesn't, and that the person gives up on, is
kept in a file beside the entry; it is never thrown away.
"""

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from time import monotonic

from reflect.errors import EntryError, ReflectError, StorageError
from reflect.journal import crypt
from reflect.journal.edit_copies import edit_copy
from reflect.journal.entry import dump_front, parse_entry
from reflect.journal.files import journal_lock, read_bounded, write_atomic
from reflect.journal.home import Home
from reflect.journal.store import drop_other_form, entry_path, existing_entry_path
from reflect.model.front import FrontMatter
from reflect.model.text import not_utf8

# A terminal editor holds on until the person quits; a GUI editor launched
# without its wait flag hands the file to a window and returns at once.
# Nobody reads a day and quits in less than this without changing a thing.
QUICK_RETURN_SECONDS = 1.0


class Outcome(Enum):
    SAVED = "saved"
    CREATED = "created"
    UNCHANGED = "unchanged"
    TOO_QUICK = "too-quick"
    EDITOR_FAILED = "editor-failed"
    KEPT_ASIDE = "kept-aside"
    CONFLICT = "conflict"
    UNSAVED = "unsaved"


@dataclass(frozen=True)
class EditResult:
    outcome: Outcome
    path: Path
    kept: Path | None = None
    status: int = 0
    seconds: float = 0.0
    problem: str | None = None
    # Why the text could not be saved, when the journal's key could not be had.
    error: ReflectError | None = None


def template(day: dt.date) -> str:
    """What a day with no entry yet opens with: its front matter and room to write."""
    return dump_front(FrontMatter(date=day)) + "\n"


def problem_with(text: str, path: Path, day: dt.date, original: str | None = None) -> str | None:
    """What is wrong with edited text, in words, or None when it can replace the entry."""
    if not text.strip():
        return "the file is empty; to remove the day, delete its file yourself"
    try:
        parse_entry(text, path.name, day)
    except EntryError as exc:
        message = str(exc)
        for advice, instead in (
            ("; fix it in an editor (`reflect edit`)", ""),
            ("; the file is left as it is", ""),
            ("rename the file or fix the date", f"set it back to {day}"),
        ):
            message = message.replace(advice, instead)
        return message
    if original is not None and _has_front(original) and not _has_front(text):
        return (
            f"{path.name}: the front matter (the --- block with the answers) is gone; put it back"
        )
    return None


def _has_front(text: str) -> bool:
    return text.removeprefix("\ufeff").startswith("---")


def rejected_path(path: Path, now: dt.datetime) -> Path:
    """Beside the entry, named for the day and the time it was set aside: never overwritten."""
    # Kept in the entry's own form: encrypted in an encrypted journal.
    suffix = ".md.age" if path.name.endswith(crypt.SUFFIX) else ".md"
    stem = path.name.removesuffix(suffix)
    base = f"{stem}.rejected-{now:%Y%m%d-%H%M%S}"
    candidate = path.with_name(f"{base}{suffix}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{base}-{number}{suffix}")
        number += 1
    return candidate


def _read_text(path: Path) -> str | None:
    from reflect.journal.store import MAX_ENTRY_BYTES

    try:
        raw = crypt.open_bytes(path, read_bounded(path, MAX_ENTRY_BYTES))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EntryError(f"{path}: cannot be edited here ({exc.strerror})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EntryError(f"{path}: {not_utf8(exc)}") from None


def edit_entry(
    home: Home,
    day: dt.date,
    run_editor: Callable[[Path], int],
    retry: Callable[[str], bool],
    clock: Callable[[], float] | None = None,
) -> EditResult:
    """Let the person edit a day's file; replace it only with text that parses.

    `run_editor` opens a file and returns the editor's exit status; `retry`
    is told what is wrong with the text and says whether to open it again.
    `clock` times the editor (default: the monotonic clock, looked up when called).
    """
    clock = clock or monotonic
    home.ensure()
    path = entry_path(home, day)
    original = _read_text(existing_entry_path(home, day))
    start = original if original is not None else template(day)
    with edit_copy(home, f"{day}.md") as draft:
        kept: Path | None = None
        try:
            with draft.open("w", encoding="utf-8", newline="") as handle:
                handle.write(start)
            first = True
            while True:
                began = clock()
                status = run_editor(draft)
                seconds = clock() - began
                raw = draft.read_bytes()
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    text = raw.decode("utf-8", errors="replace")
                    problem: str | None = f"{path.name}: {not_utf8(exc, 'save it as UTF-8')}"
                else:
                    problem = None
                if status != 0:
                    # Whatever the editor saved before failing is the person's writing.
                    if raw != start.encode("utf-8"):
                        kept = _keep(draft, entry_path(home, day))
                    return EditResult(Outcome.EDITOR_FAILED, path, kept, status, seconds)
                if first and text == start:
                    kind = (
                        Outcome.TOO_QUICK if seconds < QUICK_RETURN_SECONDS else Outcome.UNCHANGED
                    )
                    return EditResult(kind, path, seconds=seconds)
                if text == start:
                    return EditResult(Outcome.UNCHANGED, path, seconds=seconds)
                problem = problem or problem_with(text, path, day, original)
                if problem is None:
                    try:
                        saved = _replace(home, day, original, text)
                    except StorageError as exc:
                        kept = _keep(draft, entry_path(home, day))
                        return EditResult(
                            Outcome.UNSAVED, path, kept, seconds=seconds, problem=str(exc)
                        )
                    except crypt.LockedError as exc:
                        # The journal was encrypted meanwhile and its key could not be had:
                        # the text stays in its private copy, which the next command given
                        # the key keeps encrypted (edit_copies.secure_leftovers).
                        kept = draft
                        return EditResult(
                            Outcome.UNSAVED,
                            path,
                            kept,
                            seconds=seconds,
                            problem=str(exc),
                            error=exc,
                        )
                    if saved is None:
                        kept = _keep(draft, entry_path(home, day))
                        return EditResult(Outcome.CONFLICT, path, kept, seconds=seconds)
                    return EditResult(saved[0], saved[1], seconds=seconds)
                if not retry(problem):
                    kept = _keep(draft, entry_path(home, day))
                    return EditResult(
                        Outcome.KEPT_ASIDE, path, kept, seconds=seconds, problem=problem
                    )
                first = False
        finally:
            if kept != draft:
                draft.unlink(missing_ok=True)


def _keep(draft: Path, path: Path) -> Path:
    """Move the edited text beside the entry; where it is, if even that fails, it stays.

    A rename needs no free space, so this works on a full disk; the bytes are
    kept exactly as the editor saved them. In an encrypted journal they are
    encrypted instead, which needs the space; on a full disk the copy stays
    where the editor left it.
    """
    kept = rejected_path(path, dt.datetime.now())
    try:
        if kept.name.endswith(crypt.SUFFIX):
            # An encrypted journal keeps it encrypted, and only then removes the plain copy.
            write_atomic(kept, crypt.key_for(kept).seal(draft.read_bytes()))
            draft.unlink()
        else:
            os.replace(draft, kept)
    except (OSError, ReflectError):
        return draft
    return kept


def _replace(
    home: Home, day: dt.date, original: str | None, text: str
) -> tuple[Outcome, Path] | None:
    """Write the edited text, and where (its form may have changed meanwhile: `reflect
    decrypt` in another terminal); None when another reflect changed the day meanwhile."""
    path = entry_path(home, day)
    with journal_lock(home.lock_path):
        if _read_text(existing_entry_path(home, day)) != original:
            return None
        write_atomic(path, text)
        drop_other_form(path)
    return (Outcome.CREATED if original is None else Outcome.SAVED), path
