"""The `reflect` command: its global options, the command groups composed, and exit codes.

Each group is a Typer app in cli/<group>.py whose logic lives in
reflect/<group>/; this module is the one place they are put together, and
ReflectGroup the one place an error becomes a line on stderr and an exit code.
"""

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from reflect.cli import crypt, daily, doctor, export, lookback, packs, sync, trends
from reflect.cli.common import Group, advice, keep_greeting, say, warn_packs
from reflect.errors import ReflectError
from reflect.journal.home import Home, resolve_home


class ReflectGroup(Group):
    """The one place errors become a line on stderr and an exit code.

    ReflectError carries its own code (1, or 2 for usage); Typer's usage
    errors (an unknown option, a bad --by) are 2; input that ends at a prompt
    is 1; an output that cannot be written (a full disk behind `>`) is 1.
    """

    # Typer does not export the vendored Click Context that the base class names.
    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ReflectError as exc:
            say(f"reflect: {exc}{advice(exc.hint)}")
            raise typer.Exit(exc.exit_code) from None
        finally:
            _tell_secured_copies()

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        import os

        instruction = os.environ.get(complete_var or COMPLETE_VAR)
        if instruction:
            from reflect.cli.complete import attach, unreadable_request

            problem = unreadable_request(instruction, os.environ)
            if problem is not None:
                say(f"reflect: {problem}")
                if standalone_mode:
                    sys.exit(1)
                return 1
            attach(self)
        hide_type_hints(self)
        coerce_when_given(self)
        undecodable = _undecodable(sys.argv[1:] if args is None else args)
        if undecodable is not None:
            say(
                f"reflect: the argument {undecodable} is not valid text in the terminal's "
                f"encoding ({sys.getfilesystemencoding()}); type it again as text"
            )
            if standalone_mode:
                sys.exit(2)
            return 2
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()
        except typer.Abort:
            typer.echo("reflect: stopped: the input ended", err=True)
            result = 1
        except OSError as exc:
            from reflect.render.page import output_lost

            output_lost(exc)
            result = 1
        except UnicodeEncodeError as exc:
            if not _output_encoding(exc):
                raise
            sys.stdout = None  # what it holds cannot be written either
            say(
                f"reflect: the output's encoding ({exc.encoding}) cannot write "
                f"{exc.object[exc.start : exc.end]!r}; set PYTHONIOENCODING=utf-8 or a UTF-8 locale"
            )
            result = 1
        except Exception as exc:
            code, message = getattr(exc, "exit_code", None), getattr(exc, "format_message", None)
            if not isinstance(code, int) or message is None:
                raise
            say(f"reflect: {usage_line(exc, str(message()))}")
            result = code
        code = result if isinstance(result, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def _output_encoding(exc: UnicodeEncodeError) -> bool:
    """Whether the text that could not be encoded was on its way to stdout (its encoding's)."""
    import codecs

    try:
        return codecs.lookup(exc.encoding).name == codecs.lookup(sys.stdout.encoding).name
    except (AttributeError, LookupError, TypeError):
        return False


def _undecodable(args: Sequence[str]) -> str | None:
    """The first argument holding bytes the terminal's encoding does not read, shown escaped.

    Python keeps such bytes as lone surrogates, which no file, terminal or
    JSON can take: refused here, before any command holds them.
    """
    encoding = sys.getfilesystemencoding()
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:
                raw = arg.encode(encoding, "surrogateescape")
            except UnicodeEncodeError:
                raw = arg.encode("utf-8", "backslashreplace")
            return "'" + raw.decode(encoding, "backslashreplace") + "'"
    return None


COMPLETE_VAR = "_REFLECT_COMPLETE"
HELP_NAMES = ["-h", "--help"]


def hide_type_hints(command: Any) -> None:
    """Help without Typer's `<bool>` on every flag, and `<str>` (not `<list[str]>`) on a repeatable option or argument.

    Typer prints a parameter's metavar in place of its type hint when one is
    set: a flag gets an empty one, a repeatable option its element's hint.
    """
    from types import SimpleNamespace

    # Once per command: the changes stay, and a process that runs main again (tests do) keeps them.
    if getattr(command, "_type_hints_hidden", False):
        return
    command._type_hints_hidden = True
    # Click makes the help option on first use from the context's names; make it now.
    help_option = command.get_help_option(SimpleNamespace(help_option_names=HELP_NAMES))
    for param in [*command.params, *([help_option] if help_option else [])]:
        if getattr(param, "param_type_name", "") == "argument" and param.type_descriptor.is_list:
            # `FILE <Path>`, not `<list[Path]>`: the usage line already says `{FILE}...`.
            element = param.display_type(None).replace("list[", "").replace("]", "").lower()
            param.display_type_rich = lambda ctx, shown=element: shown
            continue
        if param.metavar is not None or getattr(param, "param_type_name", "") != "option":
            continue
        if param.is_flag:
            param.metavar = ""
        elif param.type_descriptor.is_list and not param.type_descriptor.is_choice:
            param.metavar = param.display_type(None).replace("list[", "").replace("]", "")
    for sub in getattr(command, "commands", {}).values():
        hide_type_hints(sub)


class _CoercedWhenGiven:
    """A parameter's coercion, built only for a value: None passes as Typer passes it.

    Typer 0.29 builds a pydantic TypeAdapter for a parameter when it first
    reads its value, even a value not given, so any command (its `--help`
    too) ran the root's `--home` through pydantic: importing it cost more
    than the rest of a command's help. A value given is coerced by Typer's
    own runtime parameter, built then; no value is the None (or, for a
    repeatable one, the empty tuple) Typer's coercion gives for it.
    """

    def __init__(self, param: Any) -> None:
        self.param = param

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        param._runtime_param = None
        return param.get_runtime_param().coerce(value, param=param, ctx=ctx)


def coerce_when_given(command: Any) -> None:
    """Give every parameter of the command tree a coercion built only when a value comes."""
    from types import SimpleNamespace

    # Once per command, as hide_type_hints: a coercion that ran left Typer's own in its place.
    if getattr(command, "_coerced_when_given", False):
        return
    command._coerced_when_given = True
    help_option = command.get_help_option(SimpleNamespace(help_option_names=HELP_NAMES))
    for param in [*command.params, *([help_option] if help_option else [])]:
        if getattr(param, "_runtime_param", False) is None and hasattr(param, "get_runtime_param"):
            param._runtime_param = _CoercedWhenGiven(param)
    for sub in getattr(command, "commands", {}).values():
        coerce_when_given(sub)


def usage_line(exc: Exception, message: str) -> str:
    """Typer's usage error as one line, with where to read more."""
    text = " ".join(message.split()).replace("Value error, ", "").rstrip(".")
    if text.startswith("No such option: --home"):
        return "--home goes before the command: reflect --home PATH COMMAND"
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None)
    return f"{text}; see `{path} --help`" if path else text


