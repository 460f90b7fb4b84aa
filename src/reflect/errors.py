"""The one exception hierarchy; the command line turns it into a message and an exit code."""

import sys


def newer_format(kind: str, found: int, reads: int) -> str:
    """The one refusal of a file written by a newer reflect, whatever kind of file it is."""
    return (
        f"written by a newer reflect ({kind} format {found}, this one reads {reads}); "
        "upgrade reflect to read it"
    )


def newer_than(data: object, reads: int) -> int | None:
    """The `format` of a loaded file when it is newer than `reads`, to refuse with newer_format."""
    found = data.get("format") if isinstance(data, dict) else None
    if isinstance(found, int) and not isinstance(found, bool) and found > reads:
        return found
    return None


# Whether Ctrl-C came (see `listen_for_ctrl_c`).
_ctrl_c_came = False


def _ctrl_c(signum: int, frame: object) -> None:
    global _ctrl_c_came
    _ctrl_c_came = True
    raise KeyboardInterrupt


def _unraisable(info: "sys.UnraisableHookArgs") -> None:
    if not isinstance(info.exc_value, KeyboardInterrupt):
        sys.__unraisablehook__(info)


def listen_for_ctrl_c() -> None:
    """Ctrl-C noted as well as raised, where it raises KeyboardInterrupt (Python's default).

    KeyboardInterrupt is raised wherever the program is when Ctrl-C comes.
    Inside pydantic's validation it has been lost: printed as "Exception
    ignored" with a traceback while the command went on to exit 0, or turned
    into a validation error (a built-in pack refused for a pattern that could
    not be printed, its answers shown as retired). So the Ctrl-C is noted
    here: the places that turn a validation error into a refusal raise it
    again (`ctrl_c_swallowed`), a Ctrl-C lost that way is not printed, and
    the command still ends with 130 (`ctrl_c_came`, in reflect.main).
    """
    import signal

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _ctrl_c)
        sys.unraisablehook = _unraisable


def raises_on_ctrl_c(handler: object) -> bool:
    """Whether a SIGINT handler is one that raises KeyboardInterrupt: Python's, or ours."""
    import signal

    return handler is signal.default_int_handler or handler is _ctrl_c


def ctrl_c_came() -> bool:
    """Whether Ctrl-C came since `listen_for_ctrl_c`, whatever became of its KeyboardInterrupt."""
    return _ctrl_c_came


def ctrl_c_swallowed() -> None:
    """Raise KeyboardInterrupt again when Ctrl-C came and something caught it as another error."""
    if _ctrl_c_came:
        raise KeyboardInterrupt


class Hint:
    """What to try next, by kind: the command line words it with its own commands and flags.

    The library knows what went wrong and what would help (`packs-list`: seeing
    the packs); only the command line knows that this is `reflect packs list`.
    """

    __slots__ = ("fields", "kind")

    def __init__(self, kind: str, **fields: str) -> None:
        self.kind = kind
        self.fields = fields

    def __repr__(self) -> str:
        return f"Hint({self.kind!r}, **{self.fields!r})"


class ReflectError(Exception):
    """A problem the user can act on: shown as one line on stderr, never as a traceback.

    `hint` is what to try next, added to the line by the command line.
    """

    exit_code = 1
    hint: Hint | None = None

    def __init__(self, *args: object, hint: Hint | None = None) -> None:
        super().__init__(*args)
        self.hint = hint


class UsageError(ReflectError):
    """The command line itself was wrong (a bad date, an unknown answer id)."""

    exit_code = 2


class ConfigError(ReflectError):
    """config.toml cannot be read or is invalid."""


class PackError(ReflectError):
    """A prompt pack cannot be loaded; carries every problem found, not only the first."""

    def __init__(self, path: str, problems: list["Problem"]) -> None:
        self.path = path
        self.problems = problems
        first = problems[0].line_text() if problems else f"{path}: invalid pack"
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        hint = "; run `reflect packs validate` on it for the full list" if more else ""
        super().__init__(f"{first}{more}{hint}")


class PackNotFound(ReflectError):
    """No built-in or installed pack has that id."""


class EntryError(ReflectError):
    """An entry file cannot be parsed; it is reported by path and never rewritten."""


class EntryNotFound(ReflectError):
    """There is no entry for the day asked for."""


class AnswerError(ReflectError):
    """An answer given with --answer does not fit its prompt."""


class ImportFileError(ReflectError):
    """A file given to `reflect import` is missing, unreadable, or not the export it should be."""


class Unwritable(ReflectError):
    """A change would leave a day its own reader refuses (a bad tag, value, size); nothing is saved."""


class StorageError(ReflectError):
    """The journal could not be written (disk full, read-only, permission denied)."""


class Problem:
    """One problem in a user-written file: where it is and what was expected."""

    __slots__ = ("column", "field", "line", "message", "path")

    def __init__(
        self,
        path: str,
        message: str,
        *,
        field: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = path
        self.message = message
        self.field = field
        self.line = line
        self.column = column

    def location(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def line_text(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.location()}:{field} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


class SyncError(ReflectError):
    """Syncing through git could not go on: no git, no remote, or a merge left for a person."""
