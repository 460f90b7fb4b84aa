"""A cold search (each file read as text) says exactly what a search of the index says."""

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import reflect.journal.index as index_module
import reflect.lookback.scan as scan
from reflect.daily.session import add_note
from reflect.journal import intwo
from reflect.journal.home import Home
from reflect.journal.store import entry_path

from .conftest import Build, Run, answer, d, write
from .test_index import TRICKY

T = TypeVar("T")


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "SETTLED_NS", 0)


FORMAT_1 = """---
date: 2025-06-02
format: 1
tags:
- garden
packs:
  demo: 1.0.0
answers:
  demo:
    mood: 4
    where: meeting
---

Above the first heading: a lighthouse in the preamble.

## One line of gratitude

Tea in the garden; the lighthouse keeper waved.

## A heading of my own

Nothing here but a meeting about tea.
"""

FORMAT_2 = """---
date: 2025-06-03
format: 2
tags:
- team
demo/mood: 2
demo/where: chat
given:
  demo/mood: 1.0.0 2025-06-03T09:00:00+02:00
  demo/gratitude: 1.0.0 2025-06-03T09:01:00+02:00
---

## One line of gratitude
<!-- reflect: demo/gratitude -->

A quiet morning by the lighthouse. #harbour

## One line of gratitude

My own section under the question's words: tea and a meeting.

## Ghost
<!-- reflect: ghost/thing -->

A lighthouse no pack knows.

## Notes (10:00)

```
## not a heading, in a fence: lighthouse
<!-- reflect: demo/gratitude -->
```
\\## an escaped heading about tea
"""

# Files the reader takes, which a search must read through it.
THROUGH_THE_READER = {
    "2025-06-04": '---\ndate: 2025-06-04\ndemo/where: "caf\\u00e9 meeting"\n---\n\nTea.\n',
    "2025-06-05": "---\ndate: 2025-06-05\naliases: [Thursday]\n---\n\nA lighthouse and tea.\n",
    "2025-06-06": "\ufeff---\ndate: 2025-06-06\n---\n\nA lighthouse after a BOM.\n",
    "2025-06-07": "---\r\ndate: 2025-06-07\r\n---\r\n\r\nTea with CRLF ends.\r\n",
    "2025-06-08": "No front matter at all: tea and a lighthouse.\n",
    "2025-06-09": "---\ndate: 2025-06-09\ndemo/threatened: yes\ndemo/hours: 6\n---\n\nTea.\n",
    "2025-06-10": "---\ndate: 2025-06-10\ntags: [a, b]\n---\n\nTea at the lighthouse.\n",
    "2025-06-21": "---\ndate: 2025-06-21\ntags:\n- bad tag\n---\n\nTea.\n",
}
# Files the reader refuses: each is reported, whatever the query.
REFUSED = {
    "2025-06-11": "---\ndate: [\n---\n\nTea.\n",
    "2025-06-12": "---\ndate: 2025-06-12\ndemo/mood: 2\ndemo/mood: 3\n---\n\nNo tea.\n",
    "2025-06-13": "---\ndate: 2025-06-01\n---\n\nThe wrong date.\n",
    "2025-06-14": "---\ndate: 2025-06-14\npacks:\n  demo: 1.0.0\n  demo: 1.0.0\n---\n\nx\n",
    "2025-06-15": "---\ndate: 2025-06-15\nformat: 3\n---\n\nA newer format.\n",
    "2025-06-16": "---\ndate: 2025-06-16\nanswers:\n  demo:\n    mood: 1\n    mood: 2\n---\n",
    "2025-06-17": "---\ndate: 2025-06-17\nformat: one\n---\n\nTea.\n",
    "2025-06-18": "---\ndate: 2025-06-18\n\nNever closed: tea.\n",
}


def awkward_days(home: Home) -> None:
    """Days in every form the reader takes or refuses, beside answers and notes."""
    answer(home, "2026-11-09", "mood=2", "threatened=y", "share=50", "where=meeting", "hours=6")
    answer(home, "2026-11-09", "gratitude=Tea with the team")
    answer(home, "2026-11-13", "mood=4", "threatened=y", "hours=8", "gratitude=A quiet morning")
    add_note(home, d("2026-11-17"), "Planning went well at the lighthouse.", ["team"])
    for number, text in enumerate(TRICKY, start=20):
        write(
            home, f"2026-11-{number}", f"---\ndate: 2026-11-{number}\n---\n\n## Notes\n\n{text}\n"
        )
    write(home, "2025-06-02", FORMAT_1)
    write(home, "2025-06-03", FORMAT_2)
    for day, text in {**THROUGH_THE_READER, **REFUSED}.items():
        write(home, day, text)
    entry_path(home, d("2025-06-19")).write_bytes(b"---\ndate: 2025-06-19\n---\n\n\xff tea\n")
    moved = entry_path(home, d("2024-01-05"))
    (home.entries_dir / "2025" / moved.name).write_text(
        "---\ndate: 2024-01-05\n---\n\nTea in the wrong folder.\n", encoding="utf-8"
    )


