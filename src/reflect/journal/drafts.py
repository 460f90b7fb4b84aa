"""What a person typed, as a list of edits, and the recovery drafts that keep it when a save fails.

A draft is written when the journal cannot be (disk full, read-only home,
permission denied, a day's file that is broken); the next `reflect today`
offers to restore it, and `reflect doctor` reports it. Drafts live in the
journal home or in a private folder in the user's own state folder, never
the shared temp folder, and are checked before use. Reading drafts never
loads the write path.
"""

import datetime as dt
import json
import math
import os
import stat
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Literal, get_args

from reflect.errors import ReflectError, StorageError
from reflect.journal import crypt
from reflect.journal.entry import Entry
from reflect.journal.files import ensure_private_dir, write_atomic
from reflect.journal.home import Home, state_recovery_dir
from reflect.journal.prose import normalize_prose
from reflect.model.front import answer_key
from reflect.model.pack import AnswerValue
from reflect.model.sections import QuestionWords

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
    # Of those, the words another question of the pack also had: a format 1 section under
    # them is nobody's for sure, so it is never read or replaced as this answer.
    shared: tuple[str, ...] = ()
    # For "prose": the text the person started from; text saved meanwhile is kept too.
    was: str | None = None

    def apply(self, entry: Entry) -> None:
        at = dt.datetime.fromisoformat(self.at) if self.at else None
        if self.kind == "answer" and self.value is not None:
            entry.set_answer(self.pack, self.version, self.prompt, self.value, at)
        elif self.kind in ("prose", "add-prose") and self.pack and self.prompt:
            key = answer_key(self.pack, self.prompt, follow_up=self.follow_up)
            text = self.text
            words = QuestionWords(self.headings, self.shared)
            if self.kind == "prose" and self.was is not None:
                now = entry.prose_for(key, words.headings(self.heading)) or ""
                text = merge_prose(now, self.was, self.text)
            entry.set_prose_for(
                key,
                self.heading,
                text,
                version=self.version,
                at=at,
                add=self.kind == "add-prose",
                words=words,
            )
        elif self.kind in ("prose", "add-prose"):
            existing = entry.prose(self.heading) if self.kind == "add-prose" else None
            if self.was is not None:
                text = merge_prose(existing or entry.prose(self.heading) or "", self.was, self.text)
            else:
                text = f"{existing}\n\n{self.text}" if existing else self.text
            entry.set_prose(self.heading, text)
        elif self.kind == "note":
            entry.add_note(dt.time.fromisoformat(self.time) if self.time else None, self.text)
        entry.add_tags(list(self.tags))


def now() -> dt.datetime:
    """The local time with its offset, to the second: when an answer is given."""
    return dt.datetime.now().astimezone().replace(microsecond=0)


def merge_prose(now: str, was: str, typed: str) -> str:
    """The person's rewrite of `was`, keeping whatever another writer added meanwhile.

    Text appended to `was` follows the rewrite; text that replaced it stays
    above the rewrite. Nothing anyone saved is dropped.
    """
    now, was = normalize_prose(now), normalize_prose(was)
    if now == was:
        return typed
    if now.startswith(was):
        return f"{normalize_prose(typed)}\n\n{normalize_prose(now[len(was) :])}"
    return f"{now}\n\n{normalize_prose(typed)}"


def draft_dirs(home: Home) -> list[Path]:
    """Where drafts go: the journal home, else a private folder in the user's state folder.

    Never the system's temp folder: another local user could make or replace
    the folder there, and with it the words restored into the journal.
    """
    return [home.root / ".recovery", state_recovery_dir()]


def _private_folder(folder: Path) -> bool:
    """A folder only this user can write: not a link, owned by them, closed to others."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and mine and not info.st_mode & 0o022


def keep_file(home: Home, path: Path, label: str, raw: bytes | None = None) -> Path:
    """Move a file of typed text into the journal's recovery folder; where it is if that fails.

    A rename needs no free space, so this works on a full disk too; it never
    replaces a file kept before. `raw`: the file's bytes, when the caller read them already.
    """
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    target = crypt.form(home.root, home.root / ".recovery" / f"{label}-{stamp}.txt")
    number = 2
    while target.exists():
        target = crypt.form(home.root, home.root / ".recovery" / f"{label}-{stamp}-{number}.txt")
        number += 1
    try:
        ensure_private_dir(target.parent)
        if target.name.endswith(crypt.SUFFIX):
            # Encrypted like the journal, and only then the plain copy removed.
            data = path.read_bytes() if raw is None else raw
            write_atomic(target, crypt.seal_to_journal(home.root, data))
            path.unlink()
        else:
            os.replace(path, target)
    except (OSError, ReflectError):
        return path
    return target


def keep_bytes(home: Home, raw: bytes, label: str) -> Path | None:
    """Write typed bytes, exactly, into the journal's recovery folder; None if even that fails."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    target = crypt.form(home.root, home.root / ".recovery" / f"{label}-{stamp}.txt")
    try:
        sealed = target.name.endswith(crypt.SUFFIX)
        write_atomic(target, crypt.seal_to_journal(home.root, raw) if sealed else raw)
    except ReflectError:
        return None
    return target


