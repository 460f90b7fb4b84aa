"""Checking a journal home: permissions, unreadable files, leftovers, drafts, packs, config.

`check` only looks. `fix` makes the changes that are safe and said out loud:
tightening permissions, removing temporary files no writer holds, and
disabling packs that no longer exist. It never touches prose.
"""

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reflect.errors import Problem, ReflectError
from reflect.journal.atomic import TEMP_PREFIX
from reflect.journal.files import journal_lock
from reflect.journal.home import Home

if TYPE_CHECKING:
    from reflect.journal.entry import Entry
    from reflect.model.pack import Pack
    from reflect.packs.versions import PackVersions

Level = Literal["ok", "info", "warning", "problem"]


@dataclass
class Finding:
    level: Level
    what: str
    advice: str = ""
    path: str | None = None
    fixable: bool = False
    fixed: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.level,
            "what": self.what,
            "advice": self.advice,
            "path": self.path,
            "fixable": self.fixable,
            "fixed": self.fixed,
        }


@dataclass
class Report:
    home: Path
    findings: list[Finding] = field(default_factory=list)
    entries: int = 0

    def add(
        self,
        level: Level,
        what: str,
        advice: str = "",
        path: Path | None = None,
        *,
        fixable: bool = False,
    ) -> Finding:
        finding = Finding(level, what, advice, str(path) if path else None, fixable)
        self.findings.append(finding)
        return finding

    @property
    def healthy(self) -> bool:
        return not any(f.level == "problem" and not f.fixed for f in self.findings)


DOCTOR_FORMAT = 2


def doctor_data(report: Report) -> dict[str, object]:
    """`reflect doctor --json`: the home, how many entries were read, and every finding."""
    return {
        "format": DOCTOR_FORMAT,
        "home": str(report.home),
        "entries": report.entries,
        "healthy": report.healthy,
        "findings": [f.as_dict() for f in report.findings],
    }


def check(home: Home, *, fix: bool = False) -> Report:
    """Look over the whole journal home; with `fix`, make the safe repairs as well."""
    report = Report(home.root)
    if not home.root.exists():
        report.add(
            "info", "the journal home does not exist yet", "`reflect today` creates it", home.root
        )
        return report
    if not home.root.is_dir():
        report.add(
            "problem",
            "the journal home is not a folder",
            "point REFLECT_HOME or --home at a folder",
            home.root,
        )
        return report
    if fix:
        with journal_lock(home.lock_path):
            readable = _check_all(home, report, fix=True)
    else:
        readable = _check_all(home, report, fix=False)
    if readable:
        # Migration takes the lock file by file, as every writer does.
        _formats(home, report, fix)
    return report


def _check_all(home: Home, report: Report, *, fix: bool) -> bool:
    """Every check but the formats; False when the entries could not be read (no key)."""
    from reflect.journal.crypt import LockedError

    _permissions(home, report, fix)
    _leftovers(home, report, fix)
    readable = _encryption(home, report)
    known = _config_and_packs(home, report, fix)
    try:
        if readable:
            _drafts(home, report)
            _entries(home, report, known)
    except LockedError as exc:
        report.add("warning", f"entries and drafts not checked: {exc}")
        readable = False
    _edit_copies(home, report)
    _sync_state(home, report)
    return readable


def _edit_copies(home: Home, report: Report) -> None:
    """Editor copies: those a killed edit left (secured once the key was had), and open ones."""
    from reflect.journal import crypt, edit_copies

    if not _encrypted(home):
        # A plain journal's are kept as an encrypted one's are once its key is had.
        crypt.secure_edit_copies(home.root)
    for secured in crypt.secured_copies():
        if secured.stays:
            continue  # still a leftover: named below
        report.add(
            "warning",
            f"an edit left open when reflect was stopped: {secured.where()}; "
            f"{secured.removed(named=True)}",
            # where() already says how to get a day's text back.
            _kept_advice(secured.kept) if secured.kept and not secured.day else "",
            secured.kept or secured.copy,
        )
    plain = " (in plain text: the journal is encrypted)" if _encrypted(home) else ""
    tried = {secured.copy: secured for secured in crypt.secured_copies() if secured.stays}
    by_hand = "open it, copy what you want to keep into `reflect edit`, then delete it"
    encrypts = "run any command that opens the journal, which encrypts it"
    for path in edit_copies.leftovers(home):
        left = tried.get(path)
        if left is not None and left.too_large is not None:
            advice = left.where()
        elif left is not None and plain:
            # Tried by this command and refused: encrypting needs room the disk lacks.
            advice = (
                "its text could not be kept encrypted, so it stays in plain text: free some "
                f"space (is the disk full?), then {encrypts}; or {by_hand}"
            )
        else:
            advice = by_hand + (f"; or {encrypts}" if plain else "")
        report.add(
            "warning", f"text left from an editing session that did not finish{plain}", advice, path
        )
    for folder in edit_copies.in_use(home):
        report.add(
            "info",
            "an editing session is open (`reflect edit` or `:e` running, or its editor)",
            "finish it in its editor",
            folder,
        )


