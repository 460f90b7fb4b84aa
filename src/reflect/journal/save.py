"""Saving what a person typed, and keeping it as a recovery draft when the journal can't be written.

Every change to an entry goes through `save` as a list of `Edit`s. If the
write fails (disk full, read-only home, permission denied) or the day's
file is broken, the edits are written to a recovery draft
(journal/drafts.py), and the next `reflect today` offers to restore them:
nothing typed is ever lost. An encrypted journal whose key cannot be had
(a wrong passphrase, none given) keeps its draft encrypted to the journal's
key, which needs no passphrase to encrypt to.
"""

import contextlib
import datetime as dt
from pathlib import Path

from reflect.errors import EntryError, ReflectError, StorageError
from reflect.journal import crypt
from reflect.journal.drafts import Draft, Edit, write_draft
from reflect.journal.entry import Entry
from reflect.journal.home import Home
from reflect.journal.store import update_entry


class Unsaved(StorageError):
    """The journal could not be written, or the day's file is broken; what was typed is in a draft."""

    def __init__(self, cause: ReflectError, draft: Path | None) -> None:
        self.draft = draft
        if draft is None:
            kept = "and no recovery draft could be written either; copy what you typed now"
        else:
            kept = f"what you typed is kept in {draft}; `reflect today` offers to restore it"
        super().__init__(f"{cause}; {kept}")


class KeptLocked(crypt.LockedError):
    """The journal's key could not be had; what was typed is in a draft encrypted to the key."""

    def __init__(self, cause: crypt.LockedError, draft: Path | None) -> None:
        self.draft = draft
        self.exit_code = cause.exit_code
        if draft is None:
            kept = "and it could not be kept either; copy what you typed now"
        else:
            kept = (
                f"what you typed is kept, encrypted to the journal's key, in {draft}: "
                "`reflect today` offers to restore it once the journal opens"
            )
        super().__init__(f"{cause}; {kept}")


def keep_locked(
    home: Home, day: dt.date, edits: list[Edit], cause: crypt.LockedError
) -> KeptLocked:
    """Keep edits the locked journal cannot take as a draft; the error that says where."""
    return KeptLocked(cause, write_draft(home, day, edits))


def save(home: Home, day: dt.date, edits: list[Edit]) -> Entry:
    """Apply edits to the day's entry, or keep them in a recovery draft and raise Unsaved.

    KeptLocked instead when the journal is encrypted and its key cannot be had.
    """

    try:
        return _apply(home, day, edits)
    except crypt.LockedError as exc:
        raise keep_locked(home, day, edits, exc) from exc
    except (StorageError, EntryError) as exc:
        raise Unsaved(exc, write_draft(home, day, edits)) from exc


def _apply(home: Home, day: dt.date, edits: list[Edit]) -> Entry:
    def change(entry: Entry) -> None:
        for edit in edits:
            edit.apply(entry)

    return update_entry(home, day, change)


def restore(home: Home, draft: Draft) -> Entry:
    """Replay a draft into its day's entry, then remove the draft (kept if that fails)."""
    entry = _apply(home, draft.day, draft.edits)
    with contextlib.suppress(OSError):
        draft.path.unlink()
    return entry
