"""The shape of every `--json` output, as models: the one place a JSON contract is written down.

The library builds each document as plain data (`*_data` functions beside
the logic); these models say what that data is, and the JSON Schemas in
docs/json/ are generated from them. A test runs every command with --json
and checks its output against its schema, so a shape cannot change without
its model, its schema and its `format` number changing too.

Every document is an object with a `format`. The same key means the same
thing everywhere: a file is `path`; `answers` are answers, never a count
(counts end in `_count`).
"""

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reflect.model.pack import Pack

Value = bool | int | float | str


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- shared parts -----------------------------------------------------------------


class Section(_Shape):
    heading: str
    text: str


class Note(_Shape):
    time: str
    text: str


class Question(_Shape):
    """One answer with the question as it was asked."""

    pack: str
    prompt: str
    question: str
    type: str | None
    version: str | None
    defined_in: str | None
    definition_source: Literal["exact", "current", "newest-kept", "unknown"]
    in_pack: bool
    value: Value
    shown: str
    fits: bool
    follow_up: str | None
    follow_up_version: str | None = Field(
        description="the pack version that asked the follow-up (its own given line), "
        "null without a follow-up"
    )


class Day(_Shape):
    """One day's entry, as `show` gives it."""

    date: dt.date
    path: str
    tags: list[str]
    packs: dict[str, str] = Field(description="pack id -> the version that asked")
    answers: dict[str, dict[str, Value]] = Field(description="{pack: {prompt: value}}")
    questions: list[Question]
    sections: list[Section]
    notes: list[Note]


class SkippedFile(_Shape):
    path: str
    error: str


class YesNoSummary(_Shape):
    answered: int
    yes: int
    share: float | None


class NumberSummary(_Shape):
    answered: int
    mean: float | None
    min: float | None
    max: float | None
    distance: float | None
    met: bool | None


class ChoiceSummary(_Shape):
    answered: int
    top: str | None
    share: float | None
    counts: dict[str, int]


class TextSummary(_Shape):
    answered: int
    words: int


Summary = YesNoSummary | NumberSummary | ChoiceSummary | TextSummary


class Change(_Shape):
    from_: str = Field(alias="from")
    to: str
    delta: float


class TagCount(_Shape):
    tag: str
    days: int


# -- daily ------------------------------------------------------------------------


class Prompt(BaseModel):
    """A question: its pack, id, text and type, and the fields of its type (min, max, choices...)."""

    model_config = ConfigDict(extra="allow")

    pack: str
    id: str
    text: str
    type: Literal["text", "yes-no", "scale", "choice", "number"]


class PromptDocument(_Shape):
    """`reflect prompt --json`"""

    format: Literal[2]
    date: dt.date
    prompts: list[Prompt]


class Imported(_Shape):
    entries: int
    days: int
    new_days: int
    attachments: int


class Skipped(_Shape):
    entries: int
    days: int
    why: dict[str, int]


class ImportDocument(_Shape):
    """`reflect import jrnl|dayone|daylio --json`"""

    format: Literal[2]
    source: str
    path: str
    imported: Imported
    skipped: Skipped
    not_kept: dict[str, int]
    renamed_tags: dict[str, str]
    notes: list[str]
    unreadable: list[str]
    not_copied: list[str]


# -- look back --------------------------------------------------------------------


class ShowDocument(Day):
    """`reflect show --json`"""

    format: Literal[2]


class EarlierDay(Day):
    years_ago: int


class OnThisDayDocument(_Shape):
    """`reflect show --on-this-day --json`"""

    format: Literal[3]
    date: dt.date
    entries: list[EarlierDay]


class LogDay(_Shape):
    date: dt.date
    answer_count: int
    note_count: int
    tags: list[str]
    preview: str


class LogDocument(_Shape):
    """`reflect log --json`"""

    format: Literal[2]
    days: list[LogDay]


class Match(_Shape):
    where: str
    pack: str | None
    prompt: str | None
    text: str
    spans: list[tuple[int, int]] = Field(description="character offsets of each match")


