"""Faults while saving: disk full, read-only home, permission denied, a failing rename.

Each gives one clear line and exit 1, leaves the previous file intact, and
keeps what was typed in a recovery draft that the next `reflect today` restores.
"""

import datetime as dt
import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reflect.journal import atomic
from reflect.journal.drafts import find_drafts
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from tests.conftest import Run

DAY = dt.date(2026, 11, 26)
FAULTS = {
    "disk full": errno.ENOSPC,
    "read-only": errno.EROFS,
    "permission denied": errno.EACCES,
}
MESSAGES = {
    errno.ENOSPC: "the disk is full; free some space and try again",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied; check the journal folder's owner and permissions",
}


@pytest.fixture
def break_entries(
    demo: Home, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[int, str], None]]:
    """Make writes under entries/ fail with an errno, at file creation or at the rename."""
    real_create = atomic.create_temp
    real_replace = os.replace
    entries = str(demo.entries_dir)

    def install(code: int, where: str) -> None:
        def create_temp(folder: str) -> tuple[int, str]:
            if where == "create" and folder.startswith(entries):
                raise OSError(code, os.strerror(code))
            return real_create(folder)

        def replace(src: str, dst: str) -> None:
            if where == "rename" and str(dst).startswith(entries):
                raise OSError(code, os.strerror(code))
            real_replace(src, dst)

        monkeypatch.setattr(atomic, "create_temp", create_temp)
        monkeypatch.setattr(os, "replace", replace)

    yield install
    monkeypatch.undo()


@pytest.mark.parametrize("where", ["create", "rename"])
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failed_save_keeps_the_old_file_and_a_draft(
    demo: Home, run: Run, break_entries: Callable[[int, str], None], fault: str, where: str
) -> None:
    run(["today", "--date", str(DAY), "--no-input", "--answer", "mood=2"])
    path = entry_path(demo, DAY)
    before = path.read_bytes()
    break_entries(FAULTS[fault], where)
    result = run(
        ["today", "--date", str(DAY), "--no-input", "--answer", "mood=5", "--answer", "hours=3"]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"reflect: could not save {path}: {MESSAGES[FAULTS[fault]]}")
    assert "the previous version is unchanged; what you typed is kept in " in result.stderr
    assert "Traceback" not in result.output
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".reflect-tmp-")]
    (draft,), _ = find_drafts(demo)
    assert str(draft.path) in result.stderr
    assert draft.path.stat().st_mode & 0o777 == 0o600
    assert [(e.prompt, e.value) for e in draft.edits] == [("mood", 5), ("hours", 3)]


def test_the_next_session_restores_the_draft(
    demo: Home, run: Run, break_entries: Callable[[int, str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    break_entries(errno.ENOSPC, "create")
    failed = run(["today", "--date", str(DAY)], input="4\ny\nSam's launch stung.\n")
    assert failed.exit_code == 1
    assert "the disk is full" in failed.stderr
    monkeypatch.undo()
    monkeypatch.setenv("REFLECT_HOME", str(demo.root))
    scripted = run(["today", "--date", str(DAY), "--no-input", "--answer", "hours=1"])
    assert "could not be saved earlier; they are kept in" in scripted.stderr
    assert "run `reflect today` to restore them" in scripted.stderr
    restored = run(["today", "--date", str(DAY)], input="y\n:q\n")
    assert restored.exit_code == 0, restored.output
    assert (
        "1 answer(s) and 0 piece(s) of writing for 2026-11-26 could not be saved" in restored.stdout
    )
    assert f"Restored into {entry_path(demo, DAY)}" in restored.stdout
    text = entry_path(demo, DAY).read_text(encoding="utf-8")
    assert "mood: 4" in text and "hours: 1" in text
    assert find_drafts(demo) == ([], [])


def test_a_session_that_fails_midway_keeps_what_was_saved(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src: str, dst: str) -> None:
        if str(dst).endswith("2026-11-26.md"):
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    result = run(["today", "--date", str(DAY)], input="3\nn\n40\n2\n")
    assert result.exit_code == 1
    assert "Input/output error" in result.stderr
    text = entry_path(demo, DAY).read_text(encoding="utf-8")
    assert "mood: 3" in text and "threatened: false" in text and "share" not in text
    (draft,), _ = find_drafts(demo)
    assert [(e.prompt, e.value) for e in draft.edits] == [("share", 40)]


def test_when_even_the_draft_cannot_be_written_the_message_says_so(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(folder: str) -> tuple[int, str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "create_temp", no_space)
    result = run(["write", "precious words", "--date", str(DAY)])
    assert result.exit_code == 1
    assert "no recovery draft could be written either; copy what you typed now" in result.stderr


def test_a_journal_home_that_cannot_be_created(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("REFLECT_HOME", str(blocker / "journal"))
    result = run(["today", "--no-input", "--answer", "daily/mood=3"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"reflect: cannot create {blocker / 'journal'}: ")
    assert result.stderr.count("\n") == 1
