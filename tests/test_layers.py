"""The data flow holds in the import graph: reading never loads the session or the write path."""

import subprocess
import sys

import pytest

WRITERS = ("reflect.daily.session", "reflect.journal.save", "typer", "rich")


@pytest.mark.parametrize(
    "module",
    [
        "reflect.trends.stats",
        "reflect.lookback.queries",
        "reflect.export.data",
        "reflect.doctor.check",
    ],
)
def test_reading_loads_neither_the_session_nor_the_write_path(module: str) -> None:
    code = f"import sys\nimport {module}\nprint([m for m in {WRITERS!r} if m in sys.modules])\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]", result.stderr
