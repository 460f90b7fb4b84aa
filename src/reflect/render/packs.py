"""Packs: the list of them, and one pack in full."""

from typing import Any

from rich.table import Table
from rich.text import Text

from reflect.model.pack import AnyPrompt, ChoicePrompt, Pack
from reflect.model.text import clean, clean_line
from reflect.model.values import with_unit
from reflect.packs.diff import PackDiff, PromptChange
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
    goal = getattr(prompt, "goal", None)
    if goal is not None:
        shape += f", target {goal.words(getattr(prompt, 'unit', ''))}"
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


def _quoted(text: object) -> str:
    return f'"{clean_line(str(text))}"'


def _range(bounds: object, unit: str) -> str:
    if not isinstance(bounds, tuple):
        return "none"
    low, high = bounds
    if low is None and high is None:
        return "any number"
    if low is None:
        return f"at most {with_unit(high, unit)}"
    if high is None:
        return f"at least {with_unit(low, unit)}"
    return f"{low}-{with_unit(high, unit)}"


def _maybe(value: object) -> str:
    return "none" if value is None or value == "" else clean_line(str(value))


def change_line(change: PromptChange) -> str:
    """One change to one prompt, in words; pack text is shown as text."""
    before, after = change.before, change.after
    apart = "earlier answers are counted apart"
    match change.kind:
        case "added" if before is not None:
            # Back after an earlier version dropped it: the lines after it compare with that one.
            return f"added: {_quoted(after)} (asked before, last in version {_maybe(before)})"
        case "added":
            return f"added: {_quoted(after)}"
        case "removed":
            return f"removed: {_quoted(before)} (its answers stay, in their own words)"
        case "reworded":
            return f"reworded: {_quoted(before)} -> {_quoted(after)}"
        case "retyped":
            return f"retyped: {before} -> {after} ({apart})"
        case "range":
            return f"range: {_range(before, '')} -> {_range(after, '')} ({apart})"
        case "step" | "unit" | "target":
            return f"{change.kind}: {_maybe(before)} -> {_maybe(after)} ({apart})"
        case "choices-added":
            return "choices added: " + ", ".join(_quoted(c) for c in after)
        case "choices-removed":
            listed = ", ".join(_quoted(c) for c in before)
            return f"choices removed: {listed} (earlier answers keep them)"
        case "choice-renamed":
            return (
                f"choice renamed: {_quoted(before)} -> {_quoted(after)} "
                "(earlier answers keep the old name)"
            )
        case "follow-up-added":
            return f"follow-up added: {_quoted(after)}"
        case "follow-up-removed":
            return f"follow-up removed: {_quoted(before)} (its answers stay)"
        case "follow-up-reworded":
            return f"follow-up reworded: {_quoted(before)} -> {_quoted(after)}"
    return f"follow-up now asked when {_quoted(after)} (was {_quoted(before)})"


def upgrade_lines(diff: PackDiff) -> list[str]:
    """What an upgrade changed, prompt by prompt: the prompt's id, then one line per change."""
    if not diff.changes:
        return ["no question changed"]
    lines: list[str] = []
    for prompt_id in dict.fromkeys(change.prompt for change in diff.changes):
        lines.append(clean_line(prompt_id))
        lines += [f"  {change_line(change)}" for change in diff.of(prompt_id)]
    return lines
