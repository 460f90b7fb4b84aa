"""A coach's view: several clients' shared summaries, side by side, without any journal.

Each file is a shared JSON export (`reflect export --share --format json`).
Files of another kind or format are refused with a message rather than a
wrong table. Answers are pooled only where they were given under the same
definition of the question: a question whose range, type, unit or target
changed between the versions the clients answered gets a row per
definition, each labelled with it.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reflect.errors import ReflectError
from reflect.export.review import REVIEW_FORMAT, REVIEW_KIND
from reflect.model.text import clean_line, clean_tree
from reflect.trends.stats import (
    ChoiceSummary,
    NumberSummary,
    Summary,
    TextSummary,
    YesNoSummary,
    summary_data,
)

MAX_FILE_BYTES = 16 * 1024 * 1024


class ReportError(ReflectError):
    """A client's file cannot go into the report."""


@dataclass(frozen=True)
class Client:
    name: str
    path: Path
    data: dict[str, Any]


@dataclass(frozen=True)
class Row:
    """One prompt: each client's summary (None: did not answer) and the cohort's."""

    pack: str
    prompt: str
    text: str
    kind: str
    unit: str
    target: float | None
    clients: list[tuple[str, Summary | None]]
    cohort: Summary


@dataclass(frozen=True)
class Report:
    labels: list[str]
    clients: list[str]
    versions: dict[str, str]
    rows: list[Row]


def load_client(path: Path) -> Client:
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
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReportError(f"{path}: not a JSON summary ({exc})") from None
    # Every string in a client's file is untrusted: cleaned once, here, for every sink.
    data = clean_tree(data)
    if not isinstance(data, dict) or data.get("kind") != REVIEW_KIND:
        raise ReportError(
            f"{path}: not a reflect summary; ask for `reflect export --share --format json`"
        )
    if data.get("format") != REVIEW_FORMAT:
        raise ReportError(
            f"{path}: summary format {data.get('format')!r}, this reflect reads format "
            f"{REVIEW_FORMAT}; use the same version of reflect"
        )
    if not data.get("shared"):
        raise ReportError(
            f"{path}: a private summary, not a shared one; ask for `reflect export --share`"
        )
    return Client(clean_line(path.stem), path, data)


def build_report(paths: list[Path]) -> Report:
    clients = [load_client(path) for path in paths]
    names = [c.name for c in clients]
    if len(set(names)) != len(names):
        raise ReportError("two files have the same name; name each client's file differently")
    versions = _versions(clients)
    order: list[tuple[str, str, str]] = []
    meta: dict[tuple[str, str, str], dict[str, Any]] = {}
    per_client: dict[tuple[str, str, str], dict[str, Summary | None]] = {}
    for client in clients:
        for pack in _list(client, client.data.get("packs")):
            for prompt in _list(client, pack.get("prompts")):
                key = (str(pack.get("id")), str(prompt.get("id")), _definition_key(prompt))
                if key not in meta:
                    order.append(key)
                    meta[key] = prompt
                per_client.setdefault(key, {})[client.name] = _summary(client, prompt)
    split = {k[:2] for k in order if sum(1 for o in order if o[:2] == k[:2]) > 1}
    rows = []
    for key in order:
        prompt = meta[key]
        found = per_client[key]
        summaries = [(name, found.get(name)) for name in names]
        text = str(prompt.get("text") or f"{key[0]}/{key[1]}")
        if key[:2] in split:
            text += f" ({_definition_words(prompt)})"
        rows.append(
            Row(
                pack=key[0],
                prompt=key[1],
                text=clean_line(text),
                kind=str(prompt.get("type")),
                unit=clean_line(str(prompt.get("unit") or "")),
                target=prompt.get("target"),
                clients=summaries,
                cohort=_pool([s for _, s in summaries if s is not None], str(prompt.get("type"))),
            )
        )
    labels = sorted({str(c.data.get("range", {}).get("label")) for c in clients})
    return Report(labels, names, versions, rows)


