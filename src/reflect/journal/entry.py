"""The entry file format: YAML front matter for structured answers, markdown prose below.

docs/format.md is the contract. A file is read into an `Entry` that keeps
the exact text it came from, so reading and writing back changes nothing;
prose a person wrote anywhere in the body is never dropped, and front
matter properties reflect does not own (and comments) are written back
byte for byte. A prose answer is tied to its question by a comment on the
line after its heading, `<!-- reflect: PACK/PROMPT -->`, so the heading
can be reworded by a pack or by hand.

Reading a file needs the model of its front matter (model/front.py, pydantic); the
text helpers a cold search uses do not, and importing this module loads neither.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reflect.errors import EntryError, Unwritable, ctrl_c_swallowed, newer_format
from reflect.journal import frontsplit, frontyaml
from reflect.journal.prose import (
    FENCE,
    append_section,
    escape_prose,
    fenced_lines,
    heading_line,
    normalize_prose,
    unescape_prose,
)
from reflect.model.keys import (
    ENTRY_FORMAT,
    FOLLOW_UP,
    GIVEN_KEY,
    answer_key,
    given_text,
    heading_for,
    is_owned,
    parse_given,
)
from reflect.model.notes import NOTE_HEADING, count_answers
from reflect.model.sections import NO_OTHER_WORDS, QuestionWords, answering

if TYPE_CHECKING:
    from reflect.model.front import FrontMatter
    from reflect.model.pack import AnswerValue, AnyPrompt

# Obsidian's inline tag: after a space or at a line's start, letters, digits,
# "_", "-" and "/", at least one of them not a digit.
_INLINE_TAG = re.compile(r"(?<!\S)#([\w/-]*[^\W\d][\w/-]*|[\w/-]*[/-][\w/-]*)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
# The one tolerant rule (docs/format.md): "reflect" in any case, any spaces (or
# none) around the colon and inside the comment, alone on its line; the key's
# ids are read in lower case.
_MARKER = re.compile(r"^[ \t]*<!--[ \t]*reflect[ \t]*:[ \t]*(\S+?)[ \t]*-->[ \t]*$", re.IGNORECASE)
# Anything that looks like it meant to be a marker, for doctor to point at.
_MARKER_LIKE = re.compile(r"<!--[ \t]*reflect[ \t]*:", re.IGNORECASE)

# YAML reads these as line breaks: a string holding one is written double-quoted, where
# they are escaped (`\L`, `\P`, `\N`).
_BREAKS = ("\u2028", "\u2029", "\x85")


# PyYAML's classes are built at first use: a warm look back reads no YAML, and importing
# PyYAML cost it 0.03 s.


@functools.cache
def _dumper() -> Any:
    import yaml

    class _Dumper(yaml.SafeDumper):
        """PyYAML's safe dumper, writing text as typed: libyaml's escapes every character beyond
        U+FFFF (an emoji is written "\\U0001F600"); only line and paragraph separators are."""

    def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        if any(char in value for char in _BREAKS):
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
        return dumper.represent_str(value)

    _Dumper.add_representer(str, _represent_text)
    return _Dumper


@functools.cache
def _loader() -> Any:
    import yaml

    try:  # the C loader is several times faster on a long journal
        base: Any = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        base = yaml.SafeLoader

    class _Loader(base):  # type: ignore[misc]
        """The safe loader, reading `12:30` as text as the entry reader does
        (frontsplit.no_base_60)."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            return frontsplit.no_base_60(self, kind, value, implicit) or super().resolve(
                kind, value, implicit
            )

    return _Loader


def marker(key: str) -> str:
    """The comment that ties a section to its question: `<!-- reflect: PACK/PROMPT -->`."""
    return f"<!-- reflect: {key} -->"


@dataclass
class Section:
    """A `## heading` and the raw text under it, up to the next one."""

    heading: str
    content: str
    line: str = ""

    def __post_init__(self) -> None:
        if not self.line:
            self.line = heading_line(self.heading)

    def _marker(self) -> tuple[str | None, str]:
        """The key of the marker on the first non-blank line, and the text after it.

        Pandoc's markdown writer wraps the comment in a raw HTML block
        (```{=html} ... ```); that reads as the same marker.
        """
        lines = self.content.split("\n")
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None:
            return None, self.content
        end, line = first, lines[first]
        if (
            line.strip() == "```{=html}"
            and first + 2 < len(lines)
            and lines[first + 2].strip() == "```"
        ):
            end, line = first + 2, lines[first + 1]
        match = _MARKER.match(line)
        if match is None or not GIVEN_KEY.match(match.group(1).lower()):
            return None, self.content
        return match.group(1).lower(), "\n".join(lines[end + 1 :])

    def marker_line(self) -> int | None:
        """The index (in `content.split("\\n")`) of the line holding the tie, when there is one."""
        if self.key is None:
            return None
        lines = self.content.split("\n")
        first = next(i for i, line in enumerate(lines) if line.strip())
        return first + 1 if lines[first].strip() == "```{=html}" else first

    @property
    def key(self) -> str | None:
        """`PACK/PROMPT` (or `PACK/PROMPT/follow-up`) the section answers, when it is marked."""
        return None if self.is_note else self._marker()[0]

    @property
    def is_note(self) -> bool:
        return NOTE_HEADING.match(self.heading) is not None

    @property
    def prose(self) -> str:
        text = self.content if self.is_note else self._marker()[1]
        return normalize_prose(unescape_prose(text))


