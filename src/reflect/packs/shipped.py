"""What each built-in pack asks, as shipped: read without loading the pack.

A cold search needs only the prompt ids and the question headings of a
pack's kept versions (`PackVersions.asked`, for `lookback.scan.Packs`).
For a pack with no installed file and no archived version, whose built-in
file's bytes are exactly those shipped (their SHA-256 below), they are read
from this table: the two processes of a cold search then build no pack
model. Any other file is loaded and checked as always.

The same file's whole pack, as loading it gives it, is built from
`shipped_data.py` (`shipped_pack`) whoever reads it: showing a day's
answers to the built-in packs then builds no validator either.

tests/test_packs_shipped.py holds both tables to what loading each built-in
pack gives. After changing a built-in pack, `python -m reflect.packs.shipped`
writes them again.
"""

import os

# typing itself costs a start-up more than this module: mypy reads the constant the same.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, TypeVar

    from pydantic import BaseModel

    from reflect.model.pack import AnyPrompt, Pack

    M = TypeVar("M", bound=BaseModel)

# The SHA-256 of a built-in pack file as shipped: its id, prompt ids and question headings.
ASKED: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "004ad74b2fd8e0e003c291cec708ba2f979fcc1879629b598a0b7ef9e462b4d3": (
        "co-creator",
        (
            "advocacy-inquiry",
            "criticism-first-move",
            "imagined-their-day",
            "invited-reflection",
            "linked-purpose",
            "noticed-reactions",
            "open-question",
            "purpose-to-explore",
            "reflected-back",
            "shared-responsibility",
        ),
        (
            "Did someone reflect back to you today where your behaviour and your intentions didn't match?",
            "Did you ask someone a question today that you didn't already know the answer to?",
            "Did you ask someone how your actions are landing with them?",
            "Did you help someone see how their own purpose connects to the team's today?",
            "Did you take a minute today to imagine a colleague's day as they live it?",
            "For today's most important decision, how much did others own the outcome, not just agree to it? (1 = just buy-in, 5 = fully shared)",
            "In today's discussions, how did you balance stating your view with asking about others'? (1 = all telling, 3 = balanced, 5 = all asking)",
            "In your hardest conversation today, when did you notice your own reactions?",
            "What did they see, and how did you take it?",
            "What did you hear that surprised you?",
            "What did you notice, and what did you do with it?",
            "What question could you have asked instead of making one more point?",
            "What was the criticism trying to tell you?",
            "What would help them own the outcome, not just the decision?",
            "When you were criticised today, what did you do first?",
            "Whose day was it, and what did you see from there that you hadn't before?",
            "Whose purpose was it, and what was the link?",
            "Whose purpose would you like to understand better, and what will you ask them?",
        ),
    ),
    "ea6ee8339e4d975c7bdadcc6812897b4f15ec5cf6c84b275679daf70d3688468": (
        "collaboration",
        (
            "checked-who-else",
            "commitment-status",
            "connected-existing",
            "followed-up",
            "keep-alive",
            "made-commitment",
            "momentum",
            "urgent-pushed-aside",
            "what-got-in-the-way",
        ),
        (
            "Before starting something new today, did you check who might already be doing it?",
            "Did urgent work push a collaboration aside today?",
            "Did you commit to working with someone on something today?",
            "Did you connect your work with something others already do, instead of starting alongside it?",
            "Did you follow up today on something that started well with someone?",
            "How much momentum does your most promising collaboration have right now? (1 = stalled, 5 = moving on its own)",
            "Think of your most recent commitment to collaborate: where does it stand?",
            "What got most in the way of working with others today?",
            "What pushed it aside, and is it worth reviving?",
            "What small next step would get it moving again?",
            "What would it take to protect a little time for it tomorrow?",
            "Which collaboration do you most want to keep alive this week, and what will you do for it?",
            "Whose work was it, and what did joining it make possible?",
            "With whom, and what is the first concrete step?",
        ),
    ),
    "88756290940beee68b29111e69e5158e529df03f14a824bd78908a540d0c0703": (
        "daily",
        (
            "energy",
            "gratitude",
            "mood",
        ),
        (
            "How is your energy right now? (1 = drained, 5 = full)",
            "How is your mood right now? (1 = low, 5 = great)",
            "What is weighing on you?",
            "Write one line of gratitude: what are you glad of today?",
        ),
    ),
    "ee99a008b21df2fdc3ab3723710715ec57041ad3734e8e0c3b0968a2d4033875": (
        "growth-mindset",
        (
            "build-or-start",
            "cant-do-yet",
            "idea-adopted",
            "ignored-hoping",
            "inspired-by-success",
            "positive-intent",
            "scarcity-or-enough",
            "shared-openly",
            "threatened-by-success",
            "took-my-idea",
            "tried-not-yet",
        ),
        (
            "Did someone else's success inspire you or teach you something today?",
            "Did someone's success feel threatening today?",
            "Did you act more from scarcity or from enough today? (1 = scarcity, 5 = enough)",
            'Did you feel a "they took my idea" pang today?',
            "Did you ignore something today in the hope it would go away?",
            "Did you share an idea or a piece of work today before it felt finished?",
            "Did you try something today that you can't do well yet?",
            "Was there something out there you could have joined or extended?",
            "What did you share, and what came back?",
            "What did you try, and what did the attempt teach you?",
            "What felt scarce, and is there really too little of it?",
            "What is it, and what is one small step toward facing it?",
            "What is one thing you can't do yet that you would like to learn?",
            "What set it off, and what would help the idea most now?",
            "What would change if you saw it as your idea spreading?",
            "When someone surprised or annoyed you today, how readily did you assume they meant well? (1 = not at all, 5 = fully)",
            "When someone used or built on one of your ideas today, how did it feel?",
            "When you needed something new today, what did you do first?",
            "Which moment was it, and what is a generous reading of what they meant?",
            "Whose success was it, and what might it make possible for you too?",
            "Whose was it, and what will you borrow from it?",
        ),
    ),
    "1e67f4d06bb7915937698d0726803d07b742339b662127bc1a39e6226542a6f6": (
        "partnership",
        (
            "brought-in-early",
            "managed-instead",
            "managed-well",
            "partner-share",
            "shared-accountability",
            "shared-understanding",
            "told-good-at",
            "trusted-competence",
            "weekly-balance",
            "whole-system-first",
        ),
        (
            "Did you bring someone into a decision before it was made, rather than after?",
            "Did you direct or decide alone in a moment where partnering would have worked?",
            "Did you spend time up front today building a shared understanding before work started?",
            "Did you tell someone today that they are good at what they do?",
            "Did you trust a colleague's competence with something that mattered?",
            "How shared was accountability in your team's work today? (1 = pockets of individual success, 5 = we owned it together)",
            "Looking back over the week: where did managing crowd out partnering?",
            "Roughly what share of today did you spend partnering rather than managing?",
            "What did you align on, and did it save time later?",
            "What did you hand over, and how did it go?",
            "What in the system made that mistake easy to make?",
            "What made you wait, and when would have been the right moment?",
            "What would partnering have looked like there?",
            "When something went wrong today, where did you look first?",
            "When you had to manage today (decide, correct or direct), how did it go?",
            "Where did success stay in one person's pocket, and how could it be shared?",
            "Who was it, and what did you name?",
        ),
    ),
    "ed4123b2e16341036df9df7ec39e94df106fd84bab34f40bd26e63d5a490f854": (
        "servant-leadership",
        (
            "gave-credit",
            "glad-they-leave",
            "learned-their-success",
            "made-others-effective",
            "moved-their-success",
            "people-unblocked",
            "what-can-i-do",
            "what-for-me",
            "where-credit-went",
            "whose-success-next",
        ),
        (
            'Did you ask someone "What can I do for you?" today, and mean it?',
            'Did you catch yourself thinking "What are they doing for me?" today?',
            "Did you do something today that moves a colleague closer to their own idea of success?",
            "Did you give someone credit in front of others today?",
            "Did you learn something today about what success means to someone you work with?",
            "How many people did you unblock or help get something done today?",
            "How much more effective did you make someone else today? (1 = not at all, 5 = a lot)",
            "If someone told you today they were leaving for a job that fits them better, how would you honestly feel?",
            "What did you do, and for whom?",
            "What does success mean to them? (It is rarely money.)",
            "What were you hoping to get, and what could you offer instead?",
            "What would you lose, and what would they gain?",
            "When credit came your way today, where did it go?",
            "Who else had a hand in it, and how could they hear that?",
            "Who was it, and what did they need?",
            "Who was it, and what did you credit them for?",
            "Who was it, and what made the difference?",
            "Whose success could you help with tomorrow, and how?",
        ),
    ),
}


