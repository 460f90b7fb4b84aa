"""Migrating a whole journal to the current entry format, one file at a time.

Each file is read, upgraded and written under the journal lock, atomically;
a file that cannot be read or written is named and left alone, and running
it again finds nothing left to do.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reflect.errors import ReflectError
from reflect.journal.entry import Entry
from reflect.journal.home import Home
from reflect.journal.migrate_entry import Migration, PackWordings, migrate_entry, needs_migration
from reflect.journal.store import BadEntry, entry_files, read_each, update_entry
from reflect.packs.library import Wordings, packs_by_id, wordings


@dataclass
class Planned:
    path: Path
    migration: Migration
    error: str | None = None

    def as_dict(self, root: Path) -> dict[str, Any]:
        """The JSON shape (keys pinned by a test); the path is relative to the journal home."""
        m = self.migration
        return {
            "path": self.path.relative_to(root).as_posix(),
            "date": m.day.isoformat(),
            "tied": [{"heading": h, "key": k} for h, k in m.tied],
            "version_count": m.versions,
            "untied": m.untied,
            "ambiguous": m.ambiguous,
            "error": self.error,
        }


@dataclass
class JournalMigration:
    """Files found in format 1 (migrated or not), files left alone, files already current."""

    files: list[Planned] = field(default_factory=list)
    unreadable: list[BadEntry] = field(default_factory=list)
    current: int = 0
    applied: bool = False

    @property
    def failed(self) -> list[Planned]:
        return [p for p in self.files if p.error is not None]


class _Wordings:
    """Each pack's wordings, current and archived, looked up once."""

    def __init__(self, home: Home) -> None:
        self.home = home
        self.found: dict[str, Wordings] = {}

    def __call__(self, pack_id: str) -> PackWordings:
        if pack_id not in self.found:
            pack = packs_by_id(self.home, [pack_id]).get(pack_id)
            self.found[pack_id] = wordings(self.home, pack, pack_id)
        return self.found[pack_id]


MIGRATE_FORMAT = 2


def migration_data(result: "JournalMigration", root: Path) -> dict[str, Any]:
    """`reflect migrate --json`: each file planned or done, and the files that could not be read."""
    return {
        "format": MIGRATE_FORMAT,
        "applied": result.applied,
        "files": [p.as_dict(root) for p in result.files],
        "current": result.current,
        "skipped_files": [{"path": str(b.path), "error": b.error} for b in result.unreadable],
    }


def migrate_journal(home: Home, *, apply: bool) -> JournalMigration:
    """Every format 1 entry and what migrating it does; with `apply`, migrate each one."""
    result = JournalMigration(applied=apply)
    lookup = _Wordings(home)
    files = list(entry_files(home))
    paths = {day: path for day, path in files}
    for item in read_each(files):
        if isinstance(item, BadEntry):
            result.unreadable.append(item)
            continue
        if not needs_migration(item):
            result.current += 1
            continue
        path = paths[item.date]
        planned = Planned(path, migrate_entry(item, lookup))
        if apply:
            try:
                planned.migration = _migrate_file(home, item.date, lookup)
            except ReflectError as exc:
                planned.error = str(exc)
        result.files.append(planned)
    return result


def _migrate_file(home: Home, day: dt.date, lookup: _Wordings) -> Migration:
    done: list[Migration] = []

    def change(entry: Entry) -> None:
        done.append(migrate_entry(entry, lookup))

    update_entry(home, day, change)
    return done[0]
