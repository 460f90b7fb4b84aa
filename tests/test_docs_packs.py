"""Every example in the coach's guide (docs/packs.md) is run, and its output compared."""

import os
import re
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reflect.cli import app
from reflect.packs.library import load_pack

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "packs.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str, str]]:
    return BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


def test_the_guide_has_examples() -> None:
    kinds = [lang for lang, _, _ in blocks()]
    assert kinds.count("toml") >= 3 and kinds.count("console") >= 4
    homes = {dict(re.findall(r"(\w+)=(\S+)", info)).get("home") for _, info, _ in blocks()}
    assert len(homes - {None}) >= 2, "the coach's loop is walked on at least two clients' machines"


def test_every_example_works_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    own_home = os.environ["REFLECT_HOME"]
    runner = CliRunner()
    for lang, info, body in blocks():
        if lang == "toml":
            tomllib.loads(body)
            name = dict(re.findall(r"(\w+)=(\S+)", info)).get("file")
            if name:
                (tmp_path / name).write_text(body, encoding="utf-8")
                if name != "draft.toml":
                    load_pack(tmp_path / name)
            else:
                assert "fragment" in info, f"a toml example needs file= or fragment: {body[:60]}"
            continue
        assert lang == "console", lang
        # `console home=alex` runs on a client's machine: a journal of their own, in a
        # folder of their own holding the pack files the coach sent; the coach's
        # blocks run in the parent folder, where each client's files arrive.
        who = dict(re.findall(r"(\w+)=(\S+)", info)).get("home")
        if who:
            machine = tmp_path / who
            machine.mkdir(exist_ok=True)
            for sent in tmp_path.glob("*.toml"):
                if not (machine / sent.name).exists():
                    shutil.copy(sent, machine / sent.name)
            monkeypatch.chdir(machine)
            monkeypatch.setenv("REFLECT_HOME", str(tmp_path / ".journals" / who))
        else:
            monkeypatch.chdir(tmp_path)
            monkeypatch.setenv("REFLECT_HOME", own_home)
        for command, expected in _commands(body):
            args = shlex.split(command)
            target = None
            if ">" in args:
                target = Path.cwd() / args[args.index(">") + 1]
                args = args[: args.index(">")]
            assert args[0] == "reflect"
            result = runner.invoke(app, args[1:])
            if target is not None:
                target.write_text(result.stdout, encoding="utf-8")
                assert result.exit_code == 0 and expected == ""
            else:
                # Tables pad their cells; the journal is shown where a person would keep it.
                output = result.output.replace(os.environ["REFLECT_HOME"], "~/journal")
                output = "".join(line.rstrip() + "\n" for line in output.splitlines())
                assert output == expected, f"$ {command}\n{output}"


def _commands(body: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for line in body.splitlines(keepends=True):
        if line.startswith("$ "):
            found.append((line[2:].strip(), ""))
        else:
            command, output = found[-1]
            found[-1] = (command, output + line)
    return found
