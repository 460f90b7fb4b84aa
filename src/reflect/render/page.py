"""The page plain output is written to: whether it is plain, and how wide.

Standard library only: the light history (`reflect.render.quick_history`)
decides the same before any model or Rich loads.
"""

import os
import sys

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn


def plain_output() -> bool:
    """Whether stdout takes plain text: not a terminal, and no colour forced on it."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE"):
        return False
    try:
        return not sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def page_width() -> int:
    """The width Rich would use: $COLUMNS, else a terminal's on any standard stream, else 80.

    $COLUMNS counts only as a whole number above 0, and a terminal's width only
    above 0: Rich draws nothing at all on a page 0 wide, so `console` is given
    this width then.
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdecimal() and int(columns) > 0:
        return int(columns)
    for fd in (0, 1, 2):
        try:
            # A terminal that reports no size (a new pty) is 0 wide: Rich then takes 80.
            return os.get_terminal_size(fd).columns or 80
        except (OSError, ValueError):
            continue
    return 80


def output_lost(exc: OSError) -> None:
    """Says why stdout could not be written, except when its reader left (a closed pipe).

    stdout is dropped afterwards, so that Python's own flush at exit does not
    fail a second time.
    """
    import errno

    if exc.errno != errno.EPIPE:
        sys.stderr.write(f"reflect: cannot write the output: {exc.strerror or exc}\n")
    sys.stdout = None


def write_and_exit(write: "Callable[[], object]") -> "NoReturn":
    """Runs `write` on stdout and ends the command: 0, or 1 when the output could not be written."""
    try:
        write()
        sys.stdout.flush()
    except OSError as exc:
        output_lost(exc)
        raise SystemExit(1) from None
    raise SystemExit(0)
