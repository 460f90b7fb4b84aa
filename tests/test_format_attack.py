"""The entry format bent the way a hostile user and their tools bend it: nothing hidden silently."""

import json
from pathlib import Path

import frontmatter
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reflect.journal.home import Home
from reflect.journal.prose import escape_prose, unescape_prose
from reflect.journal.store import entry_path
from tests.conftest import DATA, Run, answer, d, write

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


@pytest.mark.parametrize(
    "opener",
    ["<!-- not closed", "<pre>", "  <SCRIPT src=x>", "<?php echo 1;", "<!DOCTYPE x", "<![CDATA[a"],
)
def test_prose_that_opens_an_html_block_never_hides_the_next_question(
    demo: Home, run: Run, opener: str
) -> None:
    # CommonMark runs these HTML blocks to their closing text (the next `-->`, `</pre>`, ...):
    # written as typed, Obsidian and markdown-it would swallow the next question's heading.
    answer(demo, "2026-11-13", f"gratitude=Tea\n{opener}", "friday=carry", "mood=3")
    text = entry_path(demo, d("2026-11-13")).read_text("utf-8")
    tokens = MarkdownIt("commonmark").parse(frontmatter.loads(text).content)
    headings = [t.map[0] for t in tokens if t.type == "heading_open" and t.tag == "h2"]
    ties = [t.content.strip() for t in tokens if t.type == "html_block"]
    assert len(headings) == 2, text
    assert ties == ["<!-- reflect: demo/gratitude -->", "<!-- reflect: demo/friday -->"], text
    data = json.loads(run(["show", "2026-11-13", "--json"]).stdout)
    assert data["answers"]["demo"]["gratitude"] == f"Tea\n{opener}"
    assert data["answers"]["demo"]["friday"] == "carry"


@pytest.mark.parametrize(
    "line", ["<!-- closed -->", "<pre>x</pre>", "\\<!-- typed -->", "\\\\<pre>"]
)
def test_an_html_line_prose_closes_is_kept_and_reads_back(demo: Home, run: Run, line: str) -> None:
    answer(demo, "2026-11-13", f"gratitude={line}")
    if not line.startswith("\\"):
        assert f"\n{line}\n" in entry_path(demo, d("2026-11-13")).read_text("utf-8")
    data = json.loads(run(["show", "2026-11-13", "--json"]).stdout)
    assert data["answers"]["demo"]["gratitude"] == line


_PIECES = ["<!--", "-->", "<pre>", "</pre>", "<?", "?>", "<!X", ">", "\\", "```", "## ", "---"]


@given(st.lists(st.lists(st.sampled_from([*_PIECES, "a", " "]), max_size=4), max_size=6))
@example([["<!--"], ["```", "-->"], ["```"]])  # a fence's first line closes the comment
def test_stored_prose_reads_back_and_never_swallows_the_next_heading(
    parts: list[list[str]],
) -> None:
    prose = "\n".join("".join(line) for line in parts)
    stored = escape_prose(prose)
    assert unescape_prose(stored) == prose
    body = f"## A\n<!-- reflect: a/b -->\n\n{stored}\n\n## B\n<!-- reflect: a/c -->\n\nx\n"
    tokens = MarkdownIt("commonmark").parse(body)
    assert [t.content for t in tokens if t.type == "inline"][-2:] == ["B", "x"], stored