def table_text(files: "list[Path]") -> str:
    """This module's table for these pack files, as it is written below `ASKED`."""
    import hashlib

    from reflect.model.pack import heading_for
    from reflect.packs.library import validate_pack

    rows: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = []
    for path in files:
        # Validated, never read from the tables this writes.
        pack = validate_pack(path.read_text(encoding="utf-8"), str(path))
        asks = {heading_for(prompt.text) for prompt in pack.prompts}
        asks.update(
            heading_for(prompt.follow_up.text)
            for prompt in pack.prompts
            if prompt.follow_up is not None
        )
        ids = tuple(sorted(prompt.id for prompt in pack.prompts))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        rows.append((digest, pack.id, ids, tuple(sorted(asks))))
    lines = []
    for digest, pack_id, ids, headings in sorted(rows, key=lambda row: row[1]):
        lines += [f"    {_literal(digest)}: (", f"        {_literal(pack_id)},", "        ("]
        lines += [f"            {_literal(prompt_id)}," for prompt_id in ids]
        lines += ["        ),", "        ("]
        lines += [f"            {_literal(heading)}," for heading in headings]
        lines += ["        ),", "    ),"]
    return "\n".join(lines) + "\n"


def _literal(text: str) -> str:
    """A string as the project's formatter writes it: in double quotes unless it holds one."""
    written = repr(text)
    if written.startswith("'") and '"' not in text:
        written = '"' + written[1:-1].replace("\\'", "'") + '"'
    return written