@pytest.fixture
def awkward(demo: Home, built_once: Callable[[Build], Home]) -> Home:
    """`awkward_days` and a FIFO named like a day, made anew for each test (a copy would block)."""
    built_once(awkward_days)
    os.mkfifo(demo.entries_dir / "2025" / "2025-06-20.md")
    return demo


def _search(run: Run, args: list[str]) -> tuple[int, str, str]:
    result = run(["search", *args])
    return result.exit_code, result.stdout, result.stderr


QUERIES = [
    # The full-text index's awkward words (tests/test_index.py).
    "light", "spot", "cafe", "CAFÉ", "strasse", "straße", "don't", "e-mail", "mail",
    "ecole", "ete", "naive", "cooperation", "3.5", ".5", "x_y", "_", "a·b", "·",
    "cat", "at", "a", "catalogue concat", "中", "文 text", "😀", '"like', "near(a",
    "and or", "*", "^", "-", ":", "—", "on the", "zzz", "light zzz", "t",
    # Words in answers, headings, front matter, fences, escapes and units.
    "lighthouse", "tea", "meeting", "chat", "quiet morning", "team", "harbour", "garden",
    "ghost", "heading", "reflect", "not a heading", "yes", "no", "%", "h", "demo", "mood",
    "date", "gratitude", "wrong", "tea lighthouse", "café meeting",
]  # fmt: skip


# Each query is asked alone and with each option that narrows or shapes the search.
EXTRAS = [[], ["--json"], ["--pack", "demo"], ["--since", "2025-06-03"]]
# Each pair is four searches; the full run takes every pair, the fast tier every option with
# "lighthouse" (a word in many files) and, alone, one query of each kind: accents and case,
# an apostrophe, the full-text index's own syntax, a query of no word, no match, one letter,
# words in a fence, an answer's value, a #tag, and a word of files the reader refuses or
# finds in the wrong folder.
FAST_QUERIES = {
    "CAFÉ", "don't", "near(a", "*", "zzz", "t", "lighthouse", "not a heading", "café meeting",
    "harbour", "wrong",
}  # fmt: skip


@pytest.mark.parametrize(
    ("query", "extra"),
    [
        pytest.param(
            query,
            extra,
            id=" ".join([query, *extra]),
            marks=()
            if query in FAST_QUERIES and (not extra or query == "lighthouse")
            else pytest.mark.slow,
        )
        for query in QUERIES
        for extra in EXTRAS
    ],
)
def test_a_cold_search_says_what_a_search_of_the_index_says(
    awkward: Home, run: Run, monkeypatch: pytest.MonkeyPatch, query: str, extra: list[str]
) -> None:
    monkeypatch.setattr(scan, "COLD_MIN", 10**9)
    warm = _search(run, [query, *extra])
    assert _search(run, [query, *extra]) == warm
    monkeypatch.setattr(scan, "COLD_MIN", 0)
    monkeypatch.setattr(scan, "TWO_MIN", 10**9)
    assert _search(run, [query, *extra]) == warm
    monkeypatch.setattr(scan, "TWO_MIN", 0)  # every other year folder read by a copy
    assert _search(run, [query, *extra]) == warm, "two processes"


def test_the_cold_search_reads_plain_files_without_the_reader(
    awkward: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reflect.journal.store as store

    read: list[str] = []
    reader = store.read_entry_file

    def counted(path: Path, day: object) -> object:
        read.append(path.name)
        return reader(path, day)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "read_entry_file", counted)
    monkeypatch.setattr(scan, "COLD_MIN", 0)
    code, out, err = _search(run, ["lighthouse"])
    assert code == 0, err
    assert "2025-06-02" in out and "2025-06-03" in out
    refused = {f"{day}.md" for day in REFUSED} | {"2025-06-19.md", "2025-06-20.md"}
    assert refused - set(read) == set(), "every file the reader refuses is still reported"
    for day in ("2026-11-17", "2025-06-02"):
        assert f"{day}.md" not in read, "a plain file is read as text"
    assert all(f"skipped {entry_path(awkward, d(day))}" in err for day in REFUSED)


def test_units_are_every_unit_text_of_every_pack_file_that_reads_as_toml(demo: Home) -> None:
    """A superset of the units of the packs reflect takes: one of a pack it refuses, or nested
    deeper than a question, only keeps a word from the quick path."""
    before = scan.units(demo)
    demo.packs_dir.mkdir(parents=True, exist_ok=True)
    (demo.packs_dir / "bent.toml").write_text(
        '[pack]\nid = "bent"\n[[prompts]]\nid = "x"\nunit = "Furlongs"\nbogus = 1\n'
        '[extra.deeper]\nunit = "Leagues"\n',
        encoding="utf-8",
    )
    (demo.packs_dir / "broken.toml").write_text('unit = "parsecs', encoding="utf-8")
    (demo.packs_dir / "bom.toml").write_text('\ufeffunit = "fathoms"', encoding="utf-8")
    os.mkfifo(demo.packs_dir / "fifo.toml")  # refused, as load_pack refuses it: no hang
    after = scan.units(demo)
    assert set(after) == {*before, "furlongs", "leagues", "fathoms"}
    assert not scan.Words(("furlongs",), after).shown_safe
    assert scan.Words(("parsecs",), after).shown_safe


