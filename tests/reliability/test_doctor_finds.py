"""`reflect doctor` finds every state the reliability tests create, says what to do, and --fix touches no prose."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from reflect.journal.home import Home
from reflect.journal.store import entry_path
from tests.conftest import Run
from tests.reliability.test_bent_front_matter import BENT


def lay_every_state(home: Home, run: Run, tmp_path: Path) -> dict[str, Path]:
    run(["today", "--date", "2026-11-20", "--no-input", "--answer", "mood=2"])
    states: dict[str, Path] = {}
    for n, name in enumerate(sorted(BENT)[:6], start=1):
        path = home.entries_dir / "2025" / f"2025-01-{n:02d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(BENT[name].replace(b"2026-11-26", f"2025-01-{n:02d}".encode()))
        states[f"bent: {name}"] = path
    fifo = home.entries_dir / "2026" / "2026-11-21.md"
    os.mkfifo(fifo, 0o600)
    states["a FIFO named like an entry"] = fifo
    run(["write", "lost words?", "--date", "2025-01-01"])  # the day is broken: a draft
    states["a draft for a broken day"] = next((home.root / ".recovery").glob("*.json"))
    raw = run(["write", "--date", "2026-11-22"], input=b"caf\xe9")  # type: ignore[arg-type]
    assert raw.exit_code == 1
    states["bytes kept from piped input"] = next((home.root / ".recovery").glob("stdin-*.txt"))
    rejected = entry_path(home, dt.date(2026, 11, 20)).with_name(
        "2026-11-20.rejected-20261120-100000.md"
    )
    rejected.write_text("an edit that could not be saved\n", encoding="utf-8")
    states["an edit kept beside its entry"] = rejected
    return states


@pytest.mark.parametrize("fix", [False, True], ids=["check", "fix"])
def test_doctor_names_every_state_and_fix_touches_no_prose(
    demo: Home, run: Run, tmp_path: Path, fix: bool
) -> None:
    states = lay_every_state(demo, run, tmp_path)
    entries = {
        p: p.read_bytes() for p in demo.entries_dir.rglob("*") if p.is_file() and not p.is_fifo()
    }
    result = run(["doctor", "--json", *(["--fix"] if fix else [])])
    assert result.exit_code == 1, "broken days remain a problem"
    findings = json.loads(result.stdout)["findings"]
    for state, path in states.items():
        found = [f for f in findings if f["path"] == str(path) or str(path) in f["what"]]
        assert found, f"doctor does not report {state}"
        assert all(f["advice"] for f in found if not f["fixed"]), state
    after = {p: p.read_bytes() for p in entries}
    assert after == entries, "doctor never rewrites an entry or a kept text"
