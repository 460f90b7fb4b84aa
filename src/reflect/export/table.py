"""A review as CSV: tidy data, one row per answer, that a spreadsheet and pandas read typed.

CSV format 2 (format 1 had one `value` column mixing numbers, yes/no words
and choice names, which every reader took for text). Each kind of answer
has its own column, so a column holds one type:

    date, time, pack, pack_version, prompt, question, type,
    number, yes, choice, text, counted

`number` is a scale or number answer, and 1 or 0 for a yes/no one (so a
mean is the share of yes); `yes` is 1 or 0 for a yes/no answer, empty for
others (a number, since a column of TRUE/FALSE with empty cells reads as
text in pandas); `choice` is the option chosen; `text` is prose, a
follow-up or a note. `time` is when the answer was given (HH:MM:SS, local
time, from the entry's `given` line; empty where the file does not record
it, as for answers from format 1) and a note's HH:MM. `pack_version` is the
version that asked the answer and `question` its words then; `counted` is
TRUE for answers the statistics use and FALSE for those they leave out and
for notes, which are no answer: never empty, so it reads as booleans.
`type` is the question's type as the version that asked the answer defined
it, for answers left out too; it is empty only for an answer to a question
no kept version defines, and `note` for a note.
Other cells that do not apply are empty.

RFC 4180: comma-separated, fields quoted when they hold a comma, a quote or
a line break, CRLF between records, UTF-8 (with a byte-order mark when asked,
which Excel needs to read UTF-8). A text cell a spreadsheet would run as a
formula is prefixed with an apostrophe (see `safe_cell`); the typed columns
hold only numbers and TRUE/FALSE.
"""

import csv
import datetime as dt
import io
import re

from reflect.export.review import Review

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
# What lets a formula reach outside its cell: a function call, a DDE link
# (`cmd|' /C calc'!A0`), a reference to another sheet or workbook.
_REACH = re.compile(r"[(|!]")
# The characters that start a formula, full-width forms too (an IME may type them).
_FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# A list item: a sign, a space, then a word of letters (no cell reference such as A1).
_LIST_ITEM = re.compile(r"[-+][ \t]+[^\W\d_]+(?=\s|$)")
# A negative number: a spreadsheet shows it as the very same text.
_NEGATIVE = re.compile(r"-[0-9]+(?:\.[0-9]+)?")


def safe_cell(value: object) -> str:
    """A text cell that no spreadsheet runs as a formula: an apostrophe before one that would.

    The OWASP CSV-injection rule: a cell starting with `=`, `+`, `-`, `@`, a
    tab or a carriage return gets an apostrophe (leading tabs, carriage
    returns and spaces are looked past, as some spreadsheets strip them;
    their full-width forms count too). Two kinds of prose are plainly harmless
    and stay as written: a list item, `-` or `+` then a space and a word of
    letters ("- a walk"), holding no call `(`, DDE `|` or sheet reference
    `!`; and a lone negative number ("-3"), which a spreadsheet shows as it
    is. Everything else is neutralised: `-2+3` and `+A1*1000` would be
    computed, `+1` would lose its sign, `@home` is an Excel name. A
    spreadsheet evaluates only the start of a cell, so later lines of a
    multi-line note are text whatever they hold.
    """
    text = "" if value is None else str(value)
    start = text.lstrip("\t\r ")
    if start[:1] not in _FORMULA_START:
        return text
    first = start.split("\n", 1)[0]
    if _NEGATIVE.fullmatch(first) and first == start:
        return text
    if _LIST_ITEM.match(start) and not _REACH.search(start):
        return text
    return "'" + text


def _number(value: float) -> str:
    """7, not 7.0: a whole number reads as one; an int of any size stays exact."""
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if value.is_integer() else repr(value)


def typed_cells(kind: str, value: object, text: str | None) -> tuple[str, str, str, str]:
    """The number, yes, choice and text cells of one answer."""
    prose = safe_cell(text)
    if isinstance(value, bool):
        yes = "1" if value else "0"
        # 1 or 0 only for a yes/no question: a yes/no where a number was asked is no number.
        return (yes if kind == "yes-no" else ""), yes, "", prose
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
                    d.question or prompt.text,  # the words of the version that asked it
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
                    d.asked,
                    d.at,
                )
                for d in prompt.follow_ups
            ]
    rows += [
        (a.date, a.pack, a.version, a.prompt, a.question, a.type, a.value, None, False, a.at)
        for a in review.left_out_answers
    ]
    for date, pack_id, version, prompt_id, question, kind, value, text, counted, at in sorted(
        rows, key=lambda r: (r[0], r[1], r[3])
    ):
        # A value left out is placed by its own form (a number, yes/no, words), not by the
        # type of the question it does not fit.
        cells = typed_cells(kind if counted or text is not None else "", value, text)
        writer.writerow(
            [
                date.isoformat(),
                "" if at is None else f"{at:%H:%M:%S}",
                pack_id,
                version or "",
                prompt_id,
                safe_cell(question),
                kind,
                *cells,
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
                "FALSE",
            ]
        )
    return out.getvalue()
