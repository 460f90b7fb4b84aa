"""Pack definitions by version: what a question was, in words and in meaning, when it was answered.

The definition of a version is the installed or built-in pack when it is
that version, else the copy `packs add --upgrade` and `packs remove` keep in
`<home>/packs/.versions/`. A version kept nowhere falls back to the current
definition, and a prompt the current pack no longer has to the newest kept
version that had it; a `Definition` says which of these it is. Old copies
that no longer load are skipped, never fatal.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from reflect.errors import PackError, PackNotFound
from reflect.journal.files import TooLarge, read_bounded
from reflect.journal.home import Home
from reflect.model.keys import FOLLOW_UP, SLUG_PATTERN, Unfit, answer_key, heading_for
from reflect.packs.library import (
    MAX_PACK_BYTES,
    archive_dir,
    builtin_dir,
    find_pack,
    load_pack,
    version_key,
)

if TYPE_CHECKING:
    from reflect.journal.entry import Entry, Section
    from reflect.journal.index import Given
    from reflect.model.pack import AnswerValue, AnyPrompt, FollowUp, Pack

Source = Literal["exact", "current", "newest-kept", "unknown"]


@dataclass(frozen=True)
class Definition:
    """The definition an answer is read by.

    `source` is "exact" when it is the one the answer was given under,
    "current" when that version is kept nowhere and today's pack stands in,
    "newest-kept" for a prompt today's pack no longer has (its last known
    wording), and "unknown" when no definition of the prompt is known at all.
    """

    pack: str
    prompt_id: str
    prompt: AnyPrompt | None
    version: str | None
    defined_in: str | None
    source: Source
    in_pack: bool

    @property
    def text(self) -> str:
        """The question as it was asked, else its id."""
        return self.prompt.text if self.prompt is not None else f"{self.pack}/{self.prompt_id}"

    @property
    def follow_up(self) -> FollowUp | None:
        return self.prompt.follow_up if self.prompt is not None else None

    @cached_property
    def heading(self) -> str | None:
        """The heading prose answers to this definition sit under, for a text question."""
        prompt = self.prompt
        return heading_for(prompt.text) if prompt is not None and prompt.type == "text" else None

    @cached_property
    def follow_up_heading(self) -> str | None:
        follow = self.follow_up
        return heading_for(follow.text) if follow is not None else None

    @property
    def note(self) -> str | None:
        """What a reader should know about this definition, or None when it is the exact one."""
        if self.source == "exact":
            return None
        if self.source == "unknown":
            return "no version of the pack that asked it is kept"
        given = f"version {self.version}" if self.version else "the version it was given under"
        return f"wording of {self.defined_in}: {given} is not kept"


@dataclass(frozen=True)
class DayOwners:
    """What `given_in` needs of the headings a day's packs gave their questions.

    `shared`: the headings two keys had; `headings`: each key's headings, in
    the order the packs' versions gave them.
    """

    shared: set[str]
    headings: dict[str, list[str]]


NO_OWNERS = DayOwners(set(), {})


@dataclass
class PackVersions:
    """Every known version of the packs asked about, read once per command run."""

    home: Home
    _current: dict[str, Pack | None] = field(default_factory=dict)
    _kept: dict[str, dict[str, Pack]] = field(default_factory=dict)
    _asked: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    _defined: dict[tuple[str, str, str | None], Definition] = field(default_factory=dict)
    _text_ids: dict[tuple[str, str | None], list[str]] = field(default_factory=dict)
    _owners: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    _day_owners: dict[tuple[str, ...], DayOwners] = field(default_factory=dict)

    def current(self, pack_id: str) -> Pack | None:
        """The pack as installed (or built in) now."""
        if pack_id not in self._current:
            if not re.match(SLUG_PATTERN, pack_id):  # never a path or a pattern
                self._current[pack_id] = None
                return None
            try:
                self._current[pack_id] = find_pack(self.home, pack_id).pack
            except (PackNotFound, PackError):  # a missing or broken pack is read as no pack
                self._current[pack_id] = None
        return self._current[pack_id]

    def kept(self, pack_id: str) -> dict[str, Pack]:
        """Every version of a pack that can be read, by version: current, built-in and archived."""
        if pack_id not in self._kept:
            found: dict[str, Pack] = {}
            if not re.match(SLUG_PATTERN, pack_id):
                self._kept[pack_id] = found
                return found
            candidates = sorted(archive_dir(self.home).glob(f"{pack_id}-*.toml"))
            candidates.append(builtin_dir() / f"{pack_id}.toml")
            for path in candidates:
                pack = _load_quietly(path)
                if pack is not None and pack.id == pack_id:
                    found[pack.version] = pack
            current = self.current(pack_id)
            if current is not None:
                found[current.version] = current
            self._kept[pack_id] = found
        return self._kept[pack_id]

    def asked(self, pack_id: str) -> tuple[frozenset[str], frozenset[str]]:
        """The prompt ids and the question headings (`heading_for`) of every kept version of a pack.

        A pack with no installed file and no archived version, whose built-in
        file is as shipped, is read from `packs.shipped` without loading it.
        """
        if pack_id not in self._asked:
            found = _shipped(self.home, pack_id)
            if found is None:
                prompts: set[str] = set()
                headings: set[str] = set()
                for pack in self.kept(pack_id).values():
                    for prompt in pack.prompts:
                        prompts.add(prompt.id)
                        headings.add(heading_for(prompt.text))
                        if prompt.follow_up is not None:
                            headings.add(heading_for(prompt.follow_up.text))
                found = frozenset(prompts), frozenset(headings)
            self._asked[pack_id] = found
        return self._asked[pack_id]

    def at(self, pack_id: str, version: str) -> Pack | None:
        """The pack as it was in one version, or None when that version is kept nowhere."""
        current = self.current(pack_id)
        if current is not None and current.version == version:
            return current
        kept = self.kept(pack_id)
        found = kept.get(version)
        if found is None:
            # "1.0" and "1.0.0" are one version.
            wanted = version_key(version)
            same = [p for v, p in kept.items() if version_key(v) == wanted]
            found = same[0] if same else None
        return found

    def definition(self, pack_id: str, prompt_id: str, version: str | None) -> Definition:
        """The definition an answer given under `version` is read by."""
        key = (pack_id, prompt_id, version)
        found = self._defined.get(key)
        if found is None:
            found = self._defined[key] = self._define(pack_id, prompt_id, version)
        return found

    def _define(self, pack_id: str, prompt_id: str, version: str | None) -> Definition:
        current = self.current(pack_id)
        now = current.prompt(prompt_id) if current is not None else None
        if version is not None:
            then = self.at(pack_id, version)
            asked = then.prompt(prompt_id) if then is not None else None
            if asked is not None:
                return Definition(
                    pack_id, prompt_id, asked, version, version, "exact", now is not None
                )
        if now is not None and current is not None:
            source: Source = "exact" if version == current.version else "current"
            return Definition(pack_id, prompt_id, now, version, current.version, source, True)
        newest = self.newest_with(pack_id, prompt_id)
        if newest is not None:
            prompt = newest.prompt(prompt_id)
            return Definition(
                pack_id, prompt_id, prompt, version, newest.version, "newest-kept", False
            )
        return Definition(pack_id, prompt_id, None, version, None, "unknown", False)

    def text_prompt_ids(self, pack_id: str, recorded: str | None) -> list[str]:
        """Text prompts a day may have answered: those of the version it records, then today's."""
        key = (pack_id, recorded)
        found = self._text_ids.get(key)
        if found is None:
            packs: list[Pack] = []
            if recorded is not None and (then := self.at(pack_id, recorded)) is not None:
                packs.append(then)
            if (now := self.current(pack_id)) is not None:
                packs.append(now)
            ids = [p.id for pack in packs for p in pack.prompts if p.type == "text"]
            found = self._text_ids[key] = list(dict.fromkeys(ids))
        return found

    def owners(self, pack_id: str) -> dict[str, set[str]]:
        """Each heading a kept version of the pack gave a question or follow-up, and the keys
        (`PACK/PROMPT`, `PACK/PROMPT/follow-up`) that had it: as `reflect migrate` reads them."""
        found = self._owners.get(pack_id)
        if found is None:
            found = self._owners[pack_id] = {}
            for pack in self.kept(pack_id).values():
                for prompt in pack.prompts:
                    key = answer_key(pack_id, prompt.id)
                    found.setdefault(heading_for(prompt.text), set()).add(key)
                    if prompt.follow_up is not None:
                        heading = heading_for(prompt.follow_up.text)
                        found.setdefault(heading, set()).add(f"{key}/{FOLLOW_UP}")
        return found

    def day_owners(self, pack_ids: tuple[str, ...]) -> DayOwners:
        """`owners` of a day's packs merged, the headings two keys had, and each key's headings.

        The same for every day with these packs: worked out once per run.
        """
        found = self._day_owners.get(pack_ids)
        if found is None:
            owners: dict[str, set[str]] = {}
            for pack_id in pack_ids:
                for heading, keys in self.owners(pack_id).items():
                    owners.setdefault(heading, set()).update(keys)
            headings: dict[str, list[str]] = {}
            for heading, keys in owners.items():
                for key in keys:
                    headings.setdefault(key, []).append(heading)
            shared = {heading for heading, keys in owners.items() if len(keys) > 1}
            found = self._day_owners[pack_ids] = DayOwners(shared, headings)
        return found

    def shared_wordings(self, pack_ids: Iterable[str]) -> AbstractSet[str]:
        """The headings two questions (or follow-ups) of these packs have had, in any kept
        version: such a heading with no comment under it is nobody's answer, only prose.

        The one rule every reader and the writer apply to untied prose (format 1, and
        format 1 answers carried over): `given_in`, `Entry.prose_for`, `log --where`,
        trends, the session.
        """
        return self.day_owners(tuple(dict.fromkeys(pack_ids))).shared

    def latest(self, pack_id: str, prompt_id: str) -> Definition:
        """The question as it is asked now, or as it was last asked when the pack dropped it."""
        return self.definition(pack_id, prompt_id, None)

    def newest_with(self, pack_id: str, prompt_id: str) -> Pack | None:
        having = [p for p in self.kept(pack_id).values() if p.prompt(prompt_id) is not None]
        return max(having, key=lambda p: version_key(p.version), default=None)


