"""Checks on a pack that a schema cannot express: ranges, duplicates, follow-ups that can't happen.

They run on the raw TOML data, next to the schema's own validation, so a
coach sees every problem at once, each at the field it concerns. Where a
value has the wrong type the schema already says so and these checks skip it.
"""

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from reflect.model.pack import COMPARISON
from reflect.model.values import plain_number

if TYPE_CHECKING:
    from reflect.model.pack import Pack

Loc = tuple[int | str, ...]
Finding = tuple[Loc, str]


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _target_value(target: Any) -> float | None:
    """The number a target names: `70`, or the value in `{ at_least = 70 }` and the like."""
    if isinstance(target, dict):
        values = [_num(target.get(k)) for k in ("at_least", "at_most", "about")]
        known = [v for v in values if v is not None]
        return known[0] if len(known) == 1 else None
    return _num(target)


def pack_findings(data: dict[str, Any]) -> list[Finding]:
    """Every semantic problem in a pack's raw data, with the field path it concerns."""
    prompts = data.get("prompts")
    if not isinstance(prompts, list):
        return []
    findings: list[Finding] = []
    first_use: dict[str, int] = {}
    for index, prompt in enumerate(prompts):
        if not isinstance(prompt, dict):
            continue
        prompt_id = prompt.get("id")
        if isinstance(prompt_id, str):
            if prompt_id in first_use:
                findings.append(
                    (
                        ("prompts", index, "id"),
                        f"id {prompt_id!r} is already used by prompts[{first_use[prompt_id]}]; "
                        "ids must be unique in a pack",
                    )
                )
            else:
                first_use[prompt_id] = index
        findings.extend((("prompts", index, *loc), message) for loc, message in _prompt(prompt))
    return findings


def _prompt(prompt: dict[str, Any]) -> Iterator[Finding]:
    kind = prompt.get("type")
    low, high = _num(prompt.get("min")), _num(prompt.get("max"))
    if kind in ("scale", "number"):
        if low is not None and high is not None and low >= high:
            yield (
                ("max",),
                f"is {plain_number(high)}, but it must be greater than min ({plain_number(low)})",
            )
            low = high = None
        target = _target_value(prompt.get("target"))
        if target is not None and (
            (low is not None and target < low) or (high is not None and target > high)
        ):
            span = f"{plain_number(low) if low is not None else '…'}-{plain_number(high) if high is not None else '…'}"
            yield ("target",), f"is {plain_number(target)}, outside the range {span}"
    if kind == "scale":
        yield from _scale(prompt, low, high)
    if kind == "choice":
        yield from _choices(prompt.get("choices"))
    yield from _follow_up(prompt, kind, low, high)


def _scale(prompt: dict[str, Any], low: float | None, high: float | None) -> Iterator[Finding]:
    step = _num(prompt.get("step", 1))
    if step is None:
        return
    if step <= 0:
        yield ("step",), f"is {plain_number(step)}, but it must be greater than 0"
    elif low is not None and high is not None:
        steps = (high - low) / step
        if abs(steps - round(steps)) > 1e-9:
            yield (
                ("step",),
                f"{plain_number(step)} does not divide the range {plain_number(low)}-{plain_number(high)} into equal steps",
            )
        elif steps > 1000:
            yield ("step",), f"gives {int(steps) + 1} points on the scale; use at most 1001"


def _choices(choices: Any) -> Iterator[Finding]:
    if not isinstance(choices, list):
        return
    if len(choices) < 2:
        yield ("choices",), "needs at least two choices"
    seen: set[str] = set()
    for index, choice in enumerate(choices):
        if isinstance(choice, str):
            if choice.strip().lower() in seen:
                yield ("choices", index), f"{choice!r} is listed twice"
            seen.add(choice.strip().lower())


def _follow_up(
    prompt: dict[str, Any], kind: Any, low: float | None, high: float | None
) -> Iterator[Finding]:
    follow_up = prompt.get("follow_up")
    if not isinstance(follow_up, dict) or not isinstance(follow_up.get("when"), str):
        return
    when = follow_up["when"].strip().lower()
    loc: Loc = ("follow_up", "when")
    if when == "any":
        return
    if kind == "text":
        yield loc, f'is {follow_up["when"]!r}; a text prompt\'s follow-up can only be "any"'
    elif kind == "yes-no":
        if when not in ("yes", "no"):
            yield loc, f'is {follow_up["when"]!r}; a yes-no prompt takes "yes", "no" or "any"'
    elif kind == "choice":
        choices = prompt.get("choices")
        names = (
            [c.strip().lower() for c in choices if isinstance(c, str)]
            if isinstance(choices, list)
            else []
        )
        if when not in names:
            yield loc, f"is {follow_up['when']!r}, which is not one of the choices"
    elif kind in ("scale", "number"):
        match = COMPARISON.match(when)
        if not match:
            yield (
                loc,
                f'is {follow_up["when"]!r}; a {kind} prompt takes "any" or a comparison '
                'such as "<= 2" or "> 7"',
            )
        elif not _can_happen(match.group(1), float(match.group(2)), low, high):
            yield loc, f"is {follow_up['when']!r}, which no answer in the range can meet"


def _can_happen(op: str, number: float, low: float | None, high: float | None) -> bool:
    low = -math.inf if low is None else low
    high = math.inf if high is None else high
    return {
        "<": low < number,
        "<=": low <= number,
        ">": high > number,
        ">=": high >= number,
        "=": low <= number <= high,
        "==": low <= number <= high,
    }[op]


def pack_warnings(pack: "Pack") -> list[str]:
    """Things that work but may surprise: choice names that are also choice numbers."""
    from reflect.model.pack import ChoicePrompt

    warnings = []
    for prompt in pack.prompts:
        if not isinstance(prompt, ChoicePrompt):
            continue
        count = len(prompt.choices)
        clashes = [c for c in prompt.choices if c.isdigit() and 1 <= int(c) <= count]
        if clashes:
            warnings.append(
                f"{prompt.id}: choice name(s) {', '.join(repr(c) for c in clashes)} are also "
                f"choice numbers; typing one picks the choice with that name, never by position"
            )
    return warnings