def _encryption(home: Home, report: Report) -> bool:
    """A conversion that stopped midway, or plain text left in an encrypted journal.

    False when encryption.toml itself cannot be read: then nothing else can be.
    """
    from reflect.journal import crypt
    from reflect.journal.convert import progress

    try:
        found = progress(home)
    except ReflectError as exc:
        report.add(
            "problem",
            f"{exc}; entries and drafts not checked",
            "restore encryption.toml from a backup (docs/privacy.md says what it holds)",
        )
        return False
    if found is None:
        _orphan_key(home, report)
        return True
    advice = found.advice()
    if advice is not None:
        what, _, todo = advice.partition("; ")
        report.add("warning", what, todo, home.root)
    if not crypt.key_path(home.root).exists():
        report.add(
            "problem",
            f"the journal is encrypted but its key ({crypt.KEY_FILE}) is missing",
            "restore key.age from a backup; without it nothing can be read",
            crypt.key_path(home.root),
        )
        return True
    state = crypt.read_state(home.root)
    try:
        blob = crypt.key_path(home.root).read_bytes()
    except OSError:
        return True
    left = crypt.rotation_left(home.root, state, blob) if state is not None else None
    if left is not None:
        what, _, todo = left.partition(": ")
        report.add(
            "warning", f"{what} ({crypt.KEY_FILE} still opens)", todo, crypt.marker_path(home.root)
        )
    return True


def _keyless_days(home: Home, report: Report) -> None:
    """Encrypted days in a journal with no key at all (a sync took another machine's decryption)."""
    from reflect.journal import crypt
    from reflect.journal.convert import private_files

    sealed = sum(p.name.endswith(crypt.SUFFIX) for p in private_files(home))
    if sealed:
        report.add(
            "problem",
            f"{sealed} encrypted file(s), and neither {crypt.MARKER} nor {crypt.KEY_FILE}: "
            "nothing here can open them",
            f"restore {crypt.MARKER} and {crypt.KEY_FILE} from a backup or from git "
            f"(`git -C {home.root} log --all -- {crypt.KEY_FILE}` finds the last commit "
            "that had them), then `reflect decrypt`",
            home.root,
        )


def _orphan_key(home: Home, report: Report) -> None:
    """key.age in a journal without encryption.toml: a first `reflect encrypt` that stopped."""
    from reflect.journal import crypt
    from reflect.journal.convert import private_files

    key = crypt.key_path(home.root)
    if not key.exists():
        _keyless_days(home, report)
        return
    sealed = sum(p.name.endswith(crypt.SUFFIX) for p in private_files(home))
    if sealed:
        report.add(
            "problem",
            f"{sealed} encrypted file(s) but no {crypt.MARKER}: an encryption stopped, or "
            f"{crypt.MARKER} was deleted",
            "run `reflect encrypt` again with the same passphrase or identity: it reuses "
            f"{crypt.KEY_FILE} and finishes",
            key,
        )
        return
    report.add(
        "warning",
        f"{crypt.KEY_FILE} is left from an encryption that stopped before it began "
        "(no file is encrypted yet)",
        "run `reflect encrypt` again with the same passphrase or identity to finish; "
        f"if you do not want the journal encrypted, delete {crypt.KEY_FILE}",
        key,
    )


def _walk(home: Home) -> list[Path]:
    found = []
    for path in sorted(home.root.rglob("*")):
        if path.is_symlink() or ".git" in path.relative_to(home.root).parts[:1]:
            continue  # git keeps its own folder; `reflect sync` runs it private
        found.append(path)
    return found


