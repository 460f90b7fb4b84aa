"""The merge driver git calls for a journal's files: `python -m reflect.sync.driver KIND %O %A %B %P`.

It writes the merged text into the "ours" file, as git expects, and says
whether the merge is clean. It runs without the command line's imports,
because git starts it once per file that both machines changed. When a version cannot be read, it leaves this
machine's file as it was and reports the conflict, so git stops the merge
with nothing lost.
"""

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reflect.errors import EntryError, ReflectError
from reflect.journal.files import write_atomic

if TYPE_CHECKING:
    from collections.abc import Callable

    from reflect.journal.crypt import JournalKey

KINDS = ("entry", "config", "pack")


@dataclass(frozen=True)
class DriverResult:
    clean: bool
    message: str
    # Files the merge kept beside the merged one (a version set aside, a pack's other version).
    kept: tuple[str, ...] = ()
    # What a person does about a file left unmerged, when `reflect doctor` here cannot say.
    advice: str = ""


def _read(path: Path, key: "JournalKey | None") -> str | None:
    raw = path.read_bytes()
    if key is not None and raw:
        raw = key.open(raw, path)
    text = raw.decode("utf-8")
    return text if text.strip() else None


def merge_file(
    kind: str,
    base: Path,
    ours: Path,
    theirs: Path,
    name: str,
    *,
    root: Path | None = None,
    key: "JournalKey | None" = None,
) -> DriverResult:
    """Merge theirs into ours (in place) with base as the common ancestor.

    NAME is the file's path in the journal, from `root` (the work tree, where
    git runs a driver). An encrypted journal's files (NAME ends in `.age`)
    are decrypted with `key`, or the key the running `reflect sync` handed
    down, merged, and encrypted again.
    """
    top = root if root is not None else Path()
    if name.endswith(".age") and key is None:
        from reflect.journal.crypt import key_from_env

        key = key_from_env()
        if key is None:
            return DriverResult(False, f"{name}: encrypted, and no key to merge it with")
    elif not name.endswith(".age"):
        key = None
    texts: dict[str, str | None] = {}
    failed: dict[str, str] = {}
    for side, path in (("base", base), ("ours", ours), ("theirs", theirs)):
        try:
            texts[side] = _read(path, key)
        except (OSError, UnicodeDecodeError, ReflectError) as exc:
            failed[side] = str(exc)

    def save(text: str) -> None:
        data = text if key is None else key.seal(text.encode("utf-8"))
        write_atomic(ours, data, make_folder=False)

    unread = [side for side in ("ours", "theirs") if side in failed]
    if unread and (kind != "entry" or len(unread) == 2):
        return DriverResult(False, f"{name}: cannot read a version to merge ({failed[unread[0]]})")
    if unread:
        # A day that cannot be decrypted or decoded: kept aside like one that cannot be parsed.
        readable = texts["theirs" if unread[0] == "ours" else "ours"] or ""
        return _set_aside(unread[0], failed[unread[0]], ours, theirs, readable, name, top, save)
    base_text, ours_text, theirs_text = texts.get("base"), texts["ours"], texts["theirs"]
    if ours_text is None or theirs_text is None:
        kept = ours_text or theirs_text or ""
        save(kept)
        return DriverResult(True, "")
    try:
        if kind == "entry":
            from reflect.sync.merge import merge_entry

            broken = _unreadable_side(base_text, ours_text, theirs_text, name)
            if broken is not None and broken[0] != "base" and not _is_day(name):
                # Not a day's name and not a day's text: a file of the person's own.
                return _keep_other_copy(ours, theirs, name, top)
            if broken is not None:
                side, reason = broken
                if side == "base":
                    base_text = None
                else:
                    kept = theirs_text if side == "ours" else ours_text
                    return _set_aside(side, reason, ours, theirs, kept, name, top, save)
            merged = merge_entry(base_text, ours_text, theirs_text, name)
            save(merged.text)
            said = []
            if merged.other_answers:
                said.append(f"kept {len(merged.other_answers)} other answer(s)")
            if merged.kept_both:
                said.append("kept both versions of " + ", ".join(merged.kept_both))
            return DriverResult(True, f"{name}: " + "; ".join(said) if said else "")
        if kind == "config":
            from reflect.sync.files import merge_config

            broken_config = _unreadable_config(ours_text, theirs_text, name)
            if broken_config is not None:
                return broken_config
            notes: list[str] = []
            save(merge_config(base_text, ours_text, theirs_text, notes))
            # Each note names the file already: one line per setting not kept.
            return DriverResult(True, "\n".join(notes))
        if kind == "pack":
            from reflect.sync.files import higher_pack, keep_other_pack

            if base_text == ours_text:
                save(theirs_text)
            elif base_text != theirs_text and ours_text != theirs_text:
                # The higher version stays in packs/; the other is kept beside it.
                theirs_wins = higher_pack(ours_text, theirs_text)
                if theirs_wins:
                    save(theirs_text)
                kept, aside = (theirs_text, ours_text) if theirs_wins else (ours_text, theirs_text)
                other = keep_other_pack(top / name, aside).relative_to(top)
                whose = ["this machine's", "the other machine's"]
                winner, loser = whose[::-1] if theirs_wins else whose
                return DriverResult(
                    True,
                    f"{name}: edited on both machines; {winner} version {_version_of(kept)} "
                    f"is kept in place, {loser} version {_version_of(aside)} as {other}",
                    (other.as_posix(),),
                )
            return DriverResult(True, "")
    except (EntryError, ReflectError, ValueError) as exc:
        return DriverResult(False, f"{name}: left for you to merge: {exc}")
    return DriverResult(False, f"unknown kind of file {kind!r}")


