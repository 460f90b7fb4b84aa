"""`reflect today --answer` done before the full command line loads (daily/quick_today.py).

The quick path writes the very bytes the full command line writes and says
the very words, or changes nothing and lets the full command line answer.
"""

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reflect.daily import kept, quick, quick_today, session
from reflect.journal import edit_copies
from reflect.journal.drafts import draft_dirs
from reflect.journal.home import Home
from reflect.model import dates

from . import quick_paths
from .conftest import DATA, Run, main_at, quick_path_run
from .quick_paths import (
    BENT_DAYS,
    answering,
    apply,
    disk_full,
    files,
    home_at,
    passes_changing_nothing,
    quick_run,
    unstamped,
    unstamped_files,
)

NOW = dt.datetime(2026, 12, 1, 14, 32, 5)
DAY = NOW.date()
# What the quick path may import of reflect, and what it must never import.
LIGHT = [
    "reflect",
    "reflect.daily",
    "reflect.daily.kept",
    "reflect.daily.quick",
    "reflect.daily.quick_today",
    "reflect.errors",
    "reflect.journal",
    "reflect.journal.atomic",
    "reflect.journal.frontyaml",
    "reflect.journal.home_root",
    "reflect.main",
    "reflect.model",
    "reflect.model.values",
]
# Besides conftest's QUICK_HEAVY, nor what would cost more than its own work: JSON and
# typing, a markdown writer.
UNNEEDED = ("json", "typing", "reflect.journal.prose")
# A second pack: tags on a question, choices YAML must quote, decimals.
OTHER = """\
id = "other"
name = "Other pack"
version = "2.1.0"

[[prompts]]
id = "feel"
text = "Which word fits today?"
type = "choice"
choices = ["good day", "Yes", "3", "meh: so-so", "C#", "it's fine, (mostly)", "Ünïcode", "null"]
pin = true

[[prompts]]
id = "tagged"
text = "Did you give credit?"
type = "yes-no"
tags = ["credit"]
pin = true

[[prompts]]
id = "km"
text = "How far did you walk?"
type = "number"
unit = "km"
pin = true

[[prompts]]
id = "half"
text = "Half steps?"
type = "scale"
min = 0
max = 5
step = 0.5
pin = true
"""


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both paths read the same clock: 14:32:05 on 1 December 2026."""
    monkeypatch.setattr(dates, "today", lambda: DAY)
    monkeypatch.setattr(session, "now", lambda: NOW.astimezone())
    monkeypatch.setattr(quick_today, "clock", lambda: NOW.astimezone())
    monkeypatch.setattr(quick, "clock", NOW.timetuple)
    real = session.note_time
    monkeypatch.setattr(
        session, "note_time", lambda day, given, now=None: real(day, given, now or NOW)
    )


def make_home(root: Path) -> None:
    (root / "packs").mkdir(parents=True)
    shutil.copy(DATA / "demo.toml", root / "packs" / "demo.toml")
    (root / "packs" / "other.toml").write_text(OTHER, encoding="utf-8")
    (root / "config.toml").write_text('packs = ["demo", "other"]\n', encoding="utf-8")


def quick_side(args: list[str]) -> tuple[int, str, str] | None:
    """The quick path as main.py runs it: (exit code, stdout, stderr), None when it passed."""
    return quick_run(quick_today.main, args)


def either(run: Run, args: list[str]) -> tuple[int, str, str, bool]:
    """What `reflect today ...` gives: the quick path's answer, else the full command line's."""
    return quick_paths.either(run, quick_today.main, "today", args)


def full(run: Run, args: list[str]) -> tuple[int, str, str]:
    return quick_paths.full(run, "today", args)


def test_answers_of_a_new_day_then_more_take_the_quick_path(demo: Home, run: Run) -> None:
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0  # keeps what quick trusts
    path = demo.entries_dir / "2026" / "2026-12-01.md"
    path.unlink()
    said = f"Saved 1 answer(s) to {path}\n"
    assert either(run, answering("demo/mood=4")) == (0, "", said, True)
    assert either(run, answering("demo/mood=4")) == (0, "", said, True)  # the same again
    assert either(run, ["-a", "demo/where=Chat", "--answer=demo/hours=7.5"])[3]
    assert either(run, answering("demo/mood=5", "demo/threatened=y")) == (
        0,
        "",
        f"Saved 2 answer(s) to {path}\n",
        True,
    )
    stamp = NOW.astimezone().isoformat(timespec="seconds")
    assert path.read_text(encoding="utf-8") == (
        "---\ndate: 2026-12-01\nformat: 2\n"
        "demo/mood: 5\ndemo/where: chat\ndemo/hours: 7.5\ndemo/threatened: true\n"
        f"given:\n  demo/mood: 1.0.0 {stamp}\n  demo/where: 1.0.0 {stamp}\n"
        f"  demo/hours: 1.0.0 {stamp}\n  demo/threatened: 1.0.0 {stamp}\n---\n"
    )
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_the_quick_path_imports_nothing_heavy(demo: Home, run: Run) -> None:
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    found, stderr = quick_path_run("today", "--no-input", "--answer", "demo/mood=3", also=UNNEEDED)
    assert found == [0, LIGHT, []], stderr
    assert stderr.startswith("Saved 1 answer(s) to ")


def test_what_the_quick_path_knows_of_the_full_one_is_the_same() -> None:
    assert quick_today.EDIT_PREFIX == edit_copies.PREFIX
    home = Home(Path("/nowhere"))
    assert draft_dirs(home)[0] == home.root / ".recovery"
    env = kept.recovery_env()
    assert env[1] == os.environ.get("XDG_STATE_HOME")


@pytest.mark.parametrize(
    "change",
    [
        "lock held",
        "a draft waits",
        "a draft in the state folder",
        "an editor copy",
        "a pack changed",
        "config changed",
        "encrypted",
        "nothing kept",
        "hand edit",
        "tied prose",
        "comment",
        "crlf",
        "text question",
        "follow-up",
        "tags to add",
        "bare prompt",
        "unknown prompt",
        "bad value",
        "no answer",
        "another option",
        "a choice YAML quotes",
        "state folder moved",
    ],
)
def test_anything_unusual_goes_to_the_full_command_line(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    (demo.packs_dir / "other.toml").write_text(OTHER, encoding="utf-8")
    demo.config_path.write_text('packs = ["demo", "other"]\n', encoding="utf-8")
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    path = demo.entries_dir / "2026" / "2026-12-01.md"
    args = answering("demo/mood=4")
    if change == "a draft waits":
        (demo.root / ".recovery").mkdir(mode=0o700)
        (demo.root / ".recovery" / "2026-12-01-x.json").write_text("{}", encoding="utf-8")
    elif change == "a draft in the state folder":
        draft_dirs(demo)[1].mkdir(parents=True, mode=0o700)
        (draft_dirs(demo)[1] / "x.json").write_text("{}", encoding="utf-8")
    elif change == "an editor copy":
        (demo.root / f"{edit_copies.PREFIX}abcd").mkdir(mode=0o700)
    elif change == "a pack changed":
        with (demo.packs_dir / "demo.toml").open("a", encoding="utf-8") as pack:
            pack.write("\n")
    elif change == "config changed":
        demo.config_path.write_text('packs = ["demo", "other"]\n\n', encoding="utf-8")
    elif change == "encrypted":
        (demo.root / "encryption.toml").write_text("", encoding="utf-8")
    elif change == "nothing kept":
        (demo.cache_dir / kept.ANSWERING_NAME).unlink()
    elif change == "hand edit":
        path.write_text(path.read_text(encoding="utf-8").replace("format: 2", "format: 2\nx: 1"))
    elif change == "tied prose":
        with path.open("a", encoding="utf-8") as day:
            day.write("\n## Mood\n\n<!-- reflect: demo/mood -->\n\nlow\n")
    elif change == "comment":
        path.write_text(path.read_text(encoding="utf-8").replace("format: 2", "format: 2  # x"))
    elif change == "crlf":
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    elif change == "text question":
        args = answering("demo/gratitude=the sun")
    elif change == "follow-up":
        args = answering("demo/threatened=y", "demo/threatened/follow-up=Sam")
    elif change == "tags to add":
        args = answering("other/tagged=y")
    elif change == "bare prompt":
        args = answering("mood=4")
    elif change == "unknown prompt":
        args = answering("demo/nope=4")
    elif change == "bad value":
        args = answering("demo/mood=4", "demo/share=15")
    elif change == "no answer":
        args = ["--no-input"]
    elif change == "another option":
        args = [*answering("demo/mood=4"), "--date", "today"]
    elif change == "a choice YAML quotes":
        args = answering("other/feel=yes")
    elif change == "state folder moved":
        monkeypatch.setenv("XDG_STATE_HOME", os.environ["XDG_STATE_HOME"] + "-moved")
    lock = demo.lock_path if change == "lock held" else None
    passes_changing_nothing(demo.root, lambda: quick_side(args), lock=lock)


# -- both paths, side by side, over random days ------------------------------------

KEYS = st.sampled_from(
    [
        "demo/mood",
        "demo/threatened",
        "demo/share",
        "demo/where",
        "demo/hours",
        "demo/gratitude",
        "demo/threatened/follow-up",
        "mood",
        "other/feel",
        "other/tagged",
        "other/km",
        "other/half",
        "nope/mood",
        " demo/mood",
    ]
)
VALUES = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "0", "10", "70", "y", "n", "chat", "good", "2.5"]),
    st.integers(min_value=-3, max_value=110).map(str),
    st.sampled_from(
        [
            "7.5",
            "1e-5",
            "0.1",
            "70%",
            " 3 ",
            "no",
            "true",
            "Chat",
            "m",
            "",
            "good day",
            "c#",
            "meh",
            "it",
            "ü",
            "null",
            "1_0",
            "x",
            "1e12",
            "4.0",
            "0.30000000000000004",
            "yes",
        ]
    ),
)
ANSWER = st.tuples(KEYS, VALUES).map("=".join)
HAND = st.sampled_from(
    [
        *BENT_DAYS,
        "---\ndate: 2026-12-01\nformat: 2\ndemo/mood: 3  # a comment\n---\n",
        "---\ndate: 2026-12-01\nformat: 2\nobsidian: kept\ndemo/mood: 3\n---\n",
        "---\ndate: 2026-12-01\nformat: 1\npacks:\n  demo: 1.0.0\nanswers:\n  demo:\n    mood: 3\n---\n",
        "---\ndate: 2026-12-01\nformat: 2\n---\n\n## Mood\n\n<!-- reflect: demo/mood -->\n\nlow\n",
        "---\ndate: 2026-12-01\nformat: 2\ndemo/mood: '3'\n---\n",
    ]
)


def steps(
    answers: st.SearchStrategy[str], notes: list[str], *more: st.SearchStrategy[tuple[str, str]]
) -> st.SearchStrategy[tuple[str, str]]:
    """One step of a day's history (see `apply`): answers, a note, `more`, the day removed, a prompt."""
    return st.one_of(
        st.tuples(st.just("answer"), st.lists(answers, min_size=1, max_size=3).map("\x00".join)),
        st.tuples(st.just("note"), st.sampled_from(notes)),
        *more,
        st.tuples(st.just("remove"), st.just("")),
        st.tuples(st.just("prompt"), st.just("")),
    )


