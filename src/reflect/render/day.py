"""One day's entry, for reading."""

from typing import Any

from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from reflect.journal.entry import Entry
from reflect.model.text import clean, clean_line
from reflect.packs.versions import Answered


def entry_view(entry: Entry, answers: list[Answered], path: str) -> list[Any]:
    """A day for reading: the structured answers as a table, then the prose."""
    parts: list[Any] = []
    title = Text(f"{entry.date:%A %d %B %Y}", style="bold")
    if entry.front.tags:
        title.append("  " + " ".join(f"#{t}" for t in entry.front.tags), style="cyan")
    parts.append(title)
    parts.append(Text(path, style="dim"))
    structured = [given for given in answers if not given.prose]
    if structured:
        table = Table(show_header=True, expand=False, box=None, padding=(0, 2, 0, 0))
        table.add_column("question")
        table.add_column("answer", no_wrap=True)
        for given in structured:
            definition = given.definition
            question = Text(clean_line(definition.text))
            if not definition.in_pack:
                question.append("  (retired)", style="dim")
            if definition.note:
                question.append(f"  ({clean_line(definition.note)})", style="dim")
            answer = Text(clean_line(given.shown))
            if given.misfit:
                answer.append(f"  (does not fit: {clean_line(given.misfit)})", style="yellow")
            table.add_row(question, answer)
        parts.append(Text(""))
        parts.append(table)
    if entry.body.strip():
        parts.append(Text(""))
        parts.append(Markdown(clean(entry.readable_body())))
    return parts
