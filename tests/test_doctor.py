"""`reflect doctor`: what it reports, what --fix changes, and what it never touches."""

import datetime as dt
import json

from reflect.journal.drafts import Edit, write_draft
from reflect.journal.home import Home
from reflect.journal.store import entry_path

from .conftest import Run

DAY = dt.date(2026, 11, 26)


def test_a_healthy_journal(demo: Home, run: Run) -> None:
    run(["today", "--date", str(DAY), "--no-input", "--answer", "mood=3"])
    for path in [demo.config_path, demo.packs_dir / "demo.toml"]:
        path.chmod(0o600)
    result = run(["doctor"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"{demo.root}: 1 entries read; 0 problem(s), 0 warning(s)\n"


def test_problems_are_reported_and_safe_ones_fixed(demo: Home, run: Run) -> None:
    run(["today", "--date", str(DAY), "--no-input", "--answer", "mood=3"])
    for path in [demo.config_path, demo.packs_dir / "demo.toml"]:
        path.chmod(0o600)
    entry = entry_path(demo, DAY)
    entry.chmod(0o644)
    stale = entry.parent / ".reflect-tmp-abc.tmp"
    stale.write_text("half", encoding="utf-8")
    stale.chmod(0o600)
    editing = demo.root / ".reflect-edit-xyz.md"
    editing.write_text("unsaved prose", encoding="utf-8")
    editing.chmod(0o600)
    broken = entry_path(demo, DAY - dt.timedelta(days=1))
    broken.write_text("---\ndate: [\n---\nwords\n", encoding="utf-8")
    broken.chmod(0o600)
    demo.config_path.write_text('packs = ["demo", "gone"]\n', encoding="utf-8")
    demo.config_path.chmod(0o600)
    draft = write_draft(demo, DAY, [Edit("answer", "demo", "1.0.0", "mood", 5)])
    assert draft is not None

    result = run(["doctor", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"format", "home", "entries", "healthy", "findings"}
    assert report["format"] == 2
    assert set(report["findings"][0]) == {"severity", "what", "advice", "path", "fixable", "fixed"}
    by_path = {f["path"]: f for f in report["findings"] if f["path"]}
    assert by_path[str(entry)]["severity"] == "warning"
    assert by_path[str(stale)]["fixable"] is True
    # A copy a killed edit left is moved into the recovery folder, as in an encrypted journal.
    (kept,) = (demo.root / ".recovery").glob("edit-xyz-*.txt")
    assert kept.read_text(encoding="utf-8") == "unsaved prose"
    assert not editing.exists()
    assert by_path[str(kept)]["what"] == (
        f"an edit left open when reflect was stopped: its text is kept in {kept}; "
        f"the copy ({editing}) is removed"
    )
    assert by_path[str(kept)]["fixable"] is False
    (bad,) = [f for f in report["findings"] if f["what"].startswith(str(broken))]
    assert (
        bad["severity"] == "problem"
        and bad["path"] is None
        and bad["advice"] == "reflect leaves it untouched"
    )
    assert by_path[str(draft)]["what"].startswith("unsaved answers: 1 answer(s)")
    assert any("pack 'gone' is enabled but not installed" in f["what"] for f in report["findings"])

    fixed = run(["doctor", "--fix"])
    assert fixed.exit_code == 1, "the broken entry and the draft still need a person"
    assert f"warning: {stale}: a temporary file left by an interrupted save" in fixed.stdout
    assert "(fixed)" in fixed.stdout
    assert not stale.exists()
    assert entry.stat().st_mode & 0o777 == 0o600
    assert kept.read_text(encoding="utf-8") == "unsaved prose", "prose is never touched"
    assert broken.read_text(encoding="utf-8") == "---\ndate: [\n---\nwords\n"
    assert draft.exists()
    assert demo.config_path.read_text(encoding="utf-8").count("gone") == 0


def test_answers_to_packs_no_longer_installed_are_information(demo: Home, run: Run) -> None:
    run(["today", "--date", str(DAY), "--no-input", "--answer", "mood=3"])
    run(["packs", "remove", "demo"])
    result = run(["doctor"])
    assert (
        "info: 1 day(s) answer pack 'demo', which is not installed (an earlier version is kept in packs/.versions/)"
        in result.stdout
    )


def test_a_home_that_does_not_exist_yet(run: Run) -> None:
    result = run(["doctor"])
    assert result.exit_code == 0
    assert "the journal home does not exist yet; `reflect today` creates it" in result.stdout


def test_answers_that_do_not_fit_their_question(demo: Home, run: Run) -> None:
    run(["today", "--date", str(DAY), "--no-input", "--answer", "mood=3", "--answer", "share=70"])
    path = entry_path(demo, DAY)
    text = (
        path.read_text(encoding="utf-8")
        .replace("mood: 3", "mood: 9")
        .replace("share: 70", "share: lots")
    )
    path.write_text(text, encoding="utf-8")
    result = run(["doctor"])
    assert result.exit_code == 0
    assert (
        f"warning: {path}: line 4: demo/mood: 9 is outside 1-5; trends and history leave it out; fix the value in an editor (`reflect edit`)"
        in result.stdout
    )
    assert "demo/share: expected a number from 0-100%, step 10, found 'lots'" in result.stdout


def test_fix_never_disables_an_installed_pack_that_is_broken(demo: Home, run: Run) -> None:
    pack = demo.packs_dir / "demo.toml"
    good = pack.read_text(encoding="utf-8")
    pack.write_text(good.replace('version = "1.0.0"', 'version = "1.0"'), encoding="utf-8")
    result = run(["doctor", "--fix"])
    assert result.exit_code == 1
    assert (
        f"problem: {pack}: a broken pack file (enabled: its questions stop until it is "
        "fixed): line 3: version: must be a version MAJOR.MINOR.PATCH"
    ) in result.stdout
    assert "not installed" not in result.stdout
    assert demo.config_path.read_text(encoding="utf-8") == 'packs = ["demo"]\n'
    pack.write_text(good, encoding="utf-8")
    assert run(["doctor"]).exit_code == 0
