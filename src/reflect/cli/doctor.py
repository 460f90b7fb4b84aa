"""`reflect doctor`: check the journal home, and make the safe repairs."""

from typing import Annotated

import typer

from reflect.cli.common import JsonOption, echo_json, home_of

app = typer.Typer(rich_markup_mode=None)


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
    from reflect.doctor.check import check, doctor_data
    from reflect.model.text import clean_line

    home = home_of(ctx)
    report = check(home, fix=fix)
    if json_out:
        echo_json(doctor_data(report))
    else:
        for finding in report.findings:
            where = f"{finding.path}: " if finding.path else ""
            done = " (fixed)" if finding.fixed else ""
            advice = f"; {finding.advice}" if finding.advice and not finding.fixed else ""
            typer.echo(clean_line(f"{finding.level}: {where}{finding.what}{done}{advice}"))
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


@app.command()
def migrate(
    ctx: typer.Context,
    *,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Upgrade every entry to the current format now, instead of on its next write.

    Each file is rewritten atomically; prose is never changed, and a file that
    cannot be migrated is named and left alone (exit 1). Running it again
    changes nothing.

    Example: reflect migrate --dry-run
    """
    from reflect.doctor.migrate_journal import migrate_journal, migration_data

    home = home_of(ctx)
    result = migrate_journal(home, apply=not dry_run)
    if json_out:
        echo_json(migration_data(result, home.root))
    else:
        verb = "would migrate" if dry_run else "migrated"
        for planned in result.files:
            if planned.error is not None:
                typer.echo(f"{planned.path}: not migrated: {planned.error}", err=True)
            else:
                typer.echo(f"{planned.path}: {verb}: {planned.migration.describe()}")
        for bad in result.unreadable:
            typer.echo(f"{bad.error}; left alone", err=True)
        done = len(result.files) - len(result.failed)
        typer.echo(
            f"{done} file(s) {verb}, {result.current} already current, "
            f"{len(result.failed) + len(result.unreadable)} left alone",
            err=True,
        )
    if result.failed or result.unreadable:
        raise typer.Exit(1)