STEP = steps(
    ANSWER,
    ["a note", "## odd\n---", "x"],
    st.tuples(st.just("hand"), HAND),
    st.tuples(st.just("config"), st.sampled_from(['packs = ["other", "demo"]\n', "packs = [\n"])),
)


GOOD = st.sampled_from(
    [
        "demo/mood=1",
        "demo/mood=3",
        "demo/mood=5",
        "demo/threatened=y",
        "demo/threatened=no",
        "demo/share=70",
        "demo/share=0%",
        "demo/where=chat",
        "demo/where=1",
        "demo/hours=7.5",
        "demo/hours=0.25",
        "other/feel=good",
        "other/feel=it",
        "other/km=12",
        "other/half=4.5",
    ]
)
ON_REFLECTS_OWN = steps(GOOD, ["a note", "## odd\n---", "demo/mood"])


@pytest.mark.slow
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.one_of(st.lists(STEP, max_size=4), st.lists(ON_REFLECTS_OWN, max_size=4)),
    answers=st.one_of(st.lists(ANSWER, max_size=3), st.lists(GOOD, min_size=1, max_size=3)),
    no_input=st.booleans(),
)
def test_the_quick_path_writes_what_the_full_command_line_writes(
    run: Run, steps: list[tuple[str, str]], answers: list[str], no_input: bool
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        homes = [Path(scratch) / "quick", Path(scratch) / "full"]
        for root in homes:
            make_home(root)
            apply(run, root, ("answer", "demo/mood=2"))  # what the quick path trusts, kept
            for step in steps:
                apply(run, root, step)
        args = answering(*answers)[0 if no_input else 1 :]
        with home_at(homes[0]):
            quick = either(run, args)
        event("the quick path wrote" if quick[3] else "the full command line wrote")
        with home_at(homes[1]):
            slow = full(run, args)
        same = [unstamped(text.replace(str(homes[0]), str(homes[1]))) for text in quick[1:3]]
        assert (quick[0], *same) == (slow[0], *map(unstamped, slow[1:]))
        assert unstamped_files(homes[0]) == unstamped_files(homes[1])


def test_the_side_by_side_test_sees_the_quick_path_taken(run: Run, tmp_path: Path) -> None:
    """The property test above compares something: the common days do take the quick path."""
    homes = [tmp_path / "quick", tmp_path / "full"]
    answers = [
        "demo/mood=4",
        "other/km=3.25",
        "demo/where=2",
        "other/feel=good",
        "other/half=2.5",
        "demo/mood=4",
        "demo/share=70%",
    ]
    for root in homes:
        make_home(root)
        apply(run, root, ("answer", "demo/mood=2"))
    for answer in answers:
        with home_at(homes[0]):
            quick = either(run, answering(answer))
        with home_at(homes[1]):
            slow = full(run, answering(answer))
        assert quick[3], answer
        assert (quick[0], *(t.replace(str(homes[0]), str(homes[1])) for t in quick[1:3])) == slow
        assert unstamped_files(homes[0]) == unstamped_files(homes[1])


# Eight processes started at once; in the fast tier, "lock held" above (the quick path
# leaves a locked day to the full command line) and the answers of a day written one after
# another (test_answers_of_a_new_day_then_more_take_the_quick_path) stand for it.
@pytest.mark.slow
def test_two_terminals_at_once_lose_no_answer(demo: Home, run: Run) -> None:
    """Several `today --answer` at the same moment: the lock lets each see the others' answers."""
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    keys = ["demo/mood=5", "demo/threatened=n", "demo/share=30", "demo/where=meeting"]
    keys += ["demo/hours=3", "demo/mood=1", "demo/share=40", "demo/hours=4"]
    script = main_at(NOW)  # the day the in-process answer above began
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, "today", *answering(answer)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=os.environ,
        )
        for answer in keys
    ]
    for proc in procs:
        out, err = proc.communicate()
        assert (proc.returncode, out) == (0, b""), err
        assert err.startswith(b"Saved 1 answer(s) to ")
    text = (demo.entries_dir / "2026" / "2026-12-01.md").read_text(encoding="utf-8")
    for prompt in ("mood", "threatened", "share", "where", "hours"):
        assert text.count(f"\ndemo/{prompt}: ") == 1
        assert text.count(f"\n  demo/{prompt}: 1.0.0 ") == 1
    assert "demo/threatened: false" in text and "demo/where: meeting" in text


