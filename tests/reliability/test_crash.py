"""A writer killed (SIGKILL) at random moments while saving: the entry is always whole.

After every kill the day's file parses and holds exactly the notes saved
before it, in order: the old version or the new one, never a mix or a
truncation. Temporary files a kill leaves behind are found and removed by
`reflect doctor --fix`. REFLECT_CRASH_KILLS sets how many kills (default 150).

Each writer says when its first note is saved, and the kill comes at a random
moment after that, however busy the machine: so every round makes progress
and the folder exists, and the kill lands inside a later save or between two.
"""

import datetime as dt
import os
import random
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

from reflect.daily.session import add_note
from reflect.doctor.check import check
from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from tests.reliability.kills import assert_whole, kill_while_writing

DAY = dt.date(2026, 11, 26)
KILLS = int(os.environ.get("REFLECT_CRASH_KILLS", "150"))


def keep_writing(root: str, start: int, saved: Event) -> None:
    home = Home(Path(root))
    number = start
    while True:
        add_note(home, DAY, f"note {number}\n" + "words " * (number % 50), [])
        saved.set()
        number += 1


def saved_notes(home: Home) -> list[str]:
    path = entry_path(home, DAY)
    if not path.exists():
        return []
    entry = parse_entry(path.read_text(encoding="utf-8"), str(path), DAY)
    return [note.text.split("\n", 1)[0] for note in entry.notes()]


@pytest.mark.slow
def test_kill_nine_at_random_points_never_damages_the_entry(home: Home) -> None:
    home.ensure()
    chance = random.Random(20261126)
    leftovers_seen = 0
    for _ in range(KILLS):
        before = saved_notes(home)
        kill_while_writing(keep_writing, (str(home.root), len(before)), chance, longest=0.02)
        assert_whole(before, saved_notes(home))
        temp = list(entry_path(home, DAY).parent.glob(".reflect-tmp-*"))
        leftovers_seen = max(leftovers_seen, len(temp))
    assert len(saved_notes(home)) >= KILLS, "every writer saved before it was killed"
    report = check(home, fix=True)
    assert report.healthy
    remaining = [
        p for p in entry_path(home, DAY).parent.iterdir() if p.name.startswith(".reflect-")
    ]
    assert remaining == []
    print(
        f"{KILLS} kills, {len(saved_notes(home))} notes saved, at most {leftovers_seen} temp file(s) left"
    )
