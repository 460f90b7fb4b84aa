"""A review as CSV: tidy data, one row per answer, safe to open in a spreadsheet.

RFC 4180: comma-separated, fields quoted when they hold a comma, a quote or
a line break, CRLF between records, UTF-8. A text cell a spreadsheet would
run as a formula (starting with =, +, -, @, a tab or a carriage return) is
prefixed with an apostrophe; numbers are left as numbers.
"""

import csv
import datetime as dt
import io
import re

from reflect.export.review import Review

COLUMNS = ["date", "pack", "pack_version", "prompt", "question", "type", "value", "text", "counted"]
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if text and text[0] in "=+-@\t\r" and not _NUMBER.match(text):
        return "'" + text
    return text


Row = tuple[dt.date, str, str | None, str, str, str, object, str | None, bool]


def review_csv(review: Review) -> str:
    """One row per answer given, with the pack version that asked it and the question's words.

    Answers the statistics leave out are rows too, with `counted` no.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows: list[Row] = []
    for pack in review.packs:
        for prompt in pack.prompts:
            rows += [
                (
                    d.date,
                    pack.id,
                    d.version,
                    prompt.id,
                    prompt.text,
                    prompt.kind,
                    d.value,
                    d.text,
                    True,
                )
                for d in prompt.days
            ]
            rows += [
                (
                    d.date,
                    pack.id,
                    d.version,
                    f"{prompt.id}/follow-up",
                    d.question or prompt.follow_up or "",
                    "text",
                    None,
                    d.text,
                    True,
                )
                for d in prompt.follow_ups
            ]
    rows += [
        (a.date, a.pack, a.version, a.prompt, a.question, "", a.value, None, False)
        for a in review.left_out_answers
    ]
    for date, pack_id, version, prompt_id, question, kind, value, text, counted in sorted(
        rows, key=lambda r: (r[0], r[1], r[3])
    ):
        writer.writerow(
            [
                date.isoformat(),
                pack_id,
                version or "",
                prompt_id,
                safe_cell(question),
                kind,
                safe_cell(value),
                safe_cell(text),
                "yes" if counted else "no",
            ]
        )
    for note in review.notes:
        writer.writerow(
            [note.date.isoformat(), "", "", "note", "", "note", note.time, safe_cell(note.text), ""]
        )
    return out.getvalue()
