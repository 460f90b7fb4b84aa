"""Files that other tools edit: Obsidian's properties and tag forms, mdformat, python-frontmatter."""

import datetime as dt
import json
import shutil
import subprocess

import frontmatter
import mdformat
import pytest
from markdown_it import MarkdownIt

from reflect.daily.session import prose_edit
from reflect.journal.entry import Entry, parse_entry, serialize
from reflect.journal.home import Home
from reflect.journal.save import save
from reflect.journal.store import entry_path, read_entry
from reflect.packs.library import find_pack

from .conftest import Run, answer, write

DAY = dt.date(2026, 11, 26)


def written_by_reflect(demo: Home) -> str:
    answer(demo, "2026-11-26", "mood=4", "threatened=y", "where=meeting", "gratitude=Tea")
    pack = find_pack(demo, "demo").pack
    prompt = pack.prompt("threatened")
    assert prompt is not None
    save(demo, DAY, [prose_edit(pack, prompt, "Sam's launch.", add=False, follow_up=True)])
    return entry_path(demo, DAY).read_text(encoding="utf-8")


def answers_of(text: str) -> tuple[object, ...]:
    entry = parse_entry(text, "2026-11-26.md", DAY)
    return (entry.front.answers, entry.tied(), entry.front.tags, entry.other_properties)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ("tags: meeting", ["meeting"]),
        ("tags: a, b", ["a", "b"]),
        ("tags:", []),
        ("tags: ['#tag']", ["tag"]),
        ("tags: [a, '#b']", ["a", "b"]),
        ("tags:\n  - a\n  - '#b'", ["a", "b"]),
        ("tags:\n- nested/tag\n-", ["nested/tag"]),
        ("tags: 2026", ["2026"]),
    ],
)
def test_every_tag_form_obsidian_accepts_is_read(tags: str, expected: list[str]) -> None:
    text = f"---\ndate: 2026-11-26\n{tags}\n---\n"
    entry = parse_entry(text, "2026-11-26.md", DAY)
    assert entry.front.tags == expected
    assert serialize(entry) == text


@pytest.mark.parametrize(
    "date", ["2026-11-26T09:30", "2026-11-26T09:30:00", "2026-11-26 09:30:00", "'2026-11-26'"]
)
def test_a_date_time_is_read_as_its_day(date: str) -> None:
    text = f"---\ndate: {date}\n---\n"
    assert parse_entry(text, "2026-11-26.md", DAY).date == DAY


def test_an_obsidian_edit_keeps_every_answer_and_property(demo: Home, run: Run) -> None:
    text = written_by_reflect(demo)
    before = answers_of(text)
    head, body = text.split("---\n")[1], text.split("---\n", 2)[2]
    # Obsidian rewrites the block: its own properties, keys in another order, a tag form.
    lines = head.splitlines()
    reordered = [line for line in lines if not line.startswith(("date:", "format:"))]
    obsidian = (
        "aliases: []\ncssclasses:\n  - wide\nreviewed:\n"
        + "\n".join(reordered)
        + "\ndate: 2026-11-26T08:00\nformat: 2\ntags: team, launch\n"
    )
    edited = f"---\n{obsidian}---\n{body}"
    path = entry_path(demo, DAY)
    path.write_text(edited, encoding="utf-8")
    after = answers_of(edited)
    assert after[0] == before[0] and after[1] == before[1]
    assert after[2] == ["team", "launch"]
    assert after[3] == {"aliases": [], "cssclasses": ["wide"], "reviewed": None}
    shown = json.loads(run(["show", "2026-11-26", "--json"]).stdout)
    assert shown["answers"]["demo"]["mood"] == 4
    assert shown["answers"]["demo"]["gratitude"] == "Tea"
    # The next write changes only what it must: Obsidian's lines stay byte for byte.
    result = run(["today", "--date", "2026-11-26", "--no-input", "--answer", "hours=5"])
    assert result.exit_code == 0, result.output
    rewritten = path.read_text(encoding="utf-8")
    assert rewritten.startswith("---\naliases: []\ncssclasses:\n  - wide\nreviewed:\n")
    assert "date: 2026-11-26T08:00\nformat: 2\ntags: team, launch\n" in rewritten
    assert rewritten.endswith(body)
    entry = read_entry(demo, DAY)
    assert entry is not None and entry.answer("demo", "hours") == 5
    assert entry.answer_version("demo", "mood") == "1.0.0"


def test_a_comment_in_the_front_matter_survives_the_next_write(demo: Home, run: Run) -> None:
    write(
        demo,
        "2026-11-26",
        "---\ndate: 2026-11-26  # the day of the offsite\nformat: 2\n"
        "# moods were low all week\ndemo/mood: 2\n---\n",
    )
    result = run(["today", "--date", "2026-11-26", "--no-input", "--answer", "hours=5"])
    assert result.exit_code == 0, result.output
    text = entry_path(demo, DAY).read_text(encoding="utf-8")
    assert text.startswith(
        "---\ndate: 2026-11-26  # the day of the offsite\nformat: 2\n"
        "# moods were low all week\ndemo/mood: 2\ndemo/hours: 5\n"
    )


