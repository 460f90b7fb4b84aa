"""A day merged from two machines keeps its front matter's text: comments, order and style."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reflect.journal.entry import parse_entry
from reflect.sync.merge import merge_entry

HEAD = "---\n# written by hand\ndate: 2026-11-30\nformat: 2\n"


def day(front: str, body: str = "\nbody\n") -> str:
    return HEAD + front + "---\n" + body


def test_comments_order_and_style_survive_a_merge_of_both_sides() -> None:
    front = "aliases: [Sat]  # kept\n# my rating\nrating: 3\nmood: 'ok'\ndaily/mood: 2\n"
    base = day(front)
    ours = day(front.replace("rating: 3", "rating: 4"))
    theirs = day(front.replace("'ok'", "'fine'").replace("mood: 2", "mood: 5"), "\nbody!\n")
    text = merge_entry(base, ours, theirs, "x.md").text
    expected = front.replace("rating: 3", "rating: 4").replace("'ok'", "'fine'")
    assert text == day(expected.replace("mood: 2", "mood: 5"), "\nbody!\n")


def test_a_comment_and_a_property_added_on_each_side_are_both_kept_in_place() -> None:
    base = day("aliases: [Sat]\n")
    ours = day("# about tags\ntags: [walk]\naliases: [Sat]\n")
    theirs = day('aliases: [Sat]\n# colour of the day\ncolor: "red"\n')
    text = merge_entry(base, ours, theirs, "x.md").text
    assert text == day(
        '# about tags\ntags: [walk]\naliases: [Sat]\n# colour of the day\ncolor: "red"\n'
    )


def test_a_value_neither_side_holds_is_written_anew_and_the_rest_kept() -> None:
    base = day("tags: [a]  # mine\ncolor: red # why\n")
    ours = day("tags: [a, b]  # mine\ncolor: red # why\n")
    theirs = day("tags: [a, c]  # mine\ncolor: red # why\n")
    text = merge_entry(base, ours, theirs, "x.md").text
    assert text == day("tags:\n- a\n- b\n- c\ncolor: red # why\n")


def test_a_format_1_day_merged_is_format_2_and_keeps_its_comments() -> None:
    base = "---\ndate: 2026-11-30\nformat: 1\n# from my phone\nsource: phone\n---\n"
    ours = base.replace("source: phone", "source: phone\nmood: fine  # felt ok")
    theirs = base + "\nbody\n"
    text = merge_entry(base, ours, theirs, "x.md").text
    assert "# from my phone\nsource: phone\nmood: fine  # felt ok\n" in text
    assert parse_entry(text, "x.md").front.format == 2


KEYS = [f"key{n}" for n in range(6)]
# One property's text in several styles, each reading as the same kind of value.
STYLES = [
    "{key}: {value}\n",
    "{key}: '{value}'\n",
    '{key}: "{value}"  # said\n',
    "{key}: [{value}, more]\n",
    "{key}:\n  - {value}\n",
]


@st.composite
def fronts(draw: st.DrawFn) -> tuple[str, dict[str, str], list[str]]:
    """A front matter of other programs' properties in mixed styles, with comments between."""
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True))
    lines: dict[str, str] = {}
    comments: list[str] = []
    text = ""
    for key in keys:
        if draw(st.booleans()):
            comment = f"# about {key}\n"
            comments.append(comment)
            text += comment
        style = draw(st.sampled_from(STYLES))
        lines[key] = style.format(key=key, value=f"v{draw(st.integers(0, 9))}")
        text += lines[key]
    return text, lines, comments


@given(
    front=fronts(),
    changes=st.lists(st.tuples(st.booleans(), st.sampled_from(STYLES)), min_size=6, max_size=6),
)
def test_properties_neither_side_changed_keep_their_text_byte_for_byte(
    front: tuple[str, dict[str, str], list[str]], changes: list[tuple[bool, str]]
) -> None:
    text, lines, comments = front
    ours, theirs = text, text
    changed: dict[str, str] = {}
    for (mine, style), key in zip(changes, KEYS, strict=False):
        if key not in lines or lines[key] == style.format(key=key, value="new"):
            continue
        new = style.format(key=key, value="new")
        changed[key] = new
        if mine:
            ours = ours.replace(lines[key], new)
        else:
            theirs = theirs.replace(lines[key], new)
    merged = merge_entry(day(text), day(ours), day(theirs), "x.md").text
    expected = text
    for key, new in changed.items():
        expected = expected.replace(lines[key], new)
    assert merged == day(expected)
    for comment in comments:
        assert comment in merged


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_merged_day_keeps_this_machines_line_ends(newline: str) -> None:
    base = day("# note\ncolor: red\n")
    ours = day("# note\ncolor: blue\n").replace("\n", newline)
    theirs = day("# note\ncolor: red\nsize: 2\n")
    text = merge_entry(base, ours, theirs, "x.md").text
    assert text == day("# note\ncolor: blue\nsize: 2\n").replace("\n", newline)
