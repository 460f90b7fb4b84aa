"""Plain lines for output that is not a terminal (a pipe, a file), written without loading Rich.

Rich draws the same lines with no styles when the output is not a terminal,
at a cost per line that dominates a search with thousands of matching days.
Those lines are written here instead, wrapped as Rich wraps them (a test
compares the two); a day with a line that is not plain ASCII, whose width
Rich measures in terminal cells, is left to Rich.
"""

import datetime as dt
import functools
import re

from reflect.lookback.queries import DayHits, Span
from reflect.model.text import clean_line, spaced


def _clip_bounds(text: str, first: int, first_end: int, room: int) -> tuple[int, int, str, str]:
    """Where `clip` cuts a line longer than `room` whose first match is `first`..`first_end`:
    the kept slice and the marks before and after it."""
    start = 0
    if first_end >= room:
        # Leave a third of the room before the match, starting at a word if one is near.
        start = max(1, min(first - room // 3, len(text) - room + 1))
        space = text.find(" ", start - 1, first)
        if 0 <= space < start + 15:
            start = space + 1
    prefix = "…" if start > 0 else ""
    end = start + room - len(prefix)
    suffix = ""
    if end < len(text):
        end -= 1
        suffix = "…"
    return start, end, prefix, suffix


def clip(text: str, spans: list[Span], room: int) -> tuple[str, list[Span]]:
    """At most `room` characters of a long line, around its first match, marked with …."""
    if len(text) <= room or not spans:
        return text, spans
    start, end, prefix, suffix = _clip_bounds(text, *spans[0], room)
    shift = len(prefix) - start
    kept = [(max(a, start) + shift, min(b, end) + shift) for a, b in spans if a < end and b > start]
    return prefix + text[start:end] + suffix, kept


def clipped(text: str, spans: list[Span], room: int) -> str:
    """`clip`'s text alone."""
    if len(text) <= room or not spans:
        return text
    start, end, prefix, suffix = _clip_bounds(text, *spans[0], room)
    return prefix + text[start:end] + suffix


@functools.cache
def _weekday(number: int) -> str:
    """`%A` of a day of the week (Monday is 0), asked of strftime once a run."""
    return dt.date(2024, 1, 1 + number).strftime("%A")


def day_title(date: dt.date) -> str:
    """`f"{date:%Y-%m-%d %A}"`, without strftime (about a third of a day's text) for the
    years it writes with four digits."""
    if date.year < 1000:
        return f"{date:%Y-%m-%d %A}"
    return f"{date.isoformat()} {_weekday(date.weekday())}"


# Headings and tags repeat from day to day: each is cleaned once.
_clean_line = functools.lru_cache(maxsize=4096)(clean_line)


def day_hits_lines(day: DayHits, width: int, *, first: bool) -> str | None:
    """One day of search results as text, or None when Rich must draw it."""
    title = day_title(day.date)
    if day.tags:
        title += "  " + " ".join(f"#{_clean_line(t)}" for t in day.tags)
    out = [title] if first else ["", title]
    for hit in day.hits:
        where = hit.line.where
        shown = clipped(spaced(hit.line.text), hit.spans, max(40, width - len(where) - 6))
        out.append(f"  {_clean_line(where)}  {shown}" if where else f"  {shown}")
    # One cell a character: ASCII, and the ellipsis `clip` adds. Most lines fit the width.
    # Each is printable (spaced, cleaned): `wrap` need not look.
    lines: list[str] = []
    for line in out:
        if not line.isascii() and not line.replace("…", "").isascii():
            return None
        if len(line) <= width:
            lines.append(line)
        else:
            lines.extend(_wrap_words(line, width) or _wrap_any(line, width, fold=True))
    lines.append("")
    return "\n".join(lines)


_WORD = re.compile(r"\s*\S+\s*")
_TRAILING = re.compile(r"\s+$")


def one_cell(text: str) -> bool:
    """Whether every character takes one cell, as Rich measures them (no tab, no wide script):
    none from U+0300 on but … and ↳. (A character class of that range took 9 ms to compile
    at every start-up.)"""
    if "\t" in text:
        return False
    if text.isascii():
        return True
    rest = text.replace("…", "").replace("↳", "")
    return not rest or max(rest) < "\u0300"


def _wrap_words(line: str, width: int) -> list[str] | None:
    """`wrap` of a line whose only whitespace is the space, each word at most `width` long:
    breaks found by `rfind`.

    A piece ends after the spaces that follow its last word, less those that
    would make it longer than the width, and the next begins at a word, as in
    `wrap`; None when a word is longer than the width.
    """
    out: list[str] = []
    start = 0
    lead = len(line) - len(line.lstrip(" "))  # the spaces a line begins with are its first word's
    while len(line) - start > width:
        cut = line.rfind(" ", start, start + width + 1)
        if cut < start or cut < lead:
            return None
        after = cut + 1
        if line[after : after + 1] == " ":
            after = len(line) - len(line[after:].lstrip(" "))
        out.append(line[start : min(after, start + width)])
        if after == len(line):
            return out  # the spaces that end the line
        start = after
    out.append(line[start:])
    return out


def wrap(line: str, width: int, *, fold: bool = True) -> list[str]:
    """A line of one-cell characters cut to `width` as Rich wraps text.

    Words move to the next line; a word longer than the width is folded
    across lines, or (`fold=False`, a table cell) cut with an ellipsis.
    """
    if len(line) <= width:
        return [line]
    if line.isprintable():
        fast = _wrap_words(line, width)
        if fast is not None:
            return fast
    return _wrap_any(line, width, fold=fold)


def _wrap_any(line: str, width: int, *, fold: bool) -> list[str]:
    """`wrap` of any line, word by word."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width and not fold:
            if start:
                breaks.append(start)
            offset = len(word)
        elif length > width:
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for number, chunk in enumerate(chunks):
                if start:
                    breaks.append(start)
                if number == len(chunks) - 1:
                    offset = len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    pieces = [line[a:b] for a, b in zip([0, *breaks], [*breaks, len(line)], strict=True)]
    out = []
    for piece in pieces:
        if len(piece) > width and (space := _TRAILING.search(piece)):
            piece = piece[: len(piece) - min(len(space.group()), len(piece) - width)]
        if len(piece) > width:
            piece = piece[:width] if fold else piece[: width - 1] + "…"
        out.append(piece)
    return out


def two_column_table(
    header: tuple[str, str], rows: list[tuple[str, str]], width: int
) -> str | None:
    """A Rich `Table(box=None, padding=(0, 2, 0, 0))` of a no-wrap first column and a text
    column, drawn as Rich draws it without colour; None when Rich must draw it."""
    cells = [header, *rows]
    # One look at all the text: a character is one cell in it if it is in every cell.
    if width < 30 or not one_cell("\n".join([a + "\n" + b for a, b in cells])):
        return None
    first = max(len(a) for a, _ in cells) + 2
    widest = max((len(line) for _, b in cells for line in b.splitlines()), default=0)
    second = min(max(widest, 1) + 2, width - first)
    if second < 3:
        return None
    inner = second - 2
    out: list[str] = []
    add = out.append
    blank = " " * first
    # `ljust` pads as the format spec `<` does, at half its cost on a long history.
    for a, b in cells:
        # Most cells are one short line: written as they are, without wrapping.
        if len(b) <= inner and "\n" not in b:
            add(a.ljust(first) + b.ljust(inner) + "  \n")
            continue
        lines: list[str] = []
        for line in b.split("\n"):
            lines.extend(wrap(line, inner, fold=False))
        for number, line in enumerate(lines):
            add((a if number == 0 else blank).ljust(first) + line.ljust(inner) + "  \n")
    return "".join(out)


def printable(text: str) -> bool:
    """Whether text is one line of one-cell characters that Rich writes as they are."""
    return one_cell(text) and text.isprintable()


def answer_table(header: tuple[str, str], rows: list[tuple[str, str]], width: int) -> str | None:
    """A Rich `Table(box=None, padding=(0, 2, 0, 0))` of a text column and a no-wrap column
    (a day's questions and answers), drawn as Rich draws it without colour; None when Rich
    must draw it."""
    cells = [header, *rows]
    if not printable("".join(a + b for a, b in cells)):
        return None
    second = max(len(b) for _, b in cells) + 2
    first = min(max(len(a) for a, _ in cells) + 2, width)
    if first + second > width:
        # Rich takes what is missing from the column that wraps; too little left: Rich's own way.
        first = width - second
        if first < 12:
            return None
    inner = first - 2
    out: list[str] = []
    add = out.append
    blank = " " * second
    for a, b in cells:
        if len(a) <= inner:
            add(f"{a:<{inner}}  {b:<{second - 2}}  \n")
            continue
        for number, line in enumerate(wrap(a, inner, fold=False)):
            add(f"{line:<{inner}}  " + (f"{b:<{second - 2}}  \n" if number == 0 else f"{blank}\n"))
    return "".join(out)


# What CommonMark reads as more than text inside a line: emphasis, code, links, HTML,
# entities, escapes, tables and strikethrough (both enabled in Rich's parser).
_MARKUP = re.compile(r"[\\`*_\[\]<>&|~]")
# How a line may begin and still be a paragraph's text: not a list, quote, heading, rule,
# fence or indented code.
_PLAIN_START = re.compile(r"""[^\W_]|["'(]""")
_ORDERED = re.compile(r"\d{1,9}[.)]")
_HEADING = re.compile(r"(#{2,6}) (\S(?:.*\S)?)")


def _inline_ok(text: str) -> bool:
    return printable(text) and _MARKUP.search(text) is None


def markdown_text(text: str, width: int) -> str | None:
    """Rich's `Markdown` of prose made of paragraphs and level 2-6 headings, drawn without colour.

    None for anything else (lists, quotes, code, emphasis, links, a level 1
    heading, a line indented or ending in spaces), which Rich draws.
    """
    blocks: list[str] = []
    paragraph: list[str] = []
    for line in text.split("\n"):
        if not line.strip(" \t"):
            if paragraph:
                blocks.append(" ".join(paragraph))
                paragraph = []
            continue
        heading = _HEADING.fullmatch(line)
        if heading is not None:
            if "#" in heading.group(2) or not _inline_ok(heading.group(2)):
                return None
            if paragraph:
                blocks.append(" ".join(paragraph))
                paragraph = []
            blocks.append(heading.group(2))
            continue
        if (
            not _PLAIN_START.match(line)
            or _ORDERED.match(line)
            or line[-1] == " "
            or not _inline_ok(line)
        ):
            return None
        paragraph.append(line)
    if paragraph:
        blocks.append(" ".join(paragraph))
    out: list[str] = []
    for block in blocks:
        if out:
            out.append("\n")
        out.extend(f"{line:<{width}}\n" for line in wrap(block, width))
    return "".join(out)
