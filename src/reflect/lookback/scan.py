"""Search without the index: each entry file read as text, the plain ones read without YAML.

A search over a year folder the index does not hold yet would otherwise read
every file through the reader (YAML and pydantic, about a millisecond a
file) to fill the index first. Here a file is read as text, and dropped when
its folded text lacks a word of the query and nothing in it could show that
word (see `Words`). A file kept whose front matter has only the lines reflect
writes (`plain_front`) gives its lines from its body, cut by the reader's own
`split_body`, when none of its answers can match; any other file goes through
the reader, so a file it refuses is reported exactly as before, and its lines
are those the index would give.
"""

import bisect
import datetime as dt
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from reflect.errors import ReflectError
from reflect.journal import crypt, intwo
from reflect.journal.entry import heading_at, plain_headings, split_body
from reflect.journal.home import Home
from reflect.journal.store import MAX_ENTRY_BYTES
from reflect.model.notes import NOTE_HEADING
from reflect.model.text import fold

Job = TypeVar("Job")
Done = TypeVar("Done")
# A year folder with this many files the index does not hold is read as text by search;
# with fewer, the index takes them in and answers.
COLD_MIN = 100
# SLUG_PATTERN, without backtracking: 1 to 64 of [a-z0-9-], neither end a hyphen.
_S = r"(?=[a-z0-9])[a-z0-9-]{1,64}+(?<!-)"
_V = r"\d+\.\d+\.\d+"
# Values YAML reads as written: true/false, a small number, a few words of plain text
# (not one YAML 1.1 reads as a boolean or as nothing).
_VALUE = (
    r"(?:true|false|-?(?:0|[1-9]\d{0,11})(?:\.\d{1,6})?"
    r"|(?!(?i:yes|no|on|off|null|true|false|y|n)\n)[A-Za-z][A-Za-z' ,.;()/-]*+(?<=[A-Za-z.)']))"
)
_STAMP = r"(?: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?"
_TAGS = re.compile(r"^- (.*)$", re.MULTILINE)
_VALUES = re.compile(rf"^(?:    {_S}|{_S}/{_S}): (.*)$", re.MULTILINE)
_PACKS = re.compile(rf"^(?:  |    )?({_S})(?:/|:)", re.MULTILINE)
# What showing an answer can add to its value as written: yes/no, inf/nan,
# JSON's and Python's words for a value that fits no question, and characters
# of numbers, dates and JSON. A query word made only of other text can be on
# an answer's line only if the file holds it.
_SHOWN_WORDS = ("yes", "no", "inf", "nan", "true", "false", "null", "none")
_SHOWN_CHARS = frozenset("0123456789.+-:[]{}'\",\\")


@dataclass(frozen=True)
class Words:
    """The query's folded words, and whether a file's raw text can rule a day out."""

    words: tuple[str, ...]
    units: tuple[str, ...]
    # The words as bytes, for ASCII files; empty when one is not ASCII (no such file holds it).
    ascii: tuple[bytes, ...] = field(init=False)

    def __post_init__(self) -> None:
        ascii = all(word.isascii() for word in self.words)
        object.__setattr__(self, "ascii", tuple(w.encode() for w in self.words) if ascii else ())

    @property
    def shown_safe(self) -> bool:
        """Whether no answer can show one of the words unless its file holds it."""
        for word in self.words:
            if any(char in _SHOWN_CHARS for char in word):
                return False
            if any(word in text for text in (*_SHOWN_WORDS, *self.units)):
                return False
        return True

    def in_text(self, folded: str) -> bool:
        return all(word in folded for word in self.words)

    def in_ascii(self, lowered: bytes, start: int = 0, end: int | None = None) -> bool:
        """`in_text` of an ASCII text's lower-cased bytes (its folded form), or of the part
        from `start` to `end`."""
        if len(self.ascii) == 1:  # the common case, without a generator
            return lowered.find(self.ascii[0], start, end) >= 0
        return bool(self.ascii) and all(lowered.find(w, start, end) >= 0 for w in self.ascii)

    def ascii_end(self, lowered: bytes) -> int:
        """Where the first match of a one-word query ends in an ASCII text's lower-cased
        bytes (0 for a query of more words, whichever are found); -1 when a word is not
        found."""
        if len(self.ascii) == 1:
            at = lowered.find(self.ascii[0])
            return at + len(self.ascii[0]) if at >= 0 else -1
        return 0 if self.in_ascii(lowered) else -1


