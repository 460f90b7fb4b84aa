"""`reflect today`: asking by type, follow-ups, skipping, revising, --no-input, and Ctrl-C."""

import datetime as dt
import re
from typing import Any

import pytest
import yaml

from reflect.daily.session import Session
from reflect.errors import ReflectError
from reflect.journal.home import Home
from reflect.journal.store import entry_path, read_entry
from reflect.model.pack import Pack
from reflect.packs.library import find_pack
from reflect.packs.schedule import Asked, prompts_for

from .conftest import Run

DAY = "2026-11-26"  # a Thursday


def front(home: Home, day: str = DAY) -> dict[str, Any]:
    """The front matter as written, with the answers by pack and each pack's version."""
    text = entry_path(home, dt.date.fromisoformat(day)).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text.split("---\n")[1])
    entry = read_entry(home, dt.date.fromisoformat(day))
    assert entry is not None
    return {**data, "answers": entry.front.answers, "packs": entry.front.versions()}


def test_interactive_session_saves_typed_answers(demo: Home, run: Run) -> None:
    typed = "4\ny\nSam's launch, mostly.\n70\n2\n6.5\nThe coffee with Ana\nn\n"
    result = run(["today", "--date", DAY], input=typed)
    assert result.exit_code == 0, result.output
    assert "[1/7] How was your mood today?" in result.stdout
    assert "(1-5)" in result.stdout
    assert "Whose, and what was the pang about?" in result.stdout
    assert "Done: 7 answer(s), 0 skipped." in result.stdout
    assert result.stderr == ""
    data = front(demo)
    assert data["date"] == dt.date(2026, 11, 26)
    assert data["format"] == 2
    assert data["packs"] == {"demo": "1.0.0"}
    answers = data["answers"]["demo"]
    assert answers["mood"] == 4 and answers["threatened"] is True
    assert answers["share"] == 70 and answers["where"] == "meeting"
    assert answers["hours"] == 6.5
    entry = read_entry(demo, dt.date(2026, 11, 26))
    assert entry is not None
    assert entry.prose("Whose, and what was the pang about?") == "Sam's launch, mostly."
    assert entry.prose("One line of gratitude") == "The coffee with Ana"


def test_invalid_answers_are_explained_and_asked_again(demo: Home, run: Run) -> None:
    typed = "9\nfour\n3\nmaybe\nn\n55\n40\nnope\nchat\n-1\n2\n\n\n"
    result = run(["today", "--date", DAY], input=typed)
    assert result.exit_code == 0, result.output
    assert "9 is outside 1-5" in result.stdout
    assert "'four' is not a number" in result.stdout
    assert "'maybe' is not yes or no" in result.stdout
    assert "55 is not on the scale: use steps of 10 from 0" in result.stdout
    assert "'nope' is not one of the choices" in result.stdout
    assert "-1 is below the minimum 0h" in result.stdout
    answers = front(demo)["answers"]["demo"]
    assert answers == {"mood": 3, "threatened": False, "share": 40, "where": "chat", "hours": 2}


def test_enter_skips_and_quit_stops_keeping_answers(demo: Home, run: Run) -> None:
    result = run(["today", "--date", DAY], input="\n\n50\n:q\n")
    assert result.exit_code == 0, result.output
    assert "Stopped. 1 answer(s) saved" in result.stdout
    assert front(demo)["answers"] == {"demo": {"share": 50}}


def test_end_of_input_keeps_answers(demo: Home, run: Run) -> None:
    result = run(["today", "--date", DAY], input="5\n")
    assert result.exit_code == 0, result.output
    assert front(demo)["answers"] == {"demo": {"mood": 5}}


def test_rerun_shows_answers_and_allows_revising(demo: Home, run: Run) -> None:
    run(["today", "--date", DAY], input="4\nn\n70\n1\n8\nFirst thought\n")
    result = run(["today", "--date", DAY, "--revisit"], input="\n\n80\n\n\nSecond thought\n")
    assert result.exit_code == 0, result.output
    assert "now 4, Enter keeps it" in result.stdout
    assert "now 70%, Enter keeps it" in result.stdout
    assert "You wrote: First thought" in result.stdout
    answers = front(demo)["answers"]["demo"]
    assert answers["mood"] == 4 and answers["share"] == 80 and answers["hours"] == 8
    entry = read_entry(demo, dt.date(2026, 11, 26))
    assert entry is not None
    assert entry.prose("One line of gratitude") == "First thought\n\nSecond thought"


