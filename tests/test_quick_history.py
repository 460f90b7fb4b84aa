"""`reflect history PACK/PROMPT` written from the text kept by the full command line.

The light path (render/quick_history.py) writes the very bytes the full
command line writes, or writes nothing and lets the full command line answer.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reflect.journal import edit_copies, index, intwo, looked, shown
from reflect.journal.home import Home
from reflect.packs.library import archive_dir, builtin_dir
from reflect.render import quick_history

from .conftest import DATA, Run
from .quick_paths import kept_either, kept_full, kept_run

HEAVY = ("typer", "pydantic", "rich", "yaml", "click", "platformdirs", "filelock")
# What the light path imports of reflect: the read side only, nothing of `daily`.
LIGHT = [
    "reflect",
    "reflect.errors",
    "reflect.journal",
    "reflect.journal.home_root",
    "reflect.journal.looked",
    "reflect.journal.names",
    "reflect.journal.shown",
    "reflect.main",
    "reflect.render",
    "reflect.render.page",
    "reflect.render.quick_history",
]


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files just written count as settled, as they would two seconds later."""
    monkeypatch.setattr(looked, "SETTLED_NS", 0)
    monkeypatch.setattr(index, "SETTLED_NS", 0)
    monkeypatch.setattr(shown, "SETTLED_NS", 0)
    monkeypatch.setattr(shown, "handed", None)


def write_day(home: Home, day: str, mood: object, extra: str = "") -> None:
    folder = home.entries_dir / day[:4]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day}.md").write_text(
        f"---\ndate: {day}\nformat: 2\ndemo/mood: {mood}\n"
        f"given:\n  demo/mood: 1.0.0 {day}T09:00:00+00:00\n---\n{extra}",
        encoding="utf-8",
    )


def light(args: list[str]) -> tuple[int, bytes, str] | None:
    return kept_run(quick_history.main, args)


def either(run: Run, args: list[str]) -> tuple[int, bytes, str, bool]:
    return kept_either(run, quick_history.main, "history", args)


def full(run: Run, args: list[str]) -> tuple[int, bytes, str]:
    return kept_full(run, "history", args)


@pytest.fixture
def journal(demo: Home) -> Home:
    for day, mood in (("2025-12-30", 2), ("2026-01-02", 4), ("2026-01-03", 5)):
        write_day(demo, day, mood)
    return demo


