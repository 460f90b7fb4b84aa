"""Running git's own command line inside a journal home.

Every call goes through `run`, so a missing git, a failing command and its
message are handled in one place and never reach a person as a traceback.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from reflect.errors import SyncError
from reflect.journal import crypt

# Author used only when the person has no git identity of their own: a sync
# must not stop because `user.name` was never set on a new laptop.
FALLBACK_IDENTITY = ("-c", "user.name=reflect", "-c", "user.email=reflect@localhost")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.code == 0

    def reason(self) -> str:
        """git's own explanation, one line."""
        lines = [line.strip() for line in (self.err or self.out).splitlines() if line.strip()]
        lines = [line.removeprefix("fatal: ").removeprefix("error: ") for line in lines]
        return lines[0] if lines else f"git exited with {self.code}"


class Git:
    """git, run in one repository (the journal home)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        found = shutil.which("git")
        if found is None:
            raise SyncError(
                "git is not installed; install it (for example `apt install git`) to sync"
            )
        self.exe = found
        self._settings: dict[str, str] | None = None

    def run(self, *args: str, check: bool = True, identity: bool = False) -> Result:
        command = [self.exe]
        if identity and not self.has_identity():
            command += FALLBACK_IDENTITY
        command += list(args)
        if args[0] in ("config", "remote"):
            self._settings = None  # what git is told to change is read again
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        # The merge driver opens an encrypted journal's files with the key this command holds.
        env.update(crypt.child_env(self.root))
        # A journal must never be synced into some other repository by accident.
        env["GIT_CEILING_DIRECTORIES"] = str(self.root.parent)
        done = subprocess.run(
            command,
            cwd=self.root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            umask=0o077,  # what git checks out or merges stays private to the person
        )
        result = Result(done.returncode, done.stdout, done.stderr)
        if "index.lock" in result.err and not result.ok:
            self.refuse_stale_lock()
        if check and not result.ok:
            raise SyncError(f"git {args[0]} failed: {result.reason()}")
        return result

    def refuse_stale_lock(self) -> None:
        """git's index lock, left by a git that was stopped (or held by one running now)."""
        lock = self.root / ".git" / "index.lock"
        if lock.exists():
            raise SyncError(
                f"git's lock file {lock} is there: another git command is running in this "
                "journal, or one was stopped; if none is running, delete it (`reflect doctor` "
                "names it) and sync again"
            )

    def settings(self) -> dict[str, str]:
        """The git config reflect reads (the remote, its merge drivers, the person's name).

        Read with one git call and kept; a `config` call that sets a value forgets it.
        """
        if self._settings is None:
            found = self.run(
                "config",
                "--get-regexp",
                r"^(remote\..*\.(url|fetch)|merge\.reflect-.*|user\.name)$",
                check=False,
            ).out
            pairs = (line.partition(" ") for line in found.splitlines())
            self._settings = {key: value for key, _, value in pairs}
        return self._settings

    def add_config(self, values: dict[str, str]) -> None:
        """Add `section.subsection.key` values to the repository's config file in one write.

        For keys not yet set: git reads the file as it reads what `git config` writes.
        """
        sections: dict[tuple[str, str], list[str]] = {}
        for name, value in values.items():
            section, rest = name.split(".", 1)
            sub, key = rest.rsplit(".", 1)
            quoted = value.replace("\\", "\\\\").replace('"', '\\"')
            sections.setdefault((section, sub), []).append(f'\t{key} = "{quoted}"\n')
        text = "".join(
            f'[{section} "{sub}"]\n' + "".join(lines) for (section, sub), lines in sections.items()
        )
        path = self.root / ".git" / "config"
        with path.open("a", encoding="utf-8") as config:
            config.write(text)
        if self._settings is not None:
            self._settings.update(values)

    def has_identity(self) -> bool:
        return bool(self.settings().get("user.name", "").strip())

    def blob(self, spec: str) -> bytes | None:
        """A file's bytes as git stores them (`REV:PATH`, `:STAGE:PATH`); None when absent."""
        done = subprocess.run(
            [self.exe, "cat-file", "blob", spec],
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
        return done.stdout if done.returncode == 0 else None

    def blobs(self, specs: list[str]) -> list[bytes | None]:
        """Several files' bytes in one git call (`git cat-file --batch`); None for each absent."""
        done = subprocess.run(
            [self.exe, "cat-file", "--batch"],
            cwd=self.root,
            input="".join(f"{spec}\n" for spec in specs).encode("utf-8"),
            capture_output=True,
            check=False,
        )
        out, at = done.stdout, 0
        found: list[bytes | None] = []
        for _ in specs:
            end = out.find(b"\n", at)
            if end < 0:
                found.append(None)
                continue
            header = out[at:end].split()
            at = end + 1
            if len(header) != 3 or header[1] != b"blob":
                found.append(None)  # "SPEC missing", or not a file
                continue
            size = int(header[2])
            found.append(out[at : at + size])
            at += size + 1
        return found

    def is_repo(self) -> bool:
        return (self.root / ".git").is_dir()

    def head_exists(self) -> bool:
        return self.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).ok

    def branch(self) -> str:
        found = self.run("symbolic-ref", "--short", "HEAD", check=False)
        return found.out.strip() if found.ok else "main"

    def remote_url(self, name: str = "origin") -> str | None:
        found = self.run("remote", "get-url", name, check=False)
        return found.out.strip() if found.ok else None

    def remote_branch_exists(self, branch: str, remote: str = "origin") -> bool:
        ref = f"refs/remotes/{remote}/{branch}"
        return self.run("rev-parse", "--verify", "--quiet", ref, check=False).ok

    def unmerged(self) -> list[str]:
        found = self.run("diff", "--name-only", "--diff-filter=U", check=False)
        return [line for line in found.out.splitlines() if line]

    def merging(self) -> bool:
        return (self.root / ".git" / "MERGE_HEAD").exists()
