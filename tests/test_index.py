"""The journal's index: rebuilt freely, never trusted over the files, never stale."""

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reflect.journal.index as index_module
from reflect.journal import looked
from reflect.journal.cache import DayRecord, iter_days
from reflect.journal.entry import Entry, parse_entry, serialize
from reflect.journal.home import Home
from reflect.journal.index import Index
from reflect.journal.index_store import index_path
from reflect.journal.store import BadEntry, entry_path

from .conftest import Run, answer, d, write
from .strategies import LOWER, LOWER_DIGITS, led, slugs


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once: the tests change them faster than any clock ticks."""
    monkeypatch.setattr(index_module, "SETTLED_NS", 0)


def records(home: Home) -> list[DayRecord | BadEntry]:
    return list(iter_days(home))


def files_read(home: Home) -> int:
    """How many entry files a full refresh of the index reads."""
    with Index(home) as index:
        index.refresh()
        return index.files_read


def stored_prose(home: Home) -> list[str]:
    db = sqlite3.connect(index_path(home))
    try:
        return [row[0] for row in db.execute("SELECT text FROM prose")]
    finally:
        db.close()


def test_a_stored_record_is_the_record_parsed_from_the_file(fortnight: Home) -> None:
    parsed = records(fortnight)
    assert index_path(fortnight).exists()
    assert files_read(fortnight) == 0, "a fresh index reads no file"
    stored = records(fortnight)
    assert stored == parsed
    assert all(isinstance(record, DayRecord) for record in stored)


def test_the_index_is_private_and_kept_out_of_git(fortnight: Home) -> None:
    records(fortnight)
    assert index_path(fortnight).stat().st_mode & 0o777 == 0o600
    assert fortnight.cache_dir.stat().st_mode & 0o777 == 0o700
    assert (fortnight.cache_dir / ".gitignore").read_text(encoding="utf-8") == "*\n"
    assert (
        (fortnight.cache_dir / "CACHEDIR.TAG")
        .read_text(encoding="utf-8")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_a_file_replaced_by_one_of_the_same_size_with_its_time_restored_is_read_again(
    demo: Home,
) -> None:
    # What rsync and backup tools do: a new file renamed over the old, its mtime set back.
    answer(demo, "2026-11-10", "mood=2")
    path = entry_path(demo, d("2026-11-10"))
    records(demo)
    stat = path.stat()
    temp = path.with_name(".2026-11-10.md.tmp")
    temp.write_text(path.read_text(encoding="utf-8").replace("mood: 2", "mood: 5"), "utf-8")
    os.utime(temp, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(temp, path)
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    (record,) = records(demo)
    assert isinstance(record, DayRecord) and record.answers == {"demo": {"mood": 5}}


def test_a_file_rewritten_in_place_with_its_time_restored_is_read_again(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    path = entry_path(demo, d("2026-11-10"))
    records(demo)
    with Index(demo) as index:
        index.db.execute("UPDATE days SET ctime = ctime - 1")  # as if written a tick earlier
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("mood: 2", "mood: 5"), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (record,) = records(demo)
    assert isinstance(record, DayRecord) and record.answers == {"demo": {"mood": 5}}


def test_a_changed_file_is_read_again(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    path = entry_path(demo, d("2026-11-10"))
    records(demo)
    path.write_text(path.read_text(encoding="utf-8").replace("mood: 2", "mood: 5"), "utf-8")
    (record,) = records(demo)
    assert isinstance(record, DayRecord) and record.answers == {"demo": {"mood": 5}}


def test_a_file_changed_just_now_is_read_again_next_time(
    demo: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A second edit within the same tick of a coarse clock could keep every number.
    monkeypatch.setattr(index_module, "SETTLED_NS", 10**18)
    answer(demo, "2026-11-10", "mood=2")
    assert files_read(demo) == 1
    assert files_read(demo) == 1


def test_added_and_removed_files_are_seen_on_the_next_run(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    answer(demo, "2026-11-11", "mood=3")
    records(demo)
    entry_path(demo, d("2026-11-11")).unlink()
    answer(demo, "2026-11-12", "mood=4")
    assert [r.date for r in records(demo) if isinstance(r, DayRecord)] == [
        d("2026-11-10"),
        d("2026-11-12"),
    ]
    with Index(demo) as index:
        assert [row[0] for row in index.db.execute("SELECT name FROM days ORDER BY name")] == [
            "2026-11-10.md",
            "2026-11-12.md",
        ]


def test_a_deleted_year_folder_takes_its_words_out_of_the_index(demo: Home, run: Run) -> None:
    write(demo, "2025-03-01", "---\ndate: 2025-03-01\n---\n\n## Notes (09:00)\n\nA lighthouse.\n")
    write(demo, "2026-03-01", "---\ndate: 2026-03-01\n---\n\n## Notes (09:00)\n\nA harbour.\n")
    assert len(run(["search", "lighthouse", "--json"]).stdout) > 3
    assert any("lighthouse" in text for text in stored_prose(demo))
    shutil.rmtree(demo.entries_dir / "2025")
    result = run(["search", "lighthouse"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "No matches for 'lighthouse'.\n"
    assert not any("lighthouse" in text for text in stored_prose(demo))
    assert any("harbour" in text for text in stored_prose(demo))
    data = index_path(demo).read_bytes()
    assert b"lighthouse" not in data, "nor in the full-text index's segments or free pages"
    assert b"harbour" in data


@pytest.mark.parametrize(
    "damage",
    [
        b"not a database at all, just text",
        b"SQLite format 3\x00" + b"\xff" * 200,
        b"",
    ],
)
def test_a_damaged_index_is_rebuilt(demo: Home, damage: bytes) -> None:
    answer(demo, "2026-11-10", "mood=2")
    expected = records(demo)
    index_path(demo).write_bytes(damage)
    assert records(demo) == expected
    assert files_read(demo) == 0, "and the index built again is kept"


def test_an_index_cut_short_is_rebuilt(fortnight: Home) -> None:
    expected = records(fortnight)
    path = index_path(fortnight)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert records(fortnight) == expected


def test_an_index_of_another_version_is_rebuilt(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    expected = records(demo)
    db = sqlite3.connect(index_path(demo))
    db.execute("PRAGMA user_version = 999")
    db.execute("DELETE FROM days")
    db.commit()
    db.close()
    assert records(demo) == expected


def test_an_index_that_cannot_be_written_is_done_without(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    demo.cache_dir.write_text("in the way", encoding="utf-8")
    (record,) = records(demo)
    assert isinstance(record, DayRecord) and record.answers == {"demo": {"mood": 2}}


def test_broken_files_are_never_cached(demo: Home) -> None:
    write(demo, "2026-11-10", "---\ndate: [\n---\n")
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


@given(
    answers=st.dictionaries(slugs, st.dictionaries(slugs, values, max_size=4), max_size=3),
    tags=st.lists(led(LOWER, LOWER_DIGITS + "-", 10), max_size=3, unique=True),
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
        parsed = records(home)
        assert index_path(home).exists()
        assert records(home) == parsed


def _seen(home: Home) -> list[tuple[object, ...]]:
    return [
        ("bad", item.path.name, item.error)
        if isinstance(item, BadEntry)
        else ("day", item.date, item.answers, dict(item.words), item.tags)
        for item in iter_days(home)
    ]


@pytest.mark.slow
def test_a_cold_cache_parsed_by_worker_processes_gives_the_same_days(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflect.journal.drafts import Edit
    from reflect.journal.save import save

    start = dt.date(2025, 11, 1)
    for n in range(150):
        day = start + dt.timedelta(days=n)
        save(home, day, [Edit("answer", "demo", "1.0.0", "mood", n % 5 + 1),
                         Edit("note", text=f"day {n}", time="09:00")])  # fmt: skip
    entry_path(home, dt.date(2026, 1, 5)).write_text("---\ndate: [\n---\n", encoding="utf-8")
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10**9)
    serial = _seen(home)
    assert len(serial) == 150 and serial[65][0] == "bad"
    shutil.rmtree(home.cache_dir)
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10)
    assert _seen(home) == serial
    assert index_path(home).is_file()
    assert _seen(home) == serial, "and the index the workers filled reads the same"


def test_a_cold_search_gives_its_first_days_before_reading_older_years(demo: Home) -> None:
    from reflect.lookback.queries import DayHits, Matcher, Scope, search_days

    for year in (2024, 2025, 2026):
        write(
            demo,
            f"{year}-03-01",
            f"---\ndate: {year}-03-01\n---\n\n## Notes (09:00)\n\nA lighthouse.\n",
        )
    found = search_days(demo, Matcher("lighthouse"), Scope())
    first = next(found)
    assert isinstance(first, DayHits) and first.date == d("2026-03-01")
    with Index(demo) as index:
        folders = [row[0] for row in index.db.execute("SELECT folder FROM days")]
    assert folders == ["2026"], "the older years are not read yet"
    assert [item.date for item in found if isinstance(item, DayHits)] == [
        d("2025-03-01"),
        d("2024-03-01"),
    ]


def test_two_runs_filling_the_index_at_once_agree(
    fortnight: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Index(fortnight) as first, Index(fortnight) as second:
        folder = first.folders(None, None)[0]
        parse = second.parsers.parse

        def meanwhile(jobs: list[tuple[str, str]]) -> object:
            # The first run stores the files after the second looked at the index.
            assert first.sync(folder) == []
            return parse(jobs)

        monkeypatch.setattr(second.parsers, "parse", meanwhile)
        assert second.sync(folder) == []
        assert second.generation == 0, "no error, so the index on disk was kept"
        assert second.files_read == 6
    assert files_read(fortnight) == 0
    assert len(records(fortnight)) == 6


def test_the_json_cache_it_replaced_is_removed(fortnight: Home) -> None:
    old = fortnight.cache_dir / "index"
    old.mkdir(parents=True)
    (old / "2026.json").write_text('{"format": 1, "files": {}}', encoding="utf-8")
    records(fortnight)
    assert not old.exists()
    assert index_path(fortnight).is_file()


def _history(run: Run, key: str) -> list[object]:
    result = run(["history", key, "--json", "--oldest-first"])
    assert result.exit_code == 0, result.output
    return [(a["date"], a["value"], a["version"]) for a in json.loads(result.stdout)["answers"]]


def test_history_sees_a_file_replaced_with_its_time_restored(demo: Home, run: Run) -> None:
    answer(demo, "2026-11-10", "mood=2")
    answer(demo, "2026-11-11", "mood=3")
    assert _history(run, "demo/mood") == [("2026-11-10", 2, "1.0.0"), ("2026-11-11", 3, "1.0.0")]
    path = entry_path(demo, d("2026-11-10"))
    stat = path.stat()
    temp = path.with_name(".2026-11-10.md.tmp")
    temp.write_text(path.read_text(encoding="utf-8").replace("mood: 2", "mood: 5"), "utf-8")
    os.utime(temp, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(temp, path)
    assert _history(run, "demo/mood") == [("2026-11-10", 5, "1.0.0"), ("2026-11-11", 3, "1.0.0")]
    path.unlink()
    assert _history(run, "demo/mood") == [("2026-11-11", 3, "1.0.0")]


def test_answers_are_judged_again_when_a_pack_file_changes(demo: Home, run: Run) -> None:
    from reflect.packs.versions import definitions_stamp

    answer(demo, "2026-11-10", "mood=2", "gratitude=Tea")
    before = _history(run, "demo/gratitude")
    assert before == [("2026-11-10", "Tea", "1.0.0")]
    stamp = definitions_stamp(demo)
    with Index(demo) as index:
        assert [row[0] for row in index.db.execute("SELECT given_for FROM days")] == [stamp]
    pack = demo.packs_dir / "demo.toml"
    pack.write_text(pack.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert definitions_stamp(demo) != stamp
    assert _history(run, "demo/gratitude") == before
    with Index(demo) as index:
        stored = [row[0] for row in index.db.execute("SELECT given_for FROM days")]
    assert stored == [definitions_stamp(demo)], "judged again by the pack as it is now"


def test_log_filters_follow_the_files(demo: Home, run: Run) -> None:
    def days(*args: str) -> list[str]:
        result = run(["log", "--json", *args])
        assert result.exit_code == 0, result.output
        return [day["date"] for day in json.loads(result.stdout)["days"]]

    write(demo, "2026-11-10", "---\ndate: 2026-11-10\ntags: [Café]\n---\n\n## Notes\n\nOne.\n")
    answer(demo, "2026-11-11", "mood=2")
    assert days("--tag", "CAFÉ") == ["2026-11-10"]
    assert days("--tag", "cafe") == []  # an accent makes another tag
    assert days("--where", "demo/mood<=3") == ["2026-11-11"]
    path = entry_path(demo, d("2026-11-10"))
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Café", "Cafe"), "utf-8")
    assert days("--tag", "cafe") == ["2026-11-10"]
    path.write_text(path.read_text(encoding="utf-8").replace("Cafe", "Work"), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert days("--tag", "cafe") == []
    assert days("--tag", "work") == ["2026-11-10"]
    answer(demo, "2026-11-11", "mood=5")
    assert days("--where", "demo/mood<=3") == []
    assert days("--pack", "demo") == ["2026-11-11"]


def test_answers_judged_for_a_day_read_again_meanwhile_are_dropped(demo: Home, run: Run) -> None:
    answer(demo, "2026-11-10", "mood=2")
    with Index(demo) as first:
        first.refresh()
        (old,) = [row[0] for row in first.db.execute("SELECT id FROM days")]
        # Another reflect reads the day again (a new row) before this one stores its judgement.
        answer(demo, "2026-11-10", "mood=4")
        with Index(demo) as second:
            second.refresh()
        first.keep_given([(old, [("demo", "mood", "2", "1.0.0", None, 0)])], "stamp")
        assert first.db.execute("SELECT count(*) FROM given").fetchone() == (0,)
        (new,) = [row[0] for row in first.db.execute("SELECT id FROM days")]
        assert new != old, "an id is never given to another day"
    assert _history(run, "demo/mood") == [("2026-11-10", 4, "1.0.0")]


TRICKY = [
    "Spotlight on the Café in Straße 5, don't forget the e-mail.",
    "ÉCOLE d'été: naïve coöperation — 3.5 km; x_y and a·b.",
    "A cat, a CATalogue and concatenation; 中文 text and emoji 😀 too.",
    'Quotes "like this" and NEAR(a b) AND OR NOT * ^ - + : words.',
]


QUERIES = [
    "light", "spot", "cafe", "CAFÉ", "strasse", "straße", "don't", "e-mail", "mail",
    "ecole", "ete", "naive", "cooperation", "3.5", ".5", "x_y", "_", "a·b", "·",
    "cat", "at", "a", "catalogue concat", "中", "文 text", "😀", '"like', "near(a",
    "and or", "*", "^", "-", ":", "—", "on the", "zzz", "light zzz", "t",
]  # fmt: skip
# The fast tier takes one query of each kind, the full run all of them: a prefix, accents
# and case, ß, an apostrophe, a hyphen, a number, an underscore, inside a word, CJK, emoji,
# the index's own syntax, a query of no word, no match, one letter.
FAST_QUERIES = {
    "light", "CAFÉ", "straße", "don't", "e-mail", "3.5", "x_y", "at", "中", "😀", "near(a",
    "*", "zzz", "t",
}  # fmt: skip


@pytest.mark.parametrize(
    "query",
    [q if q in FAST_QUERIES else pytest.param(q, marks=pytest.mark.slow) for q in QUERIES],
)
def test_the_full_text_index_never_hides_a_match(demo: Home, query: str) -> None:
    from reflect.lookback.queries import Matcher, Scope, entry_lines, search_days
    from reflect.packs.versions import given_answers, pack_versions

    for number, text in enumerate(TRICKY, start=10):
        write(
            demo, f"2026-11-{number}", f"---\ndate: 2026-11-{number}\n---\n\n## Notes\n\n{text}\n"
        )
    matcher = Matcher(query)
    expected = []
    versions = pack_versions(demo)
    for number in range(10 + len(TRICKY) - 1, 9, -1):
        path = entry_path(demo, d(f"2026-11-{number}"))
        entry = parse_entry(path.read_text("utf-8"), str(path))
        lines = entry_lines(entry, given_answers(entry, versions))
        if any(matcher.spans(line.text) for line in lines):
            expected.append(d(f"2026-11-{number}"))
    found = [
        item.date for item in search_days(demo, matcher, Scope()) if not isinstance(item, BadEntry)
    ]
    assert found == expected


def test_the_definitions_stamp_sees_a_pack_replaced_with_its_time_restored(demo: Home) -> None:
    from reflect.packs.versions import definitions_stamp

    stamp = definitions_stamp(demo)
    pack = demo.packs_dir / "demo.toml"
    stat = pack.stat()
    temp = pack.with_name(".demo.toml.tmp")
    text = pack.read_text(encoding="utf-8")
    temp.write_text(text.replace("One line of gratitude", "One line of GRATITUDE"), "utf-8")
    os.utime(temp, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(temp, pack)
    assert pack.stat().st_size == stat.st_size and pack.stat().st_mtime_ns == stat.st_mtime_ns
    assert definitions_stamp(demo) != stamp


LOOK_BACK = [
    ["search", "team"],
    ["search", "quiet"],
    ["search", "meeting", "--json"],
    ["search", "e", "--tag", "team"],
    ["history", "demo/mood"],
    ["history", "demo/gratitude", "--json"],
    ["trends"],
    ["calendar"],
    ["log", "--tag", "team"],
    ["log", "--where", "demo/mood<=3"],
]


def _outputs(run: Run) -> list[tuple[int, str, str]]:
    found = []
    for args in LOOK_BACK:
        result = run(args)
        found.append((result.exit_code, result.stdout, result.stderr))
    return found


def _damage(home: Home, statement: str) -> None:
    db = sqlite3.connect(index_path(home))
    try:
        changed = db.execute(statement).rowcount
        db.commit()
    finally:
        db.close()
    assert changed > 0, "the damage was done"


# Every kind of damage the tests do to the rows of an index reflect filled.
DAMAGES = [
    # One byte of a day's stored JSON, as a flipped bit leaves it.
    """UPDATE days SET data = replace(data, '"written":true', '"written":trux')""",
    "UPDATE days SET data = json_remove(data, '$.tags')",
    "UPDATE days SET data = CAST(X'7bff7d' AS TEXT)",
    "UPDATE days SET data = '[1, 2]'",
    "UPDATE answers SET value = CAST(X'ff' AS TEXT)",
    "UPDATE answers SET value = '{'",
    "UPDATE given SET value = '{'",
    "UPDATE sections SET prose = CAST(X'ff' AS TEXT)",
    # JSON that decodes to another type than reflect stored, which the readers would trip on.
    "UPDATE days SET data = json_set(data, '$.answers', 'x')",
    """UPDATE days SET data = json_set(data, '$.answers', json('{"demo": {"mood": [1]}}'))""",
    "UPDATE days SET data = json_set(data, '$.versions', json('null'))",
    "UPDATE days SET data = json_set(data, '$.all_tags', json('[5]'))",
    "UPDATE days SET data = json_set(data, '$.tags', 'team')",
    "UPDATE days SET data = json_set(data, '$.packs', json('[1]'))",
    """UPDATE days SET data = json_set(data, '$.packs', json('{"demo": [1]}'))""",
    "UPDATE days SET data = json_set(data, '$.words', json('[[1, 2]]'))",
    """UPDATE days SET data = json_set(data, '$.unfit', json('{"demo/mood": 5}'))""",
    """UPDATE days SET data = json_set(data, '$.versions', json('{"demo/mood": 5}'))""",
    """UPDATE days SET data = json_set(data, '$.answers', json('{"demo": {"mood": {"a": 1}}}'))""",
    "UPDATE sections SET heading = X'41'",
    "UPDATE sections SET key = 'nokey' WHERE key IS NOT NULL",
]
# Each is ten commands run twice; the fast tier damages each kind of row once (a flipped
# byte in a day, JSON cut short in an answer, bytes that are not UTF-8 in a section, JSON
# of another type than reflect stored in a day and in a section), the full run every way.
_FAST = {DAMAGES[0], DAMAGES[5], DAMAGES[7], DAMAGES[8], DAMAGES[19]}
_SLOW = pytest.mark.slow


@pytest.mark.parametrize(
    "statement",
    [damage if damage in _FAST else pytest.param(damage, marks=_SLOW) for damage in DAMAGES],
)
def test_damage_inside_the_index_is_rebuilt_with_the_answer_of_a_cold_run(
    fortnight: Home, run: Run, statement: str
) -> None:
    shutil.rmtree(fortnight.cache_dir, ignore_errors=True)
    cold = _outputs(run)
    assert all(code == 0 for code, _, _ in cold), cold
    _damage(fortnight, statement)
    assert _outputs(run) == cold
    assert files_read(fortnight) == 0, "the index built again is kept"


# Commands that fill the index in part (one command, as a person runs it) and read it
# back in what a script reads.
FIRST_COMMANDS = [
    ["trends"],
    ["search", "team"],
    ["search", "meeting"],
    ["history", "demo/mood"],
    ["log", "--tag", "team"],
    ["calendar"],
]
FINAL_COMMANDS = [
    ["search", "meeting", "--json"],
    ["search", "team", "--json"],
    ["history", "demo/where", "--json"],
    ["history", "demo/gratitude", "--json"],
    ["log", "--where", "demo/mood<=3", "--json"],
    ["export", "--format", "json"],
]


Colds = dict[tuple[str, ...], tuple[int, str, str]]


def _damaged_between(
    home: Home,
    run: Run,
    first: list[str],
    statement: str,
    second: list[str],
    final: list[str],
    colds: Colds | None = None,
) -> None:
    """`final` after an index one command built was damaged and a second command ran answers
    as a run without an index does (a damage that finds no row to change is not done).

    `colds` keeps each `final`'s run without an index for the next call on the same
    unchanged journal: the commands only read it, so that answer never changes.
    """
    colds = {} if colds is None else colds
    if tuple(final) not in colds:
        shutil.rmtree(home.cache_dir, ignore_errors=True)
        cold = run(final)
        assert cold.exit_code == 0, cold.output
        colds[tuple(final)] = (cold.exit_code, cold.stdout, cold.stderr)
    shutil.rmtree(home.cache_dir, ignore_errors=True)
    result = run(first)
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(index_path(home))
    try:
        db.execute(statement)
        db.commit()
    finally:
        db.close()
    result = run(second)
    assert result.exit_code == 0, result.output
    found = run(final)
    assert (found.exit_code, found.stdout, found.stderr) == colds[tuple(final)]


@pytest.mark.parametrize(
    ("first", "statement"),
    [
        # A list where a number was stored: judging the day's answers took it, and the days
        # judged from then on lost every other answer, so a search left them out.
        (["trends"], DAMAGES[9]),
        (["search", "meeting"], DAMAGES[6]),
        (["trends"], DAMAGES[8]),
        # A written answer's section tied to no question: judged so, its answer was gone.
        (["trends"], DAMAGES[20]),
    ],
)
def test_a_damage_found_by_a_second_command_hides_no_day(
    fortnight: Home, run: Run, first: list[str], statement: str
) -> None:
    _damaged_between(fortnight, run, first, statement, ["search", "team"], FINAL_COMMANDS[0])
    _damaged_between(fortnight, run, first, statement, ["trends"], FINAL_COMMANDS[3])


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    first=st.sampled_from(FIRST_COMMANDS),
    statement=st.sampled_from(DAMAGES),
    second=st.sampled_from(FIRST_COMMANDS),
    final=st.sampled_from(FINAL_COMMANDS),
)
def test_any_damage_between_two_commands_hides_nothing_from_a_third(
    fortnight: Home,
    run: Run,
    colds: Colds,
    first: list[str],
    statement: str,
    second: list[str],
    final: list[str],
) -> None:
    # Every example damages only the index of the one journal (the fixtures are the test's,
    # not the example's), so each final command's answer without an index is asked once.
    _damaged_between(fortnight, run, first, statement, second, final, colds)


@pytest.fixture
def colds() -> Colds:
    """Answers of commands run without an index, kept across one test's examples."""
    return {}


