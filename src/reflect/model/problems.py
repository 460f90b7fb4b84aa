"""Turning validation errors into problems a person can find: file, line, field path, hint."""

import difflib
import re
from collections.abc import Sequence

from pydantic import BaseModel, ValidationError

from reflect.errors import Problem


def _field_names(*models: type[BaseModel]) -> list[str]:
    names: set[str] = set()
    for model in models:
        names.update(model.model_fields)
    return sorted(names)


def pack_keys() -> list[str]:
    """Every key a pack file may use: what a typo in a pack is compared with."""
    from reflect.model import pack as models

    return _field_names(
        models.Pack,
        models.Schedule,
        models.FollowUp,
        models.TextPrompt,
        models.ScalePrompt,
        models.NumberPrompt,
        models.ChoicePrompt,
    )


def suggest(key: str, known: Sequence[str]) -> str | None:
    """The known key a typo most likely meant, if any is close."""
    matches = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return matches[0] if matches else None


_UNION_MEMBERS = {"int": "a number", "float": "a number", "bool": "true or false", "str": "text"}


def format_loc(loc: Sequence[int | str]) -> str:
    """('prompts', 3, 'scale', 'max') -> 'prompts[3].max' (the union's tag is dropped)."""
    from reflect.model.pack import PROMPT_TYPES

    out = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not (isinstance(previous, int) and part in PROMPT_TYPES):
            out += f".{part}" if out else str(part)
        previous = part
    return out


def validation_problems(
    path: str,
    exc: ValidationError,
    source: str | None = None,
    *,
    keys: Sequence[str] | None = None,
) -> list[Problem]:
    """One Problem per pydantic error, naming the field as a person would write it.

    An unknown key is compared with `keys` (a pack's keys unless given) for a suggestion.
    """
    problems = []
    merged: set[tuple[int | str, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        if loc and loc[-1] in _UNION_MEMBERS:
            # A union of plain types (int | float) fails once per member: say it once.
            loc = loc[:-1]
            if loc in merged:
                continue
            merged.add(loc)
            expected = _UNION_MEMBERS[str(error["loc"][-1])]
            problems.append(
                Problem(
                    path,
                    f"expected {expected}, found {error.get('input')!r}",
                    field=format_loc(loc) or None,
                    line=locate(source, loc) if source is not None else None,
                )
            )
            continue
        message = error["msg"].removeprefix("Value error, ")
        if kind == "extra_forbidden":
            message = "unknown key"
            hint = suggest(str(loc[-1]), pack_keys() if keys is None else keys)
            if hint:
                message += f"; did you mean `{hint}`?"
        elif kind == "missing":
            message = "required key is missing"
        elif kind == "string_pattern_mismatch":
            from reflect.model.pack import PATTERN_HELP

            pattern = str(error.get("ctx", {}).get("pattern", ""))
            message = f"{PATTERN_HELP.get(pattern, message)}, found {error['input']!r}"
        elif kind == "literal_error":
            expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
            message = f"is {error['input']!r}; expected {expected}"
            hint = suggest(str(error["input"]), expected.replace(" or ", ", ").split(", "))
            if hint:
                message += f" (did you mean `{hint}`?)"
        elif kind == "union_tag_invalid":
            found = error.get("input", {})
            kind_found = found.get("type") if isinstance(found, dict) else None
            message = f"type is {kind_found!r}; expected one of text, yes-no, scale, choice, number"
            loc = (*loc, "type")
        elif kind == "union_tag_not_found":
            message = "type is missing; expected one of text, yes-no, scale, choice, number"
            loc = (*loc, "type")
        elif (
            kind != "value_error"
            and "input" in error
            and not isinstance(error["input"], (dict, list))
        ):
            message = f"{message}, found {error['input']!r}"
        line = locate(source, loc) if source is not None else None
        problems.append(Problem(path, message, field=format_loc(loc) or None, line=line))
    return sorted(problems, key=lambda p: p.line or 0)


_TAGS = {"text", "yes-no", "scale", "choice", "number"}
_HEADER = re.compile(r"^\s*(\[\[?)\s*\"?([A-Za-z0-9_.\-]+)\"?\s*\]\]?\s*(?:#.*)?$")


def locate(source: str, loc: Sequence[int | str]) -> int | None:
    """Best-effort line number in TOML source for a field path (tomllib gives none).

    Covers the shapes packs use: top-level keys, [schedule] keys, and the n-th
    [[prompts]] table with the keys inside it.
    """
    lines = source.splitlines()
    parts = list(loc)
    header: int | None
    if parts[:1] == ["prompts"] and len(parts) > 1 and isinstance(parts[1], int):
        header = _nth_header(lines, "prompts", parts[1])
        rest = parts[3:] if len(parts) > 2 and parts[2] in _TAGS else parts[2:]
    elif parts[:1] == ["schedule"]:
        header = _nth_header(lines, "schedule", 0)
        rest = parts[1:]
    else:
        header = -1
        rest = parts[:1]
    if header is None:
        return None
    fallback = header + 1 if header >= 0 else None
    if not rest or not isinstance(rest[0], str):
        return fallback
    found = _find_key(lines, header + 1, rest[0])
    return found + 1 if found is not None else fallback


def _nth_header(lines: list[str], name: str, nth: int) -> int | None:
    count = -1
    for number, line in enumerate(lines):
        match = _HEADER.match(line)
        if match and match.group(2) == name:
            count += 1
            if count == nth:
                return number
    return None


def _find_key(lines: list[str], start: int, key: str) -> int | None:
    pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*[=.]")
    for number in range(start, len(lines)):
        if _HEADER.match(lines[number]):
            return None
        if pattern.match(lines[number]):
            return number
    return None
