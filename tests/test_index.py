"""The index of parsed entries: a cache that is rebuilt freely and never the source of truth."""

import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reflect.journal.cache import DayRecord, iter_days
from reflect.journal.entry import Entry, serialize
from reflect.journal.home import Home
from reflect.journal.store import BadEntry, entry_path

from .conftest import answer, d, write


def settle(*paths: Path) -> None:
    """Date files a minute back, as if written earlier: only settled files are cached."""
    past = time.time() - 60
    for path in paths:
        os.utime(path, (past, past))


def records(home: Home) -> list[DayRecord | BadEntry]:
    return list(iter_days(home))


def cache_file(home: Home, year: str = "2026") -> Path:
    return home.cache_dir / "index" / f"{year}.json"


def test_a_cached_record_is_the_record_parsed_from_the_file(fortnight: Home) -> None:
    settle(*(fortnight.entries_dir / "2026").iterdir())
    parsed = records(fortnight)
    assert cache_file(fortnight).exists()
    cached = records(fortnight)
    assert cached == parsed
    assert all(isinstance(record, DayRecord) for record in cached)


def test_the_cache_answers_while_size_and_time_match(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    path = entry_path(demo, d("2026-11-10"))
    settle(path)
    records(demo)
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("mood: 2", "mood: 5"), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (record,) = records(demo)
    assert isinstance(record, DayRecord) and record.answers == {"demo": {"mood": 2}}


def test_the_cache_is_private_and_kept_out_of_git(fortnight: Home) -> None:
    settle(*(fortnight.entries_dir / "2026").iterdir())
    records(fortnight)
    assert cache_file(fortnight).stat().st_mode & 0o777 == 0o600
    assert fortnight.cache_dir.stat().st_mode & 0o777 == 0o700
    assert (fortnight.cache_dir / ".gitignore").read_text(encoding="utf-8") == "*\n"
    assert (
        (fortnight.cache_dir / "CACHEDIR.TAG")
        .read_text(encoding="utf-8")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_a_changed_file_is_read_again(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    path = entry_path(demo, d("2026-11-10"))
    settle(path)
    records(demo)
    path.write_text(path.read_text(encoding="utf-8").replace("mood: 2", "mood: 5"), "utf-8")
    settle(path)
    (record,) = records(demo)
    assert isinstance(record, DayRecord) and record.answers == {"demo": {"mood": 5}}


def test_a_file_changed_just_now_is_not_cached_yet(demo: Home) -> None:
    # A second edit within the same tick of a coarse clock could keep size and time.
    answer(demo, "2026-11-10", "mood=2")
    records(demo)
    assert not cache_file(demo).exists()


def test_a_removed_file_leaves_the_cache(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    answer(demo, "2026-11-11", "mood=3")
    settle(entry_path(demo, d("2026-11-10")), entry_path(demo, d("2026-11-11")))
    records(demo)
    entry_path(demo, d("2026-11-11")).unlink()
    assert [r.date for r in records(demo) if isinstance(r, DayRecord)] == [d("2026-11-10")]
    assert list(json.loads(cache_file(demo).read_text("utf-8"))["files"]) == ["2026-11-10.md"]


def test_a_damaged_cache_is_rebuilt(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    settle(entry_path(demo, d("2026-11-10")))
    expected = records(demo)
    for damage in ("{not json", '{"format": 99, "files": {}}', '{"format": 1, "files": {"x": 1}}'):
        cache_file(demo).write_text(damage, encoding="utf-8")
        assert records(demo) == expected
    data = json.loads(cache_file(demo).read_text("utf-8"))
    data["files"]["2026-11-10.md"][2] = {"written": True}
    cache_file(demo).write_text(json.dumps(data), encoding="utf-8")
    assert records(demo) == expected


def test_a_cache_that_cannot_be_written_is_done_without(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    settle(entry_path(demo, d("2026-11-10")))
    demo.cache_dir.write_text("in the way", encoding="utf-8")
    (record,) = records(demo)
    assert isinstance(record, DayRecord) and record.answers == {"demo": {"mood": 2}}


def test_broken_files_are_never_cached(demo: Home) -> None:
    write(demo, "2026-11-10", "---\ndate: [\n---\n")
    settle(entry_path(demo, d("2026-11-10")))
    for _ in range(2):
        (record,) = records(demo)
        assert isinstance(record, BadEntry) and "not valid YAML" in record.error


def test_values_keep_their_types_through_the_cache(demo: Home) -> None:
    write(
        demo,
        "2026-11-10",
        "---\ndate: 2026-11-10\ntags: [team]\npacks: {demo: 1.0.0}\nanswers:\n  demo:\n"
        "    mood: 4\n    hours: 7.0\n    threatened: false\n    where: chat\n---\n\n"
        "## One line of gratitude\n\nTea in the sun.\n",
    )
    settle(entry_path(demo, d("2026-11-10")))
    (parsed,) = records(demo)
    (cached,) = records(demo)
    assert cached == parsed
    assert isinstance(cached, DayRecord)
    values = cached.answers["demo"]
    assert [type(values[k]) for k in ("mood", "hours", "threatened", "where")] == [
        int,
        float,
        bool,
        str,
    ]
    assert cached.words == {"One line of gratitude": 4} and cached.tags == ("team",)


slugs = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
values = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-(2.0**53), max_value=2.0**53),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
)
headings = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(
    answers=st.dictionaries(slugs, st.dictionaries(slugs, values, max_size=4), max_size=3),
    tags=st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), max_size=3, unique=True),
    sections=st.lists(st.tuples(headings, st.text(max_size=40)), max_size=4),
)
def test_any_entry_reads_the_same_from_the_cache(
    answers: dict[str, dict[str, object]], tags: list[str], sections: list[tuple[str, str]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = Home(Path(folder)).ensure()
        entry = Entry.new(d("2026-11-10"))
        for pack, prompts in answers.items():
            for prompt, value in prompts.items():
                entry.set_answer(pack, "1.0.0", prompt, value)  # type: ignore[arg-type]
        entry.add_tags(tags)
        for heading, text in sections:
            entry.set_prose(heading, text)
        path = entry_path(home, d("2026-11-10"))
        path.parent.mkdir(parents=True)
        path.write_text(serialize(entry), encoding="utf-8")
        settle(path)
        parsed = records(home)
        assert (home.cache_dir / "index" / "2026.json").exists()
        assert records(home) == parsed


def _seen(home: Home) -> list[tuple[object, ...]]:
    return [
        ("bad", item.path.name, item.error)
        if isinstance(item, BadEntry)
        else ("day", item.date, item.answers, dict(item.words), item.tags)
        for item in iter_days(home)
    ]


def test_a_cold_cache_parsed_by_worker_processes_gives_the_same_days(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import reflect.journal.cache as index_module
    from reflect.journal.drafts import Edit
    from reflect.journal.save import save

    start = dt.date(2025, 11, 1)
    for n in range(150):
        day = start + dt.timedelta(days=n)
        save(home, day, [Edit("answer", "demo", "1.0.0", "mood", n % 5 + 1),
                         Edit("note", text=f"day {n}", time="09:00")])  # fmt: skip
    entry_path(home, dt.date(2026, 1, 5)).write_text("---\ndate: [\n---\n", encoding="utf-8")
    monkeypatch.setattr(index_module, "SETTLED_NS", 0)
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10**9)
    serial = _seen(home)
    assert len(serial) == 150 and serial[65][0] == "bad"
    shutil.rmtree(home.cache_dir)
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10)
    assert _seen(home) == serial
    assert (home.cache_dir / "index" / "2026.json").is_file()
    assert _seen(home) == serial, "and the cache the workers filled reads the same"
