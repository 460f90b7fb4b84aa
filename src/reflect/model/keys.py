"""The names in a journal's files, as plain Python: pack, prompt and answer keys, the
patterns ids and versions follow, a question's heading, and an answer no question takes.

Pure and light: the commands that only read files and the index (a cold search above
all) use these without loading pydantic or the models (model/pack.py, model/front.py,
which use them too).
"""

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from reflect.errors import Hint, PackNotFound, UsageError
from reflect.model.text import clean_line

if TYPE_CHECKING:
    from reflect.model.pack import Pack

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
VERSION_PATTERN = r"^\d+\.\d+\.\d+$"
# Entries written before packs had to use MAJOR.MINOR.PATCH may hold "1.0": still read.
ENTRY_VERSION_PATTERN = r"^\d+\.\d+(?:\.\d+)?$"
# YAML and markdown both break lines at NEL, LS and PS as well as LF and CR.
LINE_PATTERN = r"^[^\n\r\x85\u2028\u2029]*\S[^\n\r\x85\u2028\u2029]*$"
TAG_PATTERN = r"^[^\s#,\[\]{}]{1,64}$"
ENTRY_FORMAT: Literal[2] = 2
FOLLOW_UP = "follow-up"
_SLUG = SLUG_PATTERN.strip("^$")
_VERSION = ENTRY_VERSION_PATTERN.strip("^$")
# "PACK/PROMPT" names a question; "PACK/PROMPT/follow-up" the follow-up it asks.
ANSWER_KEY = re.compile(rf"^({_SLUG})/({_SLUG})$")
GIVEN_KEY = re.compile(rf"^({_SLUG})/({_SLUG})(?:/({FOLLOW_UP}))?$")
STAMP_PATTERN = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?"
GIVEN_PATTERN = rf"^({_VERSION})(?: ({STAMP_PATTERN}))?$"
GIVEN_VALUE = re.compile(GIVEN_PATTERN)
OWNED = ("date", "format", "tags", "packs", "answers", "given", "imported")


def is_owned(key: object) -> bool:
    """Whether a front matter property is reflect's: the known keys and `PACK/PROMPT` answers."""
    return isinstance(key, str) and (key in OWNED or ANSWER_KEY.match(key) is not None)


def answer_key(pack_id: str, prompt_id: str, *, follow_up: bool = False) -> str:
    return f"{pack_id}/{prompt_id}/{FOLLOW_UP}" if follow_up else f"{pack_id}/{prompt_id}"


def given_text(version: str, at: dt.datetime | None) -> str:
    """The `given` value: the version, then the time when known ("1.0.0 2026-11-26T09:14:03+01:00")."""
    return version if at is None else f"{version} {at.isoformat(timespec='seconds')}"


def parse_given(text: str) -> tuple[str, dt.datetime | None]:
    match = GIVEN_VALUE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a version and time like '1.0.0 2026-11-26T09:14:03'")
    version, stamp = match.group(1), match.group(2)
    return version, (dt.datetime.fromisoformat(stamp) if stamp else None)


def split_key(
    raw: str, option: str, wanted: str = "e.g. growth-mindset/threatened-by-success"
) -> tuple[str, str]:
    """ "growth-mindset/threatened-by-success" -> ("growth-mindset", "threatened-by-success").

    The one reader of a `PACK/PROMPT` key; `option` says where it was given,
    `wanted` what kind of question it should name.
    """
    pack_id, slash, prompt_id = raw.strip().partition("/")
    if not slash or not pack_id or not prompt_id or "/" in prompt_id:
        raise UsageError(f"{option} {raw!r}: expected PACK/PROMPT, {wanted}")
    return pack_id, prompt_id


def unknown_pack(pack_id: str, *, which: str = "", also: str = "") -> PackNotFound:
    """The one error for a pack id that names no pack: `which` narrows the packs ("enabled")."""
    which = f"{which} " if which else ""
    return PackNotFound(f"no {which}pack with id {pack_id!r}{also}", hint=Hint("packs-list"))


def unknown_prompt(
    pack_id: str, prompt_id: str, also: str = "", *, listed: str = ""
) -> PackNotFound:
    """The one error for a prompt id its pack lacks; `listed` is the pack's prompts, said instead of the hint."""
    if listed:
        return PackNotFound(
            f"pack {pack_id!r} has no prompt {prompt_id!r}{also}; its prompts are {listed}"
        )
    return PackNotFound(
        f"pack {pack_id!r} has no prompt {prompt_id!r}{also}",
        hint=Hint("packs-show-prompts", pack=pack_id),
    )


def check_known(
    packs: Mapping[str, "Pack"], pack_id: str, prompt_id: str | None = None, *, which: str = ""
) -> None:
    """The one check that a pack (and a prompt in it) a person named exists among `packs`.

    Every command refuses an unknown pack or prompt with this error (exit 1).
    """
    if pack_id not in packs:
        raise unknown_pack(pack_id, which=which)
    if prompt_id is not None and packs[pack_id].prompt(prompt_id) is None:
        raise unknown_prompt(pack_id, prompt_id)


@functools.lru_cache(maxsize=1024)
def heading_for(prompt_text: str) -> str:
    """The markdown heading prose answers are kept under: the question as the pack asks it.

    Remembered: a search or a history asks it of the same few questions on every day.
    """
    return clean_line(prompt_text)


class Unfit(str):
    """A hand-written answer no question takes: a list, a mapping, a date, or one whose `given`
    line does not read. It reads as its text, fits no question (`reason` says why), and is
    written back as it was (`original`)."""

    original: object
    reason: str

    def __new__(cls, original: object, reason: str) -> "Unfit":
        made = super().__new__(cls, _unfit_text(original))
        made.original, made.reason = original, reason
        return made


def _unfit_text(value: object) -> str:
    import json

    if isinstance(value, Unfit):
        return str.__str__(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)
