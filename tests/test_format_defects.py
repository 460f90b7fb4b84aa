"""The entry format under a hostile reader: provenance on re-answering, fences, odd markers, bad values."""

import json
from pathlib import Path

import pytest

from reflect.daily.session import Session, resolve_answers, save_answers
from reflect.journal.home import Home
from reflect.journal.store import entry_path, read_entry
from reflect.packs.library import find_pack
from reflect.packs.schedule import Asked
from tests.conftest import Run, d, write

V1 = """\
id = "words"
name = "Words"
version = "1.0.0"

[[prompts]]
id = "lesson"
text = "What did today teach you?"
type = "text"
pin = true
"""

V2 = V1.replace('"1.0.0"', '"2.0.0"').replace(
    "What did today teach you?", "What is the one lesson of today?"
)


@pytest.fixture
def reworded(home: Home, tmp_path: Path, run: Run) -> Home:
    """A text question answered on 2026-11-10 under 1.0.0, then reworded by 2.0.0."""
    v1, v2 = tmp_path / "v1.toml", tmp_path / "v2.toml"
    v1.write_text(V1, encoding="utf-8")
    v2.write_text(V2, encoding="utf-8")
    assert run(["packs", "add", str(v1), "--enable"]).exit_code == 0
    old = find_pack(home, "words").pack
    save_answers(home, d("2026-11-10"), resolve_answers([old], ["words/lesson=Ask early."]))
    result = run(["packs", "add", str(v2), "--upgrade"])
    assert result.exit_code == 0, result.output
    return home


def test_re_answering_a_reworded_text_question_replaces_the_answer_and_its_version(
    reworded: Home, run: Run
) -> None:
    result = run(
        ["today", "--date", "2026-11-10", "--no-input", "--answer", "words/lesson=Listen more."]
    )
    assert result.exit_code == 0, result.output
    entry = read_entry(reworded, d("2026-11-10"))
    assert entry is not None
    assert entry.prose_for("words/lesson") == "Listen more."
    assert entry.answer_version("words", "lesson") == "2.0.0"
    text = entry_path(reworded, d("2026-11-10")).read_text(encoding="utf-8")
    assert "Ask early." not in text
    assert "## What is the one lesson of today?" in text
    data = json.loads(run(["history", "words/lesson", "--json"]).stdout)
    assert [(a["value"], a["version"]) for a in data["answers"]] == [("Listen more.", "2.0.0")]


def test_adding_to_an_answer_of_another_version_is_refused_not_relabelled(
    reworded: Home,
) -> None:
    from reflect.errors import Unwritable

    entry = read_entry(reworded, d("2026-11-10"))
    assert entry is not None
    with pytest.raises(Unwritable, match=r"answered under version 1\.0\.0"):
        entry.set_prose_for(
            "words/lesson", "What is the one lesson of today?", "more", version="2.0.0", add=True
        )
    assert entry.prose_for("words/lesson") == "Ask early."
    assert entry.answer_version("words", "lesson") == "1.0.0"


class Typed:
    def __init__(self, lines: list[str]) -> None:
        self.lines, self.said = lines, []  # type: list[str], list[str]

    def ask(self, prompt: str) -> str:
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)

    def say(self, text: str) -> None:
        self.said.append(text)

    def edit(self, initial: str) -> str | None:
        return None


def test_a_line_typed_under_a_newer_wording_replaces_the_old_answer_after_saying_so(
    reworded: Home,
) -> None:
    pack = find_pack(reworded, "words").pack
    prompt = pack.prompt("lesson")
    assert prompt is not None
    term = Typed(["Listen more."])
    Session(reworded, d("2026-11-10"), [Asked(pack, prompt)], term, revisit=True).run()
    assert "  You wrote: Ask early." in term.said
    assert any("answered under version 1.0.0: a line typed now replaces it" in s for s in term.said)
    entry = read_entry(reworded, d("2026-11-10"))
    assert entry is not None
    assert entry.prose_for("words/lesson") == "Listen more."
    assert entry.answer_version("words", "lesson") == "2.0.0"


def test_a_line_typed_under_the_same_version_is_added_below(
    home: Home, run: Run, tmp_path: Path
) -> None:
    v1 = tmp_path / "v1.toml"
    v1.write_text(V1, encoding="utf-8")
    assert run(["packs", "add", str(v1), "--enable"]).exit_code == 0
    pack = find_pack(home, "words").pack
    prompt = pack.prompt("lesson")
    assert prompt is not None
    save_answers(home, d("2026-11-10"), resolve_answers([pack], ["words/lesson=Ask early."]))
    term = Typed(["And listen."])
    Session(home, d("2026-11-10"), [Asked(pack, prompt)], term, revisit=True).run()
    assert "  (anything you type now is added below it)" in term.said
    entry = read_entry(home, d("2026-11-10"))
    assert entry is not None
    assert entry.prose_for("words/lesson") == "Ask early.\n\nAnd listen."
    assert entry.answer_version("words", "lesson") == "1.0.0"