def _permissions(home: Home, report: Report, fix: bool) -> None:
    loose: list[Path] = []
    for path in [home.root, *_walk(home)]:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            continue
        if mode & 0o077:
            loose.append(path)
    for path in loose:
        want = 0o700 if path.is_dir() else 0o600
        finding = report.add(
            "warning",
            f"readable by others (mode {stat.S_IMODE(path.stat().st_mode):o})",
            f"chmod {want:o} (reflect doctor --fix does it)",
            path,
            fixable=True,
        )
        if fix:
            try:
                path.chmod(want)
                finding.fixed = True
            except OSError as exc:
                finding.advice = f"could not chmod: {exc.strerror}"


def _leftovers(home: Home, report: Report, fix: bool) -> None:
    for path in _walk(home):
        if path.name.startswith(TEMP_PREFIX) and path.is_file():
            # Writers hold the journal lock while a temporary file exists, so
            # under the lock (as --fix runs) any that remain were left by a crash.
            finding = report.add(
                "warning",
                "a temporary file left by an interrupted save (the entry itself is whole)",
                "reflect doctor --fix removes it",
                path,
                fixable=True,
            )
            if fix:
                path.unlink(missing_ok=True)
                finding.fixed = True


def _encrypted(home: Home) -> bool:
    from reflect.journal import crypt

    try:
        return crypt.read_state(home.root) is not None
    except ReflectError:
        return True


def _drafts(home: Home, report: Report) -> None:
    from reflect.journal.drafts import find_drafts, kept_texts

    drafts, unreadable = find_drafts(home)
    for path in kept_texts(home):
        report.add(
            "warning", "writing kept from a save that did not go through", _kept_advice(path), path
        )
    for draft in drafts:
        report.add(
            "problem",
            f"unsaved answers: {draft.describe()}",
            "run `reflect today` to restore them",
            draft.path,
        )
    for problem in unreadable:
        report.add(
            "warning", f"an unreadable recovery draft: {problem}", "open it and copy what you need"
        )


def _kept_advice(path: Path) -> str:
    """How to get kept text back: the day's next edit offers an edit's own text."""
    from reflect.journal.edit_copies import kept_edit_day

    day = kept_edit_day(path)
    if day is not None:
        return (
            f"`reflect edit {day}` puts it back in the editor, to save into the day "
            "(then it is deleted)"
        )
    return "open it, copy what you want into `reflect edit` or `reflect write`, then delete it"


def _config_and_packs(home: Home, report: Report, fix: bool) -> dict[str, "Pack"]:
    """Check config.toml and the packs; the packs that load, by id."""
    from reflect.journal.config import load_config, save_config
    from reflect.packs.library import scan_packs

    try:
        config = load_config(home)
    except ReflectError as exc:
        report.add(
            "problem",
            str(exc),
            "fix config.toml in an editor, or delete it for the defaults",
            home.config_path,
        )
        return {i: info.pack for i, info in scan_packs(home).packs.items()}
    catalogue = scan_packs(home)
    broken_ids = set()
    for error in catalogue.broken:
        pack_id = _claimed_id(Path(error.path))
        broken_ids.add(pack_id)
        enabled = (
            " (enabled: its questions stop until it is fixed)" if pack_id in config.packs else ""
        )
        report.add(
            "problem",
            f"a broken pack file{enabled}: " + "; ".join(_where(p) for p in error.problems),
            f"fix it (`reflect packs validate {error.path}` lists what is wrong); "
            "reflect doctor --fix leaves it enabled",
            Path(error.path),
        )
    # A pack whose file is broken is installed: --fix must not disable it.
    missing = [p for p in config.packs if p not in catalogue.packs and p not in broken_ids]
    for pack_id in missing:
        finding = report.add(
            "warning",
            f"pack {pack_id!r} is enabled but not installed",
            "reflect doctor --fix disables it; its answers stay in your entries",
            home.config_path,
            fixable=True,
        )
        if fix:
            finding.fixed = True
    if fix and missing:
        kept = [p for p in config.packs if p not in missing]
        save_config(home, config.model_copy(update={"packs": kept}))
    return {pack_id: info.pack for pack_id, info in catalogue.packs.items()}


def _where(problem: Problem) -> str:
    """A problem without its file name, which the finding already gives."""
    where = f"line {problem.line}: " if problem.line is not None else ""
    field = f"{problem.field}: " if problem.field else ""
    return f"{where}{field}{problem.message}"


