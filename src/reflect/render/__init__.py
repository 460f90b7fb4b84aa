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

    columns = os.environ.get("COLUMNS")
    if width is None and columns is not None and not (columns.isdecimal() and int(columns) > 0):
        from reflect.render.plain import page_width

        width = page_width()
    # Rich honours NO_COLOR and plain pipes by itself; highlighting is off so
    # numbers in untrusted text are not dressed up as if they meant something.
    return Console(stderr=stderr, width=width, highlight=False, emoji=False, markup=False)
