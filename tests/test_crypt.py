"""An encrypted journal: every command works the same, age reads every file, nothing leaks."""

import contextlib
import datetime as dt
import errno
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

import reflect.daily.edit_entry as edit_module
import reflect.lookback.scan as scan
from reflect.daily.session import add_note
from reflect.journal import crypt
from reflect.journal.home import Home
from reflect.journal.store import entry_path

from .conftest import DATA, Build, Run, answer, d, search_in_process

SECRET = "zebraquartz"  # planted in answers, prose, notes and tags; must reach no file in clear


def make_identity(folder: Path) -> Path:
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    path = folder / "me.key"
    path.write_text(f"# public key: {identity.to_public()}\n{identity}\n", encoding="utf-8")
    return path


@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The system temp folder, pointed at one this test can search whole."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def secret_days(home: Home) -> None:
    """Two weeks of answers with the secret in every kind of place a person writes."""
    answer(home, "2026-11-09", "mood=2", "threatened=y", "share=50", "where=meeting", "hours=6")
    answer(home, "2026-11-09", f"gratitude=Tea with {SECRET}")
    answer(home, "2026-11-11", "mood=3", "threatened=n", "share=60", "where=chat")
    answer(home, "2026-11-16", "mood=5", "threatened=n", "share=80", "where=meeting", "hours=7.5")
    add_note(home, d("2026-11-17"), f"Planning with {SECRET} went well.", ["team", SECRET])
    add_note(home, d("2026-11-19"), "Launch day.", ["team", "launch"])


@pytest.fixture
def secret_journal(demo: Home, built_once: Callable[[Build], Home]) -> Home:
    """The demo journal with `secret_days` written."""
    return built_once(secret_days)


@pytest.fixture
def identity(tmp_path: Path) -> Path:
    keys = tmp_path / "keys"
    keys.mkdir()
    return make_identity(keys)


def encrypt(run: Run, identity: Path) -> None:
    result = run(["encrypt", "--identity", str(identity)])
    assert result.exit_code == 0, result.output
    crypt.begin_command(None)


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def leaks(*folders: Path) -> list[str]:
    found = []
    for folder in folders:
        for name, data in files_under(folder).items():
            if SECRET.encode() in data:
                found.append(f"{folder}/{name}")
    return found


READ_COMMANDS = [
    ["show", "2026-11-17"],
    ["show", "2026-11-17", "--json"],
    ["log"],
    ["log", "--json"],
    ["log", "--pack", "demo", "--where", "demo/mood>=1"],
    ["search", SECRET],
    ["search", SECRET, "--json"],
    ["history", "demo/mood"],
    ["trends", "--since", "2026-11-01", "--until", "2026-11-30"],
    ["trends", "--since", "2026-11-01", "--until", "2026-11-30", "--json"],
    ["calendar", "--year", "2026"],
    ["export", "--week", "2026-W47", "--format", "json"],
    ["export", "--week", "2026-W47", "--format", "md"],
    ["show", "--on-this-day", "2027-11-17"],
]


def outputs(run: Run) -> list[tuple[int, str, str]]:
    seen = []
    for args in READ_COMMANDS:
        result = run(args)
        crypt.begin_command(None)
        # Paths name the file as it is: the same day, with `.age` when encrypted.
        seen.append(
            (
                result.exit_code,
                result.stdout.replace(".md.age", ".md"),
                result.stderr.replace(".md.age", ".md"),
            )
        )
    return seen


def cold_searches(
    home: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[int, str, str]]:
    """Searches with no index, their year folders read by two processes (`scan.in_two`)."""
    forks: list[int] = []
    in_two = scan.in_two

    def counted(jobs: list[object], *rest: object) -> object:
        forks.append(len(jobs))
        return in_two(jobs, *rest)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(scan, "in_two", counted)
        patch.setattr(scan, "COLD_MIN", 0)
        patch.setattr(scan, "TWO_MIN", 0)
        seen = []
        for args in (["search", SECRET], ["search", "team"]):
            shutil.rmtree(home.cache_dir, ignore_errors=True)
            result = run(args)
            crypt.begin_command(None)
            seen.append((result.exit_code, result.stdout, result.stderr))
    assert forks == [2, 2], "each search read its two year folders in two processes"
    return seen


@pytest.mark.slow
def test_every_command_gives_the_same_output_encrypted(
    secret_journal: Home,
    run: Run,
    identity: Path,
    private_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # so a longer path wraps no line
    add_note(secret_journal, d("2025-05-01"), f"Walked with {SECRET}.", ["team"])
    plain = outputs(run)
    assert all(code == 0 for code, _, _ in plain), plain
    cold = cold_searches(secret_journal, run, monkeypatch)
    encrypt(run, identity)
    for path in secret_journal.entries_dir.rglob("*.age"):
        os.utime(path, ns=(0, 0))  # settled files, so the cache keeps them
    assert cold_searches(secret_journal, run, monkeypatch) == cold
    assert outputs(run) == plain
    assert outputs(run) == plain  # a second time, from the encrypted cache
    # The index is kept encrypted, never as a plain database.
    assert not (secret_journal.cache_dir / "index.sqlite3").exists()
    assert (secret_journal.cache_dir / "index.sqlite3.age").exists()
    assert leaks(secret_journal.root, private_temp) == []


def test_plain_to_encrypted_to_plain_is_byte_identical(
    secret_journal: Home, run: Run, identity: Path
) -> None:
    before = files_under(secret_journal.entries_dir)
    encrypt(run, identity)
    during = files_under(secret_journal.entries_dir)
    assert sorted(during) == sorted(f"{name}.age" for name in before)
    assert leaks(secret_journal.root) == []
    result = run(["decrypt"])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout == f"Decrypted 5 file(s) in {secret_journal.root}; it is plain text again.\n"
    )
    assert files_under(secret_journal.entries_dir) == before
    assert not (secret_journal.root / crypt.MARKER).exists()
    assert not crypt.key_path(secret_journal.root).exists()


def test_the_age_tool_reads_every_entry_as_reflect_wrote_it(
    secret_journal: Home, run: Run, identity: Path, tmp_path: Path
) -> None:
    age = shutil.which("age")
    assert age, "the age tool is needed: apt-get install age"
    before = files_under(secret_journal.entries_dir)
    encrypt(run, identity)
    journal_key = tmp_path / "journal.key"
    subprocess.run(
        [
            age,
            "-d",
            "-i",
            str(identity),
            "-o",
            str(journal_key),
            str(secret_journal.root / "key.age"),
        ],
        check=True,
    )
    for name, text in before.items():
        read = subprocess.run(
            [age, "-d", "-i", str(journal_key), str(secret_journal.entries_dir / f"{name}.age")],
            capture_output=True,
            check=True,
        )
        assert read.stdout == text


