"""`reflect today --no-input --answer PACK/PROMPT=VALUE` done before the full command line loads.

Answering from a script or a shell alias should cost about what starting
Python costs. This module saves answers with the standard library only (no
Typer, pydantic, Rich or YAML) when it can tell the result is exactly what
the full command line would write:

- every answer names `PACK/PROMPT` of an enabled pack, a question answered
  with a value (yes-no, scale, number, choice) and without tags, checked by
  the rules of model/values.py against the definitions the full command line
  kept in `<home>/.cache/answering` (daily/kept.py), which still hold;
- the value is written by YAML as this module writes it (a whole number, a
  short decimal, true or false, a plain word);
- a plain journal whose config.toml, today's file and front matter are the
  ones the full command line last wrote (`<home>/.cache/written`, as for the
  quick note, daily/quick.py), or no file for today yet; the front matter
  holds only reflect's own properties, in the order and form its writer
  gives them, and no section of the body is tied to an answer being changed;
- no recovery draft, kept text or editor copy waiting (the full command line
  speaks of those), and the journal lock free at once.

Anything else changes nothing and returns, and the full command line does the
whole job, with its messages and errors. tests/test_quick_today.py drives both
over random days and answers and compares the bytes written, the exit codes
and both output streams.
"""

import datetime as dt
import os
import re

from reflect.daily import quick
from reflect.daily.kept import load_definitions, recovery_env
from reflect.journal import frontyaml
from reflect.journal.home_root import journal_root
from reflect.model.values import as_number, on_scale, parse_yes_no, pick_choice, within

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

_SLUG = r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?"
_ANSWER_KEY = re.compile(rf"{_SLUG}/{_SLUG}")
_GIVEN_KEY = re.compile(rf"{_SLUG}/{_SLUG}(?:/follow-up)?")
# A `given` value as reflect writes it: a version, a space, a date-time to the second.
_GIVEN = re.compile(r"\d+\.\d+\.\d+ (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2}))")
# YAML writes a mapping key longer than this in its long form (`? key`).
_SIMPLE_KEY = 128
_DECIMAL = re.compile(r"-?\d+\.\d+")
# Choices YAML writes as they are: a letter first, then words of letters, digits and a
# little punctuation, one space between them; none of YAML's words for true, false or null.
_PLAIN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9_.,()'/-]*(?: [A-Za-z0-9_.,()'/-]+)*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
EDIT_PREFIX = ".reflect-edit-"  # journal/edit_copies.PREFIX (a test keeps them equal)


def clock() -> dt.datetime:
    """Now, in local time with its offset (a test sets it)."""
    return dt.datetime.now().astimezone()


def main(args: list[str], home_option: str | None) -> None:
    """Save the answers and exit, or return (having changed nothing) for the full command line."""
    answers = _answers(args)
    if answers is None:
        return
    root = journal_root(home_option)
    if root is None or not quick.says_as_click(root):
        return
    path = save(root, answers)
    if path is None:
        return
    quick.done(f"Saved {len(answers)} answer(s) to {path}")


def _answers(args: list[str]) -> list[str] | None:
    """The `--answer` values of `today [--no-input] --answer X ...`; None for anything else."""
    found: list[str] = []
    no_input = False
    at = 0
    while at < len(args):
        arg = args[at]
        if arg == "--no-input" and not no_input:
            no_input = True
        elif arg in ("--answer", "-a") and at + 1 < len(args):
            at += 1
            found.append(args[at])
        elif arg.startswith("--answer="):
            found.append(arg.removeprefix("--answer="))
        else:
            return None
        at += 1
    if not found or any(raw.startswith("-") for raw in found):
        return None
    try:
        for raw in found:
            raw.encode("utf-8")
    except UnicodeEncodeError:
        return None  # the full command line names the argument it cannot read
    return found


class Answer:
    """One answer, checked: its key, value, the value as YAML writes it, the pack's version."""

    def __init__(self, key: str, value: "bool | int | float | str", text: str, version: str):
        self.key, self.value, self.text, self.version = key, value, text, version


