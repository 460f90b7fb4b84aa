"""`reflect export --format json` written from the text kept by the full command line.

The light path (render/quick_export.py) writes the very bytes the full
command line writes, or writes nothing and lets the full command line answer.
"""

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reflect.journal import index, looked, shown
from reflect.journal.home import Home
from reflect.model import dates
from reflect.render import quick_export

from .conftest import DATA, Run
from .quick_paths import kept_either, kept_full, kept_run
from .test_quick_history import HEAVY, LIGHT, write_day

RANGE = ["--from", "2025-12-01", "--to", "2026-01-31", "--format", "json"]


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files just written count as settled, as they would two seconds later."""
    monkeypatch.setattr(looked, "SETTLED_NS", 0)
    monkeypatch.setattr(index, "SETTLED_NS", 0)
    monkeypatch.setattr(shown, "SETTLED_NS", 0)
    monkeypatch.setattr(shown, "handed", None)


def light(args: list[str]) -> tuple[int, bytes, str] | None:
    return kept_run(quick_export.main, args)


def either(run: Run, args: list[str]) -> tuple[int, bytes, str, bool]:
    return kept_either(run, quick_export.main, "export", args)


def full(run: Run, args: list[str]) -> tuple[int, bytes, str]:
    return kept_full(run, "export", args)


@pytest.fixture
def journal(demo: Home) -> Home:
    for day, mood in (("2025-12-30", 2), ("2026-01-02", 4), ("2026-01-03", 5)):
        write_day(demo, day, mood, extra="A day by the sea.\n")
    return demo


def test_the_second_export_is_the_kept_text_and_the_same_bytes(journal: Home, run: Run) -> None:
    first = either(run, RANGE)
    assert first[3] is False
    assert first[:3] == full(run, RANGE)
    assert first[0] == 0 and first[2] == ""
    assert json.loads(first[1])["range"]["start"] == "2025-12-01"
    second = either(run, RANGE)
    assert second == (*first[:3], True)
    kept = [p for p in (journal.cache_dir / "history").iterdir()]
    assert len(kept) == 1 and oct(kept[0].stat().st_mode & 0o777) == "0o600"


def test_the_same_range_by_other_names_is_the_same_kept_text(journal: Home, run: Run) -> None:
    first = either(run, RANGE)
    args = ["--since=2025-12-01", "--until=2026-01-31", "-f", "json"]
    assert either(run, args) == (*first[:3], True)
    assert full(run, args) == first[:3]


@pytest.mark.parametrize("args", [["--week", "2026-W01", "--format=json"], ["--format", "json"]])
def test_each_range_is_kept_apart(journal: Home, run: Run, args: list[str]) -> None:
    either(run, RANGE)
    first = either(run, args)
    assert first[3] is False and first[0] == 0, first[2]
    assert first[:3] == full(run, args)
    assert either(run, args) == (*first[:3], True)
    assert either(run, RANGE)[3], "the other range's text is still kept"


@pytest.mark.parametrize(
    "change",
    [
        "an edit",
        "a new day",
        "a day removed",
        "a day replaced by one of the same size and mtime",
        "a year folder removed",
        "the pack edited",
        "the config",
        "another day",
        "reflect's own source",
        "the index damaged",
        "the index removed",
        "the kept text damaged",
        "a file that is no entry",
    ],
)
def test_after_a_change_both_paths_say_the_same(
    journal: Home, run: Run, change: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if change == "reflect's own source":
        # A copy of the sources, not the installed files other tests' processes read at once.
        sources = tmp_path / "sources"
        shutil.copytree(shown.SOURCES, sources, ignore=shutil.ignore_patterns("__pycache__"))
        monkeypatch.setattr(shown, "SOURCES", str(sources))
    either(run, RANGE)
    assert either(run, RANGE)[3]
    pack = journal.packs_dir / "demo.toml"
    if change == "an edit":
        write_day(journal, "2026-01-02", 1, extra="A day by the sea.\n")
    elif change == "a new day":
        write_day(journal, "2026-01-04", 3)
    elif change == "a day removed":
        (journal.entries_dir / "2026" / "2026-01-03.md").unlink()
    elif change == "a day replaced by one of the same size and mtime":
        path = journal.entries_dir / "2026" / "2026-01-03.md"
        st = path.stat()
        text = path.read_text(encoding="utf-8").replace("by the sea", "by the bay")
        path.unlink()
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert path.stat().st_size == st.st_size
    elif change == "a year folder removed":
        shutil.rmtree(journal.entries_dir / "2025")
    elif change == "the pack edited":
        pack.write_text(
            pack.read_text(encoding="utf-8").replace("How was your mood", "How is your mood"),
            encoding="utf-8",
        )
    elif change == "the config":
        journal.config_path.write_text('packs = ["demo"]\nname = "Sam"\n', encoding="utf-8")
    elif change == "another day":
        later = dt.date.today() + dt.timedelta(days=1)
        monkeypatch.setattr(quick_export, "today", lambda: later)
        monkeypatch.setattr(dates, "today", lambda: later)
    elif change == "reflect's own source":
        source = Path(shown.SOURCES) / "render" / "quick_export.py"
        st = source.stat()
        os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    elif change == "the index damaged":
        (journal.cache_dir / "index.sqlite3").write_bytes(b"not a database" * 100)
    elif change == "the index removed":
        (journal.cache_dir / "index.sqlite3").unlink()
    elif change == "the kept text damaged":
        (kept,) = (journal.cache_dir / "history").iterdir()
        kept.write_bytes(kept.read_bytes()[:-20] + b"\xff" * 20)
    elif change == "a file that is no entry":
        (journal.entries_dir / "2026" / "notes.txt").write_text("x", encoding="utf-8")
    answered = either(run, RANGE)
    expected = full(run, RANGE)
    assert answered[:3] == expected
    unread = ("the index removed", "a file that is no entry", "the index damaged")
    if change in unread:
        assert answered[3], "the files and packs are as they were: the kept text holds"
    else:
        assert not answered[3], "something the text came from changed: the full path answers"
    assert either(run, RANGE)[:3] == expected
    assert either(run, RANGE) == (*expected, True)


@pytest.mark.parametrize(
    "args",
    [
        [*RANGE, "--share"],
        [*RANGE, "--pack", "demo"],
        [*RANGE, "--name", "Sam"],
        [*RANGE, "--with-previous", "2"],
        [*RANGE, "-o", "-"],
        [*RANGE, "--from", "2025-12-02"],
        ["--from", "2025-12-01", "--to", "2026-01-31"],
        ["--from", "2025-12-01", "--to", "2026-01-31", "-f", "md"],
        ["--from", "2025-12-01", "--to", "2026-01-31", "-fjson"],
        ["--from", "--to", "2026-01-31", "-f", "json"],
        ["--help"],
    ],
)
def test_anything_else_takes_the_full_path_and_keeps_nothing(
    journal: Home, run: Run, args: list[str]
) -> None:
    assert light(args) is None
    run(["export", *args])
    assert not (journal.cache_dir / "history").exists()
    assert light(args) is None


def test_a_usage_error_is_never_kept(journal: Home, run: Run) -> None:
    args = ["--from", "2026-01-31", "--to", "2025-12-01", "--format", "json"]
    first = either(run, args)
    assert first[0] == 2 and first[2].startswith("reflect: ")
    assert not (journal.cache_dir / "history").exists()
    assert either(run, args) == first


def test_what_the_full_path_warns_of_is_never_kept(journal: Home, run: Run) -> None:
    (journal.entries_dir / "2026" / "2026-01-05.md").write_text("---\nbroken\n", encoding="utf-8")
    first = either(run, RANGE)
    assert "2026-01-05.md" in first[2]
    assert not (journal.cache_dir / "history").exists()
    assert either(run, RANGE) == first


def test_an_encrypted_journal_takes_the_full_path(journal: Home, run: Run) -> None:
    either(run, RANGE)
    assert either(run, RANGE)[3]
    (journal.root / "encryption.toml").write_text("", encoding="utf-8")
    assert light(RANGE) is None


def test_a_journal_encrypted_after_the_light_path_looked_gets_no_plain_text_written(
    journal: Home,
) -> None:
    """`reflect encrypt` in another terminal between the light path's look and the full
    export's text: nothing is written to the cache, not even for the export's duration
    (killed then, the plain text stayed in the encrypted journal)."""
    assert light(RANGE) is None
    assert shown.handed is not None
    _, key, width, _ = shown.handed
    (journal.root / "encryption.toml").write_text("", encoding="utf-8")
    assert shown.Keeper.start(journal, key, width) is None
    assert not (journal.cache_dir / "history").exists() or not any(
        (journal.cache_dir / "history").iterdir()
    )


def test_a_text_not_finished_or_too_long_keeps_nothing(
    journal: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An output that failed half-way (the full path abandons) or grew past the limit."""
    assert light(RANGE) is None
    assert shown.handed is not None
    _, key, width, _ = shown.handed
    keeper = shown.Keeper.start(journal, key, width)
    assert keeper is not None
    keeper.write("{")
    keeper.abandon()
    monkeypatch.setattr(shown, "MAX_KEPT_BYTES", 3)
    keeper = shown.Keeper.start(journal, key, width)
    assert keeper is not None
    keeper.write("{}")
    keeper.write("{}")
    keeper.finish()
    assert list((journal.cache_dir / "history").iterdir()) == []
    assert light(RANGE) is None