# -- fenced code blocks ---------------------------------------------------------

FENCED_FORMAT_1 = """\
---
date: 2026-11-25
format: 1
packs:
  demo: 1.0.0
---

How my template looks:

```
## One line of gratitude
```

## One line of gratitude

A shell session:

~~~~
## One line of gratitude
$ make
~~~~
"""


def test_migrate_leaves_headings_inside_code_fences_alone(demo: Home, run: Run) -> None:
    write(demo, "2026-11-25", FENCED_FORMAT_1)
    result = run(["migrate"])
    assert result.exit_code == 0, result.output
    text = entry_path(demo, d("2026-11-25")).read_text(encoding="utf-8")
    body = FENCED_FORMAT_1.split("---\n", 3)[2]
    tied = body.replace(
        "```\n\n## One line of gratitude\n",
        "```\n\n## One line of gratitude\n<!-- reflect: demo/gratitude -->\n",
    )
    assert text.endswith(tied)
    entry = read_entry(demo, d("2026-11-25"))
    assert entry is not None
    assert (
        entry.prose_for("demo/gratitude")
        == "A shell session:\n\n~~~~\n## One line of gratitude\n$ make\n~~~~"
    )


def test_code_in_an_answer_is_kept_as_written(demo: Home, run: Run) -> None:
    code = "Notes:\n\n```md\n## not a heading\n\\## escaped by me\n```\n\nand ```"
    result = run(
        ["today", "--date", "2026-11-25", "--no-input", "--answer", f"demo/gratitude={code}"]
    )
    assert result.exit_code == 0, result.output
    text = entry_path(demo, d("2026-11-25")).read_text(encoding="utf-8")
    assert "```md\n## not a heading\n\\## escaped by me\n```" in text
    entry = read_entry(demo, d("2026-11-25"))
    assert entry is not None
    assert entry.prose_for("demo/gratitude") == code


def test_a_fence_left_open_does_not_hide_the_next_answer(demo: Home, run: Run) -> None:
    result = run(
        ["today", "--date", "2026-11-25", "--no-input", "--answer", "demo/gratitude=```",
         "--answer", "demo/threatened=yes", "--answer", "demo/threatened/follow-up=x\n```"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    entry = read_entry(demo, d("2026-11-25"))
    assert entry is not None
    assert entry.prose_for("demo/gratitude") == "```"
    assert entry.prose_for("demo/threatened/follow-up") == "x\n```"


# -- markers: twice, tolerant, unknown --------------------------------------------

TWICE = """\
---
date: 2026-11-25
format: 2
---

## One line of gratitude
<!-- reflect: demo/gratitude -->

The walk home.

## One line of gratitude, again
<!-- reflect: demo/gratitude -->

The rain.
"""


def test_a_key_tied_twice_is_read_whole_and_named_by_doctor(demo: Home, run: Run) -> None:
    write(demo, "2026-11-25", TWICE)
    entry = read_entry(demo, d("2026-11-25"))
    assert entry is not None
    assert entry.prose_for("demo/gratitude") == "The walk home.\n\nThe rain."
    shown = json.loads(run(["show", "2026-11-25", "--json"]).stdout)
    assert shown["answers"]["demo"]["gratitude"] == "The walk home.\n\nThe rain."
    history = json.loads(run(["history", "demo/gratitude", "--json"]).stdout)
    assert [a["value"] for a in history["answers"]] == ["The walk home.\n\nThe rain."]
    result = run(["doctor"])
    path = entry_path(demo, d("2026-11-25"))
    assert (
        f"{path}: line 12: demo/gratitude is tied to a second section (the first is on line 7)"
        in (" ".join(result.stdout.split()))
    )


def test_rewriting_a_key_tied_twice_keeps_every_word_in_one_section(demo: Home, run: Run) -> None:
    write(demo, "2026-11-25", TWICE)
    pack = find_pack(demo, "demo").pack
    prompt = pack.prompt("gratitude")
    assert prompt is not None
    term = Typed(["And tea."])
    Session(demo, d("2026-11-25"), [Asked(pack, prompt)], term, revisit=True).run()
    text = entry_path(demo, d("2026-11-25")).read_text(encoding="utf-8")
    assert text.count("<!-- reflect: demo/gratitude -->") == 1
    entry = read_entry(demo, d("2026-11-25"))
    assert entry is not None
    assert entry.prose_for("demo/gratitude") == "The walk home.\n\nThe rain.\n\nAnd tea."


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- reflect: demo/gratitude -->",
        "<!-- Reflect: demo/gratitude-->",
        "<!--REFLECT:demo/gratitude-->",
        "  <!--  reflect :  Demo/Gratitude  -->  ",
        "<!-- reflect:\tdemo/gratitude\t-->",
    ],
)
def test_one_tolerant_rule_for_markers(demo: Home, comment: str) -> None:
    write(
        demo,
        "2026-11-25",
        f"---\ndate: 2026-11-25\nformat: 2\n---\n\n## My words\n{comment}\n\nThe walk home.\n",
    )
    entry = read_entry(demo, d("2026-11-25"))
    assert entry is not None
    assert entry.prose_for("demo/gratitude") == "The walk home."
    assert "reflect" not in entry.readable_body().lower()


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- reflect: demo/gratitude --> <!-- reflect: demo/mood -->",
        "<!-- reflect: demo -->",
        "<!-- reflect demo/gratitude -->",
    ],
)
def test_a_comment_that_is_not_a_marker_stays_prose_and_doctor_names_it(
    demo: Home, run: Run, comment: str
) -> None:
    write(
        demo,
        "2026-11-25",
        f"---\ndate: 2026-11-25\nformat: 2\n---\n\n## My words\n{comment}\n\nThe walk home.\n",
    )
    entry = read_entry(demo, d("2026-11-25"))
    assert entry is not None
    assert entry.prose_for("demo/gratitude") is None
    assert comment in entry.readable_body()
    if "reflect:" in comment:
        out = " ".join(run(["doctor"]).stdout.split())
        assert f"{entry_path(demo, d('2026-11-25'))}: line 7: " in out
        assert "ties nothing" in out


