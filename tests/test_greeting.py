"""The shell greeting: `reflect prompt` and the status line answered without the command line."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import reflect.journal.index as index_module
from reflect.journal.home import Home
from reflect.model import dates

from .conftest import Run

# What the fast path may import of reflect; nothing of Typer, pydantic, Rich or YAML.
LIGHT = [
    "reflect",
    "reflect.daily",
    "reflect.daily.greeting",
    "reflect.daily.kept",
    "reflect.errors",
    "reflect.journal",
    "reflect.journal.atomic",
    "reflect.journal.files",
    "reflect.journal.home",
    "reflect.journal.home_root",
    "reflect.main",
    "reflect.model",
    "reflect.model.notes",
    "reflect.model.sections",
]
STATUS_ALSO = ["reflect.journal.index_store"]
HEAVY = ("typer", "pydantic", "rich", "yaml", "click", "platformdirs")


def greet(*args: str, on: dt.date | None = None) -> tuple[str, list[str], list[str]]:
    """Run the console script in a new process: its output, reflect's modules, heavy modules.

    `on` sets the day the process takes for today.
    """
    code = (
        "import sys, json\n"
        f"sys.argv = ['reflect', *{list(args)!r}]\n"
        "import datetime, reflect.main\n"
        + (f"reflect.main.today = lambda: datetime.date({on:%Y, %-m, %-d})\n" if on else "")
        + "from reflect.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        "mods = sorted(m for m in sys.modules if m == 'reflect' or m.startswith('reflect.'))\n"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print(json.dumps([mods, heavy]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
        stdin=subprocess.DEVNULL,
    )
    *lines, last = result.stdout.splitlines()
    mods, heavy = json.loads(last)
    return "".join(f"{line}\n" for line in lines), mods, heavy


def test_reflect_prompt_imports_only_the_greeting_once_the_schedule_is_kept(
    demo: Home, run: Run
) -> None:
    full = run(["prompt"])
    assert full.exit_code == 0, full.output
    assert (demo.cache_dir / "schedule.json").is_file()
    out, mods, heavy = greet("prompt")
    assert out == full.stdout
    assert heavy == []
    assert mods == LIGHT


@pytest.mark.slow
def test_the_kept_schedule_follows_config_and_pack_changes(demo: Home, run: Run) -> None:
    run(["prompt"])
    demo.config_path.write_text("packs = []\n", encoding="utf-8")
    out, _, heavy = greet("prompt")
    assert out == "" and "typer" in heavy, "a changed config goes to the full command line"
    demo.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
    run(["prompt"])
    pack = demo.packs_dir / "demo.toml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("mood", "mood2", 1), "utf-8")
    out, _, heavy = greet("prompt")
    assert "typer" in heavy
    assert out == run(["prompt"]).stdout


def test_a_warning_is_never_kept_for_the_greeting(demo: Home, run: Run) -> None:
    demo.config_path.write_text('packs = ["demo", "gone"]\n', encoding="utf-8")
    result = run(["prompt"])
    assert "pack 'gone' is enabled but not found" in result.stderr
    assert not (demo.cache_dir / "schedule.json").exists()


def test_the_status_line_is_answered_from_the_index(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "SETTLED_NS", 0)
    # One day for both processes: the machine's, read in each, could differ at midnight.
    day = dt.date(2026, 11, 30)
    monkeypatch.setattr(dates, "today", lambda: day)
    run(["today", "--date", str(day), "--no-input", "--answer", "mood=3"])
    full = run([])
    assert "1 of" in full.stdout
    out, mods, heavy = greet(on=day)
    assert (out, heavy) == (full.stdout, [])
    assert mods == sorted([*LIGHT, *STATUS_ALSO])


@pytest.mark.slow
def test_the_status_line_reads_a_changed_entry_through_the_full_reader(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "SETTLED_NS", 0)
    today = dt.date.today()
    run([])
    path = demo.entries_dir / f"{today:%Y}" / f"{today}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ndate: [\n---\n", encoding="utf-8")
    code = "import sys\nsys.argv = ['reflect']\nfrom reflect.main import main\nmain()\n"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=os.environ,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"reflect: {path}:") and "not valid YAML" in result.stderr


@pytest.mark.slow
def test_a_kept_schedule_that_is_a_link_is_worked_out_again_and_never_written_through(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    full = run(["prompt"]).stdout
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("someone else's file", encoding="utf-8")
    kept = demo.cache_dir / "schedule.json"
    kept.unlink()
    os.symlink(elsewhere, kept)
    out, _, heavy = greet("prompt")
    assert out == full and "typer" in heavy
    assert elsewhere.read_text(encoding="utf-8") == "someone else's file"
    assert kept.is_file() and not kept.is_symlink()


def _rewrite_in_place(path: Path, old: bytes, new: bytes) -> None:
    """Rewrite a file in place (same inode, same size) and put its times back."""
    assert len(old) == len(new)
    before = path.stat()
    data = path.read_bytes()
    assert old in data
    with path.open("r+b") as file:
        file.write(data.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


@pytest.mark.slow
def test_a_pack_rewritten_in_place_with_its_time_restored_is_seen(demo: Home, run: Run) -> None:
    assert "How was your mood today?" in run(["prompt"]).stdout
    _rewrite_in_place(demo.packs_dir / "demo.toml", b"your mood today", b"your MOOD today")
    out, _, _ = greet("prompt")
    assert "How was your MOOD today?" in out
    assert out == run(["prompt"]).stdout


@pytest.mark.slow
def test_a_config_rewritten_in_place_with_its_time_restored_is_seen(demo: Home, run: Run) -> None:
    assert "How was your mood today?" in run(["prompt"]).stdout
    _rewrite_in_place(demo.config_path, b'packs = ["demo"]', b"packs = []      ")
    out, _, _ = greet("prompt")
    assert "mood" not in out
    assert out == run(["prompt"]).stdout


@pytest.mark.slow
@pytest.mark.parametrize("data", ['{"answers": []}', '{"answers": {"demo": "x"}}', "[]"])
def test_the_status_line_from_a_damaged_index_goes_to_the_full_reader(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch, data: str
) -> None:
    import sqlite3

    from reflect.journal.index_store import index_path

    monkeypatch.setattr(index_module, "SETTLED_NS", 0)
    today = dt.date.today().isoformat()
    run(["today", "--date", today, "--no-input", "--answer", "mood=3"])
    full = run([])
    assert "1 of" in full.stdout
    db = sqlite3.connect(index_path(demo))
    db.execute("UPDATE days SET data = ?", (data,))
    db.commit()
    db.close()
    out, _, heavy = greet()
    assert out == full.stdout
    assert "typer" in heavy, "answered by the full command line"
