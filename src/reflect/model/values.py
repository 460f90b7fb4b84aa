"""What a typed answer means: numbers, yes or no, a choice; the rules each prompt type parses by.

Standard library only, so the quick `today --answer` (daily/quick_today.py)
checks a value by the very rules, and with the very messages, that the
prompt models in model/pack.py use.
"""

import math
import re

# No number a reflection journal needs comes near this; beyond it, sums and
# averages lose every digit that matters, and 1e308 overflows to infinity.
MAX_NUMBER = 1e12

_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}


def parse_yes_no(raw: str) -> bool:
    word = raw.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(f"{raw.strip()!r} is not yes or no: answer y or n")


# A number as people write it: ASCII digits, a sign, a point, an exponent. Python's
# int() and float() also take "1_0" (10) and other scripts' digits.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def as_number(raw: str) -> int | float:
    """A number typed as an answer or a filter (`70`, `7.5`, `70%`); ValueError naming it."""
    text = raw.strip().rstrip("%").strip()
    if not _PLAIN_NUMBER.fullmatch(text):
        raise ValueError(f"{raw.strip()!r} is not a number")
    try:
        whole = int(text)
    except ValueError:
        pass
    else:
        if abs(whole) > MAX_NUMBER:
            raise ValueError(f"{raw.strip()!r} is too large (at most {MAX_NUMBER:g})")
        return whole
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{raw.strip()!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{raw.strip()!r} is not a finite number")
    if abs(number) > MAX_NUMBER:
        raise ValueError(f"{raw.strip()!r} is too large (at most {MAX_NUMBER:g})")
    return whole_if_integral(number)


def whole_if_integral(number: float) -> int | float:
    """70.0 as 70, so a number reads and compares as it was typed; 7.5 as itself."""
    return int(number) if number.is_integer() else number


def plain_number(number: float) -> str:
    """A number as a person writes it: 70, not 70.0; 2.5; a huge or odd one cut short."""
    try:
        return str(int(number)) if float(number).is_integer() else f"{number:g}"
    except (OverflowError, ValueError):  # a hand-written 400-digit number, inf or nan
        return short_repr(number)


def short_repr(number: float) -> str:
    """A hand-written number too big to show, cut to 20 characters."""
    text = repr(number)
    return text if len(text) <= 24 else text[:20] + "..."


def with_unit(value: object, unit: str) -> str:
    """4 -> "4", 70 with "%" -> "70%", 3 with "people" -> "3 people"."""
    if not unit:
        return str(value)
    joined = len(unit) == 1 or not unit[0].isalpha()
    return f"{value}{unit}" if joined else f"{value} {unit}"


def in_range(number: int | float, low: float, high: float, unit: str) -> int | float:
    """A scale's answer within `low`-`high`; ValueError says it is not."""
    if not low <= number <= high:
        raise ValueError(
            f"{plain_number(number)} is outside {plain_number(low)}-{with_unit(plain_number(high), unit)}"
        )
    return number


def on_scale(number: int | float, low: float, high: float, step: float, unit: str) -> int | float:
    """A scale's answer: within `low`-`high`, on a step from `low`; ValueError says which not."""
    in_range(number, low, high, unit)
    offset = (number - low) / step
    if abs(offset - round(offset)) > 1e-9:
        raise ValueError(
            f"{plain_number(number)} is not on the scale: use steps of {plain_number(step)} "
            f"from {plain_number(low)}"
        )
    return number


def within(number: int | float, low: float | None, high: float | None, unit: str) -> int | float:
    """A number prompt's answer: not below `low` nor above `high` (None: no bound)."""
    if low is not None and number < low:
        raise ValueError(
            f"{plain_number(number)} is below the minimum {with_unit(plain_number(low), unit)}"
        )
    if high is not None and number > high:
        raise ValueError(
            f"{plain_number(number)} is above the maximum {with_unit(plain_number(high), unit)}"
        )
    return number


def describe_choices(choices: list[str]) -> str:
    return ", ".join(f"{i} {c}" for i, c in enumerate(choices, 1))


def pick_choice(raw: str, choices: list[str]) -> str:
    """The choice typed: by its name, in any case, by its number, or by a beginning only it has."""
    text = raw.strip()
    # A choice named "1" is chosen by that name, not as the first choice.
    for choice in choices:
        if choice == text:
            return choice
    for choice in choices:
        if choice.lower() == text.lower():
            return choice
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1]
    starts = [c for c in choices if c.lower().startswith(text.lower())]
    if text and len(starts) == 1:
        return starts[0]
    raise ValueError(
        f"{text!r} is not one of the choices ({describe_choices(choices)}): "
        "type its number or its name"
    )
