"""Work split between this process and a copy of it forked on the other core.

Standard library only: the light history looks at a long journal's year
folders with it before any model loads, and the cold search reads its files
with it.
"""

from __future__ import annotations

import contextlib
import os
import signal

# typing costs the light history's start-up more than this module: mypy reads it the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import NoReturn, TypeVar

    Job = TypeVar("Job")
    Done = TypeVar("Done")

# The room a pipe's buffer is asked for (Linux's F_SETPIPE_SZ): the copy may run that far
# ahead of what is shown.
_PIPE_ROOM = 1 << 20


def in_two(
    jobs: Sequence[Job],
    work: Callable[[Job], Done],
    keep: Callable[[Done], bool] = lambda done: True,
    prepare: Callable[[], None] = lambda: None,
) -> Iterator[Done]:
    """`work` of each job, in order, every other one done by a copy of this process (forked
    now) on the other core, which sends it back pickled.

    The copy only reads files and writes to its pipe: it shares no open
    database with this process, has no terminal (its standard streams are
    /dev/null), uses only the journal keys held before the fork (it asks for
    none), and ends with `os._exit`, so nothing of this process (its
    buffered output, its files) is written twice. A job the copy could not
    do, one whose result `keep` refuses (a file it could not read: this
    process reports it in its own words), or one it was not heard from
    about, is done here: the results are the same, one process or two.
    `prepare` runs first in the copy (the search drops the keys it may not ask for).
    """
    fork = getattr(os, "fork", None)
    if fork is None or len(jobs) < 2:
        return map(work, jobs)
    read_end, write_end = os.pipe()
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl

        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_ROOM)
    # Ctrl-C is held back over the fork: the copy never sees one (this process kills it when
    # done or stopped), so it can never go on as this process with a KeyboardInterrupt.
    held = _hold_ctrl_c()
    try:
        pid = fork()
    except OSError:
        _release_ctrl_c(held)
        os.close(read_end)
        os.close(write_end)
        return map(work, jobs)
    if pid == 0:
        with contextlib.suppress(ValueError):  # not the main thread: its Ctrl-C stays blocked
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            _release_ctrl_c(held)
        os.close(read_end)
        _copy(jobs[1::2], work, keep, prepare, write_end)
    _release_ctrl_c(held)
    os.close(write_end)
    return _results(jobs, work, pid, read_end)


def _hold_ctrl_c() -> bool:
    """Block SIGINT in this thread where the system can; True when it was blocked here."""
    block = getattr(signal, "pthread_sigmask", None)
    if block is None:
        return False
    return signal.SIGINT not in block(signal.SIG_BLOCK, {signal.SIGINT})


def _release_ctrl_c(held: bool) -> None:
    """Unblock what `_hold_ctrl_c` blocked: a Ctrl-C that came meanwhile arrives now."""
    if held:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _copy(
    jobs: Sequence[Job],
    work: Callable[[Job], Done],
    keep: Callable[[Done], bool],
    prepare: Callable[[], None],
    write_end: int,
) -> NoReturn:
    """The forked copy: each job's result, pickled, to the pipe; an empty one for a job that
    failed or whose result `keep` refuses (this process's parent does it again, and reports
    what stops it)."""
    code = 0
    try:
        import gc
        import pickle

        gc.disable()  # nothing it keeps lives long; and no finalizer of the parent's objects runs
        _no_terminal()
        prepare()
        with os.fdopen(write_end, "wb") as out:
            for job in jobs:
                try:
                    done = work(job)
                    blob = pickle.dumps(done, pickle.HIGHEST_PROTOCOL) if keep(done) else b""
                except Exception:
                    blob = b""
                out.write(len(blob).to_bytes(8, "little") + blob)
                out.flush()
    except BaseException:  # the parent gone (a closed pipe), Ctrl-C: nothing more to do
        code = 1
    os._exit(code)


def _no_terminal() -> None:
    """Standard input, output and error on /dev/null: the copy can neither read the terminal
    nor write a byte to what this process shows."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _results(
    jobs: Sequence[Job], work: Callable[[Job], Done], pid: int, read_end: int
) -> Iterator[Done]:
    import pickle

    heard = True
    try:
        with os.fdopen(read_end, "rb") as given:
            for number, job in enumerate(jobs):
                if number % 2 == 0 or not heard:
                    yield work(job)
                    continue
                size = int.from_bytes(given.read(8) or b"\0", "little")
                blob = given.read(size) if size else b""
                heard = size == 0  # a job it could not do; else it stopped half-way
                if size and len(blob) == size:
                    try:
                        done: Done = pickle.loads(blob)
                    except Exception:  # never expected: the copy's own pickle
                        heard = False
                    else:
                        heard = True
                        yield done
                        continue
                yield work(job)
    finally:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)  # done, or no longer wanted (output closed, Ctrl-C)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