def save(root: str, answers: list[str]) -> str | None:
    """Write the answers to today's file in the journal at `root`; its path, or None.

    None means nothing was changed and the full command line must do it.
    """
    kept = load_definitions(root)
    if kept is None:
        return None
    packs, env, folder = kept
    try:
        checked = [_check(packs, raw) for raw in answers]
    except (TypeError, ValueError, ArithmeticError):
        return None  # a kept file reflect did not write (a step of 0): the full path decides
    quiet = env == repr(recovery_env()) and _nothing_to_tell(root, folder)
    ready = [answer for answer in checked if answer is not None]
    if not quiet or len(ready) != len(checked):
        return None
    entries = os.path.join(root, "entries")
    if not all(os.path.isdir(p) for p in (root, entries, os.path.join(root, "packs"))):
        return None
    now = clock()
    day = now.date().isoformat()
    at = now.replace(microsecond=0).isoformat(timespec="seconds")
    folder = os.path.join(entries, day[:4])
    path = os.path.join(folder, f"{day}.md")
    lock = quick.try_lock(os.path.join(root, ".reflect.lock"))
    if lock is None:
        return None
    try:
        # Looked at under the lock, as the full command line reads the day under it.
        trusted = quick.trusted(root, path)
        head = None if trusted is None else _write(path, folder, day, ready, at, trusted)
    finally:
        os.close(lock)  # closing the descriptor releases the lock
    if head is None:
        return None
    quick.remember(root, None, path, head)
    return path


def _check(packs: "dict[str, Any]", raw: str) -> Answer | None:
    """`PACK/PROMPT=VALUE` checked against the kept definitions; None when the full path must."""
    key, sep, typed = raw.partition("=")
    if not sep or key != key.strip() or not _ANSWER_KEY.fullmatch(key):
        return None
    pack_id, prompt_id = key.split("/")
    pack = packs.get(pack_id)
    if pack is None:
        return None
    prompt = pack["prompts"].get(prompt_id)
    if prompt is None or len(key) >= _SIMPLE_KEY:
        return None  # a text question, tags to add, or an unknown one (the full path says so)
    kind = prompt["type"]
    value: bool | int | float | str
    try:
        if kind == "yes-no":
            value = parse_yes_no(typed)
        elif kind == "scale":
            low, high = prompt["min"], prompt["max"]
            value = on_scale(as_number(typed), low, high, prompt["step"], prompt["unit"])
        elif kind == "number":
            value = within(as_number(typed), prompt["min"], prompt["max"], prompt["unit"])
        elif kind == "choice":
            value = pick_choice(typed, prompt["choices"])
        else:
            return None
    except ValueError:
        return None  # the full command line gives the error, in its words
    text = yaml_scalar(value)
    version = pack["version"]
    if text is None or not isinstance(version, str):
        return None
    return Answer(key, value, text, version)


def yaml_scalar(value: "bool | int | float | str") -> str | None:
    """The value as the front matter's YAML writer writes it; None when unsure."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if _DECIMAL.fullmatch(text) else None
    if _PLAIN_TEXT.fullmatch(value) and value.lower() not in _YAML_WORDS and len(value) <= 200:
        return value
    return None


def _nothing_to_tell(root: str, folder: str) -> bool:
    """No draft, kept text or editor copy the full command line would speak of or secure.

    `folder` is the user's recovery folder as kept, with the environment it
    was worked out from unchanged (else the full path looks).
    """
    if any(name.startswith(EDIT_PREFIX) for name in os.listdir(root)):
        return False
    return all(_empty(place) for place in (os.path.join(root, ".recovery"), folder))


def _empty(folder: str) -> bool:
    """A recovery folder absent, or empty and private to the user (else `today` warns of it)."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    if (info.st_mode & 0o170000) != 0o040000 or not mine or info.st_mode & 0o022:
        return False
    try:
        return not os.listdir(folder)
    except OSError:
        return False


def _write(
    path: str,
    folder: str,
    day: str,
    answers: list[Answer],
    at: str,
    kept: tuple[list[int], str | None, str | None],
) -> str | None:
    """Under the lock: the day written with the answers; its front matter, or None if not done."""
    day_text = quick.open_day(path, day, kept)
    if day_text is None:
        return None
    head, body = day_text
    front = Front.read(head, day)
    if front is None:
        return None
    lowered = body.lower()
    for answer in answers:
        if not front.answer(answer, at, tied=answer.key in lowered):
            return None
    new = front.text()
    if new == head:
        return head  # the same values again: the full command line writes nothing either
    return new if quick.write_day(folder, path, (new + body).encode("utf-8")) else None


