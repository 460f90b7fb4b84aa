"""`reflect history PACK/PROMPT` to a pipe or file, written before the full command line loads.

The text the full command line wrote last time is written again when
everything it came from is as it was (`reflect.journal.shown`), importing only
the standard library. Taken only for one argument and no option, and output
that is not a terminal (the full command line draws a terminal's with Rich);
otherwise, and whenever no text is kept under the print, this returns and the
full command line answers, and keeps its text. tests/test_quick_history.py
compares both paths' output, byte for byte.
"""

import sys

from reflect.journal import shown
from reflect.render.page import page_width, plain_output, write_and_exit


def main(args: list[str], home_option: str | None) -> None:
    """Write the kept text and exit, or return to let the full command line answer."""
    if len(args) != 1 or args[0].startswith("-") or not plain_output():
        return
    from reflect.journal.home_root import journal_root

    root = journal_root(home_option)
    if root is None:
        return
    key, width = args[0], page_width()
    seen = shown.looked(root, key, width)
    if seen is None:
        return
    text = shown.kept(root, key, seen)
    if text is None:
        shown.handed = (root, key, width, seen)
        return
    write_and_exit(lambda: sys.stdout.write(text))