class SearchDay(_Shape):
    date: dt.date
    path: str
    tags: list[str]
    matches: list[Match]


class SearchDocument(_Shape):
    """`reflect search --json`"""

    format: Literal[2]
    days: list[SearchDay]


class HistorySummary(_Shape):
    count: int
    left_out_count: int | None = None
    yes: int | None = None
    no: int | None = None
    mean: float | None = None
    min: float | None = None
    max: float | None = None


class HistoryAnswer(_Shape):
    date: dt.date
    value: Value
    shown: str
    follow_up: str | None
    version: str | None
    question: str | None
    defined_in: str | None
    fits: bool
    counted: bool
    left_out_reason: str | None = Field(description="why the answer is not counted, if it is not")


class HistoryDocument(_Shape):
    """`reflect history PACK/PROMPT --json`"""

    format: Literal[2]
    pack: str
    prompt: str
    question: str | None
    type: str | None
    in_pack: bool
    summary: HistorySummary
    answers: list[HistoryAnswer]


# -- trends -----------------------------------------------------------------------


class Range(_Shape):
    start: dt.date
    end: dt.date
    by: Literal["day", "week", "month"]


class Period(_Shape):
    label: str
    start: dt.date
    end: dt.date
    days: int
    partial: bool


class Goal(_Shape):
    """A target with a direction: at least, at most, or about a value give or take `within`."""

    value: float
    direction: Literal["at-least", "at-most", "about"]
    within: float | None


class PromptTrend(_Shape):
    id: str
    text: str | None
    type: str
    retired: bool
    unit: str
    target: Goal | None
    follows: str | None
    periods: list[Summary]
    overall: Summary
    change: Change | None
    skipped: int
    earlier: str | None = Field(
        description="set on a row of answers given under an earlier meaning"
    )
    versions: list[str]


class PackTrend(_Shape):
    id: str
    name: str | None
    retired: bool
    prompts: list[PromptTrend]


class Consistency(_Shape):
    days: int
    written: int
    last_7_days: int
    current_streak: int
    longest_streak: int


class ValueProblem(_Shape):
    path: str
    date: dt.date
    pack: str
    prompt: str
    value: Any
    message: str


class TrendsDocument(_Shape):
    """`reflect trends --json`"""

    format: Literal[3]
    range: Range
    periods: list[Period]
    packs: list[PackTrend]
    consistency: Consistency
    tags: list[TagCount]
    problems: list[ValueProblem]
    skipped_files: list[SkippedFile]


class CalendarDay(_Shape):
    date: dt.date
    answer_count: int
    words: int
    shade: int = Field(
        description="1-4: the day's answers as a share of the year's most answered day"
    )


class CalendarDocument(_Shape):
    """`reflect calendar --json`"""

    format: Literal[3]
    year: int
    written: int
    days_counted: int
    longest_streak: int
    max_answers: int
    days: list[CalendarDay]
    skipped_files: list[SkippedFile]


# -- export -----------------------------------------------------------------------


class ReviewRange(_Shape):
    start: dt.date
    end: dt.date
    label: str
    days: int


class ReviewNote(_Shape):
    date: dt.date
    time: str
    text: str


class Definition(_Shape):
    """What a question asked, as far as answers can be pooled: type, scale, step, choices."""

    type: str
    text: str
    unit: str
    min: float | None
    max: float | None
    step: float | None
    choices: list[str]
    target: Goal | None


class ReviewWeek(_Shape):
    label: str
    level: float | None = Field(
        description="the number the question's change follows: a yes-no's share of yes, a "
        "number's mean, a choice's share of its most frequent answer, a text's words"
    )


class ReviewDay(_Shape):
    """One day's answer; `text` holds a prose answer, `value` any other."""

    date: dt.date
    value: Value | None
    text: str | None
    version: str | None
    question: str | None


class ReviewFollowUp(_Shape):
    date: dt.date
    text: str | None
    version: str | None
    asked: bool


