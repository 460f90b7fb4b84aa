"""Reading the journal back: search, filters for `log`, one question's history, on this day.

Plain functions over entries; the command line renders what they return.

Importing it loads no model (pydantic): a search of plain files and the index needs none,
and the functions that read a question's definition load model/pack.py where they do.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reflect.errors import UsageError
from reflect.journal.home import Home
from reflect.journal.index import Folder, Given, Index
from reflect.journal.store import BadEntry, read_each
from reflect.model.keys import (
    answer_key,
    check_known,
    heading_for,
    split_key,
    unknown_pack,
    unknown_prompt,
)
from reflect.model.text import fold, tag_key
from reflect.model.values import as_number, parse_yes_no, whole_if_integral
from reflect.packs.library import packs_by_id
from reflect.packs.versions import (
    Answered,
    Definition,
    PackVersions,
    SectionLike,
    answered_from,
    definitions_stamp,
    follow_up_by,
    given_answers,
    judge_with,
    pack_versions,
    plain_value,
    stored_value,
)

if TYPE_CHECKING:
    from reflect.journal.entry import Entry
    from reflect.lookback.scan import Words
    from reflect.model.pack import AnswerValue, AnyPrompt, Pack

Span = tuple[int, int]


# -- search --------------------------------------------------------------------


class Line(NamedTuple):
    """One searchable line of an entry: an answer, or a line of prose under a heading.

    Named tuples, as `Hit` and `DayHits`: a search of a common word makes
    one for every matching line, at a fifth of a frozen dataclass's cost.
    """

    where: str
    text: str
    pack: str | None = None
    prompt: str | None = None


def entry_lines(entry: Entry, answers: list[Answered]) -> list[Line]:
    """Answers first (as a person reads them, in the words they were asked in), then the prose."""
    preamble, sections = entry.split()
    return day_lines(preamble, sections, answers)


def day_lines(
    preamble: str, sections: Sequence[SectionLike], answers: list[Answered]
) -> list[Line]:
    """An entry's or a stored day's lines, as `entry_lines` gives them."""
    lines: list[Line] = []
    owners: dict[str, tuple[str, str]] = {}
    for answer in answers:
        prompt = answer.definition.prompt
        if answer.prose and prompt is not None:
            owners.setdefault(heading_for(prompt.text), (answer.pack, answer.prompt))
            continue
        if answer.follow_up and prompt is not None and prompt.follow_up is not None:
            owners.setdefault(heading_for(prompt.follow_up.text), (answer.pack, answer.prompt))
        where = heading_for(prompt.text) if prompt else f"{answer.pack}/{answer.prompt}"
        lines.append(Line(where, answer.shown, answer.pack, answer.prompt))
    for text in preamble.splitlines():
        if text.strip():
            lines.append(Line("", text.strip()))
    for section in sections:
        owner: tuple[str | None, str | None] = owners.get(section.heading, (None, None))
        if section.key is not None:
            tied = section.key.split("/")
            owner = (tied[0], tied[1])
        for text in section.prose.splitlines():
            if text.strip():
                lines.append(Line(section.heading, text.strip(), *owner))
    return lines


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def _word_spans(folded: str, words: Sequence[str]) -> list[Span]:
    """Where each word is in a folded line, every time; none when one word is not there."""
    found: list[Span] = []
    for word in words:
        start = folded.find(word)
        if start < 0:
            return []
        while start >= 0:
            end = start + len(word)
            found.append((start, end))
            start = folded.find(word, end)
    return found


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# The time all of one search's regular-expression matching may take.
REGEX_SECONDS = 10.0


class Matcher:
    """Finds a query in text, ignoring case and accents; spans index the original text.

    A plain query is folded and split into words; a line matches when it holds
    every word, in any order (people remember words, not the exact phrase). A
    regular expression is tried on the text as written and on its folded form,
    so "cafe" and "café" both find "Café".
    """

    def __init__(
        self,
        query: str,
        *,
        regex: bool = False,
        budget: float = REGEX_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not query.strip():
            raise UsageError("QUERY is empty: say what to look for")
        self.query = query
        self.pattern: Any = None
        self.words: list[str] = []
        self.budget = budget
        self.clock = clock
        self.deadline: float | None = None
        if regex:
            # The `regex` engine takes a timeout: a pattern like (a+)+$ backtracks
            # for ever on some lines, and Python's re cannot be stopped.
            import regex as engine

            try:
                self.pattern = engine.compile(query, engine.IGNORECASE | engine.VERSION0)
            except engine.error as exc:
                raise UsageError(
                    f"--regex {query!r} is not a valid regular expression: {exc}"
                ) from None
        else:
            self.words = list(dict.fromkeys(fold(query).split()))

    def spans(self, text: str) -> list[Span]:
        if self.pattern is None and text.isascii():
            return self._ascii_spans(text)
        if text.isascii():
            # Folding ASCII is lower-casing, character for character: no map needed.
            folded, origin = text.lower(), None
        else:
            folded, origin = _folded_with_map(text)

        def back(start: int, end: int) -> Span:
            if origin is None:
                return start, end
            # The original span, with any accents that follow its last letter.
            stop = origin[end - 1] + 1
            while stop < len(text) and not fold(text[stop]):
                stop += 1
            return origin[start], stop

        if self.pattern is None:
            return _merge([back(start, end) for start, end in _word_spans(folded, self.words)])
        found: list[Span] = []
        for match in self._finditer(text):
            if match.end() > match.start():
                found.append(match.span())
        for match in self._finditer(folded):
            if match.end() > match.start():
                found.append(back(match.start(), match.end()))
        return _merge(found)

    def _ascii_spans(self, text: str) -> list[Span]:
        """`spans` of an ASCII line for a plain query: folding it is lower-casing, which keeps
        every position (no map back is needed)."""
        found = _word_spans(text.lower(), self.words)
        return found if len(found) == 1 else _merge(found)

    def _finditer(self, text: str) -> list[Any]:
        """Every match, within what is left of the search's time budget."""
        now = self.clock()
        if self.deadline is None:
            self.deadline = now + self.budget
        try:
            return list(self.pattern.finditer(text, timeout=max(self.deadline - now, 0.001)))
        except TimeoutError:
            raise UsageError(
                f"--regex {self.query!r} took more than {self.budget:g}s: a pattern with nested "
                "repeats, like (a+)+, can backtrack for ever; simplify it"
            ) from None


