"""Drawing for people: the only module that imports rich.

Text from packs and entries is untrusted: it goes into `Text` objects (never
parsed as markup) after control characters are removed.
"""

from typing import Any

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from reflect.entry import Entry
from reflect.models import Pack
from reflect.packs import PackInfo
from reflect.session import format_value
from reflect.text import clean, clean_line


def console(*, stderr: bool = False, width: int | None = None) -> Console:
    # Rich honours NO_COLOR and plain pipes by itself; highlighting is off so
    # numbers in untrusted text are not dressed up as if they meant something.
    return Console(stderr=stderr, width=width, highlight=False, emoji=False, markup=False)


def packs_table(packs: list[PackInfo], enabled: list[str]) -> Table:
    table = Table(title="Prompt packs", title_justify="left", expand=False)
    table.add_column("id", no_wrap=True)
    table.add_column("name")
    table.add_column("version", no_wrap=True)
    table.add_column("prompts", justify="right")
    table.add_column("enabled", justify="center")
    table.add_column("source", no_wrap=True)
    for info in packs:
        on = info.pack.id in enabled
        table.add_row(
            Text(info.pack.id),
            Text(clean_line(info.pack.name)),
            Text(info.pack.version),
            Text(str(len(info.pack.prompts))),
            Text("✓ yes" if on else "· no", style="green" if on else "dim"),
            Text(info.source),
        )
    return table


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
                shown = format_value(prompt, value) if prompt else str(value)
                table.add_row(Text(question), Text(clean_line(shown)))
        parts.append(Text(""))
        parts.append(table)
    if entry.body.strip():
        parts.append(Text(""))
        parts.append(Markdown(clean(entry.body)))
    return parts
