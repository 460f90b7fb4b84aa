"""Every console example in the README is run, and its output compared.

Each example runs in a fresh journal home and working folder, on
2026-11-26 (the README's today), after the setup named for its first
command below, which writes the journal the example reads. `/home/you/...`
in the README stands for the journal home. An example whose last line is an
answer typed at a prompt (`> 4`) shows the start of a session, so only that
start is compared; one ending in `...` shows the start of a long output.
"""

import datetime as dt
import importlib.util
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reflect.cli import app
from reflect.daily.session import resolve_answers, save_answers
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from reflect.model import dates
from reflect.packs.library import find_pack

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
SHOWN_HOME = "/home/you/.local/share/reflect"
TODAY = dt.date(2026, 11, 26)


# Sections whose examples tests/test_docs_tools.py runs, with the files they import.
OWN_TESTS = ("Bringing in another journal", "With other tools")


def examples() -> list[str]:
    """The examples of reflect itself (an example of another tool, such as age, is not run)."""
    text = README.read_text(encoding="utf-8")
    for title in OWN_TESTS:
        head, found, rest = text.partition(f"\n## {title}\n")
        if found:
            text = head + "\n## " + rest.split("\n## ", 1)[-1] if "\n## " in rest else head
    return [b for b in BLOCK.findall(text) if b.startswith("$ reflect ")]


def answer(home: Home, day: str, *answers: str) -> None:
    packs = [
        find_pack(home, pack_id).pack for pack_id in ("daily", "growth-mindset", "partnership")
    ]
    save_answers(home, dt.date.fromisoformat(day), resolve_answers(packs, list(answers)))


def write_entry(home: Home, day: str, text: str) -> None:
    path = entry_path(home, dt.date.fromisoformat(day))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generated(home: Home, days: int, end: dt.date) -> None:
    """The synthetic journal of bench/generate.py: the same arguments give the same files."""
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(home, days, end, 1)


def a_first_day(home: Home, folder: Path) -> None:
    answer(home, "2026-11-26", "daily/mood=4", "partner-share=60")


def words_to_find(home: Home, folder: Path) -> None:
    write_entry(
        home,
        "2026-11-24",
        "---\ndate: 2026-11-24\nformat: 1\ntags:\n- team\n---\n\n## Notes (04:45)\n\n"
        "Zoë shipped the café search before me; noticed the pang, then asked her how she did it.\n",
    )
    assert runner().invoke(app, ["import", "jrnl", str(ROOT / "tests/data/jrnl-export.json")])


def threatened_days(home: Home, folder: Path) -> None:
    answer(home, "2026-11-23", "daily/mood=3", "threatened-by-success=yes", "partner-share=50")
    answer(home, "2026-11-17", "daily/mood=2", "threatened-by-success=yes", "partner-share=40")
    answer(home, "2026-11-18", "daily/mood=4", "threatened-by-success=no")
    path = entry_path(home, dt.date(2026, 11, 17))
    heading = "## Did someone's success feel threatening today?\n\n"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + f"\n{heading}Sam's proposal was picked over mine. I said well done and meant it.\n",
        encoding="utf-8",
    )


def partner_shares(home: Home, folder: Path) -> None:
    shares = {16: 40, 17: 50, 18: 60, 19: 60, 20: 70, 23: 60, 24: 70, 25: 80, 26: 60}
    for day, share in shares.items():
        answer(home, f"2026-11-{day:02}", f"partner-share={share}")


def october(home: Home, folder: Path) -> None:
    weeks = [[30, 40, 40], [30, 30, 40, 30, 30], [20, 30, 20, 30], [30, 30, 30], [20, 20]]
    days = [[1, 2, 3], [5, 6, 7, 8, 9], [12, 13, 14, 15], [20, 21, 22], [26, 27]]
    for week_days, shares in zip(days, weeks, strict=True):
        for day, share in zip(week_days, shares, strict=True):
            answer(home, f"2026-10-{day:02}", f"partner-share={share}")


def a_jrnl_export(home: Home, folder: Path) -> None:
    shutil.copy(ROOT / "tests/data/jrnl-export.json", folder / "journal.json")


