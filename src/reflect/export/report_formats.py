"""The coach's report written out: JSON, markdown, CSV and a self-contained HTML page.

Every format shows the same figures: per question each client's and the
cohort's summary over all the ranges given, then (for more than one range)
the cohort week by week and each client week by week, and the days each
client answered.
"""

import csv
import io
from html import escape
from typing import Any

from reflect.export.data import definition_data, goal_data
from reflect.export.json_text import indented_json
from reflect.export.report import EVERYONE, REPORT_FORMAT, REPORT_KIND, Report, Row
from reflect.export.table import safe_cell
from reflect.model.values import with_unit
from reflect.trends.stats import (
    ChoiceSummary,
    NumberSummary,
    Summary,
    TextSummary,
    YesNoSummary,
    summary_data,
)
from reflect.trends.wording import change_amount, number, percent, summary_text, target_text


def cell_text(summary: Summary | None, row: Row) -> str:
    """A summary in a table cell: "67% (2/3)", "3.5 ✓", "meeting 2/3", "2 days"; "—" for none."""
    if summary is None or summary.answered == 0:
        return "—"
    if isinstance(summary, YesNoSummary):
        return f"{percent(summary.share or 0)} ({summary.yes}/{summary.answered})"
    if isinstance(summary, NumberSummary) and summary.mean is not None:
        mark = "" if summary.met is None else (" ✓" if summary.met else " ✗")
        return with_unit(number(summary.mean), row.unit) + mark
    if isinstance(summary, ChoiceSummary):
        count = summary.counts.get(summary.top or "", 0)
        return f"{summary.top} ({count}/{summary.answered})"
    assert isinstance(summary, TextSummary)
    return f"{summary.answered} day(s)"


def short_labels(labels: list[str]) -> list[str]:
    """ "W05" for "2026-W05" when every range is a week of one year, for narrow columns."""
    years = {label.split("-W")[0] for label in labels if "-W" in label}
    if len(years) == 1 and all("-W" in label for label in labels):
        return [label.split("-", 1)[1] for label in labels]
    return labels


def days_text(days: tuple[int, int] | None) -> str:
    return "—" if days is None else f"{days[0]}/{days[1]}"


def row_heading(row: Row) -> str:
    versions = f"version {', '.join(row.versions)}" if row.versions else ""
    extra = "; ".join(x for x in (versions, row.change or "") if x)
    return f"{row.text} ({extra})" if extra else row.text


def opening(report: Report) -> list[str]:
    """The report's first lines: who, which ranges, which pack versions, and any notes."""
    lines = [
        f"{len(report.clients)} client(s): {', '.join(report.clients)}.",
        "Ranges: " + ", ".join(report.labels) + ".",
    ]
    if report.versions:
        lines.append(
            "Packs: " + "; ".join(f"{p} {', '.join(v)}" for p, v in report.versions.items()) + "."
        )
    lines += [f"Note: {note}." for note in report.notes]
    return lines


# -- JSON ----------------------------------------------------------------------------


def report_json(report: Report) -> str:
    """`report --format json`: `report_data` as every `--json` is written (`indented_json`)."""
    return "".join(indented_json(report_data(report))) + "\n"


def report_data(report: Report) -> dict[str, Any]:
    """Keys pinned by a test: format, kind, ranges, clients, files, notes, packs, days, prompts."""

    def summary(s: Summary | None) -> dict[str, Any] | None:
        return None if s is None else summary_data(s)

    return {
        "format": REPORT_FORMAT,
        "kind": REPORT_KIND,
        "ranges": report.labels,
        "clients": report.clients,
        "files": [{"path": f, "client": c, "label": r} for f, c, r in report.files],
        "notes": report.notes,
        "packs": report.versions,
        "days": {
            name: {
                label: None if d is None else {"written": d[0], "days": d[1]}
                for label, d in zip(report.labels, days, strict=True)
            }
            for name, days in report.days.items()
        },
        "prompts": [
            {
                "pack": row.pack,
                "id": row.prompt,
                "text": row.text,
                "type": row.kind,
                "unit": row.unit,
                "target": goal_data(row.target),
                "versions": row.versions,
                "definition_change": row.change,
                "definition": definition_data(row.definition),
                "clients": {name: summary(s) for name, s in row.clients},
                "cohort": summary(row.cohort),
                "weeks": {
                    label: summary(s) for label, s in zip(report.labels, row.weeks, strict=True)
                },
                "client_weeks": {
                    name: {label: summary(s) for label, s in zip(report.labels, cells, strict=True)}
                    for name, cells in row.client_weeks.items()
                },
            }
            for row in report.rows
        ],
    }


# -- markdown ------------------------------------------------------------------------