def joined_prose(sections: list[Section]) -> str:
    """The prose of sections read as one answer: each one's text, a blank line between."""
    return "\n\n".join(text for text in (s.prose for s in sections) if text)


@dataclass(frozen=True)
class MarkerLine:
    """A `<!-- reflect: ... -->` comment in a file: `tie` when it ties a section to `key`."""

    line: int
    key: str | None
    text: str
    tie: bool


@dataclass
class Note:
    time: str
    text: str


@dataclass
class Entry:
    """One day's file: front matter and body."""

    front: FrontMatter
    body: str = ""
    # The file's front matter as read: its text between the --- lines, the
    # lines around it, every property as parsed, and reflect's part of it.
    _head: tuple[str, str, str] | None = field(default=None, repr=False)
    _raw: dict[str, Any] = field(default_factory=dict, repr=False)
    _read_data: dict[str, Any] | None = field(default=None, repr=False)
    _read_front: FrontMatter | None = field(default=None, repr=False)
    # The file's own line ends and byte-order mark, kept when it is written back.
    _newline: str = field(default="\n", repr=False)
    _bom: bool = field(default=False, repr=False)

    def _as_read(self) -> dict[str, Any] | None:
        """reflect's part of the front matter as the file had it (worked out when first needed)."""
        if self._read_data is None and self._read_front is not None:
            self._read_data = self._read_front.to_yaml_data()
        return self._read_data

    @classmethod
    def new(cls, day: dt.date) -> Entry:
        from reflect.model.front import FrontMatter

        return cls(FrontMatter(date=day))

    @property
    def date(self) -> dt.date:
        return self.front.date

    @property
    def front_text(self) -> str | None:
        """The front matter's text between its --- lines as read; None for a new or bare file."""
        return self._head[1] if self._head is not None else None

    @property
    def other_properties(self) -> dict[str, Any]:
        """Front matter properties reflect does not own (Obsidian's, a person's), as read."""
        return {k: v for k, v in self._raw.items() if not is_owned(k)}

    @property
    def answer_count(self) -> int:
        """Answers given this day, values and written answers alike (`model.notes.count_answers`)."""
        values = sum(len(v) for v in self.front.answers.values())
        _, sections = self.split()
        return count_answers(values, (s.key or s.heading for s in sections if s.prose.split()))

    # -- body ---------------------------------------------------------------

    def split(self) -> tuple[str, list[Section]]:
        """The text above the first heading, and the sections in order."""
        return split_body(self.body)

    def _join(self, preamble: str, sections: list[Section]) -> None:
        self.body = preamble + "".join(s.line + s.content for s in sections)

    def _find_all(
        self,
        sections: list[Section],
        key: str,
        headings: Iterable[str],
        shared: Collection[str] = (),
    ) -> list[int]:
        """The sections tied to `key` (two if the file has the marker twice); else the first
        unmarked one under one of its wordings (format 1) that no other question had:
        a wording in `shared` (`PackVersions.shared_wordings`) is nobody's answer."""
        others = set(shared)
        wordings = [heading for heading in headings if heading not in others]
        return answering(sections, key, wordings, self.wording_packs)

    def wording_packs(self) -> list[str]:
        """The packs whose prose this file may hold under a heading alone, with no comment.

        Every pack of a format 1 file; in format 2, those its `packs` still
        names (format 1 answers carried over). A section of a format 2 day
        under a question's words, tied to nothing, is otherwise the person's
        own: never read or replaced as an answer.
        """
        read = self._read_front if self._read_front is not None else self.front
        return read.pack_ids() if read.format < ENTRY_FORMAT else list(read.packs)

    def _find(self, sections: list[Section], key: str, headings: Iterable[str]) -> int | None:
        found = self._find_all(sections, key, headings)
        return found[0] if found else None

    def prose_for(
        self, key: str, headings: Iterable[str] = (), shared: Collection[str] = ()
    ) -> str | None:
        """The prose answering `PACK/PROMPT[/follow-up]`, or None when there is none.

        A section marked with the key answers it whatever its heading; an
        unmarked section (format 1) answers it when its heading is one of
        `headings`, the wordings the question has had. Two sections marked
        with one key are both read, joined by a blank line in file order.
        """
        sections = self.split()[1]
        found = self._find_all(sections, key, headings, shared)
        return joined_prose([sections[i] for i in found]) if found else None

    def set_prose_for(
        self,
        key: str,
        heading: str,
        text: str,
        *,
        version: str,
        at: dt.datetime | None = None,
        add: bool = False,
        words: QuestionWords = NO_OTHER_WORDS,
    ) -> None:
        """Put (or with `add`, add) the prose answering a question under its own section.

        The section is found by its marker, else by wording (an unmarked
        section of a format 1 file under `heading` or one of `words`, which
        then gets its marker);
        else one is added. A section tied to nothing is never replaced.
        `given` then names this version and time: the answer as it now
        stands. Adding to an answer given under another version would label
        the old words with the new version, so it is refused (Unwritable):
        the caller replaces the answer instead.
        """
        text = normalize_prose(text)
        pack_id, _, prompt_id = key.partition("/")
        value = self.answer(pack_id, prompt_id)
        if value is not None:
            raise Unwritable(
                f"entry for {self.date}: {key} has the value {value!r}, given under version "
                f"{self.front.version_of(key)} when it asked for a value; a text answer would "
                "hide it, so nothing was saved; remove the value from the day's file first, "
                "or keep it"
            )
        preamble, sections = self.split()
        found = self._find_all(sections, key, words.headings(heading))
        index = found[0] if found else None
        if index is not None and len(found) > 1:
            # A key marked twice was read as one answer, joined: it is written back as one,
            # in the first section (the text of every one kept there).
            whole = joined_prose([sections[i] for i in found])
            sections = [s for i, s in enumerate(sections) if i not in found[1:]]
            sections[index].content = f"\n{marker(key)}\n\n{escape_prose(whole)}\n\n"
        if index is not None and add:
            existing = sections[index].prose
            was = self.front.version_of(key)
            if existing and was is not None and was != version:
                raise Unwritable(
                    f"entry for {self.date}: {key} was answered under version {was}; adding "
                    f"to it under {version} would relabel those words, so nothing was saved; "
                    "replace the answer instead, or edit the day's file to keep both"
                )
            text = f"{existing}\n\n{text}" if existing else text
        if index is None:
            self._append(heading, text, key)
        else:
            tail = "\n" if index + 1 < len(sections) else ""
            if not add and self.front.version_of(key) not in (None, version):
                # A new answer to a reworded question: its heading is the wording asked now.
                sections[index].heading, sections[index].line = heading, heading_line(heading)
            sections[index].content = f"\n{marker(key)}\n\n{escape_prose(text)}\n{tail}"
            self._join(preamble, sections)
        self._given(key, version, at)

    def set_prose(self, heading: str, text: str) -> None:
        """Put prose under a heading tied to no question (format 1's way), replacing its text."""
        text = normalize_prose(text)
        preamble, sections = self.split()
        for index, section in enumerate(sections):
            if section.heading == heading and section.key is None:
                tail = "\n" if index + 1 < len(sections) else ""
                section.content = f"\n\n{escape_prose(text)}\n{tail}"
                self._join(preamble, sections)
                return
        self._append(heading, text)

    def prose(self, heading: str) -> str | None:
        """The prose under a heading, or None when there is no such section."""
        for section in self.split()[1]:
            if section.heading == heading:
                return section.prose
        return None

    def _append(self, heading: str, text: str, key: str | None = None) -> None:
        self.body = append_section(self.body, heading, text, f"{marker(key)}\n" if key else "")

    def add_note(self, time: dt.time | None, text: str, *, in_order: bool = False) -> None:
        """A free note at the day's end; with `in_order`, before the first note of a later time.

        Existing sections stay as they are, in their order: only the new note
        finds its place. A note without a time (an all-day one) goes before
        the timed notes.
        """
        heading = "Notes" if time is None else f"Notes ({time:%H:%M})"
        at = self._note_place(time) if in_order else None
        if at is None:
            self._append(heading, text)
        else:
            block = f"{heading_line(heading)}\n\n{escape_prose(normalize_prose(text))}\n\n"
            self.body = self.body[:at] + block + self.body[at:]
        self._upgrade()

    def _note_place(self, time: dt.time | None) -> int | None:
        """Where in the body a note of `time` goes to keep notes in time order; None: the end."""
        preamble, sections = self.split()
        offset = len(preamble)
        wanted = "" if time is None else f"{time:%H:%M}"
        for section in sections:
            match = NOTE_HEADING.match(section.heading)
            if match and match.group(1) and match.group(1) > wanted:
                return offset
            offset += len(section.line) + len(section.content)
        return None

    def notes(self) -> list[Note]:
        notes = []
        for section in self.split()[1]:
            match = NOTE_HEADING.match(section.heading)
            if match:
                notes.append(Note(match.group(1) or "", section.prose))
        return notes

    def readable_body(self) -> str:
        """The body as a person reads it: without the comments that tie sections to ids."""
        preamble, sections = self.split()
        parts = [preamble]
        for section in sections:
            content = section.content
            if section.key is not None:
                content = "\n" + section._marker()[1]
            parts.append(section.line + content)
        return "".join(parts)

    def inline_tags(self) -> list[str]:
        """`#tags` written in the prose, as Obsidian reads them; not in code or headings."""
        found: list[str] = []
        fence: str | None = None
        for line in self.body.split("\n"):
            opened = FENCE.match(line)
            if fence is not None:
                if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                    fence = None
                continue
            if opened:
                fence = opened.group(1)
                continue
            if line.startswith(("    ", "\t")) or _ATX.match(line):
                continue
            for match in _INLINE_TAG.finditer(_CODE_SPAN.sub(" ", line)):
                tag = match.group(1).rstrip("/")
                if tag and tag not in found:
                    found.append(tag)
        return found

    def all_tags(self) -> list[str]:
        """The front matter's tags, then the prose's own `#tags`."""
        return list(dict.fromkeys([*self.front.tags, *self.inline_tags()]))

    def tied(self) -> dict[str, str]:
        """Every marked section's prose by its key, in file order (a key marked twice: joined)."""
        found: dict[str, list[Section]] = {}
        for section in self.split()[1]:
            key = section.key
            if key is not None:
                found.setdefault(key, []).append(section)
        return {key: joined_prose(sections) for key, sections in found.items()}

    def cut_answers(self) -> list[tuple[int, str]]:
        """Setext headings (a line of text over `---`) right under a tied answer, with their
        line: CommonMark ends the answer there, and the text below is the person's prose.
        Prose reflect writes never holds one (it stores `\\---`); a hand edit, or a file from
        before reflect read setext headings, may."""
        line = 1 + (0 if self._head is None else sum(part.count("\n") for part in self._head))
        preamble, sections = self.split()
        line += preamble.count("\n")
        found = []
        for before, section in zip([None, *sections], sections, strict=False):
            if (
                before is not None
                and before.key is not None
                and section.key is None
                and "\n" in section.line
            ):
                found.append((line, section.heading))
            line += section.line.count("\n") + section.content.count("\n")
        return found

    def markers(self) -> list[MarkerLine]:
        """Every tie and every comment that looks like one, with its line in the file.

        What doctor reports: a key tied twice, a key no pack knows, and a
        marker-like comment that ties nothing (not the first line under a
        heading, or not `PACK/PROMPT` in lower-case ids).
        """
        line = 1 + (0 if self._head is None else sum(part.count("\n") for part in self._head))
        preamble, sections = self.split()
        found: list[MarkerLine] = []
        blocks: list[tuple[str, Section | None]] = [(preamble, None)]
        blocks.extend((s.content, s) for s in sections)
        for content, section in blocks:
            lines = content.split("\n")
            if section is not None:
                # The section's content starts on its heading's (last) line.
                line += section.line.count("\n") - 1
            tie = section.marker_line() if section is not None else None
            fenced = fenced_lines(lines)
            for offset, text in enumerate(lines):
                if offset == tie and section is not None and section.key is not None:
                    found.append(MarkerLine(line + offset, section.key, text.strip(), True))
                elif offset not in fenced and _MARKER_LIKE.search(text):
                    found.append(MarkerLine(line + offset, None, text.strip(), False))
            line += len(lines)
        return found

    # -- answers ------------------------------------------------------------

    def front_line(self, key: str, *, given: bool = False) -> int | None:
        """The line (the opening --- is line 1) of an answer's property, or with `given` of
        its `given` line, as the file was read; None where it cannot be told."""
        if self._head is None:
            return None
        text = self._head[1]
        indent = r"[ \t]+" if given else ""
        found = re.search(rf"^{indent}['\"]?{re.escape(key)}['\"]?[ \t]*:", text, re.MULTILINE)
        return None if found is None else text.count("\n", 0, found.start()) + 2

    def answer(self, pack_id: str, prompt_id: str) -> AnswerValue | None:
        return self.front.answers.get(pack_id, {}).get(prompt_id)

    def has_answer(self, pack_id: str, prompt: AnyPrompt, shared: Collection[str] = ()) -> bool:
        """Whether the day answers a question: its value, or prose for a text question (not
        under a heading in `shared`, which two questions have had)."""
        from reflect.model.pack import TextPrompt

        if isinstance(prompt, TextPrompt):
            key = answer_key(pack_id, prompt.id)
            return bool(self.prose_for(key, [heading_for(prompt.text)], shared))
        return self.answer(pack_id, prompt.id) is not None

    def answer_version(self, pack_id: str, prompt_id: str) -> str | None:
        """The pack version that asked this answer (format 1: the day's version of the pack).

        `prompt_id` may be `PROMPT/follow-up`: a follow-up's version is its own `given` line's.
        """
        key = answer_key(pack_id, prompt_id)
        found = self.front.version_of(key)
        if self.front.given.get(key) is None and not prompt_id.endswith(f"/{FOLLOW_UP}"):
            follow = self.front.given.get(answer_key(pack_id, prompt_id, follow_up=True))
            if follow is not None:
                return parse_given(follow)[0]
        return found

    def answered_at(
        self, pack_id: str, prompt_id: str, *, follow_up: bool = False
    ) -> dt.datetime | None:
        """When the answer was given, where the file records it (format 2)."""
        text = self.front.given.get(answer_key(pack_id, prompt_id, follow_up=follow_up))
        return None if text is None else parse_given(text)[1]

    def set_answer(
        self,
        pack_id: str,
        version: str,
        prompt_id: str,
        value: AnswerValue,
        at: dt.datetime | None = None,
    ) -> None:
        """Store a structured answer and who asked it; the same value again changes nothing."""
        current = self.answer(pack_id, prompt_id)
        if current is not None and repr(current) == repr(value):
            return
        answers = {k: dict(v) for k, v in self.front.answers.items()}
        answers.setdefault(pack_id, {})[prompt_id] = value
        self.front = self.front.model_copy(update={"answers": answers})
        self._untie(answer_key(pack_id, prompt_id))
        self._given(answer_key(pack_id, prompt_id), version, at)

    def _untie(self, key: str) -> None:
        """Prose tied to a question now answered with a value (a text question retyped):
        the comment goes, the words stay under their heading as the person's own prose."""
        preamble, sections = self.split()
        changed = False
        for section in sections:
            line = section.marker_line() if section.key == key else None
            if line is not None:
                lines = section.content.split("\n")
                if lines[line - 1].strip() == "```{=html}":
                    del lines[line - 1 : line + 2]  # Pandoc's raw HTML fence around it
                else:
                    del lines[line]
                section.content = "\n".join(lines)
                changed = True
        if changed:
            self._join(preamble, sections)

    def _given(self, key: str, version: str, at: dt.datetime | None) -> None:
        self._upgrade()
        given = {**self.front.given, key: given_text(version, at)}
        self.front = self.front.model_copy(update={"given": given})

    def _upgrade(self) -> None:
        """A format 1 entry becomes format 2 when reflect writes to it.

        Its `packs` stay as the version of the answers it already had, so a
        new answer under a newer version relabels nothing.
        """
        if self.front.format < ENTRY_FORMAT:
            self.front = self.front.model_copy(update={"format": ENTRY_FORMAT})

    def add_tags(self, tags: list[str]) -> None:
        merged = list(self.front.tags)
        for tag in tags:
            if tag not in merged:
                merged.append(tag)
        if merged != self.front.tags:
            self.front = self.front.model_copy(update={"tags": merged})
            self._upgrade()

    def is_empty(self) -> bool:
        return not self.front.answers and not self.body.strip()


