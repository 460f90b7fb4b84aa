"""Ctrl-C lost inside a library (pydantic's validation) still stops the command: exit 130.

A SIGINT that came while pydantic validated a pack was seen printed as
"Exception ignored" with a traceback, the command going on to exit 0, and
turned into a validation error: a built-in pack refused for a pattern that
could not be printed. reflect.errors notes every Ctrl-C as it raises it.
"""

import contextlib
import signal
import sys
from collections.abc import Iterator

import pytest

from reflect import errors
from reflect.errors import PackError
from reflect.journal.crypt import _hold_ctrl_c
from reflect.journal.entry import parse_entry
from reflect.main import main
from reflect.packs.library import parse_pack


@pytest.fixture
def listening(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """reflect's Ctrl-C handler installed as main() installs it, Python's put back after."""
    monkeypatch.setattr(errors, "_ctrl_c_came", False)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    errors.listen_for_ctrl_c()
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def lose_a_ctrl_c() -> None:
    """A real SIGINT whose KeyboardInterrupt is caught as a library caught it."""
    with contextlib.suppress(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)


def test_a_command_whose_ctrl_c_was_lost_ends_with_130(
    listening: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def command() -> None:
        lose_a_ctrl_c()
        print("all the output")
        raise SystemExit(0)

    monkeypatch.setattr("reflect.cli.main", command)
    monkeypatch.setattr(sys, "argv", ["reflect", "trends"])
    with pytest.raises(SystemExit) as ended:
        main()
    assert ended.value.code == 130
    assert capsys.readouterr() == ("all the output\n", "")


def test_a_ctrl_c_a_library_turned_into_its_own_error_ends_with_130(
    listening: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """pydantic building a model's schema lazily (a pack first read by the cold search) was
    seen to end in SchemaError wrapping the KeyboardInterrupt: a traceback and exit 1."""

    def command() -> None:
        lose_a_ctrl_c()
        raise RuntimeError("Error building validator: KeyboardInterrupt")

    monkeypatch.setattr("reflect.cli.main", command)
    monkeypatch.setattr(sys, "argv", ["reflect", "trends"])
    with pytest.raises(SystemExit) as ended:
        main()
    assert ended.value.code == 130
    assert capsys.readouterr() == ("", "")


def test_an_error_with_no_ctrl_c_is_not_hidden(
    listening: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def command() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("reflect.cli.main", command)
    monkeypatch.setattr(sys, "argv", ["reflect", "trends"])
    with pytest.raises(RuntimeError, match="a bug"):
        main()


def test_a_command_with_no_ctrl_c_keeps_its_exit_code(
    listening: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reflect.cli.main", lambda: sys.exit(0))
    monkeypatch.setattr(sys, "argv", ["reflect", "trends"])
    with pytest.raises(SystemExit) as ended:
        main()
    assert ended.value.code == 0


def test_a_pack_refused_after_a_lost_ctrl_c_is_the_ctrl_c(listening: None) -> None:
    bad = 'id = "x"\nname = "X"\nversion = "1.0.0"\n[[prompts]]\nid = "Not A Slug"\n'
    with pytest.raises(PackError):
        parse_pack(bad, "bad.toml")
    lose_a_ctrl_c()
    with pytest.raises(KeyboardInterrupt):
        parse_pack(bad, "bad.toml")


def test_an_entry_refused_after_a_lost_ctrl_c_is_the_ctrl_c(listening: None) -> None:
    bent = '---\ndate: 2026-12-01\nformat: 2\ntags: ["a#b"]\n---\n'
    with pytest.raises(errors.EntryError):
        parse_entry(bent, "2026-12-01.md")
    lose_a_ctrl_c()
    with pytest.raises(KeyboardInterrupt):
        parse_entry(bent, "2026-12-01.md")


class RaisesWhenCollected:
    """An object whose finaliser raises: Python can only report that as "Exception ignored"."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __del__(self) -> None:
        raise self.exc


def test_a_lost_ctrl_c_is_not_printed_as_ignored(
    listening: None, capsys: pytest.CaptureFixture[str]
) -> None:
    RaisesWhenCollected(KeyboardInterrupt())
    assert capsys.readouterr().err == ""
    RaisesWhenCollected(ValueError("other"))
    assert "ValueError: other" in capsys.readouterr().err


def test_a_passphrase_command_still_holds_ctrl_c_over_its_start(listening: None) -> None:
    came: list[int] = []
    ours = signal.getsignal(signal.SIGINT)
    let_go = _hold_ctrl_c(came)
    signal.raise_signal(signal.SIGINT)
    assert came == [signal.SIGINT], "held: noted, not raised"
    let_go()
    assert signal.getsignal(signal.SIGINT) is ours, "reflect's own handler, noting Ctrl-C, again"
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)
