"""Drawing for people: the only package that imports rich, one module per view.

Text from packs and entries is untrusted: it goes into `Text` objects (never
parsed as markup) after control characters are removed. Rich is imported
when something is drawn with it, not with the package: plain output for a
pipe (`reflect.render.plain`) is written without it.
"""

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def console(*, stderr: bool = False, width: int | None = None) -> "Console":
    from rich.console import Console

    # $COLUMNS or $LINES that is not a whole number above 0 counts as unset: Rich
    # draws nothing on a page 0 wide, and reads both again whenever it measures
    # the page, ending in a traceback on a digit `int` refuses (`²`).
    for name in ("COLUMNS", "LINES"):
        value = os.environ.get(name)
        if value is not None and not (value.isdecimal() and int(value) > 0):
            del os.environ[name]
    # Rich honours NO_COLOR and plain pipes by itself; highlighting is off so
    # numbers in untrusted text are not dressed up as if they meant something.
    return Console(stderr=stderr, width=width, highlight=False, emoji=False, markup=False)