def units(home: Home) -> tuple[str, ...]:
    """The units (folded) of every question of every pack file reflect can read a day by.

    Each `unit` text of each pack file read as `load_pack` reads it, as TOML
    and not checked as a pack: a unit of a pack no command takes only keeps
    a word from the quick path, and the search does not wait for every pack
    to be checked before it starts (they are, where a file needs one).
    """
    import tomllib

    from reflect.journal.files import TooLarge, read_bounded
    from reflect.packs.library import MAX_PACK_BYTES, archive_dir, builtin_dir

    found: set[str] = set()
    for folder in (builtin_dir(), home.packs_dir, archive_dir(home)):
        try:
            paths = sorted(folder.glob("*.toml"))
        except OSError:
            continue
        for path in paths:
            try:
                text = read_bounded(path, MAX_PACK_BYTES, special=True).decode("utf-8")
                data = tomllib.loads(text.removeprefix("\ufeff"))
            except (TooLarge, OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            found.update(fold(unit) for unit in _unit_texts(data))
    return tuple(sorted(found))


def _unit_texts(data: object) -> Iterator[str]:
    """Every text under a `unit` key, at any depth of a TOML document."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "unit" and isinstance(value, str) and value:
                yield value
            else:
                yield from _unit_texts(value)
    elif isinstance(data, list):
        for item in data:
            yield from _unit_texts(item)


# The kinds of line of a front matter `plain_front` takes, each a letter, with its pattern (on
# the line and its end) whose group is the line's key; a key is there once in its block.
_LINES = (
    ("t", re.compile(r"- ([a-z][a-z0-9_-]{0,63})\n")),
    ("p", re.compile(rf"  ({_S}): {_V}\n")),
    ("o", re.compile(rf"  ({_S}):\n")),
    ("a", re.compile(rf"    ({_S}): {_VALUE}\n")),
    ("f", re.compile(rf"({_S}/{_S}): {_VALUE}\n")),
    ("g", re.compile(rf"  ({_S}/{_S}(?:/follow-up)?): {_V}{_STAMP}\n")),
)
# Each block's header line, a capital letter.
_HEADERS = {
    "format: 1": "F",
    "format: 2": "F",
    "tags:": "T",
    "packs:": "P",
    "answers:": "A",
    "given:": "G",
}
# The letters of a front matter's lines after its date, in the order reflect writes them:
# format 1's answers under each pack's id, format 2's a `PACK/PROMPT: value` a line.
_SHAPE = re.compile(r"F?(?:Tt+)?(?:Pp+)?(?:A(?:oa+)+|f*)(?:Gg+)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Each line seen, with its letter (`x`: no kind) and its key (the letter and the key, unique
# in a front matter `_SHAPE` takes): most lines of a journal's front matters repeat.
_LETTER: dict[str, str] = {}
_KEY: dict[str, str] = {}
_KINDS_KEPT = 50_000
# A given line's time (`_STAMP`), at the end of its line: it would make every such line new.
# Its ASCII digits are made zeros before the lines are looked up (`_given_zeros`): any
# digit is one where a given line has a digit, so a line is of the kind it was.
_STAMP_AT_END = re.compile(_STAMP.removeprefix("(?:").removesuffix(")?"))
_STAMP_LENGTH = len(" 2026-01-01T00:00:00+00:00")
_ZERO_STAMP = " 0000-00-00T00:00:00+00:00"
_ZEROS = bytes.maketrans(b"123456789", b"000000000")


def _stamp_cut(line: str) -> int:
    """Where a given line's time at the end of a line starts; -1 when none."""
    cut = len(line) - _STAMP_LENGTH
    if cut > 0 and line[cut] == " " and _STAMP_AT_END.fullmatch(line, cut):
        return cut
    return -1


def _kind(line: str) -> tuple[str, str]:
    """A line's letter and key, kept unless its time is not all zeros."""
    if line in _LETTER:
        return _LETTER[line], _KEY[line]
    letter = _HEADERS.get(line)
    key = letter or "x"
    keep = True
    if letter is None:
        letter = "x"
        cut = _stamp_cut(line)
        if cut >= 0:
            # A given line with its time is a given line without it; one time only.
            base = line[:cut]
            if _stamp_cut(base) < 0 and _kind(base)[0] == "g":
                letter, key = _kind(base)
            keep = line.endswith(_ZERO_STAMP)
        else:
            for kind, pattern in _LINES:
                if match := pattern.fullmatch(line + "\n"):
                    letter, key = kind, kind + match.group(1)
                    break
    if keep and len(_LETTER) < _KINDS_KEPT:
        _LETTER[line], _KEY[line] = letter, key
    return letter, key


def _given_zeros(front: str) -> str:
    """A front matter with every ASCII digit from its `given:` line on made a zero
    (`_STAMP_AT_END`)."""
    at = front.find("\ngiven:\n")
    if at < 0:
        return front
    given = front[at:].encode("utf-8", "surrogatepass").translate(_ZEROS)
    return front[:at] + given.decode("utf-8", "surrogatepass")


def plain_front(front: str, day: str) -> bool:
    """Whether a front matter has only the lines reflect writes, each key once, for `day`:
    the reader takes it and reads each value as written.

    Each line's kind and key are looked up once a run; the letters of the
    kinds are then matched as one (the same rule as one regular expression
    on the text, which tests hold this to, costs twice as much).
    """
    return _plain_zeroed(front, _given_zeros(front), day)


def _plain_zeroed(front: str, zeroed: str, day: str) -> bool:
    """`plain_front` of `front`, given with its digits from `given:` on made zeros."""
    lines = zeroed.split("\n")
    if lines.pop() or not lines or lines[0] != f"date: {day}" or not _DAY.fullmatch(day):
        return False
    del lines[0]  # new in every file: it is no line of a block, and is not looked up
    try:
        letters = "".join(map(_LETTER.__getitem__, lines))
    except KeyError:
        letters = "".join([_kind(line)[0] for line in lines])
    if not _SHAPE.fullmatch(letters):
        return False
    if "o" in letters:  # format 1: an answer's key is once under its pack's id
        try:
            keys = list(map(_KEY.__getitem__, lines))
        except KeyError:
            keys = [_kind(line)[1] for line in lines]
        pack = ""
        for at, letter in enumerate(letters):
            if letter == "o":
                pack = keys[at]
            elif letter == "a":
                keys[at] = f"{pack}\n{keys[at]}"
        unique = len(set(keys)) == len(keys)
    else:
        try:
            unique = len(set(map(_KEY.__getitem__, lines))) == len(lines)
        except KeyError:
            unique = len({_kind(line)[1] for line in lines}) == len(lines)
    if unique:
        return True
    # Zeros may have made two given lines' keys one: the lines as written say.
    return zeroed != front and _plain_zeroed(front, front, day)


def front_parts(front: str) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """The tags, answer values and pack ids of a front matter `plain_front` takes."""
    return (
        tuple(_TAGS.findall(front)),
        tuple(_VALUES.findall(front)),
        frozenset(_PACKS.findall(front)),
    )


# (heading, text, pack, prompt) of each line of a day, as `day_lines` gives them.
QuickLine = tuple[str, str, str | None, str | None]


@dataclass(frozen=True)
class QuickDay:
    tags: tuple[str, ...]
    lines: list[QuickLine]


class Packs:
    """What the definitions of one pack id say, over every version of it kept."""

    def __init__(self, asked: Callable[[str], tuple[frozenset[str], frozenset[str]]]) -> None:
        self.asked = asked  # `PackVersions.asked`
        self._prompts: dict[str, frozenset[str]] = {}
        self._headings: dict[str, frozenset[str]] = {}
        # Each tie line seen (`_tied_headings`): whether it is one reflect writes, to a question
        # a kept definition asks. The same few come back in every file.
        self.ties: dict[str, bool] = {}

    def _learn(self, pack_id: str) -> None:
        self._prompts[pack_id], self._headings[pack_id] = self.asked(pack_id)

    def prompts(self, pack_id: str) -> frozenset[str]:
        if pack_id not in self._prompts:
            self._learn(pack_id)
        return self._prompts[pack_id]

    def headings(self, pack_id: str) -> frozenset[str]:
        if pack_id not in self._headings:
            self._learn(pack_id)
        return self._headings[pack_id]


def plain_split(text: str, day: str) -> tuple[str, str] | None:
    """A file's front matter and body when `plain_front` takes the front matter (so the reader
    takes the file); None otherwise."""
    if not text.startswith("---\n") or "\r" in text:
        return None
    # The first line that closes it: an earlier one (`...`, `--- `) is no line plain_front takes.
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    front = text[4 : end + 1]
    if not plain_front(front, day):
        return None
    return front, text[end + 5 :]


def quick_day(front: str, body: str, words: Words, packs: Packs, owners: bool) -> QuickDay | None:
    """A plain file's tags and lines, read without YAML, when none of its answers can match
    `words`; None when the reader must read it.

    With `owners`, a line's pack and prompt must be those `day_lines` gives:
    a section under a question's words and tied to nothing is then left to
    the reader. Without, such a line's pack and prompt are left out (search
    shows neither).
    """
    tags, values, front_packs = front_parts(front)
    if values and words.in_text(fold("\n".join(values))):
        return None  # an answer may match: the reader shows it by its definition
    preamble, sections = split_body(body)
    lines: list[QuickLine] = []
    if words.in_text(fold(preamble)):
        lines.extend(("", line.strip(), None, None) for line in preamble.splitlines())
    asked: set[str] | None = None
    for section in sections:
        content = section.content
        # Only a `<!-- reflect: ... -->` comment ties a section; looking for one costs.
        key = section.key if "<!--" in content else None
        if key is not None:
            pack_id, prompt_id = key.split("/")[:2]
            if prompt_id not in packs.prompts(pack_id):
                return None  # an answer no definition knows is shown as a line of its own
        if not words.in_text(fold(content)):
            continue  # no line of it can match (the prose is this text, less some marks)
        owner: tuple[str | None, str | None] = (None, None)
        if key is not None:
            owner = (pack_id, prompt_id)
        elif owners:
            if asked is None:
                asked = set(front_packs)
                asked.update(s.key.split("/", 1)[0] for s in sections if s.key is not None)
            if any(section.heading in packs.headings(p) for p in asked):
                return None
        heading = section.heading
        lines.extend((heading, line.strip(), *owner) for line in section.prose.splitlines())
    return QuickDay(tags, [line for line in lines if line[1]])


# Nothing of a plain file: it lacks a word of the query.
NOTHING = QuickDay((), [])
# The bytes of a body whose lines are the prose as written: printable ASCII and line ends,
# less the backslash (an escape) and `<` (a marker, an HTML block).
_PROSE_BYTES = bytes(b for b in range(0x20, 0x7F) if b not in b"\\<") + b"\n"


def ascii_day(data: bytes, day: str, words: Words, packs: Packs, owners: bool) -> QuickDay | None:
    """`quick_day` of an ASCII file, NOTHING when it is plain and lacks a word, None when the
    reader must read it (as `plain_split` says).

    A body of printable ASCII with no escape, marker, HTML block, fence or
    line a plain `## ` scan could misread is not cut into sections: only its
    lines holding every word are given, each under the heading above it.
    """
    lowered = data.lower()  # the folded text: ASCII folds by lower-casing
    found_end = words.ascii_end(lowered)
    if not data.startswith(b"---\n") or b"\r" in data:
        return None
    end = data.find(b"\n---\n", 3)
    if end < 0:
        return None
    front = data[4 : end + 1].decode("ascii")
    if not plain_front(front, day):
        return None
    if found_end < 0:
        return NOTHING
    body_data = data[end + 5 :]
    body = body_data.decode("ascii")
    heads = None
    if not owners:
        rest = body_data.translate(None, _PROSE_BYTES)
        if not rest:
            heads = plain_headings(body)
        elif not rest.strip(b"<"):
            heads = _tied_headings(body, packs)
    if heads is None:
        return quick_day(front, body, words, packs, owners)
    # A word found first past the front matter is not in it.
    if found_end <= end + 1 and words.in_ascii(lowered, 4, end + 1):
        values = _VALUES.findall(front)
        if values and words.in_text(fold("\n".join(values))):
            return None  # an answer may match: the reader shows it by its definition
    return QuickDay(_plain_tags(front), _word_lines(body, lowered[end + 5 :], words, heads))


def _plain_tags(front: str) -> tuple[str, ...]:
    """The tags of a front matter `plain_front` takes (`front_parts`): its only lines that
    start with "- " are those after its `tags:` line."""
    at = front.find("\ntags:\n")
    if at < 0:
        return ()
    tags = []
    at += len("\ntags:\n")
    while front.startswith("- ", at):
        end = front.index("\n", at)
        tags.append(front[at + 2 : end])
        at = end + 1
    return tuple(tags)


# A tie as reflect writes it, alone on its line (`journal.entry.marker`).
_TIE = re.compile(rf"<!-- reflect: ({_S}/{_S}(?:/follow-up)?) -->")


def _tied_headings(body: str, packs: Packs) -> list[int] | None:
    """`plain_headings` of a body whose every `<` is in a tie reflect writes, on the line after
    a heading (not a notes heading), to a question a kept version of its pack asks; None for
    any other body.

    The reader takes such a tie as its section's and leaves it out of the prose: the
    section's lines are the others, as written (`_word_lines` passes over the tie's).
    """
    at = body.find("<")
    ties: list[int] = []
    known_ties = packs.ties
    while at >= 0:
        if at and body[at - 1] != "\n":
            return None  # not at a line's start: no tie
        end = body.find("\n", at)
        line = body[at:] if end < 0 else body[at:end]
        known = known_ties.get(line)
        if known is None:
            known = _known_tie(line, packs)
            if len(known_ties) < _TIES_KEPT:
                known_ties[line] = known
        if not known:
            return None
        ties.append(at)
        at = -1 if end < 0 else body.find("<", end)
    heads = plain_headings(body, comment_lines=True)
    if heads is None or not ties:
        return heads
    starts = set(heads)
    for tie in ties:
        # The line above the tie is a heading's (the tie is a line's start: it follows one).
        head = body.rfind("\n", 0, tie - 1) + 1 if tie else -1
        if head not in starts:
            return None
        # A notes section is tied to nothing: the comment under its heading is a line of the
        # note. (Its heading's line holds the word.)
        if body.find("Notes", head, tie) >= 0 and NOTE_HEADING.match(_heading(body, head)):
            return None
    return heads


_TIES_KEPT = 10_000


def _known_tie(line: str, packs: Packs) -> bool:
    """Whether a line is a tie reflect writes to a question a kept definition asks (an answer
    no definition knows is shown as a line of its own: the reader shows it)."""
    match = _TIE.fullmatch(line)
    if match is None:
        return False
    pack_id, prompt_id = match.group(1).split("/")[:2]
    return prompt_id in packs.prompts(pack_id)


# The text of each heading line seen: the same headings come back day after day.
_HEADINGS: dict[str, str] = {}
_HEADINGS_KEPT = 10_000


def _word_lines(body: str, lowered: bytes, words: Words, starts: list[int]) -> list[QuickLine]:
    """The lines of a body (of `plain_headings`) holding every word, under their headings."""
    first, *rest = words.ascii
    lines: list[QuickLine] = []
    at = lowered.find(first)
    while at >= 0:
        start = lowered.rfind(b"\n", 0, at) + 1
        stop = lowered.find(b"\n", at)
        if stop < 0:
            stop = len(lowered)
        if lowered.startswith(b"<", start):
            pass  # a tie (`_tied_headings`): no line of prose
        elif not rest or all(lowered.find(word, start, stop) >= 0 for word in rest):
            under = bisect.bisect_right(starts, start) - 1
            if under < 0:
                lines.append(("", body[start:stop].strip(), None, None))
            elif (head := starts[under]) != start:  # not the heading's own line
                lines.append((_heading(body, head), body[start:stop].strip(), None, None))
        at = lowered.find(first, stop)
    return lines


def _heading(body: str, start: int) -> str:
    """`heading_at`, read once a run for each heading line."""
    end = body.find("\n", start)
    line = body[start:] if end < 0 else body[start:end]
    try:
        return _HEADINGS[line]
    except KeyError:
        pass
    heading = heading_at(body, start)
    if len(_HEADINGS) < _HEADINGS_KEPT:
        _HEADINGS[line] = heading
    return heading


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_data(path: str, name: str) -> bytes | None:
    """A file's bytes, decrypted; None when the reader must open it to say why it cannot
    (not a plain file, too large, unreadable, not decrypted).

    Opened without blocking and checked to be a plain file, as the reader does:
    a FIFO named like an entry never hangs the search.
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        data = os.read(fd, info.st_size + 1)
        if len(data) > info.st_size:  # growing while read: the reader reads it whole
            return None
        if name.endswith(crypt.SUFFIX):
            # `open_bytes` without its Path: making one costs as much as finding the key.
            data = crypt.key_for(path).open(data, path)
        return data
    except crypt.LockedError:
        raise
    except (OSError, ReflectError):
        return None
    finally:
        os.close(fd)


def as_text(data: bytes) -> str | None:
    """A file's bytes as text; None when they are not UTF-8 (the reader says so)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def newest_first(names: Sequence[str], since: dt.date | None, until: dt.date | None) -> list[str]:
    low = since.isoformat() if since else ""
    high = until.isoformat() if until else "~"
    return [name for name in reversed(names) if low <= name[:10] <= high]


# Fewer files than this in a cold search's year folders are read by one process: a second
# one costs a few milliseconds to start.
TWO_MIN = 2000


def in_two(
    jobs: Sequence[Job],
    work: Callable[[Job], Done],
    keep: Callable[[Done], bool] = lambda done: True,
) -> Iterator[Done]:
    """`intwo.in_two`, the copy holding only the journal keys held before the fork."""
    return intwo.in_two(jobs, work, keep, crypt.held_keys_only)
