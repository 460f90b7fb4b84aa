"""`reflect sync`: the journal home as a git repository, committed, merged and pushed in one step.

Only what a person owns goes into git: entries, config.toml and installed
packs. The cache, the lock, temporary files, drafts and editor copies are
machine-local and ignored. The merge drivers that understand entry files,
config.toml and packs are registered in the repository's own config and
.gitattributes at every sync, so a moved or upgraded reflect keeps working.
"""

import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reflect.errors import Hint, SyncError
from reflect.journal import crypt
from reflect.journal.files import TEMP_PREFIX, write_atomic
from reflect.journal.home import Home
from reflect.journal.store import SET_ASIDE
from reflect.sync.git import Git

BRANCH = "main"
PUSH_TRIES = 3
REMOTE = "origin"
IGNORE = f"""\
# Machine-local files reflect keeps out of sync.
.cache/
.reflect.lock
{TEMP_PREFIX}*
.reflect-edit-*
.recovery/
.drafts/
*.rejected-*
"""
ATTRIBUTES = """\
# How git merges a journal: by meaning, with reflect's own drivers.
entries/**/*.md merge=reflect-entry
entries/**/*.md.age merge=reflect-entry
config.toml merge=reflect-config
packs/*.toml merge=reflect-pack
.gitignore merge=union
"""
_ENTRY = re.compile(r"^entries/\d{4}/(\d{4}-\d{2}-\d{2})\.md(?:\.age)?$")


@dataclass
class SyncReport:
    """What one `reflect sync` did, for the command line to say."""

    committed: list[str] = field(default_factory=list)
    other_changes: int = 0
    pulled: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    pushed: bool = False
    offline: str | None = None
    created: bool = False
    joined: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "format": 2,
            "committed_days": self.committed,
            "committed_other_file_count": self.other_changes,
            "merged_days": self.pulled,
            "set_aside": self.set_aside,
            "pushed": self.pushed,
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
    found = git.run("config", "--get-regexp", r"^merge\.reflect-", check=False).out
    registered = dict(line.split(" ", 1) for line in found.splitlines() if " " in line)
    for kind in ("entry", "config", "pack"):
        wanted = {
            f"merge.reflect-{kind}.name": f"reflect: merge {kind} files by meaning",
            f"merge.reflect-{kind}.driver": driver_command(kind),
        }
        for key, value in wanted.items():
            if registered.get(key) != value:
                git.run("config", key, value)


def init(home: Home, remote: str) -> SyncReport:
    """Set up sync on the first machine, or join a journal already on the remote."""
    home.ensure()
    git = Git(home.root)
    report = SyncReport()
    if not git.is_repo():
        git.run("init", "--quiet", f"--initial-branch={BRANCH}")
        report.created = True
    current = git.remote_url(REMOTE)
    if current is None:
        git.run("remote", "add", REMOTE, remote)
    elif current != remote:
        raise SyncError(
            f"this journal already syncs with {current}; "
            f"change it with `git -C {home.root} remote set-url origin {remote}`"
        )
    configure(home, git)
    fetched = git.run("fetch", "--quiet", REMOTE, check=False)
    if not fetched.ok:
        raise SyncError(f"cannot reach {remote}: {fetched.reason()}")
    report.joined = git.remote_branch_exists(BRANCH)
    _commit(home, git, report)
    if report.joined and _merge(git, report, allow_unrelated=True):
        _keep_merge_leftovers(git, report)
    if not _push(git, report):
        report.offline = "another machine pushed at the same moment"
    return report


def sync(home: Home) -> SyncReport:
    """Commit what changed, fetch, merge, push; offline, commit and say the push will follow."""
    git = Git(home.root)
    if not git.is_repo() or git.remote_url(REMOTE) is None:
        raise SyncError("sync is not set up for this journal", hint=Hint("sync-init"))
    if git.merging() or git.unmerged():
        raise SyncError(
            "a merge is unfinished in this journal; `reflect doctor` says what is left, "
            f"or `git -C {home.root} merge --abort` undoes it"
        )
    configure(home, git)
    # Merging an encrypted journal's days needs its key: asked now, before any git step.
    crypt.unlock(home.root)
    report = SyncReport()
    _commit(home, git, report)
    # Another machine may push between this one's fetch and push: then fetch and merge again.
    for _ in range(PUSH_TRIES):
        fetched = git.run("fetch", "--quiet", REMOTE, check=False)
        if not fetched.ok:
            report.offline = fetched.reason()
            return report
        if git.remote_branch_exists(BRANCH) and _merge(git, report, allow_unrelated=False):
            _keep_merge_leftovers(git, report)
        if _push(git, report):
            return report
    raise SyncError(
        f"the remote kept changing while this machine pushed ({PUSH_TRIES} tries); "
        "what changed is committed here: run `reflect sync` again"
    )


def _commit(home: Home, git: Git, report: SyncReport) -> None:
    # One `git status` names what changed; only those days are read, never the whole journal.
    found = git.run("status", "--porcelain", "-z", "--untracked-files=all", "--no-renames")
    changed = [item[3:] for item in found.out.split("\0") if len(item) > 3]
    if not changed:
        return
    _refuse_unreadable(home, changed)
    git.run("add", "--all")
    days = _days(changed)
    report.committed = days
    report.other_changes = sum(1 for name in changed if not _ENTRY.match(name))
    git.run(
        "commit",
        "--quiet",
        "--no-verify",
        "-m",
        commit_message(days, report.other_changes),
        identity=True,
    )


