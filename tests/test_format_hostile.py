"""The entry format attacked as a person and other tools bend it: nothing hidden, nothing dropped."""

import csv
import io
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

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


TIED = """\
---
date: 2026-11-12
format: 2
given:
  demo/gratitude: 1.0.0
---

Intro

{heading}
<!-- reflect: demo/gratitude -->

Tea.
"""


@pytest.mark.parametrize(
    "heading",
    [
        "  ## One line of gratitude",
        "   ## One line of gratitude",
        "##\tOne line of gratitude",
        "## One line of gratitude ##",
        "One line of gratitude\n---",
        "One line of gratitude\n-",
        "Intro again\n  ---  ",
    ],
)
def test_a_heading_commonmark_reads_ties_its_answer(demo: Home, run: Run, heading: str) -> None:
    write(demo, "2026-11-12", TIED.format(heading=heading))
    result = run(["history", "demo/gratitude", "--json"])
    assert result.exit_code == 0, result.output
    assert [a["value"] for a in json.loads(result.stdout)["answers"]] == ["Tea."]
    doctor = run(["doctor"])
    assert "ties nothing" not in doctor.stdout


def test_closing_hashes_are_not_part_of_the_heading(demo: Home) -> None:
    from reflect.journal.store import read_entry
    from tests.conftest import d

    write(demo, "2026-11-12", TIED.format(heading="## One line of gratitude ##"))
    entry = read_entry(demo, d("2026-11-12"))
    assert entry is not None
    assert [s.heading for s in entry.split()[1]] == ["One line of gratitude"]


def test_a_marker_under_a_level_one_heading_is_named_by_doctor_once(demo: Home, run: Run) -> None:
    from reflect.journal.store import entry_path
    from tests.conftest import d

    write(demo, "2026-11-12", TIED.format(heading="One line of gratitude\n==="))
    out = run(["doctor"]).stdout
    path = str(entry_path(demo, d("2026-11-12")))
    line = next(line for line in out.splitlines() if "ties nothing" in line)
    assert line.startswith(f"warning: {path}: line 12: '<!-- reflect: demo/gratitude -->'")
    assert line.count(path) == 1
    shown = run(["show", "2026-11-12"])
    assert shown.exit_code == 0, shown.output
    assert f"reflect: warning: {path}:12: a <!-- reflect: ... --> comment that ties nothing" in (
        shown.stderr
    )
    assert "Tea." in shown.stdout


# Lines a person, Obsidian or a formatter may leave in a body: headings of every form,
# underlines, rules, fences, lists, quotes, code, markers.
LINES = [
    "", "text", "More words.", "## Title", "  ## Title", "   ##\tTitle", "## Title ##",
    "## C# ##", "##", "## #", "# One", "### Three", "---", "-", "  ---  ", "===", "***",
    "- item", "  - nested", "> quote", "> ## quoted", "    ## code", "\t## code", "```", "~~~",
    "````", "```python", "<!-- reflect: demo/gratitude -->", "\\## not", "\\---", "1. one",
]  # fmt: skip


def _commonmark_h2(body: str) -> list[tuple[int, str]]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(body)
    return [
        (t.map[0], " ".join(p.strip() for p in tokens[i + 1].content.split("\n")))
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2" and t.level == 0 and t.map
    ]


@given(st.lists(st.sampled_from(LINES), max_size=14))
def test_reflect_splits_a_body_where_commonmark_sees_level_two_headings(lines: list[str]) -> None:
    from reflect.journal.entry import Entry, fenced_lines
    from reflect.model.front import FrontMatter
    from tests.conftest import d

    body = "\n".join(lines) + "\n"
    fences = [i for i, line in enumerate(lines) if line.lstrip(" ").startswith(("```", "~~~"))]
    # The one difference on purpose: a fence never closed is no fence for reflect.
    assume(set(fences) <= fenced_lines(lines))
    entry = Entry(FrontMatter(date=d("2026-11-12")), body)
    preamble, sections = entry.split()
    starts, at = [], preamble.count("\n")
    for section in sections:
        starts.append((at, section.heading))
        at += section.line.count("\n") + section.content.count("\n")
    assert starts == _commonmark_h2(body)
    assert preamble + "".join(s.line + s.content for s in sections) == body


