"""Bringing in a journal kept elsewhere: jrnl's and Day One's JSON exports.

Each source entry becomes a timestamped note of its day, its title first,
with its tags on the day (and `starred` for a starred one). The day's front
matter lists the source entries it holds under `imported`, so importing the
same file again adds nothing, even after the notes were edited by hand.
Imported text is untrusted: control sequences are removed, and lines that
would read as our headings are escaped when the note is written.
"""

import datetime as dt
import functools
import hashlib
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reflect.errors import ImportFileError, ReflectError
from reflect.journal.crypt import LockedError
from reflect.journal.entry import Entry, normalize_prose
from reflect.journal.files import TooLarge, read_bounded
from reflect.journal.home import Home
from reflect.journal.store import entry_path, update_entry
from reflect.model.pack import tag_problem
from reflect.model.text import clean, clean_line
from reflect.model.untrusted_json import load_json

# An export's JSON (a file, or all journals in a zip together): a long journal's
# text is tens of MB; parsed, this bounds memory at about 1 GB.
MAX_EXPORT_BYTES = 128 * 1024 * 1024
STARRED_TAG = "starred"

ALREADY = "already imported"
EMPTY = "empty"
NO_DATE = "no readable date"
UNREADABLE_DAY = "the day's file cannot be read"


@dataclass(frozen=True)
class SourceEntry:
    """One entry of another journal, as plain data."""

    key: str
    when: dt.datetime
    title: str
    body: str
    tags: tuple[str, ...] = ()
    starred: bool = False

    def note(self) -> str:
        """The note's text: the title as its own line (a star when starred), then the body.

        No markup is added, so `log` previews and search lines read as written.
        """
        title = clean_line(self.title)
        if title and self.starred:
            title = f"★ {title}"
        body = normalize_prose(clean(self.body))
        if self.starred and not title and body:
            title = "★"
        return "\n\n".join(part for part in (title, body) if part)


@dataclass
class Export:
    """What a file holds: the entries that could be read, and why others could not."""

    entries: list[SourceEntry] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


# -- reading files ---------------------------------------------------------------------


def _load_json(raw: bytes, name: str, expected: str) -> Any:
    try:
        return load_json(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name}: is not UTF-8 text (bad byte at offset {exc.start}); expected {expected}"
        ) from None
    except ValueError as exc:
        raise ImportFileError(f"{name}: is not JSON ({exc}); expected {expected}") from None


def read_bytes(path: Path) -> bytes:
    """The export's bytes; a pipe or /dev/stdin works, and nothing reads past the limit."""
    try:
        return read_bounded(path, MAX_EXPORT_BYTES, special=True)
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: is a folder; give the exported file") from None
    except TooLarge:
        raise ImportFileError(
            f"{path}: larger than {MAX_EXPORT_BYTES // 2**20} MB, more than reflect imports "
            "at once; split the export"
        ) from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror})") from None


def _entries_list(data: Any, name: str, what: str) -> list[Any]:
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ImportFileError(f'{name}: is not {what} (no "entries" list at the top)')
    return entries


def _looks_like(entries: list[Any], key: str) -> bool:
    dicts = [e for e in entries if isinstance(e, dict)]
    return bool(dicts) and all(key in e for e in dicts)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:12]