def kept_texts(home: Home) -> list[Path]:
    """Text kept by `keep_file`, oldest first."""
    folder = home.root / ".recovery"
    if not folder.is_dir():
        return []
    return sorted([*folder.glob("*.txt"), *folder.glob("*.txt.age")])


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
    # In an encrypted journal a draft is encrypted too, wherever it has to go, and with
    # or without the key at hand: encrypting needs only its public half.
    encrypted = crypt.read_state(home.root) is not None
    payload = crypt.seal_to_journal(home.root, text.encode("utf-8")) if encrypted else text
    for folder in draft_dirs(home):
        path = folder / f"{day.isoformat()}-{stamp}.json"
        if encrypted:
            path = crypt.age_name(path)
        try:
            ensure_private_dir(folder)
            if not _private_folder(folder):
                continue
            write_atomic(path, payload)
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


MAX_DRAFT_BYTES = 16 * 1024 * 1024
_FIELDS = {f.name for f in fields(Edit)}
_KINDS = set(get_args(EditKind))


def find_drafts(home: Home) -> tuple[list[Draft], list[str]]:
    """Drafts belonging to this journal, oldest first, and drafts that could not be used.

    A draft is only used from a folder this user alone can write, and only
    when every edit in it has the shape `write_draft` gives it.
    """
    drafts: list[Draft] = []
    unreadable: list[str] = []
    for folder in draft_dirs(home):
        if not folder.is_dir():
            continue
        if not _private_folder(folder):
            unreadable.append(
                f"{folder}: the folder is not private to you (owner or permissions); "
                "its drafts are not used"
            )
            continue
        for path in sorted([*folder.glob("*.json"), *folder.glob("*.json.age")]):
            if path.name.endswith(crypt.SUFFIX) and crypt.read_state(home.root) is None:
                continue  # another journal's encrypted draft
            try:
                draft, owner = _read_draft(home, path)
            except (OSError, ValueError, TypeError, KeyError) as exc:
                unreadable.append(f"{path}: {exc}")
                continue
            except crypt.LockedError:
                raise
            except ReflectError:
                continue  # encrypted by another journal's key
            if folder.parent == home.root or owner == str(home.root):
                drafts.append(draft)
    return drafts, unreadable


def _read_draft(home: Home, path: Path) -> tuple[Draft, str]:
    """A draft and the journal home it belongs to; ValueError for anything unexpected."""
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise ValueError("owned by another user")
    if info.st_size > MAX_DRAFT_BYTES:
        raise ValueError(f"larger than {MAX_DRAFT_BYTES // 2**20} MB")
    raw = path.read_bytes()
    if path.name.endswith(crypt.SUFFIX):
        key = crypt.unlock(home.root)
        if key is None:
            raise ValueError("encrypted, and this journal is not")
        raw = key.open(raw, path)
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") != DRAFT_FORMAT:
        raise ValueError("not a recovery draft of this version")
    if not isinstance(data.get("edits"), list) or not isinstance(data.get("date"), str):
        raise ValueError("not a recovery draft: no date or edits")
    edits = [_edit(raw) for raw in data["edits"]]
    return Draft(path, dt.date.fromisoformat(data["date"]), edits), str(data.get("home", ""))


def _edit(raw: object) -> Edit:
    if not isinstance(raw, dict) or set(raw) - _FIELDS or raw.get("kind") not in _KINDS:
        raise ValueError("an edit of an unknown shape")
    for name, value in raw.items():
        if name == "value":
            ok = value is None or (
                isinstance(value, (bool, int, str))
                or (isinstance(value, float) and math.isfinite(value))
            )
        elif name == "was":
            ok = value is None or isinstance(value, str)
        elif name == "follow_up":
            ok = isinstance(value, bool)
        elif name in ("tags", "headings", "shared"):
            ok = isinstance(value, list) and all(isinstance(t, str) for t in value)
        else:
            ok = isinstance(value, str)
        if not ok:
            raise ValueError(f"an edit whose {name} has the wrong type")
    edit = Edit(
        **{
            **raw,
            "tags": tuple(raw.get("tags", ())),
            "headings": tuple(raw.get("headings", ())),
            "shared": tuple(raw.get("shared", ())),
        }
    )
    if edit.at:
        dt.datetime.fromisoformat(edit.at)
    if edit.kind == "note" and edit.time:  # a note for another day may have no time
        dt.time.fromisoformat(edit.time)
    return edit


def discard(draft: Draft) -> None:
    draft.path.unlink(missing_ok=True)
