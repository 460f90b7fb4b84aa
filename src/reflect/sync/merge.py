"""Merging two versions of a day with their common ancestor, by meaning rather than by line.

git hands the merge driver three files: the version both machines started
from (base), this machine's (ours) and the other's (theirs). The rules, as
docs/sync.md states them:

- a value changed on one side only takes that side; changed on both sides to
  the same thing, that thing;
- answers to different questions are all kept; the same question answered
  differently on both sides keeps the answer given later, by the time the
  file records with each answer (`given`), or this machine's when a time is
  missing, and records the other under a section both a person and reflect
  read, so nothing is lost;
- tags and lists are merged as sets that keep their order; unknown
  properties are merged like answers;
- prose changed on one side takes that side; changed on both sides keeps
  both, the other machine's after a line that says so;
- notes are a union in time order.

The result is written with the journal's own writer, so it is always a file
the reader accepts.
"""

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reflect.errors import EntryError
from reflect.journal.entry import (
    Entry,
    Section,
    dump_property,
    front_blocks,
    parse_entry,
    serialize,
)
from reflect.model.front import ANSWER_KEY, ENTRY_FORMAT, FrontMatter, is_owned, parse_given
from reflect.model.notes import NOTE_HEADING

OTHER_ANSWERS = "Also answered on another machine"
BOTH_KEPT = "*Also written on another machine (both kept by `reflect sync`):*"
# A note's heading, timed or not (a note written for another day, an all-day import).
_NOTE = NOTE_HEADING


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass
class Merged:
    """A merged day and what the merge had to decide."""

    text: str
    kept_both: list[str] = field(default_factory=list)
    other_answers: list[str] = field(default_factory=list)


