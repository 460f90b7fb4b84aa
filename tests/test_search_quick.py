"""`reflect search QUERY` into a pipe, answered before the full command line loads
(reflect/quick_search.py): the same bytes on both streams and the same exit code, or nothing."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reflect.journal.index as index_module
from reflect.journal import crypt
from reflect.journal.home import Home

from .conftest import Run, answer, search_in_process, write
from .test_crypt import make_identity
from .test_index import TRICKY
from .test_search_cold import FORMAT_1, FORMAT_2

# What `reflect search` runs as through the console script, and the full command line alone.
QUICK = "import sys; sys.argv[0] = 'reflect'; from reflect.main import main; main()"
FULL = "import sys; sys.argv[0] = 'reflect'; from reflect.cli import main; main()"
# Printed to the real stderr at exit: the modules of the command line the run loaded.
LOADED = (
    "import atexit, sys; atexit.register(lambda: sys.__stderr__.write("
    "'LOADED ' + ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
    "('typer', 'click', 'rich', 'reflect'))) + '\\n'));"
)


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "SETTLED_NS", 0)


def journal(home: Home, run: Run) -> None:
    """Days of every shape a search meets: plain, by hand, in other scripts, refused."""
    write(home, "2025-06-02", FORMAT_1)
    write(home, "2025-06-03", FORMAT_2)
    for number, text in enumerate(TRICKY, start=10):
        day = f"2025-07-{number}"
        write(home, day, f"---\ndate: {day}\n---\n\n## Notes\n\n{text} Tea too.\n")
    write(home, "2025-08-01", "---\ndate: 2025-08-01\nmood: [\n---\n\nTea, refused.\n")
    write(home, "2025-08-02", "no front matter at all: tea\n")
    for day in range(1, 29):
        answer(home, f"2024-02-{day:02d}", "mood=3", f"gratitude=Tea number {day} in the garden")
    line = "A long line about tea and the lighthouse, " * 8
    write(home, "2023-01-01", f"---\ndate: 2023-01-01\n---\n\n{line}\n")


def reflect(code: str, home: Home, *args: str, prefix: str = "") -> tuple[int, str, str]:
    env = {**os.environ, "REFLECT_HOME": str(home.root), "NO_COLOR": "1", "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-c", prefix + code, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def both(home: Home, *args: str, cold: bool) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """(quick path, full command line) of `reflect ARGS`, each from an index as `cold` says."""
    results = []
    for code in (QUICK, FULL):
        if cold:
            shutil.rmtree(home.cache_dir, ignore_errors=True)
        results.append(reflect(code, home, *args))
    return results[0], results[1]


QUERIES = ["tea", "lighthouse", "café", "ecole", "中文", "nothing-here-at-all", "TEA", "a"]


@pytest.mark.slow  # two processes: test_a_search_in_one_process_... is the fast tier's
def test_a_piped_search_of_days_plain_text_and_rich_draw_says_the_same(
    demo: Home, run: Run
) -> None:
    journal(demo, run)
    quick, full = both(demo, "search", "tea", cold=True)
    assert quick == full
    assert quick[0] == 0 and "2025-06-03" in quick[1] and "skipped" in quick[2], quick


def test_a_search_in_one_process_of_days_plain_text_and_rich_draw_says_the_same(
    demo: Home, run: Run
) -> None:
    journal(demo, run)
    quick, full = search_in_process(demo, run, "tea")
    assert quick == full
    assert quick[0] == 0 and "2025-06-03" in quick[1] and "skipped" in quick[2], quick


@pytest.mark.slow
@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_a_piped_search_says_what_the_full_command_line_says(
    demo: Home, run: Run, cold: bool
) -> None:
    journal(demo, run)
    if not cold:
        assert run(["history", "demo/mood"]).exit_code == 0  # fills the index
    for query in QUERIES:
        quick, full = both(demo, "search", query, cold=cold)
        assert quick == full, query


@pytest.mark.slow
def test_what_the_quick_path_leaves_to_the_full_command_line_is_answered_the_same(
    demo: Home, run: Run
) -> None:
    journal(demo, run)
    for args in (["search", ""], ["search", "-e", "te+a"], ["search", "tea", "--json"],
                 ["search", "--help"], ["search"], ["search", "tea", "coffee"],
                 ["search", "!!!"], ["search", "--", "-tea"]):  # fmt: skip
        quick, full = both(demo, *args, cold=True)
        assert quick == full, args


@pytest.mark.slow
def test_a_piped_search_loads_neither_typer_nor_rich(demo: Home, run: Run) -> None:
    journal(demo, run)
    shutil.rmtree(demo.cache_dir, ignore_errors=True)
    code, out, err = reflect(QUICK, demo, "search", "lighthouse", prefix=LOADED)
    assert code == 0 and "lighthouse" in out, err
    loaded = err.rsplit("LOADED ", 1)[1].split()
    assert "reflect.quick_search" in loaded
    assert [m for m in loaded if m.split(".")[0] in ("typer", "click", "rich")] == []
    assert "reflect.cli" not in loaded
    assert "skipped" in err  # the refused files are named without the full command line


@pytest.mark.slow
def test_a_piped_search_of_a_day_only_rich_draws_loads_rich(demo: Home, run: Run) -> None:
    """A day only Rich can draw (text in another script) loads Rich for that day, as before,
    after a search that drew none."""
    journal(demo, run)
    shutil.rmtree(demo.cache_dir, ignore_errors=True)
    assert reflect(QUICK, demo, "search", "lighthouse")[0] == 0
    code, out, err = reflect(QUICK, demo, "search", "中文", prefix=LOADED)
    assert code == 0 and "中文" in out, err
    assert "rich" in err.rsplit("LOADED ", 1)[1].split()


@pytest.mark.slow
def test_an_unreadable_encryption_toml_or_home_option_goes_to_the_full_command_line(
    demo: Home, run: Run
) -> None:
    journal(demo, run)
    code, _, err = reflect(QUICK, demo, "--home", str(demo.root), "search", "tea", prefix=LOADED)
    assert code == 0 and "typer" in err.rsplit("LOADED ", 1)[1], err
    (demo.root / "encryption.toml").write_text("not = [toml\n", encoding="utf-8")
    quick, full = both(demo, "search", "tea", cold=True)
    assert quick == full
    code, _, err = reflect(QUICK, demo, "search", "tea", prefix=LOADED)
    assert "typer" in err.rsplit("LOADED ", 1)[1], err


WORDS = ["tea", "garden", "lighthouse", "café", "Straße", "e-mail", "number", "3", "ü", "😀"]


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    words=st.lists(
        st.sampled_from(WORDS) | st.text(alphabet="aeiouteéäß .-'", min_size=1, max_size=6),
        min_size=1,
        max_size=2,
    ),
    cold=st.booleans(),
)
def test_any_piped_search_says_what_the_full_command_line_says(
    demo: Home, run: Run, words: list[str], cold: bool
) -> None:
    if not (demo.entries_dir / "2025").exists():
        journal(demo, run)
    query = " ".join(words)
    quick, full = both(demo, "search", query, cold=cold)
    assert quick == full, query


# The cold scan of every year folder, in two processes, as on a large journal.
EVERY_FOLDER = "import reflect.lookback.scan as s; s.COLD_MIN = 0; s.TWO_MIN = 0;"


def encrypted(home: Home, run: Run, tmp_path: Path, phrase: str | None = None) -> None:
    """The journal of `journal`, encrypted to an identity file, or with a passphrase."""
    journal(home, run)
    if phrase is None:
        result = run(["encrypt", "--identity", str(make_identity(tmp_path))])
    else:
        result = run(["encrypt"], env={"REFLECT_PASSPHRASE": phrase})
    assert result.exit_code == 0, result.output
    crypt.begin_command(None)


def loaded(err: str) -> list[str]:
    return err.rsplit("LOADED ", 1)[1].split()


ENCRYPTED_QUERIES = ("tea", "中文", "nothing-here-at-all")


# Each query is two processes per scan, and a third that lists the modules: the fast tier
# asks the cold journal in this process (the next test), the full run all in both scans.
@pytest.mark.parametrize(
    ("cold", "queries", "prefixes"),
    [
        pytest.param(
            True, ENCRYPTED_QUERIES[:1], ("",), id="cold-tea-one-process", marks=pytest.mark.slow
        ),
        pytest.param(
            True, ENCRYPTED_QUERIES[:1], (EVERY_FOLDER,), id="cold-tea-two", marks=pytest.mark.slow
        ),
        pytest.param(
            True, ENCRYPTED_QUERIES[1:], ("", EVERY_FOLDER), id="cold", marks=pytest.mark.slow
        ),
        pytest.param(
            False, ENCRYPTED_QUERIES, ("", EVERY_FOLDER), id="warm", marks=pytest.mark.slow
        ),
    ],
)
def test_an_encrypted_journal_opened_by_its_identity_file_is_searched_without_typer(
    demo: Home,
    run: Run,
    tmp_path: Path,
    cold: bool,
    queries: tuple[str, ...],
    prefixes: tuple[str, ...],
) -> None:
    encrypted(demo, run, tmp_path)
    if not cold:
        assert run(["history", "demo/mood"]).exit_code == 0  # fills the encrypted index
        crypt.begin_command(None)
    for query in queries:
        for prefix in prefixes:
            results = []
            for code in (QUICK, FULL):
                if cold:
                    shutil.rmtree(demo.cache_dir, ignore_errors=True)
                results.append(reflect(code, demo, "search", query, prefix=prefix))
            assert results[0] == results[1], (query, prefix)
            if query == "nothing-here-at-all":
                assert results[0][0] == 0 and "No matches" in results[0][1]
    code, out, err = reflect(QUICK, demo, "search", "tea", prefix=LOADED)
    assert code == 0 and "2025-06-03" in out and "skipped" in err, err
    assert "reflect.quick_search" in loaded(err)
    assert [m for m in loaded(err) if m.split(".")[0] in ("typer", "click")] == []


@pytest.mark.slow
def test_an_encrypted_journal_opened_by_its_identity_file_is_searched_in_one_process(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    encrypted(demo, run, tmp_path)
    for query in ENCRYPTED_QUERIES:
        quick, full = search_in_process(demo, run, query)
        assert quick == full, query
    assert quick[0] == 0 and "No matches" in quick[1]
    quick, full = search_in_process(demo, run, "tea")
    assert quick == full
    assert quick[0] == 0 and "2025-06-03" in quick[1] and "skipped" in quick[2], quick


BENT_KEYS = ["identity gone", "key.age gone", "key.age garbage"]


def bend_key(home: Home, tmp_path: Path, bent: str) -> None:
    if bent == "identity gone":
        (tmp_path / "me.key").unlink()
    elif bent == "key.age gone":
        crypt.key_path(home.root).unlink()
    else:
        crypt.key_path(home.root).write_bytes(b"age-encryption.org/v1\n-> X25519 x\n")


# Two processes each: the fast tier asks each in this process (the next test).
@pytest.mark.slow
@pytest.mark.parametrize("bent", BENT_KEYS)
def test_an_encrypted_journal_whose_key_cannot_be_had_says_what_the_full_command_says(
    demo: Home, run: Run, tmp_path: Path, bent: str
) -> None:
    encrypted(demo, run, tmp_path)
    bend_key(demo, tmp_path, bent)
    quick, full = both(demo, "search", "tea", cold=True)
    assert quick == full
    assert quick[0] == 1 and quick[1] == "" and quick[2].count("\n") == 1, quick


@pytest.mark.parametrize("bent", BENT_KEYS)
def test_a_key_that_cannot_be_had_is_said_in_one_process_as_the_full_command_says(
    demo: Home, run: Run, tmp_path: Path, bent: str
) -> None:
    encrypted(demo, run, tmp_path)
    bend_key(demo, tmp_path, bent)
    quick, full = search_in_process(demo, run, "tea")
    assert quick == full
    assert quick[0] == 1 and quick[1] == "" and quick[2].count("\n") == 1, quick


@pytest.mark.slow  # each command opens key.age with scrypt, as age writes it: a second or so
def test_a_passphrase_journal_is_searched_quickly_only_when_no_one_is_asked(
    demo: Home, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted(demo, run, tmp_path, phrase="correct horse battery")
    # No key anywhere: the full command line says so (and would ask at a terminal).
    quick, full = both(demo, "search", "tea", cold=True)
    assert quick == full and quick[0] == 1 and "encrypted" in quick[2], quick
    code, _, err = reflect(QUICK, demo, "search", "tea", prefix=LOADED)
    assert code == 1 and "typer" in loaded(err), err
    # From the environment: right, then wrong.
    for phrase, status in (("correct horse battery", 0), ("wrong horse", 1)):
        monkeypatch.setenv("REFLECT_PASSPHRASE", phrase)
        quick, full = both(demo, "search", "tea", cold=True)
        assert quick == full and quick[0] == status, quick
    code, _, err = reflect(QUICK, demo, "search", "tea", prefix=LOADED)
    assert code == 1 and "typer" in loaded(err), err  # its error line is said by cli/common.py
    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    code, _, err = reflect(QUICK, demo, "search", "tea", prefix=LOADED)
    assert code == 0 and "typer" not in loaded(err), err
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    # From passphrase_command, which runs once per search.
    calls = tmp_path / "calls"
    script = tmp_path / "pass.sh"
    script.write_text(f"#!/bin/sh\necho x >> '{calls}'\necho 'correct horse battery'\n")
    script.chmod(0o755)
    config = demo.config_path
    config.write_text(
        config.read_text(encoding="utf-8") + f'passphrase_command = "{script}"\n', encoding="utf-8"
    )
    quick, full = both(demo, "search", "tea", cold=True)
    assert quick == full and quick[0] == 0 and "2025-06-03" in quick[1], quick
    assert calls.read_text(encoding="utf-8") == "x\nx\n"
    code, _, err = reflect(QUICK, demo, "search", "tea", prefix=LOADED)
    assert code == 0 and "typer" not in loaded(err), err


# `reflect encrypt` run in another terminal just before the search writes its index back.
ENCRYPTED_MEANWHILE = (
    "import os, subprocess, sys\n"
    "import reflect.journal.index as index\n"
    "def close(home, db, before=index.close_index):\n"
    "    env = {**os.environ, 'REFLECT_PASSPHRASE': 'correct horse battery'}\n"
    "    subprocess.run([sys.executable, '-c', " + repr(FULL) + ", 'encrypt'], env=env,\n"
    "                   stdin=subprocess.DEVNULL, capture_output=True, check=True)\n"
    "    before(home, db)\n"
    "index.close_index = close\n"
)


@pytest.mark.slow  # `reflect encrypt` with age's scrypt work, twice
def test_a_journal_encrypted_while_it_is_searched_ends_as_the_full_command_ends(
    demo: Home, run: Run
) -> None:
    """Before, the quick path handed over to the full command line after writing every
    result: exit 1 and an error line where the full command says nothing and exits 0, and
    at a terminal the passphrase asked for and every result written a second time."""
    journal(demo, run)
    results = []
    for code in (QUICK, FULL):
        for path in demo.root.iterdir():
            if path.name in ("encryption.toml", "key.age", ".cache"):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        crypt.begin_command(None)
        shutil.rmtree(demo.entries_dir)
        journal(demo, run)
        results.append(reflect(code, demo, "search", "tea", prefix=ENCRYPTED_MEANWHILE))
        assert (demo.root / "encryption.toml").exists()
    assert results[0] == results[1]
    assert results[0][0] == 0 and results[0][1].count("2025-06-03") == 1, results[0]


# Printed to the real stderr at exit: which of the models and heavy libraries the run loaded.
MODELS = (
    "import atexit, sys; atexit.register(lambda: sys.__stderr__.write("
    "'MODELS ' + ' '.join(sorted(m for m in sys.modules if m in "
    "('pydantic', 'yaml', 'typer', 'rich', 'reflect.model.front', 'reflect.model.pack', "
    "'reflect.journal.config'))) + '\\n'));"
    "import reflect.lookback.scan as scan; scan.COLD_MIN = 0;"
)


# A day as `reflect today` writes it, answering a built-in pack.
DAILY = """---
date: 2025-06-03
format: 2
daily/mood: 4
given:
  daily/mood: 1.0.0 2025-06-03T09:00:00+02:00
  daily/gratitude: 1.0.0 2025-06-03T09:01:00+02:00
---

## Write one line of gratitude: what are you glad of today?
<!-- reflect: daily/gratitude -->

A quiet morning by the lighthouse.
"""


def test_a_cold_search_of_plain_days_loads_no_model(home: Home) -> None:
    """pydantic and the models are a tenth of a cold search's time: the files reflect writes,
    read as text, and the built-in packs as shipped need neither."""
    write(home, "2025-06-03", DAILY)
    write(home, "2025-06-04", "---\ndate: 2025-06-04\n---\n\nThe lighthouse again, and tea.\n")
    code, out, err = reflect(QUICK, home, "search", "lighthouse", prefix=MODELS)
    assert code == 0, err
    assert "2025-06-03" in out and "2025-06-04" in out
    assert "MODELS \n" in err, err
    # A day only the reader reads loads the model of its front matter, and still matches.
    write(home, "2025-06-05", "---\ndate: 2025-06-05\nmood: [x, y]\n---\n\nA lighthouse.\n")
    code, out, err = reflect(QUICK, home, "search", "lighthouse", prefix=MODELS)
    assert code == 0, err
    assert "2025-06-05" in out
    assert "MODELS pydantic reflect.model.front reflect.model.pack" in err, err
