"""Editing a day's file in the person's own editor: on a copy, checked before it replaces the entry.

The entry file is only ever replaced atomically, under the journal lock, by
text that parses. Text that doesn't, and that the person gives up on, is
kept in a file beside the entry; it is never thrown away.
"""

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from time import monotonic

from reflect.errors import EntryError, ReflectError, StorageError
from reflect.journal import crypt
from reflect.journal.edit_copies import KeptEdit, edit_copy, entry_tag, kept_edits, write_copy
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
    # Text of the day's edits a killed reflect left, put in the editor (and removed when saved).
    recovered: tuple[Path, ...] = ()


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
    return _read_tagged(path)[0]


def _read_tagged(path: Path) -> tuple[str | None, str]:
    """The entry's text (None when there is none) and the tag of its bytes on disk."""
    from reflect.journal.store import MAX_ENTRY_BYTES

    try:
        stored = read_bounded(path, MAX_ENTRY_BYTES)
    except FileNotFoundError:
        return None, entry_tag(None)
    except OSError as exc:
        raise EntryError(f"{path}: cannot be edited here ({exc.strerror})") from None
    raw = crypt.open_bytes(path, stored)
    try:
        return raw.decode("utf-8"), entry_tag(stored)
    except UnicodeDecodeError as exc:
        raise EntryError(f"{path}: {not_utf8(exc)}") from None


def with_kept_edits(start: str, tag: str, kept: list[KeptEdit]) -> str:
    """What the editor opens with when edits a killed reflect left are kept for the day.

    One edit begun from the entry as it is now is its successor: it opens as
    it was. Otherwise the entry changed since (or it is not known from what
    the edit began), and each kept text follows the entry in a fenced block,
    for the person to take what they want from: nothing newer is replaced.
    The blocks go under a `## Notes` heading of their own, so an editor
    closed on them files them as a note, never as part of the day's last
    answer (which history, trends and a coach's export carry).
    """
    if len(kept) == 1 and kept[0].base == tag and kept[0].text is not None:
        return kept[0].text
    text = start.rstrip("\n") + "\n\n## Notes\n"
    for edit in kept:
        if edit.text is None:
            continue
        longest = max((len(run) for run in re.findall(r"`{3,}|~{3,}", edit.text)), default=2)
        fence = "`" * max(3, longest + 1)
        text += (
            f"\nThe text of an edit left open when reflect was stopped, kept in {edit.path}. "
            "The day changed after that edit began, so it is not put in place: copy what you "
            "want from it into the day above, then delete this paragraph and the block.\n\n"
            f"{fence}text\n{edit.text.rstrip(chr(10))}\n{fence}\n"
        )
    return text


def edit_entry(
    home: Home,
    day: dt.date,
    run_editor: Callable[[Path], int],
    retry: Callable[[str], bool],
    clock: Callable[[], float] | None = None,
    tell: Callable[[str], None] | None = None,
) -> EditResult:
    """Let the person edit a day's file; replace it only with text that parses.

    `run_editor` opens a file and returns the editor's exit status; `retry`
    is told what is wrong with the text and says whether to open it again.
    `clock` times the editor (default: the monotonic clock, looked up when called).
    The text of the day's edits a killed reflect left (edit_copies.kept_edits)
    opens in the editor (with_kept_edits), `tell` says so first, and the kept
    files go once the day is saved: closing the editor on it saves it as shown.
    """
    clock = clock or monotonic
    home.ensure()
    path = entry_path(home, day)
    original, tag = _read_tagged(existing_entry_path(home, day))
    start = original if original is not None else template(day)
    found = []
    for edit in kept_edits(home, day):
        if edit.text is not None and edit.text == original:
            with contextlib.suppress(OSError):
                edit.path.unlink()  # the day holds exactly that text already
        elif edit.text is not None:
            found.append(edit)
    recovered = tuple(k.path for k in found)
    # The same text kept more than once is shown once (the copy begun from the day as it is).
    unique: dict[str | None, KeptEdit] = {}
    for edit in found:
        if edit.text not in unique or edit.base == tag:
            unique[edit.text] = edit
    shown = with_kept_edits(start, tag, list(unique.values())) if found else start
    if found and tell is not None:
        names = ", ".join(str(p) for p in recovered)
        tell(
            f"{day}: the text of an edit left open when reflect was stopped is back in the "
            f"editor (kept in {names} until the day is saved)"
        )
    with edit_copy(home, f"{day}.md", tag) as draft:
        kept: Path | None = None
        try:
            write_copy(home, draft, shown)
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
                    if raw != shown.encode("utf-8"):
                        kept = _keep(draft, entry_path(home, day))
                    return EditResult(Outcome.EDITOR_FAILED, path, kept, status, seconds)
                quick = seconds < QUICK_RETURN_SECONDS
                if first and text == shown and (quick or not found):
                    kind = Outcome.TOO_QUICK if quick else Outcome.UNCHANGED
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
                    # Their text was in the day as saved; one that cannot be removed stays.
                    removed = tuple(done for done in recovered if _remove(done))
                    return EditResult(saved[0], saved[1], seconds=seconds, recovered=removed)
                if not retry(problem):
                    kept = _keep(draft, entry_path(home, day))
                    return EditResult(
                        Outcome.KEPT_ASIDE, path, kept, seconds=seconds, problem=problem
                    )
                first = False
        finally:
            if kept != draft:
                draft.unlink(missing_ok=True)


def _remove(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


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