def test_the_light_path_imports_nothing_heavy(journal: Home, run: Run) -> None:
    settle = "from reflect.journal import looked; looked.SETTLED_NS = 0\n"
    argv = ["reflect", "export", *RANGE]
    # The full command line keeps the text, here, for a UTF-8 output that takes no stray
    # bytes (`light`); the light path then answers one such in a new process, which lists
    # its modules.
    kept = either(run, RANGE)
    assert kept[0] == 0 and kept[3] is False, kept  # the full command line answered
    code = (
        "import sys, json\n"
        f"sys.argv = {argv!r}\n"
        f"{settle}"
        "from reflect.main import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "mods = sorted(m for m in sys.modules if m == 'reflect' or m.startswith('reflect.'))\n"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "sys.stderr.write(json.dumps([code, mods, heavy]))\n"
    )
    second = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert second.stdout == kept[1]
    assert json.loads(kept[1])["range"]["end"] == "2026-01-31"
    code, modules, heavy = json.loads(second.stderr)
    assert (code, heavy) == (0, [])
    imported = {*LIGHT, "reflect.render.quick_export"} - {"reflect.render.quick_history"}
    assert "reflect.render.quick_export" in modules
    assert sorted(modules) == sorted(imported)


DAYS = [f"2026-01-{d:02d}" for d in range(1, 8)] + ["2025-12-31", "2024-02-29"]
STEP = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(DAYS), st.sampled_from([1, 2, 5, 7, '"x"'])),
    st.tuples(st.just("remove"), st.sampled_from(DAYS), st.just(0)),
    st.tuples(st.just("pack"), st.sampled_from(["How was", "How is"]), st.just(0)),
    st.tuples(st.just("damage"), st.sampled_from(["index", "kept"]), st.just(0)),
    st.tuples(
        st.just("look"),
        st.sampled_from(
            ["2025-12-01/2026-01-31", "2026-01-01/2026-01-07", "2024-01-01/2026-12-31"]
        ),
        st.just(0),
    ),
)