# -- the fast paths, held to the slow ones -------------------------------------------

# The one expression `plain_front` was first written as, kept as its oracle: a front matter
# as reflect writes it, format 1 or 2, in the order it writes it, each key once (the
# lookaheads: no later line of the block has the line's key).
_S, _V, _VALUE, _STAMP = scan._S, scan._V, scan._VALUE, scan._STAMP
FRONT = re.compile(
    r"date: (\d{4}-\d{2}-\d{2})\n"
    r"(?:format: [12]\n)?"
    r"(?:tags:\n(?:- (?P<t>[a-z][a-z0-9_-]{0,63})\n(?!(?:- .*\n)*- (?P=t)\n))+)?"
    rf"(?:packs:\n(?:  (?P<p>{_S}): {_V}\n(?!(?:  .*\n)*  (?P=p):))+)?"
    rf"(?:answers:\n(?:  (?P<a>{_S}):\n(?!(?: .*\n)*  (?P=a):)"
    rf"(?:    (?P<q>{_S}): {_VALUE}\n(?!(?:    .*\n)*    (?P=q):))+)+"
    rf"|(?:(?P<f>{_S}/{_S}): {_VALUE}\n(?!(?:[^ ].*\n)*(?P=f):))*)"
    rf"(?:given:\n(?:  (?P<g>{_S}/{_S}(?:/follow-up)?): {_V}{_STAMP}\n(?!(?:  .*\n)*  (?P=g):))+)?"
)

# Lines of front matters: reflect's own, near misses, and lines of other blocks.
FRONT_LINES = [
    "date: 2025-06-02", "date: 2025-06-03", "date: ٢٠٢٥-06-02", "format: 1", "format: 2",
    "format: 3", "tags:", "- garden", "- team", "- Garden", "- bad tag", "-  team", "packs:",
    "  demo: 1.0.0", "  demo: 1.0", "  other: 2.10.3", "  demo-: 1.0.0", "answers:", "  demo:",
    "  other:", "    mood: 4", "    mood: 5", "    mood: yes", "    mood: Yes ", "    where: a meeting",
    "    where: chat.", "    share: -0.5", "    share: 01", "    hours: 1e3", "    mood:",
    "demo/mood: 2", "demo/mood: 3", "demo/where: chat", "demo/where: n", "other/x: true",
    "demo/mood:2", "given:", "  demo/mood: 1.0.0 2025-06-03T09:00:00+02:00",
    "  demo/mood: 1.0.0", "  demo/mood/follow-up: 1.0.0", "  demo/where: 1.0.0 2025-06-03",
    "", " ", "aliases: [x]", "  - team", "    demo: 1.0.0", "  demo/mood: 1.0.0\r",
    "  demo/mood: 1.0.0 \u00a7", "  demo/where: 1.0.0 2025-06-03T09:00:00+02:00 \u00a7",
    "  demo/mood: 1.0.0  2025-06-03T09:00:00+02:00", "  demo/mood: 1.0.0 2025-06-03T09:00:00+0200",
    "  demo/mood: 1.0.0 2025-06-03T09:00:00+02:00 2025-06-03T09:00:00+02:00",
    # Keys told apart by a digit alone: the search makes a given line's digits zeros.
    "  demo/q1: 1.0.0 2025-06-03T09:00:00+02:00", "  demo/q2: 1.2.0 2025-06-03T19:00:00+02:00",
    "  demo/q1: 1.0.0 2025-06-03T09:00:01+02:00", "  demo/q20: 1.0.0",
]  # fmt: skip
GIVEN_LINES = [*FRONT_LINES[37:41], *FRONT_LINES[-4:]]


@st.composite
def fronts(draw: st.DrawFn) -> str:
    """Front matters in the order reflect writes them, each block left out, repeated or
    spoiled by a line from anywhere."""
    blocks = [
        ["date: 2025-06-02"],
        draw(st.sampled_from([[], ["format: 1"], ["format: 2"]])),
        ["tags:", *draw(st.lists(st.sampled_from(["- garden", "- team", "- a_b"]), max_size=3))],
        ["packs:", *draw(st.lists(st.sampled_from(["  demo: 1.0.0", "  other: 2.0.1"]), max_size=3))],
        draw(
            st.one_of(
                st.lists(st.sampled_from(["demo/mood: 2", "demo/where: chat", "other/x: true"]), max_size=3),
                st.lists(
                    st.tuples(
                        st.sampled_from(["  demo:", "  other:"]),
                        st.lists(st.sampled_from(["    mood: 4", "    where: a meeting", "    x: 1.5"]), max_size=3),
                    ).map(lambda group: [group[0], *group[1]]),
                    max_size=3,
                ).map(lambda groups: ["answers:", *(line for group in groups for line in group)]),
            )
        ),
        ["given:", *draw(st.lists(st.sampled_from(GIVEN_LINES), max_size=3))],
    ]  # fmt: skip
    lines = [
        line for block in blocks if draw(st.booleans()) or block == blocks[0] for line in block
    ]
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(FRONT_LINES)))
    if lines and draw(st.booleans()):
        lines.pop(draw(st.integers(0, len(lines) - 1)))
    return "".join(f"{line}\n" for line in lines) + draw(st.sampled_from(["", "", "x"]))


