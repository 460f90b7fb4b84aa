"""Drawing for people: the only package that imports rich, one module per view.

Text from packs and entries is untrusted: it goes into `Text` objects (never
parsed as markup) after control characters are removed.
"""

from rich.console import Console


def console(*, stderr: bool = False, width: int | None = None) -> Console:
    # Rich honours NO_COLOR and plain pipes by itself; highlighting is off so
    # numbers in untrusted text are not dressed up as if they meant something.
    return Console(stderr=stderr, width=width, highlight=False, emoji=False, markup=False)
