"""The entry format attacked as a person and other tools bend it: nothing hidden, nothing dropped."""

import csv
import io
import json
from pathlib import Path

import pytest

from reflect.journal.home import Home
from tests.conftest import Run, answer, write

ORPHAN = """\
---
date: 2026-11-10
format: 2
demo/threatened:
demo/mood: 3
given:
  demo/threatened: 1.0.0 2026-11-10T08:00:00+00:00
  demo/threatened/follow-up: 1.0.0 2026-11-10T08:00:00+00:00
  demo/mood: 1.0.0 2026-11-10T08:00:00+00:00
---

## Whose, and what was the pang about?
<!-- reflect: demo/threatened/follow-up -->

Sam's launch
"""

RANGE = ["--from", "2026-11-01", "--to", "2026-11-30"]


def test_a_follow_up_whose_question_was_cleared_is_in_every_export_format(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    write(demo, "2026-11-10", ORPHAN)
    result = run(["export", *RANGE, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    follow = [r for r in rows if r["prompt"] == "threatened/follow-up"]
    assert [(r["question"], r["text"], r["counted"]) for r in follow] == [
        ("Whose, and what was the pang about?", "Sam's launch", "FALSE")
    ]
    assert "demo/threatened/follow-up" in result.stderr
    data = json.loads(run(["export", *RANGE, "--format", "json"]).stdout)
    left = [(a["prompt"], a["question"], a["value"]) for a in data["left_out_answers"]]
    assert ("threatened/follow-up", "Whose, and what was the pang about?", "Sam's launch") in left
    markdown = run(["export", *RANGE, "--format", "md"]).stdout
    assert "- Tue 10 Nov, Whose, and what was the pang about?: Sam's launch (" in markdown
    out = tmp_path / "review.html"
    assert run(["export", *RANGE, "-o", str(out)]).exit_code == 0
    assert "Whose, and what was the pang about?: Sam&#x27;s launch" in out.read_text("utf-8")


def test_a_shared_summary_without_text_lists_the_cleared_answer_but_not_its_prose(
    demo: Home, run: Run
) -> None:
    write(demo, "2026-11-10", ORPHAN)
    result = run(["export", *RANGE, "--format", "json", "--share", "--pack", "demo"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [a["prompt"] for a in data["left_out_answers"]] == ["threatened"]
    assert "Sam's launch" not in result.stdout
    assert "prose answers and follow-ups" in data["left_out"]


def test_the_follow_up_of_a_value_that_fits_nothing_is_exported(demo: Home, run: Run) -> None:
    answer(demo, "2026-11-11", "mood=2")
    write(demo, "2026-11-10", ORPHAN.replace("demo/threatened:\n", "demo/threatened: [yes]\n"))
    result = run(["export", *RANGE, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["text"] for r in rows if r["prompt"] == "threatened/follow-up"] == ["Sam's launch"]
    assert [r["prompt"] for r in rows if r["prompt"] == "threatened"] == ["threatened"]


@pytest.mark.parametrize("command", [["show", "2026-11-10"], ["history", "demo/threatened"]])
def test_show_and_history_keep_a_follow_up_whose_question_was_cleared(
    demo: Home, run: Run, command: list[str]
) -> None:
    write(demo, "2026-11-10", ORPHAN)
    result = run(command)
    assert result.exit_code == 0, result.output
    assert "Sam's launch" in result.stdout
