"""reflect sync: two homes and a bare remote on local disk, merged by meaning."""

import datetime as dt
import importlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from reflect.errors import StorageError
from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path, read_entry
from reflect.sync.merge import BOTH_KEPT, OTHER_ANSWERS, merge_entry
from tests.conftest import Run, git, machine

DAY = dt.date(2026, 11, 30)
FRONT = "---\ndate: 2026-11-30\nformat: 1\n"


def entry(answers: str = "", body: str = "", tags: str = "") -> str:
    head = FRONT + (f"tags: [{tags}]\n" if tags else "")
    if answers:
        head += "packs:\n  daily: 1.0.0\nanswers:\n  daily:\n" + answers
    return head + "---\n" + body


def test_answers_to_different_questions_are_both_kept() -> None:
    base = entry()
    ours = entry("    mood: 3\n")
    theirs = entry("    energy: 4\n")
    merged = merge_entry(base, ours, theirs, "x.md")
    assert "mood: 3" in merged.text and "energy: 4" in merged.text
    assert merged.other_answers == [] and merged.kept_both == []


def test_the_same_question_answered_twice_keeps_ours_and_records_theirs() -> None:
    merged = merge_entry(entry(), entry("    mood: 3\n"), entry("    mood: 5\n"), "x.md")
    assert "\ndaily/mood: 3\n" in merged.text
    assert f"## {OTHER_ANSWERS}\n\n- daily/mood: 5 (version 1.0.0)\n" in merged.text
    assert merged.other_answers == ["daily/mood: 5 (version 1.0.0)"]


def test_notes_are_a_union_in_time_order() -> None:
    base = entry(body="\n## Notes (08:00)\n\nfirst\n")
    ours = base + "\n## Notes (18:00)\n\nevening on the laptop\n"
    theirs = base + "\n## Notes (12:00)\n\nlunch on the desktop\n"
    text = merge_entry(base, ours, theirs, "x.md").text
    assert text.index("first") < text.index("lunch on the desktop") < text.index("evening")
    assert text.endswith("evening on the laptop\n")


def test_prose_changed_on_one_side_takes_that_side() -> None:
    base = entry(body="\n## A question\n\nold words\n")
    theirs = entry(body="\n## A question\n\nnew words\n")
    assert "new words" in merge_entry(base, base, theirs, "x.md").text
    assert "old words" not in merge_entry(base, base, theirs, "x.md").text


def test_prose_changed_on_both_sides_keeps_both_marked() -> None:
    base = entry(body="\n## A question\n\nold words\n")
    ours = entry(body="\n## A question\n\nlaptop words\n")
    theirs = entry(body="\n## A question\n\ndesktop words\n")
    merged = merge_entry(base, ours, theirs, "x.md")
    assert merged.text.endswith(f"laptop words\n\n{BOTH_KEPT}\n\ndesktop words\n")
    assert merged.kept_both == ["A question"]
    assert "<<<<<<<" not in merged.text


def test_tags_merge_as_sets() -> None:
    base = entry(tags="team, old")
    ours = entry(tags="team, laptop")  # removed `old`
    theirs = entry(tags="team, old, desktop")
    assert "tags:\n- team\n- laptop\n- desktop\n" in merge_entry(base, ours, theirs, "x.md").text


def test_a_section_deleted_on_one_side_and_untouched_on_the_other_is_deleted() -> None:
    base = entry(body="\n## Keep\n\nk\n\n## Drop\n\nd\n")
    ours = entry(body="\n## Keep\n\nk\n")
    assert "## Drop" not in merge_entry(base, ours, base, "x.md").text


# -- through git ---------------------------------------------------------------


@pytest.mark.slow
def test_two_machines_merge_the_same_day(run: Run, tmp_path: Path, remote: Path) -> None:
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    answer = ["today", "--date", str(DAY), "--no-input", "--answer"]
    assert run([*answer, "daily/mood=3"], env=a).exit_code == 0
    first = run(["sync", "--init", str(remote)], env=a)
    assert first.exit_code == 0, first.output
    assert "Committed 1 day(s): 2026-11-30" in first.stderr
    joined = run(["sync", "--init", str(remote)], env=b)
    assert joined.exit_code == 0, joined.output

    assert run(["write", "--date", str(DAY), "from the laptop"], env=a).exit_code == 0
    assert run(["write", "--date", str(DAY), "from the desktop"], env=b).exit_code == 0
    assert run([*answer, "daily/energy=4"], env=b).exit_code == 0
    assert run(["sync"], env=b).exit_code == 0
    merged = run(["sync"], env=a)
    assert merged.exit_code == 0, merged.output
    assert "Brought in 1 day(s) from the other machines: 2026-11-30" in merged.stderr
    assert run(["sync"], env=b).exit_code == 0

    laptop, desktop = Home(tmp_path / "laptop"), Home(tmp_path / "desktop")
    text = entry_path(laptop, DAY).read_text()
    assert text == entry_path(desktop, DAY).read_text()
    assert "from the laptop" in text and "from the desktop" in text and "<<<<" not in text
    day = read_entry(laptop, DAY)
    assert day is not None
    assert day.answer("daily", "mood") == 3 and day.answer("daily", "energy") == 4
    assert entry_path(laptop, DAY).stat().st_mode & 0o777 == 0o600


