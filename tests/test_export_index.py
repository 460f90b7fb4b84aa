"""A summary read from the index is the summary read from every file, byte for byte.

`export` takes the range's answers from the index for md, html and json
(`ReviewQuery.times=False`); csv, which shows when each answer was given,
reads the files. Both ways must write the same document.
"""

import dataclasses
import datetime as dt
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reflect.journal.index as index_module
from reflect.export.data import review_data
from reflect.export.json_text import json_text
from reflect.export.markdown import review_markdown
from reflect.export.page import review_html
from reflect.export.review import ReviewQuery, build_review
from reflect.journal.config import load_config
from reflect.journal.entry import Entry, serialize
from reflect.journal.home import Home
from reflect.journal.index_store import index_path
from reflect.journal.store import entry_path
from reflect.model.dates import DateRange
from reflect.packs.library import readable_packs

from .conftest import DATA, Run, d
from .strategies import slugs
from .test_index import headings, values
from .test_search_cold import awkward  # noqa: F401  (a fixture)

TODAY = d("2026-11-30")


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "SETTLED_NS", 0)


def _query(home: Home, span: DateRange, **options: object) -> ReviewQuery:
    packs, _ = readable_packs(home)
    config = load_config(home)
    return ReviewQuery(
        packs=packs,
        enabled=config.packs,
        span=span,
        today=TODAY,
        client=config.name,
        **options,  # type: ignore[arg-type]
    )


def _documents(home: Home, query: ReviewQuery) -> tuple[str, str, str]:
    with build_review(home, query) as review:
        return json_text(review_data(review)), review_markdown(review), review_html(review)


def _same_both_ways(home: Home, query: ReviewQuery) -> None:
    from_files = _documents(home, query)
    index_path(home).unlink(missing_ok=True)
    cold = _documents(home, dataclasses.replace(query, times=False))
    warm = _documents(home, dataclasses.replace(query, times=False))
    assert index_path(home).exists()
    assert cold == from_files
    assert warm == from_files


SPANS = [
    DateRange(d("2024-01-01"), d("2026-11-30")),
    DateRange(d("2025-06-01"), d("2025-06-30")),
    DateRange(d("2026-11-16"), d("2026-11-22")),
]
OPTIONS: list[dict[str, object]] = [
    {},
    {"previous_weeks": 0},
    {"only": ["demo"]},
    {"only": ["demo"], "share": True},
    {"only": ["demo"], "share": True, "include_text": True, "previous_weeks": 2},
]
slow = pytest.mark.slow


# The fast tier takes each range and each set of options once, the full run every pair.
@pytest.mark.parametrize(
    ("options", "span"),
    [
        pytest.param(
            options,
            span,
            id=f"{options}-{span}",
            marks=() if SPANS.index(span) == OPTIONS.index(options) % len(SPANS) else slow,
        )
        for options in OPTIONS
        for span in SPANS
    ],
)
def test_a_summary_from_the_index_is_the_summary_from_the_files(
    awkward: Home,  # noqa: F811
    span: DateRange,
    options: dict[str, object],
) -> None:
    _same_both_ways(awkward, _query(awkward, span, **options))


def test_the_summary_follows_a_file_changed_after_the_index_was_filled(
    awkward: Home,  # noqa: F811
) -> None:
    query = _query(awkward, SPANS[0], times=False)
    before = _documents(awkward, query)
    path = entry_path(awkward, d("2025-06-03"))
    path.write_text(path.read_text(encoding="utf-8").replace("demo/mood: 2", "demo/mood: 5"))
    after = _documents(awkward, query)
    assert after != before
    assert after == _documents(awkward, dataclasses.replace(query, times=True))


def test_export_json_writes_what_the_files_say(awkward: Home, run: Run) -> None:  # noqa: F811
    expected = _documents(awkward, _query(awkward, SPANS[0]))[0]
    for _ in ("cold", "warm"):
        result = run(["export", "--from", "2024-01-01", "--to", "2026-11-30", "-f", "json"])
        assert result.exit_code == 0, result.output
        # The range ends before today's clock reaches it in this test: only the generator line
        # and what depends on today may differ, and neither does for a past range.
        assert json.loads(result.stdout) == json.loads(expected)
        assert result.stdout == expected
        assert "2025-06-11.md" in result.stderr  # a file the reader refuses is still named