def test_a_second_marker_under_one_heading_is_prose_and_named(demo: Home, run: Run) -> None:
    write(
        demo,
        "2026-11-25",
        "---\ndate: 2026-11-25\nformat: 2\n---\n\n## My words\n"
        "<!-- reflect: demo/gratitude -->\n<!-- reflect: demo/threatened/follow-up -->\n\nTea.\n",
    )
    entry = read_entry(demo, d("2026-11-25"))
    assert entry is not None
    assert (
        entry.prose_for("demo/gratitude") == "<!-- reflect: demo/threatened/follow-up -->\n\nTea."
    )
    out = " ".join(run(["doctor"]).stdout.split())
    assert (
        f"{entry_path(demo, d('2026-11-25'))}: line 8: '<!-- reflect: demo/threatened/follow-up -->' ties nothing"
        in out
    )


def test_doctor_names_a_marker_no_pack_knows(demo: Home, run: Run) -> None:
    write(
        demo,
        "2026-11-25",
        "---\ndate: 2026-11-25\nformat: 2\n---\n\n## A\n<!-- reflect: demo/nope -->\n\nx\n\n"
        "## B\n<!-- reflect: gone/what -->\n\ny\n",
    )
    out = " ".join(run(["doctor"]).stdout.split())
    path = entry_path(demo, d("2026-11-25"))
    assert (
        f"{path}: line 7: the comment names a prompt 'nope' that no known version of pack 'demo' has"
        in out
    )
    assert "`reflect packs show demo` lists them" in out
    assert f"{path}: line 12: the comment names pack 'gone', which is not installed" in out
    data = json.loads(run(["doctor", "--json"]).stdout)
    assert sum("the comment names" in f["what"] for f in data["findings"]) == 2


# -- a value no question takes ------------------------------------------------------

ODD = """\
---
date: 2026-11-25
format: 2
demo/mood: [3]
demo/share: {a: 1}
demo/hours: 2026-01-01
demo/where: chat
demo/threatened: false
given:
  demo/threatened: soon
  demo/where: 1.0.0
---

The rest of the day.
"""


def test_an_odd_value_or_given_line_is_one_misfit_and_the_day_reads(demo: Home, run: Run) -> None:
    write(demo, "2026-11-25", ODD)
    result = run(["show", "2026-11-25", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    fits = {q["prompt"]: (q["value"], q["fits"]) for q in data["questions"]}
    assert fits == {
        "mood": ("[3]", False),
        "share": ('{"a": 1}', False),
        "hours": ("2026-01-01", False),
        "where": ("chat", True),
        "threatened": ("false", False),
    }
    assert "The rest of the day." in run(["show", "2026-11-25"]).stdout
    out = " ".join(run(["doctor"]).stdout.split())
    assert "demo/mood: expected one value, found a list [3]" in out
    assert "demo/hours: expected one value, found a date 2026-01-01" in out
    assert "demo/threatened: its given line 'soon' is not a version and time" in out
    history = json.loads(run(["history", "demo/mood", "--json"]).stdout)
    assert [(a["value"], a["counted"]) for a in history["answers"]] == [("[3]", False)]


def test_a_day_with_odd_values_is_written_back_as_it_was(demo: Home, run: Run) -> None:
    write(demo, "2026-11-25", ODD)
    result = run(["today", "--date", "2026-11-25", "--no-input", "--answer", "demo/threatened=yes"])
    assert result.exit_code == 0, result.output
    text = entry_path(demo, d("2026-11-25")).read_text(encoding="utf-8")
    assert "demo/mood: [3]\ndemo/share: {a: 1}\ndemo/hours: 2026-01-01\n" in text
    assert "demo/threatened: true\n" in text
    assert "  demo/threatened: soon" not in text
    entry = read_entry(demo, d("2026-11-25"))
    assert entry is not None
    assert entry.answer("demo", "threatened") is True
    assert entry.answer_version("demo", "threatened") == "1.0.0"


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("tags: {a: 1}", "2026-11-25.md:3: tags[0]: must be a valid string"),
        ("packs: {demo: [1]}", "2026-11-25.md:3: packs.demo: must be a valid string"),
        ("given: oops", "2026-11-25.md:3: given: must be a mapping"),
    ],
)
def test_a_broken_day_is_named_in_the_words_of_the_file(
    demo: Home, run: Run, front: str, message: str
) -> None:
    write(demo, "2026-11-25", f"---\ndate: 2026-11-25\n{front}\n---\n")
    result = run(["show", "2026-11-25"])
    assert result.exit_code == 1
    assert message in result.stderr
    assert ".bool" not in result.stderr and "Input should" not in result.stderr