def test_mdformat_with_its_front_matter_plugin_keeps_everything(demo: Home) -> None:
    text = written_by_reflect(demo)
    text = text.replace("format: 2\n", "format: 2\naliases: [Thursday]\n")
    formatted = mdformat.text(text, extensions={"frontmatter"})
    assert formatted != text
    assert answers_of(formatted) == answers_of(text)


def test_mdformat_without_the_plugin_keeps_the_ties_in_the_body(demo: Home) -> None:
    text = written_by_reflect(demo)
    body = text.split("---\n", 2)[2]
    formatted = mdformat.text(body)
    wrapped = "---\ndate: 2026-11-26\n---\n"
    assert parse_entry(wrapped + formatted, "x", DAY).tied() == parse_entry(text, "x", DAY).tied()


def test_python_frontmatter_and_markdown_it_see_flat_answers_and_html_ties(demo: Home) -> None:
    text = written_by_reflect(demo)
    post = frontmatter.loads(text)
    assert post["demo/mood"] == 4 and post["demo/threatened"] is True
    assert post["demo/where"] == "meeting"
    tokens = MarkdownIt().parse(post.content)
    ties = [
        (tokens[i + 1].content, tokens[i + 3].content.strip())
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    assert ties == [
        ("One line of gratitude", "<!-- reflect: demo/gratitude -->"),
        ("Whose, and what was the pang about?", "<!-- reflect: demo/threatened/follow-up -->"),
    ]


def test_inline_tags_count_for_log_but_not_in_code_or_headings(demo: Home, run: Run) -> None:
    write(
        demo,
        "2026-11-26",
        "---\ndate: 2026-11-26\n---\nMet the #platform team, see [notes](#top).\n\n"
        "## A heading with #nottag\n\n`#code` and\n\n```\n#fenced\n```\n",
    )
    write(demo, "2026-11-25", "---\ndate: 2026-11-25\n---\nNothing tagged. #2026\n")
    assert "2026-11-26" in run(["log", "--tag", "platform"]).stdout
    for tag in ("nottag", "code", "fenced", "top", "2026"):
        result = run(["log", "--tag", tag])
        assert "2026-11-2" not in result.stdout, tag


def test_two_questions_with_the_same_words_never_share_a_section() -> None:
    entry = Entry.new(DAY)
    entry.set_prose_for("a/more", "Anything else?", "From pack a.", version="1.0.0")
    entry.set_prose_for("b/more", "Anything else?", "From pack b.", version="2.0.0")
    text = serialize(entry)
    again = parse_entry(text, "x", DAY)
    assert again.prose_for("a/more") == "From pack a."
    assert again.prose_for("b/more") == "From pack b."
    assert again.answer_version("b", "more") == "2.0.0"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="needs pandoc: apt-get install pandoc")
@pytest.mark.parametrize("kind", ["markdown", "commonmark", "gfm"])
def test_pandoc_keeps_the_ties(demo: Home, kind: str) -> None:
    text = written_by_reflect(demo)
    body = text.split("---\n", 2)[2]
    converted = subprocess.run(
        ["pandoc", "-f", kind, "-t", kind],
        input=body,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wrapped = "---\ndate: 2026-11-26\n---\n" + converted
    assert parse_entry(wrapped, "x", DAY).tied() == parse_entry(text, "x", DAY).tied()


def test_an_answer_emptied_in_obsidian_is_no_answer_and_the_day_still_reads() -> None:
    from reflect.journal.entry import parse_entry

    text = (
        "---\ndate: 2026-11-26\nformat: 2\ndaily/mood: 2\ndaily/energy:\n---\n\n"
        "## Write one line of gratitude: what are you glad of today?\n"
        "<!-- reflect: daily/gratitude -->\n\nTea with Ana.\n"
    )
    entry = parse_entry(text, "2026-11-26.md")
    assert entry.answer("daily", "mood") == 2
    assert entry.answer("daily", "energy") is None
    assert entry.tied() == {"daily/gratitude": "Tea with Ana."}


@pytest.mark.parametrize(
    "date",
    ['"[[2026-11-26]]"', "[[2026-11-26]]", "'[[2026-11-26|Thursday]]'", '"[[2026-11-26#Mood]]"'],
)
def test_a_link_to_the_daily_note_is_read_as_its_date(date: str, demo: Home, run: Run) -> None:
    """Obsidian templates write `date: "[[{{date}}]]"`; the link stays as written."""
    text = f"---\ndate: {date}\nformat: 2\n---\n\nprose\n"
    assert parse_entry(text, "2026-11-26.md", DAY).date == DAY
    write(demo, "2026-11-26", text)
    result = run(["today", "--date", "2026-11-26", "--no-input", "--answer", "demo/mood=4"])
    assert result.exit_code == 0, result.output
    assert entry_path(demo, DAY).read_text(encoding="utf-8").startswith(f"---\ndate: {date}\n")
