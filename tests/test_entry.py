"""The entry file format: round trips, hand edits, and broken files."""

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reflect.errors import EntryError
from reflect.journal.entry import Entry, parse_entry, serialize
from reflect.journal.prose import normalize_prose

DAY = dt.date(2026, 11, 26)

prose_lines = st.one_of(
    st.text(
        st.characters(
            blacklist_categories=("Cs",),
            blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
        ),
        max_size=40,
    ),
    st.sampled_from(
        ["---", "## Not a heading", "##", "\\## escaped", "  ## indented", "...", "# h1", "```"]
    ),
)
prose = st.lists(prose_lines, max_size=8).map("\n".join)
headings = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@given(texts=st.lists(st.tuples(headings, prose), max_size=5), note=prose)
# A dash under a line Python calls blank but CommonMark does not (\x1f): a setext heading.
@example(texts=[], note="0\n\x1f\n-")
@example(texts=[("Why", "a\n\x0c\n--")], note="x")
def test_prose_survives_write_then_read(texts: list[tuple[str, str]], note: str) -> None:
    entry = Entry.new(DAY)
    expected: dict[str, str] = {}
    for heading, text in texts:
        if heading.startswith("Notes (") or not normalize_prose(text):
            continue
        entry.set_prose(heading, text)
        expected[heading] = normalize_prose(text)
    entry.set_answer("demo", "1.0.0", "mood", 3)
    if normalize_prose(note):
        entry.add_note(dt.time(14, 32), note)
    text = serialize(entry)
    again = parse_entry(text, "x.md", DAY)
    for heading, value in expected.items():
        assert again.prose(heading) == value
    assert again.front == entry.front
    if normalize_prose(note):
        assert [n.text for n in again.notes()] == [normalize_prose(note)]
    assert serialize(again) == text


@given(body=st.text(max_size=300))
def test_reading_then_writing_changes_nothing(body: str) -> None:
    text = "---\ndate: 2026-11-26\nformat: 1\nanswers: {demo: {mood: 3}}\n---\n" + body.replace(
        "\r", ""
    )
    entry = parse_entry(text, "x.md", DAY)
    assert serialize(entry) == text.removeprefix("\ufeff")


def test_hand_formatted_front_matter_is_kept_until_it_changes() -> None:
    text = "---\ndate: 2026-11-26   # my comment\ntags: [team]\n---\nHello\n"
    entry = parse_entry(text, "x.md", DAY)
    assert serialize(entry) == text
    entry.set_answer("demo", "1.0.0", "mood", 4)
    # Only what changed is written anew: the comment and the tag list stay as typed.
    assert serialize(entry) == (
        "---\ndate: 2026-11-26   # my comment\nformat: 2\ntags: [team]\n"
        "demo/mood: 4\ngiven:\n  demo/mood: 1.0.0\n---\nHello\n"
    )


def test_types_are_real_yaml_types() -> None:
    entry = Entry.new(DAY)
    entry.set_answer("p", "1.0", "flag", True)
    entry.set_answer("p", "1.0", "count", 7)
    entry.set_answer("p", "1.0", "ratio", 0.5)
    entry.set_answer("p", "1.0", "pick", "yes")
    text = serialize(entry)
    assert "flag: true\n" in text and "count: 7\n" in text and "ratio: 0.5\n" in text
    assert "pick: 'yes'\n" in text
    again = parse_entry(text, "x.md", DAY)
    assert again.front.answers["p"] == {"flag": True, "count": 7, "ratio": 0.5, "pick": "yes"}


def test_a_file_without_front_matter_takes_its_date_from_the_name() -> None:
    entry = parse_entry("Just words.\n", "2026-11-26.md", DAY)
    assert entry.date == DAY and entry.body == "Just words.\n"


def test_prose_above_the_first_heading_is_kept() -> None:
    entry = parse_entry("---\ndate: 2026-11-26\n---\nAbove.\n\n## Q\n\nA\n", "x.md", DAY)
    entry.set_prose("Q", "B")
    entry.set_prose("New", "C")
    assert entry.body == "Above.\n\n## Q\n\nB\n\n## New\n\nC\n"


