"""The quick note and answer writers (daily/quick.py, quick_today.py) killed (SIGKILL) at random moments: the day is always whole.

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

from reflect.daily import quick, quick_today, session
from reflect.daily.session import add_note, remember_write
from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from reflect.model import dates
from tests.conftest import DATA, Run
from tests.reliability.kills import assert_whole, kill_while_writing

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
    chance = random.Random(20261201)
    for _ in range(KILLS):
        before = saved_notes(path)
        kill_while_writing(keep_writing, (str(home.root), len(before)), chance, longest=0.01)
        assert_whole(before, saved_notes(path))
    assert len(saved_notes(path)) > KILLS


def keep_answering(root: str, start: int, saved: Event) -> None:
    quick_today.clock = lambda: NOW.astimezone()  # the day cannot turn under the test
    number = start % 2000  # the hours stay below the prompt's 24
    while True:
        hours = f"{number // 100}.{number % 100:02d}" if number % 100 else str(number // 100)
        if quick_today.save(root, [f"demo/hours={hours}", f"demo/mood={number % 5 + 1}"]) is None:
            os._exit(3)  # the quick path refused: a kill left something it does not trust
        saved.set()
        number += 1


def saved_hours(path: Path) -> int:
    entry = parse_entry(path.read_text(encoding="utf-8"), str(path), NOW.date())
    hours = entry.answer("demo", "hours")
    assert isinstance(hours, (int, float)) and not isinstance(hours, bool)
    assert entry.answer("demo", "mood") in (1, 2, 3, 4, 5)
    assert entry.notes()[0].text == "kept", "the body is never touched"
    return round(hours * 100)


@pytest.mark.slow
def test_kill_nine_at_random_points_never_damages_a_quick_answer(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dates, "today", NOW.date)
    monkeypatch.setattr(session, "now", lambda: NOW.astimezone())
    assert run(["write", "kept", "--time", "09:00"]).exit_code == 0
    assert run(["today", "--no-input", "-a", "demo/hours=0", "-a", "demo/mood=1"]).exit_code == 0
    path = demo.entries_dir / "2026" / "2026-12-01.md"
    context = multiprocessing.get_context("fork")
    chance = random.Random(20261202)
    handed_over = 0
    for _ in range(KILLS):
        before = saved_hours(path)
        saved = context.Event()
        process = context.Process(target=keep_answering, args=(str(demo.root), before + 1, saved))
        process.start()
        while not saved.wait(timeout=0.05) and process.exitcode is None:
            pass
        if not saved.is_set():
            # Killed between writing the day and keeping its front matter: the day is whole,
            # the quick path no longer trusts it, and the full command line takes over.
            assert process.exitcode == 3
            handed_over += 1
            assert run(["today", "--no-input", "-a", "demo/hours=0.5"]).exit_code == 0
            assert saved_hours(path) == 50
            continue
        time.sleep(chance.uniform(0.0, 0.01))
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        assert saved_hours(path) > before, "every answer saved before the kill is there"
    assert handed_over < KILLS // 2