class Hit(NamedTuple):
    line: Line
    spans: list[Span]


class DayHits(NamedTuple):
    date: dt.date
    path: str
    tags: list[str]
    hits: list[Hit]


@dataclass(frozen=True)
class Shown:
    """Matching days of a cold search as the text `render` made of them, in order."""

    text: str
    days: int
    hits: int


@dataclass
class SearchResult:
    days: list[DayHits] = field(default_factory=list)
    bad: list[BadEntry] = field(default_factory=list)
    shown: list[Shown] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(day.hits) for day in self.days) + sum(part.hits for part in self.shown)

    @property
    def day_count(self) -> int:
        return len(self.days) + sum(part.days for part in self.shown)


def query_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Tags asked for as the day's tags are written: `#team` (typed as in Obsidian) is `team`."""
    return tuple(tag.removeprefix("#") for tag in tags)


@dataclass(frozen=True)
class Scope:
    """Which entries, and which of their lines, a search or a listing looks at."""

    since: dt.date | None = None
    until: dt.date | None = None
    tags: tuple[str, ...] = ()
    pack: str | None = None
    prompt: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", query_tags(self.tags))

    def keeps_entry(self, entry: Entry) -> bool:
        return self.keeps_day(entry.date, entry.all_tags())

    def keeps_day(self, date: dt.date, all_tags: Iterable[str]) -> bool:
        if self.since and date < self.since:
            return False
        if self.until and date > self.until:
            return False
        if self.tags:
            have = {tag_key(tag) for tag in all_tags}
            if not all(tag_key(tag) in have for tag in self.tags):
                return False
        return True

    def keeps_line(self, line: Line) -> bool:
        if self.prompt is not None:
            return (line.pack, line.prompt) == self.prompt
        if self.pack is not None:
            return line.pack == self.pack
        return True


def search_days(
    home: Home,
    matcher: Matcher,
    scope: Scope,
    *,
    owners: bool = True,
    render: Callable[[DayHits], str | None] | None = None,
) -> Iterator[DayHits | BadEntry | Shown]:
    """Matching days, most recent first, as they are found; unreadable files as BadEntry.

    The journal's index says which days may match: those whose folded prose
    holds every word, and those with an answer whose shown value matches
    (each distinct answer is judged once); they are matched line by line
    from what the index keeps of them. A year folder the index does not hold
    yet (a cold index) is not filled first: its files are read as text
    (`reflect.lookback.scan`), those of the plain shape reflect writes and
    without the words are passed over, and the rest are matched from their
    text or through the reader, exactly as the index would give them; the
    index is filled by the commands that need all of it, or by search once
    few files are new (a folder with no row in the range is read as text too
    when others are: filling it would be the run's only work through the
    reader). Year folders go newest first, and each year's matches are given
    as soon as it is read, so the first results come before the last file is
    read. With `owners` False, the lines of a section tied to
    nothing may lack the pack and prompt the index would give them (plain
    output shows neither). With `render`, the days of folders read as text
    that it makes text of come as `Shown`, and a large cold search reads
    every other folder in a second process (`scan.in_two`).
    """
    from reflect.lookback.scan import COLD_MIN, TWO_MIN, in_two

    versions = pack_versions(home)
    stamp = definitions_stamp(home)
    words = _scan_words(home, matcher, scope)
    with Index(home) as index:
        chosen = index.folders(scope.since, scope.until)[::-1]
        listed = {
            folder.name: found
            for folder in chosen
            if words is not None and (found := _listed_names(index, folder, scope)) is not None
        }
        cold = {name: names for name, (names, missing) in listed.items() if missing >= COLD_MIN}
        if cold:
            # Folders too small to be read as text on their own, with no row in range, are
            # read so with the rest: filling the index with them would be the only work of
            # the run that reads files through the reader, writes and judges answers, after
            # the last folder read as text.
            cold.update(
                (name, names)
                for name, (names, missing) in listed.items()
                if names and missing == len(names)
            )
        jobs = [folder for folder in chosen if folder.name in cold]

        def scan(folder: Folder) -> list[DayHits | BadEntry | Shown]:
            assert words is not None
            found = _scan_folder(
                index.path_of, folder, cold[folder.name], words, matcher, scope, versions, owners
            )
            return [*found] if render is None else _rendered(found, render)

        # The key is held already (Index unlocks it): a copy forked at the first cold folder
        # reads with it, asks for nothing, and leaves a file it cannot read to this process,
        # which says why.
        two = render is not None and sum(map(len, cold.values())) >= TWO_MIN
        scans = in_two(jobs, scan, _all_read) if two else map(scan, jobs)
        # Folders brought up to date but not yet searched, with the index generation they were synced in.
        pending: list[tuple[Folder, int]] = []
        for number, folder in enumerate(chosen):
            if folder.name in cold:
                if pending:
                    yield from _search_synced(
                        index, pending, matcher, scope, versions, stamp, words, owners
                    )
                    pending = []
                yield from next(scans)
                continue
            read_before = index.files_read
            yield from index.sync(folder, scope.since, scope.until)
            pending.append((folder, index.generation))
            if index.files_read != read_before or number == len(chosen) - 1:
                yield from _search_synced(
                    index, pending, matcher, scope, versions, stamp, words, owners
                )
                pending = []
        if pending:
            yield from _search_synced(
                index, pending, matcher, scope, versions, stamp, words, owners
            )


