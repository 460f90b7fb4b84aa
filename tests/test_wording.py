"""Numbers and answers in words, shared by the markdown, HTML, CSV and report outputs."""

import pytest

from reflect.model.pack import Goal
from reflect.render.spark import sparkline
from reflect.trends.stats import ChoiceSummary, NumberSummary, TextSummary, YesNoSummary
from reflect.trends.wording import change_words, summary_text, target_text, value_text


def test_summaries_in_words() -> None:
    assert summary_text(YesNoSummary(4, 3)) == "yes on 3 of 4 days (75%)"
    assert summary_text(NumberSummary(3, 62.5, 40, 80, 70), "%") == "mean 62% (40-80%), 3 day(s)"
    assert (
        summary_text(ChoiceSummary(3, {"meeting": 2, "chat": 1})) == "mostly meeting (2 of 3 days)"
    )
    assert (
        summary_text(ChoiceSummary(2, {"meeting": 1, "chat": 1}))
        == "meeting and chat alike (1 each of 2 days)"
    )
    assert summary_text(TextSummary(2, 31)) == "2 day(s), 31 words"
    assert summary_text(YesNoSummary(0, 0)) == "not answered"


def test_targets_values_and_changes() -> None:
    at_least = Goal(70)
    assert (
        target_text(NumberSummary(3, 62.5, 40, 80, at_least), "%", at_least)
        == "missed: at least 70% (mean 62%, 7.5% below)"
    )
    assert (
        target_text(NumberSummary(1, 70, 70, 70, at_least), "%", at_least)
        == "met: at least 70% (mean 70%, on target)"
    )
    at_most = Goal(7, "at-most")
    assert target_text(NumberSummary(2, 5, 4, 6, at_most), "h", at_most) == (
        "met: at most 7h (mean 5.0h, 2.0h below)"
    )
    assert target_text(NumberSummary(2, 9, 8, 10, at_most), "h", at_most) == (
        "missed: at most 7h (mean 9.0h, 2.0h above)"
    )
    about = Goal(70, "about", 5)
    assert target_text(NumberSummary(2, 74, 70, 78, about), "%", about) == (
        "met: about 70% ± 5% (mean 74%, 4.0% above)"
    )
    assert target_text(NumberSummary(2, 60, 60, 60, about), "%", about) == (
        "missed: about 70% ± 5% (mean 60%, 10% below)"
    )
    # A distance too small for one decimal still shows, so it never reads "missed (0.0 below)".
    assert target_text(NumberSummary(3, 69.98, 60, 80, at_least), "%", at_least) == (
        "missed: at least 70% (mean 69.98%, 0.02% below)"
    )
    assert target_text(YesNoSummary(1, 1), "", None) == ""
    assert value_text("yes-no", True) == "yes" and value_text("scale", 70, "%") == "70%"
    assert value_text("number", 3, "people") == "3 people" and value_text("choice", None) == "—"
    assert change_words("yes-no", 0.25) == "▲ 25%" and change_words("scale", -2.0) == "▼ 2.0"
    assert change_words("text", 0.0) == "= 0" and change_words("text", None) == ""


def test_a_change_too_small_to_show_is_about_zero_not_an_arrow() -> None:
    # The trends table and every export word a change through this one function.
    assert change_words("scale", 0.01) == "≈ 0" and change_words("scale", -0.04, "h") == "≈ 0"
    assert change_words("yes-no", 0.001) == "≈ 0"
    assert change_words("text", 12, compact=True) == "▲ 12w"


def test_sparkline_scales_keeps_gaps_and_averages() -> None:
    assert sparkline([1, 3, 5], 1, 5) == "▁▅█"
    assert sparkline([1, None, 5], 1, 5) == "▁·█"
    assert sparkline([2, 2], 2, 2) == "▅▅"
    assert sparkline([1, 1, 5, 5], 1, 5, width=2) == "▁█"
    assert sparkline([None, None, 5, 5], 1, 5, width=2) == "·█"


def test_the_report_headline_words_a_move_as_trends_and_the_export_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reflect.export import report_formats
    from reflect.export.report import Report, Row
    from reflect.export.review import Definition

    def row(prompt: str, before: float, after: float) -> Row:
        return Row(
            pack="p", prompt=prompt, text=prompt, kind="number", unit="h", target=None,
            definition=Definition("number", prompt, "h", 0, 10), versions=["1.0.0"], change=None,
            weeks=[NumberSummary(1, before, before, before), NumberSummary(1, after, after, after)],
        )  # fmt: skip

    report = Report(
        labels=["2026-W47", "2026-W48"], clients=["a"], files=[], notes=[], versions={}, days={},
        rows=[row("sleep", 7.0, 7.5), row("naps", 1.0, 1.04)],
    )  # fmt: skip
    # A move that trends and the export write as "≈ 0" is no headline; the other is said
    # in the same amount as their "▲ 0.5h".
    assert (
        change_words("number", 0.04, "h") == "≈ 0" and change_words("number", 0.5, "h") == "▲ 0.5h"
    )
    assert report_formats._headline(report) == ["sleep — up 0.5h since 2026-W47"]
    # The amount is decided in one place, trends/wording.py: the headline follows it.
    monkeypatch.setattr(report_formats, "change_amount", lambda kind, delta, unit: f"{delta:.2f}!")
    assert report_formats._headline(report) == [
        "sleep — up 0.50! since 2026-W47",
        "naps — up 0.04! since 2026-W47",
    ]
