"""Daily use: answering today's questions, notes, and reading days back."""

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from reflect.cli.app import (
    DateOption,
    JsonOption,
    SinceOption,
    UntilOption,
    app,
    echo_json,
    home_of,
    warn_packs,
    warn_unreadable,
)
from reflect.journal.home import Home


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
    from reflect.daily.session import Session, resolve_answers, save_answers
    from reflect.journal.config import ensure_config
    from reflect.journal.store import entry_path
    from reflect.model.dates import parse_day
    from reflect.packs.library import enabled_packs
    from reflect.packs.schedule import prompts_for

    home = home_of(ctx)
    day = parse_day(date, option="--date")
    _warn_future(day)
    config = ensure_config(home.ensure())
    enabled = enabled_packs(home, config)
    warn_packs(enabled)
    _offer_drafts(home, ask=not (answer or no_input))
    if answer or no_input:
        given = resolve_answers(enabled.packs, answer or [])
        if not given:
            from reflect.errors import UsageError

            raise UsageError("--no-input needs at least one --answer PACK/PROMPT=VALUE")
        save_answers(home, day, given)
        typer.echo(f"Saved {len(given)} answer(s) to {entry_path(home, day)}", err=True)
        return
    asked = prompts_for(day, enabled.packs)
    if not asked:
        typer.echo("No questions for that day: enable a pack with `reflect packs enable ID`.")
        return
    session = Session(home, day, asked, _Terminal(home, config.editor))
    try:
        with _stop_on_signals():
            result = session.run()
    except KeyboardInterrupt as exc:
        typer.echo("", err=True)
        typer.echo(
            f"reflect: stopped; the answers you gave are saved in {entry_path(home, day)}",
            err=True,
        )
        raise typer.Exit(exc.args[0] if exc.args else 130) from None
    typer.echo("")
    saved = len(result.answered)
    where = entry_path(home, day)
    if result.stopped and not where.exists():
        typer.echo("Stopped. Nothing was saved.")
    elif result.stopped and not saved:
        typer.echo(f"Stopped. Nothing new; the day's entry is {where}")
    elif result.stopped:
        typer.echo(f"Stopped. {saved} answer(s) saved in {where}")
    else:
        typer.echo(f"Done: {saved} answer(s), {len(result.skipped)} skipped. Saved in {where}")


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal) stop a session the way Ctrl-C does.

    Every answer is saved as soon as it is given, so stopping loses nothing;
    the exit code is 128 plus the signal's number, as shells expect.
    """
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(128 + signum)

    wanted = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {sig: signal.signal(sig, stop) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _warn_future(day: dt.date) -> None:
    from reflect.model.dates import today as today_date

    if day > today_date():
        typer.echo(f"reflect: warning: {day} is in the future", err=True)


def _offer_drafts(home: Home, *, ask: bool) -> None:
    """Answers an earlier session could not save: restore them, with the person's say-so."""
    from reflect.journal.save import discard, find_drafts, restore
    from reflect.journal.store import entry_path

    drafts, unreadable = find_drafts(home)
    for problem in unreadable:
        typer.echo(f"reflect: warning: unreadable recovery draft {problem}", err=True)
    for draft in drafts:
        what = f"{draft.describe()} could not be saved earlier; they are kept in {draft.path}"
        if not ask:
            typer.echo(f"reflect: warning: {what}; run `reflect today` to restore them", err=True)
            continue
        typer.echo(what)
        choice = typer.prompt("Restore them now? [y]es, [l]ater, [d]iscard", default="y")
        if choice.strip().lower().startswith("d"):
            discard(draft)
            typer.echo("Discarded.")
        elif choice.strip().lower().startswith("l"):
            typer.echo("Kept for later.")
        else:
            restore(home, draft)
            typer.echo(f"Restored into {entry_path(home, draft.day)}")


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
        from reflect.daily.editor import edit_text

        return edit_text(initial, self.home.root, self.editor)


