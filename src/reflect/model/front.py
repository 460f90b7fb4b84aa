"""An entry's front matter as data: what reflect owns in it, and how YAML maps to it.

docs/format.md is the contract. Format 2 keeps each structured answer as a
flat `PACK/PROMPT: value` property (Obsidian shows and charts flat
properties only) and, per answer, the pack version that asked it and when
(`given`). Format 1 kept answers nested under `answers` and one pack
version per day (`packs`); it is still read. Properties reflect does not
own are not part of this model: the entry keeps them as they were written.
"""

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator
from pydantic_core import PydanticCustomError

from reflect.model.keys import ANSWER_KEY as ANSWER_KEY
from reflect.model.keys import ENTRY_FORMAT as ENTRY_FORMAT
from reflect.model.keys import FOLLOW_UP as FOLLOW_UP
from reflect.model.keys import GIVEN_KEY as GIVEN_KEY
from reflect.model.keys import GIVEN_PATTERN as GIVEN_PATTERN
from reflect.model.keys import GIVEN_VALUE
from reflect.model.keys import OWNED as OWNED
from reflect.model.keys import STAMP_PATTERN as STAMP_PATTERN
from reflect.model.keys import answer_key as answer_key
from reflect.model.keys import given_text as given_text
from reflect.model.keys import is_owned as is_owned
from reflect.model.keys import parse_given as parse_given
from reflect.model.pack import (
    AnswerValue,
    EntryVersion,
    ImportKey,
    Slug,
    Tag,
    Unfit,
)


class FrontMatter(BaseModel):
    """The structured part of an entry file: what trends and exports read."""

    # Built at its first use, not on import: the look-back commands that read the index
    # never validate a front matter.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    date: dt.date
    format: Literal[1, 2] = ENTRY_FORMAT
    tags: list[Tag] = Field(default_factory=list)
    # Format 1: the version of each pack that last asked on the day. In
    # format 2, the version of answers carried over from format 1 without a
    # `given` line of their own; writers never change it.
    packs: dict[Slug, EntryVersion] = Field(default_factory=dict)
    answers: dict[Slug, dict[Slug, AnswerValue]] = Field(default_factory=dict)
    given: dict[str, str] = Field(default_factory=dict)
    imported: list[ImportKey] = Field(
        default_factory=list,
        description="entries brought in from another journal, so importing again adds nothing",
    )
    # `given` lines that do not read (a bad key or text), kept to be written back as they were.
    _bad_given: dict[str, Any] = PrivateAttr(default_factory=dict)

    @field_validator("format", mode="before")
    @classmethod
    def _whole_format(cls, value: object) -> object:
        # Strict: `true` and `2.0` are not format 1 and 2 (pydantic reads them so in lax mode).
        if isinstance(value, bool) or not isinstance(value, int):
            raise PydanticCustomError("literal_error", "must be 1 or 2")
        return value

    @classmethod
    def from_yaml_data(cls, data: dict[str, Any]) -> "FrontMatter":
        """The model from a parsed front matter; properties reflect doesn't own are ignored.

        ValueError or pydantic's ValidationError say what is wrong.
        """
        owned: dict[str, Any] = {}
        flat: dict[str, dict[str, Any]] = {}
        for key, value in data.items():
            if not isinstance(key, str):
                continue
            match = ANSWER_KEY.match(key) if "/" in key else None
            if match:
                if value is None:
                    continue  # a property emptied in Obsidian: no answer, not a broken day
                flat.setdefault(match.group(1), {})[match.group(2)] = value
            elif key in OWNED:
                owned[key] = value
        owned["date"] = _date(owned.get("date"))
        if "tags" in owned:
            owned["tags"] = read_tags(owned["tags"])
        for key in ("packs", "answers", "given"):
            if owned.get(key, {}) is None:
                owned[key] = {}
        bad_given: dict[str, Any] = {}
        if isinstance(owned.get("given"), dict):
            good: dict[str, str] = {}
            for key, text in owned["given"].items():
                if isinstance(key, str) and _readable_given(key, text):
                    good[key] = text
                else:
                    bad_given[str(key)] = text
            owned["given"] = good
        elif "given" in owned:
            raise ValueError("given: must be a mapping of PACK/PROMPT to a version and time")
        if flat:
            nested = owned.get("answers", {})
            if not isinstance(nested, dict):
                raise ValueError("answers: must be a mapping of pack ids")
            merged = {pack: dict(v) if isinstance(v, dict) else v for pack, v in nested.items()}
            for pack, values in flat.items():
                into = merged.setdefault(pack, {})
                if not isinstance(into, dict):
                    raise ValueError(f"answers.{pack}: must be a mapping of prompt ids")
                for prompt in values:
                    if prompt in into:
                        raise ValueError(f"{pack}/{prompt}: answered twice in one front matter")
                into.update(values)
            owned["answers"] = merged
        nested = owned.get("answers")
        order = (
            [(p, q) for p, v in nested.items() if isinstance(v, dict) for q in v]
            if isinstance(nested, dict)
            else []
        )
        unfit = _set_aside_unfit(owned, bad_given)
        front = cls.model_validate(owned)
        if unfit:
            # Put back in the order written: the file reads back exactly as it was.
            answers: dict[str, dict[str, AnswerValue]] = {}
            for pack, prompt in order:
                value = unfit.get((pack, prompt), front.answers.get(pack, {}).get(prompt))
                if value is not None:
                    answers.setdefault(pack, {})[prompt] = value
            front = front.model_copy(update={"answers": answers})
        front._bad_given = bad_given
        return front

    def to_yaml_data(self) -> dict[str, Any]:
        """What the writer puts in the file, in its order (format 1 as it was written)."""
        data: dict[str, Any] = {"date": self.date, "format": self.format}
        if self.tags:
            data["tags"] = list(self.tags)
        if self.packs:
            data["packs"] = dict(self.packs)
        if self.format == 1:
            if self.answers:
                data["answers"] = {
                    pack: {prompt: _as_written(v) for prompt, v in values.items()}
                    for pack, values in self.answers.items()
                }
        else:
            for pack, values in self.answers.items():
                for prompt, value in values.items():
                    data[answer_key(pack, prompt)] = _as_written(value)
            given = {**self.given}
            given.update({k: v for k, v in self._bad_given.items() if k not in self.given})
            if given:
                data["given"] = given
        if self.imported:
            data["imported"] = list(self.imported)
        return data

    @property
    def unread_given_keys(self) -> list[str]:
        """The keys of `given` lines that do not read, as written (kept, never acted on)."""
        return list(self._bad_given)

    def version_of(self, key: str) -> str | None:
        """The pack version an answer was given under ("PACK/PROMPT[/follow-up]")."""
        text = self.given.get(key)
        if text is not None:
            return parse_given(text)[0]
        return self.packs.get(key.split("/", 1)[0])

    def pack_ids(self) -> list[str]:
        """Every pack with an answer or a version on this day, in order of appearance."""
        ids = dict.fromkeys(self.packs)
        ids.update(dict.fromkeys(self.answers))
        ids.update(dict.fromkeys(key.split("/", 1)[0] for key in self.given))
        return list(ids)

    def versions_of(self, pack_id: str) -> set[str]:
        """Every version of a pack that asked an answer on this day."""
        found = {
            parse_given(text)[0]
            for key, text in self.given.items()
            if key.split("/", 1)[0] == pack_id
        }
        if pack_id in self.packs:
            found.add(self.packs[pack_id])
        return found

    def versions(self) -> dict[str, str]:
        """Each pack's newest version that asked on this day."""
        found: dict[str, str] = {}
        for pack in self.pack_ids():
            seen = self.versions_of(pack)
            if seen:
                found[pack] = max(seen, key=_version_key)
        return found


