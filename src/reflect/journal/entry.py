"""The entry file format: YAML front matter for structured answers, markdown prose below.

A file is read into an `Entry` that keeps the exact text it came from, so
reading and writing back changes nothing, and prose a person wrote anywhere
in the body (above the first heading included) is never dropped.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from reflect.errors import EntryError
from reflect.journal import frontyaml
from reflect.model.pack import AnswerValue, FrontMatter

_HEADING = re.compile(r"^## (.*?)[ \t]*$|^##[ \t]*$", re.MULTILINE)
_NOTE_HEADING = re.compile(r"^Notes \((\d{2}:\d{2})\)$")
# A prose line that markdown (or our own parser) would take for a level-2
# heading is stored with one more backslash in front, and read back without it.
_ESCAPE = re.compile(r"^( {0,3})(\\*)(##(?:[ \t]|$))", re.MULTILINE)
_UNESCAPE = re.compile(r"^( {0,3})\\(\\*##(?:[ \t]|$))", re.MULTILINE)

try:  # the C loader is several times faster on a long journal
    _Loader: Any = yaml.CSafeLoader
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


def escape_prose(text: str) -> str:
    return _ESCAPE.sub(lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", text)


def unescape_prose(text: str) -> str:
    return _UNESCAPE.sub(r"\1\2", text)


def normalize_prose(text: str) -> str:
    """What is kept of typed prose: unix line ends, no blank lines or spaces around it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        lines[-1] = lines[-1].rstrip()
    return "\n".join(lines)


@dataclass
class Section:
    """A `## heading` and the raw text under it, up to the next one."""

    heading: str
    content: str
    line: str = ""

    def __post_init__(self) -> None:
        if not self.line:
            self.line = f"## {self.heading}"

    @property
    def prose(self) -> str:
        return normalize_prose(unescape_prose(self.content))


@dataclass
class Note:
    time: str
    text: str


@dataclass
class Entry:
    """One day's file: front matter and body."""

    front: FrontMatter
    body: str = ""
    _head: str | None = field(default=None, repr=False)
    _head_data: dict[str, Any] | None = field(default=None, repr=False)

    @classmethod
    def new(cls, day: dt.date) -> "Entry":
        return cls(FrontMatter(date=day))

    @property
    def date(self) -> dt.date:
        return self.front.date

    # -- body ---------------------------------------------------------------

    def split(self) -> tuple[str, list[Section]]:
        """The text above the first heading, and the sections in order."""
        matches = list(_HEADING.finditer(self.body))
        if not matches:
            return self.body, []
        preamble = self.body[: matches[0].start()]
        sections = []
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(self.body)
            heading = (match.group(1) or "").strip()
            sections.append(Section(heading, self.body[match.end() : end], match.group(0)))
        return preamble, sections

    def _join(self, preamble: str, sections: list[Section]) -> None:
        self.body = preamble + "".join(s.line + s.content for s in sections)

    def prose(self, heading: str) -> str | None:
        """The prose under a heading, or None when there is no such section."""
        for section in self.split()[1]:
            if section.heading == heading:
                return section.prose
        return None

    def set_prose(self, heading: str, text: str) -> None:
        """Put prose under a heading, replacing that section's text or adding a section."""
        text = normalize_prose(text)
        preamble, sections = self.split()
        for index, section in enumerate(sections):
            if section.heading == heading:
                tail = "\n" if index + 1 < len(sections) else ""
                section.content = f"\n\n{escape_prose(text)}\n{tail}"
                self._join(preamble, sections)
                return
        self._append(heading, text)

    def add_prose(self, heading: str, text: str) -> None:
        """Add prose under a heading, after what is already there."""
        existing = self.prose(heading)
        self.set_prose(heading, f"{existing}\n\n{text}" if existing else text)

    def _append(self, heading: str, text: str) -> None:
        body = self.body
        if body and not body.endswith("\n"):
            body += "\n"
        if body.strip() and not body.endswith("\n\n"):
            body += "\n"
        if not body.strip():
            body = "\n"
        self.body = f"{body}## {heading}\n\n{escape_prose(normalize_prose(text))}\n"

    def add_note(self, time: dt.time, text: str) -> None:
        self._append(f"Notes ({time:%H:%M})", text)

    def notes(self) -> list[Note]:
        notes = []
        for section in self.split()[1]:
            match = _NOTE_HEADING.match(section.heading)
            if match:
                notes.append(Note(match.group(1), section.prose))
        return notes

    # -- answers ------------------------------------------------------------

    def answer(self, pack_id: str, prompt_id: str) -> AnswerValue | None:
        return self.front.answers.get(pack_id, {}).get(prompt_id)

    def set_answer(self, pack_id: str, version: str, prompt_id: str, value: AnswerValue) -> None:
        answers = {k: dict(v) for k, v in self.front.answers.items()}
        answers.setdefault(pack_id, {})[prompt_id] = value
        packs = dict(self.front.packs)
        packs[pack_id] = version
        self.front = self.front.model_copy(update={"answers": answers, "packs": packs})

    def mark_pack(self, pack_id: str, version: str) -> None:
        """Record the version of a pack whose question was answered in prose."""
        if self.front.packs.get(pack_id) != version:
            packs = {**self.front.packs, pack_id: version}
            self.front = self.front.model_copy(update={"packs": packs})

    def add_tags(self, tags: list[str]) -> None:
        merged = list(self.front.tags)
        for tag in tags:
            if tag not in merged:
                merged.append(tag)
        if merged != self.front.tags:
            self.front = self.front.model_copy(update={"tags": merged})

    def is_empty(self) -> bool:
        return not self.front.answers and not self.body.strip()


