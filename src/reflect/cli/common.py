"""What every command group shares: the journal home, warnings, JSON output, common options."""

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from reflect.errors import Hint
from reflect.journal.home import Home

if TYPE_CHECKING:
    from reflect.journal.store import BadEntry
    from reflect.packs.library import EnabledPacks


class Group(TyperGroup):
    """A command group whose help lists each command with its whole first line.

    Help is Click's plain text, not Rich's panels: importing Rich for help
    would cost every `--help` more than all the rest of start-up
    (docs/performance.md), and Click cuts a command's line at 45 characters.
    """

    # Typer does not export the vendored Click Context and HelpFormatter its methods name.
    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def home_of(ctx: typer.Context) -> Home:
    obj = ctx.find_root().obj
    assert isinstance(obj, Home)
    return obj


def say(line: str) -> None:
    """One diagnostic line on stderr; file names and pack text in it are untrusted."""
    from reflect.model.text import clean_line

    typer.echo(clean_line(line), err=True)


def warn_packs(enabled: "EnabledPacks") -> None:
    """Enabled packs that are gone or broken: a warning each, and the day goes on without them."""
    for pack_id in enabled.missing:
        typer.echo(
            f"reflect: warning: pack {pack_id!r} is enabled but not found; "
            f"`reflect packs disable {pack_id}` stops this warning",
            err=True,
        )
    for error in enabled.broken:
        say(f"reflect: warning: skipped a broken pack: {error}")


def keep_greeting(home: Home, enabled: "EnabledPacks", before: dict[str, Any]) -> None:
    """Keep the coming weeks' questions for the next shell greeting, when there was nothing to warn of.

    `before`: greeting.sources_key taken before config.toml and the packs were read.
    """
    if enabled.missing or enabled.broken:
        return
    from reflect.daily.greeting import keep_schedule
    from reflect.model.dates import today as today_date
    from reflect.packs.schedule import prompts_for

    keep_schedule(
        home, today_date(), lambda day: prompts_for(day, enabled.packs), enabled.packs, before
    )


def warn_unreadable(bad: "Sequence[BadEntry]") -> None:
    """Files that could not be read: each named on stderr, never silently dropped."""
    for item in bad:
        say(f"reflect: skipped {item.error}")


def echo_json(data: object) -> None:
    """Indented JSON on stdout, written as it is encoded so a long journal's never sits whole in memory."""
    from reflect.export.json_text import indented_json

    out = sys.stdout
    pending: list[str] = []
    size = 0
    for chunk in indented_json(data):
        pending.append(chunk)
        size += len(chunk)
        if size > 65536:
            out.write("".join(pending))
            pending, size = [], 0
    pending.append("\n")
    out.write("".join(pending))


DateOption = Annotated[
    str | None,
    typer.Option("--date", "-d", help="YYYY-MM-DD, today or yesterday.", show_default="today"),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="From this day (YYYY-MM-DD).", show_default=False)
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Up to this day (YYYY-MM-DD).", show_default=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

# What a look back at an empty journal says (log, trends, calendar).
NOTHING_YET = "Nothing written yet. `reflect today` starts."


# What to try next, worded with reflect's commands and flags: the library
# names the kind of help (errors.Hint), the command line the words.
HINTS = {
    "packs-list": "; `reflect packs list` shows the packs",
    "packs-show-prompts": "; `reflect packs show {pack}` lists its prompts",
    "prompt": "; `reflect prompt` shows today's",
    "fewer-periods": ": choose a longer --by or a shorter range",
    "html-range": ": choose a shorter range, or --format md, csv or json, which take any range",
    "encrypt": ": `reflect encrypt` encrypts it",
    "rotate": "; `reflect encrypt --rotate` changes it",
    "sync-init": "; start with `reflect sync --init REMOTE`",
    "packs-upgrade": "; `reflect packs add {source} --upgrade` replaces it with version {version}",
    "packs-disable": "; `reflect packs disable {pack}` stops its questions",
}


def advice(hint: Hint | None) -> str:
    """The words for what to try next, as the end of an error's line ("" when there is none)."""
    if hint is None:
        return ""
    return HINTS[hint.kind].format(**hint.fields)
