"""Hostile input to the pack loader and the entry parser: only the project's own errors come out."""

import contextlib
import datetime as dt
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from reflect.errors import EntryError, PackError
from reflect.journal.entry import parse_entry, serialize
from reflect.packs.library import parse_pack

DAY = dt.date(2026, 11, 26)

scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["text", "yes-no", "scale", "choice", "number", "yes", "any", "<= 2", "fri"]),
)
keys = st.sampled_from(
    [
        "id",
        "name",
        "version",
        "type",
        "text",
        "min",
        "max",
        "step",
        "target",
        "unit",
        "choices",
        "pin",
        "on",
        "follow_up",
        "when",
        "tags",
        "per_day",
        "schedule",
        "prompts",
        "format",
        "x",
    ]
)
tree: Any = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=25,
)
packish = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["p", "P", "../x", ""]),
        "name": scalars,
        "version": st.sampled_from(["1.0.0", "1", 1]),
    },
    optional={
        "schedule": st.dictionaries(st.just("per_day"), scalars),
        "prompts": st.lists(st.dictionaries(keys, tree, max_size=8), max_size=5),
    },
)


@given(text=st.text(max_size=400))
def test_any_text_as_a_pack(text: str) -> None:
    try:
        parse_pack(text, "fuzz.toml")
    except PackError as exc:
        assert exc.problems and all(p.path == "fuzz.toml" for p in exc.problems)


@given(data=packish)
def test_pack_shaped_data(data: dict[str, Any]) -> None:
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return
    try:
        pack = parse_pack(text, "fuzz.toml")
    except PackError as exc:
        assert "\n" not in str(exc)
        return
    assert pack.id == "p"


@given(text=st.text(max_size=400))
def test_any_text_as_an_entry(text: str) -> None:
    try:
        entry = parse_entry(text, "2026-11-26.md", DAY)
    except EntryError as exc:
        assert str(exc).startswith("2026-11-26.md")
        return
    again = parse_entry(serialize(entry), "2026-11-26.md", DAY)
    assert again.front == entry.front


front_values = st.recursive(
    scalars,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
    max_leaves=10,
)


@given(
    front=st.dictionaries(
        st.sampled_from(["date", "format", "tags", "packs", "answers", "mood"]),
        front_values,
        max_size=5,
    ),
    body=st.text(max_size=100),
)
def test_front_matter_of_any_shape(front: dict[str, Any], body: str) -> None:
    import yaml

    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    with contextlib.suppress(EntryError):
        parse_entry(text, "2026-11-26.md", DAY)


@given(raw=st.binary(max_size=300))
def test_any_bytes_decoded_leniently(raw: bytes) -> None:
    text = raw.decode("utf-8", errors="replace")
    with contextlib.suppress(EntryError):
        parse_entry("---\n" + text, "2026-11-26.md", DAY)


def test_deeply_nested_toml_is_a_pack_error() -> None:
    for text in ("a = " + "[" * 5000, "a = " + "{b = " * 3000):
        try:
            parse_pack(text, "deep.toml")
        except PackError as exc:
            assert str(exc) == "deep.toml: not valid TOML: nested too deeply"
        else:
            raise AssertionError("a deeply nested file must not load")


def test_yaml_alias_bombs_are_refused_without_being_expanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    text = "---\ndate: 2026-11-26\n" + "\n".join(lines) + "\ntags: *a9\n---\n"
    # Expanded, `tags` would hold 9**10 items; a message that names them all would never end.
    with pytest.raises(EntryError) as caught:
        parse_entry(text, "2026-11-26.md", DAY)
    assert str(caught.value).startswith("2026-11-26.md:")
    assert len(str(caught.value)) < 500
