"""A prompt pack as pydantic models: its prompts, schedule and targets, and how an answer is shown.

Also the rules a pack's answers follow (`misfit`, `format_value`, `heading_for`)
and `PACK/PROMPT` keys (`split_key`). Unknown keys are errors everywhere, so a
typo in a pack never passes silently. An entry's front matter is model/front.py.
"""

import math
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    model_validator,
)

from reflect.model.dates import WEEKDAYS
from reflect.model.keys import ENTRY_VERSION_PATTERN as ENTRY_VERSION_PATTERN
from reflect.model.keys import LINE_PATTERN as LINE_PATTERN
from reflect.model.keys import SLUG_PATTERN as SLUG_PATTERN
from reflect.model.keys import TAG_PATTERN as TAG_PATTERN
from reflect.model.keys import VERSION_PATTERN as VERSION_PATTERN
from reflect.model.keys import Unfit as Unfit
from reflect.model.keys import check_known as check_known
from reflect.model.keys import heading_for as heading_for
from reflect.model.keys import split_key as split_key
from reflect.model.keys import unknown_pack as unknown_pack
from reflect.model.keys import unknown_prompt as unknown_prompt
from reflect.model.values import (
    MAX_NUMBER,
    as_number,
    describe_choices,
    in_range,
    on_scale,
    parse_yes_no,
    pick_choice,
    plain_number,
    short_repr,
    with_unit,
    within,
)

# What each pattern means, in words, for error messages.
PATTERN_HELP = {
    SLUG_PATTERN: 'must be a lower-case id: letters, digits and "-", like "my-pack"',
    VERSION_PATTERN: 'must be a version MAJOR.MINOR.PATCH, like "1.0.0"',
    ENTRY_VERSION_PATTERN: 'must be a version like "1.0.0"',
    LINE_PATTERN: "must be one line of text",
    TAG_PATTERN: 'must be one word without spaces, "#" or commas',
}
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="lower-case letters, digits and -")]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Version = Annotated[str, Field(pattern=VERSION_PATTERN, description="MAJOR.MINOR.PATCH")]
EntryVersion = Annotated[str, Field(pattern=ENTRY_VERSION_PATTERN)]
PromptText = Annotated[str, Field(min_length=1, max_length=500, pattern=LINE_PATTERN)]
Tag = Annotated[str, Field(pattern=TAG_PATTERN)]
_TAG = re.compile(TAG_PATTERN)


def tag_problem(tag: str) -> str | None:
    """Why `tag` cannot be a tag, in the words a pack's error uses too; None when it can."""
    return None if _TAG.match(tag) else f"{tag!r} is not a tag: it {PATTERN_HELP[TAG_PATTERN]}"


# Where an imported entry came from: "jrnl:2025-11-26T09:05:3f9a1c2b7d4e" or "dayone:<uuid>".
ImportKey = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[a-z]+:\S+$")]
Number = Annotated[
    StrictInt | StrictFloat, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)
]

# A structured answer as stored in front matter: real YAML types, never prose.
AnswerValue = StrictBool | StrictInt | StrictFloat | StrictStr

MAX_PROMPTS = 5000


class _Strict(BaseModel):
    # strict: a pack says `pin = true`, never "yes" or 1; the JSON Schema says the same.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class FollowUp(_Strict):
    """A question asked only after certain answers.

    `when` is "yes" or "no" for yes-no prompts, one of the choices for choice
    prompts, a comparison such as "<= 3" or "> 7" for scale and number
    prompts, or "any" for any answer at all.
    """

    when: str = Field(min_length=1, max_length=200)
    text: PromptText


COMPARISON = re.compile(r"^\s*(<=|>=|<|>|=|==)\s*(-?\d+(?:\.\d+)?)\s*$")


class _PromptBase(_Strict):
    id: Slug
    text: PromptText
    pin: StrictBool = Field(default=False, description="asked every day")
    on: Weekday | None = Field(default=None, description="asked on this weekday only")
    follow_up: FollowUp | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=20)

    @property
    def rotates(self) -> bool:
        return not self.pin and self.on is None

    def parse(self, raw: str) -> AnswerValue:
        """Turn what a person typed into the value stored; ValueError says what is expected."""
        raise NotImplementedError

    def describe(self) -> str:
        """A short description of what answer is expected, for prompts and errors."""
        raise NotImplementedError

    def follow_up_applies(self, value: AnswerValue) -> bool:
        if self.follow_up is None:
            return False
        return follow_up_matches(self.follow_up.when, value)

    def check_value(self, value: object) -> AnswerValue:
        """Check a value read back from an entry file; ValueError when it doesn't fit."""
        raise NotImplementedError


