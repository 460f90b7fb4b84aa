"""Reading back: show a day, list days, search, and one question's history.

The logic lives in reflect.lookback; these commands parse, call it, and render.
"""

import sys
from typing import Annotated, Any

import typer

from reflect.cli.common import (
    NOTHING_YET,
    JsonOption,
    SinceOption,
    UntilOption,
    echo_json,
    home_of,
    warn_unreadable,
)
from reflect.journal.home import Home

app = typer.Typer(rich_markup_mode=None)

# How many earlier years `show --on-this-day` shows without --all.
RECENT_YEARS = 10


_UNTIED = (
    "a <!-- reflect: ... --> comment that ties nothing (only the first line under a level-2 "
    "heading ties its answer); its text is shown as prose; `reflect doctor` says more"
)


@app.command()
def show(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Argument(help="YYYY-MM-DD, today or yesterday.")] = None,
    *,
    on_this_day: Annotated[
        bool,
        typer.Option(
            "--on-this-day",
            help="What you wrote on DATE's date in earlier years "
            "(on 28 February of a common year, 29 February too); "
            f"the {RECENT_YEARS} most recent of them unless --all (--json: every one).",
        ),
    ] = False,
    all_years: Annotated[
        bool,
        typer.Option("--all", help="With --on-this-day: every earlier year, however many."),
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Show one day's entry for reading.

    Example: reflect show yesterday
    """
    from reflect.errors import EntryNotFound, UsageError
    from reflect.journal.store import entry_path, read_entry
    from reflect.lookback.day import show_data, untied_markers
    from reflect.model.dates import parse_day
    from reflect.packs.versions import given_answers, pack_versions

    home = home_of(ctx)
    day = parse_day(date, option="DATE")
    if on_this_day:
        _show_on_this_day(home, day, every=all_years or json_out, json_out=json_out)
        return
    if all_years:
        raise UsageError("--all goes with --on-this-day")
    entry = read_entry(home, day)
    if entry is None:
        raise EntryNotFound(f"nothing written on {day}; `reflect log` lists the days you wrote")
    answers = given_answers(entry, pack_versions(home))
    path = str(entry_path(home, day))
    for line in untied_markers(entry):
        # Its answer is shown as prose: say why, so it is not taken for lost.
        typer.echo(f"reflect: warning: {path}:{line.line}: {_UNTIED}", err=True)
    if json_out:
        echo_json(show_data(entry, answers, path))
        return
    from reflect.render.page import page_width, plain_output

    if plain_output():
        from reflect.render.day import entry_text

        text = entry_text(entry, answers, path, page_width())
        if text is not None:
            sys.stdout.write(text)
            return
    from reflect.render import console
    from reflect.render.day import entry_view

    out = console()
    for part in entry_view(entry, answers, path):
        out.print(part)


def _show_on_this_day(home: Home, day: Any, *, every: bool, json_out: bool) -> None:
    from reflect.journal.store import entry_path
    from reflect.lookback.day import on_this_day_data
    from reflect.lookback.queries import on_this_day
    from reflect.packs.versions import given_answers, pack_versions

    # A long journal's date comes round in dozens of years: a reader gets the recent ones,
    # and a script (--json) every one.
    found = on_this_day(home, day, years=None if every else RECENT_YEARS)
    warn_unreadable(found.bad)
    versions = pack_versions(home)
    views = [(e, given_answers(e, versions), str(entry_path(home, e.date))) for e in found.entries]
    if json_out:
        echo_json(on_this_day_data(day, views))
        return
    if not views:
        typer.echo(f"Nothing written on {day:%d %B} in earlier years.")
    else:
        _write_this_day(day, views)
    if found.more:
        years, them = ("year", "it") if found.more == 1 else ("years", "them")
        typer.echo(
            f"{found.more} more earlier {years} on {day:%d %B}; "
            f"`reflect show --on-this-day {day} --all` shows {them}.",
            err=True,
        )


def _write_this_day(day: Any, views: Any) -> None:
    from reflect.render.page import page_width, plain_output

    if plain_output():
        from reflect.render.this_day import this_day_text

        # Rich's Markdown costs milliseconds a day; plain output writes the same text.
        text = this_day_text(day, views, page_width())
        if text is not None:
            sys.stdout.write(text)
            return
    from reflect.render import console
    from reflect.render.this_day import this_day_view

    out = console()
    for part in this_day_view(day, views):
        out.print(part)


@app.command()
def log(
    ctx: typer.Context,
    *,
    n: Annotated[int, typer.Option("-n", help="How many days, newest first.", min=1)] = 10,
    since: SinceOption = None,
    until: UntilOption = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", "-t", help="Only days with this tag; repeatable.", show_default=False
        ),
    ] = None,
    pack: Annotated[
        str | None,
        typer.Option("--pack", help="Only days that answered this pack.", show_default=False),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            "-w",
            metavar="PACK/PROMPT=VALUE",
            help="Only days with this answer, e.g. growth-mindset/threatened-by-success=yes; "
            "also !=, and <, <=, >, >= for numbers (daily/mood<=2); for a text question = "
            "means 'contains' (any case) and != 'does not contain'; repeatable.",
            show_default=False,
        ),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """List recent days, one line each with a preview.

    Example: reflect log -n 5 --since 2026-11-01 --where growth-mindset/threatened-by-success=yes
    """
    from reflect.journal.store import recent_entries
    from reflect.lookback.day import log_data, prose_line
    from reflect.lookback.queries import LogFilter, check_names, filtered_entries, parse_where
    from reflect.model.dates import day_bounds

    home = home_of(ctx)
    start, end = day_bounds(since, until)
    chosen = LogFilter(
        tags=tuple(tag or ()),
        pack=pack,
        wheres=tuple(parse_where(home, raw) for raw in where or ()),
    )
    if chosen:
        entries, bad = filtered_entries(home, n, start, end, chosen)
    else:
        entries, bad = recent_entries(home, n, start, end)
    warn_unreadable(bad)
    if not entries:
        check_names(home, pack, wheres=chosen.wheres)
    if json_out:
        echo_json(log_data(entries))
        return
    if not entries:
        if chosen or start or end:
            typer.echo("No days match.")
        else:
            typer.echo(NOTHING_YET)
        return
    for e in entries:
        count = e.answer_count
        # A day of notes only (written, or imported from another journal) says so.
        what = f"{count:>2} answer(s)" if count else f"{len(e.notes()):>2} note(s)".ljust(12)
        typer.echo(f"{e.date}  {what}  {prose_line(e)}")


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
    from reflect.lookback.queries import Matcher, Scope, check_names, search_data
    from reflect.model.dates import day_bounds
    from reflect.model.pack import split_key

    home = home_of(ctx)
    matcher = Matcher(query, regex=regex)
    start, end = day_bounds(since, until)
    scope = Scope(
        since=start,
        until=end,
        tags=tuple(tag or ()),
        pack=pack,
        prompt=split_key(prompt, "--prompt") if prompt else None,
    )
    from reflect.render.page import plain_output
    from reflect.render.search_stream import stream_search

    # Each day is drawn as it is found, so a long search shows its first days at once.
    # Plain output shows no line's pack or prompt: a cold search need not work them out,
    # and writes the text of the days it finds as it finds them (each after a blank line).
    result = stream_search(
        home,
        matcher,
        scope,
        owners=json_out or pack is not None or prompt is not None,
        plain=plain_output(),
        draw=not json_out,
        warn=lambda item: warn_unreadable([item]),
    )
    if not result.day_count:
        check_names(home, scope.pack, scope.prompt)
    if json_out:
        echo_json(search_data(result))
        return
    if not result.day_count:
        typer.echo(f"No matches for {query!r}.")
        return
    typer.echo(
        f"{result.count} matching line(s) on {result.day_count} day(s).",
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
    from reflect.model.dates import day_bounds

    home = home_of(ctx)
    found = find_history(home, key, *day_bounds(since, until))
    warn_unreadable(list(found.bad))
    if json_out:
        echo_json(history_data(found, newest_first=not oldest_first))
        return
    if not found.answers:
        typer.echo(f"No answers yet to {key}.")
        return
    newest_first = not oldest_first
    from reflect.render.page import page_width, plain_output

    if plain_output():
        from reflect.render.history import history_text

        # A long history drawn by Rich costs a millisecond a row; plain output writes the same text.
        width = page_width()
        text = history_text(found, newest_first=newest_first, width=width)
        if text is not None:
            sys.stdout.write(text)
            if not found.bad and since is None and until is None and not oldest_first:
                from reflect.journal.shown import keep

                keep(home, key, width, text)
            return
    from reflect.render import console
    from reflect.render.history import history_view

    out = console()
    for part in history_view(found, newest_first=newest_first, width=out.width):
        out.print(part)
