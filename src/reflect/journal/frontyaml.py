"""A fast reader for the front matter reflect writes itself; anything else goes to PyYAML.

Building Python objects is most of what PyYAML spends on a journal, even
with libyaml. The front matter reflect writes uses a small, regular subset
of YAML: block mappings indented by two spaces, block lists of scalars, and
plain or single-quoted scalars. `load` reads exactly that subset and returns
None the moment it meets anything else (a comment, a flow collection, a
double-quoted string, a scalar whose type it isn't sure of), so the caller
falls back to PyYAML and the result is always what PyYAML would give.
"""

import datetime as dt
import re

# typing itself costs the quick `today --answer` more than this module: mypy reads it the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$")
_INT = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
# A `given` line: a version, a space, a date-time ("1.0.0 2026-11-26T09:14:03+01:00").
_GIVEN = re.compile(
    r"^\d+\.\d+(?:\.\d+)? \d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?$"
)
# Plain strings YAML 1.1 reads as strings: an ASCII letter first; after it no
# tab, no ": " or trailing ":", no " #", and single spaces only between words.
_PLAIN = re.compile(r"^[A-Za-z_](?:[^\s:]|:(?=[^\s:])| (?=[^\s#]))*$")
_SPECIAL = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null",
}  # fmt: skip
_UNSURE = object()
# The same few keys and values fill every entry: each is decided once.
_scalars: "dict[str, Any]" = {}
_keys: dict[str, str | None] = {}
MEMO_LIMIT = 50_000


def load(text: str) -> "dict[str, Any] | None":
    """The mapping in `text`, or None when PyYAML must read it."""
    root: dict[str, Any] = {}
    # Open containers, innermost last: (indent of their keys or items, container).
    stack: list[tuple[int, Any]] = [(0, root)]
    pending: tuple[int, dict[str, Any], str] | None = None  # a "key:" awaiting its block
    for line in text.split("\n"):
        if not line:
            continue
        content = line.lstrip(" ")
        indent = len(line) - len(content)
        if pending is not None:
            parent_indent, parent, parent_key = pending
            pending = None
            if content.startswith("- ") and indent == parent_indent:
                child: Any = []
            elif indent == parent_indent + 2 and not content.startswith("- "):
                child = {}
            elif indent == parent_indent + 2:
                child = []
            else:
                return None
            parent[parent_key] = child
            stack.append((indent, child))
        while stack and stack[-1][0] > indent:
            stack.pop()
        if not stack:
            return None
        level, container = stack[-1]
        if level != indent:
            return None
        if isinstance(container, list):
            # A list under a key sits at the key's own indent; a key line ends it.
            if not content.startswith("- "):
                stack.pop()
                if not stack or stack[-1][0] != indent or not isinstance(stack[-1][1], dict):
                    return None
                level, container = stack[-1]
            else:
                value = _scalar(content[2:])
                if value is _UNSURE:
                    return None
                container.append(value)
                continue
        key_text, colon, rest = content.partition(":")
        if not colon:
            return None
        key = _key(key_text)
        if key is None or key in container or "\t" in line:
            return None
        if not rest:
            pending = (indent, container, key)
            continue
        if rest[0] != " ":
            return None
        value = _scalar(rest[1:])
        if value is _UNSURE:
            return None
        container[key] = value
    if pending is not None or not root:
        return None
    return root


def _key(text: str) -> str | None:
    found = _keys.get(text, _UNSURE)
    if found is _UNSURE:
        if text.startswith("'") and text.endswith("'") and len(text) >= 2:
            inner = text[1:-1]
            found = None if "'" in inner.replace("''", "") else inner.replace("''", "'")
        elif _KEY.match(text) and _scalar(text) == text:
            found = text
        else:
            found = None
        if len(_keys) < MEMO_LIMIT:
            _keys[text] = found
    return found  # type: ignore[return-value]


def _scalar(text: str) -> "Any":
    found = _scalars.get(text, _UNSURE)
    if found is _UNSURE:
        # A `given` line: new on every answer, so remembering it would help nothing.
        if " " in text and text[:1].isdigit() and _GIVEN.match(text):
            return text
        found = _decide(text)
        if len(_scalars) < MEMO_LIMIT:
            _scalars[text] = found
    return found


def _decide(text: str) -> "Any":
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'"):
            return _UNSURE
        inner = text[1:-1]
        if "'" in inner.replace("''", ""):
            return _UNSURE
        return inner.replace("''", "'")
    if text in ("true", "false"):
        return text == "true"
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return _UNSURE
    if _VERSION.match(text):
        return text
    if _PLAIN.match(text) and text.lower() not in _SPECIAL:
        return text
    return _UNSURE