def test_a_day_begun_resumes_at_the_first_open_question(demo: Home, run: Run) -> None:
    run(["today", "--date", DAY, "--no-input", "--answer", "mood=4", "--answer", "share=70"])
    run(["today", "--date", DAY, "--no-input", "--answer", "gratitude=Tea"])
    result = run(["today", "--date", DAY], input="n\nchat\n5\n\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "7 question(s) for Thursday 26 November 2026. 3 answered already; asking the 4 still "
        "open (`reflect today --revisit` goes through all).\n"
    )
    assert "[1/7]" not in result.stdout and "[3/7]" not in result.stdout
    assert "[2/7] Did someone's success feel threatening today?" in result.stdout
    assert "[4/7]" in result.stdout and "[5/7]" in result.stdout
    assert "Done: 3 answer(s), 1 skipped." in result.stdout
    answers = front(demo)["answers"]["demo"]
    assert answers == {"mood": 4, "share": 70, "threatened": False, "where": "chat", "hours": 5}


def test_a_day_fully_answered_says_so_and_asks_nothing(demo: Home, run: Run) -> None:
    typed = "4\nn\n70\n1\n8\nFirst thought\ny\n"
    run(["today", "--date", DAY], input=typed)
    result = run(["today", "--date", DAY], input="")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "All 7 question(s) for Thursday 26 November 2026 are answered. "
        "`reflect today --revisit` goes through them again.\n"
    )
    again = run(["today", "--date", DAY, "--revisit"], input="5\n:q\n")
    assert "You have answered some already" in again.stdout
    assert front(demo)["answers"]["demo"]["mood"] == 5


