"""Deleted words leave every cache: nothing under .cache/ outlives the entries it was built from."""

import os
import shutil
import time

from reflect.journal.home import Home
from tests.conftest import Run

MARKER = "secret-2025"


def cached_text(home: Home) -> str:
    return "".join(
        p.read_bytes().decode("utf-8", "replace") for p in home.cache_dir.rglob("*") if p.is_file()
    )


def test_deleting_a_year_folder_removes_its_data_from_every_cache_file(
    demo: Home, run: Run
) -> None:
    for day in ("2025-03-01", "2025-03-02", "2026-11-25"):
        result = run(["write", "a private note", "--date", day, "--tag", MARKER])
        assert result.exit_code == 0, result.output
    old = time.time() - 86_400
    for path in demo.entries_dir.rglob("*.md"):
        os.utime(path, (old, old))
    assert run(["trends", "--since", "2025-01-01", "--until", "2026-12-31"]).exit_code == 0
    assert MARKER in cached_text(demo), "the cache held the year before it was deleted"
    shutil.rmtree(demo.entries_dir / "2025")
    for command in (["trends"], ["calendar", "--year", "2026"], ["search", "private"]):
        assert run(command).exit_code == 0
    assert "2025-03" not in cached_text(demo)