@given(front=fronts())
def test_plain_front_takes_what_the_one_expression_takes(front: str) -> None:
    expected = (match := FRONT.fullmatch(front)) is not None and match.group(1) == "2025-06-02"
    assert scan.plain_front(front, "2025-06-02") is expected


@given(lines=st.lists(st.sampled_from(FRONT_LINES), max_size=12))
def test_plain_front_takes_what_the_one_expression_takes_of_any_lines(lines: list[str]) -> None:
    front = "".join(f"{line}\n" for line in lines)
    expected = (match := FRONT.fullmatch(front)) is not None and match.group(1) == "2025-06-02"
    assert scan.plain_front(front, "2025-06-02") is expected


@pytest.mark.parametrize(
    "given",
    [
        "  demo/mood: 1.0.0 2025-06-03T09:00:00+02:00",
        "  demo/mood: 1.0.0 2025-06-03T09:00:00+02:00 2025-06-03T09:00:00+02:00",
        "  demo/mood: 1.0.0 2025-06-03T09:00:00+02:00 \u00a7",
        "  demo/mood: 1.0.0 \u00a7",
        "  demo/mood: 1.0.0 2025-06-03T09:00:00Z",
        "  demo/mood: 1.0.0 2025-06-03T09:00+02:00",
        "  demo/mood: 1.0.0 \u0662\u0660\u0662\u0665-06-03T09:00:00+02:00",
        "demo/mood: 2 2025-06-03T09:00:00+02:00",
        "  demo: 1.0.0 2025-06-03T09:00:00+02:00",
    ],
)
# A second given line whose time has other digits (which `\d` takes), left as they are where
# ASCII digits are made zeros.
@pytest.mark.parametrize(
    "other", ["", "  demo/where: 1.0.0 \u0662\u0660\u0662\u0665-06-03T09:00:00+02:00\n"]
)
def test_plain_front_takes_a_given_lines_time_as_the_one_expression_does(
    given: str, other: str
) -> None:
    """One time at most, on a given line only, whatever its digits."""
    for _ in range(2):  # the second time from what the first kept
        front = f"date: 2025-06-02\nformat: 2\ngiven:\n{given}\n{other}"
        expected = FRONT.fullmatch(front) is not None
        assert scan.plain_front(front, "2025-06-02") is expected, front


@pytest.mark.parametrize(
    ("given", "plain"),
    [
        (["  demo/q1: 1.0.0 2025-06-03T09:00:00+02:00", "  demo/q2: 1.0.0"], True),
        (["  demo/q1: 1.0.0", "  demo/q10: 1.0.0", "  demo/q2: 1.0.0"], True),
        (["  demo/q1: 1.0.0", "  demo/q1: 2.0.0"], False),
        (["  demo/q1: 1.0.0 2025-06-03T09:00:00+02:00", "  demo/q1: 1.0.0"], False),
    ],
)
def test_plain_front_tells_apart_keys_that_differ_in_a_digit(given: list[str], plain: bool) -> None:
    """A given line's digits are made zeros to look it up: two keys that differ only there
    are still two keys."""
    front = "date: 2025-06-02\nformat: 2\ngiven:\n" + "".join(f"{line}\n" for line in given)
    for _ in range(2):  # the second time from what the first kept
        assert scan.plain_front(front, "2025-06-02") is plain
        assert (FRONT.fullmatch(front) is not None) is plain


PLAIN_FRONT = (
    "---\ndate: 2025-06-02\nformat: 1\ntags:\n- garden\npacks:\n  demo: 1.0.0\n"
    "answers:\n  demo:\n    mood: 4\n    where: {where}\n---\n"
)
# Lines of bodies: headings as CommonMark reads them or not, prose, and lines that ask for
# the reader: markers, escapes, fences, HTML, setext underlines, control and wide characters.
PLAIN_LINES = [
    "## One line of gratitude", "## Tea ##", "##", "## C# ##", "### Tea below", "# Tea",
    "## Notes (10:00)", "Tea by the lighthouse.", "  tea,  spaced  ", "TEA and a Lighthouse",
    "lighthouse", "Tea heading", "x" * 120 + " tea", "", "   ", "tea " * 40, "#tea #lighthouse",
    "- tea in a list", "> tea quoted", "1. tea", "tea-lighthouse", "## tea lighthouse",
]  # fmt: skip
BODY_LINES = [
    *PLAIN_LINES,
    "##\tTea", "  ## Tea", "<!-- reflect: demo/gratitude -->", "<!-- reflect: ghost/thing -->",
    "tea\tand tab", "\\## an escaped tea", "```", "~~~", "---", "===", "tea \x1b[2J\x07 bell",
    "tea\x0bvertical", "café tea", "中文 tea lighthouse", "<div>tea", "tea\x85next", "tea\u2028sep",
    "<!-- reflect: demo/gratitude/follow-up -->", "<!-- reflect: Demo/gratitude -->",
    "<!-- reflect: demo/gratitude --> ", "<!--reflect: demo/gratitude-->", "<!-- reflect: demo/mood -->",
    "tea <!-- reflect: demo/gratitude -->", "a < b, tea",
]  # fmt: skip
SAFE_QUERIES = ["tea", "lighthouse", "tea lighthouse", "LIGHTHOUSE tea", "gratitude", "#", "below"]


