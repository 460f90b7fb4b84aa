"""Write a synthetic journal: N days of answers to the built-in packs, with realistic prose.

The same arguments always give the same files. Days are skipped now and then
(and sometimes a week or two in a row), answers drift slowly so trends have
something to show, and two retired prompts carry answers from the early
years: one a pack dropped in an upgrade, one from a pack since removed.

    python bench/generate.py HOME --days 3650 [--end 2026-11-26] [--seed 1] [--jrnl FILE]

With --jrnl, the same days are also written as one jrnl journal (its plain
text format): each day's prose, its answers as "pack/prompt: value" lines and
its tags as @tags, so both journals hold the same words. About one day in
two hundred mentions a lighthouse (a rare word to search for); "credit"
comes up most days.
"""

import argparse
import datetime as dt
import random
from pathlib import Path

from reflect.journal.entry import Entry, serialize
from reflect.journal.home import Home
from reflect.journal.store import entry_path
from reflect.model.pack import (
    AnswerValue,
    AnyPrompt,
    ChoicePrompt,
    NumberPrompt,
    Pack,
    ScalePrompt,
    TextPrompt,
    YesNoPrompt,
    heading_for,
)
from reflect.packs.library import find_pack
from reflect.packs.schedule import prompts_for

PACKS = ("daily", "growth-mindset", "partnership", "co-creator")
ZONE = dt.timezone(dt.timedelta(hours=1))
TAGS = ("team", "one-to-one", "launch", "hiring", "offsite", "feedback", "planning", "travel")
WHO = (
    "a colleague",
    "my manager",
    "the new hire",
    "the design lead",
    "someone on the platform team",
    "a peer from another team",
    "the product owner",
    "an engineer I mentor",
)
DID = (
    "asked for help with the migration plan",
    "shared a draft of the roadmap before it was ready",
    "took over the release checklist",
    "disagreed with the estimate in the planning meeting",
    "proposed a simpler design for the import",
    "stayed late to fix the flaky tests",
    "pointed out a gap in the on-call rota",
    "gave a clear demo to the customer",
    "gave credit to the team for the launch",
    "asked who should get credit for the fix",
)
FELT = (
    "I noticed a small pang of envy and let it pass",
    "I was glad and said so in the channel",
    "I wanted to jump in with my own idea but waited",
    "I asked a question instead of defending my plan",
    "it reminded me how much I still have to learn",
    "I felt relieved that it was not on my plate",
    "I caught myself explaining before I had listened",
    "it was easier than I expected to hand it over",
)
NEXT = (
    "Tomorrow I will ask how it went.",
    "Next time I want to say thank you sooner.",
    "I should write this down in the team notes.",
    "Worth raising in our next one-to-one.",
    "I will try to leave more room in the meeting.",
    "Keep an eye on it over the week.",
)


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(WHO).capitalize()} {rng.choice(DID)}, and {rng.choice(FELT)}."


def prose(rng: random.Random, sentences: int) -> str:
    parts = [sentence(rng) for _ in range(sentences)]
    if rng.random() < 0.5:
        parts.append(rng.choice(NEXT))
    if rng.random() < 0.002:
        parts.append("On the walk home I passed the old lighthouse and thought about it.")
    return " ".join(parts)


