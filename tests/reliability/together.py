"""What the tests of writers at once share: processes started together, and the notes they left."""

import multiprocessing
from collections.abc import Callable, Sequence


def run_together(target: Callable[..., None], calls: Sequence[tuple[object, ...]]) -> None:
    """`target` in a new process per argument tuple, all started at once; each must exit 0.

    Spawned, not forked: each starts as a fresh `reflect` would, with no lock
    or open file of the test's. A generous bound that only a hung writer reaches.
    """
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=target, args=args) for args in calls]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
        assert process.exitcode == 0


def assert_every_note_kept(notes: list[str], writers: int, each: int) -> None:
    """Notes `writer W note N` from every writer, none lost or doubled, each writer's in order."""
    expected = {f"writer {w} note {n}" for w in range(writers) for n in range(each)}
    assert len(notes) == len(expected) == writers * each
    assert set(notes) == expected
    for w in range(writers):
        mine = [int(text.rsplit(" ", 1)[1]) for text in notes if text.startswith(f"writer {w} ")]
        assert mine == sorted(mine), "each writer's notes keep their order"
