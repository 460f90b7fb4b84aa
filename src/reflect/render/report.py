"""The coach's report in the terminal: days answered, then a table per question, and weeks side by side."""

from typing import Any

from rich.table import Table
from rich.text import Text

from reflect.export.report import EVERYONE, Report
from reflect.export.report_formats import (
    cell_text,
    days_text,
    opening,
    row_heading,
    short_labels,
)
from reflect.trends.wording import summary_text, target_text


def report_view(report: Report) -> list[Any]:
    parts: list[Any] = [Text(report.title, style="bold")]
    parts += [Text(line) for line in opening(report)]
    days = Table(title=Text("Days answered"), title_justify="left")
    days.add_column("client", no_wrap=True)
    for label in short_labels(report.labels):
        days.add_column(label, justify="right")
    for name, counts in report.days.items():
        days.add_row(Text(name), *(Text(days_text(c)) for c in counts))
    parts += [Text(""), days]
    for row in report.rows:
        table = Table(title=Text(row_heading(row)), title_justify="left", expand=False)
        table.add_column("client", no_wrap=True)
        table.add_column("answers")
        if row.target is not None:
            table.add_column("target")
        for name, summary in [*row.clients, (EVERYONE, row.cohort)]:
            style = "bold" if name == EVERYONE else ""
            cells = [Text(name, style=style)]
            if summary is None:
                cells.append(Text("did not answer", style="dim"))
                if row.target is not None:
                    cells.append(Text(""))
            else:
                cells.append(Text(summary_text(summary, row.unit)))
                if row.target is not None:
                    cells.append(Text(target_text(summary, row.unit, row.target)))
            table.add_row(*cells)
        parts += [Text(""), table]
        if len(report.labels) > 1:
            weeks = Table(title=Text("week by week", style="dim"), title_justify="left")
            weeks.add_column("client", no_wrap=True)
            for label in short_labels(report.labels):
                weeks.add_column(label)
            for name, summaries in [*row.client_weeks.items(), (EVERYONE, row.weeks)]:
                weeks.add_row(Text(name), *(Text(cell_text(s, row)) for s in summaries))
            parts.append(weeks)
    return parts
