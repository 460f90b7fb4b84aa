"""Front matter that is almost right is a broken file, never "no front matter".

Each file in BENT once read as a day without answers: its answers became
prose, and the next write put a new front matter on top of them. Now each
is named by every command and left byte-for-byte as it was.
"""

import datetime as dt
from collections.abc import Callable

import pytest

from reflect.errors import EntryError
from reflect.journal.entry import parse_entry
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from tests.conftest import Build, Run
from tests.reliability.test_broken_files import BAD, COMMANDS, lay_out

FRONT = b"date: 2026-11-26\nformat: 1\nanswers:\n  demo:\n    mood: 3\n"
BODY = b"\n## One line of gratitude\n\nTea with Ana\n"
RULE = b"_" * 70

BENT = {
    "opener with a trailing space": b"--- \n" + FRONT + b"---\n" + BODY,
    "opener with a trailing tab": b"---\t\n" + FRONT + b"---\n" + BODY,
    "opener indented": b" ---\n" + FRONT + b"---\n" + BODY,
    "blank line first": b"\n---\n" + FRONT + b"---\n" + BODY,
    "bom then blank line": b"\xef\xbb\xbf\n---\n" + FRONT + b"---\n" + BODY,
    "two boms": b"\xef\xbb\xbf\xef\xbb\xbf---\n" + FRONT + b"---\n" + BODY,
    "zero-width space first": "\u200b".encode() + b"---\n" + FRONT + b"---\n" + BODY,
    "editor slip on the opener": b"---x: [\n" + FRONT + b"---\n" + BODY,
    "four dashes": b"----\n" + FRONT + b"----\n" + BODY,
    "opener with a language": b"---yaml\n" + FRONT + b"---\n" + BODY,
    "cr-only line ends": (b"---\n" + FRONT + b"---\n" + BODY).replace(b"\n", b"\r"),
    "cr-only inside the block": b"---\n" + FRONT.replace(b"\n", b"\r") + b"\n---\n" + BODY,
    "toml front matter": b"+++\ndate = 2026-11-26\n+++\n" + BODY,
    "mdformat, block kept": RULE + b"\n\ndate: 2026-11-26\nformat: 1\nanswers:\n\n- demo\n"
    b"  mood: 3\n\n" + RULE + b"\n" + BODY,
    "mdformat, block as heading": RULE
    + b"\n\n## date: 2026-11-26 format: 1 answers: demo: mood: 3\n"
    + BODY,
    "opener deleted": FRONT + b"---\n" + BODY,
    "both delimiters deleted": FRONT + BODY,
    "no closing line": b"---\n" + FRONT + BODY,
    "duplicate answers block": b"---\n" + FRONT + b"answers:\n  demo:\n    energy: 2\n---\n" + BODY,
    "duplicate answer": b"---\n" + FRONT + b"    mood: 4\n---\n" + BODY,
    "duplicate date": b"---\n" + FRONT + b"date: 2026-11-26\n---\n" + BODY,
    "alias": b"---\ndate: 2026-11-26\nanswers:\n  demo: &a\n    mood: 3\n  other: *a\n---\n" + BODY,
    "merge key": b"---\ndate: 2026-11-26\nx: &a {mood: 3}\nanswers:\n  demo:\n    <<: *a\n---\n"
    + BODY,
    "alias bomb": b"---\ndate: 2026-11-26\na: &a [x, x, x, x, x, x, x, x, x]\n"
    + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n".encode()
        for i in range(8)
    )
    + b"---\n"
    + BODY,
    "nested too deep": b"---\ndate: 2026-11-26\nanswers:\n  demo:\n    mood: "
    + b"[" * 40
    + b"]" * 40
    + b"\n---\n"
    + BODY,
    "huge whole number": b"---\n"
    + FRONT.replace(b"mood: 3", b"mood: " + b"9" * 5000)
    + b"---\n"
    + BODY,
}
# Odd but certain: these read, and reading never rewrites them.
CERTAIN = {
    "a comment in the front matter": b"---\n# kept by hand\n" + FRONT + b"---\n" + BODY,
    "closing line with a trailing space": b"---\n" + FRONT + b"--- \n" + BODY,
    "closed with dots": b"---\n" + FRONT + b"...\n" + BODY,
    "a rule further down": b"Written by hand.\n\n---\n\nMore.\n",
    "prose that says date": b"The date: sometime in May.\n",
    "an anchor never used": b"---\n" + FRONT.replace(b"mood: 3", b"mood: &m 3") + b"---\n" + BODY,
}
# Absurd numbers are values, not damage: the day reads, and the value is shown
# as not fitting its question (tests/test_bad_values.py runs every command on them).
ABSURD = {
    "number past 2**53": b"---\n"
    + FRONT.replace(b"mood: 3", b"mood: 90071992547409930")
    + b"---\n"
    + BODY,
    "float past 2**53": b"---\n" + FRONT.replace(b"mood: 3", b"mood: 1.0e+300") + b"---\n" + BODY,
    "infinity": b"---\n" + FRONT.replace(b"mood: 3", b"mood: .inf") + b"---\n" + BODY,
    "overflowing float": b"---\n" + FRONT.replace(b"mood: 3", b"mood: 1.0e+999") + b"---\n" + BODY,
    "not a number": b"---\n" + FRONT.replace(b"mood: 3", b"mood: .nan") + b"---\n" + BODY,
}
DAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("name", sorted(BENT))
def test_the_reader_calls_a_bent_file_broken(name: str) -> None:
    text = BENT[name].decode("utf-8")
    with pytest.raises(EntryError) as caught:
        parse_entry(text, "2026-11-26.md", DAY)
    message = str(caught.value)
    assert message.startswith("2026-11-26.md"), message
    assert "\n" not in message


