"""A writer killed (SIGKILL) at random moments while saving: the entry is always whole.

After every kill the day's file parses and holds exactly the notes saved
before it, in order: the old version or the new one, never a mix or a
truncation. Temporary files a kill leaves behind are found and removed by
`reflect doctor --fix`. REFLECT_CRASH_KILLS sets how many kills (default 150).
"""

import datetime as dt
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

from reflect.daily.session import add_note
from reflect.doctor.check import check
from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path

DAY = dt.date(2026, 11, 26)
KILLS = int(os.environ.get("REFLECT_CRASH_KILLS", "150"))


def keep_writing(root: str, start: int, ready: Any) -> None:
    home = Home(Path(root))
    # One save on another day first, so the kill lands among saves, not imports
    # (on a loaded machine the first save takes longer than the longest wait).
    add_note(home, DAY - dt.timedelta(days=1), "warm-up", [])
    ready.set()
    number = start
    while True:
        add_note(home, DAY, f"note {number}\n" + "words " * (number % 50), [])
        number += 1


def saved_notes(home: Home) -> list[str]:
    path = entry_path(home, DAY)
    if not path.exists():
        return []
    entry = parse_entry(path.read_text(encoding="utf-8"), str(path), DAY)
    return [note.text.split("\n", 1)[0] for note in entry.notes()]


def test_kill_nine_at_random_points_never_damages_the_entry(home: Home) -> None:
    home.ensure()
    context = multiprocessing.get_context("fork")
    chance = random.Random(20261126)
    leftovers_seen = 0
    for _ in range(KILLS):
        before = saved_notes(home)
        ready = context.Event()
        process = context.Process(target=keep_writing, args=(str(home.root), len(before), ready))
        process.start()
        assert ready.wait(60), "the writer started"
        time.sleep(chance.uniform(0.001, 0.03))
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        after = saved_notes(home)
        assert after[: len(before)] == before, "earlier notes survive unchanged"
        assert after == [f"note {n}" for n in range(len(after))], "no note is torn or mixed"
        # A writer killed before its first save has not made the year's folder yet.
        folder = entry_path(home, DAY).parent
        temp = [p for p in folder.glob(".reflect-tmp-*")] if folder.exists() else []
        leftovers_seen = max(leftovers_seen, len(temp))
    assert len(saved_notes(home)) > KILLS // 2, "the writers made progress between kills"
    report = check(home, fix=True)
    assert report.healthy
    remaining = [
        p for p in entry_path(home, DAY).parent.iterdir() if p.name.startswith(".reflect-")
    ]
    assert remaining == []
    print(
        f"{KILLS} kills, {len(saved_notes(home))} notes saved, at most {leftovers_seen} temp file(s) left"
    )
