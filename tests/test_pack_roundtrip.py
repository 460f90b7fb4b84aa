"""Pack load -> dump -> load gives the same pack, for any valid pack."""

from typing import Any

import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from reflect.model.pack import Pack
from reflect.packs.library import builtin_dir, load_pack, parse_pack

from .strategies import LOWER, slugs, word

lines = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60
).filter(lambda s: s.strip() != "")
common = {
    "text": lines,
    "pin": st.booleans(),
    "tags": st.lists(word(LOWER, 1, 8), max_size=3),
}


def prompt_of(kind: str) -> Any:
    if kind == "scale":
        return st.tuples(
            st.integers(-5, 5), st.integers(1, 10), st.integers(1, 5), st.integers(0, 50)
        ).map(
            lambda t: {
                "type": "scale",
                "min": t[0],
                "max": t[0] + t[1] * t[2],
                "step": t[2],
                "target": t[0] + (t[3] % (t[1] + 1)) * t[2],
                "unit": "%",
            }
        )
    if kind == "number":
        return st.just({"type": "number", "min": 0, "unit": "h"})
    if kind == "choice":
        return st.lists(word(LOWER, 1, 6), min_size=2, max_size=5, unique=True).map(
            lambda c: {
                "type": "choice",
                "choices": c,
                "follow_up": {"when": c[0], "text": "Why that one?"},
            }
        )
    if kind == "yes-no":
        return st.sampled_from(["yes", "no", "any"]).map(
            lambda w: {"type": "yes-no", "follow_up": {"when": w, "text": "Tell me more."}}
        )
    return st.just({"type": "text"})


prompt = st.sampled_from(["text", "yes-no", "scale", "choice", "number"]).flatmap(prompt_of)


@st.composite
def packs(draw: Any) -> dict[str, Any]:
    bodies = draw(st.lists(prompt, min_size=1, max_size=6))
    ids = draw(st.lists(slugs, min_size=len(bodies), max_size=len(bodies), unique=True))
    prompts = []
    for prompt_id, body in zip(ids, bodies, strict=True):
        extra = {key: draw(strategy) for key, strategy in common.items()}
        prompts.append({"id": prompt_id, **extra, **body})
    rotating = sum(1 for p in prompts if not p["pin"])
    return {
        "id": draw(slugs),
        "name": draw(lines),
        "version": "1.2.3",
        "description": draw(st.text(max_size=80)),
        "schedule": {"per_day": draw(st.integers(0, rotating))},
        "prompts": prompts,
    }


def dump(pack: Pack) -> str:
    return tomli_w.dumps(pack.model_dump(mode="json", exclude_none=True))


@given(data=packs())
def test_load_dump_load(data: dict[str, Any]) -> None:
    first = parse_pack(tomli_w.dumps(data), "generated.toml")
    again = parse_pack(dump(first), "dumped.toml")
    assert again == first


def test_builtin_packs_round_trip() -> None:
    for path in builtin_dir().glob("*.toml"):
        pack = load_pack(path)
        assert parse_pack(dump(pack), path.name) == pack
