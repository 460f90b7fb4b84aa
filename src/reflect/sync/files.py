"""Merging the other files of a home: config.toml and installed packs.

Enabled packs merge as a set (one machine enabling a pack and the other
disabling another keeps both changes); other settings take the side that
changed them, this machine's when both did (the other machine's value is
said in the sync's merge notes, so nothing a person set vanishes). A pack file edited on both sides
keeps the higher version in packs/ (this machine's when neither is higher),
and the other is kept beside it in packs/.versions/ so no coach's edit is lost.
"""

import tomllib
from pathlib import Path
from typing import Any

from reflect.sync.merge import MISSING, merge_values


def merge_config(base: str | None, ours: str, theirs: str, notes: list[str] | None = None) -> str:
    """The merged config.toml; a setting both machines changed keeps this machine's value.

    For each such setting a line naming it and the other machine's value is
    added to `notes` (the sync's merge notes), so the value not kept is
    recorded where the person sees it.
    """
    import tomli_w

    def load(text: str | None) -> dict[str, Any]:
        return tomllib.loads(text) if text else {}

    try:
        old = load(base)
    except tomllib.TOMLDecodeError:
        old = {}  # a version both started from that does not read: merged as two versions

    def keep_mine(where: tuple[str, ...], mine: Any, other: Any) -> Any:
        if notes is not None:
            notes.append(_clash_note(".".join(where), mine, other))
        return mine

    data = merge_values(old, load(ours), load(theirs), keep_mine)
    for added in (True, False):
        kept = _merged_text(base or "", ours, theirs, added=added)
        try:
            if tomllib.loads(kept) == data:
                return kept  # the person's comments and style, with the same settings
        except tomllib.TOMLDecodeError:
            pass
    return tomli_w.dumps(data)


def _clash_note(setting: str, mine: Any, other: Any) -> str:
    """One line: a setting both machines changed, the value kept and the other one."""
    import json

    from reflect.model.text import clean

    def shown(value: Any) -> str:
        return clean(json.dumps(value, ensure_ascii=False, default=str))

    here = "removed here" if mine is MISSING else f"this machine's value {shown(mine)} is kept"
    there = (
        "the other machine removed it"
        if other is MISSING
        else f"the other machine's value was {shown(other)}"
    )
    return f"config.toml: `{clean(setting)}` changed on both machines; {here}, {there}"


def _merged_text(base: str, ours: str, theirs: str, *, added: bool) -> str:
    """The three versions merged line by line, keeping the person's comments and style.

    Where both changed the same lines: this machine's, and (`added`) the
    lines the other machine added there. Kept only when it reads as the merge by meaning (merge_config checks), so
    a line-level accident never changes a setting.
    """
    from reflect.sync.merge import merge_lines

    lines: list[str] = []
    split = [text.splitlines(keepends=True) for text in (base, ours, theirs)]
    for chunk in merge_lines(*split):
        if isinstance(chunk, tuple):
            old, mine, other = chunk
            lines += mine
            if added:
                lines += [line for line in other if line not in mine and line not in old]
        else:
            lines += chunk
    return "".join(lines)


def keep_other_pack(path: Path, theirs: str) -> Path:
    """Keep the other machine's version of a pack file beside this one's; its path."""
    import hashlib

    digest = hashlib.sha256(theirs.encode()).hexdigest()[:8]
    folder = path.parent / ".versions"
    kept = folder / f"{path.stem}.other-{digest}.toml"
    if not kept.exists():
        from reflect.journal.files import ensure_private_dir, write_atomic

        ensure_private_dir(folder)
        write_atomic(kept, theirs)
    return kept


def pack_version(text: str) -> tuple[int, ...] | None:
    """A pack file's `version` as numbers to compare; None when it has none that reads."""
    try:
        version = tomllib.loads(text).get("version")
        return tuple(int(part) for part in str(version).split("."))
    except (tomllib.TOMLDecodeError, ValueError):
        return None


def higher_pack(ours: str, theirs: str) -> bool:
    """Whether the other machine's version of a pack file is the higher version."""
    mine, other = pack_version(ours), pack_version(theirs)
    return mine is not None and other is not None and other > mine