prompt_ids = st.sampled_from(["mood", "threatened", "share", "where", "hours", "gratitude"]) | slugs
tied_headings = st.sampled_from(
    ["One line of gratitude", "Whose, and what was the pang about?", "Notes", "Notes (09:30)"]
)


@pytest.mark.slow
@given(
    days=st.lists(
        st.tuples(
            st.integers(0, 20),
            # 1.0.0 is the pack's own version; the others are kept nowhere.
            st.sampled_from(["1.0.0", "0.9", "2.0.0"]),
            st.dictionaries(prompt_ids, values, max_size=5),
            st.lists(st.tuples(tied_headings | headings, st.text(max_size=40)), max_size=4),
        ),
        min_size=1,
        max_size=4,
    ),
    previous=st.integers(0, 3),
    share=st.booleans(),
)
def test_any_journal_sums_up_the_same_from_the_index(
    days: list[tuple[int, str, dict[str, object], list[tuple[str, str]]]],
    previous: int,
    share: bool,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = Home(Path(folder)).ensure()
        shutil.copy(DATA / "demo.toml", home.packs_dir / "demo.toml")
        home.config_path.write_text('packs = ["demo"]\n', encoding="utf-8")
        for offset, version, answers, sections in days:
            day = d("2026-11-02") + dt.timedelta(days=offset)
            entry = Entry.new(day)
            for prompt, value in answers.items():
                entry.set_answer("demo", version, prompt, value)  # type: ignore[arg-type]
            for heading, text in sections:
                entry.set_prose(heading, text)
            path = entry_path(home, day)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(serialize(entry), encoding="utf-8")
        span = DateRange(d("2026-11-02"), d("2026-11-22"))
        options: dict[str, object] = {"previous_weeks": previous}
        if share:
            options.update(only=["demo"], share=True)
        _same_both_ways(home, _query(home, span, **options))


# One damage of each kind stays in the fast tier: a day's JSON broken, a given value and
# a section's prose that do not read, and JSON of another type than reflect stored.
@pytest.mark.parametrize(
    "statement",
    [
        """UPDATE days SET data = replace(data, '"written":true', '"written":trux')""",
        pytest.param("UPDATE days SET data = json_remove(data, '$.pack_versions')", marks=slow),
        pytest.param("UPDATE days SET data = '[1, 2]'", marks=slow),
        "UPDATE given SET value = '{'",
        pytest.param("UPDATE given SET value = CAST(X'ff' AS TEXT)", marks=slow),
        "UPDATE sections SET prose = CAST(X'ff' AS TEXT)",
        # JSON that decodes to another type than reflect stored, which the readers would trip on.
        "UPDATE days SET data = json_set(data, '$.answers', 'x')",
        pytest.param(
            """UPDATE days SET data = json_set(data, '$.answers', json('{"demo": {"mood": [1]}}'))""",
            marks=slow,
        ),
        pytest.param(
            "UPDATE days SET data = json_set(data, '$.versions', json('null'))", marks=slow
        ),
        pytest.param(
            "UPDATE days SET data = json_set(data, '$.all_tags', json('[5]'))", marks=slow
        ),
        pytest.param("UPDATE days SET data = json_set(data, '$.tags', 'team')", marks=slow),
        pytest.param("UPDATE sections SET key = 'nokey' WHERE key IS NOT NULL", marks=slow),
    ],
)
def test_damage_inside_the_index_gives_the_summary_from_the_files(
    fortnight: Home, run: Run, statement: str
) -> None:
    args = ["export", "--from", "2026-11-01", "--to", "2026-11-30", "-f", "json"]
    first = run(args)
    assert first.exit_code == 0, first.output
    db = sqlite3.connect(index_path(fortnight))
    try:
        assert db.execute(statement).rowcount > 0, "the damage was done"
        db.commit()
    finally:
        db.close()
    again = run(args)
    assert again.exit_code == 0, again.output
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr)


def _long_journal(home: Home, days: int) -> None:
    """A day a day from 2026-01-01: four answers, a follow-up and a note."""
    start = d("2026-01-01")
    for n in range(days):
        day = (start + dt.timedelta(days=n)).isoformat()
        path = entry_path(home, d(day))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ndate: {day}\nformat: 2\ndemo/mood: {n % 5 + 1}\ndemo/threatened: true\n"
            f"demo/share: {n % 10 * 10}\ndemo/hours: {n % 9}\n---\n\n"
            "## Whose, and what was the pang about?\n<!-- reflect: demo/threatened/follow-up -->"
            f"\n\nA rival, day {n}.\n\n## Notes (09:30)\n\nA walk on day {n}.\n",
            encoding="utf-8",
        )