def _shipped(home: Home, pack_id: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """`PackVersions.asked` of a pack whose only kept version is its built-in file as shipped
    (`kept` would load that file alone); None for any other pack."""
    import hashlib

    from reflect.packs.shipped import ASKED

    if not re.match(SLUG_PATTERN, pack_id):
        return None
    # An installed file of its name, whatever it holds, or an archived version: loaded.
    if os.path.lexists(home.packs_dir / f"{pack_id}.toml"):
        return None
    if next(archive_dir(home).glob(f"{pack_id}-*.toml"), None) is not None:
        return None
    path = builtin_dir() / f"{pack_id}.toml"
    try:
        data = read_bounded(path, MAX_PACK_BYTES, special=True)
    except (TooLarge, OSError):
        return None
    found = ASKED.get(hashlib.sha256(data).hexdigest())
    if found is None or found[0] != pack_id:
        return None
    return frozenset(found[1]), frozenset(found[2])


def _load_quietly(path: Path) -> Pack | None:
    if not path.is_file():
        return None
    try:
        return load_pack(path)
    except (PackError, OSError, RecursionError):
        return None


def pack_versions(home: Home) -> PackVersions:
    """A fresh lookup of pack definitions by version, for one command run."""
    return PackVersions(home)


# How `given_in` reads a day; a change makes every kept judgement be made again.
JUDGING = 2


def definitions_stamp(home: Home) -> str:
    """What names the pack definitions as they are now: every pack file's name, size, times, inode.

    Answers judged by their definitions (kept in the journal's index) are
    judged again when it changes: a pack installed, upgraded, edited or removed.
    """
    import hashlib

    seen: list[tuple[str, int, int, int, int]] = []
    for folder in (builtin_dir(), home.packs_dir, archive_dir(home)):
        try:
            with os.scandir(folder) as found:
                for item in found:
                    if item.name.endswith(".toml"):
                        try:
                            st = item.stat()
                        except OSError:
                            seen.append((item.path, -1, -1, -1, -1))
                            continue
                        seen.append(
                            (item.path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
                        )
        except OSError:
            continue
    return hashlib.sha256(repr((JUDGING, sorted(seen))).encode()).hexdigest()[:32]


def plain_value(value: AnswerValue) -> str:
    """An answer as text when no definition of its prompt is known."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True)
class Answered:
    """One answer in an entry, with the definition of the question it was given under.

    `value` is the stored value, or the prose for a text prompt; `follow_up`
    is the prose answering the prompt's follow-up, if any.
    """

    pack: str
    prompt: str
    value: AnswerValue
    definition: Definition
    follow_up: str | None = None
    prose: bool = False
    # When the answer and its follow-up were given, where the file records it (format 2).
    at: dt.datetime | None = None
    follow_up_at: dt.datetime | None = None
    # The question as the version that asked the follow-up had it (its own `given` line's);
    # None: the answer's own definition.
    follow_up_by: Definition | None = None

    @property
    def follow_up_definition(self) -> Definition:
        """The definition the follow-up was given under: its own version's, else the answer's."""
        return self.follow_up_by if self.follow_up_by is not None else self.definition

    @property
    def misfit(self) -> str | None:
        """Why the value does not fit the definition it was given under, or None."""
        prompt = self.definition.prompt
        if isinstance(self.value, Unfit) and not self.prose:
            return self.value.reason  # fits no question, known or not
        if prompt is None or self.prose:
            return None
        from reflect.model.pack import misfit

        return misfit(prompt, self.value)

    @cached_property
    def shown(self) -> str:
        """The answer as a person reads it: yes/no, with the unit of its own definition."""
        prompt = self.definition.prompt
        if prompt is None or self.prose or self.misfit is not None:
            return plain_value(self.value)
        from reflect.model.pack import format_value

        return format_value(prompt, self.value)


class SectionLike(Protocol):
    """A section as `given_answers` reads it: an entry's own, or one kept in the index."""

    @property
    def heading(self) -> str: ...

    @property
    def prose(self) -> str: ...

    @property
    def key(self) -> str | None: ...

    @property
    def is_note(self) -> bool: ...


class DayLike(Protocol):
    """What `given_answers` reads of a day: an `Entry`, or the index's copy of one."""

    @property
    def answers(self) -> Mapping[str, Mapping[str, AnswerValue]]: ...

    def sections(self) -> Sequence[SectionLike]: ...

    def pack_ids(self) -> Sequence[str]: ...

    def versions_of(self, pack_id: str) -> Iterable[str]: ...

    def answer_version(self, pack_id: str, prompt_id: str) -> str | None: ...

    def wording_packs(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class _EntryDay:
    entry: Entry

    @property
    def answers(self) -> Mapping[str, Mapping[str, AnswerValue]]:
        return self.entry.front.answers

    def sections(self) -> Sequence[Section]:
        return self.entry.split()[1]

    def pack_ids(self) -> Sequence[str]:
        return self.entry.front.pack_ids()

    def versions_of(self, pack_id: str) -> Iterable[str]:
        return self.entry.front.versions_of(pack_id)

    def answer_version(self, pack_id: str, prompt_id: str) -> str | None:
        return self.entry.answer_version(pack_id, prompt_id)

    def wording_packs(self) -> Sequence[str]:
        return self.entry.wording_packs()

    def answered_at(
        self, pack_id: str, prompt_id: str, *, follow_up: bool = False
    ) -> dt.datetime | None:
        return self.entry.answered_at(pack_id, prompt_id, follow_up=follow_up)


def given_answers(entry: Entry, versions: PackVersions) -> list[Answered]:
    """Every answer in an entry, structured ones first, each read by its own definition."""
    return given_in(_EntryDay(entry), versions)


ORPHAN_FOLLOW_UP = "no answer (the day's answer to it was cleared); its follow-up is kept"


def given_in(day: DayLike, versions: PackVersions) -> list[Answered]:
    """Every answer in an entry, structured ones first, each read by its own definition.

    Prose is the section tied to the question's id (format 2), else the one
    under the heading of the wording the question had in the version that
    asked it (format 1), so a reworded, retyped or removed question keeps its
    answers; a section answers one question only.
    """
    found: list[Answered] = []
    tied: dict[str, list[SectionLike]] = {}
    unmarked: dict[str, SectionLike] = {}
    for section in day.sections():
        key = section.key
        if key is not None:
            tied.setdefault(key, []).append(section)  # a key marked twice: both, joined
        elif not section.is_note:
            unmarked.setdefault(section.heading, section)
    claimed: set[str] = set()
    # A heading two of the day's questions had is nobody's
    # for sure: it stays the person's prose, as `reflect migrate` leaves it.
    owned = versions.day_owners(tuple(day.pack_ids())) if unmarked else NO_OWNERS
    shared = owned.shared

    by_wording = set(day.wording_packs()) if unmarked else set()

    def prose(key: str, heading: str | None) -> str | None:
        if key in tied:
            return "\n\n".join(text for text in (s.prose for s in tied[key]) if text)
        if key.split("/", 1)[0] not in by_wording:
            return None
        # The wording of the version that asked it first, then any other a kept version
        # gave the question (format 1 kept an old day's heading when it was opened again).
        others = [h for h in owned.headings.get(key, ()) if h != heading]
        for wording in [heading, *others]:
            if wording is None or wording in claimed or wording in shared:
                continue
            section = unmarked.get(wording)
            if section is not None:
                claimed.add(wording)
                return section.prose
        return None

    def times(pack_id: str, prompt_id: str) -> tuple[dt.datetime | None, dt.datetime | None]:
        # An entry records when each answer was given; the index's copy of a day does not.
        at = getattr(day, "answered_at", None)
        if at is None:
            return None, None
        return at(pack_id, prompt_id), at(pack_id, prompt_id, follow_up=True)

    def follow_up(
        pack_id: str, prompt_id: str, definition: Definition
    ) -> tuple[str | None, Definition | None]:
        """The follow-up's prose, and the definition its own version gave the question."""
        key = answer_key(pack_id, prompt_id, follow_up=True)
        version = day.answer_version(pack_id, f"{prompt_id}/{FOLLOW_UP}")
        own = None
        if version is not None and version != definition.version:
            own = versions.definition(pack_id, prompt_id, version)
        heading = (own or definition).follow_up_heading or definition.follow_up_heading
        text = prose(key, heading) or None
        return text, own if text is not None else None

    for pack_id, values in day.answers.items():
        for prompt_id, value in values.items():
            version = day.answer_version(pack_id, prompt_id)
            definition = versions.definition(pack_id, prompt_id, version)
            extra, by = follow_up(pack_id, prompt_id, definition)
            found.append(
                Answered(
                    pack_id,
                    prompt_id,
                    value,
                    definition,
                    extra,
                    False,
                    *times(pack_id, prompt_id),
                    follow_up_by=by,
                )
            )
    tied_ids: dict[str, list[str]] = {}
    for key in tied:
        pack_id, _, rest = key.partition("/")
        if "/" not in rest:
            tied_ids.setdefault(pack_id, []).append(rest)
    for pack_id in dict.fromkeys([*day.pack_ids(), *tied_ids]):
        structured = day.answers.get(pack_id, {})
        candidates = [
            prompt_id
            for version in [*sorted(day.versions_of(pack_id), key=version_key), None]
            for prompt_id in versions.text_prompt_ids(pack_id, version)
        ]
        for prompt_id in dict.fromkeys([*tied_ids.get(pack_id, []), *candidates]):
            if prompt_id in structured:
                continue
            version = day.answer_version(pack_id, prompt_id)
            definition = versions.definition(pack_id, prompt_id, version)
            key = answer_key(pack_id, prompt_id)
            if key not in tied and definition.heading is None:
                continue
            text = prose(key, definition.heading)
            if text:
                extra, by = follow_up(pack_id, prompt_id, definition)
                found.append(
                    Answered(
                        pack_id,
                        prompt_id,
                        text,
                        definition,
                        extra,
                        True,
                        *times(pack_id, prompt_id),
                        follow_up_by=by,
                    )
                )
    # A follow-up whose question's answer was cleared (an emptied property) was still given:
    # it is kept, beside an answer that fits nothing, never dropped.
    answered = {(a.pack, a.prompt) for a in found}
    for key in tied:
        pack_id, _, rest = key.partition("/")
        prompt_id, _, tail = rest.partition("/")
        if tail != FOLLOW_UP or (pack_id, prompt_id) in answered:
            continue
        version = day.answer_version(pack_id, prompt_id)
        definition = versions.definition(pack_id, prompt_id, version)
        extra, by = follow_up(pack_id, prompt_id, definition)
        if extra:
            cleared = Unfit("", ORPHAN_FOLLOW_UP)
            found.append(
                Answered(
                    pack_id,
                    prompt_id,
                    cleared,
                    definition,
                    extra,
                    False,
                    *times(pack_id, prompt_id),
                    follow_up_by=by,
                )
            )
            answered.add((pack_id, prompt_id))
    return found


# The index keeps each day's answers as `given_in` read them (its `given` rows): written by
# `judge_with`, read back by `answered_from`, for every command that reads them.


def stored_text(value: AnswerValue) -> str:
    """An answer as the index keeps it: JSON, and for a value that fits no question, its text
    and why (`{"unfit": ..., "text": ...}`), so every command gives the reason `show` gives."""
    if isinstance(value, Unfit):
        return json.dumps({"text": str.__str__(value), "unfit": value.reason}, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def stored_value(text: str) -> AnswerValue:
    """An answer as `stored_text` kept it."""
    value = json.loads(text)
    if isinstance(value, dict):
        return Unfit(value["text"], value["unfit"])
    return value  # type: ignore[no-any-return]


def judge_with(versions: PackVersions) -> Callable[[DayLike], list[Given]]:
    """How a stored day's answers are read: by `given_in`, with the definitions of `versions`."""

    def judge(day: DayLike) -> list[Given]:
        return [
            (
                a.pack,
                a.prompt,
                stored_text(a.value),
                a.definition.version,
                a.follow_up,
                int(a.prose),
                a.follow_up_by.version if a.follow_up_by is not None else None,
            )
            for a in given_in(day, versions)
        ]

    return judge


def follow_up_by(
    versions: PackVersions, definition: Definition, version: str | None
) -> Definition | None:
    """The definition a follow-up's own version gave its question, when it is not the answer's."""
    if version is None or version == definition.version:
        return None
    return versions.definition(definition.pack, definition.prompt_id, version)


def answered_from(row: Given, versions: PackVersions) -> Answered:
    """A stored answer as `given_in` read it; the index keeps no times (`at` is None)."""
    pack, prompt, value, version, follow_up, is_prose, follow_version = row
    definition = versions.definition(pack, prompt, version)
    return Answered(
        pack,
        prompt,
        stored_value(value),
        definition,
        follow_up,
        bool(is_prose),
        follow_up_by=follow_up_by(versions, definition, follow_version),
    )