def shipped_pack(text: str) -> "Pack | None":
    """The pack a built-in pack file's text, exactly as shipped, loads as; None for any other.

    Built from the table without validating (`model_construct`): the table
    holds what validating that very text gave, field for field.
    """
    import hashlib

    from reflect.packs.shipped_data import DEFINED

    try:
        data = DEFINED.get(hashlib.sha256(text.encode("utf-8")).hexdigest())
    except UnicodeEncodeError:
        return None  # a lone surrogate: no shipped file holds one
    return None if data is None else _built(data)


def _built(data: "dict[str, Any]") -> "Pack":
    from reflect.model.pack import Pack, Schedule

    fields = dict(data)
    if "schedule" in fields:
        fields["schedule"] = _constructed(Schedule, fields["schedule"])
    fields["prompts"] = [_built_prompt(prompt) for prompt in fields["prompts"]]
    return _constructed(Pack, fields)


def _built_prompt(data: "dict[str, Any]") -> "AnyPrompt":
    from reflect.model.pack import (
        ChoicePrompt,
        FollowUp,
        NumberPrompt,
        ScalePrompt,
        TargetSpec,
        TextPrompt,
        YesNoPrompt,
    )

    kinds: dict[str, type[AnyPrompt]] = {
        "text": TextPrompt,
        "yes-no": YesNoPrompt,
        "scale": ScalePrompt,
        "number": NumberPrompt,
        "choice": ChoicePrompt,
    }
    fields = dict(data)
    if fields.get("follow_up") is not None:
        fields["follow_up"] = _constructed(FollowUp, fields["follow_up"])
    if isinstance(fields.get("target"), dict):
        fields["target"] = _constructed(TargetSpec, fields["target"])
    return _constructed(kinds[fields["type"]], fields)


def _constructed(model: "type[M]", given: "dict[str, Any]") -> "M":
    """The model of these fields, the others at their defaults, as validating them sets it.

    The defaults are filled here: pydantic's own filling inspects each
    default factory's signature, which costs more than the whole pack.
    """
    from pydantic import BaseModel

    values = dict(given)
    for name, info in model.model_fields.items():
        if name in values:
            continue
        factory: Any = info.default_factory
        if factory is None:
            values[name] = info.default
        elif isinstance(factory, type) and issubclass(factory, BaseModel):
            values[name] = _constructed(factory, {})
        else:
            values[name] = factory()
    return model.model_construct(set(given), **values)


def data_text(files: "list[Path]") -> str:
    """shipped_data.py for these pack files: each one's pack as loading it gives it."""
    import hashlib

    from reflect.packs.library import validate_pack

    rows = []
    for path in files:
        # Validated, never read from the tables this writes.
        pack = validate_pack(path.read_text(encoding="utf-8"), str(path))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        rows.append((pack.id, digest, pack.model_dump(mode="python", exclude_unset=True)))
    lines = [
        '"""Each built-in pack as loading its shipped file gives it: see shipped.py.',
        "",
        "Written by `python -m reflect.packs.shipped`; not to be edited by hand.",
        '"""',
        "",
        "from typing import Any",
        "",
        "# The SHA-256 of a built-in pack file as shipped: the fields validating it set.",
        "DEFINED: dict[str, dict[str, Any]] = {",
    ]
    for _, digest, data in sorted(rows, key=lambda row: row[0]):
        lines += _value_lines(data, 1, f"{_literal(digest)}: ")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _value_lines(value: object, depth: int, key: str) -> list[str]:
    """A literal as the project's formatter writes it, one item a line (a trailing comma keeps it so)."""
    pad = "    " * depth
    if isinstance(value, dict):
        inner = [
            line
            for item, each in value.items()
            for line in _value_lines(each, depth + 1, f"{_literal(item)}: ")
        ]
        return [f"{pad}{key}{{", *inner, f"{pad}}},"] if inner else [f"{pad}{key}{{}},"]
    if isinstance(value, list):
        inner = [line for each in value for line in _value_lines(each, depth + 1, "")]
        return [f"{pad}{key}[", *inner, f"{pad}],"] if inner else [f"{pad}{key}[],"]
    if isinstance(value, str):
        return [f"{pad}{key}{_literal(value)},"]
    if value is None or isinstance(value, (bool, int, float)):
        return [f"{pad}{key}{value!r},"]
    raise TypeError(f"no literal for {value!r}")


def _write() -> None:
    """Write the tables of the built-in packs: ASKED into this file, and shipped_data.py."""
    from reflect.packs.library import builtin_dir

    files = sorted(builtin_dir().glob("*.toml"))
    here = os.path.abspath(__file__)
    with open(here, encoding="utf-8") as file:
        text = file.read()
    head, rest = text.split("] = {\n", 1)
    tail = rest[rest.index("}\n") :]
    table = table_text(files)
    with open(here, "w", encoding="utf-8") as file:
        file.write(f"{head}] = {{\n{table}{tail}")
    with open(
        os.path.join(os.path.dirname(here), "shipped_data.py"), "w", encoding="utf-8"
    ) as file:
        file.write(data_text(files))


if __name__ == "__main__":
    _write()