def _tags(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        return ()
    tags: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            continue
        tag = re.sub(r"\s+", "-", clean_line(item).lstrip("@#").strip())
        tag = re.sub(r"[#,\[\]{}]", "", tag)[:64]
        if tag_problem(tag) is None and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


JRNL = "jrnl's JSON export (`jrnl --format json > journal.json`)"


def parse_jrnl(raw: bytes, name: str) -> Export:
    """jrnl's `--format json`: entries with date, time, title, body, tags, starred."""
    entries = _entries_list(_load_json(raw, name, JRNL), name, "a jrnl JSON export")
    if entries and _looks_like(entries, "creationDate"):
        raise ImportFileError(f"{name}: looks like a Day One export; use `reflect import dayone`")
    export = Export()
    for item in entries:
        if not isinstance(item, dict):
            export.skipped[NO_DATE] += 1
            continue
        date, time = _text(item.get("date")), _text(item.get("time")) or "00:00"
        try:
            when = dt.datetime.combine(dt.date.fromisoformat(date), dt.time.fromisoformat(time))
        except ValueError:
            export.skipped[NO_DATE] += 1
            continue
        title, body = _text(item.get("title")), _text(item.get("body"))
        key = f"jrnl:{when:%Y-%m-%dT%H:%M}:{_digest(title, body)}"
        export.entries.append(
            SourceEntry(
                key, when, title, body, _tags(item.get("tags")), item.get("starred") is True
            )
        )
    return export


DAYONE = "Day One's JSON export (File > Export > JSON, the .zip or the .json inside it)"

# Day One escapes markdown punctuation that needs no escape in running text.
_DAYONE_ESCAPE = re.compile(r"\\([.!()\-])")


def _dayone_unescape(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        # Keep the escapes that stop "1\. x" or "\- x" from becoming a list.
        head = re.match(r"^(\s*(?:\d+\\\.|\\-))", line)
        cut = head.end() if head else 0
        lines.append(line[:cut] + _DAYONE_ESCAPE.sub(r"\1", line[cut:]))
    return "\n".join(lines)


def _dayone_time(item: dict[str, Any]) -> dt.datetime | None:
    """The entry's local time in the time zone it was written in."""
    try:
        created = dt.datetime.fromisoformat(_text(item.get("creationDate")))
    except ValueError:
        return None
    if created.tzinfo is None:
        return created
    zone = _text(item.get("timeZone"))
    try:
        from zoneinfo import ZoneInfo

        local = created.astimezone(ZoneInfo(zone)) if zone else created.astimezone()
    except (ValueError, KeyError, OSError):
        local = created.astimezone()
    return local.replace(tzinfo=None)


def parse_dayone(raw: bytes, name: str) -> Export:
    """Day One's JSON export: entries with uuid, creationDate, timeZone, text, tags, starred."""
    if raw[:4] == b"PK\x03\x04":
        return _parse_dayone_zip(raw, name)
    entries = _entries_list(_load_json(raw, name, DAYONE), name, "a Day One JSON export")
    if entries and _looks_like(entries, "body") and not _looks_like(entries, "creationDate"):
        raise ImportFileError(f"{name}: looks like a jrnl export; use `reflect import jrnl`")
    export = Export()
    for item in entries:
        when = _dayone_time(item) if isinstance(item, dict) else None
        if not isinstance(item, dict) or when is None:
            export.skipped[NO_DATE] += 1
            continue
        text = _dayone_unescape(_text(item.get("text")).replace("\r\n", "\n"))
        title = ""
        first, _, rest = text.lstrip("\n").partition("\n")
        if first.startswith("# "):
            title, text = first[2:].strip(), rest
        uuid = clean_line(_text(item.get("uuid")))
        key = f"dayone:{uuid}" if re.fullmatch(r"[A-Za-z0-9-]{1,64}", uuid) else ""
        key = key or f"dayone:{when:%Y-%m-%dT%H:%M}:{_digest(_text(item.get('text')))}"
        export.entries.append(
            SourceEntry(
                key, when, title, text, _tags(item.get("tags")), item.get("starred") is True
            )
        )
    return export


# What a damaged zip raises, from zipfile and the decompressors below it.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)


def _parse_dayone_zip(raw: bytes, name: str) -> Export:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except _ZIP_ERRORS:
        raise ImportFileError(f"{name}: is a damaged zip file; export again") from None
    journals = [n for n in archive.namelist() if n.endswith(".json") and "/" not in n]
    if not journals:
        raise ImportFileError(f"{name}: the zip holds no journal .json file; expected {DAYONE}")
    export = Export()
    budget = MAX_EXPORT_BYTES
    for member in journals:
        # Read no more than the budget: a small zip can unpack to gigabytes.
        try:
            with archive.open(member) as handle:
                data = handle.read(budget + 1)
        except _ZIP_ERRORS as exc:
            raise ImportFileError(f"{name}:{member}: cannot be unpacked ({exc})") from None
        budget -= len(data)
        if budget < 0:
            raise ImportFileError(
                f"{name}: unpacks to more than {MAX_EXPORT_BYTES // 2**20} MB of JSON, more than "
                "reflect imports at once"
            )
        part = parse_dayone(data, f"{name}:{member}")
        export.entries += part.entries
        export.skipped += part.skipped
    return export


PARSERS: dict[str, Callable[[bytes, str], Export]] = {"jrnl": parse_jrnl, "dayone": parse_dayone}


def read_export(source: str, path: Path) -> Export:
    return PARSERS[source](read_bytes(path), str(path))


# -- writing them into the journal ---------------------------------------------------------


@dataclass
class ImportReport:
    entries: int = 0
    days: set[dt.date] = field(default_factory=set)
    new_days: set[dt.date] = field(default_factory=set)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_days: set[dt.date] = field(default_factory=set)
    unreadable: list[str] = field(default_factory=list)

    @property
    def skipped_entries(self) -> int:
        return sum(self.skipped.values())


def import_entries(
    home: Home, export: Export, advance: Callable[[int], None] | None = None
) -> ImportReport:
    """Add each entry as a note of its day, oldest first; one write per day."""
    report = ImportReport(skipped=Counter(export.skipped))
    by_day: dict[dt.date, list[SourceEntry]] = {}
    for item in sorted(export.entries, key=lambda e: e.when):
        if not item.note():
            # Never touch a day for nothing: an empty entry would leave an empty file.
            report.skipped[EMPTY] += 1
            continue
        by_day.setdefault(item.when.date(), []).append(item)
    for day, items in by_day.items():
        existed = entry_path(home, day).exists()
        added: list[SourceEntry] = []
        reasons: Counter[str] = Counter()
        change = functools.partial(_add_to_day, items=items, added=added, reasons=reasons)
        try:
            update_entry(home, day, change)
        except LockedError:
            raise
        except ReflectError as exc:
            report.skipped[UNREADABLE_DAY] += len(items)
            report.skipped_days.add(day)
            report.unreadable.append(str(exc))
        else:
            report.skipped += reasons
            if added:
                report.entries += len(added)
                report.days.add(day)
                if not existed:
                    report.new_days.add(day)
            else:
                report.skipped_days.add(day)
        if advance is not None:
            advance(len(items))
    return report


def _add_to_day(
    entry: Entry, *, items: list[SourceEntry], added: list[SourceEntry], reasons: Counter[str]
) -> None:
    """Add the entries the day does not hold yet; note which were added and why others weren't."""
    added.clear()
    reasons.clear()
    known = set(entry.front.imported)
    for item in items:
        if item.key in known:
            reasons[ALREADY] += 1
            continue
        entry.add_note(item.when.time(), item.note())
        entry.add_tags([*item.tags, *([STARRED_TAG] if item.starred else [])])
        known.add(item.key)
        added.append(item)
    if added:
        keys = [*entry.front.imported, *(item.key for item in added)]
        entry.front = entry.front.model_copy(update={"imported": keys})


IMPORT_FORMAT = 2


def report_data(source: str, path: Path, report: ImportReport) -> dict[str, Any]:
    """`reflect import --json`: what came in and what was skipped (keys pinned by a test)."""
    return {
        "format": IMPORT_FORMAT,
        "source": source,
        "path": str(path),
        "imported": {
            "entries": report.entries,
            "days": len(report.days),
            "new_days": len(report.new_days),
        },
        "skipped": {
            "entries": report.skipped_entries,
            "days": len(report.skipped_days),
            "why": dict(report.skipped.most_common()),
        },
        "unreadable": report.unreadable,
    }
