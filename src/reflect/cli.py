"""The command line: each command parses its options, calls the library, and renders.

Rich and the heavier modules are imported inside the commands that draw, so
`reflect prompt` in a shell greeting starts fast.
"""

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from reflect.config import Home, resolve_home
from reflect.errors import ReflectError


class ReflectGroup(TyperGroup):
    """Turns every ReflectError into one line on stderr and its exit code: the one place."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReflectError as exc:
            typer.echo(f"reflect: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=ReflectGroup,
    help="A reflection journal for the terminal: a few questions a day, kept as markdown.",
    epilog="Start with `reflect today`. Your journal lives in one folder: see `reflect --help` for --home.",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
packs_app = typer.Typer(cls=ReflectGroup, help="List, enable and disable prompt packs.")
app.add_typer(packs_app, name="packs")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"reflect {version('reflect')}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    *,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Journal folder (REFLECT_HOME wins when set; default: your user data folder).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A reflection journal for the terminal: a few questions a day, kept as markdown.

    With no command: in a terminal, starts (or resumes) today's questions;
    otherwise says what is left for today.
    """
    import os

    if home is not None and os.environ.get("REFLECT_HOME") and Path(os.environ["REFLECT_HOME"]) != home:
        typer.echo("reflect: warning: REFLECT_HOME is set, so --home is ignored", err=True)
    ctx.obj = Home(resolve_home(home))
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            today(ctx)
        else:
            _status(ctx.obj)


def _home(ctx: typer.Context) -> Home:
    obj = ctx.find_root().obj
    assert isinstance(obj, Home)
    return obj


def _warn_missing(missing: list[str]) -> None:
    for pack_id in missing:
        typer.echo(
            f"reflect: warning: pack {pack_id!r} is enabled but not found; "
            f"`reflect packs disable {pack_id}` stops this warning",
            err=True,
        )


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _status(home: Home) -> None:
    from reflect.dates import today as today_date
    from reflect.packs import enabled_packs
    from reflect.schedule import prompts_for
    from reflect.day import day_status

    day = today_date()
    enabled = enabled_packs(home)
    _warn_missing(enabled.missing)
    status = day_status(home, day, prompts_for(day, enabled.packs))
    if status.total == 0:
        typer.echo("No questions today: enable a pack with `reflect packs enable ID`.")
    elif status.answered == status.total:
        typer.echo(f"Today's {status.total} question(s) are answered. `reflect show` reads them.")
    else:
        typer.echo(
            f"{status.answered} of {status.total} question(s) answered today. "
            "Run `reflect today` to answer."
        )


