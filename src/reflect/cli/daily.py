"""Daily use: answer the day's questions, write a note, edit a day, import another journal.

The logic lives in reflect.daily; these commands parse, call it, and report.
"""

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reflect.cli.common import (
    DateOption,
    Group,
    JsonOption,
    echo_json,
    home_of,
    say,
    warn_packs,
)
from reflect.journal.home import Home

if TYPE_CHECKING:
    from reflect.daily.importer import Zone
    from reflect.journal.config import Config
    from reflect.model.pack import Pack

app = typer.Typer(rich_markup_mode=None)


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
            help="PACK/PROMPT=VALUE (or PROMPT=VALUE when unambiguous), "
            "PACK/PROMPT/follow-up=TEXT for a follow-up; repeatable.",
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask; save the --answer values only.")
    ] = False,
    revisit: Annotated[
        bool,
        typer.Option(
            "--revisit", help="Go through every question, the answered ones too, to change them."
        ),
    ] = False,
) -> None:
    """Ask today's questions, saving each answer as you go.

    A day already begun resumes at the first open question.

    Example: reflect today --no-input --answer daily/mood=4 --answer energy=3
    """
    from reflect.cli.common import keep_greeting
    from reflect.daily.greeting import kept_fresh, sources_key
    from reflect.daily.session import Session, remember_write, resolve_answers, save_answers
    from reflect.journal import crypt
    from reflect.journal.store import entry_path
    from reflect.model.dates import parse_day
    from reflect.packs.library import enabled_packs
    from reflect.packs.schedule import prompts_for

    home = home_of(ctx)
    day = parse_day(date, option="--date")
    _warn_future(day)
    sources = sources_key(home)  # what config.toml and the packs were before being read
    config, config_key = _config_read(home)
    # An encrypted journal's key is had before the first question, never after typing.
    try:
        crypt.unlock(home.root, ask=not no_input)
        locked = False
    except crypt.LockedError:
        if not answer:
            raise
        locked = True  # the answers given are kept in a draft encrypted to the key (save.py)
    enabled = enabled_packs(home, config)
    warn_packs(enabled)
    if not locked:
        _offer_drafts(home, enabled.packs, ask=not (answer or no_input))
    if answer or no_input:
        given = resolve_answers(enabled.packs, answer or [])
        if not given:
            from reflect.errors import UsageError

            raise UsageError("--no-input needs at least one --answer PACK/PROMPT=VALUE")
        remember_write(home, day, save_answers(home, day, given), config_key)
        if not kept_fresh(home):
            keep_greeting(home, enabled, sources)  # what the next quick `today --answer` checks by
        typer.echo(f"Saved {len(given)} answer(s) to {entry_path(home, day)}", err=True)
        return
    asked = prompts_for(day, enabled.packs)
    if not asked:
        typer.echo("No questions for that day: enable a pack with `reflect packs enable ID`.")
        return
    session = Session(home, day, asked, _Terminal(home, config.editor), revisit=revisit)
    try:
        with _stop_on_signals(home):
            result = session.run()
    except KeyboardInterrupt as exc:
        typer.echo("", err=True)
        typer.echo(
            f"reflect: stopped; the answers you gave are saved in {entry_path(home, day)}",
            err=True,
        )
        raise typer.Exit(exc.args[0] if exc.args else 130) from None
    if result.all_answered:
        return
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


def _config_read(home: Home) -> "tuple[Config, list[int] | None]":
    """config.toml loaded (written on first use), and its file key when it did not move meanwhile."""
    from reflect.daily.kept import file_key
    from reflect.journal.config import ensure_config

    path = str(home.config_path)
    before = file_key(path)
    config = ensure_config(home.ensure())
    after = file_key(path)
    return config, after if before is None or before == after else None


