"""The shell greeting: `reflect prompt` and the status line, answered from what earlier runs kept.

A new terminal should not wait for the command line to load. When the full
command line answers `reflect prompt` or the status line, it keeps the next
weeks' questions of the enabled packs in `<home>/.cache/schedule.json`,
with the size, modification and change times and inode of config.toml and of every pack file
they came from. The next run reads that file with the standard library
only (no Typer, pydantic, Rich or YAML) and answers when nothing it depends
on moved; anything else (a changed pack, a new day beyond the kept weeks, a
warning to give, today's entry not yet in the index) goes to the full
command line, which gives the same answer and keeps a fresh schedule.
"""

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reflect.daily.kept import (
    SCHEDULE_FORMAT,
    answering_path,
    dump_definitions,
    load_definitions,
    load_schedule,
    schedule_key,
    schedule_path,
)
from reflect.journal.home import Home, state_recovery_dir
from reflect.model.sections import answering, entry_relpath

if TYPE_CHECKING:
    from reflect.model.pack import Pack
    from reflect.packs.schedule import Asked

SCHEDULE_DAYS = 42


def status_line(answered: int, total: int) -> str:
    """What bare `reflect` says outside a terminal session."""
    if total == 0:
        return "No questions today: enable a pack with `reflect packs enable ID`."
    if answered == total:
        return f"Today's {total} question(s) are answered. `reflect show` reads them."
    return f"{answered} of {total} question(s) answered today. Run `reflect today` to answer."


def prompt_line(pack_id: str, text: str, describe: str) -> str:
    """One line of `reflect prompt`: text that came from a pack is already cleaned."""
    return f"{pack_id}: {text} ({describe})"


def sources_key(home: Home) -> dict[str, Any]:
    """The file keys of config.toml and every pack file, as the kept schedule names them.

    Taken before config.toml and the packs are read, and handed to `keep_schedule`.
    """
    from reflect.packs.library import builtin_dir

    return schedule_key(str(home.root), str(builtin_dir()))


def keep_schedule(
    home: Home,
    start: dt.date,
    asked_for: "Any",
    packs: "Sequence[Pack]",
    before: dict[str, Any],
) -> None:
    """Keep the questions of the coming weeks (`asked_for(day)` gives a day's `Asked` list)
    and the definitions of the enabled `packs` a value given to `today --answer` is checked by.

    Called by the full command line after it has loaded the enabled packs
    without a warning; `before` is `sources_key` taken before it read them. A
    file that moved since (another terminal changed a pack or config.toml)
    keeps nothing: what was loaded may be what it held before, and the key of
    what it holds now would vouch for it. A cache that cannot be written is
    done without.
    """
    from reflect.errors import StorageError
    from reflect.journal.files import ensure_private_dir, write_atomic
    from reflect.model.pack import TextPrompt, heading_for
    from reflect.model.text import clean_line
    from reflect.packs.library import builtin_dir

    days: dict[str, Any] = {}
    for offset in range(SCHEDULE_DAYS):
        day = start + dt.timedelta(days=offset)
        asked: Sequence[Asked] = asked_for(day)
        days[day.isoformat()] = {
            "lines": [
                prompt_line(
                    item.pack.id, clean_line(item.prompt.text), clean_line(item.prompt.describe())
                )
                for item in asked
            ],
            "asked": [
                [
                    item.pack.id,
                    item.prompt.id,
                    heading_for(item.prompt.text) if isinstance(item.prompt, TextPrompt) else None,
                ]
                for item in asked
            ],
        }
    root = str(home.root)
    key = schedule_key(root, str(builtin_dir()))
    if key != before:
        return
    kept = {
        schedule_path(root): json.dumps(
            {"format": SCHEDULE_FORMAT, "key": key, "days": days}, ensure_ascii=False
        ),
        # With where `today` looks for recovery drafts besides the home.
        answering_path(root): dump_definitions(key, definitions(packs), str(state_recovery_dir())),
    }
    try:
        ensure_private_dir(home.cache_dir)
        for name, text in kept.items():
            path = Path(name)
            if path.is_symlink() or (path.exists() and (text is None or not path.is_file())):
                path.unlink()  # only ever our own file: never written through a link
            if text is not None:
                write_atomic(path, text)
    except (StorageError, OSError):
        return