def a_year(home: Home, folder: Path) -> None:
    generated(home, 365, dt.date(2025, 12, 31))


def recent_weeks(home: Home, folder: Path) -> None:
    generated(home, 28, TODAY)


def two_clients(home: Home, folder: Path) -> None:
    """Alex and Sam each share a week of partnership answers, each in a folder of their own."""
    clients = {"alex": [20, 40, 60, 60, 100], "sam": [10, 30, 40, 60, 90]}
    for name, shares in clients.items():
        client = Home(folder / f"{name}-journal").ensure()
        for index, share in enumerate(shares):
            answer(client, f"2026-11-{23 + index:02}", f"partner-share={share}")
        (folder / name).mkdir()
        result = runner().invoke(
            app,
            [
                *("export", "--week", "2026-W48", "--share", "--pack", "partnership"),
                *("--name", name.title(), "--format", "json"),
                *("-o", str(folder / name / "2026-W48.json")),
            ],
            env={"REFLECT_HOME": str(client.root)},
        )
        assert result.exit_code == 0, result.output


SETUPS: dict[str, Callable[[Home, Path], None]] = {
    "reflect prompt --date 2026-11-26": a_first_day,
    "reflect search cafe": words_to_find,
    "reflect log --where growth-mindset/threatened-by-success=yes": threatened_days,
    "reflect history partnership/partner-share --since 2026-11-16 --oldest-first": partner_shares,
    "reflect trends --prompt partnership/partner-share --month 2026-10": october,
    "reflect calendar --year 2025": a_year,
    "reflect export --week last -o review.md": recent_weeks,
    "reflect export --week 2026-W48 --share --pack partnership --name Alex --format json "
    "-o 2026-W48.json": recent_weeks,
    "reflect report alex/2026-W48.json sam/2026-W48.json -o cohort.html": two_clients,
}


def runner() -> CliRunner:
    return CliRunner()


def steps(body: str) -> list[tuple[str, str]]:
    """(command, what the README shows it print) for each `$ ` line."""
    found: list[tuple[str, str]] = []
    for line in body.splitlines(keepends=True):
        if line.startswith("$ "):
            found.append((line[2:].strip(), ""))
        else:
            command, output = found[-1]
            found[-1] = (command, output + line)
    return found


def test_the_readme_has_examples_and_each_has_its_journal() -> None:
    firsts = [steps(body)[0][0] for body in examples()]
    assert len(firsts) >= 10
    assert set(SETUPS) <= set(firsts), "a setup for an example the README no longer has"


# A year of days written first: seconds, for the slow tier.
SLOW_EXAMPLES = {"reflect calendar --year 2025"}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(body, marks=pytest.mark.slow) if steps(body)[0][0] in SLOW_EXAMPLES else body
        for body in examples()
    ],
    ids=lambda body: steps(body)[0][0],
)
def test_every_readme_example_works_as_shown(
    body: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Home(tmp_path / "journal").ensure()
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("REFLECT_HOME", str(home.root))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    commands = steps(body)
    setup = SETUPS.get(commands[0][0])
    if setup is not None:
        setup(home, folder)
    for command, shown in commands:
        typed = [line[2:] for line in shown.splitlines() if line.startswith("> ")]
        args = shlex.split(command)
        assert args[0] == "reflect"
        result = runner().invoke(app, args[1:], input="".join(f"{t}\n" for t in typed) or None)
        raw = result.output.replace(str(home.root), SHOWN_HOME)
        # The README keeps no trailing spaces; tables padded to the width print some.
        printed = re.sub(r"[ ]+\n", "\n", raw)
        if typed and shown.splitlines()[-1].startswith("> "):
            # What is typed is not echoed: the prompt "> " is followed by what comes next.
            start = re.sub(r"^> .*\n", "> ", shown, flags=re.MULTILINE)
            assert raw.startswith(start), f"$ {command}\n{raw}"
        elif shown.endswith("...\n"):
            assert printed.startswith(shown.removesuffix("...\n")), f"$ {command}\n{printed}"
        else:
            assert printed == shown, f"$ {command}\n{printed}"