def _all_read(found: list[DayHits | BadEntry | Shown]) -> bool:
    return not any(isinstance(item, BadEntry) for item in found)


def _scan_words(home: Home, matcher: Matcher, scope: Scope) -> Words | None:
    """The query as a cold search reads files for it; None when only the index can answer
    (a regular expression, --tag, a word an answer's shown form can hold)."""
    from reflect.lookback.scan import Words, units

    if matcher.pattern is not None or scope.tags:
        return None
    words = Words(tuple(matcher.words), units(home))
    return words if words.shown_safe else None


def _listed_names(index: Index, folder: Folder, scope: Scope) -> tuple[list[str], int] | None:
    """A year folder's file names in range, newest first, and how many of them are not in
    the index; None when it cannot be listed (the index's own pass says why)."""
    from reflect.lookback.scan import newest_first

    try:
        names = newest_first(index.entry_names(folder), scope.since, scope.until)
    except OSError:
        return None
    return names, index.missing(folder, names)


def _scan_folder(
    path_of: Callable[[str, str], str],
    folder: Folder,
    names: list[str],
    words: Words,
    matcher: Matcher,
    scope: Scope,
    versions: PackVersions,
    owners: bool,
) -> list[DayHits | BadEntry]:
    """One year folder's matching days, newest first, from its files; its refused files first.

    Found whole before any is given, in the order the index gives them.
    """
    from reflect.errors import ReflectError
    from reflect.journal.crypt import Interrupted, LockedError
    from reflect.journal.store import read_entry_file
    from reflect.lookback.scan import (
        NOTHING,
        Packs,
        as_text,
        ascii_day,
        plain_split,
        quick_day,
        read_data,
    )

    packs = Packs(versions.asked)
    bad: list[BadEntry] = []
    found: list[DayHits] = []
    for name in names:
        path = path_of(folder.name, name)
        day = name[:10]
        # A day filed in another year's folder is refused by the reader, which says so.
        try:
            data = read_data(path, name) if day[:4] == folder.name else None
        except Interrupted:
            raise
        except LockedError as exc:
            # No key for this file (a `.md.age` in a plain journal): skipped and said, as
            # the index's pass says it, not the end of the search.
            bad.append(BadEntry(Path(path), str(exc)))
            continue
        quick = None
        if data is None:
            pass
        elif data.isascii():
            quick = ascii_day(data, day, words, packs, owners)
            if quick is NOTHING:
                continue
        elif (text := as_text(data)) is not None and (parts := plain_split(text, day)):
            if not words.in_text(fold(text)):
                continue
            quick = quick_day(*parts, words, packs, owners)
        date = dt.date.fromisoformat(day)
        if quick is not None:
            hits = [
                Hit(line, spans)
                for line in map(Line._make, quick.lines)
                if scope.keeps_line(line) and (spans := matcher.spans(line.text))
            ]
            if hits:
                found.append(DayHits(date, path, list(quick.tags), hits))
            continue
        try:
            entry = read_entry_file(Path(path), date)
        except ReflectError as exc:
            bad.append(BadEntry(Path(path), str(exc)))
            continue
        if entry is None or not scope.keeps_entry(entry):
            continue
        lines = entry_lines(entry, given_answers(entry, versions))
        tags = list(entry.front.tags)
        hits = [
            Hit(line, spans)
            for line in lines
            if scope.keeps_line(line) and (spans := matcher.spans(line.text))
        ]
        if hits:
            found.append(DayHits(date, path, tags, hits))
    bad.sort(key=lambda item: str(item.path))
    return [*bad, *found]