# -- text <-> Entry -----------------------------------------------------------


def parse_entry(text: str, path: str, day: dt.date | None = None) -> Entry:
    """Read an entry file's text; EntryError names the file and what is wrong.

    `day` is the date the file name gives; a file with no front matter at all
    (written by hand) takes it, and a front matter date must agree with it.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    head, front_text, body = _split_front(text, path)
    if head is None:
        if day is None:
            raise EntryError(f"{path}: no front matter (a --- block with the date) at the top")
        return Entry(FrontMatter(date=day), text)
    data = frontyaml.load(front_text)
    try:
        if data is None:
            data = yaml.load(front_text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        # YAML notices an unclosed [ or { lines later; say where it was opened too.
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start is not None and mark is not None and start.line != mark.line:
            problem += f", {context} on line {start.line + 2}"
        raise EntryError(
            f"{path}{where}: front matter is not valid YAML ({problem}); "
            "fix it in an editor (`reflect edit`)"
        ) from None
    except ValueError as exc:
        # PyYAML reads 2026-13-45 as a date and fails building it.
        raise EntryError(
            f"{path}: front matter has a date that is not a real day ({exc}); "
            "fix it in an editor (`reflect edit`)"
        ) from None
    if not isinstance(data, dict):
        raise EntryError(f"{path}: front matter must be a mapping of keys (date, answers, ...)")
    data = upgrade_front(data, path)
    try:
        front = FrontMatter.model_validate(data)
    except ValidationError as exc:
        from reflect.model.problems import format_loc

        first = exc.errors(include_url=False)[0]
        where = format_loc(first["loc"]) or "front matter"
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        more = exc.error_count() - 1
        extra = f" (and {more} more)" if more else ""
        raise EntryError(f"{path}: {where}: {message}{extra}") from None
    if day is not None and front.date != day:
        raise EntryError(
            f"{path}: front matter says date {front.date} but the file is named for {day}; "
            "rename the file or fix the date"
        )
    return Entry(front, body, head, front.to_yaml_data())


ENTRY_FORMAT = 1


def upgrade_front(data: dict[str, Any], path: str) -> dict[str, Any]:
    """Front matter of an older format, brought up to this one (format 1 is the first).

    A later format adds its converter here, so old files keep reading; a file
    from a newer reflect is refused rather than misread.
    """
    found = data.get("format", ENTRY_FORMAT)
    if isinstance(found, int) and not isinstance(found, bool) and found > ENTRY_FORMAT:
        raise EntryError(
            f"{path}: written by a newer reflect (entry format {found}, this one reads "
            f"{ENTRY_FORMAT}); upgrade reflect to read it"
        )
    return data


def _split_front(text: str, path: str) -> tuple[str | None, str, str]:
    if not text.startswith("---\n"):
        return None, "", text
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$\n?", text[4:], re.MULTILINE)
    if end is None:
        raise EntryError(f"{path}: front matter starts with --- but never ends; add a --- line")
    close = 4 + end.end()
    return text[:close], text[4 : 4 + end.start()], text[close:]


def dump_front(front: FrontMatter) -> str:
    data = front.to_yaml_data()
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )
    return f"---\n{text}---\n"


def serialize(entry: Entry) -> str:
    """The file text; front matter that did not change is written back exactly as it was."""
    if entry._head is not None and repr(entry._head_data) == repr(entry.front.to_yaml_data()):
        head = entry._head
    else:
        head = dump_front(entry.front)
    return head + entry.body
