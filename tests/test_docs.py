"""Docs that cannot drift: the README's commands are the ones CI runs."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", quick)


def test_the_readme_has_two_setup_commands() -> None:
    install, tests = readme_commands()
    assert install.endswith("reflect today")
    assert "pip install ." in install
    assert tests.endswith("python -m pytest -n auto --hypothesis-profile=ci")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci


def test_changelog_exists_with_an_unreleased_section() -> None:
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def architecture_section(title: str) -> str:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    return page.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_architecture_page_names_every_command_and_only_files_that_exist() -> None:
    from .test_cli import ALL

    table = architecture_section("Which file, for each command")
    for command in ALL:
        assert f"`reflect {command}`" in table, command
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    source = ROOT / "src" / "reflect"
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.py)`", page))
    assert named, "the page names files"
    for path in named:
        assert (source / path).exists() or (ROOT / path).exists(), path


def holds_code(path: Path) -> bool:
    """A module with more than a docstring (an `__init__.py` that only describes its package has none)."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return bool(body[1:] if body and isinstance(body[0], ast.Expr) else body)


def test_the_module_map_lists_every_module_once() -> None:
    """A module added, moved or removed without its line on the map fails here."""
    source = ROOT / "src" / "reflect"
    modules = sorted(
        path.relative_to(source).as_posix()
        for path in source.rglob("*.py")
        if path.name != "__init__.py" or holds_code(path)
    )
    rows = re.findall(r"^\| `([a-z_/]+\.py)` \|", architecture_section("The module map"), re.M)
    twice = sorted({row for row in rows if rows.count(row) > 1})
    assert not twice, f"listed more than once in the module map: {twice}"
    assert sorted(rows) == modules, (
        f"missing from the map: {sorted(set(modules) - set(rows))}; "
        f"on the map but not in src/reflect: {sorted(set(rows) - set(modules))}"
    )
