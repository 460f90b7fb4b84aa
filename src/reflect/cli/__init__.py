"""The command line: each command parses its options, calls the library, and renders.

Rich and the heavier modules are imported inside the commands that draw, so
`reflect prompt` in a shell greeting starts fast. One module per command group.
"""

from typing import NoReturn

from reflect.cli import daily, doctor, export, lookback, packs, trends
from reflect.cli.app import app

__all__ = ["app", "main"]
_COMMAND_MODULES = (daily, lookback, trends, export, packs, doctor)


def main() -> NoReturn:
    """The console script: `reflect` and `python -m reflect`."""
    app(prog_name="reflect")
    raise SystemExit(0)
