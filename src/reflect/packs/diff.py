"""What a new version of a pack changes in meaning, prompt by prompt.

`diff_packs` is the one place that decides what counts as a change; the
command line words it, and `same_meaning` tells statistics whether answers
given under two definitions of a prompt can be counted together.
"""

from dataclasses import dataclass
from typing import Any, Literal

from reflect.model.pack import AnyPrompt, ChoicePrompt, NumberPrompt, Pack, ScalePrompt

ChangeKind = Literal[
    "added",
    "removed",
    "reworded",
    "retyped",
    "range",
    "step",
    "unit",
    "target",
    "choices-added",
    "choices-removed",
    "choice-renamed",
    "follow-up-added",
    "follow-up-removed",
    "follow-up-reworded",
    "follow-up-when",
]


@dataclass(frozen=True)
class PromptChange:
    """One change to one prompt; `before` and `after` are what the pack files say."""

    prompt: str
    kind: ChangeKind
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class PackDiff:
    pack: str
    before: str
    after: str
    changes: list[PromptChange]

    def of(self, prompt_id: str) -> list[PromptChange]:
        return [c for c in self.changes if c.prompt == prompt_id]


def _bounds(prompt: AnyPrompt) -> tuple[float | None, float | None] | None:
    if isinstance(prompt, (ScalePrompt, NumberPrompt)):
        return prompt.min, prompt.max
    return None


def _choice_changes(prompt_id: str, old: list[str], new: list[str]) -> list[PromptChange]:
    """A choice whose name changed in its place is a rename; the rest were added or removed."""
    renamed = [
        (a, b) for a, b in zip(old, new, strict=False) if a != b and a not in new and b not in old
    ]
    gone = {a for a, _ in renamed}
    came = {b for _, b in renamed}
    removed = [c for c in old if c not in new and c not in gone]
    added = [c for c in new if c not in old and c not in came]
    changes = [PromptChange(prompt_id, "choice-renamed", a, b) for a, b in renamed]
    if added:
        changes.append(PromptChange(prompt_id, "choices-added", None, added))
    if removed:
        changes.append(PromptChange(prompt_id, "choices-removed", removed, None))
    return changes


def diff_prompt(old: AnyPrompt, new: AnyPrompt) -> list[PromptChange]:
    """Every change between two definitions of one prompt, in a fixed order."""
    pid = new.id
    changes: list[PromptChange] = []
    if old.text != new.text:
        changes.append(PromptChange(pid, "reworded", old.text, new.text))
    if old.type != new.type:
        changes.append(PromptChange(pid, "retyped", old.type, new.type))
    else:
        if _bounds(old) != _bounds(new):
            changes.append(PromptChange(pid, "range", _bounds(old), _bounds(new)))
        if isinstance(old, ScalePrompt) and isinstance(new, ScalePrompt) and old.step != new.step:
            changes.append(PromptChange(pid, "step", old.step, new.step))
        if isinstance(old, ChoicePrompt) and isinstance(new, ChoicePrompt):
            changes += _choice_changes(pid, list(old.choices), list(new.choices))
    old_unit, new_unit = getattr(old, "unit", ""), getattr(new, "unit", "")
    if old.type == new.type and old_unit != new_unit:
        changes.append(PromptChange(pid, "unit", old_unit, new_unit))
    old_target, new_target = getattr(old, "target", None), getattr(new, "target", None)
    if old_target != new_target:
        changes.append(PromptChange(pid, "target", old_target, new_target))
    before, after = old.follow_up, new.follow_up
    if before is None and after is not None:
        changes.append(PromptChange(pid, "follow-up-added", None, after.text))
    elif before is not None and after is None:
        changes.append(PromptChange(pid, "follow-up-removed", before.text, None))
    elif before is not None and after is not None:
        if before.text != after.text:
            changes.append(PromptChange(pid, "follow-up-reworded", before.text, after.text))
        if before.when.strip().lower() != after.when.strip().lower():
            changes.append(PromptChange(pid, "follow-up-when", before.when, after.when))
    return changes


def diff_packs(old: Pack, new: Pack) -> PackDiff:
    """What changed from one version of a pack to another, in the new file's order."""
    before = {p.id: p for p in old.prompts}
    after = {p.id: p for p in new.prompts}
    changes: list[PromptChange] = []
    for prompt in new.prompts:
        previous = before.get(prompt.id)
        if previous is None:
            changes.append(PromptChange(prompt.id, "added", None, prompt.text))
        else:
            changes += diff_prompt(previous, prompt)
    changes += [
        PromptChange(p.id, "removed", p.text, None) for p in old.prompts if p.id not in after
    ]
    return PackDiff(new.id, old.version, new.version, changes)


def meaning(prompt: AnyPrompt, *, target: bool = True) -> tuple[object, ...]:
    """What an answer's value means: two definitions with the same meaning pool their statistics.

    Wording and follow-ups don't change what a stored value says; the type,
    the range, the step, the unit and the target do. A choice answer is
    counted by its name, so choices added, removed or renamed keep one count
    per name rather than splitting the question in two. Without `target`,
    only what the values themselves say counts (for a list of answers,
    where no target is judged).
    """
    return (
        prompt.type,
        _bounds(prompt),
        getattr(prompt, "step", None),
        getattr(prompt, "unit", ""),
        getattr(prompt, "goal", None) if target else None,
    )


def same_meaning(a: AnyPrompt, b: AnyPrompt, *, target: bool = True) -> bool:
    return meaning(a, target=target) == meaning(b, target=target)


def definition_words(prompt: AnyPrompt) -> str:
    """What a definition means, in a few words: "scale 1-10, target 7", "yes-no"."""
    if isinstance(prompt, (ScalePrompt, NumberPrompt)):
        words = f"{prompt.type} {prompt.describe()}"
        if prompt.goal is not None:
            words += f", target {prompt.goal.words(prompt.unit)}"
        return words
    return prompt.type


def diff_data(diff: PackDiff) -> dict[str, Any]:
    """The JSON shape of a pack's changes (keys pinned by a test)."""
    return {
        "pack": diff.pack,
        "from": diff.before,
        "to": diff.after,
        "changes": [
            {
                "prompt": c.prompt,
                "definition_change": c.kind,
                "before": list(c.before) if isinstance(c.before, tuple) else c.before,
                "after": list(c.after) if isinstance(c.after, tuple) else c.after,
            }
            for c in diff.changes
        ],
    }


def with_returns(diff: PackDiff, new: Pack, kept: dict[str, Pack]) -> PackDiff:
    """`diff` where a prompt "added" is one an earlier kept version had, then dropped.

    Such a prompt's "added" carries that version as `before`, followed by what
    changed since that version's definition: its earlier answers were given
    under that one, so a new type or range is a change in meaning, as in any
    upgrade.
    """
    changes: list[PromptChange] = []
    for change in diff.changes:
        earlier = kept.get(change.prompt) if change.kind == "added" else None
        then = earlier.prompt(change.prompt) if earlier is not None else None
        now = new.prompt(change.prompt)
        if earlier is None or then is None or now is None:
            changes.append(change)
            continue
        changes.append(PromptChange(change.prompt, "added", earlier.version, change.after))
        changes += diff_prompt(then, now)
    return PackDiff(diff.pack, diff.before, diff.after, changes)
