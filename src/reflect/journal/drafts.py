"""What a person typed, as a list of edits, and the recovery drafts that keep it when a save fails.

A draft is written when the journal cannot be (disk full, read-only home,
permission denied); the next `reflect today` offers to restore it, and
`reflect doctor` reports it. Reading drafts never loads the write path.
"""

import datetime as dt
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from reflect.errors import StorageError
from reflect.journal.entry import Entry
from reflect.journal.files import ensure_private_dir, write_atomic
from reflect.journal.home import Home
from reflect.model.front import answer_key
from reflect.model.pack import AnswerValue

DRAFT_FORMAT = 1
EditKind = Literal["answer", "prose", "add-prose", "note"]


@dataclass(frozen=True)
class Edit:
    """One change to a day's entry: an answer, prose answering a question, or a note.

    `prompt` names the question (`follow_up` its follow-up); `heading` is
    the wording a new section is given, `headings` earlier wordings a
    format 1 day may keep the prose under, and `at` (ISO date-time) when
    the answer was given. Drafts from before prose was tied to ids have no
    `prompt` for prose: that prose goes under its heading, as it used to.
    """

    kind: EditKind
    pack: str = ""
    version: str = ""
    prompt: str = ""
    value: AnswerValue | None = None
    heading: str = ""
    text: str = ""
    time: str = ""
    tags: tuple[str, ...] = ()
    follow_up: bool = False
    at: str = ""
    headings: tuple[str, ...] = ()

    def apply(self, entry: Entry) -> None:
        at = dt.datetime.fromisoformat(self.at) if self.at else None
        if self.kind == "answer" and self.value is not None:
            entry.set_answer(self.pack, self.version, self.prompt, self.value, at)
        elif self.kind in ("prose", "add-prose") and self.pack and self.prompt:
            key = answer_key(self.pack, self.prompt, follow_up=self.follow_up)
            entry.set_prose_for(
                key,
                self.heading,
                self.text,
                version=self.version,
                at=at,
                add=self.kind == "add-prose",
                headings=self.headings,
            )
        elif self.kind in ("prose", "add-prose"):
            existing = entry.prose(self.heading) if self.kind == "add-prose" else None
            entry.set_prose(self.heading, f"{existing}\n\n{self.text}" if existing else self.text)
        elif self.kind == "note":
            entry.add_note(dt.time.fromisoformat(self.time), self.text)
        entry.add_tags(list(self.tags))


def now() -> dt.datetime:
    """The local time with its offset, to the second: when an answer is given."""
    return dt.datetime.now().astimezone().replace(microsecond=0)


def draft_dirs(home: Home) -> list[Path]:
    """Where drafts go: the journal home, else a private folder in the system's temp dir."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return [home.root / ".recovery", Path(tempfile.gettempdir()) / f"reflect-recovery-{uid}"]


def write_draft(home: Home, day: dt.date, edits: list[Edit]) -> Path | None:
    data = {
        "format": DRAFT_FORMAT,
        "home": str(home.root),
        "date": day.isoformat(),
        "written": dt.datetime.now().isoformat(timespec="seconds"),
        "edits": [asdict(edit) for edit in edits],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    for folder in draft_dirs(home):
        path = folder / f"{day.isoformat()}-{stamp}.json"
        try:
            ensure_private_dir(folder)
            write_atomic(path, text)
        except StorageError:
            continue
        return path
    return None


@dataclass(frozen=True)
class Draft:
    path: Path
    day: dt.date
    edits: list[Edit]

    def describe(self) -> str:
        answers = sum(1 for e in self.edits if e.kind == "answer")
        prose = len(self.edits) - answers
        return f"{answers} answer(s) and {prose} piece(s) of writing for {self.day}"


def find_drafts(home: Home) -> tuple[list[Draft], list[str]]:
    """Drafts belonging to this journal, oldest first, and drafts that could not be read."""
    drafts: list[Draft] = []
    unreadable: list[str] = []
    for folder in draft_dirs(home):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            try:
                draft = _read_draft(path)
            except (OSError, ValueError, TypeError, KeyError) as exc:
                unreadable.append(f"{path}: {exc}")
                continue
            if draft is not None and (
                folder.parent == home.root or _draft_home(path) == str(home.root)
            ):
                drafts.append(draft)
    return drafts, unreadable


def _draft_home(path: Path) -> str:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return str(data.get("home", ""))


def _read_draft(path: Path) -> Draft | None:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != DRAFT_FORMAT:
        raise ValueError("not a recovery draft of this version")
    edits = [
        Edit(**{**e, "tags": tuple(e.get("tags", ())), "headings": tuple(e.get("headings", ()))})
        for e in data["edits"]
    ]
    return Draft(path, dt.date.fromisoformat(data["date"]), edits)


def discard(draft: Draft) -> None:
    draft.path.unlink(missing_ok=True)