def test_a_summary_holds_no_day_while_it_is_written(demo: Home) -> None:
    """Each question's answers and follow-ups and the notes are made as they are written: at
    every piece of text handed on, no day's answer or note made for it is still alive."""
    import gc

    from reflect.export.json_text import write_json
    from reflect.export.review import DayAnswer, Note

    _long_journal(demo, 120)
    query = _query(demo, DateRange(d("2026-01-01"), d("2026-04-30")), times=False)
    alive: list[int] = []
    pieces: list[str] = []

    def write(text: str) -> None:
        kinds = (DayAnswer, Note)
        alive.append(sum(1 for o in gc.get_objects() if isinstance(o, kinds)))
        pieces.append(text)

    with build_review(demo, query) as review:
        write_json(review_data(review, lazy=True), write)
    data = json.loads("".join(pieces))
    (pack,) = data["packs"]
    days = {p["id"]: len(p["days"]) for p in pack["prompts"]}
    assert days == {"mood": 120, "threatened": 120, "share": 120, "hours": 120}
    assert len(pack["prompts"][1]["follow_ups"]) == 120 and len(data["notes"]) == 120
    # Held, they would be 720 (480 answers, 120 follow-ups, 120 notes) at the last piece.
    assert max(alive) <= 1, alive


def test_the_trends_of_a_summary_keep_no_period_once_past(
    demo: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trends passes a summary starts with fold each day in and keep each period's level
    only: at most a question's whole range and its open period are alive, never a figure per
    week, and the levels are the ones a pass keeping every period gives."""
    from reflect.trends import stats

    live, most = [0], [0]

    class Counted(stats._Acc):
        def __init__(self) -> None:
            super().__init__()
            live[0] += 1
            most[0] = max(most[0], live[0])

        def __del__(self) -> None:
            live[0] -= 1

    _long_journal(demo, 120)
    span = DateRange(d("2026-01-01"), d("2026-04-30"))
    packs, _ = readable_packs(demo)
    enabled = load_config(demo).packs

    def levels(levels_only: bool) -> dict[tuple[str, str], list[float | None]]:
        query = stats.TrendsQuery(
            packs, enabled, span, "week", d("2026-05-01"), most=None, levels_only=levels_only
        )
        found = stats.load_trends(demo, query)
        rows = [row for pack in found.packs for row in pack.prompts]
        assert all(not row.periods for row in rows) == levels_only
        return {(row.pack, row.prompt): [*row.levels, row.overall] for row in rows}

    whole = levels(False)
    monkeypatch.setattr(stats, "_Acc", Counted)
    assert levels(True) == whole
    # Kept by period, they would be one a row a week: 9 rows, 18 weeks.
    assert len(whole) == 9 and len(next(iter(whole.values()))) == 19
    assert 0 < most[0] <= 2 * len(whole) + 1, most


def test_days_out_of_date_order_are_summed_up_keeping_every_period(
    demo: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass that keeps only levels cannot take a day of a period it has let go: it runs
    again keeping every period, and gives the same figures."""
    from reflect.trends import stats

    _long_journal(demo, 40)
    span = DateRange(d("2026-01-01"), d("2026-02-09"))
    packs, _ = readable_packs(demo)
    query = stats.TrendsQuery(
        packs, load_config(demo).packs, span, "week", d("2026-03-01"), most=None
    )

    def figures(found: stats.Trends) -> dict[tuple[str, str], list[object]]:
        rows = [row for pack in found.packs for row in pack.prompts]
        return {(row.pack, row.prompt): [*row.levels, row.overall] for row in rows}

    expected = figures(stats.load_trends(demo, query))
    original = stats.use_days

    def backwards(home: Home, since: object, until: object, use: object) -> object:
        return original(home, since, until, lambda days: use(list(days)[::-1]))  # type: ignore[arg-type, operator]

    monkeypatch.setattr(stats, "use_days", backwards)
    found = stats.load_trends(demo, dataclasses.replace(query, levels_only=True))
    assert all(row.periods for pack in found.packs for row in pack.prompts)
    assert figures(found) == expected
