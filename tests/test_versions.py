"""Pack versions: what an upgrade changes in meaning, and old answers read by their own definition."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from reflect.daily.session import resolve_answers, save_answers
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from reflect.model.pack import Pack
from reflect.packs.diff import diff_data, diff_packs, same_meaning
from reflect.packs.library import find_pack, load_pack
from reflect.packs.versions import pack_versions
from tests.conftest import DATA, Run, answer, d, write

V1 = """\
id = "habits"
name = "Habits"
version = "1.0.0"

[[prompts]]
id = "focus"
text = "How focused were you?"
type = "scale"
min = 1
max = 10
target = 7

[[prompts]]
id = "where"
text = "Where did you work?"
type = "choice"
choices = ["home", "office", "cafe"]

[[prompts]]
id = "credit"
text = "Did you give credit?"
type = "yes-no"
follow_up = { when = "yes", text = "To whom?" }

[[prompts]]
id = "lesson"
text = "What did today teach you?"
type = "text"

[[prompts]]
id = "gone"
text = "Did you skip lunch?"
type = "yes-no"
"""

V2 = """\
id = "habits"
name = "Habits"
version = "2.0.0"

[[prompts]]
id = "focus"
text = "How focused were you today?"
type = "scale"
min = 1
max = 5
target = 4

[[prompts]]
id = "where"
text = "Where did you work?"
type = "choice"
choices = ["home", "the office", "library"]

[[prompts]]
id = "credit"
text = "Did you give credit?"
type = "yes-no"
follow_up = { when = "no", text = "What held you back?" }

[[prompts]]
id = "lesson"
text = "What did today teach you?"
type = "number"
min = 0
unit = "h"

