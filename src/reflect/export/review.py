"""A summary of a week (or any range) to keep, print or share: gathered once, written in four formats.

`build_review` gathers everything from the journal as plain data, using the
same statistics as `reflect trends`; the modules beside this one only lay
that data out as markdown, HTML, JSON or CSV. A shared review is cut down
here, before any format sees it, so no format can leak what was left out.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from reflect.errors import UsageError
from reflect.journal.entry import Entry
from reflect.journal.home import Home
from reflect.journal.store import BadEntry, iter_entries
from reflect.model.dates import DateRange, week_label, week_of
from reflect.model.front import answer_key
from reflect.model.pack import AnswerValue, AnyPrompt, Pack, TextPrompt, heading_for, misfit
from reflect.model.text import clean, clean_line
from reflect.trends.stats import Change, Kind, Summary, load_trends

HISTORY_WEEKS = 4
REVIEW_FORMAT = 1
REVIEW_KIND = "reflect-summary"


@dataclass(frozen=True)
class DayAnswer:
    date: dt.date
    value: AnswerValue | None
    text: str | None = None


@dataclass(frozen=True)
class PromptReview:
    """One question over the range: its statistics, its answers by day, and the weeks before."""

    pack: str
    id: str
    text: str
    kind: Kind
    unit: str
    target: float | None
    bounds: tuple[float, float] | None
    retired: bool
    summary: Summary
    change: Change | None
    weeks: list[tuple[str, float | None]]
    days: list[DayAnswer]
    follow_up: str | None
    follow_ups: list[DayAnswer] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        return getattr(self.summary, "met", None)


@dataclass(frozen=True)
class PackReview:
    id: str
    name: str
    versions: list[str]
    retired: bool
    prompts: list[PromptReview]


@dataclass(frozen=True)
class Note:
    date: dt.date
    time: str
    text: str


@dataclass(frozen=True)
class Review:
    span: DateRange
    label: str
    shared: bool
    include_text: bool
    days_written: int
    packs: list[PackReview]
    notes: list[Note]
    tags: list[tuple[str, int]]
    left_out: list[str]
    skipped_files: int
    problems: int


def range_label(span: DateRange) -> str:
    """ "2026-W48" for an ISO week, else "2026-11-01 to 2026-11-14"."""
    if week_of(span.start) == span:
        return week_label(span.start)
    return f"{span.start} to {span.end}"


def build_review(
    home: Home,
    span: DateRange,
    *,
    packs: dict[str, Pack],
    enabled: Sequence[str],
    only: Sequence[str] = (),
    share: bool = False,
    include_text: bool = False,
    today: dt.date,
) -> Review:
    """Everything a summary of the range shows, already cut down when it is to be shared."""
    if share and not only:
        raise UsageError(
            "--share needs --pack for each pack your coach should see, e.g. --pack partnership"
        )
    with_text = include_text or not share
    current = load_trends(home, packs, enabled, span, "week", today=today)
    history_span = DateRange(span.start - dt.timedelta(weeks=HISTORY_WEEKS), span.end)
    history = load_trends(home, packs, enabled, history_span, "week", today=today)
    entries = [e for e in iter_entries(home, span.start, span.end) if not isinstance(e, BadEntry)]
    answered = {pack.id for pack in current.packs}
    unknown = [p for p in only if p not in answered and p not in packs]
    if unknown:
        raise UsageError(f"--pack {unknown[0]!r}: no such pack; `reflect packs list` shows them")

    weeks_by_key = {
        (pack.id, row.prompt): [
            (period.label, value) for period, value in zip(history.periods, row.levels, strict=True)
        ]
        for pack in history.packs
        for row in pack.prompts
    }
    reviews: list[PackReview] = []
    for pack_trend in current.packs:
        if only and pack_trend.id not in only:
            continue
        pack = packs.get(pack_trend.id)
        versions = sorted({v for e in entries for v in e.front.versions_of(pack_trend.id)})
        prompts = []
        for row in pack_trend.prompts:
            if row.overall.answered == 0:
                continue
            prompt = pack.prompt(row.prompt) if pack else None
            weeks = weeks_by_key.get((pack_trend.id, row.prompt), [])
            prompts.append(
                PromptReview(
                    pack=pack_trend.id,
                    id=row.prompt,
                    text=clean_line(row.label),
                    kind=row.kind,
                    unit=clean_line(row.unit),
                    target=row.target,
                    bounds=row.bounds,
                    retired=row.retired,
                    summary=row.overall,
                    change=_week_change(weeks),
                    weeks=weeks,
                    days=_answers(entries, pack_trend.id, row.prompt, prompt, with_text),
                    follow_up=clean_line(prompt.follow_up.text)
                    if prompt and prompt.follow_up
                    else None,
                    follow_ups=_follow_ups(entries, pack_trend.id, prompt)
                    if with_text and prompt
                    else [],
                )
            )
        if prompts:
            name = clean_line(pack_trend.name or pack_trend.id)
            reviews.append(PackReview(pack_trend.id, name, versions, pack_trend.retired, prompts))

    notes = (
        [Note(e.date, n.time, clean(n.text)) for e in entries for n in e.notes()]
        if with_text
        else []
    )
    left_out = _left_out(share, include_text)
    return Review(
        span=span,
        label=range_label(span),
        shared=share,
        include_text=with_text,
        days_written=sum(1 for e in entries if not e.is_empty()),
        packs=reviews,
        notes=notes,
        tags=[] if share else current.tags,
        left_out=left_out,
        skipped_files=len(current.skipped_files),
        problems=len(current.problems),
    )


def _week_change(weeks: list[tuple[str, float | None]]) -> Change | None:
    """This period against the week before it, when both were answered."""
    if len(weeks) < 2 or weeks[-1][1] is None or weeks[-2][1] is None:
        return None
    before, after = weeks[-2][1], weeks[-1][1]
    return Change(weeks[-2][0], weeks[-1][0], after - before)


def _answers(
    entries: list[Entry], pack_id: str, prompt_id: str, prompt: AnyPrompt | None, with_text: bool
) -> list[DayAnswer]:
    found: list[DayAnswer] = []
    for entry in entries:
        if isinstance(prompt, TextPrompt):
            if with_text:
                prose = entry.prose_for(answer_key(pack_id, prompt_id), [heading_for(prompt.text)])
                if prose:
                    found.append(DayAnswer(entry.date, None, clean(prose)))
            continue
        value = entry.answer(pack_id, prompt_id)
        if value is None or (prompt is not None and misfit(prompt, value) is not None):
            continue
        found.append(DayAnswer(entry.date, clean(value) if isinstance(value, str) else value))
    return found


def _follow_ups(entries: list[Entry], pack_id: str, prompt: AnyPrompt) -> list[DayAnswer]:
    if prompt.follow_up is None:
        return []
    heading = heading_for(prompt.follow_up.text)
    key = answer_key(pack_id, prompt.id, follow_up=True)
    found = []
    for entry in entries:
        prose = entry.prose_for(key, [heading])
        if prose:
            found.append(DayAnswer(entry.date, None, clean(prose)))
    return found


def _left_out(share: bool, include_text: bool) -> list[str]:
    if not share:
        return []
    left = []
    if not include_text:
        left += ["prose answers and follow-ups", "free notes"]
    left += ["tags", "file names", "answers to any other pack"]
    return left


__all__ = [
    "REVIEW_FORMAT",
    "REVIEW_KIND",
    "DayAnswer",
    "Note",
    "PackReview",
    "PromptReview",
    "Review",
    "build_review",
    "range_label",
]