@pytest.mark.parametrize("name", sorted(CERTAIN))
def test_odd_but_certain_front_matter_reads(name: str) -> None:
    entry = parse_entry(CERTAIN[name].decode("utf-8"), "2026-11-26.md", DAY)
    if CERTAIN[name].startswith(b"---"):
        assert entry.answer("demo", "mood") is not None


@pytest.mark.parametrize("name", sorted(ABSURD))
def test_an_absurd_number_reads_and_does_not_fit(name: str) -> None:
    from reflect.model.pack import ScalePrompt, misfit

    entry = parse_entry(ABSURD[name].decode("utf-8"), "2026-11-26.md", DAY)
    value = entry.answer("demo", "mood")
    assert value is not None
    assert misfit(ScalePrompt(id="mood", text="Mood?", type="scale", min=1, max=5), value)


# The reader test above takes every bent file in the fast tier; running all
# the commands on each is the slow tier's work, and one of each kind of bend
# (the opener, the closer, line ends, a repeated key, YAML's own features)
# stands for the rest meanwhile.
EVERY_COMMAND_FAST = {
    "two boms",
    "no closing line",
    "cr-only line ends",
    "duplicate answer",
    "alias",
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=() if name in EVERY_COMMAND_FAST else pytest.mark.slow)
        for name in sorted(BENT)
    ],
)
def test_every_command_names_a_bent_file_and_leaves_it_alone(
    built_once: Callable[[Build], Home], run: Run, name: str
) -> None:
    path = entry_path(lay_out(built_once, BENT[name]), BAD)
    for command in COMMANDS:
        result = run(command)
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1), (command, result.output)
        assert path.read_bytes() == BENT[name], f"{command} rewrote a broken file"
        if result.exit_code == 1 or command[0] in ("log", "doctor", "search"):
            assert str(path) in result.stderr + result.stdout, (command, result.output)
        if command[0] == "log":
            assert "2026-11-25" in result.stdout
    assert run(["doctor"]).exit_code == 1


def test_the_bomb_is_refused_before_it_grows(built_once: Callable[[Build], Home], run: Run) -> None:
    lay_out(built_once, BENT["alias bomb"])
    result = run(["show", "2026-11-26", "--json"])
    assert result.exit_code == 1
    assert "alias" in result.stderr
    assert len(result.stdout) < 1000