@given(
    lines=st.lists(st.sampled_from(PLAIN_LINES), max_size=10)
    | st.lists(st.sampled_from(BODY_LINES), max_size=10),
    query=st.sampled_from(SAFE_QUERIES),
    where=st.sampled_from(["a meeting", "tea time"]),
)
# A notes section is never tied: a tie under its heading is one of its lines.
@example(
    lines=["## Notes (10:00)", "<!-- reflect: demo/gratitude -->", "Tea."],
    query="gratitude",
    where="a meeting",
)
# The journal is only read: the same for every example.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_an_ascii_file_gives_the_lines_the_reader_gives(
    demo: Home, lines: list[str], query: str, where: str
) -> None:
    from reflect.journal.entry import parse_entry
    from reflect.lookback.queries import Matcher, entry_lines
    from reflect.packs.versions import given_answers, pack_versions

    text = PLAIN_FRONT.format(where=where) + "\n".join(["", *lines, ""])
    matcher = Matcher(query)
    words = scan.Words(tuple(matcher.words), scan.units(demo))
    assert words.shown_safe
    versions = pack_versions(demo)
    entry = parse_entry(text, "x.md", d("2025-06-02"))
    expected = [
        (line.where, line.text, spans)
        for line in entry_lines(entry, given_answers(entry, versions))
        if (spans := matcher.spans(line.text))
    ]
    data = text.encode()
    if not data.isascii():
        return
    quick = scan.ascii_day(data, "2025-06-02", words, scan.Packs(versions.asked), owners=False)
    if quick is None:
        return  # read by the reader
    found = [
        (where, text, spans) for where, text, _, _ in quick.lines if (spans := matcher.spans(text))
    ]
    assert found == expected
    if found:
        assert list(quick.tags) == entry.front.tags


@pytest.mark.parametrize("heading", ["Notes", "Notes (10:00)"])
def test_a_tie_under_a_notes_heading_is_a_line_of_the_note(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch, heading: str
) -> None:
    """The reader ties no notes section: the comment under its heading is a line of the note,
    which a search for a word of it shows, cold or warm."""
    for day in ("2025-06-01", "2025-06-02"):
        tie = "<!-- reflect: demo/gratitude -->"
        write(demo, day, f"---\ndate: {day}\n---\n\n## {heading}\n{tie}\n\nTea.\n")
    monkeypatch.setattr(scan, "COLD_MIN", 10**9)
    warm = _search(run, ["gratitude"])
    assert warm[1].count(f"{heading}  <!-- reflect: demo/gratitude -->") == 2
    monkeypatch.setattr(scan, "COLD_MIN", 0)
    assert _search(run, ["gratitude"]) == warm


def _ascii_and_reader(
    demo: Home, text: str, query: str
) -> tuple[scan.QuickDay | None, list[tuple[str, str]]]:
    """`ascii_day` of a 2025-06-02 file without owners, and the (where, text) of the reader's
    lines that match `query`."""
    from reflect.journal.entry import parse_entry
    from reflect.lookback.queries import Matcher, entry_lines
    from reflect.packs.versions import given_answers, pack_versions

    matcher = Matcher(query)
    versions = pack_versions(demo)
    entry = parse_entry(text, "x.md", d("2025-06-02"))
    expected = [
        (line.where, line.text)
        for line in entry_lines(entry, given_answers(entry, versions))
        if matcher.spans(line.text)
    ]
    words = scan.Words(tuple(matcher.words), scan.units(demo))
    quick = scan.ascii_day(
        text.encode(), "2025-06-02", words, scan.Packs(versions.asked), owners=False
    )
    return quick, expected


