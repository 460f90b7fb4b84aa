"""Export data as JSON text, quickly: containers indented, each small item on one line.

A summary of years holds hundreds of thousands of small objects (one per
answer); Python's indenting encoder spends seconds on them. Here nested
containers are indented by two spaces as usual, while a flat object or list
(one whose values are all plain) is written on one line by the C encoder.
Every string is cleaned of control and bidi characters, as `clean_tree` does.
`write_json` hands the same text on in pieces, to be written as it comes
rather than held whole.

`indented_json` is the other layout, every container indented: the text of
every `--json` but the export's.
"""

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from reflect.model.text import clean_tree, has_unsafe

_encode = json.JSONEncoder(
    ensure_ascii=False, separators=(", ", ": "), default=str, allow_nan=False
).encode
_PLAIN = (str, int, float, bool, type(None))
_NONE = object()


class Items:
    """A list of objects made one at a time as it is written: written as the list would be.

    A century's days made into dicts all at once held about half of a
    100-year export's peak; made as they are written, one at a time. The
    source is read once, as it is written (it may itself be made as it is
    read: a summary's days come from the index then).
    """

    __slots__ = ("make", "source")

    def __init__(self, source: Iterable[Any], make: Callable[[Any], dict[str, Any]]) -> None:
        self.source, self.make = source, make

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self.make, self.source)


def indented_json(data: object) -> Iterator[str]:
    """The text of a `--json` document in pieces, cleaned as `clean_tree` does; no final newline."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, default=str, allow_nan=False)
    return encoder.iterencode(clean_tree(data))


def json_text(data: Any) -> str:
    pieces: list[str] = []
    write_json(data, pieces.append)
    return "".join(pieces)


def write_json(data: Any, write: Callable[[str], object]) -> None:
    """The text of `json_text`, handed to `write` in pieces of a few thousand items."""
    out: list[str] = []

    def flush() -> None:
        write("".join(out))
        out.clear()

    _write(data, "", out, flush)
    out.append("\n")
    flush()


# Items of text held before they are handed on: a piece of some 100 KB.
PIECE = 2048


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


def _write(value: Any, indent: str, out: list[str], flush: Callable[[], None]) -> None:
    if isinstance(value, Items):
        items = iter(value)
        first = next(items, _NONE)
        if first is _NONE:
            out.append("[]")  # as an empty list is written
            return
        # Its items are objects: never flat, written as a list of them is.
        value = itertools.chain((first,), items)
    elif _flat(value):
        out.append(_leaf(value))
        return
    inner = indent + "  "
    if isinstance(value, dict):
        out.append("{\n")
        for number, (key, item) in enumerate(value.items()):
            if number:
                out.append(",\n")
            out.append(f"{inner}{_leaf(str(key))}: ")
            _write(item, inner, out, flush)
        out.append(f"\n{indent}}}")
        return
    out.append("[\n")
    for number, item in enumerate(value):
        if number:
            out.append(",\n")
        out.append(inner)
        _write(item, inner, out, flush)
        if len(out) >= PIECE:
            flush()
    out.append(f"\n{indent}]")