@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=10))
def test_prose_as_stored_holds_no_level_two_heading_and_reads_back(lines: list[str]) -> None:
    from reflect.journal.entry import escape_prose, fenced_lines, unescape_prose

    prose = "\n".join(lines)
    stored = escape_prose(prose)
    assert unescape_prose(stored) == prose
    body = f"## Q\n<!-- reflect: demo/gratitude -->\n\n{stored}\n\n## Next\n"
    fences = [i for i, line in enumerate(lines) if line.lstrip(" ").startswith(("```", "~~~"))]
    assume(set(fences) <= fenced_lines(lines))  # markdown-it runs an open fence to the end
    assert [text for _, text in _commonmark_h2(body)] == ["Q", "Next"]


FORMAT_1_COMMENTED = """\
---
date: 2026-11-20
format: 1
packs:
  demo: 1.0.0  # the pack then
answers:  # from the morning
  demo:
    mood: 4  # rough night
    # a note
    hours: 3
---

## One line of gratitude

Tea.
"""


@pytest.mark.parametrize("command", [["migrate"], ["doctor", "--fix"]])
def test_migrating_keeps_every_comment_of_a_format_1_front_matter(
    demo: Home, run: Run, command: list[str]
) -> None:
    from reflect.journal.store import entry_path, read_entry
    from tests.conftest import d

    write(demo, "2026-11-20", FORMAT_1_COMMENTED)
    result = run(command)
    assert result.exit_code == 0, result.output
    text = entry_path(demo, d("2026-11-20")).read_text(encoding="utf-8")
    assert "format: 2\n" in text
    assert "demo/mood: 4  # rough night\n" in text
    for comment in ["# the pack then", "# from the morning", "# a note"]:
        assert f"\n{comment}\n" in text
    entry = read_entry(demo, d("2026-11-20"))
    assert entry is not None
    assert entry.front.answers == {"demo": {"mood": 4, "hours": 3}}


def test_a_changed_answer_keeps_the_comment_at_the_end_of_its_line(demo: Home) -> None:
    from reflect.journal.store import entry_path
    from tests.conftest import d

    write(
        demo,
        "2026-11-21",
        "---\ndate: 2026-11-21\nformat: 2\ndemo/mood: 3  # tired\ngiven:\n  demo/mood: 1.0.0\n---\n",
    )
    answer(demo, "2026-11-21", "mood=4")
    text = entry_path(demo, d("2026-11-21")).read_text(encoding="utf-8")
    assert "demo/mood: 4  # tired\n" in text


@given(
    st.text(
        st.characters(exclude_categories=("C", "Zl", "Zp"), exclude_characters="'\"\\"),
        min_size=1,
        max_size=20,
    )
)
def test_a_value_is_written_as_typed_and_reads_back(value: str) -> None:
    from reflect.journal.entry import Entry, parse_entry, serialize
    from tests.conftest import d

    entry = Entry.new(d("2026-11-26"))
    entry.set_answer("emo", "1.0.0", "face", value)
    written = serialize(entry)
    assert value.strip() in written
    assert parse_entry(written, "x.md", d("2026-11-26")).answer("emo", "face") == value


@pytest.mark.parametrize("value", ["😀", "a\u2028b café 🙂", "\x85é", "x\u2029"])
def test_an_emoji_is_written_as_typed_and_a_line_separator_escaped(value: str) -> None:
    from reflect.journal.entry import Entry, parse_entry, serialize
    from tests.conftest import d

    entry = Entry.new(d("2026-11-26"))
    entry.set_answer("emo", "1.0.0", "face", value)
    entry.set_answer("emo", "1.0.0", "word", "café 😀")
    written = serialize(entry)
    assert "emo/word: café 😀\n" in written
    assert not any(char in written for char in "\u2028\u2029\x85")
    again = parse_entry(written, "x.md", d("2026-11-26"))
    assert (again.answer("emo", "face"), again.answer("emo", "word")) == (value, "café 😀")


