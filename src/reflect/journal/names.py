"""The names of a journal's entry files and of the versions of a day kept beside it.

Apart from the store so that a command that only looks at names (sync
listing what git changed) does not load the reader.
"""

import re
from pathlib import Path

# An entry file's name: group 1 the day, group 2 `.age` when encrypted. The one pattern for
# every reader of entry folders (the store, the index, sync).
ENTRY_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})\.md(\.age)?", re.ASCII)
# A version of a day that could not be read, kept beside the day by `reflect sync`'s merge.
SET_ASIDE = re.compile(r"\.unreadable-[0-9a-f]{8}\.md(?:\.age)?$", re.ASCII)
# A day's other version kept beside it when encrypting or decrypting found both forms of
# the day and could not merge them (journal/convert.py names it).
KEPT_BESIDE = re.compile(r"\.other-\d{8}-\d{6}\.md(?:\.age)?$", re.ASCII)
# The other machine's version of a file that is not a day (a picture, a note of your own),
# changed on both machines: `reflect sync` cannot merge it, so keeps it beside this machine's.
OTHER_COPY = re.compile(r"\.other-[0-9a-f]{8}(?:\.[^/]*)?$", re.ASCII)


def is_set_aside(name: str) -> bool:
    """Whether a file is a version of a day kept beside it, by a merge or a conversion."""
    return SET_ASIDE.search(name) is not None or KEPT_BESIDE.search(name) is not None


def set_aside_name(path: Path, digest: str) -> Path:
    """Where a version of a day that cannot be read is kept: beside the day, never read as one."""
    day, _, suffix = path.name.partition(".")
    return path.with_name(f"{day}.unreadable-{digest}.{suffix}")


def other_copy_name(path: Path, digest: str) -> Path:
    """Where the other machine's version of a file sync cannot merge is kept: `NAME.other-HASH.EXT`."""
    stem, dot, suffix = path.name.partition(".")
    return path.with_name(f"{stem}.other-{digest}{dot}{suffix}")
