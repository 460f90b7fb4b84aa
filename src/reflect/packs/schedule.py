"""Which prompts are asked on a given day: pinned ones, weekday ones, and a fair rotation.

Pure functions of the date and the packs, so the same day always gets the
same questions and deciding never reads the journal.
"""

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from reflect.model.dates import weekday_name
from reflect.model.pack import AnyPrompt, Pack


@dataclass(frozen=True)
class Asked:
    """One question on one day, with the pack that asks it."""

    pack: Pack
    prompt: AnyPrompt

    @property
    def key(self) -> str:
        return f"{self.pack.id}/{self.prompt.id}"


def _shuffled(pack: Pack, rotating: list[AnyPrompt], cycle: int) -> list[AnyPrompt]:
    order = list(rotating)
    random.Random(f"{pack.id}:{len(rotating)}:{cycle}").shuffle(order)
    return order


def _cycle_order(pack: Pack, rotating: list[AnyPrompt], cycle: int, count: int) -> list[AnyPrompt]:
    """The order of one cycle: a fresh shuffle, so every rotating prompt comes once per cycle.

    A day can straddle two cycles; prompts that ended the previous cycle are
    moved out of the first places of this one, so no day asks one twice. The
    swap never touches the last places, so the next cycle's check still holds.
    """
    order = _shuffled(pack, rotating, cycle)
    overlap = count - 1
    if overlap == 0 or len(order) < 4 * overlap:
        return order
    ended = {id(p) for p in _shuffled(pack, rotating, cycle - 1)[-overlap:]}
    free = [i for i in range(overlap, len(order) - overlap) if id(order[i]) not in ended]
    for i in range(overlap):
        if id(order[i]) in ended:
            j = free.pop(0)
            order[i], order[j] = order[j], order[i]
    return order


def rotating_for(pack: Pack, day: dt.date) -> list[AnyPrompt]:
    """The `per_day` rotating prompts of a pack for a day: a round robin over seeded shuffles."""
    rotating = [p for p in pack.prompts if p.rotates]
    count = min(pack.per_day, len(rotating))
    if count == 0:
        return []
    chosen: list[AnyPrompt] = []
    taken: set[int] = set()
    # A day spans at most two cycles; each is shuffled once, not once per pick
    # (with 5,000 prompts and 100 a day, that was minutes for a year's preview).
    orders: dict[int, list[AnyPrompt]] = {}
    position = day.toordinal() * count
    while len(chosen) < count:
        cycle, index = divmod(position, len(rotating))
        if cycle not in orders:
            orders[cycle] = _cycle_order(pack, rotating, cycle, count)
        prompt = orders[cycle][index]
        if id(prompt) not in taken:
            taken.add(id(prompt))
            chosen.append(prompt)
        position += 1
    return chosen


def prompts_for(day: dt.date, packs: list[Pack]) -> list[Asked]:
    """Every question for a day, pack by pack: pinned and weekday prompts, then the rotation."""
    weekday = weekday_name(day)
    asked: list[Asked] = []
    for pack in packs:
        picked = {id(p) for p in rotating_for(pack, day)}
        asked.extend(
            Asked(pack, p) for p in pack.prompts if p.pin or p.on == weekday or id(p) in picked
        )
    return asked


def days_ahead(packs: list[Pack], start: dt.date, days: int) -> list[tuple[dt.date, list[Asked]]]:
    """The questions of each day from `start` on, as a coach would check a rotation."""
    return [
        (day, prompts_for(day, packs))
        for day in (start + dt.timedelta(days=n) for n in range(days))
    ]


PROMPTS_FORMAT = 2
PREVIEW_FORMAT = 2


def prompts_data(day: dt.date, asked: list[Asked]) -> dict[str, Any]:
    """`reflect prompt --json`: the day's questions, each with its pack and type's fields."""
    prompts = []
    for item in asked:
        data: dict[str, Any] = {"pack": item.pack.id}
        data.update(item.prompt.model_dump(exclude_none=True, exclude_defaults=True))
        data["id"], data["text"], data["type"] = item.prompt.id, item.prompt.text, item.prompt.type
        prompts.append(data)
    return {"format": PROMPTS_FORMAT, "date": day.isoformat(), "prompts": prompts}


def preview_data(plan: list[tuple[dt.date, list[Asked]]]) -> dict[str, Any]:
    """`reflect packs preview --json`: the prompt ids each coming day would ask."""
    days = [
        {"date": day.isoformat(), "prompts": [item.prompt.id for item in asked]}
        for day, asked in plan
    ]
    return {"format": PREVIEW_FORMAT, "days": days}