# What `today --answer` checks a value of each prompt type by (model/values.py).
_CHECKED_BY: dict[str, tuple[str, ...]] = {
    "yes-no": (),
    "scale": ("min", "max", "step", "unit"),
    "number": ("min", "max", "unit"),
    "choice": ("choices",),
}


def definitions(packs: "Sequence[Pack]") -> dict[str, Any]:
    """Each enabled pack's version and, for each question, its type, tags and what a value
    is checked by; the first pack and prompt of an id, as `resolve_answers` finds them. A
    text question is kept as None: its answer is prose, which the full command line writes."""
    found: dict[str, Any] = {}
    for pack in packs:
        if pack.id in found:
            continue
        prompts: dict[str, Any] = {}
        for prompt in pack.prompts:
            if prompt.id in prompts:
                continue
            fields = _CHECKED_BY.get(prompt.type)
            prompts[prompt.id] = (
                None
                if fields is None
                else {
                    "type": prompt.type,
                    "tags": list(prompt.tags),
                    **{name: getattr(prompt, name) for name in fields},
                }
            )
        found[pack.id] = {"version": pack.version, "prompts": prompts}
    return found


def kept_fresh(home: Home) -> bool:
    """Whether the kept schedule and definitions still hold (nothing they came from moved)."""
    root = str(home.root)
    return load_schedule(root) is not None and load_definitions(root) is not None


def kept_questions(home: Home, day: dt.date) -> dict[str, Any] | None:
    """The kept questions of a day, or None when they must be worked out again."""
    data = load_schedule(str(home.root))
    try:
        found = data["days"].get(day.isoformat()) if data is not None else None
    except AttributeError:
        return None
    return found if isinstance(found, dict) else None


def answered_today(home: Home, day: dt.date, asked: list[list[Any]]) -> int | None:
    """How many of the day's questions its entry answers, from the index alone.

    None unless the index holds the day's file exactly as it is now (same
    size, times and inode, settled): then the full reader must look.
    """
    import sqlite3

    from reflect.journal.index_store import index_path

    if (home.root / "encryption.toml").exists():
        return None  # an encrypted journal: its index is encrypted, and the full reader decides
    relpath = entry_relpath(day)
    path = home.entries_dir / relpath
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return 0
    except OSError:
        return None
    index = index_path(home)
    if not index.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{index}?mode=ro", uri=True, timeout=1.0)
        try:
            row = db.execute(
                "SELECT id, size, mtime, inode, ctime, data FROM days WHERE folder = ? AND name = ?",
                (relpath.parent.name, path.name),
            ).fetchone()
            if row is None or list(row[1:5]) != [
                st.st_size,
                st.st_mtime_ns,
                st.st_ino,
                st.st_ctime_ns,
            ]:
                return None
            sections = db.execute(
                "SELECT heading, prose, key FROM sections WHERE day = ? ORDER BY position",
                (row[0],),
            ).fetchall()
        finally:
            db.close()
        data = json.loads(row[5])
        answers, wording_packs = data["answers"], data["wording_packs"]
        stored = [_Stored(*section) for section in sections]
        done = 0
        for pack_id, prompt_id, heading in asked:
            if heading is not None:
                # As `Entry.has_answer`: some prose in a section answering the question.
                found = answering(
                    stored, f"{pack_id}/{prompt_id}", [heading], lambda: wording_packs
                )
                if found and stored[found[0]].key is None:
                    # Under its wording alone: whether two questions had that wording
                    # (`PackVersions.shared_wordings`) is the full reader's to say.
                    return None
                done += any(stored[index].prose for index in found)
            else:
                done += answers.get(pack_id, {}).get(prompt_id) is not None
    # A damaged index (what reflect did not store) is the full command line's to find and rebuild.
    except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError):
        return None
    return done


class _Stored(NamedTuple):
    """A section as the index keeps it."""

    heading: str
    prose: str
    key: str | None
