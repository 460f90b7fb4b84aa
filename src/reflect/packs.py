"""Loading, validating and listing prompt packs: built-in ones and those installed in the home."""

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from reflect.config import Config, load_config, save_config
from reflect.errors import PackError, PackNotFound, Problem
from reflect.home import Home
from reflect.models import Pack

MAX_PACK_BYTES = 4 * 1024 * 1024

Source = Literal["built-in", "installed"]


@dataclass(frozen=True)
class PackInfo:
    pack: Pack
    source: Source
    path: Path


def builtin_dir() -> Path:
    """The built-in packs: shipped inside the package, or `prompts/` in a source checkout."""
    shipped = Path(str(resources.files("reflect").joinpath("prompts")))
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[2] / "prompts"


def parse_pack(text: str, path: str) -> Pack:
    """Validate TOML text as a pack, raising PackError with every problem found."""
    from reflect.diagnose import validation_problems

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
    try:
        return Pack.model_validate(data)
    except ValidationError as exc:
        raise PackError(path, validation_problems(path, exc, text)) from None


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
    return Problem(path, f"not valid TOML: {message}", line=line, column=column)


def load_pack(path: Path) -> Pack:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(str(path), [Problem(str(path), f"cannot read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(
            str(path), [Problem(str(path), f"is not UTF-8 text (byte {exc.start})")]
        ) from None
    return parse_pack(text.removeprefix("\ufeff"), str(path))


def _pack_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def all_packs(home: Home) -> dict[str, PackInfo]:
    """Every pack by id; an installed pack's file is named after its id."""
    found: dict[str, PackInfo] = {}
    for path in _pack_files(builtin_dir()):
        pack = load_pack(path)
        found[pack.id] = PackInfo(pack, "built-in", path)
    for path in _pack_files(home.packs_dir):
        pack = load_pack(path)
        found[pack.id] = PackInfo(pack, "installed", path)
    return found


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
    """One pack by id, loading only its own file."""
    for folder, source in ((home.packs_dir, "installed"), (builtin_dir(), "built-in")):
        path = folder / f"{pack_id}.toml"
        if path.is_file():
            pack = load_pack(path)
            if pack.id == pack_id:
                return PackInfo(pack, source, path)  # type: ignore[arg-type]
    for info in all_packs(home).values():
        if info.pack.id == pack_id:
            return info
    raise PackNotFound(f"no pack with id {pack_id!r}; `reflect packs list` shows the packs")


@dataclass(frozen=True)
class EnabledPacks:
    packs: list[Pack]
    missing: list[str]


def enabled_packs(home: Home, config: Config | None = None) -> EnabledPacks:
    """The packs config.toml enables, in its order; ids that no longer exist are reported."""
    config = config or load_config(home)
    packs: list[Pack] = []
    missing: list[str] = []
    for pack_id in config.packs:
        try:
            packs.append(find_pack(home, pack_id).pack)
        except PackNotFound:
            missing.append(pack_id)
    return EnabledPacks(packs, missing)


def set_enabled(home: Home, pack_id: str, enabled: bool) -> bool:
    """Enable or disable a pack; returns False when it already was."""
    find_pack(home, pack_id)
    config = load_config(home)
    if (pack_id in config.packs) == enabled:
        return False
    packs = [*config.packs, pack_id] if enabled else [p for p in config.packs if p != pack_id]
    save_config(home, config.model_copy(update={"packs": packs}))
    return True


def packs_by_id(home: Home, ids: list[str]) -> dict[str, Pack]:
    """The packs with these ids that can still be found; the rest are left out."""
    found: dict[str, Pack] = {}
    for pack_id in ids:
        try:
            found[pack_id] = find_pack(home, pack_id).pack
        except (PackNotFound, PackError):
            continue
    return found
