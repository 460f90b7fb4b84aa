"""Docs that cannot drift: the README's commands are the ones CI runs."""

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


def test_the_architecture_page_names_every_command_and_only_files_that_exist() -> None:
    from .test_cli import ALL

    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for command in ALL:
        group = command.split()[0]
        assert f"`reflect {group}" in page, command
    source = ROOT / "src" / "reflect"
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.py)`", page))
    assert named, "the page names files"
    for path in named:
        assert (source / path).exists() or (ROOT / path).exists(), path


def test_the_architecture_page_names_every_module() -> None:
    """A module added without a line on the map fails here, so the map cannot drift."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    source = ROOT / "src" / "reflect"
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.py)`", page))
    # In the module map a package's row names its modules short: | `cli/` | ... `common.py` ...
    for package, row in re.findall(r"^\| `([a-z_]+)/` \|(.*)$", page, flags=re.M):
        named |= {f"{package}/{name}" for name in re.findall(r"`([a-z_]+\.py)`", row)}
    named |= set(re.findall(r"`([a-z_]+\.py)`", page)) & {p.name for p in source.glob("*.py")}
    missing = [
        path.relative_to(source).as_posix()
        for path in sorted(source.rglob("*.py"))
        if path.name != "__init__.py" and path.relative_to(source).as_posix() not in named
    ]
    assert not missing, f"modules missing from docs/architecture.md: {missing}"