# -- line ends and byte-order mark -------------------------------------------------


@pytest.mark.parametrize(("bom", "newline"), [("\ufeff", "\r\n"), ("", "\r\n"), ("\ufeff", "\n")])
def test_a_rewrite_keeps_the_files_line_ends_and_bom(
    demo: Home, run: Run, bom: str, newline: str
) -> None:
    path = entry_path(demo, d("2026-11-25"))
    path.parent.mkdir(parents=True, exist_ok=True)
    old = "---\ndate: 2026-11-25\nformat: 1\npacks:\n  demo: 1.0.0\n---\n\n## One line of gratitude\n\nTea.\n"
    path.write_bytes((bom + old.replace("\n", newline)).encode("utf-8"))
    assert run(["migrate"]).exit_code == 0
    result = run(["today", "--date", "2026-11-25", "--no-input", "--answer", "demo/mood=4"])
    assert result.exit_code == 0, result.output
    text = path.read_bytes().decode("utf-8")
    assert text.startswith(bom + "---" + newline)
    assert text.count(newline) == text.count("\n")
    assert f"<!-- reflect: demo/gratitude -->{newline}{newline}Tea.{newline}" in text
    entry = read_entry(demo, d("2026-11-25"))
    assert entry is not None
    assert (entry.answer("demo", "mood"), entry.prose_for("demo/gratitude")) == (4, "Tea.")


# -- the csv export: time, and a yes/no where a number was asked --------------------

TIMED = """\
---
date: 2026-11-25
format: 2
demo/mood: 4
demo/share: true
demo/threatened: true
given:
  demo/mood: 1.0.0 2026-11-25T08:59:12+01:00
  demo/share: 1.0.0 2026-11-25T09:00:00+01:00
  demo/threatened: 1.0.0 2026-11-25T09:01:40+01:00
  demo/threatened/follow-up: 1.0.0 2026-11-25T09:02:05+01:00
---

## Whose, and what was the pang about?
<!-- reflect: demo/threatened/follow-up -->

Sam's.

## Notes (14:32)

A note.
"""


