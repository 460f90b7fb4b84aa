"""The page plain output goes to: what happens when it cannot be written."""

import errno
import io
import sys

import pytest

from reflect.render.page import write_and_exit


class Refusing(io.StringIO):
    """A stdout whose every write fails with one errno."""

    def __init__(self, code: int) -> None:
        super().__init__()
        self.code = code

    def write(self, text: str) -> int:
        raise OSError(self.code, "No space left on device" if self.code == errno.ENOSPC else "x")


def test_written_output_ends_the_command_with_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        write_and_exit(lambda: sys.stdout.write("kept text\n"))
    assert ended.value.code == 0
    assert capsys.readouterr() == ("kept text\n", "")


def test_a_full_disk_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", Refusing(errno.ENOSPC))
    with pytest.raises(SystemExit) as ended:
        write_and_exit(lambda: sys.stdout.write("kept text\n"))
    assert ended.value.code == 1
    assert sys.stdout is None, "dropped, so that the flush at exit does not fail again"
    assert capsys.readouterr().err == "reflect: cannot write the output: No space left on device\n"


def test_a_reader_that_left_is_exit_1_in_silence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", Refusing(errno.EPIPE))
    with pytest.raises(SystemExit) as ended:
        write_and_exit(lambda: sys.stdout.write("kept text\n"))
    assert ended.value.code == 1
    assert capsys.readouterr().err == ""
