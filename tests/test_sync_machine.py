"""Two machines and a bare remote, driven by Hypothesis through random interleavings.

After every case both machines sync until they agree; then both homes are
identical and every answer, note, paragraph and pack version written on
either side is still there, or recorded as the answer that lost.
"""

import atexit
import datetime as dt
import functools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from reflect.daily import session
from reflect.daily.session import add_note, prose_edit, resolve_answers, save_answers
from reflect.journal.home import Home
from reflect.journal.save import save
from reflect.journal.store import entry_path, read_entry
from reflect.packs.library import find_pack
from reflect.sync.merge import OTHER_ANSWERS
from reflect.sync.repo import init, sync

pytestmark = pytest.mark.slow
DAYS = [dt.date(2026, 11, 28), dt.date(2026, 11, 29), dt.date(2026, 11, 30)]
MACHINES = ("laptop", "desktop")
PACK = """id = "custom"
name = "Custom"
version = "1.0.{n}"
description = "{marker}"

[[prompts]]
id = "q"
text = "A question?"
type = "text"
"""


# git's automatic housekeeping (gc, maintenance) after commits and fetches only costs
# processes here: a case's repositories live for a second.
# What a fetch or push brings stays one pack file instead of a loose file per object
# (each in a folder of its own): fewer files to write and to delete after every case.
QUIET_GIT = {
    "GIT_CONFIG_COUNT": "4",
    "GIT_CONFIG_KEY_0": "gc.auto",
    "GIT_CONFIG_VALUE_0": "0",
    "GIT_CONFIG_KEY_1": "maintenance.auto",
    "GIT_CONFIG_VALUE_1": "false",
    "GIT_CONFIG_KEY_2": "fetch.unpackLimit",
    "GIT_CONFIG_VALUE_2": "1",
    "GIT_CONFIG_KEY_3": "receive.unpackLimit",
    "GIT_CONFIG_VALUE_3": "1",
}
# A case's three repositories live for a second: in memory where the system offers a
# place (a disk's folder creations and deletions were a third of a case's time).
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


@pytest.fixture(autouse=True)
def quiet_git(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in QUIET_GIT.items():
        monkeypatch.setenv(name, value)


@functools.cache
def empty_remote() -> Path:
    """One empty bare repository, copied for each case instead of a `git init` per case."""
    path = Path(tempfile.mkdtemp(prefix="reflect-sync-remote-", dir=SCRATCH)) / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "--template=", str(path)], check=True)
    # Nor does the remote tidy up after every push.
    (path / "config").write_text((path / "config").read_text() + "[receive]\n\tautogc = false\n")
    atexit.register(shutil.rmtree, path.parent, True)
    return path


START = dt.datetime(2026, 11, 28, 9, 0).astimezone()


