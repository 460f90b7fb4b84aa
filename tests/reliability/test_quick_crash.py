"""The quick note writer (daily/quick.py) killed (SIGKILL) at random moments: the day is always whole.

After every kill the day's file holds exactly the notes saved before it, in
order, and the quick path still writes the next one (the lock is free, what
`.cache/written` keeps is never torn into a wrong front matter). The kill
comes at a random moment after a writer's first quick note, as in
test_crash.py. REFLECT_CRASH_KILLS sets how many kills (default 150; a
fifth of them here).
"""

import datetime as dt
import multiprocessing
import os
import random
import shutil
import signal
import time
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

from reflect.daily import quick
from reflect.daily.session import add_note, remember_write
from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from tests.conftest import DATA

NOW = dt.datetime(2026, 12, 1, 14, 32)
KILLS = max(1, int(os.environ.get("REFLECT_CRASH_KILLS", "150")) // 5)


def keep_writing(root: str, start: int, saved: Event) -> None:
    quick.clock = NOW.timetuple  # the day cannot turn under the test
    number = start
    while True:
        if quick.write_note(root, f"note {number}\n" + "words " * (number % 50)) is None:
            os._exit(3)  # the quick path refused: a kill left something it does not trust
        saved.set()
        number += 1


def saved_notes(path: Path) -> list[str]:
    if not path.exists():
        return []
    entry = parse_entry(path.read_text(encoding="utf-8"), str(path), NOW.date())
    return [note.text.split("\n", 1)[0] for note in entry.notes()]


@pytest.mark.slow
def test_kill_nine_at_random_points_never_damages_a_quick_note(home: Home) -> None:
    home.ensure()
    shutil.copy(DATA / "demo.toml", home.packs_dir / "demo.toml")
    home.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
    entry = add_note(home, NOW.date(), "note 0", [], time="14:32")
    remember_write(home, NOW.date(), entry, quick.file_key(str(home.config_path)))
    path = home.entries_dir / "2026" / "2026-12-01.md"
    context = multiprocessing.get_context("fork")
    chance = random.Random(20261201)
    for _ in range(KILLS):
        before = saved_notes(path)
        saved = context.Event()
        process = context.Process(target=keep_writing, args=(str(home.root), len(before), saved))
        process.start()
        assert saved.wait(timeout=120), f"the quick path wrote (exit {process.exitcode})"
        time.sleep(chance.uniform(0.0, 0.01))
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        after = saved_notes(path)
        assert after[: len(before)] == before, "earlier notes survive unchanged"
        assert after == [f"note {n}" for n in range(len(after))], "no note is torn or mixed"
    assert len(saved_notes(path)) > KILLS