def test_offline_commits_and_says_the_push_waits(run: Run, tmp_path: Path, remote: Path) -> None:
    a = machine(tmp_path, "laptop")
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    remote.rename(tmp_path / "unplugged.git")
    assert run(["write", "offline words"], env=a).exit_code == 0
    result = run(["sync"], env=a)
    assert result.exit_code == 0, result.output
    assert "the push will happen at the next `reflect sync`" in result.stderr
    log = subprocess.run(
        ["git", "-C", str(tmp_path / "laptop"), "log", "--format=%s"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert log.startswith("reflect: ")
    (tmp_path / "unplugged.git").rename(remote)
    again = run(["sync"], env=a)
    assert "Pushed" in again.stderr


@pytest.mark.slow
def test_machine_local_files_never_go_into_git(run: Run, tmp_path: Path, remote: Path) -> None:
    a = machine(tmp_path, "laptop")
    assert run(["today", "--no-input", "--answer", "daily/mood=2"], env=a).exit_code == 0
    assert run(["trends"], env=a).exit_code == 0  # builds the cache
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    tracked = subprocess.run(
        ["git", "-C", str(tmp_path / "laptop"), "ls-files"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert ".gitattributes" in tracked and "config.toml" in tracked
    assert not [name for name in tracked if name.startswith(".cache") or "lock" in name]


def test_sync_before_init_says_how(run: Run) -> None:
    result = run(["sync"])
    assert result.exit_code == 1
    assert result.stderr == (
        "reflect: sync is not set up for this journal; start with `reflect sync --init REMOTE`\n"
    )


def test_no_git_is_a_clear_message(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda _name: None)
    result = run(["sync", "--init", "/nowhere"])
    assert result.exit_code == 1
    assert "git is not installed" in result.stderr


def test_doctor_finds_what_a_stopped_sync_leaves(run: Run, home: Home) -> None:
    assert run(["write", "--date", str(DAY), "words"]).exit_code == 0
    path = entry_path(home, DAY)
    path.write_text(path.read_text() + "<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> origin\n")
    (home.root / ".git").mkdir()
    (home.root / ".git" / "MERGE_HEAD").write_text("0" * 40)
    copy = path.with_name("2026-11-30 (conflicted copy 2026-12-01).md")
    copy.write_text("x")
    result = run(["doctor"])
    assert result.exit_code == 1
    assert f"problem: {home.root}: a sync stopped in the middle of a merge" in result.stdout
    assert f"problem: {path}: holds git conflict markers" in result.stdout
    assert f"warning: {copy}: a conflict copy left by git or a file-sync tool" in result.stdout


def test_the_driver_merges_in_place_and_says_what_it_kept(tmp_path: Path) -> None:
    from reflect.sync.driver import main

    files = {}
    for name, text in (
        ("base", entry()),
        ("ours", entry("    mood: 3\n")),
        ("theirs", entry("    mood: 5\n")),
    ):
        files[name] = tmp_path / name
        files[name].write_text(text)
    code = main(
        ["entry", str(files["base"]), str(files["ours"]), str(files["theirs"]), "entries/2026/x.md"]
    )
    assert code == 0
    assert "- daily/mood: 5" in files["ours"].read_text()
    assert main(["nonsense"]) == 2


def test_the_driver_keeps_the_readable_version_and_sets_the_other_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.sync.driver import main

    monkeypatch.chdir(tmp_path)  # git runs a driver at the top of the work tree
    (tmp_path / "entries" / "2026").mkdir(parents=True)
    base, ours, theirs = (tmp_path / n for n in ("b", "o", "t"))
    name = "entries/2026/2026-11-30.md"
    for mine, other in ((entry("    mood: 3\n"), "---\ndate: [\n---\n"),):
        base.write_text(entry())
        ours.write_text(mine)
        theirs.write_text(other)
        assert main(["entry", str(base), str(ours), str(theirs), name]) == 0
        assert ours.read_text() == mine
        (aside,) = (tmp_path / "entries" / "2026").glob("2026-11-30.unreadable-*.md")
        assert aside.read_text() == other
        said = capsys.readouterr().err
        assert said.startswith(
            f"reflect: {name}: the other machine's version cannot be read ({name}:3: front matter"
        )
        assert said.endswith(f"; it is kept as {aside.relative_to(tmp_path)}\n")
        aside.unlink()
    # This machine's version broken (committed by hand): the other's readable one is taken.
    ours.write_text("---\ndate: [\n---\n")
    theirs.write_text(entry("    mood: 5\n"))
    assert main(["entry", str(base), str(ours), str(theirs), name]) == 0
    assert ours.read_text() == entry("    mood: 5\n")
    (aside,) = (tmp_path / "entries" / "2026").glob("2026-11-30.unreadable-*.md")
    assert aside.read_text() == "---\ndate: [\n---\n"


def test_enabled_packs_merge_as_a_set() -> None:
    from reflect.sync.files import merge_config

    base = 'packs = ["daily", "partnership"]\n'
    ours = 'packs = ["daily", "partnership", "growth-mindset"]\neditor = "vim"\n'
    theirs = 'packs = ["daily"]\n'
    assert (
        merge_config(base, ours, theirs)
        == 'packs = [\n    "daily",\n    "growth-mindset",\n]\neditor = "vim"\n'
    )


def test_a_merge_keeps_other_programs_properties_and_tied_prose() -> None:
    base = "---\ndate: 2026-11-30\nformat: 2\naliases: [Monday]\n---\n"
    tie = "\n## Reworded on the laptop\n<!-- reflect: daily/gratitude -->\n\nTea.\n"
    ours = base + tie
    theirs = (
        "---\ndate: 2026-11-30\nformat: 2\naliases: [Monday]\ncssclasses: [wide]\n"
        "daily/mood: 4\n---\n\n## Old words\n<!-- reflect: daily/gratitude -->\n\nTea.\n"
    )
    text = merge_entry(base, ours, theirs, "x.md").text
    merged = parse_entry(text, "x.md")
    assert merged.other_properties == {"aliases": ["Monday"], "cssclasses": ["wide"]}
    assert merged.answer("daily", "mood") == 4
    assert merged.tied() == {"daily/gratitude": "Tea."}


def test_the_answer_given_later_wins_whichever_machine_syncs() -> None:
    def day(value: int, at: str) -> str:
        return (
            f"---\ndate: 2026-11-30\nformat: 2\ndaily/mood: {value}\n"
            f"given:\n  daily/mood: 1.0.0 2026-11-30T{at}:00+01:00\n---\n"
        )

    base = "---\ndate: 2026-11-30\nformat: 2\n---\n"
    merged = merge_entry(base, day(3, "08:00"), day(5, "21:30"), "x.md")
    entry_ = parse_entry(merged.text, "x.md")
    assert entry_.answer("daily", "mood") == 5
    assert entry_.answer_version("daily", "mood") == "1.0.0"
    assert str(entry_.answered_at("daily", "mood")) == "2026-11-30 21:30:00+01:00"
    assert merged.other_answers == [
        "daily/mood: 3 (given 2026-11-30T08:00:00+01:00, version 1.0.0)"
    ]
    again = merge_entry(base, day(5, "21:30"), day(3, "08:00"), "x.md")
    assert parse_entry(again.text, "x.md").answer("daily", "mood") == 5


@pytest.mark.slow
def test_a_day_deleted_on_one_machine_and_changed_on_the_other_keeps_the_change(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    assert run(["write", "--date", str(DAY), "first words"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    entry_path(Home(tmp_path / "laptop"), DAY).unlink()
    assert run(["write", "--date", str(DAY), "kept on the desktop"], env=b).exit_code == 0
    assert run(["sync"], env=a).exit_code == 0
    result = run(["sync"], env=b)
    assert result.exit_code == 0, result.output
    assert run(["sync"], env=a).exit_code == 0
    for name in ("laptop", "desktop"):
        text = entry_path(Home(tmp_path / name), DAY).read_text()
        assert "kept on the desktop" in text and "first words" in text


def test_text_kept_from_a_rejected_edit_stays_on_its_machine() -> None:
    from reflect.sync.repo import IGNORE

    assert "*.rejected-*" in IGNORE.splitlines()


@pytest.mark.slow
def test_a_broken_day_is_never_committed_and_never_blocks_the_other_machine(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    assert run(["write", "--date", str(DAY), "first words"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert run(["sync"], env=a).exit_code == 0
    broken = entry_path(Home(tmp_path / "laptop"), DAY)
    broken.write_text("---\ndate: [\n---\nhalf a thought\n")

    refused = run(["sync"], env=a)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr.count("\n") == 1
    assert refused.stderr.startswith(f"reflect: {broken}:3: front matter")
    assert "nothing was synced: fix the day with `reflect edit --date 2026-11-30`" in (
        refused.stderr
    )
    assert "fix it in an editor" not in refused.stderr  # one piece of advice, not two
    assert git(tmp_path / "laptop", "status", "--porcelain") == " M entries/2026/2026-11-30.md\n"

    # Pushed anyway, by hand with git (or by an older reflect): the other machine goes on.
    git(tmp_path / "laptop", "commit", "-qam", "by hand")
    git(tmp_path / "laptop", "push", "-q", "origin", "HEAD:main")
    assert run(["write", "--date", str(DAY), "desktop words"], env=b).exit_code == 0
    merged = run(["sync"], env=b)
    assert merged.exit_code == 0, merged.output
    desktop = Home(tmp_path / "desktop")
    aside = sorted(entry_path(desktop, DAY).parent.glob("2026-11-30.unreadable-*.md"))
    assert len(aside) == 1
    assert aside[0].read_text() == "---\ndate: [\n---\nhalf a thought\n"
    name = aside[0].relative_to(desktop.root)
    assert f"A version of a day that cannot be read was set aside as {name}" in merged.stderr
    day = read_entry(desktop, DAY)
    assert day is not None and "desktop words" in serialize_text(desktop)
    doctor = run(["doctor"], env=b)
    assert doctor.exit_code == 1
    assert f"problem: {aside[0]}: a version of this day that cannot be read" in doctor.stdout

    # The broken machine takes the readable version and keeps its own beside it.
    assert run(["sync"], env=a).exit_code == 0
    assert (
        entry_path(Home(tmp_path / "laptop"), DAY).read_text()
        == entry_path(desktop, DAY).read_text()
    )
    assert (tmp_path / "laptop" / name).read_text() == aside[0].read_text()


def serialize_text(home: Home) -> str:
    return entry_path(home, DAY).read_text()


def test_a_tidied_both_kept_block_stays_tidied_round_after_round() -> None:
    """Each round the laptop tidies the section (the block too) while the desktop edits its lines."""
    state = entry(body="\n## A question\n\nfirst words\n")
    desktop_line = "first words"
    for round_ in range(1, 5):
        laptop = entry(body=f"\n## A question\n\nlaptop round {round_}\n")
        desktop = state.replace(desktop_line, f"desktop round {round_}")
        desktop_line = f"desktop round {round_}"
        merged = merge_entry(state, desktop, laptop, "x.md")
        section = parse_entry(merged.text, "x.md").prose("A question")
        assert section == f"desktop round {round_}\n\n{BOTH_KEPT}\n\nlaptop round {round_}"
        assert merged.kept_both == ["A question"]
        state = merged.text


def test_both_sides_editing_every_line_of_a_both_kept_block_do_not_double_it() -> None:
    """Each round both machines change every `line one` (as `sed` would) inside the block."""
    import re

    state = entry(body="\n## Morning\n\nline one\nline two\n")
    for round_ in range(1, 5):
        laptop = re.sub(r"(?m)^line one.*$", f"line one A{round_}", state)
        desktop = re.sub(r"(?m)^line one.*$", f"line one B{round_}", state)
        merged = merge_entry(state, desktop, laptop, "x.md")
        section = parse_entry(merged.text, "x.md").prose("Morning")
        assert section == (f"line one B{round_}\n\n{BOTH_KEPT}\n\nline one A{round_}\nline two"), (
            section
        )
        state = merged.text


def test_edits_to_different_paragraphs_of_one_answer_merge_cleanly() -> None:
    base = entry(body="\n## A question\n\none\n\ntwo\n\nthree\n")
    ours = entry(body="\n## A question\n\none, laptop\n\ntwo\n\nthree\n")
    theirs = entry(body="\n## A question\n\none\n\ntwo\n\nthree, desktop\n")
    merged = merge_entry(base, ours, theirs, "x.md")
    assert merged.text.endswith("\n## A question\n\none, laptop\n\ntwo\n\nthree, desktop\n")
    assert merged.kept_both == []


@pytest.mark.slow
def test_a_remote_that_refuses_the_push_is_an_error_and_the_next_sync_retries(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a = machine(tmp_path, "laptop")
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'this branch is protected' >&2\nexit 1\n")
    hook.chmod(0o755)
    assert run(["write", "--date", str(DAY), "kept here"], env=a).exit_code == 0
    refused = run(["sync"], env=a)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        "reflect: the remote refused the push: [remote rejected] (pre-receive hook declined) "
        "(this branch is protected); what changed is committed here, "
        "and the next `reflect sync` pushes it again\n"
    )
    laptop = tmp_path / "laptop"
    assert git(laptop, "log", "-1", "--format=%s").startswith("reflect: 2026-11-30")
    assert git(laptop, "status", "--porcelain") == ""
    hook.unlink()
    again = run(["sync"], env=a)
    assert again.exit_code == 0, again.output
    assert "Pushed. The journal is in sync." in again.stderr
    assert git(remote, "log", "-1", "--format=%s", "main").startswith("reflect: 2026-11-30")


@pytest.mark.slow
def test_a_push_that_loses_a_race_fetches_merges_and_pushes_again(
    run: Run, tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.sync import repo

    a = machine(tmp_path, "laptop")
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(remote), str(other)], check=True)
    real_push = repo._push
    raced: list[bool] = []

    def push_after_another_machine(*args: object) -> bool:
        if not raced:  # another machine pushes between this one's fetch and its push
            raced.append(True)
            (other / "entries" / "2026").mkdir(parents=True, exist_ok=True)
            (other / "entries" / "2026" / "2026-11-29.md").write_text(
                "---\ndate: 2026-11-29\nformat: 2\n---\n\nfrom the other machine\n"
            )
            git(other, "add", "--all")
            git(other, "commit", "-qm", "other")
            git(other, "push", "-q", "origin", "HEAD:main")
        return real_push(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(repo, "_push", push_after_another_machine)
    assert run(["write", "--date", str(DAY), "laptop words"], env=a).exit_code == 0
    result = run(["sync"], env=a)
    assert result.exit_code == 0, result.output
    assert raced == [True]
    assert "Brought in 1 day(s) from the other machines: 2026-11-29" in result.stderr
    assert "Pushed. The journal is in sync." in result.stderr
    laptop = tmp_path / "laptop"
    assert git(laptop, "rev-parse", "HEAD") == git(remote, "rev-parse", "main")
    assert (laptop / "entries" / "2026" / "2026-11-29.md").exists()


def test_a_driver_left_by_a_moved_venv_is_named_by_doctor_and_registered_again_by_sync(
    run: Run, home: Home, remote: Path
) -> None:
    import sys

    assert run(["sync", "--init", str(remote)]).exit_code == 0
    gone = "/gone/venv/bin/python -m reflect.sync.driver entry %O %A %B %P"
    git(home.root, "config", "merge.reflect-entry.driver", gone)
    doctor = run(["doctor"])
    config = home.root / ".git" / "config"
    assert (
        f"warning: {config}: git's reflect-entry merge driver runs /gone/venv/bin/python, "
        "which is gone (reflect was moved or reinstalled); "
        "run `reflect sync`: it registers the driver again before merging\n"
    ) in doctor.stdout
    assert run(["sync"]).exit_code == 0
    registered = git(home.root, "config", "merge.reflect-entry.driver")
    assert registered.startswith(sys.executable + " -m reflect.sync.driver entry")
    assert "merge driver" not in run(["doctor"]).stdout


@pytest.mark.slow
def test_a_journal_encrypted_on_one_machine_takes_the_other_machines_plain_edits(
    run: Run, tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.journal import crypt

    phrase = {"REFLECT_PASSPHRASE": "correct horse battery"}
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    laptop, desktop = Home(tmp_path / "laptop"), Home(tmp_path / "desktop")
    assert run(["write", "--date", str(DAY), "first words"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert run(["sync"], env=a).exit_code == 0
    # The desktop writes in plain text while the laptop encrypts.
    assert run(["write", "--date", str(DAY), "desktop words"], env=b).exit_code == 0
    other_day = DAY - dt.timedelta(days=1)
    assert run(["write", "--date", str(other_day), "a new day"], env=b).exit_code == 0
    assert run(["encrypt"], env={**a, **phrase}).exit_code == 0
    assert run(["write", "--date", str(DAY), "laptop words"], env={**a, **phrase}).exit_code == 0
    assert run(["sync"], env={**a, **phrase}).exit_code == 0

    wrong = run(["sync"], env={**b, "REFLECT_PASSPHRASE": "wrong"})
    assert wrong.exit_code == 1
    assert wrong.stderr.startswith(
        "reflect: another machine encrypted this journal, and its key does not open here ("
    )
    assert wrong.stderr.count("\n") == 1
    assert "(the passphrase does not open the remote's key.age)" in wrong.stderr
    assert crypt.read_state(desktop.root) is None
    assert not (desktop.root / ".git" / "MERGE_HEAD").exists()
    assert git(desktop.root, "status", "--porcelain") == ""  # the edits are committed

    refused = run(["encrypt"], env={**b, **phrase})
    assert refused.exit_code == 1
    assert "another machine already encrypted this journal; run `reflect sync`" in refused.stderr
    assert not crypt.key_path(desktop.root).exists()

    taken = run(["sync"], env={**b, **phrase})
    assert taken.exit_code == 0, taken.output
    assert "Another machine encrypted this journal: its key opened here" in taken.stderr
    assert run(["sync"], env={**a, **phrase}).exit_code == 0
    assert git(laptop.root, "rev-parse", "HEAD") == git(desktop.root, "rev-parse", "HEAD")
    for home in (laptop, desktop):
        files = sorted(p.name for p in home.entries_dir.rglob("*") if p.is_file())
        assert files == ["2026-11-29.md.age", "2026-11-30.md.age"], files
        assert git(home.root, "status", "--porcelain") == ""
    monkeypatch.setenv("REFLECT_PASSPHRASE", phrase["REFLECT_PASSPHRASE"])
    crypt.begin_command(None)
    for home in (laptop, desktop):
        text = crypt.read_file(entry_path(home, DAY)).decode()
        assert "first words" in text and "desktop words" in text and "laptop words" in text
        assert "a new day" in crypt.read_file(entry_path(home, other_day)).decode()
    assert crypt.key_path(laptop.root).read_bytes() == crypt.key_path(desktop.root).read_bytes()


def test_an_encrypted_day_that_cannot_be_decrypted_is_set_aside_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.journal import crypt
    from reflect.sync.driver import merge_file

    key, _ = crypt.new_key()
    monkeypatch.setenv(crypt.KEY_ENV, key.secret)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "entries" / "2026").mkdir(parents=True)
    base, ours, theirs = (tmp_path / n for n in ("b", "o", "t"))
    base.write_bytes(key.seal(entry().encode()))
    ours.write_bytes(key.seal(entry("    mood: 3\n").encode()))
    theirs.write_bytes(b"age-encryption.org/v1\ncut off in the middle")
    result = merge_file("entry", base, ours, theirs, "entries/2026/2026-11-30.md.age")
    assert result.clean, result.message
    assert key.open(ours.read_bytes(), ours).decode() == entry("    mood: 3\n")
    (aside,) = (tmp_path / "entries" / "2026").glob("2026-11-30.unreadable-*.md.age")
    assert aside.read_bytes() == b"age-encryption.org/v1\ncut off in the middle"
    assert result.message.startswith(
        "entries/2026/2026-11-30.md.age: the other machine's version cannot be read ("
    )


def test_a_property_changed_on_both_sides_keeps_ours_and_records_theirs() -> None:
    def day(color: str, rating: int) -> str:
        return (
            f"---\ndate: 2026-11-30\nformat: 2\nmycolor: {color}\nrating: {rating}\n---\n\nbody\n"
        )

    merged = merge_entry(day("red", 3), day("blue", 4), day("green", 5), "x.md")
    entry_ = parse_entry(merged.text, "x.md")
    assert entry_.other_properties == {"mycolor": "blue", "rating": 4}
    assert merged.other_answers == ["mycolor: green (property)", "rating: 5 (property)"]
    assert entry_.prose(OTHER_ANSWERS) == "- mycolor: green (property)\n- rating: 5 (property)"


def test_other_programs_properties_keep_their_text_when_one_side_left_them() -> None:
    base = "---\ndate: 2026-11-30\nformat: 2\naliases: [Saturday]  # kept\n---\n\nbody\n"
    ours = base.replace("body", "body, longer")
    theirs = base.replace("format: 2\n", "format: 2\ntags: [walk]\n")
    text = merge_entry(base, ours, theirs, "x.md").text
    assert "aliases: [Saturday]  # kept\n" in text
    assert "tags:" in text and "body, longer" in text


@pytest.mark.slow
def test_gits_copies_from_a_killed_merge_are_never_committed_and_doctor_names_them(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a = machine(tmp_path, "laptop")
    root = tmp_path / "laptop"
    assert run(["write", "--date", str(DAY), "words"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    leftover = root / ".merge_file_Ab12Cd"
    leftover.write_text("a day's words, as git copied them")
    assert run(["write", "--date", str(DAY), "more"], env=a).exit_code == 0
    synced = run(["sync"], env=a)
    assert synced.exit_code == 0, synced.output
    assert "settings" not in synced.stderr
    tracked = subprocess.run(
        ["git", "-C", str(root), "ls-files"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert ".merge_file_Ab12Cd" not in tracked
    doctor = run(["doctor"], env=a)
    assert f"warning: {leftover}: a copy of a day's text git left when a sync was stopped" in (
        doctor.stdout
    )


def test_doctor_says_loudly_that_gits_leftover_copy_in_an_encrypted_journal_is_plain(
    run: Run, home: Home, tmp_path: Path
) -> None:
    from tests.test_crypt import encrypt, make_identity

    assert run(["write", "--date", str(DAY), "words"]).exit_code == 0
    keys = tmp_path / "keys"
    keys.mkdir()
    encrypt(run, make_identity(keys))
    leftover = home.root / ".merge_file_Ab12Cd"
    leftover.write_text("a day's words, as git copied them")
    loud = run(["doctor"])
    assert loud.exit_code == 1
    assert (
        f"problem: {leftover}: a copy of a day's text git left when a sync was stopped, NOT "
        in (loud.stdout)
    )


def test_a_lock_left_by_a_stopped_git_is_one_line_naming_it(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a = machine(tmp_path, "laptop")
    root = tmp_path / "laptop"
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    (root / ".git" / "index.lock").write_text("")
    result = run(["sync"], env=a)
    assert result.exit_code == 1
    assert result.stderr == (
        f"reflect: git's lock file {root / '.git' / 'index.lock'} is there: another git command "
        "is running in this journal, or one was stopped; if none is running, delete it "
        "(`reflect doctor` names it) and sync again\n"
    )


@pytest.mark.slow
def test_a_journal_decrypted_on_one_machine_stops_the_other_before_its_key_is_lost(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    from reflect.journal import crypt
    from tests.test_crypt import make_identity

    keys = tmp_path / "keys"
    keys.mkdir()
    identity = make_identity(keys)
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    laptop, desktop = Home(tmp_path / "laptop"), Home(tmp_path / "desktop")
    assert run(["write", "--date", str(DAY), "first words"], env=a).exit_code == 0
    assert run(["encrypt", "--identity", str(identity)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert run(["decrypt"], env=a).exit_code == 0
    assert run(["sync"], env=a).exit_code == 0
    crypt.begin_command(None)
    other_day = DAY - dt.timedelta(days=1)
    assert run(["write", "--date", str(other_day), "desktop words"], env=b).exit_code == 0

    stopped = run(["sync"], env=b)
    assert stopped.exit_code == 1
    assert stopped.stderr.startswith("reflect: another machine decrypted this journal")
    assert stopped.stderr.count("\n") == 1
    assert crypt.key_path(desktop.root).exists()
    assert git(desktop.root, "status", "--porcelain") == ""  # the new day is committed

    assert run(["decrypt"], env=b).exit_code == 0
    assert run(["sync"], env=b).exit_code == 0
    assert run(["sync"], env=a).exit_code == 0
    assert "desktop words" in entry_path(laptop, other_day).read_text()
    assert not crypt.key_path(laptop.root).exists()


def test_doctor_reports_encrypted_days_with_no_key(run: Run, home: Home) -> None:
    folder = home.entries_dir / "2026"
    folder.mkdir(parents=True)
    day = folder / "2026-11-30.md.age"
    day.write_bytes(b"age-encryption.org/v1\nsealed")
    result = run(["doctor"])
    assert result.exit_code == 1
    assert (
        "1 encrypted file(s), and neither encryption.toml nor key.age: nothing here can open them"
        in result.stdout
    )


@pytest.mark.slow
def test_a_second_sync_at_once_says_another_is_running(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    from filelock import FileLock

    a = machine(tmp_path, "laptop")
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["write", "words"], env=a).exit_code == 0
    with FileLock(str(tmp_path / "laptop" / ".git" / "reflect-sync.lock")):
        result = run(["sync"], env=a)
    assert result.exit_code == 1
    assert result.stderr == (
        "reflect: another `reflect sync` is running in this journal; let it finish, "
        "then sync again\n"
    )
    assert git(tmp_path / "laptop", "status", "--porcelain") != ""  # nothing was committed
    assert run(["sync"], env=a).exit_code == 0


def test_a_remote_url_names_the_same_repository_however_written(tmp_path: Path) -> None:
    from reflect.sync.repo import same_remote

    home = tmp_path / "journal"
    home.mkdir()
    bare = tmp_path / "remote.git"
    assert same_remote(f"file://{bare}", str(bare), home)
    assert same_remote(f"{bare}/", "../remote.git", home)
    assert not same_remote(str(bare), str(tmp_path / "other.git"), home)
    assert same_remote("git@host:me/journal.git", "git@host:me/journal.git/", home)
    assert not same_remote("git@host:me/journal.git", "git@host:me/diary.git", home)


@pytest.mark.slow
def test_a_home_cloned_by_hand_from_a_remote_whose_head_is_master_syncs(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    subprocess.run(
        ["git", "-C", str(remote), "symbolic-ref", "HEAD", "refs/heads/master"], check=True
    )
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    assert run(["write", "--date", str(DAY), "laptop words"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    # The remote's HEAD names no branch: git checks nothing out and, shallow, sets no fetch rule.
    subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", f"file://{remote}", str(tmp_path / "desktop")],
        check=True,
        capture_output=True,
    )
    assert run(["write", "--date", str(DAY), "desktop words"], env=b).exit_code == 0
    synced = run(["sync"], env=b)
    assert synced.exit_code == 0, synced.output
    joined = run(["sync", "--init", str(remote)], env=b)
    assert joined.exit_code == 0, joined.output
    assert run(["sync"], env=a).exit_code == 0
    for name in ("laptop", "desktop"):
        text = entry_path(Home(tmp_path / name), DAY).read_text()
        assert "laptop words" in text and "desktop words" in text, text


@pytest.mark.slow
def test_a_pack_upgraded_on_one_machine_and_edited_on_the_other_keeps_the_higher_version(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    pack = 'id = "mine"\nname = "Mine"\nversion = "{v}"\ndescription = "{d}"\n\n' + (
        '[[prompts]]\nid = "q"\ntext = "A question?"\ntype = "text"\n'
    )
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    source = tmp_path / "mine.toml"
    source.write_text(pack.format(v="1.0.0", d="first"))
    assert run(["packs", "add", str(source)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    (laptop / "packs" / "mine.toml").write_text(pack.format(v="1.1.0", d="upgraded"))
    (desktop / "packs" / "mine.toml").write_text(pack.format(v="1.0.0", d="edited by hand"))
    assert run(["sync"], env=a).exit_code == 0
    merged = run(["sync"], env=b)
    assert merged.exit_code == 0, merged.output
    (aside,) = (desktop / "packs" / ".versions").glob("mine.other-*.toml")
    assert (
        "Merged packs/mine.toml: edited on both machines; the other machine's version 1.1.0 "
        f"is kept in place, this machine's version 1.0.0 as packs/.versions/{aside.name}\n"
    ) in merged.stderr
    assert 'description = "upgraded"' in (desktop / "packs" / "mine.toml").read_text()
    assert 'description = "edited by hand"' in aside.read_text()
    assert run(["sync"], env=a).exit_code == 0
    assert (laptop / "packs" / "mine.toml").read_text() == pack.format(v="1.1.0", d="upgraded")


@pytest.mark.slow
def test_a_day_new_on_both_machines_across_the_encryption_is_merged_not_set_aside(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    from reflect.journal import crypt
    from tests.test_crypt import make_identity

    keys = tmp_path / "keys"
    keys.mkdir()
    identity = make_identity(keys)
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    assert run(["write", "--date", str(DAY), "first words"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert run(["encrypt", "--identity", str(identity)], env=a).exit_code == 0
    new_day = DAY - dt.timedelta(days=1)
    assert run(["write", "--date", str(new_day), "laptop words"], env=a).exit_code == 0
    assert run(["sync"], env=a).exit_code == 0
    crypt.begin_command(None)
    assert run(["write", "--date", str(new_day), "desktop words"], env=b).exit_code == 0
    taken = run(["sync"], env=b)
    assert taken.exit_code == 0, taken.output
    assert run(["sync"], env=a).exit_code == 0
    crypt.begin_command(None)
    for name in ("laptop", "desktop"):
        home = Home(tmp_path / name)
        files = sorted(p.name for p in home.entries_dir.rglob("*") if p.is_file())
        assert files == ["2026-11-29.md.age", "2026-11-30.md.age"], files
        text = crypt.read_file(home.entries_dir / "2026" / "2026-11-29.md.age").decode()
        assert "laptop words" in text and "desktop words" in text


@pytest.mark.slow
@pytest.mark.parametrize("as_json", [True, False])
def test_a_day_unreadable_across_the_encryption_is_listed_as_set_aside(
    run: Run, tmp_path: Path, remote: Path, as_json: bool
) -> None:
    from reflect.journal import crypt
    from tests.test_crypt import make_identity

    keys = tmp_path / "keys"
    keys.mkdir()
    identity = make_identity(keys)
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    assert run(["write", "--date", str(DAY), "first words"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert run(["encrypt", "--identity", str(identity)], env=a).exit_code == 0
    new_day = DAY - dt.timedelta(days=1)
    # A day broken by hand on the encrypted machine and pushed with git itself.
    laptop = tmp_path / "laptop"
    broken = laptop / "entries" / "2026" / f"{new_day}.md.age"
    broken.write_bytes(crypt.seal_for(broken, b"---\ndate: [\n---\nlaptop words\n"))
    git(laptop, "add", "--all")
    git(laptop, "commit", "--quiet", "-m", "by hand")
    assert run(["sync"], env=a).exit_code == 0
    crypt.begin_command(None)
    assert run(["write", "--date", str(new_day), "desktop words"], env=b).exit_code == 0
    taken = run(["sync", "--json"] if as_json else ["sync"], env=b)
    assert taken.exit_code == 0, taken.output
    crypt.begin_command(None)
    desktop = Home(tmp_path / "desktop")
    (kept,) = desktop.entries_dir.glob(f"2026/{new_day}.other-*.md.age")
    name = kept.relative_to(desktop.root).as_posix()
    assert "desktop words" in crypt.read_file(kept).decode()
    if as_json:
        assert json.loads(taken.stdout)["set_aside"] == [name]
    else:
        assert taken.stdout == ""
        assert f"A version of a day that cannot be read was set aside as {name};" in taken.stderr
    doctor = run(["doctor", "--json"], env=b)
    found = [f for f in json.loads(doctor.stdout)["findings"] if f["path"] == str(kept)]
    assert [f["severity"] for f in found] == ["problem"], doctor.stdout
    assert found[0]["advice"].startswith("copy what is missing from it into `reflect edit`")


def test_the_sync_json_keys_and_format_are_pinned(run: Run, tmp_path: Path, remote: Path) -> None:
    a = machine(tmp_path, "laptop")
    assert run(["write", "--date", str(DAY), "words"], env=a).exit_code == 0
    result = run(["sync", "--init", str(remote), "--json"], env=a)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert list(document) == [
        "format",
        "committed_days",
        "committed_other_file_count",
        "merged_days",
        "set_aside",
        "merge_notes",
        "removed_leftovers",
        "pushed",
        "took_remote_key",
        "offline",
    ]
    assert document["format"] == 3
    assert document["committed_days"] == [str(DAY)] and document["pushed"] is True


@pytest.mark.slow
def test_gits_copies_an_older_reflect_committed_are_removed_from_git_by_the_next_sync(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    assert run(["write", "--date", str(DAY), "words"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    # As an older reflect did: git's copies from a killed merge, committed and pushed.
    (laptop / ".merge_file_Ab12Cd").write_text("a day's words, as git copied them")
    (laptop / "entries" / ".merge_file_Ef34Gh").write_text("another copy")
    git(laptop, "add", "--force", ".merge_file_Ab12Cd", "entries/.merge_file_Ef34Gh")
    git(laptop, "commit", "--quiet", "-m", "an older sync")
    git(laptop, "push", "--quiet", "origin", "main")
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert (desktop / ".merge_file_Ab12Cd").exists()

    cleaned = run(["sync"], env=a)
    assert cleaned.exit_code == 0, cleaned.output
    assert cleaned.stderr == (
        "Removed 2 copies git left from a stopped merge, committed by an older reflect: "
        ".merge_file_Ab12Cd, entries/.merge_file_Ef34Gh\n"
        "Pushed. The journal is in sync.\n"
    )
    assert ".merge_file_" not in git(laptop, "ls-files")
    assert not (laptop / ".merge_file_Ab12Cd").exists()
    assert not (laptop / "entries" / ".merge_file_Ef34Gh").exists()
    assert "reflect: removed git's copies from a stopped merge" in git(laptop, "log")
    assert run(["sync"], env=a).stderr == "Already in sync.\n"

    joined = run(["sync", "--json"], env=b)
    assert joined.exit_code == 0, joined.output
    # Removed there too, before the merge brings in the laptop's removal: both agree.
    assert json.loads(joined.stdout)["removed_leftovers"] == [
        ".merge_file_Ab12Cd",
        "entries/.merge_file_Ef34Gh",
    ]
    assert not (desktop / ".merge_file_Ab12Cd").exists()
    assert ".merge_file_" not in git(desktop, "ls-files")


@pytest.mark.slow
def test_a_sync_merges_days_itself_without_starting_a_driver_per_file(
    run: Run, tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reflect.sync.repo

    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    answer = ["today", "--date", str(DAY), "--no-input", "--answer"]
    assert run([*answer, "daily/mood=3"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert run(["write", "--date", str(DAY), "from the laptop"], env=a).exit_code == 0
    assert run(["write", "--date", str(DAY), "from the desktop"], env=b).exit_code == 0
    assert run(["sync"], env=b).exit_code == 0
    # A driver git would start for each file fails: the sync's own merge does not need it.
    monkeypatch.setattr(reflect.sync.repo, "driver_command", lambda kind: "false")
    merged = run(["sync"], env=a)
    assert merged.exit_code == 0, merged.output
    assert "Brought in 1 day(s) from the other machines: 2026-11-30" in merged.stderr
    text = entry_path(Home(tmp_path / "laptop"), DAY).read_text()
    assert "from the laptop" in text and "from the desktop" in text
    assert git(tmp_path / "laptop", "config", "merge.reflect-entry.driver") == "false\n"
    assert list((tmp_path / "laptop" / ".git" / "reflect-merge").iterdir()) == []


@pytest.mark.slow
def test_a_merge_holds_the_journal_lock_while_it_writes_days(
    run: Run, tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock, Timeout

    import reflect.sync.driver

    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    assert run(["write", "--date", str(DAY), "first"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert run(["write", "--date", str(DAY), "from the laptop"], env=a).exit_code == 0
    assert run(["write", "--date", str(DAY), "from the desktop"], env=b).exit_code == 0
    assert run(["sync"], env=b).exit_code == 0
    held: list[bool] = []
    merge_file = reflect.sync.driver.merge_file

    def watched(*args: object, **kwargs: object) -> object:
        # What a `reflect write` in another terminal would try while the day is merged.
        lock = FileLock(str(Home(tmp_path / "laptop").lock_path))
        try:
            lock.acquire(timeout=0)
            lock.release()
            held.append(False)
        except Timeout:
            held.append(True)
        return merge_file(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reflect.sync.driver, "merge_file", watched)
    merged = run(["sync"], env=a)
    assert merged.exit_code == 0, merged.output
    assert held == [True]


def _fail_with(error: Exception) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise error

    return fail


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "name", "error", "message"),
    [
        (
            "reflect.sync.driver",
            "merge_file",
            RuntimeError("boom"),
            "reflect: could not merge entries/2026/2026-11-30.md with the other machine's version "
            "(left for you to merge: RuntimeError('boom')); nothing was changed: fix what "
            "`reflect doctor` reports and sync again\n",
        ),
        (
            "reflect.sync.repo",
            "write_atomic",
            StorageError("cannot write: the disk is full; free some space and try again"),
            "reflect: cannot write: the disk is full; free some space and try again\n",
        ),
    ],
    ids=["merge fails inside", "disk full"],
)
def test_a_merge_that_fails_stops_the_sync_in_one_line_and_the_next_sync_merges(
    run: Run,
    tmp_path: Path,
    remote: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: str,
    name: str,
    error: Exception,
    message: str,
) -> None:
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    assert run(["write", "--date", str(DAY), "first"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert run(["write", "--date", str(DAY), "from the laptop"], env=a).exit_code == 0
    assert run(["write", "--date", str(DAY), "from the desktop"], env=b).exit_code == 0
    assert run(["sync"], env=b).exit_code == 0
    laptop = tmp_path / "laptop"

    with monkeypatch.context() as patched:
        patched.setattr(importlib.import_module(module), name, _fail_with(error))
        failed = run(["sync"], env=a)
    assert failed.exit_code == 1
    assert failed.stderr == message
    # This machine's day is committed; the merge left nothing behind.
    assert git(laptop, "log", "-1", "--format=%s") == "reflect: 2026-11-30\n"
    assert git(laptop, "status", "--porcelain") == ""
    assert not (laptop / ".git" / "MERGE_HEAD").exists()
    assert "from the laptop" in entry_path(Home(laptop), DAY).read_text()
    again = run(["sync"], env=a)
    assert again.exit_code == 0, again.output
    text = entry_path(Home(laptop), DAY).read_text()
    assert "from the laptop" in text and "from the desktop" in text


def test_what_editors_leave_beside_a_day_never_goes_into_git(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a = machine(tmp_path, "laptop")
    root = tmp_path / "laptop"
    assert run(["write", "--date", str(DAY), "words"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    year = root / "entries" / "2026"
    left = [".2026-11-30.md.swp", "2026-11-30.md~", ".#2026-11-30.md", "#2026-11-30.md#"]
    for name in left:
        (year / name).write_text("an editor's copy")
    (root / ".DS_Store").write_bytes(b"\0")
    assert run(["write", "--date", str(DAY), "more"], env=a).exit_code == 0
    synced = run(["sync"], env=a)
    assert synced.exit_code == 0, synced.output
    assert synced.stderr.startswith("Committed 1 day(s): 2026-11-30\n")
    assert "settings" not in git(root, "log", "-1", "--format=%s")
    tracked = git(root, "ls-files").split()
    assert [n for n in tracked if n.startswith("entries/")] == ["entries/2026/2026-11-30.md"]
    assert ".DS_Store" not in tracked
