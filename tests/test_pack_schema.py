"""The published JSON Schema and `reflect packs validate` agree, and the schema points at the field.

Every planted mistake is checked twice: by reflect's own loader, and by a
JSON Schema validator (as Taplo would) whose error must name the same field.
"""

import tomllib

import pytest
from jsonschema import Draft202012Validator

from reflect.errors import PackError
from reflect.packs.library import builtin_dir, pack_schema, parse_pack

GOOD = """\
id = "p"
name = "P"
version = "1.0.0"

[schedule]
per_day = 1

[[prompts]]
id = "share"
text = "What share?"
type = "scale"
min = 0
max = 100
step = 10
unit = "%"
target = 70
pin = true

[[prompts]]
id = "hours"
text = "Hours?"
type = "number"
target = { at_most = 9 }

[[prompts]]
id = "calm"
text = "Calm?"
type = "scale"
min = 1
max = 5
target = { about = 3, within = 0.5 }

[[prompts]]
id = "credit"
text = "Credit?"
type = "yes-no"
on = "fri"
"""

VALIDATOR = Draft202012Validator(pack_schema())


def schema_paths(text: str) -> set[str]:
    """Where the schema's errors point, as reflect writes a field: prompts[1].pin."""
    found = set()
    for error in VALIDATOR.iter_errors(tomllib.loads(text)):
        path = ""
        for part in error.absolute_path:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
        found.add(path)
    return found


def reflect_fields(text: str) -> set[str | None]:
    with pytest.raises(PackError) as caught:
        parse_pack(text, "pack.toml")
    return {p.field for p in caught.value.problems}


def test_the_good_pack_passes_both() -> None:
    assert schema_paths(GOOD) == set()
    parse_pack(GOOD, "pack.toml")


# An unknown key is reported on the table that holds it (as JSON Schema's
# additionalProperties does; Taplo underlines the key); the rest at the field.
@pytest.mark.parametrize(
    ("old", "new", "field", "path"),
    [
        ('version = "1.0.0"', 'version = "1.0"', "version", "version"),
        ('version = "1.0.0"', 'version = "1.0.0"\ndescripton = "x"', "descripton", ""),
        ("per_day = 1", 'per_day = "2"', "schedule.per_day", "schedule.per_day"),
        ("pin = true", 'pin = "yes"', "prompts[0].pin", "prompts[0].pin"),
        ("pin = true", "pin = 1", "prompts[0].pin", "prompts[0].pin"),
        ('on = "fri"', 'on = "Friday"', "prompts[3].on", "prompts[3].on"),
        ('type = "yes-no"', 'type = "yesno"', "prompts[3].type", "prompts[3].type"),
        ("max = 100", 'max = "100"', "prompts[0].max", "prompts[0].max"),
        ('unit = "%"', "unit = 5", "prompts[0].unit", "prompts[0].unit"),
        ('on = "fri"', 'on = "fri"\ntarget = 3', "prompts[3].target", "prompts[3]"),
        ("step = 10", 'step = 10\nchoices = ["a", "b"]', "prompts[0].choices", "prompts[0]"),
        ("target = { at_most = 9 }", "target = { at_most = 9, at_least = 1 }",
         "prompts[1].target", "prompts[1].target"),
        ("target = { at_most = 9 }", "target = { within = 9 }",
         "prompts[1].target", "prompts[1].target"),
        ("target = { at_most = 9 }", 'target = "9"', "prompts[1].target", "prompts[1].target"),
        ('id = "hours"', 'id = "Hours"', "prompts[1].id", "prompts[1].id"),
    ],
)  # fmt: skip
def test_each_mistake_is_caught_by_both_at_the_same_field(
    old: str, new: str, field: str, path: str
) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    assert field in reflect_fields(text)
    assert schema_paths(text) == {path}


def test_the_built_in_packs_pass_both() -> None:
    for path in sorted(builtin_dir().glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert schema_paths(text) == set(), path.name
        parse_pack(text, str(path))
