"""Prose as an entry stores it: typed text normalized, lines that would read as markup escaped.

Kept to the standard library's `re` so the quick note writer (daily/quick.py)
appends a note with the very rules `Entry` uses.
"""

import re

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A prose line that markdown (or our own parser) would take for a level-2
# heading is stored with one more backslash in front, and read back without it.
_ESCAPE = re.compile(r"^( {0,3})(\\*)(##(?:[ \t]|$))", re.MULTILINE)
_UNESCAPE = re.compile(r"^( {0,3})\\(\\*##(?:[ \t]|$))", re.MULTILINE)

_CLOSE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")


def fenced_lines(lines: list[str]) -> set[int]:
    """The indices of lines inside fenced code blocks (``` or ~~~), the fence lines included.

    A fence counts only when it is closed (by a line of at least as many of
    the same character): one left open would otherwise hide every heading
    and marker after it, and with them the answers they hold.
    """
    inside: set[int] = set()
    index = 0
    while index < len(lines):
        opened = FENCE.match(lines[index])
        if opened is None or (opened.group(1)[0] == "`" and "`" in lines[index][opened.end() :]):
            index += 1
            continue
        fence = opened.group(1)
        for end in range(index + 1, len(lines)):
            closing = _CLOSE_FENCE.match(lines[end])
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                inside.update(range(index, end + 1))
                index = end
                break
        index += 1
    return inside


def _outside_fences(
    text: str, change: "re.Pattern[str]", into: "str | Callable[[re.Match[str]], str]"
) -> str:
    """`change.sub(into, ...)` on the lines of `text` outside fenced code blocks."""
    if "```" not in text and "~~~" not in text:
        return change.sub(into, text)
    lines = text.split("\n")
    fenced = fenced_lines(lines)
    return "\n".join(
        line if i in fenced else change.sub(into, line) for i, line in enumerate(lines)
    )


# A fence opener prose leaves open would reach into the sections after it:
# it is stored with a backslash (as is a line that already starts with one).
_FENCE_ESCAPE = re.compile(r"^( {0,3})(\\*)(`{3,}|~{3,})")
_FENCE_UNESCAPE = re.compile(r"^( {0,3})\\(\\*(?:`{3,}|~{3,}))")


# A line starting one of CommonMark's HTML blocks that run to a closing text
# (kinds 1-5: <script>, <pre>, <style>, <textarea>, a comment, <?...?>, <!X...>,
# CDATA) reaches into the sections after it when prose never closes it: stored
# with a backslash (as is such a line that already starts with one).
_HTML_OPEN = r"(?:<(?:script|pre|style|textarea)(?:[ \t>]|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\[)"
_HTML_ESCAPE = re.compile(rf"^( {{0,3}})(\\*)({_HTML_OPEN})", re.IGNORECASE)
_HTML_UNESCAPE = re.compile(rf"^( {{0,3}})\\(\\*{_HTML_OPEN})", re.IGNORECASE | re.MULTILINE)
_HTML_CLOSE = {"<!--": "-->", "<?": "?>", "<![cdata[": "]]>"}


def _html_close(opener: str) -> "re.Pattern[str]":
    """What ends the HTML block `opener` starts (CommonMark's end conditions 1-5)."""
    low = opener.lower()
    for start, end in _HTML_CLOSE.items():
        if low.startswith(start):
            return re.compile(re.escape(end))
    if low.startswith("<!"):
        return re.compile(">")
    return re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)


def _escape_html_blocks(text: str) -> str:
    if "<" not in text:
        return text
    lines = text.split("\n")
    fenced = fenced_lines(lines) if "```" in text or "~~~" in text else set()
    for i, line in enumerate(lines):
        found = None if i in fenced else _HTML_ESCAPE.match(line)
        if found is None:
            continue
        rest = "\n".join([line[found.end(3) :], *lines[i + 1 :]])
        closed = _html_close(found.group(3)).search(rest)
        # Closed only on a line a fence does not hold: markdown reads the lines in order, so a
        # fence line inside the block is HTML there, and the fence's closing line opens one.
        last = i + rest.count("\n", 0, closed.start()) if closed else i
        if found.group(2) or not closed or fenced.intersection(range(i, last + 1)):
            lines[i] = f"{found.group(1)}\\{line[len(found.group(1)) :]}"
    return "\n".join(lines)


# A line of dashes under a line of text makes it a setext heading (`Title` over `---`).
_SETEXT_ESCAPE = re.compile(r"^( {0,3})(\\*-+[ \t]*)$")
_SETEXT_UNESCAPE = re.compile(r"^( {0,3})\\(\\*-+[ \t]*)$")


def _setext(text: str, change: "re.Pattern[str]", into: str) -> str:
    """`change.sub(into, ...)` on each line of dashes right under a non-blank line, outside
    fenced code blocks: the lines CommonMark reads as a setext heading's underline."""
    if "-" not in text:
        return text
    lines = text.split("\n")
    fenced = fenced_lines(lines) if "```" in text or "~~~" in text else set()
    for i in range(1, len(lines)):
        # Blank as CommonMark means it: spaces and tabs only (str.strip also drops \x1c-\x1f,
        # \f, \v and others, which make a paragraph line there).
        if i not in fenced and lines[i - 1].strip(" \t"):
            lines[i] = change.sub(into, lines[i])
    return "\n".join(lines)


def escape_prose(text: str) -> str:
    """Prose as stored: a line that would read as a `## ` heading (ATX or setext), or open a
    fence or an HTML block it never closes, gets a backslash in front (`\\##`, `\\---`,
    `\\```, `\\<!--`), outside closed code blocks."""
    return _setext(_escape_html_blocks(_escape_fences(text)), _SETEXT_ESCAPE, r"\1\\\2")


def _escape_fences(text: str) -> str:
    text = _outside_fences(text, _ESCAPE, lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}")
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    fenced = fenced_lines(lines)
    for i, line in enumerate(lines):
        found = None if i in fenced else _FENCE_ESCAPE.match(line)
        if found is not None and (found.group(2) or FENCE.match(line)):
            lines[i] = f"{found.group(1)}\\{line[len(found.group(1)) :]}"
    return "\n".join(lines)


def unescape_prose(text: str) -> str:
    text = _setext(text, _SETEXT_UNESCAPE, r"\1\2")
    text = _outside_fences(text, _UNESCAPE, r"\1\2")
    if "<" in text:
        text = _outside_fences(text, _HTML_UNESCAPE, r"\1\2")
    return _outside_fences(text, _FENCE_UNESCAPE, r"\1\2")


def normalize_prose(text: str) -> str:
    """What is kept of typed prose: unix line ends, no blank lines or spaces around it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        lines[-1] = lines[-1].rstrip()
    return "\n".join(lines)


def append_section(body: str, heading: str, text: str, tie: str = "") -> str:
    """The body with a `## heading` section holding `text` added at its end, a blank line before.

    `tie` is the marker line (with its newline) that ties the section to its question.
    """
    if body and not body.endswith("\n"):
        body += "\n"
    if body.strip() and not body.endswith("\n\n"):
        body += "\n"
    if not body.strip():
        body = "\n"
    return f"{body}{heading_line(heading)}\n{tie}\n{escape_prose(normalize_prose(text))}\n"


def heading_line(heading: str) -> str:
    """The `## ` line of a heading, reading back as the same text: a heading ending in `#`
    gets a closing `##`, which CommonMark strips (`## C# ##` reads as `C#`)."""
    return f"## {heading} ##" if heading.endswith("#") else f"## {heading}"
