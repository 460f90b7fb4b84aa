"""Numbers and answers in words, the same in every plain-text output (markdown, HTML, CSV, report)."""

from reflect.model.pack import AnswerValue, Goal
from reflect.model.text import clean_line
from reflect.model.values import with_unit
from reflect.trends.stats import ChoiceSummary, NumberSummary, Summary, TextSummary, YesNoSummary


def number(value: float) -> str:
    """One decimal below ten, whole numbers above: a mean is read at a glance."""
    text = f"{value:.1f}" if abs(value) < 10 else f"{value:.0f}"
    return "0" if text in ("-0", "-0.0") else text


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def value_text(kind: str, value: AnswerValue | None, unit: str = "") -> str:
    """One answer as a person reads it: yes, 70%, a meeting."""
    if value is None:
        return "—"
    if kind == "yes-no" and isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return with_unit(f"{value:g}", unit)
    return clean_line(str(value))


def summary_text(summary: Summary, unit: str = "") -> str:
    """A period's summary in a few words, fitted to the question's type."""
    if summary.answered == 0:
        return "not answered"
    if isinstance(summary, YesNoSummary):
        return f"yes on {summary.yes} of {summary.answered} days ({percent(summary.share or 0)})"
    if isinstance(summary, NumberSummary):
        text = f"mean {with_unit(number(summary.mean or 0), unit)}"
        if summary.min is not None and summary.max is not None and summary.min != summary.max:
            text += f" ({summary.min:g}-{with_unit(f'{summary.max:g}', unit)})"
        return text + f", {summary.answered} day(s)"
    if isinstance(summary, ChoiceSummary):
        count = summary.counts.get(summary.top or "", 0)
        tied = [clean_line(c) for c, n in summary.counts.items() if n == count]
        if len(tied) > 1:
            return f"{' and '.join(tied)} alike ({count} each of {summary.answered} days)"
        return f"mostly {tied[0]} ({count} of {summary.answered} days)"
    assert isinstance(summary, TextSummary)
    return f"{summary.answered} day(s), {summary.words} words"


def target_text(summary: Summary, unit: str, target: Goal | None) -> str:
    """Whether the range met its target, in its direction, and by how much, in words.

    "met: at least 70% (mean 75%, 5% above)", "missed: at most 2h (mean 3.5h,
    1.5h above)", "" when there is no target or no mean. The distance is said
    as above or below the target's value, so it never contradicts met/missed.
    """
    if target is None or not isinstance(summary, NumberSummary) or summary.mean is None:
        return ""
    mean = summary.mean
    met = target.met(mean)
    distance = mean - target.value
    if abs(distance) < 1e-9:
        where = "on target"
    else:
        amount = number(abs(distance))
        if amount in ("0", "0.0"):
            amount = f"{abs(distance):.2g}"
        side = "above" if distance > 0 else "below"
        where = f"{with_unit(amount, unit)} {side}"
    figure = number(mean)
    if abs(distance) >= 1e-9 and figure == number(target.value):
        figure = f"{mean:.6g}"  # "mean 70%" beside "missed: at least 70%" would contradict itself
    shown = with_unit(figure, unit)
    return f"{'met' if met else 'missed'}: {target.words(unit)} (mean {shown}, {where})"


def change_words(kind: str, delta: float | None, unit: str = "", *, compact: bool = False) -> str:
    """The move from the period before: "▲ 14%", "▼ 0.5", "= 0", or "" when there is none.

    A move too small to show at the answers' precision is "≈ 0", never "▲ 0.0".
    `compact` writes a text answer's words as "12w", for a table's narrow column.
    """
    if delta is None:
        return ""
    if abs(delta) < 1e-9:
        return "= 0"
    amount = change_amount(kind, delta, unit, compact=compact)
    if amount is None:
        return "≈ 0"
    return f"{'▲' if delta > 0 else '▼'} {amount}"


def change_amount(kind: str, delta: float, unit: str = "", *, compact: bool = False) -> str | None:
    """How far a move went, at the answers' precision ("14%", "0.5h", "12 words"); None when
    that shows no digit but 0, a move too small to tell (the report's headline says none)."""
    if kind in ("yes-no", "choice"):
        amount = percent(abs(delta))
    elif kind == "text":
        amount = f"{abs(delta):.0f}w" if compact else f"{abs(delta):.0f} words"
    else:
        amount = with_unit(number(abs(delta)), unit)
    return amount if any(ch in "123456789" for ch in amount) else None