@pytest.mark.parametrize(
    ("query", "tied"),
    [("tea", True), ("reflect", True), ("gratitude", True), ("demo", True), ("ghost", False)],
)
def test_a_file_with_reflects_ties_is_read_without_the_reader(
    demo: Home, query: str, tied: bool
) -> None:
    """The ties reflect writes under a heading leave the file to the quick path; its lines are
    the reader's, and the tie itself is no line. A tie no definition knows goes to the reader."""
    key = "demo/gratitude" if tied else "ghost/thing"
    text = PLAIN_FRONT.format(where="a meeting") + (
        "\n## One line of gratitude\n<!-- reflect: demo/gratitude -->\n\nTea with a friend.\n"
        f"\n## Reflect on it\n<!-- reflect: {key}/follow-up -->\nMore tea, demo day.\n"
    )
    quick, expected = _ascii_and_reader(demo, text, query)
    if not tied:
        assert quick is None
        return
    assert quick is not None
    assert [(where, text) for where, text, _, _ in quick.lines] == expected
    assert all("<!--" not in text for _, text, _, _ in quick.lines)


@pytest.mark.parametrize(
    "body",
    [
        "\n## One line of gratitude\nTea first.\n<!-- reflect: demo/gratitude -->\nMore tea.\n",
        "<!-- reflect: demo/gratitude -->\n## One line of gratitude\nTea.\n",
        "\n## One line of gratitude\n\n<!-- reflect: demo/gratitude -->\nTea.\n",
        "\n## Notes\n<!-- reflect: demo/gratitude -->\nTea.\n",
    ],
)
@pytest.mark.parametrize("query", ["gratitude", "tea"])
def test_a_tie_not_under_a_questions_heading_is_a_line_as_the_reader_reads_it(
    demo: Home, body: str, query: str
) -> None:
    """Only a tie on the line after a question's heading is passed over as no line: one
    anywhere else is a line of prose, shown as the reader shows it."""
    from reflect.lookback.queries import Matcher

    text = PLAIN_FRONT.format(where="a meeting") + body
    quick, expected = _ascii_and_reader(demo, text, query)
    assert quick is not None
    matches = Matcher(query).spans
    assert [(where, text) for where, text, _, _ in quick.lines if matches(text)] == expected


@given(text=st.text(st.characters(codec="utf-8"), max_size=30))
def test_printable_ascii_is_cleaned_as_any_text(text: str) -> None:
    from reflect.model.text import _SEQUENCE, _UNSAFE, _UNSAFE_OR_SPACE, clean, spaced

    for sample in (text, text.encode("ascii", "ignore").decode()):
        assert clean(sample) == _UNSAFE.sub("", _SEQUENCE.sub("", sample))
        assert spaced(sample) == _UNSAFE_OR_SPACE.sub(" ", sample)


@given(
    lines=st.lists(st.sampled_from(PLAIN_LINES), max_size=12)
    | st.lists(st.sampled_from(BODY_LINES), max_size=12)
)
def test_plain_headings_are_the_headings_split_body_finds(lines: list[str]) -> None:
    from reflect.journal.entry import heading_at, plain_headings, split_body

    body = "\n".join(lines)
    starts = plain_headings(body)
    if starts is None:
        return
    preamble, sections = split_body(body)
    assert [heading_at(body, start) for start in starts] == [s.heading for s in sections]
    assert starts[:1] == ([len(preamble)] if sections else [])


@given(
    lines=st.lists(
        st.sampled_from([*BODY_LINES, "<!-- x -->", "<!-- reflect: demo/mood --> x"]), max_size=12
    )
)
def test_plain_headings_of_comment_lines_are_the_headings_split_body_finds(
    lines: list[str],
) -> None:
    """Told every `<` starts a line that is one HTML comment, `plain_headings` still finds
    what `split_body` finds (it no longer looks for other HTML)."""
    from reflect.journal.entry import heading_at, plain_headings, split_body

    body = "\n".join(lines)
    if any("<" in line and not re.fullmatch(r"<!--[^<]*-->", line) for line in body.split("\n")):
        return
    starts = plain_headings(body, comment_lines=True)
    if starts is None:
        return
    preamble, sections = split_body(body)
    assert [heading_at(body, start) for start in starts] == [s.heading for s in sections]
    assert starts[:1] == ([len(preamble)] if sections else [])


def waits_for_the_copy(parent: int, then: Callable[[int], T]) -> Callable[[int], T]:
    """`then` of each job, where the first job this process does waits until the copy has
    done one: the copy then takes some of the jobs, whatever the order the two start in."""
    signal_read, signal_write = os.pipe()
    waited: list[bool] = []

    def work(job: int) -> T:
        if os.getpid() != parent:
            os.write(signal_write, b"x")
        elif not waited:
            waited.append(True)
            assert os.read(signal_read, 1) == b"x"
        return then(job)

    return work


def with_pid(job: int) -> tuple[int, int]:
    return job, os.getpid()


def test_two_processes_give_what_one_gives_in_order() -> None:
    parent = os.getpid()
    done = list(scan.in_two(list(range(7)), waits_for_the_copy(parent, with_pid)))
    assert [job for job, _ in done] == list(range(7))
    copies = {pid for _, pid in done if pid != parent}
    assert len(copies) == 1, "the jobs are shared with one copy"