def _claimed_id(path: Path) -> str:
    """The id a broken pack file claims, when its TOML still reads; else its file name's."""
    import tomllib

    try:
        found = tomllib.loads(path.read_text(encoding="utf-8")).get("id")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        found = None
    return found if isinstance(found, str) else path.stem


def _entries(home: Home, report: Report, known: dict[str, "Pack"]) -> None:
    from reflect.journal.store import BadEntry, entry_path, iter_entries
    from reflect.model.pack import misfit
    from reflect.model.text import clean_line
    from reflect.packs.library import archive_dir
    from reflect.packs.versions import pack_versions

    archived = {p.name.rsplit("-", 1)[0] for p in archive_dir(home).glob("*.toml")}
    versions = pack_versions(home)
    orphans: dict[str, int] = {}
    for item in iter_entries(home):
        if isinstance(item, BadEntry):
            # The error names the file and what to do; say only that it is left alone.
            report.add("problem", item.error, "reflect leaves it untouched")
            continue
        report.entries += 1
        _markers(item, entry_path(home, item.date), versions, report)
        for cut, heading in item.cut_answers():
            report.add(
                "info",
                f"line {cut}: {clean_line(heading)[:60]!r} over a line of dashes is a heading "
                "(as Obsidian shows it): the answer above ends there, and what follows is read "
                "as your own prose",
                "put a blank line above the dashes to make them a rule, or keep the heading",
                entry_path(home, item.date),
            )
        _given_versions(item, entry_path(home, item.date), versions, report)
        _cased_keys(item, entry_path(home, item.date), report)
        for pack_id, answers in item.front.answers.items():
            pack = known.get(pack_id)
            if pack is None:
                orphans[pack_id] = orphans.get(pack_id, 0) + 1
                continue
            for prompt_id, value in answers.items():
                # Judged by the question as the version that asked it had it.
                asked = item.answer_version(pack_id, prompt_id)
                prompt = versions.definition(pack_id, prompt_id, asked).prompt
                problem = misfit(prompt, value) if prompt is not None else None
                if problem is not None:
                    key = f"{pack_id}/{prompt_id}"
                    line = item.front_line(key, given="given line" in problem)
                    where = f"line {line}: " if line else ""
                    report.add(
                        "warning",
                        f"{where}{key}: {problem}; trends and history leave it out",
                        "fix the value in an editor (`reflect edit`)",
                        entry_path(home, item.date),
                    )
    for pack_id, days in sorted(orphans.items()):
        where = (
            "an earlier version is kept in packs/.versions/"
            if pack_id in archived
            else "its questions' words are unknown"
        )
        report.add(
            "info",
            f"{days} day(s) answer pack {pack_id!r}, which is not installed ({where})",
            "the answers stay in trends and history; reinstall the pack to see its questions",
        )
    _stray_files(home, report)


def _markers(entry: "Entry", path: Path, versions: "PackVersions", report: Report) -> None:
    """Ties a reader cannot act on: a key tied twice, a key no pack knows, a comment that ties nothing."""
    first: dict[str, int] = {}
    for found in entry.markers():
        where = f"line {found.line}"
        if not found.tie or found.key is None:
            report.add(
                "warning",
                f"{where}: {found.text[:80]!r} ties nothing (only the first line under a `## ` "
                "heading ties it, as <!-- reflect: PACK/PROMPT -->); it is read as prose",
                "move it under its own heading, or remove it",
                path,
            )
            continue
        if found.key in first:
            report.add(
                "warning",
                f"{where}: {found.key} is tied to a second section (the first is on line "
                f"{first[found.key]}); both are read, joined, as one answer",
                "merge the two sections under one heading, or remove one of the comments",
                path,
            )
            continue
        first[found.key] = found.line
        pack_id, prompt_id = found.key.split("/")[:2]
        if not versions.kept(pack_id):
            problem = f"pack {pack_id!r}, which is not installed and no version of which is kept"
            advice = "install the pack (`reflect packs add`), or fix the id in the comment"
        elif versions.newest_with(pack_id, prompt_id) is None:
            problem = f"a prompt {prompt_id!r} that no known version of pack {pack_id!r} has"
            advice = f"fix the id in the comment (`reflect packs show {pack_id}` lists them)"
        else:
            _tie_fits(entry, found.key, where, versions, report, path)
            continue
        report.add(
            "warning",
            f"{where}: the comment names {problem}; its text is kept and shown under that id",
            advice,
            path,
        )


