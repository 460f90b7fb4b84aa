"""Quick notes (daily/quick.py) and full writes to the same day at once: nothing is lost."""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from reflect.daily import quick
from reflect.daily.session import add_note, remember_write, resolve_answers, save_answers
from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from reflect.packs.library import load_pack
from tests.conftest import DATA
from tests.reliability.together import assert_every_note_kept, run_together

WRITERS = 4
NOTES_EACH = 40


def today() -> dt.date:
    return dt.date.today()


def full_note(home: Home, text: str) -> None:
    """What `reflect write TEXT` does when the quick path passes."""
    day = today()
    entry = add_note(home, day, text, [])
    remember_write(home, day, entry, quick.file_key(str(home.config_path)))


def writer(root: str, number: int) -> None:
    home = Home(Path(root))
    pack = load_pack(home.packs_dir / "demo.toml")
    quick_ones = 0
    for n in range(NOTES_EACH):
        text = f"writer {number} note {n}"
        if number % 2 == 0 and quick.write_note(root, text) is not None:
            quick_ones += 1
            continue
        full_note(home, text)
        if number % 2 and n % 10 == 0:
            save_answers(home, today(), resolve_answers([pack], [f"hours={number}"]))
    Path(root, f"quick-{number}").write_text(str(quick_ones), encoding="utf-8")


@pytest.mark.slow
def test_quick_and_full_writers_lose_nothing(home: Home) -> None:
    home.ensure()
    shutil.copy(DATA / "demo.toml", home.packs_dir / "demo.toml")
    home.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
    full_note(home, "the day begins")
    run_together(writer, [(str(home.root), i) for i in range(WRITERS)])
    day = today()
    path = entry_path(home, day)
    entry = parse_entry(path.read_text(encoding="utf-8"), str(path), day)
    first, *notes = [note.text for note in entry.notes()]
    assert first == "the day begins"
    assert_every_note_kept(notes, WRITERS, NOTES_EACH)
    assert not [p for p in os.listdir(path.parent) if p.startswith(".reflect-tmp-")]
    quick_ones = [int((home.root / f"quick-{w}").read_text(encoding="utf-8")) for w in (0, 2)]
    assert sum(quick_ones) > 0, "the quick path took part"