def follow_up_matches(when: str, value: AnswerValue) -> bool:
    word = when.strip().lower()
    if word == "any":
        return True
    if isinstance(value, bool):
        return word == ("yes" if value else "no")
    if isinstance(value, (int, float)):
        match = COMPARISON.match(word)
        if not match:
            return False
        op, number = match.group(1), float(match.group(2))
        return {
            "<": value < number,
            "<=": value <= number,
            ">": value > number,
            ">=": value >= number,
            "=": value == number,
            "==": value == number,
        }[op]
    return isinstance(value, str) and value.lower() == word


class TextPrompt(_PromptBase):
    type: Literal["text"]

    def describe(self) -> str:
        return "free text"

    def parse(self, raw: str) -> AnswerValue:
        if not raw.strip():
            raise ValueError("write something, or press Enter to skip")
        return raw

    def check_value(self, value: object) -> AnswerValue:
        raise ValueError("text answers live in the body of the entry, not the front matter")


class YesNoPrompt(_PromptBase):
    type: Literal["yes-no"]

    def describe(self) -> str:
        return "y/n"

    def parse(self, raw: str) -> AnswerValue:
        return parse_yes_no(raw)

    def check_value(self, value: object) -> AnswerValue:
        if isinstance(value, bool):
            return value
        raise ValueError(f"expected true or false, found {value!r}")


Direction = Literal["at-least", "at-most", "about"]
DIRECTION_WORDS = {"at-least": "at least", "at-most": "at most", "about": "about"}


class TargetSpec(_Strict):
    """A target with a direction: `{ at_least = 70 }`, `{ at_most = 2 }`, `{ about = 70, within = 5 }`."""

    at_least: Number | None = Field(default=None, description="met when the mean is this or more")
    at_most: Number | None = Field(default=None, description="met when the mean is this or less")
    about: Number | None = Field(
        default=None, description="met when the mean is within `within` of this"
    )
    within: Number | None = Field(
        default=None, ge=0, description="with `about`: how far from it still counts as met"
    )

    @model_validator(mode="after")
    def _one_direction(self) -> "TargetSpec":
        given = [k for k in ("at_least", "at_most", "about") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "a target takes exactly one of at_least, at_most or about"
                + (f", found {' and '.join(given)}" if given else "")
            )
        if self.within is not None and self.about is None:
            raise ValueError("`within` goes with `about`, e.g. { about = 70, within = 5 }")
        return self

    def goal(self) -> "Goal":
        if self.at_least is not None:
            return Goal(float(self.at_least), "at-least")
        if self.at_most is not None:
            return Goal(float(self.at_most), "at-most")
        assert self.about is not None
        return Goal(float(self.about), "about", float(self.within or 0))


@dataclass(frozen=True)
class Goal:
    """What a target asks of a mean: at least, at most, or about a value (within a tolerance).

    A plain `target = 70` in a pack means "at least 70", as it always has.
    """

    value: float
    direction: Direction = "at-least"
    within: float = 0.0

    def shortfall(self, mean: float) -> float:
        """How far the mean is from meeting the target: 0 or less when met."""
        if self.direction == "at-least":
            return self.value - mean
        if self.direction == "at-most":
            return mean - self.value
        return abs(mean - self.value) - self.within

    def met(self, mean: float) -> bool:
        return self.shortfall(mean) <= 1e-9

    def words(self, unit: str = "") -> str:
        """ "at least 70%", "at most 2 h", "about 70% ± 5%"."""
        text = f"{DIRECTION_WORDS[self.direction]} {with_unit(plain_number(self.value), unit)}"
        if self.direction == "about" and self.within:
            text += f" ± {with_unit(plain_number(self.within), unit)}"
        return text

    def sign(self) -> str:
        """ "≥", "≤" or "≈", for a chart's target line."""
        return {"at-least": "≥", "at-most": "≤", "about": "≈"}[self.direction]

    def data(self) -> dict[str, object]:
        return {"value": self.value, "direction": self.direction, "within": self.within}


def goal_of(target: "Number | TargetSpec | None") -> Goal | None:
    if target is None:
        return None
    if isinstance(target, TargetSpec):
        return target.goal()
    return Goal(float(target))


Target = Annotated[
    Number | TargetSpec,
    Field(
        description="a number (met at that value or above), or { at_least = N }, "
        "{ at_most = N }, { about = N, within = M }"
    ),
]


class ScalePrompt(_PromptBase):
    type: Literal["scale"]
    min: Number
    max: Number
    step: Number = 1
    unit: str = Field(default="", max_length=20)
    target: Target | None = None

    @property
    def goal(self) -> Goal | None:
        return goal_of(self.target)

    def describe(self) -> str:
        step = "" if self.step == 1 else f", step {plain_number(self.step)}"
        return f"{plain_number(self.min)}-{with_unit(plain_number(self.max), self.unit)}{step}"

    def parse(self, raw: str) -> AnswerValue:
        return self.check_number(as_number(raw))

    def check_range(self, number: int | float) -> int | float:
        return in_range(number, self.min, self.max, self.unit)

    def check_number(self, number: int | float) -> int | float:
        return on_scale(number, self.min, self.max, self.step, self.unit)

    def check_value(self, value: object) -> AnswerValue:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number from {self.describe()}, found {value!r}")
        return self.check_number(value)


