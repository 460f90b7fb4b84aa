"""`reflect sync`: one journal on several machines, through git."""

from typing import Annotated

import typer

from reflect.cli.common import JsonOption, echo_json, home_of

app = typer.Typer(rich_markup_mode=None)


@app.command()
def sync(
    ctx: typer.Context,
    *,
    init: Annotated[
        str | None,
        typer.Option(
            "--init",
            metavar="REMOTE",
            help="Set up sync with a git remote (ssh, https or a folder), or join one.",
            show_default=False,
        ),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Commit what changed, merge the other machines' days, and push, in one step.

    Two versions of a day merge by meaning: answers to different questions
    are all kept, notes are joined, prose changed on both machines keeps both.

    Example: reflect sync --init git@example.org:me/journal.git
    """
    from reflect.sync.repo import init as init_sync
    from reflect.sync.repo import sync as run_sync

    home = home_of(ctx)
    report = init_sync(home, init) if init is not None else run_sync(home)
    if json_out:
        echo_json(report.as_dict())
        return
    if report.undid_merge:
        typer.echo(
            "A merge a stopped `reflect sync` left unfinished was undone "
            "(`git merge --abort`); merging again.",
            err=True,
        )
    if report.took_key:
        typer.echo(
            "Another machine encrypted this journal: its key opened here, "
            "and this machine's days are encrypted with it too.",
            err=True,
        )
    if report.removed_leftovers:
        typer.echo(
            f"Removed {len(report.removed_leftovers)} copies git left from a stopped merge, "
            "committed by an older reflect: " + ", ".join(report.removed_leftovers),
            err=True,
        )
    if report.committed:
        typer.echo(
            f"Committed {len(report.committed)} day(s): {', '.join(report.committed[:5])}"
            + (" ..." if len(report.committed) > 5 else ""),
            err=True,
        )
    if report.pulled:
        typer.echo(
            f"Brought in {len(report.pulled)} day(s) from the other machines: "
            + ", ".join(report.pulled[:5])
            + (" ..." if len(report.pulled) > 5 else ""),
            err=True,
        )
    for note in report.merge_notes:
        typer.echo(f"Merged {note}", err=True)
    for name in report.set_aside:
        typer.echo(
            f"A version of a day that cannot be read was set aside as {name}; "
            "`reflect doctor` says what to do with it.",
            err=True,
        )
    if report.offline:
        typer.echo(
            f"Could not reach the remote ({report.offline}); "
            "what changed is committed and the push will happen at the next `reflect sync`.",
            err=True,
        )
    elif report.pushed:
        typer.echo("Pushed. The journal is in sync.", err=True)
    else:
        typer.echo("Already in sync.", err=True)
