"""`reflect export` (a summary of a week to keep or share) and `reflect report` (a coach's view)."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reflect.cli.common import home_of

if TYPE_CHECKING:
    from reflect.export.review import Review
    from reflect.journal.home import Home
    from reflect.journal.shown import Keeper

app = typer.Typer(rich_markup_mode=None)


class Format(StrEnum):
    md = "md"
    html = "html"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    table = "table"
    md = "md"
    html = "html"
    json = "json"
    csv = "csv"


# export and report write the same way: a file, or - for stdout.
OutputFile = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to this file; - is stdout. html needs one.",
        show_default=False,
    ),
]


@app.command()
def export(
    ctx: typer.Context,
    *,
    week: Annotated[
        str | None,
        typer.Option(
            metavar="WEEK", help="An ISO week: 2026-W48, this or last.", show_default="this"
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            "--since",
            metavar="DAY",
            help="First day of a range instead (--since, as other commands say it, works too).",
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", "--until", metavar="DAY", help="Last day of the range (or --until)."),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html, json or csv.",
            show_default="from -o's extension, else md",
        ),
    ] = None,
    output: OutputFile = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="csv only: start with a byte-order mark, so Excel reads UTF-8."
        ),
    ] = False,
    pack: Annotated[
        list[str] | None,
        typer.Option("--pack", metavar="ID", help="Only this pack; repeatable. --share needs it."),
    ] = None,
    share: Annotated[
        bool,
        typer.Option(
            "--share", help="Only answers and statistics, for a coach: no prose or notes."
        ),
    ] = False,
    include_text: Annotated[
        bool,
        typer.Option(
            "--include-text",
            help="With --share: include prose answers and notes; with --pack: include notes.",
        ),
    ] = False,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            metavar="NAME",
            help="Who the summary is from (else `name` in config.toml).",
            show_default=False,
        ),
    ] = None,
    with_previous: Annotated[
        int | None,
        typer.Option(
            "--with-previous",
            metavar="N",
            min=0,
            max=520,
            help="Also give each question's level in the N weeks before "
            "(a shared summary has none unless asked; others have 4).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a summary of a week (or any range) to keep, print, or share with a coach.

    md, json and csv go to stdout unless -o is given; the format follows -o's
    extension (.md, .html, .json, .csv) unless --format says it.

    Example: reflect export --week last --format html -o review.html
    """
    from reflect.errors import UsageError
    from reflect.export.review import (
        ReviewQuery,
        build_review,
        check_length,
        is_stdout,
        output_file,
        output_format,
    )
    from reflect.journal.config import load_config
    from reflect.model.dates import DateRange, check_order, parse_day, parse_week, today
    from reflect.packs.library import readable_packs

    home = home_of(ctx)
    now = today()
    if start is not None or end is not None:
        if week is not None:
            raise UsageError("--week and --from/--to cannot be used together: choose one")
        if start is None or end is None:
            raise UsageError("--from and --to go together: give both days")
        span = DateRange(parse_day(start, option="--from"), parse_day(end, option="--to"))
        check_order(span.start, span.end, ("--from", "--to"))
    else:
        span = parse_week(week or "this", now=now)
    to_stdout = is_stdout(output)
    target = None if to_stdout or output is None else output_file(output)
    if target is not None:
        inside = target.resolve()
        if inside == home.root.resolve() or home.root.resolve() in inside.parents:
            raise UsageError(
                f"-o {output} is inside the journal home, where it could replace your own "
                "files: write the summary elsewhere"
            )
    chosen = Format(output_format(fmt.value if fmt else None, target))
    if excel and chosen is not Format.csv:
        how = "add --format csv" if fmt is None else "drop --excel"
        raise UsageError(f"--excel is for csv; this summary is {chosen.value}: {how}")
    if chosen is Format.html and output is None:
        raise UsageError("an html summary is a file: give -o FILE, e.g. -o review.html")
    check_length(
        span, chosen.value, with_previous if with_previous is not None else (0 if share else 4)
    )
    packs, _ = readable_packs(home)
    config = load_config(home)
    query = ReviewQuery(
        packs=packs,
        enabled=config.packs,
        span=span,
        today=now,
        only=pack or [],
        share=share,
        include_text=include_text,
        client=name if name is not None else config.name,
        previous_weeks=with_previous,
        times=chosen is Format.csv,
    )
    # Each question's days are read from the journal as they are written: the review holds
    # the index open until then.
    with build_review(home, query) as review:
        _warn_left_out(review)
        _write(
            home,
            review,
            chosen,
            output,
            target,
            excel=excel,
            light=_light_key(
                output,
                not (excel or pack or share or include_text)
                and name is None
                and with_previous is None,
                week,
                start,
                end,
                now.isoformat(),
            ),
        )


def _light_key(
    output: str | None,
    defaults: bool,
    week: str | None,
    start: str | None,
    end: str | None,
    today: str,
) -> str | None:
    """The key the light export keeps this summary's text under, when it may keep it."""
    return export_key_of(week, start, end, today) if output is None and defaults else None


