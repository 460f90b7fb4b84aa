"""Export data as JSON text, quickly: containers indented, each small item on one line.

A summary of years holds hundreds of thousands of small objects (one per
answer); Python's indenting encoder spends seconds on them. Here nested
containers are indented by two spaces as usual, while a flat object or list
(one whose values are all plain) is written on one line by the C encoder.
Every string is cleaned of control and bidi characters, as `clean_tree` does.
"""

import json
from typing import Any

from reflect.model.text import clean_tree, has_unsafe

_encode = json.JSONEncoder(
    ensure_ascii=False, separators=(", ", ": "), default=str, allow_nan=False
).encode
_PLAIN = (str, int, float, bool, type(None))


def json_text(data: Any) -> str:
    out: list[str] = []
    _write(data, "", out)
    out.append("\n")
    return "".join(out)


def _flat(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(v, _PLAIN) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, _PLAIN) for v in value)
    return True


def _leaf(value: Any) -> str:
    try:
        text = _encode(value)
    except ValueError:  # a hand-written .inf or .nan: clean_tree names it
        return _encode(clean_tree(value))
    # A backslash may be an escaped control character: clean the value and encode again.
    if "\\" in text or has_unsafe(text):
        text = _encode(clean_tree(value))
    return text


def _write(value: Any, indent: str, out: list[str]) -> None:
    if _flat(value):
        out.append(_leaf(value))
        return
    inner = indent + "  "
    if isinstance(value, dict):
        out.append("{\n")
        for number, (key, item) in enumerate(value.items()):
            if number:
                out.append(",\n")
            out.append(f"{inner}{_leaf(str(key))}: ")
            _write(item, inner, out)
        out.append(f"\n{indent}}}")
        return
    out.append("[\n")
    for number, item in enumerate(value):
        if number:
            out.append(",\n")
        out.append(inner)
        _write(item, inner, out)
    out.append(f"\n{indent}]")
