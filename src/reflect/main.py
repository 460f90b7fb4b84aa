"""The `reflect` console script: the shell greeting first, then the full command line.

`reflect prompt` and bare `reflect` outside a terminal (the status line) run
in every new shell, so they are answered here from what an earlier run kept
(see `reflect.daily.greeting`), importing only the standard library; so are
`reflect write "note"` (see `reflect.daily.quick`) and `reflect today --answer`
(see `reflect.daily.quick_today`), `reflect history PACK/PROMPT` to a pipe
when nothing changed since its text was kept (see `reflect.render.quick_history`),
`reflect export --format json` likewise (see `reflect.render.quick_export`),
and `reflect search WORDS` with no option into a pipe (see `reflect.quick_search`).
Every other command, and these whenever the quick answer may not be the full
command line's, goes to
the Typer command line in `reflect.cli`.
"""

import os
import sys

from reflect.errors import ctrl_c_came, listen_for_ctrl_c

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    import datetime as dt
    from typing import NoReturn


def main() -> "NoReturn":
    _null_for_closed_streams()
    listen_for_ctrl_c()
    args = sys.argv[1:]
    home_option: str | None = None
    if args[:1] == ["--home"] and len(args) >= 2:
        home_option, args = args[1], args[2:]
    elif args[:1] and args[0].startswith("--home="):
        home_option, args = args[0].removeprefix("--home="), args[1:]
    both = home_option is not None and bool(os.environ.get("REFLECT_HOME"))
    # Tab completion runs `reflect` with this set: click answers it, whatever the arguments.
    full_only = both or bool(os.environ.get("_REFLECT_COMPLETE"))
    try:
        if args in ([], ["prompt"]) and not full_only:
            quick(args, home_option)
        elif args[:1] == ["write"] and not full_only:
            from reflect.daily import quick as quick_write

            quick_write.main(args[1:], home_option)
        elif args[:1] == ["today"] and not full_only and _answers_given(args[1:]):
            from reflect.daily import quick_today

            quick_today.main(args[1:], home_option)
        elif args[:1] == ["history"] and _one_argument(args[1:]) and not full_only:
            from reflect.render import quick_history

            quick_history.main(args[1:], home_option)
        elif args[:1] == ["export"] and not full_only and _json_asked(args[1:]):
            from reflect.render import quick_export

            quick_export.main(args[1:], home_option)
        elif args[:1] == ["search"] and not full_only:
            from reflect import quick_search

            try:
                quick_search.main(args[1:], home_option)
            except SystemExit as done:
                _end_now(done.code)
                raise
        # Loading the full command line and building its commands take a fifth of a second:
        # a Ctrl-C then is no traceback either.
        from reflect.cli import main as full

        full()
    except KeyboardInterrupt:
        raise SystemExit(130) from None  # as the full command line does on Ctrl-C
    except SystemExit:
        if ctrl_c_came():  # and a library lost its KeyboardInterrupt (reflect.errors)
            raise SystemExit(130) from None
        raise
    except Exception:
        if ctrl_c_came():  # a library made its own error of it (pydantic's SchemaError)
            raise SystemExit(130) from None
        raise


def _end_now(code: object) -> None:
    """End a finished quick search at once, its output flushed: Python's own ending tears
    down every module and object first (about 40 ms after a search of a common word).

    Only when nothing else is owed to the ending: a whole exit code, no Ctrl-C
    came, no function registered to run at exit (`atexit`), no other thread,
    and both streams flushed. Otherwise the ordinary exit does it all.
    """
    import atexit

    callbacks = getattr(atexit, "_ncallbacks", None)
    if type(code) is not int or ctrl_c_came() or callbacks is None or callbacks():
        return
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


def _answers_given(args: list[str]) -> bool:
    """Whether `today` was given an --answer (its help and a session never look further)."""
    return any(arg in ("--answer", "-a") or arg.startswith("--answer=") for arg in args)


def _json_asked(args: list[str]) -> bool:
    """Whether an export may be JSON (its help and other formats never load the light export)."""
    return "json" in args or "--format=json" in args


def _one_argument(args: list[str]) -> bool:
    """One argument and no option (`history --help` never loads the light history)."""
    return len(args) == 1 and not args[0].startswith("-")


def _null_for_closed_streams() -> None:
    """A stream the shell closed (`<&-`, `>&-`, `2>&-`) is None in Python: read and write /dev/null.

    Every command then runs as it would with that stream on /dev/null, instead
    of ending in a traceback at its first `isatty()` or `write`.
    """
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115


def today() -> "dt.date":
    """Today, as `reflect.model.dates.today` says it (a test moves both)."""
    import datetime

    return datetime.date.today()


def quick(args: list[str], home_option: str | None) -> None:
    """Answer and exit, or return to let the full command line answer."""
    if not args and sys.stdin.isatty() and sys.stdout.isatty():
        return  # a session of questions, which needs the full command line
    if home_option == "":
        return
    from pathlib import Path

    from reflect.daily.greeting import answered_today, kept_questions, status_line
    from reflect.journal.home import Home, resolve_home

    home = Home(resolve_home(Path(home_option) if home_option is not None else None))
    day = today()
    kept = kept_questions(home, day)
    if kept is None:
        return
    if args:
        text = "".join(f"{line}\n" for line in kept["lines"])
    else:
        answered = answered_today(home, day, kept["asked"])
        if answered is None:
            return
        text = status_line(answered, len(kept["asked"])) + "\n"
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = None
        raise SystemExit(1) from None
    raise SystemExit(0)
