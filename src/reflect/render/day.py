"""One day's entry, for reading."""

from typing import Any

from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from reflect.journal.entry import Entry
from reflect.model.pack import Pack, format_value, misfit
from reflect.model.text import clean, clean_line


def entry_view(entry: Entry, packs: dict[str, Pack], path: str) -> list[Any]:
    """A day for reading: the structured answers as a table, then the prose."""
    parts: list[Any] = []
    title = Text(f"{entry.date:%A %d %B %Y}", style="bold")
    if entry.front.tags:
        title.append("  " + " ".join(f"#{t}" for t in entry.front.tags), style="cyan")
    parts.append(title)
    parts.append(Text(path, style="dim"))
    if entry.front.answers:
        table = Table(show_header=True, expand=False, box=None, padding=(0, 2, 0, 0))
        table.add_column("question")
        table.add_column("answer", no_wrap=True)
        for pack_id, values in entry.front.answers.items():
            pack = packs.get(pack_id)
            for prompt_id, value in values.items():
                prompt = pack.prompt(prompt_id) if pack else None
                question = clean_line(prompt.text) if prompt else f"{pack_id}/{prompt_id}"
                problem = misfit(prompt, value) if prompt else None
                shown = format_value(prompt, value) if prompt and not problem else str(value)
                answer = Text(clean_line(shown))
                if problem:
                    answer.append(f"  (does not fit: {clean_line(problem)})", style="yellow")
                table.add_row(Text(question), answer)
        parts.append(Text(""))
        parts.append(table)
    if entry.body.strip():
        parts.append(Text(""))
        parts.append(Markdown(clean(entry.readable_body())))
    return parts