class ReviewPrompt(_Shape):
    id: str
    text: str
    type: str
    unit: str
    target: Goal | None
    retired: bool
    earlier: str | None = Field(
        description="set on a row of answers given under an earlier meaning"
    )
    versions: list[str]
    definition: Definition
    summary: Summary
    change: Change | None
    met: bool | None
    weeks: list[ReviewWeek]
    days: list[ReviewDay]
    follow_up: str | None
    follow_ups: list[ReviewFollowUp]


class ReviewPack(_Shape):
    id: str
    name: str
    versions: list[str]
    retired: bool
    prompts: list[ReviewPrompt]


class LeftOutAnswer(_Shape):
    """An answer the statistics could not count, and why."""

    date: dt.date
    pack: str
    prompt: str
    question: str
    value: Any
    version: str | None
    reason: str


class ReviewDocument(_Shape):
    """`reflect export --format json`: what `reflect report` reads back."""

    format: Literal[2]
    kind: Literal["reflect-summary"]
    generator: str
    client: str | None
    range: ReviewRange
    previous_weeks: int
    shared: bool
    contains: list[str]
    left_out: list[str]
    days_written: int
    packs: list[ReviewPack]
    notes: list[ReviewNote]
    left_out_answers: list[LeftOutAnswer]
    tags: list[TagCount]
    skipped_files: list[SkippedFile] = Field(
        description="entry files the summary could not read (path from entries/, and why)"
    )


class ReportFile(_Shape):
    """One summary the report read: whose, and the label of its range."""

    path: str
    client: str
    label: str


class ReportDays(_Shape):
    written: int
    days: int


class ReportPrompt(_Shape):
    """One question as some pack versions asked it; figures are null where nobody answered."""

    pack: str
    id: str
    text: str
    type: str
    unit: str
    target: Goal | None
    versions: list[str]
    definition_change: str | None = Field(
        description="how the definition changed across the versions"
    )
    definition: Definition
    clients: dict[str, Summary | None] = Field(description="client -> all ranges pooled")
    cohort: Summary | None
    weeks: dict[str, Summary | None] = Field(description="range -> the cohort's figure")
    client_weeks: dict[str, dict[str, Summary | None]] = Field(
        description="client -> range -> figure"
    )


class ReportDocument(_Shape):
    """`reflect report --format json`: every client's summaries pooled, prompt by prompt."""

    format: Literal[4]
    kind: Literal["reflect-report"]
    ranges: list[str]
    clients: list[str]
    files: list[ReportFile]
    notes: list[str]
    packs: dict[str, list[str]] = Field(description="pack id -> the versions the clients answered")
    days: dict[str, dict[str, ReportDays | None]] = Field(
        description="client -> range -> days written of days in the range"
    )
    prompts: list[ReportPrompt]


# -- packs ------------------------------------------------------------------------


class PackListed(_Shape):
    id: str
    name: str
    version: str
    prompts: int
    enabled: bool
    source: Literal["built-in", "installed"]
    path: str


class PacksDocument(_Shape):
    """`reflect packs list --json`"""

    format: Literal[2]
    packs: list[PackListed]


class PackShowDocument(Pack):
    """`reflect packs show --json`: the pack as its file holds it, the file's `format` as `pack_format`."""

    format: Literal[1] = 1
    pack_format: int = Field(description="the pack file's own format number")


class PackChange(_Shape):
    prompt: str
    definition_change: str = Field(
        description="what changed: added, removed, reworded, range, target, ..."
    )
    before: Any = Field(
        description="what the installed pack file said; for an addition, the last kept version that asked the prompt, or null"
    )
    after: Any = Field(description="what the new pack file says; null for a removal")


class PackAddedDocument(_Shape):
    """`reflect packs add --json`"""

    format: Literal[2]
    pack: str
    version: str
    path: str
    previous: str | None = Field(description="the version it replaced, if any")
    enabled: bool
    changes: list[PackChange]


class PackSummary(_Shape):
    id: str
    version: str
    prompts: int


