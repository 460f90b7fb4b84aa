"""Search results: each day's matching lines, with the match highlighted."""

from rich.text import Text

from reflect.lookback.queries import DayHits, Span
from reflect.model.text import clean_line, spaced
from reflect.render.plain import clip

MATCH_STYLE = "bold reverse"


def _line(where: str, text: str, spans: list[Span], room: int) -> Text:
    # Control characters are dropped one for one (no shifting of spans), then
    # the text is folded onto one line by replacing tabs with spaces.
    safe = spaced(text)
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


def day_hits_view(day: DayHits, width: int, *, first: bool) -> list[Text]:
    """One day's matching lines under its date; a blank line before every day but the first."""
    parts: list[Text] = [] if first else [Text("")]
    title = Text(f"{day.date:%Y-%m-%d %A}", style="bold")
    if day.tags:
        title.append("  " + " ".join(f"#{clean_line(t)}" for t in day.tags), style="cyan")
    parts.append(title)
    for hit in day.hits:
        room = max(40, width - len(hit.line.where) - 6)
        parts.append(_line(hit.line.where, hit.line.text, hit.spans, room))
    return parts