@contextlib.contextmanager
def _stop_on_signals(home: Home) -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP (a closed terminal) stop a session alike.

    Every answer is saved as soon as it is given, so stopping loses nothing
    entered; a line typed but not yet entered is kept in the recovery folder
    (never saved as an answer: Ctrl-C may mean "not this"). The exit code is
    128 plus the signal's number, as shells expect.
    """
    import signal

    def stop(signum: int, frame: object) -> None:
        _keep_unentered(home)
        raise KeyboardInterrupt(128 + signum)

    wanted = [signal.SIGINT, signal.SIGTERM] + (
        [signal.SIGHUP] if hasattr(signal, "SIGHUP") else []
    )
    previous = {sig: signal.signal(sig, stop) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _keep_unentered(home: Home) -> None:
    """The line being typed when a signal came, kept as text in the recovery folder."""
    line = ""
    if "readline" in sys.modules:
        with contextlib.suppress(Exception):
            line = sys.modules["readline"].get_line_buffer()
    if not line.strip():
        return
    from reflect.journal.drafts import keep_bytes

    kept = keep_bytes(home, line.encode("utf-8", "surrogateescape"), UNENTERED)
    if kept is not None:
        with contextlib.suppress(OSError, ValueError):
            typer.echo(
                f"\nreflect: the line you had typed, not entered, is kept in {kept}", err=True
            )


UNENTERED = "unentered"


def _warn_future(day: dt.date) -> None:
    from reflect.model.dates import today as today_date

    if day > today_date():
        typer.echo(f"reflect: warning: {day} is in the future", err=True)


def _offer_drafts(home: Home, packs: "list[Pack]", *, ask: bool) -> None:
    """Answers an earlier session could not save: restore them, with the person's say-so."""
    from reflect.daily.session import restore_draft
    from reflect.errors import ReflectError
    from reflect.journal.drafts import discard, find_drafts, kept_texts
    from reflect.journal.store import entry_path

    drafts, unreadable = find_drafts(home)
    for kept in kept_texts(home):
        if kept.name.startswith(f"{UNENTERED}-"):
            typer.echo(
                f"reflect: a line you typed but did not enter is kept in {kept} "
                "(not saved as an answer); copy what you want, then delete it",
                err=True,
            )
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
            try:
                restore_draft(home, draft, packs)
            except ReflectError as exc:
                typer.echo(
                    f"reflect: could not restore it: {exc}; it stays in {draft.path}", err=True
                )
                continue
            typer.echo(f"Restored into {entry_path(home, draft.day)}")


class _Terminal:
    """The real terminal for a session: line editing where available, $EDITOR for long text."""

    def __init__(self, home: Home, editor: str | None) -> None:
        self.home = home
        self.editor = editor
        if sys.stdin.isatty():
            import readline  # noqa: F401  - gives input() line editing and history

    def ask(self, prompt: str) -> str:
        from reflect.model.text import clean

        return input(clean(prompt))

    def say(self, text: str) -> None:
        from reflect.model.text import clean

        # Pack text (questions, choices, units) reaches the terminal only through here.
        typer.echo(clean(text))

    def edit(self, initial: str) -> str | None:
        from reflect.daily.external_editor import edit_text
        from reflect.journal import crypt

        private = crypt.read_state(self.home.root) is not None
        return edit_text(initial, self.home, self.editor, private=private)


