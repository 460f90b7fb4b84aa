"""A review as JSON: a documented, versioned structure that `reflect report` reads back.

Keys (format 2), pinned by a test:

    format, kind, generator, client, range{start, end, label, days},
    previous_weeks, shared, contains, left_out, days_written, packs[id, name,
    versions, retired, prompts[id, text, type, unit, target, retired,
    earlier, versions, definition, summary, change, met, weeks[label, level],
    days[date, value, text, version, question], follow_up, follow_ups[date,
    text, version]]], left_out_answers[date, pack, prompt, question, value,
    version, reason], notes[date, time, text], tags[tag, days],
    skipped_files[path, error]

`skipped_files` names each entry file the summary could not read (its path
from `entries/`, and why): the days it holds are missing from the figures.

`summary` has the keys `reflect trends --json` gives a period of that type.
`target` is null or {value, direction (at-least, at-most, about), within}.
A question answered under definitions of different meaning (another type,
range, step, unit or target) has one entry per definition: `earlier` names
the older one and `versions` the pack versions its answers were given
under; `definition` ({type, text, unit, min, max, step, choices, target})
is what the summary was judged by. Format 1 had no client, previous_weeks
or contains, a plain number as target, and a shorter definition.
"""

from importlib.metadata import version
from typing import Any

from reflect.export.json_text import Items
from reflect.export.review import (
    REVIEW_FORMAT,
    REVIEW_KIND,
    DayAnswer,
    Definition,
    Note,
    PromptReview,
    Review,
    unreadable_files,
)
from reflect.model.pack import Goal
from reflect.trends.stats import change_data, summary_data


def review_data(review: Review, *, lazy: bool = False) -> dict[str, Any]:
    """The summary as JSON data; `lazy` for `write_json`, each question's days and weeks made
    as they are written (`json_text.Items`) rather than held all at once."""
    return {
        "format": REVIEW_FORMAT,
        "kind": REVIEW_KIND,
        "generator": f"reflect {version('reflect')}",
        "client": review.client,
        "range": {
            "start": review.span.start.isoformat(),
            "end": review.span.end.isoformat(),
            "label": review.label,
            "days": review.span.days,
        },
        "previous_weeks": review.previous_weeks,
        "shared": review.shared,
        "contains": review.contains,
        "left_out": review.left_out,
        "days_written": review.days_written,
        "packs": [
            {
                "id": pack.id,
                "name": pack.name,
                "versions": pack.versions,
                "retired": pack.retired,
                "prompts": [_prompt(p, lazy) for p in pack.prompts],
            }
            for pack in review.packs
        ],
        "notes": Items(review.notes, _note) if lazy else [_note(n) for n in review.notes],
        "left_out_answers": [
            {
                "date": a.date.isoformat(),
                "pack": a.pack,
                "prompt": a.prompt,
                "question": a.question,
                "value": a.value,
                "version": a.version,
                "reason": a.reason,
            }
            for a in review.left_out_answers
        ],
        "tags": [{"tag": tag, "days": days} for tag, days in review.tags],
        "skipped_files": [
            {"path": path, "error": error} for path, error in unreadable_files(review)
        ],
    }


def _prompt(prompt: PromptReview, lazy: bool = False) -> dict[str, Any]:
    return {
        "id": prompt.id,
        "text": prompt.text,
        "type": prompt.kind,
        "unit": prompt.unit,
        "target": goal_data(prompt.target),
        "retired": prompt.retired,
        "earlier": prompt.earlier,
        "versions": prompt.versions,
        "definition": _definition(prompt),
        "summary": summary_data(prompt.summary),
        "change": change_data(prompt.change),
        "met": prompt.met,
        "weeks": Items(prompt.weeks, _week) if lazy else [_week(w) for w in prompt.weeks],
        "days": Items(prompt.days, _day) if lazy else [_day(d) for d in prompt.days],
        "follow_up": prompt.follow_up,
        "follow_ups": (
            Items(prompt.follow_ups, _follow_up)
            if lazy
            else [_follow_up(d) for d in prompt.follow_ups]
        ),
    }


def _follow_up(day: DayAnswer) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "text": day.text,
        "version": day.version,
        "asked": day.asked,
    }


def _note(note: Note) -> dict[str, Any]:
    return {"date": note.date.isoformat(), "time": note.time, "text": note.text}


def goal_data(goal: Goal | None) -> dict[str, Any] | None:
    return None if goal is None else goal.data()


def _definition(prompt: PromptReview) -> dict[str, Any]:
    """What the answers of this entry mean: type, wording, scale, choices and target."""
    if prompt.definition is not None:
        return definition_data(prompt.definition)
    low, high = (
        prompt.bounds if prompt.kind in ("scale", "number") and prompt.bounds else (None, None)
    )
    return definition_data(
        Definition(prompt.kind, prompt.text, prompt.unit, low, high, target=prompt.target)
    )


def definition_data(definition: Definition) -> dict[str, Any]:
    return {
        "type": definition.kind,
        "text": definition.text,
        "unit": definition.unit,
        "min": definition.low,
        "max": definition.high,
        "step": definition.step,
        "choices": list(definition.choices),
        "target": goal_data(definition.target),
    }


def _week(week: tuple[str, float | None]) -> dict[str, Any]:
    label, value = week
    return {"label": label, "level": None if value is None else round(value, 4)}


def _day(day: DayAnswer) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "value": day.value,
        "text": day.text,
        "version": day.version,
        "question": day.question,
    }
