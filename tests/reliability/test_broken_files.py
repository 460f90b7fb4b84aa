"""Damaged entry files: every command works on the rest of the journal, names the bad file, and never rewrites it."""

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect.journal.home import Home
from reflect.journal.store import entry_path
from tests.conftest import Build, Run, run_in, without_index

GOOD, BAD = dt.date(2026, 11, 25), dt.date(2026, 11, 26)
VALID = (
    b"---\ndate: 2026-11-26\nformat: 1\nanswers:\n  demo:\n    mood: 3\n---\n\n"
    b"## One line of gratitude\n\nTea with Ana\n"
)

DAMAGE = {
    "truncated": VALID[:25],
    "flipped bytes": VALID[:8] + bytes([VALID[8] ^ 0xFF]) + VALID[9:],
    "invalid utf-8": VALID.replace(b"Tea", b"T\xe9a\xff"),
    "not a mapping": b"---\n- just\n- a list\n---\nbody\n",
    "wrong types": VALID.replace(b"format: 1", b"format: 1\ntags: {a: 1}"),
    "unknown answer key": VALID.replace(b"mood: 3", b"mood: 3\n    Bad Key: 1"),
    "wrong date": VALID.replace(b"2026-11-26", b"2026-11-27"),
    "empty front matter": b"---\n---\nbody\n",
}
# Files that look odd but are fine: they must read, and must not be rewritten by reading.
QUIRKS = {
    "bom": b"\xef\xbb\xbf" + VALID,
    "crlf": VALID.replace(b"\n", b"\r\n"),
    "no front matter": b"Written by hand, no front matter.\n",
    # One answer no question takes: that answer does not fit, the day reads.
    "a list for an answer": VALID.replace(b"mood: 3", b"mood: [3, 4]"),
}
COMMANDS = [
    ["log"],
    ["log", "--json"],
    ["show", "2026-11-26"],
    ["show", "2026-11-26", "--json"],
    ["today", "--date", "2026-11-26", "--no-input", "--answer", "mood=4"],
    ["write", "a note", "--date", "2026-11-26"],
    ["doctor"],
    ["trends", "--since", "2026-11-01", "--until", "2026-11-30"],
    ["trends", "--since", "2026-11-01", "--until", "2026-11-30", "--json"],
    ["calendar", "--year", "2026"],
    ["search", "Tea"],
    ["history", "demo/mood"],
    ["export", "--from", "2026-11-20", "--to", "2026-11-27"],
    ["export", "--from", "2026-11-20", "--to", "2026-11-27", "--format", "csv"],
]


def good_day(home: Home) -> None:
    """The day before the damaged one, answered through the command line."""
    result = run_in(home)(["today", "--date", str(GOOD), "--no-input", "--answer", "mood=2"])
    assert result.exit_code == 0, result.output
    without_index(home)


def lay_out(built_once: Callable[[Build], Home], damaged: bytes) -> Home:
    """A copy of the journal `good_day` wrote once per process, with `damaged` the next day."""
    home = built_once(good_day)
    entry_path(home, BAD).write_bytes(damaged)
    return home


# The fast tier runs every command on two kinds of damage (bytes, and
# front matter that parses but is wrong) and every damage through the two
# commands that read every day; the slow tier runs each pair.
FAST_DAMAGE = {"invalid utf-8", "wrong types"}
FAST_COMMANDS = {("log",), ("doctor",)}


def damage_cases() -> list[object]:
    return [
        pytest.param(
            damage,
            command,
            id=f"{damage}-{' '.join(command)}",
            marks=()
            if damage in FAST_DAMAGE or tuple(command) in FAST_COMMANDS
            else pytest.mark.slow,
        )
        for damage in sorted(DAMAGE)
        for command in COMMANDS
    ]


@pytest.mark.parametrize(("damage", "command"), damage_cases())
def test_damaged_files_are_named_and_left_alone(
    built_once: Callable[[Build], Home], run: Run, damage: str, command: list[str]
) -> None:
    path = entry_path(lay_out(built_once, DAMAGE[damage]), BAD)
    result = run(command)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1)
    assert path.read_bytes() == DAMAGE[damage], "a damaged file is never rewritten"
    if result.exit_code == 1 or command[0] in ("log", "doctor", "trends", "calendar", "search"):
        assert str(path) in result.stderr + result.stdout
    if command[0] == "log":
        assert "2026-11-25" in result.stdout


@pytest.mark.parametrize("quirk", sorted(QUIRKS))
def test_odd_but_valid_files_read_and_stay_as_they_are(
    built_once: Callable[[Build], Home], run: Run, quirk: str
) -> None:
    path = entry_path(lay_out(built_once, QUIRKS[quirk]), BAD)
    for command in (["log"], ["show", "2026-11-26"], ["doctor"]):
        result = run(command)
        assert result.exit_code == 0, result.output
    assert path.read_bytes() == QUIRKS[quirk]
    assert (
        run(["today", "--date", "2026-11-26", "--no-input", "--answer", "hours=2"]).exit_code == 0
    )
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    assert "hours: 2" in text
    if quirk != "no front matter":
        assert "Tea with Ana" in text
    else:
        assert "Written by hand, no front matter." in text


# The fixtures make a fresh journal once; every example overwrites the one damaged file.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=len(VALID)), flip=st.integers(min_value=0, max_value=255)
)
def test_any_truncation_or_flipped_byte(demo: Home, run: Run, cut: int, flip: int) -> None:
    damaged = bytearray(VALID[:cut])
    if damaged:
        damaged[cut // 2] ^= flip
    path = entry_path(demo, BAD)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(damaged))
    for command in (["log"], ["show", "2026-11-26", "--json"]):
        result = run(command)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
    result = run(["write", "x", "--date", "2026-11-26"])
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert path.read_bytes() == bytes(damaged)
