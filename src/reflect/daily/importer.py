"""Bringing in a journal kept elsewhere: jrnl's and Day One's JSON exports (Daylio: daylio.py).

Each source entry becomes a note of its day under a heading with its time
(none for an all-day entry), its title first (with a star when starred), its
tags on the day. Day One's photos, video and audio are copied into
<home>/attachments/YYYY/ and linked from the note with markdown that
Obsidian and Pandoc show; its place, weather and journal name are a line at
the note's end. Whatever is not kept is counted in the report, by kind.

The day's front matter lists the source entries it holds under `imported`,
so importing the same file again adds nothing, even after the notes were
edited by hand; two identical entries inside one export are both kept.
Imported text is untrusted: control sequences are removed, and lines that
would read as our headings are escaped when the note is written.
"""

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import os
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from reflect.errors import ImportFileError, ReflectError, UsageError
from reflect.journal.crypt import LockedError
from reflect.journal.entry import Entry
from reflect.journal.files import (
    TooLarge,
    ensure_private_dir,
    place_new,
    read_bounded,
    same_bytes,
    stream_to_temp,
)
from reflect.journal.home import Home
from reflect.journal.prose import normalize_prose
from reflect.journal.store import entry_path, read_entry, update_entry
from reflect.model.pack import tag_problem
from reflect.model.text import clean, clean_line, not_utf8
from reflect.model.untrusted_json import load_json

# An export's JSON (a file, or all journals in a zip together): a long journal's
# text is tens of MB; parsed, this bounds memory at about 1 GB.
MAX_EXPORT_BYTES = 128 * 1024 * 1024
# One photo, video or audio file copied from an export.
MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024

ALREADY = "already imported"
EMPTY = "empty"
NO_DATE = "no readable date"
BAD_TIME = "a time that is no time of day"
UNREADABLE_DAY = "the day's file cannot be read"


@dataclass(frozen=True)
class Attachment:
    """A photo, video, audio or PDF of an entry, and where the export holds its file."""

    kind: str
    identifier: str
    name: str
    member: str | None
    # The copy failed: the note says so, naming the file, and the next import retries it.
    failed: bool = False
    # The export's file is a symbolic link: never followed out of the export.
    link: bool = False

    def markdown(self, day: dt.date) -> str:
        """A link from the day's file (entries/YYYY/) that Obsidian and Pandoc follow."""
        if self.link:
            return f"({KIND_WORDS[self.kind]} whose file in the export is a symbolic link)"
        if self.member is None:
            return f"({KIND_WORDS[self.kind]} not in the export)"
        if self.failed:
            return f"({KIND_WORDS[self.kind]} that could not be copied: {self.name})"
        link = f"../../attachments/{day:%Y}/{self.name}"
        return f"[{self.kind}]({link})" if self.kind == "pdf" else f"![{self.kind}]({link})"


KIND_WORDS = {"photo": "a photo", "video": "a video", "audio": "an audio", "pdf": "a PDF"}


@dataclass(frozen=True)
class SourceEntry:
    """One entry of another journal, as plain data."""

    key: str
    when: dt.datetime
    title: str
    body: str
    tags: tuple[str, ...] = ()
    starred: bool = False
    all_day: bool = False
    details: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    written_tags: tuple[str, ...] = ()
    # What of this entry is not kept, by kind; tags renamed (written, kept); a zone assumed.
    lost: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    zone_assumed: bool = False
    # The time zone the entry named, when it is none reflect knows (read in the assumed one).
    bad_zone: str = ""

    def note(self) -> str:
        """The note's text: the title as its own line (a star when starred), the body, then details.

        Attachments the text refers to are linked where they stand; the rest
        follow the body. An entry of tags only is its tags, as written.
        """
        title = clean_line(self.title)
        if title and self.starred:
            title = f"★ {title}"
        body = normalize_prose(clean(self.body))
        body, unplaced = self._link(body)
        if not title and not body and not unplaced and self.written_tags:
            body = " ".join(clean_line(tag) for tag in self.written_tags)
        if self.starred and not title and (body or unplaced):
            title = "★"
        media = "\n\n".join(unplaced)
        details = " · ".join(clean_line(d) for d in self.details)
        return "\n\n".join(part for part in (title, body, media, details) if part)

    def _link(self, body: str) -> tuple[str, list[str]]:
        day = self.when.date()
        by_id = {a.identifier.lower(): a for a in self.attachments}
        placed: set[str] = set()

        def swap(match: re.Match[str]) -> str:
            found = by_id.get(match.group("id").lower())
            if found is None:
                return "(an attachment the export does not list)"
            placed.add(found.identifier.lower())
            return found.markdown(day)

        body = _MOMENT_LINK.sub(swap, body)
        body = _MOMENT.sub(swap, body)
        rest = [a.markdown(day) for a in self.attachments if a.identifier.lower() not in placed]
        return body, rest