# -- text <-> Entry -----------------------------------------------------------


def split_body(body: str) -> tuple[str, list[Section]]:
    """A body's text above the first heading, and its sections in order."""
    matches = _headings(body)
    if not matches:
        return body, []
    preamble = body[: matches[0].start]
    sections = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start if i + 1 < len(matches) else len(body)
        line = body[match.start : match.end]
        sections.append(Section(match.text, body[match.end : end], line))
    return preamble, sections


@dataclass(frozen=True)
class _Heading:
    """A level-2 heading of a body: where its line(s) start and end, and its text."""

    start: int
    end: int
    text: str


# Lines on which a plain `## ` scan and CommonMark could disagree: an ATX heading indented
# by 1-3 spaces, a tab after its hashes or closing hashes, a setext underline (or a rule),
# an HTML block (other than a one-line comment), a fence indented into a list item.
_UNUSUAL = re.compile(
    r"^(?: {1,3}(?:#|`{3}|~{3})|#{1,6}\t|#{1,6}(?:[ \t].*)?[ \t]#+[ \t]*$"
    r"| {0,3}(?:-+|=+)[ \t]*$| {0,3}<(?!!--.*-->[ \t]*$))",
    re.MULTILINE,
)
# A level-2 ATX heading at the start of a line: `##`, then a space or tab, or nothing.
_ATX2 = re.compile(r"^##(?:[ \t](.*))?$", re.MULTILINE)
_CLOSING = re.compile(r"(?:^|[ \t])#+$")
# Past this many lines, a stretch between two `## ` lines is not given to the CommonMark
# parser (about a second's work): it is read by the plain scan alone.
MAX_PARSED_LINES = 20_000
_BLOCKS: Any = None


