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
    from typing import BinaryIO, NoReturn, TypeVar

    Job = TypeVar("Job")
    Done = TypeVar("Done")

# The room a pipe's buffer is asked for (Linux's F_SETPIPE_SZ): the copy may run that far
# ahead of what is shown.
_PIPE_ROOM = 1 << 20
# A job's number on the tickets' pipe: two bytes, so every ticket of the most jobs taken
# fits in any system's pipe before the fork.
_TICKET = 2
MOST_JOBS = 4096


def in_two(
    jobs: Sequence[Job],
    work: Callable[[Job], Done],
    keep: Callable[[Done], bool] = lambda done: True,
    prepare: Callable[[], None] = lambda: None,
) -> Iterator[Done]:
    """`work` of each job, in order, the jobs shared with a copy of this process (forked
    when the first result is asked for) on the other core, which sends its results
    back pickled.

    Each process takes the next job not yet taken (a ticket read from a pipe
    both hold), so neither waits while the other has work left: this one
    also shows every result, and would otherwise finish well after the copy.
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
    tickets = _tickets(len(jobs)) if fork is not None and 2 <= len(jobs) <= MOST_JOBS else None
    if fork is None or tickets is None:
        yield from map(work, jobs)
        return
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
        for fd in (read_end, write_end, tickets):
            os.close(fd)
        yield from map(work, jobs)
        return
    if pid == 0:
        with contextlib.suppress(ValueError):  # not the main thread: its Ctrl-C stays blocked
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            _release_ctrl_c(held)
        os.close(read_end)
        _copy(jobs, work, keep, prepare, tickets, write_end)
    # The copy is killed however this ends, even by a Ctrl-C held over the fork that arrives
    # as it is released. Forked only once a result is asked for (this is a generator): results
    # never asked for leave no copy behind, where nothing would ever end it.
    try:
        os.close(write_end)
        given = os.fdopen(read_end, "rb")
        _release_ctrl_c(held)
        with given:
            yield from _results(jobs, work, tickets, given)
    finally:
        os.close(tickets)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)  # done, or no longer wanted (output closed, Ctrl-C)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _tickets(count: int) -> int | None:
    """A pipe's read end holding the numbers 0 to `count` - 1, in order, its write end
    closed (it reads as ended once they are taken); None when they do not fit in it."""
    data = b"".join(number.to_bytes(_TICKET, "little") for number in range(count))
    take, give = os.pipe()
    try:
        os.set_blocking(give, False)
        written = os.write(give, data)
    except OSError:
        written = -1
    finally:
        os.close(give)
    if written != len(data):
        os.close(take)
        return None
    return take


def _take(tickets: int) -> int | None:
    """The next job no process has taken; None when every one is."""
    # A read this short takes a whole ticket or none: the pipe is read under its lock.
    got = os.read(tickets, _TICKET)
    return int.from_bytes(got, "little") if len(got) == _TICKET else None


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
    tickets: int,
    write_end: int,
) -> NoReturn:
    """The forked copy: for each job it takes, its number and its result, pickled, to the
    pipe; an empty result for a job that failed or whose result `keep` refuses (its parent
    does it again, and reports what stops it)."""
    code = 0
    try:
        import gc
        import pickle

        gc.disable()  # nothing it keeps lives long; and no finalizer of the parent's objects runs
        _no_terminal()
        prepare()
        with os.fdopen(write_end, "wb") as out:
            while (number := _take(tickets)) is not None:
                try:
                    done = work(jobs[number])
                    blob = pickle.dumps(done, pickle.HIGHEST_PROTOCOL) if keep(done) else b""
                except Exception:
                    blob = b""
                out.write(number.to_bytes(_TICKET, "little") + len(blob).to_bytes(8, "little"))
                out.write(blob)
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
    jobs: Sequence[Job], work: Callable[[Job], Done], tickets: int, given: BinaryIO
) -> Iterator[Done]:
    import pickle

    done: dict[int, Done] = {}
    taken = -1  # the highest number this process took: every job below it is taken
    left = True  # jobs not yet taken by either process
    heard = True  # the copy is still heard from

    def hear() -> None:
        """The copy's next result, or silence from it when it stopped half-way."""
        nonlocal heard
        head = given.read(_TICKET + 8)
        size = int.from_bytes(head[_TICKET:], "little")
        blob = given.read(size) if len(head) == _TICKET + 8 else b""
        if len(head) < _TICKET + 8 or len(blob) < size:
            heard = False
            return
        number = int.from_bytes(head[:_TICKET], "little")
        if size:
            try:
                done[number] = pickle.loads(blob)
                return
            except Exception:  # never expected: the copy's own pickle
                pass
        done[number] = work(jobs[number])  # one it could not do: done here

    for number in range(len(jobs)):
        while number not in done:
            if left and number > taken:
                mine = _take(tickets)
                if mine is None:
                    left = False
                else:
                    taken = mine
                    done[mine] = work(jobs[mine])
            elif heard:
                hear()  # the copy took it
            else:
                done[number] = work(jobs[number])
        yield done.pop(number)