def test_a_failed_write_leaves_the_day_as_it_was_and_the_full_command_line_says_why(
    demo: Home, run: Run
) -> None:
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    before = files(demo.root)
    with disk_full():
        assert quick_side(answering("demo/mood=4")) is None
        assert files(demo.root) == before
        code, _, err, taken = either(run, answering("demo/mood=4"))
        assert (code, taken) == (1, False)
        assert err.startswith("reflect: could not save ") and "the disk is full" in err, err
        assert files(demo.root) == before
    assert quick_side(answering("demo/mood=4")) is not None, "nothing was left half-done"
    assert "demo/mood: 4\n" in (demo.entries_dir / "2026" / "2026-12-01.md").read_text()


def test_definitions_kept_again_when_gone(demo: Home, run: Run) -> None:
    """The greeting's schedule fresh, the definitions gone: the full `today` keeps them again."""
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    path = demo.cache_dir / kept.ANSWERING_NAME
    path.unlink()
    assert kept.load_schedule(str(demo.root)) is not None
    assert quick_side(answering("demo/mood=4")) is None
    assert either(run, answering("demo/mood=4"))[3] is False
    assert path.is_file()
    assert either(run, answering("demo/mood=5"))[3] is True


def test_what_is_kept_reads_back_as_the_full_command_line_defined_it(demo: Home, run: Run) -> None:
    (demo.packs_dir / "other.toml").write_text(OTHER, encoding="utf-8")
    demo.config_path.write_text('packs = ["demo", "other"]\n', encoding="utf-8")
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    loaded = kept.load_definitions(str(demo.root))
    assert loaded is not None
    packs, env, folder = loaded
    assert (env, folder) == (repr(kept.recovery_env()), str(draft_dirs(demo)[1]))
    assert packs["demo"]["version"] == "1.0.0"
    assert packs["demo"]["prompts"]["mood"] == {
        "type": "scale", "min": 1, "max": 5, "step": 1, "unit": "", "choices": []
    }  # fmt: skip
    assert packs["demo"]["prompts"]["hours"] == {
        "type": "number", "min": 0, "max": 24, "step": None, "unit": "h", "choices": []
    }  # fmt: skip
    assert packs["other"]["prompts"]["half"]["step"] == 0.5
    assert packs["other"]["prompts"]["feel"]["choices"][-3:] == [
        "it's fine, (mostly)", "Ünïcode", "null"
    ]  # fmt: skip
    # Prose and questions with tags to add are left to the full command line.
    assert "gratitude" not in packs["demo"]["prompts"]
    assert "tagged" not in packs["other"]["prompts"]