@app.command()
def prompt(ctx: typer.Context, *, date: DateOption = None, json_out: JsonOption = False) -> None:
    """Print the day's questions without asking them (for a shell greeting).

    Example: reflect prompt --json
    """
    from reflect.cli.common import keep_greeting
    from reflect.daily.greeting import prompt_line, sources_key
    from reflect.model.dates import parse_day
    from reflect.model.text import clean_line
    from reflect.packs.library import enabled_packs
    from reflect.packs.schedule import prompts_for

    home = home_of(ctx)
    day = parse_day(date, option="--date")
    sources = sources_key(home)
    enabled = enabled_packs(home)
    warn_packs(enabled)
    asked = prompts_for(day, enabled.packs)
    if json_out:
        from reflect.packs.schedule import prompts_data

        echo_json(prompts_data(day, asked))
        return
    for item in asked:
        typer.echo(
            prompt_line(
                item.pack.id, clean_line(item.prompt.text), clean_line(item.prompt.describe())
            )
        )
    keep_greeting(home, enabled, sources)


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
    time: Annotated[
        str | None,
        typer.Option(
            "--time",
            metavar="HH:MM",
            help="The note's time; without it, a note of today gets the time now and a note "
            "of another day none.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Add a free note to today's entry, under a heading with the time.

    Example: reflect write "Sam's launch went well; I said so." --tag team
    """
    from reflect.daily.session import add_note, remember_write
    from reflect.journal import crypt
    from reflect.journal.store import entry_path
    from reflect.model.dates import parse_day

    home = home_of(ctx)
    day = parse_day(date, option="--date")
    _warn_future(day)
    config, config_key = _config_read(home)
    try:
        private = crypt.unlock(home.root) is not None
    except crypt.LockedError:
        if text is None and sys.stdin.isatty():
            raise  # nothing typed yet: the editor opens only once the key is had
        private = True  # the note is kept in a draft encrypted to the key (save.py)
    if text is None:
        if sys.stdin.isatty():
            from reflect.daily.external_editor import edit_text

            text = edit_text("", home, config.editor, private=private)
            if text is None:
                typer.echo("reflect: the editor failed; nothing saved", err=True)
                raise typer.Exit(1)
        else:
            from reflect.daily.external_editor import read_typed
            from reflect.journal.store import MAX_ENTRY_BYTES

            text = read_typed(home, sys.stdin.buffer, MAX_ENTRY_BYTES)
    entry = add_note(home, day, text, tag or [], time=time)
    remember_write(home, day, entry, config_key)
    typer.echo(f"Note saved in {entry_path(home, day)}", err=True)


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
    from reflect.daily.edit_entry import Outcome, edit_entry
    from reflect.daily.external_editor import editor_command, run_editor
    from reflect.errors import ReflectError
    from reflect.journal import crypt
    from reflect.journal.config import ensure_config
    from reflect.model.dates import parse_day

    home = home_of(ctx)
    day = parse_day(date, option="DATE")
    config = ensure_config(home.ensure())
    private = crypt.unlock(home.root) is not None
    command = editor_command(config.editor, private=private)

    def open_file(path: Path) -> int:
        return run_editor(command, path)

    def again(problem: str) -> bool:
        typer.echo(f"reflect: your edit cannot be saved: {problem}", err=True)
        try:
            return typer.confirm("Open the editor again to fix it?", default=True, err=True)
        except typer.Abort:
            typer.echo("", err=True)
            return False

    def tell(message: str) -> None:
        say(f"reflect: {message}")

    result = edit_entry(home, day, open_file, again, tell=tell)
    path, kept = result.path, result.kept
    for done in result.recovered:
        say(f"Removed {done}: its text was in the editor when the day was saved")
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
    elif result.outcome is Outcome.UNSAVED and isinstance(result.error, crypt.LockedError):
        message = (
            f"your edit is not saved: {result.problem}; your text is kept, in plain text, in "
            f"{kept}: the next command given the key keeps it encrypted in .recovery"
        )
        if isinstance(result.error, crypt.Interrupted):
            raise crypt.Interrupted(message, result.error.exit_code)
        raise crypt.LockedError(message)
    elif result.outcome is Outcome.UNSAVED:
        raise ReflectError(f"{result.problem}; your text is kept in {kept}")
    else:
        raise ReflectError(
            f"{path.name} changed while you were editing (another reflect wrote to it), so it "
            f"was left as it is; your version is kept in {kept}"
        )


def _unchanged(path: Path) -> str:
    return f"{path.name} is unchanged" if path.exists() else f"nothing was saved to {path.name}"


import_app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Bring in entries from another journal (jrnl, Day One, Daylio); importing twice adds nothing.",
    epilog="Example: reflect import jrnl journal.json",
)
app.add_typer(import_app, name="import")

ExportFile = Annotated[
    Path,
    typer.Argument(
        metavar="FILE", help="The exported file; - reads standard input.", show_default=False
    ),
]
# Below this many entries an import is over before a bar would be worth drawing.
PROGRESS_FROM = 50


@import_app.command("jrnl")
def import_jrnl(ctx: typer.Context, file: ExportFile, *, json_out: JsonOption = False) -> None:
    """Import jrnl's JSON export (`jrnl --format json > journal.json`).

    Each entry becomes a note of its day under its time, titled (a star when
    starred), with its tags on the day; a tag reflect cannot keep as written
    is renamed, and the report says so.

    Example: reflect import jrnl journal.json
    """
    _import(ctx, "jrnl", file, json_out=json_out)


@import_app.command("dayone")
def import_dayone(
    ctx: typer.Context,
    file: ExportFile,
    *,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="Time zone for entries that carry none, e.g. Europe/Copenhagen.",
            show_default="this machine's",
        ),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Import Day One's JSON export (the .zip, or the .json inside it with its media folders).

    Times are the local time of the time zone each entry was written in.
    Photos, video and audio are copied into the journal's attachments/ and
    linked from the note; place, weather and journal name end the note.

    Example: reflect import dayone "Export - Journal.zip"
    """
    from reflect.daily.importer import parse_zone

    _import(ctx, "dayone", file, json_out=json_out, zone=parse_zone(tz))


@import_app.command("daylio")
def import_daylio(
    ctx: typer.Context,
    file: ExportFile,
    *,
    mood: Annotated[
        list[str] | None,
        typer.Option(
            "--mood",
            metavar="NAME=N",
            help="A mood's number on the scale (rad=5 good=4 meh=3 bad=2 awful=1 unless "
            "given); repeatable.",
            show_default=False,
        ),
    ] = None,
    prompt: Annotated[
        str,
        typer.Option("--prompt", metavar="PACK/PROMPT", help="The scale question moods answer."),
    ] = "daily/mood",
    json_out: JsonOption = False,
) -> None:
    """Import Daylio's CSV export: notes, moods as a scale answer, activities as tags.

    Example: reflect import daylio daylio_export.csv --mood sleepy=2
    """
    _import(ctx, "daylio", file, json_out=json_out, moods=(mood or [], prompt))


def _import(
    ctx: typer.Context,
    source: str,
    file: Path,
    *,
    json_out: bool,
    zone: "Zone | None" = None,
    moods: tuple[list[str], str] | None = None,
) -> None:
    from reflect.daily.importer import import_data, import_entries, read_export, summary_lines

    home = home_of(ctx).ensure()
    export = read_export(source, file, zone=zone)
    answers = None
    if moods is not None:
        from reflect.daily.daylio import mood_answers

        answers = mood_answers(home, export, moods[0], moods[1])
    total = len(export.entries)
    if total >= PROGRESS_FROM and sys.stderr.isatty():
        from reflect.render.progress import progress_bar

        with progress_bar(total, f"Importing {file.name}") as advance:
            report = import_entries(home, export, advance, extra=answers)
    else:
        report = import_entries(home, export, extra=answers)
    if answers is not None:
        dropped, notes = answers.report()
        report.dropped += dropped
        report.notes += notes
    for problem in report.unreadable:
        typer.echo(f"reflect: skipped a day: {problem}", err=True)
    for problem in report.not_copied:
        typer.echo(f"reflect: could not copy {problem}", err=True)
    if json_out:
        echo_json(import_data(source, file, report))
    else:
        for line in summary_lines(report, file):
            typer.echo(line)
    if report.not_copied:
        raise typer.Exit(1)
