"""`reflect write` done before the full command line loads (daily/quick.py): the same bytes, or nothing."""

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reflect.daily import quick, session
from reflect.journal.entry import Entry, dump_front, serialize
from reflect.journal.home import Home
from reflect.journal.store import MAX_ENTRY_BYTES
from reflect.model import dates
from reflect.model.front import FrontMatter

from . import quick_paths
from .conftest import DATA, Run, main_at, quick_path_run
from .quick_paths import files, home_at, unstamped

NOW = dt.datetime(2026, 12, 1, 14, 32)
DAY = NOW.date()
# What the quick path may import of reflect, and what it must never import.
LIGHT = [
    "reflect",
    "reflect.daily",
    "reflect.daily.kept",
    "reflect.daily.quick",
    "reflect.errors",
    "reflect.journal",
    "reflect.journal.atomic",
    "reflect.journal.home_root",
    "reflect.journal.prose",
    "reflect.main",
]


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both paths read the same clock: 14:32 on 1 December 2026."""
    monkeypatch.setattr(dates, "today", lambda: DAY)
    real = session.note_time
    monkeypatch.setattr(
        session, "note_time", lambda day, given, now=None: real(day, given, now or NOW)
    )
    monkeypatch.setattr(quick, "clock", NOW.timetuple)
    monkeypatch.setattr(session, "now", lambda: NOW.astimezone())


def quick_write(args: list[str], stdin: bytes | None = None) -> tuple[int, str, str] | None:
    """The quick path as main.py runs it: (exit code, stdout, stderr), None when it passed."""
    return quick_paths.quick_run(quick.main, args, stdin)


def either(run: Run, args: list[str], stdin: bytes | None = None) -> tuple[int, str, str, bool]:
    """What `reflect write ...` gives: the quick path's answer, else the full command line's."""
    return quick_paths.either(run, quick.main, "write", args, stdin)


def full(run: Run, args: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    return quick_paths.full(run, "write", args, stdin)


def test_a_note_of_a_new_day_then_more_notes_take_the_quick_path(demo: Home, run: Run) -> None:
    assert run(["write", "first"]).exit_code == 0  # the full path keeps what the quick one trusts
    path = demo.entries_dir / "2026" / "2026-12-01.md"
    path.unlink()
    code, out, err, taken = either(run, ["a new day"])
    assert (code, out, err, taken) == (0, "", f"Note saved in {path}\n", True)
    code, out, err, taken = either(run, [], b"piped in\n")
    assert (code, out, err, taken) == (0, "", f"Note saved in {path}\n", True)
    assert path.read_text(encoding="utf-8") == (
        "---\ndate: 2026-12-01\nformat: 2\n---\n\n## Notes (14:32)\n\na new day\n"
        "\n## Notes (14:32)\n\npiped in\n"
    )
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert run(["today", "--no-input", "--answer", "demo/mood=4"]).exit_code == 0
    assert either(run, ["after an answer"])[3]
    assert "demo/mood: 4" in path.read_text(encoding="utf-8")


def test_the_front_matter_of_a_new_day_is_what_the_full_writer_dumps() -> None:
    entry = Entry.new(DAY)
    entry.add_note(None, "x")
    assert dump_front(FrontMatter(date=DAY, format=2)) == quick.NEW_HEAD.format(day=DAY)
    assert serialize(entry).startswith(quick.NEW_HEAD.format(day=DAY))
    assert quick.MAX_ENTRY_BYTES == MAX_ENTRY_BYTES


@pytest.mark.parametrize(
    "change",
    ["hand edit", "config", "encrypted", "lock held", "options", "empty", "no stamp", "crlf"],
)
def test_anything_unusual_goes_to_the_full_command_line(demo: Home, run: Run, change: str) -> None:
    assert run(["write", "first"]).exit_code == 0
    path = demo.entries_dir / "2026" / "2026-12-01.md"
    args = ["second"]
    if change == "hand edit":
        path.write_text(path.read_text(encoding="utf-8").replace("format: 2", "format: 2\nx: 1"))
    elif change == "config":
        demo.config_path.write_text('packs = ["demo"]\n\n', encoding="utf-8")
    elif change == "encrypted":
        (demo.root / "encryption.toml").write_text("", encoding="utf-8")
    elif change == "options":
        args = ["second", "--tag", "x"]
    elif change == "empty":
        args = ["  "]
    elif change == "no stamp":
        shutil.rmtree(demo.cache_dir)
    elif change == "crlf":
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    lock = demo.lock_path if change == "lock held" else None
    quick_paths.passes_changing_nothing(demo.root, lambda: quick_write(args), lock=lock)


def test_a_kept_front_matter_cut_short_is_not_trusted(demo: Home, run: Run) -> None:
    assert run(["write", "first"]).exit_code == 0
    assert run(["today", "--no-input", "--answer", "demo/mood=4"]).exit_code == 0
    stamp = demo.cache_dir / quick.STAMP_NAME
    text = stamp.read_text(encoding="utf-8")
    assert text.endswith("---\n")
    before = files(demo.root)
    for cut in (1, 4, 5, text.index("demo/mood")):
        stamp.write_text(text[:-cut], encoding="utf-8")
        assert quick_write(["second"]) is None
        assert files(demo.root) == before


def test_a_failed_write_leaves_the_file_and_passes(demo: Home, run: Run) -> None:
    assert run(["write", "first"]).exit_code == 0
    before = files(demo.root)
    with quick_paths.disk_full():
        assert quick_write(["second"]) is None
        assert files(demo.root) == before
        code, _, err, taken = either(run, ["second"])
    assert (code, taken) == (1, False)
    assert "the disk is full; free some space and try again" in err


def test_ctrl_c_on_the_quick_path_exits_130_quietly_and_leaves_the_lock_free(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reflect import main as entry

    assert run(["write", "first"]).exit_code == 0
    before = files(demo.root)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    real = quick.replace_file
    monkeypatch.setattr(quick, "replace_file", interrupted)
    monkeypatch.setattr(sys, "argv", ["reflect", "write", "second"])
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 130
    assert capsys.readouterr() == ("", "")
    assert files(demo.root) == before
    monkeypatch.setattr(quick, "replace_file", real)
    assert quick_write(["second"]) is not None  # the lock was let go


def test_the_quick_path_imports_nothing_heavy(demo: Home, run: Run) -> None:
    assert run(["write", "first"]).exit_code == 0
    found, stderr = quick_path_run("write", "a note")
    assert found == [0, LIGHT, []], stderr
    assert stderr.startswith("Note saved in ")


# -- both paths, side by side, over random days ------------------------------------

TEXT = st.lists(
    st.sampled_from(
        ["a", "B", " ", "\n", "\r", "#", "## ", "`", "```", "~~~", "é", "\t", "-", "\\"]
    ),
    max_size=12,
).map("".join)
HAND = st.sampled_from(
    [
        *quick_paths.BENT_DAYS,
        "---\ndate: 2026-12-01\nformat: 2\n---\n## Notes (09:00)\n\nx",
        "---\ndate: 2026-11-30\nformat: 2\n---\n",
    ]
)
STEP = st.one_of(
    st.tuples(st.just("note"), TEXT),
    st.tuples(st.just("answer"), st.integers(min_value=1, max_value=5).map("demo/mood={}".format)),
    st.tuples(st.just("hand"), HAND),
    st.tuples(st.just("config"), st.sampled_from(['packs = ["demo"]\n', "packs = [\n"])),
    st.tuples(st.just("remove"), st.just("")),
)


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(STEP, max_size=4),
    note=TEXT,
    piped=st.one_of(st.none(), st.binary(max_size=12), TEXT.map(lambda t: t.encode("utf-8"))),
)
def test_the_quick_path_writes_what_the_full_command_line_writes(
    run: Run, steps: list[tuple[str, str]], note: str, piped: bytes | None
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        homes = [Path(scratch) / "quick", Path(scratch) / "full"]
        for root in homes:
            (root / "packs").mkdir(parents=True)
            shutil.copy(DATA / "demo.toml", root / "packs" / "demo.toml")
            (root / "config.toml").write_text('packs = ["demo"]\n', encoding="utf-8")
            with home_at(root):
                run(["write", "start"])  # config and day as the full path keeps them
            for step in steps:
                quick_paths.apply(run, root, step)
        args = [] if piped is not None else [note]
        with home_at(homes[0]):
            quick_side = either(run, args, piped)
        event("the quick path wrote" if quick_side[3] else "the full command line wrote")
        with home_at(homes[1]):
            full_side = full(run, args, piped)
        same = [text.replace(str(homes[0]), str(homes[1])) for text in quick_side[1:3]]
        assert (quick_side[0], *map(unstamped, same)) == (
            full_side[0],
            *map(unstamped, full_side[1:]),
        )
        assert quick_paths.unstamped_files(homes[0]) == quick_paths.unstamped_files(homes[1])


# -- a hostile day: other terminals, odd homes, odd streams ---------------------------


@pytest.mark.parametrize("meanwhile", ["encrypted", "config"])
def test_what_another_terminal_did_before_the_lock_was_free_is_seen(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch, meanwhile: str
) -> None:
    """`reflect encrypt` (or a config change) in another terminal between the checks and the lock."""
    assert run(["write", "first"]).exit_code == 0
    path = demo.entries_dir / "2026" / "2026-12-01.md"
    real = quick.try_lock

    def other_terminal_first(lock: str) -> int | None:
        if meanwhile == "encrypted":
            (demo.root / "encryption.toml").write_text("", encoding="utf-8")
            path.rename(path.with_name(path.name + ".age"))
        else:
            demo.config_path.write_text("packs = [\n", encoding="utf-8")
        return real(lock)

    monkeypatch.setattr(quick, "try_lock", other_terminal_first)
    assert quick_write(["second"]) is None
    assert not path.exists() or "second" not in path.read_text(encoding="utf-8")


def test_a_home_whose_name_is_not_utf8_writes_without_a_traceback(tmp_path: Path, run: Run) -> None:
    root = Path(os.fsdecode(os.fsencode(tmp_path) + b"/journal\xff"))
    (root / "packs").mkdir(parents=True)
    shutil.copy(DATA / "demo.toml", root / "packs" / "demo.toml")
    (root / "config.toml").write_text('packs = ["demo"]\n', encoding="utf-8")
    with home_at(root):
        result = run(["write", "first"])
        assert result.exit_code == 0, result.output
        code, out, err, _ = either(run, ["second"])
    assert (code, out, err.startswith("Note saved in ")) == (0, "", True), err
    assert "second" in (root / "entries" / "2026" / "2026-12-01.md").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "closed", "code", "saved"),
    [
        (["write"], "<&-", 1, False),
        (["write", "second"], "2>&-", 0, True),
        (["write", "second"], ">&-", 0, True),
        ([], "<&-", 0, False),
        (["prompt"], ">&-", 0, False),
    ],
)
def test_a_closed_stream_is_read_and_written_as_dev_null(
    demo: Home, run: Run, args: list[str], closed: str, code: int, saved: bool
) -> None:
    """`reflect write <&-` and the like: Python has no sys.stdin (or stdout, stderr) at all."""
    assert run(["write", "first"]).exit_code == 0
    script = f'exec "$0" -c "{main_at(NOW)}" "$@" {closed}'
    result = subprocess.run(
        ["sh", "-c", script, sys.executable, *args],
        capture_output=True,
        text=True,
        env=os.environ,
        check=False,
    )
    assert (result.returncode, "Traceback" in result.stderr) == (code, False), result.stderr
    text = (demo.entries_dir / "2026" / "2026-12-01.md").read_text(encoding="utf-8")
    assert ("second" in text) == saved


HEAD = "---\ndate: 2026-12-01\nformat: 2\n---\n"
BODIES = {
    "rewritten by another tool": HEAD + "\nObsidian wrote this\n\n## Notes (09:00)\n\nmoved\n",
    "no newline at the end": HEAD + "\n## Notes (09:00)\n\nno newline",
    "a rule and a heading": HEAD + "\n---\n\n## \n# title\n",
    "an open fence": HEAD + "\n```python\nnever closed\n",
    "only the front matter": HEAD,
    "crlf body": HEAD + "\r\nwindows\r\n",
    "bom": "\ufeff" + HEAD + "\nx\n",
    "nul and escapes": HEAD + "\nnul \x00 esc \x1b[31m red\n",
    "a later note above": HEAD + "\n## Notes (23:59)\n\nlater\n",
}
NOTES = {
    "heading marker": "# one\n## two\n---\n...\n",
    "escapes": "\x1b]0;title\x07\x1b[2J\x00bell\x07",
    "crlf and tabs": "\r\n\tline\r\nend \t\r\n",
    "fence": "```\ncode",
    "a megabyte": "word " * 200_000,
}


def side_by_side(
    run: Run, tmp: Path, bend: Callable[[Path], None], args: list[str], stdin: bytes | None
) -> bool:
    """`bend` each home's day after a full write, then write: both the same; whether quick wrote."""
    homes = [tmp / "quick", tmp / "full"]
    for root in homes:
        (root / "packs").mkdir(parents=True)
        shutil.copy(DATA / "demo.toml", root / "packs" / "demo.toml")
        (root / "config.toml").write_text('packs = ["demo"]\n', encoding="utf-8")
        with home_at(root):
            assert run(["write", "start"]).exit_code == 0
        bend(root / "entries" / "2026" / "2026-12-01.md")
    with home_at(homes[0]):
        quick_side = either(run, args, stdin)
    with home_at(homes[1]):
        full_side = full(run, args, stdin)
    same = [text.replace(str(homes[0]), str(homes[1])) for text in quick_side[1:3]]
    assert (quick_side[0], *same) == full_side
    assert files(homes[0]) == files(homes[1])
    return quick_side[3]