def _as_written(value: AnswerValue) -> Any:
    return value.original if isinstance(value, Unfit) else value


def _readable_given(key: str, text: object) -> bool:
    if key not in _GIVEN_KEYS_SEEN and not _remember_given_key(key):
        return False
    if not isinstance(text, str) or GIVEN_VALUE.match(text) is None:
        return False
    try:
        parse_given(text)
    except ValueError:  # the shape of a time that no calendar has (February 30, 24:00, +25:00)
        return False
    return True


def _set_aside_unfit(
    owned: dict[str, Any], bad_given: dict[str, Any]
) -> dict[tuple[str, str], Unfit]:
    """Take out of `owned["answers"]` the values no question takes, as Unfit, to put back
    after validation: one odd answer never makes a whole day unreadable."""
    answers = owned.get("answers")
    found: dict[tuple[str, str], Unfit] = {}
    if not isinstance(answers, dict):
        return found
    answers = owned["answers"] = {
        p: dict(v) if isinstance(v, dict) else v for p, v in answers.items()
    }
    for pack, values in answers.items():
        if not isinstance(values, dict):
            continue
        for prompt in list(values):
            value = values[prompt]
            key = f"{pack}/{prompt}"
            reason = None
            if not isinstance(value, (bool, int, float, str)):
                reason = f"expected one value, found {_kind(value)} {Unfit(value, '')}"
            elif key in bad_given:
                reason = (
                    f"its given line {Unfit(bad_given[key], '')!r} is not a version and time, "
                    "so the version that asked it is unknown"
                )
            if reason is not None and isinstance(pack, str) and isinstance(prompt, str):
                found[(pack, prompt)] = Unfit(value, reason)
                del values[prompt]
    return found


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return f"a {type(value).__name__}"


_GIVEN_KEYS_SEEN: set[str] = set()


def _remember_given_key(key: str) -> bool:
    """Whether `key` names an answer; the same few keys fill every entry, so each is checked once."""
    if not GIVEN_KEY.match(key):
        return False
    if len(_GIVEN_KEYS_SEEN) < 50_000:
        _GIVEN_KEYS_SEEN.add(key)
    return True


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _date(value: object) -> object:
    """A date as Obsidian, Dataview and people write it; a date-time counts as its day.

    A link to a daily note, `"[[2026-11-26]]"` (or `[[2026-11-26|Thursday]]`,
    as templates write it), is its date; unquoted, YAML reads it as a list in
    a list, which counts too.
    """
    if isinstance(value, list) and len(value) == 1:
        inner = value[0]
        if isinstance(inner, list) and len(inner) == 1:
            found = _date(inner[0])
            return found if isinstance(found, dt.date) else value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        link = _WIKILINK.fullmatch(text)
        if link:
            text = link.group(1).strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(text.replace(" ", "T", 1)).date()
        except ValueError:
            return value
    return value


_WIKILINK = re.compile(r"\[\[([^\[\]|#]+)(?:[|#][^\[\]]*)?\]\]")
_TAG_SPLIT = re.compile(r"[,\s]+")


def read_tags(value: object) -> object:
    """Every form Obsidian accepts: a list, one word, "a, b", empty, with or without '#'."""
    if value is None:
        return []
    items: list[object]
    if isinstance(value, str):
        items = [part for part in _TAG_SPLIT.split(value) if part]
    elif isinstance(value, list):
        items = []
        for item in value:
            if item is None:
                continue
            items.extend(
                [part for part in _TAG_SPLIT.split(item) if part]
                if isinstance(item, str)
                else [item]
            )
    else:
        items = [value]
    tags: list[object] = []
    for item in items:
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)
        if isinstance(item, str):
            item = item.removeprefix("#")
        if item not in tags:
            tags.append(item)
    return tags
