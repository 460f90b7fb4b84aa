"""`reflect export --format json` to a pipe or file, written before the full command line loads.

A JSON summary of ten years costs the full command line seconds (the
index's rows, the trends, the text) although it writes the same bytes until
an entry, a pack, config.toml, reflect itself or the day changes. So the full
command line keeps what it wrote under the print `reflect.journal.shown`
takes for the light history, and this writes it again when that print still
holds, importing only the standard library.

Taken only for `--format json` (or `-f json`) with `--from/--since` and
`--to/--until`, or `--week`, each at most once and nothing else, and stdout
not a terminal; otherwise, and whenever no text is kept under the print,
this returns and the full command line answers (and keeps its text when it
wrote nothing on stderr). tests/test_quick_export.py compares both paths'
output, byte for byte.
"""

import codecs
import datetime as dt
import os
import sys

from reflect.journal import shown
from reflect.render.page import plain_output, write_and_exit

# The options the light export knows, each taking a value, as the full command line names them.
_NAMES = {
    "--from": "from",
    "--since": "from",
    "--to": "to",
    "--until": "to",
    "--week": "week",
    "--format": "format",
    "-f": "format",
}


def today() -> dt.date:
    """Today, as `reflect.model.dates.today` says it (a test moves both)."""
    return dt.date.today()


def export_key(week: str | None, start: str | None, end: str | None, today: str) -> str:
    """The question a JSON export to stdout answers, as both paths name it for `shown`.

    Only the days as typed and today: every other option at its default. No
    history is named so (a history's question is one argument, never a NUL).
    """
    return "\0".join(("export", "json", repr((week, start, end)), today))


def parsed(args: list[str]) -> dict[str, str] | None:
    """The light export's options as given; None when anything else is given, or given twice."""
    found: dict[str, str] = {}
    rest = iter(args)
    for arg in rest:
        name, eq, value = arg.partition("=")
        if name not in _NAMES or (eq and not name.startswith("--")):
            return None
        if not eq:
            value = next(rest, "")
            if not value or value.startswith("-"):
                return None  # missing, or looks like an option: the full command line says
        what = _NAMES[name]
        if what in found:
            return None
        found[what] = value
    if found.get("format") != "json":
        return None
    return found


def main(args: list[str], home_option: str | None) -> None:
    """Write the kept text and exit, or return to let the full command line answer."""
    given = parsed(args)
    if given is None or not plain_output():
        return
    from reflect.journal.home_root import journal_root

    root = journal_root(home_option)
    if root is None:
        return
    key = export_key(given.get("week"), given.get("from"), given.get("to"), today().isoformat())
    seen = shown.looked(root, key, 0)
    if seen is None:
        return
    kept = shown.kept_file(root, key, seen)
    if kept is None:
        shown.handed = (root, key, 0, seen)
        return
    # In pieces, as the full command line writes it: ten years are megabytes of text.
    decoder = codecs.getincrementaldecoder("utf-8")()

    def write() -> None:
        with kept:
            # No more than was checked: stdout may be this very file, opened to append.
            left = os.fstat(kept.fileno()).st_size - kept.tell()
            while left > 0 and (chunk := kept.read(min(shown.CHUNK, left))):
                left -= len(chunk)
                sys.stdout.write(decoder.decode(chunk))
            sys.stdout.write(decoder.decode(b"", final=True))

    write_and_exit(write)
