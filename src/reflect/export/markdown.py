"""A review as markdown: ready to keep in a notes vault or paste into an email."""

from reflect.export.review import NOT_ASKED, PromptReview, Review, unreadable_files
from reflect.trends.wording import change_words, summary_text, target_text, value_text


def _inert(text: str) -> str:
    """Text a previewer shows as typed: a < cannot open an HTML tag."""
    return text.replace("<", "\\<")


def _cell(text: str) -> str:
    """Table cells hold one line, and a | would end the cell."""
    return _inert(" ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|"))


def _line(text: str) -> str:
    """A list item's text: one line, so a # or - inside cannot start a heading or a list."""
    return _inert(" ".join(text.split()))


def _title(review: Review) -> str:
    span = review.span
    when = f"{span.start:%A %d %B %Y} to {span.end:%A %d %B %Y}"
    return (
        f"# Review of {review.label}\n\n{when}. Days written: {review.days_written} of {span.days}."
    )


def review_markdown(review: Review) -> str:
    parts = [_title(review)]
    if review.client:
        parts.append(f"From {_line(review.client)}.")
    if review.shared:
        kept = (
            "the answers and statistics of " + ", ".join(p.name for p in review.packs)
            if review.packs
            else "no answers (none in the range)"
        )
        parts.append(
            f"> Shared summary: {_line(kept)}, for {'; '.join(review.contains)}. "
            f"Left out: {', '.join(review.left_out)}."
        )
    if not review.packs:
        parts.append("Nothing was answered in this range.")
    for pack in review.packs:
        versions = f" (version {', '.join(pack.versions)})" if pack.versions else ""
        retired = " (retired)" if pack.retired else ""
        parts.append(f"## {_line(pack.name)}{retired}{versions}")
        parts.append(_table(pack.prompts))
        targets = [p for p in pack.prompts if target_text(p.summary, p.unit, p.target)]
        if targets:
            parts.append(
                "\n".join(
                    f"- {'✓' if p.met else '✗'} {_line(p.title)}: "
                    f"{_line(target_text(p.summary, p.unit, p.target))}"
                    for p in targets
                )
            )
        for prompt in pack.prompts:
            answers = _by_day(prompt)
            if answers:
                parts.append(f"### {_line(prompt.title)}\n\n{answers}")
    if review.left_out_answers:
        parts.append("## Left out of the statistics")
        parts.append(
            "\n".join(
                f"- {a.date:%a %d %b}, {_line(a.question)}{_said(a.value)} ({_line(a.reason)})"
                for a in review.left_out_answers
            )
        )
    unreadable = unreadable_files(review)
    if unreadable:
        parts.append("## Files that could not be read")
        parts.append(
            "Their days are missing from this summary.\n\n"
            + "\n".join(f"- {_line(path)}: {_line(error)}" for path, error in unreadable)
        )
    if review.notes:
        parts.append("## Notes")
        parts.extend(
            f"### {f'{note.date:%a %d %b} {note.time}'.rstrip()}\n\n{_inert(note.text)}"
            for note in review.notes
        )
    if review.tags:
        parts.append("Tags: " + ", ".join(f"{_line(tag)} ({days})" for tag, days in review.tags))
    return "\n\n".join(parts) + "\n"


def _table(prompts: list[PromptReview]) -> str:
    rows = ["| Question | This period | Target | Change |", "| --- | --- | --- | --- |"]
    for p in prompts:
        question = _cell(p.title + (" (retired)" if p.retired else ""))
        summary = _cell(summary_text(p.summary, p.unit))
        target = _cell(target_text(p.summary, p.unit, p.target))
        delta = p.change.delta if p.change else None
        rows.append(
            f"| {question} | {summary} | {target} | {change_words(p.kind, delta, p.unit)} |"
        )
    return "\n".join(rows)


def _by_day(prompt: PromptReview) -> str:
    lines = []
    for day in prompt.days:
        shown = (
            day.text if day.text is not None else value_text(prompt.kind, day.value, prompt.unit)
        )
        asked = (
            f" (asked as: {_line(day.question)})" if day.question not in (None, prompt.text) else ""
        )
        lines.append(f"- {day.date:%a %d %b}: {_line(shown)}{asked}")
    if prompt.follow_ups and prompt.follow_up:
        lines.append(f"\n*{_line(prompt.follow_up)}*\n")
        lines += [
            f"- {d.date:%a %d %b}: {_line(d.text or '')}{'' if d.asked else NOT_ASKED}"
            for d in prompt.follow_ups
        ]
    return "\n".join(lines)


def _said(value: object) -> str:
    """`: value` after a left-out answer's question; nothing for one with no value."""
    text = "" if value is None else str(value)
    return f": {_line(text)}" if text else ""
