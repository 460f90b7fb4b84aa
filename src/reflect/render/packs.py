"""The pack list."""

from rich.table import Table
from rich.text import Text

from reflect.packs import PackInfo
from reflect.text import clean_line


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
