"""Every --json output matches its published JSON Schema, and the schemas match the models.

The schemas in docs/json/ are generated from reflect.model.documents; after
changing a model, write them again with
`REFLECT_WRITE_SCHEMAS=1 .venv/bin/python -m pytest tests/test_json_documents.py`.
"""

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from reflect.journal.home import Home
from reflect.model.documents import DOCUMENTS, document_schema

from .conftest import DATA, Build, Run, answer, run_in, without_index

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "docs" / "json"
DAY = "2026-11-26"


def published(name: str) -> dict[str, object]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_published_schema_is_the_models(name: str) -> None:
    generated = document_schema(name)
    if os.environ.get("REFLECT_WRITE_SCHEMAS"):
        SCHEMAS.mkdir(exist_ok=True)
        text = json.dumps(generated, indent=2, ensure_ascii=False) + "\n"
        (SCHEMAS / f"{name}.schema.json").write_text(text, encoding="utf-8")
    assert published(name) == generated, "regenerate: REFLECT_WRITE_SCHEMAS=1 pytest " + __file__


def test_no_schema_without_a_model() -> None:
    assert {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.json")} == set(DOCUMENTS)


def a_little_of_everything(home: Home) -> None:
    """Answers over two years, a note, a misfit value, a broken file; two clients' exports beside."""
    run = run_in(home)
    answer(home, "2025-11-26", "mood=2", "threatened=y", "share=40", "where=chat")
    answer(home, "2026-11-24", "mood=3", "threatened=n", "share=60", "gratitude=Tea")
    answer(home, DAY, "mood=4", "threatened=y", "share=70", "where=meeting", "hours=7.5")
    result = run(["write", "--date", DAY, "Zoë's launch went well.", "--tag", "team"])
    assert result.exit_code == 0, result.output
    misfit = home.root / "entries" / "2026" / "2026-11-25.md"
    misfit.write_text(
        "---\ndate: 2026-11-25\nformat: 1\nanswers:\n  demo:\n    mood: 9\n---\n", encoding="utf-8"
    )
    broken = home.root / "entries" / "2026" / "2026-11-23.md"
    broken.write_text("---\ndate: [\n---\n", encoding="utf-8")
    for client in ("a", "b"):
        out = home.root.parent / f"client-{client}.json"
        args = ["export", "--week", "2026-W48", "--share", "--pack", "demo", "-f", "json", "-o"]
        result = run([*args, str(out)])
        assert result.exit_code == 0, result.output
    without_index(home)


@pytest.fixture
def journal(
    demo: Home,
    built_once: Callable[[Build], Home],
    journal_templates: dict[str, Path],
    tmp_path: Path,
) -> Home:
    """`a_little_of_everything`, written once per process and copied; packs to add beside it."""
    built_once(a_little_of_everything)
    outside = journal_templates[f"{__name__}.a_little_of_everything"].parent
    for client in ("a", "b"):
        shutil.copy(outside / f"client-{client}.json", tmp_path / f"client-{client}.json")
    shutil.copy(DATA / "demo.toml", tmp_path / "good.toml")
    next_version = (DATA / "demo.toml").read_text(encoding="utf-8")
    next_version = next_version.replace('version = "1.0.0"', 'version = "1.1.0"', 1)
    next_version = next_version.replace("How was your mood today?", "How was your day?", 1)
    (tmp_path / "demo-next.toml").write_text(next_version, encoding="utf-8")
    (tmp_path / "bad.toml").write_text('id = "bad"\nauthr = "x"\n', encoding="utf-8")
    return demo


COMMANDS = {
    "prompt": ["prompt", "--date", DAY, "--json"],
    "import": ["import", "jrnl", str(DATA / "jrnl-export.json"), "--json"],
    "show": ["show", DAY, "--json"],
    "show-on-this-day": ["show", DAY, "--on-this-day", "--json"],
    "log": ["log", "--json"],
    "packs-show": ["packs", "show", "demo", "--json"],
    "search": ["search", "launch", "--json"],
    "history": ["history", "demo/mood", "--json"],
    "trends": ["trends", "--since", "2026-11-01", "--until", DAY, "--json"],
    "calendar": ["calendar", "--year", "2026", "--json"],
    "export": ["export", "--week", "2026-W48", "--format", "json"],
    "report": ["report", "{tmp}/client-a.json", "{tmp}/client-b.json", "--format", "json"],
    "packs-list": ["packs", "list", "--json"],
    "packs-add": ["packs", "add", "{tmp}/demo-next.toml", "--upgrade", "--json"],
    "packs-validate": ["packs", "validate", "{tmp}/good.toml", "{tmp}/bad.toml", "--json"],
    "packs-preview": ["packs", "preview", "demo", "--from", DAY, "--json"],
    "doctor": ["doctor", "--json"],
    "migrate": ["migrate", "--dry-run", "--json"],
    "status": ["status", "--json"],
}


def test_every_json_command_is_checked() -> None:
    assert set(COMMANDS) | {"sync"} == set(DOCUMENTS)


def test_the_sync_output_matches_its_schema(home: Home, run: Run, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    assert run(["sync", "--init", str(remote)]).exit_code == 0
    assert run(["write", "--date", DAY, "words"]).exit_code == 0
    result = run(["sync", "--json"])
    assert result.exit_code == 0, result.output
    jsonschema.validate(json.loads(result.stdout), published("sync"))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_json_output_matches_its_schema(
    journal: Home, run: Run, tmp_path: Path, name: str
) -> None:
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in COMMANDS[name]]
    result = run(args)
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    jsonschema.validate(document, published(name))
    assert isinstance(document["format"], int)


def test_a_daylio_import_matches_the_import_schema(home: Home, run: Run) -> None:
    result = run(["import", "daylio", str(DATA / "daylio-export.csv"), "--json"])
    assert result.exit_code == 0, result.output
    jsonschema.validate(json.loads(result.stdout), published("import"))


# Keys docs/json.md keeps with more than one JSON type, each for the reason the doc gives;
# any other key must have one type in every document.
TWO_TYPES_KEPT = {
    "days": "a list of days, an older count, or report's days-written object",
    "prompts": "an older count in packs list and packs validate, a list elsewhere",
    "skipped": "import's object of skipped things, trends' older count of skipped days",
    "pack": "an id, or in packs validate a summary of the pack",
    "entries": "doctor's and import's older counts, show --on-this-day's list of entries",
    "answers": "answers are answers: a mapping in show, a list in history",
    "packs": "a list of packs, or in show and report a mapping of pack id to versions",
    "clients": "report's list of clients; each question's figures keyed by client",
    "weeks": "export's list of weeks; report's figures keyed by range",
    "value": "an answer's value has its question's type; a target's value is a number",
    "follow_up": "packs show and prompt give the pack file's keys: the follow-up's definition",
    "target": "packs show and prompt give the pack file's keys: a number or a goal object",
}

_JSON_TYPE = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array"}


def _types(node: object, defs: dict[str, object], seen: tuple[str, ...] = ()) -> set[str]:
    """The JSON types a schema node allows, through $ref, anyOf, oneOf, allOf, enum and const."""
    if not isinstance(node, dict):
        return set()
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        return {"object"} if name in seen else _types(defs[name], defs, (*seen, name))
    found: set[str] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, []):
            found |= _types(sub, defs, seen)
    given = node.get("type", [])
    found |= {given} if isinstance(given, str) else set(given)
    constants = [*node.get("enum", []), *([node["const"]] if "const" in node else [])]
    found |= {_JSON_TYPE.get(type(v), "object") for v in constants if v is not None}
    found.discard("null")  # optional, not a second meaning
    if "number" in found:
        found.discard("integer")  # an integer is a number
    return found


