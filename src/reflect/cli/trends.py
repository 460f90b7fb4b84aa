"""`reflect trends` and `reflect calendar`: how the answers move, and which days were written."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from reflect.cli.common import NOTHING_YET, JsonOption, echo_json, home_of, warn_unreadable
from reflect.errors import UsageError
from reflect.journal.home import Home

if TYPE_CHECKING:
    from reflect.journal.store import BadEntry
    from reflect.trends.stats import ValueProblem

app = typer.Typer(rich_markup_mode=None)

MAX_PROBLEM_LINES = 10


class By(StrEnum):
    day = "day"
    week = "week"
    month = "month"


@app.command()
def trends(
    ctx: typer.Context,
    *,
    week: Annotated[
        str | None,
        typer.Option(
            metavar="WEEK", help="One ISO week: 2026-W48, this or last.", show_default=False
        ),
    ] = None,
    month: Annotated[
        str | None,
        typer.Option(metavar="MONTH", help="One month: 2026-11, this or last.", show_default=False),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(metavar="DAY", help="From this day: YYYY-MM-DD, today or yesterday."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(metavar="DAY", help="Up to this day (default today).", show_default=False),
    ] = None,
    by: Annotated[
        By | None,
        typer.Option(
            help="One column per day, week or month.",
            show_default="days for a week, weeks up to half a year, else months",
        ),
    ] = None,
    pack: Annotated[
        str | None, typer.Option("--pack", metavar="ID", help="Only this pack's prompts.")
    ] = None,
    prompt: Annotated[
        str | None,
        typer.Option("--prompt", metavar="PACK/ID", help="Only this prompt, e.g. daily/mood."),
    ] = None,
    min_max: Annotated[
        bool, typer.Option("--min-max", help="Show each period's lowest and highest answer.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Show how your answers move: a table per pack, a row per prompt, a column per period.

    Without a range: the last four weeks, by week. Prompts a pack no longer
    asks, and packs since disabled, still show where they were answered,
    marked retired.

    Example: reflect trends --month 2026-11 --pack partnership
    """
    from reflect.journal.config import load_config
    from reflect.model.dates import pick_range, today
    from reflect.packs.library import readable_packs
    from reflect.trends.stats import TrendsQuery, default_by, load_trends, trends_data

    home = home_of(ctx)
    now = today()
    span = pick_range(week=week, month=month, since=since, until=until, now=now)
    key = _prompt_key(prompt, pack)
    packs, broken = readable_packs(home)
    for error in broken:
        typer.echo(f"reflect: warning: {error}; its answers show as retired", err=True)
    query = TrendsQuery(
        packs,
        load_config(home).packs,
        span,
        by.value if by else default_by(span),
        today=now,
        pack=pack,
        prompt=key,
    )
    result = load_trends(home, query)
    _report(result.skipped_files, result.problems)
    if json_out:
        echo_json(trends_data(result))
        return
    if result.is_empty:
        if _journal_is_empty(home):
            typer.echo(NOTHING_YET)
        else:
            typer.echo(
                f"Nothing written from {span.start} to {span.end}. "
                "`reflect log` lists the days you wrote."
            )
        return
    from reflect.render import console
    from reflect.render.trends import trends_view

    out = console()
    for part in trends_view(result, width=out.width, min_max=min_max):
        out.print(part)


def _prompt_key(prompt: str | None, pack: str | None) -> tuple[str, str] | None:
    if prompt is None:
        return None
    from reflect.model.pack import split_key

    pack_id, prompt_id = split_key(prompt, "--prompt")
    if pack is not None and pack != pack_id:
        raise UsageError(f"--prompt {prompt} is not in --pack {pack}: give one or the other")
    return pack_id, prompt_id


def _report(skipped: "list[BadEntry]", problems: "list[ValueProblem]") -> None:
    """Broken files and misfit values, on stderr: named, never silently dropped."""
    warn_unreadable(skipped)
    for problem in problems[:MAX_PROBLEM_LINES]:
        typer.echo(f"reflect: {problem.line_text()}", err=True)
    if len(problems) > MAX_PROBLEM_LINES:
        typer.echo(
            f"reflect: ... and {len(problems) - MAX_PROBLEM_LINES} more answers that do not "
            "fit their prompt; --json lists them all",
            err=True,
        )


def _journal_is_empty(home: Home) -> bool:
    from reflect.journal.store import entry_files

    return next(entry_files(home), None) is None


@app.command()
def calendar(
    ctx: typer.Context,
    *,
    year: Annotated[
        int | None,
        typer.Option(min=1, max=9999, help="The year to show.", show_default="this year"),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Show a year of days written as a heatmap: darker days answered more.

    Example: reflect calendar --year 2026
    """
    from reflect.model.dates import today
    from reflect.trends.stats import calendar_data, load_calendar

    home = home_of(ctx)
    now = today()
    result = load_calendar(home, year or now.year, today=now)
    _report(result.skipped_files, [])
    if json_out:
        echo_json(calendar_data(result))
        return
    if not result.days and _journal_is_empty(home):
        typer.echo(NOTHING_YET)
        return
    from reflect.render import console
    from reflect.render.calendar import calendar_view

    out = console()
    for part in calendar_view(result):
        out.print(part)
