"""Bringing a format 1 entry up to format 2: tie prose to ids, record each answer's version.

Format 1 tied prose to its question only by heading (the wording when it
was asked) and kept one pack version per day. Migration adds the comment
that ties each section whose heading was a wording of exactly one of the
day's questions, and a `given` line (the day's version, no time: it was
not recorded) for every answer. It inserts lines and never changes one:
every byte of prose stays.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from reflect.journal.entry import Entry, marker
from reflect.model.front import ENTRY_FORMAT, answer_key, given_text

# For one pack: its headings by "PROMPT" or "PROMPT/follow-up", every wording it has had.
PackWordings = Mapping[str, list[str]]


@dataclass
class Migration:
    """What migrating one entry does (or did)."""

    day: dt.date
    tied: list[tuple[str, str]] = field(default_factory=list)  # (heading, PACK/PROMPT)
    versions: int = 0  # answers that get their version recorded
    untied: list[str] = field(default_factory=list)  # headings no question claims
    ambiguous: list[str] = field(default_factory=list)  # headings two questions claim

    def describe(self) -> str:
        parts = []
        if self.tied:
            parts.append(f"ties {len(self.tied)} section(s) to their questions")
        if self.versions:
            parts.append(f"records the version of {self.versions} answer(s)")
        if self.untied:
            parts.append(f"leaves {len(self.untied)} section(s) under their own heading")
        if self.ambiguous:
            heads = ", ".join(repr(h) for h in self.ambiguous)
            parts.append(f"cannot tell which question {heads} answers (left as it is)")
        return "; ".join(parts) or "marks it format 2; nothing else changes"


def needs_migration(entry: Entry) -> bool:
    return entry.front.format < ENTRY_FORMAT


def migrate_entry(entry: Entry, wordings: Callable[[str], PackWordings]) -> Migration:
    """Upgrade an entry in place; `wordings(pack_id)` gives a pack's wordings (empty if unknown)."""
    result = Migration(entry.date)
    if not needs_migration(entry):
        return result
    front = entry.front
    owners: dict[str, set[str]] = {}
    for pack_id in front.pack_ids():
        for suffix, headings in wordings(pack_id).items():
            for heading in headings:
                owners.setdefault(heading, set()).add(f"{pack_id}/{suffix}")
    preamble, sections = entry.split()
    taken = {s.key for s in sections if s.key is not None}
    for section in sections:
        if section.key is not None or section.is_note:
            continue
        keys = owners.get(section.heading, set()) - taken
        if len(keys) == 1:
            key = keys.pop()
            section.content = f"\n{marker(key)}{section.content}"
            taken.add(key)
            result.tied.append((section.heading, key))
        elif keys:
            result.ambiguous.append(section.heading)
        else:
            result.untied.append(section.heading)
    if result.tied:
        entry.body = preamble + "".join(s.line + s.content for s in sections)
    given = dict(front.given)
    answered = [answer_key(p, q) for p, values in front.answers.items() for q in values]
    for key in [*answered, *(key for _, key in result.tied)]:
        version = front.packs.get(key.split("/", 1)[0])
        if version is not None and key not in given:
            given[key] = given_text(version, None)
            result.versions += 1
    # Day-level versions stay only where something still depends on them.
    packs = front.packs if result.untied or result.ambiguous else {}
    entry.front = front.model_copy(update={"format": ENTRY_FORMAT, "given": given, "packs": packs})
    return result
