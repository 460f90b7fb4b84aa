"""Turning validation errors into problems a person can find: file, line, field path, hint."""

import difflib
import re
from collections.abc import Sequence

from pydantic import BaseModel, ValidationError

from reflect.errors import Problem, ctrl_c_swallowed


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
        models.TargetSpec,
    )


def suggest(key: str, known: Sequence[str]) -> str | None:
    """The known value a typo most likely meant, if any is close (never the value itself).

    Case is ignored, and a word the value begins ("friday" for "fri") counts.
    """
    word = key.strip().lower()
    starts = [k for k in known if len(k) >= 3 and word.startswith(k) and k != key]
    if len(starts) == 1:
        return starts[0]
    folded = {k.lower(): k for k in known}
    matches = difflib.get_close_matches(word, list(folded), n=1, cutoff=0.6)
    if not matches or folded[matches[0]] == key:
        return None
    return folded[matches[0]]


def _prompt_types_with(key: str) -> list[str]:
    """The prompt types that take a key: ["scale", "number"] for "target"."""
    from reflect.model import pack as models

    kinds: dict[str, type[BaseModel]] = {"scale": models.ScalePrompt, "number": models.NumberPrompt,
             "choice": models.ChoicePrompt}  # fmt: skip
    return [kind for kind, model in kinds.items() if key in model.model_fields]


_PLAIN_TYPES = {
    "bool_type": "true or false (without quotes)",
    "int_type": "a whole number (without quotes)",
    "string_type": "text in quotes",
}
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


def _is_member(part: int | str) -> bool:
    """A union member pydantic puts in an error's path, like "function-after[...]"."""
    return isinstance(part, str) and (part.startswith("function-") or part == "TargetSpec")


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
    ctrl_c_swallowed()
    problems = []
    merged: set[tuple[int | str, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        marked = [part for part in loc if _is_member(part)]
        if marked:
            # `target` is a number or a table: report the member the input was meant for.
            if not isinstance(error.get("input"), dict) and loc[-1] in marked:
                continue
            loc = tuple(part for part in loc if not _is_member(part))
        if loc and loc[-1] in _UNION_MEMBERS:
            if isinstance(error.get("input"), dict):
                continue
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
            key = str(loc[-1])
            kinds = _prompt_types_with(key) if len(loc) >= 3 and loc[0] == "prompts" else []
            if kinds:
                found = loc[2] if isinstance(loc[2], str) else "this"
                message = (
                    f"a {found} prompt takes no `{key}`; it belongs to "
                    f"{' and '.join(kinds)} prompts"
                )
            else:
                message = "unknown key"
                known = pack_keys() if keys is None else keys
                hint = suggest(key, [k for k in known if k != key])
                if hint:
                    message += f"; did you mean `{hint}`?"
        elif kind in _PLAIN_TYPES:
            message = f"expected {_PLAIN_TYPES[kind]}, found {error.get('input')!r}"
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
            from reflect.model.pack import PROMPT_TYPES

            found = error.get("input", {})
            kind_found = found.get("type") if isinstance(found, dict) else None
            message = f"is {kind_found!r}; expected one of text, yes-no, scale, choice, number"
            hint = suggest(str(kind_found), list(PROMPT_TYPES)) if kind_found else None
            if hint:
                message += f" (did you mean `{hint}`?)"
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
