"""`reflect doctor`: check the journal home, and make the safe repairs."""

from typing import Annotated

import typer

from reflect.cli.common import JsonOption, echo_json, home_of

app = typer.Typer()


@app.command()
def doctor(
    ctx: typer.Context,
    *,
    fix: Annotated[
        bool, typer.Option("--fix", help="Make the safe repairs it reports; never touches prose.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Check the journal: permissions, unreadable entries, leftovers, unsaved drafts, packs.

    Exit 1 while a problem remains.

    Example: reflect doctor --fix
    """
    from reflect.doctor.check import check

    home = home_of(ctx)
    report = check(home, fix=fix)
    if json_out:
        echo_json(
            {
                "home": str(report.home),
                "entries": report.entries,
                "healthy": report.healthy,
                "findings": [f.as_dict() for f in report.findings],
            }
        )
    else:
        for finding in report.findings:
            where = f"{finding.path}: " if finding.path else ""
            done = " (fixed)" if finding.fixed else ""
            advice = f"; {finding.advice}" if finding.advice and not finding.fixed else ""
            typer.echo(f"{finding.level}: {where}{finding.what}{done}{advice}")
        counts = {
            level: sum(1 for f in report.findings if f.level == level and not f.fixed)
            for level in ("problem", "warning")
        }
        fixed = sum(1 for f in report.findings if f.fixed)
        typer.echo(
            f"{report.home}: {report.entries} entries read; {counts['problem']} problem(s), "
            f"{counts['warning']} warning(s)" + (f", {fixed} fixed" if fixed else ""),
            err=True,
        )
    if not report.healthy:
        raise typer.Exit(1)
