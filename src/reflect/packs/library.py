"""Loading, validating and listing prompt packs: built-in ones and those installed in the home.

Importing it loads no model (pydantic): a built-in pack's file as shipped is built from a
table (packs/shipped.py), and the models load where a pack is validated or config.toml read.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from reflect.errors import Hint, PackError, PackNotFound, Problem, ReflectError, newer_format
from reflect.journal.files import TooLarge, read_bounded, write_atomic
from reflect.journal.home import Home
from reflect.model.keys import unknown_pack
from reflect.model.text import clean_line, not_utf8
from reflect.packs.shipped import shipped_pack

if TYPE_CHECKING:
    from reflect.journal.config import Config
    from reflect.model.pack import Pack
    from reflect.packs.diff import PackDiff

MAX_PACK_BYTES = 4 * 1024 * 1024

Source = Literal["built-in", "installed"]


@dataclass(frozen=True)
class PackInfo:
    pack: Pack
    source: Source
    path: Path


@functools.cache
def builtin_dir() -> Path:
    """The built-in packs: shipped inside the package, or `prompts/` in a source checkout.

    Where the package lies does not change while a process runs, and commands ask often.
    """
    # The package's own folder as imported (symlinks kept, as daily/kept.py's builtin_folder
    # names it): what importlib.resources gives for a package on disk, without the import
    # machinery it loads.
    shipped = Path(os.path.abspath(__file__)).parents[1] / "prompts"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[3] / "prompts"


def parse_pack(text: str, path: str) -> Pack:
    """Validate TOML text as a pack, raising PackError with every problem found.

    A command looks packs up several times (enabled, installed, by id), and
    TOML and pydantic cost milliseconds a pack; a Pack is frozen, so the one
    found valid for the same text, wherever it was read, is handed out again.
    Refusals, which name the path, are not kept.
    """
    found = _valid.pop(text, None)
    if found is None:
        # A built-in pack's file as shipped is built from the table its validation gave.
        found = shipped_pack(text) or validate_pack(text, path)
        if len(_valid) >= 16:
            del _valid[next(iter(_valid))]
    _valid[text] = found  # the most recently used last
    return found


# The packs found valid lately, by their text.
_valid: dict[str, Pack] = {}


def validate_pack(text: str, path: str) -> Pack:
    """Validate TOML text as a pack, always (`parse_pack` is the one to call): PackError with
    every problem found. The built-in packs' tables are written from it."""
    from pydantic import ValidationError

    from reflect.model.pack import Pack
    from reflect.model.problems import format_loc, locate, validation_problems
    from reflect.packs.checks import pack_findings

    if len(text.encode("utf-8")) > MAX_PACK_BYTES:
        raise PackError(
            path,
            [
                Problem(
                    path, f"is larger than {MAX_PACK_BYTES // (1024 * 1024)} MB; no pack needs that"
                )
            ],
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(path, [_toml_problem(path, exc)]) from None
    except RecursionError:
        raise PackError(path, [Problem(path, "not valid TOML: nested too deeply")]) from None
    found = data.get("format", 1)
    if isinstance(found, int) and not isinstance(found, bool) and found > 1:
        raise PackError(
            path,
            [Problem(path, newer_format("pack", found, 1), field="format")],
        )
    problems: list[Problem] = []
    pack: Pack | None = None
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(path, exc, text)
    for loc, message in pack_findings(data):
        line = locate(text, loc)
        problems.append(Problem(path, message, field=format_loc(loc), line=line))
    if problems or pack is None:
        raise PackError(path, sorted(problems, key=lambda p: p.line or 0))
    return pack


def _toml_problem(path: str, exc: tomllib.TOMLDecodeError) -> Problem:
    # tomllib's message ends "(at line L, column C)"; keep the position structured.
    message = str(exc)
    line = column = None
    if "(at line " in message:
        message, _, where = message.rpartition(" (at line ")
        numbers = where.rstrip(")").split(", column ")
        try:
            line = int(numbers[0])
            column = int(numbers[1]) if len(numbers) > 1 else None
        except ValueError:
            pass
    elif message.endswith("(at end of document)"):
        message = message.removesuffix(" (at end of document)") + " at the end of the file"
    hint = _TOML_HINTS.get(message.rstrip("."))
    detail = f"{message} ({hint})" if hint else message
    return Problem(path, f"not valid TOML: {detail}", line=line, column=column)


# tomllib's terse messages, with what usually causes them in a hand-written pack.
_TOML_HINTS = {
    "Cannot overwrite a value": "a key is set twice in the same table",
    "Invalid value": 'text needs quotes, like text = "..."',
    "Expected '=' after a key in a key/value pair": "a key needs `= value`",
    "Illegal character '\\n'": "a string is missing its closing quote",
}


def load_pack(path: Path) -> Pack:
    try:
        raw = read_bounded(path, MAX_PACK_BYTES, special=True)
    except TooLarge:
        message = f"is larger than {MAX_PACK_BYTES // (1024 * 1024)} MB; no pack needs that"
        raise PackError(str(path), [Problem(str(path), message)]) from None
    except OSError as exc:
        raise PackError(str(path), [Problem(str(path), f"cannot read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(str(path), [Problem(str(path), not_utf8(exc))]) from None
    return parse_pack(text.removeprefix("\ufeff"), str(path))


def _pack_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


@dataclass(frozen=True)
class Catalogue:
    """Every pack that loads, by id, and the pack files that don't."""

    packs: dict[str, PackInfo]
    broken: list[PackError]


def scan_packs(home: Home) -> Catalogue:
    """Built-in packs, then installed ones (an installed pack replaces a built-in of its id)."""
    found: dict[str, PackInfo] = {}
    broken: list[PackError] = []
    sources: tuple[tuple[Path, Source], ...] = (
        (builtin_dir(), "built-in"),
        (home.packs_dir, "installed"),
    )
    for folder, source in sources:
        for path in _pack_files(folder):
            try:
                pack = load_pack(path)
            except PackError as exc:
                broken.append(exc)
                continue
            found[pack.id] = PackInfo(pack, source, path)
    return Catalogue(found, broken)


def readable_packs(home: Home) -> tuple[dict[str, Pack], list[PackError]]:
    """Every pack that loads, by id (installed ones win), and the errors of those that don't.

    For reading the journal back: one broken pack file must not hide the rest.
    """
    found: dict[str, Pack] = {}
    errors: list[PackError] = []
    for path in (*_pack_files(builtin_dir()), *_pack_files(home.packs_dir)):
        try:
            pack = load_pack(path)
        except PackError as exc:
            errors.append(exc)
            continue
        found[pack.id] = pack
    return found, errors


def find_pack(home: Home, pack_id: str) -> PackInfo:
    """One pack by id, loading only its own file when it is named after its id."""
    sources: tuple[tuple[Path, Source], ...] = (
        (home.packs_dir, "installed"),
        (builtin_dir(), "built-in"),
    )
    for folder, source in sources:
        path = folder / f"{pack_id}.toml"
        if path.is_file():
            pack = load_pack(path)
            if pack.id == pack_id:
                return PackInfo(pack, source, path)
    info = scan_packs(home).packs.get(pack_id)
    if info is None:
        raise unknown_pack(pack_id)
    return info


def pack_or_file(home: Home, name: str) -> Pack:
    """A pack named by id, or by the path of a TOML file."""
    path = Path(name)
    if name.endswith(".toml") or path.is_file():
        if not path.is_file():
            raise PackNotFound(f"{name}: no such file")
        return load_pack(path)
    return find_pack(home, name).pack


@dataclass(frozen=True)
class EnabledPacks:
    packs: list[Pack]
    missing: list[str]
    broken: list[PackError]


def enabled_packs(home: Home, config: Config | None = None) -> EnabledPacks:
    """The packs config.toml enables, in its order; missing or broken ones are reported."""
    from reflect.journal.config import load_config

    config = config or load_config(home)
    packs: list[Pack] = []
    missing: list[str] = []
    broken: list[PackError] = []
    for pack_id in config.packs:
        try:
            packs.append(find_pack(home, pack_id).pack)
        except PackNotFound:
            missing.append(pack_id)
        except PackError as exc:
            broken.append(exc)
    return EnabledPacks(packs, missing, broken)


def set_enabled(home: Home, pack_id: str, enabled: bool) -> bool:
    """Enable or disable a pack; returns False when it already was."""
    from reflect.journal.config import load_config, update_config

    if enabled or pack_id not in load_config(home).packs:
        find_pack(home, pack_id)
    done = False

    def change(config: Config) -> Config | None:
        nonlocal done
        if (pack_id in config.packs) == enabled:
            return None
        done = True
        packs = [*config.packs, pack_id] if enabled else [p for p in config.packs if p != pack_id]
        return config.model_copy(update={"packs": packs})

    update_config(home, change)
    return done


def packs_by_id(home: Home, ids: list[str]) -> dict[str, Pack]:
    """The packs with these ids that can still be found; the rest are left out."""
    found: dict[str, Pack] = {}
    for pack_id in ids:
        try:
            found[pack_id] = find_pack(home, pack_id).pack
        except (PackNotFound, PackError):
            continue
    return found


# -- installing, upgrading, removing --------------------------------------------


def version_key(version: str) -> tuple[int, ...]:
    parts = [int(p) for p in version.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


@dataclass(frozen=True)
class Installed:
    pack: Pack
    path: Path
    previous: PackInfo | None
    changes: PackDiff | None
    enabled: bool


def archive_dir(home: Home) -> Path:
    """Earlier versions of installed packs, kept so old answers keep their questions."""
    return home.packs_dir / ".versions"


def install_pack(
    home: Home,
    source: Path,
    *,
    upgrade: bool = False,
    enable: bool = False,
    replace_builtin: bool = False,
) -> Installed:
    """Validate a pack file and install a copy in <home>/packs/, named after its id."""
    pack = load_pack(source)
    text = source.read_text(encoding="utf-8").removeprefix("\ufeff")
    try:
        previous: PackInfo | None = find_pack(home, pack.id)
    except PackNotFound:
        previous = None
    changes = None
    if previous is not None:
        old = previous.pack
        newer = version_key(pack.version) > version_key(old.version)
        if newer and previous.source == "built-in" and not replace_builtin:
            raise ReflectError(
                f"{source} has the id of the built-in pack {pack.id!r} "
                f"({clean_line(old.name)}, version {old.version}); installing it replaces that "
                "pack's questions for every day from now on. If that is what you want, add "
                "--upgrade --replace-builtin; otherwise give the pack another id"
            )
        if not upgrade and newer:
            raise ReflectError(
                f"the {previous.source} pack {pack.id!r} (version {old.version}) is already there",
                hint=Hint("packs-upgrade", source=str(source), version=pack.version),
            )
        if not newer:
            raise ReflectError(
                f"{source}: version {pack.version} is not newer than the {previous.source} "
                f"{old.version}; raise `version` in the file to upgrade"
            )
        from reflect.packs.diff import diff_packs, with_returns

        changes = diff_packs(old, pack)
        if any(c.kind == "added" for c in changes.changes):
            from reflect.packs.versions import pack_versions

            # A prompt id back from an earlier version is compared with that version's.
            versions = pack_versions(home)
            kept = {
                c.prompt: earlier
                for c in changes.changes
                if c.kind == "added"
                and (earlier := versions.newest_with(pack.id, c.prompt)) is not None
            }
            changes = with_returns(changes, pack, kept)
        # A built-in pack is kept too: a later reflect may ship another version of it.
        keep = archive_dir(home) / f"{old.id}-{old.version}.toml"
        write_atomic(keep, previous.path.read_text(encoding="utf-8"))
    home.ensure()
    target = home.packs_dir / f"{pack.id}.toml"
    write_atomic(target, text)
    if previous is not None and previous.source == "installed" and previous.path != target:
        previous.path.unlink(missing_ok=True)
    enabled = set_enabled(home, pack.id, True) if enable else False
    return Installed(pack, target, previous, changes, enabled)


INSTALLED_FORMAT = 2


def installed_data(done: Installed) -> dict[str, object]:
    """`reflect packs add --json`, shaped as model.documents.PackAddedDocument."""
    from reflect.packs.diff import diff_data

    return {
        "format": INSTALLED_FORMAT,
        "pack": done.pack.id,
        "version": done.pack.version,
        "path": str(done.path),
        "previous": done.previous.pack.version if done.previous is not None else None,
        "enabled": done.enabled,
        "changes": diff_data(done.changes)["changes"] if done.changes is not None else [],
    }


def remove_pack(home: Home, pack_id: str) -> PackInfo:
    """Uninstall a pack: its file is kept with the earlier versions, its answers stay."""
    from reflect.journal.config import update_config

    info = find_pack(home, pack_id)
    if info.source != "installed":
        raise ReflectError(
            f"{pack_id!r} is built in and cannot be removed",
            hint=Hint("packs-disable", pack=pack_id),
        )
    keep = archive_dir(home) / f"{info.pack.id}-{info.pack.version}.toml"
    write_atomic(keep, info.path.read_text(encoding="utf-8"))
    info.path.unlink()
    try:
        find_pack(home, pack_id)
    except PackNotFound:

        def drop(config: Config) -> Config:
            return config.model_copy(update={"packs": [p for p in config.packs if p != pack_id]})

        update_config(home, drop)
    return info


def earlier_versions(home: Home, pack_id: str) -> list[Pack]:
    """Archived versions of a pack, newest first; broken archives are skipped."""
    found = []
    for path in _pack_files(archive_dir(home)):
        if path.name.startswith(f"{pack_id}-"):
            try:
                pack = load_pack(path)
            except PackError:
                continue
            if pack.id == pack_id:
                found.append(pack)
    return sorted(found, key=lambda p: version_key(p.version), reverse=True)


def new_pack_text(pack_id: str) -> str:
    """A commented starting pack with an example of every prompt type."""
    import re

    from reflect.model.pack import SLUG_PATTERN

    if not re.match(SLUG_PATTERN, pack_id):
        raise ReflectError(
            f"{pack_id!r} is not a pack id: use lower-case letters, digits and -, like team-habits"
        )
    from importlib import resources

    template = resources.files("reflect").joinpath("templates", "pack.toml").read_text("utf-8")
    return template.format(id=pack_id)


PACK_SHOW_FORMAT = 1


def pack_data(pack: Pack) -> dict[str, Any]:
    """`reflect packs show --json`: the pack's fields, its file's format as `pack_format`."""
    data = pack.model_dump(mode="json", exclude_none=True)
    return {"format": PACK_SHOW_FORMAT, "pack_format": data.pop("format"), **data}


def pack_schema() -> dict[str, object]:
    """The JSON Schema of a pack file, generated from the models.

    Shaped for editors: a prompt is checked by `if type = ... then` its own
    definition rather than `oneOf`, so Taplo points at the field that is wrong
    instead of calling the whole prompt invalid; TOML has no null, so the
    models' optional `null`s are left out.
    """
    from reflect.model.pack import PROMPT_TYPES, Pack

    schema = _tidy(Pack.model_json_schema())
    names = {"text": "TextPrompt", "yes-no": "YesNoPrompt", "scale": "ScalePrompt",
             "choice": "ChoicePrompt", "number": "NumberPrompt"}  # fmt: skip
    schema["properties"]["prompts"]["items"] = {
        "type": "object",
        "required": ["id", "text", "type"],
        "properties": {"type": {"enum": list(PROMPT_TYPES), "description": "the kind of answer"}},
        "allOf": [
            {
                "if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
                "then": {"$ref": f"#/$defs/{names[kind]}"},
            }
            for kind in PROMPT_TYPES
        ],
    }
    target = schema["$defs"]["TargetSpec"]
    target["minProperties"] = 1
    target["oneOf"] = [{"required": [k]} for k in ("at_least", "at_most", "about")]
    target["dependentRequired"] = {"within": ["about"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "reflect prompt pack",
        **schema,
    }


Wordings = dict[str, list[str]]


def wordings(home: Home, pack: Pack | None, pack_id: str = "") -> Wordings:
    """Every heading a pack's prose answers have had, by `PROMPT` and `PROMPT/follow-up`.

    Format 1 tied prose to its question by heading, the question's wording
    at the time; this lists the current wording first, then each archived
    version's, so answers given under an older wording are found.
    """
    from reflect.model.front import FOLLOW_UP
    from reflect.model.pack import heading_for

    found: Wordings = {}
    versions = [pack] if pack is not None else []
    versions += earlier_versions(home, pack.id if pack is not None else pack_id)
    for version in versions:
        for prompt in version.prompts:
            texts = [(prompt.id, prompt.text)]
            if prompt.follow_up is not None:
                texts.append((f"{prompt.id}/{FOLLOW_UP}", prompt.follow_up.text))
            for key, text in texts:
                headings = found.setdefault(key, [])
                heading = heading_for(text)
                if heading not in headings:
                    headings.append(heading)
    return found


def shared_wordings(found: Wordings, key: str) -> list[str]:
    """The wordings of `key` (`PROMPT`, `PROMPT/follow-up`) another question of the pack had too.

    A format 1 section under one of them is nobody's for sure: as `reflect
    migrate` leaves it, it stays the person's prose, never read or replaced
    as an answer.
    """
    others = {heading for other, headings in found.items() if other != key for heading in headings}
    return [heading for heading in found.get(key, []) if heading in others]


def own_wordings(found: Wordings, key: str) -> list[str]:
    """The wordings of `key` no other question of the pack had: the headings that answer it."""
    shared = set(shared_wordings(found, key))
    return [heading for heading in found.get(key, []) if heading not in shared]


def _tidy(node: Any) -> Any:
    """Drop `null` from optional fields and say "number" once for int | float."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _tidy(value) for key, value in node.items()}
    # Bounds on a union come out as pydantic's own ge/le: JSON Schema says minimum/maximum.
    for mine, standard in (("ge", "minimum"), ("le", "maximum")):
        if mine in node and isinstance(node[mine], (int, float)):
            node[standard] = node.pop(mine)
    options = node.get("anyOf")
    if isinstance(options, list):
        options = [o for o in options if o != {"type": "null"}]
        if {"type": "integer"} in options and {"type": "number"} in options:
            options = [o for o in options if o != {"type": "integer"}]
        if node.get("default", 0) is None:
            del node["default"]
        del node["anyOf"]
        if len(options) == 1:
            node.update(options[0])
        else:
            node["anyOf"] = options
    return node


# -- JSON documents ----------------------------------------------------------------

PACKS_FORMAT = 2
VALIDATION_FORMAT = 2


def packs_data(packs: list[PackInfo], enabled: Sequence[str]) -> dict[str, Any]:
    """`reflect packs list --json`: every pack, where it comes from, and whether it is enabled."""
    return {
        "format": PACKS_FORMAT,
        "packs": [
            {
                "id": i.pack.id,
                "name": i.pack.name,
                "version": i.pack.version,
                "prompts": len(i.pack.prompts),
                "enabled": i.pack.id in enabled,
                "source": i.source,
                "path": str(i.path),
            }
            for i in packs
        ],
    }


@dataclass(frozen=True)
class FileCheck:
    """One pack file checked without installing it: the pack, or what is wrong with it."""

    path: Path
    pack: Pack | None
    problems: list[Problem]
    warnings: list[str]


def check_files(paths: Sequence[Path]) -> list[FileCheck]:
    """Load each file as a pack: every problem of a broken one, the warnings of a good one."""
    from reflect.packs.checks import pack_warnings

    checks = []
    for path in paths:
        try:
            pack = load_pack(path)
        except PackError as exc:
            checks.append(FileCheck(path, None, list(exc.problems), []))
            continue
        checks.append(FileCheck(path, pack, [], pack_warnings(pack)))
    return checks


def checks_data(checks: list[FileCheck]) -> dict[str, Any]:
    """`reflect packs validate --json`: a result per file."""
    files = []
    for check in checks:
        data: dict[str, Any] = {"path": str(check.path), "ok": check.pack is not None}
        if check.pack is not None:
            pack = check.pack
            data["pack"] = {"id": pack.id, "version": pack.version, "prompts": len(pack.prompts)}
        data["problems"] = [p.as_dict() for p in check.problems]
        data["warnings"] = check.warnings
        files.append(data)
    return {"format": VALIDATION_FORMAT, "files": files}