def _cased_keys(entry: "Entry", path: Path, report: Report) -> None:
    """Properties that would be answers or `given` lines if their ids were lower case.

    Obsidian lets a person rename a property; `Demo/Mood` is not `demo/mood`,
    so its value is read by nothing (and writing `demo/mood` beside it would
    answer the question twice): say so rather than let it vanish.
    """
    from reflect.model.front import ANSWER_KEY, GIVEN_KEY

    found = [
        (key, key.lower(), entry.front_line(key), "")
        for key in entry.other_properties
        if isinstance(key, str) and ANSWER_KEY.match(key.lower())
    ]
    found += [
        (key, key.lower(), entry.front_line(key, given=True), "given: ")
        for key in entry.front.unread_given_keys
        if GIVEN_KEY.match(key.lower()) and not GIVEN_KEY.match(key)
    ]
    for key, lower, line, within in found:
        where = f"line {line}: " if line else ""
        report.add(
            "warning",
            f"{where}{within}{key!r} is not {lower}: ids are lower case, so reflect reads "
            "nothing from it (it is kept as written)",
            f"rename it {lower} in an editor (`reflect edit`)",
            path,
        )


def _given_versions(entry: "Entry", path: Path, versions: "PackVersions", report: Report) -> None:
    """`given` lines naming a version of an installed pack that no kept version is."""
    for key in entry.front.given:
        pack_id = key.split("/", 1)[0]
        version = entry.front.version_of(key)
        if version is None or not versions.kept(pack_id) or versions.at(pack_id, version):
            continue
        report.add(
            "warning",
            f"{key}: its given line names version {version} of pack {pack_id!r}, which no kept "
            "version is; the answer is read by the pack as it is now",
            "fix the version in an editor (`reflect edit`), or add that version of the pack",
            path,
        )


def _tie_fits(
    entry: "Entry", key: str, where: str, versions: "PackVersions", report: Report, path: Path
) -> None:
    """A tie to a known prompt that no version asks in prose, or a follow-up with no answer."""
    from reflect.model.pack import TextPrompt

    pack_id, prompt_id, *follow = key.split("/")
    asked = [p.prompt(prompt_id) for p in versions.kept(pack_id).values()]
    if follow:
        if not any(q is not None and q.follow_up is not None for q in asked):
            report.add(
                "warning",
                f"{where}: the comment names a follow-up of {pack_id}/{prompt_id}, which no "
                "known version asks; its text is kept and shown under that id",
                "fix the id in the comment, or remove it",
                path,
            )
        elif entry.answer(pack_id, prompt_id) is None and not entry.prose_for(
            f"{pack_id}/{prompt_id}"
        ):
            report.add(
                "info",
                f"{where}: {key} answers a follow-up, but the day has no answer to "
                f"{pack_id}/{prompt_id} (cleared?); the follow-up is still shown",
                f"give {pack_id}/{prompt_id} its answer again, or leave it",
                path,
            )
    elif not any(isinstance(q, TextPrompt) for q in asked):
        report.add(
            "warning",
            f"{where}: the comment names {key}, which no known version asks in prose (it "
            "takes a value in the front matter); its text is kept and shown under that id",
            "fix the id in the comment, or remove it",
            path,
        )


def _formats(home: Home, report: Report, fix: bool) -> None:
    """Entries still in format 1: what migrating each would do, and with `fix`, do it."""
    from reflect.doctor.migrate_journal import migrate_journal

    plan = migrate_journal(home, apply=fix)
    for planned in plan.files:
        finding = report.add(
            "info",
            f"entry format 1: migrating {planned.migration.describe()}",
            "reflect doctor --fix (or reflect migrate) upgrades it; prose is never changed",
            planned.path,
            fixable=True,
        )
        if fix and planned.error is None:
            finding.fixed = True
        elif planned.error is not None:
            report.add("problem", planned.error, "the file is left as it was", planned.path)


