"""Saving what a person typed, and keeping it as a recovery draft when the journal can't be written.

Every change to an entry goes through `save` as a list of `Edit`s. If the
write fails (disk full, read-only home, permission denied) or the day's
file is broken, the edits are written to a recovery draft
(journal/drafts.py), and the next `reflect today` offers to restore them:
nothing typed is ever lost.
"""

import contextlib
import datetime as dt
from pathlib import Path

from reflect.errors import EntryError, ReflectError, StorageError
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


def save(home: Home, day: dt.date, edits: list[Edit]) -> Entry:
    """Apply edits to the day's entry, or keep them in a recovery draft and raise Unsaved."""

    try:
        return _apply(home, day, edits)
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