def _atx_text(content: str | None) -> str:
    """An ATX heading's text, as CommonMark reads it: closing hashes are not part of it."""
    text = (content or "").strip(" \t")
    closing = _CLOSING.search(text)
    return text[: closing.start()].strip(" \t") if closing else text


def _headings(body: str) -> list[_Heading]:
    """The level-2 headings of a body as CommonMark reads them (markdown-it is the oracle).

    ATX (`## Title`, `  ##\tTitle ##`) and setext (`Title` over `---`), at
    the top level, outside fenced code. Two differences, on purpose: a fence
    never closed is not a fence, and a line starting `## ` is a heading even
    where an HTML block would swallow it (after `<div>`, or an `<!--` or
    `<pre>` never closed): either would hide every answer after it. The
    stretches between `## ` lines whose lines a plain scan could misread are
    given to the parser; nearly every body has none.
    """
    fenced = fenced_lines(body.split("\n")) if "```" in body or "~~~" in body else set()
    plain: list[tuple[int, _Heading]] = []
    line, at = 0, 0
    for match in _ATX2.finditer(body):
        line += body.count("\n", at, match.start())
        at = match.start()
        if line not in fenced:
            plain.append((line, _Heading(match.start(), match.end(), _atx_text(match.group(1)))))
    if _UNUSUAL.search(body) is None:
        return [heading for _, heading in plain]
    lines = body.split("\n")
    found: list[_Heading] = []
    first, offset = 0, 0
    for number, heading in [*plain, (len(lines), None)]:
        stretch = "\n".join(lines[first:number])
        if number > first and _UNUSUAL.search(stretch) and number - first <= MAX_PARSED_LINES:
            found += _parsed_headings(stretch, offset, [i - first for i in fenced])
        if heading is not None:
            found.append(heading)
            first, offset = number + 1, heading.end + 1
    return found