class Interrupting:
    """A terminal that answers from a script, then presses Ctrl-C."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.said: list[str] = []

    def ask(self, prompt: str) -> str:
        if not self.lines:
            raise KeyboardInterrupt
        return self.lines.pop(0)

    def say(self, text: str) -> None:
        self.said.append(text)

    def edit(self, initial: str) -> str | None:
        return None


def test_ctrl_c_keeps_every_answer_given(demo: Home) -> None:
    day = dt.date(2026, 11, 26)
    pack: Pack = find_pack(demo, "demo").pack
    session = Session(demo, day, prompts_for(day, [pack]), Interrupting(["3", "y", "Ana's talk"]))
    with pytest.raises(KeyboardInterrupt):
        session.run()
    entry = read_entry(demo, day)
    assert entry is not None
    assert entry.front.answers == {"demo": {"mood": 3, "threatened": True}}
    assert entry.prose("Whose, and what was the pang about?") == "Ana's talk"


def test_ctrl_c_through_the_cli_exits_130_with_a_message(
    demo: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["2"])

    def fake_input(prompt: str = "") -> str:
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr("builtins.input", fake_input)
    result = run(["today", "--date", DAY])
    assert result.exit_code == 130
    assert "stopped; the answers you gave are saved in" in result.stderr
    assert "Traceback" not in result.output
    assert front(demo)["answers"] == {"demo": {"mood": 2}}


def test_no_input_answers(demo: Home, run: Run) -> None:
    result = run(
        [
            "today",
            "--date",
            DAY,
            "--no-input",
            "--answer",
            "demo/mood=5",
            "--answer",
            "threatened=yes",
            "--answer",
            "where=One-to-one",
            "--answer",
            "gratitude=a = sign, kept whole",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "Saved 4 answer(s)" in result.stderr
    assert front(demo)["answers"] == {
        "demo": {"mood": 5, "threatened": True, "where": "one-to-one"}
    }
    entry = read_entry(demo, dt.date(2026, 11, 26))
    assert entry is not None
    assert entry.prose("One line of gratitude") == "a = sign, kept whole"


def test_a_follow_up_is_answered_from_the_command_line(demo: Home, run: Run) -> None:
    result = run(
        ["today", "--date", DAY, "--no-input", "--answer", "demo/threatened=yes",
         "--answer", "demo/threatened/follow-up=Sam's launch, mostly."]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Saved 2 answer(s)" in result.stderr
    entry = read_entry(demo, dt.date(2026, 11, 26))
    assert entry is not None
    assert entry.prose("Whose, and what was the pang about?") == "Sam's launch, mostly."
    again = run(
        ["today", "--date", DAY, "--no-input", "--answer", "threatened/follow-up=And Ana's."]
    )
    assert again.exit_code == 0, again.output
    entry = read_entry(demo, dt.date(2026, 11, 26))
    assert entry is not None
    # --answer replaces the answer, as it does for a value.
    assert entry.prose("Whose, and what was the pang about?") == "And Ana's."


def test_a_follow_up_whose_condition_is_not_met_is_refused(demo: Home, run: Run) -> None:
    refused = run(
        ["today", "--date", DAY, "--no-input", "--answer", "demo/threatened=no",
         "--answer", "demo/threatened/follow-up=Nobody."]
    )  # fmt: skip
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        "reflect: --answer demo/threatened/follow-up: asked only when demo/threatened is 'yes', "
        "and the answer is 'no'\n"
    )
    assert not entry_path(demo, dt.date(2026, 11, 26)).exists()
    # The day's own answer counts too.
    assert run(["today", "--date", DAY, "--no-input", "--answer", "threatened=n"]).exit_code == 0
    again = run(["today", "--date", DAY, "--no-input", "--answer", "threatened/follow-up=x"])
    assert again.exit_code == 1
    assert again.stderr.endswith("and the answer is 'no'\n")
    unanswered = run(
        ["today", "--date", "2026-11-25", "--no-input", "--answer", "threatened/follow-up=x"]
    )
    assert unanswered.exit_code == 1
    assert unanswered.stderr == (
        "reflect: --answer demo/threatened/follow-up: asked only when demo/threatened is "
        "answered 'yes', and 2026-11-25 has no answer to it; give it too "
        "(--answer demo/threatened=...)\n"
    )
    entry = read_entry(demo, dt.date(2026, 11, 26))
    assert entry is not None and entry.prose("Whose, and what was the pang about?") is None


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("demo/nope=1", "pack 'demo' has no prompt 'nope'"),
        ("other/mood=1", "no enabled pack with id 'other'"),
        ("mood=6", "--answer mood: 6 is outside 1-5"),
        ("where=pub", "'pub' is not one of the choices"),
        ("threatened=perhaps", "'perhaps' is not yes or no"),
        ("mood", "expected PACK/PROMPT=VALUE"),
        ("demo/mood/follow-up=Why", "demo/mood has no follow-up question"),
        ("threatened/follow-up=  ", "--answer threatened/follow-up: the answer is empty"),
    ],
)
def test_bad_answers_write_nothing(demo: Home, run: Run, answer: str, message: str) -> None:
    result = run(["today", "--date", DAY, "--no-input", "--answer", "share=70", "--answer", answer])
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert not entry_path(demo, dt.date(2026, 11, 26)).exists()


def test_an_answer_key_is_read_by_the_one_pack_prompt_reader(demo: Home, run: Run) -> None:
    """`PACK/PROMPT/follow-up` is a follow-up; any other third part is not a key (it read as pack 'demo/mood')."""
    result = run(["today", "--date", DAY, "--no-input", "--answer", "demo/mood/extra=1"])
    assert result.exit_code == 2
    assert result.stderr == (
        "reflect: --answer 'demo/mood/extra': expected PACK/PROMPT, "
        "e.g. growth-mindset/threatened-by-success\n"
    )
    assert not entry_path(demo, dt.date(2026, 11, 26)).exists()
    args = ["today", "--date", DAY, "--no-input", "--answer", "demo/threatened=yes"]
    answered = run([*args, "--answer", "demo/threatened/follow-up=Sam's launch"])
    assert answered.exit_code == 0, answered.output
    entry = read_entry(demo, dt.date(2026, 11, 26))
    assert entry is not None
    assert entry.prose("Whose, and what was the pang about?") == "Sam's launch"


def test_entry_files_are_private(demo: Home, run: Run) -> None:
    run(["today", "--date", DAY, "--no-input", "--answer", "mood=3"])
    path = entry_path(demo, dt.date(2026, 11, 26))
    assert path.stat().st_mode & 0o777 == 0o600
    assert demo.root.stat().st_mode & 0o777 == 0o700
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_prose_edited_by_hand_survives_the_next_session(demo: Home, run: Run) -> None:
    run(["today", "--date", DAY, "--no-input", "--answer", "mood=3", "--answer", "gratitude=Tea"])
    path = entry_path(demo, dt.date(2026, 11, 26))
    text = path.read_text(encoding="utf-8")
    head, body = text.split("---\n", 2)[1:]
    edited = f"---\n{head}---\nWritten above every heading.\n{body}\n## My own heading\n\nMine.\n"
    path.write_text(edited, encoding="utf-8")
    run(["today", "--date", DAY, "--no-input", "--answer", "mood=4"])
    after = path.read_text(encoding="utf-8")
    assert "Written above every heading." in after
    assert "## My own heading\n\nMine." in after
    assert "Tea" in after
    assert "mood: 4" in after


def test_a_broken_entry_is_reported_and_never_overwritten(demo: Home, run: Run) -> None:
    path = entry_path(demo, dt.date(2026, 11, 26))
    path.parent.mkdir(parents=True)
    broken = "---\ndate: 2026-11-26\nanswers: [unclosed\n---\nprecious words\n"
    path.write_text(broken, encoding="utf-8")
    result = run(["today", "--date", DAY, "--no-input", "--answer", "mood=3"])
    assert result.exit_code == 1
    assert str(path) in result.stderr
    assert "front matter is not valid YAML" in result.stderr
    assert "Traceback" not in result.output
    assert path.read_text(encoding="utf-8") == broken


def test_saving_keeps_other_days_untouched(demo: Home, run: Run) -> None:
    run(["today", "--date", "2026-11-25", "--no-input", "--answer", "mood=2"])
    other = entry_path(demo, dt.date(2026, 11, 25))
    before = other.read_bytes(), other.stat().st_mtime_ns
    run(["today", "--date", DAY, "--no-input", "--answer", "mood=3"])
    assert (other.read_bytes(), other.stat().st_mtime_ns) == before


def test_new_entry_reads_cleanly(demo: Home, run: Run) -> None:
    run(["today", "--date", DAY, "--no-input", "--answer", "mood=3", "--answer", "gratitude=Tea"])
    text = entry_path(demo, dt.date(2026, 11, 26)).read_text(encoding="utf-8")
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)"
    assert re.fullmatch(
        "---\n"
        "date: 2026-11-26\n"
        "format: 2\n"
        "demo/mood: 3\n"
        "given:\n"
        f"  demo/mood: 1.0.0 {stamp}\n"
        f"  demo/gratitude: 1.0.0 {stamp}\n"
        "---\n"
        "\n"
        "## One line of gratitude\n"
        "<!-- reflect: demo/gratitude -->\n"
        "\n"
        "Tea\n",
        text,
    ), text


class Editing(Interrupting):
    """A terminal whose editor returns set text, or fails."""

    def __init__(self, lines: list[str], edits: list[str | Exception | None]) -> None:
        super().__init__(lines)
        self.edits = edits

    def edit(self, initial: str) -> str | None:
        outcome = self.edits.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def _gratitude_only(home: Home) -> list[Asked]:
    pack = find_pack(home, "demo").pack
    return [a for a in prompts_for(dt.date(2026, 11, 26), [pack]) if a.prompt.id == "gratitude"]


def test_text_answers_can_be_written_in_the_editor(demo: Home) -> None:
    day = dt.date(2026, 11, 26)
    term = Editing([":e"], ["Long thoughts\n\nover two paragraphs\n"])
    result = Session(demo, day, _gratitude_only(demo), term).run()
    assert result.answered == ["demo/gratitude"]
    entry = read_entry(demo, day)
    assert entry is not None
    assert entry.prose("One line of gratitude") == "Long thoughts\n\nover two paragraphs"


def test_a_missing_editor_falls_back_to_typing(demo: Home) -> None:
    day = dt.date(2026, 11, 26)
    term = Editing([":e", "Typed instead"], [ReflectError("could not start the editor 'nano'")])
    Session(demo, day, _gratitude_only(demo), term).run()
    assert any("type your answer here instead" in line for line in term.said)
    entry = read_entry(demo, day)
    assert entry is not None and entry.prose("One line of gratitude") == "Typed instead"


def test_an_editor_that_fails_or_changes_nothing_saves_nothing(demo: Home) -> None:
    day = dt.date(2026, 11, 26)
    Session(demo, day, _gratitude_only(demo), Editing([":e"], [None])).run()
    assert read_entry(demo, day) is None
