"""Reading back and bringing in: search, history, edit, import."""

from pathlib import Path
from typing import Annotated

import typer

from reflect.cli.app import (
    JsonOption,
    ReflectGroup,
    SinceOption,
    UntilOption,
    app,
    echo_json,
    home_of,
    warn_unreadable,
)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(metavar="QUERY", help="Words to find; case and accents are ignored."),
    ],
    *,
    since: SinceOption = None,
    until: UntilOption = None,
    pack: Annotated[
        str | None,
        typer.Option("--pack", help="Only answers to this pack's questions.", show_default=False),
    ] = None,
    prompt: Annotated[
        str | None,
        typer.Option(
            "--prompt", help="Only answers to one question: PACK/PROMPT.", show_default=False
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", "-t", help="Only days with this tag; repeatable.", show_default=False
        ),
    ] = None,
    regex: Annotated[
        bool, typer.Option("--regex", "-e", help="QUERY is a regular expression.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Find words in prose, notes and answers; most recent days first.

    Example: reflect search "credit" --since 2026-01-01 --tag team
    """
    from reflect.lookback.queries import Matcher, Scope, check_names, search_data, split_key
    from reflect.lookback.queries import search as run_search
    from reflect.model.dates import parse_day

    home = home_of(ctx)
    matcher = Matcher(query, regex=regex)
    scope = Scope(
        since=parse_day(since, option="--since") if since else None,
        until=parse_day(until, option="--until") if until else None,
        tags=tuple(tag or ()),
        pack=pack,
        prompt=split_key(prompt, "--prompt") if prompt else None,
    )
    result = run_search(home, matcher, scope)
    warn_unreadable(list(result.bad))
    if not result.days:
        check_names(home, scope.pack, scope.prompt)
    if json_out:
        echo_json(search_data(result))
        return
    if not result.days:
        typer.echo(f"No matches for {query!r}.")
        return
    from reflect.render import console
    from reflect.render.search import search_view

    out = console()
    for part in search_view(result, out.width):
        out.print(part)
    typer.echo(
        f"{result.count} matching line(s) on {len(result.days)} day(s).",
        err=True,
    )


@app.command()
def history(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(metavar="PACK/PROMPT", help="The question, e.g. daily/mood."),
    ],
    *,
    since: SinceOption = None,
    until: UntilOption = None,
    oldest_first: Annotated[
        bool, typer.Option("--oldest-first", help="Oldest answer first (default: newest).")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Every answer you gave to one question, with its date; a sparkline for numbers.

    Answers stay even when a newer pack version dropped the question.

    Example: reflect history growth-mindset/threatened-by-success --since 2026-01-01
    """
    from reflect.lookback.queries import history as find_history
    from reflect.lookback.queries import history_data
    from reflect.model.dates import parse_day

    home = home_of(ctx)
    found = find_history(
        home,
        key,
        parse_day(since, option="--since") if since else None,
        parse_day(until, option="--until") if until else None,
    )
    warn_unreadable(list(found.bad))
    if json_out:
        echo_json(history_data(found, newest_first=not oldest_first))
        return
    if not found.answers:
        typer.echo(f"No answers yet to {key}.")
        return
    from reflect.render import console
    from reflect.render.history import history_view

    out = console()
    for part in history_view(found, newest_first=not oldest_first, width=out.width):
        out.print(part)


@app.command()
def edit(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Argument(help="YYYY-MM-DD, today or yesterday.")] = None,
) -> None:
    """Open a day's entry in your editor; it replaces the file only if it still reads.

    The editor is config.toml's `editor`, else $VISUAL, else $EDITOR. A day
    with no entry yet starts one.

    Example: reflect edit yesterday
    """
    from reflect.daily.edit import Outcome, edit_entry
    from reflect.daily.editor import editor_command, run_editor
    from reflect.errors import ReflectError
    from reflect.journal.config import ensure_config
    from reflect.model.dates import parse_day

    home = home_of(ctx)
    day = parse_day(date, option="DATE")
    config = ensure_config(home.ensure())
    command = editor_command(config.editor)

    def open_file(path: Path) -> int:
        return run_editor(command, path)

    def again(problem: str) -> bool:
        typer.echo(f"reflect: your edit cannot be saved: {problem}", err=True)
        try:
            return typer.confirm("Open the editor again to fix it?", default=True, err=True)
        except typer.Abort:
            typer.echo("", err=True)
            return False

    result = edit_entry(home, day, open_file, again)
    path, kept = result.path, result.kept
    if result.outcome is Outcome.SAVED:
        typer.echo(f"Saved {path}", err=True)
    elif result.outcome is Outcome.CREATED:
        typer.echo(f"Started {path}", err=True)
    elif result.outcome is Outcome.UNCHANGED:
        typer.echo(f"No changes; {path} is as it was.", err=True)
    elif result.outcome is Outcome.TOO_QUICK:
        raise ReflectError(
            f"the editor ({command[0]}) returned after {result.seconds:.1f}s without a change, "
            "so nothing was saved. If it opened a window, it did not wait for you to close it: "
            'close that window and set EDITOR to a command that waits, e.g. export EDITOR="code --wait" '
            '(or "subl -w", "gvim -f")'
        )
    elif result.outcome is Outcome.EDITOR_FAILED:
        also = f"; what you typed is kept in {kept}" if kept else ""
        raise ReflectError(
            f"the editor exited with status {result.status}; {_unchanged(path)}{also}"
        )
    elif result.outcome is Outcome.KEPT_ASIDE:
        raise ReflectError(
            f"{_unchanged(path)}; your text is kept in {kept}. "
            f"Fix it there and copy it over, or run `reflect edit {day}` again"
        )
    else:
        raise ReflectError(
            f"{path.name} changed while you were editing (another reflect wrote to it), so it "
            f"was left as it is; your version is kept in {kept}"
        )


def _unchanged(path: Path) -> str:
    return f"{path.name} is unchanged" if path.exists() else f"nothing was saved to {path.name}"


import_app = typer.Typer(
    cls=ReflectGroup,
    help="Bring in entries from another journal (jrnl, Day One); importing twice adds nothing.",
    epilog="Example: reflect import jrnl journal.json",
)
app.add_typer(import_app, name="import")

ExportFile = Annotated[
    Path,
    typer.Argument(metavar="FILE", help="The exported file.", show_default=False),
]
# Below this many entries an import is over before a bar would be worth drawing.
PROGRESS_FROM = 50


@import_app.command("jrnl")
def import_jrnl(ctx: typer.Context, file: ExportFile, *, json_out: JsonOption = False) -> None:
    """Import jrnl's JSON export (`jrnl --format json > journal.json`).

    Each entry becomes a timestamped note of its day, titled, with its tags;
    starred entries also tag the day `starred`.

    Example: reflect import jrnl journal.json
    """
    _import(ctx, "jrnl", file, json_out=json_out)


@import_app.command("dayone")
def import_dayone(ctx: typer.Context, file: ExportFile, *, json_out: JsonOption = False) -> None:
    """Import Day One's JSON export (the .zip, or the .json inside it).

    Times are the local time of the time zone each entry was written in.

    Example: reflect import dayone "Export - Journal.zip"
    """
    _import(ctx, "dayone", file, json_out=json_out)


def _import(ctx: typer.Context, source: str, file: Path, *, json_out: bool) -> None:
    import sys

    from reflect.daily.importer import import_entries, read_export, report_data

    home = home_of(ctx).ensure()
    export = read_export(source, file)
    total = len(export.entries)
    if total >= PROGRESS_FROM and sys.stderr.isatty():
        from reflect.render.progress import progress_bar

        with progress_bar(total, f"Importing {file.name}") as advance:
            report = import_entries(home, export, advance)
    else:
        report = import_entries(home, export)
    for problem in report.unreadable:
        typer.echo(f"reflect: skipped a day: {problem}", err=True)
    if json_out:
        echo_json(report_data(source, file, report))
        return
    new = f" ({len(report.new_days)} new)" if report.entries else ""
    typer.echo(
        f"Imported {_count(report.entries, 'entry', 'entries')} on "
        f"{_count(len(report.days), 'day', 'days')}{new} from {file}."
    )
    if report.skipped_entries:
        why = ", ".join(f"{n} {reason}" for reason, n in report.skipped.most_common())
        days = len(report.skipped_days)
        on_days = f" on {_count(days, 'day', 'days')}" if days else ""
        typer.echo(f"Skipped {_count(report.skipped_entries, 'entry', 'entries')}{on_days}: {why}.")
    else:
        typer.echo("Skipped nothing.")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