class Journal:
    """The state that drifts from day to day: moods, habits, the share of partnering."""

    def __init__(self, seed: int, packs: list[Pack]) -> None:
        self.rng = random.Random(seed)
        self.packs = packs
        self.drift: dict[str, float] = {}
        self.gap = 0

    def lean(self, key: str, low: float, high: float) -> float:
        """A value that wanders slowly between low and high."""
        value = self.drift.get(key, self.rng.uniform(low, high))
        value += self.rng.gauss(0, (high - low) / 40)
        value = min(max(value, low), high)
        self.drift[key] = value
        return value

    def value(self, pack: Pack, prompt: AnyPrompt) -> AnswerValue:
        key = f"{pack.id}/{prompt.id}"
        rng = self.rng
        if isinstance(prompt, YesNoPrompt):
            return rng.random() < self.lean(key, 0.15, 0.85)
        if isinstance(prompt, ScalePrompt):
            steps = round((prompt.max - prompt.min) / prompt.step)
            centre = self.lean(key, 0.25, 0.85) * steps
            step = min(max(round(rng.gauss(centre, steps / 6)), 0), steps)
            number = prompt.min + step * prompt.step
            return int(number) if float(number).is_integer() else number
        if isinstance(prompt, NumberPrompt):
            return round(rng.uniform(prompt.min or 0, prompt.max or 10) * 2) / 2
        if isinstance(prompt, ChoicePrompt):
            weights = [self.lean(f"{key}/{c}", 0.1, 1.0) for c in prompt.choices]
            return rng.choices(prompt.choices, weights)[0]
        raise TypeError(prompt.type)

    def day(self, day: dt.date, index: int, total: int) -> Entry | None:
        rng = self.rng
        if self.gap:
            self.gap -= 1
            return None
        if rng.random() < 0.01:
            self.gap = rng.randint(3, 14)
        if rng.random() < 0.08:
            return None
        entry = Entry.new(day)
        at = dt.datetime.combine(day, dt.time(21, 0), ZONE)
        for asked in prompts_for(day, self.packs):
            pack, prompt = asked.pack, asked.prompt
            if rng.random() > 0.85:
                continue
            at += dt.timedelta(seconds=rng.randint(5, 90))
            key = f"{pack.id}/{prompt.id}"
            if isinstance(prompt, TextPrompt):
                text = prose(rng, rng.randint(1, 4))
                entry.set_prose_for(
                    key, heading_for(prompt.text), text, version=pack.version, at=at
                )
                continue
            value = self.value(pack, prompt)
            entry.set_answer(pack.id, pack.version, prompt.id, value, at)
            follow = prompt.follow_up
            if follow and prompt.follow_up_applies(value) and rng.random() < 0.5:
                text = prose(rng, rng.randint(1, 2))
                heading = heading_for(follow.text)
                entry.set_prose_for(f"{key}/follow-up", heading, text, version=pack.version, at=at)
        if index < total * 0.4:
            # Removed from partnership in a later version of the pack.
            entry.set_answer("partnership", "0.9.0", "managed-by-default", rng.random() < 0.4)
        if index < total * 0.2:
            # From a pack that is no longer installed.
            entry.set_answer("focus", "1.0.0", "deep-work-hours", round(rng.uniform(0, 6), 1))
        if rng.random() < 0.3:
            entry.add_tags(rng.sample(TAGS, rng.randint(1, 2)))
        if rng.random() < 0.2:
            entry.add_note(dt.time(rng.randint(7, 22), rng.randint(0, 59)), prose(rng, 3))
        return entry


def jrnl_entry(entry: Entry) -> str:
    """The day as one jrnl entry: the first sentence is its title, answers and tags in the body."""
    _, sections = entry.split()
    prose = " ".join(s.prose.replace("\n", " ") for s in sections) or "(answers only)"
    title, _, rest = prose.partition(". ")
    lines = [rest] if rest else []
    for pack_id, values in entry.front.answers.items():
        lines += [f"{pack_id}/{prompt_id}: {value}" for prompt_id, value in values.items()]
    if entry.front.tags:
        lines.append(" ".join(f"@{tag}" for tag in entry.front.tags))
    body = "\n".join(lines)
    return f"[{entry.date} 09:00] {title.rstrip('.')}.\n{body}\n\n"


def generate(home: Home, days: int, end: dt.date, seed: int, jrnl: Path | None = None) -> int:
    """Write the journal (and the same days as a jrnl journal); returns the entries written."""
    home.ensure()
    home.config_path.write_text(
        "packs = [" + ", ".join(f'"{p}"' for p in PACKS) + "]\n", encoding="utf-8"
    )
    packs = [find_pack(home, pack_id).pack for pack_id in PACKS]
    journal = Journal(seed, packs)
    start = end - dt.timedelta(days=days - 1)
    written = 0
    folders: set[Path] = set()
    other = jrnl.open("w", encoding="utf-8") if jrnl is not None else None
    try:
        for index in range(days):
            day = start + dt.timedelta(days=index)
            entry = journal.day(day, index, days)
            if entry is None:
                continue
            path = entry_path(home, day)
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            path.write_text(serialize(entry), encoding="utf-8")
            if other is not None:
                other.write(jrnl_entry(entry))
            written += 1
    finally:
        if other is not None:
            other.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path, help="the journal folder to write (created)")
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jrnl", type=Path, help="also write the days as this jrnl journal")
    args = parser.parse_args()
    count = generate(Home(args.home), args.days, args.end, args.seed, args.jrnl)
    print(f"{count} entries over {args.days} days in {args.home}")


if __name__ == "__main__":
    main()
