"""The fast front matter reader gives exactly what PyYAML gives, or defers to it."""

import datetime as dt
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from reflect.journal import frontyaml
from reflect.journal.entry import Entry, dump_front
from reflect.model.front import FrontMatter

words = st.text(st.characters(codec="utf-8", blacklist_categories=("Cs",)), max_size=12)
tricky = st.sampled_from(
    ["yes", "No", "on", "null", "~", "1.0", "1.0.0", "2026-11-26", "2026-1-2", "0x1F", "1e3",
     "a: b", "a #b", "'q'", '"d"', "- x", "", " lead", "trail ", "ok", "jrnl:2026-11-26T10:00:ab",
     "1_000", "+1", ".inf", "=", "<<", "True", "e", "06", "-0", "3.14", "ünïcode", "日本"]
)  # fmt: skip
scalars = st.one_of(
    st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(), words, tricky,
)  # fmt: skip
data: Any = st.dictionaries(
    st.one_of(words, tricky),
    st.one_of(
        scalars,
        st.lists(scalars, max_size=4),
        st.dictionaries(
            st.one_of(words, tricky),
            st.one_of(scalars, st.dictionaries(words, scalars, max_size=3)),
            max_size=4,
        ),
    ),
    max_size=6,
)


def via_yaml(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


@given(value=data)
def test_same_as_pyyaml_on_what_pyyaml_writes(value: dict[str, Any]) -> None:
    text = yaml.dump(
        value,
        Dumper=yaml.CSafeDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )
    fast = frontyaml.load(text)
    assert fast is None or (fast == via_yaml(text) and repr(fast) == repr(via_yaml(text)))


@given(
    lines=st.lists(st.one_of(tricky, words).map(lambda s: s.replace("\n", " ")), max_size=6),
    indents=st.lists(st.sampled_from([0, 2, 4]), min_size=6, max_size=6),
)
def test_same_as_pyyaml_or_defers_on_any_text(lines: list[str], indents: list[int]) -> None:
    text = "".join(" " * indents[i] + line + "\n" for i, line in enumerate(lines))
    fast = frontyaml.load(text)
    if fast is not None:
        assert repr(fast) == repr(via_yaml(text))


def test_what_reflect_writes_takes_the_fast_path() -> None:
    entry = Entry.new(dt.date(2026, 11, 26))
    entry.set_answer("partnership", "1.0.0", "partner-share", 70)
    entry.set_answer("daily", "1.0.0", "mood", 4)
    entry.set_answer("growth-mindset", "1.1.0", "threatened-by-success", True)
    entry.set_answer("collaboration", "1.0.0", "what-got-in-the-way", "urgent work")
    entry.set_answer("daily", "1.0.0", "hours", 6.5)
    at = dt.datetime(2026, 11, 26, 9, 14, 3, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    entry.set_answer("daily", "1.0.0", "energy", 3, at)
    entry.set_prose_for("daily/gratitude", "Q?", "Tea.", version="1.0.0", at=at)
    entry.add_tags(["team", "starred"])
    front = dump_front(entry.front).removeprefix("---\n").removesuffix("---\n")
    fast = frontyaml.load(front)
    assert fast is not None
    assert FrontMatter.from_yaml_data(fast) == entry.front
    assert repr(fast) == repr(via_yaml(front))


def test_lines_that_are_not_keys_defer() -> None:
    for text in ("garbage\n", "a: 1\ngarbage\n", "a:\n  b\n", "a:\n", "a: 1\na: 2\n", "a:\tb\n"):
        assert frontyaml.load(text) is None, text
