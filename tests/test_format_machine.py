"""A journal driven through random histories: every answer ever given stays found, with its version.

The machine answers, rewords prompts, renames follow-ups, adds and removes
prompts, changes a scale's range, upgrades the pack, re-answers old days,
edits prose by hand, writes format 1 days and migrates. After every step,
every answer the journal holds is found by `history PACK/ID`, by `show
--json` and (where it fits the question as it is now) in `export --format
csv`, with the version of the pack it was given under.
"""

import csv
import datetime as dt
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from typer.testing import CliRunner

from reflect.cli import app
from reflect.daily.session import Session, prose_edit
from reflect.journal.home import Home
from reflect.journal.save import save
from reflect.journal.store import entry_path
from reflect.packs.library import find_pack
from reflect.packs.schedule import Asked

PACK = "sm"
DAYS = [dt.date(2026, 11, 20) + dt.timedelta(days=n) for n in range(5)]


class _Typed:
    """A terminal where the person types the given lines, then input ends."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def ask(self, prompt: str) -> str:
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)

    def say(self, text: str) -> None:
        pass

    def edit(self, initial: str) -> str | None:
        return None


class JournalMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="reflect-machine-"))
        self.home = Home(self.root / "journal")
        self.runner = CliRunner()
        self.major = 1
        self.counter = 0
        self.prompts: dict[str, dict[str, Any]] = {
            "s1": {"type": "scale", "min": 1, "max": 5, "text": "Scale one, version 1?"},
            "y1": {
                "type": "yes-no",
                "text": "Yes or no one?",
                "follow_up": {"when": "yes", "text": "Tell me more, version 1."},
            },
            "t1": {"type": "text", "text": "Text one, version 1?"},
        }
        # (day, prompt) -> (value, version); (day, prompt) -> (follow-up text, version)
        self.answers: dict[tuple[dt.date, str], tuple[Any, str]] = {}
        self.follow_ups: dict[tuple[dt.date, str], tuple[str, str]] = {}
        self.install(upgrade=False)

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # -- helpers ------------------------------------------------------------

    @property
    def version(self) -> str:
        return f"{self.major}.0.0"

    def token(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def cli(self, *args: str) -> Any:
        result = self.runner.invoke(app, list(args), env={"REFLECT_HOME": str(self.home.root)})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    def install(self, *, upgrade: bool) -> None:
        prompts = [{"id": pid, **spec, "pin": True} for pid, spec in self.prompts.items()]
        data = {"id": PACK, "name": "Machine", "version": self.version, "prompts": prompts}
        path = self.root / f"sm-{self.version}.toml"
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        args = ["packs", "add", str(path), "--enable", *(["--upgrade"] if upgrade else [])]
        result = self.cli(*args)
        assert result.exit_code == 0, result.output

    def change_pack(self) -> None:
        self.major += 1
        self.install(upgrade=True)

    def ids(self, kind: str) -> list[str]:
        return sorted(pid for pid, spec in self.prompts.items() if spec["type"] == kind)

    # -- rules --------------------------------------------------------------

    @rule(day=st.sampled_from(DAYS), data=st.data())
    def answer_scale(self, day: dt.date, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.ids("scale")))
        spec = self.prompts[pid]
        value = data.draw(st.integers(spec["min"], spec["max"]))
        result = self.cli(
            "today", "--date", day.isoformat(), "--no-input", "--answer", f"{PACK}/{pid}={value}"
        )
        assert result.exit_code == 0, result.output
        if self.answers.get((day, pid), (None,))[0] != value:
            self.answers[(day, pid)] = (value, self.version)

    @rule(day=st.sampled_from(DAYS), yes=st.booleans(), data=st.data())
    def answer_yes_no(self, day: dt.date, yes: bool, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.ids("yes-no")))
        word = "yes" if yes else "no"
        result = self.cli(
            "today", "--date", day.isoformat(), "--no-input", "--answer", f"{PACK}/{pid}={word}"
        )
        assert result.exit_code == 0, result.output
        if self.answers.get((day, pid), (None,))[0] is not yes:
            self.answers[(day, pid)] = (yes, self.version)
        if yes and self.prompts[pid].get("follow_up"):
            pack = find_pack(self.home, PACK).pack
            prompt = pack.prompt(pid)
            assert prompt is not None
            text = self.token("more")
            save(self.home, day, [prose_edit(pack, prompt, text, add=False, follow_up=True)])
            self.follow_ups[(day, pid)] = (text, self.version)

    @rule(day=st.sampled_from(DAYS), data=st.data(), code=st.booleans())
    def answer_text(self, day: dt.date, data: st.DataObject, code: bool) -> None:
        pid = data.draw(st.sampled_from(self.ids("text")))
        text = self.token("words")
        if code:  # a heading and a marker inside a code block are the answer's own words
            text += f"\n\n```\n## {text} in code\n<!-- reflect: {PACK}/{pid} -->\n```"
        result = self.cli(
            "today", "--date", day.isoformat(), "--no-input", "--answer", f"{PACK}/{pid}={text}"
        )
        assert result.exit_code == 0, result.output
        # --answer replaces the day's answer, and labels it with the version asking now.
        self.answers[(day, pid)] = (text, self.version)

    @rule(day=st.sampled_from(DAYS), data=st.data())
    def type_a_text_answer(self, day: dt.date, data: st.DataObject) -> None:
        """A line typed in `reflect today --revisit`: added below under the same version, else replaces."""
        pid = data.draw(st.sampled_from(self.ids("text")))
        pack = find_pack(self.home, PACK).pack
        prompt = pack.prompt(pid)
        assert prompt is not None
        text = self.token("typed")
        Session(self.home, day, [Asked(pack, prompt)], _Typed([text]), revisit=True).run()
        before = self.answers.get((day, pid))
        if before is not None and before[1] == self.version:
            self.answers[(day, pid)] = (f"{before[0]}\n\n{text}", self.version)
        else:
            self.answers[(day, pid)] = (text, self.version)

    @rule(data=st.data())
    def reword_a_prompt(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(sorted(self.prompts)))
        self.prompts[pid]["text"] = f"{pid} reworded for version {self.major + 1}?"
        self.change_pack()

    @precondition(lambda self: bool(self.ids("yes-no")))
    @rule(data=st.data())
    def rename_a_follow_up(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.ids("yes-no")))
        self.prompts[pid]["follow_up"] = {"when": "yes", "text": f"More, as of {self.major + 1}."}
        self.change_pack()

    @rule(kind=st.sampled_from(["scale", "yes-no", "text"]))
    def add_a_prompt(self, kind: str) -> None:
        pid = self.token(kind[0])
        spec: dict[str, Any] = {"type": kind, "text": f"New {kind} {pid}?"}
        if kind == "scale":
            spec.update(min=0, max=10)
        if kind == "yes-no":
            spec["follow_up"] = {"when": "yes", "text": f"Say more about {pid}."}
        self.prompts[pid] = spec
        self.change_pack()

    @precondition(lambda self: len(self.prompts) > 3)
    @rule(data=st.data())
    def remove_a_prompt(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(sorted(self.prompts)))
        kinds = [s["type"] for p, s in self.prompts.items() if p != pid]
        if self.prompts[pid]["type"] not in kinds:
            return  # keep one prompt of each kind to answer
        del self.prompts[pid]
        self.change_pack()

    @rule(data=st.data(), low=st.integers(0, 3), high=st.integers(4, 8))
    def change_a_range(self, data: st.DataObject, low: int, high: int) -> None:
        pid = data.draw(st.sampled_from(self.ids("scale")))
        self.prompts[pid].update(min=low, max=high)
        self.change_pack()

    @rule()
    def upgrade(self) -> None:
        self.change_pack()

    @rule(data=st.data())
    def hand_edit_prose(self, data: st.DataObject) -> None:
        texts = sorted(k for k in self.answers if self.prompts.get(k[1], {}).get("type") == "text")
        if not texts:
            return
        day, pid = data.draw(st.sampled_from(texts))
        path = entry_path(self.home, day)
        old, version = self.answers[(day, pid)]
        new = self.token("edited")
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1
        text = text.replace(old, new)
        marker = f"<!-- reflect: {PACK}/{pid} -->"
        if marker in text:  # a tied section's heading is only for reading: change it too
            head_end = text.index(marker)
            heading_start = text.rindex("## ", 0, head_end)
            text = text[:heading_start] + f"## My own words for {pid}\n" + text[head_end:]
        path.write_text(text, encoding="utf-8")
        self.answers[(day, pid)] = (new, version)

    @rule(data=st.data())
    def write_a_format_1_day(self, data: st.DataObject) -> None:
        free = [d for d in DAYS if not entry_path(self.home, d).exists()]
        if not free or not self.ids("text") or not self.ids("scale"):
            return
        day = data.draw(st.sampled_from(free))
        scale, text_id = self.ids("scale")[0], self.ids("text")[0]
        value = self.prompts[scale]["min"]
        words = self.token("old")
        path = entry_path(self.home, day)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ndate: {day}\nformat: 1\npacks:\n  {PACK}: {self.version}\n"
            f"answers:\n  {PACK}:\n    {scale}: {value}\n---\n\n"
            f"## {self.prompts[text_id]['text']}\n\n{words}\n",
            encoding="utf-8",
        )
        self.answers[(day, scale)] = (value, self.version)
        self.answers[(day, text_id)] = (words, self.version)

    @rule()
    def migrate(self) -> None:
        result = self.cli("migrate")
        assert result.exit_code == 0, result.output

    # -- what must hold after every step -----------------------------------------

    @invariant()
    def every_answer_is_found_with_its_version(self) -> None:
        by_prompt: dict[str, dict[dt.date, tuple[Any, str]]] = {}
        for (day, pid), found in self.answers.items():
            by_prompt.setdefault(pid, {})[day] = found
        for pid, days in by_prompt.items():
            result = self.cli("history", f"{PACK}/{pid}", "--json")
            assert result.exit_code == 0, result.output
            history = {a["date"]: a for a in json.loads(result.stdout)["answers"]}
            for day, (value, version) in days.items():
                got = history[day.isoformat()]
                assert (got["value"], got["version"]) == (value, version), (pid, day)
                follow = self.follow_ups.get((day, pid))
                if follow is not None and value is True:
                    assert got["follow_up"] == follow[0]
        for day in {day for day, _ in self.answers}:
            shown = json.loads(self.cli("show", day.isoformat(), "--json").stdout)
            expected = {pid: v for (d, pid), (v, _) in self.answers.items() if d == day}
            assert shown["answers"][PACK] == expected

    @invariant()
    def current_answers_are_in_the_csv_export(self) -> None:
        if not self.answers:
            return
        result = self.cli(
            "export", "--from", DAYS[0].isoformat(), "--to", DAYS[-1].isoformat(), "-f", "csv"
        )
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        found = {(r["date"], r["prompt"]): r for r in rows}
        for (day, pid), (value, version) in self.answers.items():
            spec = self.prompts.get(pid)
            if spec is None or spec["type"] == "text":
                continue  # retired prompts and prose in csv: the export's own tests
            if spec["type"] == "scale" and not spec["min"] <= value <= spec["max"]:
                continue  # no longer fits: labelled by the export, not dropped silently
            row = found[(day.isoformat(), pid)]
            # csv format 2: typed columns, a yes/no in `yes`, a number in `number`.
            if isinstance(value, bool):
                assert row["yes"] == ("1" if value else "0")
            elif isinstance(value, int | float):
                assert float(row["number"]) == value
            else:
                assert value in (row["choice"], row["text"])
            assert version in row["pack_version"].split("/")


@pytest.mark.slow
def test_every_answer_survives_any_history(home: Home) -> None:
    machine = settings(
        max_examples=12,
        stateful_step_count=14,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )(JournalMachine)
    machine.TestCase().runTest()
