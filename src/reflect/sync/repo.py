"""`reflect sync`: the journal home as a git repository, committed, merged and pushed in one step.

Only what a person owns goes into git: entries, config.toml and installed
packs. The cache, the lock, temporary files, drafts and editor copies are
machine-local and ignored. The merge drivers that understand entry files,
config.toml and packs are registered in the repository's own config and
.gitattributes at every sync, so a moved or upgraded reflect keeps working.
"""

import os
import re
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from reflect.errors import Hint, SyncError
from reflect.journal import crypt
from reflect.journal.atomic import TEMP_PREFIX
from reflect.journal.files import write_atomic
from reflect.journal.home import Home
from reflect.journal.names import ENTRY_FILE, is_set_aside
from reflect.sync.git import Git

BRANCH = "main"
SYNC_LOCK = "reflect-sync.lock"
# In .git/ while a sync's merge runs: the commit it merges. Left by a killed sync, it
# tells the next one that the unfinished merge is its own, to undo and make again.
MERGE_MARKER = "reflect-sync-merging"
UNDID_MERGE = (
    "a merge a stopped `reflect sync` left unfinished was undone (`git merge --abort`) "
    "and made again"
)
# git's own copies of a day's versions while a merge driver runs, left when git is killed.
MERGE_LEFTOVER = ".merge_file_"
PUSH_TRIES = 3
REMOTE = "origin"
FETCH = f"+refs/heads/*:refs/remotes/{REMOTE}/*"
# Within a sync, git's merge leaves reflect's files to the sync itself (see _merge).
IN_PROCESS = tuple(
    arg
    for kind in ("entry", "config", "pack")
    for arg in ("-c", f"merge.reflect-{kind}.driver=false")
)
IGNORE = f"""\
# Machine-local files reflect keeps out of sync.
.cache/
.reflect.lock
{TEMP_PREFIX}*
.reflect-edit-*
.recovery/
.drafts/
*.rejected-*
{MERGE_LEFTOVER}*
# What editors leave beside a file a person edits by hand (vim, emacs, macOS).
*.swp
*.swo
*~
.#*
\\#*\\#
.DS_Store
"""
ATTRIBUTES = """\
# How git merges a journal: by meaning, with reflect's own drivers.
entries/**/*.md merge=reflect-entry
entries/**/*.md.age merge=reflect-entry
config.toml merge=reflect-config
packs/*.toml merge=reflect-pack
.gitignore merge=union
"""
_ENTRY = re.compile(rf"^entries/\d{{4}}/{ENTRY_FILE.pattern}$", re.ASCII)


@dataclass
class SyncReport:
    """What one `reflect sync` did, for the command line to say."""

    committed: list[str] = field(default_factory=list)
    other_changes: int = 0
    pulled: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    merge_notes: list[str] = field(default_factory=list)
    removed_leftovers: list[str] = field(default_factory=list)
    pushed: bool = False
    took_key: bool = False
    offline: str | None = None
    # Every file a merge kept beside a merged one (set aside, a pack's other version).
    kept_files: list[str] = field(default_factory=list)
    # What to do about a file a merge left unmerged, by its name, when not `reflect doctor`.
    merge_advice: dict[str, str] = field(default_factory=dict)
    # Whether this sync undid a merge a killed sync left unfinished (said in merge_notes).
    undid_merge: bool = False
    created: bool = False
    joined: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "format": 3,
            "committed_days": self.committed,
            "committed_other_file_count": self.other_changes,
            "merged_days": self.pulled,
            "set_aside": self.set_aside,
            "merge_notes": [UNDID_MERGE, *self.merge_notes]
            if self.undid_merge
            else self.merge_notes,
            "removed_leftovers": self.removed_leftovers,
            "pushed": self.pushed,
            "took_remote_key": self.took_key,
            "offline": self.offline,
        }


def driver_command(kind: str) -> str:
    """The command git runs to merge a file of this kind; the running reflect, wherever it is."""
    python = shlex.quote(sys.executable)
    return f"{python} -m reflect.sync.driver {kind} %O %A %B %P"