class TwoMachines(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="reflect-sync-", dir=SCRATCH))
        self.remote = self.tmp / "remote.git"
        shutil.copytree(empty_remote(), self.remote, symlinks=True)
        self.homes = {name: Home(self.tmp / name) for name in MACHINES}
        self.joined: set[str] = set()
        self.counter = 0
        self.scales: dict[tuple[dt.date, str], set[int]] = {}
        self.paragraphs: set[str] = set()
        self.packs: set[str] = set()
        self.comments: set[str] = set()

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def unique(self, kind: str) -> str:
        self.counter += 1
        return f"{kind}-{self.counter}-words"

    def home(self, machine: str) -> Home:
        return self.homes[machine]

    @rule(machine=st.sampled_from(MACHINES))
    def join(self, machine: str) -> None:
        if machine not in self.joined:
            init(self.home(machine), str(self.remote))
            self.joined.add(machine)

    @rule(
        machine=st.sampled_from(MACHINES),
        day=st.sampled_from(DAYS),
        prompt=st.sampled_from(["mood", "energy"]),
        value=st.integers(1, 5),
    )
    def answer(self, machine: str, day: dt.date, prompt: str, value: int) -> None:
        home = self.home(machine).ensure()
        before = read_entry(home, day)
        seen = before.answer("daily", prompt) if before else None
        if seen == value:
            return  # the same answer again changes nothing in the file: not a new answer
        wanted = self.scales.setdefault((day, prompt), set())
        if isinstance(seen, int):
            wanted.discard(seen)  # the person replaced what they saw
        wanted.add(value)
        packs = [find_pack(home, "daily").pack]
        # Each answer a second after the last, as a person's are: two answers in one
        # second with one value and version are one answer to the merge, whatever the
        # machine (nothing in the file tells them apart).
        self.counter += 1
        given_at = START + dt.timedelta(seconds=self.counter)
        with mock.patch.object(session, "now", lambda: given_at):
            save_answers(home, day, resolve_answers(packs, [f"daily/{prompt}={value}"]))

    @rule(machine=st.sampled_from(MACHINES), day=st.sampled_from(DAYS))
    def note(self, machine: str, day: dt.date) -> None:
        text = self.unique("note")
        self.paragraphs.add(text)
        add_note(self.home(machine).ensure(), day, text, [])

    @rule(machine=st.sampled_from(MACHINES), day=st.sampled_from(DAYS))
    def prose(self, machine: str, day: dt.date) -> None:
        text = self.unique("gratitude")
        self.paragraphs.add(text)
        pack = find_pack(self.home(machine).ensure(), "daily").pack
        prompt = pack.prompt("gratitude")
        assert prompt is not None
        # Added below what the day has, as a line typed in `reflect today` is
        # (--answer would replace it): paragraphs from two machines must merge.
        save(self.home(machine), day, [prose_edit(pack, prompt, text, add=True)])

    @rule(machine=st.sampled_from(MACHINES), day=st.sampled_from(DAYS))
    def hand_edit(self, machine: str, day: dt.date) -> None:
        """A person rewrites the gratitude answer in an editor: the file's text, not the API."""
        home = self.home(machine).ensure()
        current = read_entry(home, day)
        old = current.tied().get("daily/gratitude") if current else None
        if not old:
            return
        for paragraph in re.findall(r"gratitude-\d+-words", old):
            self.paragraphs.discard(paragraph)  # the person rewrote the section
        text = self.unique("gratitude")
        self.paragraphs.add(text)
        path = entry_path(home, day)
        written = path.read_text(encoding="utf-8")
        assert old in written
        path.write_text(written.replace(old, text, 1), encoding="utf-8")

    @rule(machine=st.sampled_from(MACHINES), day=st.sampled_from(DAYS))
    def comment(self, machine: str, day: dt.date) -> None:
        """A person adds a YAML comment to a day's front matter: it must outlive every merge."""
        home = self.home(machine).ensure()
        path = entry_path(home, day)
        if not path.exists():
            return
        text = self.unique("comment")
        self.comments.add(text)
        written = path.read_text(encoding="utf-8")
        assert written.startswith("---\n"), written
        path.write_text(f"---\n# {text}\n{written[4:]}", encoding="utf-8")

    @rule(machine=st.sampled_from(MACHINES))
    def install_pack(self, machine: str) -> None:
        home = self.home(machine).ensure()
        path = home.packs_dir / "custom.toml"
        if path.exists():
            seen = re.search(r'description = "(.*)"', path.read_text())
            if seen:
                self.packs.discard(seen.group(1))
        marker = self.unique("pack")
        self.packs.add(marker)
        path.write_text(PACK.format(n=self.counter, marker=marker))

    @precondition(lambda self: bool(self.joined))
    @rule(machine=st.sampled_from(MACHINES))
    def sync_one(self, machine: str) -> None:
        if machine in self.joined:
            sync(self.home(machine))

    @invariant()
    def no_conflict_markers(self) -> None:
        for home in self.homes.values():
            for path in home.entries_dir.rglob("*.md") if home.entries_dir.exists() else []:
                assert not re.search(r"^(<{7}|>{7})", path.read_text(), re.MULTILINE), path

    def converge(self) -> None:
        for machine in MACHINES:
            if machine not in self.joined:
                init(self.home(machine), str(self.remote))
                self.joined.add(machine)
        for machine in (*MACHINES, MACHINES[0]):
            sync(self.home(machine))

    def check_everything_kept(self) -> None:
        heads = []
        for machine in MACHINES:
            # One call per home: the commit it is on, and nothing left uncommitted.
            status = subprocess.run(
                ["git", "-C", str(self.home(machine).root), "status", "--porcelain=v2", "--branch"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.splitlines()
            heads += [line for line in status if line.startswith("# branch.oid ")]
            changed = [line for line in status if not line.startswith("# ")]
            assert changed == [], changed
        assert len(heads) == 2 and heads[0] == heads[1], heads
        home = self.home(MACHINES[0])
        texts = "\n".join(p.read_text() for p in home.entries_dir.rglob("*.md"))
        for paragraph in self.paragraphs:
            assert paragraph in texts, paragraph
        for comment in self.comments:
            assert f"\n# {comment}\n" in texts, comment
        for (day, prompt), values in self.scales.items():
            entry = read_entry(home, day)
            assert entry is not None
            others = entry.prose(OTHER_ANSWERS) or ""
            for value in values:
                assert (
                    entry.answer("daily", prompt) == value or f"- daily/{prompt}: {value}" in others
                ), (day, prompt, value)
        packs = "\n".join(p.read_text() for p in home.packs_dir.rglob("*.toml"))
        for marker in self.packs:
            assert marker in packs, marker

    def teardown_checks(self) -> None:
        self.converge()
        self.check_everything_kept()


class Checked(TwoMachines):
    def teardown(self) -> None:
        try:
            if hasattr(self, "homes"):
                self.teardown_checks()
        finally:
            super().teardown()


TestTwoMachines = Checked.TestCase
# The example count comes from the Hypothesis profile (1,000 cases in CI).
TestTwoMachines.settings = settings(stateful_step_count=10, deadline=None)


@pytest.mark.slow
def test_an_answer_given_again_with_the_bases_value_is_no_answer_left_alone() -> None:
    """Desktop answers 2, syncs, answers 1; the laptop, later, answers 2: both are kept."""
    machines = Checked()
    machines.setup()
    day = DAYS[0]
    machines.answer(machine=MACHINES[0], day=day, prompt="energy", value=2)
    machines.join(machine=MACHINES[0])
    machines.answer(machine=MACHINES[0], day=day, prompt="energy", value=1)
    machines.answer(machine=MACHINES[1], day=day, prompt="energy", value=2)
    machines.teardown()  # converges both machines and checks that every answer is kept
