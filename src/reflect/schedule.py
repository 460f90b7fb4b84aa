"""Which prompts are asked on a given day: pinned ones, weekday ones, and a fair rotation.

Pure functions of the date and the packs, so the same day always gets the
same questions and deciding never reads the journal.
"""

import datetime as dt
import random
from dataclasses import dataclass

from reflect.dates import weekday_name
from reflect.models import AnyPrompt, Pack


@dataclass(frozen=True)
class Asked:
    """One question on one day, with the pack that asks it."""

    pack: Pack
    prompt: AnyPrompt

    @property
    def key(self) -> str:
        return f"{self.pack.id}/{self.prompt.id}"


def _cycle_order(pack: Pack, rotating: list[AnyPrompt], cycle: int) -> list[AnyPrompt]:
    # A fresh shuffle per cycle: every rotating prompt comes round once per
    # cycle, so none is starved, and the order still varies.
    order = list(rotating)
    random.Random(f"{pack.id}:{len(rotating)}:{cycle}").shuffle(order)
    return order


def rotating_for(pack: Pack, day: dt.date) -> list[AnyPrompt]:
    """The `per_day` rotating prompts of a pack for a day: a round robin over seeded shuffles."""
    rotating = [p for p in pack.prompts if p.rotates]
    count = min(pack.schedule.per_day, len(rotating))
    if count == 0:
        return []
    chosen: list[AnyPrompt] = []
    position = day.toordinal() * count
    while len(chosen) < count:
        cycle, index = divmod(position, len(rotating))
        prompt = _cycle_order(pack, rotating, cycle)[index]
        if all(prompt is not other for other in chosen):
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
            Asked(pack, p)
            for p in pack.prompts
            if p.pin or p.on == weekday or id(p) in picked
        )
    return asked