def _unreadable_config(ours: str, theirs: str, name: str) -> DriverResult | None:
    """A version of config.toml that is not TOML: the merge stops, saying where to fix it.

    Only an older reflect (or git by hand) commits one; the fix is on the
    machine whose version it is, since `reflect doctor` reads only the
    config.toml in its own home.
    """
    import tomllib

    for side, text in (("theirs", theirs), ("ours", ours)):
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            if side == "theirs":
                return DriverResult(
                    False,
                    f"{name}: the other machine's version is not valid TOML: {exc}",
                    advice="fix config.toml on the machine that last synced it (its "
                    "`reflect doctor` names the line) and sync there, then sync here again",
                )
            return DriverResult(
                False,
                f"{name}: this machine's committed version is not valid TOML: {exc}",
                advice="fix config.toml here (`reflect doctor` names the line), then sync again",
            )
    return None


def _is_day(name: str) -> bool:
    from reflect.journal.names import ENTRY_FILE

    return ENTRY_FILE.fullmatch(name.rpartition("/")[2]) is not None


def _keep_other_copy(ours: Path, theirs: Path, name: str, top: Path) -> DriverResult:
    """A file under entries/ that is no day (a list of your own): this machine's stays in place.

    There is no day to merge by meaning, and a line merge could leave
    markers in it: the other machine's version is kept beside it, as it
    was, `NAME.other-HASH.EXT`, and `reflect doctor` names it.
    """
    import hashlib

    from reflect.journal.names import other_copy_name

    raw = theirs.read_bytes()
    aside = other_copy_name(Path(name), hashlib.sha256(raw).hexdigest()[:8])
    write_atomic(top / aside, raw, make_folder=False)
    return DriverResult(
        True,
        f"{name}: changed on both machines and not a day to merge; this machine's "
        f"version is kept in place, the other machine's as {aside.as_posix()}",
        (aside.as_posix(),),
    )


def _version_of(text: str) -> str:
    from reflect.sync.files import pack_version

    found = pack_version(text)
    return ".".join(map(str, found)) if found else "unknown"


def _unreadable_side(base: str | None, ours: str, theirs: str, name: str) -> tuple[str, str] | None:
    """Which version of a day reflect cannot read ("ours" first), and why; None when all read."""
    from reflect.journal.entry import parse_entry

    for side, text in (("ours", ours), ("theirs", theirs), ("base", base)):
        if text is None:
            continue
        try:
            parse_entry(text, name)
        except EntryError as exc:
            return side, str(exc)
    return None


def _set_aside(
    side: str,
    reason: str,
    ours: Path,
    theirs: Path,
    kept_text: str,
    name: str,
    top: Path,
    save: "Callable[[str], None]",
) -> DriverResult:
    """Keep the readable version of a day in place and the unreadable one beside it, as it was.

    The set-aside file keeps the unreadable version's bytes (still encrypted
    in an encrypted journal) under a name reflect never reads as a day, and
    `reflect doctor` names it, so the merge goes on and nothing is lost.
    """
    import hashlib

    from reflect.journal.names import set_aside_name

    raw = (ours if side == "ours" else theirs).read_bytes()
    save(kept_text)
    whose = "this machine's" if side == "ours" else "the other machine's"
    aside = set_aside_name(Path(name), hashlib.sha256(raw).hexdigest()[:8])
    write_atomic(top / aside, raw, make_folder=False)
    return DriverResult(
        True,
        f"{name}: {whose} version cannot be read ({reason}); it is kept as {aside}",
        (aside.as_posix(),),
    )


def main(argv: list[str]) -> int:
    """git's call: KIND BASE OURS THEIRS NAME; exit 0 when merged, 1 when left to a person."""
    if len(argv) != 5 or argv[0] not in KINDS:
        print(
            "reflect: usage: python -m reflect.sync.driver KIND BASE OURS THEIRS NAME",
            file=sys.stderr,
        )
        return 2
    kind, base, ours, theirs, name = argv
    result = merge_file(kind, Path(base), Path(ours), Path(theirs), name)
    for line in result.message.splitlines():
        print(f"reflect: {line}", file=sys.stderr)
    return 0 if result.clean else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
