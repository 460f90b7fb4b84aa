"""FIFOs, devices, unreadable folders and odd names: written through or refused, never a hang or a crash."""

import contextlib
import os
import stat
import threading
from pathlib import Path

import pytest

from reflect.journal.home import Home
from reflect.journal.store import entry_path
from tests.conftest import Run
from tests.reliability.test_broken_files import BAD, COMMANDS, GOOD


def test_export_onto_a_fifo_writes_through_and_keeps_the_fifo(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    run(["today", "--date", str(GOOD), "--no-input", "--answer", "mood=2"])
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(["export", "--from", str(GOOD), "--to", str(GOOD), "-o", str(fifo)])
    if result.exit_code != 0:
        # The reader waits for a writer that never came: one that writes nothing frees it
        # (a reader not yet waiting is a daemon thread, which the run does not wait for).
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    reader.join(30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode), "never replaced by a regular file"
    assert b"2026-11-25" in got[0]


def test_export_onto_a_device_writes_through() -> None:
    from reflect.journal.files import write_atomic

    write_atomic(Path("/dev/null"), "private text", make_folder=False)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_onto_a_socket_is_refused(run: Run, tmp_path: Path) -> None:
    import socket

    where = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(where))
        result = run(["export", "-o", str(where)])
    assert result.exit_code == 1
    assert "sock: is a socket, not a file; left as it is" in result.stderr
    assert stat.S_ISSOCK(where.stat().st_mode)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_fifo_named_like_an_entry_hangs_nothing(demo: Home, run: Run, command: list[str]) -> None:
    run(["today", "--date", str(GOOD), "--no-input", "--answer", "mood=2"])
    path = entry_path(demo, BAD)
    os.mkfifo(path, 0o600)
    result = run(command)
    assert result.exit_code in (0, 1), result.output
    assert stat.S_ISFIFO(path.stat().st_mode)
    if command[0] in ("log", "doctor") or result.exit_code == 1:
        assert "is a FIFO (named pipe), not a file" in result.stderr + result.stdout


ODD = {
    "a year of other digits": "²⁰²⁶",
    "a year with a newline": "2026\n",
    "a three-digit year": "226",
    "a file with a newline": "2026/2026-11-27.md\n",
    "a folder named like an entry": "2026/2026-11-28.md/",
    "a link to itself": "2026/2026-11-29.md@",
    "an impossible day": "2026/2026-02-30.md",
    "control characters": "2026/\x1b]52;c;aGk=\x07.md",
}


def lay_odd(home: Home, name: str) -> None:
    target = home.entries_dir / name.rstrip("/@")
    target.parent.mkdir(parents=True, exist_ok=True)
    if name.endswith("/"):
        target.mkdir()
    elif name.endswith("@"):
        target.symlink_to(target)
    elif "/" not in name:
        target.mkdir(exist_ok=True)
        (target / "x.md").write_text("x", encoding="utf-8")
    else:
        target.write_text("---\ndate: 2026-11-27\n---\n", encoding="utf-8")


# One of each kind (a link, a folder, a name a listing splits) in the fast
# tier; every odd name in the slow one.
ODD_FAST = {"a link to itself", "a folder named like an entry", "a year with a newline"}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=() if name in ODD_FAST else pytest.mark.slow)
        for name in sorted(ODD)
    ],
)
def test_an_odd_name_in_entries_takes_no_command_down(demo: Home, run: Run, name: str) -> None:
    run(["today", "--date", str(GOOD), "--no-input", "--answer", "mood=2"])
    lay_odd(demo, ODD[name])
    for command in COMMANDS:
        result = run(command)
        assert result.exit_code in (0, 1), (command, result.output)
        assert "\x1b" not in result.stdout + result.stderr
    assert "2026-11-25" in run(["log"]).stdout


def test_an_unreadable_year_folder_is_named_and_the_rest_reads(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(["today", "--date", str(GOOD), "--no-input", "--answer", "mood=2"])
    run(["today", "--date", "2025-03-01", "--no-input", "--answer", "mood=4"])
    locked = demo.entries_dir / "2025"
    real = os.listdir

    def listdir(path: object = ".") -> list[str]:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "listdir", listdir)
    for command in COMMANDS:
        result = run(command)
        assert result.exit_code in (0, 1), (command, result.output)
    log = run(["log"])
    assert "2026-11-25" in log.stdout
    assert f"{locked}: the year folder cannot be read (Permission denied)" in log.stderr
    doctor = run(["doctor"])
    assert doctor.exit_code == 1
    assert str(locked) in doctor.stdout + doctor.stderr
