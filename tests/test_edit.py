"""`reflect edit`: the person's editor on a copy; the entry is replaced only by text that reads."""

import datetime as dt
import itertools
from pathlib import Path

import pytest

import reflect.daily.edit_entry as edit_module
from reflect.daily.edit_entry import QUICK_RETURN_SECONDS, Outcome, edit_entry, template
from reflect.journal.home import Home
from reflect.journal.store import entry_path, read_entry

from .conftest import Run

DAY = dt.date(2026, 11, 26)
ORIGINAL = "---\ndate: 2026-11-26\nformat: 1\ntags:\n- team\n---\n\n## Notes (14:32)\n\nTeh launch went well.\n"


@pytest.fixture
def entry(home: Home) -> Path:
    home.ensure()
    path = entry_path(home, DAY)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ORIGINAL, encoding="utf-8")
    return path


def use_editor(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, script: str) -> Path:
    """EDITOR is a small shell script; it gets the draft's path as $1."""
    path = tmp_path / "editor.sh"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(path))
    return path


def rejected(home: Home) -> list[Path]:
    return sorted(entry_path(home, DAY).parent.glob("2026-11-26.rejected-*.md"))


def leftovers(home: Home) -> list[Path]:
    return list(home.root.glob(".reflect-edit-*"))


def test_a_valid_edit_replaces_the_entry(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_editor(monkeypatch, tmp_path, "sed -i 's/Teh/The/' \"$1\"\n")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"Saved {entry}\n"
    assert entry.read_text(encoding="utf-8") == ORIGINAL.replace("Teh", "The")
    assert entry.stat().st_mode & 0o777 == 0o600
    assert not leftovers(home) and not rejected(home)


def test_editing_a_day_with_no_entry_starts_one(
    home: Home, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_editor(monkeypatch, tmp_path, "printf 'Written by hand.\\n' >> \"$1\"\n")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 0, result.output
    path = entry_path(home, DAY)
    assert result.stderr == f"Started {path}\n"
    assert path.read_text(encoding="utf-8") == (
        "---\ndate: 2026-11-26\nformat: 2\n---\n\nWritten by hand.\n"
    )
    assert path.stat().st_mode & 0o777 == 0o600
    entry = read_entry(home, DAY)
    assert entry is not None and "Written by hand." in entry.body


def test_broken_front_matter_then_giving_up_keeps_the_text_beside_the_entry(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_editor(monkeypatch, tmp_path, "sed -i 's/^tags:$/tags: [/' \"$1\"\n")
    result = run(["edit", "2026-11-26"], input="n\n")
    assert result.exit_code == 1
    # The test runner echoes typed input to stdout; a terminal shows it where it was typed.
    assert result.stdout.strip() == "n"
    (kept,) = rejected(home)
    assert kept.read_text(encoding="utf-8") == ORIGINAL.replace("tags:\n", "tags: [\n")
    assert kept.stat().st_mode & 0o777 == 0o600
    problem, question = result.stderr.splitlines()
    assert problem.startswith("reflect: your edit cannot be saved: 2026-11-26.md:5: ")
    assert "front matter is not valid YAML" in problem
    assert "reflect edit" not in problem
    assert question == (
        "Open the editor again to fix it? [Y/n]:"
        f"reflect: 2026-11-26.md is unchanged; your text is kept in {kept}. "
        "Fix it there and copy it over, or run `reflect edit 2026-11-26` again"
    )
    assert entry.read_text(encoding="utf-8") == ORIGINAL
    assert not leftovers(home)


def test_broken_front_matter_reopens_the_same_draft_to_fix(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first round breaks a date; the second finds that text and repairs it.
    use_editor(
        monkeypatch,
        tmp_path,
        'if grep -q "date: 2026-13-45" "$1"; then sed -i "s/2026-13-45/2026-11-26/" "$1"; '
        'else sed -i "s/2026-11-26/2026-13-45/; s/Teh/The/" "$1"; fi\n',
    )
    result = run(["edit", "2026-11-26"], input="y\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "reflect: your edit cannot be saved: 2026-11-26.md: front matter has a date that is "
        "not a real day (month must be in 1..12)"
    )
    assert result.stderr.endswith(f"[Y/n]:Saved {entry}\n")
    assert entry.read_text(encoding="utf-8") == ORIGINAL.replace("Teh", "The")
    assert not rejected(home)


def test_a_date_that_disagrees_with_the_file_name_is_explained(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_editor(monkeypatch, tmp_path, "sed -i 's/2026-11-26/2026-11-27/' \"$1\"\n")
    result = run(["edit", "2026-11-26"])  # no input: giving up is the answer
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "reflect: your edit cannot be saved: 2026-11-26.md: front matter says date 2026-11-27 "
        "but the file is named for 2026-11-26; set it back to 2026-11-26"
    )
    assert len(rejected(home)) == 1
    assert entry.read_text(encoding="utf-8") == ORIGINAL


def test_an_editor_that_fails_changes_nothing_and_keeps_what_it_saved(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_editor(monkeypatch, tmp_path, "echo 'gone' > \"$1\"\nexit 3\n")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 1
    assert result.stdout == ""
    [kept] = rejected(home)
    assert result.stderr == (
        f"reflect: the editor exited with status 3; 2026-11-26.md is unchanged; "
        f"what you typed is kept in {kept}\n"
    )
    assert kept.read_text(encoding="utf-8") == "gone\n"
    assert entry.read_text(encoding="utf-8") == ORIGINAL
    assert not leftovers(home)


def test_an_editor_that_fails_without_writing_keeps_nothing(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_editor(monkeypatch, tmp_path, "exit 3\n")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 1
    assert result.stderr == "reflect: the editor exited with status 3; 2026-11-26.md is unchanged\n"
    assert not rejected(home) and not leftovers(home)


def test_an_unchanged_file_changes_nothing(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = entry.stat().st_mtime_ns
    use_editor(monkeypatch, tmp_path, "exit 0\n")
    # The editor's clock, as the command uses it: every reading a full threshold later.
    monkeypatch.setattr(
        edit_module, "monotonic", itertools.count(0.0, QUICK_RETURN_SECONDS).__next__
    )
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"No changes; {entry} is as it was.\n"
    assert entry.stat().st_mtime_ns == before


def test_an_editor_that_returns_at_once_is_caught(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = use_editor(monkeypatch, tmp_path, "exit 0\n")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"reflect: the editor ({editor}) returned after 0.")
    assert 'set EDITOR to a command that waits, e.g. export EDITOR="code --wait"' in result.stderr
    assert result.stderr.count("\n") == 1
    assert entry.read_text(encoding="utf-8") == ORIGINAL


def test_a_missing_editor_is_one_line(
    home: Home, entry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 1
    assert result.stderr.startswith("reflect: could not start the editor '/nonexistent/editor'")
    assert entry.read_text(encoding="utf-8") == ORIGINAL and not leftovers(home)


def test_a_broken_entry_can_be_repaired_with_edit(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry.write_text(ORIGINAL.replace("tags:\n", "tags: [\n"), encoding="utf-8")
    assert run(["show", "2026-11-26"]).exit_code == 1
    use_editor(monkeypatch, tmp_path, "sed -i 's/^tags: \\[$/tags:/' \"$1\"\n")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert entry.read_text(encoding="utf-8") == ORIGINAL


# -- the library, with a clock and an editor that are not real ----------------------


def test_a_second_write_while_the_editor_is_open_is_not_overwritten(
    home: Home, entry: Path
) -> None:
    def editor(draft: Path) -> int:
        entry.write_text(ORIGINAL + "\nWritten meanwhile.\n", encoding="utf-8")
        draft.write_text(ORIGINAL.replace("Teh", "The"), encoding="utf-8")
        return 0

    result = edit_entry(home, DAY, editor, lambda problem: False)
    assert result.outcome is Outcome.CONFLICT
    assert entry.read_text(encoding="utf-8").endswith("Written meanwhile.\n")
    assert result.kept is not None
    assert result.kept.read_text(encoding="utf-8") == ORIGINAL.replace("Teh", "The")


@pytest.mark.parametrize(
    ("seconds", "outcome"),
    [
        (0.05, Outcome.TOO_QUICK),
        (QUICK_RETURN_SECONDS - 0.01, Outcome.TOO_QUICK),
        (QUICK_RETURN_SECONDS, Outcome.UNCHANGED),
    ],
)
def test_the_quick_return_threshold(
    home: Home, entry: Path, seconds: float, outcome: Outcome
) -> None:
    ticks = iter([0.0, seconds])
    result = edit_entry(
        home, DAY, lambda draft: 0, lambda problem: False, clock=lambda: next(ticks)
    )
    assert result.outcome is outcome


def test_failing_on_a_second_round_keeps_what_was_typed(home: Home, entry: Path) -> None:
    rounds = iter([0, 1])

    def editor(draft: Path) -> int:
        draft.write_text("---\ndate: [\n---\nStill mine.\n", encoding="utf-8")
        return next(rounds)

    result = edit_entry(home, DAY, editor, lambda problem: True)
    assert result.outcome is Outcome.EDITOR_FAILED and result.status == 1
    assert result.kept is not None
    assert result.kept.read_text(encoding="utf-8").endswith("Still mine.\n")
    assert entry.read_text(encoding="utf-8") == ORIGINAL


def test_the_new_day_template_parses() -> None:
    assert template(DAY) == "---\ndate: 2026-11-26\nformat: 2\n---\n\n"


def killed_edit(home: Home, started_from: bytes | None, text: str) -> Path:
    """The copy a `reflect edit` killed while its editor was open leaves (no lock held)."""
    from reflect.journal.edit_copies import entry_tag

    folder = home.root / f".reflect-edit-{entry_tag(started_from)}-k1ll3d00"
    folder.mkdir(mode=0o700)
    copy = folder / "2026-11-26.md"
    copy.write_text(text, encoding="utf-8")
    return copy


EDITED = ORIGINAL.replace("Teh", "The") + "\nWritten before the crash.\n"


def test_doctor_finding_a_killed_edit_says_once_how_to_get_it_back(
    home: Home, entry: Path, run: Run
) -> None:
    killed_edit(home, ORIGINAL.encode(), EDITED)
    result = run(["doctor"])
    (kept,) = (home.root / ".recovery").glob("edit-2026-11-26-*.txt")
    lines = [line for line in result.stdout.splitlines() if "an edit left open" in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].count("`reflect edit 2026-11-26` puts it back in the editor") == 1, lines[0]
    assert str(kept) in lines[0]


def test_a_killed_edit_is_kept_and_the_next_edit_of_the_day_puts_it_back(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = killed_edit(home, ORIGINAL.encode(), EDITED)
    # The next command moves it into the recovery folder, as an encrypted journal does.
    result = run(["log"])
    assert result.exit_code == 0, result.output
    (kept,) = (home.root / ".recovery").glob("edit-2026-11-26-*.txt")
    assert result.stderr == (
        f"reflect: warning: {copy}: an edit left open when reflect was stopped; its text is "
        f"kept in {kept}; `reflect edit 2026-11-26` puts it back in the editor; "
        "the copy is removed\n"
    )
    assert kept.read_text(encoding="utf-8") == EDITED
    assert leftovers(home) == [] and entry.read_text(encoding="utf-8") == ORIGINAL
    doctor = run(["doctor"]).stdout
    assert (
        f"warning: {kept}: writing kept from a save that did not go through; "
        "`reflect edit 2026-11-26` puts it back in the editor, to save into the day "
        "(then it is deleted)\n"
    ) in doctor

    shown = tmp_path / "shown.md"
    use_editor(monkeypatch, tmp_path, f'cp "$1" {shown}\n')
    monkeypatch.setattr(
        edit_module, "monotonic", itertools.count(0.0, QUICK_RETURN_SECONDS).__next__
    )
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert shown.read_text(encoding="utf-8") == EDITED
    assert result.stderr == (
        "reflect: 2026-11-26: the text of an edit left open when reflect was stopped is back "
        f"in the editor (kept in {kept} until the day is saved)\n"
        f"Removed {kept}: its text was in the editor when the day was saved\n"
        f"Saved {entry}\n"
    )
    assert entry.read_text(encoding="utf-8") == EDITED
    assert not kept.exists() and leftovers(home) == []


def test_an_edit_killed_twice_with_the_same_text_is_kept_and_shown_once(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = ORIGINAL + "\n## Notes (18:00)\n\nWritten after the crash.\n"
    for _ in range(2):
        killed_edit(home, ORIGINAL.encode(), EDITED)
        assert run(["log"]).exit_code == 0
    (kept,) = (home.root / ".recovery").glob("edit-2026-11-26-*.txt")
    # Kept twice by an older reflect: the next edit shows the text once, and removes both.
    twin = kept.with_name(kept.name.replace(".txt", "-2.txt"))
    twin.write_text(EDITED, encoding="utf-8")
    entry.write_text(newer, encoding="utf-8")
    use_editor(monkeypatch, tmp_path, "exit 0\n")
    monkeypatch.setattr(
        edit_module, "monotonic", itertools.count(0.0, QUICK_RETURN_SECONDS).__next__
    )
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 0, result.output
    saved = entry.read_text(encoding="utf-8")
    assert saved.count("```text\n") == 1 and saved.count("Written before the crash.") == 1
    assert not kept.exists() and not twin.exists()


def test_an_oversized_file_a_killed_edit_left_stays_in_place_and_is_named(
    home: Home, entry: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.journal import edit_copies

    monkeypatch.setattr(edit_copies, "MAX_COPY_BYTES", 1024)
    copy = killed_edit(home, ORIGINAL.encode(), "x" * 2000)
    backup = copy.with_name("2026-11-26.md~")
    backup.write_text("y" * 2000, encoding="utf-8")
    for _ in range(2):  # named by every command until it is dealt with, never removed
        result = run(["log"])
        assert result.exit_code == 0, result.output
        assert result.stderr == "".join(
            f"reflect: warning: {path}: an edit left open when reflect was stopped; it is "
            "larger than reflect reads (1 KB), so it stays there untouched: open it, copy "
            "what you want into `reflect edit`, then delete it\n"
            for path in (copy, backup)
        )
        assert copy.read_text(encoding="utf-8") == "x" * 2000
        assert backup.read_text(encoding="utf-8") == "y" * 2000
    assert not (home.root / ".recovery").exists()


@pytest.mark.parametrize(
    ("gained", "gratitude"),
    [
        ("\n## Notes (18:00)\n\nWritten after the crash.\n", None),
        # A free-text answer last: the kept edit must not become part of the answer.
        (
            "\n## Write one line of gratitude: what are you glad of today?\n"
            "<!-- reflect: daily/gratitude -->\n\nA quiet evening.\n",
            "A quiet evening.",
        ),
    ],
    ids=["a note", "a free-text answer"],
)
def test_a_kept_edit_never_replaces_text_the_day_gained_after_it_began(
    home: Home,
    entry: Path,
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    gained: str,
    gratitude: str | None,
) -> None:
    from reflect.journal.entry import parse_entry

    killed_edit(home, ORIGINAL.encode(), EDITED)
    newer = ORIGINAL + gained
    entry.write_text(newer, encoding="utf-8")
    assert run(["log"]).exit_code == 0
    (kept,) = (home.root / ".recovery").glob("edit-2026-11-26-*.txt")
    use_editor(monkeypatch, tmp_path, "exit 0\n")
    monkeypatch.setattr(
        edit_module, "monotonic", itertools.count(0.0, QUICK_RETURN_SECONDS).__next__
    )
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 0, result.output
    saved = entry.read_text(encoding="utf-8")
    # The day as it is now comes first, whole; the kept edit follows it, fenced, to copy from.
    assert saved.startswith(newer.rstrip("\n") + "\n")
    assert saved.endswith(f"\n```text\n{EDITED.rstrip()}\n```\n")
    assert f"kept in {kept}. The day changed after that edit began" in saved
    assert not kept.exists()
    # Closing the editor files the kept text as a note of its own: an answer (which an
    # export to a coach may carry) is as it was, not the answer plus the whole old edit.
    assert parse_entry(saved, entry.name, DAY).prose_for("daily/gratitude") == gratitude


def test_a_kept_edit_stays_while_the_day_is_not_saved(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    killed_edit(home, ORIGINAL.encode(), EDITED)
    assert run(["log"]).exit_code == 0
    (kept,) = (home.root / ".recovery").glob("edit-2026-11-26-*.txt")
    use_editor(monkeypatch, tmp_path, "exit 0\n")
    # An editor back at once (a window that did not wait) saves nothing, kept text included.
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 1
    assert entry.read_text(encoding="utf-8") == ORIGINAL and kept.exists()
    use_editor(monkeypatch, tmp_path, "exit 4\n")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 1
    assert entry.read_text(encoding="utf-8") == ORIGINAL and kept.exists()


@pytest.mark.parametrize("where", ["folder", "text"])
def test_a_full_disk_before_the_editor_opens_says_so_and_changes_nothing(
    home: Home, entry: Path, run: Run, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    import errno
    import tempfile

    from reflect.journal import edit_copies

    def full(*args: object, **kwargs: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "folder":
        monkeypatch.setattr(tempfile, "mkdtemp", full)
    else:
        real_open = Path.open

        def open_full(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
            if "w" in mode and self.name == "2026-11-26.md":
                full()
            return real_open(self, mode, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(edit_copies.Path, "open", open_full)
    monkeypatch.setenv("EDITOR", "true")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"reflect: cannot make the private copy an editor works on in {home.root}: the disk "
        "is full; free some space and try again; nothing was changed\n"
    )
    assert entry.read_text(encoding="utf-8") == ORIGINAL and not leftovers(home)


def test_a_copy_another_terminal_holds_is_left_alone_until_it_lets_go(
    home: Home, entry: Path, run: Run
) -> None:
    import fcntl
    import os

    copy = killed_edit(home, ORIGINAL.encode(), EDITED)
    # Another terminal's editing session (or a command securing it right now) holds the lock.
    fd = os.open(copy.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = run(["log"])
        assert result.exit_code == 0, result.output
        assert "edit left open" not in result.stderr
        assert copy.read_text(encoding="utf-8") == EDITED
        assert not (home.root / ".recovery").exists()
    finally:
        os.close(fd)
    result = run(["log"])
    assert "edit left open" in result.stderr
    (kept,) = (home.root / ".recovery").glob("edit-2026-11-26-*.txt")
    assert kept.read_text(encoding="utf-8") == EDITED and not copy.exists()
