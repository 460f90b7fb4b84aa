"""Every test runs against its own temporary journal home; none touches a real journal."""

import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reflect.cli import app
from reflect.home import Home

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    root = tmp_path / "journal"
    monkeypatch.setenv("REFLECT_HOME", str(root))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    return Home(root)


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke the CLI; an unexpected Python exception fails the test with its traceback."""
    runner = CliRunner()

    def invoke(args: Sequence[str], input: str | None = None, **kwargs: object) -> Result:
        result = runner.invoke(app, list(args), input=input, **kwargs)  # type: ignore[arg-type]
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


@pytest.fixture
def demo(home: Home, run: Run) -> Home:
    """A journal with only the small test pack `demo` installed and enabled."""
    home.ensure()
    shutil.copy(DATA / "demo.toml", home.packs_dir / "demo.toml")
    home.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
    return home


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time in Europe/Berlin, where 2026 has a 23-hour day (29 March) and a 25-hour one (25 October)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