def test_the_index_a_cold_run_built_answers_as_the_cold_run_did(fortnight: Home, run: Run) -> None:
    shutil.rmtree(fortnight.cache_dir, ignore_errors=True)
    cold = _outputs(run)
    assert all(code == 0 for code, _, _ in cold), cold
    assert _outputs(run) == cold
    assert files_read(fortnight) == 0, "the index the cold run built is kept"


def test_an_index_of_the_right_version_without_its_tables_is_rebuilt(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    expected = records(demo)
    index_path(demo).unlink()
    db = sqlite3.connect(index_path(demo))
    db.execute("CREATE TABLE x (a)")
    db.execute(f"PRAGMA user_version = {index_module.INDEX_VERSION}")
    db.commit()
    db.close()
    assert records(demo) == expected
    assert files_read(demo) == 0, "built again in the file, not in memory"
    db = sqlite3.connect(index_path(demo))
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert "days" in names and "x" not in names


def test_an_index_missing_one_table_is_rebuilt(fortnight: Home, run: Run) -> None:
    cold = _outputs(run)
    _damage(fortnight, "DELETE FROM tags")
    db = sqlite3.connect(index_path(fortnight))
    db.execute("DROP TABLE tags")
    db.commit()
    db.close()
    assert _outputs(run) == cold
    assert files_read(fortnight) == 0


def test_a_full_text_index_that_lost_its_pages_is_rebuilt_not_believed(
    fortnight: Home, run: Run
) -> None:
    cold = _outputs(run)
    _damage(fortnight, "UPDATE prose_data SET block = zeroblob(length(block)) WHERE id > 10")
    assert _outputs(run) == cold
    result = run(["search", "quiet"])
    assert result.exit_code == 0 and "No matches" not in result.output, result.output
    assert "A quiet morning" in result.stdout
    result = run(["search", "nowhere-at-all"])
    assert "No matches for 'nowhere-at-all'" in result.output


def _ends(pidfd: int) -> bool:
    """Whether the process ends within a minute (at once, as a rule)."""
    import select

    ready, _, _ = select.select([pidfd], [], [], 60)
    return bool(ready)


def enough_days_for_workers(tmp_path: Path) -> Path:
    """A year folder with as many days as it takes for worker processes to read them."""
    folder = tmp_path / "2026"
    folder.mkdir()
    for n in range(index_module.PARALLEL_MIN):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=n)
        (folder / f"{day}.md").write_text(f"---\ndate: {day}\n---\n\nA day.\n", "utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.skipif(
    not hasattr(os, "pidfd_open") or (os.cpu_count() or 1) < 2,
    reason="needs Linux pidfds and two cores for worker processes",
)
def test_worker_processes_end_when_their_reflect_is_killed(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    folder = enough_days_for_workers(tmp_path)
    script = (
        "import sys, os\n"
        "from reflect.journal.index import _Parsers\n"
        "folder = sys.argv[1]\n"
        "jobs = [(os.path.join(folder, n), n[:10]) for n in sorted(os.listdir(folder))]\n"
        "parsers = _Parsers()\n"
        "assert all(error is None for _, _, error in parsers.parse(jobs))\n"
        "print(*parsers.pool._processes, flush=True)\n"
        "sys.stdin.read()\n"
    )
    reflect = subprocess.Popen(
        [sys.executable, "-c", script, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reflect.stdout is not None
    workers = [int(pid) for pid in reflect.stdout.readline().split()]
    assert workers, "the files were read by worker processes"
    ends = [os.pidfd_open(pid) for pid in workers]
    try:
        reflect.send_signal(signal.SIGKILL)
        reflect.wait()
        # A generous bound, only reached when a worker outlives its parent.
        left = [pid for pid, end in zip(workers, ends, strict=True) if not _ends(end)]
        assert not left, f"workers {left} outlived the reflect that started them"
    finally:
        for end in ends:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(end, signal.SIGKILL)
            os.close(end)


@pytest.mark.skipif(
    not Path("/proc/self/status").exists() or (os.cpu_count() or 1) < 2,
    reason="reads a process's ignored signals from /proc; worker processes need two cores",
)
def test_worker_processes_leave_ctrl_c_to_their_reflect(tmp_path: Path) -> None:
    """Ctrl-C stops reflect (exit 130), never a worker halfway through a file it then calls unreadable."""
    import signal

    folder = enough_days_for_workers(tmp_path)
    jobs = [(str(path), path.name[:10]) for path in sorted(folder.iterdir())]
    ours = signal.getsignal(signal.SIGINT)
    parsers = index_module._Parsers()
    try:
        assert all(error is None for _, _, error in parsers.parse(jobs))
        workers = list(parsers.pool._processes)
        assert workers, "the files were read by worker processes"
        for pid in workers:
            status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
            ignored = int(status.split("SigIgn:")[1].split()[0], 16)
            assert ignored & (1 << (signal.SIGINT - 1)), f"worker {pid} would stop on Ctrl-C"
    finally:
        parsers.close()
    assert signal.getsignal(signal.SIGINT) is ours, "reflect's own handling of Ctrl-C unchanged"


def test_a_day_in_another_years_folder_is_no_entry_for_any_command(demo: Home, run: Run) -> None:
    write(demo, "2025-03-01", "---\ndate: 2025-03-01\ntags: [old]\n---\n\n## Notes\n\nalpha\n")
    write(demo, "2026-03-01", "---\ndate: 2026-03-01\n---\n\n## Notes\n\nalpha too\n")
    assert "2025-03-01" in run(["search", "alpha"]).stdout
    (demo.entries_dir / "2025").rename(demo.entries_dir / "2024")
    moved = demo.entries_dir / "2024" / "2025-03-01.md"
    fix = f"mv {moved} {demo.entries_dir / '2025' / '2025-03-01.md'}"
    for args in (
        ["search", "alpha"],
        ["search", "alpha", "--since", "2025-01-01"],
        ["search", "alpha", "--until", "2024-12-31"],
        ["log", "--tag", "old"],
        ["log", "--since", "2025-01-01"],
        ["show", "2025-03-01"],
    ):
        result = run(args)
        assert "2025-03-01 " not in result.stdout, (args, result.output)
        if len(args) == 2 and args[0] != "show":  # the whole journal: the folder is read
            assert fix in result.stderr, (args, result.output)
    assert "2026-03-01" in run(["search", "alpha", "--since", "2025-01-01"]).stdout
    doctor = run(["doctor"])
    assert "a day of 2025 in the 2024 folder" in doctor.output
    assert fix in doctor.output


def test_a_link_to_nothing_named_like_a_day_is_reported(demo: Home, run: Run) -> None:
    answer(demo, "2026-11-11", "mood=2")
    link = entry_path(demo, d("2026-11-10"))
    link.symlink_to(link.with_name("gone.md"))
    for args in (["log"], ["search", "x"], ["trends"]):
        result = run(args)
        assert f"{link}: a link to a file that does not exist" in result.stderr, result.output


@pytest.mark.parametrize(
    ("code", "message", "damage"),
    [
        (267, "x", True),  # SQLITE_CORRUPT_VTAB: a full-text index's own storage
        (779, "x", True),  # SQLITE_CORRUPT_INDEX
        (26, "file is not a database", True),
        (5, "database is locked", False),
        (13, "database or disk is full", False),
        (8, "attempt to write a readonly database", False),
    ],
)
def test_damage_is_told_from_a_busy_or_full_index(code: int, message: str, damage: bool) -> None:
    from reflect.journal.index_store import is_damage

    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    assert is_damage(exc) is damage


def test_a_full_text_index_that_lost_some_days_of_a_word_is_rebuilt(demo: Home, run: Run) -> None:
    for day in ("2026-11-10", "2026-11-11", "2026-11-12"):
        write(demo, day, f"---\ndate: {day}\n---\n\n## Notes\n\nA walk to the harbour.\n")
    whole = run(["search", "harbour"])
    assert whole.exit_code == 0 and whole.stdout.count("harbour") == 3, whole.output
    # One day's words gone from the full-text index while the day's row stays: what lost
    # pages leave, with SQLite reporting nothing.
    _damage(demo, "DELETE FROM prose WHERE rowid = (SELECT min(rowid) FROM prose)")
    assert (run(["search", "harbour"]).stdout, files_read(demo)) == (whole.stdout, 0)


@given(st.integers(min_value=1, max_value=9998))
def test_a_years_entry_names_are_its_days_names(year: int) -> None:
    first = dt.date(year, 1, 1)
    days = [first + dt.timedelta(days=n) for n in range(366)]
    stems = [f"{day.isoformat()}.md" for day in days if day.year == year]
    expected = {*stems, *(f"{stem}.age" for stem in stems)}
    for folder in {str(year), f"{year:04d}"}:
        prefix, after = looked.year_days(folder)
        assert {prefix + name for name in after} == expected


def test_a_folder_that_is_no_year_takes_every_name_to_the_full_check() -> None:
    for folder in ("x", "", "10000", "0", "-1"):
        assert looked.year_days(folder) == ("", frozenset())


def test_files_of_a_year_folder_reached_through_a_link_are_looked_at(demo: Home) -> None:
    answer(demo, "2026-11-10", "mood=2")
    real = demo.root / "elsewhere"
    (demo.entries_dir / "2026").rename(real)
    (demo.entries_dir / "2026").symlink_to(real)
    records(demo)
    assert files_read(demo) == 0
    path = real / "2026-11-10.md"
    path.write_text(path.read_text(encoding="utf-8").replace("mood: 2", "mood: 4"), "utf-8")
    (record,) = records(demo)
    assert isinstance(record, DayRecord) and record.answers == {"demo": {"mood": 4}}


def test_a_folders_print_moves_with_any_name_or_number() -> None:
    keys = {"2026-01-01.md": (10, 20, 30, 40), "2026-01-02.md": (11, 21, 2**63 - 1, -5)}
    seal = index_module._print(keys)
    assert seal is not None and seal == index_module._print(dict(keys))
    changed = [
        {**keys, "2026-01-02.md": (11, 21, 2**63 - 1, -4)},
        {**keys, "2026-01-03.md": (1, 2, 3, 4)},
        {"2026-01-01.md": keys["2026-01-01.md"]},
        {"2026-01-01.md": (10, 20, 2**64 - 1, 40), "2026-01-02.md": keys["2026-01-02.md"]},
    ]
    seals = [index_module._print(other) for other in changed]
    assert None not in seals and len({seal, *seals}) == len(changed) + 1
    assert index_module._print({**keys, "2026-01-03.md": None}) is None
    assert index_module._print({**keys, "2026-01-03.md": (1, index_module.UNSETTLED, 3, 4)}) is None


def test_the_last_year_a_date_can_have_is_read_like_any_other(demo: Home, run: Run) -> None:
    # Its names were once made by counting days past its end: a traceback for any look-back.
    write(demo, "9999-12-31", "---\ndate: 9999-12-31\n---\n\n## Notes\n\nalpha\n")
    result = run(["search", "alpha"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("9999-12-31")
    assert result.stderr == "1 matching line(s) on 1 day(s).\n"


def test_the_distinct_answers_are_those_select_distinct_finds(tmp_path: Path) -> None:
    # One index for every example, emptied before each: making one costs more than a search.
    with Index(Home(tmp_path / "journal")) as index:

        @given(
            st.lists(
                st.tuples(
                    st.sampled_from(["a", "b", "ab"]),
                    st.sampled_from(["p", "q"]),
                    st.sampled_from(['"x"', '"y"', "1", "true"]),
                    st.sampled_from([None, "1.0", "1.0.0", "2.0"]),
                ),
                max_size=40,
            )
        )
        def check(rows: list[tuple[str, str, str, str | None]]) -> None:
            index.db.execute("DELETE FROM answers")
            index.db.executemany(
                "INSERT INTO answers (day, pack, prompt, value, version) VALUES (1, ?, ?, ?, ?)",
                rows,
            )
            found = list(index._distinct_answers())
            expected = index.db.execute(
                "SELECT DISTINCT pack, prompt, value, version FROM answers"
            ).fetchall()
            assert len(found) == len(set(found))
            assert set(found) == set(expected)

        check()


def test_a_folders_seal_is_its_print_and_none_when_a_file_moved_or_went(tmp_path: Path) -> None:
    folder = tmp_path / "2024"
    folder.mkdir()
    names = ["2024-01-01.md", "2024-01-02.md", "2024-02-29.md"]
    for name in names:
        (folder / name).write_text(f"# {name}\n", encoding="utf-8")
    base = f"{folder}{os.sep}"
    sealed = looked.folder_seal(base, names, 0)
    assert sealed is not None
    assert sealed == looked.folder_print(looked.looked_at(base, names, "", "~", 0))
    assert looked.folder_seal(base, [], 0) == looked.folder_print({})
    # Written just now: not settled, so no seal, as no print.
    assert looked.folder_seal(base, names, 10**18) is None
    assert looked.folder_print(looked.looked_at(base, names, "", "~", 10**18)) is None
    stat = (folder / names[1]).stat()
    (folder / names[1]).write_text("# changed, and longer\n", encoding="utf-8")
    os.utime(folder / names[1], ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert looked.folder_seal(base, names, 0) != sealed
    (folder / names[2]).unlink()
    assert looked.folder_seal(base, names, 0) is None


class _Statements:
    """The index's connection, noting the text of each statement run on it."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db, self.texts = db, set[str]()

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        self.texts.add(sql)
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)


def test_days_asked_for_by_id_take_one_statement_text_whatever_their_number(
    fortnight: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite keeps each statement text's compiled program: ids asked for in chunks of every
    length (a year folder's days, a search's hits) once held megabytes of them."""
    from reflect.packs.versions import definitions_stamp, judge_with, pack_versions

    monkeypatch.setattr(index_module, "CHUNK", 4)
    monkeypatch.setattr(index_module, "_MARKS", "?,?,?,?")
    stamp, judge = definitions_stamp(fortnight), judge_with(pack_versions(fortnight))
    with Index(fortnight) as index:
        index.refresh()
        ids = index.day_ids([f.name for f in index.folders(None, None)], None, None)
        assert len(ids) == 6  # chunks of 1 to 4 ids, and of 4 and 1 or 2
        whole = [(date, path) for date, path, _, _ in index.stored(ids, stamp, judge)]
        noted = _Statements(index.db)
        index.db = noted  # type: ignore[assignment]
        for n in range(1, len(ids) + 1):
            wanted = ids[:n]
            assert [(date, path) for date, path, _, _ in index.stored(wanted, stamp, judge)] == (
                whole[:n]
            )
            assert [row[0] for row in index.paths(wanted)] == [row[0] for row in whole[:n]]
            assert index.newest_first(wanted[::-1], None, None) == wanted
        assert len(noted.texts) == 5, noted.texts  # 3 in `stored`, 1 each in the others
