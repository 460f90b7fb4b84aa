"""SIGINT, SIGTERM and SIGHUP at each step of a real interactive session, through a pseudo-terminal."""

import datetime as dt
import os
import shutil
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from tests.conftest import DATA

DAY = dt.date(2026, 11, 26)
# The demo pack's questions on that day, and what to type for each.
ANSWERS = ["4", "y", "Ana's talk", "70", "2", "6", "Tea with Sam", "n"]
SAVED_AFTER = [
    {},
    {"mood": 4},
    {"mood": 4, "threatened": True},
    {"mood": 4, "threatened": True},
    {"mood": 4, "threatened": True, "share": 70},
    {"mood": 4, "threatened": True, "share": 70, "where": "meeting"},
    {"mood": 4, "threatened": True, "share": 70, "where": "meeting", "hours": 6},
    {"mood": 4, "threatened": True, "share": 70, "where": "meeting", "hours": 6},
]


def start(home: Home) -> pexpect.spawn:
    env = {**os.environ, "REFLECT_HOME": str(home.root), "NO_COLOR": "1", "TERM": "dumb"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "reflect", "today", "--date", DAY.isoformat()],
        env=env,
        encoding="utf-8",
        timeout=20,
        # A parallel test worker ignores SIGINT, and a child inherits that: give back Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.expect("> ")
    return child


@pytest.fixture
def journal(home: Home) -> Home:
    home.ensure()
    shutil.copy(DATA / "demo.toml", home.packs_dir / "demo.toml")
    home.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
    return home


# SIGINT and SIGTERM at every step; SIGHUP (a closed terminal) at every third.
CASES = [
    (step, sig, code)
    for sig, code, every in (
        (signal.SIGINT, 130, 1),
        (signal.SIGTERM, 143, 1),
        (signal.SIGHUP, 129, 3),
    )
    for step in range(0, len(ANSWERS), every)
]


@pytest.mark.slow
@pytest.mark.parametrize(("step", "sig", "code"), CASES)
def test_a_signal_at_any_step_keeps_every_answer_given(
    journal: Home, step: int, sig: int, code: int
) -> None:
    child = start(journal)
    for typed in ANSWERS[:step]:
        child.sendline(typed)
        child.expect("> ")
    child.kill(sig)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code, child.before
    assert "stopped; the answers you gave are saved in" in (child.before or "")
    assert "Traceback" not in (child.before or "")
    path = entry_path(journal, DAY)
    if not SAVED_AFTER[step]:
        assert not path.exists()
        return
    entry = parse_entry(path.read_text(encoding="utf-8"), str(path), DAY)
    assert entry.front.answers == {"demo": SAVED_AFTER[step]}
    if step > 3:
        assert entry.prose("Whose, and what was the pang about?") == "Ana's talk"
    leftovers = [p for p in Path(path.parent).iterdir() if p.name.startswith(".reflect-tmp-")]
    assert leftovers == []


@pytest.mark.parametrize(
    "sig",
    [
        # A reflect in a pty each, about a second of waiting for its prompt: the slow tier.
        pytest.param(signal.SIGINT, id="SIGINT", marks=pytest.mark.slow),
        pytest.param(signal.SIGHUP, id="SIGHUP", marks=pytest.mark.slow),
    ],
)
def test_a_line_typed_but_not_entered_is_kept_never_saved(journal: Home, sig: int) -> None:
    child = start(journal)
    child.sendline("4")
    child.expect("> ")
    child.send("half a thought")
    child.expect("half a thought")
    child.kill(sig)
    child.expect(pexpect.EOF)
    child.close()
    [kept] = (journal.root / ".recovery").glob("unentered-*.txt")
    assert kept.read_text(encoding="utf-8") == "half a thought"
    assert kept.stat().st_mode & 0o777 == 0o600
    text = entry_path(journal, DAY).read_text(encoding="utf-8")
    assert "half a thought" not in text, "never saved as an answer"
    assert "mood: 4" in text
    again = start(journal)
    offered = again.before or ""
    again.sendcontrol("d")
    again.expect(pexpect.EOF)
    assert "a line you typed but did not enter is kept in" in offered
    assert str(kept) in offered.replace("\r\n", "")
