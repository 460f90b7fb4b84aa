"""What the kill tests share: a writer killed with SIGKILL at a random moment of its work."""

import multiprocessing
import os
import random
import signal
import time
from collections.abc import Callable


def kill_while_writing(
    target: Callable[..., None],
    args: tuple[object, ...],
    chance: random.Random,
    *,
    longest: float,
) -> None:
    """`target(*args, saved)` forked, then killed up to `longest` seconds after it set `saved`.

    It sets the event once it has saved something: a kill lands in the
    middle of the saves that follow. A generous bound that only a writer
    unable to save at all would reach.
    """
    context = multiprocessing.get_context("fork")
    saved = context.Event()
    process = context.Process(target=target, args=(*args, saved))
    process.start()
    assert saved.wait(timeout=120), (
        f"the writer saved before it was killed (exit {process.exitcode})"
    )
    time.sleep(chance.uniform(0.0, longest))
    assert process.pid is not None
    os.kill(process.pid, signal.SIGKILL)
    process.join()


def assert_whole(before: list[str], after: list[str]) -> None:
    """Notes `note 0`, `note 1`, ...: those saved before a kill unchanged, none torn or mixed."""
    assert after[: len(before)] == before, "earlier notes survive unchanged"
    assert after == [f"note {n}" for n in range(len(after))], "no note is torn or mixed"