@given(count=st.integers(2, 60), slow=st.sets(st.integers(0, 59)))
@settings(max_examples=20, deadline=None)
def test_every_job_is_done_once_in_order_however_the_two_share_them(
    count: int, slow: set[int]
) -> None:
    """Each process takes the next job left: some jobs costing more shift the share."""

    def work(job: int) -> int:
        if job in slow:
            sum(range(20_000))
        return job * 3

    assert list(scan.in_two(list(range(count)), work)) == [job * 3 for job in range(count)]


def test_more_jobs_than_tickets_are_done_by_this_process_alone() -> None:
    parent = os.getpid()
    jobs = list(range(intwo.MOST_JOBS + 1))
    assert {pid for pid in scan.in_two(jobs, lambda job: os.getpid())} == {parent}


def test_a_job_the_copy_cannot_do_is_done_here() -> None:
    parent = os.getpid()

    def square(job: int) -> tuple[int, int]:
        if os.getpid() != parent:
            raise OSError("only the copy fails")
        return job * job, os.getpid()

    done = list(scan.in_two(list(range(6)), waits_for_the_copy(parent, square)))
    assert done == [(job * job, parent) for job in range(6)]


def test_the_copy_is_gone_when_the_results_are_no_longer_wanted() -> None:
    parent = os.getpid()
    results = scan.in_two(list(range(40)), waits_for_the_copy(parent, with_pid))
    copy = next(pid for _, pid in results if pid != parent)
    results.close()  # type: ignore[attr-defined]
    with pytest.raises(ChildProcessError):
        os.waitpid(copy, os.WNOHANG)  # reaped


def forks_recorded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The copies `os.fork` makes from now on, as this process sees them."""
    copies: list[int] = []
    fork = os.fork

    def recording() -> int:
        pid = fork()
        if pid:
            copies.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording)
    return copies


def test_results_never_asked_for_leave_no_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A search stopped (a closed pipe, Ctrl-C) while it shows the days its index holds never
    asks for the cold folders' results: no copy may go on reading them, nor be left unreaped."""
    copies = forks_recorded(monkeypatch)
    results = scan.in_two(list(range(40)), with_pid)
    del results
    for copy in copies:
        with pytest.raises(ChildProcessError):
            os.waitpid(copy, os.WNOHANG)  # reaped, or never forked


def test_a_ctrl_c_held_over_the_fork_leaves_no_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Ctrl-C held back while forking arrives as it is released: the copy is killed."""
    import signal

    copies = forks_recorded(monkeypatch)
    release = intwo._release_ctrl_c

    def interrupted(held: bool) -> None:
        release(held)
        if copies:
            raise KeyboardInterrupt

    monkeypatch.setattr(intwo, "_release_ctrl_c", interrupted)
    with pytest.raises(KeyboardInterrupt):
        list(scan.in_two(list(range(40)), with_pid))
    assert copies
    for copy in copies:
        with pytest.raises(ChildProcessError):
            os.waitpid(copy, os.WNOHANG)
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())


def test_the_copy_ignores_ctrl_c_and_this_process_gets_it_back() -> None:
    """A Ctrl-C is this process's to handle: the copy ignores it (it is killed when the results
    are done or no longer wanted), and this process's own handling is as before the fork."""
    import signal

    parent = os.getpid()
    before = signal.getsignal(signal.SIGINT)

    def handler(job: int) -> tuple[int, object]:
        return os.getpid(), signal.getsignal(signal.SIGINT)

    done = list(scan.in_two(list(range(4)), waits_for_the_copy(parent, handler)))
    copies = [handler for pid, handler in done if pid != parent]
    assert copies and all(handler == signal.SIG_IGN for handler in copies)
    assert signal.getsignal(signal.SIGINT) == before
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())


@given(date=st.dates())
def test_a_day_title_is_what_strftime_writes(date: dt.date) -> None:
    from reflect.render.plain import day_title

    assert day_title(date) == f"{date:%Y-%m-%d %A}"


@pytest.mark.parametrize("fails", [False, True])
def test_a_plain_search_holds_the_collector_off_and_gives_it_back(
    demo: Home, capsys: pytest.CaptureFixture[str], fails: bool
) -> None:
    """The collector waits while a plain search runs, and runs again when it ends, however
    it ends (here a refused file whose report fails)."""
    import gc

    from reflect.lookback.queries import Matcher, Scope
    from reflect.render.search_stream import stream_search

    write(demo, "2025-06-01", "---\ndate: 2025-06-01\n---\n\nTea by the sea.\n")
    write(demo, "2025-06-02", "---\ndate: 2025-06-03\n---\n\nTea again.\n")
    seen: list[bool] = []

    def warn(item: object) -> None:
        seen.append(gc.isenabled())
        if fails:
            raise KeyboardInterrupt

    assert gc.isenabled()
    if fails:
        with pytest.raises(KeyboardInterrupt):
            stream_search(
                demo, Matcher("tea"), Scope(), owners=False, plain=True, draw=True, warn=warn
            )
    else:
        result = stream_search(
            demo, Matcher("tea"), Scope(), owners=False, plain=True, draw=True, warn=warn
        )
        assert result.count == 1
        assert "Tea by the sea." in capsys.readouterr().out
    assert seen == [False]
    assert gc.isenabled()