def _stray_files(home: Home, report: Report) -> None:
    from reflect.journal.names import KEPT_BESIDE, OTHER_COPY, SET_ASIDE
    from reflect.journal.store import entry_files, other_form

    listed = {path for _, path in entry_files(home)}
    # A day left in both forms by a stopped conversion is the encryption finding's business.
    known = listed | {other_form(path) for path in listed}
    root = home.entries_dir
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and path not in known and not path.name.startswith("."):
            if SET_ASIDE.search(path.name):
                report.add(
                    "problem",
                    "a version of this day that cannot be read, set aside by `reflect sync` "
                    "(the day itself holds the version that reads)",
                    "copy what is missing from it into `reflect edit` for that day, "
                    "then delete it and `reflect sync`",
                    path,
                )
            elif KEPT_BESIDE.search(path.name):
                report.add(
                    "problem",
                    "another version of this day, kept beside it when the journal was encrypted, "
                    "decrypted or synced because the two could not be merged",
                    "copy what is missing from it into `reflect edit` for that day, "
                    "then delete it and `reflect sync`",
                    path,
                )
            elif OTHER_COPY.search(path.name):
                report.add(
                    "problem",
                    "the other machine's version of a file both machines changed, kept beside "
                    "it by `reflect sync`, which cannot merge a file that is not a day",
                    "keep the version you want under the file's own name, "
                    "then delete this one and `reflect sync`",
                    path,
                )
            elif ".rejected-" in path.name:
                report.add(
                    "info",
                    "an edit that could not be saved, kept beside its entry",
                    "copy what you want into `reflect edit`, then delete it",
                    path,
                )
            else:
                report.add(
                    "info",
                    "a file reflect does not read (entries are entries/YYYY/YYYY-MM-DD.md)",
                    "move or rename it if it is an entry",
                    path,
                )


_MARKER = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
_CONFLICT_COPY = re.compile(r"conflicted copy|\.sync-conflict-|\.orig$|\.(?:BASE|LOCAL|REMOTE)\.")


def _stale_drivers(home: Home, report: Report) -> None:
    """A merge driver registered with a Python that is gone (a moved or deleted venv)."""
    import shlex
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None or not (home.root / ".git" / "config").is_file():
        return
    found = subprocess.run(
        [
            git,
            "config",
            "--file",
            str(home.root / ".git" / "config"),
            "--get-regexp",
            r"^merge\.reflect-.*\.driver$",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in found.stdout.splitlines():
        key, _, command = line.partition(" ")
        try:
            program = shlex.split(command)[0]
        except (ValueError, IndexError):
            program = command
        if not Path(program).exists():
            report.add(
                "warning",
                f"git's {key.split('.')[1]} merge driver runs {program}, which is gone "
                "(reflect was moved or reinstalled)",
                "run `reflect sync`: it registers the driver again before merging",
                home.root / ".git" / "config",
            )


def _merge_leftover(path: Path, encrypted: bool, report: Report) -> None:
    """A copy of one version of a day git wrote for the merge driver, left by a killed sync."""
    if encrypted:
        report.add(
            "problem",
            "a copy of a day's text git left when a sync was stopped, NOT encrypted "
            "(the journal is encrypted, this copy is plain text)",
            f"delete it now: `rm {path}` (the day itself is kept encrypted)",
            path,
        )
        return
    report.add(
        "warning",
        "a copy of a day's text git left when a sync was stopped",
        "delete it (the day itself is kept; `reflect sync` never commits it)",
        path,
    )


def _sync_state(home: Home, report: Report) -> None:
    """What git or a file-sync tool left: unfinished merges, conflict markers, conflict copies."""
    from reflect.journal import crypt

    git_dir = home.root / ".git"
    if (git_dir / "MERGE_HEAD").exists():
        report.add(
            "problem",
            "a sync stopped in the middle of a merge",
            f"`git -C {home.root} merge --abort`, then `reflect sync` again",
            home.root,
        )
    _stale_drivers(home, report)
    if (git_dir / "index.lock").exists():
        report.add(
            "warning",
            "git's lock file is left from a git command that stopped",
            "if no git command is running, delete it",
            git_dir / "index.lock",
        )
    encrypted = (home.root / crypt.MARKER).exists()
    for path in _walk(home):
        if not path.is_file():
            continue
        if path.parent == home.root and path.name.startswith(".merge_file_"):
            _merge_leftover(path, encrypted, report)
        elif _CONFLICT_COPY.search(path.name):
            report.add(
                "warning",
                "a conflict copy left by git or a file-sync tool",
                "compare it with the day's entry, copy what is missing with `reflect edit`, "
                "then delete it",
                path,
            )
        elif path.suffix == ".md" and home.entries_dir in path.parents:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if _MARKER.search(text):
                report.add(
                    "problem",
                    "holds git conflict markers (<<<<<<<, =======, >>>>>>>)",
                    "keep the right lines with `reflect edit` and remove the markers",
                    path,
                )
