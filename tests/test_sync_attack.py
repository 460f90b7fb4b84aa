"""reflect sync against what a person or another tool leaves in a journal: files of any kind."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run, git, machine


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and ".git" not in p.parts
        and p.name != ".reflect.lock"
        and ".cache" not in p.parts
    }


@pytest.mark.slow
def test_files_that_are_not_days_changed_on_both_machines_keep_both_versions(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    year = laptop / "entries" / "2026"
    year.mkdir(parents=True)
    (year / "pic.png").write_bytes(b"\x89PNG\x00base")
    (year / "todo.md").write_text("# my list\n\none\n")
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    other = desktop / "entries" / "2026"
    (year / "pic.png").write_bytes(b"\x89PNG\x00laptop")
    (other / "pic.png").write_bytes(b"\x89PNG\x00desktop")
    (year / "todo.md").write_text("# my list\n\none\ntwo from the laptop\n")
    (other / "todo.md").write_text("# my list\n\nzero from the desktop\none\n")
    assert run(["sync"], env=a).exit_code == 0
    merged = run(["sync"], env=b)
    assert merged.exit_code == 0, merged.output
    assert (other / "pic.png").read_bytes() == b"\x89PNG\x00desktop"
    kept = [p for p in other.iterdir() if p.name.startswith("pic.other-")]
    assert [p.read_bytes() for p in kept] == [b"\x89PNG\x00laptop"]
    assert kept[0].name in merged.stderr
    assert "<<<<" not in (other / "todo.md").read_text()
    words = (other / "todo.md").read_text() + "".join(
        p.read_text()
        for p in other.iterdir()
        if p.name.startswith("todo.other-") and p.suffix == ".md"
    )
    assert "two from the laptop" in words and "zero from the desktop" in words
    assert run(["sync"], env=a).exit_code == 0
    assert tree(laptop) == tree(desktop)
    doctor = run(["doctor"], env=a)
    assert kept[0].name in doctor.output


def test_a_day_in_the_wrong_year_folder_stops_the_sync_with_the_move_not_an_edit(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a = machine(tmp_path, "laptop")
    root = tmp_path / "laptop"
    wrong = root / "entries" / "2025" / "2026-11-07.md"
    wrong.parent.mkdir(parents=True)
    wrong.write_text("---\ndate: 2026-11-07\n---\n\nwritten in the wrong folder\n")
    refused = run(["sync", "--init", str(remote)], env=a)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    right = root / "entries" / "2026" / "2026-11-07.md"
    assert refused.stderr == (
        f"reflect: {wrong}: a day of 2026 in the 2025 folder; left alone "
        f"(move it: mkdir -p {right.parent} && mv {wrong} {right}); "
        "nothing was synced: move it as said, then sync again\n"
    )
    right.parent.mkdir()
    wrong.rename(right)
    synced = run(["sync"], env=a)
    assert synced.exit_code == 0, synced.output
    assert "Committed 1 day(s): 2026-11-07" in synced.stderr


@pytest.mark.slow
def test_a_local_pre_push_hook_that_refuses_is_an_error_not_offline(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a = machine(tmp_path, "laptop")
    root = tmp_path / "laptop"
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    hooks = root / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    hook = hooks / "pre-push"
    hook.write_text("#!/bin/sh\necho 'tests fail, no push' >&2\nexit 1\n")
    hook.chmod(0o755)
    assert run(["write", "--date", "2026-11-30", "kept here"], env=a).exit_code == 0
    refused = run(["sync", "--json"], env=a)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        "reflect: this journal's git pre-push hook refused the push (tests fail, no push); "
        f"what changed is committed here: fix or remove {hook}, then `reflect sync`\n"
    )
    hook.unlink()
    again = run(["sync"], env=a)
    assert again.exit_code == 0, again.output
    assert "Pushed. The journal is in sync." in again.stderr


def test_a_comment_reworded_on_one_side_while_the_other_adds_one_is_not_brought_back() -> None:
    from reflect.sync.merge import merge_entry

    def day(comments: str) -> str:
        return f"---\ndate: 2026-11-30\nformat: 2\n{comments}daily/mood: 2\n---\n\nbody\n"

    base = day("# the old words\n")
    ours = day("# the new words\n")
    theirs = day("# the old words\n# a line added there\n")
    text = merge_entry(base, ours, theirs, "x.md").text
    assert text == day("# the new words\n# a line added there\n")


def test_a_both_kept_block_merged_again_with_a_third_version_has_one_marker() -> None:
    from reflect.sync.merge import BOTH_KEPT, merge_entry

    def day(body: str) -> str:
        return f"---\ndate: 2026-11-30\nformat: 2\n---\n\n{body}\n"

    base = day("A text")
    ours = day("A text\n\nB more")
    # The other machine already merged a third version in after its own words.
    theirs = day(f"A text\n\n{BOTH_KEPT}\n\nC text")
    text = merge_entry(base, ours, theirs, "x.md").text
    assert text == day(f"A text\n\nB more\n\n{BOTH_KEPT}\n\nC text")


def test_config_changed_on_both_machines_keeps_its_comments_and_style() -> None:
    from reflect.sync.files import merge_config

    base = '# my settings: keep these\npacks = ["daily"]  # only daily\nname = "Ana"\n'
    ours = base.replace('"Ana"', '"Ana L."')
    theirs = base + 'editor = "vim"\n'
    assert merge_config(base, ours, theirs) == ours + 'editor = "vim"\n'
    # The same setting changed on both sides: this machine's value, as it wrote it.
    clash = merge_config(base, ours, base.replace('"Ana"', '"A."'))
    assert clash == ours


def test_the_driver_git_runs_keeps_both_versions_of_a_file_under_entries_that_is_no_day(
    tmp_path: Path,
) -> None:
    from reflect.sync.driver import merge_file

    folder = tmp_path / "entries" / "2026"
    folder.mkdir(parents=True)
    base, ours, theirs = tmp_path / "b", folder / "todo.md", tmp_path / "t"
    base.write_text("one\n")
    ours.write_text("one\nhere\n")
    theirs.write_text("there\none\n")
    result = merge_file("entry", base, ours, theirs, "entries/2026/todo.md", root=tmp_path)
    assert result.clean
    assert ours.read_text() == "one\nhere\n"
    (kept,) = result.kept
    assert kept.startswith("entries/2026/todo.other-") and kept.endswith(".md")
    assert (tmp_path / kept).read_text() == "there\none\n"


@pytest.mark.slow
def test_a_setting_changed_on_both_machines_says_the_value_not_kept(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    laptop.mkdir()
    (laptop / "config.toml").write_text('# mine\nname = "Ana"\neditor = "vim"\n')
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    (laptop / "config.toml").write_text('# mine\nname = "Ana L."\neditor = "nano"\n')
    (desktop / "config.toml").write_text('# mine\nname = "A. \\u001b[31m"\n')
    assert run(["sync"], env=a).exit_code == 0
    merged = run(["sync", "--json"], env=b)
    assert merged.exit_code == 0, merged.output
    notes = json.loads(merged.stdout)["merge_notes"]
    assert notes == [
        'config.toml: `name` changed on both machines; this machine\'s value "A. \\u001b[31m" '
        'is kept, the other machine\'s value was "Ana L."',
        "config.toml: `editor` changed on both machines; removed here, "
        'the other machine\'s value was "nano"',
    ]
    (desktop / "config.toml").write_text('# mine\nname = "B"\n')
    (laptop / "config.toml").write_text('# mine\nname = "C"\n')
    assert run(["sync"], env=b).exit_code == 0
    said = run(["sync"], env=a)
    assert said.exit_code == 0, said.output
    assert (
        'Merged config.toml: `name` changed on both machines; this machine\'s value "C" '
        'is kept, the other machine\'s value was "B"\n'
    ) in said.stderr
    assert (laptop / "config.toml").read_text() == '# mine\nname = "C"\n'


def test_merge_config_notes_each_setting_not_kept() -> None:
    from reflect.sync.files import merge_config

    notes: list[str] = []
    base = 'name = "Ana"\n[sub]\nx = 1\n'
    merged = merge_config(base, 'name = "Ana"\n', 'name = "Ana"\n[sub]\nx = 2\n', notes)
    assert merged == 'name = "Ana"\n'
    assert notes == [
        "config.toml: `sub` changed on both machines; removed here, "
        'the other machine\'s value was {"x": 2}'
    ]


@pytest.mark.slow
def test_a_config_that_does_not_read_is_never_committed(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a = machine(tmp_path, "laptop")
    root = tmp_path / "laptop"
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    config = root / "config.toml"
    config.write_text('name = "Ana"\neditor = vim\n')
    refused = run(["sync"], env=a)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        f"reflect: {config}: not valid TOML: Invalid value (at line 2, column 10); "
        "nothing was synced: fix config.toml in an editor (`reflect doctor` says what is "
        "wrong), then sync again\n"
    )
    assert git(root, "status", "--porcelain") == "?? config.toml\n"
    # A setting reflect does not know does not read either.
    config.write_text('name = "Ana"\ncolour = "blue"\n')
    unknown = run(["sync"], env=a)
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith(f"reflect: {config}: colour: unknown key; ")
    assert unknown.stderr.count("\n") == 1 and "nothing was synced" in unknown.stderr
    config.write_text('name = "Ana"\n')
    assert run(["sync"], env=a).exit_code == 0


@pytest.mark.slow
def test_a_config_pushed_unreadable_by_hand_stops_the_merge_saying_where_to_fix_it(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    laptop.mkdir()
    (laptop / "config.toml").write_text('name = "Ana"\n')
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert run(["sync"], env=a).exit_code == 0
    # An older reflect, or git by hand, pushed a config.toml that does not read.
    (laptop / "config.toml").write_text('name = "Ana"\neditor = vim\n')
    git(laptop, "commit", "--quiet", "-am", "by hand")
    git(laptop, "push", "--quiet", "origin", "HEAD:main")
    (desktop / "config.toml").write_text('name = "Ana D."\n')
    stopped = run(["sync"], env=b)
    assert stopped.exit_code == 1
    assert stopped.stderr == (
        "reflect: could not merge config.toml with the other machine's version (the other "
        "machine's version is not valid TOML: Invalid value (at line 2, column 10)); nothing "
        "was changed: fix config.toml on the machine that last synced it (its `reflect "
        "doctor` names the line) and sync there, then sync here again\n"
    )
    assert not (desktop / ".git" / "MERGE_HEAD").exists()
    # Fixed there and synced: the merge here goes on.
    (laptop / "config.toml").write_text('name = "Ana"\neditor = "vim"\n')
    assert run(["sync"], env=a).exit_code == 0, "fixed"
    merged = run(["sync"], env=b)
    assert merged.exit_code == 0, merged.output
    assert (desktop / "config.toml").read_text() == 'name = "Ana D."\neditor = "vim"\n'


KILLED_IN_MERGE = """
import os, signal, sys
import reflect.sync.repo as repo
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
repo._merge_by_meaning = killed
from reflect.main import main
sys.argv = ["reflect", "sync"]
main()
"""


def two_machines_with_one_day_changed_on_both(
    run: Run, tmp_path: Path, remote: Path
) -> tuple[dict[str, str], Path]:
    a, b = machine(tmp_path, "laptop"), machine(tmp_path, "desktop")
    day = ["write", "--date", "2026-11-30"]
    assert run([*day, "first"], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=a).exit_code == 0
    assert run(["sync", "--init", str(remote)], env=b).exit_code == 0
    assert run([*day, "from the laptop"], env=a).exit_code == 0
    assert run(["sync"], env=a).exit_code == 0
    assert run([*day, "from the desktop"], env=b).exit_code == 0
    return b, tmp_path / "desktop"


@pytest.mark.slow
def test_a_sync_killed_in_its_merge_is_undone_and_merged_again_by_the_next(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    import os
    import signal
    import sys

    b, desktop = two_machines_with_one_day_changed_on_both(run, tmp_path, remote)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_IN_MERGE],
        env={**os.environ, **b},
        capture_output=True,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    assert (desktop / ".git" / "MERGE_HEAD").exists()

    again = run(["sync", "--json"], env=b)
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["merge_notes"] == [
        "a merge a stopped `reflect sync` left unfinished was undone (`git merge --abort`) "
        "and made again"
    ]
    assert not (desktop / ".git" / "MERGE_HEAD").exists()
    assert not (desktop / ".git" / "reflect-sync-merging").exists()
    text = (desktop / "entries" / "2026" / "2026-11-30.md").read_text()
    assert "from the laptop" in text and "from the desktop" in text
    assert git(desktop, "status", "--porcelain") == ""


@pytest.mark.slow
def test_the_text_of_a_sync_that_undid_a_killed_merge_says_so_in_one_line(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    import os
    import sys

    b, _ = two_machines_with_one_day_changed_on_both(run, tmp_path, remote)
    env = {**os.environ, **b}
    subprocess.run([sys.executable, "-c", KILLED_IN_MERGE], env=env, check=False)
    again = run(["sync"], env=b)
    assert again.exit_code == 0, again.output
    assert again.stderr.startswith(
        "A merge a stopped `reflect sync` left unfinished was undone "
        "(`git merge --abort`); merging again.\n"
    )
    assert "Brought in 1 day(s) from the other machines: 2026-11-30\n" in again.stderr


@pytest.mark.slow
def test_a_merge_started_by_hand_is_left_to_the_person(
    run: Run, tmp_path: Path, remote: Path
) -> None:
    b, desktop = two_machines_with_one_day_changed_on_both(run, tmp_path, remote)
    assert run(["sync"], env=b).exit_code == 0  # commits; merges the laptop's
    a = machine(tmp_path, "laptop")
    assert run(["write", "--date", "2026-11-30", "again on the laptop"], env=a).exit_code == 0
    assert run(["sync"], env=a).exit_code == 0
    day = desktop / "entries" / "2026" / "2026-11-30.md"
    day.write_text(day.read_text() + "\nby hand\n")
    git(desktop, "commit", "--quiet", "-am", "by hand")
    git(desktop, "fetch", "--quiet", "origin")
    # A marker a killed sync left after its merge was made names another commit.
    (desktop / ".git" / "reflect-sync-merging").write_text("0" * 40 + "\n")
    by_hand = subprocess.run(
        [
            "git",
            "-C",
            str(desktop),
            "-c",
            "merge.reflect-entry.driver=false",
            "merge",
            "origin/main",
        ],
        capture_output=True,
        check=False,
    )
    assert by_hand.returncode == 1
    refused = run(["sync"], env=b)
    assert refused.exit_code == 1
    assert refused.stderr == (
        "reflect: a merge is unfinished in this journal; `reflect doctor` says what is left, "
        f"or `git -C {desktop} merge --abort` undoes it\n"
    )
    assert (desktop / ".git" / "MERGE_HEAD").exists()
    assert not (desktop / ".git" / "reflect-sync-merging").exists()
