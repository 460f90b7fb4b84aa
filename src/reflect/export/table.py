"""A review as CSV: tidy data, one row per answer, that a spreadsheet and pandas read typed.

CSV format 2 (format 1 had one `value` column mixing numbers, yes/no words
and choice names, which every reader took for text). Each kind of answer
has its own column, so a column holds one type:

    date, time, pack, pack_version, prompt, question, type,
    number, yes, choice, text, counted

`number` is a scale or number answer, and 1 or 0 for a yes/no one (so a
mean is the share of yes); `yes` is TRUE or FALSE for a yes/no answer;
`choice` is the option chosen; `text` is prose, a follow-up or a note.
`time` is when the answer was given (HH:MM:SS, local time, from the
entry's `given` line; empty where the file does not record it, as for
answers from format 1) and a note's HH:MM. `pack_version` is the version that asked the
answer and `question` its words then; `counted` is TRUE for answers the
statistics use and FALSE for those they leave out. Cells that do not apply
are empty.

RFC 4180: comma-separated, fields quoted when they hold a comma, a quote or
a line break, CRLF between records, UTF-8 (with a byte-order mark when asked,
which Excel needs to read UTF-8). A text cell a spreadsheet would run as a
formula (starting with =, +, -, @, a tab or a carriage return) is prefixed
with an apostrophe; the typed columns hold only numbers and TRUE/FALSE.
"""

import csv
import datetime as dt
import io
import re

from reflect.export.review import Review

CSV_FORMAT = 2
COLUMNS = [
    "date",
    "time",
    "pack",
    "pack_version",
    "prompt",
    "question",
    "type",
    "number",
    "yes",
    "choice",
    "text",
    "counted",
]
BOM = "\ufeff"
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r" and not _NUMBER.match(text):
        return "'" + text
    return text


def _number(value: float) -> str:
    """7, not 7.0: a whole number reads as one; an int of any size stays exact."""
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if value.is_integer() else repr(value)


def typed_cells(kind: str, value: object, text: str | None) -> tuple[str, str, str, str]:
    """The number, yes, choice and text cells of one answer."""
    prose = safe_cell(text)
    if isinstance(value, bool):
        yes = "TRUE" if value else "FALSE"
        # 1 or 0 only for a yes/no question: a yes/no where a number was asked is no number.
        return ("1" if value else "0") if kind == "yes-no" else "", yes, "", prose
    if isinstance(value, int | float):
        return _number(value), "", "", prose
    if isinstance(value, str) and kind == "choice":
        return "", "", safe_cell(value), prose
    if isinstance(value, str):
        # A value that no longer fits its question (left out of the statistics) stays words.
        return "", "", "", safe_cell(value if not prose else f"{value}: {text}")
    return "", "", "", prose


Row = tuple[dt.date, str, str | None, str, str, str, object, str | None, bool, dt.datetime | None]


def review_csv(review: Review, *, bom: bool = False) -> str:
    """One row per answer given, with the pack version that asked it and the question's words.

    Answers the statistics leave out are rows too, with `counted` FALSE.
    """
    out = io.StringIO(newline="")
    if bom:
        out.write(BOM)
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
                    d.at,
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
                    d.at,
                )
                for d in prompt.follow_ups
            ]
    rows += [
        (a.date, a.pack, a.version, a.prompt, a.question, "", a.value, None, False, a.at)
        for a in review.left_out_answers
    ]
    for date, pack_id, version, prompt_id, question, kind, value, text, counted, at in sorted(
        rows, key=lambda r: (r[0], r[1], r[3])
    ):
        writer.writerow(
            [
                date.isoformat(),
                "" if at is None else f"{at:%H:%M:%S}",
                pack_id,
                version or "",
                prompt_id,
                safe_cell(question),
                kind,
                *typed_cells(kind, value, text),
                "TRUE" if counted else "FALSE",
            ]
        )
    for note in review.notes:
        writer.writerow(
            [
                note.date.isoformat(),
                note.time,
                "",
                "",
                "note",
                "",
                "note",
                "",
                "",
                "",
                safe_cell(note.text),
                "",
            ]
        )
    return out.getvalue()
