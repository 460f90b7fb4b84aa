"""The entry format bent the way a hostile user and their tools bend it: nothing hidden silently."""

from pathlib import Path

from reflect.journal.home import Home
from tests.conftest import DATA, Run, answer, write

CASED = """\
---
date: 2026-11-16
format: 2
Demo/Mood: 4
demo/threatened: true
given:
  demo/mood: 1.0.0
  demo/threatened: 1.0.0
  Demo/Threatened/Follow-Up: 1.0.0
---

## Whose?
<!-- reflect: demo/threatened/follow-up -->

Sam
"""


def test_doctor_names_an_answer_property_written_in_capitals(demo: Home, run: Run) -> None:
    # Obsidian lets a person rename a property; `Demo/Mood` is not an answer, so the 4 is
    # in no show, history or export: doctor must say why, where.
    write(demo, "2026-11-16", CASED)
    shown = run(["show", "2026-11-16", "--json"])
    assert shown.exit_code == 0, shown.output
    assert '"mood"' not in shown.stdout
    result = run(["doctor"])
    assert "2026-11-16.md: line 4: 'Demo/Mood'" in result.stdout, result.output
    assert "demo/mood" in result.stdout
    assert "line 9: given: 'Demo/Threatened/Follow-Up'" in result.stdout, result.output


def test_log_where_finds_prose_of_a_text_question_a_pack_dropped(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    answer(demo, "2026-11-10", "gratitude=Tea with Ana", "mood=3")
    answer(demo, "2026-11-11", "gratitude=A walk", "mood=4")
    text = (DATA / "demo.toml").read_text("utf-8").replace('version = "1.0.0"', 'version = "2.0.0"')
    start = text.index('[[prompts]]\nid = "gratitude"')
    newer = tmp_path / "demo.toml"
    newer.write_text(text[:start] + text[text.index("[[prompts]]", start + 1) :], "utf-8")
    assert run(["packs", "add", str(newer), "--upgrade"]).exit_code == 0
    # history and search find the retired question's answers; so must log --where.
    assert "Tea with Ana" in run(["history", "demo/gratitude"]).stdout
    assert "Tea with Ana" in run(["search", "--prompt", "demo/gratitude", "tea"]).stdout
    result = run(["log", "--where", "demo/gratitude=tea"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["2026-11-10"]
    nothing = run(["log", "--where", "demo/gratitude=coffee"])
    assert (nothing.exit_code, nothing.stdout, nothing.stderr) == (0, "No days match.\n", "")
    missing = run(["search", "--prompt", "demo/gratitude", "coffee"])
    assert missing.exit_code == 0, missing.output
    assert "has no prompt" not in missing.output


def test_log_where_finds_answers_to_a_pack_since_removed(demo: Home, run: Run) -> None:
    answer(demo, "2026-11-10", "mood=2", "gratitude=Tea with Ana")
    answer(demo, "2026-11-11", "mood=4")
    removed = run(["packs", "remove", "demo"])
    assert removed.exit_code == 0, removed.output
    assert "2026-11-10" in run(["history", "demo/mood"]).stdout
    for where, days in [
        ("demo/mood=2", ["2026-11-10"]),
        ("demo/mood>=2", ["2026-11-11", "2026-11-10"]),
        ("demo/gratitude=tea", ["2026-11-10"]),
    ]:
        result = run(["log", "--where", where])
        assert result.exit_code == 0, result.output
        assert [line.split()[0] for line in result.stdout.splitlines()] == days
    unknown = run(["log", "--where", "nosuch/mood=2"])
    assert unknown.exit_code == 1
    assert "no pack with id 'nosuch'" in unknown.stderr