def _write(
    home: "Home",
    review: "Review",
    chosen: Format,
    output: str | None,
    target: Path | None,
    *,
    excel: bool,
    light: str | None,
) -> None:
    """The summary to stdout or -o's file; json written as it is made, never held whole."""
    from reflect.journal.files import write_atomic, write_atomic_pieces

    if chosen is Format.json:
        import sys

        from reflect.export.data import review_data
        from reflect.export.json_text import write_json

        # Written as it is made: a century of days is too long to hold twice as text.
        if target is not None:
            write_atomic_pieces(
                target, lambda write: write_json(review_data(review, lazy=True), write)
            )
            typer.echo(f"Wrote {output}", err=True)
            return
        keeper = _keeper(home, review, light) if light is not None else None
        if keeper is None:
            write_json(review_data(review, lazy=True), sys.stdout.write)
            return
        # The same text goes to the cache as it is written, for the light export to write again.
        kept = keeper

        def write(text: str) -> None:
            sys.stdout.write(text)
            kept.write(text)

        try:
            write_json(review_data(review, lazy=True), write)
        except BaseException:
            kept.abandon()
            raise
        kept.finish()
        return
    text = _render(review, chosen, excel=excel)
    if target is None:
        typer.echo(text, nl=False)
        return
    write_atomic(target, text, make_folder=False)
    typer.echo(f"Wrote {output}", err=True)


def export_key_of(week: str | None, start: str | None, end: str | None, today: str) -> str:
    from reflect.render.quick_export import export_key

    return export_key(week, start, end, today)


def _keeper(home: "Home", review: object, key: str) -> "Keeper | None":
    """Where the text goes for the light export, when this run looked first and warned of nothing."""
    from reflect.export.review import Review
    from reflect.journal.shown import Keeper

    assert isinstance(review, Review)
    if review.skipped_files or review.left_out_answers:
        return None  # something was said on stderr, which a kept text would not say
    return Keeper.start(home, key, 0)


def _warn_left_out(review: object) -> None:
    """What the summary could not count, on stderr as well as in the document."""
    from reflect.cli.common import warn_unreadable
    from reflect.export.review import Review

    assert isinstance(review, Review)
    warn_unreadable(review.skipped_files)
    left = review.left_out_answers
    for answer in left[:MAX_LEFT_OUT_LINES]:
        typer.echo(
            f"reflect: {answer.date} {answer.pack}/{answer.prompt}: {answer.reason}; "
            "left out of the statistics",
            err=True,
        )
    if len(left) > MAX_LEFT_OUT_LINES:
        typer.echo(
            f"reflect: ... and {len(left) - MAX_LEFT_OUT_LINES} more answers left out of the "
            "statistics; the summary lists them all",
            err=True,
        )


MAX_LEFT_OUT_LINES = 10


def _render(review: object, fmt: Format, *, excel: bool = False) -> str:
    from reflect.export.review import Review

    assert isinstance(review, Review)
    if fmt is Format.md:
        from reflect.export.markdown import review_markdown

        return review_markdown(review)
    if fmt is Format.html:
        from reflect.export.page import review_html

        return review_html(review)
    if fmt is Format.csv:
        from reflect.export.table import review_csv

        return review_csv(review, bom=excel)
    from reflect.export.data import review_data
    from reflect.export.json_text import json_text

    return json_text(review_data(review))


@app.command()
def report(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Clients' shared JSON summaries, one or more."),
    ],
    *,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table, md, html, json or csv.",
            show_default="from -o's extension, else table",
        ),
    ] = None,
    output: OutputFile = None,
    client: Annotated[
        str | None,
        typer.Option("--client", metavar="NAME", help="Only this client's weeks, over time."),
    ] = None,
) -> None:
    """Read clients' shared summaries side by side, and weeks as columns: no journal needed.

    Give one file per client per week; files from several weeks make a trend.
    The format follows -o's extension (.md, .html, .json, .csv) unless
    --format says it, as for `export`.

    Example: reflect report alex/*.json sam/*.json -o cohort.html
    """
    from reflect.errors import UsageError
    from reflect.export.report import build_report
    from reflect.export.review import is_stdout, output_file, output_format
    from reflect.journal.files import write_atomic

    to_stdout = is_stdout(output)
    target = None if to_stdout or output is None else output_file(output)
    if target is not None and target.resolve() in {f.resolve() for f in files}:
        raise UsageError(f"-o {output} is one of the summaries to read: write the report elsewhere")
    fmt = ReportFormat(output_format(fmt.value if fmt else None, target, default="table"))
    if fmt is ReportFormat.table and not to_stdout:
        raise UsageError(
            f"-o {output} writes md, html, json or csv: name the file .md, .html, .json or "
            ".csv, or add --format"
        )
    if fmt is ReportFormat.html and output is None:
        raise UsageError("an html report is a file: give -o FILE, e.g. -o cohort.html")
    result = build_report(files, client=client)
    for note in result.notes:
        typer.echo(f"reflect: note: {note}", err=True)
    if fmt is ReportFormat.table:
        from reflect.render import console
        from reflect.render.report import report_view

        out = console()
        for part in report_view(result):
            out.print(part)
        return
    from reflect.export import report_formats

    if fmt is ReportFormat.json:
        text = report_formats.report_json(result)
    elif fmt is ReportFormat.md:
        text = report_formats.report_markdown(result)
    elif fmt is ReportFormat.csv:
        text = report_formats.report_csv(result)
    else:
        text = report_formats.report_html(result)
    if target is None:
        typer.echo(text, nl=False)
        return
    write_atomic(target, text, make_folder=False)
    typer.echo(f"Wrote {output}", err=True)
