"""Every way typed text can meet trouble keeps every word, and says where it is.

Editor outcomes (empty, no front matter, not UTF-8, a non-zero exit, a
full disk at the final save, another writer while the editor is open),
piped text that is not UTF-8, a day whose file is broken, and `:e` in
`reflect today` while another terminal writes to the same answer.
"""

import datetime as dt
import sys
from pathlib import Path

import pytest

from reflect.daily import edit_entry as edit_module
from reflect.daily.external_editor import edit_text
from reflect.daily.session import Session
from reflect.errors import ReflectError, StorageError
from reflect.journal.drafts import find_drafts, kept_texts, merge_prose
from reflect.journal.home import Home
from reflect.journal.store import entry_path, read_entry
from tests.conftest import Run
from tests.test_session import Editing, _gratitude_only

DAY = dt.date(2026, 11, 26)
ORIGINAL = (
    "---\ndate: 2026-11-26\nformat: 1\ntags:\n- team\n---\n\n## Notes (14:32)\n\nFirst words.\n"
)


@pytest.fixture
def entry(home: Home) -> Path:
    home.ensure()
    path = entry_path(home, DAY)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ORIGINAL, encoding="utf-8")
    return path


def use_editor(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, script: str) -> None:
    path = tmp_path / "editor.sh"
    path.write_bytes(b"#!/bin/sh\n" + script.encode("latin-1"))
    path.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(path))


def kept_beside(home: Home) -> list[Path]:
    return sorted(entry_path(home, DAY).parent.glob("2026-11-26.rejected-*.md"))


def leftovers(home: Home) -> list[Path]:
    return list(home.root.glob(".reflect-edit-*"))


# -- reflect edit ----------------------------------------------------------------

