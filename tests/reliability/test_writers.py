"""Writers make only days their own reader accepts: one validation, the reader's, on both sides."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect.errors import PackError, Unwritable
from reflect.journal import store
from reflect.journal.drafts import Edit, find_drafts
from reflect.journal.home import Home
from reflect.journal.save import save
from reflect.journal.store import entry_path, read_entry
from reflect.packs.library import load_pack
from tests.conftest import DATA, Run

DAY = dt.date(2026, 11, 26)


def note(text: str = "x", tags: tuple[str, ...] = ()) -> Edit:
    return Edit("note", text=text, time="10:00", tags=tags)


@pytest.mark.parametrize(
    "edit",
    [
        note(tags=("two\nlines",)),
        note(tags=("with space",)),
    ],
    ids=["tag with a newline", "tag with a space"],
)
def test_a_value_the_reader_would_refuse_is_never_written(home: Home, edit: Edit) -> None:
    save(home, DAY, [note("before")])
    path = entry_path(home, DAY)
    before = path.read_bytes()
    with pytest.raises(Unwritable):
        save(home, DAY, [edit])
    assert path.read_bytes() == before
    assert find_drafts(home) == ([], []), "a refused value is not a draft to restore"


def test_an_answer_with_a_line_separator_reads_back_as_written(home: Home) -> None:
    save(home, DAY, [Edit("answer", "demo", "1.0.0", "where", "one\u2028two")])
    entry = read_entry(home, DAY)
    assert entry is not None and entry.answer("demo", "where") == "one\u2028two"


def test_a_note_past_the_readers_size_limit_is_refused(
    home: Home, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "MAX_ENTRY_BYTES", 1000)
    result = run(["write", "y" * 2000, "--date", str(DAY)])
    assert result.exit_code == 1
    assert "larger than" in result.stderr and "nothing was saved" in result.stderr
    assert not entry_path(home, DAY).exists()


def test_a_year_below_1000_is_written_where_the_reader_looks(home: Home, run: Run) -> None:
    result = run(["write", "an old day", "--date", "0226-05-01"])
    assert result.exit_code == 0, result.output
    assert entry_path(home, dt.date(226, 5, 1)) == home.entries_dir / "0226" / "0226-05-01.md"
    assert entry_path(home, dt.date(226, 5, 1)).exists()
    log = run(["log"])
    assert "0226-05-01" in log.stdout


def test_a_pack_choice_with_a_line_separator_is_refused(tmp_path: Path) -> None:
    text = (DATA / "demo.toml").read_text(encoding="utf-8").replace('"chat"', '"chat\u2028now"')
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError, match="one line"):
        load_pack(path)


values = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=values, tags=st.lists(st.text(min_size=1, max_size=10), max_size=3))
def test_any_value_a_writer_accepts_reads_back_identically(
    home: Home, value: object, tags: list[str]
) -> None:
    day = DAY
    path = entry_path(home, day)
    if path.exists():
        path.unlink()
    try:
        entry = save(home, day, [Edit("answer", "demo", "1.0.0", "x", value, tags=tuple(tags))])  # type: ignore[arg-type]
    except Unwritable:
        assert not path.exists()
        return
    again = read_entry(home, day)
    assert again is not None
    assert again.front.to_yaml_data() == entry.front.to_yaml_data()
    assert again.answer("demo", "x") == value
    assert type(again.answer("demo", "x")) is type(value)
