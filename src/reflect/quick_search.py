"""`reflect search WORDS`, piped or redirected, answered before the full command line loads.

Typer, the command groups and Typer's parsing of the arguments cost about
a tenth of a second before a search reads its first file. This module runs
the very search the `search` command runs (`queries.search_days`, with the
same plain rendering) when the command line is only `search QUERY` and
nothing about it needs the full command line:

- no `--home` (the full command line warns about it against REFLECT_HOME),
  no option, a QUERY that is not empty and does not start with `-`, and
  that is valid text;
- standard output is no terminal (plain text, no colour forced on it) and
  both output streams take UTF-8;
- the journal's encryption.toml, if any, reads, and an encrypted journal's
  key comes without a prompt: from its identity file, REFLECT_PASSPHRASE,
  passphrase_command or the OS keyring (journal/crypt.py `unlock`). The
  search opens the key before it writes anything (the index is opened
  first); when the key would be asked for at the terminal, the asker here
  stops it there, and the full command line asks.

Anything else returns before anything is written, and the full command
line does the whole job. Once the search has begun, its output, its
errors (one line on stderr and the exit code, as cli/app.py says them),
a closed pipe and Ctrl-C end it as they end the full command.
tests/test_search_quick.py holds both to the same bytes and exit codes.

It stands beside main.py, above the layers: like the `search` command in
cli/lookback.py, whose plain branch it is, it calls the library and draws
with render/.
"""

import os
import sys

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from pathlib import Path

    from reflect.journal.home import Home
    from reflect.journal.store import BadEntry


def main(args: list[str], home_option: str | None) -> None:
    """Search and exit, or return to let the full command line answer."""
    home = _home(args, home_option)
    if home is None:
        return None
    from reflect.errors import ReflectError
    from reflect.journal import crypt

    try:
        plain = crypt.read_state(home.root) is None
    except ReflectError:
        plain = False  # bent since `_home` read it: the full command line says so
    if not plain:
        _searched.append(os.path.realpath(home.root))
    crypt.begin_command(_would_ask)
    crypt.secure_plain_edit_copies(home.root)
    try:
        try:
            code = search(home, args[0])
        except _WouldAsk:
            return None  # nothing written yet: the full command line asks for the key
        except ReflectError as exc:
            from reflect.cli.common import advice, say

            say(f"reflect: {exc}{advice(exc.hint)}")
            code = exc.exit_code
        finally:
            if crypt.secured_copies():
                from reflect.cli.app import _tell_secured_copies

                _tell_secured_copies()
        sys.stdout.flush()
    except OSError as exc:
        from reflect.render.page import output_lost

        output_lost(exc)
        code = 1
    raise SystemExit(code)


class _WouldAsk(Exception):
    """The key of an encrypted journal would be typed at the terminal: the full command asks."""


# The journal searched (its real path), when it was encrypted as this path began: only its
# own key stops this path (`_would_ask`). A journal encrypted in another terminal while it is
# searched is asked for as the full command asks, at the end, when the results are written.
_searched: list[str] = []


def _would_ask(root: "Path", why: str | None) -> str | None:
    """Stops the search where the full command line would ask for the passphrase.

    The searched journal's key is had when its index is opened, before the
    search writes anything, and held for the rest of the command: stopped
    there, the full command line starts from the same untouched state. A key
    asked for later (an entry linked in from another encrypted home) is
    asked for as the full command line asks.
    """
    if os.path.realpath(root) in _searched:
        raise _WouldAsk
    from reflect.cli.app import ask_passphrase

    return ask_passphrase(root, why)


def _home(args: list[str], home_option: str | None) -> "Home | None":
    """The journal to search, when this module answers the command line; None otherwise."""
    if home_option is not None or len(args) != 1 or not args[0] or args[0].startswith("-"):
        return None
    try:
        args[0].encode("utf-8")
    except UnicodeEncodeError:
        return None
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or ""
        if encoding.lower().replace("-", "") != "utf8":
            return None
    from reflect.render.page import plain_output

    if not plain_output():
        return None
    from reflect.errors import ReflectError
    from reflect.journal.crypt import read_state
    from reflect.journal.home import Home, resolve_home

    try:
        home = Home(resolve_home(None))
        read_state(home.root)
    except (ReflectError, OSError):
        return None
    return home


def search(home: "Home", query: str) -> int:
    """`cli.lookback.search` of QUERY with no option, drawn as plain text; its exit code."""
    import gc

    # Loading the search's modules makes no garbage either (render/search_stream.py): the
    # collector waits for the search to end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _search(home, query)
    finally:
        if collecting:
            gc.enable()


def _search(home: "Home", query: str) -> int:
    from reflect.lookback.queries import Matcher, Scope, check_names
    from reflect.model.dates import day_bounds
    from reflect.model.text import clean_line
    from reflect.render.search_stream import stream_search

    matcher = Matcher(query, regex=False)
    start, end = day_bounds(None, None)
    scope = Scope(since=start, until=end, tags=(), pack=None, prompt=None)

    def warn(item: "BadEntry") -> None:
        # cli.common.warn_unreadable: a cleaned line holds no escape for typer.echo to strip.
        _echo(clean_line(f"reflect: skipped {item.error}"), sys.stderr)

    result = stream_search(home, matcher, scope, owners=False, plain=True, draw=True, warn=warn)
    if not result.day_count:
        check_names(home, scope.pack, scope.prompt)
        _echo(f"No matches for {query!r}.", sys.stdout)
        return 0
    _echo(f"{result.count} matching line(s) on {result.day_count} day(s).", sys.stderr)
    return 0


def _echo(line: str, stream: "object") -> None:
    """A line as `typer.echo` writes it to a UTF-8 stream: the text, a line end, a flush
    (the text never holds an escape sequence for it to strip)."""
    stream.write(line + "\n")  # type: ignore[attr-defined]
    stream.flush()  # type: ignore[attr-defined]
