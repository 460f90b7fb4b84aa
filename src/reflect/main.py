"""The `reflect` console script: the shell greeting first, then the full command line.

`reflect prompt` and bare `reflect` outside a terminal (the status line) run
in every new shell, so they are answered here from what an earlier run kept
(see `reflect.daily.greeting`), importing only the standard library. Every
other command, and these two whenever the kept answer may be out of date,
goes to the Typer command line in `reflect.cli`.
"""

import os
import sys
from pathlib import Path
from typing import NoReturn


def main() -> NoReturn:
    args = sys.argv[1:]
    home_option: str | None = None
    if args[:1] == ["--home"] and len(args) >= 2:
        home_option, args = args[1], args[2:]
    elif args[:1] and args[0].startswith("--home="):
        home_option, args = args[0].removeprefix("--home="), args[1:]
    if args in ([], ["prompt"]) and not (
        home_option is not None and os.environ.get("REFLECT_HOME")
    ):
        quick(args, home_option)
    from reflect.cli import main as full

    full()


def quick(args: list[str], home_option: str | None) -> None:
    """Answer and exit, or return to let the full command line answer."""
    if not args and sys.stdin.isatty() and sys.stdout.isatty():
        return  # a session of questions, which needs the full command line
    if home_option == "":
        return
    import datetime as dt

    from reflect.daily.greeting import answered_today, kept_day, status_line
    from reflect.journal.home import Home, resolve_home

    home = Home(resolve_home(Path(home_option) if home_option is not None else None))
    day = dt.date.today()
    kept = kept_day(home, day)
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