# The same two, each line's start found after a line end: searched in "\n" + body, they skip
# from line end to line end rather than trying every character (a few times faster).
_UNUSUAL_AFTER = re.compile("\n" + _UNUSUAL.pattern.removeprefix("^"), re.MULTILINE)
_ATX2_AFTER = re.compile("\n" + _ATX2.pattern.removeprefix("^"), re.MULTILINE)
# A line starting with a space, `-` or `=`: one search from line end to line end (a fifth of
# the cost of looking for each of the three).
_ODD_START = re.compile("\n[ =-]")


def plain_headings(body: str, *, comment_lines: bool = False) -> list[int] | None:
    """Where each level-2 heading line starts in a body with no fence and no line a plain
    `## ` scan could misread, as `split_body` finds them there (`heading_at` reads each);
    None for any other body.

    `comment_lines`: the caller found every `<` of the body starting a line that is one
    HTML comment, which no scan misreads.
    """
    # A character looked for alone is found a few times faster than two or three together.
    if ("`" in body and "```" in body) or ("~" in body and "~~~" in body):
        return None
    lines = "\n" + body
    starts = [match.start() for match in _ATX2_AFTER.finditer(lines)]
    # Without a tab or `<`, each unusual line starts with a space, `-` or `=`, or holds " #";
    # there is no " #" when the only `#`s are the two that start each heading.
    hashes = body.count("#") != 2 * len(starts) and " #" in body
    maybe = "\t" in body or hashes or (not comment_lines and "<" in body)
    if (maybe or _ODD_START.search(lines)) and _UNUSUAL_AFTER.search(lines):
        return None
    return starts


