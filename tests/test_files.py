"""The atomic write makes the new text durable before and after it takes the old one's place."""

import os
import stat
from pathlib import Path

import pytest

from reflect.journal.files import ensure_private_dir, write_atomic


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


def test_a_private_folder_s_missing_parents_are_private_too(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        ensure_private_dir(tmp_path / "state" / "reflect" / "recovery")
    finally:
        os.umask(old)
    made = [tmp_path / "state", tmp_path / "state" / "reflect", tmp_path / "state/reflect/recovery"]
    assert [stat.S_IMODE(folder.stat().st_mode) for folder in made] == [0o700] * 3
    tmp_path.chmod(0o755)
    ensure_private_dir(tmp_path / "state")  # one that exists is left as it is
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755


def test_text_written_in_pieces_replaces_a_file_only_once_whole(tmp_path: Path) -> None:
    from collections.abc import Callable

    from reflect.journal.files import write_atomic_pieces

    target = tmp_path / "review.json"
    target.write_text("before\n", encoding="utf-8")

    def broken(write: Callable[[str], object]) -> None:
        write("{\n")
        raise RuntimeError("the index went away")

    with pytest.raises(RuntimeError):
        write_atomic_pieces(target, broken)
    assert target.read_text(encoding="utf-8") == "before\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.json"]  # no temporary file left

    def whole(write: Callable[[str], object]) -> None:
        for piece in ("{\n", '  "é": 1\n', "}\n"):
            write(piece)

    write_atomic_pieces(target, whole)
    assert target.read_text(encoding="utf-8") == '{\n  "é": 1\n}\n'
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.json"]
