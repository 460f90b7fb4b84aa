"""Packs: the list of them, and one pack in full."""

from typing import Any

from rich.table import Table
from rich.text import Text

from reflect.model.pack import AnyPrompt, ChoicePrompt, Pack, with_unit
from reflect.model.text import clean, clean_line
from reflect.packs.library import PackInfo


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


def _answer_shape(prompt: AnyPrompt) -> str:
    if isinstance(prompt, ChoicePrompt):
        return " / ".join(clean_line(c) for c in prompt.choices)
    shape = prompt.describe()
    target = getattr(prompt, "target", None)
    if target is not None:
        shape += f", target {with_unit(target, getattr(prompt, 'unit', ''))}"
    return clean_line(shape)


def _schedule(prompt: AnyPrompt) -> str:
    if prompt.pin:
        return "every day"
    if prompt.on:
        return f"{prompt.on} only"
    return "rotating"


def pack_view(pack: Pack) -> list[Any]:
    """A pack as a coach or client reads it: what it is about, then every question."""
    title = Text(clean_line(pack.name), style="bold")
    title.append(f"  {pack.id} {pack.version}", style="dim")
    parts: list[Any] = [title]
    if pack.author:
        parts.append(Text(f"by {clean_line(pack.author)}"))
    if pack.description:
        parts.append(Text(clean(pack.description)))
    rotating = sum(1 for p in pack.prompts if p.rotates)
    parts.append(
        Text(f"{len(pack.prompts)} prompts; {pack.per_day} of {rotating} rotating asked a day")
    )
    for number, prompt in enumerate(pack.prompts, 1):
        head = Text(f"\n{number:>2}. ")
        head.append(prompt.id, style="bold")
        head.append(f"  {prompt.type} · {_schedule(prompt)}", style="dim")
        parts.append(head)
        lines = [clean_line(prompt.text), f"answer: {_answer_shape(prompt)}"]
        if prompt.follow_up:
            follow = prompt.follow_up
            lines.append(f"follow-up when {clean_line(follow.when)}: {clean_line(follow.text)}")
        for line in lines:
            # Indented by hand: Padding would fill every line out to the full width.
            parts.append(Text("    " + line))
    return parts