[[prompts]]
id = "new"
text = "Anything else?"
type = "text"
"""


def pack(text: str, tmp_path: Path, name: str) -> Pack:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_pack(path)


def test_diff_names_every_change_in_meaning(tmp_path: Path) -> None:
    diff = diff_packs(pack(V1, tmp_path, "v1.toml"), pack(V2, tmp_path, "v2.toml"))
    found = [(c.prompt, c.kind, c.before, c.after) for c in diff.changes]
    assert found == [
        ("focus", "reworded", "How focused were you?", "How focused were you today?"),
        ("focus", "range", (1, 10), (1, 5)),
        ("focus", "target", 7, 4),
        ("where", "choice-renamed", "office", "the office"),
        ("where", "choice-renamed", "cafe", "library"),
        ("credit", "follow-up-reworded", "To whom?", "What held you back?"),
        ("credit", "follow-up-when", "yes", "no"),
        ("lesson", "retyped", "text", "number"),
        ("new", "added", None, "Anything else?"),
        ("gone", "removed", "Did you skip lunch?", None),
    ]
    assert (diff.pack, diff.before, diff.after) == ("habits", "1.0.0", "2.0.0")
    data = diff_data(diff)
    assert list(data) == ["pack", "from", "to", "changes"]
    assert data["changes"][1] == {
        "prompt": "focus",
        "definition_change": "range",
        "before": [1, 10],
        "after": [1, 5],
    }


def test_diff_of_choices_added_and_removed_and_steps(tmp_path: Path) -> None:
    old = pack(V1.replace('["home", "office", "cafe"]', '["home", "office"]'), tmp_path, "a.toml")
    new = pack(
        V1.replace('version = "1.0.0"', 'version = "1.1.0"')
        .replace('["home", "office", "cafe"]', '["office", "park", "cafe"]')
        .replace("max = 10\ntarget = 7", 'max = 10\nstep = 3\nunit = "pt"')
        .replace('follow_up = { when = "yes", text = "To whom?" }\n', ""),
        tmp_path,
        "b.toml",
    )
    found = [(c.prompt, c.kind, c.before, c.after) for c in diff_packs(old, new).changes]
    assert found == [
        ("focus", "step", 1, 3),
        ("focus", "unit", "", "pt"),
        ("focus", "target", 7, None),
        ("where", "choices-added", None, ["park", "cafe"]),
        ("where", "choices-removed", ["home"], None),
        ("credit", "follow-up-removed", "To whom?", None),
    ]
    assert not same_meaning(old.prompts[0], new.prompts[0])
    # Choices are counted by name, so changing them keeps the question's meaning.
    assert same_meaning(old.prompts[1], new.prompts[1])


def test_upgrade_lists_what_changed_prompt_by_prompt(home: Home, tmp_path: Path, run: Run) -> None:
    v1, v2 = tmp_path / "v1.toml", tmp_path / "v2.toml"
    v1.write_text(V1, encoding="utf-8")
    v2.write_text(V2, encoding="utf-8")
    assert run(["packs", "add", str(v1)]).exit_code == 0
    result = run(["packs", "add", str(v2), "--upgrade"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "Upgraded habits 1.0.0 -> 2.0.0",
        "  focus",
        '    reworded: "How focused were you?" -> "How focused were you today?"',
        "    range: 1-10 -> 1-5 (earlier answers are counted apart)",
        "    target: 7 -> 4 (earlier answers are counted apart)",
        "  where",
        '    choice renamed: "office" -> "the office" (earlier answers keep the old name)',
        '    choice renamed: "cafe" -> "library" (earlier answers keep the old name)',
        "  credit",
        '    follow-up reworded: "To whom?" -> "What held you back?"',
        '    follow-up now asked when "no" (was "yes")',
        "  lesson",
        "    retyped: text -> number (earlier answers are counted apart)",
        "  new",
        '    added: "Anything else?"',
        "  gone",
        '    removed: "Did you skip lunch?" (its answers stay, in their own words)',
    ]
    assert (home.packs_dir / ".versions" / "habits-1.0.0.toml").read_text() == V1


def test_upgrade_json(home: Home, tmp_path: Path, run: Run) -> None:
    v1, v2 = tmp_path / "v1.toml", tmp_path / "v2.toml"
    v1.write_text(V1, encoding="utf-8")
    v2.write_text(V2, encoding="utf-8")
    first = run(["packs", "add", str(v1), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout) == {
        "format": 2,
        "pack": "habits",
        "version": "1.0.0",
        "path": str(home.packs_dir / "habits.toml"),
        "previous": None,
        "enabled": False,
        "changes": [],
    }
    result = run(["packs", "add", str(v2), "--upgrade", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["format", "pack", "version", "path", "previous", "enabled", "changes"]
    assert data["previous"] == "1.0.0"
    assert data["changes"][-1] == {
        "prompt": "gone",
        "definition_change": "removed",
        "before": "Did you skip lunch?",
        "after": None,
    }


def test_pack_text_in_an_upgrade_is_shown_as_text(home: Home, tmp_path: Path, run: Run) -> None:
    v1, v2 = tmp_path / "v1.toml", tmp_path / "v2.toml"
    v1.write_text(V1, encoding="utf-8")
    v2.write_text(
        V1.replace('version = "1.0.0"', 'version = "1.0.1"').replace(
            "How focused were you?", "[bold]Focus\\u001b[31m?"
        ),
        encoding="utf-8",
    )
    run(["packs", "add", str(v1)])
    result = run(["packs", "add", str(v2), "--upgrade"])
    assert result.exit_code == 0, result.output
    assert '-> "[bold]Focus?"' in result.stdout
    assert "\x1b" not in result.stdout


def test_definitions_by_version(home: Home, tmp_path: Path, run: Run) -> None:
    v1, v2 = tmp_path / "v1.toml", tmp_path / "v2.toml"
    v1.write_text(V1, encoding="utf-8")
    v2.write_text(V2, encoding="utf-8")
    run(["packs", "add", str(v1)])
    run(["packs", "add", str(v2), "--upgrade"])
    versions = pack_versions(home)
    old = versions.definition("habits", "focus", "1.0.0")
    assert (old.source, old.defined_in, old.text, old.note) == (
        "exact",
        "1.0.0",
        "How focused were you?",
        None,
    )
    now = versions.definition("habits", "focus", "2.0.0")
    assert (now.source, now.text) == ("exact", "How focused were you today?")
    lost = versions.definition("habits", "focus", "1.5.0")
    assert (lost.source, lost.defined_in, lost.note) == (
        "current",
        "2.0.0",
        "wording of 2.0.0: version 1.5.0 is not kept",
    )
    retired = versions.definition("habits", "gone", "2.0.0")
    assert (retired.source, retired.in_pack, retired.text) == (
        "newest-kept",
        False,
        "Did you skip lunch?",
    )
    unknown = versions.definition("habits", "never", "1.0.0")
    assert (unknown.source, unknown.text) == ("unknown", "habits/never")
    assert versions.definition("nopack", "x", None).source == "unknown"


def test_a_broken_archive_is_skipped(home: Home, tmp_path: Path, run: Run) -> None:
    shutil.copy(DATA / "demo.toml", tmp_path / "demo.toml")
    run(["packs", "add", str(tmp_path / "demo.toml")])
    archive = home.packs_dir / ".versions"
    archive.mkdir()
    (archive / "demo-0.9.0.toml").write_text("id = [broken", encoding="utf-8")
    (archive / "demo-0.8.0.toml").write_bytes(b"\xff\xfe")
    (archive / "demo-0.7.0.toml").mkdir()
    (archive / "demo-0.6.0.toml").write_text(
        (DATA / "demo.toml").read_text().replace('"1.0.0"', '"0.6.0"').replace("mood", "calm"),
        encoding="utf-8",
    )
    versions = pack_versions(home)
    assert sorted(versions.kept("demo")) == ["0.6.0", "1.0.0"]
    assert versions.definition("demo", "mood", "0.9.0").source == "current"
    assert versions.definition("demo", "calm", "0.6.0").text == "How was your calm today?"
    answer(home, "2026-11-09", "mood=2")


@pytest.fixture
def upgraded(home: Home, tmp_path: Path, run: Run) -> Home:
    """Answers given under habits 1.0.0 (focus on 1-10, target 7), then under 2.0.0 (1-5, target 4)."""
    v1, v2 = tmp_path / "v1.toml", tmp_path / "v2.toml"
    v1.write_text(V1, encoding="utf-8")
    v2.write_text(V2, encoding="utf-8")
    run(["packs", "add", str(v1), "--enable"])
    old = find_pack(home, "habits").pack
    for day, answers in [
        ("2026-11-09", ["habits/focus=5", "habits/credit=yes", "habits/gone=no"]),
        ("2026-11-09", ["habits/credit=yes", "habits/credit/follow-up=Sam"]),
        ("2026-11-10", ["habits/focus=9", "habits/lesson=Ask early.", "habits/where=cafe"]),
    ]:
        save_answers(home, d(day), resolve_answers([old], answers))
    run(["packs", "add", str(v2), "--upgrade"])
    new = find_pack(home, "habits").pack
    for day, answers in [
        ("2026-11-11", ["habits/focus=3", "habits/where=library"]),
        ("2026-11-12", ["habits/focus=4", "habits/lesson=2"]),
    ]:
        save_answers(home, d(day), resolve_answers([new], answers))
    return home


def test_history_reads_each_answer_by_its_own_definition(upgraded: Home, run: Run) -> None:
    result = run(["history", "habits/focus", "--json", "--oldest-first"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # The 5 and the 9 were on a 1-10 scale: they are not averaged with answers on 1-5.
    assert data["summary"] == {"count": 2, "left_out_count": 2, "mean": 3.5, "min": 3, "max": 4}
    assert [(a["value"], a["version"], a["question"], a["counted"]) for a in data["answers"]] == [
        (5, "1.0.0", "How focused were you?", False),
        (9, "1.0.0", "How focused were you?", False),
        (3, "2.0.0", "How focused were you today?", True),
        (4, "2.0.0", "How focused were you today?", True),
    ]
    assert data["answers"][0]["left_out_reason"] == (
        "given under version 1.0.0 as scale 1-10, target at least 7, not as today's scale 1-5, "
        "target at least 4"
    )
    shown = " ".join(run(["history", "habits/focus"]).stdout.split())
    assert "2 left out (given when the question meant something else)" in shown
    assert "asked as: How focused were you?" in shown


def test_history_of_a_retired_yes_no(upgraded: Home, run: Run) -> None:
    result = run(["history", "habits/gone"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Did you skip lunch? (no longer in the pack)"
    assert "2026-11-09  no" in result.stdout
    assert "False" not in result.stdout
    data = json.loads(run(["history", "habits/gone", "--json"]).stdout)
    assert (data["question"], data["type"], data["in_pack"]) == (
        "Did you skip lunch?",
        "yes-no",
        False,
    )
    assert data["summary"] == {"count": 1, "yes": 0, "no": 1}


def test_history_of_a_retyped_text_question_keeps_its_prose(upgraded: Home, run: Run) -> None:
    data = json.loads(run(["history", "habits/lesson", "--json", "--oldest-first"]).stdout)
    assert [(a["value"], a["question"], a["counted"]) for a in data["answers"]] == [
        ("Ask early.", "What did today teach you?", False),
        (2, "What did today teach you?", True),
    ]
    assert data["summary"] == {"count": 1, "left_out_count": 1, "mean": 2, "min": 2, "max": 2}


def test_history_of_a_follow_up_reworded_since(upgraded: Home, run: Run) -> None:
    result = run(["history", "habits/credit"])
    assert result.exit_code == 0, result.output
    assert "↳ To whom?: Sam" in result.stdout


def test_trends_count_each_meaning_apart(upgraded: Home, run: Run) -> None:
    result = run(["trends", "--week", "2026-W46", "--json"])
    assert result.exit_code == 0, result.output
    (pack,) = [p for p in json.loads(result.stdout)["packs"] if p["id"] == "habits"]
    rows = [
        (
            r["id"],
            r["type"],
            r["target"] and r["target"]["value"],
            r["versions"],
            r["overall"]["answered"],
            r["retired"],
        )
        for r in pack["prompts"]
    ]
    assert rows == [
        ("focus", "scale", 4, ["2.0.0"], 2, False),
        ("focus", "scale", 7, ["1.0.0"], 2, False),
        ("where", "choice", None, ["1.0.0", "2.0.0"], 2, False),
        ("credit", "yes-no", None, ["1.0.0"], 1, False),
        ("lesson", "number", None, ["2.0.0"], 1, False),
        ("lesson", "text", None, ["1.0.0"], 1, False),
        ("new", "text", None, [], 0, False),
        ("gone", "yes-no", None, ["1.0.0"], 1, True),
    ]
    focus_now, focus_then = pack["prompts"][0], pack["prompts"][1]
    # A 5 on the old 1-10 scale is not a 5 on today's 1-5 scale, nor a met target of 4.
    assert focus_now["overall"]["mean"] == 3.5 and focus_now["overall"]["met"] is False
    assert focus_then["overall"]["mean"] == 7 and focus_then["overall"]["met"] is True
    assert focus_then["text"] == "How focused were you?"
    assert focus_then["earlier"] == "as asked in 1.0.0: scale 1-10, target at least 7"
    assert focus_now["earlier"] is None
    assert pack["prompts"][2]["overall"]["counts"] == {"library": 1, "cafe": 1}
    assert pack["prompts"][-1]["text"] == "Did you skip lunch?"
    people = run(["trends", "--week", "2026-W46", "--pack", "habits"])
    assert people.exit_code == 0, people.output
    lines = [line.rstrip() for line in people.stdout.splitlines()]
    assert lines[6:9] == [
        "How focused were you today? (target at least 4)     ·    ·   3✗   4✓    ·    ·    ·   ▲ 1.0  ··▅▆···",
        "How focused were you? (as asked in 1.0.0: scale    5✗   9✓    ·    ·    ·    ·    ·   ▲ 4.0  ▄▇·····",
        "1-10, target at least 7)",
    ]


def test_export_keeps_every_answer_with_its_version(upgraded: Home, run: Run) -> None:
    path = entry_path(upgraded, d("2026-11-12"))
    path.write_text(path.read_text(encoding="utf-8").replace("focus: 4", "focus: 99"))
    result = run(["export", "--week", "2026-W46", "--format", "csv", "--pack", "habits"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "reflect: 2026-11-12 habits/focus: 99 is outside 1-5; left out of the statistics\n"
    )
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert {len(r[1]) for r in rows[1:]} == {8}  # HH:MM:SS from the given line
    rows = [[r[0], "", *r[2:]] for r in rows]
    focus = [r for r in rows if r[4] == "focus"]
    assert focus == [
        ["2026-11-09", "", "habits", "1.0.0", "focus", "How focused were you?", "scale", "5", "", "", "", "TRUE"],
        ["2026-11-10", "", "habits", "1.0.0", "focus", "How focused were you?", "scale", "9", "", "", "", "TRUE"],
        ["2026-11-11", "", "habits", "2.0.0", "focus", "How focused were you today?", "scale", "3", "", "", "", "TRUE"],
        ["2026-11-12", "", "habits", "2.0.0", "focus", "How focused were you today?", "scale", "99", "", "", "", "FALSE"],
    ]  # fmt: skip
    gone = [r for r in rows if r[4] == "gone"]
    assert gone == [
        ["2026-11-09", "", "habits", "1.0.0", "gone", "Did you skip lunch?", "yes-no", "0", "0", "", "", "TRUE"]
    ]  # fmt: skip
    assert [r[7:11] for r in rows if r[4] == "lesson"] == [
        ["", "", "", "Ask early."],
        ["2", "", "", ""],
    ]
    assert ["2026-11-09", "", "habits", "1.0.0", "credit/follow-up", "To whom?", "text", "", "", "", "Sam", "TRUE"] in rows  # fmt: skip

    md = run(["export", "--week", "2026-W46", "--pack", "habits"])
    assert md.exit_code == 0, md.output
    assert (
        "| How focused were you today? | mean 3.0, 1 day(s) "
        "| missed: at least 4 (mean 3.0, 1.0 below) |" in md.stdout
    )
    assert (
        "| How focused were you? (as asked in 1.0.0: scale 1-10, target at least 7) "
        "| mean 7.0 (5-9), 2 day(s) | met: at least 7 (mean 7.0, on target) |" in md.stdout
    )
    assert (
        "## Left out of the statistics\n\n- Thu 12 Nov, How focused were you today?: 99 "
        in md.stdout
    )
    assert "| Did you skip lunch? (retired) |" in md.stdout
    assert "True" not in md.stdout and "False" not in md.stdout

    data = json.loads(run(["export", "--week", "2026-W46", "--format", "json"]).stdout)
    assert data["left_out_answers"] == [
        {
            "date": "2026-11-12",
            "pack": "habits",
            "prompt": "focus",
            "question": "How focused were you today?",
            "value": 99,
            "version": "2.0.0",
            "reason": "99 is outside 1-5",
        }
    ]
    html = run(
        [
            "export",
            "--week",
            "2026-W46",
            "--format",
            "html",
            "-o",
            str(upgraded.root.parent / "r.html"),
        ]
    )
    assert html.exit_code == 0, html.output
    page = (upgraded.root.parent / "r.html").read_text(encoding="utf-8")
    assert "How focused were you? (as asked in 1.0.0: scale 1-10, target at least 7)" in page
    assert "<h2>Left out of the statistics</h2>" in page


def test_upgrading_a_builtin_pack_keeps_its_version(home: Home, tmp_path: Path, run: Run) -> None:
    builtin = Path(__file__).resolve().parents[1] / "prompts" / "daily.toml"
    newer = tmp_path / "daily.toml"
    newer.write_text(
        builtin.read_text(encoding="utf-8").replace('version = "1.0.0"', 'version = "1.1.0"'),
        encoding="utf-8",
    )
    result = run(["packs", "add", str(newer), "--upgrade", "--replace-builtin"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Replaced the built-in daily 1.0.0 (Daily check-in) with 1.1.0\n  no question changed\n"
    )
    kept = home.packs_dir / ".versions" / "daily-1.0.0.toml"
    assert kept.read_text(encoding="utf-8") == builtin.read_text(encoding="utf-8")


def test_a_version_kept_nowhere_is_read_by_todays_definition_and_says_so(
    demo: Home, run: Run
) -> None:
    write(
        demo,
        "2026-11-09",
        "---\ndate: 2026-11-09\npacks: {demo: 0.5.0}\nanswers: {demo: {threatened: true}}\n---\n",
    )
    data = json.loads(run(["show", "2026-11-09", "--json"]).stdout)
    (question,) = data["questions"]
    assert (question["definition_source"], question["version"], question["defined_in"]) == (
        "current",
        "0.5.0",
        "1.0.0",
    )
    assert question["shown"] == "yes"
    people = run(["show", "2026-11-09"])
    assert people.exit_code == 0, people.output
    assert "(wording of 1.0.0: version 0.5.0 is not" in people.stdout
    assert "  yes" in people.stdout and "True" not in people.stdout


def test_doctor_judges_an_answer_by_the_version_that_asked_it(upgraded: Home, run: Run) -> None:
    healthy = run(["doctor", "--json"])
    assert healthy.exit_code == 0, healthy.output
    assert json.loads(healthy.stdout)["findings"] == []  # the 9 fit 1.0.0's 1-10 scale
    path = entry_path(upgraded, d("2026-11-11"))
    path.write_text(path.read_text(encoding="utf-8").replace("focus: 3", "focus: 9"))
    found = json.loads(run(["doctor", "--json"]).stdout)["findings"]
    assert [f["what"] for f in found] == [
        "line 4: habits/focus: 9 is outside 1-5; trends and history leave it out"
    ]


def test_search_finds_old_answers_under_their_question(upgraded: Home, run: Run) -> None:
    result = run(["search", "early", "--prompt", "habits/lesson", "--json"])
    assert result.exit_code == 0, result.output
    (day,) = json.loads(result.stdout)["days"]
    assert [(m["where"], m["text"]) for m in day["matches"]] == [
        ("What did today teach you?", "Ask early.")
    ]
    retired = json.loads(run(["search", "no", "--prompt", "habits/gone", "--json"]).stdout)["days"]
    assert [(m["where"], m["text"]) for d in retired for m in d["matches"]] == [
        ("Did you skip lunch?", "no")
    ]


def test_a_reworded_question_keeps_each_answer_in_its_own_words(
    demo: Home, tmp_path: Path, run: Run
) -> None:
    answer(demo, "2026-11-09", "mood=2")
    newer = tmp_path / "demo.toml"
    newer.write_text(
        (DATA / "demo.toml")
        .read_text(encoding="utf-8")
        .replace('version = "1.0.0"', 'version = "1.1.0"')
        .replace("How was your mood today?", "How did today feel?"),
        encoding="utf-8",
    )
    assert run(["packs", "add", str(newer), "--upgrade"]).exit_code == 0
    answer(demo, "2026-11-10", "mood=4")
    md = run(["export", "--week", "2026-W46"]).stdout
    assert "| How did today feel? | mean 3.0 (2-4), 2 day(s) |" in md
    assert "- Mon 09 Nov: 2 (asked as: How was your mood today?)\n- Tue 10 Nov: 4\n" in md
    data = json.loads(run(["export", "--week", "2026-W46", "--format", "json"]).stdout)
    (mood,) = [p for p in data["packs"][0]["prompts"] if p["id"] == "mood"]
    assert [(d["version"], d["question"]) for d in mood["days"]] == [
        ("1.0.0", "How was your mood today?"),
        ("1.1.0", "How did today feel?"),
    ]
    assert mood["versions"] == ["1.0.0", "1.1.0"]
    history = run(["history", "demo/mood"]).stdout
    assert history.startswith("How did today feel?\n")
    assert "asked as: How was your mood today?" in history
    shown = json.loads(run(["show", "2026-11-09", "--json"]).stdout)
    assert shown["questions"][0]["question"] == "How was your mood today?"


def test_a_day_answered_under_two_versions_reads_each_answer_by_its_own(
    home: Home, tmp_path: Path, run: Run
) -> None:
    v1, v2 = tmp_path / "v1.toml", tmp_path / "v2.toml"
    v1.write_text(V1, encoding="utf-8")
    v2.write_text(V2, encoding="utf-8")
    run(["packs", "add", str(v1), "--enable"])
    save_answers(
        home,
        d("2026-11-09"),
        resolve_answers(
            [find_pack(home, "habits").pack], ["habits/focus=9", "habits/lesson=Slow down."]
        ),
    )
    run(["packs", "add", str(v2), "--upgrade"])
    save_answers(
        home,
        d("2026-11-09"),
        resolve_answers([find_pack(home, "habits").pack], ["habits/credit=yes"]),
    )
    shown = json.loads(run(["show", "2026-11-09", "--json"]).stdout)
    assert [(q["prompt"], q["version"], q["question"]) for q in shown["questions"]] == [
        ("focus", "1.0.0", "How focused were you?"),
        ("credit", "2.0.0", "Did you give credit?"),
        ("lesson", "1.0.0", "What did today teach you?"),
    ]
    data = json.loads(run(["trends", "--week", "2026-W46", "--pack", "habits", "--json"]).stdout)
    rows = {(r["id"], r["earlier"]): r for r in data["packs"][0]["prompts"]}
    assert (
        rows[("focus", "as asked in 1.0.0: scale 1-10, target at least 7")]["overall"]["mean"] == 9
    )
    assert rows[("focus", None)]["overall"]["answered"] == 0
    assert rows[("lesson", "as asked in 1.0.0: text")]["overall"]["words"] == 2
    assert rows[("credit", None)]["versions"] == ["2.0.0"]
    assert data["problems"] == []


def test_a_version_written_short_is_the_same_version(upgraded: Home) -> None:
    versions = pack_versions(upgraded)
    short = versions.definition("habits", "focus", "1.0")
    assert (short.source, short.text) == ("exact", "How focused were you?")


def test_log_where_judges_each_day_by_the_version_that_asked_it(upgraded: Home, run: Run) -> None:
    def days(where: str) -> list[str]:
        result = run(["log", "--where", where])
        assert result.exit_code == 0, result.output
        return [line.split()[0] for line in result.stdout.splitlines() if line[:1].isdigit()]

    # A 9 was an answer on the 1-10 scale of 1.0.0, though today's scale is 1-5.
    assert days("habits/focus=9") == ["2026-11-10"]
    assert days("habits/focus>=5") == ["2026-11-10", "2026-11-09"]
    # No day of today's 1-5 scale answered 9, nor did the 5 of 1.0.0.
    assert days("habits/focus!=9") == ["2026-11-12", "2026-11-11", "2026-11-09"]
    # "lesson" was text in 1.0.0 and is a number now: the prose still matches its words.
    assert days("habits/lesson=early") == ["2026-11-10"]
    assert days("habits/lesson=2") == ["2026-11-12"]
    # The old choice "cafe" is a choice of 1.0.0 only.
    assert days("habits/where=cafe") == ["2026-11-10"]
    # A value no version takes is still a usage error.
    wrong = run(["log", "--where", "habits/focus=11"])
    assert wrong.exit_code == 2
    assert "habits/focus" in wrong.stderr


def returning_gone(tmp_path: Path, run: Run, gone_type: str) -> Path:
    """habits 1.0.0 then 2.0.0 installed, and a 3.0.0 asking "gone" (which 2.0.0 dropped) again."""
    v1, v2, v3 = (tmp_path / f"v{n}.toml" for n in (1, 2, 3))
    v1.write_text(V1, encoding="utf-8")
    v2.write_text(V2, encoding="utf-8")
    v3.write_text(
        V2.replace('"2.0.0"', '"3.0.0"')
        + f'\n[[prompts]]\nid = "gone"\ntext = "Did you skip lunch?"\n{gone_type}\n',
        encoding="utf-8",
    )
    assert run(["packs", "add", str(v1)]).exit_code == 0
    assert run(["packs", "add", str(v2), "--upgrade"]).exit_code == 0
    return v3


def test_upgrade_says_a_prompt_back_from_an_earlier_version_changed_meaning(
    home: Home, tmp_path: Path, run: Run
) -> None:
    # Back as a scale: its yes/no answers differ.
    v3 = returning_gone(tmp_path, run, 'type = "scale"\nmin = 1\nmax = 5')
    result = run(["packs", "add", str(v3), "--upgrade"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Upgraded habits 2.0.0 -> 3.0.0",
        "  gone",
        '    added: "Did you skip lunch?" (asked before, last in version 1.0.0)',
        "    retyped: yes-no -> scale (earlier answers are counted apart)",
    ]
    assert result.stderr == ""
    v4 = tmp_path / "v4.toml"
    v4.write_text(v3.read_text(encoding="utf-8").replace('"3.0.0"', '"4.0.0"'), encoding="utf-8")
    again = run(["packs", "add", str(v4), "--upgrade"])
    # A prompt kept from the version before is no prompt back.
    assert again.stdout == "Upgraded habits 3.0.0 -> 4.0.0\n  no question changed\n"


def test_upgrade_json_names_the_version_a_returning_prompt_was_last_in(
    home: Home, tmp_path: Path, run: Run
) -> None:
    v3 = returning_gone(tmp_path, run, 'type = "yes-no"')
    result = run(["packs", "add", str(v3), "--upgrade", "--json"])
    assert result.exit_code == 0, result.output
    # The same definition as 1.0.0's: back, with nothing changed in meaning.
    assert json.loads(result.stdout)["changes"] == [
        {
            "prompt": "gone",
            "definition_change": "added",
            "before": "1.0.0",
            "after": "Did you skip lunch?",
        }
    ]


def test_a_csv_row_left_out_has_the_type_of_the_version_that_asked_it(
    upgraded: Home, run: Run
) -> None:
    path = entry_path(upgraded, d("2026-11-10"))
    path.write_text(path.read_text(encoding="utf-8").replace("focus: 9", "focus: 42"))
    path = entry_path(upgraded, d("2026-11-09"))
    path.write_text(path.read_text(encoding="utf-8").replace("gone: false", "gone: 3"))
    result = run(["export", "--week", "2026-W46", "--format", "csv", "--pack", "habits"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    left = [
        (r["date"], r["pack_version"], r["prompt"], r["type"], r["number"], r["yes"], r["counted"])
        for r in rows
        if r["counted"] == "FALSE"
    ]
    # Judged by 1.0.0: a 42 on its 1-10 scale, a 3 to its yes/no question.
    assert left == [
        ("2026-11-09", "1.0.0", "gone", "yes-no", "3", "", "FALSE"),
        ("2026-11-10", "1.0.0", "focus", "scale", "42", "", "FALSE"),
    ]


def test_prose_left_out_is_exported_as_its_words_never_as_its_word_count(
    upgraded: Home, run: Run
) -> None:
    # With 1.0.0 kept nowhere, the prose "Ask early." meets today's number question.
    shutil.rmtree(upgraded.packs_dir / ".versions")
    result = run(["export", "--week", "2026-W46", "--format", "csv", "--pack", "habits"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    lesson = [
        (r["date"], r["number"], r["text"], r["counted"]) for r in rows if r["prompt"] == "lesson"
    ]
    assert lesson == [("2026-11-10", "", "Ask early.", "FALSE"), ("2026-11-12", "2", "", "TRUE")]
    assert "2026-11-10 habits/lesson: written as text (2 words)" in result.stderr
    md = run(["export", "--week", "2026-W46", "--pack", "habits"]).stdout
    assert "What did today teach you?: Ask early. (written as text (2 words)" in md
    shared = run(
        ["export", "--week", "2026-W46", "--format", "json", "--share", "--pack", "habits"]
    )
    assert shared.exit_code == 0, shared.output
    left = json.loads(shared.stdout)["left_out_answers"]
    assert [(a["prompt"], a["value"]) for a in left if a["prompt"] == "lesson"] == [
        ("lesson", None)
    ]
    assert "Ask early." not in shared.stdout