def heading_at(body: str, start: int) -> str:
    """The text of the heading whose line starts at `start` (of `plain_headings`)."""
    line = _ATX2.match(body, start)
    return _atx_text(line.group(1) if line else None)


def _parsed_headings(text: str, offset: int, fenced: list[int]) -> list[_Heading]:
    """The top-level h2 headings markdown-it finds in `text` (at `offset` in the body), with
    the fences reflect does not count as fences (never closed) made plain text first."""
    global _BLOCKS
    if _BLOCKS is None:
        from markdown_it import MarkdownIt

        _BLOCKS = MarkdownIt("commonmark")
    lines = text.split("\n")
    closed = set(fenced)
    lines = [
        "\\" + line if i not in closed and FENCE.match(line) else line
        for i, line in enumerate(lines)
    ]
    starts = [offset]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    tokens: list[Any] = []
    _BLOCKS.block.parse("\n".join(lines), _BLOCKS, {}, tokens)
    found = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag != "h2" or token.level != 0:
            continue
        first, last = token.map
        heading = " ".join(part.strip() for part in tokens[index + 1].content.split("\n"))
        found.append(_Heading(starts[first], min(starts[last] - 1, offset + len(text)), heading))
    return found


def parse_entry(text: str, path: str, day: dt.date | None = None) -> Entry:
    """Read an entry file's text; EntryError names the file and what is wrong.

    `day` is the date the file name gives; a file with no front matter at all
    (written by hand) takes it, and a front matter date must agree with it.
    """
    head, body = _split_front(text, path)
    # CRLF when most line ends are (a file saved on Windows); written back the same way.
    newline = "\r\n" if 2 * text.count("\r\n") > text.count("\n") else "\n"
    bom = text.startswith("\ufeff")
    if head is None:
        if day is None:
            raise EntryError(f"{path}: no front matter (a --- block with the date) at the top")
        from reflect.model.front import FrontMatter

        bare = FrontMatter(date=day, format=1)
        return Entry(bare, body, _read_data=bare.to_yaml_data(), _newline=newline, _bom=bom)
    data = load_front(head[1], path)
    front = front_from(data, path, head[1])
    if day is not None and front.date != day:
        raise EntryError(
            f"{path}: front matter says date {front.date} but the file is named for {day}; "
            "rename the file or fix the date"
        )
    return Entry(front, body, head, data, _read_front=front, _newline=newline, _bom=bom)


def load_front(front_text: str, path: str) -> dict[str, Any]:
    """The properties in a front matter's text; EntryError when it is not a YAML mapping."""
    data = frontsplit.load(front_text, path, frontyaml.load)
    if not isinstance(data, dict):
        raise EntryError(f"{path}: front matter must be a mapping of keys (date, answers, ...)")
    return data


def front_from(data: dict[str, Any], path: str, text: str = "") -> FrontMatter:
    """reflect's part of a parsed front matter, checked; EntryError names what is wrong.

    The error names the file, the line of the property (from `text`, the
    front matter as written) and the property as the person wrote it.
    """
    from pydantic import ValidationError

    from reflect.model.front import FrontMatter

    found = data.get("format", 1)
    if isinstance(found, int) and not isinstance(found, bool) and found > ENTRY_FORMAT:
        raise EntryError(f"{path}: {newer_format('entry', found, ENTRY_FORMAT)}")
    try:
        return FrontMatter.from_yaml_data({"format": 1, **data})
    except ValidationError as exc:
        ctrl_c_swallowed()
        first = exc.errors(include_url=False)[0]
        name, key = _property(first["loc"], data)
        message = "unknown key" if first["type"] == "extra_forbidden" else _plain(first["msg"])
        more = exc.error_count() - 1
        extra = f" (and {more} more)" if more else ""
        raise EntryError(f"{path}{_line_of(text, key)}: {name}: {message}{extra}") from None
    except ValueError as exc:
        problem = str(exc)
        key = problem.split(":", 1)[0].split(".", 1)[0]
        raise EntryError(f"{path}{_line_of(text, key)}: {problem}") from None


# The names pydantic gives the members of a union (an answer is bool | int | float | str).
_TYPE_NAMES = {"bool", "int", "float", "str"}


def _property(loc: tuple[int | str, ...], data: dict[str, Any]) -> tuple[str, str]:
    """The property an error is about, as written (`daily/mood`, `tags[0]`), and its top key."""
    if len(loc) >= 3 and loc[0] == "answers":
        flat = f"{loc[1]}/{loc[2]}"
        return flat, flat if flat in data else "answers"
    parts = list(loc)
    if len(parts) > 1 and parts[-1] in _TYPE_NAMES:
        parts.pop()
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "front matter", str(parts[0]) if parts else ""


