"""A free note's heading: `Notes (HH:MM)`, or `Notes` for a note with no time of its own.

One pattern for every reader (the entry, the index, the greeting, sync), kept
free of imports so the light paths can use it.
"""

import re

# Group 1 is the time, or None for a note written for another day or an all-day import.
NOTE_HEADING = re.compile(r"^Notes(?: \((\d{2}:\d{2})\))?$")