@pytest.mark.parametrize("name", BODIES)
def test_a_day_bent_by_another_tool_gets_the_note_the_full_command_line_adds(
    run: Run, tmp_path: Path, name: str
) -> None:
    def bend(path: Path) -> None:
        path.write_bytes(BODIES[name].encode("utf-8"))

    taken = side_by_side(run, tmp_path, bend, ["a note"], None)
    assert taken == (name not in ("crlf body", "bom"))


def test_a_day_replaced_by_one_of_the_same_size_and_time_is_read_again(
    run: Run, tmp_path: Path
) -> None:
    """rsync -t, a backup restored: same size, same mtime, other words."""

    def bend(path: Path) -> None:
        before = path.stat()
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("start", "STORE"), encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    assert side_by_side(run, tmp_path, bend, ["a note"], None)
    day = tmp_path / "quick" / "entries" / "2026" / "2026-12-01.md"
    assert "STORE" in day.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NOTES)
@pytest.mark.parametrize("piped", [False, True])
def test_an_odd_note_is_written_as_the_full_command_line_writes_it(
    run: Run, tmp_path: Path, name: str, piped: bool
) -> None:
    note = NOTES[name]
    args, stdin = ([], note.encode("utf-8")) if piped else ([note], None)
    if "\x00" in note and not piped:
        args = [note.replace("\x00", "")]  # an argument cannot hold a NUL
    assert side_by_side(run, tmp_path, lambda path: None, args, stdin)


