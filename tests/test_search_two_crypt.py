"""A cold search of an encrypted journal in two processes says what one process says, byte for
byte, on both streams; the copy asks for no key, shows nothing and leaves nothing on disk."""

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import reflect.journal.index as index_module
import reflect.lookback.scan as scan
from reflect.daily.session import add_note
from reflect.journal import crypt
from reflect.journal.home import Home
from reflect.journal.store import entry_path

from .conftest import Build, Run, d, write
from .test_crypt import SECRET, encrypt, leaks, make_identity, private_temp, secret_days

# Year folders besides the secret days' one, so the copy has folders to read.
YEARS = ("2024", "2025")


def yearly_days(home: Home) -> None:
    secret_days(home)
    for year in YEARS:
        for day in range(1, 8):
            write(home, f"{year}-03-0{day}", f"---\ndate: {year}-03-0{day}\n---\n\nTea {day}.\n")
        add_note(home, d(f"{year}-05-01"), f"Walked with {SECRET} by the sea.", ["team"])


@pytest.fixture
def sealed(
    demo: Home,
    built_once: Callable[[Build], Home],
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Home]:
    """The journal encrypted, with one damaged file and one encrypted to another key."""
    monkeypatch.setattr(index_module, "SETTLED_NS", 0)
    monkeypatch.setenv("COLUMNS", "300")
    home = built_once(yearly_days)
    keys = tmp_path / "keys"
    keys.mkdir()
    encrypt(run, make_identity(keys))
    damaged = entry_path(home, d("2025-03-04"))
    data = bytearray(damaged.read_bytes())
    data[-5] ^= 1
    damaged.write_bytes(bytes(data))
    import pyrage

    stranger = pyrage.x25519.Identity.generate().to_public()
    other = entry_path(home, d("2024-03-05"))
    other.write_bytes(pyrage.encrypt(b"---\ndate: 2024-03-05\n---\n\nTea.\n", [stranger]))
    yield home


def cold_search(
    home: Home, run: Run, monkeypatch: pytest.MonkeyPatch, args: list[str], two: bool
) -> tuple[int, str, str]:
    shutil.rmtree(home.cache_dir, ignore_errors=True)
    monkeypatch.setattr(scan, "COLD_MIN", 0)
    monkeypatch.setattr(scan, "TWO_MIN", 0 if two else 10**9)
    crypt.begin_command(None)
    result = run(["search", *args])
    crypt.begin_command(None)
    return result.exit_code, result.stdout, result.stderr


__all__ = ["private_temp"]  # a fixture, used by name


@pytest.mark.parametrize("query", ["tea", SECRET, "team", "zzz"])
def test_two_processes_say_what_one_says_on_an_encrypted_journal(
    sealed: Home, run: Run, monkeypatch: pytest.MonkeyPatch, private_temp: Path, query: str
) -> None:
    forks: list[int] = []
    in_two = scan.in_two

    def counted(jobs: list[object], *rest: object) -> object:
        forks.append(len(jobs))
        return in_two(jobs, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(scan, "in_two", counted)
    one = cold_search(sealed, run, monkeypatch, [query], two=False)
    assert forks == []
    two = cold_search(sealed, run, monkeypatch, [query], two=True)
    assert forks == [3], "the three year folders are read by two processes"
    assert two == one
    code, _, err = one
    assert code == 0, err
    # A file that cannot be decrypted is reported, in the one process's words, once.
    for day in ("2025-03-04", "2024-03-05"):
        assert err.count(str(entry_path(sealed, d(day)))) == 1, err
    assert err.count("cannot be decrypted with this journal's key") == 2, err
    assert leaks(sealed.root, private_temp) == []


def test_the_copy_asks_for_no_key_it_was_not_given(
    sealed: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy that meets a journal it holds no key for leaves it to the parent, asking no one."""
    asked: list[Path] = []
    crypt.begin_command(lambda root, why: asked.append(root) or None)
    parent = os.getpid()

    def work(job: int) -> str:
        if os.getpid() != parent:
            try:
                crypt.unlock(sealed.root)
            except crypt.LockedError as exc:
                return str(exc)
        return "parent"

    done = list(scan.in_two(list(range(4)), work, keep=lambda found: found == "parent"))
    assert done == ["parent"] * 4, "a result the copy gives that `keep` refuses is redone here"
    assert asked == []
    crypt.begin_command(None)


# Run as `reflect`, with every search cold and in two processes whatever its size.
TWO_ALWAYS = (
    "import reflect.lookback.scan as s; s.COLD_MIN = 0; s.TWO_MIN = 0;"
    " from reflect.main import main; main()"
)


def many_days(home: Home) -> None:
    """Enough matching days in five years that the output outgrows a pipe's buffer."""
    line = "Tea by the window, " * 12
    for year in range(2020, 2025):
        for month in range(1, 13):
            for day in range(1, 29, 2):
                date = f"{year}-{month:02d}-{day:02d}"
                write(home, date, f"---\ndate: {date}\n---\n\n{line}\n")


def start(home: Home) -> subprocess.Popen[bytes]:
    env = {**os.environ, "REFLECT_HOME": str(home.root), "COLUMNS": "100"}
    env.pop("REFLECT_JOURNAL_KEY", None)
    return subprocess.Popen(
        [sys.executable, "-c", TWO_ALWAYS, "search", "tea"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A shell starts a background job (`pytest ... &`, as CI may) with Ctrl-C ignored, which
        # its processes inherit: give reflect the terminal's default, as a person's shell does.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def stopped(home: Home, how: str) -> tuple[int, bytes, bytes]:
    """A search's exit code, first line and error output when its reader goes away after one
    line (`| head -1`) or it is interrupted (Ctrl-C) with its output unread."""
    shutil.rmtree(home.cache_dir, ignore_errors=True)
    child = start(home)
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    if how == "head":
        child.stdout.close()
    else:
        child.send_signal(signal.SIGINT)
        child.stdout.read()
        child.stdout.close()
    err = child.stderr.read()
    return child.wait(timeout=60), first, err


@pytest.mark.slow
def test_head_and_ctrl_c_end_an_encrypted_two_process_search_as_a_plain_one(
    demo: Home, built_once: Callable[[Build], Home], run: Run, tmp_path: Path
) -> None:
    home = built_once(many_days)
    plain = {how: stopped(home, how) for how in ("head", "ctrl-c")}
    assert plain["ctrl-c"][0] == 130, plain
    keys = tmp_path / "keys"
    keys.mkdir()
    encrypt(run, make_identity(keys))
    sealed = {how: stopped(home, how) for how in ("head", "ctrl-c")}
    assert sealed == plain
    assert [p for p in home.entries_dir.rglob("*") if p.is_file() and p.suffix != ".age"] == []