class Front:
    """A front matter exactly as reflect's writer lays it out, and answers set in it.

    The layout (journal/entry.py, FrontMatter.to_yaml_data): `date`, `format: 2`,
    then `tags` and `packs` when there are some, the answers one line each (a
    pack's together), `given`, `imported`. Those blocks are kept as they are;
    a changed answer line and the `given` block are written as the YAML writer
    writes them.
    """

    def __init__(self, day: str) -> None:
        self.day = day
        self.before: list[str] = []  # tags and packs, as written
        self.answers: dict[str, tuple[object, str]] = {}  # key: (value, text as written)
        self.given: dict[str, str] = {}
        self.after: list[str] = []  # imported, as written

    @classmethod
    def read(cls, head: str, day: str) -> "Front | None":
        """The front matter of a `---` block; None when it is not laid out as reflect writes."""
        if not head.startswith("---\n") or not head.endswith("\n---\n"):
            return None
        inner = head[4:-4]
        data = frontyaml.load(inner)
        blocks = _blocks(inner)
        if data is None or blocks is None or [key for key, _ in blocks] != list(data):
            return None
        front = cls(day)
        steps = iter(blocks)
        if next(steps, None) != ("date", [f"date: {day}"]):
            return None
        if next(steps, None) != ("format", ["format: 2"]):
            return None
        stage = 0  # 1 tags, 2 packs, 3 answers, 4 given, 5 imported
        for key, lines in steps:
            if key == "tags" and stage < 1 and _items(lines, "- "):
                front.before += lines
                stage = 1
            elif key == "packs" and stage < 2 and _items(lines, "  "):
                front.before += lines
                stage = 2
            elif key == "given" and stage < 4 and front._read_given(lines, data["given"]):
                stage = 4
            elif key == "imported" and stage < 5 and _items(lines, "- "):
                front.after += lines
                stage = 5
            elif stage <= 3 and front._read_answer(key, lines, data[key]):
                stage = 3
            else:
                return None
        return front

    def _read_answer(self, key: str, lines: list[str], value: object) -> bool:
        if len(lines) != 1 or not _ANSWER_KEY.fullmatch(key) or len(key) >= _SIMPLE_KEY:
            return False
        if not isinstance(value, (bool, int, float, str)):
            return False  # a date, or no value: read otherwise by the full reader
        pack = key.split("/")[0]
        last = next(reversed(self.answers), "").split("/")[0]
        if last != pack and any(k.split("/")[0] == pack for k in self.answers):
            return False  # a pack's answers apart: the writer would put them together
        if not lines[0].startswith(f"{key}: ") or key in self.answers:
            return False
        self.answers[key] = (value, lines[0].removeprefix(f"{key}: "))
        return True

    def _read_given(self, lines: list[str], data: object) -> bool:
        if lines[0] != "given:" or len(lines) < 2 or not isinstance(data, dict):
            return False
        for line in lines[1:]:
            key, sep, text = line[2:].partition(": ")
            found = _GIVEN.fullmatch(text)
            if not line.startswith("  ") or not sep or found is None:
                return False
            if not _GIVEN_KEY.fullmatch(key) or len(key) >= _SIMPLE_KEY or key in self.given:
                return False
            try:
                dt.datetime.fromisoformat(found.group(1))
            except ValueError:
                return False  # a time no calendar has: the full reader keeps it aside
            self.given[key] = text
        return self.given == data

    def answer(self, answer: Answer, at: str, *, tied: bool) -> bool:
        """Set an answer as `Entry.set_answer` does; False when the full command line must."""
        key = answer.key
        current = self.answers.get(key)
        if current is not None and repr(current[0]) == repr(answer.value):
            return True  # the same value again changes nothing, not even when it was given
        if tied:
            return False  # prose tied to the question would lose its tie: the full path does it
        given = f"{answer.version} {at}"
        if _GIVEN.fullmatch(given) is None:
            return False
        if current is not None or not self.answers:
            self.answers[key] = (answer.value, answer.text)
        else:
            pack = key.split("/")[0]
            keys = list(self.answers)
            mine = [i for i, k in enumerate(keys) if k.split("/")[0] == pack]
            place = mine[-1] + 1 if mine else len(keys)
            items = list(self.answers.items())
            items.insert(place, (key, (answer.value, answer.text)))
            self.answers = dict(items)
        self.given[key] = given
        return True

    def text(self) -> str:
        lines = ["---", f"date: {self.day}", "format: 2", *self.before]
        lines += [f"{key}: {text}" for key, (_, text) in self.answers.items()]
        if self.given:
            lines += ["given:", *(f"  {key}: {text}" for key, text in self.given.items())]
        return "\n".join([*lines, *self.after, "---"]) + "\n"


def _blocks(inner: str) -> list[tuple[str, list[str]]] | None:
    """The front matter's top-level properties: each key and its lines (the first holds the key)."""
    blocks: list[tuple[str, list[str]]] = []
    for line in inner.split("\n")[:-1]:
        if line.startswith(("  ", "- ")) and blocks:
            blocks[-1][1].append(line)
            continue
        key, colon, _ = line.partition(":")
        if not colon or not key or key[0] in " \t#-'\"" or "#" in line:
            return None
        blocks.append((key, [line]))
    return blocks if inner.endswith("\n") else None


def _items(lines: list[str], indent: str) -> bool:
    """A block property's lines: its key alone, then items at one indent."""
    return (
        len(lines) >= 2 and lines[0].endswith(":") and all(x.startswith(indent) for x in lines[1:])
    )
