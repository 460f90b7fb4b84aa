"""A search's days written as they are found: one loop for `reflect search` and its quick path.

cli/lookback.py (the `search` command) and quick_search.py (the same
command into a pipe, before the full command line loads) both draw through
here, so their output cannot drift apart. Loaded by the quick path, so it
imports neither Rich (only for a day plain text cannot draw) nor typing.
"""

from reflect.render.page import page_width
from reflect.render.plain import day_hits_lines

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable

    from reflect.journal.home import Home
    from reflect.journal.store import BadEntry
    from reflect.lookback.queries import DayHits, Matcher, Scope, SearchResult


def stream_search(
    home: "Home",
    matcher: "Matcher",
    scope: "Scope",
    *,
    owners: bool,
    plain: bool,
    draw: bool,
    warn: "Callable[[BadEntry], None]",
) -> "SearchResult":
    """Run the search, writing each day on stdout as it is found; what it found.

    `plain`: the output is no terminal, so days are written as plain lines
    where they can be (render/plain.py), by Rich where not. `draw` False
    (for `--json`) writes nothing of the days, only gathers them. Each file
    that cannot be read is passed to `warn` and kept in the result.
    """
    import gc
    import sys

    from reflect.journal.store import BadEntry
    from reflect.lookback.queries import SearchResult, Shown, search_days

    result = SearchResult()
    width, out = page_width(), None

    # `width` becomes Rich's once Rich draws a day.
    def render(day: "DayHits") -> str | None:
        return day_hits_lines(day, width, first=False)

    shown_plain = render if plain and draw else None
    # A plain search makes no reference cycles (one over 31,198 files leaves none to
    # collect): the collector's passes over every object would only cost, a twentieth of a
    # cold search of a common word, so they wait until it ends (as in the copy that reads
    # half the folders). Rich, drawing for a terminal, is left its collector.
    collecting = plain and gc.isenabled()
    if collecting:
        gc.disable()
    try:
        for item in search_days(home, matcher, scope, owners=owners, render=shown_plain):
            if isinstance(item, BadEntry):
                warn(item)
                result.bad.append(item)
                continue
            first = result.day_count == 0
            if isinstance(item, Shown):
                result.shown.append(item)
                sys.stdout.write(item.text[1:] if first else item.text)
                continue
            result.days.append(item)
            if not draw:
                continue
            text = day_hits_lines(item, width, first=first) if plain else None
            if text is not None:
                sys.stdout.write(text)
                continue
            if out is None:
                from reflect.render import console

                out = console()
                width = out.width
            from reflect.render.search import day_hits_view

            for part in day_hits_view(item, out.width, first=first):
                out.print(part)
    finally:
        if collecting:
            gc.enable()
    return result
