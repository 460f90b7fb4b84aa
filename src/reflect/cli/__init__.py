"""The command line: each command parses its options, calls the library, and renders.

Rich and the heavier modules are imported inside the commands that draw, so
`reflect prompt` in a shell greeting starts fast. One Typer app per command
group (cli/<group>.py), composed in cli/app.py.
"""

from reflect.cli.app import app, main

__all__ = ["app", "main"]