def merge_lists(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Items kept on both sides, plus those either side added, minus those either removed."""
    removed = [x for x in base if x not in ours or x not in theirs]
    result = [x for x in ours if x not in removed]
    result += [x for x in theirs if x not in result and x not in removed and x not in base]
    return result


def merge_values(
    base: Any,
    ours: Any,
    theirs: Any,
    on_conflict: Callable[[tuple[str, ...], Any, Any], Any],
    where: tuple[str, ...] = (),
) -> Any:
    """A three-way merge of YAML data; MISSING stands for an absent key."""
    if _same(ours, theirs):
        return ours
    if _same(base, ours):
        return theirs
    if _same(base, theirs):
        return ours
    if isinstance(ours, dict) and isinstance(theirs, dict):
        old = base if isinstance(base, dict) else {}
        result: dict[Any, Any] = {}
        for key in [*ours, *(k for k in theirs if k not in ours)]:
            value = merge_values(
                old.get(key, MISSING),
                ours.get(key, MISSING),
                theirs.get(key, MISSING),
                on_conflict,
                (*where, str(key)),
            )
            if value is not MISSING:
                result[key] = value
        return result
    if isinstance(ours, list) and isinstance(theirs, list):
        return merge_lists(base if isinstance(base, list) else [], ours, theirs)
    return on_conflict(where, ours, theirs)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def merge_entry(base_text: str | None, ours_text: str, theirs_text: str, path: str) -> Merged:
    """Merge three versions of one day's file; EntryError when one cannot be read."""
    ours = parse_entry(ours_text, path)
    theirs = parse_entry(theirs_text, path)
    base = parse_entry(base_text, path) if base_text is not None else Entry.new(ours.date)
    merged = Merged("")

    won: dict[str, bool] = {}  # answer key -> whether the other machine's answer won

    def settle(where: tuple[str, ...], mine: Any, other: Any) -> Any:
        key = _answer_key(where)
        if where[:1] == ("given",) and len(where) == 2:
            theirs_won = won.get(where[1])
            if theirs_won is None:
                theirs_won = _later(_stamp(other), _stamp(mine))
            return other if theirs_won and other is not MISSING else mine
        if key is not None and mine is not MISSING and other is not MISSING:
            pack_id, prompt_id = key.split("/")
            theirs_won = _later(
                theirs.answered_at(pack_id, prompt_id), ours.answered_at(pack_id, prompt_id)
            )
            won[key] = theirs_won
            loser, when = (mine, ours) if theirs_won else (other, theirs)
            given = _given_words(when, pack_id, prompt_id)
            merged.other_answers.append(f"{key}: {_plain(loser)}{given}")
            return other if theirs_won else mine
        if where and not is_owned(where[0]) and mine is not MISSING and other is not MISSING:
            # A property reflect does not own, changed on both sides: this machine's
            # value stays and the other is recorded beside the answers, so none is lost.
            merged.other_answers.append(f"{'.'.join(where)}: {_shown(other)} (property)")
        return mine if mine is not MISSING else other

    ours_data, theirs_data = _front_data(ours), _front_data(theirs)
    base_data = _without_regiven(_front_data(base), ours_data, theirs_data)
    data = merge_values(base_data, ours_data, theirs_data, settle)
    try:
        front = FrontMatter.from_yaml_data(data)
    except ValueError as exc:
        raise EntryError(f"{path}: the merged front matter does not read: {exc}") from None
    body = _merge_body(base, ours, theirs, merged)
    result = _kept_text(front, body, data, base, ours, theirs) or _rebuilt(
        front, body, data, ours, theirs
    )
    if merged.other_answers:
        lines = [f"- {line}" for line in merged.other_answers]
        previous = result.prose(OTHER_ANSWERS)
        old = previous.splitlines() if previous else []
        result.set_prose(OTHER_ANSWERS, "\n".join([*old, *(x for x in lines if x not in old)]))
    merged.text = serialize(result)
    return merged


# A front matter property among the lines of text merged: its key after a NUL, which
# no line of YAML starts with.
_PROPERTY = "\x00"


def _kept_text(
    front: FrontMatter, body: str, data: dict[str, Any], base: Entry, ours: Entry, theirs: Entry
) -> Entry | None:
    """The merged day with its front matter's text merged too; None when that text won't do.

    The lines between properties (comments, blank lines) are merged like
    prose, keeping what either side added; each property keeps the text of
    a side that holds its merged value, so its comments and style stay as
    the person wrote them; only a value neither side holds is written anew.
    """
    sides = [_front_tokens(side) for side in (base, ours, theirs)]
    if sides[0] is None or sides[1] is None or sides[2] is None:
        return None
    tokens: list[str] = []
    for chunk in merge_lines(sides[0][0], sides[1][0], sides[2][0]):
        if isinstance(chunk, tuple):
            # What the other side added; a line it only kept, this side has changed or removed.
            old, mine, other = chunk
            tokens += [*mine, *(token for token in other if token not in mine and token not in old)]
        else:
            tokens += chunk
    texts = ((ours, sides[1][1]), (theirs, sides[2][1]))
    pieces: list[tuple[str | None, str]] = []
    for token in tokens:
        key = token[1:] if token.startswith(_PROPERTY) else None
        if key is None:
            pieces.append((None, token))
        elif key in data and all(k != key for k, _ in pieces):
            pieces.append((key, _property_text(key, data[key], texts)))
    keys = list(data)
    for position, key in enumerate(keys):
        if any(k == key for k, _ in pieces):
            continue
        earlier = set(keys[:position])
        at = next(
            (i + 1 for i in range(len(pieces) - 1, -1, -1) if pieces[i][0] in earlier),
            next((i for i, (k, _) in enumerate(pieces) if k is not None), len(pieces)),
        )
        pieces.insert(at, (key, dump_property(key, data[key])))
    text = "".join(piece for _, piece in pieces)
    try:
        kept = parse_entry(f"---\n{text}---\n{body}", "merged")
    except EntryError:
        return None
    others = {k: v for k, v in data.items() if not is_owned(k)}
    if _canon(kept.front.to_yaml_data()) != _canon(front.to_yaml_data()) or _canon(
        kept.other_properties
    ) != _canon(others):
        return None
    return dataclasses.replace(kept, _newline=ours._newline, _bom=ours._bom)


def _front_tokens(entry: Entry) -> tuple[list[str], dict[str, str]] | None:
    """A side's front matter as lines to merge, each property one token; and each one's text."""
    text = entry.front_text
    if text is None:
        return [], {}
    blocks = front_blocks(text)
    if blocks is None:
        return None
    tokens: list[str] = []
    texts: dict[str, str] = {}
    for key, block in blocks:
        if key is None:
            tokens += block.splitlines(keepends=True)
        elif key in texts:
            return None
        else:
            tokens.append(_PROPERTY + key)
            texts[key] = block
    return tokens, texts


def _property_text(key: str, value: Any, sides: tuple[tuple[Entry, dict[str, str]], ...]) -> str:
    """A property's text as a side wrote it when that side holds this value; else written anew."""
    for side, texts in sides:
        held = side.front.to_yaml_data() if is_owned(key) else side.other_properties
        if key in texts and key in held and _canon(held[key]) == _canon(value):
            return texts[key]
    return dump_property(key, value)


def _canon(value: Any) -> Any:
    """A value to compare by meaning and type (1, 1.0 and True differ), tables in any order."""
    if isinstance(value, dict):
        return ("table", sorted((repr(k), _canon(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", [_canon(v) for v in value])
    return (type(value).__name__, repr(value))


def _rebuilt(front: FrontMatter, body: str, data: dict[str, Any], *sides: Entry) -> Entry:
    """The merged day, on top of the side whose other properties it kept as they were.

    The writer then rewrites only reflect's changed properties, so other
    programs' text (a flow list, a comment) stays as that side wrote it.
    """
    others = {k: v for k, v in data.items() if not is_owned(k)}
    for side in sides:
        if side.other_properties == others:
            owned = {k: v for k, v in data.items() if is_owned(k)}
            return dataclasses.replace(
                side, front=front, body=body, _raw={**owned, **side.other_properties}
            )
    return Entry(front, body, _raw=data)


def _shown(value: Any) -> str:
    """A property's value on one line: scalars as written, lists and tables as JSON."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return _plain(value)


def _given_words(entry: Entry, pack_id: str, prompt_id: str) -> str:
    """` (given TIME, version V)` for a losing answer: its time in full and the pack version."""
    stamp = entry.answered_at(pack_id, prompt_id)
    version = entry.answer_version(pack_id, prompt_id)
    said = [f"given {stamp.isoformat()}" if stamp else "", f"version {version}" if version else ""]
    shown = ", ".join(x for x in said if x)
    return f" ({shown})" if shown else ""


def _answer_key(where: tuple[str, ...]) -> str | None:
    """`PACK/PROMPT` when a conflict is about an answer (format 2's flat key, or format 1's nesting)."""
    if len(where) == 3 and where[0] == "answers":
        return f"{where[1]}/{where[2]}"
    if len(where) == 1 and ANSWER_KEY.match(where[0]):
        return where[0]
    return None


def _stamp(given: Any) -> dt.datetime | None:
    if not isinstance(given, str):
        return None
    try:
        return parse_given(given)[1]
    except ValueError:
        return None


def _later(theirs: dt.datetime | None, ours: dt.datetime | None) -> bool:
    """Whether the other machine's answer was given later; without both times, this machine's wins."""
    if theirs is None or ours is None:
        return False
    try:
        return theirs > ours
    except TypeError:  # one time with a UTC offset, one without: not comparable
        return False


def _without_regiven(base: dict[str, Any], *sides: dict[str, Any]) -> dict[str, Any]:
    """The base without the answers a side gave again (its `given` time changed).

    An answer given anew with the value the base held is an answer of its own,
    not the base left alone: without this, the other side's change would
    replace it unseen, although it may be the later one.
    """
    old = base.get("given")
    if not isinstance(old, dict):
        return base
    answers = base.get("answers")
    result = dict(base)
    for side in sides:
        given = side.get("given")
        if not isinstance(given, dict):
            continue
        for key, stamp in given.items():
            if key not in old or old[key] == stamp or not isinstance(key, str):
                continue
            result.pop(key, None)  # format 2's flat key
            pack_id, _, prompt_id = key.partition("/")
            if isinstance(answers, dict) and isinstance(answers.get(pack_id), dict):
                answers = {**answers, pack_id: dict(answers[pack_id])}
                answers[pack_id].pop(prompt_id, None)
                result["answers"] = answers
    return result


def _front_data(entry: Entry) -> dict[str, Any]:
    """A side's front matter in the current format's shape, with properties reflect doesn't own."""
    front = entry.front.model_copy(update={"format": ENTRY_FORMAT})
    return {**front.to_yaml_data(), **entry.other_properties}


def _plain(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is MISSING or value is None:
        return "(no answer)"
    return str(value)


def _keyed(entry: Entry) -> tuple[str, dict[str, Section], list[str], list[Section]]:
    """Preamble, sections by key (heading plus its occurrence), their order, and the notes."""
    preamble, sections = entry.split()
    keyed: dict[str, Section] = {}
    order: list[str] = []
    notes: list[Section] = []
    seen: dict[str, int] = {}
    for section in sections:
        if _NOTE.match(section.heading):
            notes.append(section)
            continue
        # A section tied to its question is the same section whatever its heading says.
        count = seen.get(section.heading, 0)
        seen[section.heading] = count + 1
        key = section.key or f"{section.heading}\x00{count}"
        if section.key is not None:  # the same tie twice in one file: each section kept
            count = seen.get(f"\x00{key}", 0)
            seen[f"\x00{key}"] = count + 1
            key = f"{key}\x00{count}" if count else key
        keyed[key] = section
        order.append(key)
    return preamble, keyed, order, notes


def _merge_body(base: Entry, ours: Entry, theirs: Entry, merged: Merged) -> str:
    b_pre, b_sec, _, b_notes = _keyed(base)
    o_pre, o_sec, o_order, o_notes = _keyed(ours)
    t_pre, t_sec, t_order, t_notes = _keyed(theirs)

    preamble = _merge_prose(b_pre, o_pre, t_pre, "the text above the first heading", merged)
    order = list(o_order)
    for index, key in enumerate(t_order):
        if key in order or key in b_sec:
            continue
        after = next((k for k in reversed(t_order[:index]) if k in order), None)
        order.insert(order.index(after) + 1 if after else 0, key)

    parts: list[str] = []
    for key in order:
        mine, other, old = o_sec.get(key), t_sec.get(key), b_sec.get(key)
        if mine is None and other is None:
            continue
        if mine is None or other is None:
            present = mine or other
            assert present is not None
            gone_unchanged = old is not None and old.content == present.content
            if gone_unchanged:
                continue  # deleted on one side, untouched on the other
            parts.append(present.line + present.content)
            continue
        content = _merge_prose(
            old.content if old else "", mine.content, other.content, mine.heading, merged
        )
        parts.append(mine.line + content)
    notes = _merge_notes(b_notes, o_notes, t_notes)
    body = preamble + "".join(parts)
    for note in notes:
        if body and not body.endswith("\n"):
            body += "\n"
        if body.strip() and not body.endswith("\n\n"):
            body += "\n"
        body += note.line + note.content
    return body


def _merge_prose(base: str, ours: str, theirs: str, name: str, merged: Merged) -> str:
    """A three-way merge of lines: what one side changed is taken, what both changed keeps both.

    Only the lines both sides changed differently are kept twice, so a "both
    kept" block a person has since tidied stays tidied at the next merge.
    """
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    lines: list[str] = []
    conflict = False
    last_kept: list[str] | None = None  # the last block kept from both sides
    between: list[str] = []  # the unchanged lines since it
    for chunk in merge_lines(base.split("\n"), ours.split("\n"), theirs.split("\n")):
        if isinstance(chunk, tuple):
            old, mine, other = chunk
            kept = _keep_both(old, mine, other)
            conflict = conflict or kept is not mine
            if kept is not mine and kept == last_kept and _only_markers(between):
                # Both sides changed each copy of an older "both kept" block alike: the
                # same block again, after only its old marker, would say nothing new.
                del lines[len(lines) - len(between) :]
                between = []
                continue
            lines += kept
            last_kept, between = (kept if kept is not mine else None), []
        else:
            lines += chunk
            between += chunk
    if conflict:
        merged.kept_both.append(name)
    return "\n".join(lines)


def _only_markers(lines: list[str]) -> bool:
    """Lines that are blank or the "both kept" marker, and at least one marker."""
    return BOTH_KEPT in lines and all(not line.strip() or line == BOTH_KEPT for line in lines)


Conflict = tuple[list[str], list[str], list[str]]


def merge_lines(base: list[str], ours: list[str], theirs: list[str]) -> list[list[str] | Conflict]:
    """diff3 over lines: merged runs of lines, and (base, ours, theirs) where both sides differ."""
    from difflib import SequenceMatcher

    def matches(other: list[str]) -> list[tuple[int, int, int]]:
        return [tuple(m) for m in SequenceMatcher(None, base, other, False).get_matching_blocks()]  # type: ignore[misc]

    mine, yours = matches(ours), matches(theirs)
    stable: list[tuple[int, int, int, int]] = []  # base start, end, ours start, theirs start
    i = j = 0
    while i < len(mine) and j < len(yours):
        (a_base, a_at, a_len), (b_base, b_at, b_len) = mine[i], yours[j]
        start, end = max(a_base, b_base), min(a_base + a_len, b_base + b_len)
        if start < end:
            stable.append((start, end, a_at + start - a_base, b_at + start - b_base))
        if a_base + a_len < b_base + b_len:
            i += 1
        else:
            j += 1
    stable.append((len(base), len(base), len(ours), len(theirs)))
    chunks: list[list[str] | Conflict] = []
    at_base = at_ours = at_theirs = 0
    for start, end, ours_at, theirs_at in stable:
        old = base[at_base:start]
        mine_now, other_now = ours[at_ours:ours_at], theirs[at_theirs:theirs_at]
        if mine_now == other_now or other_now == old:
            chunks.append(mine_now)
        elif mine_now == old:
            chunks.append(other_now)
        else:
            chunks.append((old, mine_now, other_now))
        chunks.append(base[start:end])
        length = end - start
        at_base, at_ours, at_theirs = end, ours_at + length, theirs_at + length
    return chunks


def _keep_both(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """Lines both sides changed: the lines this machine wrote, then the other's after a marker.

    What each side wrote anew is kept; the lines that were there before (an
    older "both kept" block, a paragraph one machine rewrote) are not
    repeated, so a block tidied on one machine stays tidied. A side that only
    removed lines gives way to the side that wrote something.
    """
    old = set(base)
    mine = _trim([line for line in ours if not line.strip() or line not in old])
    other = _trim([line for line in theirs if not line.strip() or line not in old])
    if not other:
        if mine:
            return ours
        kept = set(theirs)
        return [line for line in ours if line in kept]
    if not mine:
        return theirs
    if other[0] == BOTH_KEPT:
        # The other side's words already follow a marker (a merge made there): one marker.
        other = _trim(other[1:]) or other
    start = next(i for i, line in enumerate(ours) if line.strip())
    end = len(ours) - next(i for i, line in enumerate(reversed(ours)) if line.strip())
    return [*ours[:start], *mine, "", BOTH_KEPT, "", *other, *ours[end:]]


def _trim(lines: list[str]) -> list[str]:
    """Lines without blank ones at either end, and runs of blank lines as one."""
    kept: list[str] = []
    for line in lines:
        if line.strip() or (kept and kept[-1].strip()):
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def _note_key(section: Section) -> tuple[str, str]:
    return section.heading, section.prose


def _merge_notes(base: list[Section], ours: list[Section], theirs: list[Section]) -> list[Section]:
    """Every note either side kept or added, in time order; one removed on a side stays removed.

    Notes are counted, not only compared: two identical notes of one day (an
    exact duplicate kept by an import) stay two.
    """
    base_count = Counter(_note_key(n) for n in base)
    ours_count = Counter(_note_key(n) for n in ours)
    theirs_count = Counter(_note_key(n) for n in theirs)
    result: list[Section] = []
    taken: Counter[tuple[str, str]] = Counter()
    for note in [*ours, *theirs]:
        key = _note_key(note)
        mine, other, old = ours_count[key], theirs_count[key], base_count[key]
        wanted = min(mine, other) if old and (mine < old or other < old) else max(mine, other)
        if taken[key] < wanted:
            result.append(note)
            taken[key] += 1
    result.sort(key=lambda n: _NOTE.match(n.heading).group(1) or "")  # type: ignore[union-attr]
    for index, note in enumerate(result):
        if not note.content.endswith("\n"):
            note.content += "\n"
        if index + 1 < len(result) and not note.content.endswith("\n\n"):
            note.content += "\n"
        if index + 1 == len(result):
            note.content = note.content.rstrip("\n") + "\n"
    return result