@pytest.mark.parametrize(
    "damage",
    ["garbage", "not utf-8", "empty", "a folder", "a fifo", "another home's", "a link"],
)
def test_a_damaged_kept_file_is_not_trusted_and_the_next_full_write_mends_it(
    demo: Home, run: Run, tmp_path: Path, damage: str
) -> None:
    assert run(["write", "first"]).exit_code == 0
    stamp = demo.cache_dir / quick.STAMP_NAME
    text = stamp.read_text(encoding="utf-8")
    other = tmp_path / "other" / quick.STAMP_NAME
    other.parent.mkdir()
    other.write_text(text.replace(str(demo.root), str(tmp_path / "other")), encoding="utf-8")
    stamp.unlink()
    if damage == "garbage":
        stamp.write_bytes(b"reflect written 1\n1 2 x\n")
    elif damage == "not utf-8":
        stamp.write_bytes(text.encode("utf-8").replace(b"date", b"\xff\xfe"))
    elif damage == "empty":
        stamp.write_bytes(b"")
    elif damage == "a folder":
        stamp.mkdir()
    elif damage == "a fifo":
        os.mkfifo(stamp)
    elif damage == "another home's":
        shutil.copy(other, stamp)
    else:
        stamp.symlink_to(other)
    before = files(demo.root)
    assert quick_write(["second"]) is None
    assert files(demo.root) == before
    assert run(["write", "second"]).exit_code == 0
    assert stamp.is_file() and not stamp.is_symlink()
    assert stamp.read_text(encoding="utf-8") == text
    assert quick_write(["third"]) is not None
    assert other.read_text(encoding="utf-8") != text, "a link is never written through"


