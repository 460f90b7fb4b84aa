"""Bringing in Daylio: its CSV export (Settings > Export entries > CSV).

Daylio writes one row per entry with the columns
`full_date,date,weekday,time,mood,activities,note_title,note`: times in the
phone's format ("9:05 pm" or "21:05"), activities joined by " | ", notes
quoted and spanning lines. Each row becomes a note of its day (title, note,
then a line with its mood and activities); its activities tag the day; and
its mood becomes the day's answer to a scale question (daily/mood unless
told otherwise). Daylio's five default moods map to 5 (rad) down to 1
(awful); custom mood names need `--mood NAME=N`, and rows whose mood has no
number keep their note but give no answer, and the report names them.
"""

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from reflect.daily.importer import BAD_TIME, NO_DATE, Export, SourceEntry, _digest, _tags, _unique
from reflect.errors import ImportFileError, UsageError
from reflect.journal.entry import Entry
from reflect.journal.home import Home
from reflect.model.pack import AnyPrompt, Pack, split_key, unknown_prompt
from reflect.model.text import clean_line, not_utf8

COLUMNS = ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note")
DEFAULT_MOODS = {"rad": 5, "good": 4, "meh": 3, "bad": 2, "awful": 1}
DAYLIO = "Daylio's CSV export (Settings > Export entries > CSV)"
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?:\s*([ap])\.?\s*m\.?)?$", re.IGNORECASE)


@dataclass
class MoodScale:
    """Mood names to numbers, and the names that have none."""

    numbers: dict[str, int]
    unmapped: Counter[str] = field(default_factory=Counter)

    def number(self, name: str) -> int | None:
        found = self.numbers.get(name.strip().lower())
        if found is None:
            self.unmapped[name.strip()] += 1
        return found


def parse_moods(given: list[str], prompt: AnyPrompt) -> dict[str, int]:
    """Daylio's defaults, changed or extended by `--mood NAME=N`, each N on the question's scale."""
    moods = dict(DEFAULT_MOODS)
    for raw in given:
        name, sep, value = raw.rpartition("=")
        if not sep or not name.strip():
            raise UsageError(f"--mood {raw!r}: expected NAME=N, e.g. --mood sleepy=2")
        try:
            number = int(value.strip())
        except ValueError:
            raise UsageError(f"--mood {raw!r}: {value.strip()!r} is not a whole number") from None
        moods[name.strip().lower()] = number
    for name, number in moods.items():
        try:
            prompt.parse(str(number))
        except ValueError as exc:
            raise UsageError(f"--mood {name}={number}: {exc}") from None
    return moods


def _time(raw: str) -> dt.time | None:
    match = _TIME.match(raw.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2)), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


@dataclass
class DaylioExport(Export):
    """The entries, and each entry's mood name by its key."""

    moods: dict[str, str] = field(default_factory=dict)


def parse_daylio(raw: bytes, name: str) -> DaylioExport:
    """Read the CSV into entries, with each entry's mood name beside them."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{name}: {not_utf8(exc, f'expected {DAYLIO}')}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            f"{name}: is not a Daylio CSV export (no {', '.join(missing)} column); expected {DAYLIO}"
        )
    reader.fieldnames = header
    export = DaylioExport()
    seen: Counter[str] = Counter()
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportFileError(f"{name}: is not readable CSV ({exc}); expected {DAYLIO}") from None
    for row in rows:
        cells = {k: (v if isinstance(v, str) else "") for k, v in row.items() if k}
        time = _time(cells["time"])
        try:
            day = dt.date.fromisoformat(cells["full_date"].strip())
        except ValueError:
            day = None
        if day is None or time is None:
            export.skipped[NO_DATE if day is None else BAD_TIME] += 1
            continue
        when = dt.datetime.combine(day, time)
        mood = clean_line(cells["mood"]).strip()
        activities = [a.strip() for a in cells["activities"].split(" | ") if a.strip()]
        title, body = cells["note_title"], cells["note"]
        key = _unique(
            f"daylio:{when:%Y-%m-%dT%H:%M}:{_digest(mood, *activities, title, body)}", seen
        )
        details = tuple(
            d
            for d in (
                f"Mood: {mood}" if mood else "",
                f"Activities: {', '.join(clean_line(a) for a in activities)}" if activities else "",
            )
            if d
        )
        renamed: list[tuple[str, str]] = []
        tags = _tags(activities, renamed)
        export.entries.append(
            SourceEntry(key, when, title, body, tags, details=details, renamed=tuple(renamed))
        )
        export.moods[key] = mood
    return export


@dataclass
class MoodAnswers:
    """Sets the day's mood answer from the entries added to it, inside the day's write."""

    pack: Pack
    prompt: AnyPrompt
    scale: MoodScale
    moods: dict[str, str]
    answered: int = 0
    kept: int = 0

    def __call__(self, entry: Entry, items: list[SourceEntry]) -> None:
        # The day's mood is its latest entry's that has a number; an answer already there stays.
        numbers = [n for item in items if (n := self._number(item)) is not None]
        if not numbers:
            return
        current = entry.answer(self.pack.id, self.prompt.id)
        if current is not None:
            if current != numbers[-1]:
                self.kept += 1
            return
        entry.set_answer(self.pack.id, self.pack.version, self.prompt.id, numbers[-1])
        self.answered += 1

    def _number(self, item: SourceEntry) -> int | None:
        mood = self.moods.get(item.key, "")
        return self.scale.number(mood) if mood else None

    def report(self) -> tuple[Counter[str], list[str]]:
        """What was not kept (moods without a number) and what to know (answers kept as they were)."""
        dropped: Counter[str] = Counter()
        notes = []
        if self.scale.unmapped:
            count = sum(self.scale.unmapped.values())
            what = (
                "mood with no number (the note keeps it)"
                if count == 1
                else "moods with no number (the notes keep them)"
            )
            dropped[what] += count
            names = ", ".join(f"{name!r}" for name in sorted(self.scale.unmapped))
            example = sorted(self.scale.unmapped)[0]
            has = "mood {} has" if len(self.scale.unmapped) == 1 else "moods {} have"
            notes.append(
                f"{has.format(names)} no number on {self.pack.id}/{self.prompt.id}; "
                f"map {'it' if len(self.scale.unmapped) == 1 else 'each'} with --mood '{example}=N'"
            )
        if self.answered:
            notes.append(f"{self.answered} day(s) got a {self.pack.id}/{self.prompt.id} answer")
        if self.kept:
            notes.append(
                f"{self.kept} day(s) already had a different {self.pack.id}/{self.prompt.id} "
                "answer; it was kept"
            )
        return dropped, notes


def mood_answers(home: Home, export: Export, given: list[str], key: str) -> MoodAnswers:
    """What turns the rows' moods into answers to the scale question `key` (PACK/PROMPT)."""
    from reflect.packs.library import find_pack

    wanted = "the scale or number question that moods answer, e.g. daily/mood (the default)"
    pack_id, prompt_id = split_key(key, "--prompt", wanted)
    pack = find_pack(home, pack_id).pack
    prompt = pack.prompt(prompt_id)
    if prompt is None:
        raise unknown_prompt(pack_id, prompt_id)
    if prompt.type not in ("scale", "number"):
        raise UsageError(
            f"--prompt {key}: is a {prompt.type} question; moods answer a scale or number "
            "question, e.g. daily/mood (the default)"
        )
    moods = export.moods if isinstance(export, DaylioExport) else {}
    return MoodAnswers(pack, prompt, MoodScale(parse_moods(given, prompt)), moods)
