"""The coach's report in the terminal: a table per prompt, a row per client and one for everyone."""

from typing import Any

from rich.table import Table
from rich.text import Text

from reflect.export.report import Report
from reflect.trends.wording import summary_text, target_text


def report_view(report: Report) -> list[Any]:
    parts: list[Any] = [
        Text(f"Cohort report: {', '.join(report.labels)}", style="bold"),
        Text(
            f"{len(report.clients)} client(s). Packs: "
            + ", ".join(f"{p} {v}" for p, v in sorted(report.versions.items()))
        ),
    ]
    for row in report.rows:
        table = Table(title=Text(row.text), title_justify="left", expand=False)
        table.add_column("client", no_wrap=True)
        table.add_column("answers")
        if row.target is not None:
            table.add_column("target")
        for name, summary in row.clients:
            cells = [Text(name)]
            if summary is None:
                cells.append(Text("did not answer", style="dim"))
                if row.target is not None:
                    cells.append(Text(""))
            else:
                cells.append(Text(summary_text(summary, row.unit)))
                if row.target is not None:
                    cells.append(Text(target_text(summary, row.unit, row.target)))
            table.add_row(*cells)
        cohort = [Text("everyone", style="bold"), Text(summary_text(row.cohort, row.unit))]
        if row.target is not None:
            cohort.append(Text(target_text(row.cohort, row.unit, row.target)))
        table.add_row(*cohort)
        parts.append(Text(""))
        parts.append(table)
    return parts