app = typer.Typer(
    cls=ReflectGroup,
    help="A reflection journal for the terminal: a few questions a day, kept as markdown.",
    epilog="Start with `reflect today`. Everything lives in one folder, the journal home (--home).",
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": HELP_NAMES},
)
# Help lists the commands in this order: a day's use first, the journal's care last.
app.add_typer(daily.app)
app.add_typer(lookback.app)
app.add_typer(trends.app)
app.add_typer(export.app)
app.add_typer(packs.app, name="packs")
app.add_typer(doctor.app)
app.add_typer(sync.app)
app.add_typer(crypt.app)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"reflect {version('reflect')}")
        raise typer.Exit()


# Commands that leave a killed edit's copies where they are: the shell greeting only reads
# the packs, quickly; `reflect encrypt` keeps them itself, encrypted (journal/convert.py).
COPIES_LEFT = {"prompt", "encrypt"}


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

    if (
        home is not None
        and os.environ.get("REFLECT_HOME")
        and Path(os.environ["REFLECT_HOME"]) != home
    ):
        typer.echo("reflect: warning: REFLECT_HOME is set, so --home is ignored", err=True)
    ctx.obj = Home(resolve_home(home))
    from reflect.journal import crypt as journal_crypt

    journal_crypt.begin_command(ask_passphrase)
    if ctx.invoked_subcommand not in COPIES_LEFT:
        # A plain journal keeps what a killed edit left as soon as a command opens it (an
        # encrypted one once the command has its key): journal/edit_copies.py.
        journal_crypt.secure_plain_edit_copies(ctx.obj.root)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            daily.today(ctx)
        else:
            _status(ctx.obj)


def ask_passphrase(root: Path, why: str | None) -> str | None:
    """An encrypted journal's passphrase, typed at the terminal; None when there is none."""
    if not sys.stdin.isatty():
        return None
    if why:
        typer.echo(f"reflect: {why}", err=True)
    try:
        answer: str = typer.prompt(
            f"Passphrase for the journal at {root}", hide_input=True, err=True
        )
    except typer.Abort as stop:
        if isinstance(stop.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None  # Ctrl-C: exit 130, as anywhere else
        from reflect.journal.crypt import LockedError

        typer.echo("", err=True)
        raise LockedError("stopped: no passphrase given; nothing changed") from None
    return answer


def _status(home: Home) -> None:
    from reflect.daily.greeting import sources_key, status_line
    from reflect.journal.crypt import LockedError
    from reflect.lookback.day import day_status
    from reflect.model.dates import today as today_date
    from reflect.packs.library import enabled_packs
    from reflect.packs.schedule import prompts_for

    day = today_date()
    sources = sources_key(home)
    enabled = enabled_packs(home)
    warn_packs(enabled)
    asked = prompts_for(day, enabled.packs)
    try:
        status = day_status(home, day, asked)
    except LockedError:
        typer.echo(
            f"{len(asked)} question(s) today; the journal is encrypted and locked, so what is "
            "answered is not shown. Run `reflect today` to answer."
        )
        return
    typer.echo(status_line(status.answered, status.total))
    keep_greeting(home, enabled, sources)
    from reflect.journal.index import keep_day

    keep_day(home, day)


def _tell_secured_copies() -> None:
    """Say where the text of an edit a killed reflect left open went (journal/edit_copies.py)."""
    from reflect.journal.crypt import secured_copies

    for secured in secured_copies():
        tail = "" if secured.stays else f"; {secured.removed()}"
        say(
            f"reflect: warning: {secured.copy}: an edit left open when reflect was stopped; "
            f"{secured.where()}{tail}"
        )


def main() -> NoReturn:
    """The console script: `reflect` and `python -m reflect`."""
    app(prog_name="reflect")
    raise SystemExit(0)