def _md(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<")


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    lines = [
        "| " + " | ".join(map(_md, head)) + " |",
        "| " + " | ".join("---" for _ in head) + " |",
    ]
    lines += ["| " + " | ".join(map(_md, cells)) + " |" for cells in rows]
    return "\n".join(lines)


def report_markdown(report: Report) -> str:
    parts = [f"# {_md(report.title)}", "\n".join(_md(line) for line in opening(report))]
    parts.append("## Days answered")
    parts.append(_md_table(["Client", *report.labels], _days_rows(report)))
    for row in report.rows:
        parts.append(f"## {_md(row_heading(row))}")
        parts.append(_md_table(*_summary_table(row)))
        if len(report.labels) > 1:
            parts.append(_md_table(*_weeks_table(report, row)))
    return "\n\n".join(parts) + "\n"


def _days_rows(report: Report) -> list[list[str]]:
    return [[name, *map(days_text, days)] for name, days in report.days.items()]


def _summary_table(row: Row) -> tuple[list[str], list[list[str]]]:
    head = ["Client", "Answers"] + (["Target"] if row.target else [])
    body = []
    for name, summary in [*row.clients, (EVERYONE, row.cohort)]:
        cells = [name, "did not answer" if summary is None else summary_text(summary, row.unit)]
        if row.target:
            cells.append("" if summary is None else target_text(summary, row.unit, row.target))
        body.append(cells)
    return head, body


def _weeks_table(report: Report, row: Row) -> tuple[list[str], list[list[str]]]:
    body = [[name, *(cell_text(s, row) for s in cells)] for name, cells in row.client_weeks.items()]
    body.append([EVERYONE, *(cell_text(s, row) for s in row.weeks)])
    return ["Week by week", *report.labels], body


# -- CSV -----------------------------------------------------------------------------

CSV_COLUMNS = [
    "range", "client", "pack", "prompt", "versions", "type", "answered", "yes", "mean",
    "min", "max", "top", "share", "target", "direction", "met", "days_written", "days",
]  # fmt: skip
ALL_RANGES = "all"


def report_csv(report: Report) -> str:
    """One row per client (and `everyone`) per range per question; `all` pools the ranges."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        for label_index, label in enumerate(report.labels):
            for name, cells in row.client_weeks.items():
                days = report.days[name][label_index]
                writer.writerow(_csv_row(label, name, row, cells[label_index], days))
            writer.writerow(_csv_row(label, EVERYONE, row, row.weeks[label_index], None))
        if len(report.labels) > 1:
            for name, summary in row.clients:
                writer.writerow(_csv_row(ALL_RANGES, name, row, summary, None))
            writer.writerow(_csv_row(ALL_RANGES, EVERYONE, row, row.cohort, None))
    return out.getvalue()


def _csv_row(
    label: str, name: str, row: Row, s: Summary | None, days: tuple[int, int] | None
) -> list[object]:
    data = summary_data(s) if s is not None else {}
    goal = row.target
    return [
        safe_cell(x)
        for x in (
            label, name, row.pack, row.prompt, " ".join(row.versions), row.kind,
            data.get("answered", 0), data.get("yes"), data.get("mean"), data.get("min"),
            data.get("max"), data.get("top"), data.get("share"),
            None if goal is None else f"{goal.value:g}", None if goal is None else goal.direction,
            None if data.get("met") is None else ("yes" if data["met"] else "no"),
            None if days is None else days[0], None if days is None else days[1],
        )
    ]  # fmt: skip


# -- HTML ----------------------------------------------------------------------------


def report_html(report: Report) -> str:
    from reflect.export.charts import STYLE, bar_chart, headline_html

    body = [f"<h1>{escape(report.title)}</h1>"]
    body += [f'<p class="meta">{escape(line)}</p>' for line in opening(report)]
    body.append(headline_html(_headline(report)))
    body.append("<h2>Days answered</h2>")
    short = short_labels(report.labels)
    body.append(_html_table(["Client", *short], _days_rows(report)))
    for row in report.rows:
        body.append(f'<section class="prompt"><h2>{escape(row_heading(row))}</h2>')
        body.append(_html_table(*_summary_table(row)))
        if len(report.labels) > 1:
            body.append(
                '<figure class="chart">'
                + bar_chart(row.kind, row.definition, row.target, short, row.weeks)
                + "<figcaption>everyone, week by week</figcaption></figure>"
            )
            head, cells = _weeks_table(report, row)
            body.append(_html_table([head[0], *short], cells))
        else:
            names = [n for n, _ in row.clients] + [EVERYONE]
            values = [s for _, s in row.clients] + [row.cohort]
            body.append(
                '<figure class="chart">'
                + bar_chart(row.kind, row.definition, row.target, names, values)
                + "<figcaption>each client and everyone</figcaption></figure>"
            )
        body.append("</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _headline(report: Report) -> list[str]:
    """The last range's targets met or missed by everyone, and what moved most since the one before."""
    from reflect.trends.stats import level

    said = []
    last = len(report.labels) - 1
    for row in report.rows:
        week = row.weeks[last] if row.weeks else None
        if row.target is not None and isinstance(week, NumberSummary) and week.met is not None:
            said.append(
                f"{row.text} — {target_text(week, row.unit, row.target)} in {report.labels[last]}"
            )
    moves = []
    if last >= 1:
        for row in report.rows:
            before, after = row.weeks[last - 1], row.weeks[last]
            if before is None or after is None:
                continue
            a, b = level(before), level(after)
            if a is None or b is None or row.kind == "text":
                continue
            span = _span(row)
            moves.append((abs(b - a) / span, row, b - a))
        moves.sort(key=lambda m: -m[0])
        for _, row, delta in moves[:3]:
            amount = change_amount(row.kind, delta, row.unit)
            if amount is None:
                continue  # too small to show: "down 0.0h" is no headline
            way = "up" if delta > 0 else "down"
            said.append(f"{row.text} — {way} {amount} since {report.labels[last - 1]}")
    return said


def _span(row: Row) -> float:
    if row.kind in ("yes-no", "choice"):
        return 1.0
    low, high = row.definition.low, row.definition.high
    return (high - low) if low is not None and high is not None and high > low else 1.0


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    top = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{top}</tr></thead><tbody>{body}</tbody></table>"
