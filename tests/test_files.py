"""The atomic write makes the new text durable before and after it takes the old one's place."""

import os
import stat
from pathlib import Path

import pytest

from reflect.journal.files import write_atomic


def test_write_atomic_fsyncs_the_text_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The suite skips fsync on regular files (tests/conftest.py); this test
    # records every call instead, in the order it happens.
    events: list[str] = []
    real_replace = os.replace

    def fsync(fd: int) -> None:
        mode = os.fstat(fd).st_mode
        events.append("fsync folder" if stat.S_ISDIR(mode) else "fsync file")

    def replace(src: str, dst: str | os.PathLike[str]) -> None:
        events.append("rename")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "entries" / "2026" / "2026-12-01.md"
    target.parent.mkdir(parents=True)
    target.write_text("old\n", encoding="utf-8")

    write_atomic(target, "new\n")

    assert events == ["fsync file", "rename", "fsync folder"]
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["2026-12-01.md"]
