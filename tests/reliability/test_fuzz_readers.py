"""Mutated real files through the entry reader and the importers: only the project's errors come out.

Each target takes a real file (an entry reflect wrote and people edit, a
jrnl export, a Day One export, a Day One zip) and applies random mutations:
flipped and deleted bytes, duplicated slices, and tokens that have broken
readers before (delimiters, CRs, BOMs, aliases, deep brackets, huge numbers,
lone surrogate escapes). 10,000 cases per target; a traceback fails the test,
and a hang would never let it finish.
"""

import datetime as dt
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect.daily.importer import parse_dayone, parse_jrnl
from reflect.errors import EntryError, ImportFileError
from reflect.journal.entry import parse_entry, serialize
from tests.conftest import DATA

DAY = dt.date(2026, 11, 26)
CASES = int(__import__("os").environ.get("REFLECT_FUZZ_CASES", "10000"))
FUZZ = settings(
    max_examples=CASES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ENTRY = (
    b"---\ndate: 2026-11-26\nformat: 1\ntags:\n- team\n- growth\npacks:\n  demo: 1.0.0\n"
    b"answers:\n  demo:\n    mood: 4\n    threatened: true\n    share: 70\n    where: meeting\n"
    b"    hours: 6.5\nimported:\n- jrnl:2026-11-26T09:05:3f9a1c2b7d4e\n---\n\n"
    b"Prose above the first heading.\n\n## Whose, and what was the pang about?\n\n"
    b"Sam's launch, mostly.\n\n\\## not a heading\n\n## Notes (14:32)\n\nTea with Ana \xe2\x98\x95\n"
)
TOKENS = [
    b"---\n", b"--- \n", b"...\n", b"\r", b"\r\n", b"\n\n", b"\xef\xbb\xbf", b"&a ", b"*a",
    b"<<: *a\n", b"[", b"]", b"{", b"}", b"[" * 200, b": ", b"- ", b"answers:\n", b"date: ",
    b"\x00", b"9" * 40, b".inf", b"1.0e+400", b'"', b"'", b"\\ud800", b"\\u0000", b"#", b"\t",
    b"\xe2\x80\xa8", b"\xff", b"## ", b"\x1b]52;c;aGk=\x07", b"true", b"null", b"!!python/object",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        kind = draw(st.sampled_from(["flip", "delete", "insert", "duplicate"]))
        if kind == "flip" and at < len(data):
            data[at] ^= draw(st.integers(min_value=1, max_value=255))
        elif kind == "delete":
            data[at : at + draw(st.integers(min_value=1, max_value=16))] = b""
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS))
        else:
            size = draw(st.integers(min_value=1, max_value=64))
            data[at:at] = data[at : at + size]
    return bytes(data)


@pytest.mark.slow
@FUZZ
@given(raw=mutated(ENTRY))
def test_the_entry_reader_on_mutated_entries(raw: bytes) -> None:
    try:
        entry = parse_entry(raw.decode("utf-8", "replace"), "2026-11-26.md", DAY)
    except EntryError as exc:
        assert "\n" not in str(exc)
        return
    # What reads, writes back and reads again the same.
    again = parse_entry(serialize(entry), "2026-11-26.md", DAY)
    assert again.front.to_yaml_data() == entry.front.to_yaml_data()


@pytest.mark.slow
@FUZZ
@given(raw=mutated((DATA / "jrnl-export.json").read_bytes()))
def test_the_jrnl_importer_on_mutated_exports(raw: bytes) -> None:
    try:
        export = parse_jrnl(raw, "journal.json")
    except ImportFileError:
        return
    for item in export.entries:
        item.note().encode("utf-8")


@pytest.mark.slow
@FUZZ
@given(raw=mutated((DATA / "dayone-export.json").read_bytes()))
def test_the_dayone_importer_on_mutated_exports(raw: bytes) -> None:
    try:
        export = parse_dayone(raw, "Journal.json")
    except ImportFileError:
        return
    for item in export.entries:
        item.note().encode("utf-8")


def _zipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Journal.json", data)
    return buffer.getvalue()


@pytest.mark.slow
@FUZZ
@given(raw=mutated(_zipped((DATA / "dayone-export.json").read_bytes())))
def test_the_dayone_importer_on_mutated_zips(raw: bytes) -> None:
    try:
        export = parse_dayone(raw, "Export.zip")
    except ImportFileError:
        return
    for item in export.entries:
        item.note().encode("utf-8")
