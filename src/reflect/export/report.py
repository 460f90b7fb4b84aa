"""A coach's view: clients' shared summaries, side by side and week by week, without any journal.

Each file is a shared JSON export (`reflect export --share --format json`),
format 1 or 2. A client is the name the summary carries, else the file's
stem, else (when stems clash or only say which week it is) its folder.
Answers to one question are pooled across clients and pack versions where
the versions asked it the same way (type, range, step, choices); where a
version changed that, its answers get a row of their own, with the change
named. A pack change never stops a report.
"""

import datetime as dt
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reflect.errors import ReflectError, newer_format, newer_than
from reflect.export.review import REVIEW_KIND, Definition
from reflect.model.pack import Goal
from reflect.model.text import clean_line, clean_tree, not_utf8
from reflect.trends.stats import (
    ChoiceSummary,
    NumberSummary,
    Summary,
    TextSummary,
    YesNoSummary,
)

MAX_FILE_BYTES = 16 * 1024 * 1024
READS = (1, 2)
REPORT_FORMAT = 4
REPORT_KIND = "reflect-report"
EVERYONE = "everyone"


class ReportError(ReflectError):
    """A client's file cannot go into the report."""


@dataclass(frozen=True)
class Sheet:
    """One client's summary of one range, as read from a file."""

    path: Path
    data: dict[str, Any]
    given_name: str | None
    label: str
    start: dt.date
    days: int
    days_written: int
    name: str = ""


@dataclass(frozen=True)
class Answers:
    """What one sheet says about one question under one definition."""

    versions: list[str]
    definition: Definition
    summary: Summary | None


