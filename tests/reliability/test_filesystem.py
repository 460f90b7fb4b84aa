"""Permissions whatever the umask, symlinked journals, odd paths, and staying inside the home."""

import datetime as dt
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from reflect.packs.library import load_pack
from tests.conftest import Run

DAY = dt.date(2026, 11, 26)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0)
    yield
    os.umask(old)


def modes(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)): p.stat().st_mode & 0o777
        for p in [root, *root.rglob("*")]
        if not p.is_symlink()
    }


def test_private_whatever_the_umask(home: Home, run: Run, loose_umask: None) -> None:
    run(["today", "--date", str(DAY), "--no-input", "--answer", "daily/mood=3"])
    run(["write", "note", "--date", str(DAY)])
    run(["packs", "enable", "co-creator"])
    found = modes(home.root)
    assert found["entries/2026/2026-11-26.md"] == 0o600
    assert found["config.toml"] == 0o600
    assert {m for p, m in found.items() if (home.root / p).is_dir()} == {0o700}
    assert {m for p, m in found.items() if (home.root / p).is_file()} == {0o600}


def test_a_journal_home_that_is_a_symlink(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced = tmp_path / "Sync" / "journal"
    synced.mkdir(parents=True)
    link = tmp_path / "journal-link"
    link.symlink_to(synced)
    monkeypatch.setenv("REFLECT_HOME", str(link))
    result = run(["today", "--date", str(DAY), "--no-input", "--answer", "daily/mood=3"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert (synced / "entries" / "2026" / "2026-11-26.md").is_file()


def test_an_entry_that_is_a_symlink_is_written_through(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    target = tmp_path / "vault" / "2026-11-26.md"
    target.parent.mkdir()
    target.write_text("---\ndate: 2026-11-26\n---\nKept in my vault.\n", encoding="utf-8")
    link = entry_path(demo, DAY)
    link.parent.mkdir(parents=True)
    link.symlink_to(target)
    result = run(["today", "--date", str(DAY), "--no-input", "--answer", "mood=4"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink(), "the link is kept, not replaced by a regular file"
    text = target.read_text(encoding="utf-8")
    assert "mood: 4" in text and "Kept in my vault." in text
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".reflect-tmp-")]


def test_a_path_with_spaces_and_unicode(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "My Journal — été 日記"
    monkeypatch.setenv("REFLECT_HOME", str(home))
    assert run(["write", "Ça marche", "--date", str(DAY)]).exit_code == 0
    data = run(["show", str(DAY), "--json"])
    assert data.exit_code == 0 and "Ça marche" in data.stdout


@pytest.mark.parametrize("pack_id", ["../escape", "/etc/passwd", "a/../../b", "..", "x\u202e"])
def test_no_pack_id_names_a_path_outside_the_home(
    home: Home, tmp_path: Path, run: Run, pack_id: str
) -> None:
    hostile = tmp_path / "hostile.toml"
    hostile.write_text(
        f'id = "{pack_id}"\nname = "x"\nversion = "1.0.0"\n[[prompts]]\nid = "q"\ntext = "Q?"\ntype = "text"\n',
        encoding="utf-8",
    )
    result = run(["packs", "add", str(hostile)])
    assert result.exit_code == 1
    assert "id: must be a lower-case id" in result.stderr
    assert not home.packs_dir.exists() or list(home.packs_dir.iterdir()) == []
    for command in (
        ["packs", "enable", pack_id],
        ["packs", "show", pack_id],
        ["packs", "remove", pack_id],
    ):
        assert run(command).exit_code == 1


@pytest.mark.parametrize("date", ["../../etc", "2026-11-26/../../x", "2026-02-30", "99999-01-01"])
def test_no_date_names_a_path_outside_the_home(home: Home, run: Run, date: str) -> None:
    result = run(["write", "x", "--date", date])
    assert result.exit_code == 2
    assert "is not a day" in result.stderr
    assert not home.entries_dir.exists() or list(home.entries_dir.rglob("*.md")) == []


@pytest.mark.slow
def test_a_one_megabyte_entry(demo: Home, run: Run) -> None:
    prose = ("A long day of writing, every word kept. " * 30 + "\n\n") * 850
    assert len(prose.encode()) > 1_000_000
    # CPU seconds of this process, not the wall clock, which a busy machine stretches:
    # the bound is far above the ~0.3 s it takes, to catch a quadratic read or write.
    start = time.process_time()
    assert run(["write", prose, "--date", str(DAY)]).exit_code == 0
    assert run(["today", "--date", str(DAY), "--no-input", "--answer", "mood=3"]).exit_code == 0
    assert run(["show", str(DAY), "--json"]).exit_code == 0
    assert time.process_time() - start < 10
    path = entry_path(demo, DAY)
    entry = parse_entry(path.read_text(encoding="utf-8"), str(path), DAY)
    assert entry.notes()[0].text == prose.strip()


@pytest.mark.slow
def test_a_pack_of_five_thousand_prompts(home: Home, tmp_path: Path, run: Run) -> None:
    lines = ['id = "huge"', 'name = "Huge"', 'version = "1.0.0"']
    for n in range(5000):
        lines += ["[[prompts]]", f'id = "q{n}"', f'text = "Question {n}?"', 'type = "yes-no"']
    path = tmp_path / "huge.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.process_time()  # CPU seconds, as above
    assert len(load_pack(path).prompts) == 5000
    result = run(["packs", "add", str(path), "--enable"])
    assert result.exit_code == 0, result.output
    assert len(run(["prompt", "--json"]).stdout) > 0
    assert time.process_time() - start < 15
    lines += ["[[prompts]]", 'id = "one-too-many"', 'text = "Q?"', 'type = "yes-no"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(["packs", "validate", str(path)])
    assert result.exit_code == 1
    assert "prompts: List should have at most 5000 items" in result.stdout


def test_writing_into_a_folder_that_does_not_exist(demo: Home, run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    for args in (
        ["packs", "new", "x", "-o", str(missing / "x.toml")],
        ["export", "--week", "2026-W48", "-o", str(missing / "r.md")],
    ):
        result = run(args)
        assert result.exit_code == 1, result.output
        assert result.stderr.count("\n") == 1 and str(missing) in result.stderr
        assert not (tmp_path / "no").exists(), "no folder is made on the person's behalf"
