"""A free note's heading: `Notes (HH:MM)`, or `Notes` for a note with no time of its own.

One pattern for every reader (the entry, the index, the greeting, sync), kept
free of imports so the light paths can use it; and, since a note is what is
not an answer, the one count of a day's answers.
"""

import re
from collections.abc import Iterable

# Group 1 is the time, or None for a note written for another day or an all-day import.
NOTE_HEADING = re.compile(r"^Notes(?: \((\d{2}:\d{2})\))?$")


def count_answers(values: int, written: Iterable[str]) -> int:
    """The answers a day gives: each stored value, and each written answer.

    `written` names the day's sections that hold words (a section's
    `PACK/PROMPT`, else its heading; a name given twice is one answer); free
    notes are not answers. So a day of three values and a gratitude line is
    4, as `reflect today` says "Saved 4 answer(s)"; `log` and `calendar`
    count the same way.
    """
    return values + len({name for name in written if NOTE_HEADING.match(name) is None})
