"""What the full command line keeps for the quick paths, and the check that it still holds.

`<home>/.cache/schedule.json` holds the coming weeks' questions of the
enabled packs, for the shell greeting; `<home>/.cache/answering` the
definitions the quick `today --answer` checks a value by, in a few lines of
text (JSON and its module cost more than the rest of that path's own work).
Both name the size, times and inode of config.toml and of every pack file
they came from (daily/greeting.py writes them). Reading them takes the
standard library only: the quick paths read them before anything heavy
loads, and trust them only while none of those files moved.
"""

import os
import stat
import sys

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

SCHEDULE_NAME = "schedule.json"
SCHEDULE_FORMAT = 3
SCHEDULE_MAX_BYTES = 4 * 2**20
ANSWERING_NAME = "answering"
# The first line of that file: its format.
ANSWERING_FIRST = "reflect answering 1"
ANSWERING_MAX_BYTES = 4 * 2**20


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
    import json

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


def answering_path(root: str) -> str:
    return os.path.join(root, ".cache", ANSWERING_NAME)


def dump_definitions(key: "dict[str, Any]", packs: "dict[str, Any]", folder: str) -> str | None:
    """The text of `<home>/.cache/answering`; None when it cannot be written plainly.

    `packs` as greeting.definitions gives them, `key` the schedule's key,
    `folder` the user's recovery folder. A line each: the format, the key and
    the environment the folder was worked out from (as `repr` writes them:
    they are only compared), the folder; then `pack ID VERSION` and, for each
    of its questions answered by a value without tags, `prompt ID TYPE MIN MAX
    STEP UNIT CHOICE...`; `end` last. Fields are tab-separated; a question
    whose text holds a tab is left out (the full command line answers it).
    """
    if "\n" in folder:
        return None
    lines = [ANSWERING_FIRST, repr(key), repr(recovery_env()), folder]
    for pack_id, pack in packs.items():
        version = pack["version"]
        if not _plain_fields(pack_id, version):
            continue
        lines.append(f"pack\t{pack_id}\t{version}")
        for prompt_id, prompt in pack["prompts"].items():
            if prompt is None or prompt["tags"]:
                continue  # prose, or tags to add: the full command line writes those
            line = _prompt_line(prompt_id, prompt)
            if line is not None:
                lines.append(line)
    lines.append("end")
    text = "\n".join(lines) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None  # a folder named in bytes that are not UTF-8
    return text


def _prompt_line(prompt_id: str, prompt: "dict[str, Any]") -> str | None:
    """A question's line; None when a field cannot be written plainly."""
    numbers = [_number(prompt.get(name)) for name in ("min", "max", "step")]
    texts = [prompt.get("unit", ""), *prompt.get("choices", [])]
    if not _plain_fields(prompt_id, prompt["type"], *texts):
        return None
    fields = [prompt_id, prompt["type"]]
    for number in numbers:
        if number is None:
            return None
        fields.append(number)
    return "\t".join(["prompt", *fields, *texts])


def _plain_fields(*texts: object) -> bool:
    return all(isinstance(t, str) and "\t" not in t and "\n" not in t for t in texts)


def _number(value: object) -> str | None:
    """A bound or step as a field: "" for none, an int or float as `repr` writes it."""
    if value is None:
        return ""
    if type(value) is int or type(value) is float:
        return repr(value)
    return None


def _read_number(field: str) -> int | float | None:
    if not field:
        return None
    try:
        return int(field)
    except ValueError:
        return float(field)


def load_definitions(root: str) -> "tuple[dict[str, Any], str, str] | None":
    """The kept definitions, when nothing they came from has moved since; else None.

    (packs, recovery env as `repr` wrote it, recovery folder); packs maps each
    pack's id to its version and its value questions without tags, by id.
    """
    path = answering_path(root)
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > ANSWERING_MAX_BYTES:
                return None
            text = os.read(fd, ANSWERING_MAX_BYTES).decode("utf-8")
        finally:
            os.close(fd)
        first, key, env, folder, *rest = text.split("\n")
        if first != ANSWERING_FIRST or rest[-2:] != ["end", ""]:
            return None
        if key != repr(schedule_key(root, builtin_folder())):
            return None  # a pack or config.toml moved, or another install of reflect kept it
        packs: dict[str, Any] = {}
        prompts: dict[str, Any] = {}
        for line in rest[:-2]:
            kind, *fields = line.split("\t")
            if kind == "pack":
                pack_id, version = fields
                prompts = {}
                packs.setdefault(pack_id, {"version": version, "prompts": prompts})
            elif kind == "prompt":
                prompt_id, prompt_type, low, high, step, unit, *choices = fields
                prompts.setdefault(prompt_id, {
                    "type": prompt_type,
                    "min": _read_number(low),
                    "max": _read_number(high),
                    "step": _read_number(step),
                    "unit": unit,
                    "choices": choices,
                })  # fmt: skip
            else:
                return None
    except (OSError, ValueError):
        return None  # not the file an earlier run kept: the full command line keeps it again
    return packs, env, folder
