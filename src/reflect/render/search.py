"""Search results: each day's matching lines, with the match highlighted."""

from rich.text import Text

from reflect.lookback.queries import SearchResult, Span
from reflect.model.text import clean_line

MATCH_STYLE = "bold reverse"


def clip(text: str, spans: list[Span], room: int) -> tuple[str, list[Span]]:
    """At most `room` characters of a long line, around its first match, marked with …."""
    if len(text) <= room or not spans:
        return text, spans
    first, first_end = spans[0]
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
    shift = len(prefix) - start
    kept = [(max(a, start) + shift, min(b, end) + shift) for a, b in spans if a < end and b > start]
    return prefix + text[start:end] + suffix, kept


def _line(where: str, text: str, spans: list[Span], room: int) -> Text:
    # Control characters are dropped one for one (no shifting of spans), then
    # the text is folded onto one line by replacing tabs with spaces.
    safe = "".join(ch if clean_line(ch) or ch == " " else " " for ch in text)
    shown, kept = clip(safe, spans, room)
    line = Text("  ")
    if where:
        line.append(clean_line(where), style="dim")
        line.append("  ")
    body = Text(shown)
    for start, end in kept:
        body.stylize(MATCH_STYLE, start, end)
    line.append_text(body)
    return line


def search_view(result: SearchResult, width: int) -> list[Text]:
    parts: list[Text] = []
    for number, day in enumerate(result.days):
        if number:
            parts.append(Text(""))
        title = Text(f"{day.date:%Y-%m-%d %A}", style="bold")
        if day.tags:
            title.append("  " + " ".join(f"#{clean_line(t)}" for t in day.tags), style="cyan")
        parts.append(title)
        for hit in day.hits:
            room = max(40, width - len(hit.line.where) - 6)
            parts.append(_line(hit.line.where, hit.line.text, hit.spans, room))
    return parts