def test_a_crlf_file_with_a_bom_reads() -> None:
    entry = parse_entry("\ufeff---\r\ndate: 2026-11-26\r\n---\r\n## Q\r\n\r\nA\r\n", "x.md", DAY)
    assert entry.prose("Q") == "A"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ndate: 2026-11-26\n", "front matter starts with --- but never ends"),
        ("---\n- a list\n---\n", "front matter must be a mapping"),
        ("---\ndate: [oops\n---\n", "front matter is not valid YAML"),
        ("---\ndate: 2026-11-26\ngiven: [a]\n---\n", "2026-11-26.md:3: given: must be a mapping"),
        ("---\ndate: 2026-11-26\nd/mood: 3\nd/mood: 4\n---\n", "'d/mood' appears twice"),
        ("---\ndate: 2026-11-26\nanswers: {d: {m: 1}}\nd/m: 2\n---\n", "d/m: answered twice"),
        (
            "---\ndate: 2026-11-25\n---\n",
            "front matter says date 2026-11-25 but the file is named for 2026-11-26",
        ),
        ("---\ndate: 2026-11-26\nanswers: {demo: 3}\n---\n", "26.md:3: answers.demo: must be a"),
        ("---\ndate: 2026-11-26\ntags: [[1]]\n---\n", "26.md:3: tags[0]: must be a valid string"),
        ("---\nformat: 0\ndate: 2026-11-26\n---\n", "format"),
    ],
)
def test_broken_files_are_named_with_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(EntryError) as caught:
        parse_entry(text, "/j/2026-11-26.md", DAY)
    assert str(caught.value).startswith("/j/2026-11-26.md")
    assert message in str(caught.value)


def test_notes_are_timestamped_sections() -> None:
    entry = Entry.new(DAY)
    entry.add_note(dt.time(9, 5), "morning")
    entry.add_note(dt.time(14, 32), "## afternoon")
    text = serialize(entry)
    assert "## Notes (09:05)\n\nmorning\n\n## Notes (14:32)\n\n\\## afternoon\n" in text
    assert [(n.time, n.text) for n in parse_entry(text, "x", DAY).notes()] == [
        ("09:05", "morning"),
        ("14:32", "## afternoon"),
    ]


def test_an_impossible_date_is_an_entry_error_not_a_crash() -> None:
    with pytest.raises(EntryError, match=r"x.md: front matter has a date that is not a real day"):
        parse_entry("---\ndate: 2026-13-45\n---\n", "x.md", DAY)


def test_an_unclosed_bracket_names_the_line_it_was_opened_on() -> None:
    text = "---\ndate: 2026-11-26\ntags: [team, work\nanswers:\n  demo: {mood: 3}\n---\n"
    with pytest.raises(EntryError) as caught:
        parse_entry(text, "x.md", DAY)
    assert str(caught.value) == (
        "x.md:4: front matter is not valid YAML (did not find expected ',' or ']', "
        "while parsing a flow sequence on line 3); fix it in an editor (`reflect edit`)"
    )


def test_imported_keys_round_trip_and_unknown_ones_are_refused() -> None:
    text = (
        "---\ndate: 2026-11-26\nformat: 1\nimported:\n- jrnl:2026-11-26T09:05:3f9a1c2b7d4e\n"
        "- dayone:8F3C2D1A4B5E4F6A9B0C1D2E3F4A5B6C\n---\n\nText.\n"
    )
    entry = parse_entry(text, "x.md", DAY)
    assert entry.front.imported[1] == "dayone:8F3C2D1A4B5E4F6A9B0C1D2E3F4A5B6C"
    assert serialize(entry) == text
    entry.front = entry.front.model_copy(update={"imported": [*entry.front.imported, "jrnl:x"]})
    assert parse_entry(serialize(entry), "x.md", DAY).front.imported[-1] == "jrnl:x"
    with pytest.raises(EntryError, match="imported"):
        parse_entry("---\ndate: 2026-11-26\nimported: [two words]\n---\n", "x.md", DAY)
