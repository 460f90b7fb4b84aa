"""One day's entry, for reading.

Rich draws it in a terminal; for a pipe or a file the same text is written
without Rich (`entry_text`) when the day holds nothing but plain prose,
headings and one-cell characters, since Rich's Markdown costs a few
milliseconds a day and its import more than that.
"""

from typing import Any

from reflect.journal.entry import Entry
from reflect.model.text import clean, clean_line
from reflect.packs.versions import Answered
from reflect.render.plain import answer_table, markdown_text, printable, wrap


def entry_title(entry: Entry) -> tuple[str, str]:
    """The day's date, and its tags (empty when it has none), cleaned: a person or another tool
    wrote them, and a tag may hold an escape (ESC c resets a terminal) or a bidi override."""
    tags = (
        "  " + " ".join(f"#{clean_line(t)}" for t in entry.front.tags) if entry.front.tags else ""
    )
    return f"{entry.date:%A %d %B %Y}", tags


def answer_cells(answers: list[Answered]) -> list[tuple[str, str, str, str]]:
    """Each structured answer's question and answer, each with what is shown dimmed beside it."""
    rows: list[tuple[str, str, str, str]] = []
    for given in answers:
        if given.prose:
            continue
        definition = given.definition
        aside = "" if definition.in_pack else "  (retired)"
        if definition.note:
            aside += f"  ({clean_line(definition.note)})"
        misfit = f"  (does not fit: {clean_line(given.misfit)})" if given.misfit else ""
        rows.append((clean_line(definition.text), aside, clean_line(given.shown), misfit))
    return rows


def entry_view(entry: Entry, answers: list[Answered], path: str) -> list[Any]:
    """A day for reading: the structured answers as a table, then the prose."""
    from rich.markdown import Markdown
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    date, tags = entry_title(entry)
    title = Text(date, style="bold")
    if tags:
        title.append(tags, style="cyan")
    parts.append(title)
    parts.append(Text(path, style="dim"))
    rows = answer_cells(answers)
    if rows:
        table = Table(show_header=True, expand=False, box=None, padding=(0, 2, 0, 0))
        table.add_column("question")
        table.add_column("answer", no_wrap=True)
        for text, aside, shown, misfit in rows:
            question = Text(text)
            if aside:
                question.append(aside, style="dim")
            answer = Text(shown)
            if misfit:
                answer.append(misfit, style="yellow")
            table.add_row(question, answer)
        parts.append(Text(""))
        parts.append(table)
    if entry.body.strip():
        parts.append(Text(""))
        parts.append(Markdown(clean(entry.readable_body())))
    return parts


def entry_text(entry: Entry, answers: list[Answered], path: str, width: int) -> str | None:
    """Everything `entry_view` draws, as Rich draws it without colour; None when Rich must."""
    date, tags = entry_title(entry)
    if not printable(date + tags + path):
        return None
    lines = [*wrap(date + tags, width), *wrap(path, width)]
    out = "".join(f"{line}\n" for line in lines)
    rows = answer_cells(answers)
    if rows:
        cells = [(text + aside, shown + misfit) for text, aside, shown, misfit in rows]
        table = answer_table(("question", "answer"), cells, width)
        if table is None:
            return None
        out += "\n" + table
    if entry.body.strip():
        prose = markdown_text(clean(entry.readable_body()), width)
        if prose is None:
            return None
        out += "\n" + prose
    return out