@app.command()
def prompt(ctx: typer.Context, *, date: DateOption = None, json_out: JsonOption = False) -> None:
    """Print the day's questions without asking them (for a shell greeting).

    Example: reflect prompt --json
    """
    from reflect.model.dates import parse_day
    from reflect.model.text import clean_line
    from reflect.packs.library import enabled_packs
    from reflect.packs.schedule import prompts_for

    home = home_of(ctx)
    day = parse_day(date, option="--date")
    enabled = enabled_packs(home)
    warn_packs(enabled)
    asked = prompts_for(day, enabled.packs)
    if json_out:
        echo_json([_prompt_data(item.pack.id, item.prompt) for item in asked])
        return
    for item in asked:
        typer.echo(
            f"{item.pack.id}: {clean_line(item.prompt.text)} ({clean_line(item.prompt.describe())})"
        )


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
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Tag the day; repeatable.")
    ] = None,
) -> None:
    """Add a timestamped free note to today's entry.

    Example: reflect write "Sam's launch went well; I said so." --tag team
    """
    from reflect.daily.session import add_note
    from reflect.journal.config import ensure_config
    from reflect.model.dates import parse_day

    home = home_of(ctx)
    day = parse_day(date, option="--date")
    _warn_future(day)
    config = ensure_config(home.ensure())
    if text is None:
        if sys.stdin.isatty():
            from reflect.daily.editor import edit_text

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
    on_this_day: Annotated[
        bool,
        typer.Option(
            "--on-this-day",
            help="What you wrote on DATE's date in earlier years "
            "(on 28 February of a common year, 29 February too).",
        ),
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Show one day's entry for reading.

    Example: reflect show yesterday
    """
    from reflect.errors import EntryNotFound
    from reflect.journal.store import entry_path, read_entry
    from reflect.lookback.day import entry_data
    from reflect.model.dates import parse_day
    from reflect.packs.library import packs_by_id

    home = home_of(ctx)
    day = parse_day(date, option="DATE")
    if on_this_day:
        _show_on_this_day(home, day, json_out=json_out)
        return
    entry = read_entry(home, day)
    if entry is None:
        raise EntryNotFound(f"nothing written on {day}; `reflect log` lists the days you wrote")
    packs = packs_by_id(home, list(entry.front.packs))
    path = str(entry_path(home, day))
    if json_out:
        echo_json(entry_data(entry, packs, path))
        return
    from reflect.render import console
    from reflect.render.day import entry_view

    out = console()
    for part in entry_view(entry, packs, path):
        out.print(part)


def _show_on_this_day(home: Home, day: Any, *, json_out: bool) -> None:
    from reflect.journal.store import entry_path
    from reflect.lookback.day import entry_data
    from reflect.lookback.queries import PackCache, on_this_day

    entries, bad = on_this_day(home, day)
    warn_unreadable(bad)
    cache = PackCache(home)
    if json_out:
        echo_json(
            [
                {
                    **entry_data(e, cache.for_entry(e), str(entry_path(home, e.date))),
                    "years_ago": day.year - e.date.year,
                }
                for e in entries
            ]
        )
        return
    if not entries:
        typer.echo(f"Nothing written on {day:%d %B} in earlier years.")
        return
    from reflect.render import console
    from reflect.render.this_day import this_day_view

    out = console()
    views = [(e, cache.for_entry(e), str(entry_path(home, e.date))) for e in entries]
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
            "repeatable.",
            show_default=False,
        ),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """List recent days, one line each with a preview.

    Example: reflect log -n 5 --since 2026-11-01 --where growth-mindset/threatened-by-success=yes
    """
    from reflect.errors import UsageError
    from reflect.journal.store import recent_entries
    from reflect.lookback.day import preview
    from reflect.lookback.queries import LogFilter, check_names, parse_where
    from reflect.model.dates import parse_day

    home = home_of(ctx)
    start = parse_day(since, option="--since") if since else None
    end = parse_day(until, option="--until") if until else None
    if start and end and start > end:
        raise UsageError(f"--since {start} is after --until {end}: swap them")
    chosen = LogFilter(
        tags=tuple(tag or ()),
        pack=pack,
        wheres=tuple(parse_where(home, raw) for raw in where or ()),
    )
    entries, bad = recent_entries(home, n, start, end, chosen.keeps if chosen else None)
    warn_unreadable(bad)
    if not entries:
        check_names(home, pack, wheres=chosen.wheres)
    if json_out:
        echo_json(
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
        if chosen or start or end:
            typer.echo("No days match.")
        else:
            typer.echo("Nothing written yet. `reflect today` starts.")
        return
    for e in entries:
        count = sum(len(v) for v in e.front.answers.values())
        # A day of notes only (written, or imported from another journal) says so.
        what = f"{count:>2} answer(s)" if count else f"{len(e.notes()):>2} note(s)".ljust(12)
        typer.echo(f"{e.date}  {what}  {preview(e)}")