def _plain(message: str) -> str:
    """pydantic's message in the words of the file: "Input should be" reads as "must be"."""
    return message.replace("Input should be", "must be").replace("input", "value")


def _line_of(text: str, key: str) -> str:
    """ ":LINE" of a top-level property in the file (the --- line is line 1), or ""."""
    if not text or not key:
        return ""
    match = re.search(rf"^['\"]?{re.escape(key)}['\"]?[ \t]*:", text, re.MULTILINE)
    return "" if match is None else f":{text.count(chr(10), 0, match.start()) + 2}"


def _split_front(text: str, path: str) -> tuple[tuple[str, str, str] | None, str]:
    """(opening line, front matter text, closing line) and the body; None when there is none.

    The cut is journal/frontsplit's: anything unsure is a broken file, and a
    BOM and CRLF line ends are read as before.
    """
    parts = frontsplit.split(text, path)
    if parts.head is None:
        return None, parts.body
    return ("---\n", parts.front, parts.head[4 + len(parts.front) :]), parts.body


def _dump(data: dict[str, Any]) -> str:
    import yaml

    text: str = yaml.dump(
        data,
        Dumper=_dumper(),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )
    return text


def dump_front(front: FrontMatter) -> str:
    return f"---\n{_dump(front.to_yaml_data())}---\n"


def serialize(entry: Entry) -> str:
    """The file text; EntryError when it would not read back as this entry.

    Front matter that did not change is written back exactly as it was; when
    it did, only reflect's changed properties are rewritten, and every other
    line (other programs' properties, comments) stays byte for byte. A file
    read with CRLF line ends or a byte-order mark is written with them.
    """
    text = _serialize(entry)
    if entry._newline != "\n":
        text = text.replace("\n", entry._newline)
    return "\ufeff" + text if entry._bom else text


def written_head(entry: Entry) -> str | None:
    """The front matter block (`---` to `---`) of the entry's file as `serialize` writes it.

    Only for a format 2 entry with LF line ends and no BOM, whose front
    matter reads back as written (any entry `serialize` accepted): the quick
    note writer (daily/quick.py) appends to a file starting with exactly this.
    """
    if entry.front.format != ENTRY_FORMAT or entry._newline != "\n" or entry._bom:
        return None
    text = _serialize(entry)
    head = text[: len(text) - len(entry.body)]
    if not text.endswith(entry.body) or not head.startswith("---\n") or not head.endswith("\n"):
        return None
    return head


def _serialize(entry: Entry) -> str:
    data = entry.front.to_yaml_data()
    if entry._head is None:
        read = entry._as_read()
        if read is not None and repr(read) == repr(data):
            return entry.body  # a file without front matter, unchanged
        text = _dump({**data, **entry.other_properties})
        _check(text, entry, data)
        return f"---\n{text}---\n" + entry.body
    opening, front_text, closing = entry._head
    read = entry._as_read()
    if read is not None and repr(read) == repr(data):
        return opening + front_text + closing + entry.body
    if not closing.endswith("\n"):
        closing += "\n"
    spliced = _splice(front_text, read or {}, data)
    if spliced is not None and _fits(spliced, entry, data):
        return opening + spliced + closing + entry.body
    # Text too unusual to edit line by line: every property is written anew.
    text = _dump({**data, **entry.other_properties})
    _check(text, entry, data)
    return f"---\n{text}---\n" + entry.body


def _fits(front_text: str, entry: Entry, data: dict[str, Any]) -> bool:
    """Whether a front matter reads back as the entry's: reflect's part and everyone else's."""
    try:
        raw = load_front(front_text, "written")
        front = front_from(raw, "written")
    except EntryError:
        return False
    others = {k: v for k, v in raw.items() if not is_owned(k)}
    return repr(front.to_yaml_data()) == repr(data) and repr(others) == repr(entry.other_properties)


def _check(front_text: str, entry: Entry, data: dict[str, Any]) -> None:
    """The one check that a front matter reads back as written (store adds size and the body)."""
    if not _fits(front_text, entry, data):
        raise Unwritable(
            f"entry for {entry.date}: this change would not read back as written (a tag, "
            "answer or value reflect cannot store); nothing was saved"
        )


def front_blocks(front_text: str) -> list[tuple[str | None, str]] | None:
    """The front matter cut into top-level properties (key, text) and the lines between them."""
    return _blocks(front_text)


def dump_property(key: str, value: Any) -> str:
    """One top-level property as the writer puts it in a front matter."""
    return _dump({key: value})