def test_the_csv_time_is_when_each_answer_was_given(demo: Home, run: Run) -> None:
    import csv
    import io

    write(demo, "2026-11-25", TIMED)
    result = run(["export", "--from", "2026-11-25", "--to", "2026-11-25", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = [r[:2] + r[4:5] + r[7:] for r in csv.reader(io.StringIO(result.stdout, newline=""))]
    assert rows[1:] == [
        ["2026-11-25", "08:59:12", "mood", "4", "", "", "", "TRUE"],
        ["2026-11-25", "09:00:00", "share", "", "1", "", "", "FALSE"],
        ["2026-11-25", "09:01:40", "threatened", "1", "1", "", "", "TRUE"],
        ["2026-11-25", "09:02:05", "threatened/follow-up", "", "", "", "Sam's.", "TRUE"],
        ["2026-11-25", "14:32", "note", "", "", "", "A note.", "FALSE"],
    ]
    assert "2026-11-25 demo/share: expected a number from 0-100" in result.stderr


# -- tags ---------------------------------------------------------------------------------


def test_a_tag_matches_itself_in_any_case_but_never_another_letter(demo: Home, run: Run) -> None:
    write(demo, "2026-11-24", "---\ndate: 2026-11-24\ntags: [é]\n---\n\nA day.\n")
    write(demo, "2026-11-25", "---\ndate: 2026-11-25\ntags: [Cafe\u0301]\n---\n\nA day.\n")
    write(demo, "2026-11-26", "---\ndate: 2026-11-26\n---\n\nAt the #café.\n")

    def days(*tags: str) -> list[str]:
        args = [a for t in tags for a in ("--tag", t)]
        result = run(["log", "--json", *args])
        assert result.exit_code == 0, result.output
        return sorted(day["date"] for day in json.loads(result.stdout)["days"])

    assert days("e") == []
    assert days("é") == ["2026-11-24"]
    assert days("É") == ["2026-11-24"]
    assert days("cafe") == []
    assert days("café") == ["2026-11-25", "2026-11-26"]
    assert days("CAFÉ") == ["2026-11-25", "2026-11-26"]
    search = run(["search", "day", "--tag", "e", "--json"])
    assert json.loads(search.stdout)["days"] == []


# -- trends: format 1 prose under any wording ---------------------------------------------


def test_trends_count_format_1_prose_under_any_wording_its_question_had(
    reworded: Home, run: Run
) -> None:
    write(
        reworded,
        "2026-11-11",
        "---\ndate: 2026-11-11\nformat: 1\npacks:\n  words: 0.5.0\n---\n\n"
        "## What did today teach you?\n\nThree words here.\n",
    )
    result = run(["trends", "--week", "2026-W46", "--json"])
    assert result.exit_code == 0, result.output
    (pack,) = [p for p in json.loads(result.stdout)["packs"] if p["id"] == "words"]
    (row,) = [r for r in pack["prompts"] if r["id"] == "lesson"]
    assert row["overall"] == {"answered": 2, "words": 5}


# -- export names what it could not read -------------------------------------------------


def test_export_names_unreadable_files_in_the_document(demo: Home, run: Run) -> None:
    run(["today", "--date", "2026-11-24", "--no-input", "--answer", "demo/mood=3"])
    write(demo, "2026-11-25", "---\ndate: 2026-11-25\ndemo/mood: 3\ndemo/mood: 4\n---\n")
    common = ["export", "--from", "2026-11-23", "--to", "2026-11-29"]
    result = run([*common, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "2026-11-25.md" in result.stderr
    (skipped,) = json.loads(result.stdout)["skipped_files"]
    assert skipped["path"] == "entries/2026/2026-11-25.md"
    assert "'demo/mood' appears twice" in skipped["error"]
    assert str(demo.root) not in result.stdout
    md = run([*common, "-f", "md"]).stdout
    assert "## Files that could not be read\n\nTheir days are missing from this summary.\n\n" in md
    assert "- entries/2026/2026-11-25.md: " in md
    page = demo.root.parent / "review.html"
    assert run([*common, "-f", "html", "-o", str(page)]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<h2>Files that could not be read</h2>" in html
    assert "<li>entries/2026/2026-11-25.md: " in html
    clean = run(["export", "--from", "2026-11-24", "--to", "2026-11-24", "-f", "json"])
    assert json.loads(clean.stdout)["skipped_files"] == []


def test_a_shared_summary_names_an_unreadable_file_without_its_words(demo: Home, run: Run) -> None:
    write(demo, "2026-11-25", "--- SECRET\ndate: 2026-11-25\n---\n")
    result = run(
        [
            "export",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-29",
            "-f",
            "json",
            "--share",
            "--pack",
            "demo",
        ]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["skipped_files"] == [
        {"path": "entries/2026/2026-11-25.md", "error": "could not be read"}
    ]
    assert "SECRET" not in result.stdout


def test_trends_leave_out_an_answer_whose_given_line_does_not_read(demo: Home, run: Run) -> None:
    write(demo, "2026-11-25", ODD)
    for _ in range(2):  # the second run reads the day from the index
        result = run(["trends", "--week", "2026-W48", "--json"])
        assert result.exit_code == 0, result.output
        problems = {(p["prompt"], p["value"]) for p in json.loads(result.stdout)["problems"]}
        assert ("threatened", "false") in problems
        assert ("mood", "[3]") in problems


@pytest.mark.parametrize(
    "stamp",
    ["2026-02-30T10:00:00+01:00", "2026-11-01T24:00:00+01:00", "2026-11-01T10:00:00+25:00"],
)
def test_a_given_time_no_calendar_has_is_one_misfit(demo: Home, run: Run, stamp: str) -> None:
    write(
        demo,
        "2026-11-25",
        f"---\ndate: 2026-11-25\nformat: 2\ndemo/mood: 3\ngiven:\n  demo/mood: 1.0.0 {stamp}\n---\n",
    )
    for args in (
        ["show", "2026-11-25"],
        ["history", "demo/mood"],
        ["trends"],
        ["export", "--format", "csv"],
        ["search", "3"],
        ["calendar"],
    ):
        result = run(args)
        assert result.exit_code == 0, (args, result.output)
    data = json.loads(run(["show", "2026-11-25", "--json"]).stdout)
    assert [(q["value"], q["fits"]) for q in data["questions"]] == [("3", False)]
    out = " ".join(run(["doctor"]).stdout.split())
    assert (
        f"2026-11-25.md: line 6: demo/mood: its given line '1.0.0 {stamp}' is not a version" in out
    )


@pytest.mark.parametrize(
    "args",
    [
        ["today", "--date", "2026-11-20", "--no-input", "--answer", "demo/where=caf\udce9"],
        ["write", "--date", "2026-11-20", "caf\udce9"],
        ["search", "caf\udce9"],
        ["log", "--tag", "caf\udce9"],
    ],
)
def test_an_argument_not_in_the_terminal_encoding_is_one_line(
    demo: Home, run: Run, args: list[str]
) -> None:
    result = run(args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "reflect: the argument "
        f"'{args[-1].replace(chr(0xDCE9), chr(92) + 'xe9')}' is not valid text in the "
        "terminal's encoding (utf-8); type it again as text\n"
    )
    assert not entry_path(demo, d("2026-11-20")).exists()


SHARED_PACK = """\
id = "tp"
name = "Two questions, one wording"
version = "1.0.0"
[schedule]
per_day = 10
[[prompts]]
id = "a"
text = "What happened?"
type = "text"
[[prompts]]
id = "b"
text = "Anything else?"
type = "text"
[[prompts]]
id = "c"
text = "Anything else?"
type = "text"
"""


@pytest.fixture
def shared(home: Home) -> Home:
    home.ensure()
    (home.packs_dir / "tp.toml").write_text(SHARED_PACK, encoding="utf-8")
    home.config_path.write_text('packs = ["tp"]\n', encoding="utf-8")
    return home


def test_a_section_of_your_own_under_a_question_is_never_replaced(shared: Home, run: Run) -> None:
    write(
        shared, "2026-11-20", "---\ndate: 2026-11-20\nformat: 2\n---\n\n## What happened?\n\nmine\n"
    )
    result = run(["today", "--date", "2026-11-20", "--no-input", "--answer", "tp/a=the answer"])
    assert result.exit_code == 0, result.output
    text = entry_path(shared, d("2026-11-20")).read_text(encoding="utf-8")
    assert text.endswith(
        "## What happened?\n\nmine\n\n## What happened?\n<!-- reflect: tp/a -->\n\nthe answer\n"
    )
    data = json.loads(run(["show", "2026-11-20", "--json"]).stdout)
    assert data["answers"] == {"tp": {"a": "the answer"}}
    assert data["sections"] == [
        {"heading": "What happened?", "text": "mine"},
        {"heading": "What happened?", "text": "the answer"},
    ]


@pytest.mark.parametrize("fmt", [1, 2])
def test_a_heading_two_questions_share_is_nobodys(shared: Home, run: Run, fmt: int) -> None:
    packs = "packs:\n  tp: 1.0.0\n" if fmt == 1 else ""
    front = f"---\ndate: 2026-11-01\nformat: {fmt}\n{packs}---\n"
    write(shared, "2026-11-01", f"{front}\n## Anything else?\n\nB or C?\n")
    migrate = run(["migrate", "--dry-run"])
    assert migrate.exit_code == 0, migrate.output
    if fmt == 1:
        assert "cannot tell which question 'Anything else?' answers" in migrate.stdout
    for key in ("tp/b", "tp/c"):
        history = json.loads(run(["history", key, "--json"]).stdout)
        assert history["answers"] == []
    result = run(["today", "--date", "2026-11-01", "--no-input", "--answer", "tp/c=real C"])
    assert result.exit_code == 0, result.output
    text = entry_path(shared, d("2026-11-01")).read_text(encoding="utf-8")
    assert text.endswith(
        "## Anything else?\n\nB or C?\n\n## Anything else?\n<!-- reflect: tp/c -->\n\nreal C\n"
    )
    history = json.loads(run(["history", "tp/b", "--json"]).stdout)
    assert history["answers"] == []


def test_a_format_1_answer_under_its_own_wording_is_still_replaced(shared: Home, run: Run) -> None:
    front = "---\ndate: 2026-11-01\nformat: 1\npacks:\n  tp: 1.0.0\n---\n"
    write(shared, "2026-11-01", f"{front}\n## What happened?\n\nold\n")
    assert [
        a["value"] for a in json.loads(run(["history", "tp/a", "--json"]).stdout)["answers"]
    ] == ["old"]
    result = run(["today", "--date", "2026-11-01", "--no-input", "--answer", "tp/a=new"])
    assert result.exit_code == 0, result.output
    text = entry_path(shared, d("2026-11-01")).read_text(encoding="utf-8")
    assert text.endswith("\n## What happened?\n<!-- reflect: tp/a -->\n\nnew\n")
    assert "old" not in text.split("---")[-1]


def _demo_version(tmp_path: Path, version: str, follow_up: str | None) -> Path:
    from tests.conftest import DATA

    text = (DATA / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('version = "1.0.0"', f'version = "{version}"', 1)
    old = 'follow_up = { when = "yes", text = "Whose, and what was the pang about?" }\n'
    assert old in text
    new = f'follow_up = {{ when = "yes", text = "{follow_up}" }}\n' if follow_up else ""
    path = tmp_path / f"demo-{version}.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _follow_up_row(run: Run) -> list[str]:
    import csv
    import io

    result = run(["export", "--from", "2026-11-20", "--to", "2026-11-20", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = [r for r in csv.reader(io.StringIO(result.stdout)) if r[4] == "threatened/follow-up"]
    assert len(rows) == 1, result.stdout
    return rows[0]


def test_a_follow_up_is_read_by_its_own_version(demo: Home, run: Run, tmp_path: Path) -> None:
    day = ["today", "--date", "2026-11-20", "--no-input", "--answer"]
    assert (
        run([*day, "demo/threatened=yes", "--answer", "demo/threatened/follow-up=v1"]).exit_code
        == 0
    )
    added = run(["packs", "add", str(_demo_version(tmp_path, "2.0.0", "Say more.")), "--upgrade"])
    assert added.exit_code == 0, added.output
    assert run([*day, "demo/threatened/follow-up=under v2"]).exit_code == 0
    assert _follow_up_row(run)[2:7] == [
        "demo",
        "2.0.0",
        "threatened/follow-up",
        "Say more.",
        "text",
    ]
    assert "↳ Say more.: under v2" in run(["history", "demo/threatened"]).stdout
    (question,) = [
        q
        for q in json.loads(run(["show", "2026-11-20", "--json"]).stdout)["questions"]
        if q["prompt"] == "threatened"
    ]
    assert (question["version"], question["follow_up_version"]) == ("1.0.0", "2.0.0")


def test_a_follow_up_the_pack_dropped_keeps_its_version(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    day = ["today", "--date", "2026-11-20", "--no-input", "--answer"]
    assert (
        run([*day, "demo/threatened=yes", "--answer", "demo/threatened/follow-up=v1"]).exit_code
        == 0
    )
    added = run(["packs", "add", str(_demo_version(tmp_path, "3.0.0", None)), "--upgrade"])
    assert added.exit_code == 0, added.output
    assert run([*day, "demo/threatened=no"]).exit_code == 0
    assert _follow_up_row(run)[2:7] == [
        "demo",
        "1.0.0",
        "threatened/follow-up",
        "Whose, and what was the pang about?",
        "text",
    ]
    assert "↳ Whose, and what was the pang about?: v1" in run(["history", "demo/threatened"]).stdout


def test_csv_words_a_text_answer_as_the_version_that_asked_it(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    from tests.conftest import DATA

    day = ["today", "--date", "2026-11-20", "--no-input", "--answer"]
    assert run([*day, "demo/gratitude=Tea"]).exit_code == 0
    text = (DATA / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('version = "1.0.0"', 'version = "2.0.0"', 1)
    text = text.replace('text = "One line of gratitude"', 'text = "What are you glad of?"')
    (tmp_path / "demo.toml").write_text(text, encoding="utf-8")
    assert run(["packs", "add", str(tmp_path / "demo.toml"), "--upgrade"]).exit_code == 0
    result = run(["export", "--from", "2026-11-20", "--to", "2026-11-20", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "2026-11-20" in result.stdout
    (row,) = [r for r in result.stdout.splitlines() if ",gratitude," in r]
    assert ",demo,1.0.0,gratitude,One line of gratitude,text," in row


def test_a_format_1_heading_in_any_kept_wording_is_read(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    from tests.conftest import DATA

    text = (DATA / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('version = "1.0.0"', 'version = "2.0.0"', 1)
    text = text.replace('text = "One line of gratitude"', 'text = "What are you glad of?"')
    (tmp_path / "demo.toml").write_text(text, encoding="utf-8")
    assert run(["packs", "add", str(tmp_path / "demo.toml"), "--upgrade"]).exit_code == 0
    front = "---\ndate: 2026-11-19\nformat: 1\npacks:\n  demo: 2.0.0\n---\n"
    write(demo, "2026-11-19", f"{front}\n## One line of gratitude\n\nold words\n")
    history = json.loads(run(["history", "demo/gratitude", "--json"]).stdout)
    assert [a["value"] for a in history["answers"]] == ["old words"]
    shown = json.loads(run(["show", "2026-11-19", "--json"]).stdout)
    assert shown["answers"] == {"demo": {"gratitude": "old words"}}
    plan = json.loads(run(["migrate", "--dry-run", "--json"]).stdout)
    assert plan["files"][0]["tied"] == [
        {"heading": "One line of gratitude", "key": "demo/gratitude"}
    ]


def test_a_follow_up_whose_answer_was_cleared_is_kept(demo: Home, run: Run) -> None:
    day = ["today", "--date", "2026-11-20", "--no-input", "--answer"]
    given = run([*day, "demo/threatened=yes", "--answer", "demo/threatened/follow-up=Sam"])
    assert given.exit_code == 0, given.output
    path = entry_path(demo, d("2026-11-20"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("demo/threatened: true\n", "demo/threatened:\n")
    )
    data = json.loads(run(["show", "2026-11-20", "--json"]).stdout)
    (question,) = [q for q in data["questions"] if q["prompt"] == "threatened"]
    assert (question["follow_up"], question["fits"]) == ("Sam", False)
    history = json.loads(run(["history", "demo/threatened", "--json"]).stdout)
    assert [(a["follow_up"], a["counted"]) for a in history["answers"]] == [("Sam", False)]
    out = " ".join(run(["doctor"]).stdout.split())
    assert (
        "demo/threatened/follow-up answers a follow-up, but the day has no answer to demo/threatened"
        in out
    )


def test_doctor_names_a_tie_to_no_follow_up_or_to_a_value_prompt(demo: Home, run: Run) -> None:
    body = (
        "\n## x\n<!-- reflect: demo/gratitude/follow-up -->\n\nfu\n"
        "\n## y\n<!-- reflect: demo/mood -->\n\nwords\n"
    )
    write(demo, "2026-11-07", f"---\ndate: 2026-11-07\nformat: 2\n---\n{body}")
    out = " ".join(run(["doctor"]).stdout.split())
    assert "the comment names a follow-up of demo/gratitude, which no known version asks" in out
    assert "the comment names demo/mood, which no known version asks in prose" in out


def test_a_time_typed_as_a_value_is_text_not_a_base_60_number(demo: Home, run: Run) -> None:
    write(demo, "2026-11-01", "---\ndate: 2026-11-01\nformat: 2\ndemo/hours: 12:30\n---\n")
    data = json.loads(run(["show", "2026-11-01", "--json"]).stdout)
    assert [(q["value"], q["fits"]) for q in data["questions"]] == [("12:30", False)]
    result = run(["today", "--date", "2026-11-01", "--no-input", "--answer", "demo/mood=3"])
    assert result.exit_code == 0, result.output
    assert "demo/hours: 12:30\n" in entry_path(demo, d("2026-11-01")).read_text(encoding="utf-8")


def test_a_tag_asked_for_with_its_hash_is_found(demo: Home, run: Run) -> None:
    write(demo, "2026-11-04", "---\ndate: 2026-11-04\nformat: 2\ntags: [team]\n---\nx\n")
    for command in (
        ["log", "--tag", "#team", "--json"],
        ["search", "x", "--tag", "#team", "--json"],
    ):
        result = run(command)
        assert result.exit_code == 0, result.output
        assert [day["date"] for day in json.loads(result.stdout)["days"]] == ["2026-11-04"], command


def test_doctor_names_a_given_version_no_pack_had(demo: Home, run: Run) -> None:
    given = "given:\n  demo/mood: 9.9.9 2026-11-02T10:00:00+01:00\n"
    write(demo, "2026-11-02", f"---\ndate: 2026-11-02\nformat: 2\ndemo/mood: 2\n{given}---\n")
    out = " ".join(run(["doctor"]).stdout.split())
    assert (
        "demo/mood: its given line names version 9.9.9 of pack 'demo', which no kept version is"
        in out
    )


def _retyped(tmp_path: Path, old: str, new: str) -> Path:
    from tests.conftest import DATA

    text = (DATA / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('version = "1.0.0"', 'version = "2.0.0"', 1)
    assert old in text
    (tmp_path / "demo.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path / "demo.toml"


def test_a_value_for_a_question_once_text_unties_the_old_prose(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    day = ["today", "--date", "2026-11-20", "--no-input", "--answer"]
    assert run([*day, "demo/gratitude=Tea"]).exit_code == 0
    pack = _retyped(
        tmp_path, 'type = "text"\npin = true', 'type = "scale"\nmin = 1\nmax = 5\npin = true'
    )
    assert run(["packs", "add", str(pack), "--upgrade"]).exit_code == 0
    result = run([*day, "demo/gratitude=3"])
    assert result.exit_code == 0, result.output
    text = entry_path(demo, d("2026-11-20")).read_text(encoding="utf-8")
    assert text.endswith("## One line of gratitude\n\nTea\n")
    assert "reflect: demo/gratitude" not in text
    data = json.loads(run(["show", "2026-11-20", "--json"]).stdout)
    assert data["answers"] == {"demo": {"gratitude": 3}}
    assert {"heading": "One line of gratitude", "text": "Tea"} in data["sections"]


def test_text_for_a_question_once_a_value_is_refused_not_hidden(
    demo: Home, run: Run, tmp_path: Path
) -> None:
    day = ["today", "--date", "2026-11-20", "--no-input", "--answer"]
    assert run([*day, "demo/mood=2"]).exit_code == 0
    before = entry_path(demo, d("2026-11-20")).read_text(encoding="utf-8")
    start = 'text = "How was your mood today?"\ntype = "scale"\nmin = 1\nmax = 5\n'
    pack = _retyped(tmp_path, start, 'text = "How was your mood today?"\ntype = "text"\n')
    added = run(["packs", "add", str(pack), "--upgrade"])
    assert added.exit_code == 0, added.output
    result = run([*day, "demo/mood=fine"])
    assert result.exit_code == 1, result.output
    assert "demo/mood has the value 2, given under version 1.0.0" in result.stderr
    assert entry_path(demo, d("2026-11-20")).read_text(encoding="utf-8") == before
