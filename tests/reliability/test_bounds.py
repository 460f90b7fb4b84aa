"""Unbounded input meets a bound: size, depth, number magnitude, time and memory.

The memory figures come from real `reflect` processes (peak resident size
from the kernel), run on hostile files at the real limits.
"""

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reflect.daily import importer
from reflect.errors import UsageError
from reflect.journal.drafts import Edit
from reflect.journal.home import Home
from reflect.journal.save import save
from reflect.lookback.queries import DayHits, Matcher, Scope, search_days
from reflect.packs import schedule
from reflect.packs.library import parse_pack
from tests.conftest import Run

DAY = dt.date(2026, 11, 26)


@pytest.mark.slow
def test_a_catastrophic_regex_stops_at_its_time_budget(home: Home) -> None:
    save(home, DAY, [Edit("note", text="a" * 41 + "!", time="10:00")])
    matcher = Matcher("(a|aa)+$", regex=True, budget=0.2)
    with pytest.raises(UsageError, match=r"took more than 0.2s: a pattern with nested repeats"):
        list(search_days(home, matcher, Scope()))


def test_a_plain_regex_is_unaffected(home: Home) -> None:
    save(home, DAY, [Edit("note", text="Tea with Ana", time="10:00")])
    found = list(search_days(home, Matcher("t[e]a", regex=True, budget=5), Scope()))
    assert [len(day.hits) for day in found if isinstance(day, DayHits)] == [1]
    assert len(found) == 1


def test_a_5000_prompt_pack_shuffles_each_cycle_once_a_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = ['id = "big"', 'name = "Big"', 'version = "1.0.0"', "[schedule]", "per_day = 100"]
    for i in range(5000):
        lines += ["[[prompts]]", f'id = "p{i}"', f'text = "Question {i}?"', 'type = "yes-no"']
    pack = parse_pack("\n".join(lines), "big.toml")
    calls = 0
    real = schedule._shuffled

    def counted(*args: object) -> list[object]:
        nonlocal calls
        calls += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(schedule, "_shuffled", counted)
    picked = schedule.rotating_for(pack, DAY)
    assert len({p.id for p in picked}) == 100
    assert calls <= 4, "one shuffle (and the one before it) per cycle the day touches"


@pytest.mark.parametrize("command", [["import", "jrnl"], ["import", "dayone"], ["report"]])
def test_an_endless_input_is_refused_at_its_limit(run: Run, command: list[str]) -> None:
    result = run([*command, "/dev/zero"])
    assert result.exit_code == 1
    assert "larger than" in result.stderr
    assert "Traceback" not in result.output


DEEP = "[" * 100_000 + "]" * 100_000
SURROGATE = '{"entries": [{"date": "2026-11-26", "time": "10:00", "title": "caf\\ud800", "body": "x\\udfff"}]}'


@pytest.mark.parametrize("command", [["import", "jrnl"], ["import", "dayone"], ["report"]])
def test_deep_nesting_is_a_clear_error(run: Run, tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "deep.json"
    path.write_text(DEEP, encoding="utf-8")
    result = run([*command, str(path)])
    assert result.exit_code == 1
    assert "nested more than 64 levels deep" in result.stderr


def test_lone_surrogates_are_replaced_not_a_crash(home: Home, run: Run, tmp_path: Path) -> None:
    path = tmp_path / "jrnl.json"
    path.write_text(SURROGATE, encoding="utf-8")
    result = run(["import", "jrnl", str(path)])
    assert result.exit_code == 0, result.output
    shown = run(["show", "2026-11-26"]).stdout
    assert "caf\ufffd" in shown and "x\ufffd" in shown


def test_a_zip_that_unpacks_past_the_limit_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_EXPORT_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Journal.json", b" " * (3 * 1024 * 1024))
    result = run(["import", "dayone", str(path)])
    assert result.exit_code == 1
    assert "unpacks to more than 1 MB of JSON" in result.stderr


@pytest.mark.parametrize("value", ["9.0e+15", "-9007199254740992", "0.000001"])
def test_the_largest_numbers_read_pass_every_command(demo: Home, run: Run, value: str) -> None:
    pack = demo.packs_dir / "nb.toml"
    pack.write_text(
        'id = "nb"\nname = "NB"\nversion = "1.0.0"\n[[prompts]]\nid = "x"\ntext = "X"\n'
        'type = "number"\ntarget = 5\npin = true\n',
        encoding="utf-8",
    )
    demo.config_path.write_text('packs = ["nb"]\n', encoding="utf-8")
    for day in ("2026-11-24", "2026-11-25", "2026-11-26"):
        path = demo.entries_dir / "2026" / f"{day}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ndate: {day}\nanswers:\n  nb:\n    x: {value}\n---\n", "utf-8")
    for command in (
        ["trends", "--since", "2026-11-01", "--until", "2026-11-30"],
        ["trends", "--since", "2026-11-01", "--until", "2026-11-30", "--by", "day", "--json"],
        ["history", "nb/x"],
        ["export", "--from", "2026-11-01", "--to", "2026-11-30"],
        ["export", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv"],
        ["doctor"],
    ):
        result = run(command)
        assert result.exit_code in (0, 1), (command, result.output)
        assert "Traceback" not in result.output


# -- memory, measured --------------------------------------------------------------

MEMORY_BOUND_MB = 600


def peak_mb(args: list[str], home: Path) -> tuple[int, str]:
    """Run reflect in its own process; its exit code and stderr, and its peak memory in MB."""
    script = (
        "import resource, subprocess, sys;"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024);"
        "sys.stderr.write(r.stderr)"
    )
    env = {**os.environ, "REFLECT_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", script, sys.executable, "-m", "reflect", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    code, peak = done.stdout.split()
    return int(code), f"{peak} {done.stderr}"


@pytest.mark.slow
def test_memory_stays_bounded_under_hostile_inputs(home: Home, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("Journal.json", "w") as member,
    ):
        chunk = b" " * (16 * 1024 * 1024)
        for _ in range(32):  # 512 MB unpacked, about 0.5 MB packed
            member.write(chunk)
    assert bomb.stat().st_size < 4 * 1024 * 1024
    aliases = home.root / "entries" / "2026" / "2026-11-26.md"
    aliases.parent.mkdir(parents=True)
    levels = "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    aliases.write_text(f"---\ndate: 2026-11-26\na: &a [x, x, x, x, x, x, x, x, x]\n{levels}---\n")
    cases = {
        "dayone zip bomb": ["import", "dayone", str(bomb)],
        "import jrnl /dev/zero": ["import", "jrnl", "/dev/zero"],
        "report /dev/zero": ["report", "/dev/zero"],
        "alias bomb, show --json": ["show", "2026-11-26", "--json"],
        "alias bomb, trends": ["trends", "--since", "2026-11-01", "--until", "2026-11-30"],
    }
    figures = {}
    for name, args in cases.items():
        code, detail = peak_mb(args, home.root)
        peak = int(detail.split()[0])
        figures[name] = peak
        assert code in (0, 1), (name, detail)
        assert "Traceback" not in detail, (name, detail)
        assert peak < MEMORY_BOUND_MB, (name, peak)
    print("peak MB:", figures)