@dataclass
class Row:
    """One question as some pack versions asked it: each client's figure and the cohort's.

    `clients` and `cohort` pool every range given; `weeks` is the cohort's figure per
    range and `client_weeks` each client's, both in the order of `Report.labels`.
    """

    pack: str
    prompt: str
    text: str
    kind: str
    unit: str
    target: Goal | None
    definition: Definition
    versions: list[str]
    change: str | None
    clients: list[tuple[str, Summary | None]] = field(default_factory=list)
    cohort: Summary | None = None
    weeks: list[Summary | None] = field(default_factory=list)
    client_weeks: dict[str, list[Summary | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    labels: list[str]
    clients: list[str]
    files: list[tuple[str, str, str]]
    notes: list[str]
    versions: dict[str, list[str]]
    days: dict[str, list[tuple[int, int] | None]]
    rows: list[Row]

    @property
    def title(self) -> str:
        if len(self.labels) == 1:
            return f"Cohort report: {self.labels[0]}"
        return f"Cohort report: {self.labels[0]} to {self.labels[-1]} ({len(self.labels)} ranges)"


def _read(path: Path) -> dict[str, Any]:
    from reflect.journal.files import TooLarge, read_bounded
    from reflect.model.untrusted_json import load_json

    try:
        data = load_json(read_bounded(path, MAX_FILE_BYTES, special=True).decode("utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except TooLarge:
        raise ReportError(f"{path}: larger than 16 MB; not a summary reflect wrote") from None
    except OSError as exc:
        raise ReportError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ReportError(f"{path}: {not_utf8(exc)}") from None
    except (ValueError, RecursionError) as exc:
        raise ReportError(f"{path}: not a JSON summary ({exc})") from None
    # Every string in a client's file is untrusted: cleaned once, here, for every sink.
    data = clean_tree(data)
    if not isinstance(data, dict) or data.get("kind") != REVIEW_KIND:
        raise ReportError(
            f"{path}: not a reflect summary; ask for `reflect export --share --format json`"
        )
    if (found := newer_than(data, max(READS))) is not None:
        raise ReportError(f"{path}: {newer_format('summary', found, max(READS))}")
    found = data.get("format")
    if isinstance(found, bool) or found not in READS:
        # Not newer (that is refused above): no reflect reads it, so a newer one is no help.
        raise ReportError(
            f"{path}: summary format {found!r}, this reflect reads formats "
            f"{' and '.join(map(str, READS))}; not a summary reflect wrote: ask for "
            "`reflect export --share --format json` again"
        )
    if not data.get("shared"):
        raise ReportError(
            f"{path}: a private summary, not a shared one; ask for `reflect export --share`"
        )
    return data


def load_sheet(path: Path) -> Sheet:
    data = _read(path)
    span = data.get("range")
    try:
        assert isinstance(span, dict)
        start = dt.date.fromisoformat(str(span["start"]))
        days = int(span["days"])
        label = clean_line(str(span["label"]))
        written = int(data.get("days_written") or 0)
    except (AssertionError, KeyError, TypeError, ValueError):
        raise ReportError(f"{path}: damaged summary (its range is unreadable)") from None
    client = data.get("client")
    given = clean_line(client) if isinstance(client, str) and client.strip() else None
    return Sheet(path, data, given, label, start, days, written)


def load_sheets(paths: list[Path]) -> tuple[list[Sheet], list[str]]:
    """Every file once, each with a client name; notes on files given twice."""
    notes: list[str] = []
    sheets: list[Sheet] = []
    seen: list[Path] = []
    for path in paths:
        twin = next((p for p in seen if _same_file(p, path)), None)
        if twin is not None:
            notes.append(f"{path} is given twice (as {twin}); it is read once")
            continue
        seen.append(path)
        sheets.append(load_sheet(path))
    named = _names(sheets)
    unique: dict[tuple[str, str], Sheet] = {}
    for sheet in named:
        key = (sheet.name, sheet.label)
        other = unique.get(key)
        if other is None:
            unique[key] = sheet
        elif other.data == sheet.data:
            notes.append(f"{sheet.path} holds the same summary as {other.path}; it is read once")
        else:
            advice = (
                "give only the one to read"
                if sheet.given_name and other.given_name
                else "put each client's files in a folder of their own, or ask clients to "
                "export with --name"
            )
            raise ReportError(
                f"cannot tell {other.path} and {sheet.path} apart: both are {sheet.name}'s "
                f"summary of {sheet.label}; {advice}"
            )
    return list(unique.values()), notes


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _names(sheets: list[Sheet]) -> list[Sheet]:
    """The summary's own name; else the stem, or the folder when stems clash or name the range."""
    stems: dict[str, set[Path]] = {}
    for sheet in sheets:
        stems.setdefault(sheet.path.stem, set()).add(sheet.path.resolve().parent)
    out = []
    for sheet in sheets:
        name = sheet.given_name
        if name is None:
            stem = sheet.path.stem
            clash = len(stems[stem]) > 1 or sheet.label in stem or _is_range(stem)
            folder = sheet.path.resolve().parent.name
            name = clean_line(folder if clash and folder else stem)
        out.append(
            Sheet(
                sheet.path,
                sheet.data,
                sheet.given_name,
                sheet.label,
                sheet.start,
                sheet.days,
                sheet.days_written,
                name,
            )
        )
    return out


def _is_range(stem: str) -> bool:
    """A stem such as "2026-W48" or "2026-11-23" says when, not who."""
    head = stem[:8]
    return len(stem) >= 7 and head[:4].isdigit() and stem[4:5] == "-"


def build_report(paths: list[Path], *, client: str | None = None) -> Report:
    sheets, notes = load_sheets(paths)
    # Every range any client sent is a column, so a week one client skipped shows as a gap.
    order = sorted({(s.start, s.label) for s in sheets})
    if client is not None:
        known = sorted({s.name for s in sheets})
        sheets = [s for s in sheets if s.name == client]
        if not sheets:
            raise ReportError(f"no summary is from {client!r}; the clients are {', '.join(known)}")
    labels = [label for _, label in order]
    names = sorted({s.name for s in sheets}, key=lambda n: n.lower())
    column = {label: i for i, label in enumerate(labels)}
    days: dict[str, list[tuple[int, int] | None]] = {n: [None] * len(labels) for n in names}
    versions: dict[str, set[str]] = {}
    # (pack, prompt) -> definition groups, each with its sheets' answers
    groups: dict[tuple[str, str], list[tuple[Definition, list[tuple[Sheet, Answers]]]]] = {}
    order_keys: list[tuple[str, str]] = []
    for sheet in sheets:
        days[sheet.name][column[sheet.label]] = (sheet.days_written, sheet.days)
        for pack in _list(sheet, sheet.data.get("packs")):
            pack_id = clean_line(str(pack.get("id")))
            for version in pack.get("versions") or []:
                versions.setdefault(pack_id, set()).add(clean_line(str(version)))
            for prompt in _list(sheet, pack.get("prompts")):
                key = (pack_id, clean_line(str(prompt.get("id"))))
                if key not in groups:
                    groups[key] = []
                    order_keys.append(key)
                for answers in _answers(sheet, pack, prompt):
                    _add(groups[key], sheet, answers)
    rows: list[Row] = []
    for key in order_keys:
        rows.extend(_rows(key, groups[key], names, labels))
    notes += [note for sheet in sheets if (note := _left_out_note(sheet))]
    files = [(str(s.path), s.name, s.label) for s in sheets]
    return Report(
        labels,
        names,
        files,
        notes,
        {p: sorted(v, key=_version_key) for p, v in sorted(versions.items())},
        days,
        rows,
    )


# How many left-out answers of one summary a note names; it counts the rest.
LEFT_OUT_NAMED = 5


def _left_out_note(sheet: Sheet) -> str | None:
    """The answers a client's summary left out of its statistics: named, never dropped."""
    given = sheet.data.get("left_out_answers")  # format 1 summaries have none
    left = _list(sheet, given) if given is not None else []
    if not left:
        return None
    named = [
        clean_line(f"{a.get('date')} {a.get('pack')}/{a.get('prompt')} ({a.get('reason')})")
        for a in left[:LEFT_OUT_NAMED]
    ]
    more = f", and {len(left) - LEFT_OUT_NAMED} more" if len(left) > LEFT_OUT_NAMED else ""
    return (
        f"{sheet.name}, {sheet.label}: {len(left)} answer(s) left out of the statistics: "
        f"{'; '.join(named)}{more}"
    )


def _add(
    found: list[tuple[Definition, list[tuple[Sheet, Answers]]]], sheet: Sheet, answers: Answers
) -> None:
    definition = answers.definition
    for known, members in found:
        unknown = not definition.known or not known.known
        if known.asks_as(definition) or (unknown and known.kind == definition.kind):
            members.append((sheet, answers))
            return
    found.append((definition, [(sheet, answers)]))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _rows(
    key: tuple[str, str],
    found: list[tuple[Definition, list[tuple[Sheet, Answers]]]],
    names: list[str],
    labels: list[str],
) -> list[Row]:
    def first_version(group: tuple[Definition, list[tuple[Sheet, Answers]]]) -> tuple[int, ...]:
        return min((_version_key(v) for _, a in group[1] for v in a.versions), default=())

    ordered = sorted(found, key=first_version)
    rows = []
    previous: Definition | None = None
    for _shape, members in ordered:
        all_versions = sorted({v for _, a in members for v in a.versions}, key=_version_key)
        newest = max(
            members,
            key=lambda m: (max((_version_key(v) for v in m[1].versions), default=()), m[0].start),
        )[1].definition
        texts = {a.definition.text for _, a in members if a.definition.known}
        change = None
        if previous is not None:
            said = newest.changes_from(previous)
            change = f"{', '.join(said) or 'changed'} in {all_versions[0] if all_versions else '?'}"
        elif len(texts) > 1:
            change = "reworded between versions; the answers are counted together"
        previous = newest
        kind = newest.kind
        row = Row(
            pack=key[0],
            prompt=key[1],
            text=newest.text or f"{key[0]}/{key[1]}",
            kind=kind,
            unit=newest.unit,
            target=newest.target,
            definition=newest,
            versions=all_versions,
            change=change,
        )
        per_client: dict[str, list[Summary]] = {}
        per_week: dict[str, list[Summary]] = {}
        cell: dict[tuple[str, str], list[Summary]] = {}
        for sheet, answers in members:
            if answers.summary is None:
                continue
            per_client.setdefault(sheet.name, []).append(answers.summary)
            per_week.setdefault(sheet.label, []).append(answers.summary)
            cell.setdefault((sheet.name, sheet.label), []).append(answers.summary)
        target = newest.target
        row.clients = [
            (n, _pool(per_client[n], kind, target) if n in per_client else None) for n in names
        ]
        everything = [s for group in per_client.values() for s in group]
        row.cohort = _pool(everything, kind, target) if everything else None
        row.weeks = [_pool(per_week[w], kind, target) if w in per_week else None for w in labels]
        row.client_weeks = {
            n: [_pool(cell[(n, w)], kind, target) if (n, w) in cell else None for w in labels]
            for n in names
        }
        rows.append(row)
    return rows


def _list(sheet: Sheet, value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ReportError(f"{sheet.path}: damaged summary (expected a list of objects)")
    return value


def _goal(value: object) -> Goal | None:
    """A target as format 2 writes it ({value, direction, within}), or format 1's number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return Goal(_number(value) or 0.0)
    if isinstance(value, dict) and value.get("direction") in ("at-least", "at-most", "about"):
        number, within = _number(value.get("value")), _number(value.get("within")) or 0.0
        if number is not None:
            return Goal(number, value["direction"], within)
    raise ValueError(f"unreadable target {value!r}")


def _number(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"expected a number, found {value!r}")
    return float(value)


def _definition(data: dict[str, Any], fallback: dict[str, Any]) -> Definition:
    choices = data.get("choices") or []
    return Definition(
        kind=str(data.get("type") or fallback.get("type")),
        text=clean_line(str(data.get("text") or fallback.get("text") or "")),
        unit=clean_line(str(data.get("unit") or "")),
        low=_number(data.get("min")),
        high=_number(data.get("max")),
        step=_number(data.get("step")),
        choices=tuple(clean_line(str(c)) for c in choices),
        target=_goal(data.get("target")),
    )


def _answers(sheet: Sheet, pack: dict[str, Any], prompt: dict[str, Any]) -> list[Answers]:
    """The answers a summary gives one question under one definition.

    A summary gives a question once per definition it was answered under,
    with the pack versions of those answers. An older summary without a
    `definition` knows the question only by its type.
    """
    try:
        kind = str(prompt.get("type"))
        text = clean_line(str(prompt.get("text") or ""))
        given = prompt.get("definition")
        versions = prompt.get("versions") or pack.get("versions") or []
        if isinstance(given, dict) and given.get("type"):
            definition = _definition(given, prompt)
        else:
            unit = clean_line(str(prompt.get("unit") or ""))
            goal = _goal(prompt.get("target"))
            definition = Definition(kind, text, unit, target=goal, known=False)
        if not definition.text:
            definition = replace(definition, text=text)
        summary = _summary(definition.kind, prompt.get("summary"), definition.target)
        return [Answers([clean_line(str(v)) for v in versions], definition, summary)]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ReportError(
            f"{sheet.path}: damaged summary for {prompt.get('id')!r} ({exc})"
        ) from None


def _summary(kind: str, data: object, target: Goal | None) -> Summary | None:
    if not isinstance(data, dict) or not data.get("answered"):
        return None
    answered = int(data["answered"])
    if kind == "yes-no":
        return YesNoSummary(answered, int(data["yes"]))
    if kind in ("scale", "number"):
        return NumberSummary(
            answered,
            _number(data["mean"]),
            _number(data.get("min")),
            _number(data.get("max")),
            target,
        )
    if kind == "choice":
        return ChoiceSummary(answered, _ranked(dict(data["counts"])))
    return TextSummary(answered, int(data["words"]))


def _pool(summaries: list[Summary], kind: str, target: Goal | None) -> Summary:
    """The cohort's figure: every client's answers counted together, not an average of averages."""
    answered = sum(s.answered for s in summaries)
    if kind == "yes-no":
        return YesNoSummary(answered, sum(s.yes for s in summaries if isinstance(s, YesNoSummary)))
    if kind in ("scale", "number"):
        numbers = [s for s in summaries if isinstance(s, NumberSummary) and s.mean is not None]
        total = sum(s.mean * s.answered for s in numbers if s.mean is not None)
        mean = total / answered if answered else None
        lows = [s.min for s in numbers if s.min is not None]
        highs = [s.max for s in numbers if s.max is not None]
        return NumberSummary(
            answered, mean, min(lows, default=None), max(highs, default=None), target
        )
    if kind == "choice":
        counts: dict[str, int] = {}
        for s in summaries:
            if isinstance(s, ChoiceSummary):
                for choice, n in s.counts.items():
                    counts[choice] = counts.get(choice, 0) + n
        return ChoiceSummary(answered, _ranked(counts))
    words = sum(s.words for s in summaries if isinstance(s, TextSummary))
    return TextSummary(answered, words)


def _ranked(counts: dict[Any, Any]) -> dict[str, int]:
    """Choice counts, most frequent first, as trends keep them."""
    pairs = [(clean_line(str(k)), int(v)) for k, v in counts.items()]
    return dict(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))