def configure(home: Home, git: Git) -> None:
    """Ignore rules, attributes and merge drivers: written every sync, so they never go stale."""
    for name, text in ((".gitignore", IGNORE), (".gitattributes", ATTRIBUTES)):
        path = home.root / name
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        missing = [line for line in text.splitlines() if line and line not in current]
        if missing:
            joined = current + ("" if not current or current.endswith("\n") else "\n")
            write_atomic(path, joined + "\n".join(missing) + "\n")
    registered = git.settings()
    wanted = {
        f"merge.reflect-{kind}.{what}": value
        for kind in ("entry", "config", "pack")
        for what, value in (
            ("name", f"reflect: merge {kind} files by meaning"),
            ("driver", driver_command(kind)),
        )
    }
    stale = {key: value for key, value in wanted.items() if registered.get(key) != value}
    if f"remote.{REMOTE}.url" in registered and f"remote.{REMOTE}.fetch" not in registered:
        # A hand `git clone` of an empty or shallow remote can leave no fetch rule, and
        # then a fetch never shows this machine the branch the others push.
        git.add_config({f"remote.{REMOTE}.fetch": FETCH})
    if stale.keys() == wanted.keys() and not any(
        k.startswith("merge.reflect-") for k in registered
    ):
        git.add_config(stale)  # a new repository: all at once, without a git call per key
        return
    for key, value in stale.items():
        git.run("config", key, value)


def init(home: Home, remote: str) -> SyncReport:
    """Set up sync on the first machine, or join a journal already on the remote."""
    home.ensure()
    git = Git(home.root)
    report = SyncReport()
    if not git.is_repo():
        # No template: git's sample hooks have no use in a journal.
        git.run("init", "--quiet", "--template=", f"--initial-branch={BRANCH}")
        report.created = True
    with one_sync(git):
        return _init(home, git, remote, report)


def _init(home: Home, git: Git, remote: str, report: SyncReport) -> SyncReport:
    current = git.settings().get(f"remote.{REMOTE}.url")
    if current is None:
        git.add_config({f"remote.{REMOTE}.url": remote, f"remote.{REMOTE}.fetch": FETCH})
    elif not same_remote(current, remote, home.root):
        raise SyncError(
            f"this journal already syncs with {current}; "
            f"change it with `git -C {home.root} remote set-url origin {remote}`"
        )
    configure(home, git)
    crypt.unlock(home.root)  # as in sync: asked once, before any git step
    fetched = git.run("fetch", "--quiet", REMOTE, check=False)
    if not fetched.ok:
        raise SyncError(f"cannot reach {remote}: {fetched.reason()}")
    report.joined = git.remote_branch_exists(BRANCH)
    report.undid_merge = _undo_stopped_merge(git)
    _commit(home, git, report)
    if report.joined and _merge(git, report, allow_unrelated=True):
        _keep_merge_leftovers(git, report)
    if not _push(git, report):
        report.offline = "another machine pushed at the same moment"
    return report


