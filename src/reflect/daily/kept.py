"""What the full command line keeps for the quick paths, and the check that it still holds.

`<home>/.cache/schedule.json` holds the coming weeks' questions of the
enabled packs and the definitions `today --answer` checks a value by, with
the size, times and inode of config.toml and of every pack file they came
from (daily/greeting.py writes it). Reading it takes the standard library
only: the shell greeting and the quick `today --answer` read it before
anything heavy loads, and trust it only while none of those files moved.
"""

import json
import os
import stat
import sys

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

SCHEDULE_NAME = "schedule.json"
SCHEDULE_FORMAT = 2
SCHEDULE_MAX_BYTES = 4 * 2**20


def file_key(path: str) -> list[int] | None:
    """A file's size, modification time, inode and change time; None when it cannot be seen.

    The change time too: a file rewritten in place with its size and time put back still moves it.
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def folder_key(folder: str) -> "dict[str, Any]":
    """The key of every pack file (`*.toml`) in a folder, by name."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".toml"))
    except OSError:
        return {}
    return {name: file_key(os.path.join(folder, name)) for name in names}


def schedule_key(root: str, builtin: str) -> "dict[str, Any]":
    """Everything the day's questions and the packs' definitions depend on, as file keys."""
    return {
        "config": file_key(os.path.join(root, "config.toml")),
        "installed": folder_key(os.path.join(root, "packs")),
        "builtin": builtin,
        "builtins": folder_key(builtin),
    }


def builtin_folder() -> str:
    """This install's built-in packs, where packs/library.builtin_dir finds them (a test keeps
    them equal): the cache an install elsewhere kept names its own, whose packs may differ."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shipped = os.path.join(package, "prompts")
    if os.path.isdir(shipped):
        return shipped
    return os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(package))), "prompts")


def schedule_path(root: str) -> str:
    return os.path.join(root, ".cache", SCHEDULE_NAME)


def load_schedule(root: str) -> "dict[str, Any] | None":
    """What an earlier full run kept, when nothing it came from has moved since; else None."""
    path = schedule_path(root)
    try:
        st = os.stat(path, follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode) or st.st_size > SCHEDULE_MAX_BYTES:
            return None  # not the file an earlier run kept: work it out again
        with open(path, "rb") as kept:
            data = json.loads(kept.read(SCHEDULE_MAX_BYTES))
        if not isinstance(data, dict) or data.get("format") != SCHEDULE_FORMAT:
            return None
        if data["key"] != schedule_key(root, builtin_folder()):
            return None  # a pack or config.toml moved, or another install of reflect kept it
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # RecursionError: arrays nested deeper than the json module reads
    return data


def recovery_env() -> list[str | None]:
    """What the user's state folder (journal/home.state_recovery_dir) is worked out from."""
    return [sys.platform, os.environ.get("XDG_STATE_HOME"), os.environ.get("HOME")]
