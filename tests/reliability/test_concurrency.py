"""Several processes writing notes and answers to the same day at once: nothing is lost."""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from reflect.daily.session import add_note, resolve_answers, save_answers
from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from reflect.packs.library import load_pack
from tests.conftest import DATA
from tests.reliability.together import assert_every_note_kept, run_together

DAY = dt.date(2026, 11, 26)
WRITERS = 4
NOTES_EACH = 60


def writer(root: str, number: int) -> None:
    home = Home(Path(root))
    pack = load_pack(home.packs_dir / "demo.toml")
    for n in range(NOTES_EACH):
        add_note(home, DAY, f"writer {number} note {n}", [f"w{number}"])
        if n % 10 == 0:
            save_answers(home, DAY, resolve_answers([pack], [f"hours={number}"]))


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(home: Home) -> None:
    home.ensure()
    shutil.copy(DATA / "demo.toml", home.packs_dir / "demo.toml")
    run_together(writer, [(str(home.root), i) for i in range(WRITERS)])
    path = entry_path(home, DAY)
    entry = parse_entry(path.read_text(encoding="utf-8"), str(path), DAY)
    assert_every_note_kept([note.text for note in entry.notes()], WRITERS, NOTES_EACH)
    assert sorted(entry.front.tags) == [f"w{w}" for w in range(WRITERS)]
    assert entry.front.answers["demo"]["hours"] in range(WRITERS)
    assert not [p for p in os.listdir(path.parent) if p.startswith(".reflect-tmp-")]


PACKS = [
    "co-creator",
    "collaboration",
    "daily",
    "growth-mindset",
    "partnership",
    "servant-leadership",
]


def toggler(root: str, pack_id: str) -> None:
    from reflect.packs.library import set_enabled

    home = Home(Path(root))
    for _ in range(15):
        set_enabled(home, pack_id, False)
        set_enabled(home, pack_id, True)


@pytest.mark.slow
def test_concurrent_packs_enable_and_disable_lose_no_change(home: Home) -> None:
    from reflect.journal.config import Config, load_config, save_config

    home.ensure()
    save_config(home, Config(packs=[]))
    run_together(toggler, [(str(home.root), p) for p in PACKS])
    assert sorted(load_config(home).packs) == PACKS