@pytest.mark.parametrize(
    "bend", ["step 0", "tiny step", "not a number", "cut short", "a stray line", "not utf-8"]
)
def test_definitions_bent_by_hand_go_to_the_full_command_line(
    demo: Home, run: Run, bend: str
) -> None:
    """The kept definitions edited with their key left whole: no traceback, the full path answers."""
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    path = demo.cache_dir / kept.ANSWERING_NAME
    text = path.read_text(encoding="utf-8")
    mood = "prompt\tmood\tscale\t1\t5\t1\t\n"
    assert mood in text
    if bend == "step 0":
        text = text.replace(mood, mood.replace("\t1\t\n", "\t0\t\n"))
    elif bend == "tiny step":
        text = text.replace(mood, mood.replace("\t1\t\n", "\t1e-320\t\n"))  # 3 / step: inf
    elif bend == "not a number":
        text = text.replace(mood, mood.replace("\t1\t\n", "\tone\t\n"))
    elif bend == "cut short":
        text = text[: text.index(mood) + len(mood)]
    elif bend == "a stray line":
        text = text.replace(mood, mood + "stray\n")
    path.write_bytes(b"\xff" + text.encode() if bend == "not utf-8" else text.encode())
    before = files(demo.root)
    assert quick_side(answering("demo/mood=4")) is None
    assert files(demo.root) == before
    code, out, err, taken = either(run, answering("demo/mood=4"))
    assert (code, out, taken) == (0, "", False), err
    assert "demo/mood: 4\n" in (demo.entries_dir / "2026" / "2026-12-01.md").read_text()