def _rendered(
    items: list[DayHits | BadEntry], render: Callable[[DayHits], str | None]
) -> list[DayHits | BadEntry | Shown]:
    """The items with each run of days `render` makes text of as one `Shown`."""
    out: list[DayHits | BadEntry | Shown] = []
    texts: list[str] = []
    hits = 0
    for item in items:
        if isinstance(item, DayHits) and (text := render(item)) is not None:
            texts.append(text)
            hits += len(item.hits)
            continue
        if texts:
            out.append(Shown("".join(texts), len(texts), hits))
            texts, hits = [], 0
        out.append(item)
    if texts:
        out.append(Shown("".join(texts), len(texts), hits))
    return out


def _search_synced(
    index: Index,
    pending: list[tuple[Folder, int]],
    matcher: Matcher,
    scope: Scope,
    versions: PackVersions,
    stamp: str,
    words: Words | None,
    owners: bool,
) -> list[DayHits]:
    """The matching days of folders brought up to date, found whole before any is shown.

    Damage found in the index while searching deletes it: the folders are
    filled again in the one built in its place and searched again, so the
    answer is the one a run without an index gives. (Their refused files
    were given when they were first brought up to date.)
    """
    names = [folder.name for folder, _ in pending]
    while True:
        generation = index.generation
        for folder, synced in pending:
            if synced != generation:
                index.sync(folder, scope.since, scope.until)
        if index.generation != generation:
            pending = [(folder, -1) for folder, _ in pending]
            continue
        found = index.read(
            lambda: list(
                _search_folders(index, names, matcher, scope, versions, stamp, words, owners)
            )
        )
        if index.generation == generation:
            return found
        pending = [(folder, -1) for folder, _ in pending]


def _search_folders(
    index: Index,
    folders: list[str],
    matcher: Matcher,
    scope: Scope,
    versions: PackVersions,
    stamp: str,
    words: Words | None,
    owners: bool,
) -> Iterator[DayHits]:
    """The matching days of some folders the index holds.

    With `words` (the query as a cold search reads it: no word an answer's
    shown form can add), an answer whose value as stored lacks a word can
    show no match: it is passed over without its definition, and, when no
    line needs its pack and prompt (`owners` False, no --pack or --prompt),
    left out of its day's lines, as is a text answer to a question some
    kept version asks (it gives its section an owner, not a line).
    """
    if matcher.pattern is None:
        prose = index.prose_ids(matcher.words, folders)

        def shown_matches(pack: str, prompt: str, value: AnswerValue, version: str | None) -> bool:
            if words is not None and not words.in_text(_stored_text(value)):
                return False
            definition = versions.definition(pack, prompt, version)
            return bool(matcher.spans(Answered(pack, prompt, value, definition).shown))

        answered = index.answer_ids(shown_matches, folders)
        ids = index.newest_first(prose | answered, scope.since, scope.until)
    else:
        ids = index.day_ids(folders, scope.since, scope.until)
    # The same answer comes back on many days: each is read (and shown) once.
    known: dict[Given, Answered] = {}
    # Which stored answers can hold every word (by their JSON text); None: all are read.
    holds: dict[str, bool] | None = None
    if words is not None and not owners and scope.pack is None and scope.prompt is None:
        holds = {}
    for date, path, day, given in index.stored(ids, stamp, judge_with(versions)):
        if not scope.keeps_day(date, day.all_tags):
            continue
        answers: list[Answered] = []
        for row in given:
            if holds is not None and words is not None:
                pack, prompt, stored, *_, is_prose, _ = row
                if is_prose and prompt in versions.asked(pack)[0]:
                    continue  # a text answer a definition asks: its section's prose, no line
                held = holds.get(stored)
                if held is None:
                    held = words.in_text(_stored_text(json.loads(stored)))
                    if len(holds) < 100_000:
                        holds[stored] = held
                if not held:
                    continue
            found = known.get(row)
            if found is None:
                found = answered_from(row, versions)
                if len(known) < 100_000:
                    known[row] = found
            answers.append(found)
        hits = [
            Hit(line, spans)
            for line in day_lines(day.preamble, day.sections(), answers)
            if scope.keeps_line(line) and (spans := matcher.spans(line.text))
        ]
        if hits:
            yield DayHits(date, path, day.tags, hits)


def _stored_text(value: object) -> str:
    """An answer's value as stored in the index (decoded), folded as text: a word its shown
    form holds, other than one showing adds (`scan.Words.shown_safe`), is in it."""
    if isinstance(value, dict):  # a value no question takes, kept with the text it shows
        value = value.get("text", "")
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, default=str)
    return fold(value)


SEARCH_FORMAT = 2
HISTORY_FORMAT = 2


def search_data(result: SearchResult) -> dict[str, Any]:
    """`reflect search --json`: each day's matching lines (keys pinned by a test)."""
    days = [
        {
            "date": day.date.isoformat(),
            "path": day.path,
            "tags": day.tags,
            "matches": [
                {
                    "where": hit.line.where,
                    "pack": hit.line.pack,
                    "prompt": hit.line.prompt,
                    "text": hit.line.text,
                    "spans": [list(span) for span in hit.spans],
                }
                for hit in day.hits
            ],
        }
        for day in result.days
    ]
    return {"format": SEARCH_FORMAT, "days": days}