# Day One refers to media as dayone-moment://ID (photos) or dayone-moment:/video/ID.
_MOMENT = re.compile(
    r"dayone-moment:/{1,2}(?:(?P<kind>photo|video|audio|pdfAttachment|sketch)/)?"
    r"(?P<id>[A-Za-z0-9-]{1,64})"
)
_MOMENT_LINK = re.compile(r"!?\[[^\]\n]*\]\(" + _MOMENT.pattern + r"\)")


@dataclass
class Export:
    """What a file holds: the entries that could be read, and why others could not.

    `media` reads the attachments' files, when the export has them; `zone`
    is the time zone assumed for entries that carry none.
    """

    entries: list[SourceEntry] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    media: "Media | None" = None
    zone: "Zone | None" = None

    def add(self, other: "Export") -> None:
        self.entries += other.entries
        self.skipped += other.skipped


class Media:
    """The files of an export's media folders (photos/, videos/, audios/, pdfs/), by md5.

    The md5 is the one the export gives: a file's name, unchecked until its
    bytes are copied.
    """

    def __init__(
        self,
        names: list[str],
        open_member: Callable[[str], IO[bytes]],
        links: frozenset[str] = frozenset(),
    ) -> None:
        self._open = open_member
        self.links = links
        self._by_key: dict[tuple[str, str], str] = {}
        for name in names:
            folder, _, file = name.rpartition("/")
            stem = file.rpartition(".")[0] or file
            self._by_key.setdefault((folder.rsplit("/", 1)[-1], stem.lower()), name)

    def find(self, folder: str, md5: str) -> str | None:
        return self._by_key.get((folder, md5.lower()))

    def open(self, member: str) -> IO[bytes]:
        """The member's bytes as a stream, read in chunks by the copy."""
        return self._open(member)


