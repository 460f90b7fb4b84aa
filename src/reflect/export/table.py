"""A review as CSV: tidy data, one row per answer, safe to open in a spreadsheet.

RFC 4180: comma-separated, fields quoted when they hold a comma, a quote or
a line break, CRLF between records, UTF-8. A text cell a spreadsheet would
run as a formula (starting with =, +, -, @, a tab or a carriage return) is
prefixed with an apostrophe; numbers are left as numbers.
"""

import csv
import io
import re

from reflect.export.review import Review

COLUMNS = ["date", "pack", "pack_version", "prompt", "type", "value", "text"]
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if text and text[0] in "=+-@\t\r" and not _NUMBER.match(text):
        return "'" + text
    return text


def review_csv(review: Review) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for pack in review.packs:
        version = pack.versions[-1] if len(pack.versions) == 1 else "/".join(pack.versions)
        for prompt in pack.prompts:
            rows = [(d.date, prompt.id, prompt.kind, d.value, d.text) for d in prompt.days] + [
                (d.date, f"{prompt.id}/follow-up", "text", None, d.text) for d in prompt.follow_ups
            ]
            for date, prompt_id, kind, value, text in sorted(rows, key=lambda r: (r[0], r[1])):
                writer.writerow(
                    [
                        date.isoformat(),
                        pack.id,
                        version,
                        prompt_id,
                        kind,
                        safe_cell(value),
                        safe_cell(text),
                    ]
                )
    for note in review.notes:
        writer.writerow(
            [note.date.isoformat(), "", "", "note", "note", note.time, safe_cell(note.text)]
        )
    return out.getvalue()