def _blocks(front_text: str) -> list[tuple[str | None, str]] | None:
    """The front matter cut into top-level properties (key, text) and lines between them.

    None when a piece does not parse as exactly one property: the caller
    then rewrites the whole front matter.
    """
    import yaml

    pieces: list[list[str]] = []
    kinds: list[bool] = []  # True: a property; False: blank lines and comments between them
    pending: list[str] = []
    # Lines end at "\n" only: str.splitlines would also cut at U+2028 inside a value.
    for line in re.findall(r"[^\n]*\n|[^\n]+$", front_text):
        first = line[:1]
        if first in (" ", "\t") or line.startswith("- ") or line.rstrip("\n") == "-":
            if not pieces or not kinds[-1]:
                return None
            pieces[-1].extend(pending)
            pending = []
            pieces[-1].append(line)
        elif not line.strip() or first == "#":
            pending.append(line)
        else:
            if pending:
                pieces.append(pending)
                kinds.append(False)
                pending = []
            pieces.append([line])
            kinds.append(True)
    if pending:
        pieces.append(pending)
        kinds.append(False)
    blocks: list[tuple[str | None, str]] = []
    for lines, is_property in zip(pieces, kinds, strict=True):
        text = "".join(lines)
        if not is_property:
            blocks.append((None, text))
            continue
        try:
            parsed = yaml.load(text, Loader=_loader())
        except (yaml.YAMLError, ValueError):
            return None
        if not isinstance(parsed, dict) or len(parsed) != 1:
            return None
        key = next(iter(parsed))
        blocks.append((key if isinstance(key, str) else repr(key), text))
    return blocks


def _comments(text: str) -> list[str]:
    """The YAML comments in a property's text, each from its `#` to the end of its line."""
    import yaml

    if "#" not in text:
        return []
    try:
        spans = [(t.start_mark.index, t.end_mark.index) for t in yaml.scan(text, yaml.SafeLoader)]
    except yaml.YAMLError:
        return []
    # Tokens come in order and never overlap: a `#` is inside one when the last token
    # starting at or before it ends after it.
    starts = [start for start, _ in spans]
    found = []
    at = text.find("#")
    while at != -1:
        before = bisect.bisect_right(starts, at) - 1
        inside = before >= 0 and spans[before][1] > at
        if not inside and (at == 0 or text[at - 1] in " \t\n"):
            end = text.find("\n", at)
            end = len(text) if end == -1 else end
            found.append(text[at:end].rstrip())
            at = end
        at = text.find("#", at + 1)
    return found


def _answer_comments(text: str) -> tuple[dict[str, str], list[str]] | None:
    """Format 1's `answers:` block's comments: the one at the end of an answer's line by its
    flat key (`PACK/PROMPT`), and every other one; None when there are none."""
    import yaml

    comments = _comments(text)
    if not comments:
        return None
    lines = text.split("\n")
    by_line: dict[int, str] = {}
    for number, line in enumerate(lines):
        for comment in comments:
            if line.rstrip().endswith(comment) and line.strip() != comment:
                by_line[number] = comment
    inline: dict[str, str] = {}
    try:
        root = yaml.compose(text, yaml.SafeLoader)
        packs = root.value[0][1] if isinstance(root, yaml.MappingNode) and root.value else None
        for pack, prompts in packs.value if isinstance(packs, yaml.MappingNode) else ():
            if not isinstance(prompts, yaml.MappingNode):
                continue
            for prompt, value in prompts.value:
                at = value.end_mark.line if value.end_mark.column else value.end_mark.line - 1
                said = by_line.get(prompt.start_mark.line)
                if said is not None and at == prompt.start_mark.line:
                    inline[f"{pack.value}/{prompt.value}"] = said
    except (yaml.YAMLError, AttributeError, IndexError, TypeError):
        inline = {}
    used = list(inline.values())
    rest = []
    for comment in comments:
        if comment in used:
            used.remove(comment)
        else:
            rest.append(comment)
    return inline, rest


def _with_comments(old: str, new: str) -> str:
    """A property's new text keeping the comments of its old one: a comment at the end of a
    one-line property stays at its end, others go on lines above it."""
    comments = _comments(old)
    if not comments:
        return new
    if len(comments) == 1 and old.count("\n") <= 1 and new.count("\n") == 1:
        return f"{new.rstrip(chr(10))}  {comments[0]}\n"
    return "".join(f"{comment}\n" for comment in comments) + new


def _splice(front_text: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """The front matter text with only reflect's changed properties rewritten."""
    blocks = _blocks(front_text)
    if blocks is None:
        return None
    out: list[tuple[str | None, str]] = []
    inline: dict[str, str] = {}
    for key, text in blocks:
        if key is None or not is_owned(key):
            out.append((key, text))
        elif any(k == key for k, _ in out):
            return None
        elif key in new and key in old and repr(old[key]) == repr(new[key]):
            out.append((key, text))
        elif key in new:
            out.append((key, _with_comments(text, _dump({key: new[key]}))))
        elif key == "answers" and (moved := _answer_comments(text)) is not None:
            # Format 1's nested answers become flat properties: each keeps its comment.
            by_key, rest = moved
            inline.update(by_key)
            if rest:
                out.append((None, "".join(f"{comment}\n" for comment in rest)))
        elif comments := _comments(text):  # a property reflect no longer writes
            out.append((None, "".join(f"{comment}\n" for comment in comments)))
    keys = list(new)
    for position, key in enumerate(keys):
        if any(k == key for k, _ in out):
            continue
        at = 0
        for before in reversed(keys[:position]):
            found = [i for i, (k, _) in enumerate(out) if k == before]
            if found:
                at = found[0] + 1
                break
        written = _dump({key: new[key]})
        if key in inline and written.count("\n") == 1:
            written = f"{written[:-1]}  {inline[key]}\n"
        out.insert(at, (key, written))
    text = "".join(text for _, text in out)
    return text if not text or text.endswith("\n") else text + "\n"


__all__ = ["FOLLOW_UP", "Entry", "Note", "Section", "marker", "parse_entry", "serialize"]