def test_writing_to_an_encrypted_journal(
    secret_journal: Home,
    run: Run,
    identity: Path,
    tmp_path: Path,
    private_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encrypt(run, identity)
    result = run(["write", "--date", "2026-11-20", "--tag", SECRET], input=f"More {SECRET}\n")
    assert result.exit_code == 0, result.output
    path = entry_path(secret_journal, dt.date(2026, 11, 20))
    assert path.name == "2026-11-20.md.age"
    assert result.stderr == f"Note saved in {path}\n"
    result = run(["today", "--date", "2026-11-21", "--no-input", "-a", f"gratitude={SECRET}"])
    assert result.exit_code == 0, result.output
    # An editor that writes then fails, and one that succeeds.
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\nprintf '{SECRET} edit\\n' >> \"$1\"\nexit 3\n", encoding="utf-8")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    result = run(["edit", "2026-11-19"])
    assert result.exit_code == 1
    assert result.stderr.startswith("reflect: the editor exited with status 3")
    editor.write_text(f"#!/bin/sh\nprintf '{SECRET} edit\\n' >> \"$1\"\n", encoding="utf-8")
    result = run(["edit", "2026-11-19"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Saved {entry_path(secret_journal, d('2026-11-19'))}\n"
    # Text that does not read, set aside: encrypted beside the entry.
    editor.write_text("#!/bin/sh\nprintf -- '---\\nbroken: [\\n' > \"$1\"\n", encoding="utf-8")
    result = run(["edit", "2026-11-19"], input="n\n")
    assert result.exit_code == 1
    kept = list(entry_path(secret_journal, d("2026-11-19")).parent.glob("*.rejected-*"))
    # One from the editor that failed after saving, one from the text that did not read.
    assert [p.name.endswith(".md.age") for p in kept] == [True, True]
    # A coach's summary, written in plain text only to the file asked for, then a report on it.
    shared = tmp_path / "shared.json"
    args = ["export", "--week", "2026-W47", "--share", "--pack", "demo", "--format", "json"]
    assert run([*args, "-o", str(shared)]).exit_code == 0
    report = run(["report", str(shared), "--format", "json"])
    assert report.exit_code == 0, report.output
    # Importing into an encrypted journal.
    result = run(["import", "jrnl", str(DATA / "jrnl-export.json")])
    assert result.exit_code == 0, result.output
    show = run(["show", "2026-11-19"])
    assert f"{SECRET} edit" in show.stdout
    assert list(secret_journal.entries_dir.rglob("*.md")) == []
    assert leaks(secret_journal.root, private_temp) == []


def test_a_full_disk_keeps_an_encrypted_draft(
    secret_journal: Home,
    run: Run,
    identity: Path,
    private_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encrypt(run, identity)
    real_replace = os.replace

    def full(src: str, dst: str) -> None:
        if "entries" in str(dst):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full)
    result = run(["write", "--date", "2026-11-22"], input=f"Lost? {SECRET}\n")
    assert result.exit_code == 1
    assert "the disk is full" in result.stderr and ".json.age" in result.stderr
    monkeypatch.setattr(os, "replace", real_replace)
    assert leaks(secret_journal.root, private_temp) == []
    crypt.begin_command(None)
    result = run(["doctor"])
    assert "unsaved answers: 0 answer(s) and 1 piece(s) of writing for 2026-11-22" in result.stdout
    result = run(["today", "--date", "2026-11-22"], input="y\n\n\n\n\n\n\n")
    assert "Restored into" in result.stdout
    assert SECRET in run(["show", "2026-11-22"]).stdout
    assert leaks(secret_journal.root, private_temp) == []


def test_without_a_key_scripts_fail_in_one_line_and_prompt_still_works(
    secret_journal: Home, run: Run, identity: Path, tmp_path: Path
) -> None:
    encrypt(run, identity)
    assert run(["today", "--no-input", "-a", "mood=3"]).exit_code == 0
    identity.rename(tmp_path / "elsewhere.key")
    before = files_under(secret_journal.root)
    result = run(["today", "--no-input", "-a", "mood=3"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("reflect: the identity file ")
    # The answer given is kept in a draft encrypted to the journal's key; nothing else changed.
    (draft,) = (secret_journal.root / ".recovery").glob("*.json.age")
    assert f"what you typed is kept, encrypted to the journal's key, in {draft}" in result.stderr
    draft.unlink()
    assert files_under(secret_journal.root) == before
    result = run(["prompt", "--date", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("demo: ")
    result = run([])
    assert result.exit_code == 0, result.output
    assert "the journal is encrypted and locked" in result.stdout


def test_a_passphrase_from_the_environment_or_a_command(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    result = run(["encrypt"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Encrypted 5 file(s) in {secret_journal.root}.\n"
    monkeypatch.setenv("REFLECT_PASSPHRASE", "wrong horse")
    result = run(["log"])
    assert result.exit_code == 1
    assert result.stderr == f"reflect: the passphrase does not open {secret_journal.root}/key.age\n"
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    script = tmp_path / "pass.sh"
    # Password managers print the passphrase first, then metadata: only the first line counts.
    script.write_text(
        "#!/bin/sh\necho 'correct horse battery'\necho 'login: me'\n", encoding="utf-8"
    )
    script.chmod(0o755)
    config = secret_journal.config_path
    config.write_text(
        config.read_text(encoding="utf-8") + f'passphrase_command = "{script}"\n', encoding="utf-8"
    )
    result = run(["search", SECRET])
    assert result.exit_code == 0, result.output
    assert SECRET in result.stdout
    result = run(["status", "--json"])
    assert json.loads(result.stdout) == {
        "format": 1,
        "home": str(secret_journal.root),
        "encryption": "encrypted",
        "protected_by": "a passphrase",
        "unlocks_without_asking": [f"passphrase_command '{script}'"],
        "unfinished_rotation": None,
    }


def test_an_identity_given_by_a_relative_path_opens_the_journal_from_any_folder(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(identity.parent)
    result = run(["encrypt", "--identity", identity.name])
    assert result.exit_code == 0, result.output
    state = crypt.read_state(secret_journal.root)
    assert state is not None and state.identity == str(identity)
    monkeypatch.chdir(tmp_path)
    crypt.begin_command(None)
    result = run(["show", "2026-11-17"])
    assert result.exit_code == 0, result.output
    second = make_identity(tmp_path)
    monkeypatch.chdir(second.parent.parent)
    crypt.begin_command(None)
    result = run(["encrypt", "--rotate", "--identity", str(second.relative_to(Path.cwd()))])
    assert result.exit_code == 0, result.output
    state = crypt.read_state(secret_journal.root)
    assert state is not None and state.identity == str(second)


def stopped_rotation(home: Home, run: Run, old: Path, new: Path, *, key_rewritten: bool) -> None:
    """What `reflect encrypt --rotate --identity NEW` leaves when stopped on either side of key.age."""
    if key_rewritten:
        result = run(["encrypt", "--rotate", "--identity", str(new)])
        assert result.exit_code == 0, result.output
        crypt.begin_command(None)
    state = crypt.read_state(home.root)
    assert state is not None
    update = {"identity": str(new), "previous_identity": str(old)}
    crypt.write_state(home.root, state.model_copy(update=update))


@pytest.mark.parametrize("key_rewritten", [False, True])
def test_a_stopped_identity_rotation_is_named_and_finished_by_running_it_again(
    secret_journal: Home, run: Run, identity: Path, tmp_path: Path, key_rewritten: bool
) -> None:
    encrypt(run, identity)
    second = make_identity(tmp_path)
    stopped_rotation(secret_journal, run, identity, second, key_rewritten=key_rewritten)
    opener = second if key_rewritten else identity
    status = run(["status"]).stdout
    assert f"Key: key.age, protected by the identity file {opener}\n" in status
    assert f"run `reflect encrypt --rotate --identity {second}` to finish" in status
    data = json.loads(run(["status", "--json"]).stdout)
    assert data["protected_by"] == f"the identity file {opener}"
    assert data["unfinished_rotation"].endswith(f"--identity {second}` to finish")
    doctor = run(["doctor"]).stdout
    assert f"warning: {secret_journal.root / 'encryption.toml'}: a change to the identity" in doctor
    assert f"reflect encrypt --rotate --identity {second}" in doctor
    crypt.begin_command(None)
    result = run(["encrypt", "--rotate", "--identity", str(second)])
    assert result.exit_code == 0, result.output
    state = crypt.read_state(secret_journal.root)
    assert state is not None and (state.identity, state.previous_identity) == (str(second), None)
    crypt.begin_command(None)
    status = run(["status"]).stdout
    assert "Rotation" not in status and f"the identity file {second}\n" in status
    identity.unlink()
    crypt.begin_command(None)
    assert run(["show", "2026-11-17"]).exit_code == 0


def test_status_names_the_key_variable_and_an_identity_it_cannot_read(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypt(run, identity)
    key = crypt.unlock(secret_journal.root)
    assert key is not None
    identity.rename(identity.with_name("moved.key"))
    status = run(["status"]).stdout
    assert (
        f"Key: key.age, protected by the identity file {identity}, which cannot be read "
        "(No such file or directory)\n"
    ) in status
    crypt.begin_command(None)
    result = run(["show", "2026-11-17"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reflect: the identity file {identity} cannot be read (No such file or directory)\n"
    )
    monkeypatch.setenv(crypt.KEY_ENV, key.secret)
    status = run(["status"]).stdout
    assert "Unlocked without asking by: the REFLECT_JOURNAL_KEY variable" in status


def test_rotating_the_key_loses_nothing(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    encrypt(run, identity)
    before = run(["log", "--json"]).stdout
    entries = files_under(secret_journal.entries_dir)
    monkeypatch.setenv("REFLECT_NEW_PASSPHRASE", "a new passphrase")
    result = run(["encrypt", "--rotate"])
    assert result.exit_code == 0, result.output
    monkeypatch.delenv("REFLECT_NEW_PASSPHRASE")
    assert files_under(secret_journal.entries_dir) == entries  # only key.age changed
    assert run(["log"]).exit_code == 1  # the identity no longer opens it
    monkeypatch.setenv("REFLECT_PASSPHRASE", "a new passphrase")
    assert run(["log", "--json"]).stdout == before
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    second = make_identity(tmp_path)
    monkeypatch.setenv("REFLECT_PASSPHRASE", "a new passphrase")
    result = run(["encrypt", "--rotate", "--identity", str(second)])
    assert result.exit_code == 0, result.output
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    assert run(["log", "--json"]).stdout == before
    assert (
        run(["status"]).stdout.splitlines()[2]
        == f"Key: key.age, protected by the identity file {second}"
    )


KILLER = """
import os, signal, sys
calls = 0
limit = int(sys.argv[1])
real_replace, real_unlink = os.replace, os.unlink

def counted(real):
    def call(*args, **kwargs):
        global calls
        calls += 1
        if calls > limit:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call

os.replace = counted(real_replace)
os.unlink = counted(real_unlink)
from reflect.cli import main
sys.argv = ["reflect", *sys.argv[2:]]
main()
"""


def killed_at(limit: int, *args: str) -> int:
    """Run reflect, SIGKILLed just before its (limit+1)th rename or unlink; its exit status."""
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(limit), *args], capture_output=True, check=False
    )
    return done.returncode


@pytest.mark.slow
@pytest.mark.parametrize("direction", ["encrypt", "decrypt"])
def test_a_conversion_killed_at_every_step_still_reads_and_resumes(
    secret_journal: Home, run: Run, identity: Path, direction: str
) -> None:
    plain_files = files_under(secret_journal.entries_dir)
    expected = run(["log", "--json"]).stdout
    pristine = secret_journal.root.with_name("pristine")
    shutil.copytree(secret_journal.root, pristine)
    encrypt_args = ["encrypt", "--identity", str(identity)]
    if direction == "decrypt":
        encrypt(run, identity)
        shutil.rmtree(pristine)
        shutil.copytree(secret_journal.root, pristine)
    args = encrypt_args if direction == "encrypt" else ["decrypt"]
    limit = 0
    while True:
        shutil.rmtree(secret_journal.root)
        shutil.copytree(pristine, secret_journal.root)
        status = killed_at(limit, *args)
        crypt.begin_command(None)
        if status == 0:
            break
        assert status == -9
        # The journal reads, every day once, whatever step the kill hit.
        assert run(["log", "--json"]).stdout == expected, f"killed at step {limit}"
        crypt.begin_command(None)
        doctor = run(["doctor"])
        state = crypt.read_state(secret_journal.root)
        if state is not None and state.state == f"{direction}ing":
            assert f"run `reflect {direction}` to finish" in doctor.stdout
        crypt.begin_command(None)
        result = run(args)
        assert result.exit_code == 0, result.output
        crypt.begin_command(None)
        assert run(["log", "--json"]).stdout == expected
        crypt.begin_command(None)
        assert run(["doctor"]).exit_code == 0
        crypt.begin_command(None)
        if direction == "encrypt":
            assert list(secret_journal.entries_dir.rglob("*.md")) == []
            assert leaks(secret_journal.root) == []
            assert run(["decrypt"]).exit_code == 0
        assert files_under(secret_journal.entries_dir) == plain_files
        limit += 1
    assert limit > 10, "the kills covered every file's steps"


@pytest.mark.parametrize(("typed", "stopped"), [(KeyboardInterrupt, True), (EOFError, False)])
def test_ctrl_c_at_the_passphrase_prompt_is_a_ctrl_c_and_ctrl_d_no_passphrase(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, typed: type[BaseException], stopped: bool
) -> None:
    import getpass
    import importlib

    app_module = importlib.import_module("reflect.cli.app")

    def prompt(text: str) -> str:
        raise typed

    monkeypatch.setattr(getpass, "getpass", prompt)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    with pytest.raises((KeyboardInterrupt, crypt.LockedError)) as raised:
        app_module.ask_passphrase(tmp_path, None)
    assert isinstance(raised.value, KeyboardInterrupt) is stopped
    if not stopped:
        assert str(raised.value) == "stopped: no passphrase given; nothing changed"


@pytest.mark.slow
def test_ctrl_c_at_the_terminals_passphrase_prompt_is_exit_130_and_changes_nothing(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch, private_temp: Path
) -> None:
    import pexpect

    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    assert run(["encrypt"]).exit_code == 0
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    before = files_under(secret_journal.root)
    env = {**os.environ, "REFLECT_HOME": str(secret_journal.root), "NO_COLOR": "1", "TERM": "dumb"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "reflect", "log"],
        env=env,
        encoding="utf-8",
        timeout=30,
        # Started from a background job, Ctrl-C would be ignored as it is there.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.expect("Passphrase for the journal at ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in child.before
    assert "no passphrase given" not in child.before
    assert files_under(secret_journal.root) == before


@pytest.mark.slow
def test_the_terminal_asks_for_the_passphrase_before_the_first_question(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch, private_temp: Path
) -> None:
    import pexpect

    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    assert run(["encrypt"]).exit_code == 0
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    env = {**os.environ, "REFLECT_HOME": str(secret_journal.root), "NO_COLOR": "1", "TERM": "dumb"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "reflect", "today", "--date", "2026-11-26"],
        env=env,
        encoding="utf-8",
        timeout=30,
    )
    child.expect("Passphrase for the journal at ")
    assert "?" not in child.before  # no question was shown yet
    child.sendline("wrong horse")
    child.expect("that passphrase does not open this journal; try again")
    child.expect("Passphrase for the journal at ")
    child.sendline("correct horse battery")
    child.expect("> ")  # the first question
    child.sendline("4")
    child.expect("> ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    crypt.begin_command(None)
    shown = run(["show", "2026-11-26", "--json"])
    assert json.loads(shown.stdout)["answers"] == {"demo": {"mood": 4}}
    assert leaks(secret_journal.root, private_temp) == []


def test_the_keyring_unlocks_only_when_asked_for_and_status_says_so(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    store: dict[tuple[str, str], str] = {}
    fake = types.ModuleType("keyring")
    fake.get_password = lambda service, user: store.get((service, user))  # type: ignore[attr-defined]
    fake.set_password = lambda service, user, value: store.__setitem__((service, user), value)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    assert run(["encrypt"]).exit_code == 0
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    store[("reflect", os.path.realpath(secret_journal.root))] = "correct horse battery"
    assert run(["log"]).exit_code == 1  # in the keyring, but not opted in: not used
    config = secret_journal.config_path
    config.write_text(config.read_text(encoding="utf-8") + "keyring = true\n", encoding="utf-8")
    result = run(["log"])
    assert result.exit_code == 0, result.output
    status = run(["status"])
    assert status.stdout.splitlines()[-1] == (
        "Unlocked without asking by: the OS keyring (keyring = true): "
        "anyone logged in as you can read the journal"
    )


def test_a_keyring_that_cannot_be_read_is_one_error_line_not_a_traceback(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    def no_backend(service: str, user: str) -> str:
        raise RuntimeError("No recommended backend was available.")

    fake = types.ModuleType("keyring")
    fake.get_password = no_backend  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    assert run(["encrypt"]).exit_code == 0
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    config = secret_journal.config_path
    config.write_text(config.read_text(encoding="utf-8") + "keyring = true\n", encoding="utf-8")
    crypt.begin_command(None)
    result = run(["log"])
    assert result.exit_code == 1 and not isinstance(result.exception, RuntimeError), result.output
    assert result.stdout == ""
    assert result.stderr == (
        "reflect: config.toml asks for the OS keyring, but it cannot be read "
        "(No recommended backend was available.)\n"
    )


@pytest.mark.slow
def test_a_write_killed_at_each_step_leaves_no_plain_text(
    secret_journal: Home, run: Run, identity: Path, private_temp: Path
) -> None:
    encrypt(run, identity)
    before = run(["log", "--json"]).stdout
    crypt.begin_command(None)
    for limit in range(3):
        done = subprocess.run(
            [sys.executable, "-c", KILLER, str(limit), "write", "--date", "2026-11-19"],
            input=f"Killed? {SECRET}\n".encode(),
            capture_output=True,
            check=False,
        )
        crypt.begin_command(None)
        after = run(["log", "--json"])
        assert after.exit_code == 0, after.output
        if done.returncode == 0:
            break
        assert done.returncode == -9
        assert after.stdout == before  # the killed write changed nothing
        assert leaks(secret_journal.root, private_temp) == []
    assert leaks(secret_journal.root, private_temp) == []


def test_editors_are_told_to_keep_no_copies_of_an_encrypted_journal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reflect.daily.external_editor import editor_command

    monkeypatch.setenv("EDITOR", "vim -p")
    assert editor_command(None) == ["vim", "-p"]
    assert editor_command(None, private=True) == [
        "vim",
        "-n",
        "-i",
        "NONE",
        "-c",
        "set nobackup nowritebackup noundofile",
        "-p",
    ]
    monkeypatch.setenv("EDITOR", "/usr/bin/emacs")
    assert editor_command(None, private=True)[1] == "--eval"
    monkeypatch.setenv("EDITOR", "nano")
    assert editor_command(None, private=True) == ["nano"]


def git_objects(root: Path) -> bytes:
    """Every object in a journal's git repository, uncompressed."""
    names = subprocess.run(
        ["git", "-C", str(root), "rev-list", "--all", "--objects"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    ids = "".join(line.split(" ", 1)[0] + "\n" for line in names.splitlines())
    return subprocess.run(
        ["git", "-C", str(root), "cat-file", "--batch"],
        input=ids.encode(),
        capture_output=True,
        check=True,
    ).stdout


@pytest.mark.slow
def test_sync_merges_an_encrypted_day_and_git_holds_no_plain_text(
    run: Run, tmp_path: Path, identity: Path
) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    a, b = {"REFLECT_HOME": str(tmp_path / "laptop")}, {"REFLECT_HOME": str(tmp_path / "desktop")}
    note = ["write", "--date", "2026-11-26"]
    assert run(note, input=f"first {SECRET}\n", env=a).exit_code == 0
    assert run(["encrypt", "--identity", str(identity)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    joined = run(["sync", "--init", str(remote)], env=b)
    assert joined.exit_code == 0, joined.output
    assert run(note, input=f"laptop {SECRET}\n", env=a).exit_code == 0
    assert run(note, input=f"desktop {SECRET}\n", env=b).exit_code == 0
    assert run(["sync"], env=b).exit_code == 0
    merged = run(["sync"], env=a)
    assert merged.exit_code == 0, merged.output
    assert "Brought in 1 day(s) from the other machines: 2026-11-26" in merged.stderr
    assert run(["sync"], env=b).exit_code == 0
    for env in (a, b):
        shown = run(["show", "2026-11-26"], env=env).stdout
        assert f"laptop {SECRET}" in shown and f"desktop {SECRET}" in shown
    for home in (tmp_path / "laptop", tmp_path / "desktop"):
        assert leaks(home) == []
        assert SECRET.encode() not in git_objects(home)


def test_doctor_on_a_bent_or_keyless_encrypted_journal_says_what_is_wrong(
    secret_journal: Home, run: Run, identity: Path
) -> None:
    encrypt(run, identity)
    marker = secret_journal.root / crypt.MARKER
    good = marker.read_text(encoding="utf-8")
    marker.write_text(good + "bogus = 1\n", encoding="utf-8")
    result = run(["doctor"])
    assert result.exit_code == 1
    assert f"problem: {marker}: bogus: unknown key" in result.stdout
    assert "; entries and drafts not checked; restore encryption.toml" in result.stdout
    result = run(["log"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"reflect: {marker}: bogus: unknown key")
    assert result.stderr.count("\n") == 1
    marker.write_text(good, encoding="utf-8")
    crypt.key_path(secret_journal.root).unlink()
    result = run(["doctor"])
    assert result.exit_code == 1
    assert "the journal is encrypted but its key (key.age) is missing" in result.stdout


def test_text_kept_after_a_bad_input_is_encrypted_too(
    secret_journal: Home, run: Run, identity: Path, private_temp: Path
) -> None:
    encrypt(run, identity)
    result = run(["write", "--date", "2026-11-23"], input=f"caf\xe9 {SECRET}\n".encode("latin-1"))
    assert result.exit_code == 1
    assert "the input is not UTF-8 text" in result.stderr
    kept = sorted((secret_journal.root / ".recovery").glob("*"))
    assert [p.name.endswith(".txt.age") for p in kept] == [True]
    assert crypt.read_file(kept[0]) == f"caf\xe9 {SECRET}\n".encode("latin-1")
    assert leaks(secret_journal.root, private_temp) == []
    # Decrypting the journal gives the kept text back in plain, byte for byte.
    crypt.begin_command(None)
    assert run(["decrypt"]).exit_code == 0
    assert kept[0].with_name(kept[0].name.removesuffix(".age")).read_bytes() == (
        f"caf\xe9 {SECRET}\n".encode("latin-1")
    )


def test_encrypting_keeps_a_plain_edit_copy_a_killed_edit_left_encrypted(
    secret_journal: Home, run: Run, identity: Path
) -> None:
    # A loose copy, as a reflect before copies had folders of their own left it.
    copy = secret_journal.root / ".reflect-edit-2026-11-17-abc.md"
    copy.write_text(f"unsaved {SECRET}\n", encoding="utf-8")
    result = run(["encrypt", "--identity", str(identity)])
    assert result.exit_code == 0, result.output
    (kept,) = (secret_journal.root / ".recovery").glob("edit-*.txt.age")
    assert (
        f"reflect: warning: {copy}: an edit left open when reflect was stopped; its text is "
        f"kept, encrypted, in {kept}; `reflect edit 2026-11-17` puts it back in the editor; "
        "the plain copy is removed\n"
    ) in result.stderr
    assert not copy.exists()
    assert crypt.read_file(kept) == f"unsaved {SECRET}\n".encode()
    assert leaks(secret_journal.root) == []


def wait_for_exit(pid: int) -> None:
    """Block until a process that is not our child has exited (its locks are then released)."""
    import select

    fd = os.pidfd_open(pid)
    try:
        select.select([fd], [], [])
    finally:
        os.close(fd)


@pytest.mark.slow
def test_an_edit_copy_left_by_a_killed_reflect_is_encrypted_by_the_next_command(
    secret_journal: Home,
    run: Run,
    identity: Path,
    tmp_path: Path,
    private_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encrypt(run, identity)
    day = "2026-11-17"
    before = crypt.read_file(entry_path(secret_journal, d(day)))
    ready = tmp_path / "ready"
    os.mkfifo(ready)
    editor = tmp_path / "editor.sh"
    # Saves an edit, says so (with its pid) through the fifo, then stays open.
    editor.write_text(
        f'#!/bin/sh\nprintf "Edited after {SECRET}.\\n" >> "$1"\necho $$ > {ready}\n'
        "exec sleep 600\n",
        encoding="utf-8",
    )
    editor.chmod(0o755)
    reflect = subprocess.Popen(
        [sys.executable, "-m", "reflect", "edit", day],
        env={**os.environ, "EDITOR": str(editor)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with ready.open(encoding="utf-8") as fifo:
        editor_pid = int(fifo.readline())
    reflect.kill()  # SIGKILL: no code of reflect's runs after this
    assert reflect.wait() == -signal.SIGKILL
    (folder,) = secret_journal.root.glob(".reflect-edit-*")
    copy = folder / f"{day}.md"
    assert copy.read_bytes() == before + f"Edited after {SECRET}.\n".encode()

    # The editor is still open: its copy is not a leftover, and nothing touches it.
    result = run(["log"])
    assert result.exit_code == 0, result.output
    assert "edit left open" not in result.stderr
    assert copy.exists()
    crypt.begin_command(None)
    assert f"info: {folder}: an editing session is open" in run(["doctor"]).stdout
    crypt.begin_command(None)

    os.kill(editor_pid, signal.SIGKILL)
    wait_for_exit(editor_pid)
    result = run(["log"])
    assert result.exit_code == 0, result.output
    (kept,) = (secret_journal.root / ".recovery").glob(f"edit-{day}-*.txt.age")
    assert result.stderr == (
        f"reflect: warning: {copy}: an edit left open when reflect was stopped; its text is "
        f"kept, encrypted, in {kept}; `reflect edit {day}` puts it back in the editor; "
        "the plain copy is removed\n"
    )
    assert crypt.read_file(kept) == before + f"Edited after {SECRET}.\n".encode()
    assert list(secret_journal.root.glob(".reflect-edit-*")) == []
    assert leaks(secret_journal.root, private_temp) == []
    crypt.begin_command(None)
    doctor = run(["doctor"]).stdout
    assert f"warning: {kept}: writing kept from a save that did not go through" in doctor

    # One command gets it back: the day's next edit opens on it, and saving puts it in place.
    crypt.begin_command(None)
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.setattr(edit_module, "monotonic", itertools.count(0.0, 1.0).__next__)
    result = run(["edit", day])
    assert result.exit_code == 0, result.output
    assert crypt.read_file(entry_path(secret_journal, d(day))) == before + (
        f"Edited after {SECRET}.\n".encode()
    )
    assert not kept.exists()
    assert leaks(secret_journal.root, private_temp) == []


def test_a_killed_edit_of_an_encrypted_day_comes_back_in_its_next_edit(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.journal.edit_copies import entry_tag

    encrypt(run, identity)
    day = "2026-11-17"
    path = entry_path(secret_journal, d(day))
    entry = crypt.read_file(path)
    # Its folder names the entry file it began from: a hash of the ciphertext, not the text.
    folder = secret_journal.root / f".reflect-edit-{entry_tag(path.read_bytes())}-k1ll3d00"
    folder.mkdir(mode=0o700)
    (folder / f"{day}.md").write_bytes(entry + f"Written before the crash, {SECRET}.\n".encode())
    result = run(["log"])
    assert result.exit_code == 0, result.output
    (kept,) = (secret_journal.root / ".recovery").glob(f"edit-{day}-from-*.txt.age")
    assert f"`reflect edit {day}` puts it back in the editor" in result.stderr
    assert leaks(secret_journal.root) == []
    crypt.begin_command(None)
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.setattr(edit_module, "monotonic", itertools.count(0.0, 1.0).__next__)
    result = run(["edit", day])
    assert result.exit_code == 0, result.output
    assert crypt.read_file(path) == entry + f"Written before the crash, {SECRET}.\n".encode()
    assert not kept.exists() and not folder.exists()
    assert leaks(secret_journal.root) == []


def test_an_unchanged_edit_copy_left_by_a_killed_reflect_is_just_removed(
    secret_journal: Home, run: Run, identity: Path
) -> None:
    encrypt(run, identity)
    day = "2026-11-17"
    folder = secret_journal.root / ".reflect-edit-abc"
    folder.mkdir(mode=0o700)
    copy = folder / f"{day}.md"
    copy.write_bytes(crypt.read_file(entry_path(secret_journal, d(day))))
    crypt.begin_command(None)
    result = run(["doctor"])
    assert (
        f"warning: {copy}: an edit left open when reflect was stopped: the entry already held "
        f"its text; the plain copy ({copy}) is removed"
    ) in result.stdout
    assert not folder.exists()
    assert not (secret_journal.root / ".recovery").exists()


def test_files_an_editor_left_beside_a_killed_edit_copy_never_cost_the_copy(
    secret_journal: Home, run: Run, identity: Path
) -> None:
    encrypt(run, identity)
    day = "2026-11-17"
    entry = crypt.read_file(entry_path(secret_journal, d(day)))
    folder = secret_journal.root / ".reflect-edit-abc"
    folder.mkdir(mode=0o700)
    # Names that sort before the copy: an Emacs autosave, a vim swap file.
    (folder / f"#{day}.md#").write_text(f"autosaved {SECRET}\n", encoding="utf-8")
    (folder / f".{day}.md.swp").write_bytes(b"b0VIM 9.0\0\0" + SECRET.encode())
    (folder / f"{day}.md").write_bytes(entry + f"Edited after {SECRET}.\n".encode())
    result = run(["log"])
    assert result.exit_code == 0, result.output
    texts = sorted(
        crypt.read_file(p) for p in (secret_journal.root / ".recovery").glob("edit-*.txt.age")
    )
    assert texts == sorted(
        [entry + f"Edited after {SECRET}.\n".encode(), f"autosaved {SECRET}\n".encode()]
    )
    assert result.stderr.count("an edit left open when reflect was stopped") == 2
    assert not folder.exists()
    assert leaks(secret_journal.root) == []


@pytest.mark.parametrize("autosaved", [False, True], ids=["alone", "beside an autosave"])
def test_a_killed_edit_copy_that_cannot_be_kept_encrypted_stays_and_is_named(
    secret_journal: Home,
    run: Run,
    identity: Path,
    monkeypatch: pytest.MonkeyPatch,
    autosaved: bool,
) -> None:
    from reflect.journal import drafts

    encrypt(run, identity)
    day = "2026-11-17"
    folder = secret_journal.root / ".reflect-edit-abc"
    folder.mkdir(mode=0o700)
    if autosaved:
        (folder / f"#{day}.md#").write_text("autosaved\n", encoding="utf-8")
    copy = folder / f"{day}.md"
    copy.write_text(f"the edit with {SECRET}\n", encoding="utf-8")
    real = drafts.keep_file

    # A full disk for the copy alone: encrypting its text into .recovery fails.
    def full_for_the_copy(home: Home, path: Path, label: str, raw: bytes | None = None) -> Path:
        return path if path == copy else real(home, path, label, raw)

    monkeypatch.setattr(drafts, "keep_file", full_for_the_copy)
    result = run(["log"])
    assert result.exit_code == 0, result.output
    assert copy.read_text(encoding="utf-8") == f"the edit with {SECRET}\n"
    # Not silence: the person hears that their text sits in plain text in an encrypted journal.
    warning = (
        f"reflect: warning: {copy}: an edit left open when reflect was stopped; its text "
        "could not be kept encrypted (is the disk full?), so it stays there in plain text; "
        "the next command tries again\n"
    )
    if autosaved:
        assert warning in result.stderr
        assert result.stderr.count("an edit left open when reflect was stopped") == 2
    else:
        assert result.stderr == warning
    crypt.begin_command(None)
    assert f"{copy}" in run(["doctor"]).stdout


def test_doctor_on_a_plain_edit_copy_a_full_disk_kept_from_encrypting_says_to_free_space(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.journal import drafts, edit_copies

    encrypt(run, identity)
    folder = secret_journal.root / ".reflect-edit-abc"
    folder.mkdir(mode=0o700)
    copy = folder / "2026-11-17.md"
    copy.write_text(f"the edit with {SECRET}\n", encoding="utf-8")
    big = folder / "2026-11-17.md~"
    big.write_text("x" * 2000, encoding="utf-8")
    monkeypatch.setattr(edit_copies, "MAX_COPY_BYTES", 1024)
    monkeypatch.setattr(drafts, "keep_file", lambda home, path, label, raw=None: path)
    left = "text left from an editing session that did not finish (in plain text: the journal is encrypted)"  # fmt: skip
    out = run(["doctor"]).stdout
    assert (
        f"warning: {copy}: {left}; its text could not be kept encrypted, so it stays in plain "
        "text: free some space (is the disk full?), then run any command that opens the "
        "journal, which encrypts it; or open it, copy what you want to keep into `reflect "
        "edit`, then delete it\n"
    ) in out
    assert (
        f"warning: {big}: {left}; it is larger than reflect reads (1 KB), so it stays there "
        "untouched: open it, copy what you want into `reflect edit`, then delete it\n"
    ) in out
    # Copies not tried yet (no key at hand) are encrypted by the next command given the key.
    crypt.begin_command(None)
    identity.rename(identity.with_name("away.key"))
    out = run(["doctor"]).stdout
    assert (
        f"warning: {copy}: {left}; open it, copy what you want to keep into `reflect edit`, "
        "then delete it; or run any command that opens the journal, which encrypts it\n"
    ) in out


def test_an_edit_open_while_another_terminal_encrypts_keeps_its_text_without_the_key(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.daily import external_editor as editor
    from reflect.journal import convert

    day = "2026-11-17"

    def encrypt_meanwhile(command: list[str], path: Path) -> int:
        convert.encrypt_home(secret_journal, crypt.Protection(passphrase="the other terminal"))
        crypt.begin_command(None)  # this reflect never had the key: no terminal to ask
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"Typed while it was encrypted {SECRET}.\n")
        return 0

    monkeypatch.setattr(editor, "run_editor", encrypt_meanwhile)
    result = run(["edit", day])
    assert result.exit_code == 1
    (copy,) = secret_journal.root.glob(f".reflect-edit-*/{day}.md")
    assert result.stderr == (
        "reflect: your edit is not saved: the journal at "
        f"{secret_journal.root} is encrypted: run this in a terminal to type the passphrase, "
        "or set passphrase_command in config.toml (or REFLECT_PASSPHRASE for scripts); your "
        f"text is kept, in plain text, in {copy}: the next command given the key keeps it "
        "encrypted in .recovery\n"
    )
    assert f"Typed while it was encrypted {SECRET}." in copy.read_text(encoding="utf-8")
    crypt.begin_command(None)
    monkeypatch.setenv("REFLECT_PASSPHRASE", "the other terminal")
    result = run(["log"])
    assert result.exit_code == 0, result.output
    (kept,) = (secret_journal.root / ".recovery").glob(f"edit-{day}-*.txt.age")
    assert f"Typed while it was encrypted {SECRET}." in crypt.read_file(kept).decode()
    assert leaks(secret_journal.root) == []


def test_an_edit_saved_after_another_terminal_decrypted_names_the_file_written(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.daily import external_editor as editor
    from reflect.journal import convert

    encrypt(run, identity)
    day = "2026-11-17"

    def decrypt_meanwhile(command: list[str], path: Path) -> int:
        convert.decrypt_home(secret_journal)
        with path.open("a", encoding="utf-8") as handle:
            handle.write("Typed while it was decrypted.\n")
        return 0

    monkeypatch.setattr(editor, "run_editor", decrypt_meanwhile)
    result = run(["edit", day])
    assert result.exit_code == 0, result.output
    plain = secret_journal.entries_dir / "2026" / f"{day}.md"
    assert result.stderr == f"Saved {plain}\n"
    assert "Typed while it was decrypted." in plain.read_text(encoding="utf-8")


def test_a_plain_day_beside_its_encrypted_form_is_kept_when_they_differ(
    secret_journal: Home, run: Run, identity: Path
) -> None:
    path = entry_path(secret_journal, d("2026-11-19"))
    plain = path.read_text(encoding="utf-8")
    encrypt(run, identity)
    restored = plain.replace("Launch day.", "Launch day, restored from a backup.")
    path.write_text(restored, encoding="utf-8")  # beside 2026-11-19.md.age
    result = run(["encrypt", "--identity", str(identity)])
    assert result.exit_code == 0, result.output
    crypt.begin_command(None)
    kept = sorted(p.name for p in path.parent.iterdir() if ".other-" in p.name)
    assert len(kept) == 1 and kept[0].endswith(".md.age"), kept
    words = crypt.open_bytes(path.parent / kept[0], (path.parent / kept[0]).read_bytes())
    assert words.decode("utf-8") == restored
    assert run(["show", "2026-11-19"]).stdout.count("Launch day.") == 1


# -- the key's lifecycle: rotating it, a passphrase command that hangs, a full disk --

OLD, NEW = "correct horse battery", "staple orbit lantern"


def add_config(home: Home, text: str) -> None:
    home.config_path.write_text(
        home.config_path.read_text(encoding="utf-8") + text, encoding="utf-8"
    )


def test_rotating_takes_the_new_passphrase_from_its_own_source_and_refuses_the_old(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECT_PASSPHRASE", OLD)
    assert run(["encrypt"]).exit_code == 0
    crypt.begin_command(None)
    key_file = crypt.key_path(secret_journal.root)
    before = key_file.read_bytes()
    # REFLECT_PASSPHRASE opens the key; it is never taken as the new one.
    result = run(["encrypt", "--rotate"])
    assert result.exit_code == 1
    assert result.stderr == (
        "reflect: a new passphrase is needed: run this in a terminal, or set "
        "REFLECT_NEW_PASSPHRASE (for scripts), or use --identity FILE\n"
    )
    assert key_file.read_bytes() == before
    monkeypatch.setenv("REFLECT_NEW_PASSPHRASE", OLD)
    result = run(["encrypt", "--rotate"])
    assert result.exit_code == 1
    assert result.stderr == (
        "reflect: the new passphrase is the one that already protects the journal's key; "
        "nothing changed\n"
    )
    assert key_file.read_bytes() == before
    monkeypatch.setenv("REFLECT_NEW_PASSPHRASE", NEW)
    result = run(["encrypt", "--rotate"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "The journal's key is now protected by the new passphrase; no entry was rewritten.\n"
    )
    monkeypatch.delenv("REFLECT_NEW_PASSPHRASE")
    assert run(["search", SECRET]).exit_code == 1  # the old passphrase opens nothing now
    monkeypatch.setenv("REFLECT_PASSPHRASE", NEW)
    result = run(["search", SECRET])
    assert result.exit_code == 0, result.output
    assert SECRET in result.stdout


def test_rotating_to_the_identity_that_already_protects_the_key_is_refused(
    secret_journal: Home, run: Run, identity: Path
) -> None:
    encrypt(run, identity)
    before = crypt.key_path(secret_journal.root).read_bytes()
    result = run(["encrypt", "--rotate", "--identity", str(identity)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reflect: the identity {identity} already protects the journal's key; nothing changed\n"
    )
    assert crypt.key_path(secret_journal.root).read_bytes() == before


def test_a_passphrase_command_that_hangs_is_stopped_after_the_configured_time(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECT_PASSPHRASE", OLD)
    assert run(["encrypt"]).exit_code == 0
    crypt.begin_command(None)
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    # The command never ends on its own; the configured limit stops it.
    add_config(secret_journal, 'passphrase_command = "sleep 600"\npassphrase_timeout = 0.05\n')
    result = run(["log"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "reflect: passphrase_command 'sleep 600' gave no passphrase within 0.05 s and was "
        "stopped; check it in a shell, or raise passphrase_timeout in config.toml\n"
    )


def gone(pid: int, within: float = 30.0) -> bool:
    """Whether a process (not our child) has ended; waits at most `within` seconds to see it go."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], within)[0])
    finally:
        os.close(fd)


@pytest.mark.slow
@pytest.mark.parametrize("prints", [True, False])
def test_a_passphrase_command_leaves_nothing_running_behind_it(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, prints: bool
) -> None:
    monkeypatch.setenv("REFLECT_PASSPHRASE", OLD)
    assert run(["encrypt"]).exit_code == 0
    crypt.begin_command(None)
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    child = tmp_path / "child.pid"
    script = tmp_path / "pass.sh"
    # Prints the passphrase (or hangs) and leaves a child holding its stdout open for minutes.
    end = f"echo '{OLD}'\n" if prints else "exec sleep 600\n"
    script.write_text(f"#!/bin/sh\nsleep 600 &\necho $! > {child}\n{end}", encoding="utf-8")
    script.chmod(0o755)
    timeout = 20 if prints else 0.5
    add_config(secret_journal, f'passphrase_command = "{script}"\npassphrase_timeout = {timeout}\n')
    try:
        result = run(["log"])
        assert result.exit_code == (0 if prints else 1), result.output
        assert ("gave no passphrase" in result.stderr) is not prints
        # The child is stopped with the command: read once the command exits, or timed out.
        assert gone(int(child.read_text(encoding="utf-8")))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(child.read_text(encoding="utf-8")), signal.SIGKILL)


@pytest.mark.parametrize("background", [False, True])
@pytest.mark.parametrize("pidfd", [True, False], ids=["linux", "without-pidfd"])
def test_a_passphrase_command_that_prints_without_end_is_stopped_at_a_bound(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch, background: bool, pidfd: bool
) -> None:
    monkeypatch.setenv("REFLECT_PASSPHRASE", OLD)
    assert run(["encrypt"]).exit_code == 0
    crypt.begin_command(None)
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    if not pidfd:  # as on macOS and the BSDs: the end of its output stands for its exit
        monkeypatch.delattr(os, "pidfd_open")
    # `yes` prints a gigabyte a second and never ends: it is stopped once it has printed more
    # than any passphrase (and a password manager's lines after it) could hold, not held in
    # memory until the time limit; nor when the command exits at once, leaving it behind.
    command = f"sh -c 'yes {OLD} & sleep 0.2'" if background else f"yes {OLD}"
    add_config(secret_journal, f'passphrase_command = "{command}"\npassphrase_timeout = 600\n')
    result = run(["log"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"reflect: passphrase_command {command!r} printed more than "
        f"{crypt.PASSPHRASE_OUTPUT_LIMIT // 1024} KiB and was stopped; check it in a shell\n"
    )


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_passphrase_command_keeps_every_character_of_its_first_line(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, end: str
) -> None:
    # A passphrase with characters Python counts as line breaks (U+2028, U+0085, \x1c) but
    # age and a shell do not: the whole line is the passphrase, as it was when encrypting.
    phrase = "correct\u2028horse\x85battery\x1cstaple"
    monkeypatch.setenv("REFLECT_PASSPHRASE", phrase)
    assert run(["encrypt"]).exit_code == 0
    crypt.begin_command(None)
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    printed = tmp_path / "printed"
    printed.write_text(phrase + end + "url: example.org\n", encoding="utf-8")
    add_config(secret_journal, f'passphrase_command = "cat {printed}"\n')
    result = run(["search", SECRET])
    assert result.exit_code == 0, result.output
    assert SECRET in result.stdout


def test_a_passphrase_command_printing_other_than_utf8_is_named(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REFLECT_PASSPHRASE", OLD)
    assert run(["encrypt"]).exit_code == 0
    crypt.begin_command(None)
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    script = tmp_path / "pass.sh"
    script.write_text("#!/bin/sh\nprintf 'caf\\351 horse battery\\n'\n", encoding="utf-8")
    script.chmod(0o755)
    add_config(secret_journal, f'passphrase_command = "{script}"\n')
    result = run(["log"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reflect: passphrase_command '{script}' printed something that is not UTF-8 text; "
        "check it in a shell\n"
    )


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        (" ", "use at least 8 characters; a few words are best"),
        ("a", "use at least 8 characters; a few words are best"),
        ("        ", "use at least 8 characters; a few words are best"),
        ("two lines\nof passphrase", "a passphrase is one line: it has a line break"),
    ],
)
def test_a_passphrase_chosen_in_the_environment_follows_the_terminal_rule(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch, given: str, problem: str
) -> None:
    monkeypatch.setenv("REFLECT_PASSPHRASE", given)
    result = run(["encrypt"])
    assert result.exit_code == 1
    assert result.stderr == f"reflect: REFLECT_PASSPHRASE: {problem}; nothing changed\n"
    assert crypt.read_state(secret_journal.root) is None
    assert not crypt.key_path(secret_journal.root).exists()


def age_with_passphrase(args: list[str], phrase: str) -> str:
    """What `age` prints when it asks for a passphrase at a terminal and is given `phrase`."""
    import pexpect

    age = shutil.which("age")
    assert age, "the age tool is needed: apt-get install age"
    child = pexpect.spawn(age, args, encoding="utf-8", timeout=120)
    child.expect("passphrase")
    child.sendline(phrase)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    # age clears its prompt line with terminal codes before the output.
    return child.before.replace("\r\n", "\n").split("\x1b[K", 1)[-1]


@pytest.mark.slow
def test_the_age_tool_opens_a_passphrase_journal_alone(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = entry_path(secret_journal, d("2026-11-17")).read_text(encoding="utf-8")
    monkeypatch.setenv("REFLECT_PASSPHRASE", OLD)
    assert run(["encrypt"]).exit_code == 0
    sealed = entry_path(secret_journal, d("2026-11-17"))
    assert sealed.name.endswith(".md.age")
    key = crypt.key_path(secret_journal.root)
    # `age -d -i key.age` asks for the passphrase of the identity file, as docs/privacy.md says.
    assert age_with_passphrase(["-d", "-i", str(key), str(sealed)], OLD) == before
    identity = age_with_passphrase(["-d", str(key)], OLD)
    assert f"\n{crypt.unlock(secret_journal.root).secret}\n" in identity  # type: ignore[union-attr]


def test_a_busy_machine_opens_the_key_as_an_idle_one_does(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyrage

    monkeypatch.setenv("REFLECT_PASSPHRASE", OLD)
    assert run(["encrypt"]).exit_code == 0
    crypt.begin_command(None)

    def timed(blob: bytes, phrase: str) -> bytes:
        # What pyrage says when this machine is too busy for the key's scrypt work just now.
        raise pyrage.DecryptError("Excessive work parameters for passphrase")

    monkeypatch.setattr(pyrage.passphrase, "decrypt", timed)
    result = run(["show", "2026-11-17"])
    assert result.exit_code == 0, result.output
    assert SECRET in result.stdout


def test_a_key_asking_more_scrypt_work_than_age_accepts_is_not_a_wrong_passphrase(
    secret_journal: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_module = sys.modules["reflect.cli.app"]
    monkeypatch.setenv("REFLECT_PASSPHRASE", OLD)
    assert run(["encrypt"]).exit_code == 0
    crypt.begin_command(None)
    key = crypt.key_path(secret_journal.root)
    # 2^30: more than age itself accepts; no passphrase is asked for a second time.
    lines = key.read_bytes().split(b"\n")
    lines[1] = b" ".join([*lines[1].split(b" ")[:-1], b"30"])
    key.write_bytes(b"\n".join(lines))
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    asked: list[str | None] = []

    def ask(root: Path, why: str | None) -> str:
        asked.append(why)
        return OLD

    monkeypatch.setattr(app_module, "ask_passphrase", ask)
    result = run(["log"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reflect: {key}: its scrypt work factor is 2^30, above age's limit 2^22, so neither "
        "reflect nor age opens it; it was not written by reflect or age: restore key.age "
        "from a backup\n"
    )
    assert asked == [None]


@pytest.mark.slow
def test_key_age_is_written_at_ages_own_work_factor_and_age_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyrage

    from reflect.journal import passfile

    monkeypatch.undo()  # the real work factor, not the tests' cheap one
    assert passfile.WORK_FACTOR == 18
    blob = crypt.Protection(passphrase=OLD).seal("AGE-SECRET-KEY-1EXAMPLE\n")
    assert blob.split(b"\n")[1].endswith(b" 18")
    assert passfile.work_factor(blob) == 18
    path = tmp_path / "key.age"
    path.write_bytes(blob)
    assert age_with_passphrase(["-d", str(path)], OLD) == "AGE-SECRET-KEY-1EXAMPLE\n"
    assert pyrage.passphrase.decrypt(blob, OLD) == b"AGE-SECRET-KEY-1EXAMPLE\n"


@pytest.mark.slow
def test_a_key_age_written_by_pyrage_still_opens(tmp_path: Path) -> None:
    # Made with pyrage.passphrase.encrypt (pyrage 1.4, work factor 2^19, timed on the
    # machine that wrote it), as every passphrase journal's key.age was before.
    blob = (DATA / "key-pyrage.age").read_bytes()
    key = crypt.Protection(passphrase="made by pyrage 1.4").open(tmp_path, blob)
    assert key is not None
    assert key.recipient == "age1cturma0y9nhpez2lqpxyq6nw47xsptkc5zh5yjarnucjhas6sprscc6qxj"
    assert crypt.Protection(passphrase="not the one").open(tmp_path, blob) is None


def test_the_passphrase_timeout_is_checked_like_every_setting(demo: Home, run: Run) -> None:
    config = demo.config_path.read_text(encoding="utf-8")
    demo.config_path.write_text(config + "passphrase_timeout = 5\n", encoding="utf-8")
    assert "passphrase_timeout:" not in run(["doctor"]).stdout
    demo.config_path.write_text(config + "passphrase_timeout = -1\n", encoding="utf-8")
    result = run(["doctor"])
    assert "passphrase_timeout: Input should be greater than 0, found -1" in result.stdout
    assert result.exit_code == 1


@pytest.mark.slow
def test_ctrl_c_while_the_passphrase_command_runs_exits_130(
    secret_journal: Home, run: Run, identity: Path, tmp_path: Path
) -> None:
    encrypt(run, identity)
    # The journal key protected by a passphrase, so that passphrase_command is asked.
    state = crypt.read_state(secret_journal.root)
    assert state is not None
    key = crypt.unlock(secret_journal.root)
    assert key is not None
    text = f"# public key: {key.recipient}\n{key.secret}\n"
    crypt.key_path(secret_journal.root).write_bytes(crypt.Protection(passphrase=OLD).seal(text))
    crypt.write_state(secret_journal.root, state.model_copy(update={"identity": None}))
    crypt.begin_command(None)
    ready = tmp_path / "ready"
    os.mkfifo(ready)
    script = tmp_path / "pass.sh"
    # Says it has started (the fifo blocks until the test reads), then waits for ever.
    script.write_text(f"#!/bin/sh\necho started > {ready}\nexec sleep 600\n", encoding="utf-8")
    script.chmod(0o755)
    add_config(secret_journal, f'passphrase_command = "{script}"\n')
    env = {k: v for k, v in os.environ.items() if k != "REFLECT_PASSPHRASE"}
    child = subprocess.Popen(
        [sys.executable, "-m", "reflect", "log"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A parallel test worker ignores SIGINT, and a child inherits that: give back Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    with ready.open(encoding="utf-8") as fifo:
        assert fifo.readline() == "started\n"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate()
    assert child.returncode == 130, err
    assert out == b""
    assert err.decode() == (
        f"reflect: stopped while passphrase_command '{script}' ran; nothing changed\n"
    )


def failing_writes(monkeypatch: pytest.MonkeyPatch, after: int) -> list[int]:
    """os.write fails with ENOSPC from its (after+1)th call on; the count of calls so far."""
    calls = [0]
    real = os.write

    def write(fd: int, data: bytes) -> int:
        calls[0] += 1
        if calls[0] > after:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    return calls


@pytest.mark.slow
def test_a_full_disk_at_each_step_of_the_first_encryption(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = files_under(secret_journal.entries_dir)
    expected = run(["log", "--json"]).stdout
    args = ["encrypt", "--identity", str(identity)]
    after = 0
    while True:
        with monkeypatch.context() as patch:
            failing_writes(patch, after)
            result = run(args)
        crypt.begin_command(None)
        if result.exit_code == 0:
            break
        assert result.exit_code == 1
        assert "the disk is full" in result.stderr, result.stderr
        assert run(["log", "--json"]).stdout == expected, f"disk full at write {after + 1}"
        crypt.begin_command(None)
        doctor = run(["doctor"]).stdout
        crypt.begin_command(None)
        if crypt.read_state(secret_journal.root) is None:
            assert files_under(secret_journal.entries_dir) == plain
            if crypt.key_path(secret_journal.root).exists():
                assert "key.age is left from an encryption that stopped before it began" in doctor
                assert "run `reflect encrypt` again with the same passphrase or identity" in doctor
        else:
            assert "run `reflect encrypt` to finish" in doctor, doctor
        # The resumed run keeps the key the stopped one made: one key, every file opens.
        key_before = (
            crypt.key_path(secret_journal.root).read_bytes()
            if crypt.key_path(secret_journal.root).exists()
            else None
        )
        result = run(args)
        assert result.exit_code == 0, result.output
        crypt.begin_command(None)
        if key_before is not None:
            assert crypt.key_path(secret_journal.root).read_bytes() == key_before
        assert run(["log", "--json"]).stdout == expected
        crypt.begin_command(None)
        assert leaks(secret_journal.root) == []
        assert run(["decrypt"]).exit_code == 0
        crypt.begin_command(None)
        assert files_under(secret_journal.entries_dir) == plain
        after += 1
    assert after > 5, "the full disk hit the key, the marker and the files"


def test_a_key_left_by_a_stopped_first_run_is_never_replaced_by_a_second(
    secret_journal: Home, run: Run, identity: Path, tmp_path: Path
) -> None:
    pristine = files_under(secret_journal.entries_dir)
    key, text = crypt.new_key()
    left = crypt.Protection(identity=identity).seal(text)
    crypt.key_path(secret_journal.root).write_bytes(left)
    other = make_identity(tmp_path)
    result = run(["encrypt", "--identity", str(other)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reflect: {crypt.key_path(secret_journal.root)} is left from an encryption that "
        f"stopped before it finished, and the identity {other} does not open it; nothing "
        "changed. Run `reflect encrypt` with the passphrase (or --identity) chosen then; "
        "`reflect doctor` says whether any file is encrypted yet\n"
    )
    assert crypt.key_path(secret_journal.root).read_bytes() == left
    assert files_under(secret_journal.entries_dir) == pristine
    crypt.begin_command(None)
    result = run(["encrypt", "--identity", str(identity)])
    assert result.exit_code == 0, result.output
    assert crypt.key_path(secret_journal.root).read_bytes() == left
    state = crypt.read_state(secret_journal.root)
    assert state is not None and state.recipient == key.recipient


def test_a_second_encrypt_whose_key_lost_the_race_is_refused_not_told_already_done(
    secret_journal: Home, run: Run, identity: Path, tmp_path: Path
) -> None:
    """Two `reflect encrypt` at once: each saw a plain journal and asked for its own key.

    The one that finds the journal encrypted by the other must not say "already
    encrypted" while the key it was given opens nothing.
    """
    from reflect.cli.common import advice
    from reflect.journal import convert

    encrypt(run, identity)
    key = crypt.key_path(secret_journal.root).read_bytes()
    other = make_identity(tmp_path)
    crypt.begin_command(None)
    with pytest.raises(crypt.LockedError) as refused:
        convert.encrypt_home(secret_journal, crypt.Protection(identity=other))
    assert str(refused.value) == (
        f"another reflect encrypted {secret_journal.root} meanwhile, and the identity {other} "
        "does not open its key; nothing changed. The journal opens with what that run was "
        "given"
    )
    assert advice(refused.value.hint) == "; `reflect encrypt --rotate` changes it"
    assert crypt.key_path(secret_journal.root).read_bytes() == key
    crypt.begin_command(None)
    done = convert.encrypt_home(secret_journal, crypt.Protection(identity=identity))
    assert done.already


def test_resuming_a_first_encryption_without_a_passphrase_says_what_is_needed(
    secret_journal: Home, run: Run
) -> None:
    crypt.key_path(secret_journal.root).write_bytes(b"age-encryption.org/v1\n-> scrypt x 16\n")
    result = run(["encrypt"])
    assert result.exit_code == 1
    assert result.stderr == (
        "reflect: key.age is left by an encryption that stopped: give its passphrase in a "
        "terminal or with REFLECT_PASSPHRASE, or use --identity FILE\n"
    )
    assert crypt.read_state(secret_journal.root) is None


def test_ctrl_c_while_the_passphrase_command_is_being_started_stops_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ctrl-C that lands inside Popen, after the fork: the command runs in a session of
    # its own, so nothing else would ever stop it.
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def popen_then_ctrl_c(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        started.append(real_popen(*args, **kwargs))  # type: ignore[call-overload]
        signal.raise_signal(signal.SIGINT)
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen_then_ctrl_c)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(crypt.Interrupted) as stopped:
            crypt._run_passphrase_command("sleep 600", timeout=600)
        left_running = [process.pid for process in started if process.poll() is None]
    finally:
        signal.signal(signal.SIGINT, previous)
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert stopped.value.exit_code == 130
    assert str(stopped.value) == "stopped while passphrase_command 'sleep 600' ran; nothing changed"
    assert left_running == []
    assert [process.returncode for process in started] == [-signal.SIGKILL]


def test_a_cold_search_of_an_encrypted_journal_reads_its_files_decrypted_and_writes_nothing(
    secret_journal: Home,
    run: Run,
    identity: Path,
    private_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reflect.lookback.scan as scan

    searches = [["search", word, *extra] for word in (SECRET, "team", "launch") for extra in ([], ["--json"])]  # fmt: skip
    plain = []
    for args in searches:
        result = run(args)
        plain.append((result.exit_code, result.stdout, result.stderr))
    encrypt(run, identity)
    monkeypatch.setattr(scan, "COLD_MIN", 0)  # every year folder read as text
    import pyrage

    real = pyrage.decrypt
    by_pyrage: list[bytes] = []

    def decrypt(data: bytes, identities: list[object]) -> bytes:
        by_pyrage.append(data)
        return bytes(real(data, identities))

    monkeypatch.setattr(pyrage, "decrypt", decrypt)
    for args, (code, out, err) in zip(searches, plain, strict=True):
        result = run(args)
        crypt.begin_command(None)
        assert result.exit_code == code, result.output
        assert result.stdout.replace(".md.age", ".md") == out
        assert result.stderr.replace(".md.age", ".md") == err
    assert leaks(secret_journal.root, private_temp) == []
    # Its entries are opened by reflect.journal.agefile: pyrage opens only key.age.
    assert set(by_pyrage) == {crypt.key_path(secret_journal.root).read_bytes()}


def test_text_given_while_the_journal_stays_locked_is_kept_encrypted_to_its_key(
    secret_journal: Home, run: Run, private_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    assert run(["encrypt"]).exit_code == 0
    crypt.begin_command(None)
    root = secret_journal.root
    before = {name for name in files_under(root) if not name.startswith(".recovery")}
    wrong = f"reflect: the passphrase does not open {root}/key.age"
    none = (
        f"reflect: the journal at {root} is encrypted: run this in a terminal to type the "
        "passphrase, or set passphrase_command in config.toml (or REFLECT_PASSPHRASE for scripts)"
    )
    attempts = [
        ("wrong horse", ["write", "--date", "2026-11-20"], f"piped {SECRET}\n", wrong),
        ("wrong horse", ["write", "--date", "2026-11-21", f"argued {SECRET}"], None, wrong),
        (None, ["write", "--date", "2026-11-22", "--tag", "team"], f"keyless {SECRET}\n", none),
        (
            "wrong horse",
            ["today", "--date", "2026-11-23", "--no-input", "-a", f"gratitude=a {SECRET}"],
            None,
            wrong,
        ),
        (
            None,
            [
                "today",
                "--date",
                "2026-11-24",
                "--no-input",
                "-a",
                "mood=4",
                "-a",
                f"gratitude=b {SECRET}",
            ],
            None,
            none,
        ),
    ]
    for phrase, args, typed, cause in attempts:
        if phrase is None:
            monkeypatch.delenv("REFLECT_PASSPHRASE", raising=False)
        else:
            monkeypatch.setenv("REFLECT_PASSPHRASE", phrase)
        result = run(args, input=typed)
        assert result.exit_code == 1
        assert result.stdout == ""
        (draft,) = (root / ".recovery").glob(f"{args[2]}-*.json.age")
        assert result.stderr == (
            f"{cause}; what you typed is kept, encrypted to the journal's key, in {draft}: "
            "`reflect today` offers to restore it once the journal opens\n"
        )
    # Nothing else changed, and nothing reached the disk in plain text.
    assert {name for name in files_under(root) if not name.startswith(".recovery")} == before
    assert leaks(root, private_temp) == []
    # With the passphrase, every piece comes back.
    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    result = run(["today", "--date", "2026-11-25"], input="y\n" * 5 + "\n" * 10)
    assert result.stdout.count("Restored into") == 5, result.output
    crypt.begin_command(None)
    for day, words in [
        ("2026-11-20", f"piped {SECRET}"),
        ("2026-11-21", f"argued {SECRET}"),
        ("2026-11-22", f"keyless {SECRET}"),
        ("2026-11-23", f"a {SECRET}"),
        ("2026-11-24", f"b {SECRET}"),
    ]:
        shown = run(["show", day])
        assert words in shown.stdout, shown.output
    assert "team" in run(["show", "2026-11-22"]).stdout
    assert list((root / ".recovery").glob("*.json*")) == []


def follow_up_while_locked(run: Run, monkeypatch: pytest.MonkeyPatch, threatened: str) -> Result:
    """The follow-up of `threatened`, answered on an encrypted day, given with no passphrase."""
    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    given = ["today", "--date", "2026-11-20", "--no-input", "-a"]
    assert run([*given, f"threatened={threatened}"]).exit_code == 0
    assert run(["encrypt"]).exit_code == 0
    crypt.begin_command(None)
    monkeypatch.delenv("REFLECT_PASSPHRASE")
    return run([*given, f"threatened/follow-up={SECRET}"])


def test_a_follow_up_given_alone_while_the_journal_is_locked_is_kept_encrypted(
    secret_journal: Home, run: Run, private_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = secret_journal.root
    # Whether the day's answer asks the follow-up cannot be read without the key: the text is
    # kept, encrypted, rather than refused and lost.
    result = follow_up_while_locked(run, monkeypatch, "y")
    assert result.exit_code == 1
    assert result.stdout == ""
    (draft,) = (root / ".recovery").glob("2026-11-20-*.json.age")
    assert result.stderr == (
        f"reflect: the journal at {root} is encrypted: run this in a terminal to type the "
        "passphrase, or set passphrase_command in config.toml (or REFLECT_PASSPHRASE for "
        f"scripts); what you typed is kept, encrypted to the journal's key, in {draft}: "
        "`reflect today` offers to restore it once the journal opens\n"
    )
    assert leaks(root, private_temp) == []
    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    result = run(["today", "--date", "2026-11-20"], input="y\n" + "\n" * 10)
    assert result.stdout.count("Restored into") == 1, result.output
    crypt.begin_command(None)
    shown = run(["show", "2026-11-20"])
    assert SECRET in shown.stdout, shown.output


def test_a_locked_follow_up_the_day_s_answer_does_not_ask_is_not_restored_into_it(
    secret_journal: Home, run: Run, private_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept while locked, unchecked; checked once the day can be read, as if given then."""
    root = secret_journal.root
    assert follow_up_while_locked(run, monkeypatch, "n").exit_code == 1
    (draft,) = (root / ".recovery").glob("2026-11-20-*.json.age")
    monkeypatch.setenv("REFLECT_PASSPHRASE", "correct horse battery")
    crypt.begin_command(None)
    result = run(["today", "--date", "2026-11-20"], input="y\n" + "\n" * 10)
    assert result.exit_code == 0, result.output
    assert "Restored into" not in result.stdout
    assert (
        "reflect: could not restore it: --answer demo/threatened/follow-up: asked only when "
        f"demo/threatened is 'yes', and the answer is 'no'; it stays in {draft}\n"
    ) in result.stderr
    assert draft.exists()
    crypt.begin_command(None)
    shown = run(["show", "2026-11-20"])
    assert shown.exit_code == 0, shown.output
    assert SECRET not in shown.stdout
    assert leaks(root, private_temp) == []


def index_openings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files decrypted from now on, one per decryption of the whole file."""
    opened: list[str] = []
    real = crypt.JournalKey.open_buffer

    def counted(key: crypt.JournalKey, data: bytes, where: object) -> bytes | bytearray:
        opened.append(Path(str(where)).name)
        return real(key, data, where)

    monkeypatch.setattr(crypt.JournalKey, "open_buffer", counted)
    return opened


def test_a_command_that_opens_the_encrypted_index_twice_decrypts_it_once(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trends reads its days, then the streak before them: two openings of the index, one
    decryption (20 MB at 10 years)."""
    encrypt(run, identity)
    first = run(["trends"])
    assert first.exit_code == 0, first.output
    opened = index_openings(monkeypatch)
    again = run(["trends"])
    assert (again.exit_code, again.stdout, again.stderr) == (0, first.stdout, first.stderr)
    assert opened.count("index.sqlite3.age") == 1


def test_an_encrypted_index_changed_since_it_was_decrypted_is_read_again(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a command kept of the index is used only while the file is the one it read:
    bent in place afterwards, the file is read again, found damaged and built again."""
    import reflect.journal.index as index_module

    monkeypatch.setattr(index_module, "SETTLED_NS", 0)  # a search of stored days writes nothing
    encrypt(run, identity)
    first = run(["search", "Launch"])
    assert first.exit_code == 0, first.output
    index = secret_journal.cache_dir / "index.sqlite3.age"
    assert run(["search", "Launch"]).stdout == first.stdout  # read, and kept for this process
    opened = index_openings(monkeypatch)
    assert run(["search", "Launch"]).stdout == first.stdout
    assert opened == []
    with open(index, "r+b") as bent:
        bent.seek(index.stat().st_size // 2)
        bent.write(b"bent")
    os.utime(index, ns=(0, 0))  # its times moved, as a clock coarser than this test may not show
    result = run(["search", "Launch"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, first.stdout, first.stderr)
    assert opened.count("index.sqlite3.age") == 1
    assert index.stat().st_mtime_ns != 0  # written again, whole
    assert run(["search", "Launch"]).stdout == first.stdout
    assert opened.count("index.sqlite3.age") == 2


class Hung(Exception):
    """Not an OSError, which the index would take for a damaged file and rebuild."""


def test_an_encrypted_index_replaced_by_a_fifo_is_rebuilt_not_waited_on(
    secret_journal: Home, run: Run, identity: Path
) -> None:
    """Read bounded and without blocking, as the entries are; before, search hung on it
    (and read a link to /dev/zero until memory ran out)."""
    import signal

    encrypt(run, identity)
    assert run(["search", "Launch"]).exit_code == 0
    index = secret_journal.cache_dir / "index.sqlite3.age"
    index.unlink()
    os.mkfifo(index)
    # Its write end held open here, so a read of it would wait for ever: the alarm ends that.
    writer = os.open(index, os.O_RDWR)

    def hung(signum: int, frame: object) -> None:
        raise Hung("search waited on the FIFO")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        result = run(["search", "Launch"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        os.close(writer)
    assert result.exit_code == 0, result.output
    assert "Launch day." in result.stdout
    assert result.stderr == "1 matching line(s) on 1 day(s).\n"


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("key.age", "the journal's key cannot be read (is a FIFO (named pipe), not a file); "
         "restore it from a backup (see docs/privacy.md)"),
        ("encryption.toml", "cannot be read (is a FIFO (named pipe), not a file); "
         "`reflect doctor` explains"),
    ],
)  # fmt: skip
def test_the_key_or_the_state_replaced_by_a_fifo_is_one_error_not_a_hang(
    secret_journal: Home, run: Run, identity: Path, name: str, said: str
) -> None:
    import signal

    encrypt(run, identity)
    crypt.begin_command(None)
    path = secret_journal.root / name
    path.unlink()
    os.mkfifo(path)
    writer = os.open(path, os.O_RDWR)  # so a read of it would wait for ever

    def hung(signum: int, frame: object) -> None:
        raise Hung(f"waited on {name}")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        result = run(["show", "2026-11-19"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        os.close(writer)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == f"reflect: {path}: {said}\n"


def test_an_encrypted_index_replaced_without_its_numbers_moving_is_read_again(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another journal's index copied over this one where the file's numbers stay as they were
    (a clock ticking every few milliseconds, an inode number used again): its age header,
    new at each encryption, tells it apart, so it is read again, refused and built again."""
    import pyrage

    import reflect.journal.index as index_module
    import reflect.journal.index_store as store

    monkeypatch.setattr(index_module, "SETTLED_NS", 0)  # a search of stored days writes nothing
    encrypt(run, identity)
    first = run(["search", "Launch"])
    assert first.exit_code == 0, first.output
    index = secret_journal.cache_dir / "index.sqlite3.age"
    monkeypatch.setattr(store, "_signature", lambda name: (0,))  # numbers that never move
    assert run(["search", "Launch"]).stdout == first.stdout  # read, and kept for this process
    opened = index_openings(monkeypatch)
    other = pyrage.x25519.Identity.generate().to_public()
    index.write_bytes(pyrage.encrypt(os.urandom(index.stat().st_size // 2), [other]))
    result = run(["search", "Launch"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, first.stdout, first.stderr)
    assert opened.count("index.sqlite3.age") == 1
    assert secret_journal.cache_dir.joinpath("index.sqlite3").exists() is False


# Each word is two reflect processes: the fast tier asks the cold journal one in this process
# (the next test), the full run every case in processes.
@pytest.mark.slow
@pytest.mark.parametrize(
    ("warmth", "words"),
    [
        pytest.param((False,), (SECRET,), id="cold-secret"),
        pytest.param((False, True), (SECRET, "team"), id="all"),
    ],
)
def test_a_piped_search_answered_before_the_full_command_line_leaves_no_plain_text(
    secret_journal: Home,
    run: Run,
    identity: Path,
    private_temp: Path,
    warmth: tuple[bool, ...],
    words: tuple[str, ...],
) -> None:
    """reflect/quick_search.py on an encrypted journal: every year folder read cold by two
    processes, then from the index a history filled; the same output as the full command."""
    encrypt(run, identity)
    env = {**os.environ, "REFLECT_HOME": str(secret_journal.root), "NO_COLOR": "1"}
    every_folder = "import reflect.lookback.scan as s; s.COLD_MIN = 0; s.TWO_MIN = 0; "
    seen = []
    for warm in warmth:
        if warm:
            assert run(["history", "demo/mood"]).exit_code == 0
            crypt.begin_command(None)
        for word in words:
            for entry in ("reflect.main", "reflect.cli"):
                if not warm:
                    shutil.rmtree(secret_journal.cache_dir, ignore_errors=True)
                done = subprocess.run(
                    [sys.executable, "-c",
                     f"{every_folder}import sys; sys.argv[0] = 'reflect'; "
                     f"from {entry} import main; main()", "search", word],
                    env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False,
                )  # fmt: skip
                seen.append((done.returncode, done.stdout, done.stderr))
            assert seen[-2] == seen[-1], word
            assert seen[-1][0] == 0 and word.encode() in seen[-1][1], seen[-1]
    assert leaks(secret_journal.root, private_temp) == []


def test_a_piped_search_answered_in_this_process_leaves_no_plain_text(
    secret_journal: Home,
    run: Run,
    identity: Path,
    private_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cold journal of the test above, the quick path and the full command run here,
    with a day in a second year, so that the scan of each is in two processes."""
    add_note(secret_journal, d("2025-05-01"), f"Walked with {SECRET}.", ["team"])
    encrypt(run, identity)
    forks: list[int] = []
    in_two = scan.in_two

    def counted(jobs: list[object], *rest: object) -> object:
        forks.append(len(jobs))
        return in_two(jobs, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(scan, "in_two", counted)
    monkeypatch.setattr(scan, "COLD_MIN", 0)
    monkeypatch.setattr(scan, "TWO_MIN", 0)
    quick, full = search_in_process(secret_journal, run, SECRET)
    assert quick == full
    assert quick[0] == 0 and SECRET in quick[1], quick
    assert forks == [2, 2], "each search read its two year folders in two processes"
    assert leaks(secret_journal.root, private_temp) == []


FULL_COMMAND = "import sys; sys.argv[0] = 'reflect'; from reflect.cli import main; main()"


@pytest.mark.slow
@pytest.mark.parametrize("bent", ["link to /dev/zero", "FIFO"])
def test_an_identity_file_that_is_no_file_is_refused_without_hanging_or_filling_memory(
    demo: Home, run: Run, identity: Path, bent: str
) -> None:
    """Read bounded and without waiting: before, /dev/zero took all the memory there was
    and a FIFO no one writes to hung the command."""
    import resource

    answer(demo, "2026-11-09", "mood=2")
    encrypt(run, identity)
    identity.unlink()
    if bent == "FIFO":
        os.mkfifo(identity)
    else:
        identity.symlink_to("/dev/zero")

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    done = subprocess.run(
        [sys.executable, "-c", FULL_COMMAND, "log"],
        env={**os.environ, "REFLECT_HOME": str(demo.root)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        preexec_fn=limit_memory,
        check=False,
    )
    err = done.stderr.decode()
    assert done.returncode == 1 and done.stdout == b"", err
    assert err.startswith(f"reflect: the identity file {identity} ") and err.count("\n") == 1, err


@pytest.mark.parametrize("command", ["encrypt", "decrypt"])
def test_ctrl_c_in_a_conversion_says_how_to_finish_it(
    secret_journal: Home, run: Run, identity: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    from reflect.journal import convert

    if command == "decrypt":
        encrypt(run, identity)
    real = convert.write_atomic
    written: list[Path] = []

    def stopped_after_two(path: Path, data: bytes) -> None:
        if len(written) == 2:
            raise KeyboardInterrupt
        real(path, data)
        written.append(path)

    monkeypatch.setattr(convert, "write_atomic", stopped_after_two)
    args = [command] + (["--identity", str(identity)] if command == "encrypt" else [])
    result = run(args)
    assert result.exit_code == 130
    assert result.stdout == ""
    assert result.stderr == (
        f"reflect: stopped; every day still reads, each in one form: `reflect {command}` "
        "again finishes, `reflect doctor` says what is left\n"
    )
    assert len(written) == 2, "stopped midway, as a Ctrl-C would"
    monkeypatch.setattr(convert, "write_atomic", real)
    crypt.begin_command(None)
    assert "midway" in run(["doctor"]).stdout
    crypt.begin_command(None)
    again = run([command])
    assert again.exit_code == 0, again.output
    assert "(finishing an earlier run)" in again.stdout
    names = [p.name for p in secret_journal.entries_dir.rglob("*.md*")]
    assert names and all(n.endswith(".age") == (command == "encrypt") for n in names)
