"""The schedule: deterministic, fair over time, weekday and pinned prompts."""

import datetime as dt
from collections import Counter

from reflect.model.pack import Pack
from reflect.packs.library import builtin_dir, load_pack
from reflect.packs.schedule import prompts_for, rotating_for

from .conftest import DATA

DEMO = load_pack(DATA / "demo.toml")
THURSDAY = dt.date(2026, 11, 26)


def keys(day: dt.date, packs: list[Pack]) -> list[str]:
    return [item.key for item in prompts_for(day, packs)]


def test_same_day_same_questions() -> None:
    packs = [load_pack(p) for p in sorted(builtin_dir().glob("*.toml"))]
    assert keys(THURSDAY, packs) == keys(THURSDAY, [*packs])
    assert keys(THURSDAY, packs) != keys(THURSDAY + dt.timedelta(days=1), packs)


def test_pinned_every_day_and_weekday_only_on_its_day() -> None:
    thursday = keys(THURSDAY, [DEMO])
    friday = keys(THURSDAY + dt.timedelta(days=1), [DEMO])
    pinned = [
        "demo/mood",
        "demo/threatened",
        "demo/share",
        "demo/where",
        "demo/hours",
        "demo/gratitude",
    ]
    assert thursday[:6] == pinned and friday[:6] == pinned
    assert "demo/friday" not in thursday
    assert "demo/friday" in friday
    assert len(thursday) == 7 and len(friday) == 8


def test_rotation_is_even_over_many_days() -> None:
    pack = load_pack(builtin_dir() / "growth-mindset.toml")
    rotating = [p.id for p in pack.prompts if p.rotates]
    days = len(rotating) * 50  # 100 draws per prompt when per_day is 2
    counts = Counter(
        p.id for n in range(days) for p in rotating_for(pack, THURSDAY + dt.timedelta(days=n))
    )
    assert set(counts) == set(rotating)
    assert max(counts.values()) - min(counts.values()) <= 2, counts


def test_no_prompt_twice_on_one_day_and_no_long_gaps() -> None:
    pack = load_pack(builtin_dir() / "servant-leadership.toml")
    rotating = [p.id for p in pack.prompts if p.rotates]
    last_seen: dict[str, int] = {}
    longest = 0
    for n in range(400):
        ids = [p.id for p in rotating_for(pack, THURSDAY + dt.timedelta(days=n))]
        assert len(ids) == len(set(ids)) == pack.per_day
        for pid in ids:
            if pid in last_seen:
                longest = max(longest, n - last_seen[pid])
            last_seen[pid] = n
    # each prompt comes round once per cycle of len/per_day days; two cycles at most
    assert longest <= 2 * len(rotating) // pack.per_day + 1


def test_schedule_reads_no_journal(home: object) -> None:
    # prompts_for takes only a date and packs: a hundred years of entries cost nothing.
    assert keys(dt.date(2126, 11, 26), [DEMO])[:6] == keys(THURSDAY, [DEMO])[:6]
