"""The data flow holds in the import graph: reading never loads the session or the write path."""

import pytest

from .conftest import modules_after_each

# One new process imports each reader (half a second); lint-imports checks the same contracts.
pytestmark = pytest.mark.slow

WRITERS = ("reflect.daily.session", "reflect.journal.save", "typer", "rich")

READERS = [
    "reflect.trends.stats",
    "reflect.lookback.queries",
    "reflect.export.data",
    "reflect.doctor.check",
]
# What every reader imports: the models and the entry format, never a writer.
SHARED = "import pydantic, yaml, reflect.journal.entry"


@pytest.fixture(scope="module")
def loaded() -> dict[str, list[str]]:
    found = modules_after_each([f"import {module}" for module in READERS], SHARED)
    return dict(zip(READERS, found, strict=True))


@pytest.mark.parametrize("module", READERS)
def test_reading_loads_neither_the_session_nor_the_write_path(
    module: str, loaded: dict[str, list[str]]
) -> None:
    assert module in loaded[module]
    assert [m for m in WRITERS if m in loaded[module]] == []
