"""The reader's defences: where an entry's front matter starts and ends, and loading it safely.

An entry either has front matter (a `---` line first, YAML, a closing `---`
or `...`) or plainly has none (a markdown file someone wrote by hand). Any
text in between, a bent opener, a blank line before it, a horizontal rule
where the opener was, CR-only line ends, front-matter keys with no block
around them, is a broken file: reading it as "no front matter" would turn
its answers into prose, and the next write would bury them under a new
block. The YAML itself is loaded with duplicate keys, aliases, deep nesting,
oversized blocks and non-finite or huge numbers refused.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reflect.errors import EntryError

if TYPE_CHECKING:
    import yaml

MAX_FRONT_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 200_000
# The longest whole number read: more digits than Python turns into an int by
# default, and far beyond any answer. Absurd but readable numbers (1e308, .inf)
# are read, and shown as not fitting their question (docs/format.md).
MAX_DIGITS = 4000
_ADVICE = "fix it in an editor (`reflect edit`)"

_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$\n?", re.MULTILINE)
# What can stand before an opener without being seen: spaces, BOMs, zero-width characters.
_INVISIBLE = " \t\ufeff\u200b\u200c\u200d\u2060"
# CommonMark's thematic break: three or more of one of - * _, spaces between.
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# Lines only front matter holds: an ISO date key, a block of answers or packs.
_KEY_LINE = re.compile(
    r"^[#>*_\-\s]*(?:date:[ \t]*['\"]?\d{4}-\d{2}-\d{2}\b|(?:answers|packs):[ \t]*(?:$|\{))",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Parts:
    """An entry's text cut in three: `head` is None when the file has no front matter."""

    head: str | None
    front: str
    body: str


def split(text: str, path: str) -> Parts:
    """Cut an entry's text into front matter and body; EntryError for anything unsure.

    One BOM is dropped and CRLF line ends read as LF, as before.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if text.startswith("---\n"):
        end = _CLOSE.search(text, 4)
        if end is None:
            raise EntryError(f"{path}: front matter starts with --- but never ends; add a --- line")
        front = text[4 : end.start()]
        if "\r" in front:
            raise _broken(path, "front matter has CR-only line ends; save the file with LF ends")
        return Parts(text[: end.end()], front, text[end.end() :])
    _refuse_lookalike(text, path)
    return Parts(None, "", text)


def _refuse_lookalike(text: str, path: str) -> None:
    """Raise when text without a clean opener still looks like it meant to have front matter."""
    first_line = text.split("\n", 1)[0]
    if "\r" in first_line and first_line.lstrip(_INVISIBLE).startswith(("---", "+++")):
        raise _broken(path, "line ends are CR only; save the file with LF line ends")
    lines = text.split("\n")
    number, line = next(((i, s) for i, s in enumerate(lines, 1) if s.strip(_INVISIBLE)), (0, ""))
    if not line:
        return
    bare = line.strip(_INVISIBLE)
    if bare.startswith("+++"):
        raise _broken(
            path, "starts with +++ (TOML front matter); reflect reads YAML between --- lines"
        )
    if bare.startswith("---") or _RULE.match(line):
        if number > 1:
            problem = (
                f"front matter must start on line 1, not line {number}; remove the lines above it"
            )
        elif bare != line:
            problem = f"the opening line {line!r} has extra characters; make it exactly ---"
        elif bare.startswith("---") and bare != "---":
            problem = f"the opening line {line!r} is not exactly ---; make it exactly ---"
        else:
            problem = (
                f"starts with a horizontal rule {line.strip()[:12]!r}, as a markdown formatter "
                "leaves front matter it did not understand; put back the --- lines"
            )
        raise _broken(path, problem)
    key = _KEY_LINE.search(text)
    if key is not None:
        at = text.count("\n", 0, key.start()) + 1
        raise _broken(
            path,
            f"line {at} looks like front matter ({key.group(0).strip()[:40]!r}) outside a --- block; "
            "put back the --- lines around it",
        )


def _broken(path: str, problem: str, line: int | None = None) -> EntryError:
    where = f":{line}" if line is not None else ""
    return EntryError(f"{path}{where}: {problem}; the file is left as it is")


# YAML 1.1's base-60 numbers (`12:30` is 750): YAML 1.2, Obsidian and a person read text.
SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")


def no_base_60(loader: Any, kind: Any, value: Any, implicit: Any) -> str | None:
    """The tag `12:30` and its kind resolve to: a string, never a base-60 number."""
    import yaml

    if kind is yaml.ScalarNode and implicit[0] and SEXAGESIMAL.match(value):
        return "tag:yaml.org,2002:str"
    return None


@functools.cache
def _strict_loader() -> Any:
    """The loader class, built at first use: most front matter is read without PyYAML
    (`fast`, journal/frontyaml.py), and importing it cost a warm history 0.03 s."""
    import yaml

    class _StrictLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
        """PyYAML's safe loader that refuses a key given twice, and reads `12:30` as text."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            return no_base_60(self, kind, value, implicit) or super().resolve(kind, value, implicit)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: set[Any] = set()
                for key_node, _ in node.value:
                    if not isinstance(key_node, yaml.ScalarNode):
                        continue
                    key = self.construct_object(key_node, deep=True)
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"key {key!r} appears twice", key_node.start_mark
                        )
                    seen.add(key)
            return super().construct_mapping(node, deep)

    return _StrictLoader


def load(front: str, path: str, fast: Callable[[str], Any] | None = None) -> Any:
    """The YAML of a front matter block, bounded and strict; EntryError names the line.

    `fast` is a reader for the plain subset reflect writes, returning None
    for anything else.
    """
    if len(front) > MAX_FRONT_BYTES:
        raise _broken(path, f"front matter is larger than {MAX_FRONT_BYTES // 1024} KB")
    try:
        data = fast(front) if fast is not None else None
    except ValueError:  # a number too long for int(): the strict reader says why
        data = None
    if data is not None:
        return data
    import yaml

    loader = _strict_loader()(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, path)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path) from None
    except ValueError as exc:
        # PyYAML reads 2026-13-45 as a date and fails building it.
        raise EntryError(
            f"{path}: front matter has a date that is not a real day ({exc}); {_ADVICE}"
        ) from None
    finally:
        loader.dispose()
    return data


def _yaml_error(exc: "yaml.YAMLError", path: str) -> EntryError:
    mark = getattr(exc, "problem_mark", None)
    where = f":{mark.line + 2}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or "cannot be parsed"
    # YAML notices an unclosed [ or { lines later; say where it was opened too.
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start is not None and mark is not None and start.line != mark.line:
        problem += f", {context} on line {start.line + 2}"
    return EntryError(f"{path}{where}: front matter is not valid YAML ({problem}); {_ADVICE}")


def _check_nodes(root: Any, path: str) -> None:
    """Refuse aliases (a node reached twice), nesting deeper than MAX_DEPTH, too many values."""
    import yaml

    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise _broken(
                path,
                "front matter uses a YAML alias (*name); write the value out",
                node.start_mark.line + 2,
            )
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise _broken(path, f"front matter holds more than {MAX_NODES:,} values")
        if depth > MAX_DEPTH:
            raise _broken(
                path,
                f"front matter is nested more than {MAX_DEPTH} levels deep",
                node.start_mark.line + 2,
            )
        if isinstance(node, yaml.ScalarNode):
            if node.tag.endswith(":int") and len(node.value) > MAX_DIGITS:
                raise _broken(
                    path, f"the number {node.value[:20]}... is too large", node.start_mark.line + 2
                )
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
