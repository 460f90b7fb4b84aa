"""Every example in docs/format.md is read, written back, migrated or run as shown."""

import datetime as dt
import re
import shlex
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from reflect.cli import app
from reflect.journal.entry import Entry, parse_entry, serialize
from reflect.journal.home import Home
from reflect.journal.store import entry_path

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "format.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(lang: str) -> list[tuple[dict[str, str], str]]:
    found = []
    for kind, info, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        if kind == lang:
            found.append((dict(re.findall(r"(\w+)=(\S+)", info)), body))
    return found


def files() -> dict[str, str]:
    return {info["file"]: body for info, body in blocks("markdown") if "file" in info}


def day_of(name: str) -> dt.date:
    return dt.date.fromisoformat(name.removesuffix(".md"))


def test_the_page_has_its_examples() -> None:
    assert len(files()) == 2
    assert [info for info, _ in blocks("markdown") if "migrated" in info]
    assert blocks("console") and blocks("dataview") and blocks("tracker")


def test_every_example_file_reads_and_writes_back_byte_for_byte() -> None:
    for name, text in files().items():
        entry = parse_entry(text, name, day_of(name))
        assert serialize(entry) == text


def test_the_format_2_example_reads_as_the_page_says() -> None:
    text = files()["2026-11-26.md"]
    entry = parse_entry(text, "2026-11-26.md", dt.date(2026, 11, 26))
    assert entry.front.answers == {"daily": {"mood": 2, "energy": 4}}
    assert entry.answer_version("daily", "mood") == "1.0.0"
    assert entry.answered_at("daily", "gratitude") == dt.datetime.fromisoformat(
        "2026-11-26T09:01:40+01:00"
    )
    assert entry.tied() == {
        "daily/mood/follow-up": "The review with Sam. #work",
        "daily/gratitude": "Tea with Ana.",
    }
    assert entry.other_properties == {"aliases": ["Thursday"]}
    assert entry.all_tags() == ["team", "work"]
    # markdown-it sees each tie as an HTML block right after its heading.
    tokens = MarkdownIt().parse(text.split("---\n", 2)[2])
    after = [tokens[i + 3] for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert [t.type for t in after][:2] == ["html_block", "html_block"]


def test_migrating_the_format_1_example_gives_the_page_s_file(home: Home) -> None:
    for name, text in files().items():
        path = entry_path(home, day_of(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    for _, body in blocks("console"):
        for command, expected in _commands(body):
            result = runner.invoke(app, shlex.split(command)[1:])
            assert result.stdout == expected, f"$ {command}\n{result.output}"
    before = entry_path(home, dt.date(2026, 11, 25)).read_text(encoding="utf-8")
    assert before == files()["2026-11-25.md"]
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    migrated = {info["migrated"]: body for info, body in blocks("markdown") if "migrated" in info}
    for name, text in migrated.items():
        assert entry_path(home, day_of(name)).read_text(encoding="utf-8") == text
    again = runner.invoke(app, ["migrate"])
    assert again.stderr == "0 file(s) migrated, 2 already current, 0 left alone\n"


def test_the_obsidian_queries_name_properties_the_example_has() -> None:
    text = files()["2026-11-26.md"]
    front = yaml.safe_load(text.split("---\n")[1])
    (dataview,) = [body for _, body in blocks("dataview")]
    for name in re.findall(r'row\["([^"]+)"\]', dataview):
        assert isinstance(front[name], int), name
    (tracker,) = [body for _, body in blocks("tracker")]
    settings = yaml.safe_load(tracker)
    assert settings["searchType"] == "frontmatter"
    assert isinstance(front[settings["searchTarget"]], int)
    entry = read_entry_text(text)
    assert entry.answer("daily", "mood") == front[settings["searchTarget"]]


def read_entry_text(text: str) -> Entry:
    return parse_entry(text, "2026-11-26.md", dt.date(2026, 11, 26))


def _commands(body: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for line in body.splitlines(keepends=True):
        if line.startswith("$ "):
            found.append((line[2:].strip(), ""))
        else:
            command, output = found[-1]
            found[-1] = (command, output + line)
    return found