def test_a_question_the_kept_lines_cannot_hold_is_left_to_the_full_command_line(
    demo: Home, run: Run
) -> None:
    """A tab in a choice: that question is not kept; the others still take the quick path."""
    pack = OTHER.replace('"good day", ', '"good\\tday", ')
    (demo.packs_dir / "other.toml").write_text(pack, encoding="utf-8")
    demo.config_path.write_text('packs = ["demo", "other"]\n', encoding="utf-8")
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    loaded = kept.load_definitions(str(demo.root))
    assert loaded is not None
    assert "feel" not in loaded[0]["other"]["prompts"]
    before = files(demo.root)
    assert quick_side(answering("other/feel=good")) is None
    assert files(demo.root) == before
    assert either(run, answering("other/km=3"))[3] is True


def test_a_schedule_another_install_kept_is_not_trusted(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    """Two installs of reflect on one journal: the built-in packs of the one that kept count."""
    from reflect.packs.library import builtin_dir

    assert kept.builtin_folder() == str(builtin_dir())
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    elsewhere = tmp_path / "other-install" / "prompts"
    shutil.copytree(builtin_dir(), elsewhere)
    path = demo.cache_dir / kept.ANSWERING_NAME
    first, key, rest = path.read_text(encoding="utf-8").split("\n", 2)
    assert key == repr(kept.schedule_key(str(demo.root), str(builtin_dir())))
    key = repr(kept.schedule_key(str(demo.root), str(elsewhere)))
    path.write_text(f"{first}\n{key}\n{rest}", encoding="utf-8")
    before = files(demo.root)
    assert quick_side(answering("demo/mood=4")) is None
    assert files(demo.root) == before


@pytest.mark.parametrize("change", ["a pack's bound", "a pack disabled"])
def test_a_change_while_the_full_command_line_runs_is_not_kept_as_fresh(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """A pack or config.toml changed (another terminal) after the full command line loaded them:
    the definitions it had are not kept under the key of the files as they are now."""
    from reflect.packs import library

    (demo.packs_dir / "other.toml").write_text(OTHER, encoding="utf-8")
    demo.config_path.write_text('packs = ["demo", "other"]\n', encoding="utf-8")
    real = library.enabled_packs

    def loaded_then_changed(*args: object, **kwargs: object) -> library.EnabledPacks:
        enabled = real(*args, **kwargs)  # type: ignore[arg-type]
        if change == "a pack's bound":
            pack = demo.packs_dir / "demo.toml"
            pack.write_text(pack.read_text().replace("max = 5", "max = 3", 1))
        else:
            demo.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
        return enabled

    monkeypatch.setattr(library, "enabled_packs", loaded_then_changed)
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    monkeypatch.setattr(library, "enabled_packs", real)
    answer = "demo/mood=5" if change == "a pack's bound" else "other/km=3"
    before = files(demo.root)
    assert quick_side(answering(answer)) is None
    assert files(demo.root) == before
    code, out, err, taken = either(run, answering(answer))
    assert (code, out, taken) == (1, "", False), err
    assert files(demo.root) == before


@pytest.mark.slow
@pytest.mark.parametrize("command", [["today", *answering("demo/mood=4")], ["write", "a note"]])
def test_a_home_named_beyond_ascii_is_named_as_the_full_command_line_names_it_on_ascii_stderr(
    tmp_path: Path, run: Run, command: list[str]
) -> None:
    """PYTHONIOENCODING=ascii: click writes the file's name in UTF-8 where Python writes `\\xe9`."""
    root = tmp_path / "journal-é"
    make_home(root)
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    script = main_at(NOW)
    with home_at(root):
        assert run(["today", *answering("demo/mood=2")]).exit_code == 0
        env["REFLECT_HOME"] = str(root)
        either = subprocess.run(
            [sys.executable, "-c", script, *command], capture_output=True, env=env
        )
        # --home beside REFLECT_HOME: always the full command line.
        full = subprocess.run(
            [sys.executable, "-c", script, "--home", str(root), *command],
            capture_output=True,
            env=env,
        )
    assert (either.returncode, either.stdout, either.stderr) == (0, b"", full.stderr)
    assert "journal-é/entries/2026/2026-12-01.md\n".encode() in full.stderr


@pytest.mark.slow
@pytest.mark.parametrize("command", [["today", *answering("demo/mood=4")], ["write", "a note"]])
def test_a_stderr_that_cannot_be_written_ends_as_the_full_command_line_ends(
    demo: Home, run: Run, command: list[str]
) -> None:
    """stderr on a full disk: saved by both paths, and both exit 1 (the message is lost)."""
    assert run(["today", *answering("demo/mood=2")]).exit_code == 0
    script = main_at(NOW)
    path = demo.entries_dir / "2026" / "2026-12-01.md"
    ends = []
    for home in ([], ["--home", str(demo.root)]):  # --home beside REFLECT_HOME: the full path
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [sys.executable, "-c", script, *home, *command],
                stdout=subprocess.PIPE, stderr=full, env=os.environ, check=False,
            )  # fmt: skip
        ends.append((done.returncode, done.stdout))
    assert ends == [(1, b""), (1, b"")]
    text = path.read_text(encoding="utf-8")
    assert "demo/mood: 4\n" in text if command[0] == "today" else text.count("\na note\n") == 2