def folder_media(root: Path) -> Media:
    """The media folders beside an unzipped export's JSON.

    A symbolic link (a file, or a whole media folder) is listed as a link and
    never read: it could lead anywhere on the disk.
    """
    names: list[str] = []
    links: set[str] = set()
    for folder in MEDIA_FOLDERS.values():
        where = root / folder
        if not where.is_dir():
            continue
        for path in sorted(where.iterdir()):
            name = f"{folder}/{path.name}"
            if where.is_symlink() or path.is_symlink():
                names.append(name)
                links.add(name)
            elif path.is_file():
                names.append(name)

    def open_member(name: str) -> IO[bytes]:
        if name in links:
            raise ImportFileError(f"{name}: a symbolic link; not followed")
        return os.fdopen(os.open(root / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb")

    return Media(names, open_member, frozenset(links))


MEDIA_FOLDERS = {"photo": "photos", "video": "videos", "audio": "audios", "pdf": "pdfs"}
MEDIA_ARRAYS = {"photos": "photo", "videos": "video", "audios": "audio", "pdfAttachments": "pdf"}


# -- reading files ---------------------------------------------------------------------


def _load_json(raw: bytes, name: str, expected: str) -> Any:
    try:
        return load_json(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{name}: {not_utf8(exc, f'expected {expected}')}") from None
    except ValueError as exc:
        raise ImportFileError(f"{name}: is not JSON ({exc}); expected {expected}") from None


def read_bytes(path: Path, *, zipped_hint: str = "") -> bytes:
    """The export's bytes; `-`, a pipe or /dev/stdin works, and nothing reads past the limit."""
    if str(path) == "-":
        import sys

        data = sys.stdin.buffer.read(MAX_EXPORT_BYTES + 1)
        if len(data) > MAX_EXPORT_BYTES:
            raise ImportFileError(
                f"standard input: larger than {MAX_EXPORT_BYTES // 2**20} MB, more than reflect "
                "imports at once; split the export"
            )
        return data
    try:
        return read_bounded(path, MAX_EXPORT_BYTES, special=True)
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: is a folder; give the exported file") from None
    except TooLarge:
        zipped = False
        with contextlib.suppress(OSError), path.open("rb") as head:
            zipped = head.read(4) == b"PK\x03\x04"
        advice = zipped_hint if zipped and zipped_hint else "split the export"
        raise ImportFileError(
            f"{path}: larger than {MAX_EXPORT_BYTES // 2**20} MB, more than reflect imports "
            f"at once; {advice}"
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


# jrnl reads a tag as its mark (one of its tagsymbols, `@` and `#` by default)
# followed by these characters; "@ space" is no tag to it, only an `@` in the text.
# A tag without a mark (an export edited by hand) is read as its name.
_JRNL_TAG = re.compile(r"(?P<mark>[^\w\s])?(?P<name>[-+*#/\w]+)")


def _tags(
    raw: Any, renamed: list[tuple[str, str]] | None = None, *, jrnl: bool = False
) -> tuple[str, ...]:
    """Tags as written, renamed only where not valid, each renaming recorded for the report.

    A jrnl tag loses its mark (`@work` is the tag `work`, as `#work` is), is
    cut where jrnl's reading of it ends (`@a.b` is `a`), and what jrnl itself
    does not read as a tag (`@ space`) is dropped; other
    sources' tags have no mark, so a `#` there is part of what was written.
    A tag reflect cannot keep as written (a space, a `#`, a comma) becomes
    the nearest valid one. Renamed and dropped tags are recorded as
    (written, new), with "" for dropped.
    """
    if not isinstance(raw, list):
        return ()
    tags: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            continue
        written = clean_line(item).strip()
        tag = written
        if jrnl:
            # As jrnl reads a tag in text: the longest run of its characters after
            # the mark, so `@a.b` is the tag `a` (a renaming the report lists).
            read = _JRNL_TAG.match(written)
            if read is None:
                if renamed is not None and written:
                    renamed.append((written, ""))
                continue
            tag = read.group("name")
            if read.end() < len(written) and tag_problem(tag) is None and renamed is not None:
                renamed.append((written, tag))
        if tag_problem(tag) is not None:
            tag = re.sub(r"\s+", "-", tag.strip())
            tag = re.sub(r"[#,\[\]{}]", "", tag)[:64]
            if renamed is not None and written:
                renamed.append((written, tag if tag_problem(tag) is None else ""))
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
    seen: Counter[str] = Counter()
    for item in entries:
        if not isinstance(item, dict):
            export.skipped[NO_DATE] += 1
            continue
        date, time = _text(item.get("date")), _text(item.get("time")) or "00:00"
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            export.skipped[NO_DATE] += 1
            continue
        try:
            when = dt.datetime.combine(day, dt.time.fromisoformat(time))
        except ValueError:
            export.skipped[BAD_TIME] += 1
            continue
        title, body = _text(item.get("title")), _text(item.get("body"))
        raw_tags = item.get("tags")
        written = (
            tuple(t for t in raw_tags if isinstance(t, str)) if isinstance(raw_tags, list) else ()
        )
        key = _unique(f"jrnl:{when:%Y-%m-%dT%H:%M}:{_digest(title, body)}", seen)
        renamed: list[tuple[str, str]] = []
        tags = _tags(raw_tags, renamed, jrnl=True)
        export.entries.append(
            SourceEntry(
                key,
                when,
                title,
                body,
                tags,
                item.get("starred") is True,
                written_tags=written,
                renamed=tuple(renamed),
            )
        )
    return export


def _unique(key: str, seen: Counter[str]) -> str:
    """The same key for the n-th of several identical entries on every import, so each is kept once."""
    seen[key] += 1
    return key if seen[key] == 1 else f"{key}#{seen[key]}"


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


# Day One fields about the app or the device rather than the writing: read, and let go.
DAYONE_IGNORED = frozenset(
    {
        "modifiedDate", "creationDevice", "creationDeviceType", "creationDeviceModel",
        "creationOSName", "creationOSVersion", "editingTime", "duration", "richText",
    }
)  # fmt: skip
DAYONE_KEPT = frozenset(
    {"uuid", "creationDate", "timeZone", "text", "tags", "starred", "isAllDay", "location",
     "weather", *MEDIA_ARRAYS}
)  # fmt: skip


@dataclass(frozen=True)
class Zone:
    """The time zone for entries that carry none: the one given with --tz, else the machine's."""

    name: str | None = None

    def tzinfo(self) -> dt.tzinfo:
        if self.name is None:
            zone = dt.datetime.now().astimezone().tzinfo
            assert zone is not None
            return zone
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.name)

    def label(self) -> str:
        return self.name or f"this machine's ({dt.datetime.now().astimezone().tzname()})"


def parse_zone(name: str | None) -> Zone:
    """--tz: an IANA time zone name such as Europe/Copenhagen."""
    if name is None:
        return Zone()
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"--tz {name!r} is not a time zone: use a name such as Europe/Copenhagen or UTC"
        ) from None
    return Zone(name)


def _dayone_time(item: dict[str, Any], zone: Zone) -> tuple[dt.datetime | str, bool, str]:
    """The entry's local time in the time zone it was written in, or why there is none.

    Also whether `zone` was assumed, and the zone named when it is not one
    reflect knows (then `zone` is assumed too).
    """
    raw = _text(item.get("creationDate"))
    try:
        created = dt.datetime.fromisoformat(raw)
    except ValueError:
        try:
            dt.date.fromisoformat(raw[:10])
        except ValueError:
            return NO_DATE, False, ""
        return BAD_TIME, False, ""
    if created.tzinfo is None:
        return created, False, ""
    name = _text(item.get("timeZone"))
    if name:
        from zoneinfo import ZoneInfo

        try:
            return created.astimezone(ZoneInfo(name)).replace(tzinfo=None), False, ""
        except (ValueError, KeyError, OSError):
            local = created.astimezone(zone.tzinfo()).replace(tzinfo=None)
            return local, True, clean_line(name)[:64]
    return created.astimezone(zone.tzinfo()).replace(tzinfo=None), True, ""


def _place(raw: Any) -> str:
    if not isinstance(raw, dict):
        return ""
    names = [
        clean_line(v)
        for k in ("placeName", "localityName", "administrativeArea", "country")
        if isinstance(v := raw.get(k), str) and v.strip()
    ]
    lat, lon = raw.get("latitude"), raw.get("longitude")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        names.append(f"({lat:.4f}, {lon:.4f})")
    return "Place: " + ", ".join(dict.fromkeys(names)).replace(", (", " (") if names else ""


def _weather(raw: Any) -> str:
    if not isinstance(raw, dict):
        return ""
    parts = []
    if isinstance(raw.get("conditionsDescription"), str) and raw["conditionsDescription"].strip():
        parts.append(clean_line(raw["conditionsDescription"]))
    temperature = raw.get("temperatureCelsius")
    if isinstance(temperature, int | float) and not isinstance(temperature, bool):
        parts.append(f"{temperature:.1f} °C")
    return "Weather: " + ", ".join(parts) if parts else ""


def _attachments(
    item: dict[str, Any], media: Media | None, lost: list[str]
) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for array, kind in MEDIA_ARRAYS.items():
        listed = item.get(array)
        if not isinstance(listed, list):
            continue
        for raw in listed:
            if not isinstance(raw, dict):
                continue
            identifier, md5 = _text(raw.get("identifier")), _text(raw.get("md5")).lower()
            ext = _extension(_text(raw.get("type")) or _text(raw.get("format")))
            if not re.fullmatch(r"[A-Za-z0-9-]{1,64}", identifier):
                lost.append(f"{kind}(s) listed without an identifier")
                continue
            if not re.fullmatch(r"[0-9a-f]{32}", md5):
                md5, member = "", None
            else:
                member = media.find(MEDIA_FOLDERS[kind], md5) if media else None
                if media is not None and member in media.links:
                    lost.append(f"{kind}(s) whose file is a symbolic link (not followed)")
                    found.append(Attachment(kind, identifier, f"{md5}.{ext}", None, link=True))
                    continue
                if member is not None:
                    file = member.rpartition("/")[2]
                    ext = _extension(file.rpartition(".")[2] if "." in file else "", ext)
            if member is None:
                lost.append(f"{kind}(s) not in the export")
            found.append(Attachment(kind, identifier, f"{md5}.{ext.lower()}", member))
    return tuple(found)


# Extensions a viewer would run, or Obsidian read as a note, rather than show.
_UNSAFE_EXTENSIONS = frozenset(
    {"md", "markdown", "html", "htm", "xhtml", "shtml", "svg", "js", "mjs", "canvas", "exe"}
)


def _extension(written: str, fallback: str = "bin") -> str:
    """A file extension the export gives, when it is a plain one (letters and digits, at most
    8) and not one a viewer runs; else `fallback`. It ends a markdown link and a file name."""
    if re.fullmatch(r"[A-Za-z0-9]{1,8}", written) and written.lower() not in _UNSAFE_EXTENSIONS:
        return written
    return fallback


def _unlisted(text: str, attachments: tuple[Attachment, ...]) -> list[str]:
    """One "not kept" kind per link in the text to an attachment the entry does not list."""
    listed = {a.identifier.lower() for a in attachments}
    return [
        f"{_MOMENT_KINDS.get(match.group('kind') or 'photo', 'attachment')}(s) linked in the "
        "text but not listed by the export"
        for match in _MOMENT.finditer(text)
        if match.group("id").lower() not in listed
    ]


_MOMENT_KINDS = {"photo": "photo", "video": "video", "audio": "audio", "pdfAttachment": "pdf",
                 "sketch": "sketch"}  # fmt: skip


def parse_dayone(
    raw: bytes,
    name: str,
    *,
    media: Media | None = None,
    zone: Zone | None = None,
    journal: str | None = None,
) -> Export:
    """Day One's JSON export: entries with uuid, creationDate, timeZone, text, tags, media, ..."""
    if raw[:4] == b"PK\x03\x04":
        return _parse_dayone_zip(raw, name, zone or Zone())
    zone = zone or Zone()
    entries = _entries_list(_load_json(raw, name, DAYONE), name, "a Day One JSON export")
    if entries and _looks_like(entries, "body") and not _looks_like(entries, "creationDate"):
        raise ImportFileError(f"{name}: looks like a jrnl export; use `reflect import jrnl`")
    export = Export(media=media, zone=zone)
    journal = journal or Path(name.rpartition(":")[2] or name).stem
    for item in entries:
        if not isinstance(item, dict):
            export.skipped[NO_DATE] += 1
            continue
        when, guessed, bad_zone = _dayone_time(item, zone)
        if isinstance(when, str):
            export.skipped[when] += 1
            continue
        text = _dayone_unescape(_text(item.get("text")).replace("\r\n", "\n"))
        title = ""
        first, _, rest = text.lstrip("\n").partition("\n")
        if first.startswith("# "):
            title, text = first[2:].strip(), rest
        uuid = clean_line(_text(item.get("uuid")))
        key = f"dayone:{uuid}" if re.fullmatch(r"[A-Za-z0-9-]{1,64}", uuid) else ""
        key = key or f"dayone:{when:%Y-%m-%dT%H:%M}:{_digest(_text(item.get('text')))}"
        details = tuple(
            d for d in (f"Journal: {clean_line(journal)}" if journal else "",
                        _place(item.get("location")), _weather(item.get("weather"))) if d
        )  # fmt: skip
        lost = [
            f"{name} (a Day One field reflect does not keep)"
            for name, value in item.items()
            if name not in DAYONE_KEPT | DAYONE_IGNORED and value not in _EMPTY_VALUES
        ]
        renamed: list[tuple[str, str]] = []
        tags = _tags(item.get("tags"), renamed)
        attachments = _attachments(item, media, lost)
        lost += _unlisted(text, attachments)
        export.entries.append(
            SourceEntry(
                key,
                when,
                title,
                text,
                tags,
                item.get("starred") is True,
                all_day=item.get("isAllDay") is True,
                details=details,
                attachments=attachments,
                lost=tuple(lost),
                renamed=tuple(renamed),
                zone_assumed=guessed,
                bad_zone=bad_zone,
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


# A field holding one of these says nothing worth keeping (isPinned: false, an empty list).
_EMPTY_VALUES: tuple[object, ...] = (None, False, "", [], {}, 0)


def _parse_dayone_zip(raw: bytes, name: str, zone: Zone) -> Export:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except _ZIP_ERRORS:
        raise ImportFileError(f"{name}: is a damaged zip file; export again") from None
    # Two members of one name: an index keeps one, zipfile opens the other by name.
    # Day One never writes that; which one is meant cannot be told.
    members = {info.filename: info for info in archive.infolist()}
    twice = Counter(archive.namelist()) - Counter(list(members))
    if twice:
        raise ImportFileError(
            f"{name}: holds two files named {clean_line(min(twice))}; a Day One export never "
            "does, so which one is meant cannot be told. Export again"
        )
    journals = [n for n in members if n.endswith(".json") and "/" not in n]
    if not journals:
        raise ImportFileError(f"{name}: the zip holds no journal .json file; expected {DAYONE}")

    # The copy reads a member in chunks and stops at MAX_ATTACHMENT_BYTES: a small
    # zip can unpack to gigabytes.
    media = Media(
        [n for n in members if not n.endswith("/")],
        lambda member: archive.open(members[member]),
    )
    export = Export(media=media, zone=zone)
    budget = MAX_EXPORT_BYTES
    for member in journals:
        # Read no more than the budget: a small zip can unpack to gigabytes.
        try:
            with archive.open(members[member]) as handle:
                data = handle.read(budget + 1)
        except _ZIP_ERRORS as exc:
            raise ImportFileError(f"{name}:{member}: cannot be unpacked ({exc})") from None
        budget -= len(data)
        if budget < 0:
            raise ImportFileError(
                f"{name}: unpacks to more than {MAX_EXPORT_BYTES // 2**20} MB of JSON, more than "
                "reflect imports at once"
            )
        part = parse_dayone(
            data,
            f"{name}:{member}",
            media=media,
            zone=zone,
            journal=member.removesuffix(".json"),
        )
        export.add(part)
    return export


def read_export(source: str, path: Path, *, zone: Zone | None = None) -> Export:
    """Read an export file of a source (jrnl, dayone, daylio) into plain entries."""
    if source == "jrnl":
        return parse_jrnl(read_bytes(path), str(path))
    if source == "daylio":
        from reflect.daily.daylio import parse_daylio

        return parse_daylio(read_bytes(path), str(path))
    raw = read_bytes(path, zipped_hint=DAYONE_ZIP_HINT)
    # An unzipped export: the media folders sit beside the journal's JSON (none on stdin).
    media = None if raw[:4] == b"PK\x03\x04" or str(path) == "-" else folder_media(path.parent)
    return parse_dayone(raw, str(path), media=media, zone=zone)


DAYONE_ZIP_HINT = (
    "unzip it and import the journal's .json inside (`reflect import dayone Journal.json`); "
    "its photos, videos and audios folders beside it come along"
)


# -- writing them into the journal ---------------------------------------------------------


@dataclass
class ImportReport:
    entries: int = 0
    days: set[dt.date] = field(default_factory=set)
    new_days: set[dt.date] = field(default_factory=set)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_days: set[dt.date] = field(default_factory=set)
    unreadable: list[str] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    renamed: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    attachments: int = 0
    mismatched: int = 0
    # Attachments whose copy failed, each "MEMBER: why"; the import exits 1.
    not_copied: list[str] = field(default_factory=list)
    added_keys: set[str] = field(default_factory=set)

    @property
    def skipped_entries(self) -> int:
        return sum(self.skipped.values())


def import_entries(
    home: Home,
    export: Export,
    advance: Callable[[int], None] | None = None,
    extra: Callable[[Entry, list[SourceEntry]], None] | None = None,
) -> ImportReport:
    """Add each entry as a note of its day, oldest first; one write per day.

    `extra` changes the day further from all its entries, new or imported
    before (Daylio's mood answer, which a second import with a --mood it
    lacked can fill in); it runs inside the same write.
    """
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
        known, body = _imported(home, day) if existed else (set(), "")
        retried: list[tuple[str, str]] = []
        for index, item in enumerate(items):
            if item.key in known:
                retried += _retry_attachments(home, day, item, export.media, body, report)
                continue
            items[index] = _copy_attachments(home, day, item, export.media, report)
        change = functools.partial(
            _add_to_day, items=items, added=added, reasons=reasons, extra=extra, retried=retried
        )
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
            _what_was_changed(report, added)
            if added:
                report.entries += len(added)
                report.days.add(day)
                if not existed:
                    report.new_days.add(day)
            else:
                report.skipped_days.add(day)
        if advance is not None:
            advance(len(items))
    if report.mismatched:
        report.notes.append(
            f"{_count(report.mismatched, 'attachment does', 'attachments do')} not match the md5 "
            "the export gives; named by the md5 of their own bytes"
        )
    added = [item for item in export.entries if item.key in report.added_keys]
    assumed = sum(item.zone_assumed and not item.bad_zone for item in added)
    bad = Counter(item.bad_zone for item in added if item.bad_zone)
    if (assumed or bad) and export.zone is not None:
        where = f"read in {export.zone.label()}" + (
            "" if export.zone.name else "; --tz ZONE sets another"
        )
        if assumed:
            report.notes.append(
                f"{_count(assumed, 'entry has', 'entries have')} no time zone; {where}"
            )
        if bad:
            names = ", ".join(repr(name) for name in sorted(bad))
            count = sum(bad.values())
            report.notes.append(
                f"{_count(count, 'entry names', 'entries name')} a time zone that is none "
                f"({names}); {where}"
            )
    return report


def _what_was_changed(report: ImportReport, added: list[SourceEntry]) -> None:
    """Count what the added entries lost and which tags were renamed: only for entries that came in."""
    for item in added:
        report.dropped.update(item.lost)
        report.renamed.update(item.renamed)
        report.added_keys.add(item.key)


def _imported(home: Home, day: dt.date) -> tuple[set[str], str]:
    """The source entries a day already holds, and its text (where a failed copy is named)."""
    try:
        entry = read_entry(home, day)
    except ReflectError:
        return set(), ""
    return (set(entry.front.imported), entry.body) if entry is not None else (set(), "")


def _retry_attachments(
    home: Home,
    day: dt.date,
    item: SourceEntry,
    media: Media | None,
    body: str,
    report: ImportReport,
) -> list[tuple[str, str]]:
    """Copy again the attachments of an imported entry whose copy failed, as its note says;
    each (what the note says, the link that replaces it) for the ones copied now."""
    waiting = [
        a
        for a in item.attachments
        if a.member is not None and dataclasses.replace(a, failed=True).markdown(day) in body
    ]
    if not waiting or media is None:
        return []
    again = _copy_attachments(
        home, day, dataclasses.replace(item, attachments=tuple(waiting)), media, report
    )
    return [
        (dataclasses.replace(old, failed=True).markdown(day), new.markdown(day))
        for old, new in zip(waiting, again.attachments, strict=True)
        if not new.failed
    ]


def _copy_attachments(
    home: Home, day: dt.date, item: SourceEntry, media: Media | None, report: ImportReport
) -> SourceEntry:
    """Copy an entry's attachments into attachments/YYYY/ before the note that links them is written.

    Each file is named by the md5 of the bytes copied (not the one the export
    claims), so a second import, or the same photo in two entries, finds it
    there and keeps one copy; a different file is never written over. A file
    that cannot be read or written is counted as not kept, and the note says
    so, naming the file, instead of linking to nothing; the report names why.
    Returns the entry with its attachments' names.
    """
    if media is None or not item.attachments:
        return item
    from reflect.journal import crypt

    sealed = crypt.sealed(home.root)
    folder = home.attachments_dir / f"{day:%Y}"
    kept: list[Attachment] = []
    lost: list[str] = []
    for attachment in item.attachments:
        if attachment.member is not None:
            try:
                # Made here, not as a parent of the year's folder, so that it is private too.
                ensure_private_dir(home.attachments_dir)
                name, new, claimed = _store(media, attachment, folder, sealed=sealed)
            except LockedError:
                raise
            except (OSError, KeyError, ReflectError, *_ZIP_ERRORS) as exc:
                lost.append(f"{attachment.kind}(s) that could not be copied")
                report.not_copied.append(f"{clean_line(attachment.member)}: {_cause(exc)}")
                attachment = dataclasses.replace(attachment, failed=True)
            else:
                report.attachments += new
                report.mismatched += not claimed
                attachment = dataclasses.replace(attachment, name=name)
        kept.append(attachment)
    return dataclasses.replace(item, attachments=tuple(kept), lost=(*item.lost, *lost))


def _cause(exc: BaseException) -> str:
    """Why a copy failed, in the words of the error (a full disk, a damaged zip)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return clean_line(str(exc)) or type(exc).__name__


def _store(
    media: Media, attachment: Attachment, folder: Path, *, sealed: bool = False
) -> tuple[str, bool, bool]:
    """Stream one file into `folder` under the md5 of its bytes: its name, whether it was
    new there, and whether the export's md5 was right.

    A different file already under that md5 (a collision) stays; this one
    gets the start of its sha256 after the md5. In an encrypted journal
    (`sealed`) the file is written encrypted, as NAME.age; the name returned,
    which the note links to, is the plain one `reflect decrypt` restores.
    """
    assert attachment.member is not None
    if sealed:
        return _store_sealed(media, attachment, folder)
    md5 = hashlib.md5(usedforsecurity=False)
    sha = hashlib.sha256()

    def feed(chunk: bytes) -> None:
        md5.update(chunk)
        sha.update(chunk)

    with media.open(attachment.member) as source:
        temp = stream_to_temp(source, folder, MAX_ATTACHMENT_BYTES, feed)
    try:
        claimed, _, ext = attachment.name.rpartition(".")
        actual, digest = md5.hexdigest(), sha.hexdigest()
        for name in (f"{actual}.{ext}", f"{actual}-{digest[:16]}.{ext}"):
            target = folder / name
            if place_new(temp, target):
                return name, True, claimed == actual
            if target.is_file() and same_bytes(target, digest):
                return name, False, claimed == actual
        raise ImportFileError(f"{attachment.member}: another file is already under its name")
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _store_sealed(media: Media, attachment: Attachment, folder: Path) -> tuple[str, bool, bool]:
    """`_store` for an encrypted journal: encrypted in memory, so no plain byte reaches the disk.

    A file of the same bytes in either form (one copied before the journal
    was encrypted) is found and kept.
    """
    import io

    from reflect.journal import crypt

    assert attachment.member is not None
    with media.open(attachment.member) as source:
        data = source.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise TooLarge(f"larger than {MAX_ATTACHMENT_BYTES // 2**20} MB")
    claimed, _, ext = attachment.name.rpartition(".")
    actual = hashlib.md5(data, usedforsecurity=False).hexdigest()
    digest = hashlib.sha256(data).hexdigest()
    for name in (f"{actual}.{ext}", f"{actual}-{digest[:16]}.{ext}"):
        plain = folder / name
        target = crypt.age_name(plain)
        if target.is_file() and _sealed_digest(target) == digest:
            return name, False, claimed == actual
        if plain.is_file() and same_bytes(plain, digest):
            return name, False, claimed == actual
        if target.exists() or plain.exists():
            continue
        blob = crypt.key_for(target).seal(data)
        temp = stream_to_temp(io.BytesIO(blob), folder, len(blob), lambda _chunk: None)
        try:
            if place_new(temp, target):
                return name, True, claimed == actual
        finally:
            with contextlib.suppress(OSError):
                temp.unlink()
    raise ImportFileError(f"{attachment.member}: another file is already under its name")


def _sealed_digest(path: Path) -> str:
    from reflect.journal import crypt

    return hashlib.sha256(crypt.open_bytes(path, path.read_bytes())).hexdigest()


def _add_to_day(
    entry: Entry,
    *,
    items: list[SourceEntry],
    added: list[SourceEntry],
    reasons: Counter[str],
    extra: Callable[[Entry, list[SourceEntry]], None] | None = None,
    retried: list[tuple[str, str]] | None = None,
) -> None:
    """Add the entries the day does not hold yet; note which were added and why others weren't.

    `retried`: attachments copied now whose earlier copy failed; the note's
    words for that become the link.
    """
    added.clear()
    reasons.clear()
    for failed, link in retried or ():
        entry.body = entry.body.replace(failed, link)
    known = set(entry.front.imported)
    for item in items:
        if item.key in known:
            reasons[ALREADY] += 1
            continue
        entry.add_note(None if item.all_day else item.when.time(), item.note(), in_order=True)
        entry.add_tags(list(item.tags))
        known.add(item.key)
        added.append(item)
    if extra is not None:
        extra(entry, items)
    if added:
        keys = [*entry.front.imported, *(item.key for item in added)]
        entry.front = entry.front.model_copy(update={"imported": keys})


IMPORT_FORMAT = 2


def import_data(source: str, path: Path, report: ImportReport) -> dict[str, Any]:
    """`reflect import --json`: what came in and what was skipped (keys pinned by a test)."""
    return {
        "format": IMPORT_FORMAT,
        "source": source,
        "path": str(path),
        "imported": {
            "entries": report.entries,
            "days": len(report.days),
            "new_days": len(report.new_days),
            "attachments": report.attachments,
        },
        "skipped": {
            "entries": report.skipped_entries,
            "days": len(report.skipped_days),
            "why": dict(report.skipped.most_common()),
        },
        "not_kept": dict(report.dropped.most_common()),
        "renamed_tags": dict(report.renamed),
        "notes": report.notes,
        "unreadable": report.unreadable,
        "not_copied": report.not_copied,
    }


def summary_lines(report: ImportReport, path: Path) -> list[str]:
    """The closing report in words: what came in, what was skipped, what was not kept or changed."""
    new = f" ({len(report.new_days)} new)" if report.entries else ""
    lines = [
        f"Imported {_count(report.entries, 'entry', 'entries')} on "
        f"{_count(len(report.days), 'day', 'days')}{new} from {path}."
    ]
    if report.attachments:
        lines.append(
            f"Copied {_count(report.attachments, 'attachment', 'attachments')} into attachments/."
        )
    if report.skipped_entries:
        why = ", ".join(f"{n} {reason}" for reason, n in report.skipped.most_common())
        days = len(report.skipped_days)
        on_days = f" on {_count(days, 'day', 'days')}" if days else ""
        lines.append(
            f"Skipped {_count(report.skipped_entries, 'entry', 'entries')}{on_days}: {why}."
        )
    if report.dropped:
        what = ", ".join(f"{n} {kind}" for kind, n in report.dropped.most_common())
        lines.append(f"Not kept: {what}.")
    if report.renamed:
        names = ", ".join(
            f"{old} became {new}" if new else f"{old} was dropped (nothing valid left)"
            for old, new in report.renamed.items()
        )
        lines.append(f"Renamed tags (a tag is one word without spaces, # or commas): {names}.")
    if report.not_copied:
        lines.append(
            f"Could not copy {_count(len(report.not_copied), 'attachment', 'attachments')} "
            f"({'; '.join(report.not_copied)}); the note says so. Import the file again to "
            "retry: the entries stay, the attachments are copied and linked."
        )
    if any(kind.endswith("not in the export") for kind in report.dropped):
        lines.append(
            "Note: import the .zip, or the .json with its photos, videos and audios folders "
            "beside it, to bring the attachments in."
        )
    lines += [f"Note: {note}." for note in report.notes]
    if not (report.skipped_entries or report.dropped or report.renamed):
        lines.append("Skipped nothing.")
    return lines


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