class Problem(_Shape):
    path: str
    line: int | None
    column: int | None
    field: str | None
    message: str


class FileCheck(_Shape):
    path: str
    ok: bool
    pack: PackSummary | None = None
    problems: list[Problem]
    warnings: list[str]


class ValidationDocument(_Shape):
    """`reflect packs validate --json`"""

    format: Literal[2]
    files: list[FileCheck]


class PreviewDay(_Shape):
    date: dt.date
    prompts: list[str]


class PreviewDocument(_Shape):
    """`reflect packs preview --json`"""

    format: Literal[2]
    days: list[PreviewDay]


# -- doctor and sync --------------------------------------------------------------


class Finding(_Shape):
    severity: Literal["ok", "info", "warning", "problem"]
    what: str
    advice: str
    path: str | None
    fixable: bool
    fixed: bool


class DoctorDocument(_Shape):
    """`reflect doctor --json`"""

    format: Literal[2]
    home: str
    entries: int
    healthy: bool
    findings: list[Finding]


class Tied(_Shape):
    heading: str
    key: str


class PlannedFile(_Shape):
    path: str
    date: dt.date
    tied: list[Tied]
    version_count: int
    untied: list[str]
    ambiguous: list[str]
    error: str | None


class MigrateDocument(_Shape):
    """`reflect migrate --json`"""

    format: Literal[2]
    applied: bool
    files: list[PlannedFile]
    current: int
    skipped_files: list[SkippedFile]


class SyncDocument(_Shape):
    """`reflect sync --json`"""

    format: Literal[3]
    committed_days: list[str]
    committed_other_file_count: int = Field(
        description="how many other files (config, packs) were committed"
    )
    merged_days: list[str]
    set_aside: list[str] = Field(
        description="versions of a day kept beside it because they could not be merged into it: "
        "DATE.unreadable-HASH.md (a version that does not read) and DATE.other-TIME.md (two "
        "forms of the day across the encryption), .md.age in an encrypted journal"
    )
    merge_notes: list[str] = Field(
        description="what the merge had to decide, one line per file (a pack kept in two "
        "versions and where, answers recorded as the other machine's) and per config.toml "
        "setting changed on both machines (the other machine's value, not kept); first, when "
        "this sync undid the unfinished merge of a killed sync, a line saying so"
    )
    removed_leftovers: list[str] = Field(
        description="git's copies from a stopped merge (.merge_file_*) that an older reflect "
        "committed, removed from git and deleted by this sync"
    )
    pushed: bool
    took_remote_key: bool = Field(
        description="whether this sync took the key of a journal another machine encrypted"
    )
    offline: str | None


class StatusDocument(_Shape):
    """`reflect status --json`"""

    format: Literal[1]
    home: str
    encryption: Literal["none", "encrypted", "encrypting", "decrypting"]
    protected_by: str | None = Field(description="what key.age is encrypted with")
    unlocks_without_asking: list[str] = Field(
        description="each thing that opens the journal without asking for anything"
    )
    unfinished_rotation: str | None = Field(
        description="what a stopped key rotation left to do, and how to finish it"
    )


DOCUMENTS: dict[str, type[BaseModel]] = {
    "prompt": PromptDocument,
    "import": ImportDocument,
    "show": ShowDocument,
    "show-on-this-day": OnThisDayDocument,
    "log": LogDocument,
    "search": SearchDocument,
    "history": HistoryDocument,
    "trends": TrendsDocument,
    "calendar": CalendarDocument,
    "export": ReviewDocument,
    "report": ReportDocument,
    "packs-list": PacksDocument,
    "packs-show": PackShowDocument,
    "packs-add": PackAddedDocument,
    "packs-validate": ValidationDocument,
    "packs-preview": PreviewDocument,
    "doctor": DoctorDocument,
    "migrate": MigrateDocument,
    "sync": SyncDocument,
    "status": StatusDocument,
}


def document_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one document, as published in docs/json/NAME.schema.json."""
    model = DOCUMENTS[name]
    schema = model.model_json_schema(by_alias=True, mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