FORMAT_DOC = Path(__file__).parent.parent / "docs" / "format.md"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="needs pandoc: apt-get install pandoc")
def test_the_pandoc_invocation_in_the_docs_keeps_the_answers(tmp_path: Path) -> None:
    from reflect.journal.entry import parse_entry
    from tests.conftest import d

    doc = FORMAT_DOC.read_text(encoding="utf-8")
    (command,) = re.findall(r"^ *\$ (pandoc .*)$", doc, re.MULTILINE)
    example = re.search(r"```markdown file=2026-11-26.md\n(.*?)^```", doc, re.S | re.M)
    assert example is not None
    (tmp_path / "2026-11-26.md").write_text(example.group(1), encoding="utf-8")
    subprocess.run(shlex.split(command), cwd=tmp_path, check=True, capture_output=True)
    before = parse_entry(example.group(1), "in.md", d("2026-11-26"))
    after = parse_entry((tmp_path / "out.md").read_text("utf-8"), "out.md", d("2026-11-26"))
    assert after.front.answers == before.front.answers and after.front.given == before.front.given
    assert after.front.tags == before.front.tags
    # As the page warns: prose comes back with `#` escaped, so `#work` is no tag any more.
    assert {k: v.replace("\\#", "#") for k, v in after.tied().items()} == before.tied()
    assert "\\#work" in after.tied()["daily/mood/follow-up"]
    # What the page warns of: without --standalone the front matter is gone.
    bare = shlex.split(command.replace(" -s ", " ").replace("-o out.md", "-o bare.md"))
    subprocess.run(bare, cwd=tmp_path, check=True, capture_output=True)
    assert "daily/mood: 2" not in (tmp_path / "bare.md").read_text("utf-8")
    assert "daily/mood: 2" in (tmp_path / "out.md").read_text("utf-8")


BAD_GIVEN = "its given line 'banana' is not a version and time"


def test_every_command_gives_the_same_reason_for_a_bad_given_line(demo: Home, run: Run) -> None:
    answer(demo, "2026-11-12", "mood=4")
    write(
        demo,
        "2026-11-13",
        "---\ndate: 2026-11-13\nformat: 2\ndemo/mood: 3\ngiven:\n  demo/mood: banana\n---\n",
    )
    history = run(["history", "demo/mood", "--json"])
    assert history.exit_code == 0, history.output
    (bad,) = [a for a in json.loads(history.stdout)["answers"] if a["date"] == "2026-11-13"]
    assert bad["left_out_reason"].startswith(BAD_GIVEN)
    trends = run(["trends", "--since", "2026-11-09", "--until", "2026-11-15"])
    assert trends.exit_code == 0, trends.output
    assert BAD_GIVEN in trends.stderr and "expected a number" not in trends.stderr
    export = run(["export", *RANGE, "--format", "json"])
    (left,) = json.loads(export.stdout)["left_out_answers"]
    assert left["reason"].startswith(BAD_GIVEN)
    assert BAD_GIVEN in " ".join(run(["show", "2026-11-13"]).stdout.split())
    assert BAD_GIVEN in run(["doctor"]).stdout
    # Read again from the index, not the file: the reason is kept there too.
    again = run(["history", "demo/mood"])
    assert BAD_GIVEN in " ".join(again.stdout.split())


TWO = """\
id = "two"
name = "Two"
version = "1.0.0"

[[prompts]]
id = "a"
text = "Anything else?"
type = "text"
pin = true

[[prompts]]
id = "b"
text = "Anything else?"
type = "text"
pin = true
"""

SHARED_DAY = """\
---
date: 2026-11-20
format: 1
packs:
  two: 1.0.0
---

## Anything else?

A walk by the river.
"""


@pytest.fixture
def two(home: Home, run: Run, tmp_path: Path) -> Home:
    """Two questions asking "Anything else?", and a format 1 day with prose under it."""
    pack = tmp_path / "two.toml"
    pack.write_text(TWO, encoding="utf-8")
    assert run(["packs", "add", str(pack), "--enable"]).exit_code == 0
    write(home, "2026-11-20", SHARED_DAY)
    return home


def test_a_heading_two_questions_share_answers_neither_in_the_greeting(two: Home) -> None:
    import os

    from reflect.daily.greeting import answered_today
    from reflect.journal.index import keep_day
    from reflect.journal.store import entry_path
    from reflect.lookback.day import day_status
    from reflect.packs.library import find_pack
    from reflect.packs.schedule import Asked
    from tests.conftest import d

    path = entry_path(two, d("2026-11-20"))
    os.utime(path, (1_700_000_000, 1_700_000_000))
    keep_day(two, d("2026-11-20"))
    asked = [["two", "a", "Anything else?"], ["two", "b", "Anything else?"]]
    assert answered_today(two, d("2026-11-20"), asked) in (None, 0)
    pack = find_pack(two, "two").pack
    items = [Asked(pack, prompt) for prompt in pack.prompts]
    assert day_status(two, d("2026-11-20"), items).answered == 0