# -- filters for `log` -----------------------------------------------------------


COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_WHERE = re.compile(r"^(?P<key>[^<>=!]+?)\s*(?P<op><=|>=|!=|<|>|=)(?P<value>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Where:
    """`--where PACK/PROMPT=VALUE` (or `!=`, `<`, `<=`, `>`, `>=`): days whose answer fits.

    A day that did not answer the question never matches, not even `!=`.
    """

    pack: str
    prompt: str
    value: AnswerValue
    question: AnyPrompt | None
    op: str = "="
    # What makes a heading nobody's answer (two questions had it): the one rule of every reader.
    versions: PackVersions | None = field(default=None, compare=False, repr=False)
    # The value as typed, read again by the definition of an answer given under another one.
    raw: str | None = field(default=None, compare=False, repr=False)
    # False when only an earlier definition of the question takes the value.
    fits_now: bool = field(default=True, compare=False, repr=False)
    # Whether an earlier definition asked for prose, which no stored value holds.
    prose_before: bool = field(default=False, compare=False, repr=False)

    def _shared(self, entry: Entry) -> Collection[str]:
        if self.versions is None:
            return frozenset()
        return self.versions.shared_wordings(entry.front.pack_ids())

    @property
    def needs_answer(self) -> bool:
        """Whether only a day with a stored answer to the question can match (not prose)."""
        from reflect.model.pack import TextPrompt

        return (
            self.op != "!=" and not isinstance(self.question, TextPrompt) and not self.prose_before
        )

    def matches(self, entry: Entry) -> bool:
        judged = self._as_given(entry)
        if judged is None:
            # The value is none its definition takes: any answer differs from it.
            return self.op == "!=" and self._answered(entry)
        return judged._matches(entry)

    def _as_given(self, entry: Entry) -> Where | None:
        """This filter as the version that asked the day's answer reads the value (as `history`).

        None when that version's question cannot take the value: the day does not match.
        """
        if self.versions is None or self.question is None or self.raw is None:
            return self if self.fits_now else None
        version = entry.answer_version(self.pack, self.prompt)
        then = self.versions.definition(self.pack, self.prompt, version).prompt
        if then is None or then == self.question:
            return self if self.fits_now else None
        try:
            if self.op in COMPARE:
                value: AnswerValue = _compared_number("", self.op, self.raw, then)
            else:
                value = then.parse(self.raw)
        except (ValueError, UsageError):
            return None
        return Where(self.pack, self.prompt, value, then, self.op, self.versions)

    def _matches(self, entry: Entry) -> bool:
        if self.op in COMPARE:
            stored = entry.answer(self.pack, self.prompt)
            if isinstance(stored, bool) or not isinstance(stored, int | float):
                return False
            assert isinstance(self.value, int | float)
            return COMPARE[self.op](stored, self.value)
        if self.op == "!=":
            return self._answered(entry) and not self._equal(entry)
        return self._equal(entry)

    def _answered(self, entry: Entry) -> bool:
        if self.question is not None:
            return entry.has_answer(self.pack, self.question, self._shared(entry))
        return entry.answer(self.pack, self.prompt) is not None

    def _equal(self, entry: Entry) -> bool:
        from reflect.model.pack import TextPrompt

        if isinstance(self.question, TextPrompt):
            key = answer_key(self.pack, self.prompt)
            headings = [heading_for(self.question.text)]
            prose = entry.prose_for(key, headings, self._shared(entry)) or ""
            return fold(str(self.value)) in fold(prose)
        stored = entry.answer(self.pack, self.prompt)
        if stored is None:
            return False
        if isinstance(self.value, str) and not isinstance(stored, str):
            return fold(plain_value(stored)) == fold(self.value)
        if isinstance(stored, bool) != isinstance(self.value, bool):
            return False
        if isinstance(stored, str) and isinstance(self.value, str):
            return fold(stored) == fold(self.value)
        return stored == self.value


def _loose_value(raw: str) -> AnswerValue:
    """A value for a prompt the pack no longer has: yes/no, a number, or the text itself."""
    try:
        return parse_yes_no(raw)
    except ValueError:
        pass
    try:
        return as_number(raw)
    except ValueError:
        return raw.strip()


def parse_where(home: Home, raw: str) -> Where:
    """Read `PACK/PROMPT=VALUE` (or `!=`, `<`, `<=`, `>`, `>=`).

    An `=` or `!=` value is parsed the way the prompt itself parses answers;
    the comparisons take any number, on scale and number questions only.
    """
    accepted = (
        "expected PACK/PROMPT=VALUE (or !=, <, <=, >, >=), "
        "e.g. growth-mindset/threatened-by-success=yes or daily/mood<=2"
    )
    match = _WHERE.match(raw)
    if not match:
        raise UsageError(f"--where {raw!r}: {accepted}")
    key, op, value = match.group("key"), match.group("op"), match.group("value")
    try:
        pack_id, prompt_id = split_key(key, "--where")
    except UsageError:
        raise UsageError(
            f"--where {raw!r}: {key.strip()!r} is not PACK/PROMPT; {accepted}"
        ) from None
    pack = packs_by_id(home, [pack_id]).get(pack_id)
    versions = pack_versions(home)
    if pack is None and not versions.kept(pack_id):
        raise unknown_pack(pack_id)
    # A question the pack dropped (or a pack since removed, whose versions are kept) is read
    # by its last kept definition, as `history` reads it.
    current = pack.prompt(prompt_id) if pack is not None else None
    prompt = current or versions.latest(pack_id, prompt_id).prompt
    if prompt is None:
        if op in COMPARE:
            return Where(
                pack_id, prompt_id, _compared_number(key.strip(), op, value, None), None, op
            )
        # Answers outlive a pack upgrade that dropped the prompt: match them loosely.
        return Where(pack_id, prompt_id, _loose_value(value), None, op)
    # Each day's answer is judged by the version that asked it: a value only an earlier
    # definition takes (a 9 on a scale once 1-10, now 1-5) is no usage error.
    earlier = [
        asked
        for kept in versions.kept(pack_id).values()
        if (asked := kept.prompt(prompt_id)) is not None and asked != prompt
    ]
    prose = any(asked.type == "text" for asked in earlier)
    parsed: AnswerValue
    try:
        if op in COMPARE:
            parsed = _compared_number(key.strip(), op, value, prompt)
        else:
            try:
                parsed = prompt.parse(value)
            except ValueError as exc:
                raise UsageError(f"--where {key.strip()}: {exc}") from None
    except UsageError:
        if not any(_takes(asked, op, value) for asked in earlier):
            raise
        return Where(pack_id, prompt_id, value, prompt, op, versions, value, False, prose)
    return Where(pack_id, prompt_id, parsed, prompt, op, versions, value, True, prose)


def _takes(prompt: AnyPrompt, op: str, value: str) -> bool:
    """Whether a definition of a question takes a `--where` value."""
    try:
        if op in COMPARE:
            _compared_number("", op, value, prompt)
        else:
            prompt.parse(value)
    except (ValueError, UsageError):
        return False
    return True


def _compared_number(key: str, op: str, value: str, prompt: AnyPrompt | None) -> float:
    from reflect.model.pack import NumberPrompt, ScalePrompt

    if prompt is not None and prompt.type not in ("scale", "number"):
        raise UsageError(
            f"--where {key}{op}: {op} compares numbers, and {key} is a {prompt.type} question; "
            "use = or !="
        )
    try:
        number = as_number(value)
        # Out of the question's range is refused as for = (a typo, never a real filter).
        if isinstance(prompt, ScalePrompt):
            prompt.check_range(number)
        elif isinstance(prompt, NumberPrompt):
            prompt.check_number(number)
    except ValueError as exc:
        raise UsageError(f"--where {key}{op}{value}: {exc}") from None
    return number


@dataclass(frozen=True)
class LogFilter:
    tags: tuple[str, ...] = ()
    pack: str | None = None
    wheres: tuple[Where, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", query_tags(self.tags))

    def __bool__(self) -> bool:
        return bool(self.tags or self.pack or self.wheres)

    def keeps(self, entry: Entry) -> bool:
        if not Scope(tags=self.tags).keeps_entry(entry):
            return False
        if self.pack and self.pack not in entry.front.pack_ids():
            return False
        return all(where.matches(entry) for where in self.wheres)


def filtered_entries(
    home: Home, count: int, since: dt.date | None, until: dt.date | None, chosen: LogFilter
) -> tuple[list[Entry], list[BadEntry]]:
    """The newest `count` entries in a range that `chosen` keeps, newest first; refused files.

    The journal's index, brought up to date first, says which days may be
    kept (their tags, packs and answered questions); only those files are
    read, newest first, and judged by the filter itself until `count` are found.
    """
    with Index(home) as index:
        bad, days = index.fresh(
            since,
            until,
            lambda: index.chosen_days(
                since,
                until,
                tags=chosen.tags,
                pack=chosen.pack,
                answered=[(w.pack, w.prompt) for w in chosen.wheres if w.needs_answer],
            ),
        )
    entries: list[Entry] = []
    for item in read_each((date, Path(path)) for date, path in days):
        if isinstance(item, BadEntry):
            bad.append(item)  # changed since the index looked at it
        elif chosen.keeps(item):
            entries.append(item)
            if len(entries) >= count:
                break
    return entries, bad


# -- one question's history -------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One answer in a question's history, read by the definition it was given under.

    `apart` says why it is not in the summary although it fits its own
    definition: it was given under a definition of another meaning.
    """

    date: dt.date
    value: AnswerValue
    follow_up: str | None
    version: str | None
    misfit: str | None = None
    definition: Definition | None = None
    shown: str = ""
    apart: str | None = None
    # The definition the follow-up's own version gave the question, when not `definition`.
    follow_up_by: Definition | None = None

    @property
    def follow_up_definition(self) -> Definition | None:
        return self.follow_up_by if self.follow_up_by is not None else self.definition

    @property
    def counts(self) -> bool:
        """Whether the answer is counted in the summary."""
        return self.misfit is None and self.apart is None

    @property
    def question(self) -> str | None:
        return self.definition.text if self.definition is not None else None


@dataclass
class History:
    pack: str
    prompt: str
    question: AnyPrompt | None
    answers: list[Answer] = field(default_factory=list)
    bad: list[BadEntry] = field(default_factory=list)
    in_pack: bool = True

    @property
    def title(self) -> str:
        if self.question is not None:
            retired = "" if self.in_pack else " (no longer in the pack)"
            return heading_for(self.question.text) + retired
        return f"{self.pack}/{self.prompt} (no longer in the pack)"

    def numbers(self) -> list[float]:
        return [
            float(a.value)
            for a in self.answers
            if a.counts and isinstance(a.value, (int, float)) and not isinstance(a.value, bool)
        ]

    def scale(self) -> tuple[float, float] | None:
        """The range a sparkline is drawn against: the prompt's own, else the answers'."""
        from reflect.model.pack import NumberPrompt, ScalePrompt, TextPrompt, YesNoPrompt

        question = self.question
        if isinstance(question, (ScalePrompt, NumberPrompt)):
            low, high = question.min, question.max
            if low is not None and high is not None:
                return float(low), float(high)
        numbers = self.numbers()
        if not numbers or isinstance(question, (TextPrompt, YesNoPrompt)):
            return None
        return min(numbers), max(numbers)

    def summary(self) -> dict[str, Any]:
        values = [a.value for a in self.answers if a.counts]
        data: dict[str, Any] = {"count": len(values)}
        left_out = len(self.answers) - len(values)
        if left_out:
            data["left_out_count"] = left_out
        numbers = self.numbers()
        if values and all(isinstance(v, bool) for v in values):
            data["yes"] = sum(1 for v in values if v is True)
            data["no"] = sum(1 for v in values if v is False)
        elif numbers and len(numbers) == len(values):
            data["mean"] = round(sum(numbers) / len(numbers), 2)
            data["min"] = whole_if_integral(min(numbers))
            data["max"] = whole_if_integral(max(numbers))
        return data


def _apart(question: AnyPrompt | None, given: Answered) -> str | None:
    """Why an answer is summarised apart from the question as it is now, or None."""
    from reflect.packs.diff import definition_words, same_meaning

    definition = given.definition
    then = definition.prompt
    if question is None:
        return None
    if then is not None and not same_meaning(question, then, target=False):
        where = (
            f"version {definition.defined_in}" if definition.defined_in else "an earlier version"
        )
        return f"given under {where} as {definition_words(then)}, not as today's {definition_words(question)}"
    if given.prose and question.type != "text":
        return f"written as text, not as today's {definition_words(question)}"
    return None


def history(
    home: Home, key: str, since: dt.date | None = None, until: dt.date | None = None
) -> History:
    """Every answer given to one question, oldest first, whether or not the pack still asks it.

    Each answer is read by the definition it was given under; the summary
    counts those whose definition means what the question means now.
    """
    pack_id, prompt_id = split_key(key, "PACK/PROMPT")
    versions = pack_versions(home)
    pack = versions.current(pack_id)
    latest = versions.latest(pack_id, prompt_id)
    question = latest.prompt
    found = History(pack_id, prompt_id, question, in_pack=latest.in_pack)

    with Index(home) as index:
        bad, stored = index.given(
            pack_id, prompt_id, since, until, definitions_stamp(home), judge_with(versions)
        )
    found.bad.extend(bad)
    # What an answer means depends on its value, version and form alone: each is judged once.
    judged: dict[tuple[str, str | None, int], tuple[Answered, str | None, str, str | None]] = {}
    for date, value, version, follow_up, prose, follow_version in stored:
        seen = judged.get((value, version, prose))
        if seen is None:
            definition = versions.definition(pack_id, prompt_id, version)
            given = Answered(pack_id, prompt_id, stored_value(value), definition, None, bool(prose))
            problem = given.misfit
            apart = None if problem else _apart(question, given)
            seen = judged[(value, version, prose)] = (given, problem, given.shown, apart)
        given, problem, shown, apart = seen
        found.answers.append(
            Answer(
                dt.date.fromordinal(date),
                given.value,
                follow_up,
                version,
                problem,
                given.definition,
                shown,
                apart,
                follow_up_by(versions, given.definition, follow_version) if follow_up else None,
            )
        )
    if pack is None and not found.answers:
        raise unknown_pack(pack_id, also=f" and no entry answers {key.strip()!r}")
    if pack is not None and not latest.in_pack and not found.answers:
        raise unknown_prompt(
            pack_id, prompt_id, " and no entry answers it", listed=_prompt_ids(pack)
        )
    return found


def _prompt_ids(pack: Pack, most: int = 12) -> str:
    ids = [prompt.id for prompt in pack.prompts]
    more = f" and {len(ids) - most} more" if len(ids) > most else ""
    return ", ".join(ids[:most]) + more


def history_data(found: History, newest_first: bool) -> dict[str, Any]:
    """The JSON shape of a question's history (keys pinned by a test)."""
    answers = found.answers[::-1] if newest_first else found.answers
    question = found.question
    return {
        "format": HISTORY_FORMAT,
        "pack": found.pack,
        "prompt": found.prompt,
        "question": question.text if question is not None else None,
        "type": question.type if question is not None else None,
        "in_pack": found.in_pack,
        "summary": found.summary(),
        "answers": [
            {
                "date": a.date.isoformat(),
                "value": a.value,
                "shown": a.shown,
                "follow_up": a.follow_up,
                "version": a.version,
                "question": a.question,
                "defined_in": a.definition.defined_in if a.definition else None,
                "fits": a.misfit is None,
                "counted": a.counts,
                "left_out_reason": a.misfit or a.apart,
            }
            for a in answers
        ],
    }


# -- on this day -----------------------------------------------------------------


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def same_date_earlier(day: dt.date) -> Callable[[dt.date], bool]:
    """Whether a date is `day`'s date in an earlier year.

    29 February only comes round in leap years, so on 28 February of a
    common year the earlier years' 29 February entries are shown as well.
    """
    leap_day_too = day.month == 2 and day.day == 28 and not _is_leap(day.year)

    def keeps(other: dt.date) -> bool:
        if other.year >= day.year:
            return False
        if (other.month, other.day) == (day.month, day.day):
            return True
        return leap_day_too and (other.month, other.day) == (2, 29)

    return keeps


@dataclass
class ThisDay:
    """On this day: the earlier years' entries read, most recent first, and how many years more."""

    entries: list[Entry]
    bad: list[BadEntry]
    more: int = 0  # earlier years with an entry on this date, beyond the ones read


def on_this_day(home: Home, day: dt.date, *, years: int | None = None) -> ThisDay:
    """What was written on this date in earlier years, most recent year first.

    Only the files named for that date are looked at, one per year folder
    (two on a common year's 28 February), so the cost follows the years, not
    the days written; with `years`, only the most recent that many years'
    files are read and the others counted.
    """
    from reflect.journal.store import year_names

    keeps = same_date_earlier(day)
    wanted: list[tuple[dt.date, Path | str]] = []
    there: Callable[[dt.date], Path | str | None] | None = None
    for year, _ in year_names(home):
        for month, mday in dict.fromkeys([(day.month, day.day), (2, 29)]):
            try:
                other = dt.date(year, month, mday)
            except ValueError:
                continue
            if there is None:
                there = _file_there(home)
            if not keeps(other):
                continue
            path = there(other)
            if path is not None:
                wanted.append((other, path))
    wanted.sort(key=lambda pair: pair[0])
    found_years = sorted({other.year for other, _ in wanted})
    more = 0
    if years is not None and len(found_years) > years:
        more = len(found_years) - years
        first = found_years[more]
        wanted = [pair for pair in wanted if pair[0].year >= first]
    entries: list[Entry] = []
    bad: list[BadEntry] = []
    for item in read_each([(other, Path(path)) for other, path in wanted]):
        if isinstance(item, BadEntry):
            bad.append(item)
        else:
            entries.append(item)
    return ThisDay(entries[::-1], bad, more)


def _file_there(home: Home) -> Callable[[dt.date], Path | str | None]:
    """The day's file in the form it is in (`.md.age` in an encrypted journal), None if none.

    In a plain journal one `lstat` of the name answers, and the name is given
    as text: on-this-day asks once for every year folder of the journal and
    reads only the most recent years' files. An encrypted or half-converted
    journal, and any answer but "there" or "not there", take the full look.
    """
    from reflect.journal import crypt
    from reflect.journal.store import existing_entry_path

    def full(other: dt.date) -> Path | None:
        path = existing_entry_path(home, other)
        return path if path.exists() or path.is_symlink() else None

    if crypt.read_state(home.root) is not None:
        return full
    base = os.fspath(home.entries_dir)

    def plain(other: dt.date) -> Path | str | None:
        stamp = f"{other.year:04d}-{other.month:02d}-{other.day:02d}"
        path = f"{base}{os.sep}{stamp[:4]}{os.sep}{stamp}.md"
        try:
            os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError:
            return full(other)
        return path

    return plain


def check_names(
    home: Home,
    pack: str | None,
    prompt: tuple[str, str] | None = None,
    wheres: tuple[Where, ...] = (),
) -> None:
    """When nothing matched, a filter naming a pack or question that doesn't exist is the reason.

    Called only after an empty result: answers to a removed pack or a dropped
    question are still found by their ids.
    """
    from reflect.packs.library import readable_packs

    packs, _ = readable_packs(home)
    keys = [prompt] if prompt else []
    keys += [(w.pack, w.prompt) for w in wheres]
    versions = pack_versions(home)
    if pack and not versions.kept(pack):
        check_known(packs, pack)
    for pack_id, prompt_id in keys:
        if versions.newest_with(pack_id, prompt_id) is None:
            check_known(packs, pack_id, prompt_id)