class NumberPrompt(_PromptBase):
    type: Literal["number"]
    min: Number | None = None
    max: Number | None = None
    unit: str = Field(default="", max_length=20)
    target: Target | None = None

    @property
    def goal(self) -> Goal | None:
        return goal_of(self.target)

    def describe(self) -> str:
        if self.min is not None and self.max is not None:
            return (
                f"a number, {plain_number(self.min)}-{with_unit(plain_number(self.max), self.unit)}"
            )
        if self.min is not None:
            return f"a number, at least {with_unit(plain_number(self.min), self.unit)}"
        if self.max is not None:
            return f"a number, at most {with_unit(plain_number(self.max), self.unit)}"
        return f"a number{' (' + self.unit + ')' if self.unit else ''}"

    def parse(self, raw: str) -> AnswerValue:
        return self.check_number(as_number(raw))

    def check_number(self, number: int | float) -> int | float:
        return within(number, self.min, self.max, self.unit)

    def check_value(self, value: object) -> AnswerValue:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected {self.describe()}, found {value!r}")
        return self.check_number(value)


class ChoicePrompt(_PromptBase):
    type: Literal["choice"]
    choices: list[Annotated[str, Field(min_length=1, max_length=200, pattern=LINE_PATTERN)]] = (
        Field(max_length=50)
    )

    def describe(self) -> str:
        return describe_choices(self.choices)

    def parse(self, raw: str) -> AnswerValue:
        return pick_choice(raw, self.choices)

    def check_value(self, value: object) -> AnswerValue:
        if isinstance(value, str) and value in self.choices:
            return value
        raise ValueError(f"expected one of {self.choices}, found {value!r}")


Prompt = Annotated[
    TextPrompt | YesNoPrompt | ScalePrompt | NumberPrompt | ChoicePrompt,
    Field(discriminator="type"),
]
PROMPT_TYPES = ("text", "yes-no", "scale", "choice", "number")


class Schedule(_Strict):
    per_day: StrictInt | None = Field(
        default=None,
        ge=0,
        le=100,
        description="rotating prompts asked each day, besides pinned ones "
        "(default 2; all of them when there are fewer)",
    )


class Pack(_Strict):
    """A prompt pack, as written in TOML."""

    format: Literal[1] = 1
    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=120)]
    version: Version
    description: str = Field(default="", max_length=4000)
    author: str = Field(default="", max_length=200)
    schedule: Schedule = Field(default_factory=Schedule)
    prompts: list[Prompt] = Field(min_length=1, max_length=MAX_PROMPTS)

    @property
    def per_day(self) -> int:
        """Rotating prompts a day: as set, else two; all of them when there are fewer."""
        rotating = sum(1 for p in self.prompts if p.rotates)
        wanted = self.schedule.per_day if self.schedule.per_day is not None else 2
        return min(wanted, rotating)

    def prompt(self, prompt_id: str) -> "AnyPrompt | None":
        for prompt in self.prompts:
            if prompt.id == prompt_id:
                return prompt
        return None


AnyPrompt = TextPrompt | YesNoPrompt | ScalePrompt | NumberPrompt | ChoicePrompt


def format_value(prompt: AnyPrompt, value: AnswerValue) -> str:
    """A stored answer as a person reads it: yes/no for booleans, a unit where the prompt has one."""
    if isinstance(prompt, YesNoPrompt) and isinstance(value, bool):
        return "yes" if value else "no"
    return with_unit(value, getattr(prompt, "unit", ""))


def misfit(prompt: AnyPrompt, value: object) -> str | None:
    """Why a stored value does not fit the prompt as it is now, or None when it does."""
    if isinstance(value, Unfit):
        return value.reason
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Checked first: a hand-written 1e400 or a 400-digit number breaks arithmetic.
        if isinstance(value, float) and not math.isfinite(value):
            return f"expected a finite number, found {value!r}"
        if abs(value) > MAX_NUMBER:
            return f"expected a number of at most {MAX_NUMBER:g}, found {short_repr(value)}"
    try:
        prompt.check_value(value)
    except ValueError as exc:
        return str(exc)
    return None


__all__ = [
    "PROMPT_TYPES",
    "WEEKDAYS",
    "AnswerValue",
    "AnyPrompt",
    "ChoicePrompt",
    "FollowUp",
    "Goal",
    "NumberPrompt",
    "Pack",
    "Prompt",
    "ScalePrompt",
    "Schedule",
    "TargetSpec",
    "TextPrompt",
    "Unfit",
    "YesNoPrompt",
]