def test_a_day_deleted_since_it_was_kept_starts_again(demo: Home, run: Run) -> None:
    assert run(["write", "first"]).exit_code == 0
    path = demo.entries_dir / "2026" / "2026-12-01.md"
    shutil.rmtree(path.parent)
    assert quick_write(["again"]) is not None
    assert path.read_text(encoding="utf-8") == quick.NEW_HEAD.format(day=DAY) + (
        "\n## Notes (14:32)\n\nagain\n"
    )
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"


def test_a_disk_that_fills_in_the_middle_of_the_write_leaves_no_trace(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    assert run(["write", "first"]).exit_code == 0
    before = files(demo.root)
    real = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        if len(data) > 8:
            return real(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    assert quick_write(["second " * 10]) is None
    monkeypatch.setattr(os, "write", real)
    assert files(demo.root) == before
    assert not [p for p in (demo.entries_dir / "2026").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("args", [[], ["prompt"], ["write", "a note"]])
def test_shell_completion_goes_to_the_full_command_line(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """Tab in bash runs `reflect` with _REFLECT_COMPLETE set: completions, never a status line."""
    from reflect import main as entry

    assert run(["write", "first"]).exit_code == 0
    assert run(["prompt"]).exit_code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr("reflect.cli.main", lambda: sys.exit(99))
    monkeypatch.setattr(sys, "argv", ["reflect", *args])
    if args[:1] == ["write"]:  # (the greeting's kept day is the real one, not this test's)
        with pytest.raises(SystemExit) as answered:
            entry.main()
        assert answered.value.code == 0, "the quick path answers without completion"
        monkeypatch.setattr(sys, "argv", ["reflect", "write", "another"])
    monkeypatch.setenv("_REFLECT_COMPLETE", "complete_bash")
    before = files(demo.root)
    with pytest.raises(SystemExit) as completed:
        entry.main()
    assert completed.value.code == 99
    assert files(demo.root) == before


def test_a_note_at_midnight_takes_its_day_and_time_from_one_reading_of_the_clock(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(["write", "first"]).exit_code == 0
    readings = iter([dt.datetime(2026, 11, 30, 23, 59, 59), dt.datetime(2026, 12, 1, 0, 0)])
    monkeypatch.setattr(quick, "clock", lambda: next(readings).timetuple())
    assert quick_write(["just before midnight"]) is not None
    path = demo.entries_dir / "2026" / "2026-11-30.md"
    assert path.read_text(encoding="utf-8") == (
        "---\ndate: 2026-11-30\nformat: 2\n---\n\n## Notes (23:59)\n\njust before midnight\n"
    )
    assert "midnight" not in (demo.entries_dir / "2026" / "2026-12-01.md").read_text(
        encoding="utf-8"
    )


def test_a_day_a_newer_reflect_wrote_in_a_newer_format_goes_to_the_full_command_line(
    demo: Home, run: Run
) -> None:
    """A newer reflect kept its own front matter, then this one runs again (a downgrade)."""
    assert run(["write", "first"]).exit_code == 0
    path = demo.entries_dir / "2026" / "2026-12-01.md"
    stamp = demo.cache_dir / quick.STAMP_NAME
    for bent in (path, stamp):
        bent.write_text(bent.read_text(encoding="utf-8").replace("format: 2", "format: 3"))
    before = files(demo.root)
    assert quick_write(["second"]) is None
    assert files(demo.root) == before
    code, _, err, taken = either(run, ["second"])
    assert (code, taken) == (1, False)
    assert "format 3" in err or "newer" in err, err
