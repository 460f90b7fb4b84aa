"""What the tests of the quick paths share (the quick writes, the light history and export).

Each quick path is run as main.py runs it and compared with the full
command line: the same exit code, the same words on both streams, the same
files, or nothing done.
"""

import contextlib
import io
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .conftest import Run

QuickMain = Callable[[list[str], str | None], None]


def quick_run(
    main: QuickMain, args: list[str], stdin: bytes | None = None
) -> tuple[int, str, str] | None:
    """A quick path as main.py runs it: (exit code, stdout, stderr), None when it passed.

    A pass says nothing and gives stdin back whole, for the full command line to read.
    """
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        main(args, None)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    finally:
        passed_stdin = sys.stdin
        sys.stdin, sys.stdout, sys.stderr = saved
    assert (out.getvalue(), err.getvalue()) == ("", ""), "a pass says nothing"
    assert passed_stdin.buffer.read() == (stdin or b"")
    return None


def either(
    run: Run, main: QuickMain, command: str, args: list[str], stdin: bytes | None = None
) -> tuple[int, str, str, bool]:
    """What `reflect COMMAND ...` gives: the quick path's answer, else the full command line's."""
    done = quick_run(main, args, stdin)
    if done is not None:
        return (*done, True)
    result = run([command, *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr, False


def full(
    run: Run, command: str, args: list[str], stdin: bytes | None = None
) -> tuple[int, str, str]:
    """What the full command line alone gives for `reflect COMMAND ...`."""
    result = run([command, *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def kept_run(main: QuickMain, args: list[str]) -> tuple[int, bytes, str] | None:
    """A light path writing kept text, as main.py runs it: (exit code, stdout, stderr), None when it passed.

    Its output is a UTF-8 stream, as the test runner's is, so that the print it
    hands over holds for the full command line run next.
    """
    out, err = io.BytesIO(), io.StringIO()
    stream = io.TextIOWrapper(out, encoding="utf-8")
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = stream, err
    try:
        main(args, None)
    except SystemExit as exc:
        stream.flush()
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    finally:
        sys.stdout, sys.stderr = saved
    stream.flush()
    assert (out.getvalue(), err.getvalue()) == (b"", ""), "a pass says nothing"
    return None


def kept_either(
    run: Run, main: QuickMain, command: str, args: list[str]
) -> tuple[int, bytes, str, bool]:
    """What `reflect COMMAND ...` gives: the light path's kept text, else the full command line's."""
    done = kept_run(main, args)
    if done is not None:
        return (*done, True)
    result = run([command, *args])
    return result.exit_code, result.stdout_bytes, result.stderr, False


def kept_full(run: Run, command: str, args: list[str]) -> tuple[int, bytes, str]:
    """What the full command line alone gives, with no kept text handed to it."""
    from reflect.journal import shown

    shown.handed = None
    result = run([command, *args])
    return result.exit_code, result.stdout_bytes, result.stderr


def passes_changing_nothing(
    root: Path, quick: Callable[[], object], *, lock: Path | None = None
) -> None:
    """`quick` (a quick path run) passes to the full command line and leaves every file as it was.

    With `lock`, the journal lock is held by another process's way meanwhile.
    """
    held = None
    if lock is not None:
        import fcntl

        held = os.open(lock, os.O_RDWR)
        fcntl.flock(held, fcntl.LOCK_EX)
    before = files(root)
    try:
        assert quick() is None
    finally:
        if held is not None:
            os.close(held)
    assert files(root) == before


@contextlib.contextmanager
def disk_full() -> Iterator[None]:
    """Every file written meanwhile fails as on a full disk (journal/atomic.py)."""
    import errno

    from reflect.journal import atomic

    def no_space(folder: str) -> tuple[int, str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    real = atomic.create_temp
    atomic.create_temp = no_space
    try:
        yield
    finally:
        atomic.create_temp = real


def answering(*answers: str) -> list[str]:
    """The arguments of `reflect today` that answer without asking."""
    return ["--no-input", *(part for a in answers for part in ("--answer", a))]


@contextlib.contextmanager
def home_at(root: Path) -> Iterator[None]:
    """REFLECT_HOME set to `root` for the time being."""
    saved = os.environ["REFLECT_HOME"]
    os.environ["REFLECT_HOME"] = str(root)
    try:
        yield
    finally:
        os.environ["REFLECT_HOME"] = saved


def apply(run: Run, root: Path, step: tuple[str, str]) -> None:
    """One step of a day's history, the same in both homes (always by the full command line).

    The steps: `answer` (answers joined by NUL), `note`, `hand` (the day's
    file written as given), `config` (config.toml as given), `prompt`, and
    `remove` (the day's file deleted).
    """
    kind, value = step
    path = root / "entries" / "2026" / "2026-12-01.md"
    with home_at(root):
        if kind == "answer":
            run(["today", *answering(*value.split("\x00"))])
        elif kind == "note":
            run(["write", value])
        elif kind == "hand":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(value.encode("utf-8"))
        elif kind == "config":
            (root / "config.toml").write_text(value, encoding="utf-8")
        elif kind == "prompt":
            run(["prompt"])
        elif path.exists():
            path.unlink()


def files(root: Path) -> dict[str, bytes]:
    """Every file a write may touch, by its path in the home (the kept caches left out)."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = str(path.relative_to(root))
        if path.is_file() and not relative.startswith(".cache"):
            found[relative] = path.read_bytes()
    return found


# A day's file as a hand or another tool may leave it, for the side-by-side tests: the quick
# path writes to it what the full command line writes, or leaves it to the full command line.
BENT_DAYS = [
    "",
    "no front matter\n",
    "---\ndate: 2026-12-01\n---\nbody\n",
    "---\ndate: 2026-12-01\nformat: 2\n---\n",
    "---\ndate: 2026-12-01\nformat: 2\n---\r\n\r\nwindows\r\n",
    "\ufeff---\ndate: 2026-12-01\nformat: 2\n---\n",
    "---\ndate: 2026-12-01\nformat: [\n---\n",
]


def unstamped(text: str) -> str:
    """Recovery files are named by the microsecond they were kept at: that part differs."""
    return re.sub(r"\d{8}T\d{12}", "STAMP", text)


def unstamped_files(root: Path) -> dict[str, bytes]:
    """`files`, as two homes written alike hold them: recovery files without their stamps."""
    found = {}
    for name, data in files(root).items():
        if name.startswith(".recovery"):
            data = re.sub(rb'"written": "[^"]*"', b"", data).replace(str(root).encode(), b"HOME")
        found[unstamped(name)] = data
    return found