@contextmanager
def one_sync(git: Git) -> Iterator[None]:
    """One sync at a time in a journal: a second one says so instead of failing inside git.

    The lock lives in `.git/`, apart from the journal's own lock, so a sync
    waiting on the network never keeps `reflect write` waiting.
    """
    import fcntl

    # flock, as edit copies are locked: the lock goes with the process, however it ends.
    fd = os.open(git.root / ".git" / SYNC_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncError(
                "another `reflect sync` is running in this journal; let it finish, then sync again"
            ) from None
        yield
    finally:
        os.close(fd)


def same_remote(current: str, wanted: str, cwd: Path) -> bool:
    """Whether two remote URLs name one repository: `file:///x`, `/x/` and `x` from here alike."""

    def local(url: str) -> Path | None:
        if url.startswith("file://"):
            return Path(unquote(url.removeprefix("file://")))
        if "://" in url or re.match(r"^[\w.-]+@[^:/]+:", url):
            return None  # ssh, https, scp-like: compared as written
        return cwd / url

    paths = [local(url) for url in (current, wanted)]
    if paths[0] is not None and paths[1] is not None:
        return os.path.realpath(paths[0]) == os.path.realpath(paths[1])
    return current.rstrip("/") == wanted.rstrip("/")


def sync(home: Home) -> SyncReport:
    """Commit what changed, fetch, merge, push; offline, commit and say the push will follow.

    A sync with nothing to merge runs git seven times (config, status, add,
    commit, fetch, rev-list, push) and reads only the days that changed.
    """
    git = Git(home.root)
    if not git.is_repo() or f"remote.{REMOTE}.url" not in git.settings():
        raise SyncError("sync is not set up for this journal", hint=Hint("sync-init"))
    with one_sync(git):
        return _sync(home, git)


def _sync(home: Home, git: Git) -> SyncReport:
    git.refuse_stale_lock()
    report = SyncReport(undid_merge=_undo_stopped_merge(git))
    changed, unmerged = _status(git)
    if git.merging() or unmerged:
        raise SyncError(
            "a merge is unfinished in this journal; `reflect doctor` says what is left, "
            f"or `git -C {home.root} merge --abort` undoes it"
        )
    configure(home, git)
    # Merging an encrypted journal's days needs its key: asked now, before any git step.
    crypt.unlock(home.root)
    _untrack_merge_leftovers(git, report)
    _commit(home, git, report, changed)
    # Another machine may push between this one's fetch and push: then fetch and merge again.
    for _ in range(PUSH_TRIES):
        fetched = git.run("fetch", "--quiet", REMOTE, check=False)
        if not fetched.ok:
            report.offline = fetched.reason()
            return report
        ahead, behind = _distance(git)
        if behind:
            _refuse_remote_decrypted(home, git)
            _take_remote_key(home, git, report)
            # Unrelated histories: a home cloned by hand from a remote whose HEAD names
            # no branch reflect pushes (an empty checkout), then written in and committed.
            if _merge(git, report, allow_unrelated=True, behind=ahead is not None):
                _keep_merge_leftovers(git, report)
            encrypted = _encrypt_plain_days(home, git, report)
            if ahead is not None:
                # A merge onto commits of this machine's made one more to push; without
                # any, it moved here to where the remote is: nothing to push but what
                # encrypting committed.
                ahead += int(encrypted)
        if _push(git, report, ahead):
            return report
    raise SyncError(
        f"the remote kept changing while this machine pushed ({PUSH_TRIES} tries); "
        "what changed is committed here: run `reflect sync` again"
    )


def _undo_stopped_merge(git: Git) -> bool:
    """Undo the unfinished merge a killed sync left (its marker names it); True when undone.

    A merge a person started by hand has no marker naming it and is left
    to them: the sync then stops and says so.
    """
    marker = git.root / ".git" / MERGE_MARKER
    try:
        ours = marker.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return False
    try:
        merging = (git.root / ".git" / "MERGE_HEAD").read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        merging = []
    undone = bool(ours) and merging[:1] == [ours]
    if undone:
        git.run("merge", "--abort")
        folder = git.root / ".git" / "reflect-merge"
        for leftover in folder.iterdir() if folder.is_dir() else ():
            leftover.unlink(missing_ok=True)
    marker.unlink(missing_ok=True)
    return undone


_UNMERGED = {"DD", "AU", "UD", "UA", "DU", "AA", "UU"}


def _status(git: Git) -> tuple[list[str], list[str]]:
    """The files changed since the last commit, and those a stopped merge left unmerged."""
    found = git.run("status", "--porcelain", "-z", "--untracked-files=all", "--no-renames")
    items = [item for item in found.out.split("\0") if len(item) > 3]
    # git's copies from a killed merge are ignored from now on; never counted as a change.
    changed = [item[3:] for item in items if not item[3:].startswith(MERGE_LEFTOVER)]
    return changed, [item[3:] for item in items if item[:2] in _UNMERGED]


def _distance(git: Git) -> tuple[int | None, int]:
    """Commits this machine has that the remote lacks, and the other way; one git call.

    Without a commit here yet, or on the remote, (None, 1) when the remote
    has a branch to bring in and (None, 0) when it has none.
    """
    counted = git.run(
        "rev-list", "--left-right", "--count", f"HEAD...{REMOTE}/{BRANCH}", check=False
    )
    parts = counted.out.split()
    if counted.ok and len(parts) == 2:
        return int(parts[0]), int(parts[1])
    return None, int(git.remote_branch_exists(BRANCH))


def refuse_second_key(home: Home) -> None:
    """Before `reflect encrypt` makes a key: another machine's encryption of this journal wins.

    Two keys for one journal could not be merged; the other machine's key
    is taken by `reflect sync`, which encrypts this machine's days with it.
    """
    if not (home.root / ".git").is_dir():
        return
    git = Git(home.root)
    if git.remote_url(REMOTE) is None:
        return
    git.run("fetch", "--quiet", REMOTE, check=False)  # offline: what the last fetch saw
    if git.blob(f"{REMOTE}/{BRANCH}:{crypt.MARKER}") is not None:
        raise SyncError(
            "another machine already encrypted this journal; run `reflect sync` instead: "
            "it opens that machine's key with your passphrase and encrypts this machine's days "
            "with it (a second key would split the journal)"
        )


def _commit(home: Home, git: Git, report: SyncReport, changed: list[str] | None = None) -> None:
    # One `git status` names what changed; only those days are read, never the whole journal.
    if changed is None:
        changed = _status(git)[0]
    if not changed and not report.removed_leftovers:
        return
    _refuse_unreadable(home, changed)
    if changed:
        git.run("add", "--all")
    days = _days(changed)
    report.committed = days
    report.other_changes = sum(1 for name in changed if not _ENTRY.match(name))
    message = commit_message(days, report.other_changes) if changed else ""
    if report.removed_leftovers:
        removed = "reflect: removed git's copies from a stopped merge"
        message = f"{message}\n\n{removed}" if message else removed
    git.run("commit", "--quiet", "--no-verify", "-m", message, identity=True)


def _untrack_merge_leftovers(git: Git, report: SyncReport) -> None:
    """git's copies from a killed merge that an older reflect committed: out of git, and deleted.

    They are never a person's file (git names them, and only while a merge
    driver runs), and in an encrypted journal they are a day's plain text.
    The index is searched for the name first, so a sync without any pays
    no git call for it.
    """
    index = git.root / ".git" / "index"
    try:
        if MERGE_LEFTOVER.encode() not in index.read_bytes():
            return
    except OSError:
        return
    tracked = git.run("ls-files", "-z").out.split("\0")
    found = [name for name in tracked if name.rpartition("/")[2].startswith(MERGE_LEFTOVER)]
    if not found:
        return
    for start in range(0, len(found), 100):
        git.run("rm", "--cached", "--quiet", "--", *found[start : start + 100])
    for name in found:
        (git.root / name).unlink(missing_ok=True)
    report.removed_leftovers = found


def _refuse_unreadable(home: Home, changed: list[str]) -> None:
    """A day reflect cannot read is never committed: it would stop every other machine's sync."""
    import datetime as dt

    from reflect.errors import EntryError
    from reflect.journal.store import read_entry_file

    if "config.toml" in changed and home.config_path.is_file():
        _refuse_unreadable_config(home)
    for name in changed:
        matched = _ENTRY.match(name)
        path = home.root / name
        if matched is None or not path.is_file():
            continue
        day = dt.date.fromisoformat(matched.group(1))
        try:
            read_entry_file(path, day)
        except EntryError as exc:
            # One piece of advice: the sync's, which names the day, not the reader's too.
            said = str(exc).replace("; fix it in an editor (`reflect edit`)", "")
            if name.split("/")[1] != matched.group(1)[:4]:
                # In another year's folder: `reflect edit` would open the right folder's day,
                # not this file; the move the reader names is the fix.
                raise SyncError(
                    f"{said}; nothing was synced: move it as said, then sync again"
                ) from None
            raise SyncError(
                f"{said}; nothing was synced: fix the day with `reflect edit --date {day}` "
                "(`reflect doctor` says what is wrong), then sync again"
            ) from None


def _refuse_unreadable_config(home: Home) -> None:
    """A config.toml that does not read is never committed: the other machines could not merge it."""
    from reflect.errors import ConfigError
    from reflect.journal.config import load_config

    try:
        load_config(home)
    except ConfigError as exc:
        said = str(exc).replace("; fix it or delete it", "")
        raise SyncError(
            f"{said}; nothing was synced: fix config.toml in an editor "
            "(`reflect doctor` says what is wrong), then sync again"
        ) from None


def _keep_merge_leftovers(git: Git, report: SyncReport) -> None:
    """Say which versions the merge kept beside the merged files (a pack or a day set aside).

    They were committed with the merge.
    """
    report.set_aside = sorted(name for name in report.kept_files if is_set_aside(name))
    # A day set aside is said once, by the set-aside line, not again as a driver's note.
    report.merge_notes = [
        note for note in report.merge_notes if not any(name in note for name in report.set_aside)
    ]


def commit_message(days: list[str], others: int) -> str:
    """Which days changed, in words a `git log` reader understands."""
    if not days:
        return "reflect: settings and packs"
    shown = ", ".join(days[:10]) + (f" and {len(days) - 10} more" if len(days) > 10 else "")
    extra = " (and settings or packs)" if others else ""
    return f"reflect: {shown}{extra}"


def _merge(git: Git, report: SyncReport, *, allow_unrelated: bool, behind: bool = False) -> bool:
    """Bring in the remote's commits; True when a merge ran (its drivers may have left files).

    `behind`: the caller knows this machine has a commit and the remote has new ones.
    """
    target = f"{REMOTE}/{BRANCH}"
    if not behind:
        if not git.head_exists():
            git.run("reset", "--quiet", target)
            git.run("checkout", "--quiet", "--", ".")
            report.pulled = _days(git.run("ls-files", "-z").out.split("\0"))
            return False
        if int(git.run("rev-list", "--count", f"HEAD..{target}").out.strip() or 0) == 0:
            return False  # nothing new on the remote
    # git leaves the files both machines changed to this process, which merges them by
    # meaning with the drivers' own code: no Python started per file. The drivers stay
    # registered for a merge a person runs with git itself.
    marker = git.root / ".git" / MERGE_MARKER
    commit = git.run("rev-parse", "--verify", "--quiet", f"{target}^{{commit}}").out.strip()
    write_atomic(marker, f"{commit}\n", make_folder=False)
    try:
        return _merge_now(git, report, target, allow_unrelated=allow_unrelated)
    finally:
        marker.unlink(missing_ok=True)


def _merge_now(git: Git, report: SyncReport, target: str, *, allow_unrelated: bool) -> bool:
    """git's merge of `target`, then reflect's of what git left; its marker is in .git/."""
    args = [*IN_PROCESS, "merge", "--quiet", "--no-edit", "--no-verify"]
    if allow_unrelated:
        args.append("--allow-unrelated-histories")
    from reflect.journal.files import journal_lock

    # The journal's lock while git and the merge write days: a `reflect write` in another
    # terminal waits, then adds to the merged day, instead of writing over it what it read
    # before (which the next sync would commit, undoing the other machine's words).
    with journal_lock(Home(git.root).lock_path):
        merged = git.run(*args, target, check=False, identity=True)
        left: list[str] = []
        try:
            if not merged.ok:
                stages = _unmerged_stages(git)
                for resolve in (
                    _merge_by_meaning,
                    _merge_across_forms,
                    _keep_changed_over_deleted,
                    _keep_both_copies,
                ):
                    resolved = resolve(git, report, stages)
                    stages = {n: present for n, present in stages.items() if n not in resolved}
                left = sorted(stages)
                if not left and git.merging():
                    merged = git.run("commit", "--quiet", "--no-edit", "--no-verify", identity=True)
        except BaseException:
            # A full disk, Ctrl-C: the merge is undone, not left half made for the next sync.
            if git.merging():
                git.run("merge", "--abort", check=False)
            raise
    if merged.ok:
        # git merge leaves where this machine was in ORIG_HEAD.
        changed = git.run("diff", "--name-only", "-z", "ORIG_HEAD", "HEAD").out.split("\0")
        report.pulled = _days(changed)
        return True
    if left:
        git.run("merge", "--abort", check=False)
        said = next((n for n in report.merge_notes if n.startswith(f"{left[0]}: ")), "")
        why = f" ({said.partition(': ')[2]})" if said else ""
        advice = report.merge_advice.get(
            left[0], "fix what `reflect doctor` reports and sync again"
        )
        raise SyncError(
            f"could not merge {', '.join(left[:5])} with the other machine's version{why}; "
            f"nothing was changed: {advice}"
        )
    raise SyncError(f"git merge failed: {merged.reason()}")


def _driver_kind(name: str) -> str | None:
    """Which of reflect's merge drivers .gitattributes gives a file (ATTRIBUTES), if any."""
    if name.startswith("entries/") and name.endswith((".md", ".md.age")):
        return "entry"
    if name == "config.toml":
        return "config"
    if re.fullmatch(r"packs/[^/]+\.toml", name):
        return "pack"
    return None


def _merge_by_meaning(git: Git, report: SyncReport, stages: dict[str, set[int]]) -> set[str]:
    """Merge here what git left unmerged for reflect's drivers, as a driver git ran would.

    The three versions are read in one git call; the base and the other
    machine's are kept in `.git/` (private, as git stores them: encrypted in
    an encrypted journal) while the merge reads them.
    """
    from reflect.journal.files import ensure_private_dir
    from reflect.sync.driver import DriverResult, merge_file

    todo = [
        (name, kind)
        for name, present in stages.items()
        if {2, 3} <= present and (kind := _driver_kind(name)) is not None
    ]
    if not todo:
        return set()
    specs = [f":{stage}:{name}" for name, _ in todo for stage in (1, 2, 3)]
    blobs = git.blobs(specs)
    folder = git.root / ".git" / "reflect-merge"
    ensure_private_dir(folder)
    key = _journal_key(git) if any(name.endswith(crypt.SUFFIX) for name, _ in todo) else None
    merged: list[str] = []
    try:
        for index, (name, kind) in enumerate(todo):
            base_bytes, ours_bytes, theirs_bytes = blobs[3 * index : 3 * index + 3]
            if ours_bytes is None or theirs_bytes is None:
                continue
            base, theirs = folder / "base", folder / "theirs"
            write_atomic(base, base_bytes or b"", make_folder=False)
            write_atomic(theirs, theirs_bytes, make_folder=False)
            ours = git.root / name
            write_atomic(ours, ours_bytes, make_folder=False)
            try:
                result = merge_file(kind, base, ours, theirs, name, root=git.root, key=key)
            except Exception as exc:
                # A driver git ran would have failed alone: the file is left unmerged, as it
                # would leave it, and the merge stops with nothing changed.
                result = DriverResult(False, f"{name}: left for you to merge: {exc!r}")
            if result.message:
                # config.toml says one line per setting both machines changed.
                report.merge_notes += result.message.split("\n")
            if result.advice:
                report.merge_advice[name] = result.advice
            if result.clean:
                merged.append(name)
                report.kept_files += result.kept
    finally:
        for leftover in folder.iterdir():
            leftover.unlink(missing_ok=True)
    # What the merge kept beside a file goes into the merge's commit with it.
    staged = [*merged, *report.kept_files]
    for start in range(0, len(staged), 100):
        git.run("add", "--", *staged[start : start + 100])
    return set(merged)


def _journal_key(git: Git) -> "crypt.JournalKey | None":
    """The key this sync holds for the journal (its own, or the one taken from the remote)."""
    from reflect.errors import ReflectError

    try:
        return crypt.key_for(git.root / crypt.KEY_FILE)
    except ReflectError:
        return None  # the merge of an encrypted day then says there is no key


def _unmerged_stages(git: Git) -> dict[str, set[int]]:
    """Each unmerged file and the stages git holds of it (1 base, 2 this machine, 3 the other)."""
    stages: dict[str, set[int]] = {}
    for line in git.run("ls-files", "-u", "-z").out.split("\0"):
        if "\t" in line:
            info, name = line.split("\t", 1)
            stages.setdefault(name, set()).add(int(info.split()[2]))
    return stages


def _keep_changed_over_deleted(
    git: Git, report: SyncReport, stages: dict[str, set[int]]
) -> set[str]:
    """A file deleted on one machine and changed on the other keeps the change, as a section does.

    git leaves such a file unmerged without calling a merge driver; the side
    that still has it (stage 2, this machine; stage 3, the other) is kept.
    """
    kept: set[str] = set()
    for name, present in stages.items():
        if present in ({1, 2}, {2}):
            git.run("checkout", "--ours", "--", name)
        elif present in ({1, 3}, {3}):
            git.run("checkout", "--theirs", "--", name)
        else:
            continue
        git.run("add", "--", name)
        kept.add(name)
    return kept


def _keep_both_copies(git: Git, report: SyncReport, stages: dict[str, set[int]]) -> set[str]:
    """A file no driver merges (a picture, a file of your own), changed on both machines.

    git cannot merge it by line without leaving markers in it, and it is
    no day to merge by meaning: this machine's version stays in place and
    the other machine's is kept beside it, `NAME.other-HASH.EXT`, so
    nothing is lost and `reflect doctor` names it until you choose.
    """
    import hashlib

    from reflect.journal.names import other_copy_name

    kept: set[str] = set()
    for name, present in stages.items():
        if not {2, 3} <= present or _driver_kind(name) is not None:
            continue
        theirs = git.blob(f":3:{name}")
        if theirs is None:
            continue
        aside = other_copy_name(Path(name), hashlib.sha256(theirs).hexdigest()[:8]).as_posix()
        git.run("checkout", "--ours", "--", name)
        write_atomic(git.root / aside, theirs, make_folder=False)
        git.run("add", "--", name, aside)
        report.kept_files.append(aside)
        report.merge_notes.append(
            f"{name}: changed on both machines and not a day to merge; this machine's "
            f"version is kept in place, the other machine's as {aside}"
        )
        kept.add(name)
    return kept


def _merge_across_forms(git: Git, report: SyncReport, stages: dict[str, set[int]]) -> set[str]:
    """A day changed in plain text on one machine while the other encrypted the journal.

    git sees `DAY.md` changed on one side and deleted on the other, and
    `DAY.md.age` added: the two versions are merged by meaning with their
    plain ancestor and written encrypted, and the plain file goes. A version
    that cannot be merged leaves the file unmerged, and the merge stops.
    """
    from reflect.errors import EntryError, ReflectError
    from reflect.sync.merge import merge_entry

    done: set[str] = set()
    for name, present in stages.items():
        sealed = git.root / (name + crypt.SUFFIX)
        if not (_ENTRY.match(name) and present in ({1, 2}, {1, 3}) and sealed.is_file()):
            continue
        plain_stage = 2 if 2 in present else 3
        try:
            base, plain = (git.blob(f":{n}:{name}") or b"" for n in (1, plain_stage))
            other = crypt.open_bytes(sealed, sealed.read_bytes())
            texts = [raw.decode("utf-8") for raw in (base, plain, other)]
            ours, theirs = (texts[1], texts[2]) if plain_stage == 2 else (texts[2], texts[1])
            merged = merge_entry(texts[0] or None, ours, theirs, name)
        except (EntryError, ReflectError, UnicodeDecodeError, OSError):
            continue
        write_atomic(sealed, merged.text)
        git.run("rm", "--cached", "--quiet", "--", name)
        (git.root / name).unlink(missing_ok=True)
        git.run("add", "--", sealed.relative_to(git.root).as_posix())
        done.add(name)
    return done


def _refuse_remote_decrypted(home: Home, git: Git) -> None:
    """Another machine decrypted the journal this one still keeps encrypted: stop before merging.

    Merged as files, the other machine's deletion of key.age would win and
    leave this machine's encrypted days with no key; decrypting here first
    lets the sync merge plain days with plain days.
    """
    if not crypt.marker_path(home.root).exists():
        return
    if git.blob(f"{REMOTE}/{BRANCH}:{crypt.MARKER}") is not None:
        return
    found = git.run("merge-base", "HEAD", f"{REMOTE}/{BRANCH}", check=False)
    if not found.ok or git.blob(f"{found.out.strip()}:{crypt.MARKER}") is None:
        return  # encrypted here since the last sync: this machine's key goes to the others
    raise SyncError(
        "another machine decrypted this journal (`reflect decrypt`), and it is still "
        "encrypted here; nothing was merged and what changed here is committed: run "
        "`reflect decrypt` here, then `reflect sync` (and `reflect encrypt` after it to "
        "encrypt the journal again on every machine)"
    )


def _take_remote_key(home: Home, git: Git, report: SyncReport) -> None:
    """Another machine encrypted the journal: open its key here, or stop before merging.

    The key comes from the remote's key.age, opened the way this home's own
    would be (REFLECT_PASSPHRASE, passphrase_command, the terminal); a
    second, different key for the same journal is refused.
    """
    import tomllib

    theirs = git.blob(f"{REMOTE}/{BRANCH}:{crypt.MARKER}")
    if theirs is None:
        return
    mine = crypt.read_state(home.root)
    if mine is not None:
        try:
            recipient = tomllib.loads(theirs.decode("utf-8")).get("recipient")
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            recipient = None
        if recipient is not None and recipient != mine.recipient:
            raise SyncError(
                "this journal was encrypted here and on another machine with two different "
                "keys; nothing was merged: run `reflect decrypt` here, then `reflect sync` "
                "takes the other machine's key"
            )
        return
    blob = git.blob(f"{REMOTE}/{BRANCH}:{crypt.KEY_FILE}")
    try:
        if blob is None:
            raise crypt.LockedError(f"the remote has {crypt.MARKER} but no {crypt.KEY_FILE}")
        crypt.unlock_other(home.root, theirs.decode("utf-8", errors="replace"), blob)
    except crypt.LockedError as exc:
        # The key tried is the remote's: this home has no key.age of its own to name.
        why = str(exc).replace(str(crypt.key_path(home.root)), f"the remote's {crypt.KEY_FILE}")
        raise SyncError(
            f"another machine encrypted this journal, and its key does not open here ({why}); "
            "nothing was merged and what changed here is committed: "
            "sync again with the passphrase that machine set"
        ) from None
    report.took_key = True


def _encrypt_plain_days(home: Home, git: Git, report: SyncReport) -> bool:
    """Days written here in plain text before the journal's encryption arrived: encrypted now.

    True when that made a commit.
    """
    if crypt.read_state(home.root) is None:
        return False
    plain = git.run("ls-files", "-z", "--", "entries/*.md").out
    if not report.took_key and not any(_ENTRY.match(name) for name in plain.split("\0")):
        return False
    from reflect.journal.convert import encrypt_home

    for name in plain.split("\0"):
        if _ENTRY.match(name):
            _merge_both_forms(home.root / name)
    encrypt_home(home, None)
    git.run("add", "--all")
    staged = git.run("diff", "--cached", "--name-status", "-z", "--no-renames").out.split("\0")
    if not any(staged):
        return False
    # A day whose two forms could not be merged keeps the other beside it: said like a merge's.
    added = [name for status, name in zip(staged[::2], staged[1::2], strict=False) if status == "A"]
    report.set_aside = sorted({*report.set_aside, *(n for n in added if is_set_aside(n))})
    git.run(
        "commit",
        "--quiet",
        "--no-verify",
        "-m",
        "reflect: encrypted the days written here in plain text",
        identity=True,
    )
    return True


def _merge_both_forms(plain: Path) -> None:
    """A day new on both machines, written plain here and encrypted there: merged by meaning.

    Without this, encrypting would find both forms of the day and keep the
    plain one aside as `DATE.other-TIME.md`, unmerged. A version that does
    not read is left so: encrypting then keeps it aside, and doctor names it.
    """
    from reflect.errors import EntryError, ReflectError
    from reflect.sync.merge import merge_entry

    sealed = plain.with_name(plain.name + crypt.SUFFIX)
    if not (plain.is_file() and sealed.is_file()):
        return
    try:
        other = crypt.open_bytes(sealed, sealed.read_bytes()).decode("utf-8")
        merged = merge_entry(None, plain.read_text(encoding="utf-8"), other, plain.name)
    except (EntryError, ReflectError, UnicodeDecodeError, OSError):
        return
    write_atomic(sealed, merged.text)
    plain.unlink()


def _days(names: list[str]) -> list[str]:
    return sorted({m.group(1) for name in names if (m := _ENTRY.match(name))})


def _push(git: Git, report: SyncReport, ahead: int | None = None) -> bool:
    """Push; False when the remote moved on since the fetch (fetch and merge again).

    Unreachable, it is the offline case: the push waits for the next sync. A
    remote that refuses the push (a hook, permissions, a protected branch)
    is an error: the commits stay here and the next sync tries again.
    """
    if ahead == 0:
        return True
    if ahead is None:
        counted = git.run("rev-list", "--count", f"{REMOTE}/{BRANCH}..HEAD", check=False)
        if counted.ok and counted.out.strip() == "0":
            return True
        if not counted.ok and not git.head_exists():
            return True  # nothing committed here yet
    pushed = git.run("push", "--porcelain", "--set-upstream", REMOTE, f"HEAD:{BRANCH}", check=False)
    if pushed.ok:
        report.pushed = True
        return True
    refused = [line.split("\t") for line in pushed.out.splitlines() if line.startswith("!")]
    if not refused and "failed to push some refs" in pushed.err and "fatal:" not in pushed.err:
        # No ref refused and nothing unreachable: git's own pre-push hook here said no.
        # Not the offline case, which would promise a push that never comes.
        said = [line.strip() for line in pushed.err.splitlines() if line.strip()]
        detail = "; ".join(line for line in said if "failed to push some refs" not in line)
        hook = git.run("rev-parse", "--git-path", "hooks/pre-push", check=False).out.strip()
        where = git.root / hook if hook else git.root / ".git" / "hooks" / "pre-push"
        raise SyncError(
            "this journal's git pre-push hook refused the push"
            f"{f' ({detail})' if detail else ''}; what changed is committed here: "
            f"fix or remove {where}, then `reflect sync`"
        )
    if not refused:
        report.offline = pushed.reason()
        return True
    why = refused[0][-1]
    if "fetch first" in why or "non-fast-forward" in why:
        return False
    said = [line.strip() for line in pushed.err.splitlines() if line.startswith("remote:")]
    detail = "; ".join(line.removeprefix("remote:").strip() for line in said if line != "remote:")
    raise SyncError(
        f"the remote refused the push: {why}{f' ({detail})' if detail else ''}; "
        "what changed is committed here, and the next `reflect sync` pushes it again"
    )
