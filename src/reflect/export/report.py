"""A coach's view: several clients' shared summaries, side by side, without any journal.

Each file is a shared JSON export (`reflect export --share --format json`).
Files of another kind or format, and packs answered in different versions
by different clients, are refused with a message rather than a wrong table.
"""

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
    order: list[tuple[str, str]] = []
    meta: dict[tuple[str, str], dict[str, Any]] = {}
    per_client: dict[tuple[str, str], dict[str, Summary | None]] = {}
    for client in clients:
        for pack in _list(client, client.data.get("packs")):
            for prompt in _list(client, pack.get("prompts")):
                key = (str(pack.get("id")), str(prompt.get("id")))
                if key not in meta:
                    order.append(key)
                    meta[key] = prompt
                elif meta[key].get("type") != prompt.get("type"):
                    raise ReportError(
                        f"{client.path}: {key[0]}/{key[1]} is a {prompt.get('type')} question "
                        f"there but a {meta[key].get('type')} one elsewhere"
                    )
                per_client.setdefault(key, {})[client.name] = _summary(client, prompt)
    rows = []
    for key in order:
        prompt = meta[key]
        found = per_client[key]
        summaries = [(name, found.get(name)) for name in names]
        rows.append(
            Row(
                pack=key[0],
                prompt=key[1],
                text=clean_line(str(prompt.get("text") or f"{key[0]}/{key[1]}")),
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
    seen: dict[str, dict[str, list[str]]] = {}
    for client in clients:
        for pack in _list(client, client.data.get("packs")):
            for version in pack.get("versions") or []:
                seen.setdefault(str(pack.get("id")), {}).setdefault(str(version), []).append(
                    client.name
                )
    for pack_id, by_version in seen.items():
        if len(by_version) > 1:
            detail = "; ".join(
                f"{v}: {', '.join(names)}" for v, names in sorted(by_version.items())
            )
            raise ReportError(
                f"clients answered different versions of pack {pack_id!r} ({detail}); "
                "ask them to upgrade to the same version and export again"
            )
    return {pack_id: next(iter(v)) for pack_id, v in seen.items()}


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
