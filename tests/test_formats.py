"""Versioned formats: files from a newer reflect are refused by name, never misread; rich stays in render."""

import datetime as dt
import re
from pathlib import Path

import pytest

from reflect.errors import EntryError, PackError
from reflect.journal.entry import parse_entry
from reflect.packs.library import parse_pack

SRC = Path(__file__).resolve().parents[1] / "src" / "reflect"


def test_an_entry_from_a_newer_reflect() -> None:
    with pytest.raises(EntryError) as caught:
        parse_entry(
            "---\ndate: 2026-11-26\nformat: 3\n---\n", "2026-11-26.md", dt.date(2026, 11, 26)
        )
    assert str(caught.value) == (
        "2026-11-26.md: written by a newer reflect (entry format 3, this one reads 2); "
        "upgrade reflect to read it"
    )


@pytest.mark.parametrize("written", ["true", "false", "2.0", "1.0", '"2"'])
def test_an_entry_format_is_a_whole_number_not_a_boolean_or_a_float(written: str) -> None:
    # Lax pydantic would read `true` as 1 and `2.0` as 2.
    with pytest.raises(EntryError) as caught:
        parse_entry(
            f"---\ndate: 2026-11-26\nformat: {written}\n---\n",
            "2026-11-26.md",
            dt.date(2026, 11, 26),
        )
    assert str(caught.value) == "2026-11-26.md:3: format: must be 1 or 2"


def test_a_pack_from_a_newer_reflect() -> None:
    with pytest.raises(PackError) as caught:
        parse_pack('format = 2\nid = "p"\n', "p.toml")
    assert str(caught.value) == (
        "p.toml: format: written by a newer reflect (pack format 2, this one reads 1); "
        "upgrade reflect to read it"
    )


def test_rich_is_imported_only_in_the_render_package() -> None:
    outside = [
        path.relative_to(SRC)
        for path in SRC.rglob("*.py")
        if "render" not in path.relative_to(SRC).parts
        and re.search(r"^\s*(from|import) rich\b", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert outside == []
