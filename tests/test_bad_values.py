"""Numbers that can never be stored, and choice names that look like numbers."""

import json
from pathlib import Path

import pytest

from reflect.journal.home import Home
from reflect.model.pack import ChoicePrompt

from .conftest import Run, write


@pytest.mark.parametrize("value", ["1e308", "inf", "nan", "-1e13", "10000000000000"])
def test_absurd_numbers_are_refused_at_entry_in_one_line(demo: Home, run: Run, value: str) -> None:
    result = run(["today", "--date", "2026-11-26", "--no-input", "--answer", f"hours={value}"])
    assert result.exit_code == 1
    assert result.stderr.startswith("reflect: --answer hours: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not (demo.entries_dir / "2026").exists()


HAND_EDITED = [
    "demo/hours: 1e308",
    "demo/hours: .inf",
    "demo/hours: -.inf",
    "demo/hours: .nan",
    "demo/hours: " + "9" * 400,
    "demo/mood: 1e308",
]


# Each runs every command; a non-finite and a huge value stand for the rest
# in the fast tier.
HAND_EDITED_FAST = {"demo/hours: .nan", "demo/mood: 1e308"}


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(line, marks=() if line in HAND_EDITED_FAST else pytest.mark.slow)
        for line in HAND_EDITED
    ],
)
def test_a_hand_edited_absurd_number_never_crashes_anything(
    demo: Home, run: Run, line: str, tmp_path: Path
) -> None:
    write(demo, "2026-11-26", f"---\ndate: 2026-11-26\nformat: 2\ndemo/mood: 3\n{line}\n---\n")
    write(
        demo, "2026-11-25", "---\ndate: 2026-11-25\nformat: 2\ndemo/mood: 4\ndemo/hours: 2\n---\n"
    )
    commands = [
        ["show", "2026-11-26"],
        ["show", "2026-11-26", "--json"],
        ["log"],
        ["history", "demo/hours"],
        ["history", "demo/hours", "--json"],
        ["trends", "--since", "2026-11-01", "--until", "2026-11-30"],
        ["trends", "--since", "2026-11-01", "--until", "2026-11-30", "--json"],
        ["calendar", "--year", "2026"],
        ["doctor"],
        *(
            [
                "export",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "-f",
                kind,
                "-o",
                str(tmp_path / f"x.{kind}"),
            ]
            for kind in ("md", "json", "csv", "html")
        ),
    ]
    for args in commands:
        result = run(args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "Traceback" not in result.output, args
    history = json.loads(run(["history", "demo/hours", "--json"]).stdout)
    assert {a["date"]: a["fits"] for a in history["answers"]} == {
        "2026-11-25": True,
        "2026-11-26": False,
    } or line.startswith("demo/mood")


def test_an_exact_choice_name_beats_a_position() -> None:
    prompt = ChoicePrompt(id="level", text="Which level?", type="choice", choices=["0", "1", "2"])
    assert prompt.parse("1") == "1"
    assert prompt.parse("0") == "0"
    assert prompt.parse("3") == "2"  # no choice named 3: the third choice
    mixed = ChoicePrompt(id="x", text="Which?", type="choice", choices=["low", "2", "high"])
    assert mixed.parse("2") == "2" and mixed.parse("1") == "low"
