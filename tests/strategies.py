"""Hypothesis strategies shared by the property tests.

Each draws exactly the strings its pattern (in the comment) matches, built from
characters rather than with `st.from_regex`, which costs about three times as much
a draw; at the ci profile's thousand examples that was most of some tests' time.
"""

import string

from hypothesis import strategies as st

LOWER = string.ascii_lowercase
LOWER_DIGITS = LOWER + string.digits


def word(alphabet: str, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """`[alphabet]{min_size,max_size}`"""
    return st.text(st.sampled_from(alphabet), min_size=min_size, max_size=max_size)


def led(first: str, rest: str, max_rest: int) -> st.SearchStrategy[str]:
    """`[first][rest]{0,max_rest}`"""
    return st.tuples(st.sampled_from(first), word(rest, 0, max_rest)).map("".join)


# [a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?
slugs = st.one_of(
    st.sampled_from(LOWER_DIGITS),
    st.tuples(
        st.sampled_from(LOWER_DIGITS),
        word(LOWER_DIGITS + "-", 0, 10),
        st.sampled_from(LOWER_DIGITS),
    ).map("".join),
)

_part = st.integers(0, 99).map(str)  # 0|[1-9][0-9]?
# (?:0|[1-9][0-9]?)\.(?:0|[1-9][0-9]?)(?:\.(?:0|[1-9]))?
versions = st.builds(
    lambda major, minor, patch: f"{major}.{minor}" if patch is None else f"{major}.{minor}.{patch}",
    _part,
    _part,
    st.none() | st.integers(0, 9).map(str),
)