def test_a_heading_two_questions_share_answers_neither_in_log_where_and_trends(
    two: Home, run: Run
) -> None:
    result = run(["log", "--where", "two/a=river", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["days"] == []
    trends = run(["trends", "--since", "2026-11-16", "--until", "2026-11-22", "--json"])
    assert trends.exit_code == 0, trends.output
    (pack,) = [p for p in json.loads(trends.stdout)["packs"] if p["id"] == "two"]
    assert [(p["id"], p["overall"]["answered"]) for p in pack["prompts"]] == [("a", 0), ("b", 0)]
    history = run(["history", "two/a", "--json"])
    assert json.loads(history.stdout)["answers"] == []


def test_trends_count_no_untied_section_of_a_format_2_day_as_an_answer(
    demo: Home, run: Run
) -> None:
    write(
        demo,
        "2026-11-20",
        "---\ndate: 2026-11-20\nformat: 2\ndemo/mood: 3\ngiven:\n  demo/mood: 1.0.0\n---\n\n"
        "## One line of gratitude\n\nMy own words, under the question's.\n",
    )
    trends = run(["trends", "--since", "2026-11-16", "--until", "2026-11-22", "--json"])
    assert trends.exit_code == 0, trends.output
    (pack,) = [p for p in json.loads(trends.stdout)["packs"] if p["id"] == "demo"]
    counted = {p["id"]: p["overall"]["answered"] for p in pack["prompts"]}
    assert (counted["mood"], counted["gratitude"]) == (1, 0)
    history = run(["history", "demo/gratitude", "--json"])
    assert json.loads(history.stdout)["answers"] == []


def test_a_coach_report_names_the_answers_a_summary_left_out(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    answer(demo, "2026-11-11", "mood=2")
    write(demo, "2026-11-10", ORPHAN)
    shared = tmp_path / "alex.json"
    made = run(["export", *RANGE, "--share", "--pack", "demo", "-o", str(shared)])
    assert made.exit_code == 0, made.output
    out = tmp_path / "cohort.md"
    result = run(["report", str(shared), "-o", str(out)])
    assert result.exit_code == 0, result.output
    note = "1 answer(s) left out of the statistics: 2026-11-10 demo/threatened (no answer"
    assert note in result.stderr
    assert note in out.read_text(encoding="utf-8")


def test_a_stretch_too_long_to_parse_is_still_split_at_its_hash_headings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reflect.journal import entry as entries

    body = "Title\n---\n\n" * 4 + "## Q\n<!-- reflect: demo/gratitude -->\n\nTea.\n"
    assert [h.text for h in entries._headings(body)] == ["Title"] * 4 + ["Q"]
    monkeypatch.setattr(entries, "MAX_PARSED_LINES", 5)
    assert [h.text for h in entries._headings(body)] == ["Q"]


def test_answering_one_of_two_packs_asking_the_same_words_keeps_the_old_prose(
    home: Home, run: Run, tmp_path: Path
) -> None:
    from reflect.journal.store import entry_path, read_entry
    from tests.conftest import d

    for pack_id in ("a", "b"):
        pack = tmp_path / f"{pack_id}.toml"
        pack.write_text(
            TWO.replace('id = "two"', f'id = "{pack_id}"').split('[[prompts]]\nid = "b"')[0],
            encoding="utf-8",
        )
        assert run(["packs", "add", str(pack), "--enable"]).exit_code == 0
    write(
        home,
        "2026-11-20",
        "---\ndate: 2026-11-20\nformat: 1\npacks:\n  a: 1.0.0\n  b: 1.0.0\n---\n\n"
        "## Anything else?\n\nWords of mine.\n",
    )
    result = run(["today", "--date", "2026-11-20", "--no-input", "--answer", "a/a=New words"])
    assert result.exit_code == 0, result.output
    text = entry_path(home, d("2026-11-20")).read_text(encoding="utf-8")
    assert "Words of mine." in text
    entry = read_entry(home, d("2026-11-20"))
    assert entry is not None and entry.tied() == {"a/a": "New words"}


def test_doctor_says_where_a_setext_heading_ends_a_tied_answer(demo: Home, run: Run) -> None:
    from reflect.journal.store import entry_path
    from tests.conftest import d

    write(
        demo,
        "2026-11-12",
        TIED.format(heading="## One line of gratitude") + "\nBig news\n---\nWe shipped.\n",
    )
    history = run(["history", "demo/gratitude", "--json"])
    assert [a["value"] for a in json.loads(history.stdout)["answers"]] == ["Tea."]
    out = run(["doctor"]).stdout
    path = entry_path(demo, d("2026-11-12"))
    assert f"info: {path}: line 15: 'Big news' over a line of dashes is a heading" in out