DateOption = Annotated[
    str | None,
    typer.Option("--date", "-d", help="YYYY-MM-DD, today or yesterday.", show_default="today"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.command()
def today(
    ctx: typer.Context,
    *,
    date: DateOption = None,
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer",
            "-a",
            help="PACK/PROMPT=VALUE (or PROMPT=VALUE when unambiguous); repeatable.",
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask; save the --answer values only.")
    ] = False,
) -> None:
    """Ask today's questions, saving each answer as you go.

    Example: reflect today --no-input --answer daily/mood=4 --answer energy=3
    """
    from reflect.config import ensure_config
    from reflect.dates import parse_day
    from reflect.packs import enabled_packs
    from reflect.schedule import prompts_for
    from reflect.session import Session, resolve_answers, save_answers
    from reflect.store import entry_path

    home = _home(ctx)
    day = parse_day(date, option="--date")
    config = ensure_config(home.ensure())
    enabled = enabled_packs(home, config)
    _warn_missing(enabled.missing)
    if answer or no_input:
        given = resolve_answers(enabled.packs, answer or [])
        if not given:
            typer.echo("reflect: --no-input with no --answer: nothing to save", err=True)
            return
        save_answers(home, day, given)
        typer.echo(f"Saved {len(given)} answer(s) to {entry_path(home, day)}", err=True)
        return
    asked = prompts_for(day, enabled.packs)
    if not asked:
        typer.echo("No questions for that day: enable a pack with `reflect packs enable ID`.")
        return
    session = Session(home, day, asked, _Terminal(home, config.editor))
    try:
        result = session.run()
    except KeyboardInterrupt:
        typer.echo("", err=True)
        typer.echo(
            f"reflect: stopped; the answers you gave are saved in {entry_path(home, day)}",
            err=True,
        )
        raise typer.Exit(130) from None
    typer.echo("")
    saved = len(result.answered)
    where = entry_path(home, day)
    if result.stopped:
        typer.echo(f"Stopped. {saved} answer(s) saved in {where}")
    else:
        typer.echo(f"Done: {saved} answer(s), {len(result.skipped)} skipped. Saved in {where}")


class _Terminal:
    """The real terminal for a session: line editing where available, $EDITOR for long text."""

    def __init__(self, home: Home, editor: str | None) -> None:
        self.home = home
        self.editor = editor
        if sys.stdin.isatty():
            import readline  # noqa: F401  - gives input() line editing and history

    def ask(self, prompt: str) -> str:
        return input(prompt)

    def say(self, text: str) -> None:
        typer.echo(text)

    def edit(self, initial: str) -> str | None:
        from reflect.editor import edit_text

        return edit_text(initial, self.home.root, self.editor)


@app.command()
def prompt(ctx: typer.Context, *, date: DateOption = None, json_out: JsonOption = False) -> None:
    """Print the day's questions without asking them (for a shell greeting).

    Example: reflect prompt --json
    """
    from reflect.dates import parse_day
    from reflect.packs import enabled_packs
    from reflect.schedule import prompts_for
    from reflect.text import clean_line

    home = _home(ctx)
    day = parse_day(date, option="--date")
    enabled = enabled_packs(home)
    _warn_missing(enabled.missing)
    asked = prompts_for(day, enabled.packs)
    if json_out:
        _echo_json([_prompt_data(item.pack.id, item.prompt) for item in asked])
        return
    for item in asked:
        typer.echo(f"{item.pack.id}: {clean_line(item.prompt.text)} ({clean_line(item.prompt.describe())})")


def _prompt_data(pack_id: str, prompt: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"pack": pack_id}
    data.update(prompt.model_dump(exclude_none=True, exclude_defaults=True))
    data["id"], data["text"], data["type"] = prompt.id, prompt.text, prompt.type
    return data


@app.command()
def write(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(help="The note; without it, read stdin or open $EDITOR.")
    ] = None,
    *,
    date: DateOption = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag the day; repeatable.")] = None,
) -> None:
    """Add a timestamped free note to today's entry.

    Example: reflect write "Sam's launch went well; I said so." --tag team
    """
    from reflect.config import ensure_config
    from reflect.dates import parse_day
    from reflect.session import add_note

    home = _home(ctx)
    day = parse_day(date, option="--date")
    config = ensure_config(home.ensure())
    if text is None:
        if sys.stdin.isatty():
            from reflect.editor import edit_text

            text = edit_text("", home.root, config.editor)
            if text is None:
                typer.echo("reflect: the editor failed; nothing saved", err=True)
                raise typer.Exit(1)
        else:
            text = sys.stdin.read()
    path = add_note(home, day, text, tag or [])
    typer.echo(f"Note saved in {path}", err=True)


@app.command()
def show(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Argument(help="YYYY-MM-DD, today or yesterday.")] = None,
    *,
    json_out: JsonOption = False,
) -> None:
    """Show one day's entry for reading.

    Example: reflect show yesterday
    """
    from reflect.dates import parse_day
    from reflect.day import entry_data
    from reflect.errors import EntryNotFound
    from reflect.packs import packs_by_id
    from reflect.store import entry_path, read_entry

    home = _home(ctx)
    day = parse_day(date, option="DATE")
    entry = read_entry(home, day)
    if entry is None:
        raise EntryNotFound(f"nothing written on {day}; `reflect log` lists the days you wrote")
    packs = packs_by_id(home, list(entry.front.packs))
    path = str(entry_path(home, day))
    if json_out:
        _echo_json(entry_data(entry, packs, path))
        return
    from reflect.render import console, entry_view

    out = console()
    for part in entry_view(entry, packs, path):
        out.print(part)