def _rows(home: Home) -> dict[str, int]:
    """How many days of each year folder the index holds."""
    with index_module.Index(home) as index:
        return dict(index.db.execute("SELECT folder, count(*) FROM days GROUP BY folder"))


def test_a_folder_with_no_row_is_read_as_text_when_others_are(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too small to be read as text on its own, it would be the only folder filled through the
    reader; read with the rest, it gives the same days and leaves the index as it was."""
    for day in ("2024-03-01", "2024-03-02", "2024-03-03", "2025-01-05"):
        write(demo, day, f"---\ndate: {day}\n---\n\nA lighthouse on {day}.\n")
    monkeypatch.setattr(scan, "COLD_MIN", 10**9)
    warm = _search(run, ["lighthouse"])
    assert warm[0] == 0 and "2025-01-05" in warm[1] and "2024-03-03" in warm[1]
    shutil.rmtree(demo.cache_dir)
    monkeypatch.setattr(scan, "COLD_MIN", 3)  # 2024 is read as text on its own; 2025 is not
    assert _search(run, ["lighthouse"]) == warm
    assert _rows(demo) == {}, "neither folder is filled"
    # With no folder read as text, a small new folder is filled, as before.
    write(demo, "2026-02-01", "---\ndate: 2026-02-01\n---\n\nA lighthouse again.\n")
    monkeypatch.setattr(scan, "COLD_MIN", 10**9)
    assert "2026-02-01" in _search(run, ["lighthouse"])[1]
    assert _rows(demo) == {"2024": 3, "2025": 1, "2026": 1}
    # A folder that has rows is not read as text for being small.
    write(demo, "2025-01-06", "---\ndate: 2025-01-06\n---\n\nA lighthouse, later.\n")
    write(demo, "2024-03-04", "---\ndate: 2024-03-04\n---\n\nA lighthouse, last.\n")
    shutil.rmtree(demo.cache_dir)
    monkeypatch.setattr(scan, "COLD_MIN", 10**9)
    _search(run, ["lighthouse"])
    with index_module.Index(demo) as index:
        index.db.execute("DELETE FROM days WHERE folder = '2024'")
        index.db.commit()
    monkeypatch.setattr(scan, "COLD_MIN", 4)
    out = _search(run, ["lighthouse"])[1]
    assert "2025-01-06" in out and "2024-03-04" in out
    assert _rows(demo) == {"2025": 2, "2026": 1}, "2024 read as text; the others from the index"


def test_a_warm_search_reads_the_definitions_of_only_the_answers_that_can_show_the_words(
    awkward: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word no answer's shown form can add: an answer whose stored value lacks it is passed
    over unread, as is a text answer a kept definition asks (its section's prose, no line);
    the days found are those found reading them all."""
    from reflect.packs.versions import PackVersions

    monkeypatch.setattr(scan, "COLD_MIN", 10**9)  # every folder from the index
    first = _search(run, ["lighthouse"])
    assert first[0] == 0 and "2025-06-03" in first[1] and "2026-11-17" in first[1]
    read: set[tuple[str, str]] = set()
    define = PackVersions.definition

    def recorded(self: PackVersions, pack: str, prompt: str, version: str | None) -> object:
        read.add((pack, prompt))
        return define(self, pack, prompt, version)

    monkeypatch.setattr(PackVersions, "definition", recorded)
    assert _search(run, ["lighthouse"]) == first
    # The one answer that holds the word: a text answer no pack defines, a line of its own.
    assert read == {("ghost", "thing")}
    assert "A lighthouse no pack knows." in first[1]
    read.clear()
    with_json = _search(run, ["lighthouse", "--json"])  # each line's pack and prompt: all read
    assert with_json[0] == 0 and ("demo", "mood") in read


@pytest.mark.parametrize("year", ["2024", "2025"])
def test_a_stray_encrypted_file_in_a_plain_journal_is_skipped_as_the_index_skips_it(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch, year: str
) -> None:
    """A `.md.age` file in a journal that is not encrypted has no key to be opened with: the
    index says so and goes on. A folder read as text (2024 on its own, 2025 with it, having
    no row) says the same, rather than ending the search."""
    for day in ("2024-03-01", "2024-03-02", "2024-03-03", "2025-01-05"):
        write(demo, day, f"---\ndate: {day}\n---\n\nA lighthouse on {day}.\n")
    (demo.entries_dir / year / f"{year}-02-02.md.age").write_bytes(b"not age at all")
    monkeypatch.setattr(scan, "COLD_MIN", 10**9)
    warm = _search(run, ["lighthouse"])
    assert warm[0] == 0 and "2025-01-05" in warm[1] and "2024-03-01" in warm[1]
    assert f"{year}-02-02.md.age: encrypted, and no encrypted journal around it" in warm[2]
    shutil.rmtree(demo.cache_dir)
    monkeypatch.setattr(scan, "COLD_MIN", 3)
    assert _search(run, ["lighthouse"]) == warm