def _list(client: Client, value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ReportError(f"{client.path}: damaged summary (expected a list of objects)")
    return value


def _versions(clients: list[Client]) -> dict[str, str]:
    """The versions of each pack the clients answered, e.g. "1.0.0, 1.1.0"."""
    seen: dict[str, set[str]] = {}
    for client in clients:
        for pack in _list(client, client.data.get("packs")):
            for version in pack.get("versions") or []:
                seen.setdefault(str(pack.get("id")), set()).add(clean_line(str(version)))
    return {pack_id: ", ".join(sorted(v, key=_version_order)) for pack_id, v in seen.items()}


def _version_order(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def _definition_key(prompt: dict[str, Any]) -> str:
    """What a row's answers mean; summaries written before it was exported fall back to the type."""
    definition = prompt.get("definition")
    if not isinstance(definition, dict):
        definition = {"type": prompt.get("type")}
    return json.dumps(definition, sort_keys=True, default=str)


def _definition_words(prompt: dict[str, Any]) -> str:
    """A row's definition in words, for a question answered under more than one."""
    definition = prompt.get("definition")
    if not isinstance(definition, dict):
        return str(prompt.get("type"))
    words = str(definition.get("type"))
    low, high, unit = definition.get("min"), definition.get("max"), definition.get("unit") or ""
    if low is not None and high is not None:
        words += f" {low}-{high}{unit}"
    if definition.get("target") is not None:
        words += f", target {definition.get('target')}"
    versions = prompt.get("versions")
    if isinstance(versions, list) and versions:
        words = f"as asked in {', '.join(map(str, versions))}: {words}"
    return words


def _summary(client: Client, prompt: dict[str, Any]) -> Summary | None:
    data = prompt.get("summary")
    kind = prompt.get("type")
    try:
        if not isinstance(data, dict) or not data.get("answered"):
            return None
        answered = int(data["answered"])
        if kind == "yes-no":
            return YesNoSummary(answered, int(data["yes"]))
        if kind in ("scale", "number"):
            target = prompt.get("target")
            return NumberSummary(
                answered, float(data["mean"]), data.get("min"), data.get("max"), target
            )
        if kind == "choice":
            return ChoiceSummary(answered, _ranked(dict(data["counts"])))
        return TextSummary(answered, int(data["words"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportError(
            f"{client.path}: damaged summary for {prompt.get('id')!r} ({exc})"
        ) from None


def _pool(summaries: list[Summary], kind: str) -> Summary:
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
        target = numbers[0].target if numbers else None
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
    pairs = [(str(k), int(v)) for k, v in counts.items()]
    return dict(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))


def report_data(report: Report) -> dict[str, Any]:
    return {
        "format": 1,
        "ranges": report.labels,
        "clients": report.clients,
        "packs": report.versions,
        "prompts": [
            {
                "pack": row.pack,
                "id": row.prompt,
                "text": row.text,
                "type": row.kind,
                "unit": row.unit,
                "target": row.target,
                "clients": {
                    name: None if s is None else summary_data(s) for name, s in row.clients
                },
                "cohort": summary_data(row.cohort),
            }
            for row in report.rows
        ],
    }


def report_markdown(report: Report) -> str:
    from reflect.export.markdown import _cell, _line
    from reflect.trends.wording import summary_text, target_text

    parts = [
        f"# Cohort report: {_line(', '.join(report.labels))}",
        f"{len(report.clients)} client(s): {_line(', '.join(report.clients))}. Packs: "
        + _line(", ".join(f"{p} {v}" for p, v in sorted(report.versions.items()))),
    ]
    for row in report.rows:
        target = row.target is not None
        lines = [f"## {_line(row.text)}", ""]
        lines += (
            ["| Client | Answers | Target |", "| --- | --- | --- |"]
            if target
            else [
                "| Client | Answers |",
                "| --- | --- |",
            ]
        )
        for name, summary in [*row.clients, ("Everyone", row.cohort)]:
            cells = ["**Everyone**" if summary is row.cohort else _cell(name)]
            cells.append(
                "did not answer" if summary is None else _cell(summary_text(summary, row.unit))
            )
            if target:
                cells.append(
                    "" if summary is None else _cell(target_text(summary, row.unit, row.target))
                )
            lines.append("| " + " | ".join(cells) + " |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