@app.command()
def log(
    ctx: typer.Context,
    *,
    n: Annotated[int, typer.Option("-n", help="How many days, newest first.", min=1)] = 10,
    since: Annotated[str | None, typer.Option(help="From this day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this day (YYYY-MM-DD).")] = None,
    json_out: JsonOption = False,
) -> None:
    """List recent days, one line each with a preview.

    Example: reflect log -n 5 --since 2026-11-01
    """
    from reflect.dates import parse_day
    from reflect.day import preview
    from reflect.store import BadEntry, iter_entries

    home = _home(ctx)
    start = parse_day(since, option="--since") if since else None
    end = parse_day(until, option="--until") if until else None
    items = list(iter_entries(home, start, end))[-n:][::-1]
    bad = [item for item in items if isinstance(item, BadEntry)]
    for item in bad:
        typer.echo(f"reflect: skipped {item.error}", err=True)
    entries = [item for item in items if not isinstance(item, BadEntry)]
    if json_out:
        _echo_json(
            [
                {
                    "date": e.date.isoformat(),
                    "answers": sum(len(v) for v in e.front.answers.values()),
                    "notes": len(e.notes()),
                    "tags": list(e.front.tags),
                    "preview": preview(e),
                }
                for e in entries
            ]
        )
        return
    if not entries:
        typer.echo("Nothing written yet. `reflect today` starts.")
        return
    for e in entries:
        count = sum(len(v) for v in e.front.answers.values())
        typer.echo(f"{e.date}  {count:>2} answer(s)  {preview(e)}")


@packs_app.command("list")
def packs_list(ctx: typer.Context, *, json_out: JsonOption = False) -> None:
    """List every pack, built-in or installed, and whether it is enabled.

    Example: reflect packs list --json
    """
    from reflect.config import load_config
    from reflect.packs import all_packs

    home = _home(ctx)
    enabled = load_config(home).packs
    packs = sorted(all_packs(home).values(), key=lambda info: info.pack.id)
    if json_out:
        _echo_json(
            [
                {
                    "id": i.pack.id,
                    "name": i.pack.name,
                    "version": i.pack.version,
                    "prompts": len(i.pack.prompts),
                    "enabled": i.pack.id in enabled,
                    "source": i.source,
                    "path": str(i.path),
                }
                for i in packs
            ]
        )
        return
    from reflect.render import console, packs_table

    console().print(packs_table(packs, enabled))


@packs_app.command("enable")
def packs_enable(ctx: typer.Context, pack_id: Annotated[str, typer.Argument(metavar="ID", help="The pack's id.")]) -> None:
    """Ask a pack's questions from now on.

    Example: reflect packs enable servant-leadership
    """
    from reflect.packs import set_enabled

    changed = set_enabled(_home(ctx).ensure(), pack_id, True)
    typer.echo(f"{pack_id} {'enabled' if changed else 'was already enabled'}")


@packs_app.command("disable")
def packs_disable(ctx: typer.Context, pack_id: Annotated[str, typer.Argument(metavar="ID", help="The pack's id.")]) -> None:
    """Stop asking a pack's questions; answers already given stay in the journal.

    Example: reflect packs disable partnership
    """
    from reflect.packs import set_enabled

    changed = set_enabled(_home(ctx).ensure(), pack_id, False)
    typer.echo(f"{pack_id} {'disabled' if changed else 'was already disabled'}")


def main() -> NoReturn:
    """The console script: `reflect` and `python -m reflect`."""
    app(prog_name="reflect")
    raise SystemExit(0)