@pytest.mark.slow
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_light_and_full_paths_agree_over_random_changes(
    tmp_path_factory: pytest.TempPathFactory, run: Run, steps: list[tuple[str, str, object]]
) -> None:
    root = tmp_path_factory.mktemp("journal")
    home = Home(root)
    home.ensure()
    shutil.copy(DATA / "demo.toml", home.packs_dir / "demo.toml")
    home.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
    saved = os.environ["REFLECT_HOME"]
    os.environ["REFLECT_HOME"] = str(root)
    shown.handed = None
    try:
        write_day(home, "2026-01-01", 3)
        for kind, what, value in steps:
            if kind == "write":
                write_day(home, what, value)
            elif kind == "remove":
                (home.entries_dir / what[:4] / f"{what}.md").unlink(missing_ok=True)
            elif kind == "pack":
                pack = home.packs_dir / "demo.toml"
                text = pack.read_text(encoding="utf-8")
                pack.write_text(text.replace("How was", what).replace("How is", what), "utf-8")
            elif kind == "damage" and what == "index":
                if (home.cache_dir / "index.sqlite3").exists():
                    (home.cache_dir / "index.sqlite3").write_bytes(b"\0" * 4096)
            elif kind == "damage":
                for kept in (home.cache_dir / "history").glob("*"):
                    kept.write_bytes(kept.read_bytes()[:-3])
            low, high = what.split("/") if kind == "look" else ("2025-12-01", "2026-01-31")
            args = ["--from", low, "--to", high, "--format", "json"]
            answered = either(run, args)
            event(f"light path taken: {answered[3]}")
            assert answered[:3] == full(run, args)
            again = either(run, args)
            assert again[:3] == answered[:3]
    finally:
        os.environ["REFLECT_HOME"] = saved


def test_the_print_covers_reflects_own_installed_sources() -> None:
    import reflect

    assert os.path.dirname(reflect.__file__) == shown.SOURCES
    assert (Path(shown.SOURCES) / "render" / "quick_export.py").is_file()


def test_reflect_installed_again_under_a_new_version_is_no_kept_text(
    journal: Home, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary names reflect's version, which an editable install changes without its sources."""
    info = tmp_path / "site" / "reflect-9.9.0.dist-info"
    info.mkdir(parents=True)
    metadata = info / "METADATA"
    metadata.write_text("Metadata-Version: 2.1\nName: reflect\nVersion: 9.9.0\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    first = either(run, RANGE)
    assert json.loads(first[1])["generator"] == "reflect 9.9.0"
    assert either(run, RANGE)[3]
    metadata.write_text("Metadata-Version: 2.1\nName: reflect\nVersion: 9.9.1\n", encoding="utf-8")
    again = either(run, RANGE)
    assert again[:3] == full(run, RANGE)
    assert json.loads(again[1])["generator"] == "reflect 9.9.1"


def test_an_export_appended_to_its_own_kept_text_writes_it_once(
    journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reflect export ... >> <home>/.cache/history/...`: what it reads grows as it writes."""
    first = either(run, RANGE)
    (path,) = (journal.cache_dir / "history").iterdir()
    size = path.stat().st_size
    monkeypatch.setattr(shown, "CHUNK", 16)

    class Appending(io.StringIO):
        """The kept file itself as stdout, each write on disk at once."""

        written = 0
        encoding = "utf-8"  # as the stream the text was kept through
        errors = "strict"

        def write(self, text: str) -> int:
            data = text.encode("utf-8")
            self.written += len(data)
            assert self.written <= len(first[1]), "wrote more than the kept text"
            with path.open("ab") as out:
                out.write(data)
            return len(text)

    monkeypatch.setattr(sys, "stdout", Appending())
    with pytest.raises(SystemExit) as done:
        quick_export.main(RANGE, None)
    assert done.value.code == 0
    assert path.read_bytes()[size:] == first[1]