def test_the_second_history_is_the_kept_text_and_the_same_bytes(journal: Home, run: Run) -> None:
    first = either(run, ["demo/mood"])
    assert first[3] is False
    assert first[:3] == full(run, ["demo/mood"])
    assert first[1].decode().startswith("How was your mood today?\ndemo/mood\n3 answer(s)")
    second = either(run, ["demo/mood"])
    assert second == (*first[:3], True)
    kept = list((journal.cache_dir / "history").iterdir())
    assert len(kept) == 1 and oct(kept[0].stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    "change",
    [
        "an edit",
        "a new day",
        "a day removed",
        "a year folder removed",
        "the pack edited",
        "the config",
        "another width",
        "the index damaged",
        "the index removed",
        "the kept text damaged",
        "a broken pack beside",
        "a file that is no entry",
        "a folder that is no year",
    ],
)
@pytest.mark.parametrize("processes", [1, 2])
def test_after_a_change_both_paths_say_the_same(
    journal: Home, run: Run, change: str, processes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two processes, the copy looks at the second year folder, 2026, where most
    changes are."""
    forks: list[int] = []
    if processes == 2:
        in_two = intwo.in_two

        def counted(jobs: list[str], *rest: Any) -> Any:
            forks.append(len(jobs))
            return in_two(jobs, *rest)

        monkeypatch.setattr(shown, "TWO_YEARS", 2)
        monkeypatch.setattr(shown, "_cores", lambda: 2)
        monkeypatch.setattr(intwo, "in_two", counted)
    either(run, ["demo/mood"])
    assert either(run, ["demo/mood"])[3]
    pack = journal.packs_dir / "demo.toml"
    if change == "an edit":
        write_day(journal, "2026-01-02", 1)
    elif change == "a new day":
        write_day(journal, "2026-01-04", 3)
    elif change == "a day removed":
        (journal.entries_dir / "2026" / "2026-01-03.md").unlink()
    elif change == "a year folder removed":
        shutil.rmtree(journal.entries_dir / "2025")
    elif change == "the pack edited":
        pack.write_text(
            pack.read_text(encoding="utf-8").replace("How was your mood", "How is your mood"),
            encoding="utf-8",
        )
    elif change == "the config":
        journal.config_path.write_text('packs = ["demo"]\n\n', encoding="utf-8")
    elif change == "another width":
        os.environ["COLUMNS"] = "61"
    elif change == "the index damaged":
        (journal.cache_dir / "index.sqlite3").write_bytes(b"not a database" * 100)
    elif change == "the index removed":
        (journal.cache_dir / "index.sqlite3").unlink()
    elif change == "the kept text damaged":
        (kept,) = (journal.cache_dir / "history").iterdir()
        kept.write_bytes(kept.read_bytes()[:-20] + b"\xff" * 20)
    elif change == "a broken pack beside":
        (journal.packs_dir / "broken.toml").write_text("id = [", encoding="utf-8")
    elif change == "a file that is no entry":
        (journal.entries_dir / "2026" / "notes.txt").write_text("x", encoding="utf-8")
    elif change == "a folder that is no year":
        (journal.entries_dir / "old").mkdir()
    answered = either(run, ["demo/mood"])
    expected = full(run, ["demo/mood"])
    assert answered[:3] == expected
    # What no history reads leaves the kept text as it was.
    unread = ("the index removed", "a file that is no entry", "a folder that is no year")
    if change in ("the index damaged", *unread):
        assert answered[3], "the files and packs are as they were: the kept text holds"
    else:
        assert not answered[3], "something the text came from changed: the full path answers"
    # A damaged index is deleted with its cache folder: the next full run keeps the text again.
    assert either(run, ["demo/mood"])[:3] == expected
    assert either(run, ["demo/mood"]) == (*expected, True)
    if processes == 2:
        assert forks and set(forks) <= {1, 2} and 2 in forks, forks


@pytest.mark.parametrize(
    "args",
    [["demo/mood", "--json"], ["--oldest-first", "demo/mood"], ["demo/mood", "--since", "2026"]],
)
def test_options_take_the_full_path(journal: Home, run: Run, args: list[str]) -> None:
    either(run, ["demo/mood"])
    assert light(args) is None


def test_what_the_full_path_warns_of_is_never_kept(journal: Home, run: Run) -> None:
    (journal.entries_dir / "2026" / "2026-01-05.md").write_text("---\nbroken\n", encoding="utf-8")
    first = either(run, ["demo/mood"])
    assert "2026-01-05.md" in first[2]
    assert not (journal.cache_dir / "history").exists()
    assert either(run, ["demo/mood"]) == first


def test_an_unknown_question_is_the_full_paths_error(journal: Home, run: Run) -> None:
    first = either(run, ["demo/nothing"])
    assert first[0] == 1 and first[2].startswith("reflect: ")
    assert either(run, ["demo/nothing"]) == first


def test_an_editor_copy_or_an_encrypted_journal_takes_the_full_path(
    journal: Home, run: Run
) -> None:
    either(run, ["demo/mood"])
    assert either(run, ["demo/mood"])[3]
    copy = journal.root / f"{edit_copies.PREFIX}2026-01-02.md"
    copy.write_text("x", encoding="utf-8")
    assert light(["demo/mood"]) is None
    copy.unlink()
    (journal.root / "encryption.toml").write_text("", encoding="utf-8")
    assert light(["demo/mood"]) is None


def test_an_encrypted_journal_keeps_no_history_text(journal: Home) -> None:
    from reflect.journal.index_store import _discard_plain

    (journal.cache_dir / "history").mkdir(parents=True)
    (journal.cache_dir / "history" / "x").write_text("mood", encoding="utf-8")
    _discard_plain(journal)
    assert not (journal.cache_dir / "history").exists()


def test_what_the_light_path_knows_of_the_full_one_is_the_same(home: Home) -> None:
    from reflect.journal import crypt

    assert shown.EDIT_PREFIX == edit_copies.PREFIX
    assert looked.SUFFIX == crypt.SUFFIX
    root = os.fspath(home.root)
    folders = shown.pack_folders(root)
    assert folders[0] == os.fspath(builtin_dir())
    assert folders[1:] == [os.fspath(home.packs_dir), os.fspath(archive_dir(home))]


def test_the_light_path_imports_nothing_heavy(journal: Home, run: Run) -> None:
    settle = "from reflect.journal import looked; looked.SETTLED_NS = 0\n"
    # The full command line keeps the text, here, for a UTF-8 output that takes no stray
    # bytes (`light`); the light path then answers one such in a new process, which lists
    # its modules.
    kept = either(run, ["demo/mood"])
    assert kept[0] == 0 and kept[3] is False, kept  # the full command line answered
    code = (
        "import sys, json\n"
        "sys.argv = ['reflect', 'history', 'demo/mood']\n"
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
    assert kept[1].startswith(b"How was your mood today?\n")
    code, modules, heavy = json.loads(second.stderr)
    assert (code, heavy) == (0, [])
    assert sorted(modules) == LIGHT


DAYS = [f"2026-01-{d:02d}" for d in range(1, 8)] + ["2025-06-01", "2024-02-29"]
STEP = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(DAYS), st.sampled_from([1, 2, 5, 7, '"x"'])),
    st.tuples(st.just("remove"), st.sampled_from(DAYS), st.just(0)),
    st.tuples(st.just("pack"), st.sampled_from(["How was", "How is"]), st.just(0)),
    st.tuples(st.just("width"), st.sampled_from(["100", "40", "0", "x"]), st.just(0)),
    st.tuples(st.just("damage"), st.sampled_from(["index", "kept"]), st.just(0)),
    st.tuples(st.just("look"), st.sampled_from(["demo/mood", "demo/hours"]), st.just(0)),
)


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(STEP, min_size=1, max_size=8))
def test_light_and_full_paths_agree_over_random_changes(
    tmp_path_factory: pytest.TempPathFactory, run: Run, steps: list[tuple[str, str, object]]
) -> None:
    root = tmp_path_factory.mktemp("journal")
    home = Home(root)
    home.ensure()
    shutil.copy(DATA / "demo.toml", home.packs_dir / "demo.toml")
    home.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
    saved = os.environ["REFLECT_HOME"], os.environ["COLUMNS"]
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
            elif kind == "width":
                os.environ["COLUMNS"] = what
            elif kind == "damage" and what == "index":
                if (home.cache_dir / "index.sqlite3").exists():
                    (home.cache_dir / "index.sqlite3").write_bytes(b"\0" * 4096)
            elif kind == "damage":
                for kept in (home.cache_dir / "history").glob("*"):
                    kept.write_bytes(kept.read_bytes()[:-3])
            key = what if kind == "look" else "demo/mood"
            answered = either(run, [key])
            event(f"light path taken: {answered[3]}")
            assert answered[:3] == full(run, [key])
            again = either(run, [key])
            assert again[:3] == answered[:3]
    finally:
        os.environ["REFLECT_HOME"], os.environ["COLUMNS"] = saved


def test_a_kept_text_is_written_only_to_a_pipe(journal: Home, run: Run) -> None:
    either(run, ["demo/mood"])
    assert either(run, ["demo/mood"])[3]
    os.environ["FORCE_COLOR"] = "1"
    try:
        assert light(["demo/mood"]) is None
    finally:
        del os.environ["FORCE_COLOR"]


def test_a_kept_text_is_never_read_past_its_print(journal: Home, run: Run) -> None:
    either(run, ["demo/mood"])
    (kept,) = (journal.cache_dir / "history").iterdir()
    head, _, text = kept.read_bytes().partition(b"\n")
    kept.write_bytes(b"0" * len(head) + b"\n" + text)
    assert light(["demo/mood"]) is None
    assert Path(kept).exists()


def test_a_fifo_in_place_of_the_kept_text_is_no_kept_text(journal: Home, run: Run) -> None:
    either(run, ["demo/mood"])
    (kept,) = (journal.cache_dir / "history").iterdir()
    kept.unlink()
    os.mkfifo(kept)
    assert light(["demo/mood"]) is None


def test_a_huge_file_in_place_of_the_kept_text_is_not_read(journal: Home, run: Run) -> None:
    """Two gibibytes without a newline, where a process may map only one: passed, not read."""
    resource = pytest.importorskip("resource")
    either(run, ["demo/mood"])
    (kept,) = (journal.cache_dir / "history").iterdir()
    kept.unlink()
    with kept.open("wb") as sparse:
        sparse.truncate(2 * 2**30)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    code = (
        "from reflect.journal import looked; looked.SETTLED_NS = 0\n"
        "from reflect.render import quick_history; quick_history.main(['demo/mood'], None)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, preexec_fn=limit, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


# A process each, in the whole run; tests/test_page.py words the same line in this process.
@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_an_output_that_cannot_take_the_text_is_one_line_not_a_traceback(
    journal: Home, encoding: str
) -> None:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    done = subprocess.run(
        [sys.executable, "-m", "reflect", "history", "demo/mood"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.decode(encoding, "backslashreplace").splitlines()
    assert line.startswith(f"reflect: the output's encoding ({encoding}) cannot write ")
    assert line.endswith("; set PYTHONIOENCODING=utf-8 or a UTF-8 locale")
    assert not (journal.cache_dir / "history").exists()


def test_a_file_in_place_of_the_kept_texts_folder_leaves_the_answer_as_it_was(
    journal: Home, run: Run
) -> None:
    expected = full(run, ["demo/mood"])
    shutil.rmtree(journal.cache_dir / "history", ignore_errors=True)
    (journal.cache_dir / "history").write_text("x", encoding="utf-8")
    assert either(run, ["demo/mood"]) == (*expected, False)
    assert either(run, ["demo/mood"]) == (*expected, False)


@pytest.mark.parametrize("changed", ["pack", "config", "source"])
def test_a_pack_config_or_source_changed_within_a_tick_is_looked_at_again(
    journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch, changed: str
) -> None:
    """A same-size edit within a coarse clock's tick leaves a file's numbers as they were."""
    either(run, ["demo/mood"])
    assert either(run, ["demo/mood"])[3]
    if changed == "pack":
        os.utime(journal.packs_dir / "demo.toml")
    elif changed == "config":
        os.utime(journal.config_path)
    # The entries settled at once (the fixture), the rest as reflect does: two seconds.
    fresh = 2_000_000_000 if changed != "source" else 10**18
    monkeypatch.setattr(shown, "SETTLED_NS", fresh, raising=False)
    assert light(["demo/mood"]) is None
    assert either(run, ["demo/mood"])[0] == 0
    assert light(["demo/mood"]) is None, "nothing is kept while a file it came from is fresh"


def test_a_text_kept_as_the_journal_is_encrypted_does_not_stay(
    journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reflect encrypt` in another terminal, done between the history's last look and its write."""
    assert light(["demo/mood"]) is None
    replace = os.replace

    def encrypt_first(source: str, target: str) -> None:
        if Path(target).parent.name == "history":
            # What encrypt leaves: its marker, then a cleared cache; the kept text lands after.
            (journal.root / "encryption.toml").write_text("", encoding="utf-8")
            for name in os.listdir(journal.cache_dir / "history"):
                if os.path.join(journal.cache_dir, "history", name) != source:
                    os.unlink(journal.cache_dir / "history" / name)
        replace(source, target)

    monkeypatch.setattr(os, "replace", encrypt_first)
    run(["history", "demo/mood"])
    history = journal.cache_dir / "history"
    assert not history.exists() or not list(history.iterdir())