def _refuse_unreadable(home: Home, changed: list[str]) -> None:
    """A day reflect cannot read is never committed: it would stop every other machine's sync."""
    import datetime as dt

    from reflect.errors import EntryError
    from reflect.journal.store import read_entry_file

    for name in changed:
        matched = _ENTRY.match(name)
        path = home.root / name
        if matched is None or not path.is_file():
            continue
        day = dt.date.fromisoformat(matched.group(1))
        try:
            read_entry_file(path, day)
        except EntryError as exc:
            raise SyncError(
                f"{exc}; nothing was synced: fix the day with `reflect edit --date {day}` "
                "(`reflect doctor` says what is wrong), then sync again"
            ) from None


def _keep_merge_leftovers(git: Git, report: SyncReport) -> None:
    """Commit what the merge drivers kept beside the merged files (a pack or a day set aside)."""
    found = git.run("status", "--porcelain", "-z", "--untracked-files=all", "--no-renames")
    left = [item[3:] for item in found.out.split("\0") if len(item) > 3]
    if not left:
        return
    report.set_aside = sorted(name for name in left if SET_ASIDE.search(name))
    git.run("add", "--all")
    git.run(
        "commit",
        "--quiet",
        "--no-verify",
        "-m",
        "reflect: kept the versions a merge set aside",
        identity=True,
    )


def commit_message(days: list[str], others: int) -> str:
    """Which days changed, in words a `git log` reader understands."""
    if not days:
        return "reflect: settings and packs"
    shown = ", ".join(days[:10]) + (f" and {len(days) - 10} more" if len(days) > 10 else "")
    extra = " (and settings or packs)" if others else ""
    return f"reflect: {shown}{extra}"


def _merge(git: Git, report: SyncReport, *, allow_unrelated: bool) -> bool:
    """Bring in the remote's commits; True when a merge ran (its drivers may have left files)."""
    target = f"{REMOTE}/{BRANCH}"
    if not git.head_exists():
        git.run("reset", "--quiet", target)
        git.run("checkout", "--quiet", "--", ".")
        report.pulled = _days(git.run("ls-files", "-z").out.split("\0"))
        return False
    if int(git.run("rev-list", "--count", f"HEAD..{target}").out.strip() or 0) == 0:
        return False  # nothing new on the remote
    before = git.run("rev-parse", "HEAD").out.strip()
    args = ["merge", "--quiet", "--no-edit", "--no-verify"]
    if allow_unrelated:
        args.append("--allow-unrelated-histories")
    merged = git.run(*args, target, check=False, identity=True)
    if not merged.ok and git.unmerged() and _keep_changed_over_deleted(git) and not git.unmerged():
        merged = git.run("commit", "--quiet", "--no-edit", "--no-verify", identity=True)
    if merged.ok:
        changed = git.run("diff", "--name-only", "-z", before, "HEAD").out.split("\0")
        report.pulled = _days(changed)
        return True
    left = git.unmerged()
    if left:
        git.run("merge", "--abort", check=False)
        raise SyncError(
            f"could not merge {', '.join(left[:5])} with the other machine's version; "
            "nothing was changed: fix what `reflect doctor` reports and sync again"
        )
    raise SyncError(f"git merge failed: {merged.reason()}")


def _keep_changed_over_deleted(git: Git) -> bool:
    """A file deleted on one machine and changed on the other keeps the change, as a section does.

    git leaves such a file unmerged without calling a merge driver; the side
    that still has it (stage 2, this machine; stage 3, the other) is kept.
    """
    stages: dict[str, set[int]] = {}
    for line in git.run("ls-files", "-u", "-z").out.split("\0"):
        if "\t" in line:
            info, name = line.split("\t", 1)
            stages.setdefault(name, set()).add(int(info.split()[2]))
    for name, present in stages.items():
        if present in ({1, 2}, {2}):
            git.run("checkout", "--ours", "--", name)
        elif present in ({1, 3}, {3}):
            git.run("checkout", "--theirs", "--", name)
        else:
            continue
        git.run("add", "--", name)
    return True


def _days(names: list[str]) -> list[str]:
    return sorted({m.group(1) for name in names if (m := _ENTRY.match(name))})


def _push(git: Git, report: SyncReport) -> bool:
    """Push; False when the remote moved on since the fetch (fetch and merge again).

    Unreachable, it is the offline case: the push waits for the next sync. A
    remote that refuses the push (a hook, permissions, a protected branch)
    is an error: the commits stay here and the next sync tries again.
    """
    if not git.head_exists():
        return True
    ahead = git.run("rev-list", "--count", f"{REMOTE}/{BRANCH}..HEAD", check=False)
    if ahead.ok and ahead.out.strip() == "0":
        return True
    pushed = git.run("push", "--porcelain", "--set-upstream", REMOTE, f"HEAD:{BRANCH}", check=False)
    if pushed.ok:
        report.pushed = True
        return True
    refused = [line.split("\t") for line in pushed.out.splitlines() if line.startswith("!")]
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


def entry_file(path: Path) -> bool:
    return _ENTRY.match(path.as_posix()) is not None