EDITS = {
    "empty": ("printf '' > \"$1\"\n", b"", "the file is empty"),
    "front matter deleted": (
        "printf 'Only prose now.\\n' > \"$1\"\n",
        b"Only prose now.\n",
        "the front matter (the --- block with the answers) is gone",
    ),
    "not utf-8": (
        "printf -- '---\\ndate: 2026-11-26\\n---\\n\\ncaf\\351 au lait\\n' > \"$1\"\n",
        b"---\ndate: 2026-11-26\n---\n\ncaf\xe9 au lait\n",
        "is not UTF-8 text (bad byte at offset 29)",
    ),
    "bent opener": (
        "printf -- '--- \\ndate: 2026-11-26\\n---\\nMy words.\\n' > \"$1\"\n",
        b"--- \ndate: 2026-11-26\n---\nMy words.\n",
        "has extra characters; make it exactly ---",
    ),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_that_cannot_be_saved_is_kept_beside(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    script, written, problem = EDITS[name]
    use_editor(monkeypatch, tmp_path, script)
    result = run(["edit", "2026-11-26"], input="n\n")
    assert result.exit_code == 1, result.output
    assert problem in result.stderr
    assert "Traceback" not in result.output
    assert entry.read_text(encoding="utf-8") == ORIGINAL
    if written:
        [kept] = kept_beside(home)
        assert kept.read_bytes() == written, "kept byte for byte"
        assert str(kept) in result.stderr
    assert not leftovers(home)


def test_an_editor_failing_after_saving_keeps_its_text(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_editor(monkeypatch, tmp_path, "printf 'half a thought' >> \"$1\"\nexit 1\n")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 1
    [kept] = kept_beside(home)
    assert kept.read_text(encoding="utf-8") == ORIGINAL + "half a thought"
    assert str(kept) in result.stderr
    assert entry.read_text(encoding="utf-8") == ORIGINAL


def test_a_full_disk_at_the_final_save_keeps_the_edit(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, text: str, **kwargs: object) -> None:
        raise StorageError(f"could not save {path}: the disk is full")

    monkeypatch.setattr(edit_module, "write_atomic", full)
    use_editor(monkeypatch, tmp_path, "printf 'More words.\\n' >> \"$1\"\n")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 1
    [kept] = kept_beside(home)
    assert kept.read_text(encoding="utf-8") == ORIGINAL + "More words.\n"
    assert result.stderr == (
        f"reflect: could not save {entry}: the disk is full; your text is kept in {kept}\n"
    )
    assert entry.read_text(encoding="utf-8") == ORIGINAL
    assert not leftovers(home)


@pytest.mark.slow
def test_another_writer_while_the_editor_is_open_loses_nothing(
    home: Home, entry: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = f"REFLECT_HOME={home.root} {sys.executable} -m reflect write 'from the other terminal' --date 2026-11-26"
    use_editor(monkeypatch, tmp_path, f"{other}\nprintf 'Mine.\\n' >> \"$1\"\n")
    result = run(["edit", "2026-11-26"])
    assert result.exit_code == 1
    [kept] = kept_beside(home)
    assert kept.read_text(encoding="utf-8").endswith("Mine.\n")
    assert "from the other terminal" in entry.read_text(encoding="utf-8")


# -- reflect write -------------------------------------------------------------


def test_piped_text_that_is_not_utf8_is_an_error_with_the_bytes_kept(home: Home, run: Run) -> None:
    result = run(["write", "--date", "2026-11-26"], input=b"caf\xe9 au lait")  # type: ignore[arg-type]
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [kept] = kept_texts(home)
    assert kept.read_bytes() == b"caf\xe9 au lait"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert result.stderr.startswith(
        "reflect: the input is not UTF-8 text (bad byte at offset 3); nothing was saved; "
        "the text is kept as it was in "
    )
    assert str(kept) in result.stderr
    assert not entry_path(home, DAY).exists()
    doctor = run(["doctor"])
    assert str(kept) in doctor.stdout


def test_a_note_for_a_broken_day_goes_to_a_draft(home: Home, run: Run) -> None:
    path = entry_path(home, DAY)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"--- \ndate: 2026-11-26\n---\n")
    result = run(["write", "precious words", "--date", "2026-11-26"])
    assert result.exit_code == 1
    (draft,), _ = find_drafts(home)
    assert [e.text for e in draft.edits] == ["precious words"]
    assert str(draft.path) in result.stderr
    assert path.read_bytes() == b"--- \ndate: 2026-11-26\n---\n"


def test_the_editor_failing_after_saving_keeps_its_text(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.ensure()
    use_editor(monkeypatch, tmp_path, "printf 'a long note' > \"$1\"\nexit 2\n")
    with pytest.raises(
        ReflectError, match="the editor exited with status 2; what it saved is kept in"
    ):
        edit_text("", home)
    [kept] = kept_texts(home)
    assert kept.read_text(encoding="utf-8") == "a long note"
    assert not leftovers(home)


def test_an_editor_saving_more_than_a_day_holds_is_refused_unread_and_its_file_left(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.journal.store import MAX_ENTRY_BYTES

    home.ensure()
    size = MAX_ENTRY_BYTES + 1
    use_editor(monkeypatch, tmp_path, f'head -c {size} /dev/zero | tr "\\0" a > "$1"\n')
    with pytest.raises(ReflectError) as caught:
        edit_text("", home)
    [copy] = home.root.glob(".reflect-edit-*/text.md")
    assert str(caught.value) == (
        "what the editor saved is larger than 16 MB, more than one day holds; nothing was "
        f"saved, and it is left as it is in {copy}"
    )
    assert copy.stat().st_size == size
    assert kept_texts(home) == []


@pytest.mark.parametrize(
    ("script", "why"),
    [
        ('rm "$1"\n', "the editor removed the copy it was given"),
        (
            'rm "$1" && mkfifo "$1"\n',
            "the editor left no file to read there (is a FIFO (named pipe), not a file)",
        ),
        (
            'rm "$1" && ln -s /dev/zero "$1"\n',
            "the editor left no file to read there (is a device, not a file)",
        ),
        ('rm "$1" && mkdir "$1"\n', "the editor left no file to read there (is a folder)"),
    ],
)
def test_an_editor_leaving_no_file_is_one_error_naming_the_copy(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, why: str
) -> None:
    """Not an OSError that the command line words as `cannot write the output`, and no hang."""
    home.ensure()
    use_editor(monkeypatch, tmp_path, script)
    with pytest.raises(ReflectError) as caught:
        edit_text("typed", home)
    assert str(caught.value).endswith(f"/text.md: {why}; nothing was saved")
    assert str(caught.value).startswith(f"{home.root}/.reflect-edit-")
    assert kept_texts(home) == []


def test_the_editor_saving_latin1_keeps_the_bytes(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.ensure()
    use_editor(monkeypatch, tmp_path, "printf 'na\\357ve' > \"$1\"\n")
    with pytest.raises(
        ReflectError,
        match=r"^what the editor saved is not UTF-8 text \(bad byte at offset 2\); nothing was saved",
    ):
        edit_text("", home)
    [kept] = kept_texts(home)
    assert kept.read_bytes() == b"na\xefve"


def test_an_editor_failing_untouched_keeps_nothing(
    home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.ensure()
    use_editor(monkeypatch, tmp_path, "exit 1\n")
    assert edit_text("start", home) is None
    assert kept_texts(home) == [] and not leftovers(home)


# -- :e in reflect today ---------------------------------------------------------


class OtherTerminalWrites(Editing):
    """While the editor is open, another terminal adds to the same answer."""

    def __init__(self, home: Home, lines: list[str], edits: list[str | Exception | None]) -> None:
        super().__init__(lines, edits)
        self.home = home

    def edit(self, initial: str) -> str | None:
        from reflect.daily.session import resolve_answers, save_answers
        from reflect.packs.library import find_pack

        pack = find_pack(self.home, "demo").pack
        save_answers(
            self.home, DAY, resolve_answers([pack], ["gratitude=and the other terminal's"])
        )
        return super().edit(initial)


def test_editing_an_answer_keeps_what_another_terminal_saved_meanwhile(
    demo: Home, run: Run
) -> None:
    run(["today", "--date", str(DAY), "--no-input", "--answer", "gratitude=Tea"])
    term = OtherTerminalWrites(demo, [":e"], ["Tea with Ana, rewritten"])
    Session(demo, DAY, _gratitude_only(demo), term, revisit=True).run()
    entry = read_entry(demo, DAY)
    assert entry is not None
    # The other terminal's --answer replaced "Tea": its words stay, the rewrite below them.
    assert entry.prose("One line of gratitude") == (
        "and the other terminal's\n\nTea with Ana, rewritten"
    )


@pytest.mark.parametrize(
    ("now", "was", "typed", "merged"),
    [
        ("Tea", "Tea", "Tea with Ana", "Tea with Ana"),
        ("Tea\n\nmore", "Tea", "Coffee", "Coffee\n\nmore"),
        ("Replaced", "Tea", "Coffee", "Replaced\n\nCoffee"),
        ("", "", "New", "New"),
    ],
)
def test_merge_prose_drops_no_one_s_words(now: str, was: str, typed: str, merged: str) -> None:
    assert merge_prose(now, was, typed) == merged
