"""Recovery drafts live where only the user can write, and are checked before they are used."""

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest

from reflect.journal.drafts import Edit, draft_dirs, find_drafts, write_draft
from reflect.journal.home import Home

DAY = dt.date(2026, 11, 26)


def test_the_fallback_folder_is_in_the_users_home_not_the_shared_temp_folder(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_STATE_HOME")
    journal, fallback = draft_dirs(home)
    assert journal == home.root / ".recovery"
    assert Path.home() in fallback.parents
    assert Path(tempfile.gettempdir()) not in fallback.parents


def test_a_draft_is_written_private_and_found(home: Home) -> None:
    home.ensure()
    path = write_draft(home, DAY, [Edit("note", text="words", time="10:00")])
    assert path is not None
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    (draft,), problems = find_drafts(home)
    assert draft.edits[0].text == "words" and problems == []


def test_a_fallback_folder_others_can_write_is_not_trusted(home: Home) -> None:
    home.ensure()
    fallback = draft_dirs(home)[1]
    fallback.mkdir(parents=True)
    (fallback / "2026-11-26-1.json").write_text(
        json.dumps({"format": 1, "home": str(home.root), "date": "2026-11-26", "edits": []}),
        encoding="utf-8",
    )
    fallback.chmod(0o777)
    drafts, problems = find_drafts(home)
    assert drafts == []
    assert problems and "not private to you" in problems[0]


@pytest.mark.parametrize(
    "edits",
    [
        [{"kind": "note", "text": "x", "time": "10:00", "extra": 1}],
        [{"kind": "delete-everything"}],
        [{"kind": "answer", "value": {"nested": "dict"}}],
        [{"kind": "note", "text": ["not", "text"], "time": "10:00"}],
        [{"kind": "note", "text": "x", "time": "not a time"}],
        "not a list",
    ],
    ids=[
        "unknown field",
        "unknown kind",
        "value not a scalar",
        "text not text",
        "bad time",
        "no list",
    ],
)
def test_a_draft_of_the_wrong_shape_is_reported_and_never_applied(
    home: Home, edits: object
) -> None:
    folder = home.root / ".recovery"
    folder.mkdir(parents=True, mode=0o700)
    path = folder / "2026-11-26-1.json"
    path.write_text(
        json.dumps({"format": 1, "home": str(home.root), "date": "2026-11-26", "edits": edits}),
        encoding="utf-8",
    )
    drafts, problems = find_drafts(home)
    assert drafts == []
    assert len(problems) == 1 and str(path) in problems[0]


def test_a_draft_that_is_a_link_is_not_followed(home: Home, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(
        json.dumps({"format": 1, "home": "", "date": "2026-11-26", "edits": []}), encoding="utf-8"
    )
    folder = home.root / ".recovery"
    folder.mkdir(parents=True, mode=0o700)
    (folder / "2026-11-26-1.json").symlink_to(elsewhere)
    drafts, problems = find_drafts(home)
    assert drafts == [] and "not a regular file" in problems[0]