def key_types(schemas: dict[str, dict[str, object]]) -> dict[str, dict[frozenset[str], set[str]]]:
    """Each property name -> its JSON types -> the documents that give it those types."""
    seen: dict[str, dict[frozenset[str], set[str]]] = {}

    def walk(node: object, defs: dict[str, object], document: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, defs, document)
        if not isinstance(node, dict):
            return
        for name, sub in (node.get("properties") or {}).items():
            types = frozenset(_types(sub, defs))
            if types:  # an unconstrained value (Any) says nothing about its type
                seen.setdefault(name, {}).setdefault(types, set()).add(document)
        for key, sub in node.items():
            if key == "properties":
                walk(list(sub.values()), defs, document)
            elif key != "$defs":
                walk(sub, defs, document)

    for document, schema in schemas.items():
        defs = schema.get("$defs", {})
        assert isinstance(defs, dict)
        walk(schema, defs, document)
        walk(list(defs.values()), defs, document)
    return seen


def test_a_key_has_one_json_type_in_every_document() -> None:
    schemas = {name: published(name) for name in sorted(DOCUMENTS)}
    clashes = {
        name: {"/".join(sorted(t)): sorted(docs) for t, docs in by_type.items()}
        for name, by_type in key_types(schemas).items()
        if len(by_type) > 1 and name not in TWO_TYPES_KEPT
    }
    assert clashes == {}, "rename the new key, or keep it in docs/json.md and TWO_TYPES_KEPT"


def test_every_key_kept_with_two_types_still_has_them() -> None:
    schemas = {name: published(name) for name in sorted(DOCUMENTS)}
    found = key_types(schemas)
    assert {name for name in TWO_TYPES_KEPT if len(found.get(name, {})) > 1} == set(TWO_TYPES_KEPT)


def test_the_key_check_sees_a_clash() -> None:
    count = {"properties": {"change": {"type": "integer"}}}
    words = {"properties": {"change": {"anyOf": [{"$ref": "#/$defs/W"}, {"type": "null"}]}}}
    words["$defs"] = {"W": {"enum": ["added", "removed"]}}
    assert key_types({"a": count, "b": words}) == {
        "change": {frozenset({"integer"}): {"a"}, frozenset({"string"}): {"b"}}
    }


def test_the_keys_kept_with_two_types_are_the_ones_the_doc_lists() -> None:
    doc = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    listed = doc.split("have more than one JSON type", 1)[1].split("\n\n", 2)[1]
    names = re.findall(r"^- `(\w+)`(?: and `(\w+)`)?", listed, flags=re.MULTILINE)
    assert {name for pair in names for name in pair if name} == set(TWO_TYPES_KEPT)
