"""Sparklines: a run of numbers as one line of block marks.

Kept apart from the trends' wording, which `history` does not need: importing
that (its summaries' classes built on import) cost a warm history about 0.02 s.
"""

from collections.abc import Sequence

SPARKS = "▁▂▃▄▅▆▇█"
NO_DATA = "·"


def sparkline(
    levels: Sequence[float | None], low: float, high: float, width: int | None = None
) -> str:
    """One block per value, oldest on the left, scaled from low to high; None is a gap.

    A run longer than `width` is averaged into `width` blocks.
    """
    values = list(levels)
    if width is not None and width >= 1 and len(values) > width:
        size = len(values) / width
        chunks = [values[round(i * size) : round((i + 1) * size)] for i in range(width)]
        values = [
            sum(known) / len(known) if (known := [v for v in chunk if v is not None]) else None
            for chunk in chunks
            if chunk
        ]
    span = high - low
    marks = []
    for value in values:
        if value is None:
            marks.append(NO_DATA)
            continue
        ratio = 0.5 if span <= 0 else (min(max(value, low), high) - low) / span
        marks.append(SPARKS[round(ratio * (len(SPARKS) - 1))])
    return "".join(marks)
